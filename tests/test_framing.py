"""The first view of a page, in headless Chromium: every symbol — circle, range ring,
location-uncertainty halo, facility — wholly inside the map and clear of every panel with a
margin, on a phone, a tablet, a desktop and in a 640×400 iframe, for the bundled map and for
four borders whose crossings are the corners of their maps (tests/data/framing); and every
halo shows round its circle, at every zoom."""

from __future__ import annotations

from pathlib import Path

import pytest

from bordermap.cli import main
from tests.chromium import iframe_host
from tests.label_checks import halo_gaps

pytestmark = pytest.mark.browser

DATA = Path(__file__).parent / "data" / "framing"
BORDERS = ("af_pk", "th_mm", "ru_ua", "np_cn")
SIZES = {
    "phone": (390, 844),
    "tablet": (768, 1024),
    "desktop": (1280, 800),
    "iframe": (640, 400),
}

# Pixels between every symbol (its stroke included) and the map's edge or a panel, at least:
# the first view's inset from the edge and the panels and a margin round each symbol, so
# that no circle sits flush against the edge.
MARGIN = 8

# Every symbol's box (its path's box grown by half its stroke and by ``margin``) that leaves
# the map or meets a panel's box: [class, box, what it meets]. Also how many symbols there are.
_CUT = """(margin) => {
  const map = document.querySelector('.leaflet-container').getBoundingClientRect();
  const panels = [...document.querySelectorAll('.leaflet-control')]
    .map((el) => [el.className, el.getBoundingClientRect()])
    .filter(([, r]) => r.width > 0 && r.height > 0);
  const symbols = [...document.querySelectorAll(
      'path.bm-crossing, path.bm-ring, path.bm-halo, path.bm-facility')]
    .map((p) => {
      const r = p.getBoundingClientRect(),
        w = parseFloat(getComputedStyle(p).strokeWidth) / 2 + margin;
      return [p.getAttribute('class'),
              {left: r.left - w, top: r.top - w, right: r.right + w, bottom: r.bottom + w}];
    });
  const box = (r) => [r.left, r.top, r.right, r.bottom].map(Math.round);
  const cut = [];
  symbols.forEach(([name, r]) => {
    if (r.left < map.left || r.top < map.top || r.right > map.right || r.bottom > map.bottom) {
      cut.push([name, box(r), 'the map\\'s edge']);
    }
    panels.forEach(([panel, q]) => {
      if (r.left < q.right && q.left < r.right && r.top < q.bottom && q.top < r.bottom) {
        cut.push([name, box(r), panel]);
      }
    });
  });
  return {symbols: symbols.length, cut};
}"""


@pytest.fixture(scope="module")
def framed(tmp_path_factory):
    """Each map as the CLI writes it offline, and a page holding it in a 640×400 iframe."""
    folder = tmp_path_factory.mktemp("framing")
    arguments = {"bundled": []}
    for border in BORDERS:
        arguments[border] = [
            "--crossings",
            str(DATA / f"{border}_crossings.csv"),
            "--estimates",
            str(DATA / f"{border}_estimates.csv"),
        ]
    pages = {}
    for name, args in arguments.items():
        path = folder / f"{name}.html"
        assert main(["render", "-o", str(path), "--offline", *args]) == 0
        host = iframe_host(path)
        pages[name] = (path, host)
    return pages


def _first_view(open_html, pages, size):
    """The page at ``size`` once its labels are placed and its fonts in (the first view is
    fitted again then): the frame the map is in."""
    path, host = pages
    if size == "iframe":
        opened = open_html(host, width=660, height=420)
        opened.page.frame_locator("iframe").locator("[data-bm-labels-placed]").wait_for()
        frame = opened.page.frames[1]
    else:
        opened = open_html(path, width=SIZES[size][0], height=SIZES[size][1])
        frame = opened.page
        frame.wait_for_selector("[data-bm-labels-placed]", state="attached")
    frame.evaluate("() => document.fonts.ready.then(() => true)")
    frame.wait_for_timeout(100)
    assert opened.errors == [] and opened.requests == []
    return frame


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("name", ["bundled", *BORDERS])
def test_the_first_view_holds_every_symbol_clear_of_the_panels(open_html, framed, name, size):
    frame = _first_view(open_html, framed[name], size)
    seen = frame.evaluate(_CUT, MARGIN)
    assert seen["symbols"] >= 2
    assert seen["cut"] == [], seen["cut"]


# A halo of location uncertainty smaller on screen than its circle (a few kilometres at a
# country's scale) is drawn just outside the circle instead, at every zoom: never hidden
# under it, so the map always says the place is approximate. Pixels between the circle's
# stroke and the halo's, at least (three by design, less a pixel of rounding).
HALO_GAP = 2


# The map and where its halos are (their symbols' centres), in the page.
_HALOS = """() => {
  const map = Object.values(window).find((v) => v instanceof L.Map);
  const at = [];
  map.eachLayer((layer) => {
    if (layer instanceof L.Circle && String(layer.options.className).includes('bm-halo')) {
      at.push([layer.getLatLng().lat, layer.getLatLng().lng]);
    }
  });
  return {zoom: map.getZoom(), at};
}"""
_VIEW = """([centre, zoom]) => Object.values(window).find((v) => v instanceof L.Map)
  .setView(centre, zoom, {animate: false})"""


@pytest.mark.parametrize("name", ["bundled", "th_mm", "np_cn"])
def test_every_halo_shows_round_its_circle_at_every_zoom(open_html, framed, name):
    frame = _first_view(open_html, framed[name], "desktop")
    halos = frame.evaluate(_HALOS)
    assert halos["at"]
    first = round(halos["zoom"])
    middle = frame.evaluate(
        "() => Object.values(window).find((v) => v instanceof L.Map).getCenter()"
    )
    seen: dict[int, list[dict]] = {}
    # From three zooms out (every halo in view) to four in (a few halos, each in the middle).
    for zoom in range(max(0, first - 3), first + 5):
        centres = [[middle["lat"], middle["lng"]]] if zoom <= first else halos["at"][:3]
        seen[zoom] = []
        for centre in centres:
            frame.evaluate(_VIEW, [centre, zoom])
            seen[zoom] += halo_gaps(frame)
    hidden = {z: [h for h in gaps if h["gap"] < HALO_GAP] for z, gaps in seen.items()}
    assert {z: h for z, h in hidden.items() if h} == {}
    # Zoomed in, where the uncertainty is wider than the circle, the halo shows its true size.
    assert any(h["gap"] > 3 * HALO_GAP + 10 for gaps in seen.values() for h in gaps)
