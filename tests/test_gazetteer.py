"""Name resolution: every spelling of every crossing, in any script, to one id."""

from __future__ import annotations

import pytest

from bordermap import load_crossings
from bordermap.gazetteer import Gazetteer, normalize_name


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
