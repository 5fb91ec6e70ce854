"""Rivers on a map: which WDBII levels a view's scale shows, and which rivers are border rivers.

The rivers themselves are GSHHG's, bundled and clipped by :func:`bordermap.basemap.rivers_in`;
:func:`bordermap.basemap.world_basemap` draws what this module selects.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from shapely.geometry import LineString
    from shapely.geometry.base import BaseGeometry

__all__ = ["BORDER_RIVER_LEVEL", "by_border", "level_for"]

#: The minor rivers that follow an international border (WDBII levels 3 and 4, bundled only
#: there) are drawn with the additional major rivers (level 2): in every view that shows the
#: major rivers of its region, never in a continent's.
BORDER_RIVER_LEVEL = 2


def level_for(bounds: tuple[float, float, float, float]) -> int:
    """The WDBII river levels worth drawing in a view: fewer rivers at small scales. A view
    of level :data:`BORDER_RIVER_LEVEL` also draws the minor rivers along its borders.

    Examples
    --------
    >>> level_for((124, 39, 131, 44)), level_for((-130, 10, -60, 55))
    (2, 1)
    """
    west, south, east, north = bounds
    return 1 if max(east - west, north - south) > 30 else 2


def by_border(
    rivers: Sequence[LineString],
    boundaries: Sequence[tuple[str, BaseGeometry]],
    near: float = 0.025,
) -> list[tuple[str, BaseGeometry]]:
    """Rivers split into border rivers, under their boundary's name, and the rest, under "".

    Natural Earth and WDBII draw a border river up to a few kilometres apart, so a part
    within ``near`` degrees (about 2.5 km) of a boundary follows it; a part shorter than
    four times that only crosses it.

    Parameters
    ----------
    rivers : sequence of shapely.LineString
        The rivers of a view (:func:`bordermap.basemap.rivers_in`).
    boundaries : sequence of (str, shapely geometry)
        Each boundary's name (its countries' codes joined by "–") and its lines.
    near : float, default 0.025
        How far (degrees) a river may lie from a boundary and still follow it.

    Returns
    -------
    list of (str, shapely geometry)
        ``("", rest)`` first if any river does not follow a boundary, then each boundary's
        name with the rivers that follow it.

    Examples
    --------
    >>> from shapely.geometry import LineString
    >>> border = LineString([(0, 0), (0, 1)])
    >>> along, across = LineString([(0.01, 0), (0.01, 1)]), LineString([(-1, 0.5), (1, 0.5)])
    >>> [(name, round(lines.length, 2)) for name, lines in by_border([along, across],
    ...                                                              [("AA–BB", border)])]
    [('', 2.0), ('AA–BB', 1.0)]
    """
    from shapely.geometry import MultiLineString

    if not rivers:
        return []
    rest: BaseGeometry = MultiLineString(list(rivers))
    pairs: list[tuple[str, BaseGeometry]] = []
    for name, boundary in boundaries:
        zone = boundary.buffer(near)
        inside = rest.intersection(zone)
        along = [
            part
            for part in getattr(inside, "geoms", [inside])
            if part.geom_type == "LineString" and part.length >= 4 * near
        ]
        if along:
            following = MultiLineString(along)
            pairs.append((name, following))
            rest = rest.difference(following.buffer(near / 100))
    return [("", rest), *pairs] if not rest.is_empty else pairs
