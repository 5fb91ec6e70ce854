"""One layer read from a geodata file (bordermap.inputs.vectors): chosen by name, the only one
with geometry, or an error listing them; within the cell limit; crossings from a workbook."""

from __future__ import annotations

import pytest

import bordermap
from bordermap.cli import main
from bordermap.model.layers import load_crossings, load_facilities

from .conftest import DATA

BAD = DATA / "bad"


def _estimate(folder):
    path = folder / "est.csv"
    path.write_text(
        "event_date,crossing,figure,source,source_date\n2023-10-09,tumen-onsong,300,TJWG,2023-12-07\n",
        encoding="utf-8",
    )
    return str(path)


@pytest.mark.parametrize(("layer", "lon"), [("crossings", 129.7), ("draft", 130.7), (1, 130.7)])
def test_layer_picks_one_layer_of_several(layer, lon):
    crossings = load_crossings(BAD / "two_layers.gpkg", layer=layer)
    assert crossings.geometry.x.tolist() == [lon]


def test_the_command_line_picks_a_layer(tmp_path):
    out = tmp_path / "map.html"
    args = ["render", "-o", str(out), "--offline", "--estimates", _estimate(tmp_path)]
    gpkg = str(BAD / "two_layers.gpkg")
    assert main([*args, "--crossings", gpkg, "--crossings-layer", "crossings"]) == 0
    facilities = str(BAD / "facilities_two_layers.gpkg")
    assert main([*args, "--crossings", gpkg, "--crossings-layer", "draft",
                 "--facilities", facilities, "--facilities-layer", "cities"]) == 0  # fmt: skip
    page = out.read_text(encoding="utf-8")
    assert "130.7" in page and '"f2"' in page and '"f1"' not in page


def test_a_table_without_geometry_beside_the_layer_does_not_count(tmp_path):
    import sqlite3

    path = tmp_path / "qgis.gpkg"
    path.write_bytes((BAD / "two_layers.gpkg").read_bytes())
    with sqlite3.connect(path) as db:  # QGIS keeps its styles in such a table
        db.execute("CREATE TABLE layer_styles (id INTEGER PRIMARY KEY, styleName TEXT)")
        db.execute(
            "INSERT INTO gpkg_contents (table_name, data_type, identifier) "
            "VALUES ('layer_styles', 'attributes', 'layer_styles')"
        )
        db.execute("DROP TABLE draft")
        db.execute("DELETE FROM gpkg_contents WHERE table_name = 'draft'")
        db.execute("DELETE FROM gpkg_geometry_columns WHERE table_name = 'draft'")
    assert load_crossings(path)["id"].tolist() == ["tumen-onsong"]


def test_a_layer_of_more_cells_than_the_limit_is_refused_before_reading(tmp_path):
    with (
        bordermap.inputs.input_limits(max_cells=1),
        pytest.raises(bordermap.InputFileError) as info,
    ):
        load_crossings(BAD / "two_layers.gpkg", layer="draft")
    assert "1 features × 2 fields, more than 1 cells" in str(info.value)
    assert "--max-cells" in str(info.value)
    assert len(load_crossings(BAD / "two_layers.gpkg", layer="draft")) == 1


def test_crossings_from_a_workbook_with_lat_lon(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["id", "name", "lat", "lon"])
    book.active.append(["tumen-onsong", "Onsong", 42.96, 129.7])
    book.save(tmp_path / "crossings.xlsx")
    crossings = load_crossings(tmp_path / "crossings.xlsx")
    assert crossings.crs.to_string() == "EPSG:4326"
    assert (crossings.geometry.x[0], crossings.geometry.y[0]) == (129.7, 42.96)


def test_crs_names_the_crs_of_a_file_that_declares_none(tmp_path):
    assert len(load_facilities(BAD / "no_crs.shp", crs="EPSG:4326")) == 1
    out = tmp_path / "map.html"
    args = ["render", "-o", str(out), "--offline", "--estimates", _estimate(tmp_path)]
    assert main([*args, "--crossings", str(BAD / "no_crs.shp"), "--crs", "EPSG:4326"]) == 0


def test_a_kml_in_another_encoding_is_read_in_the_encoding_given():
    crossings = load_crossings(BAD / "cp949_declared_utf8.kml", encoding="cp949")
    assert crossings.loc[0, "name"] == "온성"


def test_a_geojson_in_another_encoding_is_read_in_the_encoding_given():
    crossings = load_crossings(BAD / "gb18030.geojson", encoding="gb18030")
    assert crossings.loc[0, "label_zh"] == "丹东口岸遣返"
