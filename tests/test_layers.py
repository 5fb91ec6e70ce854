"""Loading crossings and facilities from the bundled data and from users' files in any CRS."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from shapely.geometry import LineString, MultiPoint

import bordermap
from bordermap import InputFileError, ValidationError

from .conftest import DATA


@pytest.fixture(scope="module")
def bundled():
    return bordermap.load_crossings()


def test_bundled_crossings_are_wgs84_points(bundled):
    assert bundled.crs.to_epsg() == 4326
    assert len(bundled) == 5 and set(bundled.geom_type) == {"Point"}
    tumen = bundled.set_index("id").loc["tumen-onsong"].geometry
    assert (round(tumen.x, 4), round(tumen.y, 4)) == (129.8502, 42.9548)


def test_bundled_facilities_have_both_countries():
    facilities = bordermap.load_facilities()
    assert set(facilities["country"]) == {"CN", "KP"}
    assert set(facilities["precision"]) == {"site", "city"}


@pytest.mark.parametrize(
    ("suffix", "driver", "crs"),
    [
        (".gpkg", "GPKG", "EPSG:3857"),
        (".gpkg", "GPKG", "EPSG:32652"),
        (".shp", "ESRI Shapefile", "EPSG:4490"),
        (".geojson", "GeoJSON", "EPSG:4326"),
        (".kml", "KML", "EPSG:4326"),
        (".fgb", "FlatGeobuf", "EPSG:3857"),
    ],
)
def test_user_files_in_any_crs_come_back_in_wgs84(bundled, tmp_path, suffix, driver, crs):
    path = tmp_path / f"crossings{suffix}"
    written = bundled[["id", "label_en", "geometry"]].to_crs(crs)
    pyogrio.write_dataframe(written, path, driver=driver)
    loaded = bordermap.load_crossings(path)
    assert loaded.crs.to_epsg() == 4326
    assert len(loaded) == 5
    original = bundled.set_index("id").geometry
    for ident, geom in zip(loaded["id"], loaded.geometry, strict=True):
        assert geom.distance(original[ident]) < 1e-6


def test_csv_with_lat_lon_columns(tmp_path):
    path = tmp_path / "sites.csv"
    path.write_text("id,name_en,latitude,longitude\na,Somewhere,42.95,129.85\n", encoding="utf-8")
    loaded = bordermap.load_facilities(path)
    assert (loaded.geometry.x[0], loaded.geometry.y[0]) == (129.85, 42.95)
    assert loaded.crs.to_epsg() == 4326


@pytest.mark.filterwarnings("ignore:'crs' was not provided:UserWarning")  # the point of the test
def test_file_without_crs_needs_one(tmp_path, bundled):
    path = tmp_path / "nocrs.gpkg"
    pyogrio.write_dataframe(bundled[["id", "geometry"]].set_crs(None, allow_override=True), path)
    with pytest.raises(ValidationError, match="declares no coordinate reference system"):
        bordermap.load_crossings(path)
    assert len(bordermap.load_crossings(path, crs="EPSG:4326")) == 5


def test_missing_file_names_itself(tmp_path):
    with pytest.raises(InputFileError, match=r"nowhere\.geojson: file not found"):
        bordermap.load_crossings(tmp_path / "nowhere.geojson")


def test_kml_placemarks_with_names_only(tmp_path):
    path = tmp_path / "field.kml"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2">'
        "<Document><Placemark id='p1'><name>Onsong bridge</name>"
        "<Point><coordinates>129.8502,42.9548</coordinates></Point></Placemark>"
        "</Document></kml>",
        encoding="utf-8",
    )
    loaded = bordermap.load_facilities(path)
    assert loaded["id"].tolist() == ["p1"] and loaded["name"].tolist() == ["Onsong bridge"]
    assert "altitudeMode" not in loaded.columns


# --- Frames in memory take the path a file does ------------------------------------------


def _moved(bundled, crs, geometry_name="geometry"):
    frame = bundled[["id", "label_en", "geometry"]].to_crs(crs)
    return frame.rename_geometry(geometry_name) if geometry_name != "geometry" else frame


@pytest.mark.parametrize(
    ("make", "options"),
    [
        (lambda b: _moved(b, "EPSG:3857"), {}),
        (lambda b: _moved(b, "EPSG:32652"), {}),  # UTM 52N
        (lambda b: _moved(b, "EPSG:4490"), {}),  # CGCS2000
        (lambda b: _moved(b, "EPSG:3857", "location"), {}),
        (lambda b: _moved(b, "EPSG:3857").set_crs(None, allow_override=True), {"crs": "EPSG:3857"}),
        (lambda b: _moved(b, "EPSG:4326").set_crs(None, allow_override=True), {}),  # degrees
        (
            lambda b: pd.DataFrame({"id": b["id"], "lat": b.geometry.y, "lon": b.geometry.x}),
            {},
        ),
        (
            lambda b: pd.DataFrame(
                {"id": b["id"], "Latitude": b.geometry.y.astype(str), "Longitude": b.geometry.x}
            ),
            {},
        ),
        (
            lambda b: _moved(b, "EPSG:3857").assign(geometry=lambda f: f.buffer(500)),
            {"representative_point": True},
        ),
    ],
    ids=[
        "3857",
        "utm52n",
        "cgcs2000",
        "geometry-named-location",
        "no-crs-given-crs",
        "no-crs-degrees",
        "dataframe-lat-lon",
        "dataframe-latitude-longitude",
        "polygons-representative-point",
    ],
)
def test_frames_in_memory_land_in_the_right_place(bundled, make, options):
    loaded = bordermap.load_crossings(make(bundled), **options)
    assert loaded.crs.to_epsg() == 4326 and loaded.geometry.name == "geometry"
    original = bundled.set_index("id").geometry
    for ident, geom in zip(loaded["id"], loaded.geometry, strict=True):
        assert geom.geom_type == "Point"
        assert geom.distance(original[str(ident)]) < 0.01  # a 500 m buffer's point: < 0.01°


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda b: _moved(b, "EPSG:3857").set_crs(None, allow_override=True),
            r"<GeoDataFrame>, field 'crs': the GeoDataFrame has no coordinate reference system "
            r"and its coordinates are not degrees \(x 1\.38\d*e\+07.*set the CRS",
        ),
        (
            lambda b: b.assign(geometry=MultiPoint([(124.4, 40.1), (124.5, 40.2)])),
            r"feature 1 \('dandong-sinuiju'\), field 'geometry': crossing must be a Point "
            r"\(got 'MultiPoint'\).*representative_point=True",
        ),
        (
            lambda b: b.assign(geometry=LineString([(124.4, 40.1), (124.5, 40.2)])),
            r"must be a Point \(got 'LineString'\)",
        ),
        (
            lambda b: pd.DataFrame({"id": ["a"], "lat": ["forty"], "lon": [124.0]}),
            r"<DataFrame>, row 2, field 'lat': coordinate is not a number \(got 'forty'\)",
        ),
        (
            lambda b: pd.DataFrame({"id": ["a"], "northing": [40.0], "easting": [124.0]}),
            r"<DataFrame>, field 'lat'.*no latitude/longitude columns",
        ),
        (
            lambda b: pd.DataFrame({"id": ["a", "a"], "lat": [40, 41], "lon": [124, 125]}),
            r"crossing id is used twice",
        ),
        (
            lambda b: pd.DataFrame({"id": ["a"], "lat": [140.0], "lon": [24.0]}),
            r"coordinate out of range",
        ),
        (
            lambda b: gpd.GeoDataFrame(
                {"id": b["id"], "geometry": "a note", "location": b.geometry.array},
                geometry="location",
                crs="EPSG:4326",
            ),
            r"geometry is in column 'location', and another column is called 'geometry'",
        ),
    ],
    ids=[
        "3857-without-crs",
        "multipoint",
        "linestring",
        "lat-not-a-number",
        "no-lat-lon-columns",
        "duplicate-id",
        "lat-out-of-range",
        "two-geometry-columns",
    ],
)
def test_bad_frames_get_the_errors_files_get(bundled, make, message):
    frame = make(bundled)
    frame.attrs.pop("source_file", None)  # a frame made in memory has no file name
    with pytest.raises(ValidationError, match=message):
        bordermap.load_crossings(frame)


def test_frames_are_validated_by_join_estimates_and_crossing_map(bundled):
    frame = _moved(bundled, "EPSG:3857", "location")
    frame.attrs = {}
    joined = bordermap.join_estimates(frame, bordermap.inputs.bundled_path("events/2023-10-09.csv"))
    assert joined.crs.to_epsg() == 4326
    assert int(joined.set_index("id").loc["tumen-onsong", "figure"]) == 300
    table = pd.DataFrame(
        {"id": bundled["id"], "lat": bundled.geometry.y, "lon": bundled.geometry.x}
    )
    html = bordermap.crossing_map(table, tiles=None).get_root().render()
    assert '"lat": 42.9548' in html.replace("42.954800", "42.9548")
    assert "3834695" not in html and "4882" not in html  # no metres written as degrees


def test_a_my_maps_export_without_ids_gets_ids_from_its_names_and_says_so():
    """Names in any script keep their script; repeated names get -2; a warning names them."""
    with pytest.warns(bordermap.BordermapWarning, match="ids made from their names"):
        crossings = bordermap.load_crossings(DATA / "mymaps_names.kml")
    assert crossings["id"].tolist() == ["แม่สอด", "mae-sai", "mae-sai-2"]
    assert crossings["name"].tolist() == ["แม่สอด", "Mae Sai", "Mae Sai"]
