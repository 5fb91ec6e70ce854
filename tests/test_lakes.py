"""The lake layer: GSHHG's lakes built into data/basemap/lakes.npz, drawn as water in the
print image and the page."""

from __future__ import annotations

import importlib.util
import re

import numpy as np
import pytest
from shapely.geometry import Point

import bordermap
from bordermap import lakes
from bordermap.basemap import world_basemap
from bordermap.inputs import bundled_path, file_sha256
from bordermap.lakes import LAKES_FILE, lakes_in
from bordermap.theme import BASEMAP_COLORS
from tests.conftest import ROOT
from tests.test_rivers import _png_and_frame

_SPEC = importlib.util.spec_from_file_location("build_rivers", ROOT / "scripts/build_rivers.py")
build = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(build)

KHANKA = (132.4, 45.0)  # the middle of Lake Khanka (Xingkai), on the China–Russia border
PRESPA = (21.05, 40.9)  # Lake Prespa: Albania, Greece, North Macedonia
DATA = ROOT / "tests/data/context"


def test_the_shipped_file_is_the_recorded_build():
    readme = (ROOT / "data/basemap/README.md").read_text(encoding="utf-8")
    recorded = re.search(r"^([0-9a-f]{64})  lakes\.npz$", readme, re.MULTILINE)
    assert recorded and file_sha256(bundled_path(LAKES_FILE)) == recorded.group(1)


@pytest.mark.parametrize("centre", [KHANKA, PRESPA], ids=["khanka", "prespa"])
def test_known_lakes_are_in_the_file(centre):
    lon, lat = centre
    found = lakes_in((lon - 0.5, lat - 0.5, lon + 0.5, lat + 0.5))
    assert any(lake.contains(Point(lon, lat)) for lake in found)
    assert not any(lake.contains(Point(lon + 1.4, lat)) for lake in found)  # land beside


def test_the_bins_pieces_of_a_lake_join_into_its_ring():
    """GMT cuts a lake at its bins' edges; the pieces of one GSHHG polygon close again,
    a piece of another polygon or level stays out, and a ring that does not close stops the
    build."""
    west = np.array([(1.0, 0.0), (0.0, 0.0), (0.0, 1.0), (1.0, 1.0)])
    east = np.array([(1.0, 1.0), (2.0, 1.0), (2.0, 0.0), (1.0, 0.0)])
    island = np.array([(0.4, 0.4), (0.6, 0.4), (0.6, 0.6), (0.4, 0.4)])
    areas = np.array([5000.0, 10.0])
    joined = build.lake_polygons([(2, 0, west), (2, 0, east), (3, 1, island)], areas)
    assert len(joined) == 1 and joined[0][1].area == pytest.approx(2.0)
    with pytest.raises(SystemExit, match="do not close"):
        build.lake_polygons([(2, 0, west)], areas)


def test_lakes_are_drawn_at_their_scale():
    assert "lake" in set(world_basemap((131.5, 44.4, 133.0, 45.6)).features["kind"])
    wide = world_basemap((100.0, 30.0, 140.0, 55.0)).features
    small = [g for g in wide.geometry[wide["kind"] == "lake"] if g.area < 0.01]
    assert not small  # only large lakes in a view of a continent


@pytest.fixture(scope="module")
def khanka_map():
    crossings = bordermap.load_crossings(DATA / "khanka_crossings.csv")
    joined = bordermap.join_estimates(crossings, DATA / "khanka_estimates.csv")
    return bordermap.crossing_map(joined, tiles=None, routes=False)


def _sea_share(pixels, pixel, points) -> float:
    sea = np.array([int(BASEMAP_COLORS["sea"][i : i + 2], 16) for i in (1, 3, 5)])
    return sum(
        bool(np.abs(pixels[row, col] - sea).max() <= 6)
        for col, row in map(lambda p: pixel(*p), points)
    ) / len(points)


def test_lake_khanka_is_water_in_the_print_image(khanka_map, monkeypatch):
    points = [(132.3 + dx, 44.95 + dy) for dx in (-0.1, 0, 0.1) for dy in (-0.1, 0, 0.1)]
    pixels, pixel = _png_and_frame(khanka_map.spec, monkeypatch)
    assert _sea_share(pixels, pixel, points) >= 0.8
    assert "lakes: GSHHG, Wessel & Smith (LGPL)" in khanka_map.spec.basemap_credit
    monkeypatch.setattr(lakes, "lakes_in", lambda *args, **kwargs: [])
    pixels, pixel = _png_and_frame(khanka_map.spec, monkeypatch)
    assert _sea_share(pixels, pixel, points) <= 0.2  # land there without the lake


@pytest.mark.browser
def test_the_page_draws_lake_khanka_as_water(open_html, khanka_map, tmp_path):
    out = tmp_path / "map.html"
    out.write_text(bordermap.to_html(khanka_map, offline=True), encoding="utf-8")
    opened = open_html(out, width=1280, height=800)
    page = opened.page
    page.wait_for_selector("path.bm-basemap-lake")
    fills = page.evaluate(
        "[...document.querySelectorAll('path.bm-basemap-lake')].map(p => p.getAttribute('fill'))"
    )
    assert fills and set(fills) == {BASEMAP_COLORS["sea"]}
    # The lake lies over the land: drawn after it in the basemap's pane.
    kinds = page.evaluate(
        "[...document.querySelectorAll('.leaflet-bmBasemap-pane path')]"
        ".map(p => p.getAttribute('class').split(' ')[0])"
    )
    assert kinds.index("bm-basemap-lake") > max(
        i for i, k in enumerate(kinds) if k == "bm-basemap-land"
    )
    assert "lakes: GSHHG" in page.locator(".leaflet-control-attribution").inner_text()
    assert not opened.errors and not opened.requests
