"""Uncertainty on the single-event map: a ring for competing estimates, halos explained."""

from __future__ import annotations

import pytest

import bordermap
from bordermap import theme
from bordermap.describe.crossings import crossing_symbols
from bordermap.inputs import bundled_path
from bordermap.theme import symbol_radius


@pytest.fixture(scope="module")
def joined():
    return bordermap.join_estimates(
        bordermap.load_crossings(), bundled_path("events/2023-10-09.csv")
    )


@pytest.mark.parametrize(
    ("rule", "ring_for"),
    [("latest", {"dandong-sinuiju": 200}), ("max", {}), ("min", {"dandong-sinuiju": 200})],
)
def test_ring_only_where_a_higher_figure_was_published(joined, rule, ring_for):
    joined = bordermap.join_estimates(
        bordermap.load_crossings(), bundled_path("events/2023-10-09.csv"), rule=rule
    )
    symbols, _, scale_max = crossing_symbols(joined, "en")
    rings = {s.id: s.ring for s in symbols if s.ring}
    assert set(rings) == set(ring_for)
    for crossing, value in ring_for.items():
        expected = symbol_radius(value, scale_max)
        assert rings[crossing].style.radius == pytest.approx(expected, abs=0.01)


def test_ring_tooltip_names_the_highest_figure_and_its_source(joined):
    symbols, _, _ = crossing_symbols(joined, "en")
    dandong = next(s for s in symbols if s.id == "dandong-sinuiju")
    assert "highest published: up to 200 — One Korea Network" in dandong.tooltip


@pytest.fixture(scope="module")
def october_map(joined, tmp_path_factory):
    m = bordermap.crossing_map(joined, bordermap.load_facilities(), tiles=None)
    path = tmp_path_factory.mktemp("uncertainty") / "october.html"
    bordermap.save(m, path, offline=True)
    return path


@pytest.mark.browser
def test_faint_ring_around_dandong_is_drawn_and_explained(open_html, october_map):
    opened = open_html(october_map)
    page = opened.page
    page.wait_for_selector(".bm-crossing")
    rings = page.locator("path.bm-ring")
    assert rings.count() == 1
    ring = rings.first.bounding_box()
    circles = [p.bounding_box() for p in page.locator("path.bm-crossing.bm-known").all()]
    dandong = max(circles, key=lambda b: b["y"])  # the southern circle
    assert ring["width"] > dandong["width"]
    centre = (ring["x"] + ring["width"] / 2, ring["y"] + ring["height"] / 2)
    assert centre[0] == pytest.approx(dandong["x"] + dandong["width"] / 2, abs=1)
    assert centre[1] == pytest.approx(dandong["y"] + dandong["height"] / 2, abs=1)
    legend = page.locator(".bm-legend").inner_text()
    assert "faint ring: highest published figure" in legend
    assert "dashed ring: crossing located approximately" in legend
    assert page.locator(".bm-legend .bm-ring-swatch").count() == 1
    assert opened.errors == []


@pytest.mark.browser
def test_approximate_crossings_have_a_dashed_halo_of_their_precision(open_html, october_map):
    page = open_html(october_map).page
    page.wait_for_selector(".bm-crossing")
    # Helong and Hunchun are approximate: their halos are dashed in the legend's crossing red,
    # whatever their circle's stroke (white on a known figure), and stand out from land and sea.
    halos = page.evaluate(
        """() => Array.from(document.querySelectorAll("path.bm-halo"))
              .filter(p => p.getAttribute("stroke") === "#b2182b")
              .map(p => p.getAttribute("stroke-dasharray"))"""
    )
    assert halos == ["4 4", "4 4"]
    swatch = page.evaluate(
        """() => [...document.querySelectorAll(".bm-legend .bm-row")]
              .find(r => r.textContent.includes("located approximately"))
              .querySelector("circle").getAttribute("stroke")"""
    )
    assert swatch == "#b2182b"
    for ground in ("sea", "land", "land_cn_kp", "land_kp"):
        assert theme.contrast_ratio("#b2182b", theme.BASEMAP_COLORS[ground]) >= 3
