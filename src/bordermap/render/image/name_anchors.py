"""Where a country's name may go in the print image: the page's rule for its own frame.

A country's name carries its land in the whole basemap area (``Label.area``, from
:func:`bordermap.placenames.name_area`). The page finds, for the screen a reader has, the
deepest point of the land shown in each ninth of the view and lets the label placer take the
deepest one that is free (``render/leaflet/web/name_anchors.js``); the image does the same for
its frame, so a name stands once on its land wherever the frame shows it, not at one point
chosen before the frame was known.

The two cannot share code: the page runs in a browser without GEOS, so it searches a grid of
the view by hand; here shapely's ``maximum_inscribed_circle`` finds the deepest point of the
land's part in each ninth (kept off that ninth's edges too, where the page's grid may put a
point on them), and its distance to the land's edge, the frame's, the scale bar and north
arrow and the routes is its clearance, as on the page.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import shapely

from bordermap.render.image.placer import UnplacedLabel
from bordermap.screen import Rect, Viewport

__all__ = ["Anchor", "name_anchors", "named_label"]

# How wide a route is cut out of the land (px): the anchor is never on a route, and its
# clearance is measured to the route's middle line, as the page measures it.
_ROUTE_CUT = 0.5

ToPixels = Callable[[Sequence[float], Sequence[float]], np.ndarray]
"""Longitudes and latitudes to the frame's pixels: an (n, 2) array of x, y (y down)."""


@dataclass(frozen=True)
class Anchor:
    """A point for a name, in the frame's pixels, and its ``clearance``: how far it lies
    from the nearest edge of the land shown, the frame, a mark or a route."""

    x: float
    y: float
    clearance: float


def name_anchors(
    rings: Sequence[np.ndarray],
    viewport: Viewport,
    walls: Sequence[Rect] = (),
    lines: Sequence[np.ndarray] = (),
    height: float = 0.0,
) -> list[Anchor]:
    """The deepest point of the land shown in each ninth of the frame, deepest first.

    Parameters
    ----------
    rings : sequence of (n, 2) arrays
        The land's rings in the frame's pixels, outer rings and holes alike: a point is on
        the land where an odd number of rings holds it.
    viewport : Viewport
        The frame's size in pixels.
    walls : sequence of Rect
        Boxes no name may cover (the scale bar, the north arrow): not land.
    lines : sequence of (n, 2) arrays
        The routes drawn, in pixels: no anchor lies on one.
    height : float
        The name's height (px): a ninth whose land is thinner than it has no anchor.

    Returns
    -------
    list of Anchor
        At most nine, the one of most clearance first.

    Examples
    --------
    Land over the left half of a 300 × 300 frame, a route down its middle: an anchor in
    each of the three left ninths, and three in the middle ninths of the land west of 150.

    >>> land = [np.array([(0, 0), (150, 0), (150, 300), (0, 300), (0, 0)])]
    >>> route = [np.array([(50, 0), (50, 300)])]
    >>> found = name_anchors(land, Viewport(300, 300), lines=route, height=10)
    >>> len(found), [round(a.clearance) for a in found][:3]
    (6, [25, 25, 25])
    >>> name_anchors(land, Viewport(300, 300), lines=route, height=60)
    []
    """
    width, tall = viewport.width, viewport.height
    frame = shapely.box(0, 0, width, tall)
    # Odd-even: the symmetric difference of every ring's polygon (the rings never cross:
    # they are one valid shape's), as the page's point-in-rings count.
    parts = [shapely.make_valid(shapely.Polygon(ring)) for ring in rings if len(ring) >= 4]
    if not parts:
        return []
    land = functools.reduce(shapely.symmetric_difference, parts)
    room = _polygonal(shapely.intersection(land, frame))
    if walls:
        boxes = [shapely.box(w.x, w.y, w.x + w.width, w.y + w.height) for w in walls]
        room = _polygonal(shapely.difference(room, shapely.union_all(boxes)))
    paths = [shapely.LineString(line) for line in lines if len(line) >= 2]
    edges = shapely.union_all([shapely.boundary(room), *paths])
    if paths:
        cut = shapely.buffer(shapely.union_all(paths), _ROUTE_CUT)
        room = _polygonal(shapely.difference(room, cut))
    anchors = []
    for row in range(3):
        for column in range(3):
            cell = shapely.box(
                column * width / 3, row * tall / 3, (column + 1) * width / 3, (row + 1) * tall / 3
            )
            piece = _polygonal(shapely.intersection(room, cell))
            if piece.is_empty:
                continue
            circle = shapely.maximum_inscribed_circle(piece, tolerance=1.0)
            centre = shapely.get_point(circle, 0)
            clearance = float(shapely.distance(centre, edges))
            if clearance >= height / 2:
                anchors.append(Anchor(float(centre.x), float(centre.y), clearance))
    return sorted(anchors, key=lambda anchor: -anchor.clearance)


def named_label(
    label: UnplacedLabel,
    area: Sequence[Sequence[float]],
    to_pixels: ToPixels,
    viewport: Viewport,
    walls: Sequence[Rect] = (),
    lines: Sequence[np.ndarray] = (),
) -> list[UnplacedLabel]:
    """A country's name at each of its anchors in the frame: one group for the placer,
    which shows it at one of them, or none (no land shown where it fits: hidden).

    ``area`` is the label's land as flat ``lon, lat`` rings; each copy's id is the label's
    with ``~`` and the anchor's rank, its group ``name:`` and the label's id.

    Examples
    --------
    Land over the whole frame: a name at each ninth's middle, the middle ninth's first.

    >>> square = [(0.0, 0.0, 30.0, 0.0, 30.0, 30.0, 0.0, 30.0, 0.0, 0.0)]
    >>> flat = lambda lons, lats: np.column_stack([lons, lats]) * 10
    >>> name = UnplacedLabel("7", x=0, y=0, radius=0, width=40, height=12, priority=2)
    >>> found = named_label(name, square, flat, Viewport(300, 300))
    >>> len(found), found[0].id, found[0].group, round(found[0].x), round(found[0].clearance)
    (9, '7~0', 'name:7', 150, 150)
    """
    rings = [to_pixels(ring[0::2], ring[1::2]) for ring in area]
    found = name_anchors(rings, viewport, walls, lines, label.height)
    return [
        replace(
            label,
            id=f"{label.id}~{rank}",
            x=anchor.x,
            y=anchor.y,
            group=f"name:{label.id}",
            clearance=anchor.clearance,
        )
        for rank, anchor in enumerate(found)
    ]


def _polygonal(shape: Any) -> Any:
    """The polygons of a shape (an intersection may add lines and points where edges touch)."""
    parts = shapely.get_parts(shape)
    polygons = [g for g in shapely.get_parts(parts) if g.geom_type == "Polygon" and not g.is_empty]
    return shapely.MultiPolygon(polygons) if polygons else shapely.MultiPolygon()
