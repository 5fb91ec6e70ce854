"""What a reader sees of the labels of a page, measured in Chromium: the shown labels that
overlap, on load and after zooming in (the placer runs again on every view)."""

from __future__ import annotations

# One rule, in the page's JavaScript, for the checks of labels and of panels: of [name, box]
# pairs, the names of those whose boxes overlap by more than a pixel each way.
OVERLAPPING = """const overlapping = (items) => {
  const out = [];
  for (let i = 0; i < items.length; i++) for (let j = i + 1; j < items.length; j++) {
    const [a, p] = items[i], [b, q] = items[j];
    if (p.left < q.right - 1 && q.left < p.right - 1 && p.top < q.bottom - 1 &&
        q.top < p.bottom - 1) out.push(a + ' / ' + b);
  }
  return out;
};"""

_OVERLAPS = (
    "() => {"
    + OVERLAPPING
    + """
  const spans = [...document.querySelectorAll(
      '.leaflet-marker-icon .bm-label-text:not(.bm-hidden)')]
    .map((el) => [el.textContent, el.getBoundingClientRect()])
    .filter(([, r]) => r.width > 0 && r.height > 0);
  return {shown: spans.length, overlaps: overlapping(spans)};
}"""
)

_PLACED = "document.querySelector('[data-bm-labels-placed]')"


def label_overlaps(frame) -> dict:
    """``shown`` (labels visible) and ``overlaps`` (pairs of their texts that overlap)."""
    return frame.evaluate(_OVERLAPS)


def settled(frame, quiet_ms: int = 250, tries: int = 20) -> None:
    """Wait until no placement has run for ``quiet_ms``: a zoom may place the labels twice
    (at the zoom's end and again when the markers take their new positions), and what a
    reader sees is the last placement, not the one between."""
    runs = frame.evaluate(f"{_PLACED}.getAttribute('data-bm-labels-placed')")
    for _ in range(tries):
        frame.wait_for_timeout(quiet_ms)
        now = frame.evaluate(f"{_PLACED}.getAttribute('data-bm-labels-placed')")
        if now == runs:
            return
        runs = now


def after_zooming_in(frame, times: int = 2) -> list[dict]:
    """Zoom in ``times`` with the map's + button, waiting each time for the labels to be
    placed again; :func:`label_overlaps` after each zoom."""
    frame.wait_for_selector("[data-bm-labels-placed]", state="attached")
    seen = []
    for _ in range(times):
        runs = frame.evaluate(f"{_PLACED}.getAttribute('data-bm-labels-placed')")
        frame.locator(".leaflet-control-zoom-in").click()
        frame.wait_for_function(
            f"{_PLACED}.getAttribute('data-bm-labels-placed') !== {runs!r}"
            " && !document.querySelector('.leaflet-zoom-anim')"
        )
        settled(frame)
        seen.append(label_overlaps(frame))
    return seen


# What a reader sees of a map's frame, in one look (page pixels): the map's box, every
# symbol's box (crossing and facility circles, halos of approximate places, rings of higher
# figures), the panels that overlap each other (by OVERLAPPING), the figures written white on
# a circle that spill off it, the context names shown, the view's bounds (west, south, east,
# north), and the colours a halo is drawn on and in.
_FRAME = (
    "() => {"
    + OVERLAPPING
    + """
  const map = Object.values(window).find((v) => v instanceof L.Map);
  const box = (el) => { const r = el.getBoundingClientRect();
    return {left: r.left, top: r.top, right: r.right, bottom: r.bottom}; };
  const drawn = (r) => r.right > r.left && r.bottom > r.top;
  const container = map.getContainer();
  const symbols = [...container.querySelectorAll(
      'path.bm-crossing, path.bm-facility, path.bm-halo, path.bm-ring')]
    .map((p) => [p.getAttribute('class'), box(p)]).filter(([, r]) => drawn(r));
  const panels = [...container.querySelectorAll('.leaflet-control')]
    .map((el) => [el.className.split(' ').filter((c) => c.startsWith('bm-') ||
      c.startsWith('leaflet-control-')).join(' ') || el.className, box(el)])
    .filter(([, r]) => drawn(r));
  const circles = [...container.querySelectorAll('path.bm-crossing')].map(box);
  const spills = [...container.querySelectorAll('.bm-inverse .bm-label-text:not(.bm-hidden)')]
    .filter((s) => s.offsetParent !== null).map((s) => {
      const at = box(s.parentElement), text = box(s);
      const circle = circles.find((c) => Math.abs((c.left + c.right) / 2 - at.left) < 1 &&
        Math.abs((c.top + c.bottom) / 2 - at.top) < 1);
      return [s.textContent, circle && text.left >= circle.left - 0.5 &&
        text.right <= circle.right + 0.5];
    }).filter(([, inside]) => !inside).map(([text]) => text);
  const names = [...container.querySelectorAll('.bm-context .bm-label-text:not(.bm-hidden)')]
    .filter((s) => s.offsetParent !== null).map((s) => s.textContent);
  const b = map.getBounds();
  const grounds = [getComputedStyle(container).backgroundColor, ...[...container
    .querySelectorAll('path.bm-basemap-land, path.bm-basemap-world')]
    .map((p) => p.getAttribute('fill'))];
  return {map: box(container), symbols, panelOverlaps: overlapping(panels), spills, names,
    bounds: [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()],
    halos: [...container.querySelectorAll('path.bm-halo')].map((p) => p.getAttribute('stroke')),
    grounds: [...new Set(grounds)]};
}"""
)


def frame_checks(frame) -> dict:
    """The map's frame as a reader sees it (see ``_FRAME``): ``map``, ``symbols``,
    ``panelOverlaps``, ``spills``, ``names``, ``bounds``, ``halos`` and ``grounds``."""
    return frame.evaluate(_FRAME)


# Each location-uncertainty halo of a page, with the circle it surrounds (of the symbols of
# its kind, crossing or facility, the one whose centre is nearest its own): how many pixels
# lie between the circle's outer edge (its stroke included) and the halo's inner one.
# Negative: the halo is under its own circle.
_HALO_GAPS = """() => {
  const map = Object.values(window).find((v) => v instanceof L.Map);
  const container = map.getContainer();
  const measure = (p) => {
    const r = p.getBoundingClientRect(), w = parseFloat(getComputedStyle(p).strokeWidth) || 0;
    return {x: (r.left + r.right) / 2, y: (r.top + r.bottom) / 2, r: r.width / 2, w: w / 2};
  };
  const circles = (kind) => [...container.querySelectorAll('path.bm-' + kind)]
    .map(measure).filter((c) => c.r > 0);
  // Leaflet leaves a path out of the view undrawn (an empty box): those are not seen.
  const halos = (kind) => [...container.querySelectorAll('path.bm-halo-' + kind)]
    .map(measure).filter((h) => h.r > 0).map((h) => [h, circles(kind)]);
  return [...halos('crossing'), ...halos('facility')].map(([halo, around]) => {
    const near = around.reduce((best, c) => !best ||
      Math.hypot(c.x - halo.x, c.y - halo.y) < Math.hypot(best.x - halo.x, best.y - halo.y)
      ? c : best, null);
    return {halo: halo.r, circle: near ? near.r : 0,
      gap: near ? (halo.r - halo.w) - (near.r + near.w) : Infinity};
  });
}"""


def halo_gaps(frame) -> list[dict]:
    """Every halo drawn in the page's view and the circle it surrounds: ``halo`` and
    ``circle`` (their radii in px) and ``gap`` (px between the circle's outer edge and the
    halo's inner one; below zero the circle hides its own halo)."""
    return frame.evaluate(_HALO_GAPS)
