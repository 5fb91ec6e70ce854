"""Whether a figure's text fits inside its circle, decided once for the page and the image.

A figure is drawn white on its circle only when its whole text box lies inside the circle
at the size both renderers draw it (bold, :data:`FIGURE_FONT_PX` CSS pixels); otherwise it
goes beside the circle in dark text with a light halo, placed by the label placer and always
joined to its circle by a leader line — never white text on the basemap. (A figure that fits
is moved within its circle off a facility's dot, or beside it where there is no room.) The text is
measured with matplotlib's own text layout in the faces the two renderers use (the page's
Arial, as Liberation Sans where Arial is not installed, and the image's Noto faces), the
widest of them counting, so the spec's choice holds in both.
"""

from __future__ import annotations

import functools
import math

from matplotlib import font_manager
from matplotlib.textpath import TextToPath

__all__ = ["FIGURE_FONT_PX", "FIGURE_LINE_PX", "figure_fits", "figure_width"]

#: The figure's font size in CSS pixels, in the page (``.bm-figure span``) and the image.
FIGURE_FONT_PX = 13.0
#: The height of the figure's text box: a line of the tallest face (Noto Sans CJK, whose
#: ascent and descent are 1.45 em) — the box a browser gives a line of CJK text.
FIGURE_LINE_PX = 19.0
# The faces that may draw a figure: the page's (Arial, or its metric twin) and the image's
# (its CJK face, then Noto Sans, then matplotlib's own, which is always there).
_PAGE_FACES = ("Arial", "Liberation Sans")
_IMAGE_FACES = ("Noto Sans CJK KR", "Noto Sans CJK SC", "Noto Sans", "DejaVu Sans")


@functools.cache
def _installed() -> tuple[list[str], ...]:
    """A fallback list of families for each renderer, its own first face leading."""
    names = {entry.name for entry in font_manager.fontManager.ttflist}
    every = [face for face in (*_PAGE_FACES, *_IMAGE_FACES) if face in names]
    lists = []
    for faces in (_PAGE_FACES, _IMAGE_FACES):
        first = next((face for face in faces if face in names), None)
        if first is not None:
            lists.append([first, *(face for face in every if face != first)])
    return tuple(lists)


@functools.cache
def figure_width(text: str) -> float:
    """The widest the figure's text is drawn, in CSS pixels: by the page's face or the
    image's, each with the others as fallback for the characters it lacks.

    Examples
    --------
    >>> 20 < figure_width("300") < 30, figure_width("up to 30") > figure_width("300")
    (True, True)
    """
    layout = TextToPath()
    widest = 0.0
    for families in _installed():
        props = font_manager.FontProperties(family=families, weight="bold", size=FIGURE_FONT_PX)
        width, _, _ = layout.get_text_width_height_descent(text, props, ismath=False)
        widest = max(widest, float(width))
    return widest


def figure_fits(text: str, radius: float) -> bool:
    """Whether the figure's text box lies wholly inside a circle of ``radius`` px, with a
    pixel to spare for its dark halo.

    Examples
    --------
    >>> figure_fits("300", 34.0), figure_fits("up to 30", 14.0), figure_fits("300", 10.0)
    (True, False, False)
    """
    half_width = figure_width(text) / 2 + 1
    return math.hypot(half_width, FIGURE_LINE_PX / 2) <= radius
