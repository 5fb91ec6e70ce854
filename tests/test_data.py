"""The bundled data: five sourced crossings in lon/lat order, sourced facilities and figures."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from pyproj import Geod

from bordermap.inputs import bundled_path
from bordermap.model.validate import ESTIMATE_COLUMNS

GEOD = Geod(ellps="WGS84")
CROSSINGS = json.loads(bundled_path("crossings.geojson").read_text(encoding="utf-8"))
FACILITIES = json.loads(bundled_path("facilities.geojson").read_text(encoding="utf-8"))
EXPECTED = {
    "dandong-sinuiju",
    "changbai-hyesan",
    "helong-musan",
    "tumen-onsong",
    "hunchun-kyongwon",
}


def _km(lon1, lat1, lon2, lat2) -> float:
    return GEOD.inv(lon1, lat1, lon2, lat2)[2] / 1000


def test_five_crossings_with_stable_ids():
    assert {f["properties"]["id"] for f in CROSSINGS["features"]} == EXPECTED


@pytest.mark.parametrize("feature", CROSSINGS["features"], ids=lambda f: f["properties"]["id"])
def test_crossing_is_a_sourced_point_in_lon_lat_order(feature):
    lon, lat = feature["geometry"]["coordinates"]
    assert feature["geometry"]["type"] == "Point"
    assert 120 < lon < 131 and 39 < lat < 44, "GeoJSON order is lon, lat"
    props = feature["properties"]
    assert props["coord_source"] and props["precision"] in {"site", "approximate"}
    for side in ("cn_pinyin", "cn_hanzi", "cn_province", "kp_mr", "kp_rr", "kp_hangul", "kp_hanja"):
        assert props[side], side
    assert props["label_en"].endswith(f"→ {props['kp_en']}")


@pytest.mark.parametrize("feature", CROSSINGS["features"], ids=lambda f: f["properties"]["id"])
def test_crossing_lies_near_both_towns_it_links(feature):
    lon, lat = feature["geometry"]["coordinates"]
    p = feature["properties"]
    # The Hunchun bridge lies 14 km from Hunchun city (its town coordinate); all others < 5 km.
    limit = 15 if p["id"] == "hunchun-kyongwon" else 5
    assert _km(lon, lat, p["cn_town_lon"], p["cn_town_lat"]) < limit
    assert _km(lon, lat, p["kp_town_lon"], p["kp_town_lat"]) < limit


@pytest.mark.parametrize("feature", FACILITIES["features"], ids=lambda f: f["properties"]["id"])
def test_facility_is_sourced_and_says_its_precision(feature):
    p = feature["properties"]
    assert p["country"] in {"CN", "KP"}
    assert p["precision"] in {"site", "city"}
    assert p["source"] and p["coord_source"]
    lon, lat = feature["geometry"]["coordinates"]
    assert 120 < lon < 131 and 39 < lat < 45


def _sources(feature) -> list[str]:
    return [v for k, v in feature["properties"].items() if k.endswith("source")]


@pytest.mark.parametrize(
    "feature",
    CROSSINGS["features"] + FACILITIES["features"],
    ids=lambda f: f["properties"]["id"],
)
def test_every_coordinate_is_checked_or_says_it_is_not(feature):
    """FACTS.md marks unchecked knowledge [K]: none may ship; an unsourced point says so."""
    for text in _sources(feature):
        assert "[K" not in text, text
    p = feature["properties"]
    says_unverified = any("unverified" in text for text in _sources(feature))
    if p["id"] != "tumen-onsong":  # its Korean town is the one point placed without a source
        assert p["verified"] is not says_unverified, p["coord_source"]


def test_event_rows_are_sourced_and_dated():
    table = pd.read_csv(bundled_path("events/2023-10-09.csv"), dtype=str, keep_default_na=False)
    assert tuple(table.columns) == ESTIMATE_COLUMNS
    assert (table["source"] != "").all() and (table["source_date"] != "").all()
    assert set(table["figure"]) == {"300", "180", "200", "60"}


def test_no_figure_is_invented_for_the_three_unreported_crossings():
    table = pd.read_csv(bundled_path("events/2023-10-09.csv"), dtype=str)
    named = " ".join(table["crossing"]).lower()
    for town in ("changbai", "hyesan", "helong", "musan", "hunchun", "kyongwon"):
        assert town not in named
