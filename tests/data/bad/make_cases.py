# ruff: noqa: E501  (a table of cases: one message per line reads better than wrapped)
"""Write the malformed input files of tests/data/bad/ and their manifest, cases.csv.

Run from the repository root: ``python3 tests/data/bad/make_cases.py``. The files are
committed; this script is how they were made and how to add one (append to CASES).
Each case: (case, file, kind, error class, what the message must contain, description)
and for ``cli`` cases the extra arguments (``{file}``: the case file, ``{dir}``: an empty
folder the test makes).
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROUTES_HEADER = (
    b"event_date,crossing,from_facility,to_facility,status,source,source_date,url,notes\n"
)
HEADER = "event_date,crossing,figure,low,high,qualifier,source,source_date,url,notes\n"
GOOD = "2023-10-09,tumen-onsong,300,,,,TJWG,2023-12-07,,\n"
# A 1×1 PNG, a PDF and an HTML error page: what a download link gives instead of data.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
HTML = b"<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head><body>Not found</body></html>\n"


def feature(coords, fid="tumen-onsong", gtype="Point", **props) -> dict:
    geometry = None if coords is None else {"type": gtype, "coordinates": coords}
    return {
        "type": "Feature",
        "properties": {"id": fid, "label_en": "Tumen → Onsong", **props},
        "geometry": geometry,
    }


def collection(*features, **extra) -> bytes:
    return json.dumps({"type": "FeatureCollection", **extra, "features": list(features)}).encode()


def estimates(*rows: str, header: str = HEADER) -> bytes:
    return (header + "".join(r + "\n" for r in rows)).encode()


def xlsx_bytes(*rows: list) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for line in rows or [line.split(",") for line in (HEADER + GOOD).splitlines()]:
        sheet.append(line)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xlsx_patched(old: bytes, new: bytes) -> bytes:
    """A valid workbook whose sheet XML has ``old`` replaced by ``new``."""
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(old, new)
            archive.writestr(zipfile.ZipInfo(item.filename, (2024, 1, 1, 0, 0, 0)), data)
    return buffer.getvalue()


def zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            zipfile.ZipInfo("crossings.geojson", (2024, 1, 1, 0, 0, 0)),
            collection(feature([129.7, 42.96])),
        )
    return buffer.getvalue()


def gpkg_truncated() -> bytes:
    import tempfile

    import geopandas as gpd
    import shapely

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "x.gpkg"
        gpd.GeoDataFrame(
            {"id": ["tumen-onsong"]}, geometry=[shapely.Point(129.7, 42.96)], crs=4326
        ).to_file(path)
        return path.read_bytes()[:8192]


def shapefile_without_prj() -> dict[str, bytes]:
    import tempfile

    import geopandas as gpd
    import shapely

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "no_crs.shp"
        gpd.GeoDataFrame({"id": ["tumen-onsong"]}, geometry=[shapely.Point(129.7, 42.96)]).to_file(
            path
        )
        return {p.name: p.read_bytes() for p in Path(tmp).iterdir() if p.suffix != ".cpg"}


def _points(ids=("tumen-onsong",), coords=((129.7, 42.96),), crs="EPSG:4326", **columns):
    import geopandas as gpd
    import shapely

    return gpd.GeoDataFrame(
        {"id": list(ids), **columns}, geometry=[shapely.Point(*c) for c in coords], crs=crs
    )


def shapefile(stem: str, gdf=None, *, encoding=None, drop=(), cpg=None) -> dict[str, bytes]:
    """A Shapefile's parts as ``{name: bytes}``: ``drop`` leaves parts out, ``cpg`` sets the
    .cpg's words (None: as GDAL writes it; "": no .cpg)."""
    import tempfile

    gdf = _points(label_ko=["온성"]) if gdf is None else gdf
    with tempfile.TemporaryDirectory() as tmp:
        gdf.to_file(Path(tmp) / f"{stem}.shp", encoding=encoding)
        parts = {p.name: p.read_bytes() for p in Path(tmp).iterdir() if p.suffix not in drop}
    if cpg is not None:
        parts.pop(f"{stem}.cpg", None)
        if cpg:
            parts[f"{stem}.cpg"] = cpg.encode()
    return parts


def zipped(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in sorted(parts.items()):
            archive.writestr(zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0)), data)
    return buffer.getvalue()


def gpkg(layers: dict) -> bytes:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "x.gpkg"
        for layer, gdf in layers.items():
            gdf.to_file(path, layer=layer)
        return path.read_bytes()


def gpkg_nul() -> bytes:
    """Two crossings; the second's label holds a NUL (GDAL would pass on only 'Tumen')."""
    import sqlite3
    import tempfile

    import geopandas as gpd
    from shapely.geometry import Point

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "x.gpkg"
        gpd.GeoDataFrame(
            {"id": ["dandong-sinuiju", "tumen-onsong"], "label_en": ["Dandong", "Tumen"]},
            geometry=[Point(124.4, 40.1), Point(129.7, 42.96)],
            crs=4326,
        ).to_file(path, layer="crossings", SPATIAL_INDEX="NO")
        with sqlite3.connect(path) as db:
            db.execute(
                "UPDATE crossings SET label_en = CAST('Tumen' || char(0) || ' hidden' AS TEXT) "
                "WHERE id = 'tumen-onsong'"
            )
        return path.read_bytes()


def kml(body: str, *, declaration: str = "UTF-8", encoding: str = "utf-8") -> bytes:
    return (
        f'<?xml version="1.0" encoding="{declaration}"?>'
        f'<kml xmlns="http://www.opengis.net/kml/2.2"><Document>{body}</Document></kml>'
    ).encode(encoding)


def placemark(fid: str, name: str, lon: float, lat: float) -> str:
    return (
        f'<Placemark><name>{name}</name><ExtendedData><Data name="id"><value>{fid}</value>'
        f"</Data></ExtendedData><Point><coordinates>{lon},{lat}</coordinates></Point></Placemark>"
    )


MARS = "IAU_2015:49900"
LOCAL_GRID = (
    'ENGCRS["site grid",EDATUM["camp"],CS[Cartesian,2],AXIS["x",east,LENGTHUNIT["metre",1]],'
    'AXIS["y",north,LENGTHUNIT["metre",1]]]'
)


KO = "2023-10-09,온성,300,,,,과도기정의워킹그룹,2023-12-07,,온성 세관\n"
ZH = "2023-10-09,丹东,180,,,,朝鲜人权报告,2023-12-07,,丹东口岸遣返\n"
P = "tumen-onsong"
S = ", {sep} "  # placeholder, unused

# case, file, kind, error, must contain (" | "-separated), description, content, cli args
CASES: list[tuple] = [
    # --- crossings: CRS -------------------------------------------------------------------
    (
        "crs_unknown",
        "crs_unknown.geojson",
        "crossings",
        "ValidationError",
        "crs_unknown.geojson | field 'crs' | EPSG:99999 | unknown coordinate reference system",
        "GeoJSON names a CRS that does not exist (GDAL would silently assume WGS84)",
        collection(
            feature([129.7, 42.96]), crs={"type": "name", "properties": {"name": "EPSG:99999"}}
        ),
    ),
    (
        "crs_missing",
        "no_crs.shp",
        "crossings",
        "ValidationError",
        "no_crs.shp | declares no coordinate reference system | crs=",
        "Shapefile without its .prj: no CRS",
        shapefile_without_prj(),
    ),
    (
        "crs_degrees_in_metres",
        "crs_degrees_in_3857.geojson",
        "crossings",
        "ValidationError",
        "crs_degrees_in_3857.geojson | field 'crs' | EPSG:3857 | look like degrees",
        "GeoJSON declaring Web Mercator (metres) that holds degrees: drawn off West Africa",
        collection(
            feature([129.7, 42.96]),
            crs={"type": "name", "properties": {"name": "EPSG:3857"}},
        ),
    ),
    (
        "crs_outside_its_area",
        "crs_outside_area.geojson",
        "crossings",
        "ValidationError",
        "crs_outside_area.geojson | feature 1 ('tumen-onsong') | field 'crs' | EPSG:2154 | outside the area",
        "French Lambert-93 declared for Korean coordinates in metres",
        collection(
            feature([14438000, 5305000]),
            crs={"type": "name", "properties": {"name": "EPSG:2154"}},
        ),
    ),
    # --- crossings: coordinates -----------------------------------------------------------
    (
        "lat_out_of_range",
        "lat_out_of_range.geojson",
        "crossings",
        "ValidationError",
        "lat_out_of_range.geojson | feature 1 ('tumen-onsong') | field 'geometry' | lat 95.0 | out of range",
        "latitude above 90",
        collection(feature([129.7, 95.0])),
    ),
    (
        "lon_out_of_range",
        "lon_out_of_range.geojson",
        "crossings",
        "ValidationError",
        "lon_out_of_range.geojson | feature 1 | field 'geometry' | lon 229.7 | out of range",
        "longitude above 180",
        collection(feature([229.7, 42.96])),
    ),
    (
        "swapped_geojson",
        "swapped.geojson",
        "crossings",
        "ValidationError",
        "swapped.geojson | feature 1 ('tumen-onsong') | field 'geometry' | lon 42.96, lat 129.7 | swapped",
        "lat, lon order in GeoJSON (|lat| > 90, must say swapped, not out of range)",
        collection(feature([42.96, 129.7])),
    ),
    (
        "swapped_csv",
        "swapped.csv",
        "crossings",
        "ValidationError",
        "swapped.csv | feature 1 | field 'geometry' | lon 42.96 | swapped",
        "CSV whose lat and lon columns hold each other's values",
        b"id,label_en,lat,lon\ntumen-onsong,Tumen,129.7,42.96\n",
    ),
    (
        "nan_csv",
        "nan_coordinate.csv",
        "crossings",
        "ValidationError",
        "nan_coordinate.csv | row 3 | field 'lat' | 'nan' | not a number",
        "NaN typed into a coordinate cell",
        b"id,label_en,lat,lon\ntumen-onsong,Tumen,42.96,129.7\ndandong-sinuiju,Dandong,nan,124.4\n",
    ),
    (
        "nan_geojson",
        "nan_coordinate.geojson",
        "crossings",
        "ValidationError",
        "nan_coordinate.geojson | feature 1 | field 'geometry' | not a number",
        "NaN literal in GeoJSON coordinates",
        b'{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"tumen-onsong"},'
        b'"geometry":{"type":"Point","coordinates":[NaN,42.96]}}]}',
    ),
    (
        "text_coordinate_csv",
        "text_coordinate.csv",
        "crossings",
        "ValidationError",
        "text_coordinate.csv | row 2 | field 'lat' | 42°57'N | not a number",
        "degrees-minutes text in a coordinate cell",
        "id,label_en,lat,lon\ntumen-onsong,Tumen,42°57'N,129.7\n".encode(),
    ),
    (
        "no_latlon_csv",
        "no_latlon.csv",
        "crossings",
        "ValidationError",
        "no_latlon.csv | field 'lat' | no latitude/longitude columns | lat and lon",
        "CSV without coordinate columns",
        b"id,label_en,place\ntumen-onsong,Tumen,Onsong\n",
    ),
    # --- crossings: files and features ----------------------------------------------------
    (
        "empty_geojson",
        "empty.geojson",
        "crossings",
        "InputFileError",
        "empty.geojson | file is empty",
        "zero bytes",
        b"",
    ),
    (
        "no_features",
        "no_features.geojson",
        "crossings",
        "ValidationError",
        "no_features.geojson | no crossing features",
        "a FeatureCollection with no features",
        collection(),
    ),
    (
        "linestring",
        "linestring.geojson",
        "crossings",
        "ValidationError",
        "linestring.geojson | feature 1 ('tumen-onsong') | field 'geometry' | 'LineString' | must be a Point",
        "a line where a point is expected",
        collection(feature([[129.7, 42.96], [129.8, 42.9]], gtype="LineString")),
    ),
    (
        "multipoint",
        "multipoint.geojson",
        "crossings",
        "ValidationError",
        "multipoint.geojson | feature 1 | field 'geometry' | 'MultiPoint' | must be a Point",
        "a MultiPoint where a point is expected",
        collection(feature([[129.7, 42.96]], gtype="MultiPoint")),
    ),
    (
        "bowtie_polygon",
        "bowtie_polygon.geojson",
        "crossings",
        "ValidationError",
        "bowtie_polygon.geojson | feature 1 | field 'geometry' | 'Polygon' | must be a Point",
        "a self-intersecting (invalid) polygon for a crossing",
        collection(
            feature([[[129, 42], [130, 43], [130, 42], [129, 43], [129, 42]]], gtype="Polygon")
        ),
    ),
    (
        "point_one_coordinate",
        "point_one_coordinate.geojson",
        "crossings",
        "ValidationError",
        "point_one_coordinate.geojson | feature 1 | field 'geometry' | [129.7] | invalid geometry",
        "a Point with one number",
        collection(feature([129.7])),
    ),
    (
        "point_text_coordinates",
        "point_text_coordinates.geojson",
        "crossings",
        "ValidationError",
        "point_text_coordinates.geojson | feature 1 | field 'geometry' | invalid geometry",
        "a Point whose coordinates are strings",
        collection(feature(["129.7", "42.96"])),
    ),
    (
        "null_geometry",
        "null_geometry.geojson",
        "crossings",
        "ValidationError",
        "null_geometry.geojson | feature 2 ('dandong-sinuiju') | field 'geometry' | no geometry",
        "a feature without geometry",
        collection(feature([129.7, 42.96]), feature(None, "dandong-sinuiju")),
    ),
    (
        "duplicate_ids",
        "duplicate_ids.geojson",
        "crossings",
        "ValidationError",
        "duplicate_ids.geojson | feature 2 | field 'id' | 'tumen-onsong' | used twice",
        "two features with one id",
        collection(feature([129.7, 42.96]), feature([124.4, 40.1])),
    ),
    (
        "missing_id",
        "missing_id.geojson",
        "crossings",
        "ValidationError",
        "missing_id.geojson | field 'id' | no 'id' property and no 'name'",
        "features without an id or a name to make one from",
        collection(
            {
                "type": "Feature",
                "properties": {"label_en": "Tumen"},
                "geometry": {"type": "Point", "coordinates": [129.7, 42.96]},
            }
        ),
    ),
    (
        "names_without_ids_one_blank",
        "names_without_ids_one_blank.geojson",
        "crossings",
        "ValidationError",
        "names_without_ids_one_blank.geojson | feature 2 | field 'name' | no id, and no name",
        "ids made from names (a My Maps export), one name blank: named, never skipped",
        collection(
            feature([129.7, 42.96], None, name="Tumen"),
            feature([124.4, 40.1], None, name=" "),
        ),
    ),
    (
        "label_nul",
        "label_nul.geojson",
        "crossings",
        "ValidationError",
        "label_nul.geojson | feature 1 ('tumen-onsong') | field 'label_en' | NUL | remove",
        "a NUL inside a label (GDAL would cut the text there, silently)",
        collection(feature([129.7, 42.96], label_en="Tumen\x00 → hidden")),
    ),
    (
        "empty_id",
        "empty_id.geojson",
        "crossings",
        "ValidationError",
        "empty_id.geojson | feature 2 | field 'id' | id is empty",
        "a feature whose id is blank",
        collection(feature([129.7, 42.96]), feature([124.4, 40.1], "")),
    ),
    (
        "not_geojson",
        "not_geojson.geojson",
        "crossings",
        "InputFileError",
        "not_geojson.geojson | field 'type' | not GeoJSON",
        "valid JSON that is not GeoJSON",
        b'{"hello": "world"}',
    ),
    (
        "truncated_geojson",
        "truncated.geojson",
        "crossings",
        "InputFileError",
        "truncated.geojson | truncated",
        "GeoJSON cut off mid-file (an interrupted download)",
        collection(feature([129.7, 42.96]), feature([124.4, 40.1], "dandong-sinuiju"))[:150],
    ),
    (
        "png_as_geojson",
        "png_named.geojson",
        "crossings",
        "InputFileError",
        "png_named.geojson | PNG image | .geojson",
        "a screenshot saved with a .geojson name",
        PNG,
    ),
    (
        "html_as_geojson",
        "html_named.geojson",
        "crossings",
        "InputFileError",
        "html_named.geojson | HTML page | .geojson",
        "an HTML error page saved as .geojson",
        HTML,
    ),
    (
        "zip_as_gpkg",
        "zip_named.gpkg",
        "crossings",
        "InputFileError",
        "zip_named.gpkg | ZIP archive | .gpkg",
        "a zip archive named .gpkg",
        zip_bytes(),
    ),
    (
        "truncated_gpkg",
        "truncated.gpkg",
        "crossings",
        "InputFileError",
        "truncated.gpkg | damaged or truncated",
        "GeoPackage cut to its first 8 KB",
        gpkg_truncated(),
    ),
    (
        "gpkg_label_nul",
        "gpkg_label_nul.gpkg",
        "crossings",
        "ValidationError",
        "gpkg_label_nul.gpkg | feature 2 | field 'label_en' | NUL | remove",
        "a NUL inside a GeoPackage label (GDAL would cut the text there, silently)",
        gpkg_nul(),
    ),
    (
        "truncated_kml",
        "truncated.kml",
        "crossings",
        "InputFileError",
        "truncated.kml | damaged or truncated",
        "KML cut off mid-element",
        b'<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2">'
        b"<Document><Placemark><name>Tumen</name><Point><coordinates>129.7,42",
    ),
    (
        "cp949_crossings_csv",
        "cp949_crossings.csv",
        "crossings",
        "InputFileError",
        "cp949_crossings.csv | cp949 | encoding='cp949'",
        "crossings CSV saved by Korean Excel",
        "id,label_ko,lat,lon\ntumen-onsong,온성,42.96,129.7\n".encode("cp949"),
    ),
    (
        "crs_not_an_object",
        "crs_string.geojson",
        "crossings",
        "ValidationError",
        "crs_string.geojson | field 'crs' | EPSG:4326 | names no coordinate reference system",
        "a crs member that is a bare string",
        collection(feature([129.7, 42.96]), crs="EPSG:4326"),
    ),
    (
        "features_null",
        "features_null.geojson",
        "crossings",
        "InputFileError",
        "features_null.geojson | field 'features' | 'null' | no list of features",
        "features: null",
        b'{"type": "FeatureCollection", "features": null}',
    ),
    (
        "feature_not_object",
        "feature_not_object.geojson",
        "crossings",
        "InputFileError",
        "feature_not_object.geojson | feature 2 | field 'type' | not a GeoJSON Feature",
        "a string among the features (GDAL skips it)",
        b'{"type": "FeatureCollection", "features": ['
        + json.dumps(feature([129.7, 42.96])).encode()
        + b', "Onsong"]}',
    ),
    (
        "json_nested_deep",
        "nested_deep.geojson",
        "crossings",
        "InputFileError",
        "nested_deep.geojson | nested too deeply",
        "a property nested 5,000 levels deep (was a RecursionError traceback)",
        json.dumps(feature([129.7, 42.96], x="NESTED"))
        .encode()
        .join([b'{"type": "FeatureCollection", "features": [', b"]}"])
        .replace(b'"NESTED"', b"[" * 5000 + b"]" * 5000),
    ),
    # --- facilities ----------------------------------------------------------------------
    (
        "facility_lat_out_of_range",
        "facility_out_of_range.geojson",
        "facilities",
        "ValidationError",
        "facility_out_of_range.geojson | feature 1 ('f1') | field 'geometry' | lat -91.0 | out of range",
        "facility latitude below -90",
        collection(feature([126.0, -91.0], "f1")),
    ),
    (
        "facility_swapped",
        "facility_swapped.csv",
        "facilities",
        "ValidationError",
        "facility_swapped.csv | feature 1 | lon 40.1 | swapped",
        "facility lat/lon exchanged",
        b"id,name_en,lat,lon\nf1,Sinuiju,124.4,40.1\n",
    ),
    (
        "facility_duplicate_ids",
        "facility_duplicate_ids.geojson",
        "facilities",
        "ValidationError",
        "facility_duplicate_ids.geojson | feature 2 | field 'id' | 'f1' | used twice",
        "two facilities with one id",
        collection(feature([126.0, 41.0], "f1"), feature([126.1, 41.1], "f1")),
    ),
    (
        "facility_polygon",
        "facility_polygon.geojson",
        "facilities",
        "ValidationError",
        "facility_polygon.geojson | feature 1 | 'Polygon' | must be a Point",
        "a facility outline instead of a point",
        collection(
            feature([[[126, 41], [126.1, 41], [126.1, 41.1], [126, 41]]], "f1", gtype="Polygon")
        ),
    ),
    (
        "facility_pdf",
        "pdf_named.geojson",
        "facilities",
        "InputFileError",
        "pdf_named.geojson | PDF document | .geojson",
        "a report PDF named .geojson",
        PDF,
    ),
    (
        "facility_empty_id",
        "facility_empty_id.csv",
        "facilities",
        "ValidationError",
        "facility_empty_id.csv | feature 1 | field 'id' | id is empty",
        "facility CSV with a blank id",
        b"id,name_en,lat,lon\n,Sinuiju,40.1,124.4\n",
    ),
    # --- estimates: values ---------------------------------------------------------------
    (
        "figure_not_number",
        "figure_not_number.csv",
        "estimates",
        "ValidationError",
        "figure_not_number.csv | row 2 | field 'figure' | 'three hundred' | not a number | digits",
        "figure written in words",
        estimates("2023-10-09,tumen-onsong,three hundred,,,,TJWG,2023-12-07,,"),
    ),
    (
        "figure_with_unit",
        "figure_with_unit.csv",
        "estimates",
        "ValidationError",
        "figure_with_unit.csv | row 3 | field 'figure' | '300 people' | not a number",
        "figure with a unit",
        estimates(GOOD.strip(), "2023-10-09,Dandong,300 people,,,,RFA,2023-10-16,,"),
    ),
    (
        "figure_about",
        "figure_about.csv",
        "estimates",
        "ValidationError",
        "figure_about.csv | row 2 | field 'figure' | 'about 120' "
        "| write 120 in figure and 'about' in qualifier",
        "a qualifier typed into the figure: pointed at qualifier, never split",
        estimates("2023-10-09,tumen-onsong,about 120,,,,TJWG,2023-12-07,,"),
    ),
    (
        "figure_range",
        "figure_range.csv",
        "estimates",
        "ValidationError",
        "figure_range.csv | row 3 | field 'figure' | '40–60' | write 40 in low | 60 in high "
        "| 'range' in qualifier",
        "a range typed into the figure: pointed at low, high and qualifier",
        estimates(GOOD.strip(), "2023-10-09,Dandong,40–60,,,,RFA,2023-10-16,,"),
    ),
    (
        "figure_over_grouped",
        "figure_over_grouped.csv",
        "estimates",
        "ValidationError",
        "figure_over_grouped.csv | row 2 | 'over 1,200' "
        "| write 1,200 in figure and 'over' in qualifier",
        "a qualifier before a grouped number: a qualifier, not an ambiguous comma",
        estimates('2023-10-09,tumen-onsong,"over 1,200",,,,TJWG,2023-12-07,,'),
    ),
    (
        "figure_negative",
        "figure_negative.csv",
        "estimates",
        "ValidationError",
        "figure_negative.csv | row 2 | field 'figure' | '-300' | negative",
        "negative figure",
        estimates("2023-10-09,tumen-onsong,-300,,,,TJWG,2023-12-07,,"),
    ),
    (
        "figure_fractional",
        "figure_fractional.csv",
        "estimates",
        "ValidationError",
        "figure_fractional.csv | row 2 | field 'figure' | '300.5' | whole number",
        "fractional people",
        estimates("2023-10-09,tumen-onsong,300.5,,,,TJWG,2023-12-07,,"),
    ),
    (
        "figure_infinite",
        "figure_infinite.csv",
        "estimates",
        "ValidationError",
        "figure_infinite.csv | row 2 | field 'figure' | 'inf' | not a number",
        "infinity typed as a figure",
        estimates("2023-10-09,tumen-onsong,inf,,,,TJWG,2023-12-07,,"),
    ),
    (
        "low_negative",
        "low_negative.csv",
        "estimates",
        "ValidationError",
        "low_negative.csv | row 2 | field 'low' | '-5' | negative",
        "negative low bound",
        estimates("2023-10-09,tumen-onsong,,-5,10,range,TJWG,2023-12-07,,"),
    ),
    (
        "low_above_high",
        "low_above_high.csv",
        "estimates",
        "ValidationError",
        "low_above_high.csv | row 2 | field 'low' | 400 | 300 | greater than high",
        "low bound above the high bound",
        estimates("2023-10-09,tumen-onsong,,400,300,range,TJWG,2023-12-07,,"),
    ),
    (
        "figure_above_high",
        "figure_above_high.csv",
        "estimates",
        "ValidationError",
        "figure_above_high.csv | row 2 | field 'figure' | 500 | 300 | above its high bound",
        "figure outside its own range",
        estimates("2023-10-09,tumen-onsong,500,100,300,,TJWG,2023-12-07,,"),
    ),
    (
        "all_figures_empty",
        "all_figures_empty.csv",
        "estimates",
        "ValidationError",
        "all_figures_empty.csv | row 2 | field 'figure' | all empty",
        "a row with no number at all",
        estimates("2023-10-09,tumen-onsong,,,,,TJWG,2023-12-07,,"),
    ),
    (
        "unknown_qualifier",
        "unknown_qualifier.csv",
        "estimates",
        "ValidationError",
        "unknown_qualifier.csv | row 2 | field 'qualifier' | 'roughly' | unknown qualifier | about, up to",
        "qualifier outside the vocabulary",
        estimates("2023-10-09,tumen-onsong,300,,,roughly,TJWG,2023-12-07,,"),
    ),
    (
        "event_date_unparseable",
        "event_date_unparseable.csv",
        "estimates",
        "ValidationError",
        "event_date_unparseable.csv | row 2 | field 'event_date' | '9th of October' | not a date | YYYY-MM-DD",
        "event date in words",
        estimates("9th of October,tumen-onsong,300,,,,TJWG,2023-12-07,,"),
    ),
    (
        "source_date_impossible",
        "source_date_impossible.csv",
        "estimates",
        "ValidationError",
        "source_date_impossible.csv | row 2 | field 'source_date' | '2023-13-45' | not a date",
        "month 13",
        estimates("2023-10-09,tumen-onsong,300,,,,TJWG,2023-13-45,,"),
    ),
    (
        "event_date_empty",
        "event_date_empty.csv",
        "estimates",
        "ValidationError",
        "event_date_empty.csv | row 2 | field 'event_date' | date is empty",
        "no event date",
        estimates(",tumen-onsong,300,,,,TJWG,2023-12-07,,"),
    ),
    (
        "source_empty",
        "source_empty.csv",
        "estimates",
        "ValidationError",
        "source_empty.csv | row 2 | field 'source' | needs its source",
        "figure without a source",
        estimates("2023-10-09,tumen-onsong,300,,,,,2023-12-07,,"),
    ),
    (
        "crossing_empty",
        "crossing_empty.csv",
        "estimates",
        "ValidationError",
        "crossing_empty.csv | row 2 | field 'crossing' | crossing is empty",
        "figure without a crossing",
        estimates("2023-10-09,,300,,,,TJWG,2023-12-07,,"),
    ),
    (
        "duplicate_source",
        "duplicate_source.csv",
        "estimates",
        "ValidationError",
        "duplicate_source.csv | row 3 | field 'source' | 'tjwg' | tumen-onsong | rows 2 and 3",
        "one source, one crossing, two figures (spelled Onsong and 온성)",
        estimates(
            "2023-10-09,Onsong,300,,,,TJWG,2023-12-07,,", "2023-10-09,온성,250,,,,tjwg,2023-12-07,,"
        ),
    ),
    (
        "unknown_crossing",
        "unknown_crossing.csv",
        "estimates",
        "CrossingNotFound",
        "unknown_crossing.csv | row 3 | field 'crossing' | 'Onsongg' | closest: Onsong",
        "a misspelt town",
        estimates(GOOD.strip(), "2023-10-09,Onsongg,300,,,,RFA,2023-10-16,,"),
    ),
    (
        "unknown_crossings_two",
        "unknown_crossings_two.csv",
        "estimates",
        "CrossingNotFound",
        "unknown_crossings_two.csv | field 'crossing' | 2 names match no crossing | row 2 'Pyongyang' | row 3 'Dandongg'",
        "two unknown names, both reported",
        estimates(
            "2023-10-09,Pyongyang,300,,,,TJWG,2023-12-07,,",
            "2023-10-09,Dandongg,180,,,,TJWG,2023-12-07,,",
        ),
    ),
    (
        "figure_decimal_comma",
        "figure_decimal_comma.csv",
        "estimates",
        "ValidationError",
        "figure_decimal_comma.csv | row 2 | field 'figure' | '3,00' | ambiguous number | digits only",
        "a European decimal comma: 3 or 300? (was read as 300)",
        estimates('2023-10-09,tumen-onsong,"3,00",,,,TJWG,2023-12-07,,'),
    ),
    (
        "figure_commas_everywhere",
        "figure_commas.csv",
        "estimates",
        "ValidationError",
        "figure_commas.csv | row 2 | field 'figure' | '1,2,0,0' | ambiguous number",
        "commas that group nothing (was read as 1200)",
        estimates('2023-10-09,tumen-onsong,"1,2,0,0",,,,TJWG,2023-12-07,,'),
    ),
    (
        "figure_dot_thousands",
        "figure_dot_thousands.csv",
        "estimates",
        "ValidationError",
        "figure_dot_thousands.csv | row 2 | field 'figure' | '1.200' | ambiguous number | '.'",
        "a German thousands point: 1200 or 1.2?",
        estimates("2023-10-09,tumen-onsong,1.200,,,,TJWG,2023-12-07,,"),
    ),
    (
        "qualifier_up_to_with_low",
        "qualifier_up_to_low.csv",
        "estimates",
        "ValidationError",
        "qualifier_up_to_low.csv | row 2 | field 'qualifier' | 'up to' | given: low | high",
        "'up to' with only a low bound (was drawn as 'over')",
        estimates("2023-10-09,tumen-onsong,,200,,up to,TJWG,2023-12-07,,"),
    ),
    (
        "qualifier_over_with_high",
        "qualifier_over_high.csv",
        "estimates",
        "ValidationError",
        "qualifier_over_high.csv | row 2 | field 'qualifier' | 'over' | given: high | low",
        "'over' with only a high bound (was drawn as 'up to')",
        estimates("2023-10-09,tumen-onsong,,,300,over,TJWG,2023-12-07,,"),
    ),
    (
        "qualifier_range_one_bound",
        "qualifier_range_one_bound.csv",
        "estimates",
        "ValidationError",
        "qualifier_range_one_bound.csv | row 2 | field 'qualifier' | 'range' | both low and high",
        "'range' with a figure and only a low bound",
        estimates("2023-10-09,tumen-onsong,300,200,,range,TJWG,2023-12-07,,"),
    ),
    (
        "qualifier_about_no_figure",
        "qualifier_about_bounds.csv",
        "estimates",
        "ValidationError",
        "qualifier_about_bounds.csv | row 2 | field 'qualifier' | 'about' | needs a figure",
        "'about' with bounds and no figure (was drawn as a range)",
        estimates("2023-10-09,tumen-onsong,,50,60,about,TJWG,2023-12-07,,"),
    ),
    (
        "source_date_year_only",
        "source_date_year.csv",
        "estimates",
        "ValidationError",
        "source_date_year.csv | row 2 | field 'source_date' | '2023' | a year or a month alone",
        "a year where a date goes (was shown as 1 January 2023)",
        estimates("2023-10-09,tumen-onsong,300,,,,TJWG,2023,,"),
    ),
    (
        "event_date_month_only",
        "event_date_month.csv",
        "estimates",
        "ValidationError",
        "event_date_month.csv | row 2 | field 'event_date' | '2023-10' | a year or a month alone",
        "a month where the event date goes",
        estimates("2023-10,tumen-onsong,300,,,,TJWG,2023-12-07,,"),
    ),
    (
        "source_invisible",
        "source_invisible.csv",
        "estimates",
        "ValidationError",
        "source_invisible.csv | row 2 | field 'source' | needs its source",
        "a source of zero-width spaces and a word joiner only: looks filled, shows nothing",
        estimates("2023-10-09,tumen-onsong,300,,,,\u200b\u200b\u2060,2023-12-07,,"),
    ),
    # --- estimates: table shape -----------------------------------------------------------
    (
        "missing_column",
        "missing_column.csv",
        "estimates",
        "ValidationError",
        "missing_column.csv | field 'figure' | column is missing | 'figures'",
        "a column misnamed",
        estimates(GOOD.strip(), header=HEADER.replace("figure,", "figures,")),
    ),
    (
        "header_only",
        "header_only.csv",
        "estimates",
        "ValidationError",
        "header_only.csv | no rows",
        "header without data",
        estimates(),
    ),
    (
        "empty_csv",
        "empty.csv",
        "estimates",
        "InputFileError",
        "empty.csv | file is empty",
        "zero bytes",
        b"",
    ),
    (
        "ragged_row",
        "ragged_row.csv",
        "estimates",
        "InputFileError",
        "ragged_row.csv | row 3 | 12 | 10",
        "a row with unquoted commas in the notes",
        estimates(GOOD.strip(), "2023-10-09,Dandong,180,,,,RFA,2023-10-16,,notes, with, commas"),
    ),
    (
        "unsupported_suffix",
        "estimates.json",
        "estimates",
        "InputFileError",
        "estimates.json | unsupported table type .json | .csv",
        "estimates as JSON",
        b'[{"crossing": "Onsong", "figure": 300}]',
    ),
    (
        "semicolon_csv_decimal_comma",
        "semicolon.csv",
        "estimates",
        "ValidationError",
        "semicolon.csv | row 3 | field 'figure' | '2,5' | ambiguous number",
        "European Excel: cells split by semicolons (read), a decimal comma in a cell",
        estimates(
            "2023-10-09;Onsong;300;;;;TJWG, Seoul;2023-12-07;;",
            "2023-10-09;Dandong;2,5;;;;TJWG;2023-12-07;;",
            header=HEADER.replace(",", ";"),
        ),
    ),
    (
        "duplicate_column",
        "duplicate_column.csv",
        "estimates",
        "ValidationError",
        "duplicate_column.csv | row 1 | field 'figure' | appears twice",
        "two columns named figure (pandas would quietly rename one figure.1)",
        b"event_date,crossing,figure,figure,source,source_date\n2023-10-09,Onsong,300,200,TJWG,2023-12-07\n",
    ),
    (
        "row_after_blank_lines",
        "row_after_blank_lines.csv",
        "estimates",
        "ValidationError",
        "row_after_blank_lines.csv | row 5 | field 'figure' | '-1' | negative",
        "blank lines before a bad row: the row number is still the spreadsheet's",
        estimates(GOOD.strip(), "", "", "2023-10-09,Dandong,-1,,,,RFA,2023-10-16,,"),
    ),
    (
        "figure_huge",
        "figure_huge.csv",
        "estimates",
        "ValidationError",
        "figure_huge.csv | row 2 | field 'figure' | '99999999999999999999999' | implausibly large",
        "a figure that would overflow a 64-bit integer",
        estimates("2023-10-09,Onsong,99999999999999999999999,,,,TJWG,2023-12-07,,"),
    ),
    (
        "quote_unclosed",
        "quote_unclosed.csv",
        "estimates",
        "InputFileError",
        "quote_unclosed.csv | row 2 | quoted cell is never closed",
        "an opening quote with no closing one",
        estimates('2023-10-09,Onsong,300,,,,"TJWG,2023-12-07,,'),
    ),
    (
        "only_blank_rows",
        "only_blank_rows.csv",
        "estimates",
        "ValidationError",
        "only_blank_rows.csv | no rows",
        "a header and Excel's empty rows of commas",
        estimates(",,,,,,,,,", ",,,,,,,,,"),
    ),
    (
        "duplicate_column_xlsx",
        "duplicate_column.xlsx",
        "estimates",
        "ValidationError",
        "duplicate_column.xlsx | row 1 | field 'figure' | appears twice",
        "a workbook with two figure columns",
        xlsx_bytes(
            ["event_date", "crossing", "figure", "figure", "source", "source_date"],
            ["2023-10-09", "Onsong", 300, 200, "TJWG", "2023-12-07"],
        ),
    ),
    (
        "na_text_xlsx",
        "na_text.xlsx",
        "estimates",
        "ValidationError",
        "na_text.xlsx | row 3 | field 'figure' | 'N/A' | not a number",
        "N/A typed in a workbook is text to report, not an empty cell",
        xlsx_bytes(
            HEADER.strip().split(","),
            ["2023-10-09", "Onsong", 300, None, None, None, "TJWG", "2023-12-07"],
            ["2023-10-09", "Dandong", "N/A", None, None, None, "RFA", "2023-10-16"],
        ),
    ),
    (
        "xlsx_error_cell",
        "error_cell.xlsx",
        "estimates",
        "ValidationError",
        "error_cell.xlsx | row 3 | field 'figure' | '#VALUE!' | cell C3 | 1 more cells",
        "Excel error values where figures go (were read as empty)",
        xlsx_bytes(
            HEADER.strip().split(","),
            ["2023-10-09", "Onsong", 300, None, None, None, "TJWG", "2023-12-07"],
            ["2023-10-09", "Dandong", "#VALUE!", None, None, None, "RFA", "2023-10-16"],
            ["2023-10-09", "Hyesan", "#DIV/0!", None, None, None, "RFA", "2023-10-16"],
        ),
    ),
    (
        "xlsx_huge_dimension",
        "huge_dimension.xlsx",
        "estimates",
        "InputFileError",
        "huge_dimension.xlsx | declares 1,048,576 rows × 16,384 columns | --max-cells",
        "a 6 KB workbook declaring every cell of the sheet (took over 10 GB)",
        xlsx_patched(b'<dimension ref="A1:J2" />', b'<dimension ref="A1:XFD1048576" />'),
    ),
    (
        "xlsx_broken_xml",
        "broken_xml.xlsx",
        "estimates",
        "InputFileError",
        "broken_xml.xlsx | workbook is damaged",
        "a workbook whose sheet XML is not well-formed (was a traceback)",
        xlsx_patched(b"</sheetData>", b"</sheetDat>"),
    ),
    (
        "header_cell_huge",
        "header_cell_huge.csv",
        "estimates",
        "InputFileError",
        "header_cell_huge.csv | a cell is longer than 131,072 characters",
        "a 200 KB header cell (was a csv traceback)",
        estimates(GOOD.strip(), header=HEADER.strip() + "n" * 200_000 + "\n"),
    ),
    # --- estimates: not what the extension says ------------------------------------------
    (
        "png_as_csv",
        "png_named.csv",
        "estimates",
        "InputFileError",
        "png_named.csv | PNG image | .csv",
        "a PNG named .csv",
        PNG,
    ),
    (
        "html_as_csv",
        "html_named.csv",
        "estimates",
        "InputFileError",
        "html_named.csv | HTML page | .csv",
        "an HTML page saved as .csv",
        HTML,
    ),
    (
        "pdf_as_csv",
        "pdf_named.csv",
        "estimates",
        "InputFileError",
        "pdf_named.csv | PDF document | .csv",
        "a PDF named .csv",
        PDF,
    ),
    (
        "xlsx_as_csv",
        "xlsx_named.csv",
        "estimates",
        "InputFileError",
        "xlsx_named.csv | ZIP archive | .xlsx",
        "an Excel workbook named .csv",
        xlsx_bytes(),
    ),
    (
        "csv_as_xlsx",
        "csv_named.xlsx",
        "estimates",
        "InputFileError",
        "csv_named.xlsx | text | .csv",
        "a CSV named .xlsx",
        estimates(GOOD.strip()),
    ),
    (
        "truncated_xlsx",
        "truncated.xlsx",
        "estimates",
        "InputFileError",
        "truncated.xlsx | damaged or truncated",
        "an Excel workbook cut in half",
        xlsx_bytes()[:2500],
    ),
    (
        "binary_as_csv",
        "binary.csv",
        "estimates",
        "InputFileError",
        "binary.csv | binary | .csv",
        "random bytes",
        bytes(range(256)) * 4,
    ),
    # --- estimates: encodings ------------------------------------------------------------
    (
        "cp949_csv",
        "cp949.csv",
        "estimates",
        "InputFileError",
        "cp949.csv | cp949 | Korean | encoding='cp949' | UTF-8",
        "Excel on Korean Windows: CSV in cp949",
        estimates(KO.strip()).decode().encode("cp949"),
    ),
    (
        "gb18030_csv",
        "gb18030.csv",
        "estimates",
        "InputFileError",
        "gb18030.csv | gb18030 | Chinese | encoding='gb18030' | UTF-8",
        "Excel on Chinese Windows: CSV in GB18030",
        estimates(ZH.strip()).decode().encode("gb18030"),
    ),
    (
        "cp1252_csv",
        "cp1252.csv",
        "estimates",
        "InputFileError",
        "cp1252.csv | row 2 | not UTF-8 | encoding=",
        "Western Windows code page (é in notes)",
        estimates("2023-10-09,tumen-onsong,300,,,,TJWG,2023-12-07,,Médecins témoins")
        .decode()
        .encode("cp1252"),
    ),
    # --- case records (--cases) ------------------------------------------------------------
    (
        "cases_latitude_95",
        "cases_lat_95.csv",
        "cli",
        "ValidationError",
        "cases_lat_95.csv | record 2 | field 'geometry' | 95.0 | out of range | ±90",
        "a case record at latitude 95 (was drawn at the top of the map)",
        b"lat,lon,kind\n42.9,129.7,arrest\n95,129.7,arrest\n",
        "--cases {file}",
    ),
    (
        "cases_longitude_1e300",
        "cases_lon_huge.csv",
        "cli",
        "ValidationError",
        "cases_lon_huge.csv | record 1 | field 'geometry' | 1e+300 | out of range",
        "a longitude of 1e300",
        b"lat,lon\n42.9,1e300\n",
        "--cases {file}",
    ),
    (
        "cases_in_metres",
        "cases_metres.csv",
        "cli",
        "ValidationError",
        "cases_metres.csv | record 1 | field 'geometry' | 500000.0 | looks projected",
        "UTM metres in lat/lon columns",
        b"lat,lon\n4750000,500000\n",
        "--cases {file}",
    ),
    (
        "cases_precision_text",
        "cases_precision_text.csv",
        "cli",
        "ValidationError",
        "cases_precision_text.csv | record 2 | field 'precision_m' | '15 km' | number of metres",
        "precision_m written with its unit (was a traceback)",
        b"lat,lon,precision_m\n42.9,129.7,100\n42.8,129.6,15 km\n",
        "--cases {file}",
    ),
    (
        "cases_precision_inf",
        "cases_precision_inf.csv",
        "cli",
        "ValidationError",
        "cases_precision_inf.csv | record 1 | field 'precision_m' | 'inf' | number of metres",
        "precision_m of inf (was a traceback)",
        b"lat,lon,precision_m\n42.9,129.7,inf\n",
        "--cases {file}",
    ),
    (
        "cases_precision_overflow",
        "cases_precision_tiny.csv",
        "cli",
        "ValidationError",
        "cases_precision_tiny.csv | record 1 | field 'precision_m' | 0.0001 | more steps",
        "0.1 mm over a 10° spread (overflowed: a record drawn 430 km away)",
        b"lat,lon,precision_m\n40.0,124.0,0.0001\n45.0,134.0,0.0001\n",
        "--cases {file}",
    ),
    (
        "cases_polygon",
        "cases_polygon.geojson",
        "cli",
        "ValidationError",
        "cases_polygon.geojson | record 1 ('a1') | field 'geometry' | 'Polygon' | one point",
        "a case record drawn as an area (was a traceback)",
        collection(
            feature([[[129.7, 42.9], [129.8, 42.9], [129.8, 43.0], [129.7, 42.9]]], "a1", "Polygon")
        ),
        "--cases {file}",
    ),
    (
        "cases_multipoint",
        "cases_multipoint.geojson",
        "cli",
        "ValidationError",
        "cases_multipoint.geojson | record 2 ('a2') | field 'geometry' | 'MultiPoint' | gdf.explode",
        "two places in one case record (was a traceback)",
        collection(
            feature([129.7, 42.9], "a1"),
            feature([[129.7, 42.9], [129.8, 43.0]], "a2", "MultiPoint"),
        ),
        "--cases {file}",
    ),
    # --- command line ---------------------------------------------------------------------
    (
        "cli_routes_unknown_facility",
        "routes_unknown_facility.csv",
        "cli",
        "ValidationError",
        "routes_unknown_facility.csv | row 2 | field 'to_facility' | 'sinuiju-msss' | closest ids: 'sinuiju-mss'",
        "--routes naming a facility that does not exist",
        ROUTES_HEADER + b"2023-10-09,dandong-sinuiju,,sinuiju-msss,reported,Daily NK,,,\n",
        "--routes {file}",
    ),
    (
        "cli_routes_unknown_status",
        "routes_unknown_status.csv",
        "cli",
        "ValidationError",
        "routes_unknown_status.csv | row 2 | field 'status' | 'sometimes' | reported",
        "--routes with a status outside the vocabulary",
        ROUTES_HEADER + b"2023-10-09,tumen-onsong,,onsong-mss,sometimes,Daily NK,,,\n",
        "--routes {file}",
    ),
    (
        "cli_routes_png",
        "png_named.csv",
        "cli",
        "InputFileError",
        "png_named.csv | PNG image | .csv",
        "--routes given a PNG named .csv",
        None,
        "--routes {file}",
    ),
    (
        "cli_event_not_a_date",
        "",
        "cli",
        "ValidationError",
        "field 'event' | '2023-13-45' | YYYY-MM-DD",
        "--event that is not a date",
        None,
        "--event 2023-13-45",
    ),
    (
        "cli_event_not_in_table",
        "",
        "cli",
        "ValidationError",
        "field 'event' | '2022-01-01' | no per-crossing estimates | 2023-10-09",
        "--event with no estimates",
        None,
        "--event 2022-01-01",
    ),
    (
        "cli_events_bad_date",
        "",
        "cli",
        "ValidationError",
        "field 'event' | 'someday' | not a date",
        "--events list with a non-date",
        None,
        "--events 2023-10-09,someday",
    ),
    (
        "cli_unknown_tiles",
        "",
        "cli",
        "ValidationError",
        "field 'tiles' | 'No.Such.Provider' | unknown tile provider",
        "--tiles unknown",
        None,
        "--tiles No.Such.Provider",
    ),
    (
        "cli_bad_lang",
        "",
        "cli",
        "ValidationError",
        "field 'lang' | 'xx' | unknown language",
        "--lang not a CLDR language",
        None,
        "--lang xx",
    ),
    (
        "cli_bad_rule",
        "",
        "cli",
        "UsageError",
        "--rule | 'biggest'",
        "--rule outside the choices",
        None,
        "--rule biggest",
    ),
    (
        "cli_unknown_option",
        "",
        "cli",
        "UsageError",
        "--colour",
        "an option that does not exist",
        None,
        "--colour red",
    ),
    (
        "cli_estimates_folder",
        "",
        "cli",
        "InputFileError",
        "is a folder",
        "--estimates names a folder",
        None,
        "--estimates {dir}",
    ),
    (
        "cli_output_folder_missing",
        "",
        "cli",
        "ExportError",
        "folder does not exist",
        "-o into a folder that does not exist",
        None,
        "-o {dir}/no/map.html",
    ),
    (
        "cli_output_is_folder",
        "",
        "cli",
        "ExportError",
        "is a folder",
        "-o names a folder",
        None,
        "-o {dir}",
    ),
]

# --- trust, round three (#22): text, numbers and dates in files ------------------------------
CASES += [
    (
        "event_date_year_0",
        "event_date_year_0.csv",
        "estimates",
        "ValidationError",
        "event_date_year_0.csv | row 2 | field 'event_date' | '0000-01-01' | outside 1900-01-01 to 2100-12-31",
        "year 0 (pandas cannot hold it: a traceback before)",
        estimates("0000-01-01,tumen-onsong,300,,,,TJWG,2023-12-07,,"),
    ),
    (
        "event_date_1600",
        "event_date_1600.csv",
        "estimates",
        "ValidationError",
        "event_date_1600.csv | row 2 | field 'event_date' | '1600-01-01' | outside 1900-01-01",
        "a date before pandas' 1677 (a traceback before)",
        estimates("1600-01-01,tumen-onsong,300,,,,TJWG,2023-12-07,,"),
    ),
    (
        "source_date_2300",
        "source_date_2300.csv",
        "estimates",
        "ValidationError",
        "source_date_2300.csv | row 2 | field 'source_date' | '2300-01-01' | outside",
        "a date after pandas' 2262 (a traceback before)",
        estimates("2023-10-09,tumen-onsong,300,,,,TJWG,2300-01-01,,"),
    ),
    (
        "source_bel",
        "source_bel.csv",
        "estimates",
        "ValidationError",
        "source_bel.csv | row 2 | field 'source' | U+0007 | control character",
        "a BEL inside a source (a NUL makes the CSV binary: refused as such)",
        estimates("2023-10-09,tumen-onsong,300,,,,TJ\x07WG,2023-12-07,,"),
    ),
    (
        "source_escape",
        "source_escape.csv",
        "estimates",
        "ValidationError",
        "source_escape.csv | row 2 | field 'source' | U+001B",
        "a terminal escape inside a source",
        estimates("2023-10-09,tumen-onsong,300,,,,TJ\x1b[31mWG,2023-12-07,,"),
    ),
    (
        "crossing_label_c1",
        "crossing_label_c1.geojson",
        "crossings",
        "ValidationError",
        "crossing_label_c1.geojson | feature 1 ('tumen-onsong') | field 'label_en' | U+009B",
        "a C1 control (CSI) in a crossing's label",
        collection(feature([129.7, 42.96], label_en="Tumen\x9b2JOnsong")),
    ),
    (
        "facility_precision_km",
        "facility_precision_km.csv",
        "facilities",
        "ValidationError",
        "facility_precision_km.csv | feature 1 ('f1') | field 'precision_m' | '15 km' | positive number of metres",
        "'15 km' as a facility's precision (a traceback before)",
        b"id,name_en,lat,lon,precision,precision_m\nf1,Sinuiju,40.1,124.4,city,15 km\n",
    ),
    (
        "facility_precision_inf",
        "facility_precision_inf.geojson",
        "facilities",
        "ValidationError",
        "facility_precision_inf.geojson | feature 1 ('f1') | field 'precision_m' | at most 100,000",
        "1.7e308 m as a facility's precision (stray lines across the image before)",
        collection(feature([124.4, 40.1], "f1", precision="city", precision_m=1.7e308)),
    ),
    (
        "crossing_precision_zero",
        "crossing_precision_zero.geojson",
        "crossings",
        "ValidationError",
        "crossing_precision_zero.geojson | feature 1 ('tumen-onsong') | field 'precision_m' | positive",
        "a crossing placed to 0 m",
        collection(feature([129.7, 42.96], precision="approximate", precision_m=0)),
    ),
]

# --- trust, round three (#22): archives, encodings, layers, coordinates ----------------------
CASES += [
    (
        "zip_shapefile_no_shx",
        "no_shx.zip",
        "crossings",
        "InputFileError",
        "no_shx.zip | zipped Shapefile has no crossings.shx | .shp, .shx and .dbf together",
        "a zipped Shapefile without its .shx (was an IndexError traceback)",
        zipped(shapefile("crossings", drop=(".shx",))),
    ),
    (
        "zip_shapefile_no_dbf",
        "no_dbf.zip",
        "crossings",
        "InputFileError",
        "no_dbf.zip | zipped Shapefile has no crossings.dbf",
        "a zipped Shapefile without its .dbf (was 'give every feature the property id')",
        zipped(shapefile("crossings", drop=(".dbf",))),
    ),
    (
        "shapefile_no_shx",
        "no_shx.shp",
        "crossings",
        "InputFileError",
        "no_shx.shp | Shapefile has no no_shx.shx",
        "a Shapefile whose .shx was not copied with it",
        shapefile("no_shx", drop=(".shx",)),
    ),
    (
        "shapefile_cp949_no_cpg",
        "cp949_no_cpg.shp",
        "crossings",
        "InputFileError",
        "cp949_no_cpg.shp | text is cp949 | not UTF-8 | --encoding cp949",
        "Korean attributes in cp949 and no .cpg (were read as ISO-8859-1: mojibake on the map)",
        shapefile("cp949_no_cpg", encoding="cp949", cpg=""),
    ),
    (
        "shapefile_cpg_lies",
        "cpg_lies.shp",
        "crossings",
        "InputFileError",
        "cpg_lies.shp | text is cp949 | not UTF-8 as its .cpg says | encoding='cp949'",
        "a .cpg that says UTF-8 over cp949 bytes",
        shapefile("cpg_lies", encoding="cp949", cpg="UTF-8"),
    ),
    (
        "shapefile_cpg_1252_over_cp949",
        "cpg_1252.shp",
        "crossings",
        "InputFileError",
        "cpg_1252.shp | text is cp949 | not cp1252 as its .cpg says",
        "a .cpg that says Western Windows over Korean bytes (they decode: as mojibake)",
        shapefile("cpg_1252", encoding="cp949", cpg="ANSI 1252"),
    ),
    (
        "zip_shapefile_cp949_no_cpg",
        "cp949_shapefile.zip",
        "crossings",
        "InputFileError",
        "cp949_shapefile.zip | text is cp949 | --encoding cp949",
        "the same, zipped (--encoding was ignored for a zip)",
        zipped(shapefile("crossings", encoding="cp949", cpg="")),
    ),
    (
        "kml_cp949_declared_utf8",
        "cp949_declared_utf8.kml",
        "crossings",
        "InputFileError",
        "cp949_declared_utf8.kml | text is cp949 | as its XML declaration says | --encoding cp949",
        "KML saved in cp949 under a UTF-8 declaration (was 'damaged or truncated')",
        kml(placemark(P, "온성", 129.7, 42.96), encoding="cp949"),
    ),
    (
        "geojson_gb18030",
        "gb18030.geojson",
        "crossings",
        "InputFileError",
        "gb18030.geojson | text is gb18030 | --encoding gb18030 | GeoJSON (UTF-8)",
        "GeoJSON saved in GB18030",
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [feature([124.39, 40.11], "dandong-sinuiju", label_zh="丹东口岸遣返")],
            },
            ensure_ascii=False,
        ).encode("gb18030"),
    ),
    (
        "gpkg_two_layers",
        "two_layers.gpkg",
        "crossings",
        "ValidationError",
        "two_layers.gpkg | field 'layer' | 2 layers ('crossings', 'draft') | layer='crossings' | --crossings-layer",
        "a GeoPackage holding the layer and a draft 1° off (the first was drawn, with a warning)",
        gpkg({"crossings": _points(), "draft": _points(coords=((130.7, 43.96),))}),
    ),
    (
        "kml_two_folders",
        "two_folders.kml",
        "crossings",
        "ValidationError",
        "two_folders.kml | field 'layer' | 2 layers ('Crossings', 'Draft')",
        "a KML with two folders (GDAL reads each as a layer)",
        kml(
            "<Folder><name>Crossings</name>"
            + placemark(P, "Onsong", 129.7, 42.96)
            + "</Folder><Folder><name>Draft</name>"
            + placemark(P, "Onsong", 130.7, 43.96)
            + "</Folder>"
        ),
    ),
    (
        "facilities_two_layers",
        "facilities_two_layers.gpkg",
        "facilities",
        "ValidationError",
        "facilities_two_layers.gpkg | field 'layer' | 2 layers ('sites', 'cities')",
        "facilities as two layers of one GeoPackage",
        gpkg(
            {
                "sites": _points(ids=("f1",), coords=((124.4, 40.1),)),
                "cities": _points(ids=("f2",), coords=((124.5, 40.2),)),
            }
        ),
    ),
    (
        "cases_two_layers",
        "cases_two_layers.gpkg",
        "cases",
        "ValidationError",
        "cases_two_layers.gpkg | field 'layer' | 2 layers ('2022', '2023') | --cases-layer",
        "case records as a layer per year",
        gpkg(
            {
                "2022": _points(ids=("a1",), coords=((129.9, 42.9),)),
                "2023": _points(ids=("a2",), coords=((129.8, 42.8),)),
            }
        ),
    ),
    (
        "crs_mars_gpkg",
        "crs_mars.gpkg",
        "crossings",
        "ValidationError",
        "crs_mars.gpkg | field 'crs' | not on Earth (Mars) | WGS84 | Mars (2015)",
        "a GeoPackage in a CRS of Mars (was a pyproj traceback)",
        gpkg({"crossings": _points(crs=MARS)}),
    ),
    (
        "crs_mars_geojson",
        "crs_mars.geojson",
        "crossings",
        "ValidationError",
        "crs_mars.geojson | field 'crs' | not on Earth (Mars)",
        "a GeoJSON crs member naming a CRS of Mars",
        collection(feature([129.7, 42.96]), crs={"type": "name", "properties": {"name": MARS}}),
    ),
    (
        "crs_local_grid",
        "crs_local_grid.gpkg",
        "facilities",
        "ValidationError",
        "crs_local_grid.gpkg | field 'crs' | local (engineering) | 'site grid'",
        "facilities in a site's own grid, tied to no place on Earth (was a pyproj traceback)",
        gpkg({"sites": _points(ids=("f1",), coords=((120.0, 340.0),), crs=LOCAL_GRID)}),
    ),
    (
        "cases_crs_mars",
        "cases_mars.gpkg",
        "cases",
        "ValidationError",
        "cases_mars.gpkg | field 'crs' | not on Earth (Mars)",
        "case records in a CRS of Mars",
        gpkg({"records": _points(ids=("a1",), coords=((129.9, 42.9),), crs=MARS)}),
    ),
    (
        "zip_geojson_unknown_crs",
        "crs_unknown_geojson.zip",
        "crossings",
        "InputFileError",
        "crs_unknown_geojson.zip, member 'crossings.geojson' | no part of zipped Shapefile | unzip it",
        "a zipped GeoJSON whose crs GDAL does not know (was read silently as WGS84)",
        zipped(
            {
                "crossings.geojson": collection(
                    feature([129.7, 42.96]),
                    crs={"type": "name", "properties": {"name": "EPSG:99999"}},
                )
            }
        ),
    ),
    (
        "topojson_in_metres",
        "metres.topojson",
        "crossings",
        "ValidationError",
        "metres.topojson | field 'crs' | not degrees | crs='EPSG:…' | --crs",
        "TopoJSON in metres: the hint names the command line's --crs too",
        json.dumps(
            {
                "type": "Topology",
                "objects": {
                    "crossings": {
                        "type": "GeometryCollection",
                        "geometries": [
                            {
                                "type": "Point",
                                "coordinates": [500000, 4750000],
                                "properties": {"id": P},
                            }
                        ],
                    }
                },
                "arcs": [],
            }
        ).encode(),
    ),
    (
        "antimeridian",
        "chukotka.geojson",
        "cli",
        "ValidationError",
        "field 'geometry' | both sides of the antimeridian | 'dandong-sinuiju' at longitude 179.5 | 'tumen-onsong' at -179.5",
        "two crossings either side of 180° (was a 348°-wide view and a GEOS exception in the PNG)",
        collection(feature([-179.5, 66.1]), feature([179.5, 65.9], "dandong-sinuiju")),
        "--crossings {file} --png {dir}/map.png",
    ),
    (
        "shapefile_prj_unreadable",
        "bad_prj.shp",
        "crossings",
        "InputFileError",
        "bad_prj.shp | no readable layer | CONVERSION | remove its .prj | --crs",
        "a .prj GDAL cannot read",
        {**shapefile("bad_prj"), "bad_prj.prj": b'PROJCS["nonsense",FOO]'},
    ),
    (
        "zip_shapefile_prj_unreadable",
        "bad_prj.zip",
        "crossings",
        "InputFileError",
        "bad_prj.zip | no readable layer | CONVERSION | remove its .prj | --crs",
        "the same .prj, zipped: the same error",
        zipped({**shapefile("crossings"), "crossings.prj": b'PROJCS["nonsense",FOO]'}),
    ),
    (
        "cli_crossings_layer_without_file",
        "",
        "cli",
        "BordermapError",
        "field '--crossings-layer' | no --crossings file",
        "--crossings-layer with the bundled crossings",
        None,
        "--crossings-layer draft",
    ),
    (
        "cli_crossings_layer_unknown",
        "two_layers.gpkg",
        "cli",
        "ValidationError",
        "two_layers.gpkg | field 'layer' | 'drafts' | the layers are: crossings, draft",
        "--crossings-layer naming no layer of the file",
        None,
        "--crossings {file} --crossings-layer drafts",
    ),
]


def main() -> None:
    with open(HERE / "cases.csv", "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(["case", "file", "kind", "error", "must_contain", "description", "args"])
        for case, name, kind, error, needles, description, content, *args in CASES:
            if isinstance(content, dict):
                for part, data in content.items():
                    (HERE / part).write_bytes(data)
            elif content is not None:
                (HERE / name).write_bytes(content)
            out.writerow([case, name, kind, error, needles, description, args[0] if args else ""])


if __name__ == "__main__":
    main()
