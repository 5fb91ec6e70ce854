"""Checks on loaded tables; every failure names the file, row or feature, field and value."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable

import numpy as np
import pandas as pd

from bordermap.errors import ValidationError, feature_label

__all__ = [
    "ESTIMATE_COLUMNS",
    "EVENT_COLUMNS",
    "QUALIFIERS",
    "ROUTE_COLUMNS",
    "ROUTE_STATUSES",
    "TOTAL_COLUMNS",
    "check_case_records",
    "check_estimates",
    "check_events",
    "check_points",
    "check_routes",
    "check_totals",
    "visible_text",
]

ESTIMATE_COLUMNS = (
    "event_date",
    "crossing",
    "figure",
    "low",
    "high",
    "qualifier",
    "source",
    "source_date",
    "url",
    "notes",
)
_REQUIRED_ESTIMATE_COLUMNS = ("event_date", "crossing", "figure", "source", "source_date")
QUALIFIERS = ("", "about", "up to", "over", "range")
_QUALIFIER_ALIASES = {
    "approximately": "about",
    "around": "about",
    "approx.": "about",
    "~": "about",
    "at most": "up to",
    "as many as": "up to",
    "more than": "over",
    "at least": "over",
    ">": "over",
    "exact": "",
}
# Above this a "number of people" is a typo (and would overflow Int64 from 2**63 on).
_MOST_PEOPLE = 1_000_000_000
# Bounding box of the China–North Korea border region, with a generous margin: a point
# outside it that falls inside once lat and lon are swapped was almost surely swapped.
_REGION = (115.0, 35.0, 136.0, 50.0)


def _where(table: pd.DataFrame) -> str:
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
            file=_where(table),
            row=header_row,
            fix="delete the rows above them (a title or a note)",
        )
    column = missing[0]
    close = difflib.get_close_matches(column, [str(c) for c in table.columns], n=1)
    hint = f"did you mean {close[0]!r}?" if close else f"expected columns: {', '.join(known)}"
    raise ValidationError("column is missing", file=_where(table), field=column, fix=hint)


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
    >>> from bordermap.io import read_table, bundled_path
    >>> typed = check_estimates(read_table(bundled_path("events/2023-10-09.csv")))
    >>> str(typed["figure"].dtype)
    'Int64'
    """
    check_columns(table, _REQUIRED_ESTIMATE_COLUMNS, ESTIMATE_COLUMNS)
    name = _where(table)
    if len(table) == 0:
        raise ValidationError(
            "estimates table has no rows", file=name, fix="add one row per published figure"
        )
    out = _text_columns(table, ESTIMATE_COLUMNS)
    for column in ("figure", "low", "high"):
        out[column] = _people(out, column, name)
    out["qualifier"] = _qualifiers(out, name)
    _qualifier_agrees(out, "figure", name)
    for column in ("event_date", "source_date"):
        out[column] = _dates(out, column, name)
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
                fix="name the crossing: an id or a town in any spelling (Onsong, 온성)",
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


def _per_distinct(values: pd.Series, fold) -> pd.Series:
    """``fold`` applied once per distinct value (a million rows hold a few dozen spellings)."""
    codes, uniques = _distinct(values)
    return pd.Series([fold(u) for u in uniques], dtype=object).take(codes).set_axis(values.index)


def _distinct(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Codes and distinct values (as objects); Arrow-backed text is factorised in C."""
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    return codes, np.asarray(uniques, dtype=object)


# Digits grouped by thousands ("1,200", "12 000", "1_200"), or plain; an optional decimal
# part after a point. Anything else with a comma is not a number bordermap can be sure of.
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


def _people(table: pd.DataFrame, column: str, name: str) -> pd.Series:
    text = _per_distinct(table[column], _number_text)
    ambiguous = text.isin(list(_AMBIGUOUS))
    if ambiguous.any():
        i = int(ambiguous.to_numpy().nonzero()[0][0])
        raise ValidationError(
            _AMBIGUOUS[text.iloc[i]],
            file=name,
            row=int(table["_row"].iloc[i]),
            field=column,
            value=table[column].iloc[i],
            fix="write digits only, e.g. 1200",
        )
    numbers = pd.to_numeric(text.where(text != ""), errors="coerce")
    finite = numbers.where(numbers.abs() != math.inf)
    fine = (finite >= 0) & (finite <= _MOST_PEOPLE) & (finite == finite.round())
    bad = (table[column] != "") & ~fine.fillna(False)
    for i in bad.to_numpy().nonzero()[0]:
        raw, number = table[column].iloc[i], numbers.iloc[i]
        if raw == "":
            continue
        where = {"file": name, "row": int(table["_row"].iloc[i]), "field": column, "value": raw}
        if pd.isna(number) or math.isinf(number):
            raise ValidationError(
                "not a number of people", fix="write digits only, e.g. 300", **where
            )
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
        if not float(number).is_integer():
            raise ValidationError(
                "a number of people must be a whole number",
                fix="write the published whole number; a range goes in low and high",
                **where,
            )
    return numbers.round().astype("Int64")


def _qualifiers(table: pd.DataFrame, name: str) -> pd.Series:
    values = _per_distinct(table["qualifier"], lambda v: " ".join(v.lower().split()))
    values = values.replace(_QUALIFIER_ALIASES)
    for i in (~values.isin(QUALIFIERS)).to_numpy().nonzero()[0]:
        if values.iloc[i] not in QUALIFIERS:
            raise ValidationError(
                "unknown qualifier",
                file=name,
                row=int(table["_row"].iloc[i]),
                field="qualifier",
                value=table["qualifier"].iloc[i],
                fix="use one of: about, up to, over, range (or leave empty)",
            )
    return values


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


# A calendar date, optionally with the time and zone a spreadsheet or API adds: the date is
# kept as written (a zone does not move it to another day).
_DATE = re.compile(
    r"(\d{4}-\d{2}-\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
)
_PARTIAL_DATE = re.compile(r"\d{4}(?:-\d{1,2})?")


def _date_part(value: str) -> str:
    match = _DATE.fullmatch(value)
    if match:
        return match.group(1)
    return "\x00partial" if _PARTIAL_DATE.fullmatch(value) else "\x00bad"


def _dates(table: pd.DataFrame, column: str, name: str, *, optional: bool = False) -> pd.Series:
    """Dates as ``datetime64`` days; a year or a month alone is refused, not made a 1st.

    Shown as "1 January 2023", a source dated only "2023" would claim a day it never gave.
    """
    text = _per_distinct(table[column], _date_part)
    parsed = pd.to_datetime(
        text.where(~text.str.startswith("\x00")), format="%Y-%m-%d", errors="coerce"
    )
    for i in parsed.isna().to_numpy().nonzero()[0]:
        raw = table[column].iloc[i]
        if optional and raw == "":
            continue
        where = {"file": name, "row": int(table["_row"].iloc[i]), "field": column}
        if text.iloc[i] == "\x00partial":
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
    return parsed.astype("datetime64[ns]")


def check_points(gdf, *, kind: str):
    """Validate a point layer: ids present and unique, points valid, in range, lon/lat order.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        In EPSG:4326, as :func:`bordermap.io.read_geodata` returns it.
    kind : str
        What the layer holds ("crossing", "facility"), for messages. Every feature needs a
        non-empty ``id``.

    Examples
    --------
    >>> from bordermap.io import read_geodata, bundled_path
    >>> len(check_points(read_geodata(bundled_path("crossings.geojson")), kind="crossing"))
    5
    """
    name = gdf.attrs.get("source_file", "<GeoDataFrame>")
    if len(gdf) == 0:
        raise ValidationError(
            f"no {kind} features in the file",
            file=name,
            fix=f"add at least one {kind} point (or leave the option out for the bundled one)",
        )
    if "id" not in gdf.columns:
        raise ValidationError(
            f"{kind} features have no 'id' property",
            file=name,
            field="id",
            fix="give every feature the property 'id'",
        )
    ids = gdf["id"].tolist()
    for i, geom in enumerate(gdf.geometry):
        where = {"file": name, "row": feature_label(i, ids[i] if _filled(ids[i]) else None)}
        if not _filled(ids[i]):
            raise ValidationError(
                "id is empty", field="id", fix="give every feature the property 'id'", **where
            )
        _check_point(geom, kind, where)
    text_ids = gdf["id"].astype(str).str.strip()
    dupes = text_ids[text_ids.duplicated()]
    if len(dupes):
        i = int(text_ids.index.get_indexer([dupes.index[0]])[0])
        first = int((text_ids == dupes.iloc[0]).to_numpy().nonzero()[0][0])
        raise ValidationError(
            f"{kind} id is used twice (features {first + 1} and {i + 1})",
            file=name,
            row=feature_label(i, dupes.iloc[0]),
            field="id",
            value=dupes.iloc[0],
            fix="give every feature its own id",
        )
    return gdf


def _check_point(geom, kind: str, where: dict) -> None:
    """One feature's geometry: a valid Point, finite, in lon/lat order, in range."""
    if geom is None or geom.is_empty:
        raise ValidationError(
            "feature has no geometry",
            field="geometry",
            fix="give it a point: [longitude, latitude]",
            **where,
        )
    if geom.geom_type != "Point":
        raise ValidationError(
            f"{kind} must be a Point",
            field="geometry",
            value=geom.geom_type,
            fix=f"draw each {kind} as one point, or pass representative_point=True to place "
            "it at a point on its shape",
            **where,
        )
    lon, lat = geom.x, geom.y
    shown = f"lon {lon}, lat {lat}"
    if not (math.isfinite(lon) and math.isfinite(lat)):
        raise ValidationError(
            "coordinate is not a number",
            field="geometry",
            value=shown,
            fix="write decimal degrees, e.g. [129.7, 42.96]",
            **where,
        )
    # Before the range check: a swapped point in this region always has |lat| > 90, and
    # "swapped" is the message that tells the user what to do.
    if not _in_region(lon, lat) and _in_region(lat, lon):
        raise ValidationError(
            "latitude and longitude look swapped: the point lies in the border region "
            "only when they are exchanged",
            field="geometry",
            value=shown,
            fix="write coordinates as lon, lat (GeoJSON) or check the lat/lon columns",
            **where,
        )
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise ValidationError(
            "coordinate out of range",
            field="geometry",
            value=shown,
            fix="longitude must be within ±180 and latitude within ±90 (decimal degrees, "
            "WGS84); if the file is projected, pass its crs",
            **where,
        )
    if not geom.is_valid:
        raise ValidationError(
            "invalid geometry", field="geometry", value=geom.wkt, fix="redraw the point", **where
        )


def _filled(value: object) -> bool:
    return not (
        value is None
        or (isinstance(value, float) and math.isnan(value))
        or str(value).strip() == ""
    )


def _in_region(lon: float, lat: float) -> bool:
    west, south, east, north = _REGION
    return west <= lon <= east and south <= lat <= north


TOTAL_COLUMNS = (
    "event_date",
    "total",
    "low",
    "high",
    "qualifier",
    "source",
    "source_date",
    "url",
    "notes",
)
EVENT_COLUMNS = (
    "event_date",
    "name",
    "description",
    "crossings_named",
    "places_named",
    "source",
    "source_date",
    "url",
    "notes",
)


def _text_columns(table: pd.DataFrame, columns: Iterable[str]) -> pd.DataFrame:
    out = table.copy()
    for column in columns:
        if column not in out.columns:
            out[column] = ""
        out[column] = _per_distinct(out[column], lambda v: visible_text(str(v)))
    return out


# Characters that show nothing: spaces, zero-width and other format characters, controls.
_INVISIBLE = ("Zs", "Zl", "Zp", "Cf", "Cc", "Co", "Cn", "Mn", "Me")


def visible_text(text: str) -> str:
    """The text trimmed of spaces, or "" when it shows nothing at all.

    A source of only zero-width spaces (U+200B) or joiners looks filled to Python but
    empty to a reader: "every figure needs its source" must see it as empty.

    Examples
    --------
    >>> visible_text("  TJWG "), visible_text("\u200b\u200d \u2060"), visible_text("\ufeff")
    ('TJWG', '', '')
    """
    text = text.strip()
    if all(unicodedata.category(ch) in _INVISIBLE or ch.isspace() for ch in text):
        return ""
    return text


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
    >>> from bordermap.io import read_table, bundled_path
    >>> totals = check_totals(read_table(bundled_path("events/totals.csv")))
    >>> str(totals["total"].dtype), totals["qualifier"].iloc[2]
    ('Int64', 'up to')
    """
    check_columns(table, ("event_date", "total", "source"), TOTAL_COLUMNS)
    name = _where(table)
    if len(table) == 0:
        raise ValidationError("totals table has no rows", file=name, fix="add a row")
    out = _text_columns(table, TOTAL_COLUMNS)
    for column in ("total", "low", "high"):
        out[column] = _people(out, column, name)
    out["qualifier"] = _qualifiers(out, name)
    _qualifier_agrees(out, "total", name)
    out["event_date"] = _dates(out, "event_date", name)
    out["source_date"] = _dates(out, "source_date", name, optional=True)
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
    >>> from bordermap.io import read_table, bundled_path
    >>> events = check_events(read_table(bundled_path("events/events.csv")))
    >>> events["crossings_named"].iloc[3]
    ['dandong-sinuiju']
    """
    check_columns(table, ("event_date", "name", "source"), EVENT_COLUMNS)
    name = _where(table)
    if len(table) == 0:
        raise ValidationError("events table has no rows", file=name, fix="add a row")
    out = _text_columns(table, EVENT_COLUMNS)
    out["event_date"] = _dates(out, "event_date", name)
    out["source_date"] = _dates(out, "source_date", name, optional=True)
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


ROUTE_COLUMNS = (
    "event_date",
    "crossing",
    "from_facility",
    "to_facility",
    "status",
    "source",
    "source_date",
    "url",
    "notes",
)
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


def check_routes(table: pd.DataFrame, crossings: pd.DataFrame, facilities) -> pd.DataFrame:
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
    >>> from bordermap.io import read_table, bundled_path
    >>> routes = check_routes(read_table(bundled_path("routes.csv")),
    ...                       load_crossings(), load_facilities())
    >>> sorted(routes["status"].unique())
    ['inferred', 'reported']
    """
    from bordermap.gazetteer import Gazetteer

    check_columns(table, ("event_date", "crossing", "status", "source"), ROUTE_COLUMNS)
    name = _where(table)
    if len(table) == 0:
        raise ValidationError("routes table has no rows", file=name)
    out = _text_columns(table, ROUTE_COLUMNS)
    out["event_date"] = _dates(out, "event_date", name)
    out["source_date"] = _dates(out, "source_date", name, optional=True)
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
_M_PER_DEG = 111_320.0
# Case coordinates are stored as whole steps of their precision in 32-bit integers.
_MOST_STEPS = 2**32 - 1


def check_case_records(points, *, precision: float | None = None) -> None:
    """Check case records before they are drawn: points, in range, a usable precision.

    Each record must be one Point (a GeoDataFrame) or a pair of ``lon``/``lat`` numbers;
    coordinates must be decimal degrees within ±180/±90 (a GeoDataFrame with no CRS whose
    coordinates are larger looks projected: the error says to set its CRS); ``precision_m``
    values and ``precision`` must be finite positive numbers of metres, fine enough to hold
    the records' spread in 32-bit steps.

    Raises
    ------
    bordermap.errors.ValidationError
        Naming the record (1-based, with its id when it has one), the field and the value.

    Examples
    --------
    >>> import pandas as pd
    >>> check_case_records(pd.DataFrame({"lon": [129.9], "lat": [42.9], "precision_m": [100]}))
    >>> check_case_records(pd.DataFrame({"lon": [129.9], "lat": [95.0]}))
    Traceback (most recent call last):
    ...
    bordermap.errors.ValidationError: <cases>, record 1, field 'lat': ...
    """
    import numpy as np

    name = points.attrs.get("source_file", "<cases>")
    ids = points["id"].tolist() if "id" in points.columns else [None] * len(points)

    def where(i: int, field: str) -> dict:
        label = feature_label(int(i), ids[i]).replace("feature", "record", 1)
        return {"file": name, "row": label, "field": field}

    geometry = getattr(points, "geometry", None) if hasattr(points, "crs") else None
    if geometry is not None:
        kinds = geometry.geom_type.to_numpy(dtype=object)
        not_point = np.flatnonzero((kinds != "Point") | geometry.is_empty.to_numpy())
        if len(not_point):
            i = int(not_point[0])
            raise ValidationError(
                "a case record must be one point",
                value=None if kinds[i] is None else str(kinds[i]),
                fix="give each record one point (a polygon's centroid, or one row per point "
                "of a MultiPoint: gdf.explode())",
                **where(i, "geometry"),
            )
        shown = points if points.crs is None else points.to_crs("EPSG:4326")
        lon, lat = shown.geometry.x.to_numpy(float), shown.geometry.y.to_numpy(float)
        axes = (("geometry", lon, 180.0), ("geometry", lat, 90.0))
        projected_fix = (
            "convert the records to degrees, or declare the CRS they are in "
            "(a file's .prj or crs; gdf.set_crs('EPSG:…'))"
        )
    else:
        columns = next(
            (
                pair
                for pair in (("lon", "lat"), ("longitude", "latitude"), ("x", "y"))
                if set(pair) <= set(points.columns)
            ),
            None,
        )
        if columns is None:
            return  # the drawing says which columns it looks for
        lon, lat = (
            pd.to_numeric(points[c], errors="coerce").to_numpy(dtype=float) for c in columns
        )
        axes = ((columns[0], lon, 180.0), (columns[1], lat, 90.0))
        projected_fix = "lon/lat columns hold decimal degrees; convert projected ones first"
    for field, values, limit in axes:
        bad = np.flatnonzero(~np.isfinite(values) | (np.abs(values) > limit))
        if len(bad):
            i = int(bad[0])
            value = values[i]
            # Metres from a projection's origin: thousands to tens of millions.
            looks_projected = 1000 < abs(value) <= 1e8
            raise ValidationError(
                "a case record has no usable coordinates (not a number)"
                if not math.isfinite(value)
                else "coordinate looks projected (metres), not degrees"
                if looks_projected
                else "coordinate out of range",
                value=float(value),
                fix=projected_fix
                if looks_projected
                else f"give decimal degrees within ±{limit:g}, or leave the record out",
                **where(i, field),
            )
    finest = _finest_precision(points, precision, where)
    if finest is not None and len(lon):
        span = max(float(np.ptp(lon)), float(np.ptp(lat)))
        if span * _M_PER_DEG / finest[0] > _MOST_STEPS:
            raise ValidationError(
                f"a precision of {finest[0]:g} m over {span:.3g}° of records needs more "
                "steps than the map can store",
                value=finest[0],
                fix="give the precision the records are really known to (metres, e.g. 100)",
                **finest[1],
            )


def _finest_precision(points, precision, where) -> tuple[float, dict] | None:
    """The finest precision the records claim (value, where it is), each value checked."""
    import numpy as np

    if precision is not None:
        try:
            value = float(precision)
        except (TypeError, ValueError):
            value = math.nan
        if not (math.isfinite(value) and value > 0):
            raise ValidationError(
                "precision must be a positive number of metres",
                field="precision",
                value=precision,
                fix="give metres, e.g. precision=100",
            )
        return value, {"field": "precision"}
    if "precision_m" not in points.columns:
        return None
    raw = points["precision_m"]
    given = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=float)
    blank = raw.isna().to_numpy() | (raw.astype(str).str.strip() == "").to_numpy()
    bad = np.flatnonzero(~blank & ~(np.isfinite(given) & (given > 0)))
    if len(bad):
        i = int(bad[0])
        raise ValidationError(
            "precision_m must be a positive number of metres",
            value=raw.iloc[i],
            fix="write metres as digits, e.g. 15000 for 15 km (blank when unknown)",
            **where(i, "precision_m"),
        )
    if blank.all():
        return None
    i = int(np.nanargmin(np.where(blank, np.inf, given)))
    return float(given[i]), where(i, "precision_m")
