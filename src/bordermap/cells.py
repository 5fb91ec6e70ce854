"""What a cell holds as a reader sees it: missing (None, NA, NaN), blank, or its visible text.

The kit's one answer to "is this empty?", shared by inputs, the model, the theme and the
message catalog.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Mapping
from typing import Any, TypeAlias

import pandas as pd

__all__ = ["Row", "is_blank", "is_missing", "visible_text"]

#: One record read by column name: a table's row (a Series) or a plain dict.
Row: TypeAlias = Mapping[str, Any] | pd.Series


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
