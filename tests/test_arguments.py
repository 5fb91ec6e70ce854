"""API misuse gets bordermap's own errors: the parameter, what it got, what it takes.

Round three of the trust issue (#22), class 8: a list, a GeoSeries, None or a number where a
path or frame goes; a text file object for save(); repeated column names in a frame.
"""

from __future__ import annotations

import io

import geopandas as gpd
import pandas as pd
import pytest
import shapely

import bordermap
from bordermap.errors import ArgumentTypeError, BordermapError, ValidationError


def _crossings_with(column: str) -> pd.DataFrame:
    crossings = bordermap.load_crossings()
    return gpd.GeoDataFrame(pd.concat([crossings, crossings[[column]]], axis=1))


MISUSE = [
    ("load_crossings", lambda: bordermap.load_crossings([1, 2]), "path", "list"),
    ("load_crossings_int", lambda: bordermap.load_crossings(5), "path", "int"),
    (
        "load_crossings_geoseries",
        lambda: bordermap.load_crossings(gpd.GeoSeries([shapely.Point(1, 1)])),
        "path",
        "GeoSeries",
    ),
    ("load_facilities_bytes", lambda: bordermap.load_facilities(b"f.geojson"), "path", "bytes"),
    ("read_estimates_none", lambda: bordermap.read_estimates(None), "source", "NoneType"),
    ("read_estimates_list", lambda: bordermap.read_estimates(["a.csv"]), "source", "list"),
    (
        "read_estimates_sheet",
        lambda: bordermap.read_estimates("a.xlsx", sheet=1.5),
        "sheet",
        "float",
    ),
    (
        "join_estimates_none",
        lambda: bordermap.join_estimates(None, "e.csv"),
        "crossings",
        "NoneType",
    ),
    ("case_layer_none", lambda: bordermap.case_layer(None), "points", "NoneType"),
    ("case_layer_list", lambda: bordermap.case_layer([(129.9, 42.9)]), "points", "list"),
    ("load_routes_int", lambda: bordermap.load_routes(3), "path", "int"),
    ("read_events_list", lambda: bordermap.read_events([]), "source", "list"),
    (
        "crossing_map_title",
        lambda: bordermap.crossing_map(bordermap.load_crossings(), title=5),
        "title",
        "int",
    ),
    ("to_html_none", lambda: bordermap.to_html(None), "m", "NoneType"),
    (
        "save_text_file",
        lambda: bordermap.save(bordermap.crossing_map(bordermap.load_crossings()), io.StringIO()),
        "path",
        "StringIO",
    ),
    ("to_image_path", lambda: bordermap.to_image(bordermap.load_crossings(), 3), "path", "int"),
    ("load_basemap_list", lambda: bordermap.load_basemap(["x"]), "path", "list"),
]


@pytest.mark.parametrize(
    ("call", "parameter", "got"), [m[1:] for m in MISUSE], ids=[m[0] for m in MISUSE]
)
def test_a_wrong_type_names_the_parameter_what_it_got_and_what_it_takes(call, parameter, got):
    with pytest.raises(ArgumentTypeError) as info:
        call()
    error = info.value
    assert isinstance(error, TypeError) and isinstance(error, BordermapError)
    message = str(error)
    assert error.field == parameter and f"not {got}" in message and "takes " in message
    assert "\n" not in message and error.fix


@pytest.mark.parametrize("column", ["id", "label_en"])
def test_a_repeated_column_in_a_frame_is_refused_as_in_a_csv(column):
    with pytest.raises(ValidationError) as info:
        bordermap.load_crossings(_crossings_with(column))
    assert f"field '{column}'" in str(info.value) and "appears twice" in str(info.value)


def test_a_repeated_column_in_an_estimates_frame_is_refused():
    table = pd.DataFrame([["2023-10-09", "tumen-onsong", "300", "TJWG", "2023-12-07", "X"]])
    table.columns = ["event_date", "crossing", "figure", "source", "source_date", "source"]
    with pytest.raises(ValidationError, match=r"field 'source'.*appears twice"):
        bordermap.read_estimates(table)


def test_save_writes_the_page_to_a_binary_file_object():
    m = bordermap.crossing_map(bordermap.load_crossings(), tiles=None)
    buffer = io.BytesIO()
    assert bordermap.save(m, buffer) is buffer
    assert buffer.getvalue().startswith(b"<!DOCTYPE html>") and b"</html>" in buffer.getvalue()
