"""Loading crossings and facilities from the bundled data and from users' files in any CRS."""

from __future__ import annotations

import pyogrio
import pytest

import bordermap
from bordermap import InputFileError, ValidationError


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
