"""Shapefiles read as their text is (bordermap.inputs.shapefile): the encoding the user gives,
else the .cpg or dBASE code page when the bytes agree, else UTF-8; cut field names in full."""

from __future__ import annotations

import zipfile

import pytest

import bordermap
from bordermap.cli import main
from bordermap.model.layers import load_crossings

from .conftest import DATA

BAD = DATA / "bad"


def _zip(folder, stem: str, *, cpg: str | None = None):
    path = folder / f"{stem}.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for part in BAD.glob(f"{stem}.*"):
            if part.suffix != ".cpg":
                archive.write(part, f"crossings{part.suffix}")
        if cpg is not None:
            archive.writestr("crossings.cpg", cpg)
    return path


@pytest.mark.parametrize("name", ["cp949_no_cpg.shp", "cpg_lies.shp", "cp949_shapefile.zip"])
def test_the_encoding_given_reads_the_korean_names(name):
    crossings = load_crossings(BAD / name, encoding="cp949")
    assert crossings.loc[0, "label_ko"] == "온성"


def test_a_cpg_that_agrees_with_the_bytes_is_used(tmp_path):
    crossings = load_crossings(_zip(tmp_path, "cp949_no_cpg", cpg="CP949"))
    assert crossings.loc[0, "label_ko"] == "온성"


def test_a_dbase_code_page_that_agrees_is_used(tmp_path):
    for suffix in (".shp", ".shx", ".prj"):
        (tmp_path / f"x{suffix}").write_bytes((BAD / f"cp949_no_cpg{suffix}").read_bytes())
    dbf = bytearray((BAD / "cp949_no_cpg.dbf").read_bytes())
    dbf[29] = 0x79  # dBASE language driver: Korean (949)
    (tmp_path / "x.dbf").write_bytes(bytes(dbf))
    assert load_crossings(tmp_path / "x.shp").loc[0, "label_ko"] == "온성"


def test_a_wrong_encoding_given_is_an_error_not_mojibake():
    with pytest.raises(bordermap.InputFileError, match="text is not utf-8"):
        load_crossings(BAD / "cp949_no_cpg.shp", encoding="utf-8")


def test_the_command_line_reads_a_zipped_shapefile_in_the_encoding_given(tmp_path, capsys):
    out = tmp_path / "map.html"
    args = ["render", "-o", str(out), "--offline", "--crossings", str(BAD / "cp949_shapefile.zip")]
    assert main(args) == 2
    assert "--encoding cp949" in capsys.readouterr().err
    more = ["--encoding", "cp949", "--lang", "ko", "--estimates", str(_one_estimate(tmp_path))]
    assert main([*args, *more]) == 0
    assert "온성" in out.read_text(encoding="utf-8")


def _one_estimate(folder):
    path = folder / "est.csv"
    path.write_text(
        "event_date,crossing,figure,source,source_date\n2023-10-09,tumen-onsong,300,TJWG,2023-12-07\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.filterwarnings("ignore:Column names longer than 10", "ignore:Normalized/laundered")
def test_field_names_a_shapefile_cut_to_ten_characters_are_named_in_full(tmp_path):
    import geopandas as gpd
    import shapely

    path = tmp_path / "approximate.shp"
    gpd.GeoDataFrame(
        {
            "id": ["tumen-onsong"],
            "precision": ["approximate"],
            "precision_m": [5000.0],
            "coord_source": ["estimated from a press photo"],
        },
        geometry=[shapely.Point(129.7, 42.96)],
        crs=4326,
    ).to_file(path)
    crossings = load_crossings(path)
    assert {"precision_m", "coord_source"} <= set(crossings.columns)
    assert "precision_" not in crossings.columns
    assert crossings.loc[0, "precision_m"] == 5000.0


def test_one_encoding_for_the_command_leaves_utf8_inputs_as_they_are(tmp_path):
    import json

    crossings = tmp_path / "crossings.geojson"
    feature = {
        "type": "Feature",
        "properties": {"id": "tumen-onsong", "label_ko": "온성 세관"},
        "geometry": {"type": "Point", "coordinates": [129.7, 42.96]},
    }
    collection = {"type": "FeatureCollection", "features": [feature]}
    crossings.write_text(json.dumps(collection, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "map.html"
    args = ["render", "-o", str(out), "--offline", "--lang", "ko", "--encoding", "cp949"]
    args += ["--crossings", str(crossings), "--estimates", str(BAD / "cp949.csv")]
    assert main(args) == 0
    page = out.read_text(encoding="utf-8")
    assert "온성 세관" in page and "과도기정의워킹그룹" in page


def test_a_zip_of_two_shapefiles_is_two_layers_to_choose_from(tmp_path):
    path = tmp_path / "two.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for stem, source in (("draft", "cpg_lies"), ("final", "cp949_no_cpg")):
            for part in BAD.glob(f"{source}.*"):
                archive.write(part, f"{stem}{part.suffix}")
    with pytest.raises(bordermap.ValidationError) as info:
        load_crossings(path, encoding="cp949")
    assert "2 layers" in str(info.value) and "'draft'" in str(info.value)
    # The chosen one is read by its own .cpg rule: final has none, so cp949 must be given.
    with pytest.raises(bordermap.InputFileError, match="text is cp949"):
        load_crossings(path, layer="final")
    assert load_crossings(path, layer="final", encoding="cp949").loc[0, "label_ko"] == "온성"
    # draft's .cpg says UTF-8 over cp949 bytes, by name or by index.
    for layer in ("draft", _index_of(path, "draft")):
        with pytest.raises(bordermap.InputFileError, match=r"as its \.cpg says"):
            load_crossings(path, layer=layer)


def _index_of(path, name: str) -> int:
    import pyogrio

    return [str(row[0]) for row in pyogrio.list_layers(path)].index(name)
