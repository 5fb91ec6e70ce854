"""Case records as compact data: checked coordinates quantised to each record's precision,
every column stored once as typed arrays in one compressed block — the payload a case
layer's page inflates and the print image draws.
"""

from __future__ import annotations

import base64
import math
import re
import unicodedata
import zlib

import numpy as np
import pandas as pd

from bordermap import i18n, theme
from bordermap.columns import check_text_cells
from bordermap.errors import ValidationError, feature_label
from bordermap.points import check_case_records
from bordermap.safe import isolate
from bordermap.schema import visible_text
from bordermap.spec import LegendEntry

__all__ = [
    "case_legend_entries",
    "category_key",
    "decode_points",
    "decode_records",
    "encode_cases",
]

LEGEND_ROWS = 8
"""Legend rows of case categories; past one more, the rest are one row, "other (n)"."""

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


def _check_categories(points, column: str, where) -> None:
    """Refuse category names a legend could not show apart, or could not show at all."""
    first: dict[str, tuple[int, str]] = {}
    # Once per distinct name (a million records hold a few), at its first record.
    codes, uniques = pd.factorize(points[column], use_na_sentinel=True)
    first_rows = np.unique(codes[codes >= 0], return_index=True)[1]
    valid = np.flatnonzero(codes >= 0)
    for code, value in enumerate(uniques.tolist()):
        i = int(valid[first_rows[code]])
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


# The typed arrays the page views, and their little-endian numpy types.
_DTYPES = {"Uint8": "<u1", "Uint16": "<u2", "Uint32": "<u4"}


def _typed(values: np.ndarray, kind: str | None = None) -> tuple[str, np.ndarray]:
    """Unsigned integers as the smallest typed array that holds them (or as ``kind``)."""
    if kind is None:
        top = int(values.max()) if len(values) else 0
        kind = "Uint8" if top < 2**8 else "Uint16" if top < 2**16 else "Uint32"
    return kind, np.ascontiguousarray(values, dtype=_DTYPES[kind])


def _block(columns: dict[str, tuple[str | None, np.ndarray]]) -> tuple[dict, dict]:
    """Typed arrays end to end in one zlib stream; where each starts, for views without copies.

    Each array starts at a multiple of 4 bytes, as a typed-array view of the inflated buffer
    requires. zlib at a fixed level gives the same bytes for the same arrays.
    """
    parts, arrays, offset = [], {}, 0
    for key, (kind, values) in columns.items():
        kind, typed = _typed(values, kind)
        raw = typed.tobytes()
        arrays[key] = {
            "type": kind,
            "offset": offset,
            "length": len(typed),
            "max": int(typed.max()) if len(typed) else 0,
        }
        padded = raw + b"\0" * (-len(raw) % 4)
        parts.append(padded)
        offset += len(padded)
    # Level 3: as fast as level 1 and 5 % larger than level 9, at a sixteenth of its time
    # (a million records: 0.2 s, 3.3 MB in base64).
    raw = b"".join(parts)
    blob = zlib.compress(raw, 3)
    # ``size``: the inflated length, so that the page inflates into one buffer of that size.
    block = {"encoding": "deflate", "size": len(raw), "b64": base64.b64encode(blob).decode()}
    return block, arrays


def _text_values(series: pd.Series) -> list[str]:
    return ["" if pd.isna(v) else str(v) for v in series.tolist()]


def _field(name: str, key: str, series: pd.Series, order: np.ndarray, columns: dict) -> dict:
    """One popup column in ``order``, stored once: a dictionary and codes when values repeat,
    else UTF-8 text and end offsets."""
    codes, uniques = pd.factorize(series, use_na_sentinel=False)
    if len(uniques) <= max(1, len(series) // 2):
        columns[key] = (None, codes[order])
        return {
            "name": name,
            "values": _text_values(pd.Series(uniques, dtype=object)),
            "codes": key,
        }
    encoded = [text.encode("utf-8") for text in _text_values(series.iloc[order])]
    columns[key] = ("Uint8", np.frombuffer(b"".join(encoded), dtype=np.uint8))
    columns[key + "_ends"] = ("Uint32", np.cumsum([len(e) for e in encoded], dtype=np.int64))
    return {"name": name, "text": key, "ends": key + "_ends"}


def _record_precisions(points, precision: float | None) -> np.ndarray:
    """Metres each record is known to: ``precision``, else its ``precision_m``; a record
    without one takes the finest of the others (1 m when none has one).

    Run after :func:`~bordermap.points.check_case_records`, which refuses every value that is
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

    Coordinates are whole steps of the finest precision from an origin, each record rounded
    to its own precision (half its step is the largest error); each column is stored once;
    records are stored in Z-order, not in the table's order (:func:`decode_records` reads
    them back), and each distinct position once, with its number of records. The same
    records give the same payload. :func:`case_layer` documents the parameters.

    Examples
    --------
    >>> import pandas as pd
    >>> cases = pd.DataFrame({"lon": [129.99, 124.40], "lat": [42.95, 40.10],
    ...                       "kind": ["arrest", "arrest"], "precision_m": [1000, 1000]})
    >>> payload = encode_cases(cases, category="kind")
    >>> payload["n"], payload["arrays"]["x"]["type"], payload["category"]["names"]
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

    def where(i: int, field: str) -> dict:
        label = feature_label(i, ids[i]).replace("feature", "record", 1)
        return {"file": points.attrs.get("source_file", "<cases>"), "row": label, "field": field}

    for name in {category, *fields} - {None}:
        check_text_cells(
            points[name],
            str(name),
            lambda i: {"file": where(i, "")["file"], "row": where(i, "")["row"]},
            numbers=True,
        )
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
    columns: dict[str, tuple[str | None, np.ndarray]] = {
        "x": (None, ux[starts]),
        "y": (None, uy[starts]),
        "runs": (None, runs),
    }
    palette = list(colors) if colors else list(theme.CATEGORY_COLORS)
    payload = {
        "n": len(lon),
        "x": x,
        "y": y,
        "precision_m": finest,
        "coarsest_m": float(metres.max()) if len(metres) else finest,
        # Distinct positions: the length of x, y and runs.
        "positions": len(starts),
        "color": palette[0],
        "category": None,
        "fields": [
            _field(str(name), f"field{k}", points[name], order, columns)
            for k, name in enumerate(fields)
        ],
        "title": title if title is not None else i18n.text("cases", lang),
        "zoom_note": i18n.text("cases_zoom", lang),
        "other_label": i18n.text("other", lang),
        "lang": lang,
        "options": {
            "max_points": int(max_points),
            "cell_px": int(cell_px),
            "radius": float(radius),
            "legend_position": "bottomright",
        },
    }
    if category is not None:
        codes, names = pd.factorize(points[category], sort=True, use_na_sentinel=False)
        columns["category"] = (None, codes[order])
        payload["category"] = {
            "name": str(category),
            "names": _text_values(pd.Series(names, dtype=object)),
            "codes": "category",
            "counts": np.bincount(codes, minlength=len(names)).tolist(),
            "colors": palette,
        }
    payload["blob"], payload["arrays"] = _block(columns)
    return payload


def _arrays(payload: dict) -> dict[str, np.ndarray]:
    """The typed arrays of a payload, inflated and viewed as the page views them."""
    raw = zlib.decompress(base64.b64decode(payload["blob"]["b64"]))
    return {
        key: np.frombuffer(raw, dtype=_DTYPES[a["type"]], count=a["length"], offset=a["offset"])
        for key, a in payload["arrays"].items()
    }


def decode_points(payload: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """Longitudes, latitudes and category codes, read back from a payload as the page does.

    Records come back in the payload's order (Z-order, see :func:`encode_cases`).

    Examples
    --------
    >>> lon, lat, codes = decode_points(encode_cases(
    ...     pd.DataFrame({"lon": [129.99], "lat": [42.95], "kind": ["arrest"]}), category="kind"))
    >>> round(float(lon[0]), 3), round(float(lat[0]), 3), codes.tolist()
    (129.99, 42.95, [0])
    """
    arrays = _arrays(payload)
    lon, lat = (
        payload[axis]["origin"] + np.repeat(arrays[axis], arrays["runs"]) * payload[axis]["step"]
        for axis in "xy"
    )
    category = payload.get("category")
    return lon, lat, (arrays[category["codes"]] if category else None)


def decode_records(payload: dict) -> pd.DataFrame:
    """Every record a payload carries, as the page reads it: lon, lat, category, popup fields.

    What a page built from ``payload`` holds, and nothing else: use it to check what a map
    gives away before sharing it.

    Examples
    --------
    >>> cases = pd.DataFrame({"lon": [129.99, 124.40], "lat": [42.95, 40.10],
    ...                       "kind": ["arrest", "transfer"], "place": ["Onsong", "Sinuiju"]})
    >>> decode_records(encode_cases(cases, category="kind", popup_fields=["place"], precision=10))
              lon        lat      kind    place
    0  124.400047  40.099982  transfer  Sinuiju
    1  129.989972  42.949964    arrest   Onsong
    """
    arrays = _arrays(payload)
    lon, lat, codes = decode_points(payload)
    table = pd.DataFrame({"lon": lon, "lat": lat})
    category = payload.get("category")
    if category:
        table[category["name"]] = np.array(category["names"], dtype=object)[codes]
    for field in payload["fields"]:
        if "codes" in field:
            values = np.array(field["values"], dtype=object)[arrays[field["codes"]]]
        else:
            text, ends = arrays[field["text"]].tobytes(), arrays[field["ends"]]
            starts = np.concatenate([[0], ends[:-1]]).astype(np.int64)
            values = [text[a:b].decode("utf-8") for a, b in zip(starts, ends, strict=True)]
        table[field["name"]] = values
    return table


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
        label = f"{isolate(payload['title'])} ({payload['n']:,})"
        return [LegendEntry("circle", label, radius=radius, fill=payload["color"])]
    colors = category["colors"]
    pairs = list(zip(category["names"], category["counts"], strict=True))
    # Past LEGEND_ROWS categories the rest share one row (the page's case legend does too).
    shown = LEGEND_ROWS if len(pairs) > LEGEND_ROWS + 1 else len(pairs)
    entries = [
        LegendEntry(
            "circle", f"{isolate(name)} ({count:,})", radius=radius, fill=colors[i % len(colors)]
        )
        for i, (name, count) in enumerate(pairs[:shown])
    ]
    if shown < len(pairs):
        rest = sum(count for _, count in pairs[shown:])
        other = f"{i18n.text('other', payload.get('lang', 'en'))} ({rest:,})"
        entries.append(LegendEntry("circle", other, radius=radius, fill="#999999"))
    return entries
