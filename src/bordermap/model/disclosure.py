"""Case records for publication, by statistical disclosure control: counts per grid cell,
only cells of at least k records, no single record and no field."""

from __future__ import annotations

import pandas as pd

from bordermap.errors import ValidationError
from bordermap.model.audit import Audit, Change
from bordermap.model.publish import GRID_DEG, cell_radius_m, generalise_point

__all__ = ["MIN_CELL_RECORDS", "aggregate_cases", "published_cases"]


#: The fewest records a published cell of case records may hold (statistical disclosure
#: control's threshold rule: a cell of one or two records points at people).
MIN_CELL_RECORDS = 5


def aggregate_cases(
    points: pd.DataFrame, *, k: int = MIN_CELL_RECORDS, grid_deg: float = GRID_DEG
) -> tuple[pd.DataFrame, Audit]:
    """Case records as they may be published: counts per grid cell, cells under ``k`` out.

    Following statistical disclosure control practice for humanitarian data (the OCHA
    Centre for Humanitarian Data's guidance; sdcMicro's threshold rule), no single record
    leaves: each record is counted in its ``grid_deg`` cell (:func:`generalise_point`), a
    cell with fewer than ``k`` records is left out, and no record field is kept (no
    category, date or note: a breakdown of a cell could single out its few members). The
    result has one row per published *record*, placed at its cell's centre with the
    cell's size as ``precision_m``, so that any case layer counts and bins it as the cell's
    count; ``attrs["published"]`` marks it.

    Parameters
    ----------
    points : geopandas.GeoDataFrame or pandas.DataFrame
        Case records: points, or ``lon``/``lat`` columns (checked by
        :func:`bordermap.model.points.check_case_records`).
    k : int, default 5
        The fewest records a published cell holds.
    grid_deg : float, default 0.1
        Cell size in degrees (about 11 × 8 km at 42°N).

    Returns
    -------
    (DataFrame, Audit)
        Columns ``lon``, ``lat``, ``precision_m``; the audit lists each cell left out
        (``cases``, ``cell <lat>,<lon>``, ``dropped``) and each field removed.

    Examples
    --------
    >>> import pandas as pd
    >>> records = pd.DataFrame({"lon": [129.81, 129.82, 129.83, 129.84, 129.85, 124.4],
    ...                         "lat": [42.96] * 5 + [40.1], "name": ["x"] * 6})
    >>> cells, audit = aggregate_cases(records, k=5)
    >>> len(cells), sorted(set(zip(cells["lat"], cells["lon"])))
    (5, [(42.95, 129.85)])
    >>> audit.summary()
    'publish: 1 value removed, 0 locations generalised to city level, 1 feature or row left out'
    """
    from bordermap.model.points import check_case_records

    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise ValidationError(
            "k must be a whole number of records, at least 1",
            field="k",
            value=k,
            fix=f"use {MIN_CELL_RECORDS} or more",
        )
    check_case_records(points)
    if hasattr(points, "crs") and "geometry" in points.columns:
        shown = points if points.crs is None else points.to_crs("EPSG:4326")
        lon, lat = shown.geometry.x.to_numpy(float), shown.geometry.y.to_numpy(float)
        fields = [c for c in points.columns if c != points.geometry.name]
    else:
        pair = next(
            p
            for p in (("lon", "lat"), ("longitude", "latitude"), ("x", "y"))
            if set(p) <= set(points.columns)
        )
        lon, lat = (pd.to_numeric(points[c]).to_numpy(float) for c in pair)
        fields = [c for c in points.columns if c not in pair]
    rows = pd.DataFrame(
        {
            "row": (lat // grid_deg).astype("int64"),
            "column": (lon // grid_deg).astype("int64"),
        }
    )
    counts = rows.value_counts(sort=False)
    changes = [Change("cases", "*", str(f), "removed") for f in fields]
    kept = []
    for (row, column), n in sorted(counts.items()):
        centre = generalise_point((row + 0.5) * grid_deg, (column + 0.5) * grid_deg, grid_deg)
        if n < k:
            changes.append(Change("cases", f"cell {centre[0]},{centre[1]}", "*", "dropped"))
            continue
        kept += [centre] * int(n)
    radius = cell_radius_m(kept[0][0], kept[0][1], grid_deg) if kept else 0
    out = pd.DataFrame(
        {
            "lon": [c[1] for c in kept],
            "lat": [c[0] for c in kept],
            "precision_m": [radius] * len(kept),
        }
    )
    out.attrs = {"published": True, "k": k, "grid_deg": grid_deg}
    return out, Audit(changes)


def published_cases(cases: pd.DataFrame) -> tuple[pd.DataFrame, Audit]:
    """Case records for a published map: aggregated by :func:`aggregate_cases` with the
    default ``k``, or as given when they already are (``attrs["published"]``).

    Examples
    --------
    >>> import pandas as pd
    >>> cells, _ = aggregate_cases(pd.DataFrame({"lon": [129.8] * 9, "lat": [42.9] * 9}), k=9)
    >>> len(published_cases(cells)[0])
    9
    """
    if isinstance(cases, pd.DataFrame):
        if cases.attrs.get("published"):
            return cases, Audit()
        return aggregate_cases(cases)
    # A prepared case layer has its fields and precise points already encoded.
    raise ValidationError(
        "a published map cannot vouch for a prepared case layer",
        field="cases",
        value=type(cases).__name__,
        fix="pass the records themselves (a GeoDataFrame or a DataFrame with lon/lat)",
    )
