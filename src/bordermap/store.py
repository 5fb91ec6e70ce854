"""The format of the bundled basemap files (``data/basemap/*.npz``), written and read here.

A zip of NumPy arrays: ``wkb`` (the WKB of every geometry, end to end) with ``wkb_offsets``
(where each starts, and the end), beside any arrays of their attributes. Members are
LZMA-compressed (a third of deflate's size: float coordinates compress poorly) and carry a
fixed date, so the same geometries always give the same bytes. ``scripts/build_basemap.py``
and ``scripts/build_rivers.py`` write them at build time; ``bordermap.basemap`` reads them
with no decoding beyond ``shapely.from_wkb``.
"""

from __future__ import annotations

import io
import itertools
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import IO

import numpy as np

__all__ = ["overlapping", "read_geometries", "write_store"]


def write_store(geometries: Sequence[object], **arrays: np.ndarray) -> bytes:
    """The bytes of a store of ``geometries`` (shapely) and the attribute ``arrays``.

    Examples
    --------
    >>> from shapely.geometry import LineString
    >>> data = write_store([LineString([(0, 0), (1, 1)])], level=np.array([2], dtype=np.int8))
    >>> data == write_store([LineString([(0, 0), (1, 1)])], level=np.array([2], dtype=np.int8))
    True
    """
    import shapely

    wkb = shapely.to_wkb(np.array(list(geometries), dtype=object), byte_order=1)
    members: dict[str, np.ndarray] = {
        "wkb": np.frombuffer(b"".join(wkb), dtype=np.uint8),
        "wkb_offsets": np.cumsum([0, *map(len, wkb)], dtype=np.int64),
        **arrays,
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, array in members.items():
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, array, allow_pickle=False)
            archive.writestr(
                zipfile.ZipInfo(f"{name}.npy", (1980, 1, 1, 0, 0, 0)),
                buffer.getvalue(),
                compress_type=zipfile.ZIP_LZMA,
            )
    return out.getvalue()


def read_geometries(path: Path | IO[bytes], *names: str) -> tuple[np.ndarray, ...]:
    """The geometries of a store, then each named attribute array.

    Examples
    --------
    >>> import tempfile
    >>> from shapely.geometry import Point
    >>> path = Path(tempfile.mkdtemp()) / "one.npz"
    >>> _ = path.write_bytes(write_store([Point(1, 2)], level=np.array([3])))
    >>> geometries, levels = read_geometries(path, "level")
    >>> geometries[0].wkt, levels.tolist()
    ('POINT (1 2)', [3])
    """
    import shapely

    with np.load(path, allow_pickle=False) as data:
        joined, offsets = data["wkb"].tobytes(), data["wkb_offsets"].tolist()
        parts = [joined[start:end] for start, end in itertools.pairwise(offsets)]
        return (shapely.from_wkb(parts), *(data[name] for name in names))


def overlapping(boxes: np.ndarray, area: tuple[float, float, float, float]) -> np.ndarray:
    """Indices of the boxes (rows of west, south, east, north) that touch ``area``.

    Examples
    --------
    >>> overlapping(np.array([[0, 0, 1, 1], [5, 5, 6, 6]]), (0.5, 0.5, 2, 2)).tolist()
    [0]
    """
    return np.nonzero(
        (boxes[:, 2] >= area[0])
        & (boxes[:, 0] <= area[2])
        & (boxes[:, 3] >= area[1])
        & (boxes[:, 1] <= area[3])
    )[0]
