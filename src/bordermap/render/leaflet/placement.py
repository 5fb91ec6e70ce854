"""Where things go on the reader's screen: the labels, placed on every view, and the first
view, fitted between the panels. Both measure the page as drawn (text, panels), so they run
in the browser; the label rule is :mod:`bordermap.render.image.placer`' JavaScript twin."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bordermap import theme
from bordermap.render.leaflet.elements import WebPart
from bordermap.safe import script_json
from bordermap.spec import Symbol

__all__ = ["FirstView", "LabelPlacer", "PanelClearance", "symbol_extent"]


class LabelPlacer(WebPart):
    """Places every :class:`~bordermap.render.leaflet.page.PointLayer`'s labels on load and
    whenever the view changes (zoom, pan, resize, a layer shown or hidden).

    The placer (``web/labels.js``, the twin of :mod:`bordermap.render.image.placer`) is
    inlined in the page head whether or not the page is saved offline: it is bordermap's own
    code, and a page without it would show labels over each other. The panels (every Leaflet
    control) are the obstacles, every point symbol of a layer shown (crossings, facilities)
    a symbol no label but its own covers (a figure on its circle moves off a facility's
    dot); the viewport is the map's size.

    Examples
    --------
    >>> import bordermap
    >>> page = bordermap.crossing_map(bordermap.load_crossings(), tiles=None).render_page()
    >>> "function bordermapPlainText" in page, "bordermapPlaceLabels" in page
    (True, True)
    """

    scripts = ("labels.js", "label_placer.js")
    draw = "bordermapLabelPlacer"

    def __init__(self) -> None:
        super().__init__()
        self._name = "LabelPlacer"


class PanelClearance(WebPart):
    """Keeps the panels of facing corners apart: the bottom-left ones (scale bar, sources)
    off the bottom-right ones (the attribution, the legend, a case legend), and the
    top-right ones (a time control, the layer list) off the top-left ones (title, data
    table).

    Leaflet puts the attribution in the bottom-right corner and the scale bar in the
    bottom-left one, both on the bottom edge. The attribution is a licence requirement
    (CC BY) and is shown whole, so on a narrow map it reaches across, over two or three
    lines, under the scale bar: then the bottom-left corner is lifted to stand on it. A
    bottom-left panel that still reaches under a bottom-right one (the sources line beside a
    case legend on a phone) is narrowed to end beside it: its text wraps, or its folded line
    ends sooner. At the top, a top-right panel that meets a top-left one (a time map's
    control beside the title on a phone) moves its corner down, below the top-left panels
    it would cover. Checked again whenever a panel can change size: a new view (the scale bar),
    a panel opened or closed, fonts in, the map resized. Added after every panel and before
    :class:`FirstView`, which then fits the first view around the result.

    Examples
    --------
    >>> import bordermap
    >>> page = bordermap.crossing_map(bordermap.load_crossings(), tiles=None).render_page()
    >>> "leaflet-control-attribution" in page
    True
    """

    scripts = ("panel_clearance.js",)
    draw = "bordermapPanelClearance"

    def __init__(self) -> None:
        super().__init__()
        self._name = "PanelClearance"


class FirstView(WebPart):
    """The first view: the bounds and every symbol whole, as large as they fit with no
    panel over them.

    Each panel (every Leaflet control, measured in the page) is cleared either vertically
    (the first view keeps below or above it) or sideways; of every combination, the one
    that lets the view be drawn largest wins, then the one with the least padding. Inside
    the area the panels leave free (less ``inset`` px on each side), the view is the largest
    zoom at which every symbol's extent, with ``margin`` px round it, fits: the larger of its
    reach in pixels (circle, range ring, smallest halo and their strokes: the same at every
    zoom) and its location-uncertainty halo in metres (which grows with the zoom) with half
    the halo's stroke (``halo_edge`` px); the corners of ``bounds`` are points that must fit
    too. The legend's list never grows taller than the map: it scrolls. Added after every
    panel.

    Examples
    --------
    >>> view = FirstView([[40.0, 124.0], [43.0, 130.0]], [[42.0, 129.0, 20.0, 5000.0]])
    >>> view.data_json()[:60]
    '{"bounds": [[40.0, 124.0], [43.0, 130.0]], "halo_edge": 0.5,'
    """

    scripts = ("first_view.js",)
    draw = "bordermapFirstView"

    def __init__(
        self,
        bounds: Any,
        symbols: Sequence[Sequence[float]] = (),
        *,
        inset: float = 6.0,
        margin: float = theme.SYMBOL_MARGIN_PX,
    ) -> None:
        super().__init__()
        self._name = "FirstView"
        self.bounds = [list(bounds[0]), list(bounds[1])]
        self.symbols = [[float(v) for v in item] for item in symbols]
        self.inset = float(inset)
        self.margin = float(margin)

    def data_json(self) -> str:
        return script_json(
            {
                "bounds": self.bounds,
                "halo_edge": theme.HALO_WEIGHT_PX / 2,
                "inset": self.inset,
                "margin": self.margin,
                "symbols": self.symbols,
            }
        )


def symbol_extent(symbol: Symbol) -> list[float]:
    """``[lat, lon, px, halo_m]`` of a symbol for :class:`FirstView`: how far it reaches
    round its centre in pixels (:func:`bordermap.theme.symbol_reach_px`: circle, range ring,
    the halo at its smallest, strokes included) and in metres (its location-uncertainty
    halo, with half of its stroke added in the page).

    Examples
    --------
    >>> from bordermap.spec import PathStyle
    >>> style = PathStyle(radius=10.0, color="#fff", fill_color="#b2182b", fill_opacity=0.8)
    >>> symbol = Symbol("a", "crossings", 40.0, 125.0, style, (), None, None, halo_m=3000.0)
    >>> symbol_extent(symbol)
    [40.0, 125.0, 14.75, 3000.0]
    """
    return [symbol.lat, symbol.lon, theme.symbol_reach_px(symbol), float(symbol.halo_m or 0.0)]
