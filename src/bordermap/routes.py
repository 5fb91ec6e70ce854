"""Deportation routes: facility in China → crossing → facility in North Korea, read and checked.

:func:`bordermap.flows.route_lines` turns a checked table into lines to draw.
"""

from __future__ import annotations

import os

import pandas as pd

from bordermap import io
from bordermap.errors import InputFileError
from bordermap.validate import check_routes

__all__ = ["bundled_routes_for", "checked_routes", "load_routes"]


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


def checked_routes(routes, crossings, facilities) -> pd.DataFrame:
    """A routes table as given when already checked, else loaded and checked."""
    if isinstance(routes, pd.DataFrame) and routes.attrs.get("kind") == "routes":
        return routes
    return load_routes(routes, crossings=crossings, facilities=facilities)


def bundled_routes_for(crossings, facilities) -> pd.DataFrame | None:
    """The bundled routes a map draws by default, or None.

    The rule: the bundled ``data/routes.csv`` rows of the map's event (``attrs['event']``),
    when every crossing and facility they name is on the map (same ids). A copy of the
    bundled files gets its routes; another border, another event or a map without the
    facilities gets none, and nothing is guessed.

    Examples
    --------
    >>> import bordermap
    >>> joined = bordermap.join_estimates(bordermap.load_crossings(),
    ...     bordermap.io.bundled_path("events/2023-10-09.csv"))
    >>> len(bundled_routes_for(joined, bordermap.load_facilities()))
    7
    >>> bundled_routes_for(joined, None) is None
    True
    """
    event = crossings.attrs.get("event")
    if not event or facilities is None or "id" not in crossings or "id" not in facilities:
        return None
    try:
        table = io.read_table(io.bundled_path("routes.csv"))
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
