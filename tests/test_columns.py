"""Whole-column text operations agree, cell for cell, with their one-string definitions."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bordermap.cells import visible_text
from bordermap.inputs.columns import casefold_column, plain_cells, visible_column

FAST = settings(max_examples=200, deadline=None, derandomize=True)

# Cells as hostile tables hold them: edges of the printable ASCII range, spaces of every
# kind, zero-width and format characters, combining marks, other scripts, case pairs that
# casefold differently from lower (ß, ſ, K, ﬃ), and empty cells.
_CHARS = st.sampled_from(
    [
        "a", "Z", "!", "~", " ", "\t", "\n", "\x1f", "\x7f", "\x80", "\xa0", "\u200b", "\u200d",
        "\u2060", "\ufeff", "\u202e", "\u0301", "\u3000", "온", "城", "ß", "ſ", "\u212a", "ﬃ",
        "Σ", "İ", "\U0001f600", "\x00",
    ]
)  # fmt: skip
_CELL = st.one_of(st.text(_CHARS, max_size=6), st.text(max_size=4), st.none())


def _column(cells: list, chunked: bool, sliced: bool) -> pd.Series:
    """Cells as an Arrow ``str`` column: in two chunks (as ``pd.concat`` leaves it), or a
    slice of a longer column (an Arrow array with an offset), or plain."""
    if chunked:
        half = len(cells) // 2
        parts = [pd.Series(cells[:half], dtype="str"), pd.Series(cells[half:], dtype="str")]
        return pd.concat(parts, ignore_index=True)
    if sliced:
        return pd.Series(["pad", *cells, "pad"], dtype="str").iloc[1:-1].reset_index(drop=True)
    return pd.Series(cells, dtype="str")


@FAST
@given(st.lists(_CELL, max_size=12), st.booleans(), st.booleans())
@example(["", " ", "a", "a ", " a", "\u200b", None], False, False)
@example(["Interview 1", "!", "~", "\x7f"], True, False)
def test_visible_column_is_visible_text_of_each_cell(cells, chunked, sliced):
    column = _column(cells, chunked, sliced)
    expected = ["" if c is None else visible_text(c) for c in cells]
    assert visible_column(column).tolist() == expected


@FAST
@given(st.lists(_CELL, max_size=12), st.booleans())
def test_a_plain_cell_is_its_own_visible_text(cells, sliced):
    column = _column(cells, False, sliced)
    plain = plain_cells(column)
    assert plain.dtype == bool and len(plain) == len(cells)
    for cell, is_plain in zip(cells, plain, strict=True):
        if is_plain:
            assert cell is not None and visible_text(cell) == cell
        elif cell is not None and cell:
            # not plain: its first or last character is not printable ASCII
            assert not ("!" <= cell[0] <= "~" and "!" <= cell[-1] <= "~")


@FAST
@given(st.lists(st.one_of(st.text(_CHARS, max_size=6), st.text(max_size=4)), max_size=12))
@example(["Straße", "STRASSE", "ſ", "\u212a", "İ", "ﬃ"])
def test_casefold_column_is_casefold_of_each_cell(cells):
    folded = casefold_column(pd.Series(cells, dtype="str", index=np.arange(len(cells)) + 5))
    assert folded.tolist() == [c.casefold() for c in cells]
    assert folded.index.tolist() == list(range(5, 5 + len(cells)))


def test_a_million_plain_cells_are_not_touched_one_by_one():
    """The column that made validation slow: a million distinct, plain sources."""
    column = pd.Series(np.arange(1_000_000), dtype="int64").map("Interview {}".format)
    column = column.astype("str")
    assert plain_cells(column).all()
    assert visible_column(column).equals(column)
