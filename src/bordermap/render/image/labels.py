"""Labels in the print image: figures on the circles, names and notes beside them.

Each movable label takes the first place around its symbol (the spec's position first) that
covers no symbol, no label already placed and nothing outside the map.
"""

from __future__ import annotations

import math

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox

from bordermap import theme
from bordermap.render.image.frame import Frame
from bordermap.render.image.legend import PT_PER_PX
from bordermap.spec import Label, Symbol

__all__ = ["draw_labels"]

_HALO_BOX = {"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.75}
_PLACES = (
    "below",
    "right",
    "above",
    "left",
    "below right",
    "above right",
    "below left",
    "above left",
)


def _candidates(gap: float, first: str) -> list[tuple[tuple[float, float], str, str]]:
    """Offsets (points) and alignment of a label ``gap`` points from its symbol's centre."""
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
    first = first if first in places else "below"
    return [places[first]] + [places[k] for k in _PLACES if k != first]


def _overlap(box, others) -> float:
    total = 0.0
    for other in others:
        both = Bbox.intersection(box, other)
        if both is not None:
            total += both.width * both.height
    return total


def draw_labels(
    fig: Figure, ax, frame: Frame, symbols: tuple[Symbol, ...], labels: tuple[Label, ...]
) -> None:
    """Draw the spec's labels: centred figures first, then the rest by priority."""
    renderer = FigureCanvasAgg(fig).get_renderer()
    scale = fig.dpi / 72
    taken = []
    for symbol in symbols:
        cx, cy = ax.transData.transform(frame.point(symbol.lat, symbol.lon))
        # A square of the circle's area stands for the circle (its bounding box is too big).
        r = symbol.style.radius * PT_PER_PX * scale * math.sqrt(math.pi) / 2
        taken.append(Bbox.from_extents(cx - r, cy - r, cx + r, cy + r))
    frame_box = ax.get_window_extent(renderer)
    order = sorted(labels, key=lambda label: (label.position != "center", label.priority))
    for label in order:
        xy = frame.point(label.lat, label.lon)
        if label.role == "context":
            country = label.priority == 2
            ax.annotate(
                label.text.upper() if country else label.text,
                xy,
                fontsize=(9.5 if country else 8) * PT_PER_PX,
                color="#7a7a7a" if country else "#6a6a6a",
                ha="center",
                va="center",
                zorder=2.8,  # over land and boundaries, under routes and symbols
                annotation_clip=True,
            )
            continue
        if label.position == "center":
            ax.annotate(
                label.text,
                xy,
                fontsize=13 * PT_PER_PX,
                fontweight="bold",
                color="#ffffff" if label.inverse else theme.INK,
                ha="center",
                va="center",
                zorder=9,
            )
            continue
        look = (
            {"fontstyle": "italic", "color": "#333333"}
            if label.role == "note"
            else {"fontstyle": "normal", "color": theme.INK}
        )
        if label.role == "figure":
            look = {"fontstyle": "normal", "color": theme.INK, "fontweight": "bold"}
        best = None
        for offset, ha, va in _candidates(label.offset_px * PT_PER_PX, label.position):
            artist = ax.annotate(
                label.text,
                xy,
                xytext=offset,
                textcoords="offset points",
                fontsize=11 * PT_PER_PX,
                ha=ha,
                va=va,
                zorder=9,
                bbox=_HALO_BOX,
                **look,
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
        if best is not None:
            taken.append(best[2])
