"""The offline vector basemap: Natural Earth land, boundaries, coast, rivers, context labels.

Two forms: the bundled region of the China–North Korea border (:func:`load_basemap`), and the
world, clipped to any view at render time (:func:`world_basemap`) from Natural Earth 1:10m
polygons and arcs that ``scripts/build_basemap.py`` decoded from world-atlas's TopoJSON at build
time (WKB, read by shapely), GSHHG's WDBII major rivers (:func:`rivers_in`, decoded by
``scripts/build_rivers.py``), with country names from CLDR (Babel) and GeoNames towns ranked by
size.
"""

from __future__ import annotations

import itertools
import json
import math
import os
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from bordermap import inputs, lakes, rivers
from bordermap.arguments import NONE, PATH, check_argument
from bordermap.coarse import around, coarse_land, edge_band, simplified_world
from bordermap.errors import ValidationError, feature_label
from bordermap.placenames import (
    LABEL_LANGS,
    TOWN_NAMES_FILE,
    country_label,
    label_rank_for,
    label_view,
    town_labels,
    town_names,
)
from bordermap.store import overlapping, read_geometries
from bordermap.theme import LAND_APART

if TYPE_CHECKING:  # loads on first use: a page without a basemap needs none
    import geopandas as gpd

__all__ = [
    "BASEMAP_KINDS",
    "LABEL_KINDS",
    "BasemapView",
    "basemap_source",
    "label_rank_for",
    "load_basemap",
    "rivers_in",
    "world_basemap",
]

BASEMAP_KINDS = ("land", "boundary", "coast", "province")
BASEMAP_CREDIT = "Natural Earth (public domain)"
BASEMAP_FILE = "basemap/region.geojson"
WORLD_FILE = "basemap/world-10m.npz"
TOWNS_FILE = "basemap/towns.csv"
TOWNS_CREDIT = "towns: GeoNames (CC BY 4.0)"
RIVERS_FILE = "basemap/rivers.npz"
RIVERS_CREDIT = "rivers: GSHHG/WDBII, Wessel & Smith (LGPL)"
LABEL_KINDS = ("country", "town")
LANGS = LABEL_LANGS


def basemap_source() -> list[dict]:
    """The bundled world basemap's files, as a map's metadata lists its inputs: name, SHA-256.

    Examples
    --------
    >>> [source["file"] for source in basemap_source()]
    ['world-10m.npz', 'rivers.npz', 'lakes.npz', 'towns.csv', 'town_names.csv.xz']
    """
    return [
        {"file": os.path.basename(name), "sha256": inputs.bundled_sha256(name)}
        for name in (WORLD_FILE, RIVERS_FILE, lakes.LAKES_FILE, TOWNS_FILE, TOWN_NAMES_FILE)
    ]


def bundled_file(name: str) -> tuple[str, str]:
    """Where one of the basemap's bundled files is, and its SHA-256, for a map's metadata.

    Examples
    --------
    >>> path, sha256 = bundled_file(WORLD_FILE)
    >>> path.endswith("world-10m.npz"), len(sha256)
    (True, 64)
    """
    return str(inputs.bundled_path(name)), inputs.bundled_sha256(name)


def region_geojson() -> dict:
    """The China–North Korea clip (``data/basemap/region.geojson``) as GeoJSON.

    Examples
    --------
    >>> sorted({f["properties"]["kind"] for f in region_geojson()["features"]})
    ['boundary', 'coast', 'land']
    """
    return json.loads(inputs.bundled_path(BASEMAP_FILE).read_text(encoding="utf-8"))


def load_basemap(path: str | os.PathLike[str] | None = None) -> gpd.GeoDataFrame:
    """Load the region's basemap as a GeoDataFrame in EPSG:4326.

    Parameters
    ----------
    path : path, optional
        A vector file with ``kind`` (``land``, ``boundary``, ``coast`` or ``province``),
        ``country`` and ``cn_kp`` columns. Default: the bundled ``data/basemap/region.geojson``,
        built from Natural Earth 1:10m by ``scripts/build_basemap.py``.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``kind``, ``country``, ``cn_kp`` (True for China and North Korea's land and
        for their common boundary) and ``geometry``.

    Raises
    ------
    bordermap.errors.ValidationError
        A feature has an unknown ``kind``.

    Examples
    --------
    >>> base = load_basemap()
    >>> base.loc[base["kind"].eq("boundary") & base["cn_kp"], "country"].tolist()
    ['China – North Korea']
    """
    check_argument("path", path, PATH, NONE)
    if path is None:
        return _bundled().copy()  # read once per process; every image draws it
    return _read(path)


@lru_cache(maxsize=1)
def _bundled() -> gpd.GeoDataFrame:
    return _read(inputs.bundled_path(BASEMAP_FILE))


def _read(source: str | os.PathLike[str]) -> gpd.GeoDataFrame:
    gdf = inputs.read_geodata(source)
    for column, default in (("kind", ""), ("country", ""), ("cn_kp", False)):
        if column not in gdf.columns:
            gdf[column] = default
    unknown = gdf.loc[~gdf["kind"].isin(BASEMAP_KINDS), "kind"]
    if len(unknown):
        raise ValidationError(
            "unknown basemap kind",
            file=str(source),
            row=feature_label(gdf.index.get_loc(unknown.index[0])),
            field="kind",
            value=unknown.iloc[0],
            fix=f"use one of {', '.join(BASEMAP_KINDS)}",
        )
    gdf["cn_kp"] = gdf["cn_kp"].fillna(False).astype(bool)
    return gdf[["kind", "country", "cn_kp", "geometry"]]


# --- The world, clipped to a view ---------------------------------------------------------


@dataclass(frozen=True)
class _World:
    polygons: np.ndarray  # shapely Polygons, each country's together, in the topology's order
    polygon_boxes: np.ndarray  # (n, 4): west, south, east, north of each exterior ring
    polygon_country: np.ndarray  # the index in ``countries`` of each polygon's country
    countries: np.ndarray  # ISO 3166 alpha-2 codes ("" where CLDR names none)
    lines: np.ndarray  # shapely LineStrings: every arc of the topology
    line_boxes: np.ndarray  # (n, 4)
    line_kind: np.ndarray  # "coast" or "boundary"
    line_country: np.ndarray  # a boundary's countries joined by "–"; "" for a coast


@cache
def _world() -> _World:
    """The bundled world (``data/basemap/world-10m.npz``), read once per process.

    ``scripts/build_basemap.py`` decodes world-atlas's TopoJSON at build time and stores
    every polygon and arc as WKB; here they only become shapely geometries.
    """
    import shapely

    geometries, polygon_country, *names = read_geometries(
        inputs.bundled_path(WORLD_FILE), "polygon_country", "countries", "line_kind", "line_country"
    )
    countries, line_kind, line_country = (np.array(v.tolist(), dtype=object) for v in names)
    # The polygons come first, then the lines.
    polygons, lines = geometries[: len(polygon_country)], geometries[len(polygon_country) :]
    return _World(
        polygons,
        shapely.bounds(shapely.get_exterior_ring(polygons)),
        polygon_country,
        countries,
        lines,
        shapely.bounds(lines),
        line_kind,
        line_country,
    )


@cache
def _coarse_world(country: str = "") -> Any:
    """The world's land, coarse; or one country's (ISO code)."""
    world = _world()
    if not country:
        return simplified_world(world.polygons, world.lines[world.line_kind == "boundary"])
    index = [k for k, code in enumerate(world.countries) if code == country]
    return simplified_world(world.polygons[np.isin(world.polygon_country, index)])


@cache
def _rivers() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The bundled rivers (``data/basemap/rivers.npz``): lines, boxes, levels, border flags."""
    import shapely

    lines, levels, border = read_geometries(inputs.bundled_path(RIVERS_FILE), "level", "border")
    return lines, shapely.bounds(lines), levels, border


def rivers_in(bounds: tuple[float, float, float, float], *, max_level: int = 2) -> list[Any]:
    """The major rivers in a box and the minor ones along borders (GSHHG's WDBII), clipped.

    Parameters
    ----------
    bounds : (west, south, east, north)
        The box in degrees (WGS84).
    max_level : int, default 2
        WDBII's levels to keep: 0 double-lined rivers, 1 permanent major rivers, 2 additional
        major rivers; from :data:`bordermap.rivers.BORDER_RIVER_LEVEL` (2) up, also the minor
        rivers (3, 4) that follow an international boundary, the only minor ones bundled.

    Returns
    -------
    list of shapely.LineString
        Every river's part in the box, in the file's order (level, west to east; border last).

    Raises
    ------
    bordermap.errors.ValidationError
        Bounds that are not four finite degrees with west < east and south < north.

    Examples
    --------
    >>> from shapely.geometry import Point
    >>> yalu = rivers_in((124.2, 39.9, 124.6, 40.3))  # Dandong and Sinuiju
    >>> min(line.distance(Point(124.39, 40.12)) for line in yalu) < 0.02
    True
    """
    import shapely

    area = _checked_bounds(bounds)
    lines, boxes, levels, border = _rivers()
    hits = overlapping(boxes, area)
    minor = border[hits] & (max_level >= rivers.BORDER_RIVER_LEVEL)
    hits = hits[(levels[hits] <= max_level) | minor]
    parts: list[Any] = []  # shapely LineStrings
    for clipped in shapely.clip_by_rect(lines[hits], *area):
        parts.extend(part for part in getattr(clipped, "geoms", [clipped]) if not part.is_empty)
    return [part for part in parts if part.geom_type == "LineString"]


@cache
def _towns() -> pd.DataFrame:
    return pd.read_csv(
        inputs.bundled_path(TOWNS_FILE), keep_default_na=False, dtype={"country": str}
    )


@dataclass(frozen=True)
class BasemapView:
    """The basemap of one view: what to draw, what to label and whom to credit.

    Attributes
    ----------
    features : geopandas.GeoDataFrame
        ``kind`` (``world``: coarse land past the area, ``land``, ``lake``, ``river``,
        ``boundary``, ``coast``, in drawing order),
        ``country`` (ISO 3166 alpha-2 code; a boundary's two codes joined by "–", and a
        border river's the same as its boundary's; empty for lakes, other rivers and coast) and
        ``geometry``, clipped to the view plus its margin, simplified to what the view can
        show, in EPSG:4326.
    labels : pandas.DataFrame
        ``kind`` (``country`` or ``town``), ``name_en``, ``name_ko``, ``name_zh``, ``rank``
        (1 is labelled first; towns rank by population), ``lon``, ``lat``: points inside
        the area a map of the view shows (:func:`bordermap.placenames.label_view`), each
        country's at the heart of its part of it, towns spaced for its scale;
        ``priority``, the label placer's (countries 2, a capital 3, other towns 2 + rank:
        under every crossing and facility, which take 0 and 1); a country's ``area``, its
        land in the whole view (:func:`bordermap.placenames.name_area`), towns' None;
        ``town``, a town's row of ``towns.csv``, whose names in any language
        :func:`bordermap.placenames.town_names` gives.
    credit : str
        Names only what is drawn: Natural Earth for the shapes, GSHHG for lakes and rivers,
        GeoNames for towns.
    bounds : tuple
        The clipped area (west, south, east, north), margin included.
    """

    features: Any  # a GeoDataFrame
    labels: pd.DataFrame
    credit: str
    bounds: tuple[float, float, float, float]

    def geojson(self) -> dict:
        """The features as a GeoJSON FeatureCollection (for the page)."""
        return json.loads(self.features.to_json(drop_id=True))


def world_basemap(
    bounds: tuple[float, float, float, float],
    *,
    margin: float = 0.25,
    max_rank: int | None = None,
    avoid: Sequence[tuple[float, float]] = (),
) -> BasemapView:
    """Natural Earth land, boundaries and coast of any region, its lakes and major rivers
    (GSHHG), and context labels.

    Parameters
    ----------
    bounds : (west, south, east, north)
        The view in degrees (WGS84), e.g. the bounds of the crossings to map.
    margin : float, default 0.25
        Extra area on every side, as a share of the view's larger side (at least 0.5°), so
        that panning a little or a wider page still shows land.
    max_rank : int, optional
        Label towns of this rank or lower (1 largest); default :func:`label_rank_for`.
    avoid : sequence of (lon, lat)
        The map's symbols: country names are kept clear of them where the country has room.

    Returns
    -------
    BasemapView

    Raises
    ------
    bordermap.errors.ValidationError
        Bounds that are not four finite degrees with west ≤ east and south ≤ north (a
        point's view is widened to :data:`MIN_VIEW_DEGREES` a side).

    Examples
    --------
    >>> view = world_basemap((-117.1, 31.3, -106.4, 32.6))  # San Ysidro to El Paso
    >>> sorted(view.features.loc[view.features["kind"] == "land", "country"])
    ['MX', 'US']
    >>> sorted(view.labels.loc[view.labels["kind"] == "country", "name_ko"])
    ['멕시코', '미국']
    >>> for part in view.credit.split("; "):
    ...     print(part)
    Natural Earth (public domain)
    rivers: GSHHG/WDBII, Wessel & Smith (LGPL)
    lakes: GSHHG, Wessel & Smith (LGPL)
    towns: GeoNames (CC BY 4.0)
    """
    import geopandas as gpd
    import shapely
    from shapely.geometry import MultiPolygon
    from shapely.ops import linemerge, unary_union

    west, south, east, north = _checked_bounds(bounds)
    pad = max(margin * max(east - west, north - south), 0.5)
    area = (
        max(west - pad, -180),
        max(south - pad, -90),
        min(east + pad, 180),
        min(north + pad, 90),
    )
    # Where the place names go: the area a map of these bounds shows around them.
    named = label_view((west, south, east, north), area)
    # Simplify to about a thousandth of the area, and keep coordinates to a quarter of that:
    # finer than a page shows, coarse enough to keep a border region's page small.
    tolerance = max(area[2] - area[0], area[3] - area[1]) / 1500
    world = _world()
    rows: list[dict] = []
    labels = []
    in_lakes = _lakes_of(area)
    water = shapely.union_all(shapely.make_valid(in_lakes)) if in_lakes else None
    hits = overlapping(world.polygon_boxes, area)  # an island far off: not built at all
    for country, group in itertools.groupby(hits, key=world.polygon_country.__getitem__):
        # clip_by_rect is fast and tolerates the slightly invalid rings quantisation makes.
        shape = shapely.clip_by_rect(MultiPolygon(list(world.polygons[list(group)])), *area)
        if shape.is_empty:
            continue
        iso = world.countries[country]
        rows.append({"kind": "land", "country": iso, "geometry": shape})
        core = (west, south, east, north)
        label = country_label(iso, shape, named, avoid, water, core=core, reach=area)
        if label:
            labels.append(label)
    # Under everything, the world's land past the detailed area, coarse: zoomed or panned out,
    # the page never shows the basemap as a cut rectangle in the sea. Over it, the countries
    # filled apart in their own tone. Each runs on under the detail's land along the inside
    # of its edge: no sliver of sea where the two meet (bordermap.coarse).
    # Around the detail, the land finer than the coarse world, to a few pixels at the first
    # view's zoom (bordermap.coarse.around).
    near = around(_coarse_world(), world.polygons, world.polygon_boxes, area, 5 * tolerance)
    rows = [
        {
            "kind": "world",
            "country": iso,
            "geometry": coarse_land(
                _coarse_world(iso) if iso else near,
                area,
                edge_band([r["geometry"] for r in rows if iso in ("", r["country"])], area),
            ),
        }
        for iso in ("", *LAND_APART)
    ] + rows
    lines: dict[tuple[str, str], list] = defaultdict(list)
    for index in overlapping(world.line_boxes, area):
        lines[(world.line_kind[index], world.line_country[index])].append(world.lines[index])
    edges = []
    for (kind, pair), parts in sorted(lines.items()):
        shape = unary_union(parts)
        if shape.geom_type == "MultiLineString":
            shape = linemerge(shape)
        shape = shapely.clip_by_rect(shape, *area)
        if not shape.is_empty:
            edges.append({"kind": kind, "country": pair, "geometry": shape})
    # After the land, before the rivers: a river runs into and out of its lake.
    rows += [{"kind": "lake", "country": "", "geometry": lake} for lake in in_lakes]
    in_view = rivers_in(area, max_level=rivers.level_for((west, south, east, north)))
    # After the land, before coast and boundaries: a border river lies under its border.
    rows += [
        {"kind": "river", "country": pair, "geometry": shape}
        for pair, shape in rivers.by_border(
            in_view, [(e["country"], e["geometry"]) for e in edges if e["kind"] == "boundary"]
        )
    ]
    rows += edges
    frame = gpd.GeoDataFrame(
        rows or None, columns=["kind", "country", "geometry"], geometry="geometry", crs="EPSG:4326"
    )
    simple = shapely.simplify(frame.geometry.array, tolerance, preserve_topology=True)
    frame["geometry"] = shapely.set_precision(simple, tolerance / 4, mode="pointwise")
    frame = frame[~frame.geometry.is_empty].reset_index(drop=True)
    rank = label_rank_for((west, south, east, north)) if max_rank is None else max_rank
    towns = town_labels(_towns(), named, rank, {lang: town_names(lang) for lang in LABEL_LANGS})
    labels += towns
    label_frame = pd.DataFrame(
        labels,
        columns=[
            *("kind", "name_en", "name_ko", "name_zh", "rank", "priority", "lon", "lat"),
            *("area", "town"),
        ],
    )
    drawn = set(frame["kind"])
    credit = "; ".join(
        [BASEMAP_CREDIT] * bool(drawn - {"river", "lake"})
        + [RIVERS_CREDIT] * ("river" in drawn)
        + [lakes.LAKES_CREDIT] * ("lake" in drawn)
        + [TOWNS_CREDIT] * bool(towns)
    )
    return BasemapView(frame, label_frame, credit, area)


def _lakes_of(area: tuple[float, float, float, float]) -> list[Any]:
    """The lakes worth drawing in an area: fewer, larger ones at small scales."""
    span = max(area[2] - area[0], area[3] - area[1])
    return lakes.lakes_in(area, min_km2=0 if span <= 6 else 250 if span <= 25 else 2_000)


def _checked_bounds(bounds: Iterable[float]) -> tuple[float, float, float, float]:
    try:
        west, south, east, north = (float(v) for v in bounds)
    except (TypeError, ValueError) as exc:
        raise ValidationError(
            "bounds are not four numbers",
            field="bounds",
            value=bounds,
            fix="give (west, south, east, north) in degrees",
        ) from exc
    if not all(map(math.isfinite, (west, south, east, north))) or not (
        -180 <= west <= east <= 180 and -90 <= south <= north <= 90
    ):
        raise ValidationError(
            "bounds are not a box in degrees",
            field="bounds",
            value=bounds,
            fix="give (west, south, east, north) with west ≤ east and south ≤ north, "
            "longitudes within ±180 and latitudes within ±90",
        )
    # A view of one point (a single crossing) still needs an area to show: a side of at
    # least MIN_VIEW_DEGREES around it.
    if east - west < MIN_VIEW_DEGREES:
        middle = (west + east) / 2
        west = max(middle - MIN_VIEW_DEGREES / 2, -180.0)
        east = min(middle + MIN_VIEW_DEGREES / 2, 180.0)
    if north - south < MIN_VIEW_DEGREES:
        middle = (south + north) / 2
        south = max(middle - MIN_VIEW_DEGREES / 2, -90.0)
        north = min(middle + MIN_VIEW_DEGREES / 2, 90.0)
    return west, south, east, north


#: The smallest side of a basemap's view, in degrees (about 11 km): the view of one point.
MIN_VIEW_DEGREES = 0.1
