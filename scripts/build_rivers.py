"""Build bordermap's river layer from GSHHG's WDBII rivers, via Debian's gmt-gshhg-high package.

GSHHG 2.3.7 (Wessel & Smith, LGPL-3) carries the CIA World Data Bank II rivers for GMT as
binned netCDF-4 files. Debian ships them in ``gmt-gshhg-high`` (the high resolution,
``binned_river_h.nc``), pinned here by package version and by the SHA-256 of the ``.deb`` and
of the netCDF file inside it. The package is needed only here, never at runtime.

The script decodes GMT's binned format (read from GMT's ``gmt_shore.c``: ``GMT_init_br`` and
``GMT_get_br_bin``), keeps the major rivers (WDBII levels 0 to 2: double-lined rivers,
permanent major rivers, additional major rivers), joins the pieces the bins cut, snaps
coordinates to a grid of 2⁻¹² degree (about 27 m: below what the high resolution holds,
which is simplified to about 200 m; a power of two, so that the float64 coordinates end in
zero bits and compress to a fifth) and writes ``data/basemap/rivers.npz``: every river as WKB
end to end in ``wkb`` with ``wkb_offsets`` (each start, and the end) and its WDBII ``level``,
LZMA-compressed with a fixed date, as ``world-10m.npz`` is. ``bordermap.basemap.rivers_in``
only reads the WKB.

The output is deterministic: the same package gives byte-identical files (their SHA-256 are
in ``data/basemap/README.md``).

Usage::

    python3 scripts/build_rivers.py                       # runs `apt-get download` for it
    python3 scripts/build_rivers.py --deb gmt-gshhg-high_2.3.7-6_all.deb

Reading the netCDF needs ``h5py`` (netCDF-4 is HDF5): ``pip install h5py``; bordermap itself
does not.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import subprocess
import tarfile
import tempfile
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import MultiLineString
from shapely.ops import linemerge

from bordermap.export.writes import atomic_write
from bordermap.inputs import file_sha256
from bordermap.store import write_store

PACKAGE = "gmt-gshhg-high"
VERSION = "2.3.7-6"
DEB_SHA256 = "ad526a28262412fdfebcca097c2a2e606a7fa2e6f10a5770a3b5e05621357c01"
MEMBER = "./usr/share/gmt-gshhg/binned_river_h.nc"
MEMBER_SHA256 = "0c79bf1cf3f0b7932d26e9c7eaa9b21431b6d4796e9c6fc05affafeb73a1b69c"
# WDBII river levels: 0 double-lined rivers (river-lakes), 1 permanent major rivers,
# 2 additional major rivers (the Yalu and the Tumen are here), 3 additional rivers, 4 minor
# rivers, 5-7 intermittent rivers, 8-10 canals. Levels 0-2 are 0.7 MB; with 3, 1.6 MB.
MAX_LEVEL = 2
GRID = 2.0**-12  # degrees
ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "data" / "basemap" / "rivers.npz"

# The variables of GMT's binned border and river files that the decoder reads.
VARIABLES = (
    "Bin_size_in_minutes",
    "N_bins_in_360_longitude_range",
    "Id_of_first_segment_in_a_bin",
    "N_segments_in_a_bin",
    "N_points_for_a_segment",
    "Hierarchial_level_of_a_segment",  # sic
    "Id_of_first_point_in_a_segment",
    "Relative_longitude_from_SW_corner_of_bin",
    "Relative_latitude_from_SW_corner_of_bin",
)


def read_netcdf(data: bytes) -> dict[str, np.ndarray]:
    """The variables of a binned GMT river file (netCDF-4, which is HDF5) as NumPy arrays."""
    import h5py  # only this script reads netCDF

    with h5py.File(io.BytesIO(data), "r") as nc:
        return {name: nc[name][:] for name in VARIABLES}


def decode_segments(nc: Mapping[str, np.ndarray]) -> list[tuple[int, np.ndarray]]:
    """Every segment of a binned river file: its level and its lon/lat points (n × 2).

    GMT stores the world in square bins (``Bin_size_in_minutes``), numbered row by row from
    the north-west; bin ``b``'s south-west corner is at longitude ``(b mod nx) × size`` and
    latitude ``90 − (b div nx + 1) × size``. A bin lists its segments (first id, count); a
    segment its points (first id, count) and its level. A point is two unsigned 16-bit
    offsets from the bin's corner, in units of size / 65535. No maintained Python library
    reads this format (PyGMT needs GMT itself installed), so it is decoded here, once.
    """
    size = float(nc["Bin_size_in_minutes"][0]) / 60.0
    nx = int(nc["N_bins_in_360_longitude_range"][0])
    scale = size / 65535.0
    first, count = nc["Id_of_first_segment_in_a_bin"], nc["N_segments_in_a_bin"]
    n_points, levels = nc["N_points_for_a_segment"], nc["Hierarchial_level_of_a_segment"]
    starts = nc["Id_of_first_point_in_a_segment"]
    dx = np.asarray(nc["Relative_longitude_from_SW_corner_of_bin"]).view(np.uint16)
    dy = np.asarray(nc["Relative_latitude_from_SW_corner_of_bin"]).view(np.uint16)
    segments = []
    for b in np.nonzero(np.asarray(count) > 0)[0].tolist():
        west, south = (b % nx) * size, 90.0 - (b // nx + 1) * size
        for s in range(int(first[b]), int(first[b]) + int(count[b])):
            start, n = int(starts[s]), int(n_points[s])
            lon = west + dx[start : start + n] * scale
            lat = south + dy[start : start + n] * scale
            lon = np.where(lon > 180.0, lon - 360.0, lon)  # GMT's bins run 0-360°
            segments.append((int(levels[s]), np.column_stack([lon, lat])))
    return segments


def river_lines(
    segments: list[tuple[int, np.ndarray]], max_level: int = MAX_LEVEL
) -> list[tuple[int, shapely.LineString]]:
    """The rivers of each kept level, the bins' pieces joined, on the ``GRID``; in a stable
    order (by level, then west to east, south to north)."""
    rivers = []
    for level in range(max_level + 1):
        parts = [
            np.round(points / GRID) * GRID
            for kept, points in segments
            if kept == level and len(points) > 1
        ]
        parts = [p for p in parts if len(np.unique(p, axis=0)) > 1]
        if not parts:
            continue
        merged = linemerge(MultiLineString(parts))
        lines = [g for g in getattr(merged, "geoms", [merged]) if not g.is_empty]
        lines.sort(key=lambda line: (*line.bounds, line.length))
        rivers.extend((level, line) for line in lines)
    return rivers


def rivers_arrays(rivers: list[tuple[int, shapely.LineString]]) -> bytes:
    """The rivers as a zip of NumPy arrays: ``wkb`` (every line's WKB, end to end),
    ``wkb_offsets`` (each start, and the end) and ``level`` (WDBII's), LZMA-compressed with a
    fixed date so that the same rivers give the same bytes."""
    return write_store(
        [line for _, line in rivers], level=np.array([level for level, _ in rivers], dtype=np.int8)
    )


def deb_member(deb: Path, member: str = MEMBER) -> bytes:
    """One file of a Debian package's data, read with ``dpkg-deb`` (nothing installed)."""
    tar = subprocess.run(["dpkg-deb", "--fsys-tarfile", str(deb)], check=True, capture_output=True)
    with tarfile.open(fileobj=io.BytesIO(tar.stdout)) as archive:
        extracted = archive.extractfile(member)
        if extracted is None:
            raise SystemExit(f"{deb}: no {member}")
        return extracted.read()


def _deb(path: str | None, workdir: Path) -> Path:
    if path:
        return Path(path)
    download = ["apt-get", "download", f"{PACKAGE}={VERSION}"]
    subprocess.run(download, cwd=workdir, check=True, capture_output=True)
    return next(workdir.glob(f"{PACKAGE}_*.deb"))


def main(argv: list[str] | None = None) -> Path:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--deb", help=f"the {PACKAGE} {VERSION} .deb (default: apt-get download)")
    parser.add_argument("--out", default=str(OUT), help="the .npz to write")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        deb = _deb(args.deb, Path(tmp))
        digest = file_sha256(deb)
        if digest != DEB_SHA256:
            raise SystemExit(f"{deb}: sha256 {digest}, expected {DEB_SHA256}")
        data = deb_member(deb)
    digest = hashlib.sha256(data).hexdigest()
    if digest != MEMBER_SHA256:
        raise SystemExit(f"{MEMBER}: sha256 {digest}, expected {MEMBER_SHA256}")
    out = Path(args.out)
    atomic_write(out, rivers_arrays(river_lines(decode_segments(read_netcdf(data)))))
    print(f"{out}: {out.stat().st_size:,} bytes")
    return out


if __name__ == "__main__":
    main()
