"""The image's map frame: projection and extent, basemap, graticule, scale bar, north arrow."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.patches import PathPatch, Rectangle
from matplotlib.path import Path as MplPath
from pyproj import Geod, Transformer
from shapely.geometry.base import BaseGeometry

from bordermap import theme
from bordermap.render.image.legend import PT_PER_PX
from bordermap.spec import Symbol

__all__ = ["Frame", "draw_basemap", "draw_graticule", "draw_north_arrow", "draw_scale_bar"]

_GEOD = Geod(ellps="WGS84")
_SEA = theme.BASEMAP_COLORS["sea"]
_BASE = theme.BASEMAP_COLORS
_PAPER = "#fbfbf8"
_INK = theme.INK


class Frame:
    """The map's projection (Lambert azimuthal equal-area at the map's centre) and extent.

    The extent holds ``bounds`` with room round them for labels, and every one of
    ``symbols`` whole with ``theme.SYMBOL_MARGIN_PX`` round it: its circle, range ring and
    halo of location uncertainty (:meth:`halo`), strokes included, at the printed size.
    """

    def __init__(
        self,
        bounds: list[list[float]],
        box_in: tuple[float, float],
        symbols: Sequence[Symbol] = (),
    ) -> None:
        (south, west), (north, east) = bounds
        self.lat0, self.lon0 = (south + north) / 2, (west + east) / 2
        self.crs = (
            f"+proj=laea +lat_0={self.lat0:.4f} +lon_0={self.lon0:.4f} "
            "+datum=WGS84 +units=m +no_defs"
        )
        self._fwd = Transformer.from_crs("EPSG:4326", self.crs, always_xy=True)
        self._inv = Transformer.from_crs(self.crs, "EPSG:4326", always_xy=True)
        corners = [(south, west), (north, east), (south, east), (north, west)]
        xs, ys = self.xy([c[0] for c in corners], [c[1] for c in corners])
        x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
        span = max(x1 - x0, y1 - y0, 20_000.0)
        width_in, height_in = box_in
        # Room for the largest circle and a label beside the outermost points.
        per_pt = span / (min(width_in, height_in) * 72)
        pad_x, pad_y = 0.06 * span + 90 * per_pt, 0.06 * span + 40 * per_pt
        extent = _shaped((x0 - pad_x, x1 + pad_x, y0 - pad_y, y1 + pad_y), box_in)
        # Every symbol whole: its reach in points grows with the scale the extent sets, so
        # the extent grows until it holds them all (a few rounds: the reach is small).
        rings = [
            (
                self.point(s.lat, s.lon),
                self.geodesic_circle(s.lat, s.lon, s.halo_m) if s.halo_m else [],
                s,
            )
            for s in symbols
        ]
        for _ in range(50):
            per_pt = (extent[1] - extent[0]) / (width_in * 72)
            x0, x1, y0, y1 = extent
            for centre, ring, symbol in rings:
                margin = theme.SYMBOL_MARGIN_PX * PT_PER_PX * per_pt
                reach = theme.symbol_reach_px(symbol) * PT_PER_PX * per_pt + margin
                edge = theme.HALO_WEIGHT_PX / 2 * PT_PER_PX * per_pt + margin
                halo = _pushed_out(centre, ring, theme.halo_min_px(symbol) * PT_PER_PX * per_pt)
                xs = [centre[0] - reach, centre[0] + reach]
                ys = [centre[1] - reach, centre[1] + reach]
                if halo:
                    xs += [min(p[0] for p in halo) - edge, max(p[0] for p in halo) + edge]
                    ys += [min(p[1] for p in halo) - edge, max(p[1] for p in halo) + edge]
                x0, x1 = min(x0, *xs), max(x1, *xs)
                y0, y1 = min(y0, *ys), max(y1, *ys)
            grown = _shaped((x0, x1, y0, y1), box_in)
            settled = grown[1] - grown[0] <= (extent[1] - extent[0]) * (1 + 1e-9)
            extent = grown
            if settled:
                break
        self.extent = extent
        self.metres_per_pt = (extent[1] - extent[0]) / (width_in * 72)

    def xy(self, lats: Iterable[float], lons: Iterable[float]) -> tuple[list[float], list[float]]:
        xs, ys = self._fwd.transform(list(lons), list(lats))
        return list(xs), list(ys)

    def point(self, lat: float, lon: float) -> tuple[float, float]:
        x, y = self._fwd.transform(lon, lat)
        return float(x), float(y)

    def lonlat(self, x: float, y: float) -> tuple[float, float]:
        lon, lat = self._inv.transform(x, y)
        return float(lon), float(lat)

    def lonlat_box(self) -> tuple[float, float, float, float]:
        """A longitude/latitude box around the extent, for clipping the basemap."""
        x0, x1, y0, y1 = self.extent
        edge = [(x0 + (x1 - x0) * i / 8, y) for i in range(9) for y in (y0, y1)]
        edge += [(x, y0 + (y1 - y0) * i / 8) for i in range(9) for x in (x0, x1)]
        lonlats = [self.lonlat(x, y) for x, y in edge]
        lons, lats = [p[0] for p in lonlats], [p[1] for p in lonlats]
        return min(lons) - 1, min(lats) - 1, max(lons) + 1, max(lats) + 1

    def bearing_angle(self, lat: float, lon: float, bearing_deg: float) -> float:
        """The on-page direction (degrees clockwise from up) of a compass bearing at a point."""
        lon2, lat2, _ = _GEOD.fwd(lon, lat, bearing_deg, 2_000.0)
        (x0, y0), (x1, y1) = self.point(lat, lon), self.point(lat2, lon2)
        return math.degrees(math.atan2(x1 - x0, y1 - y0))

    def geodesic_circle(self, lat: float, lon: float, metres: float) -> list[tuple[float, float]]:
        azimuths = [i * 5.0 for i in range(72)]
        lons, lats, _ = _GEOD.fwd([lon] * 72, [lat] * 72, azimuths, [metres] * 72)
        xs, ys = self.xy(lats, lons)
        return list(zip(xs, ys, strict=True))

    def halo(self, symbol: Symbol) -> list[tuple[float, float]]:
        """The outline of a symbol's halo of location uncertainty, projected: the geodesic
        circle of its ``halo_m``, pushed out to :func:`bordermap.theme.halo_min_px` at the
        printed size wherever it is closer to the centre, as the page draws it at every
        zoom: never hidden under its own circle."""
        centre = self.point(symbol.lat, symbol.lon)
        ring = self.geodesic_circle(symbol.lat, symbol.lon, symbol.halo_m or 0.0)
        floor = theme.halo_min_px(symbol) * PT_PER_PX * self.metres_per_pt
        return _pushed_out(centre, ring, floor)


def _shaped(
    extent: tuple[float, float, float, float], box_in: tuple[float, float]
) -> tuple[float, float, float, float]:
    """The extent with its shorter side widened about its middle to the axes' shape (one
    scale in x and y)."""
    x0, x1, y0, y1 = extent
    width_in, height_in = box_in
    if (x1 - x0) / (y1 - y0) < width_in / height_in:
        grow = (y1 - y0) * width_in / height_in - (x1 - x0)
        return x0 - grow / 2, x1 + grow / 2, y0, y1
    grow = (x1 - x0) * height_in / width_in - (y1 - y0)
    return x0, x1, y0 - grow / 2, y1 + grow / 2


def _pushed_out(
    centre: tuple[float, float], ring: list[tuple[float, float]], floor: float
) -> list[tuple[float, float]]:
    """The points of ``ring`` moved out from ``centre`` to at least ``floor`` away."""
    cx, cy = centre
    out = []
    for x, y in ring:
        d = math.hypot(x - cx, y - cy)
        k = floor / d if 0 < d < floor else 1.0
        out.append((cx + (x - cx) * k, cy + (y - cy) * k) if d > 0 else (cx + floor, cy))
    return out


def _shape_path(geometry: BaseGeometry) -> MplPath | None:
    """A shapely polygon or multipolygon as one matplotlib path (holes kept)."""
    polygons = getattr(geometry, "geoms", [geometry])
    vertices, codes = [], []
    for polygon in polygons:
        if polygon.geom_type != "Polygon" or polygon.is_empty:
            continue
        for ring in (polygon.exterior, *polygon.interiors):
            coords = list(ring.coords)
            vertices += coords
            codes += [MplPath.MOVETO] + [MplPath.LINETO] * (len(coords) - 2) + [MplPath.CLOSEPOLY]
    return MplPath(vertices, codes) if vertices else None


def _lines(geometry: BaseGeometry) -> list[list[tuple[float, float]]]:
    if geometry.is_empty:
        return []
    if geometry.geom_type in ("LineString", "LinearRing"):
        return [list(geometry.coords)]
    if geometry.geom_type in ("Polygon",):
        return [list(geometry.exterior.coords)]
    if hasattr(geometry, "geoms"):
        return [line for part in geometry.geoms for line in _lines(part)]
    return []


def _line_style(kind: str, country: str) -> dict:
    """How a basemap line is drawn: rivers thin, under coast and boundaries; a border river
    (``country`` names the boundary it follows) a band of water wider than its boundary,
    so that the river shows on both sides of the line drawn along it."""
    boundary = 1.4 if country == "CN–KP" else 0.8
    if kind == "river":
        width = boundary + 1.6 if country else 0.9
        return {"color": _BASE["river"], "linewidth": width, "zorder": 2.05}
    if kind == "coast":
        return {"color": _BASE["coast"], "linewidth": 0.6, "zorder": 2.1}
    color = _BASE["boundary_cn_kp"] if country == "CN–KP" else _BASE["boundary"]
    return {"color": color, "linewidth": boundary, "zorder": 2.2}


def draw_basemap(ax: Axes, frame: Frame) -> bool:
    """Land, lakes, rivers, coast and boundaries of the world basemap around the frame; False
    if none.

    The same Natural Earth shapes as the page (:func:`bordermap.basemap.world_basemap`),
    clipped to what the image shows; China and North Korea's land and their boundary stand
    apart as on the page.
    """
    from bordermap.basemap import world_basemap

    west, south, east, north = frame.lonlat_box()
    area = (max(west, -180.0), max(south, -90.0), min(east, 180.0), min(north, 90.0))
    base: Any = world_basemap(area).features
    if base is None or not len(base):
        return False
    clipped = base.set_geometry(base.geometry.clip_by_rect(*area))
    clipped = clipped[~clipped.geometry.is_empty].to_crs(frame.crs)
    ax.set_facecolor(_SEA)
    for _, row in clipped[clipped["kind"] == "land"].iterrows():
        path = _shape_path(row.geometry)
        if path is not None:
            ax.add_patch(
                PathPatch(
                    path, facecolor=theme.land_fill(row.get("country")), edgecolor="none", zorder=1
                )
            )
    # Lakes are water, the sea's colour with the coast's shoreline, over the land they lie in.
    for lake in clipped.geometry[clipped["kind"] == "lake"]:
        path = _shape_path(lake)
        if path is not None:
            ax.add_patch(
                PathPatch(path, facecolor=_SEA, edgecolor=_BASE["coast"], linewidth=0.4, zorder=1.5)
            )
    for kind in ("river", "coast", "boundary"):
        for _, row in clipped[clipped["kind"] == kind].iterrows():
            style = _line_style(kind, row.get("country") or "")
            for line in _lines(row.geometry):
                ax.plot([p[0] for p in line], [p[1] for p in line], **style)
    return True


def draw_graticule(ax: Axes, frame: Frame) -> None:
    """Degree lines, for orientation when no basemap is installed."""
    west, south, east, north = frame.lonlat_box()
    ax.set_facecolor(_PAPER)
    for lon in range(math.floor(west), math.ceil(east) + 1):
        lats = [south + (north - south) * i / 20 for i in range(21)]
        xs, ys = frame.xy(lats, [lon] * 21)
        ax.plot(xs, ys, color="#e2e0da", linewidth=0.5, zorder=1)
    for lat in range(math.floor(south), math.ceil(north) + 1):
        lons = [west + (east - west) * i / 20 for i in range(21)]
        xs, ys = frame.xy([lat] * 21, lons)
        ax.plot(xs, ys, color="#e2e0da", linewidth=0.5, zorder=1)


def draw_scale_bar(ax: Axes, frame: Frame) -> list[Artist]:
    """A bar of a round number of kilometres, measured on the ellipsoid with pyproj's Geod;
    returns what it drew (no label may cover it)."""
    drawn: list[Artist] = []
    x0, x1, y0, y1 = frame.extent
    west = frame.lonlat(x0, (y0 + y1) / 2)
    east = frame.lonlat(x1, (y0 + y1) / 2)
    across_km = _GEOD.inv(west[0], west[1], east[0], east[1])[2] / 1000
    km = theme.nice_number(across_km / 5, below=True)
    start = (x0 + 0.04 * (x1 - x0), y0 + 0.05 * (y1 - y0))
    lon, lat = frame.lonlat(*start)
    lon2, lat2, _ = _GEOD.fwd(lon, lat, 90.0, km * 1000)
    end = frame.point(lat2, lon2)
    length = math.hypot(end[0] - start[0], end[1] - start[1])
    height = 4 * frame.metres_per_pt
    for i in range(2):
        drawn.append(
            ax.add_patch(
                Rectangle(
                    (start[0] + i * length / 2, start[1]),
                    length / 2,
                    height,
                    facecolor=_INK if i == 0 else "white",
                    edgecolor=_INK,
                    linewidth=0.6,
                    zorder=10,
                )
            )
        )
    for fraction, text in ((0, "0"), (1, f"{km:g} km")):
        drawn.append(
            ax.text(
                start[0] + fraction * length,
                start[1] + height + 2 * frame.metres_per_pt,
                text,
                fontsize=7,
                color=_INK,
                ha="center",
                va="bottom",
                zorder=10,
            )
        )
    return drawn


def draw_north_arrow(ax: Axes, frame: Frame) -> list[Artist]:
    """An arrow pointing to true north and its "N"; returns what it drew."""
    x0, x1, y0, y1 = frame.extent
    at = (x1 - 0.05 * (x1 - x0), y1 - 0.12 * (y1 - y0))
    lon, lat = frame.lonlat(*at)
    angle = frame.bearing_angle(lat, lon, 0.0)
    arrow = ax.plot(
        *at, marker=(3, 0, -angle), markersize=10, color=_INK, linestyle="none", zorder=10
    )
    step = 11 * frame.metres_per_pt
    letter = ax.text(
        at[0] + step * math.sin(math.radians(angle)),
        at[1] + step * math.cos(math.radians(angle)),
        "N",
        fontsize=8,
        fontweight="bold",
        color=_INK,
        ha="center",
        va="center",
        zorder=10,
    )
    return [*arrow, letter]
