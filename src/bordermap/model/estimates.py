"""Per-crossing estimates: read and validate them, pick a headline figure, join to crossings."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from bordermap.arguments import FRAME, NONE, PATH, TEXT, WHOLE, check_argument, check_frame
from bordermap.errors import MAX_LISTED, CrossingNotFound, ValidationError, listed
from bordermap.inputs import read_table
from bordermap.inputs.columns import casefold_column
from bordermap.inputs.dates import check_date_range
from bordermap.model.estimate_records import EstimateRecords
from bordermap.model.gazetteer import Gazetteer
from bordermap.model.layers import load_crossings
from bordermap.model.validate import ESTIMATE_COLUMNS, check_estimates

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = [
    "HEADLINE_RULES",
    "EstimateRecords",
    "headline_figure",
    "join_estimates",
    "read_estimates",
]

HEADLINE_RULES = ("latest", "median", "max", "min")
# What a joined crossing carries about each estimate behind it.
_ESTIMATE_FIELDS = (*(c for c in ESTIMATE_COLUMNS if c != "event_date"), "_row")


def read_estimates(
    source: str | os.PathLike | pd.DataFrame,
    *,
    sheet: str | int = 0,
    encoding: str | None = None,
) -> pd.DataFrame:
    """Read and validate a table of per-crossing estimates.

    Columns: ``event_date, crossing, figure, low, high, qualifier, source, source_date, url,
    notes``. ``crossing`` is an id or any spelling of either town; ``figure`` or
    ``low``/``high`` may be empty but not all three; ``qualifier`` is one of ``about``,
    ``up to``, ``over``, ``range`` or empty.

    Parameters
    ----------
    source : path or DataFrame
        CSV, Excel workbook or DataFrame.
    sheet : str or int, default 0
        Excel sheet.
    encoding : str, optional
        CSV text encoding (default UTF-8).

    Returns
    -------
    pandas.DataFrame
        Typed: figures ``Int64``, dates ``datetime64``; ``_row`` is the spreadsheet row.

    Raises
    ------
    bordermap.errors.BordermapError
        Naming file, row, field and value of the first bad cell.

    Examples
    --------
    >>> from bordermap.inputs import bundled_path
    >>> est = read_estimates(bundled_path("events/2023-10-09.csv"))
    >>> est.loc[0, "crossing"], int(est.loc[0, "figure"])
    ('tumen-onsong', 300)
    """
    check_argument("source", source, PATH, FRAME)
    check_argument("sheet", sheet, TEXT, WHOLE)
    check_argument("encoding", encoding, TEXT, NONE)
    if isinstance(source, pd.DataFrame):
        check_frame(source, "source")
    return check_estimates(read_table(source, sheet=sheet, encoding=encoding, hxl="estimates"))


def _values(rows: pd.DataFrame) -> pd.Series:
    """The number each row stands for when rules compare rows: figure, else high, else low."""
    value = rows["figure"].astype("Float64")
    for column in ("high", "low"):
        value = value.fillna(rows[column].astype("Float64"))
    return value


def headline_figure(
    rows: pd.DataFrame, *, rule: str = "latest", prefer: str | Sequence[str] | None = None
) -> pd.Series:
    """Pick the one published estimate a map shows for a crossing.

    The headline is always one published row, never a computed number.

    Parameters
    ----------
    rows : DataFrame
        Validated estimates of one crossing (see :func:`read_estimates`).
    rule : {"latest", "median", "max", "min"}
        ``latest``: the most recent ``source_date`` (ties: a row with a point figure, then
        the first in the file). ``median``: the row whose figure is the (lower) median.
        ``max``/``min``: the highest/lowest figure.
    prefer : str or list of str, optional
        Sources to prefer (case-insensitive substring of ``source``); the rule then applies
        among their rows, falling back to all rows when none matches.

    Returns
    -------
    pandas.Series
        The chosen row.

    Examples
    --------
    >>> from bordermap.inputs import bundled_path
    >>> est = read_estimates(bundled_path("events/2023-10-09.csv"))
    >>> dandong = est[est["crossing"].str.lower().str.startswith("dandong")]
    >>> int(headline_figure(dandong)["figure"])
    180
    >>> int(headline_figure(dandong, rule="max")["figure"])
    200
    """
    check_argument("rows", rows, FRAME)
    check_argument("rule", rule, TEXT)
    if rule not in HEADLINE_RULES:
        raise ValidationError(
            "unknown headline rule", field="rule", value=rule, fix=f"use one of {HEADLINE_RULES}"
        )
    if len(rows) == 0:
        raise ValidationError("no estimates to choose a headline from")
    if prefer:
        names = [prefer] if isinstance(prefer, str) else prefer
        if not isinstance(names, Sequence) or not all(isinstance(n, str) for n in names):
            raise ValidationError(
                "prefer must name sources",
                field="prefer",
                value=prefer,
                fix="give a source name (part of it), or a list of them",
            )
        sources = rows["source"].str.casefold()
        chosen = pd.Series(False, index=rows.index)
        for n in names:
            chosen |= sources.str.contains(n.casefold(), regex=False)
        preferred = rows[chosen]
        if len(preferred):
            rows = preferred
    ranked = rows.assign(_value=_values(rows), _point=rows["figure"].notna().astype(int))
    if rule == "latest":
        ranked = ranked.sort_values(
            ["source_date", "_point", "_row"], ascending=[False, False, True], kind="stable"
        )
        return rows.loc[ranked.index[0]]
    ranked = ranked.sort_values(["_value", "_row"], kind="stable")
    position = {"min": 0, "max": len(ranked) - 1, "median": (len(ranked) - 1) // 2}[rule]
    return rows.loc[ranked.index[position]]


def _event_dates(est: pd.DataFrame) -> list[pd.Timestamp]:
    return [pd.Timestamp(e) for e in sorted(est["event_date"].unique())]


def parse_event(event: object) -> pd.Timestamp:
    """The date an event is named by (YYYY-MM-DD); a ValidationError for anything else.

    Examples
    --------
    >>> parse_event(" 2023-10-09 ")
    Timestamp('2023-10-09 00:00:00')
    """
    when = pd.to_datetime(str(event).strip(), errors="coerce", format="ISO8601")
    if pd.isna(when):
        raise ValidationError(
            "event is not a date", field="event", value=event, fix="write YYYY-MM-DD"
        )
    check_date_range(f"{when.year:04d}-{when.month:02d}-{when.day:02d}", field="event", value=event)
    return when.normalize()


def _select_event(
    est: pd.DataFrame, event: object, *, missing: str = "error"
) -> tuple[pd.DataFrame, pd.Timestamp]:
    name = est.attrs.get("source_file", "<table>")
    events = _event_dates(est)
    shown = ", ".join(e.date().isoformat() for e in events)
    if event is None:
        if len(events) > 1:
            raise ValidationError(
                f"the table holds {len(events)} events ({shown})",
                file=name,
                field="event_date",
                fix="choose one with event='YYYY-MM-DD', a list of dates, or event='all'",
            )
        when = events[0]
    else:
        when = parse_event(event)
        if when not in set(events) and missing != "empty":
            raise ValidationError(
                "no estimates for this event",
                file=name,
                field="event_date",
                value=when.date().isoformat(),
                fix=f"the table has: {shown}",
            )
    chosen = (est["event_date"] == when).to_numpy()
    return (est if chosen.all() else est[chosen]), when


def _is_many(event: object) -> bool:
    """True for ``"all"`` or a list of dates: the join gives one row per crossing per event."""
    return (isinstance(event, str) and event.strip().lower() == "all") or (
        isinstance(event, Sequence) and not isinstance(event, str)
    )


def _check_names(est: pd.DataFrame, ids: pd.Series, gazetteer: Gazetteer) -> None:
    missing = est[ids.isna()]
    if not len(missing):
        return
    parts = []
    # Only the names a message shows are looked up: 100,000 typos make one short line.
    shown = missing.head(MAX_LISTED)
    for name, row in zip(shown["crossing"], shown["_row"], strict=True):
        other = gazetteer.other_place(name)
        if other:
            hint = f"{other} is a known place but not one of these crossings"
        else:
            close = gazetteer.suggest(name)
            hint = "closest: " + ", ".join(close) if close else "no close name"
        parts.append((row, f"{name!r} ({hint})"))
    single = len(missing) == 1
    problem = (
        f"no crossing matches {parts[0][1]}"
        if single
        else f"{len(missing):,} names match no crossing: "
        + listed((f"row {row} {text}" for row, text in parts), total=len(missing))
    )
    raise CrossingNotFound(
        problem,
        file=est.attrs.get("source_file", "<table>"),
        row=int(parts[0][0]) if single else None,
        field="crossing",
        fix="use a crossing id or a town name in any spelling ("
        + ", ".join(gazetteer.examples())
        + ")",
    )


def _check_duplicates(est: pd.DataFrame) -> None:
    folded = casefold_column(est["source"])
    if folded.nunique(dropna=False) == len(folded):
        return  # every source named once
    # Only a source named twice can give two figures: the crossing is compared on those rows.
    named_twice = folded.duplicated(keep=False).to_numpy()
    if not named_twice.any():
        return
    est, folded = est[named_twice], folded[named_twice]
    repeated = pd.DataFrame({"c": est["crossing_id"], "s": folded})
    dupes = est[repeated.duplicated(keep=False).to_numpy()]
    if len(dupes):
        key = dupes["crossing_id"] + "\x00" + dupes["source"].str.casefold()
        first, second = dupes.iloc[0], dupes[key[dupes.index] == key[dupes.index[0]]].iloc[1]
        raise ValidationError(
            f"the same source gives two figures for {first['crossing_id']} "
            f"(rows {first['_row']} and {second['_row']})",
            file=est.attrs.get("source_file", "<table>"),
            row=int(second["_row"]),
            field="source",
            value=second["source"],
            fix="keep one row per (crossing, source)",
        )


def join_estimates(
    crossings: pd.DataFrame,
    estimates: pd.DataFrame | str | os.PathLike[str],
    event: object = None,
    *,
    rule: str = "latest",
    prefer: str | Sequence[str] | None = None,
    missing: str = "error",
) -> gpd.GeoDataFrame:
    """Attach per-crossing estimates to crossings: one row per crossing, none dropped.

    Parameters
    ----------
    crossings : geopandas.GeoDataFrame or DataFrame
        From :func:`bordermap.load_crossings`, or anything it loads (a GeoDataFrame in any
        CRS, a DataFrame with lat/lon columns).
    estimates : DataFrame or path
        From :func:`read_estimates`, or anything it reads.
    event : str, date, list of dates or "all", optional
        The event date to map (``"2023-10-09"``); optional when the table holds one event.
        A list of dates, or ``"all"`` (every event in the table), returns the long form: one
        row per crossing per event, with an ``event_date`` column, events in date order.
    rule, prefer
        How the headline figure is chosen; see :func:`headline_figure`.
    missing : {"error", "empty"}
        An event date the table has no rows for: an error, or every crossing without a
        figure (for events known only from their totals, see :func:`bordermap.event_series`).

    Returns
    -------
    geopandas.GeoDataFrame
        The crossings plus ``figure``, ``low``, ``high``, ``qualifier``, ``source``,
        ``source_date``, ``url`` and ``headline_row`` (its row) of the headline estimate,
        ``has_figure`` (False where no figure was published: those columns stay empty),
        ``n_estimates`` and ``estimates`` (every estimate behind it: an
        :class:`EstimateRecords`, a sequence of dicts built when first read).
        ``attrs['event']`` holds the date (the long form: ``attrs['events']`` the dates,
        and an ``event_date`` column).

    Raises
    ------
    bordermap.errors.CrossingNotFound
        A name matches no crossing; the message lists each with its row and closest names.
    bordermap.errors.ValidationError
        Two figures from one source for one crossing, or an event not in the table.

    See Also
    --------
    bordermap.check_event_totals : warns when the headline figures add up to more than
        the event's published total.

    Examples
    --------
    >>> from bordermap import load_crossings
    >>> from bordermap.inputs import bundled_path
    >>> joined = join_estimates(load_crossings(), bundled_path("events/2023-10-09.csv"))
    >>> int(joined.set_index("id").loc["tumen-onsong", "figure"])
    300
    >>> bool(joined.set_index("id").loc["changbai-hyesan", "has_figure"])
    False
    >>> long = join_estimates(load_crossings(), bundled_path("events/2023-10-09.csv"), "all")
    >>> len(long), long.attrs["events"]
    (5, ['2023-10-09'])
    """
    check_argument("crossings", crossings, FRAME)
    check_argument("estimates", estimates, PATH, FRAME)
    check_argument("rule", rule, TEXT)
    check_argument("missing", missing, TEXT)
    check_frame(crossings, "crossings")
    if isinstance(estimates, pd.DataFrame):
        check_frame(estimates, "estimates")
    if missing not in ("error", "empty"):
        raise ValidationError(
            "unknown value", field="missing", value=missing, fix="use 'error' or 'empty'"
        )
    # Frames in any CRS, or with lat/lon columns, meet the checks a crossings file does.
    crossings = load_crossings(crossings)
    est = estimates
    if not (isinstance(est, pd.DataFrame) and "_row" in est and est["figure"].dtype == "Int64"):
        est = read_estimates(est)
    gazetteer = Gazetteer.for_crossings(crossings)  # once, however many events
    if not _is_many(event):
        return _join_one(
            crossings, est, event, gazetteer, rule=rule, prefer=prefer, missing=missing
        )
    if isinstance(event, str):
        dates = _event_dates(est)
    else:
        dates = sorted({parse_event(e) for e in event})  # type: ignore[attr-defined]
    if not dates:
        raise ValidationError("no event chosen", field="event", fix="give at least one date")
    parts = []
    for when in dates:
        one = _join_one(crossings, est, when, gazetteer, rule=rule, prefer=prefer, missing=missing)
        one.insert(0, "event_date", when)
        parts.append(one)
    long = pd.concat(parts, ignore_index=True)
    long.attrs = {
        "events": [d.date().isoformat() for d in dates],
        "inputs": parts[0].attrs["inputs"],
    }
    return long


def latest_rows(est: pd.DataFrame) -> dict[str, pd.Series]:
    """:func:`headline_figure` with ``rule="latest"`` for every crossing in one pass.

    The order it sorts by (newest source date, then a point figure, then the first row) is
    packed in one integer per row, and the largest per crossing is the headline.
    """
    days = est["source_date"].to_numpy().astype("datetime64[D]").astype(np.int64)
    point = est["figure"].notna().to_numpy().astype(np.int64)
    row = est["_row"].to_numpy().astype(np.int64)
    order = pd.Series((days * 2 + point) * 2**32 - row)
    codes, crossings = pd.factorize(est["crossing_id"])
    best = order.groupby(codes, sort=False).idxmax()
    return {crossings[code]: est.iloc[int(position)] for code, position in best.items()}


def _rows_by_crossing(ids: pd.Series) -> dict[str, np.ndarray]:
    """The positions of each crossing's rows, in table order (one factorize, one sort)."""
    codes, crossings = pd.factorize(ids)
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(len(crossings) + 1))
    return {c: order[bounds[k] : bounds[k + 1]] for k, c in enumerate(crossings)}


def _join_one(
    crossings: gpd.GeoDataFrame,
    est: pd.DataFrame,
    event: object,
    gazetteer: Gazetteer,
    *,
    rule: str,
    prefer: str | Sequence[str] | None,
    missing: str,
) -> gpd.GeoDataFrame:
    """The one-event join: one row per crossing, ``attrs['event']`` its date."""
    source_table = est
    est, when = _select_event(est, event, missing=missing)
    ids = gazetteer.resolve_series(est["crossing"])
    _check_names(est, ids, gazetteer)
    est = est.assign(crossing_id=ids)
    _check_duplicates(est)
    headline_columns = ["figure", "low", "high", "qualifier", "source", "source_date", "url"]
    # A row's sensitivity travels with it, so publishing can leave restricted rows out.
    fields = est[[*_ESTIMATE_FIELDS, *(["sensitivity"] if "sensitivity" in est else [])]]
    groups = _rows_by_crossing(est["crossing_id"])
    records = {crossing: EstimateRecords(fields, rows) for crossing, rows in groups.items()}
    if rule == "latest" and not prefer:
        heads = latest_rows(est)
    else:
        heads = {
            crossing: headline_figure(est.take(rows), rule=rule, prefer=prefer)
            for crossing, rows in groups.items()
        }
    joined = crossings.copy()
    for column in headline_columns:
        joined[column] = [heads[i][column] if i in heads else None for i in joined["id"]]
    joined["figure"] = joined["figure"].astype("Int64")
    joined["low"] = joined["low"].astype("Int64")
    joined["high"] = joined["high"].astype("Int64")
    joined["source_date"] = pd.to_datetime(joined["source_date"])
    joined["headline_row"] = pd.array(
        [heads[i]["_row"] if i in heads else None for i in joined["id"]], dtype="Int64"
    )
    joined["has_figure"] = joined["id"].isin(heads)
    empty = fields.iloc[:0]
    joined["n_estimates"] = [len(records.get(i, ())) for i in joined["id"]]
    joined["estimates"] = [records.get(i) or EstimateRecords(empty) for i in joined["id"]]
    joined.attrs = {
        "event": when.date().isoformat(),
        "inputs": [
            {"file": table.attrs.get("source_file"), "sha256": table.attrs.get("sha256")}
            for table in (crossings, source_table)
        ],
    }
    return joined
