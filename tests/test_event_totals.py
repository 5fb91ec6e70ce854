"""Per-crossing figures that add up to more than the event's total: a warning naming both."""

from __future__ import annotations

import warnings

import pytest

import bordermap
from bordermap.cli import main
from bordermap.errors import BordermapWarning
from bordermap.inputs import bundled_path

from .conftest import DATA

OVER = DATA / "estimates_over_total.csv"


def test_figures_over_the_total_warn_with_both_numbers_and_sources():
    joined = bordermap.join_estimates(bordermap.load_crossings(), OVER)
    with pytest.warns(BordermapWarning) as caught:
        given = bordermap.check_event_totals(joined)
    message = str(caught[0].message)
    assert given == [message]
    # 400 (Onsong) + 300 (Dandong: a 300–350 range counts with its low end) = 700 > over 500
    for needle in (
        "2023-10-09",
        "add up to 700",
        "tumen-onsong 400 (Fixture source A)",
        "dandong-sinuiju 300 (Fixture source B)",
        "headline total of over 500",
        "Human Rights Watch",
    ):
        assert needle in message, needle


def test_the_rule_choosing_the_total_changes_the_verdict():
    joined = bordermap.join_estimates(bordermap.load_crossings(), OVER)
    events = bordermap.load_events(rule="max")  # headline total: up to 600 (TJWG)
    with pytest.warns(BordermapWarning, match=r"up to 600 \(Transitional Justice"):
        bordermap.check_event_totals(joined, events)


def test_the_bundled_figures_are_within_their_total():
    joined = bordermap.join_estimates(
        bordermap.load_crossings(), bundled_path("events/2023-10-09.csv")
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", BordermapWarning)
        assert bordermap.check_event_totals(joined) == []
        bordermap.event_series()


def test_event_series_warns_for_each_event_over_its_total():
    with pytest.warns(BordermapWarning, match="add up to 700"):
        bordermap.event_series(estimates=OVER)


def test_command_line_draws_the_map_and_prints_one_warning_line(tmp_path, capsys):
    out = tmp_path / "map.html"
    assert main(["render", "-o", str(out), "--offline", "--estimates", str(OVER)]) == 0
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("bordermap: warning: 2023-10-09")
    assert "add up to 700" in lines[0] and out.exists()
