"""Case records as typed columns: checked coordinates quantised to each record's precision,
in Z-order, each distinct position once with its number of records, and every other column
as a dictionary of values and one code per record.

What a map shows of them is :mod:`bordermap.describe.case_records`; how a page carries them is the
Leaflet renderer's (:mod:`bordermap.render.leaflet.case_payload`).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from bordermap.cells import visible_text
from bordermap.errors import Location, ValidationError, Where, feature_label
from bordermap.inputs.columns import check_text_cells
from bordermap.model.points import check_case_records

__all__ = ["CaseColumn", "CaseRecords", "category_key", "quantise_cases"]

# Metres per degree of latitude (and of longitude at the equator), WGS84 mean.
_M_PER_DEG = 111_320.0
DEFAULT_PRECISION_M = 1.0


def _coordinates(points: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Longitudes and latitudes of point records: a GeoDataFrame, or lon/lat columns."""
    geometry = getattr(points, "geometry", None) if hasattr(points, "crs") else None
    if geometry is not None:
        if points.crs is not None and not points.crs.equals("EPSG:4326"):
            geometry = points.to_crs("EPSG:4326").geometry
        return np.asarray(geometry.x, dtype=float), np.asarray(geometry.y, dtype=float)
    for lon_name, lat_name in (("lon", "lat"), ("longitude", "latitude"), ("x", "y")):
        if lon_name in points.columns and lat_name in points.columns:
            return (
                pd.to_numeric(points[lon_name], errors="coerce").to_numpy(dtype=float),
                pd.to_numeric(points[lat_name], errors="coerce").to_numpy(dtype=float),
            )
    raise ValidationError(
        "case records have no coordinates",
        field="geometry",
        fix="give a GeoDataFrame of points, or lon and lat columns",
    )


# Dashes and hyphens (and the minus sign, the soft hyphen) read as one "-"; spaces of every
# width as one " "; format characters (zero-width space, joiners) as nothing.
_DASHES = re.compile(
    r"[\u002d\u00ad\u058a\u05be\u1400\u1806\u2010-\u2015\u2212\u2e17"
    r"\u2e1a\u2e3a\u2e3b\u2e40\u301c\u3030\u30a0\ufe31\ufe32\ufe58\ufe63\uff0d]"
)


def category_key(name: str) -> str:
    """What a reader can tell of a category's name: NFKC, every dash one hyphen, every run
    of spaces one space, invisible format characters dropped.

    Examples
    --------
    >>> category_key("arrest\u2011transfer") == category_key("arrest-transfer")
    True
    >>> category_key("ｔｒａｎｓｆｅｒ\u200b "), category_key("\u200b")
    ('transfer', '')
    """
    text = unicodedata.normalize("NFKC", name)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    return " ".join(_DASHES.sub("-", text).split())


def _first_rows(codes: np.ndarray, count: int) -> np.ndarray:
    """The row where each of ``count`` codes first appears (codes below 0 are missing cells):
    one pass, no sort — written back to front, so the earliest row is the one that stays."""
    first = np.zeros(count, dtype=np.int64)
    rows = np.flatnonzero(codes >= 0)[::-1]
    first[codes[rows]] = rows
    return first


def _check_categories(points: pd.DataFrame, column: str, where: Where) -> None:
    """Refuse category names a legend could not show apart, or could not show at all."""
    first: dict[str, tuple[int, str]] = {}
    # Once per distinct name (a million records hold a few), at its first record.
    codes, uniques = pd.factorize(points[column], use_na_sentinel=True)
    first_rows = _first_rows(codes, len(uniques))
    for code, value in enumerate(uniques.tolist()):
        i = int(first_rows[code])
        if not isinstance(value, str):
            continue
        key = category_key(value)
        if not visible_text(value) or not key:
            if value == "":
                continue
            raise ValidationError(
                "a category name of invisible characters only: its legend row would be blank",
                value=value,
                fix="name the category with visible text, or leave the cell empty",
                **where(i, column),
            )
        seen = first.setdefault(key, (i, value))
        if seen[1] != value:
            raise ValidationError(
                f"two categories look the same ({seen[1]!r} of record {seen[0] + 1}, and this "
                "one): they differ only by a kind of dash, space or width",
                value=value,
                fix="spell the category the same way in every record",
                **where(i, column),
            )


@dataclass(frozen=True, eq=False)
class CaseColumn:
    """One column of the records: its distinct values (as text) and a code per record."""

    name: str
    values: tuple[str, ...]
    codes: np.ndarray


@dataclass(frozen=True, eq=False)
class CaseRecords:
    """Records as whole steps of a grid, in Z-order; :func:`quantise_cases` makes them.

    ``x``, ``y`` and ``runs`` have one entry per distinct position (``runs``: its number of
    records); a position is ``origin + steps × step`` degrees. ``category`` and ``fields``
    have one code per record, in the same order.
    """

    n: int
    x_origin: float
    x_step: float
    y_origin: float
    y_step: float
    precision_m: float
    coarsest_m: float
    x: np.ndarray
    y: np.ndarray
    runs: np.ndarray
    category: CaseColumn | None
    fields: tuple[CaseColumn, ...]


def _text_values(values: Iterable[object]) -> tuple[str, ...]:
    return tuple("" if pd.isna(v) else str(v) for v in list(values))


def _column(name: str, series: pd.Series, order: np.ndarray, *, sort: bool = False) -> CaseColumn:
    codes, uniques = pd.factorize(series, sort=sort, use_na_sentinel=False)
    return CaseColumn(str(name), _text_values(pd.Series(uniques, dtype=object)), codes[order])


def _record_precisions(points: pd.DataFrame, precision: float | None) -> np.ndarray:
    """Metres each record is known to: ``precision``, else its ``precision_m``; a record
    without one takes the finest of the others (1 m when none has one).

    Run after :func:`~bordermap.model.points.check_case_records`, which refuses every value that is
    not a positive number, naming its row: what is not finite here was blank.
    """
    n = len(points)
    if precision is not None:
        return np.full(n, float(precision))
    if "precision_m" not in points.columns:
        return np.full(n, DEFAULT_PRECISION_M)
    metres = pd.to_numeric(points["precision_m"], errors="coerce").to_numpy(dtype=float)
    missing = ~np.isfinite(metres)
    finest = float(metres[~missing].min()) if (~missing).any() else DEFAULT_PRECISION_M
    return np.where(missing, finest, metres)


def _quantised(
    values: np.ndarray, step: float, multiple: np.ndarray, axis: str, finest_m: float
) -> tuple[dict, np.ndarray]:
    """Whole steps of ``step`` from an origin, each record rounded to its own ``multiple``.

    A record's multiple is the largest whole number of the finest steps that is no coarser
    than its own precision, so half its step is the largest error it gets.
    """
    if not len(values):
        return {"origin": 0.0, "step": step}, np.zeros(0, dtype=np.int64)
    origin = math.floor(values.min() / step) * step
    span = (values.max() - origin) / step + float(multiple.max())
    if span >= 2**32:
        needed = finest_m * span / 2**32
        raise ValidationError(
            f"case records span {span:,.0f} steps of {finest_m:g} m on the {axis} axis, "
            "more than a typed array holds",
            field="precision",
            value=finest_m,
            fix=f"give precision= of at least {math.ceil(needed):,} m, or map fewer records",
        )
    units = multiple * np.rint((values - origin) / (step * multiple)).astype(np.int64)
    return {"origin": origin, "step": step}, units


def _spread(values: np.ndarray) -> np.ndarray:
    """The bits of 32-bit integers moved to the even bits of 64-bit ones (for Z-order)."""
    v = values.astype(np.uint64)
    for shift, mask in (
        (16, 0x0000FFFF0000FFFF),
        (8, 0x00FF00FF00FF00FF),
        (4, 0x0F0F0F0F0F0F0F0F),
        (2, 0x3333333333333333),
        (1, 0x5555555555555555),
    ):
        v = (v | (v << np.uint64(shift))) & np.uint64(mask)
    return v


def _z_order(ux: np.ndarray, uy: np.ndarray) -> np.ndarray:
    """Indices that sort records along a Z-order curve of their whole steps: neighbours together.

    zlib then finds neighbours' repeated values, and the page finds the records of a tile of
    ``2**k`` steps square as one run of the arrays.
    """
    return np.argsort(_spread(ux) | (_spread(uy) << np.uint64(1)), kind="stable")


def quantise_cases(
    points: pd.DataFrame,
    *,
    category: str | None = None,
    popup_fields: list[str] | tuple[str, ...] | None = None,
    precision: float | None = None,
) -> CaseRecords:
    """Case records checked and quantised: the typed columns a case layer is made of.

    Coordinates are whole steps of the finest precision from an origin, each record rounded
    to its own precision (half its step is the largest error); records are in Z-order, not
    in the table's order, and each distinct position is kept once, with its number of
    records. The same records give the same columns. :func:`bordermap.case_layer` documents
    the parameters.

    Examples
    --------
    >>> import pandas as pd
    >>> cases = pd.DataFrame({"lon": [129.99, 124.40], "lat": [42.95, 40.10],
    ...                       "kind": ["arrest", "arrest"], "precision_m": [1000, 1000]})
    >>> records = quantise_cases(cases, category="kind")
    >>> records.n, records.runs.tolist(), records.category.values
    (2, [1, 1], ('arrest',))
    """
    check_case_records(points, precision=precision)
    lon, lat = _coordinates(points)
    keep = np.isfinite(lon) & np.isfinite(lat)
    if not keep.all():
        first = int(np.flatnonzero(~keep)[0])
        raise ValidationError(
            "a case record has no usable coordinates",
            row=first + 1,
            field="geometry",
            fix="drop records without a location, or give lon and lat",
        )
    fields = list(popup_fields) if popup_fields is not None else []
    for name in [category, *fields]:
        if name is not None and name not in points.columns:
            present = (str(c) for c in points.columns if c != "geometry")
            raise ValidationError(
                "column is missing",
                file=points.attrs.get("source_file"),
                field=name,
                fix=f"columns present: {', '.join(present)}",
            )
    ids = points["id"].tolist() if "id" in points.columns else [None] * len(points)

    def where(i: int, field: str) -> Location:
        label = feature_label(i, ids[i]).replace("feature", "record", 1)
        return {"file": points.attrs.get("source_file", "<cases>"), "row": label, "field": field}

    for name in {category, *fields} - {None}:
        # Once per distinct value (a million records repeat a few), named at its first record.
        codes, uniques = pd.factorize(points[name], use_na_sentinel=True)
        first_of = _first_rows(codes, len(uniques))

        def located(k: int, first_of: np.ndarray = first_of) -> dict[str, object]:
            return {
                key: value for key, value in where(int(first_of[k]), "").items() if key != "field"
            }

        check_text_cells(pd.Series(uniques), str(name), located, numbers=True)
    if category is not None:
        _check_categories(points, category, where)
    metres = _record_precisions(points, precision)
    finest = float(metres.min()) if len(metres) else DEFAULT_PRECISION_M
    # The 1e-9 keeps 5000 / 100 at 50 whatever the floating-point rounding.
    multiple = np.maximum(np.floor(metres / finest + 1e-9), 1).astype(np.int64)
    widest = math.cos(math.radians(min(float(np.abs(lat).max()) if len(lat) else 0.0, 89.0)))
    x, ux = _quantised(lon, finest / (_M_PER_DEG * widest), multiple, "longitude", finest)
    y, uy = _quantised(lat, finest / _M_PER_DEG, multiple, "latitude", finest)
    order = _z_order(ux, uy)
    ux, uy = ux[order], uy[order]
    # Records at one position are neighbours in Z-order: each position is written once,
    # with the number of records there (``runs``).
    starts = np.flatnonzero(np.r_[True, (np.diff(ux) != 0) | (np.diff(uy) != 0)])
    runs = np.diff(np.r_[starts, len(ux)]) if len(ux) else np.zeros(0, dtype=np.int64)
    starts = starts if len(ux) else np.zeros(0, dtype=np.int64)
    cat = None
    if category is not None:
        cat = _column(str(category), points[category], order, sort=True)
    return CaseRecords(
        n=len(lon),
        x_origin=float(x["origin"]),
        x_step=float(x["step"]),
        y_origin=float(y["origin"]),
        y_step=float(y["step"]),
        precision_m=finest,
        coarsest_m=float(metres.max()) if len(metres) else finest,
        x=ux[starts],
        y=uy[starts],
        runs=runs,
        category=cat,
        fields=tuple(_column(str(name), points[name], order) for name in fields),
    )
