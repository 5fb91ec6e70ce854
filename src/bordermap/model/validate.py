"""Checks on loaded tables; every failure names the file, row or feature, field and value."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from bordermap.cells import is_blank, visible_text
from bordermap.errors import ValidationError
from bordermap.inputs.columns import distinct, rows_of, taken, visible_column
from bordermap.inputs.dates import check_date_range, date_part
from bordermap.model.qualifiers import QUALIFIER_ALIASES, QUALIFIERS, misplaced_in_figure
from bordermap.model.schema import SCHEMAS

# The columns of each entity's file (bordermap.model.schema is where they are defined).
ESTIMATE_COLUMNS = SCHEMAS["estimates"].columns
TOTAL_COLUMNS = SCHEMAS["totals"].columns
EVENT_COLUMNS = SCHEMAS["events"].columns
ROUTE_COLUMNS = SCHEMAS["routes"].columns


def _present(value: object) -> bool:
    return not is_blank(value)


__all__ = [
    "ESTIMATE_COLUMNS",
    "EVENT_COLUMNS",
    "QUALIFIERS",
    "ROUTE_COLUMNS",
    "TOTAL_COLUMNS",
    "check_estimates",
    "check_events",
    "check_totals",
    "visible_text",
]

# Above this a "number of people" is a typo (and would overflow Int64 from 2**63 on).
_MOST_PEOPLE = 1_000_000_000


def where_of(table: pd.DataFrame) -> str:
    return table.attrs.get("source_file", "<table>")


def check_columns(table: pd.DataFrame, required: Iterable[str], known: Iterable[str]) -> None:
    """Raise when a required column is missing; name the closest column present, or the row
    the column names are really in (a title row above the header).

    Examples
    --------
    >>> table = pd.DataFrame({"Returns, October 2023": ["event_date", "2023-10-09"],
    ...                       "unnamed: 1": ["crossing", "Onsong"], "_row": [2, 3]})
    >>> check_columns(table, ["event_date", "crossing"], ["event_date", "crossing"])
    Traceback (most recent call last):
    ...
    bordermap.errors.ValidationError: <table>, row 2: the column names are in row 2, not in \
the first row; delete the rows above them (a title or a note)
    """
    import difflib

    required = list(required)
    missing = [column for column in required if column not in table.columns]
    if not missing:
        return
    header_row = _header_below(table, required)
    if header_row is not None:
        raise ValidationError(
            f"the column names are in row {header_row}, not in the first row",
            file=where_of(table),
            row=header_row,
            fix="delete the rows above them (a title or a note)",
        )
    column = missing[0]
    close = difflib.get_close_matches(column, [str(c) for c in table.columns], n=1)
    hint = f"did you mean {close[0]!r}?" if close else f"expected columns: {', '.join(known)}"
    raise ValidationError("column is missing", file=where_of(table), field=column, fix=hint)


def _header_below(table: pd.DataFrame, required: list[str]) -> int | None:
    """The spreadsheet row, among the first ten, whose cells name every required column."""
    cells = table.drop(columns="_row", errors="ignore").head(10)
    for position, values in enumerate(cells.itertuples(index=False)):
        names = {str(v).strip().lower() for v in values}
        if set(required) <= names:
            return int(table["_row"].iloc[position]) if "_row" in table else position + 2
    return None


def check_estimates(table: pd.DataFrame) -> pd.DataFrame:
    """Validate an estimates table of text cells and return it typed.

    Figures become nullable integers, dates ``datetime64``, qualifiers one of
    :data:`QUALIFIERS`. Raises :class:`~bordermap.errors.ValidationError` at the first bad cell.

    Examples
    --------
    >>> from bordermap.inputs import read_table, bundled_path
    >>> typed = check_estimates(read_table(bundled_path("events/2023-10-09.csv")))
    >>> str(typed["figure"].dtype)
    'Int64'
    """
    check_columns(table, SCHEMAS["estimates"].required, ESTIMATE_COLUMNS)
    name = where_of(table)
    if len(table) == 0:
        raise ValidationError(
            "estimates table has no rows", file=name, fix="add one row per published figure"
        )
    out = text_columns(table, ESTIMATE_COLUMNS)
    for column in ("figure", "low", "high"):
        out[column] = _people(out, column, name)
    out["qualifier"] = _qualifiers(out, name)
    _qualifier_agrees(out, "figure", name)
    for column in ("event_date", "source_date"):
        out[column] = dates_of(out, column, name)
    # Vectorised: only rows that fail a check reach the per-row loop that words the error.
    figure, low, high = out["figure"], out["low"], out["high"]
    suspect = (
        (out["crossing"] == "")
        | (out["source"] == "")
        | (figure.isna() & low.isna() & high.isna())
        | (low > high).fillna(False)
        | (figure < low).fillna(False)
        | (figure > high).fillna(False)
    )
    for record in out[suspect.to_numpy(dtype=bool)].to_dict("records"):
        row = _Record(record)
        where = {"file": name, "row": record["_row"]}
        if row.crossing == "":
            raise ValidationError(
                "crossing is empty",
                field="crossing",
                fix="name the crossing: its id or a town in any spelling",
                **where,
            )
        if row.source == "":
            raise ValidationError(
                "every figure needs its source",
                field="source",
                fix="name who published it",
                **where,
            )
        if pd.isna(row.figure) and pd.isna(row.low) and pd.isna(row.high):
            raise ValidationError(
                "figure, low and high are all empty",
                field="figure",
                fix="give the published figure, or low/high; leave out crossings with none",
                **where,
            )
        if not pd.isna(row.low) and not pd.isna(row.high) and row.low > row.high:
            raise ValidationError(
                f"low ({row.low}) is greater than high ({row.high})",
                field="low",
                fix="exchange low and high",
                **where,
            )
        if not pd.isna(row.figure):
            if not pd.isna(row.low) and row.figure < row.low:
                raise ValidationError(
                    f"figure ({row.figure}) is below its low bound ({row.low})",
                    field="figure",
                    fix="check the figure and its low/high bounds against the source",
                    **where,
                )
            if not pd.isna(row.high) and row.figure > row.high:
                raise ValidationError(
                    f"figure ({row.figure}) is above its high bound ({row.high})",
                    field="figure",
                    fix="check the figure and its low/high bounds against the source",
                    **where,
                )
    return out


class _Record:
    """Attribute access to one row's dict (itertuples would rename ``_row``)."""

    def __init__(self, record: dict) -> None:
        self.__dict__.update(record)

    def __getattr__(self, name: str) -> Any:  # the row's columns, for the type checker
        raise AttributeError(name)


# Digits grouped by thousands ("1,200", "12 000", "1_200"), or plain; an optional decimal
# part after a point. Anything else with a comma is not a number bordermap can be sure of.
# Not babel.numbers.parse_decimal: it reads one locale's convention, and these cells come in
# any. Strict "en" reads "1.200" as 1.2 (refused here as ambiguous) and refuses "12 000" and
# "1\u00a0200" (accepted here); "fr" or "de" read "3,00" as 3 and "1,200" as 1.2. Matching
# this rule with Babel needs these same checks first, and costs 6.5 µs a distinct cell
# against 0.8 µs here (every cell distinct in a million-row file: seconds).
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:([,_\u00a0\u202f ])\d{3})(?:\1\d{3})*(?:\.\d+)?")
# "1.200": one thousand two hundred in German or Spanish, one point two in English.
_DOT_THOUSANDS = re.compile(r"\d{1,3}(?:\.\d{3})+")
# Markers _number_text gives for a cell whose meaning is not sure, and why.
_AMBIGUOUS = {
    "\x00dot": "ambiguous number: '.' may group thousands (1.200 = 1200 in much of Europe) "
    "or mark decimals (1.2)",
    "\x00comma": "ambiguous number: ',' does not separate groups of three digits "
    "(a decimal comma, 3,00 = 3? or a typo?)",
}


def _number_text(value: str) -> str:
    """A cell as text ``pd.to_numeric`` reads, or a marker when its meaning is not sure."""
    if _DOT_THOUSANDS.fullmatch(value):
        return "\x00dot"
    if _GROUPED.fullmatch(value):
        return re.sub(r"[,_\u00a0\u202f ]", "", value)
    if any(sep in value for sep in ",_"):
        return "\x00comma"
    return value


def _misplaced(raw: object, column: str) -> tuple[str, str] | None:
    """A qualifier or range typed into the figure: which columns its parts go in."""
    return None if column in ("low", "high") else misplaced_in_figure(str(raw))


def _people(table: pd.DataFrame, column: str, name: str) -> pd.Series:
    codes, uniques = distinct(table[column])
    text = pd.Series([_number_text(str(u)) for u in uniques], dtype=object)
    ambiguous = text.isin(list(_AMBIGUOUS)).to_numpy()
    for i in rows_of(codes, ambiguous)[:1]:
        raw = table[column].iloc[i]
        problem, fix = _misplaced(raw, column) or (
            _AMBIGUOUS[text.iloc[codes[i]]],
            "write digits only, e.g. 1200",
        )
        raise ValidationError(
            problem, file=name, row=int(table["_row"].iloc[i]), field=column, value=raw, fix=fix
        )
    numbers = pd.to_numeric(text.where(text != ""), errors="coerce")
    finite = numbers.where(numbers.abs() != math.inf)
    fine = (finite >= 0) & (finite <= _MOST_PEOPLE) & (finite == finite.round())
    bad = ((text != "") & ~fine.fillna(False)).to_numpy(dtype=bool)
    for i in rows_of(codes, bad)[:1]:
        raw, number = table[column].iloc[i], numbers.iloc[codes[i]]
        where = {"file": name, "row": int(table["_row"].iloc[i]), "field": column, "value": raw}
        if pd.isna(number) or math.isinf(number):
            problem, fix = _misplaced(raw, column) or (
                "not a number of people",
                "write digits only, e.g. 300",
            )
            raise ValidationError(problem, fix=fix, **where)
        if number > _MOST_PEOPLE:
            raise ValidationError(
                "implausibly large number of people",
                fix="check the figure (digits only, no separators other than ',')",
                **where,
            )
        if number < 0:
            raise ValidationError(
                "a number of people cannot be negative", fix="write 0 or more", **where
            )
        raise ValidationError(
            "a number of people must be a whole number",
            fix="write the published whole number; a range goes in low and high",
            **where,
        )
    return taken(numbers.round().astype("Int64"), codes, table.index)


def _qualifiers(table: pd.DataFrame, name: str) -> pd.Series:
    codes, uniques = distinct(table["qualifier"])
    values = pd.Series([" ".join(str(u).lower().split()) for u in uniques], dtype=object)
    values = values.replace(QUALIFIER_ALIASES)
    for i in rows_of(codes, (~values.isin(QUALIFIERS)).to_numpy())[:1]:
        raise ValidationError(
            "unknown qualifier",
            file=name,
            row=int(table["_row"].iloc[i]),
            field="qualifier",
            value=table["qualifier"].iloc[i],
            fix="use one of: about, up to, over, range (or leave empty)",
        )
    return taken(values.astype("str"), codes, table.index)


# What each qualifier needs of figure/low/high, and the fix when a row does not have it.
# Without a figure the map shows "up to HIGH", "over LOW" or "LOW–HIGH" from the bounds: a
# qualifier that says otherwise would be silently redrawn as something else.
_QUALIFIER_NEEDS = {
    "up to": ("a figure or high, and no low alone", "put the bound in high (up to 200)"),
    "over": ("a figure or low, and no high alone", "put the bound in low (over 300)"),
    "about": ("a figure", "put the approximate number in figure"),
    "range": ("both low and high", "give low and high (150–200)"),
}


def _qualifier_agrees(out: pd.DataFrame, figure_column: str, name: str) -> None:
    """Raise at the first row whose qualifier says what its figure and bounds do not."""
    figure, low, high = out[figure_column].notna(), out["low"].notna(), out["high"].notna()
    qualifier = out["qualifier"]
    bare = ~figure
    wrong = {
        "up to": bare & (~high | low),
        "over": bare & (~low | high),
        "about": bare,
        "range": ~(low & high),
    }
    for word, mask in wrong.items():
        rows = ((qualifier == word) & mask).to_numpy().nonzero()[0]
        if len(rows):
            i = int(rows[0])
            given = [
                c
                for c, has in ((figure_column, figure), ("low", low), ("high", high))
                if has.iloc[i]
            ]
            needs, fix = _QUALIFIER_NEEDS[word]
            raise ValidationError(
                f"qualifier '{word}' needs {needs} (given: {', '.join(given) or 'none'})",
                file=name,
                row=int(out["_row"].iloc[i]),
                field="qualifier",
                value=word,
                fix=fix,
            )


def dates_of(table: pd.DataFrame, column: str, name: str, *, optional: bool = False) -> pd.Series:
    """Dates as ``datetime64`` days; a year or a month alone is refused, not made a 1st.

    Shown as "1 January 2023", a source dated only "2023" would claim a day it never gave.
    """
    codes, uniques = distinct(table[column])
    text = pd.Series([date_part(str(u)) for u in uniques], dtype=object)
    parsed = pd.to_datetime(
        text.where(~text.str.startswith("\x00")), format="%Y-%m-%d", errors="coerce"
    )
    missing = parsed.isna().to_numpy(copy=True)
    if optional:
        missing &= np.asarray([u != "" for u in uniques], dtype=bool)
    for i in rows_of(codes, missing)[:1]:
        raw = table[column].iloc[i]
        where: dict[str, Any] = {
            "file": name,
            "row": int(table["_row"].iloc[i]),
            "field": column,
        }
        if text.iloc[codes[i]] == "\x00range":
            check_date_range(str(raw)[:10], value=raw, **where)
        if text.iloc[codes[i]] == "\x00partial":
            raise ValidationError(
                "a year or a month alone is not a date: the map would show it as its first day",
                value=raw,
                fix="write the full date the source gives (YYYY-MM-DD)"
                + ("; leave it empty if the source gives no day" if optional else ""),
                **where,
            )
        raise ValidationError(
            "date is empty" if raw == "" else "not a date",
            value=raw or None,
            fix="write dates as YYYY-MM-DD",
            **where,
        )
    return taken(parsed.astype("datetime64[ns]"), codes, table.index)


def text_columns(table: pd.DataFrame, columns: Iterable[str]) -> pd.DataFrame:
    out = table.copy()
    for column in columns:
        if column not in out.columns:
            out[column] = ""
        out[column] = visible_column(out[column])
    return out


def _require_text(out: pd.DataFrame, column: str, name: str, problem: str, fix: str) -> None:
    empty = out[out[column] == ""]
    if len(empty):
        raise ValidationError(
            problem, file=name, row=int(empty["_row"].iloc[0]), field=column, fix=fix
        )


def check_totals(table: pd.DataFrame) -> pd.DataFrame:
    """Validate a table of event totals (everyone an event returned, all crossings together).

    Columns :data:`TOTAL_COLUMNS`; ``total`` or ``low``/``high`` must be given and the source
    named; ``source_date`` may be empty when the publication date is not known.

    Examples
    --------
    >>> from bordermap.inputs import read_table, bundled_path
    >>> totals = check_totals(read_table(bundled_path("events/totals.csv")))
    >>> str(totals["total"].dtype), totals["qualifier"].iloc[2]
    ('Int64', 'up to')
    """
    check_columns(table, SCHEMAS["totals"].required, TOTAL_COLUMNS)
    name = where_of(table)
    if len(table) == 0:
        raise ValidationError("totals table has no rows", file=name, fix="add a row")
    out = text_columns(table, TOTAL_COLUMNS)
    for column in ("total", "low", "high"):
        out[column] = _people(out, column, name)
    out["qualifier"] = _qualifiers(out, name)
    _qualifier_agrees(out, "total", name)
    out["event_date"] = dates_of(out, "event_date", name)
    out["source_date"] = dates_of(out, "source_date", name, optional=True)
    _require_text(out, "source", name, "every figure needs its source", "name who published it")
    for record in out.to_dict("records"):
        where = {"file": name, "row": record["_row"]}
        total, low, high = record["total"], record["low"], record["high"]
        if pd.isna(total) and pd.isna(low) and pd.isna(high):
            raise ValidationError(
                "total, low and high are all empty",
                field="total",
                fix="give the published total, or low/high",
                **where,
            )
        if not pd.isna(low) and not pd.isna(high) and low > high:
            raise ValidationError(
                f"low ({low}) is greater than high ({high})",
                field="low",
                fix="exchange low and high",
                **where,
            )
    return out


def check_events(table: pd.DataFrame) -> pd.DataFrame:
    """Validate a table of events: one row per date, named and sourced.

    ``crossings_named`` and ``places_named`` are ``;``-separated lists and come back as lists
    of strings; ``source_date`` may be empty.

    Examples
    --------
    >>> from bordermap.inputs import read_table, bundled_path
    >>> events = check_events(read_table(bundled_path("events/events.csv")))
    >>> events["crossings_named"].iloc[3]
    ['dandong-sinuiju']
    """
    check_columns(table, SCHEMAS["events"].required, EVENT_COLUMNS)
    name = where_of(table)
    if len(table) == 0:
        raise ValidationError("events table has no rows", file=name, fix="add a row")
    out = text_columns(table, EVENT_COLUMNS)
    out["event_date"] = dates_of(out, "event_date", name)
    out["source_date"] = dates_of(out, "source_date", name, optional=True)
    _require_text(out, "name", name, "event has no name", "write a short name, e.g. 9 October 2023")
    _require_text(out, "source", name, "every event needs its source", "name who reported it")
    dupes = out[out["event_date"].duplicated()]
    if len(dupes):
        raise ValidationError(
            "the same event date is listed twice",
            file=name,
            row=int(dupes["_row"].iloc[0]),
            field="event_date",
            value=dupes["event_date"].iloc[0].date().isoformat(),
            fix="keep one row per event",
        )
    for column in ("crossings_named", "places_named"):
        out[column] = out[column].map(lambda v: [p.strip() for p in v.split(";") if p.strip()])
    return out.sort_values("event_date", kind="stable").reset_index(drop=True)
