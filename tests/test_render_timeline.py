"""The time map in headless Chromium: move the control, read what is drawn."""

from __future__ import annotations

import pandas as pd
import pytest

import bordermap
from bordermap import ValidationError

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def series_map(tmp_path_factory):
    m = bordermap.timeline_map(bordermap.event_series(), bordermap.load_facilities(), tiles=None)
    path = tmp_path_factory.mktemp("timeline") / "series.html"
    bordermap.save(m, path, offline=True)
    return path


@pytest.fixture(scope="module")
def summed_map(tmp_path_factory):
    """Two events through the same crossing, so the cumulative view has a sum to show."""
    table = pd.DataFrame(
        {
            "event_date": ["2023-10-09", "2023-10-09", "2024-04-26"],
            "crossing": ["Onsong", "Dandong", "Tumen"],
            "figure": [300, 180, 100],
            "source": ["TJWG", "TJWG", "Test source"],
            "source_date": ["2023-12-07", "2023-12-07", "2024-05-01"],
        }
    )
    long = bordermap.join_estimates(bordermap.load_crossings(), table, event="all")
    path = tmp_path_factory.mktemp("timeline") / "summed.html"
    bordermap.save(bordermap.timeline_map(long, tiles=None), path, offline=True)
    return path


def drawn(page) -> dict:
    """What a reader sees: the step heading, figures on the map, the panel text."""
    return {
        "label": page.locator(".bm-step-label").inner_text(),
        "figures": sorted(page.locator(".bm-figure.bm-known span").all_inner_texts()),
        "unknown": sorted(page.locator(".bm-figure.bm-unknown span").all_inner_texts()),
        "faded": page.locator("path.bm-crossing.bm-unnamed").count(),
        "body": page.locator(".bm-step-body").inner_text(),
    }


def test_offline_series_loads_with_no_request_and_no_error(open_html, series_map):
    opened = open_html(series_map)
    opened.page.wait_for_selector(".bm-timeline")
    assert opened.errors == [] and opened.requests == [] and opened.dialogs == []
    assert opened.page.locator("path.bm-crossing").count() == 5  # one step drawn at a time


STEPS = [
    # label, figures, unknown labels, faded, text in the panel
    ("29 August 2023 (event 1 of 4)", [], [], 5, "Total, all crossings: 80 — Human Rights Watch"),
    ("18 September 2023 (event 2 of 4)", [], [], 5, "Total, all crossings: 40"),
    (
        "9 October 2023 (event 3 of 4)",
        ["180", "300"],
        ["used; no figure published"] * 3,
        0,
        "up to 600 — Transitional Justice Working Group",
    ),
    (
        "26 April 2024 (event 4 of 4)",
        [],
        ["used; no figure published"],
        4,
        "50–60 — Radio Free Asia",
    ),
]


def test_next_button_steps_through_the_four_events(open_html, series_map):
    page = open_html(series_map).page
    page.wait_for_selector(".bm-timeline")
    assert page.locator(".bm-prev").is_disabled()
    for i, (label, figures, unknown, faded, text) in enumerate(STEPS):
        if i:
            page.click(".bm-next")
        seen = drawn(page)
        assert seen["label"] == label
        assert seen["figures"] == figures
        assert seen["unknown"] == unknown
        assert seen["faded"] == faded
        assert text in seen["body"]
    assert page.locator(".bm-next").is_disabled()
    page.click(".bm-prev")
    assert drawn(page)["label"].startswith("9 October 2023")


def test_range_input_jumps_to_an_event(open_html, series_map):
    page = open_html(series_map).page
    page.wait_for_selector(".bm-timeline")
    page.locator(".bm-range").fill("2")
    seen = drawn(page)
    assert seen["label"].startswith("9 October 2023") and seen["figures"] == ["180", "300"]
    page.locator(".bm-range").focus()
    page.keyboard.press("ArrowRight")
    assert drawn(page)["label"].startswith("26 April 2024")


def test_cumulative_view_sums_event_totals_since_august(open_html, series_map):
    page = open_html(series_map).page
    page.wait_for_selector(".bm-timeline")
    page.check("input[value=cumulative]")
    assert "Since 29 August 2023" in page.locator(".bm-modes").inner_text()
    assert page.locator(".bm-cumulative-total").inner_text() == "80"
    page.locator(".bm-range").fill("3")
    seen = drawn(page)
    assert page.locator(".bm-cumulative-total").inner_text() == "680"
    assert "80 + 40 + over 500 + about 60" in seen["body"]
    assert seen["figures"] == ["180", "300"]
    assert seen["unknown"] == ["no figure (named in 1 event(s))"] * 3
    page.check("input[value=event]")
    assert drawn(page)["unknown"] == ["used; no figure published"]


def test_cumulative_view_sums_figures_per_crossing(open_html, summed_map):
    opened = open_html(summed_map)
    page = opened.page
    page.wait_for_selector(".bm-timeline")
    assert drawn(page)["figures"] == ["180", "300"]
    page.click(".bm-next")
    assert drawn(page)["figures"] == ["100"]
    page.check("input[value=cumulative]")
    assert drawn(page)["figures"] == ["180", "400"]
    page.click(".bm-prev")
    assert drawn(page)["figures"] == ["180", "300"]
    assert opened.errors == []


def test_one_scale_for_every_step_and_view(open_html, summed_map):
    page = open_html(summed_map).page
    page.wait_for_selector(".bm-timeline")

    def width_of(label: str) -> float:
        for path in page.locator("path.bm-crossing.bm-known").all():
            box = path.bounding_box()
            for span in page.locator(".bm-figure.bm-known span").all():
                text_box = span.bounding_box()
                centre = text_box["x"] + text_box["width"] / 2
                if span.inner_text() == label and box["x"] < centre < box["x"] + box["width"]:
                    return box["width"]
        raise AssertionError(label)

    tumen_300 = width_of("300")
    page.check("input[value=cumulative]")
    page.click(".bm-next")
    tumen_400 = width_of("400")
    # Area ∝ value on one scale: diameters in the ratio sqrt(400 / 300) ≈ 1.15.
    assert 1.1 < tumen_400 / tumen_300 < 1.2


def test_cumulative_popup_lists_what_is_summed(open_html, summed_map):
    page = open_html(summed_map).page
    page.wait_for_selector(".bm-timeline")
    page.locator(".bm-range").fill("1")
    page.check("input[value=cumulative]")
    boxes = {p.bounding_box()["y"]: p for p in page.locator("path.bm-crossing.bm-known").all()}
    boxes[min(boxes)].click()  # the northern circle is Tumen
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    text = popup.inner_text()
    for expected in ("Tumen → Onsong", "9 October 2023", "300", "TJWG", "26 April 2024", "100"):
        assert expected in text


def test_start_and_bad_input_are_explicit():
    series = bordermap.event_series()
    m = bordermap.timeline_map(series, tiles=None, start="2024-04-26")
    assert '"label": "26 April 2024 (event 4 of 4)"' in m.get_root().render()
    with pytest.raises(ValidationError, match="no such event in the series"):
        bordermap.timeline_map(series, tiles=None, start="2020-01-01")
    with pytest.raises(ValidationError, match="one row per crossing per event"):
        bordermap.timeline_map(bordermap.load_crossings(), tiles=None)


HOSTILE = '<img src=x onerror="alert(1)"> {{ 7*7 }}'


@pytest.fixture(scope="module")
def hostile_map(tmp_path_factory):
    table = pd.DataFrame(
        {
            "event_date": ["2023-10-09"],
            "crossing": ["Onsong"],
            "figure": [300],
            "source": [HOSTILE],
            "source_date": ["2023-12-07"],
        }
    )
    long = bordermap.join_estimates(bordermap.load_crossings(), table, event="all")
    path = tmp_path_factory.mktemp("timeline") / "hostile.html"
    bordermap.save(bordermap.timeline_map(long, tiles=None), path, offline=True)
    return path


def test_markup_in_data_is_not_run_in_the_control(open_html, hostile_map):
    opened = open_html(hostile_map)
    opened.page.wait_for_selector(".bm-timeline")
    assert opened.dialogs == [] and opened.errors == []
    assert '<img src=x onerror="alert(1)">' in opened.page.locator(".bm-credit").inner_text()
    assert opened.page.locator(".bm-timeline img, .bm-credit img").count() == 0


def test_template_braces_in_data_are_shown_as_typed(open_html, hostile_map):
    opened = open_html(hostile_map)
    opened.page.wait_for_selector(".bm-timeline")
    assert "{{ 7*7 }}" in opened.page.locator(".bm-credit").inner_text()


def test_a_korean_time_map_speaks_korean_in_leaflet_too(open_html, tmp_path):
    m = bordermap.timeline_map(bordermap.event_series(), tiles=None, lang="ko")
    path = bordermap.save(m, tmp_path / "series-ko.html", offline=True)
    page = open_html(path).page
    zoom_in = page.locator(".leaflet-control-zoom-in").get_attribute("title")
    assert zoom_in == bordermap.i18n.text("zoom_in", "ko") != "Zoom in"
    font = page.locator(".bm-timeline").evaluate("el => getComputedStyle(el).fontFamily")
    assert "CJK KR" in font
