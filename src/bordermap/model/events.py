"""The series of deportation events: their dates, names, crossings named and published totals.

Three tables in ``data/events/``: ``events.csv`` (one row per event: date, name, the crossings
a source names as used), ``totals.csv`` (every published total of an event, all crossings
together, one row per source) and one ``YYYY-MM-DD.csv`` per event with per-crossing
estimates where any were published. A crossing named as used but with no published figure
stays without a figure: no per-crossing number is ever derived from a total.
"""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from bordermap.arguments import FRAME, NONE, PATH, TEXT, check_argument, check_frame
from bordermap.cells import Row
from bordermap.errors import BordermapWarning, CrossingNotFound, InputFileError, ValidationError
from bordermap.inputs import bundled_path, read_table
from bordermap.model.estimates import headline_figure, join_estimates, parse_event, read_estimates
from bordermap.model.gazetteer import Gazetteer
from bordermap.model.validate import TOTAL_COLUMNS, check_events, check_totals

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = [
    "bundled_event_estimates",
    "check_event_totals",
    "event_series",
    "load_events",
    "read_event_estimates",
    "read_events",
    "read_totals",
]

_EVENT_FILE = re.compile(r"^\d{4}-\d{2}-\d{2}\.(csv|xlsx)$")
# Columns of the long table that describe the event (same on each of its crossings).
_EVENT_COLUMNS = {
    "event_name": "name",
    "event_total": "total",
    "event_low": "low",
    "event_high": "high",
    "event_qualifier": "qualifier",
    "event_total_source": "total_source",
    "event_total_source_date": "total_source_date",
    "event_total_url": "total_url",
    "event_totals": "totals",
}
# What each event carries about every published total behind its headline.
_TOTAL_FIELDS = (*(c for c in TOTAL_COLUMNS if c != "event_date"), "_row")


def read_totals(source: str | os.PathLike | pd.DataFrame | None = None) -> pd.DataFrame:
    """Read and validate published event totals (default: the bundled ``events/totals.csv``).

    Examples
    --------
    >>> totals = read_totals()
    >>> totals[totals["event_date"] == "2023-10-09"]["source"].str[:35].tolist()[:2]
    ['Transitional Justice Working Group ', 'Radio Free Asia']
    """
    check_argument("source", source, PATH, FRAME, NONE)
    if isinstance(source, pd.DataFrame):
        check_frame(source, "source")
    return check_totals(read_table(bundled_path("events/totals.csv") if source is None else source))


def read_events(source: str | os.PathLike | pd.DataFrame | None = None) -> pd.DataFrame:
    """Read and validate the table of events (default: the bundled ``events/events.csv``).

    Examples
    --------
    >>> read_events()["name"].tolist()
    ['29 August 2023', '18 September 2023', '9 October 2023', '26 April 2024']
    """
    check_argument("source", source, PATH, FRAME, NONE)
    if isinstance(source, pd.DataFrame):
        check_frame(source, "source")
    return check_events(read_table(bundled_path("events/events.csv") if source is None else source))


def read_event_estimates(folder: str | os.PathLike | None = None) -> pd.DataFrame:
    """Read every per-crossing estimate file (``YYYY-MM-DD.csv``) in a folder as one table.

    Parameters
    ----------
    folder : path, optional
        Default: the bundled ``data/events/``.

    Returns
    -------
    pandas.DataFrame
        As :func:`bordermap.read_estimates`, with a ``file`` column naming each row's file
        (``_row`` is the row within that file).

    Examples
    --------
    >>> est = read_event_estimates()
    >>> sorted(est["file"].unique())
    ['2023-10-09.csv']
    """
    check_argument("folder", folder, PATH, NONE)
    base = Path(folder) if folder is not None else bundled_path("events/events.csv").parent
    files = sorted(p for p in base.iterdir() if _EVENT_FILE.match(p.name)) if base.is_dir() else []
    if not files:
        raise InputFileError(
            "no per-event estimate files (YYYY-MM-DD.csv) in the folder",
            file=str(base),
            fix="name each event's file by its date, e.g. 2023-10-09.csv",
        )
    tables = [read_estimates(path).assign(file=path.name) for path in files]
    table = pd.concat(tables, ignore_index=True)
    table.attrs = {
        "source_file": str(base),
        "sha256": ",".join(t.attrs["sha256"] for t in tables),
    }
    return table


def bundled_event_estimates(event: object) -> Path:
    """The bundled per-crossing estimates file of one event.

    Raises
    ------
    bordermap.errors.ValidationError
        ``event`` is not a date, or no estimates are bundled for it (the message lists
        the events that have them).

    Examples
    --------
    >>> bundled_event_estimates("2023-10-09").name
    '2023-10-09.csv'
    """
    when = parse_event(event)
    folder = bundled_path("events/events.csv").parent
    path = folder / f"{when.date().isoformat()}.csv"
    if not path.exists():
        have = sorted(p.stem for p in folder.iterdir() if _EVENT_FILE.match(p.name))
        raise ValidationError(
            "no per-crossing estimates are bundled for this event",
            field="event",
            value=str(event),
            fix=f"events with estimates: {', '.join(have)}; or pass --estimates / a table",
        )
    return path


def _totals_headline(
    rows: pd.DataFrame, rule: str, prefer: str | Sequence[str] | None
) -> pd.Series:
    """The headline total of one event: the same rule as per-crossing figures."""
    return headline_figure(rows.rename(columns={"total": "figure"}), rule=rule, prefer=prefer)


def load_events(
    events: str | os.PathLike | pd.DataFrame | None = None,
    totals: str | os.PathLike | pd.DataFrame | None = None,
    *,
    rule: str = "latest",
    prefer: str | Sequence[str] | None = None,
) -> pd.DataFrame:
    """List the events in date order with their headline total and the crossings named.

    Parameters
    ----------
    events, totals : path or DataFrame, optional
        Default: the bundled ``events/events.csv`` and ``events/totals.csv``. An event that
        has totals but no row in ``events`` is listed under its date.
    rule, prefer
        How the headline total is chosen among the published ones, as for per-crossing
        figures (see :func:`bordermap.headline_figure`).

    Returns
    -------
    pandas.DataFrame
        One row per event: ``event_date``, ``name``, ``description``, ``crossings_named``
        (crossing ids a source names as used), ``places_named``; the headline total
        ``total``/``low``/``high``/``qualifier`` with its ``total_source``,
        ``total_source_date``, ``total_url``; ``n_totals`` and ``totals`` (every published
        total as a dict); the event's own ``source``, ``source_date``, ``url``, ``notes``.

    Examples
    --------
    >>> events = load_events()
    >>> april = events.iloc[3]
    >>> april["name"], int(april["total"]), april["qualifier"], april["total_source"][:18]
    ('26 April 2024', 60, 'about', 'Human Rights Watch')
    >>> int(load_events(rule="max")["total"].iloc[3])
    200
    """
    check_argument("events", events, PATH, FRAME, NONE)
    check_argument("totals", totals, PATH, FRAME, NONE)
    check_argument("rule", rule, TEXT)
    table = read_events(events)
    sums = read_totals(totals)
    rows = []
    dates = sorted(set(table["event_date"]) | set(sums["event_date"]))
    by_date = table.set_index("event_date")
    for when in dates:
        info = by_date.loc[when] if when in by_date.index else None
        published = sums[sums["event_date"] == when]
        head = _totals_headline(published, rule, prefer) if len(published) else None
        rows.append(
            {
                "event_date": when,
                "name": info["name"] if info is not None else when.date().isoformat(),
                "description": info["description"] if info is not None else "",
                "crossings_named": list(info["crossings_named"]) if info is not None else [],
                "places_named": list(info["places_named"]) if info is not None else [],
                "total": head["figure"] if head is not None else None,
                "low": head["low"] if head is not None else None,
                "high": head["high"] if head is not None else None,
                "qualifier": head["qualifier"] if head is not None else "",
                "total_source": head["source"] if head is not None else None,
                "total_source_date": head["source_date"] if head is not None else None,
                "total_url": head["url"] if head is not None else None,
                "n_totals": len(published),
                "totals": published[list(_TOTAL_FIELDS)].to_dict("records"),
                "source": info["source"] if info is not None else None,
                "source_date": info["source_date"] if info is not None else None,
                "url": info["url"] if info is not None else None,
                "notes": info["notes"] if info is not None else "",
            }
        )
    out = pd.DataFrame(rows)
    for column in ("total", "low", "high"):
        out[column] = out[column].astype("Int64")
    for column in ("event_date", "total_source_date", "source_date"):
        out[column] = pd.to_datetime(out[column])
    out.attrs = {
        "inputs": [
            {"file": t.attrs.get("source_file"), "sha256": t.attrs.get("sha256")}
            for t in (table, sums)
        ],
        "rule": rule,
        "prefer": prefer,
    }
    return out


def _named_ids(events: pd.DataFrame, crossings: pd.DataFrame) -> dict[pd.Timestamp, set[str]]:
    """Crossing ids named per event, every name resolved through the gazetteer."""
    gazetteer = Gazetteer.for_crossings(crossings)
    named: dict[pd.Timestamp, set[str]] = {}
    for _, event in events.iterrows():
        ids = set()
        for name in event["crossings_named"]:
            crossing_id = gazetteer.resolve([name])[0]
            if crossing_id is None:
                raise CrossingNotFound(
                    f"event {event['name']!r} names a crossing that is not on the map",
                    field="crossings_named",
                    value=name,
                    fix="use a crossing id such as tumen-onsong, separated by ';'",
                )
            ids.add(crossing_id)
        named[event["event_date"]] = ids
    return named


def _choose_events(events: pd.DataFrame, event: object) -> pd.DataFrame:
    if isinstance(event, str) and event.strip().lower() == "all":
        return events
    wanted = [event] if isinstance(event, str) or not isinstance(event, Sequence) else event
    shown = ", ".join(d.date().isoformat() for d in events["event_date"])
    dates = []
    for value in wanted:
        when = parse_event(value)
        if when not in set(events["event_date"]):
            raise ValidationError(
                "no such event", field="event", value=str(value), fix=f"the events are: {shown}"
            )
        dates.append(when)
    return events[events["event_date"].isin(dates)].reset_index(drop=True)


def event_series(
    crossings: pd.DataFrame | None = None,
    estimates: pd.DataFrame | str | os.PathLike[str] | None = None,
    events: pd.DataFrame | None = None,
    *,
    event: object = "all",
    rule: str = "latest",
    prefer: str | Sequence[str] | None = None,
) -> gpd.GeoDataFrame:
    """Every event × every crossing: the long table the time map and the notebook use.

    Parameters
    ----------
    crossings : geopandas.GeoDataFrame, optional
        Default: :func:`bordermap.load_crossings`.
    estimates : DataFrame or path, optional
        Per-crossing estimates of any events (default: :func:`read_event_estimates`).
    events : DataFrame, optional
        From :func:`load_events` (default: the bundled events, same ``rule``/``prefer``).
    event : "all" or list of dates
        Which of the events to include (default: all).
    rule, prefer
        How headline figures are chosen, per crossing and per event total.

    Returns
    -------
    geopandas.GeoDataFrame
        :func:`bordermap.join_estimates`'s long form for every listed event (an event with
        no per-crossing estimates gives crossings without figures), plus ``named`` (True
        where a source names the crossing as used, or gives it a figure) and the event's
        ``event_name``, headline total ``event_total``/``event_low``/``event_high``/
        ``event_qualifier``/``event_total_source``/``event_total_source_date``/
        ``event_total_url`` and ``event_totals`` (every published total), repeated on each
        of its crossings.

    Examples
    --------
    >>> series = event_series()
    >>> len(series), series["event_date"].nunique()
    (20, 4)
    >>> april = series[series["event_date"] == "2024-04-26"].set_index("id")
    >>> dandong = april.loc["dandong-sinuiju"]
    >>> bool(dandong["named"]), bool(dandong["has_figure"])
    (True, False)
    """
    check_argument("crossings", crossings, FRAME, NONE)
    check_argument("estimates", estimates, PATH, FRAME, NONE)
    check_argument("events", events, FRAME, NONE)
    check_argument("rule", rule, TEXT)
    from bordermap.model.layers import load_crossings

    crossings = load_crossings() if crossings is None else crossings
    events = load_events(rule=rule, prefer=prefer) if events is None else events
    estimates = read_event_estimates() if estimates is None else estimates
    events = _choose_events(events, event)
    dates = [d.date().isoformat() for d in events["event_date"]]
    long = join_estimates(crossings, estimates, dates, rule=rule, prefer=prefer, missing="empty")
    named = _named_ids(events, crossings)
    by_date = events.set_index("event_date")
    for column, source in _EVENT_COLUMNS.items():
        long[column] = [by_date.at[d, source] for d in long["event_date"]]
    for column in ("event_total", "event_low", "event_high"):
        long[column] = long[column].astype("Int64")
    check_event_totals(long, events)
    long["named"] = [
        bool(has) or cid in named.get(d, set())
        for d, cid, has in zip(long["event_date"], long["id"], long["has_figure"], strict=True)
    ]
    long.attrs["inputs"] = list(long.attrs.get("inputs", [])) + list(events.attrs.get("inputs", []))
    return long


def _claimed(row: Row) -> int | None:
    """What a headline claims at least: its figure, else the low end of its range."""
    for column in ("figure", "low", "high"):
        value = row.get(column)
        if value is not None and not pd.isna(value):
            return int(value)
    return None


def _shown(number: object, qualifier: object) -> str:
    return f"{qualifier} {number}".strip() if isinstance(qualifier, str) else str(number)


def check_event_totals(joined: pd.DataFrame, events: pd.DataFrame | None = None) -> list[str]:
    """Warn when an event's per-crossing headline figures add up to more than its total.

    Sources disagree, and a per-crossing figure from one may exceed the total another gives
    for the whole event: the map is still drawn, but the reader of the warning should check.
    For each event the headline figures (a range counts with its low end) are summed and
    compared with the event's headline total (its high end, for a range); over it, a
    :class:`~bordermap.errors.BordermapWarning` names both numbers and the sources.

    Parameters
    ----------
    joined : geopandas.GeoDataFrame
        From :func:`bordermap.join_estimates`: one event (``attrs['event']``) or the long
        form (an ``event_date`` column).
    events : DataFrame, optional
        From :func:`load_events` (default: the bundled events and totals). Events without a
        published total are not checked.

    Returns
    -------
    list of str
        The warnings given (empty when every sum is within its total).

    Examples
    --------
    >>> from bordermap import join_estimates, load_crossings
    >>> joined = join_estimates(load_crossings(), bundled_path("events/2023-10-09.csv"))
    >>> check_event_totals(joined)
    []
    """
    check_argument("joined", joined, FRAME)
    check_argument("events", events, FRAME, NONE)
    events = load_events() if events is None else events
    if "event_date" in joined.columns:
        dates = joined["event_date"]
    else:
        dates = pd.Series(
            [pd.Timestamp(joined.attrs.get("event"))] * len(joined), index=joined.index
        )
    by_date = events.set_index("event_date")
    given = []
    for when, rows in joined.groupby(pd.to_datetime(dates).dt.normalize(), sort=True):
        if when not in by_date.index:
            continue
        event = by_date.loc[when]
        limit = event["total"] if not pd.isna(event["total"]) else event["high"]
        if pd.isna(limit):
            continue
        parts = [
            (row["id"], _claimed(row), row["source"])
            for _, row in rows.iterrows()
            if row.get("has_figure", True) and _claimed(row) is not None
        ]
        added = sum(int(value or 0) for _, value, _ in parts)
        if added <= int(limit):
            continue
        each = "; ".join(f"{cid} {value} ({source})" for cid, value, source in parts)
        message = (
            f"{when.date().isoformat()}: the per-crossing headline figures add up to {added} "
            f"({each}), more than the event's headline total of "
            f"{_shown(int(limit), event['qualifier'])} ({event['total_source']}); "
            "check the figures and the total, or choose other headlines with rule=/prefer="
        )
        warnings.warn(message, BordermapWarning, stacklevel=2)
        given.append(message)
    return given
