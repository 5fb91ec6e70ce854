"""Which places a view names, and where: each country at the heart of its visible part, the
capital and the largest towns spaced for the view's scale.

:func:`bordermap.basemap.world_basemap` calls these for the labels of its
:class:`~bordermap.basemap.BasemapView`; :mod:`bordermap.context` turns them into the map's
labels.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import pandas as pd

__all__ = [
    "LABEL_LANGS",
    "country_label",
    "label_rank_for",
    "label_view",
    "name_area",
    "town_labels",
]

#: The languages a basemap label carries a name in (CLDR's, through Babel).
LABEL_LANGS = ("en", "ko", "zh")
#: How far past the data a map shows, as a share of the data's larger side: the print image
#: pads its frame about this much, and a page's first view at least as much.
VIEW_PAD = 0.2
#: The shape (width / height) of the area a map shows: the print image's map frame is about
#: this wide for its height (render/image/draw.py), a desktop page wider, a phone narrower.
VIEW_ASPECT = 1.3
#: How far from every symbol a country's name is kept, as a share of the view's larger side.
CLEAR_OF_SYMBOLS = 0.1
#: The most towns a view names, and how far apart at least (a share of its larger side).
MAX_TOWNS = 14
TOWN_SPACING = 0.1


def label_rank_for(bounds: tuple[float, float, float, float]) -> int:
    """The largest town rank worth labelling in a view: fewer towns at small scales.

    Rank 1 is 2 million people or more, 2 half a million, 3 150,000, 4 50,000 and 5 5,000
    (``scripts/build_basemap.py``): a view of a few kilometres names its villages.

    Examples
    --------
    >>> label_rank_for((-118, 30, -105, 34)), label_rank_for((-130, 10, -60, 55))
    (3, 1)
    >>> label_rank_for((97, 13, 101, 21))  # Thailand–Myanmar: towns of 50,000
    4
    >>> label_rank_for((35.7, 50.55, 35.85, 50.65))  # Kolotilovka: 10 km
    5
    """
    west, south, east, north = bounds
    span = max(east - west, north - south)
    # Spacing (town_labels) keeps the towns of a rank apart: a rank may be named in a view of
    # a few times its towns' spacing.
    return 1 if span > 60 else 2 if span > 20 else 3 if span > 10 else 4 if span > 1.5 else 5


def label_view(
    bounds: tuple[float, float, float, float], within: tuple[float, float, float, float]
) -> tuple[float, float, float, float]:
    """The area a map of ``bounds`` shows around them, inside ``within``: where its place
    names go.

    ``VIEW_PAD`` of the larger side on every side, then widened (in kilometres) to the print
    image's landscape shape, ``VIEW_ASPECT``: the image and a desktop page widen a tall
    area to their shape, and a phone crops what it cannot show.

    Examples
    --------
    >>> [round(v, 1) for v in label_view((0, 0, 10, 4), (-5, -5, 15, 15))]
    [-2.0, -3.4, 12.0, 7.4]
    """
    west, south, east, north = bounds
    shrink = math.cos(math.radians((south + north) / 2))  # a degree of longitude, in latitude's
    pad = VIEW_PAD * max((east - west) * shrink, north - south)
    half_x, half_y = (east - west) * shrink / 2 + pad, (north - south) / 2 + pad
    half_x, half_y = max(half_x, half_y * VIEW_ASPECT), max(half_y, half_x / VIEW_ASPECT)
    lon, lat = (west + east) / 2, (south + north) / 2
    return (
        max(lon - half_x / shrink, within[0]),
        max(lat - half_y, within[1]),
        min(lon + half_x / shrink, within[2]),
        min(lat + half_y, within[3]),
    )


def country_label(
    iso: str,
    land: Any,
    view: tuple[float, float, float, float],
    avoid: Sequence[tuple[float, float]] = (),
    water: Any = None,
    core: tuple[float, float, float, float] | None = None,
    reach: tuple[float, float, float, float] | None = None,
) -> dict[str, Any] | None:
    """A country's name at the heart of its part of the view, if enough of it shows.

    The point is the pole of inaccessibility (the centre of GEOS's maximum inscribed
    circle) of the country's largest part inside the view, away from the view's edges and
    from the ``avoid`` points (the map's symbols, which carry labels of their own) where the
    country has room: the name stands inside the land it names, wherever the view cuts it.
    Where the country covers enough of the ``core`` (the data's own box, which every screen
    shows, however it crops the rest), its name stands there.

    Parameters
    ----------
    iso : str
        ISO 3166 alpha-2 code (CLDR names it in each of ``LABEL_LANGS``).
    land : shapely geometry
        The country's land (at least its part near the view).
    view : (west, south, east, north)
        The area the map shows.
    avoid : sequence of (lon, lat)
        Points to keep clear of.
    water : shapely geometry, optional
        Lakes inside the land: the name stands on the land beside them.
    core : (west, south, east, north), optional
        The part of the view every screen shows.
    reach : (west, south, east, north), optional
        The most a page shows at first, on any screen: the name comes with ``area``, the
        country's land there (:func:`name_area`), for a page to name it wherever a screen
        shows it, and stands at its heart there if the country is not in the view.

    Returns
    -------
    dict or None
        ``kind``, ``name_<lang>``, ``rank``, ``priority``, ``lon``, ``lat`` (and ``area``);
        None where the country covers under half a percent of the view (and has no land in
        ``reach``) or CLDR does not name it.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> label = country_label("UA", box(0, 0, 10, 10), (6, 3, 20, 7))
    >>> label["name_en"], round(label["lon"], 1), round(label["lat"], 1)
    ('Ukraine', 8.0, 5.0)
    """
    from babel import Locale

    if not iso:
        return None
    names = {f"name_{lang}": Locale.parse(lang).territories.get(iso) for lang in LABEL_LANGS}
    if not all(names.values()):
        return None
    boxes = [(core, 0.03)] if core is not None else []
    boxes += [(view, 0.005)] + ([(reach, 0.0)] if reach is not None else [])
    for box, share in boxes:
        point = _heart(land, box, share, avoid, water)
        if point is not None:
            lon, lat = point
            label = {"kind": "country", **names, "rank": 1, "priority": 2, "lon": lon, "lat": lat}
            if reach is not None:
                label["area"] = name_area(land, reach, water)
            return label
    return None


def name_area(
    land: Any, box: tuple[float, float, float, float], water: Any = None
) -> tuple[tuple[float, ...], ...]:
    """A country's land in the box, less its lakes, as rings of flat ``lon, lat`` runs:
    simplified to a four-hundredth of the box (a name needs room, not a coastline), each
    ring closed, outer rings and holes alike (a point is inside where an odd number of
    rings holds it).

    Examples
    --------
    >>> from shapely.geometry import box
    >>> name_area(box(0, 0, 10, 10).difference(box(4, 4, 6, 6)), (-1, -1, 5, 11))
    ((0.0, 0.0, 0.0, 10.0, 5.0, 10.0, 5.0, 6.0, 4.0, 6.0, 4.0, 4.0, 5.0, 4.0, 5.0, 0.0, 0.0, 0.0),)
    """
    import shapely

    shape = shapely.make_valid(shapely.clip_by_rect(land, *box))
    if water is not None and not shape.is_empty:
        shape = shapely.make_valid(shape.difference(shapely.make_valid(water)))
    tolerance = max(box[2] - box[0], box[3] - box[1]) / 400
    shape = shapely.simplify(shape, tolerance, preserve_topology=True)
    polygons = [g for g in shapely.get_parts(shape) if g.geom_type.endswith("Polygon")]
    rings = []
    for polygon in shapely.get_parts(polygons) if polygons else []:
        for ring in (polygon.exterior, *polygon.interiors):
            coords = shapely.get_coordinates(ring).round(3)
            if len(coords) >= 4:
                rings.append(tuple(float(v) for v in coords.ravel()))
    return tuple(rings)


def _heart(
    land: Any,
    box: tuple[float, float, float, float],
    share: float,
    avoid: Sequence[tuple[float, float]],
    water: Any,
) -> tuple[float, float] | None:
    """The pole of inaccessibility of the land's largest part in the box, if the land
    covers ``share`` of it or more."""
    import shapely

    visible = shapely.make_valid(shapely.clip_by_rect(land, *box))
    if water is not None and not visible.is_empty:
        visible = shapely.make_valid(visible.difference(shapely.make_valid(water)))
    if visible.is_empty or visible.area < share * (box[2] - box[0]) * (box[3] - box[1]):
        return None
    clear = visible
    if avoid:
        # Keep clear of the symbols where the country has room; where it has none (a narrow
        # strip under a crossing), its name stands on the land all the same.
        reach = CLEAR_OF_SYMBOLS * max(box[2] - box[0], box[3] - box[1])
        rest = visible.difference(shapely.buffer(shapely.multipoints(list(avoid)), reach))
        if rest.area >= 0.25 * visible.area:
            clear = rest
    # make_valid may give a collection of (multi)polygons and lines: its polygons, one by one.
    areas = [g for g in shapely.get_parts(clear) if g.geom_type.endswith("Polygon")]
    parts = list(shapely.get_parts(areas)) if areas else []
    if not parts:  # a sliver of land cut along the box's edge
        return None
    largest = max(parts, key=lambda part: part.area)
    # The centre of the largest circle inside it: as far from every edge as the part allows.
    circle = shapely.maximum_inscribed_circle(largest, tolerance=math.sqrt(largest.area) / 50)
    point = shapely.get_point(circle, 0)
    return float(point.x), float(point.y)


def town_labels(
    towns: pd.DataFrame, view: tuple[float, float, float, float], max_rank: int
) -> list[dict[str, Any]]:
    """The towns a view names: the capital, then the largest, none crowding another.

    A town closer to one already named than ``TOWN_SPACING`` of the view's larger side is left
    out (a suburb beside its city, a village beside a town): at the scale of the view its
    name would sit on the larger one's.

    Parameters
    ----------
    towns : pandas.DataFrame
        ``name``, ``lon``, ``lat``, ``population``, ``rank`` (1 largest), ``capital`` (1 for a
        country's capital), as ``data/basemap/towns.csv``.
    view : (west, south, east, north)
        The area the map shows.
    max_rank : int
        The largest rank to name (:func:`label_rank_for`).

    Returns
    -------
    list of dict
        ``kind`` ``town``, ``name_<lang>`` (the one name GeoNames' package carries),
        ``rank``, ``priority`` (a capital 3, then by rank), ``lon``, ``lat``; the capital and
        the largest first.

    Examples
    --------
    >>> towns = pd.DataFrame({"name": ["Bangkok", "Pak Kret", "Mae Sot"],
    ...     "lon": [100.50, 100.50, 98.57], "lat": [13.75, 13.91, 16.72],
    ...     "population": [5_104_476, 182_926, 44_563], "rank": [1, 3, 5], "capital": [1, 0, 0]})
    >>> [t["name_en"] for t in town_labels(towns, (97.0, 13.0, 101.0, 17.0), 5)]
    ['Bangkok', 'Mae Sot']
    """
    west, south, east, north = view
    inside = towns[
        towns["lon"].between(west, east)
        & towns["lat"].between(south, north)
        & (towns["rank"] <= max_rank)
    ].sort_values(["capital", "population"], ascending=False, kind="stable")
    # A degree of longitude is cos(latitude) of one of latitude: distances in the view's
    # own proportions, as a map in an equal-area projection around it shows them.
    shrink = math.cos(math.radians((south + north) / 2))
    spacing = TOWN_SPACING * max((east - west) * shrink, north - south)
    chosen: list[dict[str, Any]] = []
    for town in inside.itertuples(index=False):
        lon, lat = float(town.lon), float(town.lat)
        if any(math.hypot((lon - c["lon"]) * shrink, lat - c["lat"]) < spacing for c in chosen):
            continue
        chosen.append(
            {
                "kind": "town",
                **{f"name_{lang}": town.name for lang in LABEL_LANGS},
                "rank": int(town.rank) + 1,
                "priority": 3 if town.capital else int(town.rank) + 3,
                "lon": lon,
                "lat": lat,
            }
        )
        if len(chosen) == MAX_TOWNS:
            break
    return chosen
