"""Whole-column text operations for a million-row table, done on Arrow buffers in C.

pandas keeps text as Arrow; turning a column into Python strings to test each one costs
about a second per million cells. These helpers test or fold the column as a whole and
reach Python only for the cells that need it, once per distinct value.
"""

from __future__ import annotations

import numbers as numbers_
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from bordermap.cells import is_missing, visible_text
from bordermap.errors import ValidationError

__all__ = [
    "casefold_column",
    "check_text_cells",
    "distinct",
    "plain_cells",
    "rows_of",
    "taken",
    "visible_column",
]

# What no reader sees and no text needs: C0 controls but tab and line ends, DEL, C1
# controls. A NUL cuts a label in C code and a browser; an ESC recolours a terminal.
_CONTROL_RE2 = r"[\x{0}-\x{8}\x{b}\x{c}\x{e}-\x{1f}\x{7f}-\x{9f}]"
_CONTROL = frozenset(
    chr(c) for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0))
)


def _text_problem(value: object, numbers: bool, others: bool = False) -> str | None:
    """Why a cell is not text a reader can be shown as typed, or None."""
    if isinstance(value, bytes | bytearray):
        return "bytes, not text (it would be shown as b'…')"
    if not isinstance(value, str):
        if others or (pd.api.types.is_scalar(value) and is_missing(value)):
            return None
        if numbers and (isinstance(value, numbers_.Number) or hasattr(value, "isoformat")):
            return None
        return f"a {type(value).__name__}, not text"
    if any("\ud800" <= ch <= "\udfff" for ch in value):
        return "text with a lone surrogate (a broken UTF-16 pair), not Unicode text"
    control = next((ch for ch in value if ch in _CONTROL), None)
    if control is not None:
        return f"text with a control character (U+{ord(control):04X}) no reader sees"
    return None


def check_text_cells(
    values: pd.Series,
    field: str,
    where: Callable[[int], Mapping[str, Any]],
    *,
    numbers: bool = False,
    others: bool = False,
) -> None:
    """Refuse, at the first bad cell, what would not be shown as the data says: bytes, other
    non-text values (numbers and dates too, unless ``numbers``), lone surrogates and control
    characters (tab and line ends are text). ``others``: values that are neither text nor
    bytes (a joined layer's lists of estimates) are let through. ``where(i)`` names the
    ``i``-th row.

    A column of Arrow strings holds no bytes or surrogates: it is searched for control
    characters in C; an object column is checked once per distinct value.

    Examples
    --------
    >>> check_text_cells(pd.Series(["TJWG", None]), "source", lambda i: {"row": i + 2})
    >>> check_text_cells(pd.Series(["TJ\\x00WG"]), "source", lambda i: {"row": i + 2})
    Traceback (most recent call last):
    ...
    bordermap.errors.ValidationError: row 2, field 'source': text with a control character \
(U+0000) no reader sees (got 'TJ\\x00WG'); delete the character, or retype the text
    """
    if values.dtype != object:
        if not pd.api.types.is_string_dtype(values.dtype):
            if numbers or others:
                return
            bad = np.ones(len(values), dtype=bool) & values.notna().to_numpy()
        else:
            hit = pc.match_substring_regex(_arrow(values), _CONTROL_RE2)
            bad = hit.fill_null(False).to_numpy(zero_copy_only=False)
        rows = np.flatnonzero(bad)
        if not len(rows):
            return
        i = int(rows[0])
        problem = _text_problem(values.iloc[i], numbers) or "not text"
    else:
        try:
            codes, uniques = distinct(values)
        except TypeError:  # unhashable cells (lists, dicts): each on its own
            codes, uniques = np.arange(len(values)), values.to_numpy(dtype=object)
        problems = [_text_problem(u, numbers, others) for u in uniques]
        rows = rows_of(codes, np.array([p is not None for p in problems], dtype=bool))
        if not len(rows):
            return
        i = int(rows[0])
        problem = problems[codes[i]]
    value = values.iloc[i]
    raise ValidationError(
        problem,
        field=field,
        value=value.item() if isinstance(value, np.generic) else value,
        fix="delete the character, or retype the text"
        if "character" in problem or "surrogate" in problem
        else "give text (str); decode bytes first, e.g. value.decode('utf-8')",
        **where(i),
    )


def distinct(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Codes and distinct values (as objects): work done per distinct value, not per row.

    Examples
    --------
    >>> codes, uniques = distinct(pd.Series(["about", "", "about"]))
    >>> codes.tolist(), uniques.tolist()
    ([0, 1, 0], ['about', ''])
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    return codes, np.asarray(uniques, dtype=object)


def taken(per_distinct: pd.Series, codes: np.ndarray, index: pd.Index) -> pd.Series:
    """Each row's value, from the values of its distinct cell (codes from :func:`distinct`).

    Examples
    --------
    >>> taken(pd.Series([10, 20]), np.array([1, 0, 1]), pd.RangeIndex(3)).tolist()
    [20, 10, 20]
    """
    return per_distinct.take(codes).set_axis(index)


def rows_of(codes: np.ndarray, bad: np.ndarray) -> np.ndarray:
    """The positions, in row order, of the rows whose distinct value is marked ``bad``.

    Examples
    --------
    >>> rows_of(np.array([0, 1, 0, 1]), np.array([False, True])).tolist()
    [1, 3]
    """
    return np.flatnonzero(bad[codes]) if bad.any() else np.empty(0, dtype=np.intp)


def visible_column(values: pd.Series) -> pd.Series:
    """:func:`~bordermap.cells.visible_text` of every cell (a missing cell is ""), as a
    ``str`` column.

    Most cells begin and end with a printable ASCII character and are then already their
    own visible text; :func:`plain_cells` finds them for the whole column at once. Only a
    column with other cells is factorised, and visible_text runs once per distinct value.

    Examples
    --------
    >>> visible_column(pd.Series(["TJWG", " 온성 ", "\u200b", None])).tolist()
    ['TJWG', '온성', '', '']
    """
    text = values.astype("str")
    if plain_cells(text).all():
        return text
    codes, uniques = distinct(text)
    unique_plain = plain_cells(pd.Series(uniques, dtype="str"))
    folded = [
        u if fine else ("" if is_missing(u) else visible_text(u))
        for u, fine in zip(uniques, unique_plain, strict=True)
    ]
    return taken(pd.Series(folded, dtype="str"), codes, values.index)


def _arrow(text: pd.Series) -> pa.LargeStringArray:
    array = pa.array(text.astype("str"), type=pa.large_string(), from_pandas=True)
    return array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array


def plain_cells(text: pd.Series) -> np.ndarray:
    """Per cell: empty, or beginning and ending with a printable ASCII character (! to ~).

    Such a cell has nothing to trim and something to see: it is its own visible text.
    The test reads each cell's first and last UTF-8 byte from the Arrow buffers; a byte
    from 0x21 to 0x7E is always a whole ASCII character, never part of a longer one. (A
    regular expression over the column does the same ten times more slowly.) A missing
    cell is not plain.

    Examples
    --------
    >>> plain_cells(pd.Series(["TJWG", "", " TJWG", "온성", "a\\u200b", None])).tolist()
    [True, True, False, False, False, False]
    """
    array = _arrow(text)
    _, offsets_buffer, data_buffer = array.buffers()
    if offsets_buffer is None or len(array) == 0:
        return np.zeros(len(array), dtype=bool)
    offsets = np.frombuffer(offsets_buffer, dtype=np.int64)
    offsets = offsets[array.offset : array.offset + len(array) + 1]
    starts, ends = offsets[:-1], offsets[1:]
    plain = starts == ends
    data = np.frombuffer(data_buffer, dtype=np.uint8) if data_buffer is not None else None
    if data is not None and len(data):
        printable = (data >= 0x21) & (data <= 0x7E)
        last = len(data) - 1
        plain |= printable[np.minimum(starts, last)] & printable[np.clip(ends - 1, 0, last)]
    if array.null_count:
        plain &= array.is_valid().to_numpy(zero_copy_only=False)
    return plain


def casefold_column(text: pd.Series) -> pd.Series:
    """``str.casefold`` of every cell, as a ``str`` column on the same index.

    ASCII cells are lowered by Arrow (for ASCII, casefold is lower); the others go through
    Python's casefold, once per distinct value (ß → ss, Σ → σ).

    Examples
    --------
    >>> casefold_column(pd.Series(["TJWG", "Straße", "ΣΟΦΊΑ"])).tolist()
    ['tjwg', 'strasse', 'σοφία']
    """
    array = _arrow(text)
    folded = pc.utf8_lower(array)
    other = pc.invert(pc.string_is_ascii(array)).to_numpy(zero_copy_only=False)
    if array.null_count:
        other &= array.is_valid().to_numpy(zero_copy_only=False)
    out = pd.Series(folded, index=text.index, dtype="str")
    if other.any():
        rows = text[other].astype("str")
        codes, uniques = pd.factorize(rows)
        casefolded = pd.Series([u.casefold() for u in uniques], dtype="str")
        out[other] = casefolded.take(codes).to_numpy()
    return out
