"""The time map: one map that steps through events, per event or summed since the first.

Each step is drawn ahead of time as hidden layers built by the same pieces as the
single-event map (:class:`~bordermap.render.html.PointLayer` fed by ``_crossing_points``),
one for the event alone and one for everything since the first event. A small Leaflet
control (previous/next buttons, a range input, a two-way switch) shows one of them. Its
JavaScript is a fixed template; everything from data reaches it as JSON built with
:mod:`bordermap.safe`, and it needs no plugin, so an offline file works.
"""

from __future__ import annotations

import folium
import pandas as pd
from jinja2 import Template

from bordermap import style
from bordermap.errors import ValidationError
from bordermap.render.html import (
    DEFAULT_TILES,
    HtmlControl,
    LiteralElement,
    PointLayer,
    StyleSheet,
    _add_facilities,
    _base_map,
    _credit_html,
    _crossing_name,
    _crossing_points,
    _legend_description,
    _legend_markup,
    _publication_note,
    add_title,
    fit_points,
    map_inputs,
)
from bordermap.safe import html_text, script_json

__all__ = ["timeline_map"]

_CSS = """
.bm-timeline { min-width: 250px; }
.bm-timeline .bm-controls { display: flex; align-items: center; gap: 6px; }
.bm-timeline button { font: bold 13px Arial, sans-serif; width: 28px; height: 24px;
  cursor: pointer; border: 1px solid #999; border-radius: 3px; background: #fff; }
.bm-timeline button:disabled { color: #bbb; cursor: default; }
.bm-timeline input[type=range] { flex: 1; }
.bm-timeline .bm-modes { margin: 4px 0; }
.bm-timeline .bm-modes label { margin-right: 10px; cursor: pointer; }
.bm-timeline .bm-step-label { font-weight: bold; font-size: 13px; margin-top: 2px; }
.bm-timeline .bm-step-body { margin-top: 2px; }
.bm-timeline .bm-step-body p { margin: 2px 0; }
path.bm-unnamed { opacity: 0.35; }
.bm-credit { max-height: 5.6em; overflow-y: auto; }
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
    div.querySelector(".bm-prev").disabled = step === 0;
    div.querySelector(".bm-next").disabled = step === steps.length - 1;
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
        self.event_layers = [g.get_name() for g in layers["event"]]
        self.cumulative_layers = [g.get_name() for g in layers["cumulative"]]
        self.steps_json = script_json(steps)
        self.frame_json = script_json(frame_html)
        self.start = int(start)


def _frame_html(n_steps: int, start: int, since: str, lang: str) -> str:
    def button(css: str, key: str, arrow: str) -> str:
        label = html_text(style.text(key, lang))
        return (
            f'<button type="button" class="{css}" title="{label}" aria-label="{label}">'
            f"{arrow}</button>"
        )

    range_label = html_text(style.text("event_step", lang))
    radios = "".join(
        f'<label><input type="radio" name="bm-mode" value="{value}"{checked}> '
        f"{html_text(text)}</label>"
        for value, text, checked in (
            ("event", style.text("this_event", lang), " checked"),
            ("cumulative", since, ""),
        )
    )
    return (
        '<div class="bm-controls">'
        + button("bm-prev", "previous_event", "◀")
        + f'<input type="range" class="bm-range" min="0" max="{n_steps - 1}" step="1" '
        f'value="{start}" aria-label="{range_label}">'
        + button("bm-next", "next_event", "▶")
        + f'</div><div class="bm-modes">{radios}</div>'
        + '<div class="bm-step-label"></div><div class="bm-step-body"></div>'
    )


def _total_label(total: dict, lang: str) -> str:
    return style.figure_label(
        total.get("total"), total.get("low"), total.get("high"), total.get("qualifier") or "", lang
    )


def _headline_total(rows: pd.DataFrame) -> dict | None:
    """The event's headline total as a dict like one of its published totals, or None."""
    first = rows.iloc[0]
    if "event_total" not in rows or (
        style.is_missing(first.get("event_total"))
        and style.is_missing(first.get("event_low"))
        and style.is_missing(first.get("event_high"))
    ):
        return None
    return {
        "total": first.get("event_total"),
        "low": first.get("event_low"),
        "high": first.get("event_high"),
        "qualifier": first.get("event_qualifier") or "",
        "source": first.get("event_total_source"),
        "source_date": first.get("event_total_source_date"),
        "url": first.get("event_total_url"),
    }


def _is_headline(total: dict, head: dict, lang: str) -> bool:
    return total.get("source") == head["source"] and _total_label(total, lang) == _total_label(
        head, lang
    )


def _event_html(rows: pd.DataFrame, lang: str) -> str:
    head = _headline_total(rows)
    totals = rows.iloc[0].get("event_totals") if "event_totals" in rows else None
    parts = []
    if head is not None:
        parts.append(
            f"<p>{html_text(style.text('event_total', lang))}: "
            f'<b class="bm-event-total">{html_text(_total_label(head, lang))}</b> — '
            f"{style.source_html(head, lang)}</p>"
        )
        others = [t for t in totals or [] if not _is_headline(t, head, lang)]
        if others:
            listed = "; ".join(
                f"{html_text(_total_label(t, lang))} — {style.source_html(t, lang)}" for t in others
            )
            parts.append(f"<p>{html_text(style.text('other_totals', lang))}: {listed}</p>")
    named, known = int(_named(rows).sum()), int(rows["has_figure"].sum())
    counts = style.text("crossings_named_count", lang).format(named=named, known=known)
    parts.append(f"<p>{html_text(counts)}</p>")
    return "".join(parts)


def _cumulative_html(series: pd.DataFrame, dates: list[pd.Timestamp], lang: str) -> str:
    pieces, total = [], 0.0
    for when in dates:
        head = _headline_total(series[series["event_date"] == when])
        if head is None:
            continue
        value = style.symbol_value(head["total"], head["low"], head["high"])
        total += value or 0
        pieces.append(_total_label(head, lang))
    if not pieces:
        return f"<p>{html_text(style.text('sum_note', lang))}</p>"
    return (
        f"<p>{html_text(style.text('sum_of_totals', lang))}: "
        f'<b class="bm-cumulative-total">{html_text(style.format_number(total, lang))}</b> '
        f"({html_text(' + '.join(pieces))})</p>"
        f"<p>{html_text(style.text('sum_note', lang))}</p>"
    )


def _named(rows: pd.DataFrame) -> pd.Series:
    return rows["named"] if "named" in rows else rows["has_figure"]


def _event_points(rows: pd.DataFrame, scale_max: float, lang: str) -> list[dict]:
    points, _ = _crossing_points(rows, lang, scale_max)
    for (_, row), point, named in zip(rows.iterrows(), points, _named(rows), strict=True):
        if row["has_figure"]:
            continue
        key = "named_no_figure" if named else "not_named"
        text = html_text(style.text(key, lang))
        point["label"] = text if named else ""
        point["tooltip"] = f"{html_text(_crossing_name(row, lang))}: {text}"
        if not named:
            point["style"] = dict(point["style"], className="bm-crossing bm-unknown bm-unnamed")
    return points


def _cumulative_rows(series: pd.DataFrame, dates: list[pd.Timestamp], lang: str) -> pd.DataFrame:
    """One row per crossing: the sum of its headline figures over ``dates``, and what it sums."""
    upto = series[series["event_date"].isin(dates)]
    last = upto[upto["event_date"] == dates[-1]].copy()
    sums, parts, named_in = [], [], []
    for crossing_id in last["id"]:
        rows = upto[upto["id"] == crossing_id]
        values, lines = [], []
        for _, row in rows.iterrows():
            value = style.symbol_value(row["figure"], row["low"], row["high"])
            if value is not None:
                values.append(value)
                label = style.figure_label(
                    row["figure"], row["low"], row["high"], row["qualifier"] or "", lang
                )
                lines.append((row, label))
        sums.append(int(sum(values)) if values else None)
        parts.append(lines)
        named_in.append(int(_named(rows).sum()))
    last["figure"] = pd.array(sums, dtype="Int64")
    last["low"] = pd.array([None] * len(last), dtype="Int64")
    last["high"] = pd.array([None] * len(last), dtype="Int64")
    last["qualifier"] = ""
    last["has_figure"] = [s is not None for s in sums]
    last["estimates"] = [[] for _ in range(len(last))]
    last["_parts"] = parts
    last["_named_in"] = named_in
    return last


def _cumulative_points(
    series: pd.DataFrame, dates: list[pd.Timestamp], scale_max: float, since: str, lang: str
) -> list[dict]:
    rows = _cumulative_rows(series, dates, lang)
    points, _ = _crossing_points(rows, lang, scale_max)
    for (_, row), point in zip(rows.iterrows(), points, strict=True):
        name = html_text(_crossing_name(row, lang))
        lines = [
            f"<tr><td>{html_text(style.format_date(r['event_date'], lang))}</td>"
            f"<td>{html_text(label)}</td><td>{style.source_html(r, lang)}</td></tr>"
            for r, label in row["_parts"]
        ]
        if row["has_figure"]:
            total = style.format_number(row["figure"], lang)
            point["tooltip"] = f"{name}: {html_text(since)}: {html_text(total)}"
            point["style"] = dict(point["style"], className="bm-crossing bm-known bm-cumulative")
        else:
            named = row["_named_in"]
            text = style.text("named_in_events", lang).format(n=named) if named else ""
            point["label"] = html_text(text)
            point["tooltip"] = f"{name}: {html_text(text or style.text('not_named', lang))}"
            if not named:
                point["style"] = dict(point["style"], className="bm-crossing bm-unknown bm-unnamed")
        point["popup"] = (
            f'<div class="bm-popup"><h3>{name}</h3><b>{html_text(since)}</b>'
            f"<table>{''.join(lines)}</table>"
            f'<div class="bm-meta">{html_text(style.text("sum_note", lang))}</div></div>'
        )
    return points


def _event_totals(series: pd.DataFrame) -> list[dict]:
    """Every published total behind the series' events, once per event."""
    if "event_totals" not in series:
        return []
    events = series.drop_duplicates("event_date")["event_totals"]
    return [total for totals in events for total in totals or []]


def timeline_map(
    joined_long,
    facilities=None,
    *,
    title: str | None = None,
    subtitle: str | None = None,
    lang: str = "en",
    tiles: str | None = DEFAULT_TILES,
    start: int | str = 0,
    width: str | int = "100%",
    height: str | int = "100%",
    publish: bool | str = False,
) -> folium.Map:
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
        (:func:`bordermap.publish.prepare_for_layers`); the audit is ``m._bordermap_audit``.

    Returns
    -------
    folium.Map
        The control shows, per step, either the event alone ("This event": each crossing's
        headline figure, the event's published totals) or everything since the first event
        (each crossing's figures summed). Circles share one scale across steps and views.

    Examples
    --------
    >>> import bordermap
    >>> m = bordermap.timeline_map(bordermap.event_series(), tiles=None)
    >>> page = m.get_root().render()
    >>> "bm-timeline" in page and "26 April 2024" in page
    True
    """
    style.check_lang(lang)
    if "event_date" not in joined_long.columns or not len(joined_long):
        raise ValidationError(
            "the time map needs one row per crossing per event",
            field="event_date",
            fix="use bordermap.event_series() or join_estimates(..., event='all')",
        )
    audit = None
    if publish:
        from bordermap.publish import prepare_for_layers

        restricted = "generalise" if publish is True else publish
        joined_long, facilities, _, audit = prepare_for_layers(
            joined_long, facilities, restricted=restricted
        )
    series = joined_long.sort_values("event_date", kind="stable")
    if "estimates" not in series.columns:
        series = series.assign(estimates=[[] for _ in range(len(series))])
    dates = sorted(series["event_date"].unique())
    dates = [pd.Timestamp(d) for d in dates]
    if isinstance(start, str):
        when = pd.to_datetime(start, errors="coerce", format="ISO8601")
        if when not in dates:
            raise ValidationError(
                "no such event in the series",
                field="start",
                value=start,
                fix="use one of: " + ", ".join(d.date().isoformat() for d in dates),
            )
        start = dates.index(when)
    if not 0 <= int(start) < len(dates):
        raise ValidationError("start is outside the series", field="start", value=start)

    since = style.text("since", lang).format(date=style.format_date(dates[0], lang))
    cumulative = {i: _cumulative_rows(series, dates[: i + 1], lang) for i in range(len(dates))}
    values = [
        style.symbol_value(r["figure"], r["low"], r["high"])
        for rows in [series, *cumulative.values()]
        for _, r in rows.iterrows()
    ]
    scale_max = max([v for v in values if v is not None], default=0.0)

    m = _base_map(tiles, width, height, lang=lang)
    StyleSheet(_CSS, "TimelineStyles").add_to(m)
    facility_countries, bounds = _add_facilities(m, facilities, lang)
    layers: dict[str, list[folium.FeatureGroup]] = {"event": [], "cumulative": []}
    steps, any_ring, any_approx = [], False, False
    for i, when in enumerate(dates):
        rows = series[series["event_date"] == when]
        event_points = _event_points(rows, scale_max, lang)
        cumulative_points = _cumulative_points(series, dates[: i + 1], scale_max, since, lang)
        for view, points in (("event", event_points), ("cumulative", cumulative_points)):
            group = folium.FeatureGroup(name=f"{view}-{i}", show=False, control=False)
            PointLayer(points).add_to(group)
            group.add_to(m)
            layers[view].append(group)
        any_ring = any_ring or any(p["ring"] for p in event_points)
        any_approx = any_approx or any(p["halo_m"] for p in event_points)
        bounds += [[p["lat"], p["lon"]] for p in event_points]
        name = rows["event_name"].iloc[0] if "event_name" in rows else None
        label = name or style.format_date(when, lang)
        counter = style.text("step_of", lang).format(i=i + 1, n=len(dates))
        steps.append(
            {
                "date": when.date().isoformat(),
                "label": f"{label} ({counter})",
                "event": _event_html(rows, lang),
                "cumulative": _cumulative_html(series, dates[: i + 1], lang),
            }
        )

    heading = title if title is not None else style.text("default_title", lang)
    span = f"{style.format_date(dates[0], lang)} – {style.format_date(dates[-1], lang)}"
    sub = subtitle if subtitle is not None else span
    add_title(m, heading, sub)
    legend = _legend_description(
        scale_max, True, facility_countries, lang, any_ring=any_ring, any_approx=any_approx
    )
    legend["rows"].append(
        {
            "kind": "circle",
            "radius": 8,
            "fill": "#ffffff",
            "stroke": style.NO_FIGURE_COLOR,
            "dashed": True,
            "opacity": 0.35,
            "label": style.text("legend_not_named", lang),
        }
    )
    legend["notes"] = [style.text("legend_cumulative", lang)]
    HtmlControl(_legend_markup(legend), position="bottomright", css_class="bm-legend").add_to(m)
    credit = _credit_html(series, lang, None, also=_event_totals(series))
    credit += _publication_note(audit, lang)
    HtmlControl(credit, position="bottomleft", css_class="bm-credit").add_to(m)
    TimeControl(
        layers, steps, _frame_html(len(dates), int(start), since, lang), start=start
    ).add_to(m)
    folium.LayerControl(collapsed=False).add_to(m)
    # Room for the panels: the time control and legend on the right, the credit below.
    fit_points(m, bounds, top_left=(30, 60), bottom_right=(120, 130))
    m.get_root().title = html_text(heading)
    sources = {e["source"] for ests in series["estimates"] for e in (ests or [])}
    sources |= {t["source"] for t in _event_totals(series)}
    m._bordermap = {
        "event": ", ".join(d.date().isoformat() for d in dates),
        "lang": lang,
        "title": heading,
        "sources": sorted(sources),
        "inputs": map_inputs(m, joined_long, facilities),
        "has_tiles": bool(tiles),
        "published": bool(publish),
    }
    if publish:
        # Input file names can say more than they should; their SHA-256 stays.
        m._bordermap["inputs"] = [{"sha256": i.get("sha256")} for i in m._bordermap["inputs"]]
        m._bordermap_audit = audit
    return m
