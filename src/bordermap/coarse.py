"""The whole world's land, coarse: what a page shows past its basemap's detailed area.

A page's basemap is detailed only around its view (plus a margin); zoomed or panned further
out it would float as a cut rectangle in the sea. Under it the page draws every country's
land simplified to a degree (about 50 kB for the world), so there is land wherever there
is land, and detail where the map is.

Land must run on across the detailed area's edge at every zoom, with no sliver of sea: the
coarse land is cut at the edge at full precision (not on its own coarse grid), it runs on
under the detail's own land along the inside of the edge (no anti-aliased seam where two
shapes meet), and the gaps that simplifying neighbours apart opens along their common border
are closed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from bordermap.store import overlapping

__all__ = ["TOLERANCE_DEG", "around", "coarse_land", "edge_band", "simplified_world"]

# A degree is a few pixels at the zooms where this layer shows (the world at zoom 2–4).
TOLERANCE_DEG = 1.0
# How far from a border a gap between two neighbours simplified apart can reach: each side
# moves up to the tolerance, snapping a quarter more.
_GAP_DEG = 1.25 * TOLERANCE_DEG


def simplified_world(polygons: np.ndarray, borders: np.ndarray | None = None) -> Any:
    """All the polygons as one coarse shape: simplified to a degree, specks left out.

    Parameters
    ----------
    polygons : numpy.ndarray of shapely polygons
        The countries' land.
    borders : numpy.ndarray of shapely lines, optional
        The land borders between them. Each country is simplified on its own (joining the
        world's 10m land into one shape first takes seconds), so two neighbours' simplified
        edges part along their border and leave slivers of sea there, and a country under
        a square degree is left out; with the borders, those gaps are filled with the land
        that is there.

    Returns
    -------
    shapely geometry
        With no precision grid of its own: cutting it later cuts at full precision.

    Examples
    --------
    >>> from shapely.geometry import LineString, box
    >>> world = simplified_world(np.array([box(0, 0, 10, 10), box(20, 0, 20.1, 0.1)]))
    >>> world.area
    100.0
    >>> # No grid of its own: cut at 2.1 and 3.9, it is cut there, not at 2 and 4.
    >>> round(coarse_land(world, (2.1, 2.1, 3.9, 3.9)).area, 6)
    96.76
    >>> # Between two countries, one under a square degree: a speck, left out.
    >>> three = np.array([box(0, 0, 5, 3), box(5, 0, 5.25, 3), box(5.25, 0, 10, 3)])
    >>> simplified_world(three).geom_type, simplified_world(three).area
    ('MultiPolygon', 29.25)
    >>> borders = np.array([LineString([(x, 0), (x, 3)]) for x in (5, 5.25)])
    >>> closed = simplified_world(three, borders)
    >>> closed.geom_type, round(closed.area, 6)
    ('Polygon', 30.0)
    """
    import shapely

    shapes = shapely.simplify(polygons, TOLERANCE_DEG, preserve_topology=True)
    shapes = shapes[~shapely.is_empty(shapes)]
    shapes = shapes[shapely.area(shapes) > TOLERANCE_DEG**2]  # islands under a pixel
    world = shapely.union_all(shapely.set_precision(shapes, TOLERANCE_DEG / 4, mode="pointwise"))
    if borders is not None and len(borders):
        world = _gaps_closed(world, polygons, borders)
    # The grid above is the layer's own: a cut along the detailed area must not snap to it.
    return shapely.set_precision(world, 0)


def _gaps_closed(world: Any, polygons: np.ndarray, borders: np.ndarray) -> Any:
    """``world`` with the slivers of sea along the ``borders`` filled with the land there.

    A morphological closing (grow, then shrink back) fills what is narrower than twice the
    distance; kept to the borders' surroundings and to where the ``polygons`` have land (a
    closing also fills a bay or a strait by a border), it fills the slivers and nothing else.
    Simplified once more as one shape, they cannot open again.
    """
    import shapely

    closed = shapely.buffer(shapely.buffer(world, _GAP_DEG, quad_segs=2), -_GAP_DEG, quad_segs=2)
    lines = shapely.simplify(borders, TOLERANCE_DEG / 4)
    near = shapely.union_all(shapely.buffer(lines, _GAP_DEG, quad_segs=2))
    gaps = shapely.get_parts(shapely.difference(shapely.intersection(closed, near), world))
    boxes = shapely.bounds(polygons)
    filled = [world]
    for gap in gaps[shapely.area(gaps) > 0]:
        land = _land_in(polygons[overlapping(boxes, gap.bounds)], gap.bounds)
        filled.append(shapely.intersection(gap, land))
    return shapely.simplify(shapely.union_all(filled), TOLERANCE_DEG / 4, preserve_topology=True)


def around(
    world: Any,
    polygons: np.ndarray,
    boxes: np.ndarray,
    detailed: tuple[float, float, float, float],
    tolerance: float,
) -> Any:
    """``world`` with, around the ``detailed`` area (half its larger side again on every
    side), the land of the ``polygons`` (their ``boxes``: west, south, east, north) instead
    of its own, simplified to ``tolerance`` degrees.

    The coarse world is a degree off, hundreds of pixels at the zooms that show the detailed
    area's edge: around it, the coast past the edge is where it is.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> coarse = box(0, 0, 20, 10)  # a coast a degree off: the land ends at 19
    >>> land = np.array([box(0, 0, 19, 10)])
    >>> near = around(coarse, land, np.array([land[0].bounds]), (14, 3, 18, 7), 0.01)
    >>> near.bounds, near.area  # within two degrees of the area, the land ends at 19
    ((0.0, 0.0, 20.0, 10.0), 192.0)
    """
    import shapely

    west, south, east, north = detailed
    reach = max(east - west, north - south) / 2
    ring = (
        max(west - reach, -180),
        max(south - reach, -90),
        min(east + reach, 180),
        min(north + reach, 90),
    )
    land = _land_in(polygons[overlapping(boxes, ring)], ring)
    land = shapely.simplify(land, tolerance, preserve_topology=True)
    return shapely.union_all([shapely.difference(world, shapely.box(*ring)), land])


def coarse_land(world: Any, detailed: tuple[float, float, float, float], under: Any = None) -> Any:
    """The coarse ``world`` outside the ``detailed`` area (west, south, east, north), and
    ``under`` it the detailed land along the inside of its edge.

    ``under`` is the detail's own land near the edge (:func:`edge_band`): drawn under
    the detail, it carries the land on across the edge, so no anti-aliased seam of sea shows
    where the coarse land ends and the detail begins.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> coarse_land(box(0, 0, 10, 10), (2, 2, 4, 4)).area
    96.0
    >>> coarse_land(box(0, 0, 10, 10), (0, 0, 10, 10)).is_empty
    True
    >>> coarse_land(box(0, 0, 10, 10), (2, 2, 4, 4), box(2, 2, 2.5, 4)).area
    97.0
    """
    import shapely
    from shapely.geometry import MultiPolygon

    # Only areas: a cut along the box's edge may leave slivers of line or point.
    rest = shapely.difference(world, shapely.box(*detailed))
    if under is not None and not under.is_empty:
        rest = shapely.union_all([rest, under])
    parts = shapely.get_parts(rest)
    return MultiPolygon([p for p in parts if p.geom_type == "Polygon" and not p.is_empty])


def edge_band(
    land: Sequence[Any], detailed: tuple[float, float, float, float], share: float = 0.01
) -> Any:
    """The parts of the ``land`` shapes inside the ``detailed`` area within ``share`` of its
    larger side from its edge, as one shape: what :func:`coarse_land` runs on under the
    detail.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> round(edge_band([box(-5, -5, 5, 5), box(0, 0, 2, 2)], (0, 0, 100, 100)).area, 6)
    9.0
    """
    west, south, east, north = detailed
    width = share * max(east - west, north - south)
    strips = [
        (west, south, west + width, north),
        (east - width, south, east, north),
        (west, south, east, south + width),
        (west, north - width, east, north),
    ]
    return _land_in(land, *strips)


def _land_in(shapes: Sequence[Any], *rects: tuple[float, float, float, float]) -> Any:
    """The parts of ``shapes`` inside any of the ``rects`` (west, south, east, north), as one
    valid shape.

    clip_by_rect tolerates the slightly invalid rings quantisation makes; make_valid then
    lets the pieces be joined (overlapping parts of one path would cancel out when drawn).
    """
    import shapely

    pieces = [shapely.clip_by_rect(shape, *rect) for shape in shapes for rect in rects]
    return shapely.union_all(shapely.make_valid(np.array(pieces, dtype=object)))
