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
from jinja2 import Template

from bordermap.arguments import FRAME, NONE, TEXT, check_argument
from bordermap.render.leaflet.access import AccessibleMap
from bordermap.render.leaflet.elements import (
    BordermapMap,
    FoldScript,
    LayerControl,
    LiteralElement,
    StyleSheet,
)
from bordermap.render.leaflet.markup import source_html
from bordermap.render.leaflet.page import (
    DEFAULT_TILES,
    add_context,
    add_panels,
    add_points,
    base_map,
    fit,
)
from bordermap.render.leaflet.placement import LabelPlacer
from bordermap.safe import html_text, script_json
from bordermap.spec import MapSpec, TimelineStep, Total
from bordermap.timeline import describe_timeline_for_publication

__all__ = ["draw_timeline", "timeline_map"]

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
.bm-timeline .bm-modes label { margin-right: 10px; cursor: pointer; }
.bm-timeline .bm-step-label { font-weight: bold; font-size: 13px; margin-top: 2px; }
.bm-timeline .bm-step-body { margin-top: 2px; }
.bm-timeline .bm-step-body p { margin: 2px 0; }
path.bm-unnamed { opacity: 0.35; }
.bm-credit { max-height: 5.6em; overflow-y: auto; }
@media (max-width: 600px), (max-height: 500px) {
  .bm-timeline { min-width: 0; }
  .bm-timeline:not(.bm-open) .bm-step-body { display: none; }
  .bm-timeline .bm-fold { padding: 0 2px; min-height: 24px; font-weight: normal;
    text-decoration: underline; white-space: nowrap; }
}
"""


class TimeControl(LiteralElement):
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

    _template = Template(
        """{% macro script(this, kwargs) %}
(function () {
  var map = {{ this._parent.get_name() }};
  var layers = {
    event: [{{ this.event_layers|join(", ") }}],
    cumulative: [{{ this.cumulative_layers|join(", ") }}]
  };
  var steps = {{ this.steps_json }};
  var state = {step: {{ this.start }}, mode: "event"};
  var div;
  function show(step, mode) {
    step = Math.max(0, Math.min(steps.length - 1, step));
    ["event", "cumulative"].forEach(function (m) {
      layers[m].forEach(function (layer) { map.removeLayer(layer); });
    });
    map.addLayer(layers[mode][step]);
    state.step = step;
    state.mode = mode;
    div.querySelector(".bm-range").value = String(step);
    var prev = div.querySelector(".bm-prev"), next = div.querySelector(".bm-next");
    prev.disabled = step === 0;
    next.disabled = step === steps.length - 1;
    // A button that becomes disabled under the keyboard would drop focus to the page.
    if (document.activeElement === prev && prev.disabled) { next.focus(); }
    if (document.activeElement === next && next.disabled) { prev.focus(); }
    div.querySelector(".bm-step-label").textContent = steps[step].label;
    div.querySelector(".bm-step-body").innerHTML = steps[step][mode];
    div.setAttribute("data-step", String(step));
    div.setAttribute("data-mode", mode);
  }
  var control = L.control({position: "topright"});
  control.onAdd = function () {
    div = L.DomUtil.create("div", "bm-panel bm-timeline");
    div.innerHTML = {{ this.frame_json }};
    div.querySelector(".bm-prev").addEventListener("click", function () {
      show(state.step - 1, state.mode);
    });
    div.querySelector(".bm-next").addEventListener("click", function () {
      show(state.step + 1, state.mode);
    });
    div.querySelector(".bm-range").addEventListener("input", function (e) {
      show(parseInt(e.target.value, 10), state.mode);
    });
    div.querySelectorAll("input[name=bm-mode]").forEach(function (radio) {
      radio.addEventListener("change", function (e) { show(state.step, e.target.value); });
    });
    L.DomEvent.disableClickPropagation(div);
    L.DomEvent.disableScrollPropagation(div);
    bordermapFold(div, map);
    return div;
  };
  control.addTo(map);
  show(state.step, state.mode);
})();
{% endmacro %}"""
    )

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
        self.add_child(FoldScript())
        self.event_layers = [g.get_name() for g in layers["event"]]
        self.cumulative_layers = [g.get_name() for g in layers["cumulative"]]
        self.steps_json = script_json(steps)
        self.frame_json = script_json(frame_html)
        self.start = int(start)


def _frame_html(spec: MapSpec) -> str:
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
        + '<button type="button" class="bm-fold" aria-expanded="false">'
        + f"{html_text(names['details'])}</button>"
        + '<div class="bm-step-body"></div>'
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
    spec: MapSpec,
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
    m.page_description = spec.summary
    fit(m, spec)
    m.spec = spec
    return m


def timeline_map(
    joined_long,
    facilities=None,
    *,
    title: str | None = None,
    subtitle: str | None = None,
    lang: str = "en",
    tiles: Any = DEFAULT_TILES,
    start: int | str = 0,
    width: str | int = "100%",
    height: str | int = "100%",
    publish: bool | str = False,
) -> BordermapMap:
    """Draw a series of events on one map with a control that steps through them.

    Parameters
    ----------
    joined_long : geopandas.GeoDataFrame
        One row per crossing per event: :func:`bordermap.event_series` (event totals and
        crossings named included), or :func:`bordermap.join_estimates` with a list of
        events or ``"all"``.
    facilities : geopandas.GeoDataFrame, optional
        Drawn on every step.
    title, subtitle : str, optional
        Shown at the top; the subtitle defaults to the span of the series.
    lang : {"en", "ko", "zh"}
        Language of labels, legend and control.
    tiles : str or None
        As for :func:`bordermap.crossing_map`; None for an offline file.
    start : int or str
        The step shown first: its index or its date (default: the first event).
    width, height : str or int
        Size of the map.
    publish : bool or {"generalise", "drop"}, default False
        Draw only what may be published, as :func:`bordermap.crossing_map` does
        (:func:`bordermap.publish.prepare_for_layers`); the audit is ``m.audit``.

    Returns
    -------
    folium.Map
        The control shows, per step, either the event alone ("This event": each crossing's
        headline figure, the event's published totals) or everything since the first event
        (each crossing's figures summed). Circles share one scale across steps and views.
        ``m.spec`` is the map's description (:func:`bordermap.describe_timeline`).

    Examples
    --------
    >>> import bordermap
    >>> m = bordermap.timeline_map(bordermap.event_series(), tiles=None)
    >>> page = m.get_root().render()
    >>> "bm-timeline" in page and "26 April 2024" in page
    True
    """
    check_argument("joined_long", joined_long, FRAME)
    check_argument("facilities", facilities, FRAME, NONE)
    check_argument("title", title, TEXT, NONE)
    check_argument("subtitle", subtitle, TEXT, NONE)
    check_argument("lang", lang, TEXT)
    spec, audit = describe_timeline_for_publication(
        joined_long,
        facilities,
        title=title,
        subtitle=subtitle,
        lang=lang,
        start=start,
        publish=publish,
    )
    m = draw_timeline(spec, tiles=tiles, width=width, height=height)
    m.audit = audit
    return m
