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


def _settled(frame, quiet_ms: int = 250, tries: int = 20) -> None:
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
        _settled(frame)
        seen.append(label_overlaps(frame))
    return seen
