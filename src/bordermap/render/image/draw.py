"""Print images: PNG, SVG or PDF bytes drawn with matplotlib from a map's description.

Why matplotlib rather than a headless-Chromium capture of the offline HTML: a press release
needs vector output — SVG and PDF that print sharp at any size, whose text stays text (a
designer can edit it, a reader can search and copy it, Korean and Chinese included) and whose
fonts are embedded as subsets. A browser capture is a raster of one screen, needs a browser
binary at export time, and its pixels change with the browser version and GPU. matplotlib
draws vectors with no browser, and with a fixed hash salt and no dates writes the same bytes
for the same map.

The image never recomputes what the map shows: it draws the
:class:`~bordermap.spec.MapSpec` the page draws (positions, radii, colours, label texts,
legend, title, credit), so the two agree.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from typing import Any

import matplotlib
import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.patches import Circle

from bordermap import theme
from bordermap.basemap import BASEMAP_CREDIT
from bordermap.errors import ExportError, ValidationError
from bordermap.render.image.fonts import families_for
from bordermap.render.image.frame import (
    Frame,
    draw_basemap,
    draw_graticule,
    draw_north_arrow,
    draw_scale_bar,
)
from bordermap.render.image.legend import PT_PER_PX, dashes, draw_legend
from bordermap.render.image.lettering import draw_labels
from bordermap.render.image.text import copyable, credit_text, measuring, rc, wrap
from bordermap.safe import printable
from bordermap.spec import CaseLayerSpec, CrossingMapSpec, MapSpec, PathStyle, RouteLine, Symbol

__all__ = ["DEFAULT_SIZE", "IMAGE_FORMATS", "images_bytes"]

IMAGE_FORMATS = {".png": "png", ".svg": "svg", ".pdf": "pdf"}
DEFAULT_SIZE = (10.0, 7.0)
_INK = theme.INK


def _circle(
    ax: Axes, frame: Frame, xy: tuple[float, float], style: PathStyle, zorder: float
) -> None:
    """A circle of the spec (radius in pixels) drawn at its printed size."""
    face = to_rgba(style.fill_color, style.fill_opacity) if style.fill_color != "none" else "none"
    ax.add_patch(
        Circle(
            xy,
            style.radius * PT_PER_PX * frame.metres_per_pt,
            facecolor=face,
            edgecolor=to_rgba(style.color, style.opacity),
            linewidth=style.weight * PT_PER_PX,
            linestyle=dashes(style.dash),
            zorder=zorder,
        )
    )


def _halo(ax: Axes, frame: Frame, symbol: Symbol, zorder: float) -> None:
    """A symbol's dashed halo of location uncertainty, never under its own circle
    (:meth:`Frame.halo`), in the page's stroke and dashes."""
    ring = frame.halo(symbol)
    xs = [p[0] for p in ring] + [ring[0][0]]
    ys = [p[1] for p in ring] + [ring[0][1]]
    colour = symbol.halo_color or symbol.style.color
    width = theme.HALO_WEIGHT_PX * PT_PER_PX
    ax.plot(xs, ys, color=colour, linewidth=width, linestyle=dashes(theme.HALO_DASH), zorder=zorder)


def _draw_cases(ax: Axes, frame: Frame, cases: CaseLayerSpec) -> None:
    """Case records as small dots in their category's colour, under routes and symbols."""
    records = cases.records
    lon = records.x_origin + np.repeat(records.x, records.runs) * records.x_step
    lat = records.y_origin + np.repeat(records.y, records.runs) * records.y_step
    xs, ys = frame.xy(lat, lon)
    if records.category is None:
        colours: Any = cases.colors[0]
    else:
        palette = cases.colors
        colours = [palette[int(c) % len(palette)] for c in records.category.codes]
    size = (float(cases.radius) * PT_PER_PX) ** 2
    # Beyond a few thousand dots a vector file gains nothing but size: embed them as pixels.
    many = len(xs) > 5000
    ax.scatter(xs, ys, s=size, c=colours, linewidths=0, alpha=0.75, zorder=2.5, rasterized=many)


def _draw_routes(ax: Axes, frame: Frame, routes: Sequence[RouteLine]) -> None:
    """Routes: lines in pixels' weight, dashed when inferred, arrowheads halfway."""
    for route in routes:
        xs, ys = frame.xy([c[0] for c in route.coords], [c[1] for c in route.coords])
        width = route.weight * PT_PER_PX
        ax.plot(
            xs,
            ys,
            color=route.color,
            linewidth=width,
            linestyle=(0, (6, 4)) if route.dashed else "solid",
            solid_capstyle="round",
            alpha=0.85,
            zorder=3,
        )
        for arrow in route.arrows:
            angle = frame.bearing_angle(arrow.lat, arrow.lon, arrow.bearing_deg)
            ax.plot(
                *frame.point(arrow.lat, arrow.lon),
                marker=(3, 0, -angle),
                markersize=max(7.0, 2.6 * width),
                color=route.color,
                linestyle="none",
                zorder=3.5,
            )


def _draw_symbols(ax: Axes, frame: Frame, symbols: Sequence[Symbol]) -> None:
    """Crossings largest first (a small circle is never under a big one), facilities over
    them (a facility under a crossing's circle stays seen) and a crossing no larger than a
    facility over those, as the page stacks them
    (:func:`bordermap.render.leaflet.point_layer.symbol_pane`)."""
    facilities = [s for s in symbols if s.kind != "crossing"]
    crossings = sorted((s for s in symbols if s.kind == "crossing"), key=lambda s: -s.style.radius)
    for symbol in facilities:
        if symbol.halo_m:
            _halo(ax, frame, symbol, zorder=4)
        _circle(ax, frame, frame.point(symbol.lat, symbol.lon), symbol.style, zorder=8.5)
    for symbol in crossings:
        xy = frame.point(symbol.lat, symbol.lon)
        if symbol.halo_m:
            _halo(ax, frame, symbol, zorder=4)
        if symbol.ring is not None:
            _circle(ax, frame, xy, symbol.ring.style, zorder=7)
        small = symbol.style.radius <= theme.FACILITY_RADIUS_PX
        _circle(ax, frame, xy, symbol.style, zorder=8.7 if small else 8)


# How far a 7 pt Latin line's top lies above its baseline (Noto Sans' ascender, 1.069 em).
_CREDIT_ASCENT_IN = 1.069 * 7 / 72


def _figure(
    spec: CrossingMapSpec, size: tuple[float, float], dpi: int, north_arrow: bool
) -> Figure:
    width_in, height_in = size
    fig = Figure(figsize=size, dpi=dpi, facecolor="white")
    margin, legend_in, header_in = 0.25, min(2.9, 0.32 * width_in), 0.85
    columns = int((width_in - 2 * margin) * 72 / 3.6)
    credit = credit_text(spec.credit)
    if spec.event_label and spec.event_label != spec.subtitle:
        credit = f"{spec.event_label} · {credit}" if credit else spec.event_label
    basemap = spec.basemap_credit or BASEMAP_CREDIT
    credit = f"{credit} · {basemap}" if credit else basemap
    credit_lines = wrap(credit, columns)
    footer_in = 0.15 + 0.13 * len(credit_lines)

    # Each line of the header starts below the last one's drawn extent: scripts with tall
    # stacks (Burmese, Thai, Devanagari) reach further down than Latin at the same size.
    # A right-to-left map sets its header and credit from the right edge.
    renderer = measuring(fig)
    rtl = spec.direction == "rtl"
    start, align = (1 - margin / width_in, "right") if rtl else (margin / width_in, "left")
    title = fig.text(
        start,
        1 - 0.22 / height_in,
        spec.title,
        fontfamily=families_for(spec.title),
        fontsize=15,
        fontweight="bold",
        color=_INK,
        va="top",
        ha=align,
    )
    bottom_in = height_in - title.get_window_extent(renderer).y0 / dpi
    if spec.subtitle:
        subtitle = fig.text(
            start,
            1 - max(0.55, bottom_in + 0.02) / height_in,
            spec.subtitle,
            fontfamily=families_for(spec.subtitle),
            fontsize=10.5,
            color="#444444",
            va="top",
            ha=align,
        )
        bottom_in = height_in - subtitle.get_window_extent(renderer).y0 / dpi
    header_in = max(header_in, bottom_in + 0.1)
    # The credit's lines stand on baselines 0.13 in apart: a line set from its top would sit
    # lower where a face with tall ascenders comes first (an Arabic date in an English line)
    # and touch the next one.
    for i, line in enumerate(credit_lines):
        fig.text(
            start,
            (footer_in - 0.1 - _CREDIT_ASCENT_IN - 0.13 * i) / height_in,
            line,
            fontfamily=families_for(line),
            fontsize=7,
            color="#333333",
            va="baseline",
            ha=align,
        )

    box = (width_in - 2 * margin - legend_in - 0.2, height_in - header_in - footer_in - 0.1)
    # The legend column beside the map, on the side a reader of the language ends on.
    left_in = margin + legend_in + 0.2 if rtl else margin
    rect = (
        left_in / width_in,
        (footer_in + 0.1) / height_in,
        box[0] / width_in,
        box[1] / height_in,
    )
    bounds = spec.bounds or ((-60.0, -180.0), (80.0, 180.0))
    frame = Frame([list(bounds[0]), list(bounds[1])], box, spec.symbols)
    ax = fig.add_axes(rect)
    ax.set_xlim(frame.extent[0], frame.extent[1])
    ax.set_ylim(frame.extent[2], frame.extent[3])
    ax.set_aspect("equal", adjustable="datalim")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_edgecolor("#999999")
        spine.set_linewidth(0.6)
    if not draw_basemap(ax, frame):
        draw_graticule(ax, frame)
    if spec.cases is not None:
        _draw_cases(ax, frame, spec.cases)
    _draw_routes(ax, frame, spec.routes)
    _draw_symbols(ax, frame, spec.symbols)
    marks = draw_scale_bar(ax, frame) + (draw_north_arrow(ax, frame) if north_arrow else [])
    draw_labels(fig, ax, frame, spec.symbols, spec.labels, keep_off=marks, routes=spec.routes)
    legend_rect = (
        (margin if rtl else width_in - margin - legend_in) / width_in,
        (footer_in + 0.1) / height_in,
        legend_in / width_in,
        box[1] / height_in,
    )
    draw_legend(fig, legend_rect, spec.legend, rtl=rtl)
    return fig


def _save_options(fmt: str, spec: MapSpec, meta: dict) -> dict:
    """Metadata for each format, and no date or random id: same map, same bytes."""
    blob = json.dumps(meta, ensure_ascii=False, sort_keys=True)
    creator = f"bordermap {meta.get('version')}"
    sources = [s for s in meta.get("sources", []) if s]
    if fmt == "svg":
        metadata: dict[str, Any] = {
            "Title": spec.title,
            "Date": None,
            "Creator": creator,
            "Description": blob,
            "Keywords": sources,
        }
    elif fmt == "pdf":
        metadata = {
            "Title": spec.title,
            "Creator": creator,
            "Subject": blob,
            "Keywords": "; ".join([str(meta.get("event") or ""), *sources]),
            "CreationDate": None,
            "ModDate": None,
        }
    else:
        metadata = {"Title": spec.title, "Software": creator, "bordermap": blob}
    return {"format": fmt, "metadata": metadata}


def images_bytes(
    spec: MapSpec,
    fmts: Sequence[str],
    *,
    metadata: dict,
    dpi: int = 200,
    size: tuple[float, float] = DEFAULT_SIZE,
    north_arrow: bool = True,
) -> dict[str, bytes]:
    """One drawing of a crossing map's description, written in each of several formats.

    Examples
    --------
    >>> import bordermap
    >>> spec = bordermap.describe_crossings(bordermap.load_crossings())
    >>> sorted(images_bytes(spec, ["png", "svg"], metadata=spec.metadata))
    ['png', 'svg']
    """
    for fmt in fmts:
        if fmt not in IMAGE_FORMATS.values():
            raise ValidationError("unknown image format", value=fmt, fix="use png, svg or pdf")
    if not isinstance(spec, CrossingMapSpec):
        raise ValidationError(
            "this map has no single-event description to print",
            fix="print a map from bordermap.crossing_map (one event), not a timeline map",
        )
    out = {}
    with matplotlib.rc_context(rc(spec.lang)):
        # Control characters would make the SVG malformed XML: removed where text leaves.
        printed: CrossingMapSpec = CrossingMapSpec.from_dict(printable(spec.to_dict()))
        fig = _figure(printed, size, dpi, north_arrow)
        copyable(fig)
        for fmt in fmts:
            buffer = io.BytesIO()
            try:
                fig.savefig(buffer, dpi=dpi, **printable(_save_options(fmt, printed, metadata)))
            except (OSError, ValueError, RuntimeError) as exc:
                raise ExportError(f"matplotlib could not write the {fmt} image: {exc}") from exc
            out[fmt] = buffer.getvalue()
    return out
