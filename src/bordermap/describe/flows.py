"""Routes as lines to draw: facility → crossing → facility along geodesics, width ∝ the
crossing's headline figure, with arrowheads, tooltip and popup as plain text."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import pandas as pd

from bordermap import geo, i18n, theme
from bordermap.arguments import FRAME, NONE, PATH, TEXT, check_argument
from bordermap.errors import ValidationError
from bordermap.model.routes import checked_routes
from bordermap.spec import Arrow, Popup, PopupRow, RouteLine, Source

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = ["route_lines"]

# Points added along each leg at most this far apart: smooth at any zoom of the region.
STEP_KM = 2.0


def _by_id(table: pd.DataFrame) -> dict[str, pd.Series]:
    return {str(row["id"]): row for _, row in table.iterrows()}


def _figure(row: pd.Series) -> float | None:
    return theme.symbol_value(row.get("figure"), row.get("low"), row.get("high"))


def _popup(route: pd.Series, names: tuple, km: float, lang: str) -> Popup:
    unnamed = i18n.text("route_unnamed", lang)
    start, crossing, end = (name or unnamed for name in names)
    length = f"{i18n.format_km(km, lang)} ({i18n.text('geodesic', lang)})"
    rows = [
        PopupRow((i18n.text("route_from", lang), start)),
        PopupRow((i18n.text("route_crossing", lang), crossing)),
        PopupRow((i18n.text("route_to", lang), end)),
        PopupRow((i18n.text("route_length", lang), length)),
        PopupRow((i18n.text("route_status", lang), i18n.text(route["status"], lang))),
        PopupRow((i18n.text("sources", lang),), source=Source.cited(route, lang)),
    ]
    notes = route.get("notes")
    meta = (f"{i18n.text('notes', lang)}: {notes}",) if isinstance(notes, str) and notes else ()
    return Popup(i18n.text("route", lang), rows=tuple(rows), meta=meta, emphasis=(unnamed,))


def _check_drawable(
    route: pd.Series,
    crossings: dict[str, pd.Series],
    places: dict[str, pd.Series],
    table: pd.DataFrame,
) -> None:
    """A checked routes table may still name places this map does not have."""
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


def route_lines(
    routes: pd.DataFrame | str | os.PathLike[str],
    joined: gpd.GeoDataFrame,
    facilities: gpd.GeoDataFrame | None,
    lang: str = "en",
) -> list[RouteLine]:
    """Describe each route of the joined event as a line to draw, for any renderer.

    Parameters
    ----------
    routes : DataFrame or path
        From :func:`bordermap.load_routes` (a path or raw table is loaded and checked
        against ``joined`` and ``facilities``).
    joined : geopandas.GeoDataFrame
        From :func:`bordermap.join_estimates`; only routes of its event are drawn
        (``attrs['event']``; all routes when it has none).
    facilities : geopandas.GeoDataFrame
        From :func:`bordermap.load_facilities`.
    lang : {"en", "ko", "zh"}
        Language of tooltip and popup.

    Returns
    -------
    list of bordermap.spec.RouteLine
        One per route, in table order: ``coords`` ``((lat, lon), …)`` facility → crossing →
        facility along geodesics (a missing facility leaves its leg out); ``weight`` in px
        (:func:`bordermap.theme.route_weight` of the crossing's headline figure, one scale
        for every route; thin where no figure is published); ``dashed`` (inferred); ``km``
        (geodesic length, 0.1 km); ``arrows`` halfway along each leg; ``tooltip`` and
        ``popup`` as plain text; ``source``.

    Examples
    --------
    >>> import bordermap
    >>> joined = bordermap.join_estimates(bordermap.load_crossings(),
    ...     bordermap.inputs.bundled_path("events/2023-10-09.csv"))
    >>> lines = route_lines(bordermap.load_routes(), joined, bordermap.load_facilities())
    >>> [(r.crossing, r.weight, r.dashed) for r in lines[:3]]
    [('dandong-sinuiju', 6.0, False), ('tumen-onsong', 10.0, False), ('dandong-sinuiju', 6.0, True)]
    """
    check_argument("routes", routes, PATH, FRAME)
    check_argument("joined", joined, FRAME)
    check_argument("facilities", facilities, FRAME, NONE)
    check_argument("lang", lang, TEXT)
    i18n.check_lang(lang)
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
            arrows.append(Arrow(round(lat, 6), round(lon, 6), round(bearing, 1)))
        names = (
            i18n.facility_label(start, lang) if start is not None else None,
            i18n.crossing_label(crossing, lang),
            i18n.facility_label(end, lang) if end is not None else None,
        )
        status = route["status"]
        tooltip = (
            " → ".join(n for n in names if n)
            + f" · {i18n.format_km(km, lang)} · {i18n.text(status, lang)}"
        )
        lines.append(
            RouteLine(
                id=str(route["id"]),
                crossing=str(route["crossing"]),
                from_facility=route["from_facility"] or None,
                to_facility=route["to_facility"] or None,
                status=status,
                coords=tuple(
                    (float(c[0]), float(c[1])) for c in geo.geodesic_line(points, step_km=STEP_KM)
                ),
                weight=theme.route_weight(_figure(crossing), scale_max),
                dashed=status == "inferred",
                color=theme.ROUTE_COLOR,
                km=round(km, 1),
                arrows=tuple(arrows),
                tooltip=tooltip,
                popup=_popup(route, names, km, lang),
                source=Source.cited(route, lang),
            )
        )
    return lines
