"""Labels in the print image, placed by the label placer as the page places them.

Every label is measured with matplotlib and placed by
:func:`bordermap.render.image.placer.place_labels` — the rule the page runs on every zoom — in
the frame's pixels: no two overlap, none covers another crossing's or a facility's symbol or
leaves the frame, a label moved further out gets a leader line, and what does not fit is
hidden. A figure that fits its circle is white on it (moved within it off a facility's dot);
a figure beside its circle is dark and joined to it by a leader line.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import shapely
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from bordermap import theme
from bordermap.render.image.fonts import families_for
from bordermap.render.image.frame import Frame
from bordermap.render.image.legend import PT_PER_PX
from bordermap.render.image.name_anchors import named_label
from bordermap.render.image.placer import UnplacedLabel, place_labels
from bordermap.render.image.text import measuring
from bordermap.screen import Circle, Rect, Viewport
from bordermap.spec import Label, RouteLine, Symbol

__all__ = ["draw_labels"]

_HALO_PAD = 0.15  # of the font size
_FIGURE_VEIL = {
    "boxstyle": "round,pad=0.1",
    "fc": theme.CROSSING_COLOR,
    "ec": "none",
    "alpha": 0.6,
}
_HALO_BOX = {"boxstyle": f"round,pad={_HALO_PAD}", "fc": "white", "ec": "none", "alpha": 0.75}
_CONTEXT_HALO = {**_HALO_BOX, "boxstyle": "round,pad=0.1"}
_OVER_ROUTES = 3.6  # over the routes (3) and their arrowheads (3.5), under the symbols


def _look(label: Label) -> dict:
    """Font and colour of a label that is not centred on its circle."""
    if label.role == "note":
        return {"fontstyle": "italic", "color": "#333333"}
    if label.role == "figure":
        return {"fontstyle": "normal", "color": theme.INK, "fontweight": "bold"}
    return {"fontstyle": "normal", "color": theme.INK}


def draw_labels(
    fig: Figure,
    ax: Axes,
    frame: Frame,
    symbols: tuple[Symbol, ...],
    labels: tuple[Label, ...],
    keep_off: Sequence[Artist] = (),
    routes: Sequence[RouteLine] = (),
) -> list[str]:
    """Draw the spec's labels; return the texts of those hidden (no room, or no land).

    Every symbol (crossings, facilities) is one no label but its own may cover, and every
    artist of ``keep_off`` (the scale bar, the north arrow) a box no label may overlap, as
    the page's panels. A country's name (with its land's ``area``) stands where the frame
    shows its land (:mod:`bordermap.render.image.name_anchors`), clear of those and of the
    ``routes``.
    """
    renderer = measuring(fig)
    scale = fig.dpi / 72  # display pixels per point
    px = PT_PER_PX * scale  # display pixels per CSS pixel
    window = ax.get_window_extent(renderer)
    to_data = ax.transData.inverted()

    def to_pixels(lons: Sequence[float], lats: Sequence[float]) -> np.ndarray:
        """CSS pixels from the frame's top left, y down: the page's units, so the leader
        steps and gaps of the placer are the same size in print as on screen."""
        shown = ax.transData.transform(np.column_stack(frame.xy(lats, lons)))
        return np.column_stack(((shown[:, 0] - window.x0) / px, (window.y1 - shown[:, 1]) / px))

    def screen(lat: float, lon: float) -> tuple[float, float]:
        x, y = to_pixels([lon], [lat])[0]
        return float(x), float(y)

    def display(x: float, y: float) -> tuple[float, float]:
        return window.x0 + x * px, window.y1 - y * px

    movable: list[tuple[str, Label, Any, float]] = []
    for label in labels:
        xy = frame.point(label.lat, label.lon)
        if label.role == "context":
            country = label.priority == 2
            artist = ax.text(
                *xy,
                label.text.upper() if country else label.text,
                fontfamily=families_for(label.text.upper() if country else label.text),
                fontsize=(9.5 if country else 8) * PT_PER_PX,
                color="#7a7a7a" if country else "#6a6a6a",
                ha="left",
                va="bottom",
                zorder=2.8,  # over land and boundaries, under routes and symbols
            )
            halo = 0.0
        else:
            size = (13 if label.role == "figure" else 11) * PT_PER_PX  # as the page's CSS
            artist = ax.text(
                *xy,
                label.text,
                fontfamily=families_for(label.text),
                fontsize=size,
                ha="left",
                va="bottom",
                zorder=9,
                bbox=_HALO_BOX,
                **_look(label),
            )
            # The halo box is the label's box: the text plus its pad (of the font size).
            halo = _HALO_PAD * size * scale
        movable.append((str(len(movable)), label, artist, halo))
    viewport = Viewport(window.width / px, window.height / px)
    walls = []
    for mark in keep_off:
        box = mark.get_window_extent(renderer)
        left, top = (box.x0 - window.x0) / px, (window.y1 - box.y1) / px
        walls.append(Rect(left, top, box.width / px, box.height / px))
    lines = [to_pixels([c[1] for c in r.coords], [c[0] for c in r.coords]) for r in routes]
    unplaced = []
    for ident, label, artist, halo in movable:
        box = artist.get_window_extent(renderer)
        x, y = screen(label.lat, label.lon)
        item = UnplacedLabel(
            ident,
            x,
            y,
            label.radius,
            (box.width + 2 * halo) / px,
            (box.height + 2 * halo) / px,
            priority=label.priority,
            leader=label.leader,
            tether=label.role == "figure",  # beside its circle, always with a leader
            inside=label.fixed,
        )
        if label.area:  # at its anchors in this frame, one group: shown at one, or hidden
            unplaced += named_label(item, label.area, to_pixels, viewport, walls, lines)
        else:
            unplaced.append(item)
    # Each symbol with its range ring and its halo at its smallest: no label over them.
    drawn = [Circle(*screen(s.lat, s.lon), theme.symbol_reach_px(s)) for s in symbols]
    # Each label placed: a name where one of its anchors was (the id before its "~").
    shown = {
        placed.id.split("~")[0]: placed
        for placed in place_labels(unplaced, walls, viewport, drawn)
        if placed.placed
    }
    # Each route as drawn, in the placer's pixels: a band of its line's width.
    paths = [
        shapely.LineString(line).buffer(route.weight / 2)
        for line, route in zip(lines, routes, strict=True)
    ]
    hidden = []
    for ident, label, artist, halo in movable:
        placed = shown.get(ident)
        if placed is None:
            artist.remove()
            hidden.append(label.text)
            continue
        # The text's bottom-left corner (inside the halo), back in data coordinates (y up).
        spot = placed.box
        assert spot is not None  # a placed label has its box
        left, bottom = display(spot.x, spot.y + spot.height)
        artist.set_position(to_data.transform((left + halo, bottom + halo)))
        if label.fixed and placed.candidate and placed.candidate.startswith(("center", "in")):
            # White on its circle, over a veil of the circle's red, as the page's dark text
            # shadow: legible over a route or boundary drawn across the circle, and still
            # text in SVG and PDF (a path effect would turn it into outlines).
            artist.set_color("#ffffff")
            artist.set_bbox(_FIGURE_VEIL)
        if label.role == "context" and any(
            shapely.intersects(
                route, shapely.box(spot.x, spot.y, spot.x + spot.width, spot.y + spot.height)
            )
            for route in paths
        ):
            # A town under a route: over it, on a halo, as a crossing's name (the placer keeps
            # labels off symbols and each other, not off lines).
            artist.set_zorder(_OVER_ROUTES)
            artist.set_bbox(_CONTEXT_HALO)
        if placed.leader is not None:
            line = placed.leader
            ends = to_data.transform([display(line.x1, line.y1), display(line.x2, line.y2)])
            ax.plot(ends[:, 0], ends[:, 1], color="#555555", linewidth=0.6, zorder=8)
    return hidden
