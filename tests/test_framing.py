"""The first view of a page, in headless Chromium: every symbol — circle, range ring,
location-uncertainty halo, facility — wholly inside the map and clear of every panel, on a
phone, a tablet, a desktop and in a 640×400 iframe, for the bundled map and for four borders
whose crossings are the corners of their maps (tests/data/framing)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bordermap.cli import main
from tests.chromium import iframe_host

pytestmark = pytest.mark.browser

DATA = Path(__file__).parent / "data" / "framing"
BORDERS = ("af_pk", "th_mm", "ru_ua", "np_cn")
SIZES = {
    "phone": (390, 844),
    "tablet": (768, 1024),
    "desktop": (1280, 800),
    "iframe": (640, 400),
}

# Every symbol's box (its path's box grown by half its stroke) that leaves the map or meets
# a panel's box: [class, box, what it meets]. Also how many symbols there are.
_CUT = """() => {
  const map = document.querySelector('.leaflet-container').getBoundingClientRect();
  const panels = [...document.querySelectorAll('.leaflet-control')]
    .map((el) => [el.className, el.getBoundingClientRect()])
    .filter(([, r]) => r.width > 0 && r.height > 0);
  const symbols = [...document.querySelectorAll(
      'path.bm-crossing, path.bm-ring, path.bm-halo, path.bm-facility')]
    .map((p) => {
      const r = p.getBoundingClientRect(), w = parseFloat(getComputedStyle(p).strokeWidth) / 2;
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
    seen = frame.evaluate(_CUT)
    assert seen["symbols"] >= 2
    assert seen["cut"] == [], seen["cut"]
