"""A file is read only as the format its name says, and nothing beside it is read or fetched.

Each case of tests/data/bad/reach.csv is a hostile file built at test time around a canary
HTTP server on 127.0.0.1 and a canary file on disk: an OGR VRT or a GDALG pipeline under
every name bordermap reads, zipped or not, KML and workbooks with external entities. Each
must be refused with its error, through the API and the command line, while the server sees
no request and the canary text reaches no output. The server's own sanity is checked too:
GDAL outside :func:`bordermap.inputs.formats.local_reading` does reach it.
"""

from __future__ import annotations

import csv
import http.server
import threading
import zipfile
from typing import ClassVar

import geopandas as gpd
import pyogrio
import pytest
import shapely

import bordermap
import bordermap.errors
from bordermap.cli import main
from bordermap.inputs.formats import identify_geodata, local_reading

from .conftest import DATA

SECRET = "CANARY-LOCAL-7f3e"
with open(DATA / "bad" / "reach.csv", encoding="utf-8", newline="") as _handle:
    CASES = list(csv.DictReader(_handle))


class _Canary(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self):
        self.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "application/geo+json")
        self.end_headers()
        self.wfile.write(b'{"type": "FeatureCollection", "features": []}')

    do_HEAD = do_GET

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def canary_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Canary)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", _Canary.hits
    server.shutdown()


@pytest.fixture
def secret_file(tmp_path):
    path = tmp_path / "informants.csv"
    path.write_text(f"id,name,lat,lon\nx,{SECRET},42.9,129.8\n", encoding="utf-8")
    return path


def _build(case: dict, folder, url: str, secret) -> object:
    content = case["content"].format(url=url, secret=secret)
    if case["build"] == "text":
        path = folder / case["name"]
        path.write_text(content, encoding="utf-8")
    elif case["build"] == "zip":
        archive, member = case["name"].split("/")
        path = folder / archive
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as handle:
            handle.writestr(member, content)
    else:  # a workbook whose sheet declares entities
        import openpyxl

        book = openpyxl.Workbook()
        book.active.append(["event_date", "crossing", "figure", "source", "source_date"])
        book.active.append(["2023-10-09", "Tumen", "300", "here", "2023-12-07"])
        plain = folder / "plain.xlsx"
        book.save(plain)
        path = folder / case["name"]
        doctype = (
            f'<!DOCTYPE worksheet [<!ENTITY s SYSTEM "file://{secret}">'
            f'<!ENTITY u SYSTEM "{url}/xlsx">]>'
        ).encode()
        with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w") as target:
            for item in source.infolist():
                data = source.read(item.filename)
                if item.filename == "xl/worksheets/sheet1.xml":
                    data = data.replace(b"?>", b"?>" + doctype, 1).replace(b">here<", b">&s;&u;<")
                target.writestr(item, data)
    return path


def _load(path) -> None:
    if path.suffix == ".xlsx":
        bordermap.read_estimates(path)
    else:
        bordermap.load_crossings(path)


@pytest.mark.parametrize("case", CASES, ids=[c["case"] for c in CASES])
def test_a_hostile_file_is_refused_and_reaches_nothing(case, tmp_path, canary_server, secret_file):
    url, hits = canary_server
    hits.clear()
    path = _build(case, tmp_path, url, secret_file)
    with pytest.raises(bordermap.errors.BordermapError) as info:
        _load(path)
    err = info.value
    assert type(err).__name__ == case["error"], f"{type(err).__name__}: {err}"
    for needle in case["must_contain"].split(" | "):
        assert needle in str(err), f"{needle!r} not in {err}"
    assert SECRET not in str(err)
    assert hits == []


@pytest.mark.parametrize("case", CASES, ids=[c["case"] for c in CASES])
def test_the_command_line_refuses_it_and_writes_nothing(
    case, tmp_path, canary_server, secret_file, capsys
):
    url, hits = canary_server
    hits.clear()
    inputs = tmp_path / "in"
    inputs.mkdir()
    path = _build(case, inputs, url, secret_file)
    option = "--estimates" if path.suffix == ".xlsx" else "--crossings"
    out = tmp_path / "out"
    args = ["render", option, str(path), "--publish", "-o", str(out / "map.html")]
    args += ["--png", str(out / "map.png"), "--svg", str(out / "map.svg")]
    out.mkdir()
    assert main(args) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and SECRET not in err
    assert list(out.iterdir()) == []
    assert hits == []


def test_the_canary_server_is_reached_by_gdal_left_to_itself(canary_server):
    """The control: without bordermap's settings GDAL does fetch, so the tests above can fail."""
    url, hits = canary_server
    hits.clear()
    with pytest.raises(pyogrio.errors.DataSourceError):
        pyogrio.read_dataframe(f"/vsicurl/{url}/control.geojson")
    assert hits


@pytest.mark.parametrize("prefix", ["/vsicurl/", "/vsicurl_streaming/", ""])
def test_gdal_fetches_nothing_while_bordermap_reads(canary_server, prefix):
    """The second wall: even a path that names a URL gets nothing inside local_reading."""
    url, hits = canary_server
    hits.clear()
    with local_reading(), pytest.raises(pyogrio.errors.DataSourceError):
        pyogrio.read_dataframe(f"{prefix}{url}/inside.geojson")
    assert hits == []
    assert pyogrio.get_gdal_config_option("CPL_ALLOW_VSISTDIN") is None


def test_a_virtual_table_in_a_geopackage_reads_nothing(tmp_path, secret_file):
    """GDAL keeps SQLite's VirtualOGR off for files it opens: the table is no layer."""
    import sqlite3

    path = tmp_path / "sites.gpkg"
    layer = gpd.GeoDataFrame({"id": ["a"]}, geometry=[shapely.Point(129.8, 42.9)], crs=4326)
    pyogrio.write_dataframe(layer, path, layer="crossings")
    with sqlite3.connect(path) as con:
        con.execute("PRAGMA writable_schema=ON")
        con.execute(
            "INSERT INTO sqlite_master(type, name, tbl_name, rootpage, sql) VALUES "
            f"('table', 'v', 'v', 0, 'CREATE VIRTUAL TABLE v USING VirtualOGR(''{secret_file}'')')"
        )
        con.execute(
            "INSERT INTO gpkg_contents(table_name, data_type, identifier) "
            "VALUES ('v', 'attributes', 'v')"
        )
    with pytest.raises(bordermap.errors.BordermapError) as info:
        bordermap.inputs.read_geodata(path, layer="v")
    assert SECRET not in str(info.value)


def _crossings(tmp_path):
    return bordermap.load_crossings()[["id", "label_en", "geometry"]]


@pytest.mark.parametrize(
    ("name", "driver"),
    [
        ("c.geojson", "GeoJSON"),
        ("c.kml", "KML"),
        ("c.shp", "ESRI Shapefile"),
        ("c.fgb", "FlatGeobuf"),
        ("c.gpkg", "GPKG"),
        ("c.topojson", None),
        ("c.zip", None),
        ("c.kmz", None),
        ("c.parquet", None),
    ],
)
def test_every_format_bordermap_names_still_reads(tmp_path, name, driver):
    crossings = _crossings(tmp_path)
    path = tmp_path / name
    if driver:
        pyogrio.write_dataframe(crossings, path, driver=driver)
    elif name.endswith(".parquet"):
        crossings.to_parquet(path)
    elif name.endswith(".zip"):
        pyogrio.write_dataframe(crossings, tmp_path / "c.shp")
        with zipfile.ZipFile(path, "w") as archive:
            for part in ("shp", "shx", "dbf", "prj", "cpg"):
                archive.write(tmp_path / f"c.{part}", f"c.{part}")
    elif name.endswith(".kmz"):
        pyogrio.write_dataframe(crossings, tmp_path / "doc.kml", driver="KML")
        with zipfile.ZipFile(path, "w") as archive:
            archive.write(tmp_path / "doc.kml", "doc.kml")
    else:  # TopoJSON: GDAL writes none, so a small one by hand
        arcs = ", ".join(
            f'{{"type": "Point", "coordinates": [{p.x}, {p.y}], "properties": {{"id": "{i}"}}}}'
            for i, p in zip(crossings["id"], crossings.geometry, strict=True)
        )
        path.write_text(
            '{"type": "Topology", "arcs": [], "objects": {"crossings": '
            f'{{"type": "GeometryCollection", "geometries": [{arcs}]}}}}}}',
            encoding="utf-8",
        )
    assert identify_geodata(path, max_bytes=2**30).suffixes
    loaded = bordermap.inputs.read_geodata(path)
    assert len(loaded) == len(crossings) and loaded.crs.to_epsg() == 4326
    if not name.endswith(".kmz"):  # GDAL's LIBKML reads a KMZ's ExtendedData as no column
        assert sorted(loaded["id"]) == sorted(crossings["id"])


def test_an_archive_is_measured_by_what_it_inflates_to(tmp_path):
    path = tmp_path / "big.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("big.dbf", b"\x03" + b"\x00" * (3 * 2**20))
    assert path.stat().st_size < 2**20
    with pytest.raises(bordermap.errors.InputFileError, match="inflates to 3 MB, more than 2 MB"):
        identify_geodata(path, max_bytes=2 * 2**20)
