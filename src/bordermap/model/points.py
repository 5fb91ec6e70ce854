"""Checks of point layers: crossings, facilities and case records — one point each, in
degrees, swapped latitude and longitude named as such, ids present, precision that fits."""

from __future__ import annotations

import math
import unicodedata
import warnings
from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from bordermap.cells import is_blank
from bordermap.errors import (
    BordermapWarning,
    Feature,
    Location,
    ValidationError,
    Where,
    feature_label,
)
from bordermap.inputs.columns import check_text_cells
from bordermap.inputs.wgs84 import check_wgs84_reachable

if TYPE_CHECKING:
    import geopandas as gpd
    import shapely

__all__ = [
    "MAX_PRECISION_M",
    "check_case_records",
    "check_feature_text",
    "check_points",
    "check_precision_m",
]

# Bounding box of the China–North Korea border region, with a generous margin: a point
# outside it that falls inside once lat and lon are swapped was almost surely swapped.
_REGION = (115.0, 35.0, 136.0, 50.0)


def _present(value: object) -> bool:
    return not is_blank(value)


#: The coarsest location a point may claim, in metres: past 100 km a point says nothing
#: about where a place is (and a halo of 1e308 m draws lines across the print image).
MAX_PRECISION_M = 100_000.0


def check_precision_m(
    values: Iterable[object], where: Where, *, field: str = "precision_m"
) -> np.ndarray:
    """Metres each value gives, NaN where blank; a ValidationError at the first value that is
    not a finite number above 0 and at most :data:`MAX_PRECISION_M`.

    The one check of ``precision_m`` for crossings, facilities and case records alike (and
    of a case layer's ``precision=``). ``where(i, field)`` names the ``i``-th value.

    Examples
    --------
    >>> check_precision_m(pd.Series([250, None, "15000"]), lambda i, f: {"row": i + 1})
    array([  250.,    nan, 15000.])
    >>> check_precision_m(pd.Series(["15 km"]), lambda i, f: {"row": i + 1, "field": f})
    Traceback (most recent call last):
    ...
    bordermap.errors.ValidationError: row 1, field 'precision_m': precision_m must be a \
positive number of metres, at most 100,000 (got '15 km'); write metres as digits, e.g. \
15000 for 15 km (blank when unknown)
    """
    raw = pd.Series(values).reset_index(drop=True)
    if raw.dtype == object or str(raw.dtype) in ("str", "string"):
        text = raw.map(lambda v: v.strip() if isinstance(v, str) else v)
        blank = text.isna().to_numpy() | (text == "").to_numpy()
        given = np.array(pd.to_numeric(text.where(~blank), errors="coerce"), dtype=float)
        # A bool is not a number of metres, though pandas reads True as 1.
        given[text.map(lambda v: isinstance(v, bool | bytes)).to_numpy(dtype=bool)] = math.nan
    else:
        blank = raw.isna().to_numpy()
        given = np.array(pd.to_numeric(raw, errors="coerce"), dtype=float)
        if raw.dtype == bool:
            given[:] = math.nan
    with np.errstate(invalid="ignore"):
        fine = np.isfinite(given) & (given > 0) & (given <= MAX_PRECISION_M)
    bad = np.flatnonzero(~blank & ~fine)
    if len(bad):
        i = int(bad[0])
        value = raw.iloc[i]
        raise ValidationError(
            f"{field} must be a positive number of metres, at most {MAX_PRECISION_M:,.0f}",
            value=value.item() if isinstance(value, np.generic) else value,
            fix="write metres as digits, e.g. 15000 for 15 km (blank when unknown)",
            **where(i, field),
        )
    return np.where(blank, math.nan, given)


def check_feature_text(frame: pd.DataFrame) -> None:
    """Refuse bytes, lone surrogates, control characters and values that are neither text,
    numbers nor dates in a layer's columns (geometry aside), naming the feature and field.

    Examples
    --------
    >>> check_feature_text(pd.DataFrame({"id": ["a"], "name": [b"Onsong"]}))
    Traceback (most recent call last):
    ...
    bordermap.errors.ValidationError: <DataFrame>, feature 1 ('a'), field 'name': bytes, not \
text (it would be shown as b'…') (got b'Onsong'); give text (str); decode bytes first, e.g. \
value.decode('utf-8')
    """
    name = frame.attrs.get("source_file", "<DataFrame>")
    ids = frame["id"].tolist() if "id" in frame.columns else [None] * len(frame)
    for position, column in enumerate(frame.columns):
        values = frame.iloc[:, position]
        if str(values.dtype) == "geometry":
            continue
        check_text_cells(
            values,
            str(column),
            lambda i: {"file": name, "row": feature_label(i, ids[i] if _present(ids[i]) else None)},
            numbers=True,
            others=True,
        )


def check_points(gdf: gpd.GeoDataFrame, *, kind: str) -> gpd.GeoDataFrame:
    """Validate a point layer: ids present and unique, points valid, in range, lon/lat order.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        In EPSG:4326, as :func:`bordermap.inputs.read_geodata` returns it.
    kind : str
        What the layer holds ("crossing", "facility"), for messages. Every feature needs a
        non-empty ``id``.

    Examples
    --------
    >>> from bordermap.inputs import read_geodata, bundled_path
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
    if "name" in gdf.columns and ("id" not in gdf.columns or not any(map(_present, gdf["id"]))):
        gdf = _ids_from_names(gdf, kind, name)
    if "id" not in gdf.columns:
        raise ValidationError(
            f"{kind} features have no 'id' property and no 'name'",
            file=name,
            field="id",
            fix="give every feature the property 'id' (or a 'name' to make one from)",
        )
    check_feature_text(gdf)
    ids = gdf["id"].tolist()
    for i, geom in enumerate(gdf.geometry):
        where: Feature = {
            "file": name,
            "row": feature_label(i, ids[i] if _present(ids[i]) else None),
        }
        if not _present(ids[i]):
            raise ValidationError(
                "id is empty", field="id", fix="give every feature the property 'id'", **where
            )
        _check_point(geom, kind, where)
    if "precision_m" in gdf.columns:
        check_precision_m(
            gdf["precision_m"],
            lambda i, field: {
                "file": name,
                "row": feature_label(i, ids[i] if _present(ids[i]) else None),
                "field": field,
            },
        )
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


def _slug(text: str) -> str:
    """An id from a name in any script: letters, marks and digits kept, the rest one '-'.

    Hand-written because slug libraries transliterate to ASCII (แม่สอด would become a
    guess in Latin letters); this keeps the name's own script, marks included.
    """
    out: list[str] = []
    gap = False
    for char in unicodedata.normalize("NFKC", text).casefold():
        if unicodedata.category(char)[0] in "LMN":
            out.append("-" if gap and out else "")
            out.append(char)
            gap = False
        else:
            gap = True
    return "".join(out)


def _ids_from_names(gdf: pd.DataFrame, kind: str, name: str) -> pd.DataFrame:
    """Ids made from a layer's names (a Google My Maps or KML export has names, no ids)."""
    ids: list[str] = []
    taken: set[str] = set()
    for i, value in enumerate(gdf["name"].tolist()):
        slug = _slug(value) if isinstance(value, str) else ""
        if not slug:
            raise ValidationError(
                "no id, and no name to make one from",
                file=name,
                row=feature_label(i, None),
                field="name",
                value=value,
                fix="give every feature the property 'id' or a name",
            )
        unique, n = slug, 1
        while unique in taken:
            n += 1
            unique = f"{slug}-{n}"
        taken.add(unique)
        ids.append(unique)
    shown = ", ".join(ids[:3]) + (", …" if len(ids) > 3 else "")
    warnings.warn(
        f"{name}: {kind} features have no 'id'; ids made from their names ({shown}); "
        "add an 'id' property to keep them stable when names change",
        BordermapWarning,
        stacklevel=5,  # the caller of load_crossings / load_facilities
    )
    return gdf.assign(id=ids)


def _check_point(geom: shapely.Geometry | None, kind: str, where: Feature) -> None:
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


def _in_region(lon: float, lat: float) -> bool:
    west, south, east, north = _REGION
    return west <= lon <= east and south <= lat <= north


_M_PER_DEG = 111_320.0
# Case coordinates are stored as whole steps of their precision in 32-bit integers.
_MOST_STEPS = 2**32 - 1


def check_case_records(points: pd.DataFrame, *, precision: float | None = None) -> None:
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

    name = points.attrs.get("source_file", "<cases>")
    ids = points["id"].tolist() if "id" in points.columns else [None] * len(points)

    def where(i: int, field: str) -> Location:
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
        if points.crs is not None:
            check_wgs84_reachable(points.crs, name)
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


def _finest_precision(
    points: pd.DataFrame, precision: float | None, where: Where
) -> tuple[float, Location] | None:
    """The finest precision the records claim (value, where it is), each value checked."""

    if precision is not None:
        value = check_precision_m([precision], lambda i, field: {"field": field}, field="precision")
        if math.isnan(value[0]):
            raise ValidationError(
                "precision must be a number of metres",
                field="precision",
                value=precision,
                fix="give metres, e.g. precision=100",
            )
        return float(value[0]), {"field": "precision"}
    if "precision_m" not in points.columns:
        return None
    given = check_precision_m(points["precision_m"], where)
    blank = np.isnan(given)
    if blank.all():
        return None
    i = int(np.nanargmin(np.where(blank, np.inf, given)))
    return float(given[i]), where(i, "precision_m")
