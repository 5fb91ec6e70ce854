"""Point symbols and their labels on the page: crossings, facilities, and the basemap's
country and town names (one :class:`PointLayer` per feature group)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import folium

from bordermap import theme
from bordermap.render.leaflet.elements import WebPart
from bordermap.render.leaflet.markup import popup_html, tooltip_html
from bordermap.safe import html_text, script_json
from bordermap.spec import Label, MapSpec, PathStyle, Symbol

__all__ = [
    "PointLayer",
    "add_context",
    "add_points",
    "label_data",
    "path_options",
    "point_data",
    "symbol_pane",
]


class PointLayer(WebPart):
    """Circle symbols with tooltips and popups, and their labels, from JSON lists.

    Each point: ``lat``, ``lon``, ``style`` (Leaflet path options), ``halo`` (a dashed
    ring of location uncertainty, or None: its ``radius`` in metres, drawn at every zoom no
    smaller than ``min_px`` pixels so that it always shows round its circle, its ``color``,
    ``weight``, ``dash`` and ``css`` classes), ``reach`` (the pixels round its centre no
    other label may come within: circle, range ring and smallest halo), ``ring`` (path
    options of a faint circle under the symbol: a range), ``tooltip`` and ``popup`` (safe
    HTML), ``pane`` (a Leaflet pane above the others' for facilities, else None). Each label:
    ``lat``, ``lon``, ``text`` (safe HTML), ``css``, ``fixed`` (on its symbol, white: a
    figure that fits its circle), ``radius`` (its symbol's, px), ``priority``, ``leader``
    and ``tether``. The labels are placed by ``bordermapPlaceLabels`` (:class:`LabelPlacer`)
    whenever the view changes: measured in the page, kept off the panels, each other and
    every symbol but their own (of every layer shown: facilities too), moved out with a
    leader line, or hidden; a fixed figure stays on its circle (moved within it off a
    facility's dot) or goes beside it in dark text, joined by a leader line. Add it to a
    ``folium.FeatureGroup``.
    """

    scripts = ("button.js", "labels.js", "label_placer.js", "name_anchors.js", "point_layer.js")
    draw = "bordermapPointLayer"

    def __init__(self, points: list[dict], labels: list[dict] | None = None) -> None:
        super().__init__()
        self._name = "PointLayer"
        self.points = points
        self.labels = labels or []

    def data_json(self) -> str:
        return script_json({"labels": self.labels, "points": self.points})


def path_options(style: PathStyle, css: str, **extra: Any) -> dict:
    """Leaflet path options for a spec's stroke and fill."""
    options = {
        "radius": style.radius,
        "color": style.color,
        "weight": style.weight,
        "opacity": style.opacity,
        "fill": style.fill_color != "none",
        "fillColor": style.fill_color,
        "fillOpacity": style.fill_opacity,
        "className": css,
    }
    if style.dash:
        options["dashArray"] = style.dash
    return {**options, **extra}


def point_data(symbol: Symbol) -> dict:
    """What :class:`PointLayer` needs of one symbol, its text made safe HTML."""
    ring = None
    if symbol.ring is not None:
        ring = path_options(symbol.ring.style, "bm-ring", interactive=False)
    halo = None
    if symbol.halo_m:
        halo = {
            "radius": symbol.halo_m,
            "min_px": theme.halo_min_px(symbol),
            "color": symbol.halo_color or symbol.style.color,
            "weight": theme.HALO_WEIGHT_PX,
            "dash": theme.HALO_DASH,
            "css": f"bm-halo bm-halo-{symbol.kind}",
        }
    return {
        "id": symbol.id,
        "lat": symbol.lat,
        "lon": symbol.lon,
        "style": path_options(symbol.style, " ".join(f"bm-{t}" for t in symbol.tags)),
        "halo": halo,
        "reach": theme.symbol_reach_px(symbol),
        "ring": ring,
        "tooltip": tooltip_html(symbol.tooltip),
        "popup": popup_html(symbol.popup),
        # Plain text (set as an attribute, never parsed as HTML): what a screen reader says.
        "name": html_text(symbol.tooltip) if symbol.tooltip and symbol.popup else None,
        "pane": symbol_pane(symbol),
    }


def symbol_pane(symbol: Symbol) -> str | None:
    """The Leaflet pane a symbol is drawn in, None for the overlay pane: facilities above
    the crossings' circles (one under a circle stays seen and reached), and a crossing no
    larger than a facility above the facilities (the image stacks them the same way)."""
    if symbol.kind == "facility":
        return "bmFacilities"
    if symbol.style.radius <= theme.FACILITY_RADIUS_PX:
        return "bmSmallSymbols"
    return None


_LABEL_CSS = {
    "figure": "bm-figure bm-known",
    "note": "bm-figure bm-unknown",
    "name": "bm-name",
    "context": "bm-context",
}
# Country names (priority 2) stand out from town names (3 and up).
_CONTEXT_CSS = {2: " bm-country"}


def label_data(label: Label) -> dict:
    """What :class:`PointLayer` needs of one label, its text made safe HTML.

    Examples
    --------
    >>> town = Label("<b>Dandong</b>", "town:Dandong", 40.12, 124.38, "context", 5, "center")
    >>> data = label_data(town)
    >>> data["text"], data["css"]
    ('&lt;b&gt;Dandong&lt;/b&gt;', 'bm-context bm-town')
    """
    css = _LABEL_CSS.get(label.role, "bm-name") + (" bm-inverse" if label.inverse else "")
    if label.role == "context":
        css += _CONTEXT_CSS.get(label.priority, " bm-town")
    return {
        "lat": label.lat,
        "lon": label.lon,
        "text": html_text(label.text),
        "css": css,
        "fixed": label.fixed,
        "radius": label.radius,
        "priority": label.priority,
        "leader": label.leader,
        "tether": label.role == "figure",  # beside its circle, always with a leader line
        **({"area": label.area} if label.area else {}),
    }


def add_points(
    m: folium.Map,
    name: str,
    symbols: Sequence[Symbol],
    labels: Sequence[Label] = (),
    **group_options: Any,
) -> folium.FeatureGroup:
    """One feature group of symbols and their labels."""
    group = folium.FeatureGroup(name=name, **group_options)
    PointLayer([point_data(s) for s in symbols], [label_data(x) for x in labels]).add_to(group)
    group.add_to(m)
    return group


def add_context(m: folium.Map, spec: MapSpec, *, drawn: bool) -> None:
    """Country and town names of the basemap, under everything else (none over tiles, which
    carry their own)."""
    context = [label for label in spec.labels if label.role == "context"]
    if drawn and context:
        add_points(m, "context", [], context, control=False)
