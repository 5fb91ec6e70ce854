"""What each entity's table holds: its columns, which are names, which may be published,
and what "missing" means — one place that validation, the gazetteer and publishing read.

Adding a column to an entity is one edit here: :mod:`bordermap.validate` checks the columns,
:mod:`bordermap.gazetteer` takes the name columns as spellings, and
:mod:`bordermap.publish` keeps only the publishable ones.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass

import pandas as pd

__all__ = [
    "SCHEMAS",
    "EntitySchema",
    "is_blank",
    "is_missing",
    "visible_text",
]


@dataclass(frozen=True)
class EntitySchema:
    """One entity's table.

    Attributes
    ----------
    kind : str
        ``crossings``, ``facilities``, ``estimates``, ``totals``, ``events``, ``routes``,
        ``series`` (crossings joined with events) or ``cases``.
    columns : tuple of str
        The columns a file of this entity has (others are kept, not checked).
    required : tuple of str
        Columns a file must have.
    names : tuple of str
        Columns that name a place: each is a spelling the gazetteer resolves.
    name_prefixes : tuple of str
        Every column starting with one of these names a place too (``name_ko``, ``label_en``).
    publishable : tuple of str
        The allow-list: the only fields a published file may carry.
    restricted_keeps : tuple of str
        What a restricted feature keeps of them (the rest is emptied or replaced).
    """

    kind: str
    columns: tuple[str, ...] = ()
    required: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    name_prefixes: tuple[str, ...] = ()
    publishable: tuple[str, ...] = ()
    restricted_keeps: tuple[str, ...] = ()


_CITED = ("source", "source_date", "url")
_HEADLINE = ("figure", "low", "high", "qualifier", *_CITED)
# Added by join_estimates: the headline figure and the estimates behind it.
_JOINED = (*_HEADLINE, "headline_row", "has_figure", "n_estimates", "estimates")
# Added by event_series: an event's date, name and totals say nothing about where a place is.
_EVENT_FIELDS = (
    "event_date",
    "event_name",
    "event_total",
    "event_low",
    "event_high",
    "event_qualifier",
    "event_total_source",
    "event_total_source_date",
    "event_total_url",
    "event_totals",
    "named",
)
_CROSSING_NAMES = (
    "id",
    "name",
    "cn_pinyin",
    "cn_hanzi",
    "cn_hangul",
    "kp_en",
    "kp_mr",
    "kp_rr",
    "kp_hangul",
    "kp_hanja",
)
_CROSSING_FIELDS = (
    "id",
    "name",
    "label_en",
    "label_ko",
    "label_zh",
    "cn_pinyin",
    "cn_hanzi",
    "cn_hangul",
    "cn_province",
    "cn_province_hanzi",
    "kp_en",
    "kp_mr",
    "kp_rr",
    "kp_hangul",
    "kp_hanja",
    "kp_province",
    "kp_province_hangul",
    "river",
    "site",
    "precision",
    "precision_m",
    "coord_source",
    "coord_note",
    "verified",
    *_JOINED,
    "geometry",
)
_CROSSING_KEEPS = ("precision", "precision_m", "verified", *_JOINED, "geometry")

SCHEMAS: dict[str, EntitySchema] = {
    schema.kind: schema
    for schema in (
        EntitySchema(
            "crossings",
            required=("id",),
            names=_CROSSING_NAMES,
            name_prefixes=("name_", "label_"),
            publishable=_CROSSING_FIELDS,
            restricted_keeps=_CROSSING_KEEPS,
        ),
        EntitySchema(
            "facilities",
            required=("id",),
            names=("id", "name"),
            name_prefixes=("name_",),
            publishable=(
                "id",
                "name",
                "name_en",
                "name_ko",
                "name_zh",
                "country",
                "kind",
                "precision",
                "precision_m",
                *_CITED,
                "coord_source",
                "verified",
                "geometry",
            ),
            restricted_keeps=(
                "country",
                "kind",
                "precision",
                "precision_m",
                "verified",
                "geometry",
            ),
        ),
        EntitySchema(
            "estimates",
            columns=(
                "event_date",
                "crossing",
                "figure",
                "low",
                "high",
                "qualifier",
                *_CITED,
                "notes",
            ),
            required=("event_date", "crossing", "figure", "source", "source_date"),
            publishable=("event_date", "crossing", *_HEADLINE, "_row"),
        ),
        EntitySchema(
            "totals",
            columns=("event_date", "total", "low", "high", "qualifier", *_CITED, "notes"),
            required=("event_date", "total", "source"),
        ),
        EntitySchema(
            "events",
            columns=(
                "event_date",
                "name",
                "description",
                "crossings_named",
                "places_named",
                *_CITED,
                "notes",
            ),
            required=("event_date", "name", "source"),
        ),
        EntitySchema(
            "routes",
            columns=(
                "event_date",
                "crossing",
                "from_facility",
                "to_facility",
                "status",
                *_CITED,
                "notes",
            ),
            required=("event_date", "crossing", "status", "source"),
            publishable=(
                "id",
                "event_date",
                "crossing",
                "from_facility",
                "to_facility",
                "status",
                *_CITED,
                "_row",
            ),
        ),
        EntitySchema(
            "series",
            publishable=(*_CROSSING_FIELDS, *_EVENT_FIELDS),
            restricted_keeps=(*_CROSSING_KEEPS, *_EVENT_FIELDS),
        ),
        EntitySchema("cases", columns=("lon", "lat", "precision_m")),
    )
}


def is_missing(value: object) -> bool:
    """True for an empty cell: None, NA, NaT or NaN.

    Examples
    --------
    >>> [is_missing(v) for v in (None, pd.NA, pd.NaT, float("nan"), 0, "")]
    [True, True, True, True, False, False]
    """
    return (
        value is None
        or value is pd.NA
        or value is pd.NaT
        or (isinstance(value, float) and math.isnan(value))
    )


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


def is_blank(value: object) -> bool:
    """True for a cell a reader sees as empty: missing, or text that shows nothing, or an
    empty list.

    Examples
    --------
    >>> [is_blank(v) for v in (None, float("nan"), "", " \u200b ", [], "TJWG", 0)]
    [True, True, True, True, True, False, False]
    """
    if isinstance(value, (list, dict, tuple)):
        return not value
    if isinstance(value, str):
        return not visible_text(value)
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False
