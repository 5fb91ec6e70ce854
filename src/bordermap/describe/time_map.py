"""The time map's description: a series of events, per event or summed since the first.

Each step holds the symbols and labels of the event alone and of everything since the first
event, on one scale, and what the control's panel says (totals with their sources).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

import pandas as pd

from bordermap import i18n, theme
from bordermap.arguments import BOOL, FRAME, NONE, TEXT, WHOLE, check_argument
from bordermap.cells import is_missing
from bordermap.describe.crossings import crossing_symbols
from bordermap.describe.facilities import facility_symbols
from bordermap.describe.panels import (
    basemap_context,
    bounds_of,
    credit,
    default_title,
    estimates_of,
    inputs_of,
    layer_names,
    legend,
    near_nothing,
    publication_notes,
)
from bordermap.errors import ValidationError
from bordermap.safe import isolate
from bordermap.spec import (
    Label,
    Legend,
    LegendEntry,
    Popup,
    PopupRow,
    Source,
    Symbol,
    TimelineSpec,
    TimelineStep,
    Total,
    metadata,
)

__all__ = ["describe_timeline", "describe_timeline_for_publication", "timeline_summary"]

# How many crossings the summary names as having the largest figures.
_SUMMARY_LARGEST = 3


def _total_label(total: dict, lang: str) -> str:
    return i18n.figure_label(
        total.get("total"), total.get("low"), total.get("high"), total.get("qualifier") or "", lang
    )


def _headline_total(rows: pd.DataFrame) -> dict | None:
    """The event's headline total as a dict like one of its published totals, or None."""
    first = rows.iloc[0]
    if "event_total" not in rows or (
        is_missing(first.get("event_total"))
        and is_missing(first.get("event_low"))
        and is_missing(first.get("event_high"))
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


def _event_totals_of(rows: pd.DataFrame, lang: str) -> tuple[Total, ...]:
    """The headline total first, then every other published total of the event."""
    head = _headline_total(rows)
    if head is None:
        return ()
    shown = _total_label(head, lang)
    totals = [Total(i18n.text("event_total", lang), shown, Source.cited(head, lang))]
    listed = rows.iloc[0].get("event_totals") if "event_totals" in rows else None
    for total in listed or []:
        label = _total_label(total, lang)
        if total.get("source") == head["source"] and label == shown:
            continue
        totals.append(Total(i18n.text("other_totals", lang), label, Source.cited(total, lang)))
    return tuple(totals)


def _named(rows: pd.DataFrame) -> pd.Series:
    return rows["named"] if "named" in rows else rows["has_figure"]


def _with_note(labels: list[Label], ident: str, text: str | None) -> list[Label]:
    """The labels with the note beside crossing ``ident`` replaced (or removed for None)."""
    out = []
    for label in labels:
        if label.symbol == ident and label.role == "note":
            if text:
                out.append(dataclasses.replace(label, text=text))
            continue
        out.append(label)
    return out


def _event_view(
    rows: pd.DataFrame, scale_max: float, lang: str
) -> tuple[list[Symbol], list[Label]]:
    symbols, labels, _ = crossing_symbols(rows, lang, scale_max)
    out = []
    for (_, row), symbol, named in zip(rows.iterrows(), symbols, _named(rows), strict=True):
        if row["has_figure"]:
            out.append(symbol)
            continue
        text = i18n.text("named_no_figure" if named else "not_named", lang)
        labels = _with_note(labels, symbol.id, text if named else None)
        name = i18n.crossing_label(row, lang)
        tags = symbol.tags if named else (*symbol.tags, "unnamed")
        out.append(dataclasses.replace(symbol, tooltip=f"{name}: {text}", tags=tags))
    return out, labels


def _cumulative_rows(series: pd.DataFrame, dates: list[pd.Timestamp], lang: str) -> pd.DataFrame:
    """One row per crossing: the sum of its headline figures over ``dates``, and what it sums."""
    upto = series[series["event_date"].isin(dates)]
    last = upto[upto["event_date"] == dates[-1]].copy()
    sums, parts, named_in = [], [], []
    for crossing_id in last["id"]:
        rows = upto[upto["id"] == crossing_id]
        values, lines = [], []
        for _, row in rows.iterrows():
            value = theme.symbol_value(row["figure"], row["low"], row["high"])
            if value is not None:
                values.append(value)
                label = i18n.figure_label(
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


def _cumulative_view(
    rows: pd.DataFrame, scale_max: float, since: str, lang: str
) -> tuple[list[Symbol], list[Label]]:
    symbols, labels, _ = crossing_symbols(rows, lang, scale_max)
    out = []
    for (_, row), symbol in zip(rows.iterrows(), symbols, strict=True):
        name = i18n.crossing_label(row, lang)
        popup = Popup(
            name,
            table_title=since,
            rows=tuple(
                PopupRow(
                    (i18n.format_date(r["event_date"], lang), label), source=Source.cited(r, lang)
                )
                for r, label in row["_parts"]
            ),
            meta=(i18n.text("sum_note", lang),),
        )
        if row["has_figure"]:
            total = i18n.format_number(row["figure"], lang)
            tags = (*symbol.tags, "cumulative")
            tooltip = f"{name}: {since}: {total}"
        else:
            named = row["_named_in"]
            text = i18n.ntext("named_in_events", named, lang).format(n=named) if named else ""
            labels = _with_note(labels, symbol.id, text or None)
            tooltip = f"{name}: {text or i18n.text('not_named', lang)}"
            tags = symbol.tags if named else (*symbol.tags, "unnamed")
        out.append(dataclasses.replace(symbol, tooltip=tooltip, tags=tags, popup=popup))
    return out, labels


def _cumulative_total(series: pd.DataFrame, dates: list[pd.Timestamp], lang: str) -> Total | None:
    pieces, total = [], 0.0
    for when in dates:
        head = _headline_total(series[series["event_date"] == when])
        if head is None:
            continue
        total += theme.symbol_value(head["total"], head["low"], head["high"]) or 0
        pieces.append(_total_label(head, lang))
    if not pieces:
        return None
    return Total(
        i18n.text("sum_of_totals", lang),
        i18n.format_number(total, lang),
        detail=" + ".join(pieces),
    )


def _all_totals(series: pd.DataFrame) -> list[dict]:
    """Every published total behind the series' events, once per event."""
    if "event_totals" not in series:
        return []
    events = series.drop_duplicates("event_date")["event_totals"]
    return [total for totals in events for total in totals or []]


def timeline_summary(title: str, steps: Sequence[TimelineStep], lang: str) -> str:
    """One paragraph saying what a time map shows, from its steps (the text a screen reader
    reads for the map): the events and their dates, each event's published total, the
    crossings with the largest figures, and the crossings no figure was ever published for.

    A crossing's figure is the text on its circle; which is largest is read from the circle's
    radius (area ∝ figure, one scale for every step), so "no published figure" is never
    ranked or turned into a number.

    Examples
    --------
    >>> import bordermap
    >>> spec = bordermap.describe_timeline(bordermap.event_series())
    >>> text = timeline_summary("Returns", spec.steps, "en")
    >>> text[:81]
    'Returns. A time map of 4 events from 29 August 2023 to 26 April 2024 at 5 border '
    >>> text[text.index("Largest") : text.index(" and Dandong")]
    'Largest figures: Tumen → Onsong 300 (9 October 2023)'
    """
    names: dict[str, str] = {}
    largest: dict[str, tuple[float, str]] = {}  # crossing → (radius, "figure (date)")
    totals = []
    for step in steps:
        when = i18n.format_date(step.date, lang)
        figures = {x.symbol: x.text for x in step.event_labels if x.role == "figure"}
        for symbol in step.event:
            names.setdefault(symbol.id, symbol.popup.heading)
            if symbol.id in figures and symbol.style.radius > largest.get(symbol.id, (-1.0,))[0]:
                dated = i18n.text("summary_dated", lang).format(value=figures[symbol.id], date=when)
                largest[symbol.id] = (symbol.style.radius, dated)
        if step.event_totals:
            totals.append(
                i18n.text("summary_dated", lang).format(value=step.event_totals[0].value, date=when)
            )
    ranked = sorted(largest, key=lambda ident: -largest[ident][0])[:_SUMMARY_LARGEST]
    none = i18n.text("summary_none", lang)

    def listed(key: str, items: list[str]) -> str:
        return i18n.text(key, lang).format(items=i18n.format_list(items, lang) if items else none)

    return i18n.text("timeline_summary", lang).format(
        title=isolate(title.rstrip(".")),
        n=len(steps),
        first=i18n.format_date(steps[0].date, lang),
        last=i18n.format_date(steps[-1].date, lang),
        crossings=len(names),
        totals=listed("summary_totals", totals),
        largest=listed("summary_largest", [f"{isolate(names[i])} {largest[i][1]}" for i in ranked]),
        unknown=listed(
            "summary_unknown", [isolate(n) for i, n in names.items() if i not in largest]
        ),
    )


def _start_index(start: int | str, dates: list[pd.Timestamp]) -> int:
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
    return int(start)


def describe_timeline(
    joined_long: pd.DataFrame,
    facilities: pd.DataFrame | None = None,
    *,
    title: str | None = None,
    subtitle: str | None = None,
    lang: str = "en",
    start: int | str = 0,
    publish: bool | str = False,
) -> TimelineSpec:
    """Describe a series of events for the time map (see :func:`bordermap.timeline_map`).

    ``publish`` cleans the series and facilities as :func:`bordermap.describe_crossings`
    does (:func:`bordermap.model.publish.prepare_for_layers`).

    Examples
    --------
    >>> import bordermap
    >>> spec = bordermap.describe_timeline(bordermap.event_series())
    >>> [step.date for step in spec.steps]
    ['2023-08-29', '2023-09-18', '2023-10-09', '2024-04-26']
    """
    check_argument("joined_long", joined_long, FRAME)
    check_argument("facilities", facilities, FRAME, NONE)
    check_argument("title", title, TEXT, NONE)
    check_argument("subtitle", subtitle, TEXT, NONE)
    check_argument("lang", lang, TEXT)
    check_argument("start", start, WHOLE, TEXT)
    check_argument("publish", publish, BOOL, TEXT)
    return describe_timeline_for_publication(
        joined_long,
        facilities,
        title=title,
        subtitle=subtitle,
        lang=lang,
        start=start,
        publish=publish,
    )[0]


def describe_timeline_for_publication(
    joined_long: pd.DataFrame,
    facilities: pd.DataFrame | None = None,
    *,
    title: str | None = None,
    subtitle: str | None = None,
    lang: str = "en",
    start: int | str = 0,
    publish: bool | str = False,
) -> tuple[TimelineSpec, Any]:
    """:func:`describe_timeline` and the publication :class:`~bordermap.model.publish.Audit` (None
    when not published): the audit goes back to the caller, never into the spec."""
    i18n.check_lang(lang)
    i18n.warn_untranslated(lang)
    if "event_date" not in joined_long.columns or not len(joined_long):
        raise ValidationError(
            "the time map needs one row per crossing per event",
            field="event_date",
            fix="use bordermap.event_series() or join_estimates(..., event='all')",
        )
    audit = None
    if publish:
        from bordermap.model.publish import prepare_for_layers

        restricted = "generalise" if publish is True else str(publish)
        joined_long, facilities, _, audit = prepare_for_layers(
            joined_long, facilities, restricted=restricted
        )
    series = joined_long.sort_values("event_date", kind="stable")
    if "estimates" not in series.columns:
        series = series.assign(estimates=[[] for _ in range(len(series))])
    dates = [pd.Timestamp(d) for d in sorted(series["event_date"].unique())]
    first = _start_index(start, dates)
    since = i18n.text("since", lang).format(date=i18n.format_date(dates[0], lang))
    cumulative = [_cumulative_rows(series, dates[: i + 1], lang) for i in range(len(dates))]
    values = [
        theme.symbol_value(r["figure"], r["low"], r["high"])
        for rows in [series, *cumulative]
        for _, r in rows.iterrows()
    ]
    scale_max = max([v for v in values if v is not None], default=0.0)
    places = facility_symbols(facilities, lang)
    steps, drawn = [], list(places)
    for i, when in enumerate(dates):
        rows = series[series["event_date"] == when]
        event, event_labels = _event_view(rows, scale_max, lang)
        summed, summed_labels = _cumulative_view(cumulative[i], scale_max, since, lang)
        drawn += event
        name = rows["event_name"].iloc[0] if "event_name" in rows else None
        counter = i18n.text("step_of", lang).format(i=i + 1, n=len(dates))
        named, known = int(_named(rows).sum()), int(rows["has_figure"].sum())
        steps.append(
            TimelineStep(
                date=when.date().isoformat(),
                label=f"{name or i18n.format_date(when, lang)} ({counter})",
                event=tuple(event),
                event_labels=tuple(event_labels),
                cumulative=tuple(summed),
                cumulative_labels=tuple(summed_labels),
                event_totals=_event_totals_of(rows, lang),
                event_lines=(
                    i18n.text("crossings_named_count", lang).format(named=named, known=known),
                ),
                cumulative_total=_cumulative_total(series, dates[: i + 1], lang),
                cumulative_lines=(i18n.text("sum_note", lang),),
            )
        )
    key = legend(scale_max, drawn, lang, unknown=True)
    faded = LegendEntry(
        "circle",
        i18n.text("legend_not_named", lang),
        radius=8,
        fill="#ffffff",
        stroke=theme.NO_FIGURE_COLOR,
        dashed=True,
        opacity=0.35,
    )
    heading = (
        title
        if title is not None
        else default_title(joined_long["id"] if "id" in joined_long else [], lang)
    )
    span = f"{i18n.format_date(dates[0], lang)} – {i18n.format_date(dates[-1], lang)}"
    records: list[Any] = estimates_of(series) + _all_totals(series)
    bounds = bounds_of([(s.lat, s.lon) for s in drawn], [s.id for s in drawn])
    context, basemap_credit, basemap_area = basemap_context(bounds, lang, drawn)
    spec = TimelineSpec(
        kind="timeline",
        title=heading,
        subtitle=subtitle if subtitle is not None else span,
        lang=lang,
        bounds=bounds,
        symbols=tuple(places),
        labels=tuple(near_nothing(context, drawn)),
        legend=Legend(
            key.title,
            key.sizes,
            key.area_note,
            (*key.entries, faded),
            (i18n.text("legend_cumulative", lang),),
        ),
        credit=credit(records, lang, notes=publication_notes(audit, lang)),
        metadata=metadata(
            ", ".join(d.date().isoformat() for d in dates),
            lang,
            [r["source"] for r in records if r.get("source")],
            inputs_of(joined_long, facilities, published=bool(publish)),
        ),
        layer_names=layer_names(lang, None, places),
        steps=tuple(steps),
        start=first,
        step_names={
            key: i18n.text(key, lang)
            for key in ("this_event", "previous_event", "next_event", "event_step", "details")
        }
        | {"since": since},
        published=bool(publish),
        direction=i18n.text_direction(lang),
        basemap_area=basemap_area,
        basemap_credit=basemap_credit,
        summary=timeline_summary(heading, steps, lang),
    )
    return spec, audit
