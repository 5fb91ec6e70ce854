"""Which places a map names: every country of the shown area at the heart of its part of it,
the capital and the largest towns spaced for the scale, towns at every scale, and no suburb
or nearby symbol taking a city's label."""

from __future__ import annotations

import importlib.util
import io
import math

import pandas as pd
import pytest
from shapely.geometry import Point

import bordermap
from bordermap.basemap import world_basemap
from bordermap.context import context_labels
from bordermap.describe.panels import near_nothing
from bordermap.inputs import bundled_path
from bordermap.placenames import (
    TOWN_NAMES_FILE,
    TOWN_SPACING,
    label_rank_for,
    label_view,
    town_names,
)
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
        ("th_mm", {"TH": "Thailand", "MM": "Myanmar", "LA": "Laos", "KH": "Cambodia"}),
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


@pytest.mark.parametrize(
    ("bounds", "lang", "names", "english"),
    [
        # The gallery's Thailand–Myanmar border, in Thai: Bangkok, Yangon, Chiang Mai.
        ((98.52, 9.97, 99.88, 20.44), "th", {"กรุงเทพมหานคร", "ย่างกุ้ง", "เชียงใหม่"}, "Bangkok"),
        # Libya–Tunisia around Ras Ajdir and Dehiba, in Arabic: Medenine, Tataouine.
        ((10.7, 32.0, 11.57, 33.15), "ar", {"مدنين", "تطاوين"}, "Medenine"),
        # Russia–Ukraine by Sudzha, in Russian: Sumy.
        ((35.27, 50.6, 35.39, 51.05), "ru", {"Сумы"}, "Sumy"),
    ],
)
def test_towns_are_named_in_the_maps_language(bounds, lang, names, english):
    """A Thai map names Bangkok กรุงเทพมหานคร, an Arabic one Medenine مدنين (GeoNames'
    names in the language, joined by GeoNames id): never the English where the source has
    the language's own name."""
    labels = context_labels(world_basemap(bounds), lang)
    towns = {label.text for label in labels if label.symbol.startswith("town:")}
    assert names <= towns, towns
    assert english not in towns


def test_a_town_the_source_has_no_name_for_keeps_its_own():
    """Lao is in the source for a dozen towns only: the others keep GeoNames' own name."""
    labels = context_labels(world_basemap((98.52, 9.97, 99.88, 20.44)), "lo")
    towns = {label.text for label in labels if label.symbol.startswith("town:")}
    assert "ບາງກອກ" in towns and "Chiang Mai" in towns


def _build_town_names():
    spec = importlib.util.spec_from_file_location(
        "build_town_names", ROOT / "scripts/build_town_names.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_build_joins_names_by_geonames_id_in_the_languages_own_script():
    """Two Tripolis (Libya's and Lebanon's) each take the name GeoNames gives its own id; a
    Latin name in the Russian catalog, a regional catalog's copy of its language's name and
    a locale CLDR does not know are left out; a qualifier is cut."""
    build = _build_town_names()
    towns = [{"id": 2210247, "name": "Tripoli"}, {"id": 266826, "name": "Tripoli"}]
    by_lang = {
        "ar": {"2210247": "طرابلس (ليبيا)", "266826": "طرابلس الشام", "1": "غريب"},
        "ar_LY": {"2210247": "طرابلس"},
        "ru": {"2210247": "Tripolis", "266826": "Триполи"},
        "ber": {"2210247": "Ṭrables"},
    }
    rows = build.town_names(towns, by_lang)
    assert rows == [(0, "ar", "طرابلس"), (1, "ar", "طرابلس الشام"), (1, "ru", "Триполи")]
    table = pd.read_csv(io.BytesIO(build.town_names_xz(rows)), compression="xz")
    assert table.to_dict("list") == {
        "town": [0, 1, 1],
        "lang": ["ar", "ar", "ru"],
        "name": ["طرابلس", "طرابلس الشام", "Триполи"],
    }


def test_the_build_cuts_the_generic_words_for_town_and_province():
    """A Burmese name loses its trailing "မြို့" ("town") and a Thai one its leading
    "เมือง" ("town") or "จังหวัด" ("province"), but a proper name that begins or ends alike
    (นครราชสีมา, မော်လမြိုင်) and a name that is only the generic word keep theirs."""
    build = _build_town_names()
    towns = [{"id": geonames_id, "name": "x"} for geonames_id in range(6)]
    by_lang = {
        "my": {"0": "မြဝတီမြို့", "1": "မော်လမြိုင်", "2": "လင်ကွန်းမြို့၊ အင်္ဂလန်", "3": "မြို့"},
        "th": {"0": "เมืองเพชรบุรี", "4": "จังหวัดพะเยา", "5": "นครราชสีมา"},
        "ru": {"0": "Мьявади город"},
    }
    assert build.town_names(towns, by_lang) == [
        (0, "my", "မြဝတီ"),
        (0, "ru", "Мьявади город"),
        (0, "th", "เพชรบุรี"),
        (1, "my", "မော်လမြိုင်"),
        (2, "my", "လင်ကွန်း"),
        (3, "my", "မြို့"),
        (4, "th", "พะเยา"),
        (5, "th", "นครราชสีมา"),
    ]


def test_no_bundled_town_name_keeps_a_generic_word():
    """A map in Burmese says "ဘန်ကောက်" (Bangkok), never "ဘန်ကောက်မြို့" ("Bangkok town")."""
    towns = pd.read_csv(bundled_path("basemap/towns.csv"), keep_default_na=False)
    row = {name: int(towns.index[towns["name"] == name][0]) for name in ("Bangkok", "Phetchaburi")}
    burmese, thai = town_names("my"), town_names("th")
    assert burmese[row["Bangkok"]] == "ဘန်ကောက်" and thai[row["Phetchaburi"]] == "เพชรบุรี"
    assert not [name for name in burmese.values() if name.endswith("မြို့")]
    assert not [name for name in thai.values() if name.startswith(("เมือง", "จังหวัด", "เทศบาล"))]


def test_every_bundled_name_is_of_a_bundled_town():
    towns = pd.read_csv(bundled_path("basemap/towns.csv"), keep_default_na=False)
    names = pd.read_csv(bundled_path(TOWN_NAMES_FILE), compression="xz", keep_default_na=False)
    assert names["town"].between(0, len(towns) - 1).all()
    assert not names.duplicated(["town", "lang"]).any()
    assert {"th", "ar", "ru", "my", "ko", "zh", "zh_TW"} <= set(names["lang"])
    # Traditional Chinese takes Taiwan's names, never those of ``zh`` (Simplified, mostly).
    row = {name: int(towns.index[towns["name"] == name][0]) for name in ("Melbourne", "Taipei")}
    assert town_names("zh_TW")[row["Melbourne"]] == "墨爾本"
    assert town_names("zh")[row["Taipei"]] == "台北市" and row["Taipei"] not in town_names("zh_TW")
