"""Dates as bordermap takes them: full calendar dates (YYYY-MM-DD) within a stated range."""

from __future__ import annotations

import re
from typing import Any

from bordermap.errors import ValidationError

__all__ = ["DATE_RANGE", "check_date_range", "date_part"]

# A calendar date, optionally with the time and zone a spreadsheet or API adds: the date is
# kept as written (a zone does not move it to another day).
_DATE = re.compile(
    r"(\d{4}-\d{2}-\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
)
_PARTIAL_DATE = re.compile(r"\d{4}(?:-\d{1,2})?")
#: The dates bordermap takes, first and last (ISO text compares as the dates do). Records of
#: forced returns lie well inside; a date outside is a typo (0203 for 2023), and pandas' own
#: range (1677–2262) would otherwise end in a traceback instead of this message.
DATE_RANGE = ("1900-01-01", "2100-12-31")


def date_part(value: str) -> str:
    """The YYYY-MM-DD of a cell, or a marker: ``\\x00partial`` (a year or month alone),
    ``\\x00range`` (outside :data:`DATE_RANGE`), ``\\x00bad``.

    Examples
    --------
    >>> date_part("2023-10-09T08:00+09:00"), date_part("2023-10"), date_part("0000-01-01")
    ('2023-10-09', '\\x00partial', '\\x00range')
    """
    match = _DATE.fullmatch(value)
    if match:
        day = match.group(1)
        return day if DATE_RANGE[0] <= day <= DATE_RANGE[1] else "\x00range"
    return "\x00partial" if _PARTIAL_DATE.fullmatch(value) else "\x00bad"


def check_date_range(day: str, *, field: str, value: object = None, **where: Any) -> str:
    """``day`` (YYYY-MM-DD) when it lies in :data:`DATE_RANGE`; else a ValidationError.

    Examples
    --------
    >>> check_date_range("2023-10-09", field="event")
    '2023-10-09'
    >>> check_date_range("1600-01-01", field="event")
    Traceback (most recent call last):
    ...
    bordermap.errors.ValidationError: field 'event': date outside 1900-01-01 to 2100-12-31 \
(got '1600-01-01'); check the year (YYYY-MM-DD)
    """
    if DATE_RANGE[0] <= day <= DATE_RANGE[1]:
        return day
    raise ValidationError(
        f"date outside {DATE_RANGE[0]} to {DATE_RANGE[1]}",
        field=field,
        value=day if value is None else value,
        fix="check the year (YYYY-MM-DD)",
        **where,
    )
