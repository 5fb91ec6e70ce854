"""The front door: a map is its description drawn, whichever way it is made."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import bordermap
from bordermap.cli import main
from bordermap.export.outputs import to_html
from bordermap.inputs import bundled_path
from bordermap.maps import describe_crossing_map
from bordermap.render.leaflet.page import draw_map
from bordermap.spec import MapSpec

EVENT = bundled_path("events/2023-10-09.csv")


@pytest.fixture(scope="module")
def joined():
    return bordermap.join_estimates(bordermap.load_crossings(), bordermap.read_estimates(EVENT))


def _cases() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "lon": [129.99, 124.40, 128.18, 129.98],
            "lat": [42.95, 40.10, 41.40, 42.94],
            "kind": ["arrest", "transfer", "arrest", "testimony"],
            "place": ["Onsong", "Sinuiju", "Hyesan", "Onsong"],
        }
    )


def test_the_map_is_its_description_drawn(joined):
    facilities = bordermap.load_facilities()
    m = bordermap.crossing_map(joined, facilities, tiles=None)
    assert m.spec == bordermap.describe_crossings(joined, facilities)
    # And the command line describes the same map once, to the same spec.
    spec, audit, _ = describe_crossing_map(joined, facilities)
    assert spec == m.spec and audit is None


def test_the_image_of_a_spec_is_the_command_line_png(joined, tmp_path):
    out = tmp_path / "cli.png"
    assert main(["render", "--estimates", str(EVENT), "--png", str(out)]) == 0
    spec = bordermap.describe_crossings(joined, bordermap.load_facilities())
    again = bordermap.to_image(spec, tmp_path / "api.png")
    assert again.read_bytes() == out.read_bytes()


def test_a_map_with_case_records_round_trips_through_json_and_draws_the_same_page(joined):
    m = bordermap.crossing_map(joined, tiles=None, cases=_cases())
    assert m.spec.cases is not None and m.spec.cases.records.n == 4
    back = MapSpec.from_json(m.spec.to_json())
    assert back == m.spec
    assert to_html(draw_map(back), offline=True) == to_html(draw_map(m.spec), offline=True)


def test_a_description_of_another_version_is_refused_in_one_line(joined):
    data = bordermap.describe_crossings(joined).to_dict()
    data["version"] = 1
    with pytest.raises(bordermap.ValidationError, match="version 1; this bordermap reads"):
        MapSpec.from_json(json.dumps(data))


def test_an_unknown_word_in_a_description_is_refused(joined):
    text = bordermap.describe_crossings(joined).to_json()
    with pytest.raises(bordermap.ValidationError, match="does not know"):
        MapSpec.from_json(text.replace('"role": "figure"', '"role": "headline"', 1))
