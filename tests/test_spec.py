"""The map description (MapSpec): plain data that round-trips through JSON and holds no markup."""

from __future__ import annotations

import dataclasses
import json
import re

import pandas as pd
import pytest

import bordermap
from bordermap.inputs import bundled_path
from bordermap.spec import Label, MapSpec

MARKUP = re.compile(r"<[a-zA-Z/!]|&[a-zA-Z]+;|&#\d+;")


@pytest.fixture(scope="module")
def joined():
    return bordermap.join_estimates(
        bordermap.load_crossings(), bundled_path("events/2023-10-09.csv")
    )


@pytest.fixture(scope="module", params=["en", "ko", "zh"])
def spec(request, joined):
    return bordermap.describe_crossings(joined, bordermap.load_facilities(), lang=request.param)


@pytest.fixture(scope="module")
def timeline_spec():
    return bordermap.describe_timeline(bordermap.event_series(), bordermap.load_facilities())


def _strings(value):
    if isinstance(value, dict):
        for k, v in value.items():
            yield str(k)
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)
    elif isinstance(value, str):
        yield value


def test_crossing_spec_round_trips_through_json(spec):
    text = spec.to_json()
    again = MapSpec.from_json(text)
    assert again == spec
    assert again.to_json() == text
    assert json.loads(text)["kind"] == "crossings"


def test_timeline_spec_round_trips_through_json(timeline_spec):
    assert MapSpec.from_dict(json.loads(json.dumps(timeline_spec.to_dict()))) == timeline_spec


def test_spec_is_frozen(spec):
    with pytest.raises(dataclasses.FrozenInstanceError):
        spec.title = "changed"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        spec.symbols[0].lat = 0.0  # type: ignore[misc]


def test_no_text_in_the_spec_is_markup(spec, timeline_spec):
    for described in (spec, timeline_spec):
        found = [s for s in _strings(described.to_dict()) if MARKUP.search(s)]
        assert found == []


def test_text_from_data_is_kept_as_typed_not_escaped(joined):
    crossings = bordermap.load_crossings()
    crossings.loc[crossings["id"] == "tumen-onsong", "label_en"] = "<b>Tumen</b> & {{ 7*7 }}"
    table = pd.read_csv(bundled_path("events/2023-10-09.csv"))
    table["source"] = table["source"] + " <i>&amp;</i>"
    spec = bordermap.describe_crossings(bordermap.join_estimates(crossings, table))
    names = [label.text for label in spec.labels if label.role == "name"]
    assert "<b>Tumen</b> & {{ 7*7 }}" in names
    assert all(s.name.endswith(" <i>&amp;</i>") for s in spec.credit.sources)


def test_the_bundled_event_as_plain_data(joined):
    spec = bordermap.describe_crossings(joined, bordermap.load_facilities())
    figures = {label.symbol: label.text for label in spec.labels if label.role == "figure"}
    assert figures == {"dandong-sinuiju": "180", "tumen-onsong": "300"}
    notes = sorted(label.symbol for label in spec.labels if label.role == "note")
    assert notes == ["changbai-hyesan", "helong-musan", "hunchun-kyongwon"]
    radius = {s.id: s.style.radius for s in spec.symbols if "crossing" in s.tags}
    assert radius["tumen-onsong"] == 34.0 and radius["dandong-sinuiju"] < 34.0
    assert [size.value for size in spec.legend.sizes] == [300, 100, 30]
    assert len(spec.routes) == 7 and spec.subtitle == "event of 9 October 2023"
    (south, west), (north, east) = spec.bounds
    assert south < 40.2 and north > 43.5 and west < 124.4 and east > 130.2
    assert spec.metadata["event"] == "2023-10-09" and spec.metadata["version"]
    assert all(isinstance(label, Label) for label in spec.labels)


def test_the_map_and_the_image_draw_the_same_spec(joined, tmp_path):
    m = bordermap.crossing_map(joined, bordermap.load_facilities(), tiles=None)
    assert m.spec == bordermap.describe_crossings(joined, bordermap.load_facilities())
    svg = bordermap.to_image(m.spec, tmp_path / "map.svg").read_text(encoding="utf-8")
    # Every crossing label; a town name may give way to them (the label placer hides it).
    assert all(label.text in svg for label in m.spec.labels if label.role != "context")


def test_dates_and_numbers_follow_the_language(joined):
    ko = bordermap.describe_crossings(joined, lang="ko")
    zh = bordermap.describe_crossings(joined, lang="zh")
    assert ko.subtitle == "사건 일자 2023년 10월 9일"
    assert zh.subtitle == "事件日期 2023年10月9日"
    assert {s.date_text for s in zh.credit.sources if s.date} >= {"2023年12月7日"}
