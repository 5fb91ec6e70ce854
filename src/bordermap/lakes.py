"""Lakes on a map: GSHHG's lake polygons, bundled in ``data/basemap/lakes.npz`` and clipped to
a view.

``scripts/build_rivers.py`` builds the file from the same GSHHG package as the rivers (its
shoreline level 2, lakes of 40 km² or more); :func:`bordermap.basemap.world_basemap` draws
what :func:`lakes_in` returns as water, in the page and the image alike.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np

from bordermap import inputs
from bordermap.store import overlapping, read_geometries

__all__ = ["LAKES_CREDIT", "LAKES_FILE", "lakes_in"]

LAKES_FILE = "basemap/lakes.npz"
LAKES_CREDIT = "lakes: GSHHG, Wessel & Smith (LGPL)"


@cache
def _lakes() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The bundled lakes: polygons, their boxes and their areas in km²."""
    import shapely

    polygons, areas = read_geometries(inputs.bundled_path(LAKES_FILE), "area_km2")
    return polygons, shapely.bounds(polygons), areas


def lakes_in(area: tuple[float, float, float, float], *, min_km2: float = 0.0) -> list[Any]:
    """The lakes in a box (west, south, east, north, degrees), clipped to it.

    Parameters
    ----------
    area : (west, south, east, north)
        The box, in degrees (WGS84).
    min_km2 : float, default 0
        Leave out lakes smaller than this (their whole area, not the part in the box).

    Returns
    -------
    list of shapely.Polygon
        Every lake's part inside the box.

    Examples
    --------
    >>> from shapely.geometry import Point
    >>> khanka = lakes_in((131.8, 44.4, 132.9, 45.5))  # on the China–Russia border
    >>> any(lake.contains(Point(132.4, 45.0)) for lake in khanka)
    True
    """
    import shapely

    polygons, boxes, areas = _lakes()
    hits = overlapping(boxes, area)
    hits = hits[areas[hits] >= min_km2]
    parts: list[Any] = []
    for clipped in shapely.clip_by_rect(polygons[hits], *area):
        parts.extend(p for p in shapely.get_parts(clipped) if p.geom_type == "Polygon")
    return [part for part in parts if not part.is_empty]
