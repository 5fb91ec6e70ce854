"""Case maps of many categories on every screen: categories shown once, a legend no taller
than half the map that scrolls and is reached with Tab, no panel over another, axe clean,
nothing fetched; many categories in glasbey, numbers and dates on a sequential scale."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import bordermap
from bordermap import theme
from bordermap.describe.case_records import describe_cases

from .a11y import axe_violations, describe
from .label_checks import OVERLAPPING, after_zooming_in, label_overlaps

SCREENS = {"phone": (390, 844), "tablet": (768, 1024), "desktop": (1280, 800)}
SHOTS = {"desktop": "/work/shots/cases-50-desktop.png", "phone": "/work/shots/cases-50-phone.png"}


def _records(n: int = 3000, kinds: int = 50, numeric: bool = False) -> pd.DataFrame:
    rng = np.random.default_rng(7)
    kind = rng.integers(0, kinds, n)
    return pd.DataFrame(
        {
            "lon": rng.uniform(124.3, 130.6, n),
            "lat": rng.uniform(40.0, 43.0, n),
            "kind": kind * 10 if numeric else [f"kind {k:02d}" for k in kind],
            "precision_m": 1000,
        }
    )


def _crossing_map(cases):
    crossings = bordermap.load_crossings()
    estimates = bordermap.read_estimates(bordermap.inputs.bundled_path("events/2023-10-09.csv"))
    joined = bordermap.join_estimates(crossings, estimates)
    return bordermap.crossing_map(
        joined, bordermap.load_facilities(), tiles=None, cases=cases, routes=False
    )


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """The 50-category case map, and one coloured by a number, saved offline once."""
    out = tmp_path_factory.mktemp("case-maps")
    made = {}
    for name, cases in (
        ("cases-50", bordermap.case_layer(_records(), category="kind")),
        ("numeric", bordermap.case_layer(_records(numeric=True), category="kind")),
        ("other", bordermap.case_layer(_records(), category="kind", max_categories=5)),
    ):
        m = _crossing_map(cases)
        made[name] = (bordermap.save(m, out / f"{name}.html", offline=True), m)
    return made


def test_many_categories_take_glasbey_numbers_a_sequential_scale():
    many = describe_cases(_records(200), category="kind")
    assert many.scale == "categorical" and len(many.colors) == 50
    assert many.colors[:8] == theme.MANY_CATEGORY_COLORS[:8]
    numbers = describe_cases(_records(200, numeric=True), category="kind")
    assert numbers.scale == "sequential"
    assert numbers.records.category.values[:3] == ("0", "10", "20")  # in value order
    assert numbers.colors[0] == theme.SEQUENTIAL_COLORS[0]
    assert numbers.colors[-1] == theme.SEQUENTIAL_COLORS[-1]
    dates = _records(200, kinds=20).assign(
        kind=pd.Timestamp("2024-01-01") + pd.to_timedelta(np.arange(200) % 20, unit="D")
    )
    assert describe_cases(dates, category="kind").scale == "sequential"
    few = describe_cases(_records(200, kinds=5), category="kind")
    assert few.colors == theme.CATEGORY_COLORS[:5]
    other = describe_cases(_records(200), category="kind", max_categories=5)
    assert other.listed == 5 and set(other.colors[5:]) == {"#999999"}
    assert bordermap.MapSpec.from_json(_crossing_map(other).spec.to_json()).cases == other


def test_the_many_category_palettes_stand_out_from_the_land():
    colorcet = pytest.importorskip("colorcet")
    lands = [v for k, v in theme.BASEMAP_COLORS.items() if k.startswith("land")]
    assert [c for c in colorcet.glasbey_dark if c in theme.MANY_CATEGORY_COLORS] == list(
        theme.MANY_CATEGORY_COLORS
    )
    for color in (*theme.MANY_CATEGORY_COLORS, *theme.SEQUENTIAL_COLORS):
        assert min(theme.contrast_ratio(color, land) for land in lands) >= 3.0, color
    assert set(theme.SEQUENTIAL_COLORS) <= set(colorcet.bmy)


def test_categories_are_listed_once_on_the_page_and_whole_in_print(pages):
    path, m = pages["cases-50"]
    text = path.read_text("utf-8")
    assert "kind 49 (" not in text  # the main legend does not repeat the case legend's rows
    printed = [e.label for e in m.spec.legend.entries if e.layer == "cases"]
    assert printed[0].startswith("kind 00 (") and len(printed) == 9  # 8 and "other"


_PANELS = (
    "() => {"
    + OVERLAPPING
    + """
  const frame = document.querySelector('.leaflet-container').getBoundingClientRect();
  const boxes = [...document.querySelectorAll('.leaflet-control')]
    .map((el) => [el.className.split(' ').filter((c) => c.startsWith('bm-') ||
      c.startsWith('leaflet-control-')).join(' '), el.getBoundingClientRect()])
    .filter(([, r]) => r.width > 0 && r.height > 0);
  const overlaps = overlapping(boxes);
  const legends = [...document.querySelectorAll('.bm-legend, .bm-case-legend')]
    .map((el) => el.getBoundingClientRect().height);
  const outside = boxes.filter(([, r]) => r.top < frame.top - 1 || r.bottom > frame.bottom + 1)
    .map(([name]) => name);
  return {overlaps, legends, height: frame.height, outside};
}"""
)


@pytest.mark.browser
@pytest.mark.parametrize("screen", list(SCREENS))
@pytest.mark.parametrize("name", ["cases-50", "numeric", "other"])
def test_case_maps_read_well_on_every_screen(open_html, pages, name, screen):
    width, height = SCREENS[screen]
    opened = open_html(pages[name][0], width=width, height=height)
    page = opened.page
    page.wait_for_selector(".bm-case-legend", timeout=5000)
    page.wait_for_selector("[data-bm-labels-placed]", state="attached", timeout=5000)
    assert opened.requests == [] and opened.errors == []
    measured = page.evaluate(_PANELS)
    assert measured["overlaps"] == [] and measured["outside"] == []
    assert all(h <= measured["height"] / 2 for h in measured["legends"]), measured
    rows = page.locator(".bm-case-rows")
    if name == "cases-50" and screen in SHOTS:
        page.screenshot(path=SHOTS[screen])
    if screen == "phone":
        # Folded as the map's own legend: one button, which opens the list.
        assert not rows.is_visible()
        page.locator(".bm-case-legend .bm-fold").click()
        assert rows.is_visible()
        assert page.evaluate(_PANELS)["overlaps"] == []
    if name == "cases-50":
        assert rows.locator(".bm-row").count() == 50
        assert rows.get_attribute("tabindex") == "0" and rows.get_attribute("aria-label")
        assert page.evaluate("(el) => el.scrollHeight > el.clientHeight", rows.element_handle())
    if name == "other":
        assert rows.locator(".bm-row").count() == 6
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    if name == "cases-50":
        # Crossing names, figures and the basemap's towns and countries: none over another,
        # as loaded and after two zoom-ins.
        assert label_overlaps(page)["overlaps"] == []
        for seen in after_zooming_in(page):
            assert seen["overlaps"] == [], seen
