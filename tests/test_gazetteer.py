"""Name resolution: every spelling of every crossing, in any script, to one id."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyogrio
import pytest

from bordermap import CrossingNotFound, join_estimates, load_crossings
from bordermap.model.gazetteer import Gazetteer, normalize_name


@pytest.fixture(scope="module")
def gazetteer():
    return Gazetteer.for_crossings(load_crossings())


@pytest.mark.parametrize(
    ("name", "crossing"),
    [
        ("Onsong", "tumen-onsong"),
        ("Onsŏng", "tumen-onsong"),
        ("Onseong", "tumen-onsong"),
        ("ONSONG county", "tumen-onsong"),
        ("온성", "tumen-onsong"),
        ("온성군", "tumen-onsong"),
        ("穩城", "tumen-onsong"),
        ("稳城", "tumen-onsong"),
        ("Namyang", "tumen-onsong"),
        ("남양로동자구", "tumen-onsong"),
        ("남양노동자구", "tumen-onsong"),
        ("Tumen", "tumen-onsong"),
        ("图们", "tumen-onsong"),
        ("Tumen → Onsong", "tumen-onsong"),
        ("Onsong-Tumen", "tumen-onsong"),
        ("tumen-onsong", "tumen-onsong"),
        ("Sinŭiju", "dandong-sinuiju"),
        ("Sinuiju", "dandong-sinuiju"),
        ("신의주", "dandong-sinuiju"),
        ("新義州", "dandong-sinuiju"),
        ("新义州", "dandong-sinuiju"),
        ("丹东", "dandong-sinuiju"),
        ("Dandong to Sinuiju", "dandong-sinuiju"),
        ("Hyesan", "changbai-hyesan"),
        ("혜산", "changbai-hyesan"),
        ("惠山", "changbai-hyesan"),
        ("长白", "changbai-hyesan"),
        ("Musan", "helong-musan"),
        ("茂山", "helong-musan"),
        ("Nanping", "helong-musan"),
        ("和龙", "helong-musan"),
        ("Kyŏngwŏn", "hunchun-kyongwon"),
        ("Gyeongwon", "hunchun-kyongwon"),
        ("경원", "hunchun-kyongwon"),
        ("慶源", "hunchun-kyongwon"),
        ("庆源", "hunchun-kyongwon"),
        ("Hunchun", "hunchun-kyongwon"),
        ("  hun-chun  ", "hunchun-kyongwon"),
        ("Ｏｎｓｏｎｇ", "tumen-onsong"),
    ],
)
def test_spelling_resolves_to_its_crossing(gazetteer, name, crossing):
    assert gazetteer.resolve([name]) == [crossing]


@pytest.mark.parametrize("name", ["Hoeryong", "Hoeryŏng", "회령", "Pyongyang", "", "Onsongville"])
def test_names_that_are_not_crossings_do_not_resolve(gazetteer, name):
    assert gazetteer.resolve([name]) == [None]


def test_known_place_that_is_not_a_crossing_is_recognised(gazetteer):
    assert gazetteer.other_place("Hoeryŏng") == "Hoeryong"


def test_suggestions_name_the_closest_crossing_first(gazetteer):
    assert gazetteer.suggest("Onsongg")[0] == "Onsong (tumen-onsong)"
    assert gazetteer.suggest("Sinuju")[0].endswith("(dandong-sinuiju)")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Onsŏng", "onsong"),
        ("Kyŏngwŏn", "KYONGWON"),
        ("Chilsŏng-ri", "chilsong ri"),
        ("온성", "온성"),
    ],
)
def test_normalize_folds_case_accents_and_separators(a, b):
    assert normalize_name(a) == normalize_name(b)


def test_normalize_keeps_different_names_apart():
    assert normalize_name("Musan") != normalize_name("Hyesan")
    assert normalize_name("온성") != normalize_name("穩城")


def test_resolve_series_keeps_index_and_order(gazetteer):
    import pandas as pd

    values = pd.Series(["온성", "nowhere", "Dandong"], index=[10, 11, 12])
    out = gazetteer.resolve_series(values)
    assert out.tolist() == ["tumen-onsong", None, "dandong-sinuiju"]
    assert out.index.tolist() == [10, 11, 12]


# --- A border other than China–North Korea: the user's own names are the gazetteer -------

US_MEXICO = Path(__file__).parent / "data" / "us_mexico"


def _us_mexico_crossings(form: str, tmp_path: Path):
    """The three ports of entry as GeoJSON, as a lat/lon CSV, or as a GeoPackage in UTM."""
    if form == "geojson":
        return load_crossings(US_MEXICO / "crossings.geojson")
    if form == "csv":
        return load_crossings(US_MEXICO / "crossings.csv")
    path = tmp_path / "ports_utm12n.gpkg"
    pyogrio.write_dataframe(
        load_crossings(US_MEXICO / "crossings.geojson").to_crs("EPSG:32612"), path
    )
    return load_crossings(path)


@pytest.mark.parametrize("form", ["geojson", "csv", "gpkg-utm"])
def test_estimates_name_towns_from_the_users_alt_names(form, tmp_path):
    crossings = _us_mexico_crossings(form, tmp_path)
    joined = join_estimates(crossings, US_MEXICO / "estimates.csv").set_index("id")
    assert joined.loc["san-ysidro-tijuana", "figure"] == 120  # "Tijuana": an alt name
    assert joined.loc["paso-del-norte", "figure"] == 45  # "CIUDAD JUAREZ": folded
    assert (joined.loc["nogales", "low"], joined.loc["nogales", "high"]) == (10, 20)
    el_paso = joined.loc["paso-del-norte"].geometry
    assert (round(el_paso.y, 4), round(el_paso.x, 4)) == (31.7477, -106.487)


@pytest.mark.parametrize(
    ("name", "crossing"),
    [
        ("Tijuana", "san-ysidro-tijuana"),  # alt_names
        ("el chaparral", "san-ysidro-tijuana"),
        ("San Ysidro → Tijuana", "san-ysidro-tijuana"),  # name
        ("Juarez", "paso-del-norte"),  # alt_names, accent dropped
        ("CIUDAD-JUÁREZ", "paso-del-norte"),
        ("El Paso → Ciudad Juárez", "paso-del-norte"),  # label_en / name_es
        ("Nogales, Sonora", "nogales"),
        ("Nogales (Arizona) → Nogales (Sonora)", "nogales"),  # label_en
        ("Onsong", None),  # the bundled crossings are not these
        ("Puerto Palomas", None),
    ],
)
def test_user_crossings_resolve_their_own_names(name, crossing):
    gaz = Gazetteer.for_crossings(load_crossings(US_MEXICO / "crossings.geojson"))
    assert gaz.resolve([name]) == [crossing]


def test_unknown_town_names_the_users_closest_crossing():
    crossings = load_crossings(US_MEXICO / "crossings.geojson")
    table = pd.DataFrame(
        {
            "event_date": ["2025-03-01"],
            "crossing": ["Tiajuana"],
            "figure": ["5"],
            "source": ["example"],
            "source_date": ["2025-03-02"],
        }
    )
    with pytest.raises(CrossingNotFound, match=r"row 2.*Tiajuana.*Tijuana \(san-ysidro-tijuana\)"):
        join_estimates(crossings, table)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Ciudad Juárez", "CIUDAD JUAREZ"),
        ("Straße", "STRASSE"),  # case folding, not lower()
        ("Ёлкино", "елкино"),
        ("Αθήνα", "ΑΘΗΝΑ"),
        ("ｔｉｊｕａｎａ", "Tijuana"),  # NFKC: full-width letters
        ("كَرَك", "كرك"),  # Arabic vowel points are optional
        ("São-Paulo", "sao paulo"),
        ("Kuźnica Białostocka", "KUZNICA BIALOSTOCKA"),  # a stroked letter has no accent
        ("Đakovo", "dakovo"),
    ],
)
def test_folding_for_any_script_meets(a, b):
    assert normalize_name(a) == normalize_name(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("ガ", "カ"),  # a Japanese voicing mark changes the name
        ("दिल्ली", "दल्ल"),  # Devanagari vowel signs are letters of the name
        ("ঢাকা", "ঢক"),
    ],
)
def test_folding_keeps_marks_that_spell_a_name(a, b):
    assert normalize_name(a) != normalize_name(b)
