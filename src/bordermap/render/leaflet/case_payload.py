"""How a page carries case records: a case layer's typed columns (:class:`~bordermap.spec.
CaseLayerSpec`) as typed arrays laid end to end in one zlib stream, base64 in the page, with
the JSON the page's scripts read beside it; and the same read back, as the page reads it.

Each column is written once: positions as whole steps from an origin, with a run length
each; categories and repeated popup values as a dictionary and codes; other text as UTF-8
with end offsets. The same description gives the same bytes.
"""

from __future__ import annotations

import base64
import zlib
from typing import Any

import numpy as np
import pandas as pd

from bordermap.spec import CaseLayerSpec

__all__ = ["case_payload", "decode_points", "decode_records"]

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


def _field(column: pd.Series, key: str, n: int, columns: dict) -> dict:
    """One popup column, stored once: a dictionary and codes when values repeat, else UTF-8
    text and end offsets."""
    if len(column.values) <= max(1, n // 2):
        columns[key] = (None, column.codes)
        return {"name": column.name, "values": list(column.values), "codes": key}
    values = np.array([v.encode("utf-8") for v in column.values], dtype=object)
    encoded = values[column.codes] if len(column.codes) else np.zeros(0, dtype=object)
    columns[key] = ("Uint8", np.frombuffer(b"".join(encoded), dtype=np.uint8))
    lengths = np.fromiter((len(e) for e in encoded), dtype=np.int64, count=len(encoded))
    columns[key + "_ends"] = ("Uint32", np.cumsum(lengths, dtype=np.int64))
    return {"name": column.name, "text": key, "ends": key + "_ends"}


def case_payload(cases: CaseLayerSpec) -> dict[str, Any]:
    """The payload a case layer's page inflates and draws, from the layer's description.

    Examples
    --------
    >>> import pandas as pd
    >>> from bordermap.describe.case_records import describe_cases
    >>> cases = pd.DataFrame({"lon": [129.99, 124.40], "lat": [42.95, 40.10],
    ...                       "kind": ["arrest", "arrest"], "precision_m": [1000, 1000]})
    >>> payload = case_payload(describe_cases(cases, category="kind"))
    >>> payload["n"], payload["arrays"]["x"]["type"], payload["category"]["names"]
    (2, 'Uint16', ['arrest'])
    """
    records = cases.records
    columns: dict[str, tuple[str | None, np.ndarray]] = {
        "x": (None, records.x),
        "y": (None, records.y),
        "runs": (None, records.runs),
    }
    payload: dict[str, Any] = {
        "n": records.n,
        "x": {"origin": records.x_origin, "step": records.x_step},
        "y": {"origin": records.y_origin, "step": records.y_step},
        "precision_m": records.precision_m,
        "coarsest_m": records.coarsest_m,
        # Distinct positions: the length of x, y and runs.
        "positions": len(records.x),
        "color": cases.colors[0],
        "category": None,
        "fields": [
            _field(column, f"field{k}", records.n, columns)
            for k, column in enumerate(records.fields)
        ],
        "title": cases.title,
        "zoom_note": cases.zoom_note,
        "other_label": cases.other_label,
        "lang": cases.lang,
        "options": {
            "max_points": cases.max_points,
            "cell_px": cases.cell_px,
            "radius": cases.radius,
            "legend_position": "bottomright",
        },
    }
    if records.category is not None:
        columns["category"] = (None, records.category.codes)
        payload["category"] = {
            "name": records.category.name,
            "names": list(records.category.values),
            "codes": "category",
            "counts": list(cases.category_counts),
            "colors": list(cases.colors),
            # Named in the legend; the rest one row "other" (None: every one, scrolling).
            "listed": cases.listed,
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

    Records come back in the payload's order (Z-order).

    Examples
    --------
    >>> from bordermap.describe.case_records import describe_cases
    >>> lon, lat, codes = decode_points(case_payload(describe_cases(
    ...     pd.DataFrame({"lon": [129.99], "lat": [42.95], "kind": ["arrest"]}), category="kind")))
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
    >>> from bordermap.describe.case_records import describe_cases
    >>> decode_records(case_payload(describe_cases(cases, category="kind",
    ...     popup_fields=["place"], precision=10)))
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
