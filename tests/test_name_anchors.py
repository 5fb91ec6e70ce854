"""Country names on the screen a reader has (render/leaflet/web/name_anchors.js), in headless
Chromium: on a phone, a desktop and a small frame, and again after zooming in, every
country whose land shows is named once, on its own land, clear of the panels and routes."""

from __future__ import annotations

import pytest
import shapely

from bordermap.basemap import world_basemap
from bordermap.cli import main
from tests.chromium import open_offline
from tests.label_checks import after_zooming_in, frame_checks

pytestmark = pytest.mark.browser

IN_VIEW_SHARE = 0.03

# The countries around the bundled map, as the page's text has them (CSS writes them in
# capitals).
COUNTRIES = {"China": "CN", "North Korea": "KP", "South Korea": "KR", "Russia": "RU"}

# Each country name shown: its text, the latitude and longitude under its middle, whether
# its box meets a panel, and its box (px); the panels' boxes (west, south, east, north); the
# routes shown (px).
_NAMES = """() => {
  const map = Object.values(window).find((v) => v instanceof L.Map);
  const frame = map.getContainer().getBoundingClientRect();
  const panels = [...map.getContainer().querySelectorAll('.leaflet-control')]
    .map((el) => el.getBoundingClientRect()).filter((r) => r.width > 0 && r.height > 0);
  const corner = (x, y) => map.containerPointToLatLng([x - frame.left, y - frame.top]);
  const free = panels.map((q) => [corner(q.left, q.bottom), corner(q.right, q.top)])
    .map(([a, b]) => [a.lng, a.lat, b.lng, b.lat]);
  const names = [...document.querySelectorAll('.bm-country .bm-label-text:not(.bm-hidden)')]
    .map((s) => {
      const r = s.getBoundingClientRect();
      const at = map.containerPointToLatLng(
        [(r.left + r.right) / 2 - frame.left, (r.top + r.bottom) / 2 - frame.top]);
      const under = panels.some((q) => r.left < q.right && q.left < r.right &&
        r.top < q.bottom && q.top < r.bottom);
      return [s.textContent, at.lat, at.lng, under,
        [r.left - frame.left, r.top - frame.top, r.right - frame.left, r.bottom - frame.top]];
    });
  const routes = bordermapRouteLines.filter((r) => map.hasLayer(r.group)).map((r) =>
    r.coords.map((c) => { const p = map.latLngToContainerPoint(c); return [p.x, p.y]; }));
  return {names, panels: free, routes};
}"""


@pytest.fixture(scope="module")
def bundled(tmp_path_factory):
    path = tmp_path_factory.mktemp("names") / "bundled.html"
    assert main(["render", "-o", str(path), "--offline"]) == 0
    return path


@pytest.fixture(scope="module")
def land():
    """The countries' land around the bundled map."""
    features = world_basemap((116.0, 33.0, 136.0, 48.0), margin=0).features
    return {
        code: shapely.union_all(features[features["country"] == code].geometry.array)
        for code in COUNTRIES.values()
    }


def _check(page, land) -> None:
    seen = page.evaluate(_NAMES)
    names = seen["names"]
    view = shapely.box(*frame_checks(page)["bounds"])
    free = view.difference(shapely.union_all([shapely.box(*q) for q in seen["panels"]]))
    # In view: a country covering a few percent of it clear of the panels (a sliver at a
    # corner or under the legend need not be named).
    in_view = {
        text
        for text, code in COUNTRIES.items()
        if land[code].intersection(free).area >= IN_VIEW_SHARE * view.area
    }
    texts = [text for text, *_ in names]
    assert in_view <= set(texts) <= set(COUNTRIES), (in_view, texts)
    assert len(texts) == len(set(texts)), texts  # each once
    routes = [shapely.LineString(run) for run in seen["routes"]]
    for text, lat, lon, under_panel, box in names:
        assert not under_panel, text
        assert not any(route.intersects(shapely.box(*box)) for route in routes), text
        # On its own land: its middle within a few kilometres of it (the placer may set a
        # name a few pixels off its anchor).
        assert land[COUNTRIES[text]].distance(shapely.Point(lon, lat)) < 0.05, (text, lat, lon)


@pytest.mark.parametrize("size", [(390, 844), (1280, 800), (640, 400)], ids=str)
def test_each_country_is_named_once_on_its_land_on_every_screen(browser, bundled, land, size):
    context, page, refused = open_offline(browser, bundled, *size)
    try:
        page.wait_for_timeout(300)
        assert {"China", "North Korea"} <= {x[0] for x in page.evaluate(_NAMES)["names"]}
        _check(page, land)
        after_zooming_in(page, 1)
        _check(page, land)
        assert refused == []
    finally:
        context.close()
