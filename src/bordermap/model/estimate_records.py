"""The estimates behind one joined crossing: a sequence of dicts, built when first read."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import overload

import numpy as np
import pandas as pd

__all__ = ["EstimateRecords"]


class EstimateRecords(Sequence):
    """The estimates behind one joined crossing, as dicts built when first read.

    Behaves as a list of dicts (``len``, iteration, indexing, ``==`` with a list); a join of
    a million rows keeps the rows as one table and builds no dict until someone reads them.

    Examples
    --------
    >>> rows = pd.DataFrame({"source": ["TJWG", "HRW"], "_row": [2, 3]})
    >>> records = EstimateRecords(rows)
    >>> len(records), records[1], records == [{"source": "TJWG", "_row": 2}, records[1]]
    (2, {'source': 'HRW', '_row': 3}, True)
    """

    def __init__(self, rows: pd.DataFrame, positions: np.ndarray | None = None) -> None:
        self._table = rows
        self._positions = positions
        self._records: list[dict] | None = None

    def _list(self) -> list[dict]:
        if self._records is None:
            rows = self._table if self._positions is None else self._table.take(self._positions)
            self._records = rows.to_dict("records")
        return self._records

    def __len__(self) -> int:
        return len(self._table) if self._positions is None else len(self._positions)

    @overload
    def __getitem__(self, index: int) -> dict: ...
    @overload
    def __getitem__(self, index: slice) -> list[dict]: ...
    def __getitem__(self, index: int | slice) -> dict | list[dict]:
        return self._list()[index]

    def __iter__(self) -> Iterator[dict]:
        return iter(self._list())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, str):
            return self._list() == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # a list-like: not hashable

    def __repr__(self) -> str:
        return repr(self._list())
