"""Case records as compact data: checked coordinates quantised to their precision, each
column stored once as a typed array in base64 — the payload a case layer's page decodes and
the print image draws.
"""

from __future__ import annotations

import base64
import math

import numpy as np
import pandas as pd

from bordermap import i18n, theme
from bordermap.errors import ValidationError
from bordermap.spec import LegendEntry
from bordermap.validate import check_case_records

__all__ = ["case_legend_entries", "decode_points", "encode_cases"]

# Metres per degree of latitude (and of longitude at the equator), WGS84 mean.
_M_PER_DEG = 111_320.0
DEFAULT_PRECISION_M = 1.0


def _coordinates(points) -> tuple[np.ndarray, np.ndarray]:
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


# The typed arrays the page decodes, and their little-endian numpy types.
_DTYPES = {"Uint8": "<u1", "Uint16": "<u2", "Uint32": "<u4"}


def _packed(values: np.ndarray) -> dict:
    """Unsigned integers as the smallest typed array that holds them, little-endian base64."""
    top = int(values.max()) if len(values) else 0
    kind = "Uint8" if top < 2**8 else "Uint16" if top < 2**16 else "Uint32"
    raw = np.ascontiguousarray(values, dtype=_DTYPES[kind]).tobytes()
    return {"type": kind, "b64": base64.b64encode(raw).decode("ascii")}


def _quantised(values: np.ndarray, step: float) -> dict:
    origin = math.floor(values.min() / step) * step if len(values) else 0.0
    steps = np.rint((values - origin) / step).astype(np.int64)
    return {"origin": origin, "step": step, **_packed(steps)}


def _text_values(series: pd.Series) -> list[str]:
    return ["" if pd.isna(v) else str(v) for v in series.tolist()]


def _field(name: str, series: pd.Series) -> dict:
    """One popup column, stored once: a dictionary and codes when values repeat."""
    codes, uniques = pd.factorize(series, use_na_sentinel=False)
    if len(uniques) <= max(1, len(series) // 2):
        return {
            "name": name,
            "values": _text_values(pd.Series(uniques, dtype=object)),
            "codes": _packed(codes),
        }
    return {"name": name, "values": _text_values(series)}


def _precision(points, precision: float | None) -> float:
    if precision is None and "precision_m" in points.columns:
        given = pd.to_numeric(points["precision_m"], errors="coerce")
        given = given[given > 0]
        precision = float(given.min()) if len(given) else None
    precision = DEFAULT_PRECISION_M if precision is None else float(precision)
    if not precision > 0:
        raise ValidationError(
            "precision must be a positive number of metres", field="precision", value=precision
        )
    return precision


def encode_cases(
    points,
    *,
    category: str | None = None,
    popup_fields: list[str] | tuple[str, ...] | None = None,
    precision: float | None = None,
    colors: list[str] | tuple[str, ...] | None = None,
    title: str | None = None,
    lang: str = "en",
    max_points: int = 3000,
    cell_px: int = 60,
    radius: float = 4.0,
) -> dict:
    """The compact description of case records that :class:`CaseLayer` writes into the page.

    Coordinates are whole steps of the data's precision from an origin (half a step is the
    largest error); each column is stored once. :func:`case_layer` documents the parameters.

    Examples
    --------
    >>> import pandas as pd
    >>> cases = pd.DataFrame({"lon": [129.99, 124.40], "lat": [42.95, 40.10],
    ...                       "kind": ["arrest", "arrest"], "precision_m": [1000, 1000]})
    >>> payload = encode_cases(cases, category="kind")
    >>> payload["n"], payload["x"]["type"], payload["category"]["names"]
    (2, 'Uint16', ['arrest'])
    """
    i18n.check_lang(lang)
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
    step_m = _precision(points, precision)
    widest = math.cos(math.radians(min(float(np.abs(lat).max()) if len(lat) else 0.0, 89.0)))
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
    palette = list(colors) if colors else list(theme.CATEGORY_COLORS)
    payload = {
        "n": len(lon),
        "x": _quantised(lon, step_m / (_M_PER_DEG * widest)),
        "y": _quantised(lat, step_m / _M_PER_DEG),
        "precision_m": step_m,
        "color": palette[0],
        "category": None,
        "fields": [_field(str(name), points[name]) for name in fields],
        "title": title if title is not None else i18n.text("cases", lang),
        "zoom_note": i18n.text("cases_zoom", lang),
        "options": {
            "max_points": int(max_points),
            "cell_px": int(cell_px),
            "radius": float(radius),
            "legend_position": "bottomright",
        },
    }
    if category is not None:
        codes, names = pd.factorize(points[category], sort=True, use_na_sentinel=False)
        payload["category"] = {
            "name": str(category),
            "names": _text_values(pd.Series(names, dtype=object)),
            "codes": _packed(codes),
            "counts": np.bincount(codes, minlength=len(names)).tolist(),
            "colors": palette,
        }
    return payload


def _unpacked(part: dict) -> np.ndarray:
    return np.frombuffer(base64.b64decode(part["b64"]), dtype=_DTYPES[part["type"]])


def decode_points(payload: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """Longitudes, latitudes and category codes, read back from a payload as the page does.

    Examples
    --------
    >>> lon, lat, codes = decode_points(encode_cases(
    ...     pd.DataFrame({"lon": [129.99], "lat": [42.95], "kind": ["arrest"]}), category="kind"))
    >>> round(float(lon[0]), 3), round(float(lat[0]), 3), codes.tolist()
    (129.99, 42.95, [0])
    """
    lon, lat = (
        payload[axis]["origin"] + _unpacked(payload[axis]) * payload[axis]["step"]
        for axis in ("x", "y")
    )
    category = payload.get("category")
    return lon, lat, (_unpacked(category["codes"]) if category else None)


def case_legend_entries(payload: dict) -> list[LegendEntry]:
    """Legend entries of a case layer: one dot per category with its count.

    Examples
    --------
    >>> payload = encode_cases(pd.DataFrame({"lon": [130.0], "lat": [42.9], "k": ["arrest"]}),
    ...     category="k")
    >>> [e.label for e in case_legend_entries(payload)]
    ['arrest (1)']
    """
    category = payload.get("category")
    radius = payload["options"]["radius"]
    if not category:
        label = f"{payload['title']} ({payload['n']:,})"
        return [LegendEntry("circle", label, radius=radius, fill=payload["color"])]
    colors = category["colors"]
    return [
        LegendEntry("circle", f"{name} ({count:,})", radius=radius, fill=colors[i % len(colors)])
        for i, (name, count) in enumerate(zip(category["names"], category["counts"], strict=True))
    ]
