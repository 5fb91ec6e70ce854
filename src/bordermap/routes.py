"""Deportation routes: facility in China → crossing → facility in North Korea, as drawable lines.

:func:`route_lines` turns the routes table into a renderer-neutral description (plain dicts
of coordinates, widths, colours and escaped HTML) that the Leaflet map and the static image
both draw, so the two never disagree.
"""

from __future__ import annotations

import os

import pandas as pd

from bordermap import geo, io, style
from bordermap.safe import html_text
from bordermap.validate import check_routes

__all__ = ["load_routes", "route_lines"]

# Points added along each leg at most this far apart: smooth at any zoom of the region.
STEP_KM = 2.0


def load_routes(
    path: str | os.PathLike | pd.DataFrame | None = None, *, crossings=None, facilities=None
) -> pd.DataFrame:
    """Load and validate a routes table (the bundled ``data/routes.csv`` by default).

    Parameters
    ----------
    path : path or DataFrame, optional
        CSV/Excel with the columns of :data:`bordermap.validate.ROUTE_COLUMNS`.
    crossings, facilities : GeoDataFrame, optional
        What the ids must name; default the bundled crossings and facilities.

    Returns
    -------
    pandas.DataFrame
        One row per route; dates typed; an ``id`` column ``crossing[/from/facility][/to/facility]``.

    Raises
    ------
    bordermap.errors.ValidationError
        An unknown crossing or facility id (the message names file, row, field, value and
        the closest ids), a missing source, an inferred route without notes.

    Examples
    --------
    >>> routes = load_routes()
    >>> routes.loc[0, ["crossing", "to_facility", "status"]].tolist()
    ['dandong-sinuiju', 'sinuiju-mss', 'reported']
    """
    from bordermap.layers import load_crossings, load_facilities

    table = io.read_table(io.bundled_path("routes.csv") if path is None else path)
    crossings = load_crossings() if crossings is None else crossings
    facilities = load_facilities() if facilities is None else facilities
    routes = check_routes(table, crossings, facilities)
    routes["id"] = [
        r.crossing
        + (f"/from/{r.from_facility}" if r.from_facility else "")
        + (f"/to/{r.to_facility}" if r.to_facility else "")
        for r in routes.itertuples()
    ]
    routes.attrs["kind"] = "routes"
    return routes


def _by_id(table) -> dict[str, pd.Series]:
    return {str(row["id"]): row for _, row in table.iterrows()}


def _figure(row: pd.Series) -> float | None:
    return style.symbol_value(row.get("figure"), row.get("low"), row.get("high"))


def _popup(route, start, crossing, end, km: float, lang: str) -> str:
    unnamed = f"<em>{html_text(style.text('route_unnamed', lang))}</em>"

    def cell(name: str | None) -> str:
        return html_text(name) if name else unnamed

    rows = [
        ("route_from", cell(start)),
        ("route_crossing", cell(crossing)),
        ("route_to", cell(end)),
        (
            "route_length",
            f"{html_text(style.format_km(km, lang))} "
            f'<span class="bm-meta">({html_text(style.text("geodesic", lang))})</span>',
        ),
        ("route_status", html_text(style.text(route["status"], lang))),
        ("sources", style.source_html(route, lang)),
    ]
    table = "".join(
        f"<tr><td>{html_text(style.text(key, lang))}</td><td>{value}</td></tr>"
        for key, value in rows
    )
    notes = route.get("notes")
    note = (
        f'<div class="bm-meta">{html_text(style.text("notes", lang))}: {html_text(notes)}</div>'
        if isinstance(notes, str) and notes
        else ""
    )
    head = f"<h3>{html_text(style.text('route', lang))}</h3>"
    return f'<div class="bm-popup bm-route-popup">{head}<table>{table}</table>{note}</div>'


def checked_routes(routes, crossings, facilities) -> pd.DataFrame:
    """A routes table as given when already checked, else loaded and checked."""
    if isinstance(routes, pd.DataFrame) and routes.attrs.get("kind") == "routes":
        return routes
    return load_routes(routes, crossings=crossings, facilities=facilities)


def _check_drawable(route: pd.Series, crossings: dict, places: dict, table) -> None:
    """A checked routes table may still name places this map does not have."""
    from bordermap.errors import ValidationError

    for field, known in (
        ("crossing", crossings),
        ("from_facility", places),
        ("to_facility", places),
    ):
        value = route[field]
        if value and value not in known:
            raise ValidationError(
                "the route names a place the map does not have",
                file=table.attrs.get("source_file"),
                row=int(route["_row"]),
                field=field,
                value=value,
                fix="pass the crossings and facilities the routes were checked against",
            )


def route_lines(routes, joined, facilities, lang: str = "en") -> list[dict]:
    """Describe each route of the joined event as a line to draw, for any renderer.

    Parameters
    ----------
    routes : DataFrame or path
        From :func:`load_routes` (a path or raw table is loaded and checked against
        ``joined`` and ``facilities``).
    joined : geopandas.GeoDataFrame
        From :func:`bordermap.join_estimates`; only routes of its event are drawn
        (``attrs['event']``; all routes when it has none).
    facilities : geopandas.GeoDataFrame
        From :func:`bordermap.load_facilities`.
    lang : {"en", "ko", "zh"}
        Language of tooltip and popup.

    Returns
    -------
    list of dict
        One per route, in table order: ``id``; ``coords`` ``[[lat, lon], …]`` facility →
        crossing → facility along geodesics (a missing facility leaves its leg out);
        ``weight`` in px (:func:`bordermap.style.route_weight` of the crossing's headline
        figure, on the same scale for every route; thin where no figure is published);
        ``dashed`` (inferred); ``color``; ``km`` (geodesic length, 0.1 km); ``arrows``
        (``{lat, lon, bearing_deg}`` halfway along each leg, bearing clockwise from north);
        ``status``, ``crossing``, ``from_facility``, ``to_facility``; ``source``,
        ``source_date`` (ISO) and ``url`` for the credit line; ``tooltip`` and ``popup``
        (safe HTML).

    Examples
    --------
    >>> import bordermap
    >>> joined = bordermap.join_estimates(bordermap.load_crossings(),
    ...     bordermap.io.bundled_path("events/2023-10-09.csv"))
    >>> lines = route_lines(load_routes(), joined, bordermap.load_facilities())
    >>> [(r["crossing"], r["weight"], r["dashed"]) for r in lines[:3]]
    [('dandong-sinuiju', 6.0, False), ('tumen-onsong', 10.0, False), ('dandong-sinuiju', 6.0, True)]
    """
    style.check_lang(lang)
    table = checked_routes(routes, joined, facilities)
    event = joined.attrs.get("event")
    if event:
        table = table[table["event_date"] == pd.Timestamp(event)]
    crossings = _by_id(joined)
    places = _by_id(facilities) if facilities is not None else {}
    figures = [_figure(row) for row in crossings.values()]
    scale_max = max([f for f in figures if f is not None], default=0.0)
    lines = []
    for _, route in table.iterrows():
        _check_drawable(route, crossings, places, table)
        crossing = crossings[route["crossing"]]
        start = places.get(route["from_facility"])
        end = places.get(route["to_facility"])
        stops = [p for p in (start, crossing, end) if p is not None]
        points = [[p.geometry.y, p.geometry.x] for p in stops]
        legs = [points[i : i + 2] for i in range(len(points) - 1)]
        km = geo.line_length_km(points)
        arrows = []
        for leg in legs:
            lat, lon, bearing = geo.point_along(leg, 0.5)
            arrows.append(
                {"lat": round(lat, 6), "lon": round(lon, 6), "bearing_deg": round(bearing, 1)}
            )
        names = (
            style.facility_label(start, lang) if start is not None else None,
            style.crossing_label(crossing, lang),
            style.facility_label(end, lang) if end is not None else None,
        )
        status = route["status"]
        tooltip = html_text(
            " → ".join(n for n in names if n)
            + f" · {style.format_km(km, lang)} · {style.text(status, lang)}"
        )
        lines.append(
            {
                "id": route["id"],
                "crossing": route["crossing"],
                "from_facility": route["from_facility"] or None,
                "to_facility": route["to_facility"] or None,
                "status": status,
                "coords": geo.geodesic_line(points, step_km=STEP_KM),
                "weight": style.route_weight(_figure(crossing), scale_max),
                "dashed": status == "inferred",
                "color": style.ROUTE_COLOR,
                "km": round(km, 1),
                "arrows": arrows,
                "tooltip": tooltip,
                "popup": _popup(route, *names, km, lang),
                "source": route["source"],
                "source_date": None
                if style.is_missing(route["source_date"])
                else route["source_date"].date().isoformat(),
                "url": route["url"] or None,
            }
        )
    return lines
