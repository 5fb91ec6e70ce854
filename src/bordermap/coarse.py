"""The whole world's land, coarse: what a page shows past its basemap's detailed area.

A page's basemap is detailed only around its view (plus a margin); zoomed or panned further
out it would float as a cut rectangle in the sea. Under it the page draws every country's
land simplified to a degree (about 50 kB for the world), so there is land wherever there
is land, and detail where the map is.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["TOLERANCE_DEG", "coarse_land", "simplified_world"]

# A degree is a few pixels at the zooms where this layer shows (the world at zoom 2–4).
TOLERANCE_DEG = 1.0


def simplified_world(polygons: np.ndarray) -> Any:
    """All the polygons as one coarse shape: simplified to a degree, specks left out.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> simplified_world(np.array([box(0, 0, 10, 10), box(20, 0, 20.1, 0.1)])).area
    100.0
    """
    import shapely

    shapes = shapely.simplify(polygons, TOLERANCE_DEG, preserve_topology=True)
    shapes = shapes[~shapely.is_empty(shapes)]
    shapes = shapes[shapely.area(shapes) > TOLERANCE_DEG**2]  # islands under a pixel
    return shapely.union_all(shapely.set_precision(shapes, TOLERANCE_DEG / 4, mode="pointwise"))


def coarse_land(world: Any, detailed: tuple[float, float, float, float]) -> Any:
    """The coarse ``world`` outside the ``detailed`` area (west, south, east, north).

    Examples
    --------
    >>> from shapely.geometry import box
    >>> coarse_land(box(0, 0, 10, 10), (2, 2, 4, 4)).area
    96.0
    >>> coarse_land(box(0, 0, 10, 10), (0, 0, 10, 10)).is_empty
    True
    """
    import shapely
    from shapely.geometry import MultiPolygon

    # Only areas: a cut along the box's edge may leave slivers of line or point.
    rest = shapely.get_parts(shapely.difference(world, shapely.box(*detailed)))
    return MultiPolygon([p for p in rest if p.geom_type == "Polygon" and not p.is_empty])
