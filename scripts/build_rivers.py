"""Build bordermap's river and lake layers from GSHHG, via Debian's gmt-gshhg-high package.

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
end to end in ``wkb`` with ``wkb_offsets`` (each start, and the end), its WDBII ``level`` and
``border``, LZMA-compressed with a fixed date, as ``world-10m.npz`` is.
``bordermap.basemap.rivers_in`` only reads the WKB.

Besides the major rivers it keeps the minor rivers that follow an international border
(``border`` true): a border river is often a minor one in WDBII (India–Nepal, Brazil–Peru,
Guyana–Suriname), and a border map needs it where a world map would not (levels 3 and 4
everywhere would add 0.9 MB; these, 30 kB). The rule: of WDBII's level 3 and 4 rivers
(``BORDER_LEVELS``), joined and snapped like the major ones, every part that lies within
``BORDER_NEAR`` degrees (about 2 km) of a Natural Earth international boundary and is at
least ``BORDER_MIN_LENGTH`` degrees long there (about 11 km: a shorter part only crosses the
border or touches it). The boundaries are ``data/basemap/world-10m.npz``'s arcs of kind
``boundary``, read as ``bordermap.basemap`` reads them, so a kept part lies along a line the
map draws (``bordermap.rivers.by_border``, with its 2.5 km, names its boundary). Only the part
near the border is kept, never the rest of the river. These parts come after the major rivers
and keep their WDBII level.

From the same package's shorelines (``binned_GSHHS_h.nc``, pinned by SHA-256 too) it builds
``data/basemap/lakes.npz``: GSHHG's lakes (shoreline level 2) of ``MIN_LAKE_KM2`` or more.
GMT cuts each shoreline polygon into the pieces its bins hold, and tags each piece with its
polygon's GSHHG id; the pieces of one lake, joined end to end where the bins cut them, close
its ring again (every cut point lies in both bins). Each lake is simplified to
``LAKE_SIMPLIFY`` degrees and snapped to ``LAKE_GRID``, and stored as WKB with its area
(``area_km2``, GSHHG's). Islands in lakes (level 3) are not cut out.

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
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import MultiLineString
from shapely.ops import linemerge

from bordermap.export.writes import atomic_write
from bordermap.inputs import file_sha256
from bordermap.store import read_geometries, write_store

PACKAGE = "gmt-gshhg-high"
VERSION = "2.3.7-6"
DEB_SHA256 = "ad526a28262412fdfebcca097c2a2e606a7fa2e6f10a5770a3b5e05621357c01"
MEMBER = "./usr/share/gmt-gshhg/binned_river_h.nc"
MEMBER_SHA256 = "0c79bf1cf3f0b7932d26e9c7eaa9b21431b6d4796e9c6fc05affafeb73a1b69c"
SHORE_MEMBER = "./usr/share/gmt-gshhg/binned_GSHHS_h.nc"
SHORE_SHA256 = "5186f7ae41c6a18807582423b3b5ae5892e78b19bf6c7c792377baa8592830fc"
# Lakes of 40 km² or more (Lesser Prespa is 47): 0.3 MB. With 20 km², 0.4 MB; with all, 0.8.
MIN_LAKE_KM2 = 40.0
LAKE_LEVEL = 2  # GSHHG's shoreline levels: 1 land, 2 lake, 3 island in a lake, 4 pond on it
LAKE_SIMPLIFY = 0.005  # degrees, about 500 m: a lake's shape at a regional map's scale
LAKE_GRID = 2.0**-11  # degrees, about 54 m
# WDBII river levels: 0 double-lined rivers (river-lakes), 1 permanent major rivers,
# 2 additional major rivers (the Yalu and the Tumen are here), 3 additional rivers, 4 minor
# rivers, 5-7 intermittent rivers, 8-10 canals. Levels 0-2 are 0.7 MB; with 3, 1.6 MB.
MAX_LEVEL = 2
# Minor rivers kept where they follow an international boundary (see the docstring).
BORDER_LEVELS = (3, 4)
BORDER_NEAR = 0.02  # degrees, about 2 km: Natural Earth and WDBII draw a border river apart
BORDER_MIN_LENGTH = 0.1  # degrees, about 11 km
GRID = 2.0**-12  # degrees
ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "data" / "basemap" / "rivers.npz"
WORLD = ROOT / "data" / "basemap" / "world-10m.npz"
LAKES_OUT = ROOT / "data" / "basemap" / "lakes.npz"

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


def read_netcdf(data: bytes, variables: tuple[str, ...] = VARIABLES) -> dict[str, np.ndarray]:
    """The variables of a binned GMT file (netCDF-4, which is HDF5) as NumPy arrays."""
    import h5py  # only this script reads netCDF

    with h5py.File(io.BytesIO(data), "r") as nc:
        return {name: nc[name][:] for name in variables}


def decode_segments(nc: Mapping[str, np.ndarray]) -> list[tuple[int, np.ndarray]]:
    """Every segment of a binned river file: its level and its lon/lat points (n × 2).

    GMT stores the world in square bins (``Bin_size_in_minutes``), numbered row by row from
    the north-west; bin ``b``'s south-west corner is at longitude ``(b mod nx) × size`` and
    latitude ``90 − (b div nx + 1) × size``. A bin lists its segments (first id, count); a
    segment its points (first id, count) and its level. A point is two unsigned 16-bit
    offsets from the bin's corner, in units of size / 65535. No maintained Python library
    reads this format (PyGMT needs GMT itself installed), so it is decoded here, once.
    """
    n_points = nc["N_points_for_a_segment"]
    levels = nc["Hierarchial_level_of_a_segment"]
    return [(int(levels[s]), points) for s, points in _segment_points(nc, n_points)]


def _segment_points(
    nc: Mapping[str, np.ndarray], n_points: np.ndarray
) -> Iterator[tuple[int, np.ndarray]]:
    """Each segment's id and lon/lat points (n × 2), bin by bin; the one decoder of GMT's
    bins and offsets for the river and the shoreline files."""
    size = float(nc["Bin_size_in_minutes"][0]) / 60.0
    nx = int(nc["N_bins_in_360_longitude_range"][0])
    scale = size / 65535.0
    first, count = nc["Id_of_first_segment_in_a_bin"], nc["N_segments_in_a_bin"]
    starts = nc["Id_of_first_point_in_a_segment"]
    dx = np.asarray(nc["Relative_longitude_from_SW_corner_of_bin"]).view(np.uint16)
    dy = np.asarray(nc["Relative_latitude_from_SW_corner_of_bin"]).view(np.uint16)
    for b in np.nonzero(np.asarray(count) > 0)[0].tolist():
        west, south = (b % nx) * size, 90.0 - (b // nx + 1) * size
        for s in range(int(first[b]), int(first[b]) + int(count[b])):
            start, n = int(starts[s]), int(n_points[s])
            lon = west + dx[start : start + n] * scale
            lat = south + dy[start : start + n] * scale
            lon = np.where(lon > 180.0, lon - 360.0, lon)  # GMT's bins run 0-360°
            yield s, np.column_stack([lon, lat])


# The variables of GMT's binned shoreline file that the lake decoder reads.
SHORE_VARIABLES = (
    "Bin_size_in_minutes",
    "N_bins_in_360_longitude_range",
    "Id_of_first_segment_in_a_bin",
    "N_segments_in_a_bin",
    "Embedded_npts_levels_exit_entry_for_a_segment",
    "Id_of_first_point_in_a_segment",
    "Id_of_GSHHS_ID",
    "The_km_squared_area_of_polygons",
    "Relative_longitude_from_SW_corner_of_bin",
    "Relative_latitude_from_SW_corner_of_bin",
)


def decode_shore_segments(
    nc: Mapping[str, np.ndarray],
) -> list[tuple[int, int, np.ndarray]]:
    """Every segment of a binned shoreline file: its level, its polygon's GSHHG id and its
    lon/lat points (n × 2).

    The bins, segments and points are laid out as in the river file
    (:func:`decode_segments`), but a segment's point count and level are packed into one
    integer (GMT's ``gmt_shore.c``: count ``>> 9``, level ``>> 6 & 7``).
    """
    packed = np.asarray(nc["Embedded_npts_levels_exit_entry_for_a_segment"]).astype(np.int64)
    n_points, levels = packed >> 9, (packed >> 6) & 7
    polygon = nc["Id_of_GSHHS_ID"]
    return [
        (int(levels[s]), int(polygon[s]), points) for s, points in _segment_points(nc, n_points)
    ]


def lake_polygons(
    segments: list[tuple[int, int, np.ndarray]], areas: np.ndarray, min_km2: float = MIN_LAKE_KM2
) -> list[tuple[float, shapely.Polygon]]:
    """The lakes of ``min_km2`` or more (GSHHG's area), each ring joined from its bins'
    pieces, simplified and snapped; in GSHHG's id order. A lake whose pieces do not close
    into one ring is an error: the file is not what this script reads."""
    from shapely.geometry import Polygon

    pieces: dict[int, list[np.ndarray]] = {}
    for level, polygon, points in segments:
        if level == LAKE_LEVEL and areas[polygon] >= min_km2 and len(points) > 1:
            # Exact on a fine grid: a cut point is the same in both bins.
            pieces.setdefault(polygon, []).append(np.round(points / 2.0**-20) * 2.0**-20)
    lakes = []
    for polygon, parts in sorted(pieces.items()):
        merged = linemerge(MultiLineString(parts))
        if merged.geom_type != "LineString" or not merged.is_closed:
            raise SystemExit(f"GSHHG lake {polygon}: its pieces do not close into one ring")
        lake = shapely.simplify(Polygon(merged), LAKE_SIMPLIFY, preserve_topology=True)
        lake = shapely.set_precision(lake, LAKE_GRID, mode="pointwise")
        for part in shapely.get_parts(lake):
            if part.geom_type == "Polygon" and not part.is_empty:
                lakes.append((float(areas[polygon]), part))
    return lakes


def lakes_arrays(lakes: list[tuple[float, shapely.Polygon]]) -> bytes:
    """The lakes as a store (``bordermap.store``): WKB and ``area_km2``."""
    return write_store(
        [lake for _, lake in lakes], area_km2=np.array([a for a, _ in lakes], dtype=np.float32)
    )


def _level_lines(segments: list[tuple[int, np.ndarray]], level: int) -> list[shapely.LineString]:
    """The rivers of one level, the bins' pieces joined, on the ``GRID``; in a stable order
    (west to east, south to north)."""
    parts = [
        np.round(points / GRID) * GRID
        for kept, points in segments
        if kept == level and len(points) > 1
    ]
    parts = [p for p in parts if len(np.unique(p, axis=0)) > 1]
    if not parts:
        return []
    merged = linemerge(MultiLineString(parts))
    lines = [g for g in getattr(merged, "geoms", [merged]) if not g.is_empty]
    return sorted(lines, key=lambda line: (*line.bounds, line.length))


def river_lines(
    segments: list[tuple[int, np.ndarray]], max_level: int = MAX_LEVEL
) -> list[tuple[int, shapely.LineString]]:
    """The rivers of each kept level, the bins' pieces joined, on the ``GRID``; in a stable
    order (by level, then west to east, south to north)."""
    return [
        (level, line) for level in range(max_level + 1) for line in _level_lines(segments, level)
    ]


def world_boundaries(world: Path = WORLD) -> np.ndarray:
    """Natural Earth's international boundaries (shapely LineStrings), as ``bordermap.basemap``
    reads them from ``world-10m.npz``: the arcs after the polygons, of kind ``boundary``."""
    geometries, polygon_country, line_kind = read_geometries(world, "polygon_country", "line_kind")
    lines = geometries[len(polygon_country) :]
    return lines[np.asarray(line_kind) == "boundary"]


def border_lines(
    segments: list[tuple[int, np.ndarray]], boundaries: np.ndarray
) -> list[tuple[int, shapely.LineString]]:
    """The parts of the minor rivers (``BORDER_LEVELS``) that follow a boundary: within
    ``BORDER_NEAR`` degrees of one for ``BORDER_MIN_LENGTH`` degrees or more; by level, then
    west to east, south to north."""
    tree = shapely.STRtree(boundaries)
    kept = []
    for level in BORDER_LEVELS:
        lines = np.array(_level_lines(segments, level), dtype=object)
        if not len(lines):
            continue
        near = tree.query(lines, predicate="dwithin", distance=BORDER_NEAR)
        found = []
        for index in np.unique(near[0]).tolist():
            # The zone of only the boundaries near this river: the world's in one is slow.
            close = near[1][near[0] == index]
            zone = shapely.union_all(shapely.buffer(boundaries[close], BORDER_NEAR))
            inside = shapely.set_precision(lines[index].intersection(zone), GRID, mode="pointwise")
            found += [
                part
                for part in shapely.get_parts(shapely.line_merge(inside))
                if part.geom_type == "LineString" and part.length >= BORDER_MIN_LENGTH
            ]
        found.sort(key=lambda line: (*line.bounds, line.length))
        kept += [(level, line) for line in found]
    return kept


def rivers_arrays(
    rivers: Sequence[tuple[int, shapely.LineString]],
    borders: Sequence[tuple[int, shapely.LineString]] = (),
) -> bytes:
    """The rivers as a zip of NumPy arrays: ``wkb`` (every line's WKB, end to end),
    ``wkb_offsets`` (each start, and the end), ``level`` (WDBII's) and ``border`` (true for
    the minor rivers kept because they follow a boundary, which come last), LZMA-compressed
    with a fixed date so that the same rivers give the same bytes."""
    every = [*rivers, *borders]
    return write_store(
        [line for _, line in every],
        level=np.array([level for level, _ in every], dtype=np.int8),
        border=np.array([False] * len(rivers) + [True] * len(borders), dtype=bool),
    )


def deb_files(deb: Path) -> tarfile.TarFile:
    """A Debian package's data as a tar archive, read with ``dpkg-deb`` (nothing installed)."""
    tar = subprocess.run(["dpkg-deb", "--fsys-tarfile", str(deb)], check=True, capture_output=True)
    return tarfile.open(fileobj=io.BytesIO(tar.stdout))


def deb_member(deb: Path, member: str = MEMBER) -> bytes:
    """One file of a Debian package's data."""
    with deb_files(deb) as archive:
        extracted = archive.extractfile(member)
        if extracted is None:
            raise SystemExit(f"{deb}: no {member}")
        return extracted.read()


def fetch_deb(
    path: str | None, workdir: Path, package: str = PACKAGE, version: str = VERSION
) -> Path:
    """The given ``.deb``, else the pinned version fetched with ``apt-get download``."""
    if path:
        return Path(path)
    download = ["apt-get", "download", f"{package}={version}"]
    subprocess.run(download, cwd=workdir, check=True, capture_output=True)
    return next(workdir.glob(f"{package}_*.deb"))


def main(argv: list[str] | None = None) -> Path:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--deb", help=f"the {PACKAGE} {VERSION} .deb (default: apt-get download)")
    parser.add_argument("--out", default=str(OUT), help="the .npz to write")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        deb = fetch_deb(args.deb, Path(tmp))
        digest = file_sha256(deb)
        if digest != DEB_SHA256:
            raise SystemExit(f"{deb}: sha256 {digest}, expected {DEB_SHA256}")
        data, shore = deb_member(deb), deb_member(deb, SHORE_MEMBER)
    for member, content, pinned in (
        (MEMBER, data, MEMBER_SHA256),
        (SHORE_MEMBER, shore, SHORE_SHA256),
    ):
        digest = hashlib.sha256(content).hexdigest()
        if digest != pinned:
            raise SystemExit(f"{member}: sha256 {digest}, expected {pinned}")
    out = Path(args.out)
    segments = decode_segments(read_netcdf(data))
    borders = border_lines(segments, world_boundaries())
    atomic_write(out, rivers_arrays(river_lines(segments), borders))
    nc = read_netcdf(shore, SHORE_VARIABLES)
    lakes = lake_polygons(decode_shore_segments(nc), nc["The_km_squared_area_of_polygons"])
    atomic_write(LAKES_OUT, lakes_arrays(lakes))
    for path in (out, LAKES_OUT):
        print(f"{path}: {path.stat().st_size:,} bytes")
    return out


if __name__ == "__main__":
    main()
