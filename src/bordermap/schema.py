"""What each entity's table holds: its columns, which are names, which may be published,
and what "missing" means — one place that validation, the gazetteer and publishing read."""

from __future__ import annotations

import math

import pandas as pd

__all__ = ["is_missing"]


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
