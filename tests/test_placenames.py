"""Which places a map names: every country of the shown area at the heart of its part of it,
the capital and the largest towns spaced for the scale, towns at every scale, and no suburb
or nearby symbol taking a city's label."""

from __future__ import annotations

import math

import pytest
from shapely.geometry import Point

import bordermap
from bordermap.basemap import world_basemap
from bordermap.describe.panels import near_nothing
from bordermap.placenames import TOWN_SPACING, label_rank_for, label_view
from bordermap.spec import Label, Symbol
from tests.conftest import ROOT

DATA = ROOT / "tests/data/context"


def _map(name: str, facilities: str | None = None):
    crossings = bordermap.load_crossings(DATA / f"{name}_crossings.csv")
    joined = bordermap.join_estimates(crossings, DATA / f"{name}_estimates.csv")
    places = bordermap.load_facilities(DATA / facilities) if facilities else None
    return bordermap.crossing_map(joined, places, tiles=None, routes=False)


@pytest.fixture(scope="module")
def ru_ua():
    return _map("ru_ua")


@pytest.fixture(scope="module")
def th_mm():
    return _map("th_mm", "th_facilities.geojson")


def _context(m) -> dict[str, Label]:
    return {label.text: label for label in m.spec.labels if label.role == "context"}


def _land(bounds, iso):
    land = world_basemap(bounds, margin=1.0).features
    return land.loc[(land["kind"] == "land") & (land["country"] == iso)].geometry.iloc[0]


@pytest.mark.parametrize(
    ("name", "countries"),
    [
        ("ru_ua", {"RU": "Russia", "UA": "Ukraine"}),
        ("th_mm", {"TH": "Thailand", "MM": "Myanmar (Burma)", "LA": "Laos", "KH": "Cambodia"}),
    ],
)
def test_every_country_in_the_shown_area_is_named_on_its_own_land(name, countries, request):
    """Not only the countries of the data's box: Ukraine beside a crossing in Russia, Laos and
    Cambodia beside the Thailand–Myanmar border; each name stands on its country."""
    m = request.getfixturevalue(name)
    named = _context(m)
    (south, west), (north, east) = m.spec.bounds
    for iso, text in countries.items():
        assert text in named, f"{text} unnamed"
        label = named[text]
        point = Point(label.lon, label.lat)
        assert _land((west, south, east, north), iso).contains(point), f"{text} off its land"
        view = label_view((west, south, east, north), (-180, -90, 180, 90))
        assert view[0] < label.lon < view[2] and view[1] < label.lat < view[3]


def test_country_names_follow_the_maps_language():
    m = bordermap.crossing_map(
        bordermap.join_estimates(
            bordermap.load_crossings(DATA / "ru_ua_crossings.csv"), DATA / "ru_ua_estimates.csv"
        ),
        tiles=None,
        lang="ko",
    )
    assert {"러시아", "우크라이나"} <= set(_context(m))


def test_a_suburb_or_a_facility_never_takes_the_citys_label(th_mm):
    """Bangkok stays named beside a detention centre in it; Pak Kret, a suburb 18 km away,
    is not named at this scale (it would read as the facility's place)."""
    named = _context(th_mm)
    assert "Bangkok" in named and "Pak Kret" not in named
    assert named["Bangkok"].priority == 3  # the capital, before other towns


def test_capitals_and_the_largest_towns_come_first_spaced_for_the_scale(th_mm):
    view = world_basemap((97.0, 13.0, 101.0, 21.0))
    towns = view.labels[view.labels["kind"] == "town"]
    assert {"Bangkok", "Nay Pyi Taw", "Chiang Mai"} <= set(towns["name_en"])
    west, south, east, north = label_view((97.0, 13.0, 101.0, 21.0), view.bounds)
    shrink = math.cos(math.radians((south + north) / 2))
    spacing = TOWN_SPACING * max((east - west) * shrink, north - south)
    points = list(zip(towns["lon"], towns["lat"], strict=True))
    for i, (lon, lat) in enumerate(points):
        for lon2, lat2 in points[i + 1 :]:
            assert math.hypot((lon - lon2) * shrink, lat - lat2) >= spacing


@pytest.mark.parametrize(
    ("bounds", "town"),
    [
        ((35.75, 50.50, 35.85, 50.60), "Golovchino"),  # 10 km by the Russia–Ukraine border
        ((98.52, 16.66, 98.62, 16.76), "Mae Sot"),  # 10 km at the First Friendship Bridge
    ],
)
def test_a_view_of_a_few_kilometres_names_its_towns(bounds, town):
    """Places of 5,000 people or more, named in a 5-10 km view (none of 50,000 is there)."""
    assert label_rank_for(bounds) == 5
    view = world_basemap(bounds)
    assert town in set(view.labels.loc[view.labels["kind"] == "town", "name_en"])


def test_a_town_is_dropped_only_beside_a_symbol_named_after_it():
    def symbol(tooltip, lat, lon, kind="crossing"):
        return Symbol(tooltip, "l", lat, lon, None, (), tooltip, None, kind=kind)

    def town(name, lat, lon):
        return Label(name, f"town:{name}", lat, lon, "context", 5, "center")

    symbols = [
        symbol("Dandong → Sinuiju: 180", 40.11, 124.39),
        symbol("Immigration Detention Centre, Suan Phlu", 13.715, 100.535, "facility"),
    ]
    kept = near_nothing([town("Dandong", 40.12, 124.38), town("Bangkok", 13.75, 100.5)], symbols)
    assert [label.text for label in kept] == ["Bangkok"]
