"""Any folium map drawn on bordermap's offline basemap for one render: a page saved offline, or
a map shown in a notebook with no network; the user's map object is the same afterwards."""

from __future__ import annotations

import math
import re
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import folium
from folium.map import FitBounds
from folium.raster_layers import TileLayer as FoliumTileLayer
from folium.raster_layers import WmsTileLayer

from bordermap.render.inline import walk_elements
from bordermap.render.leaflet.elements import CONTEXT_CSS, StyleSheet
from bordermap.render.leaflet.elements import TileLayer as BordermapTileLayer

__all__ = ["map_area", "network_tile_layers", "offline_basemap"]

_REMOTE = re.compile(r"(https?:)?//")
# The screens (px) a folium map's opening view is worked out for: a desktop and a phone.
_SCREENS = ((1280, 800), (390, 844))
_WORLD = (-180.0, -85.0, 180.0, 85.0)


def network_tile_layers(m: folium.Map) -> list[tuple[Any, str]]:
    """Each tile layer of a map that loads from the network, with its address.

    A MiniMap's own layer is not one of them (it is the plugin's, not the map's).

    Examples
    --------
    >>> [url for _, url in network_tile_layers(folium.Map())]
    ['https://tile.openstreetmap.org/{z}/{x}/{y}.png']
    """
    found = []
    for element in walk_elements(m):
        url = None
        if isinstance(element, FoliumTileLayer):
            url = element.tiles
        elif isinstance(element, WmsTileLayer | BordermapTileLayer):
            url = element.url
        if isinstance(url, str) and _REMOTE.match(url):
            found.append((element, url))
    return found


def map_area(m: folium.Map) -> tuple[float, float, float, float]:
    """The area (west, south, east, north) a folium map opens on, on a phone (390×844) and on
    a desktop (1280×800): its fitted bounds, else the bounds of what it draws, else its
    centre and zoom, at the zoom Leaflet would show them.

    Examples
    --------
    >>> m = folium.Map(location=[32, -110], zoom_start=5)
    >>> [round(v) for v in map_area(m)]
    [-138, 15, -82, 46]
    """
    spec = getattr(m, "spec", None)
    if spec is not None and spec.basemap_area:
        return spec.basemap_area
    box: Any = None
    for element in walk_elements(m):
        if isinstance(element, FitBounds):
            box = element.bounds
            break
    if box is None:
        try:
            box = m.get_bounds()
        except (TypeError, ValueError):  # a child whose data gives no bounds
            box = None
    flat = [] if box is None else [box[0][0], box[0][1], box[1][0], box[1][1]]
    if len(flat) == 4 and all(v is not None and math.isfinite(float(v)) for v in flat):
        south, west, north, east = (float(v) for v in flat)
        views = [_fitted(west, south, east, north, screen) for screen in _SCREENS]
    else:
        location = getattr(m, "location", None) or [0.0, 0.0]
        zoom = float(m.options.get("zoom", 1) or 1)  # type: ignore[arg-type]
        lat, lon = float(location[0]), float(location[1])
        views = [_view(lon, _y(lat), zoom, screen) for screen in _SCREENS]
    return _clipped(
        min(v[0] for v in views),
        min(v[1] for v in views),
        max(v[2] for v in views),
        max(v[3] for v in views),
    )


# Web Mercator: Leaflet draws 360° of longitude, and 2π of y, on 256 × 2^zoom px.
def _y(lat: float) -> float:
    lat = max(min(lat, 85.0), -85.0)
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def _lat(y: float) -> float:
    return math.degrees(2 * math.atan(math.exp(y)) - math.pi / 2)


def _fitted(west: float, south: float, east: float, north: float, screen: tuple[int, int]) -> _Box:
    """The view of a screen after Leaflet's fitBounds (a whole zoom level)."""
    width, height = screen
    span_x = max(east - west, 1e-6)
    span_y = max(_y(north) - _y(south), 1e-6)
    fit = min(
        math.log2(width * 360 / (256 * span_x)), math.log2(height * 2 * math.pi / (256 * span_y))
    )
    zoom = max(0.0, min(18.0, math.floor(fit)))
    return _view((west + east) / 2, (_y(south) + _y(north)) / 2, zoom, screen)


def _view(lon: float, y: float, zoom: float, screen: tuple[int, int]) -> _Box:
    width, height = screen
    scale = 256 * 2**zoom
    half_x, half_y = width / 2 * 360 / scale, height / 2 * 2 * math.pi / scale
    return (lon - half_x, _lat(y - half_y), lon + half_x, _lat(y + half_y))


_Box = tuple[float, float, float, float]


def _clipped(west: float, south: float, east: float, north: float) -> _Box:
    w, s, e, n = _WORLD
    return (max(west, w), max(south, s), min(east, e), min(north, n))


@contextmanager
def offline_basemap(
    m: folium.Map, *, basemap: bool = True, beneath: bool = False, lang: str = "en"
) -> Iterator[list[str]]:
    """Within the block, the map draws bordermap's offline basemap; afterwards it is as it was.

    Parameters
    ----------
    m : folium.Map
        Any folium map (from bordermap, ``folium.Map()``, ``GeoDataFrame.explore()``).
    basemap : bool, default True
        Draw the basemap under a map that has no tiles. With False, a map without tiles stays
        as it is, and a map with network tiles keeps them (saving it offline is then refused).
    beneath : bool, default False
        Keep the tiles and draw the basemap under them: it shows where tiles do not load (a
        notebook with no network). Otherwise the network tiles are taken out for the block,
        and the credit says so.
    lang : str
        The language of the country names on a map bordermap did not draw.

    Yields
    ------
    list of str
        The addresses of the tile layers taken out (the caller warns: it knows whose call
        it was).

    Examples
    --------
    >>> m = folium.Map(location=[32, -110], zoom_start=5)
    >>> with offline_basemap(m) as replaced:
    ...     "bordermapVectorBasemap" in m.get_root().render()
    True
    >>> replaced, len(network_tile_layers(m))
    (['https://tile.openstreetmap.org/{z}/{x}/{y}.png'], 1)
    """
    from bordermap.render.leaflet.backdrop import VectorBasemap

    root = m.get_root()
    # The page's header, body and script blocks are not children of the figure: saved apart.
    parts = [getattr(root, part) for part in ("header", "html", "script") if hasattr(root, part)]
    saved = [(e, OrderedDict(e._children)) for e in [*walk_elements(root), *parts]]
    had_tiles = getattr(m, "has_tiles", False)
    options = dict(m.options)
    tiles = network_tile_layers(m)
    drawn = any(isinstance(e, VectorBasemap) for e in walk_elements(m))
    spec = getattr(m, "spec", None)
    replaced: list[str] = []
    try:
        if tiles and basemap and not beneath:
            for layer, url in tiles:
                siblings = layer._parent._children
                del siblings[next(k for k, v in siblings.items() if v is layer)]
                replaced.append(url)
            _forget_drawn(parts, [layer.get_name() for layer, _ in tiles])
            m.has_tiles = False  # type: ignore[attr-defined]
            # The tiles gave the map its zoom limit (a marker cluster needs one): the map keeps it.
            zooms = [_options(layer).get("maxZoom") for layer, _ in tiles]
            m.options.setdefault("maxZoom", max((z for z in zooms if z is not None), default=18))
        wanted = (replaced or (beneath and tiles)) or (
            basemap and not tiles and not drawn and spec is None
        )
        if wanted:
            _add_basemap(m, spec, replaced=bool(replaced), beneath=beneath, lang=lang)
        yield replaced
    finally:
        for element, children in saved:
            element._children = children
        m.options = options
        if hasattr(m, "has_tiles"):
            m.has_tiles = had_tiles  # type: ignore[attr-defined]


def _forget_drawn(parts: list[Any], names: list[str]) -> None:
    """Take out of the page's blocks what an earlier render (a notebook's display) wrote for
    these layers: folium keeps it there, and a layer taken out would still load its tiles."""
    for part in parts:
        kept = OrderedDict()
        for key, child in part._children.items():
            text = key
            if type(child).__name__ == "Element":  # a rendered block, as branca keeps it
                text += child.render()
            if not any(name in text for name in names):
                kept[key] = child
        part._children = kept


def _add_basemap(m: folium.Map, spec: Any, *, replaced: bool, beneath: bool, lang: str) -> None:
    from bordermap.basemap import world_basemap
    from bordermap.context import context_labels
    from bordermap.render.leaflet.backdrop import VectorBasemap
    from bordermap.render.leaflet.placement import LabelPlacer, PanelClearance
    from bordermap.render.leaflet.point_layer import add_context, add_points

    # The area a phone and a desktop open on, and a little more for a pan or a zoom out.
    # A crossing map's own area with its own margin (base_map's): the same basemap as tiles=None.
    own = spec is not None and spec.basemap_area
    view = world_basemap(map_area(m), margin=1.0 if own else 0.25)
    credit = f"Offline basemap (no tiles): {view.credit}" if replaced else None
    basemap = VectorBasemap(view, credit=credit, beneath=beneath)
    # First of the map's children: drawn before any layer (a cluster reads the zoom limit).
    m._children = OrderedDict([(basemap.get_name(), basemap), *m._children.items()])
    basemap._parent = m
    if beneath:
        return  # the tiles, when they load, carry their own names
    if spec is not None:
        add_context(m, spec, drawn=True)
        return
    # As the crossing map's description names them (describe.panels.basemap_context).
    labels = context_labels(view, lang)
    if labels:
        StyleSheet(CONTEXT_CSS, name="BordermapContext").add_to(m)
        add_points(m, "context", [], labels, control=False)
        LabelPlacer().add_to(m)
    # The longer credit must not run under the scale bar.
    PanelClearance().add_to(m)


def _options(layer: Any) -> dict:
    # folium's layers keep Leaflet's options in ``options``, bordermap's in ``tile_options``.
    return dict(getattr(layer, "options", None) or getattr(layer, "tile_options", {}))
