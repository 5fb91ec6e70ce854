"""CRSs on the way to WGS84 (bordermap.inputs.wgs84) and views that stay on one side of 180°:
what cannot become longitude and latitude on Earth is one error, from files and frames alike."""

from __future__ import annotations

import pytest

import bordermap
from bordermap.cli import main

LOCAL_GRID = (
    'ENGCRS["site grid",EDATUM["camp"],CS[Cartesian,2],AXIS["x",east,LENGTHUNIT["metre",1]],'
    'AXIS["y",north,LENGTHUNIT["metre",1]]]'
)


def _frame(crs, ids=("tumen-onsong",), coords=((129.7, 42.96),)):
    import geopandas as gpd
    import shapely

    points = [shapely.Point(*c) for c in coords]
    return gpd.GeoDataFrame({"id": list(ids)}, geometry=points, crs=crs)


@pytest.mark.parametrize(
    ("crs", "words"),
    [
        ("IAU_2015:49900", "not on Earth (Mars)"),
        ("+proj=longlat +a=1737400 +b=1737400 +no_defs +type=crs", "not on Earth (Moon)"),
        (LOCAL_GRID, "local (engineering)"),
    ],
)
@pytest.mark.parametrize("load", ["crossings", "facilities", "cases"])
def test_a_frame_in_a_crs_with_no_way_to_wgs84_is_one_error(crs, words, load):
    frame = _frame(crs)
    with pytest.raises(bordermap.ValidationError) as info:
        if load == "cases":
            bordermap.case_layer(frame)
        else:
            getattr(bordermap, f"load_{load}")(frame)
    message = str(info.value)
    assert words in message and "field 'crs'" in message and "WGS84" in message
    assert "\n" not in message and info.value.fix


def test_a_crs_given_for_a_frame_without_one_is_checked_too():
    with pytest.raises(bordermap.ValidationError, match="not on Earth"):
        bordermap.load_crossings(_frame(None), crs="IAU_2015:49900")


def _joined(ids_coords):
    import pandas as pd

    ids, coords = zip(*ids_coords, strict=True)
    crossings = bordermap.load_crossings(_frame(4326, ids, coords))
    estimates = pd.DataFrame(
        {
            "event_date": ["2023-10-09"] * len(ids),
            "crossing": list(ids),
            "figure": [30] * len(ids),
            "source": ["Example"] * len(ids),
            "source_date": ["2023-10-10"] * len(ids),
        }
    )
    return bordermap.join_estimates(crossings, estimates)


def test_crossings_either_side_of_180_are_refused_in_one_line():
    joined = _joined([("anadyr", (179.5, 64.7)), ("uelen", (-169.8, 66.2))])
    with pytest.raises(bordermap.ValidationError) as info:
        bordermap.crossing_map(joined, None, tiles=None)
    message = str(info.value)
    assert "antimeridian" in message and "'anadyr' at longitude 179.5" in message
    assert "'uelen' at -169.8" in message


def test_crossings_far_apart_on_one_side_of_180_are_drawn():
    joined = _joined([("anadyr", (177.5, 64.7)), ("pevek", (170.3, 69.7))])
    assert bordermap.crossing_map(joined, None, tiles=None).spec.bounds[0][1] == 170.3


def test_a_map_of_one_crossing_is_drawn_in_the_page_and_the_image(tmp_path):
    joined = _joined([("tumen-onsong", (129.84, 42.96))])
    m = bordermap.crossing_map(joined, None, tiles=None)
    assert m.spec.bounds == ((42.91, 129.79), (43.01, 129.89))  # an area, not a point
    assert bordermap.to_image(m, tmp_path / "one.png").stat().st_size > 10_000


def test_the_command_line_draws_a_map_of_one_crossing(tmp_path):
    _frame(4326).to_file(tmp_path / "one.geojson")
    (tmp_path / "est.csv").write_text(
        "event_date,crossing,figure,source,source_date\n2023-10-09,tumen-onsong,300,TJWG,2023-12-07\n",
        encoding="utf-8",
    )
    args = ["render", "-o", str(tmp_path / "m.html"), "--png", str(tmp_path / "m.png")]
    args += ["--offline", "--crossings", str(tmp_path / "one.geojson")]
    assert main([*args, "--estimates", str(tmp_path / "est.csv")]) == 0
    assert (tmp_path / "m.png").stat().st_size > 10_000


def test_points_far_apart_either_way_round_are_drawn_on_the_frame_within_180():
    # US ports of entry with facilities in Korea: 241° within ±180, 119° across 180.
    joined = _joined([("san-ysidro", (-117.03, 32.54)), ("sinuiju", (124.4, 40.1))])
    bounds = bordermap.crossing_map(joined, None, tiles=None).spec.bounds
    assert (bounds[0][1], bounds[1][1]) == (-117.03, 124.4)
