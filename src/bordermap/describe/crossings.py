"""Build a :class:`~bordermap.spec.MapSpec` from data: symbols, labels, popups, legend, credit.

Everything a reader sees is decided here, in plain text and numbers: sizes and colours
(:mod:`bordermap.theme`), words, dates and numbers (:mod:`bordermap.i18n`), which routes
and which sources. The renderers only draw it.
"""

from __future__ import annotations

import os
from dataclasses import replace
from typing import TypeAlias

import pandas as pd

from bordermap import i18n, theme
from bordermap.arguments import BOOL, FRAME, NONE, TEXT, check_argument
from bordermap.cells import Row, is_missing
from bordermap.describe.facilities import facility_symbols
from bordermap.describe.figure_fit import figure_fits
from bordermap.describe.flows import route_lines
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
    route_entries,
)
from bordermap.model.audit import Audit
from bordermap.model.routes import bundled_routes_for, checked_routes
from bordermap.safe import isolate
from bordermap.spec import (
    CaseLayerSpec,
    CrossingMapSpec,
    Label,
    LabelPosition,
    Legend,
    PathStyle,
    Popup,
    PopupRow,
    Ring,
    Source,
    Symbol,
    metadata,
)

__all__ = [
    "crossing_popup",
    "crossing_symbols",
    "describe_crossings",
    "describe_crossings_for_publication",
    "map_summary",
    "published_layers",
]

#: What ``routes=`` may be: a routes table or its file; None (or True) for the bundled routes
#: of the map's event, False for none.
RouteChoice: TypeAlias = pd.DataFrame | str | os.PathLike[str] | bool | None


def _estimate_label(record: Row, lang: str, figure: str = "figure") -> str:
    return i18n.figure_label(
        record.get(figure),
        record.get("low"),
        record.get("high"),
        record.get("qualifier") or "",
        lang,
    )


def _highest(row: pd.Series) -> tuple[float, dict] | None:
    """The highest published figure behind a crossing, with its estimate."""
    ranked = [
        (theme.symbol_value(e.get("figure"), e.get("low"), e.get("high")), e)
        for e in row.get("estimates") or []
    ]
    kept = [(v, e) for v, e in ranked if v is not None]
    return max(kept, key=lambda pair: pair[0]) if kept else None


def _ring(row: pd.Series, value: float | None, scale_max: float, lang: str) -> Ring | None:
    """A faint ring for the highest published figure when it is above the headline one."""
    highest = _highest(row)
    if value is None or highest is None or highest[0] <= value:
        return None
    top, estimate = highest
    style = PathStyle(
        radius=round(theme.symbol_radius(top, scale_max), 2),
        color=theme.CROSSING_COLOR,
        fill_color=theme.CROSSING_COLOR,
        fill_opacity=0.08,
        weight=1.5,
        opacity=0.55,
    )
    shown = _estimate_label(estimate, lang)
    label = f"{i18n.text('highest', lang)}: {shown} — {isolate(str(estimate.get('source')))}"
    return Ring(style, label)


def _coordinate_meta(row: pd.Series, lang: str) -> tuple[str, ...]:
    columns = ("site", "coord_source", "coord_note")
    parts = [isolate(row[c]) for c in columns if isinstance(row.get(c), str) and row.get(c)]
    if row.get("precision") in ("approximate", "city"):
        parts.insert(0, i18n.text("approx_crossing", lang))
    return (f"{i18n.text('coordinate', lang)}: " + " · ".join(parts),) if parts else ()


def crossing_popup(row: pd.Series, lang: str) -> Popup:
    """A crossing's popup: every published estimate with its source, the headline marked.

    Examples
    --------
    >>> crossing_popup(pd.Series({"id": "x", "label_en": "A → B"}), "en").lines
    ('No figure has been published for this crossing.',)
    """
    heading = i18n.crossing_label(row, lang)
    estimates = row.get("estimates") or []
    meta = _coordinate_meta(row, lang)
    if not estimates:
        return Popup(heading, lines=(i18n.text("not_published", lang),), meta=meta)
    headline = row.get("headline_row")
    rows = []
    for est in estimates:
        is_head = not is_missing(headline) and est.get("_row") == headline
        notes = est.get("notes")
        rows.append(
            PopupRow(
                cells=(_estimate_label(est, lang),),
                source=Source.cited(est, lang),
                headline=is_head,
                mark=i18n.text("headline", lang) if is_head else None,
                note=notes if isinstance(notes, str) and notes else None,
            )
        )
    return Popup(heading, table_title=i18n.text("estimates", lang), rows=tuple(rows), meta=meta)


def _halo(row: pd.Series) -> float | None:
    """Location uncertainty in metres, for a crossing placed approximately or by city."""
    halo = row.get("precision_m")
    if row.get("precision") not in ("approximate", "city") or is_missing(halo) or halo is None:
        return None
    return float(halo)


def crossing_symbols(
    joined: pd.DataFrame, lang: str, scale_max: float | None = None
) -> tuple[list[Symbol], list[Label], float]:
    """Crossings as symbols with their labels, circle area ∝ the headline figure.

    Returns the symbols, their labels (figure or "no published figure", then the name) and
    the value of the largest circle (the scale, shared by a time map's steps).

    Examples
    --------
    >>> import bordermap
    >>> symbols, labels, top = crossing_symbols(bordermap.load_crossings(), "en")
    >>> len(symbols), labels[0].text, top
    (5, 'no published figure', 0.0)
    """
    values = [
        theme.symbol_value(r.get("figure"), r.get("low"), r.get("high"))
        for _, r in joined.iterrows()
    ]
    if scale_max is None:
        scale_max = max([v for v in values if v is not None], default=0.0)
    symbols: list[Symbol] = []
    labels: list[Label] = []
    for (_, row), value in zip(joined.iterrows(), values, strict=True):
        first = len(labels)
        name = i18n.crossing_label(row, lang)
        label = _estimate_label(row, lang)
        ident = str(row["id"])
        lat, lon = round(float(row.geometry.y), 6), round(float(row.geometry.x), 6)
        if value is None:
            style = PathStyle(
                radius=theme.UNKNOWN_RADIUS_PX,
                color=theme.NO_FIGURE_COLOR,
                fill_color="#ffffff",
                fill_opacity=0.8,
                weight=2,
                dash="4 3",
            )
            tags: tuple[str, ...] = ("crossing", "unknown")
            r = style.radius
            tooltip = f"{name}: {label}"
            labels.append(
                Label(label, ident, lat, lon, "note", 1, "right", style.radius + 3, radius=r)
            )
        else:
            style = PathStyle(
                radius=round(theme.symbol_radius(value, scale_max), 2),
                color="#ffffff",
                fill_color=theme.CROSSING_COLOR,
                fill_opacity=0.78,
            )
            tags = ("crossing", "known")
            r = style.radius
            when = row.get("source_date")
            dated = "" if is_missing(when) else f", {i18n.format_date(when, lang)}"
            tooltip = f"{isolate(name)}: {label} — {isolate(str(row.get('source')))}{dated}"
            # White on the circle when the whole text fits in it; dark beside it if not.
            inverse = figure_fits(label, style.radius)
            position: LabelPosition = "center" if inverse else "right"
            offset = 0.0 if inverse else style.radius + 3
            labels.append(
                Label(label, ident, lat, lon, "figure", 0, position, offset, inverse, radius=r)
            )
        ring = _ring(row, value, scale_max, lang)
        if ring is not None:
            tooltip += "\n" + ring.label
        labels.append(Label(name, ident, lat, lon, "name", 0, "below", r + 3, radius=r))
        symbols.append(
            Symbol(
                id=ident,
                layer="crossings",
                lat=lat,
                lon=lon,
                style=style,
                tags=tags,
                tooltip=tooltip,
                popup=crossing_popup(row, lang),
                halo_m=_halo(row),
                ring=ring,
                # The legend's colour, whatever the circle's stroke (white on a known figure).
                halo_color=theme.CROSSING_COLOR,
            )
        )
        # A label beside the symbol keeps clear of its range ring and of its halo at its
        # smallest, just outside the circle (a figure centred on the circle stays there).
        reach = theme.symbol_reach_px(symbols[-1])
        labels[first:] = [x if x.fixed else replace(x, radius=reach) for x in labels[first:]]
    return symbols, labels, scale_max


def map_summary(title: str, labels: list[Label], lang: str) -> str:
    """One paragraph saying what a crossing map shows: each crossing with the figure on its
    circle, or that none was published (the text a screen reader reads for the map).

    Examples
    --------
    >>> import bordermap
    >>> _, labels, _ = crossing_symbols(bordermap.load_crossings(), "en")
    >>> map_summary("Returns", labels, "en")[:61]
    'Returns. A map of 5 border crossings. Published figures: none'
    """
    # Each name isolated: a right-to-left name must not move the figure after it.
    names = {x.symbol: isolate(x.text) for x in labels if x.role == "name"}
    known = [f"{names.get(x.symbol, x.symbol)} {x.text}" for x in labels if x.role == "figure"]
    unknown = [names.get(x.symbol, x.symbol) for x in labels if x.role == "note"]
    none = i18n.text("summary_none", lang)
    separator = "; " if lang == "en" else "、" if lang == "zh" else ", "
    return i18n.text("summary", lang).format(
        title=isolate(title.rstrip(".")),
        n=len(names),
        known=i18n.text("summary_known", lang).format(items=separator.join(known) or none),
        unknown=i18n.text("summary_unknown", lang).format(items=separator.join(unknown) or none),
    )


def _routes_table(
    routes: RouteChoice, joined: pd.DataFrame, facilities: pd.DataFrame | None
) -> pd.DataFrame | None:
    """The routes ``describe_crossings(routes=...)`` asks for, or None for no routes.

    None: the bundled routes of the map's event between the map's own crossings and
    facilities (:func:`bordermap.model.routes.bundled_routes_for`); False: none; a path or
    DataFrame: that table, checked against the map's crossings and facilities.
    """
    if routes is False:
        return None
    if routes is None or routes is True:
        return bundled_routes_for(joined, facilities)
    return checked_routes(routes, joined, facilities)


def published_layers(
    joined: pd.DataFrame, facilities: pd.DataFrame | None, routes: RouteChoice, publish: bool | str
) -> tuple[pd.DataFrame, pd.DataFrame | None, pd.DataFrame | None, Audit]:
    """The layers as they may be published, and the audit of what that changed."""
    from bordermap.model.publish import prepare_for_layers

    restricted = "generalise" if publish is True else str(publish)
    # Routes are read and checked against the analyst's layers, then cleaned with them.
    table = _routes_table(routes, joined, facilities)
    return prepare_for_layers(joined, facilities, table, restricted=restricted)


def describe_crossings(
    joined: pd.DataFrame,
    facilities: pd.DataFrame | None = None,
    *,
    title: str | None = None,
    subtitle: str | None = None,
    credit_text: str | None = None,
    lang: str = "en",
    routes: RouteChoice = None,
    publish: bool | str = False,
    cases: pd.DataFrame | CaseLayerSpec | None = None,
) -> CrossingMapSpec:
    """Describe the crossing map of one event: what the page and the image both draw.

    Parameters are those of :func:`bordermap.crossing_map` (``credit_text`` is its
    ``credit``); ``cases`` is a table of records or a case layer's description
    (:func:`bordermap.describe.case_records.describe_cases`).

    Returns
    -------
    MapSpec
        Frozen plain data; ``spec.to_dict()`` is JSON.

    Examples
    --------
    >>> import bordermap
    >>> joined = bordermap.join_estimates(bordermap.load_crossings(),
    ...     bordermap.inputs.bundled_path("events/2023-10-09.csv"))
    >>> spec = bordermap.describe_crossings(joined, bordermap.load_facilities())
    >>> [label.text for label in spec.labels if label.role == "figure"]
    ['180', '300']
    """
    check_argument("joined", joined, FRAME)
    check_argument("facilities", facilities, FRAME, NONE)
    for name, value in (("title", title), ("subtitle", subtitle), ("credit_text", credit_text)):
        check_argument(name, value, TEXT, NONE)
    check_argument("lang", lang, TEXT)
    check_argument("publish", publish, BOOL, TEXT)
    return describe_crossings_for_publication(
        joined,
        facilities,
        title=title,
        subtitle=subtitle,
        credit_text=credit_text,
        lang=lang,
        routes=routes,
        publish=publish,
        cases=cases,
    )[0]


def describe_crossings_for_publication(
    joined: pd.DataFrame,
    facilities: pd.DataFrame | None = None,
    *,
    title: str | None = None,
    subtitle: str | None = None,
    credit_text: str | None = None,
    lang: str = "en",
    routes: RouteChoice = None,
    publish: bool | str = False,
    cases: pd.DataFrame | CaseLayerSpec | None = None,
) -> tuple[CrossingMapSpec, Audit | None]:
    """:func:`describe_crossings` and the publication :class:`~bordermap.model.publish.Audit`
    (None when not published) — the audit goes back to the caller, never into the spec."""
    from bordermap.describe.case_records import case_legend_entries, describe_cases

    i18n.check_lang(lang)
    i18n.warn_untranslated(lang)  # once per map: the routes and cases it describes say nothing
    audit = None
    table = None
    if publish:
        joined, facilities, table, audit = published_layers(joined, facilities, routes, publish)
        if cases is not None:
            from bordermap.model.disclosure import published_cases

            # Counts per cell of at least k records: never a single record or a field.
            counts, more = published_cases(cases)
            audit += more
            cases = counts if len(counts) else None  # every cell was under k
    else:
        table = _routes_table(routes, joined, facilities)
    if "estimates" not in joined.columns:
        joined = joined.assign(estimates=[[] for _ in range(len(joined))])
    lines = route_lines(table, joined, facilities, lang) if table is not None else []
    symbols, labels, scale_max = crossing_symbols(joined, lang)
    places = facility_symbols(facilities, lang)
    key = legend(scale_max, [*symbols, *places], lang)
    entries = list(key.entries) + route_entries(lines, lang)
    case_spec = None
    if cases is not None:
        case_spec = cases if isinstance(cases, CaseLayerSpec) else describe_cases(cases, lang=lang)
        entries += case_legend_entries(case_spec)
    event = joined.attrs.get("event")
    heading = title if title is not None else default_title(joined["id"], lang)
    event_label = f"{i18n.text('as_of', lang)} {i18n.format_date(event, lang)}" if event else None
    records = estimates_of(joined) + [
        {"source": r.source.name, "source_date": r.source.date, "url": r.source.url}
        for r in lines
        if r.source.name  # a route to a restricted place has its source withheld
    ]
    routes_input = None
    if table is not None and len(table):
        routes_input = {"file": table.attrs.get("source_file"), "sha256": table.attrs.get("sha256")}
    inputs = inputs_of(joined, facilities, routes_input, published=bool(publish))
    bounds = bounds_of(
        [(s.lat, s.lon) for s in (*symbols, *places)], [s.id for s in (*symbols, *places)]
    )
    context, basemap_credit, basemap_area = basemap_context(bounds, lang, [*symbols, *places])
    labels += near_nothing(context, [*symbols, *places])
    spec = CrossingMapSpec(
        kind="crossings",
        title=heading,
        subtitle=subtitle if subtitle is not None else event_label,
        lang=lang,
        bounds=bounds,
        symbols=(*places, *symbols),
        labels=tuple(labels),
        routes=tuple(lines),
        legend=Legend(key.title, key.sizes, key.area_note, tuple(entries), key.notes),
        credit=credit(records, lang, credit_text, publication_notes(audit, lang)),
        metadata=metadata(event, lang, [r["source"] for r in records], inputs),
        layer_names=layer_names(lang, case_spec.title if case_spec else None, places),
        event_label=event_label,
        cases=case_spec,
        published=bool(publish),
        basemap_area=basemap_area,
        basemap_credit=basemap_credit,
        summary=map_summary(heading, labels, lang),
        direction=i18n.text_direction(lang),
    )
    return spec, audit
