"""Geodesy on the WGS84 ellipsoid (pyproj ``Geod``): route lengths, lines to draw, bearings.

Every function takes and returns points as ``[lat, lon]`` in degrees, the order Leaflet
and the map descriptions use. Bearings are degrees clockwise from north, in ``[0, 360)``.
Web Mercator is conformal, so a geodesic bearing is also the angle to rotate a symbol by on
the map.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

from pyproj import Geod

from bordermap.errors import ValidationError

__all__ = ["end_bearing", "geodesic_line", "line_length_km", "point_along"]

GEOD = Geod(ellps="WGS84")
DEFAULT_STEP_KM = 5.0

Point = Sequence[float]


def _checked(coords: Sequence[Point]) -> list[tuple[float, float]]:
    points = [(float(p[0]), float(p[1])) for p in coords]
    if len(points) < 2:
        raise ValidationError(
            "a line needs at least two points", field="coords", value=[list(p) for p in points]
        )
    for lat, lon in points:
        if not (-90 <= lat <= 90 and -180 <= lon <= 180) or math.isnan(lat + lon):
            raise ValidationError(
                "not a [lat, lon] point", field="coords", value=[lat, lon], fix="give [lat, lon]"
            )
    return points


def _segments_m(points: list[tuple[float, float]]) -> list[float]:
    return [GEOD.inv(a[1], a[0], b[1], b[0])[2] for a, b in itertools.pairwise(points)]


def line_length_km(coords: Sequence[Point]) -> float:
    """Geodesic length of a polyline in kilometres.

    Parameters
    ----------
    coords : sequence of [lat, lon]
        Two or more points.

    Returns
    -------
    float

    Examples
    --------
    >>> round(line_length_km([[0, 0], [0, 1]]), 1)  # one degree of the equator
    111.3
    """
    return sum(_segments_m(_checked(coords))) / 1000.0


def geodesic_line(coords: Sequence[Point], step_km: float = DEFAULT_STEP_KM) -> list[list[float]]:
    """The polyline with points added along each geodesic, at most ``step_km`` apart.

    Every input point is kept; coordinates are rounded to 6 decimals (about 0.1 m) so the
    same input always gives the same output.

    Parameters
    ----------
    coords : sequence of [lat, lon]
        Two or more points.
    step_km : float, default 5
        Largest gap between consecutive output points.

    Returns
    -------
    list of [lat, lon]

    Examples
    --------
    >>> line = geodesic_line([[40.0, 124.0], [41.0, 125.0]], step_km=20)
    >>> len(line), line[0], line[-1]
    (8, [40.0, 124.0], [41.0, 125.0])
    """
    points = _checked(coords)
    if step_km <= 0:
        raise ValidationError("step must be positive", field="step_km", value=step_km)
    out = [[round(points[0][0], 6), round(points[0][1], 6)]]
    for (a, b), metres in zip(itertools.pairwise(points), _segments_m(points), strict=True):
        n = max(math.ceil(metres / (step_km * 1000.0)) - 1, 0)
        between = GEOD.npts(a[1], a[0], b[1], b[0], n) if n else []
        out += [[round(lat, 6), round(lon, 6)] for lon, lat in between]
        out.append([round(b[0], 6), round(b[1], 6)])
    return out


def end_bearing(coords: Sequence[Point]) -> float:
    """Direction of travel at the last point of a polyline (for an arrowhead there).

    Examples
    --------
    >>> round(end_bearing([[40.0, 124.0], [41.0, 124.0]]), 1)  # heading north
    0.0
    >>> round(end_bearing([[0.0, 1.0], [0.0, 0.0]]), 1)  # heading west
    270.0
    """
    points = _checked(coords)
    a, b = points[-2], points[-1]
    back = GEOD.inv(a[1], a[0], b[1], b[0])[1]
    return (back + 180.0) % 360.0


def point_along(coords: Sequence[Point], fraction: float = 0.5) -> tuple[float, float, float]:
    """The point a given fraction of the way along a polyline, and the bearing there.

    Parameters
    ----------
    coords : sequence of [lat, lon]
        Two or more points.
    fraction : float, default 0.5
        0 is the first point, 1 the last.

    Returns
    -------
    (lat, lon, bearing_deg)

    Examples
    --------
    >>> lat, lon, bearing = point_along([[0, 0], [0, 2]], 0.5)
    >>> round(lat, 6), round(lon, 6), round(bearing, 1)
    (0.0, 1.0, 90.0)
    """
    points = _checked(coords)
    if not 0.0 <= fraction <= 1.0:
        raise ValidationError("fraction must be between 0 and 1", field="fraction", value=fraction)
    lengths = _segments_m(points)
    target = fraction * sum(lengths)
    for (a, b), metres in zip(itertools.pairwise(points), lengths, strict=True):
        if target <= metres or b == points[-1]:
            azimuth = GEOD.inv(a[1], a[0], b[1], b[0])[0]
            lon, lat, back = GEOD.fwd(a[1], a[0], azimuth, min(target, metres))
            return lat, lon, (back + 180.0) % 360.0
        target -= metres
    raise AssertionError("unreachable")  # pragma: no cover
