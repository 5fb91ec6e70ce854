"""Print images of a crossing map: PNG, SVG or PDF drawn with matplotlib from the map's description.

Why matplotlib rather than a headless-Chromium capture of the offline HTML: a press release
needs vector output — SVG and PDF that print sharp at any size, whose text stays text (a
designer can edit it, a reader can search and copy it, Korean and Chinese included) and whose
fonts are embedded as subsets. A browser capture is a raster of one screen, needs a browser
binary at export time, and its pixels change with the browser version and GPU. matplotlib
draws vectors with no browser, and with a fixed hash salt and no dates writes the same bytes
for the same map.

The image never recomputes what the map shows: :func:`bordermap.crossing_map` records every
point (position, radius, colours, label text), the legend rows, title, subtitle and credit in
``m._bordermap``, and this module draws exactly that, so the HTML and the image agree.
"""

from __future__ import annotations

import io
import json
import math
import os
import unicodedata
from pathlib import Path

import matplotlib
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.patches import Circle, PathPatch, Rectangle
from matplotlib.path import Path as MplPath
from matplotlib.transforms import Bbox
from pyproj import Geod, Transformer

from bordermap import style
from bordermap.basemap import BASEMAP_CREDIT
from bordermap.errors import ExportError, ValidationError
from bordermap.export import atomic_write, map_metadata
from bordermap.safe import html_to_text, printable

__all__ = ["IMAGE_FORMATS", "image_bytes", "to_image"]

IMAGE_FORMATS = {".png": "png", ".svg": "svg", ".pdf": "pdf"}
DEFAULT_SIZE = (10.0, 7.0)
PT_PER_PX = 0.75  # one CSS pixel is 1/96 inch: symbols print at their on-screen size
CJK_FONT_DIR = Path("/usr/share/fonts/opentype/noto")
_FAMILY = {"en": "Noto Sans CJK KR", "ko": "Noto Sans CJK KR", "zh": "Noto Sans CJK SC"}
_GEOD = Geod(ellps="WGS84")
_SEA = style.BASEMAP_COLORS["sea"]
_PAPER = "#fbfbf8"
_INK = "#222222"
_BASE = style.BASEMAP_COLORS
_GREY = "#555555"


# ---------------------------------------------------------------- fonts and rc settings


def _has_family(name: str) -> bool:
    return any(entry.name == name for entry in font_manager.fontManager.ttflist)


def _font_families(lang: str) -> list[str]:
    """Noto Sans CJK for every language (one typeface; source names may be Korean or Chinese)."""
    family = _FAMILY[lang]
    if not _has_family(family):
        # matplotlib's font cache may predate the fonts' installation: register them directly.
        for path in sorted(CJK_FONT_DIR.glob("NotoSansCJK-*.tt[cf]")):
            font_manager.fontManager.addfont(path)
    if _has_family(family):
        return [family, "DejaVu Sans", "sans-serif"]
    if lang in ("ko", "zh"):
        raise ExportError(
            "no CJK font for Korean or Chinese labels",
            field="lang",
            value=lang,
            fix="install Noto Sans CJK (Debian: apt-get install fonts-noto-cjk), or use lang='en'",
        )
    return ["DejaVu Sans", "sans-serif"]


def _rc(lang: str) -> dict:
    return {
        "font.family": _font_families(lang),
        "svg.fonttype": "none",  # text stays <text>: searchable, editable
        "svg.hashsalt": "bordermap",  # clip-path and glyph ids: the same in every run
        "svg.id": "bordermap-map",
        "pdf.fonttype": 42,  # TrueType subsets: text extractable, CJK included
        "pdf.compression": 6,
        "lines.scale_dashes": False,  # dash lengths in points, as Leaflet's in pixels
        "path.simplify": True,
        # Text from data is drawn as typed: "$…$" in a name is not TeX (a lone "$$" would
        # even raise), as "{{ … }}" is not a template in the HTML page.
        "text.parse_math": False,
    }


# ---------------------------------------------------------------- geometry


class _Frame:
    """The map's projection (Lambert azimuthal equal-area at the map's centre) and extent."""

    def __init__(self, bounds: list[list[float]], box_in: tuple[float, float]) -> None:
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
        x0, x1, y0, y1 = x0 - pad_x, x1 + pad_x, y0 - pad_y, y1 + pad_y
        # Widen the shorter side so the extent has the axes' shape: one scale in x and y.
        if (x1 - x0) / (y1 - y0) < width_in / height_in:
            grow = (y1 - y0) * width_in / height_in - (x1 - x0)
            x0, x1 = x0 - grow / 2, x1 + grow / 2
        else:
            grow = (x1 - x0) * height_in / width_in - (y1 - y0)
            y0, y1 = y0 - grow / 2, y1 + grow / 2
        self.extent = (x0, x1, y0, y1)
        self.metres_per_pt = (x1 - x0) / (width_in * 72)

    def xy(self, lats, lons) -> tuple[list[float], list[float]]:
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


# ---------------------------------------------------------------- drawing helpers


def _dashes(dash_array: str | None):
    """A Leaflet ``dashArray`` (pixels) as a matplotlib line style (points)."""
    lengths = tuple(float(v) * PT_PER_PX for v in str(dash_array or "").replace(",", " ").split())
    return (0, lengths) if lengths else "solid"


def _symbol(ax, frame: _Frame, xy, options: dict, zorder: float) -> None:
    """A Leaflet circleMarker (radius in pixels, path options) drawn at its printed size."""
    radius = float(options.get("radius", 10)) * PT_PER_PX * frame.metres_per_pt
    stroke = options.get("color", "#3388ff")
    # Leaflet's fill and stroke have their own opacities: apply them to each colour.
    face = (
        to_rgba(options.get("fillColor") or stroke, options.get("fillOpacity", 0.2))
        if options.get("fill", True)
        else "none"
    )
    ax.add_patch(
        Circle(
            xy,
            radius,
            facecolor=face,
            edgecolor=to_rgba(stroke, options.get("opacity", 1.0)),
            linewidth=float(options.get("weight", 3)) * PT_PER_PX,
            linestyle=_dashes(options.get("dashArray")),
            zorder=zorder,
        )
    )


def _halo(ax, frame: _Frame, point: dict, colour: str, zorder: float) -> None:
    ring = frame.geodesic_circle(point["lat"], point["lon"], point["halo_m"])
    xs = [p[0] for p in ring] + [ring[0][0]]
    ys = [p[1] for p in ring] + [ring[0][1]]
    ax.plot(xs, ys, color=colour, linewidth=0.75, linestyle=(0, (3, 3)), zorder=zorder)


def _shape_path(geometry) -> MplPath | None:
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


def _lines(geometry) -> list[list[tuple[float, float]]]:
    if geometry.is_empty:
        return []
    if geometry.geom_type in ("LineString", "LinearRing"):
        return [list(geometry.coords)]
    if geometry.geom_type in ("Polygon",):
        return [list(geometry.exterior.coords)]
    if hasattr(geometry, "geoms"):
        return [line for part in geometry.geoms for line in _lines(part)]
    return []


def _draw_basemap(ax, frame: _Frame) -> bool:
    """Land, province lines, coast and boundaries of the offline basemap; False if none."""
    from bordermap.basemap import load_basemap

    base = load_basemap()
    if base is None or not len(base):
        return False
    box = frame.lonlat_box()
    clipped = base.set_geometry(base.geometry.clip_by_rect(*box))
    clipped = clipped[~clipped.geometry.is_empty].to_crs(frame.crs)
    ax.set_facecolor(_SEA)
    for _, row in clipped[clipped["kind"] == "land"].iterrows():
        path = _shape_path(row.geometry)
        if path is not None:
            ax.add_patch(
                PathPatch(
                    path,
                    facecolor=style.land_color(row.get("country"), bool(row.get("cn_kp"))),
                    edgecolor="none",
                    zorder=1,
                )
            )
    line_styles = {
        "province": {"color": _BASE["province"], "linewidth": 0.5, "linestyle": (0, (2, 2))},
        "coast": {"color": _BASE["coast"], "linewidth": 0.6, "zorder": 2.1},
        "boundary": {"color": _BASE["boundary"], "linewidth": 0.8, "zorder": 2.2},
    }
    for kind, options in line_styles.items():
        for _, row in clipped[clipped["kind"] == kind].iterrows():
            emphasis = kind == "boundary" and bool(row.get("cn_kp"))
            drawn = (
                dict(options, color=_BASE["boundary_cn_kp"], linewidth=1.4) if emphasis else options
            )
            for line in _lines(row.geometry):
                ax.plot([p[0] for p in line], [p[1] for p in line], **drawn)
    return True


def _draw_graticule(ax, frame: _Frame) -> None:
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


def _draw_cases(ax, frame: _Frame, payload: dict) -> None:
    """Case records as small dots in their category's colour, under routes and symbols."""
    from bordermap.render.cases import decode_points  # with the layer's folium page code

    lon, lat, codes = decode_points(payload)
    xs, ys = frame.xy(lat, lon)
    if codes is None:
        colours = payload["color"]
    else:
        palette = payload["category"]["colors"]
        colours = [palette[int(c) % len(palette)] for c in codes]
    size = (float(payload["options"]["radius"]) * PT_PER_PX) ** 2
    # Beyond a few thousand dots a vector file gains nothing but size: embed them as pixels.
    many = len(xs) > 5000
    ax.scatter(xs, ys, s=size, c=colours, linewidths=0, alpha=0.75, zorder=2.5, rasterized=many)


def _draw_routes(ax, frame: _Frame, routes: list[dict]) -> None:
    """Routes as recorded by the HTML map: lines in pixels' weight, dashed when inferred."""
    for route in routes:
        xs, ys = frame.xy([c[0] for c in route["coords"]], [c[1] for c in route["coords"]])
        width = float(route.get("weight", 3)) * PT_PER_PX
        colour = route.get("color", _GREY)
        ax.plot(
            xs,
            ys,
            color=colour,
            linewidth=width,
            linestyle=(0, (6, 4)) if route.get("dashed") else "solid",
            solid_capstyle="round",
            alpha=0.85,
            zorder=5,
        )
        for arrow in route.get("arrows", []) or []:
            angle = frame.bearing_angle(arrow["lat"], arrow["lon"], arrow["bearing_deg"])
            ax.plot(
                *frame.point(arrow["lat"], arrow["lon"]),
                marker=(3, 0, -angle),
                markersize=max(7.0, 2.6 * width),
                color=colour,
                linestyle="none",
                zorder=5.5,
            )


def _draw_points(ax, frame: _Frame, info: dict) -> None:
    for country, group in sorted(info.get("facilities", {}).items()):
        colour = style.FACILITY_COLORS.get(country, _GREY)
        for p in group:
            xy = frame.point(p["lat"], p["lon"])
            if p.get("halo_m"):
                _halo(ax, frame, p, colour, zorder=4)
            _symbol(ax, frame, xy, p["style"], zorder=6)
    crossings = info.get("crossings", [])
    # Largest first, so that a small circle is never hidden under a big one.
    for p in sorted(crossings, key=lambda q: -float(q["style"].get("radius", 0))):
        xy = frame.point(p["lat"], p["lon"])
        if p.get("halo_m"):
            _halo(ax, frame, p, p["style"].get("color", style.CROSSING_COLOR), zorder=4)
        if p.get("ring"):
            _symbol(ax, frame, xy, p["ring"], zorder=7)
        _symbol(ax, frame, xy, p["style"], zorder=8)


_HALO_BOX = {"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.75}


def _candidates(radius_pt: float, first: str) -> list[tuple[tuple[float, float], str, str]]:
    """Offsets (points), alignment of a label beside a circle; the HTML's place comes first."""
    gap = radius_pt + 3 * PT_PER_PX
    slant = 0.75 * gap
    places = {
        "below": ((0.0, -gap), "center", "top"),
        "right": ((gap, 0.0), "left", "center"),
        "above": ((0.0, gap), "center", "bottom"),
        "left": ((-gap, 0.0), "right", "center"),
        "below right": ((slant, -slant), "left", "top"),
        "above right": ((slant, slant), "left", "bottom"),
        "below left": ((-slant, -slant), "right", "top"),
        "above left": ((-slant, slant), "right", "bottom"),
    }
    return [places[first]] + [v for k, v in places.items() if k != first]


def _overlap(box, others) -> float:
    total = 0.0
    for other in others:
        both = Bbox.intersection(box, other)
        if both is not None:
            total += both.width * both.height
    return total


def _label_crossings(fig: Figure, ax, frame: _Frame, info: dict) -> None:
    """Figures on the circles; names and "no published figure" beside them, not over others.

    Each movable label takes the first place (the HTML's place first: name below, unknown
    label to the right) that covers no symbol and no label already placed.
    """
    renderer = FigureCanvasAgg(fig).get_renderer()
    scale = fig.dpi / 72
    symbols = [(p, float(p["style"].get("radius", 5))) for p in info.get("crossings", [])]
    for group in info.get("facilities", {}).values():
        symbols += [(p, float(p["style"].get("radius", 5))) for p in group]
    taken = []
    for p, radius in symbols:
        cx, cy = ax.transData.transform(frame.point(p["lat"], p["lon"]))
        # A square of the circle's area stands for the circle (its bounding box is too big).
        r = radius * PT_PER_PX * scale * math.sqrt(math.pi) / 2
        taken.append(Bbox.from_extents(cx - r, cy - r, cx + r, cy + r))
    frame_box = ax.get_window_extent(renderer)
    crossings = sorted(info.get("crossings", []), key=lambda q: -float(q["style"]["radius"]))
    for p in crossings:
        xy = frame.point(p["lat"], p["lon"])
        radius_pt = float(p["style"].get("radius", 5)) * PT_PER_PX
        unknown = p.get("label_class", "").endswith("bm-unknown")
        label = html_to_text(p.get("label") or "")
        if label and not unknown:
            small = radius_pt < 14 * PT_PER_PX
            ax.annotate(
                label,
                xy,
                fontsize=13 * PT_PER_PX,
                fontweight="bold",
                color=_INK if small else "#ffffff",
                ha="center",
                va="center",
                zorder=9,
            )
        movable = [(html_to_text(p.get("name") or ""), "below", {})]
        if label and unknown:
            italic = {"fontstyle": "italic", "color": "#333333"}
            movable.insert(0, (label, "right", italic))
        for text, first, look in movable:
            if not text:
                continue
            best = None
            for offset, ha, va in _candidates(radius_pt, first):
                artist = ax.annotate(
                    text,
                    xy,
                    xytext=offset,
                    textcoords="offset points",
                    fontsize=11 * PT_PER_PX,
                    color=look.get("color", _INK),
                    fontstyle=look.get("fontstyle", "normal"),
                    ha=ha,
                    va=va,
                    zorder=9,
                    bbox=_HALO_BOX,
                )
                box = artist.get_window_extent(renderer)
                outside = box.width * box.height - _overlap(box, [frame_box])
                score = _overlap(box, taken) + 4 * outside
                if best is None or score < best[0]:
                    if best is not None:
                        best[1].remove()
                    best = (score, artist, box)
                else:
                    artist.remove()
                if score == 0:
                    break
            taken.append(best[2])


def _nice_length(km: float) -> float:
    magnitude = 10 ** math.floor(math.log10(km))
    for step in (5, 2, 1):
        if step * magnitude <= km:
            return step * magnitude
    return magnitude


def _draw_scale_bar(ax, frame: _Frame) -> None:
    """A bar of a round number of kilometres, measured on the ellipsoid with pyproj's Geod."""
    x0, x1, y0, y1 = frame.extent
    west = frame.lonlat(x0, (y0 + y1) / 2)
    east = frame.lonlat(x1, (y0 + y1) / 2)
    across_km = _GEOD.inv(west[0], west[1], east[0], east[1])[2] / 1000
    km = _nice_length(across_km / 5)
    start = (x0 + 0.04 * (x1 - x0), y0 + 0.05 * (y1 - y0))
    lon, lat = frame.lonlat(*start)
    lon2, lat2, _ = _GEOD.fwd(lon, lat, 90.0, km * 1000)
    end = frame.point(lat2, lon2)
    length = math.hypot(end[0] - start[0], end[1] - start[1])
    height = 4 * frame.metres_per_pt
    for i in range(2):
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
    for fraction, text in ((0, "0"), (1, f"{km:g} km")):
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


def _draw_north_arrow(ax, frame: _Frame) -> None:
    x0, x1, y0, y1 = frame.extent
    at = (x1 - 0.05 * (x1 - x0), y1 - 0.12 * (y1 - y0))
    lon, lat = frame.lonlat(*at)
    angle = frame.bearing_angle(lat, lon, 0.0)
    ax.plot(*at, marker=(3, 0, -angle), markersize=10, color=_INK, linestyle="none", zorder=10)
    step = 11 * frame.metres_per_pt
    ax.text(
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


# ---------------------------------------------------------------- text blocks


def _wrap(text: str, width: int) -> list[str]:
    """Wrap at spaces (or anywhere in CJK), counting wide characters as two columns."""
    lines: list[str] = []
    line, used = "", 0
    for word in _words(text):
        cost = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in word)
        if used + cost > width and line.strip():
            lines.append(line.rstrip())
            line, used = word.lstrip(), cost
        else:
            line, used = line + word, used + cost
    if line.strip():
        lines.append(line.rstrip())
    return lines


def _breakable(ch: str) -> bool:
    """Chinese and Japanese may wrap between any two characters; Korean wraps at spaces."""
    hangul = "\uac00" <= ch <= "\ud7a3" or "\u1100" <= ch <= "\u11ff" or "\u3130" <= ch <= "\u318f"
    return unicodedata.east_asian_width(ch) in "WF" and not hangul and ch not in _CLOSING


_CLOSING = ")）」』、。，,.:;：；!?！？"


def _words(text: str) -> list[str]:
    words, current = [], ""
    for ch in text:
        if ch in _CLOSING and not current and words:
            words[-1] += ch
        elif _breakable(ch):
            if current:
                words.append(current)
            words.append(ch)
            current = ""
        elif ch == " ":
            words.append(current + " ")
            current = ""
        else:
            current += ch
    if current:
        words.append(current)
    return words


def _draw_legend(fig: Figure, rect: tuple[float, float, float, float], legend: dict) -> None:
    """The legend column: size circles, then one row per symbol, from the map's description.

    Rows of kind ``circle`` and ``ring`` come from the HTML legend; a row of kind ``line``
    (``color``, ``weight`` px, ``dashed``) draws a route's line.
    """
    _, _, width, height = rect
    ax = fig.add_axes(rect)
    ax.set_axis_off()
    width_pt = width * fig.get_figwidth() * 72
    height_pt = height * fig.get_figheight() * 72
    ax.set_xlim(0, width_pt)
    ax.set_ylim(0, height_pt)
    columns = int(width_pt / 4.2)
    y = height_pt
    for line in _wrap(legend["title"], int(width_pt / 4.6)):
        ax.text(0, y, line, fontsize=8.5, fontweight="bold", color=_INK, va="top")
        y -= 11
    y -= 4
    sizes = legend.get("sizes") or []
    if sizes:
        biggest = max(s["radius"] for s in sizes) * PT_PER_PX
        base = y - 2 * biggest
        cx = biggest + 2
        for entry in sizes:
            r = entry["radius"] * PT_PER_PX
            ax.add_patch(
                Circle(
                    (cx, base + r),
                    r,
                    facecolor=to_rgba(style.CROSSING_COLOR, 0.25),
                    edgecolor=style.CROSSING_COLOR,
                    linewidth=0.75,
                )
            )
            ax.plot([cx, 2 * cx + 6], [base + 2 * r] * 2, color="#999999", linewidth=0.5)
            ax.text(2 * cx + 8, base + 2 * r, entry["label"], fontsize=7.5, va="center", color=_INK)
        y = base - 6
        for line in _wrap(legend.get("area_note") or "", columns):
            ax.text(0, y, line, fontsize=7.5, color=_INK, va="top")
            y -= 10
        y -= 4
    for row in legend.get("rows", []):
        lines = _wrap(row["label"], columns - 7)
        _legend_swatch(ax, (8, y - 5), row)
        for line in lines:
            ax.text(20, y, line, fontsize=7.5, color=_INK, va="top")
            y -= 10
        y -= 3


def _legend_swatch(ax, at: tuple[float, float], row: dict) -> None:
    kind = row.get("kind")
    if kind == "ring":
        ax.add_patch(
            Circle(
                at,
                7.5,
                facecolor=to_rgba(style.CROSSING_COLOR, 0.08),
                edgecolor=to_rgba(style.CROSSING_COLOR, 0.55),
                linewidth=1.1,
            )
        )
        ax.add_patch(
            Circle(
                at,
                4.5,
                facecolor=to_rgba(style.CROSSING_COLOR, 0.78),
                edgecolor="white",
                linewidth=1.1,
            )
        )
    elif kind == "line":
        ax.plot(
            [at[0] - 7, at[0] + 7],
            [at[1], at[1]],
            color=row.get("color", _GREY),
            linewidth=float(row.get("weight", 3)) * PT_PER_PX,
            linestyle=(0, (4, 2.5)) if row.get("dashed") else "solid",
        )
    else:
        fill = row.get("fill", "none")
        ax.add_patch(
            Circle(
                at,
                float(row.get("radius", 5)) * PT_PER_PX,
                facecolor=fill,
                edgecolor=row.get("stroke", _GREY),
                linewidth=1.1,
                linestyle=(0, (2.25, 1.5)) if row.get("dashed") else "solid",
            )
        )


# ---------------------------------------------------------------- the figure


def _figure(info: dict, size: tuple[float, float], dpi: int, north_arrow: bool) -> Figure:
    width_in, height_in = size
    fig = Figure(figsize=size, dpi=dpi, facecolor="white")
    margin, legend_in, header_in = 0.25, min(2.9, 0.32 * width_in), 0.85
    columns = int((width_in - 2 * margin) * 72 / 3.6)
    credit = info.get("credit") or ""
    event_label = info.get("event_label")
    if event_label and event_label != info.get("subtitle"):
        credit = f"{event_label} · {credit}" if credit else event_label
    credit = f"{credit} · {BASEMAP_CREDIT}" if credit else BASEMAP_CREDIT
    credit_lines = _wrap(credit, columns)
    footer_in = 0.15 + 0.13 * len(credit_lines)

    fig.text(
        margin / width_in,
        1 - 0.22 / height_in,
        info.get("title") or "",
        fontsize=15,
        fontweight="bold",
        color=_INK,
        va="top",
    )
    if info.get("subtitle"):
        fig.text(
            margin / width_in,
            1 - 0.55 / height_in,
            info["subtitle"],
            fontsize=10.5,
            color="#444444",
            va="top",
        )
    for i, line in enumerate(credit_lines):
        fig.text(
            margin / width_in,
            (footer_in - 0.1 - 0.13 * i) / height_in,
            line,
            fontsize=7,
            color="#333333",
            va="top",
        )

    box = (width_in - 2 * margin - legend_in - 0.2, height_in - header_in - footer_in - 0.1)
    rect = (margin / width_in, (footer_in + 0.1) / height_in, box[0] / width_in, box[1] / height_in)
    # The HTML map's own extent: crossings and facilities (routes run between them).
    bounds = info.get("bounds") or [[40.0, 124.0], [43.0, 130.5]]
    frame = _Frame(bounds, box)
    ax = fig.add_axes(rect)
    ax.set_xlim(frame.extent[0], frame.extent[1])
    ax.set_ylim(frame.extent[2], frame.extent[3])
    ax.set_aspect("equal", adjustable="datalim")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_edgecolor("#999999")
        spine.set_linewidth(0.6)
    if not _draw_basemap(ax, frame):
        _draw_graticule(ax, frame)
    if info.get("cases"):
        _draw_cases(ax, frame, info["cases"])
    routes = info.get("routes") or []
    _draw_routes(ax, frame, routes)
    _draw_points(ax, frame, info)
    _label_crossings(fig, ax, frame, info)
    _draw_scale_bar(ax, frame)
    if north_arrow:
        _draw_north_arrow(ax, frame)
    legend_rect = (
        (width_in - margin - legend_in) / width_in,
        (footer_in + 0.1) / height_in,
        legend_in / width_in,
        box[1] / height_in,
    )
    if info.get("legend"):
        _draw_legend(fig, legend_rect, info["legend"])
    return fig


def _save_options(fmt: str, m) -> dict:
    """Metadata for each format, and no date or random id: same map, same bytes."""
    from bordermap import __version__

    meta = map_metadata(m)
    info = m._bordermap
    blob = json.dumps(meta, ensure_ascii=False, sort_keys=True)
    title = info.get("title") or ""
    creator = f"bordermap {__version__}"
    sources = [s for s in meta.get("sources", []) if s]
    if fmt == "svg":
        metadata = {
            "Title": title,
            "Date": None,
            "Creator": creator,
            "Description": blob,
            "Keywords": sources,
        }
    elif fmt == "pdf":
        metadata = {
            "Title": title,
            "Creator": creator,
            "Subject": blob,
            "Keywords": "; ".join([str(meta.get("event") or ""), *sources]),
            "CreationDate": None,
            "ModDate": None,
        }
    else:
        metadata = {"Title": title, "Software": creator, "bordermap": blob}
    return {"format": fmt, "metadata": metadata}


def _as_map(m_or_joined, lang: str | None, facilities):
    info = getattr(m_or_joined, "_bordermap", None)
    if isinstance(info, dict):
        if "crossings" not in info:
            raise ValidationError(
                "this map has no single-event description to print",
                fix="print a map from bordermap.crossing_map (one event), not a timeline map",
            )
        if lang is not None and lang != info.get("lang"):
            raise ValidationError(
                f"the map was drawn in {info.get('lang')!r}",
                field="lang",
                value=lang,
                fix=f"build it with crossing_map(..., lang={lang!r}), or pass the joined table",
            )
        return m_or_joined
    if hasattr(m_or_joined, "geometry"):
        from bordermap.render.html import crossing_map

        return crossing_map(m_or_joined, facilities, lang=lang or "en", tiles=None)
    raise ValidationError(
        "to_image needs a map from crossing_map or a table from join_estimates",
        value=type(m_or_joined).__name__,
    )


def image_bytes(
    m,
    fmt: str,
    *,
    dpi: int = 200,
    size: tuple[float, float] = DEFAULT_SIZE,
    north_arrow: bool = True,
) -> bytes:
    """Draw a crossing map as PNG, SVG or PDF bytes (see :func:`to_image`).

    Examples
    --------
    >>> import bordermap
    >>> m = bordermap.crossing_map(bordermap.load_crossings(), tiles=None)
    >>> image_bytes(m, "svg")[:5]
    b'<?xml'
    """
    return images_bytes(m, [fmt], dpi=dpi, size=size, north_arrow=north_arrow)[fmt]


def images_bytes(
    m,
    fmts,
    *,
    dpi: int = 200,
    size: tuple[float, float] = DEFAULT_SIZE,
    north_arrow: bool = True,
) -> dict[str, bytes]:
    """One drawing of a crossing map, written in each of several formats.

    Examples
    --------
    >>> import bordermap
    >>> m = bordermap.crossing_map(bordermap.load_crossings(), tiles=None)
    >>> sorted(images_bytes(m, ["png", "svg"]))
    ['png', 'svg']
    """
    for fmt in fmts:
        if fmt not in IMAGE_FORMATS.values():
            raise ValidationError("unknown image format", value=fmt, fix="use png, svg or pdf")
    info = _as_map(m, None, None)._bordermap
    out = {}
    with matplotlib.rc_context(_rc(info.get("lang") or "en")):
        # Control characters would make the SVG malformed XML: removed where text leaves.
        fig = _figure(printable(info), size, dpi, north_arrow)
        for fmt in fmts:
            buffer = io.BytesIO()
            try:
                fig.savefig(buffer, dpi=dpi, **printable(_save_options(fmt, m)))
            except (OSError, ValueError, RuntimeError) as exc:
                raise ExportError(f"matplotlib could not write the {fmt} image: {exc}") from exc
            out[fmt] = buffer.getvalue()
    return out


def to_image(
    m_or_joined,
    path: str | os.PathLike,
    *,
    dpi: int = 200,
    lang: str | None = None,
    size: tuple[float, float] = DEFAULT_SIZE,
    facilities=None,
    north_arrow: bool = True,
) -> Path:
    """Write a print-ready image of the crossing map: PNG, SVG or PDF by the file's suffix.

    The image draws what the HTML map draws (same points, circle sizes, labels, legend,
    title and credit), plus a scale bar. SVG and PDF are vectors with their text kept as
    text; the same inputs give the same bytes. The file is written atomically.

    Parameters
    ----------
    m_or_joined : folium.Map or geopandas.GeoDataFrame
        A map from :func:`bordermap.crossing_map`, or a table from
        :func:`bordermap.join_estimates` (drawn with ``crossing_map`` first).
    path : path
        ``.png``, ``.svg`` or ``.pdf``.
    dpi : int, default 200
        Resolution of a PNG (pixels = ``size`` × ``dpi``).
    lang : {"en", "ko", "zh"}, optional
        Language of a table's labels; for a map it must match the map's language.
    size : (float, float), default (10, 7)
        Width and height in inches.
    facilities : geopandas.GeoDataFrame, optional
        Facilities to draw when ``m_or_joined`` is a table.
    north_arrow : bool, default True
        Draw a north arrow.

    Returns
    -------
    pathlib.Path
        The written file.

    Raises
    ------
    bordermap.errors.ExportError
        Unknown suffix, ``lang`` ko/zh without a CJK font, or the image could not be written.

    Examples
    --------
    >>> import bordermap, tempfile, pathlib
    >>> from bordermap.io import bundled_path
    >>> joined = bordermap.join_estimates(bordermap.load_crossings(),
    ...     bordermap.read_estimates(bundled_path("events/2023-10-09.csv")))
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "map.svg"
    >>> bordermap.to_image(joined, out, facilities=bordermap.load_facilities()).name
    'map.svg'
    """
    path = Path(path)
    fmt = IMAGE_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ExportError(
            "unknown image type",
            file=str(path),
            value=path.suffix,
            fix="name the file .png, .svg or .pdf",
        )
    m = _as_map(m_or_joined, lang, facilities)
    return atomic_write(path, image_bytes(m, fmt, dpi=dpi, size=size, north_arrow=north_arrow))
