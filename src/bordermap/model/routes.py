"""Deportation routes: facility in China → crossing → facility in North Korea, read and checked.

:func:`bordermap.describe.flows.route_lines` turns a checked table into lines to draw.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

import pandas as pd

from bordermap import inputs
from bordermap.arguments import FRAME, NONE, PATH, check_argument, check_frame
from bordermap.errors import InputFileError, ValidationError
from bordermap.model.schema import SCHEMAS
from bordermap.model.validate import (
    ROUTE_COLUMNS,
    check_columns,
    dates_of,
    text_columns,
    where_of,
)

__all__ = [
    "ROUTE_STATUSES",
    "bundled_routes_for",
    "check_routes",
    "checked_routes",
    "closest_ids",
    "load_routes",
]


def load_routes(
    path: str | os.PathLike[str] | pd.DataFrame | None = None,
    *,
    crossings: pd.DataFrame | None = None,
    facilities: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Load and validate a routes table (the bundled ``data/routes.csv`` by default).

    Parameters
    ----------
    path : path or DataFrame, optional
        CSV/Excel with the columns of :data:`bordermap.model.validate.ROUTE_COLUMNS`.
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
    check_argument("path", path, PATH, FRAME, NONE)
    check_argument("crossings", crossings, FRAME, NONE)
    check_argument("facilities", facilities, FRAME, NONE)
    if isinstance(path, pd.DataFrame):
        check_frame(path, "path")
    from bordermap.model.layers import load_crossings, load_facilities

    table = inputs.read_table(inputs.bundled_path("routes.csv") if path is None else path)
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


def checked_routes(
    routes: str | os.PathLike[str] | pd.DataFrame | None,
    crossings: pd.DataFrame | None,
    facilities: pd.DataFrame | None,
) -> pd.DataFrame:
    """A routes table as given when already checked, else loaded and checked."""
    if isinstance(routes, pd.DataFrame) and routes.attrs.get("kind") == "routes":
        return routes
    return load_routes(routes, crossings=crossings, facilities=facilities)


def bundled_routes_for(
    crossings: pd.DataFrame, facilities: pd.DataFrame | None
) -> pd.DataFrame | None:
    """The bundled routes a map draws by default, or None.

    The rule: the bundled ``data/routes.csv`` rows of the map's event (``attrs['event']``),
    when every crossing and facility they name is on the map (same ids). A copy of the
    bundled files gets its routes; another border, another event or a map without the
    facilities gets none, and nothing is guessed.

    Examples
    --------
    >>> import bordermap
    >>> joined = bordermap.join_estimates(bordermap.load_crossings(),
    ...     bordermap.inputs.bundled_path("events/2023-10-09.csv"))
    >>> len(bundled_routes_for(joined, bordermap.load_facilities()))
    7
    >>> bundled_routes_for(joined, None) is None
    True
    """
    event = crossings.attrs.get("event")
    if not event or facilities is None or "id" not in crossings or "id" not in facilities:
        return None
    try:
        table = inputs.read_table(inputs.bundled_path("routes.csv"))
    except InputFileError:
        return None
    dates = pd.to_datetime(table["event_date"], errors="coerce", format="ISO8601")
    if not (dates == pd.Timestamp(event)).any():
        return None
    rows = table[dates == pd.Timestamp(event)]
    places = set(facilities["id"].astype(str))
    named = set(rows["crossing"]) <= set(crossings["id"].astype(str)) and all(
        value in places
        for column in ("from_facility", "to_facility")
        for value in rows[column].dropna()
        if str(value).strip()
    )
    if not named:
        return None
    routes = load_routes(None, crossings=crossings, facilities=facilities)
    return routes[routes["event_date"] == pd.Timestamp(event)].reset_index(drop=True)


ROUTE_STATUSES = ("reported", "inferred")


def closest_ids(value: object, ids: Iterable[str], n: int = 3) -> list[str]:
    """The known ids most like a bad one, best first (all of them when there are few).

    Examples
    --------
    >>> closest_ids("tumen-onsung", ["dandong-sinuiju", "tumen-onsong", "helong-musan"])
    ['tumen-onsong']
    """
    import difflib

    ids = sorted({str(i) for i in ids})
    close = difflib.get_close_matches(str(value).strip().lower(), ids, n=n, cutoff=0.6)
    return close or (ids if len(ids) <= 8 else ids[:5])


def _bad_id(problem: str, value: str, ids: Iterable[str], where: dict) -> None:
    close = ", ".join(repr(i) for i in closest_ids(value, ids))
    raise ValidationError(problem, value=value, fix=f"closest ids: {close}", **where)


def check_routes(
    table: pd.DataFrame, crossings: pd.DataFrame, facilities: pd.DataFrame | None
) -> pd.DataFrame:
    """Validate a routes table against the crossings and facilities it names; return it typed.

    Each row is one route of one event: from a facility in China (``from_facility``) to a
    crossing and on to a facility in North Korea (``to_facility``). Either facility may be
    empty where no source names it, not both. ``status`` is ``reported`` (a source names the
    route) or ``inferred`` (deduced: ``notes`` must say how). ``source`` is required,
    ``source_date`` optional. A crossing may be written as its id or any spelling the
    gazetteer knows. Unknown ids raise :class:`~bordermap.errors.ValidationError` naming the
    file, row, field, value and the closest ids.

    Examples
    --------
    >>> from bordermap import load_crossings, load_facilities
    >>> from bordermap.inputs import read_table, bundled_path
    >>> routes = check_routes(read_table(bundled_path("routes.csv")),
    ...                       load_crossings(), load_facilities())
    >>> sorted(routes["status"].unique())
    ['inferred', 'reported']
    """
    from bordermap.model.gazetteer import Gazetteer

    check_columns(table, SCHEMAS["routes"].required, ROUTE_COLUMNS)
    name = where_of(table)
    if len(table) == 0:
        raise ValidationError("routes table has no rows", file=name)
    out = text_columns(table, ROUTE_COLUMNS)
    out["event_date"] = dates_of(out, "event_date", name)
    out["source_date"] = dates_of(out, "source_date", name, optional=True)
    crossing_ids = [str(i) for i in crossings["id"]]
    gazetteer = Gazetteer.for_crossings(crossings)
    countries = {}
    if facilities is not None and "id" in facilities.columns:
        country = facilities["country"] if "country" in facilities.columns else None
        for i, fid in enumerate(facilities["id"].astype(str)):
            countries[fid] = "" if country is None else str(country.iloc[i])
    ends = {"from_facility": ("CN", "in China"), "to_facility": ("KP", "in North Korea")}
    for i, record in enumerate(out.to_dict("records")):
        where = {"file": name, "row": record["_row"]}
        crossing = record["crossing"]
        if crossing == "":
            raise ValidationError("crossing is empty", field="crossing", **where)
        if crossing not in crossing_ids:
            resolved = gazetteer.resolve([crossing])[0]
            if resolved is None:
                _bad_id(
                    "unknown crossing id", crossing, crossing_ids, {**where, "field": "crossing"}
                )
            out.loc[out.index[i], "crossing"] = resolved
        if record["from_facility"] == "" and record["to_facility"] == "":
            raise ValidationError(
                "a route needs a facility at one end at least",
                field="from_facility",
                fix="name the facility in China (from_facility) or North Korea (to_facility)",
                **where,
            )
        for field, (want, place) in ends.items():
            fid = record[field]
            if fid == "":
                continue
            if fid not in countries:
                _bad_id("unknown facility id", fid, countries, {**where, "field": field})
            if countries[fid] and countries[fid] != want:
                right = [f for f, c in countries.items() if c == want]
                _bad_id(f"not a facility {place}", fid, right, {**where, "field": field})
        if record["status"].lower() not in ROUTE_STATUSES:
            raise ValidationError(
                "unknown route status",
                field="status",
                value=record["status"],
                fix="use reported (a source names the route) or inferred (say why in notes)",
                **where,
            )
        if record["source"] == "":
            raise ValidationError(
                "every route needs its source", field="source", fix="name who reported it", **where
            )
        if record["status"].lower() == "inferred" and record["notes"] == "":
            raise ValidationError(
                "an inferred route must say how it was inferred",
                field="notes",
                fix="write the reasoning in notes",
                **where,
            )
    out["status"] = out["status"].str.lower()
    key = ["event_date", "crossing", "from_facility", "to_facility"]
    dupes = out[out.duplicated(key)]
    if len(dupes):
        raise ValidationError(
            "the same route is listed twice",
            file=name,
            row=int(dupes["_row"].iloc[0]),
            fix="keep one row per route and event",
        )
    return out


# Metres per degree of latitude (WGS84 mean): a degree of longitude is never longer.
