"""The time map page: one map that steps through events, per event or summed since the first.

Each step of the :class:`~bordermap.spec.MapSpec` is drawn ahead of time as hidden layers
(the same :class:`~bordermap.render.leaflet.page.PointLayer` as the crossing map), one for
the event alone and one for everything since the first event. A small Leaflet control
(previous/next buttons, a range input, a two-way switch) shows one of them. Its JavaScript
is a fixed template; everything from data reaches it as JSON, and it needs no plugin, so an
offline file works.
"""

from __future__ import annotations

from typing import Any

import folium

from bordermap.render.leaflet.access import AccessibleMap
from bordermap.render.leaflet.elements import (
    BordermapMap,
    LayerControl,
    StyleSheet,
    WebPart,
)
from bordermap.render.leaflet.markup import source_html
from bordermap.render.leaflet.page import (
    add_context,
    add_panels,
    add_points,
    base_map,
    drawn_tiles,
    fit,
)
from bordermap.render.leaflet.placement import LabelPlacer
from bordermap.safe import html_text, script_json
from bordermap.spec import TimelineSpec, TimelineStep, Total

__all__ = ["draw_timeline"]

_CSS = """
.bm-timeline { min-width: 250px; }
.bm-timeline .bm-controls { display: flex; align-items: center; gap: 6px; }
.bm-timeline button { font: bold 13px Arial, sans-serif; width: 28px; height: 24px;
  cursor: pointer; border: 1px solid #999; border-radius: 3px; background: #fff; }
.bm-timeline button:disabled { color: #bbb; cursor: default; }
.bm-timeline button:focus-visible, .bm-timeline input:focus-visible {
  outline: 3px solid #1a4f8b; outline-offset: 1px; }
.bm-timeline input[type=range] { flex: 1; }
.bm-timeline .bm-modes { margin: 4px 0; }
.bm-timeline .bm-modes label { margin-inline-end: 10px; cursor: pointer; }
.bm-timeline .bm-step-label { font-weight: bold; font-size: 13px; margin-top: 2px; }
.bm-timeline .bm-step-body { margin-top: 2px; }
.bm-timeline .bm-step-body p { margin: 2px 0; }
path.bm-unnamed { opacity: 0.35; }
.bm-credit { max-height: 5.6em; overflow-y: auto; }
/* The fold is a text button, not one of the 28-px step buttons: its text has its own box. */
.bm-timeline button.bm-fold { width: auto; height: auto; border: 0; background: none;
  padding: 0; font: inherit; text-decoration: underline; white-space: nowrap; }
/* On a small screen or in a small frame the control folds to one row (step back, step
   forward, the date, a "+" naming the totals and sources), leaving the crossings the map. */
@media (max-width: 600px), (max-height: 500px) {
  .bm-timeline { min-width: 0; max-width: min(262px, calc(100vw - 90px)); display: flex;
    flex-wrap: wrap; align-items: center; column-gap: 6px; }
  /* Opened, it stays as wide as its row and its text scrolls: it meets no other panel. */
  .bm-timeline.bm-open .bm-step-body { max-height: 35vh; overflow-y: auto; }
  .bm-timeline .bm-controls { gap: 4px; }
  .bm-timeline:not(.bm-open) .bm-range { display: none; }
  .bm-timeline .bm-step-label { flex: 1 1 0; min-width: 0; margin: 0; font-size: 12px;
    white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
  .bm-timeline .bm-modes, .bm-timeline .bm-step-body { flex: 1 0 100%; order: 2; }
  .bm-timeline .bm-step-body { order: 3; }
  .bm-timeline:not(.bm-open) .bm-modes, .bm-timeline:not(.bm-open) .bm-step-body {
    display: none; }
  .bm-timeline button.bm-fold { width: 28px; height: 24px; border: 1px solid #999;
    background: #fff; text-decoration: none; font-weight: bold; }
  .bm-timeline .bm-fold .bm-fold-text { position: absolute; width: 1px; height: 1px;
    overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
  .bm-timeline .bm-fold::before { content: "+"; }
  .bm-timeline.bm-open .bm-fold::before { content: "−"; }
}
"""


class TimeControl(WebPart):
    """A Leaflet control that shows one of several prepared layers per step and view.

    Parameters
    ----------
    layers : dict of str to list of folium.FeatureGroup
        ``{"event": [...], "cumulative": [...]}``, one hidden group per step and view.
    steps : list of dict
        Per step: ``label`` and ``event``/``cumulative`` (safe HTML describing it).
    frame_html : str
        The control's safe HTML: buttons ``.bm-prev``/``.bm-next``, ``input.bm-range``,
        radios named ``bm-mode`` and the ``.bm-step-label``/``.bm-step-body`` blocks.
    start : int
        The step shown first.
    """

    scripts = ("fold.js", "time_control.js")
    draw = "bordermapTimeControl"

    def __init__(
        self,
        layers: dict[str, list[folium.FeatureGroup]],
        steps: list[dict],
        frame_html: str,
        *,
        start: int = 0,
    ) -> None:
        super().__init__()
        self._name = "TimeControl"
        self.layer_names = {
            view: [g.get_name() for g in layers[view]] for view in ("event", "cumulative")
        }
        self.steps = steps
        self.frame = frame_html
        self.start = int(start)

    def data_json(self) -> str:
        names = {"frame": self.frame, "layers": self.layer_names}
        return script_json({**names, "start": self.start, "steps": self.steps})


def _frame_html(spec: TimelineSpec) -> str:
    names = spec.step_names

    def button(css: str, key: str, arrow: str) -> str:
        label = html_text(names[key])
        return (
            f'<button type="button" class="{css}" title="{label}" aria-label="{label}">'
            f"{arrow}</button>"
        )

    radios = "".join(
        f'<label><input type="radio" name="bm-mode" value="{value}"{checked}> '
        f"{html_text(text)}</label>"
        for value, text, checked in (
            ("event", names["this_event"], " checked"),
            ("cumulative", names["since"], ""),
        )
    )
    return (
        '<div class="bm-controls">'
        + button("bm-prev", "previous_event", "◀")
        + f'<input type="range" class="bm-range" min="0" max="{len(spec.steps) - 1}" step="1" '
        f'value="{spec.start}" aria-label="{html_text(names["event_step"])}">'
        + button("bm-next", "next_event", "▶")
        + f'</div><div class="bm-modes">{radios}</div>'
        # A screen reader says the new step when it changes (polite: after what it is reading).
        + '<div class="bm-step-label" aria-live="polite" aria-atomic="true"></div>'
        # On a small screen the totals and sources fold under a button.
        + '<button type="button" class="bm-fold" aria-expanded="false" '
        + f'title="{html_text(names["details"])}">'
        + f'<span class="bm-fold-text">{html_text(names["details"])}</span></button>'
        # Scrolls on a small screen when opened: reached with Tab, named.
        + '<div class="bm-step-body" tabindex="0" role="group" '
        + f'aria-label="{html_text(names["details"])}"></div>'
    )


def _total_html(total: Total, css: str) -> str:
    source = f" — {source_html(total.source)}" if total.source else ""
    detail = f" ({html_text(total.detail)})" if total.detail else ""
    return (
        f'{html_text(total.heading)}: <b class="{css}">{html_text(total.value)}</b>{source}{detail}'
    )


def _event_html(step: TimelineStep) -> str:
    parts = []
    if step.event_totals:
        parts.append(f"<p>{_total_html(step.event_totals[0], 'bm-event-total')}</p>")
        others = step.event_totals[1:]
        if others:
            listed = "; ".join(
                f"{html_text(t.value)} — {source_html(t.source)}"
                if t.source
                else html_text(t.value)
                for t in others
            )
            parts.append(f"<p>{html_text(others[0].heading)}: {listed}</p>")
    parts += [f"<p>{html_text(line)}</p>" for line in step.event_lines]
    return "".join(parts)


def _cumulative_html(step: TimelineStep) -> str:
    parts = []
    if step.cumulative_total is not None:
        parts.append(f"<p>{_total_html(step.cumulative_total, 'bm-cumulative-total')}</p>")
    parts += [f"<p>{html_text(line)}</p>" for line in step.cumulative_lines]
    return "".join(parts)


def draw_timeline(
    spec: TimelineSpec,
    *,
    tiles: Any = None,
    width: str | int = "100%",
    height: str | int = "100%",
) -> BordermapMap:
    """Draw a time map's description (:func:`bordermap.describe_timeline`) as a folium map.

    Examples
    --------
    >>> import bordermap
    >>> m = draw_timeline(bordermap.describe_timeline(bordermap.event_series()))
    >>> len(m.spec.steps)
    4
    """
    tiles = drawn_tiles(tiles)
    m = base_map(tiles, width, height, lang=spec.lang, area=spec.basemap_area)
    add_context(m, spec, drawn=not tiles)
    StyleSheet(_CSS, "TimelineStyles").add_to(m)
    by_layer: dict[str, list[Any]] = {}
    for symbol in spec.symbols:
        by_layer.setdefault(symbol.layer, []).append(symbol)
    for layer, symbols in by_layer.items():
        add_points(m, spec.layer_names.get(layer, layer), symbols)
    layers: dict[str, list[folium.FeatureGroup]] = {"event": [], "cumulative": []}
    steps = []
    for i, step in enumerate(spec.steps):
        for view, drawn, labels in (
            ("event", step.event, step.event_labels),
            ("cumulative", step.cumulative, step.cumulative_labels),
        ):
            group = add_points(m, f"{view}-{i}", drawn, labels, show=False, control=False)
            layers[view].append(group)
        steps.append(
            {
                "date": step.date,
                "label": step.label,
                "event": _event_html(step),
                "cumulative": _cumulative_html(step),
            }
        )
    add_panels(m, spec)
    TimeControl(layers, steps, _frame_html(spec), start=spec.start).add_to(m)
    LayerControl(collapsed=False).add_to(m)
    LabelPlacer().add_to(m)
    AccessibleMap(spec).add_to(m)
    m.page_lang = spec.lang
    m.page_dir = spec.direction
    m.page_description = spec.summary
    fit(m, spec)
    m.spec = spec
    return m
