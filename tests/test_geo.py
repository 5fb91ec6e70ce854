"""Geodesy helpers: lengths, densified lines and bearings against independent figures."""

from __future__ import annotations

import itertools
import math

import pytest

from bordermap import geo
from bordermap.errors import ValidationError

R_MEAN_KM = 6371.0088


def haversine_km(a, b) -> float:
    """Great-circle distance on the mean sphere: an independent check within ~0.5%."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * R_MEAN_KM * math.asin(math.sqrt(h))


@pytest.mark.parametrize(
    ("coords", "km"),
    [
        ([[0, 0], [0, 1]], 111.319),  # one degree of the equator (WGS84 a = 6378.137 km)
        ([[0, 0], [1, 0]], 110.574),  # one degree of meridian from the equator
        ([[0, 0], [0, 1], [0, 2]], 222.639),  # two segments add up
    ],
)
def test_length_matches_the_ellipsoid(coords, km):
    assert geo.line_length_km(coords) == pytest.approx(km, abs=0.001)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ((41.8, 123.43), (40.1164, 124.3906)),  # Shenyang → Dandong bridge
        ((43.88, 125.32), (42.9548, 129.8502)),  # Changchun → Tumen bridge
        ((40.1164, 124.3906), (40.1006, 124.3981)),  # across the Yalu, 2 km
    ],
)
def test_length_agrees_with_haversine_within_half_a_percent(a, b):
    assert geo.line_length_km([a, b]) == pytest.approx(haversine_km(a, b), rel=0.005)


def test_geodesic_line_keeps_the_ends_and_spaces_points_by_the_step():
    coords = [[41.8, 123.43], [40.1164, 124.3906], [40.1006, 124.3981]]
    line = geo.geodesic_line(coords, step_km=5)
    assert line[0] == coords[0] and line[-1] == coords[-1]
    assert coords[1] in line
    gaps = [geo.line_length_km([p, q]) for p, q in itertools.pairwise(line)]
    assert max(gaps) <= 5.0 + 1e-6
    # The drawn line is as long as the route, to the metre.
    assert sum(gaps) == pytest.approx(geo.line_length_km(coords), abs=0.001)


def test_geodesic_line_is_the_same_every_time():
    coords = [[43.88, 125.32], [42.9548, 129.8502]]
    assert geo.geodesic_line(coords) == geo.geodesic_line(coords)


@pytest.mark.parametrize(
    ("coords", "bearing"),
    [
        ([[40, 124], [41, 124]], 0.0),
        ([[0, 0], [0, 1]], 90.0),
        ([[41, 124], [40, 124]], 180.0),
        ([[0, 1], [0, 0]], 270.0),
    ],
)
def test_end_bearing_points_the_way_of_travel(coords, bearing):
    assert geo.end_bearing(coords) == pytest.approx(bearing, abs=0.01)


def test_bearing_along_a_long_east_west_line_turns_as_a_geodesic_does():
    # Going east at 60°N the geodesic leaves heading north of east and arrives south of east.
    coords = [[60, 0], [60, 40]]
    start = geo.point_along(coords, 0.0)[2]
    end = geo.end_bearing(coords)
    assert start < 90 < end
    assert geo.point_along(coords, 1.0)[2] == pytest.approx(end, abs=0.01)


def test_point_along_is_halfway_by_length():
    coords = [[0, 0], [0, 1], [0, 3]]
    lat, lon, bearing = geo.point_along(coords, 0.5)
    assert (lat, lon) == pytest.approx((0.0, 1.5), abs=1e-6)
    assert bearing == pytest.approx(90.0)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: geo.line_length_km([[0, 0]]), "at least two points"),
        (lambda: geo.line_length_km([[124.39, 40.11], [0, 0]]), "not a [lat, lon] point"),
        (lambda: geo.geodesic_line([[0, 0], [0, 1]], step_km=0), "step must be positive"),
        (lambda: geo.point_along([[0, 0], [0, 1]], 1.5), "between 0 and 1"),
    ],
)
def test_bad_input_is_a_bordermap_error(call, message):
    with pytest.raises(ValidationError, match=None) as info:
        call()
    assert message in str(info.value)
