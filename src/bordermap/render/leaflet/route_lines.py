"""Routes on the Leaflet map: lines with arrowheads drawn from the spec's route lines.

The lines live in their own pane below the overlay pane, so crossing and facility symbols
stay on top of them whatever layer is switched on or off.
"""

from __future__ import annotations

from collections.abc import Sequence

import folium

from bordermap.render.leaflet.elements import StyleSheet, WebPart
from bordermap.render.leaflet.markup import popup_html, tooltip_html
from bordermap.safe import html_text, script_json
from bordermap.spec import RouteLine

__all__ = ["RouteLayer", "add_routes"]

PANE = "bmRoutes"
PANE_Z_INDEX = 350  # over tiles (200), under overlays (400): symbols stay on top
DASH_ARRAY = "10 7"

# The overlay pane's SVG would catch clicks meant for the route pane beneath it; its
# interactive paths keep their own pointer events.
ROUTE_CSS = """
.leaflet-overlay-pane > svg { pointer-events: none; }
.bm-arrow svg { overflow: visible; }
.bm-route-popup td:first-child { color: #555; white-space: nowrap; }
.leaflet-interactive.bm-route-hit[role=button]:focus { stroke-width: 14px; stroke-opacity: 0.35; }
"""


class RouteLayer(WebPart):
    """Route lines and arrowheads, drawn from the spec's :class:`~bordermap.spec.RouteLine` s.

    Each line is a Leaflet polyline (class ``bm-route`` and ``bm-reported``/``bm-inferred``,
    dashed when inferred) over a wider invisible one that makes a thin line easy to click;
    both share the tooltip and popup. Arrowheads are small SVG triangles built with DOM calls
    (no data in ``innerHTML``) and rotated by each arrow's bearing. Add it to a
    ``folium.FeatureGroup`` on the map.
    """

    scripts = ("button.js", "route_layer.js")
    draw = "bordermapRouteLayer"

    def __init__(self, routes: list[dict]) -> None:
        super().__init__()
        self._name = "RouteLayer"
        self.add_child(StyleSheet(ROUTE_CSS, name="RouteStyles"))
        self.routes = routes

    def data_json(self) -> str:
        return script_json(
            {"dash": DASH_ARRAY, "pane": PANE, "routes": self.routes, "z_index": PANE_Z_INDEX}
        )


def _route_data(line: RouteLine) -> dict:
    return {
        "coords": [list(c) for c in line.coords],
        "weight": line.weight,
        "dashed": line.dashed,
        "color": line.color,
        "arrows": [{"lat": a.lat, "lon": a.lon, "bearing_deg": a.bearing_deg} for a in line.arrows],
        "tooltip": tooltip_html(line.tooltip),
        # Plain text (set as an attribute, never parsed as HTML): what a screen reader says.
        "name": html_text(" ".join(line.tooltip.split("\n"))),
        "popup": popup_html(line.popup, css_class="bm-popup bm-route-popup"),
    }


def add_routes(m: folium.Map, lines: Sequence[RouteLine], name: str) -> None:
    """Draw the routes on a map in their own layer (nothing when there are none).

    Examples
    --------
    >>> import bordermap
    >>> spec = bordermap.describe_crossings(bordermap.join_estimates(
    ...     bordermap.load_crossings(), bordermap.inputs.bundled_path("events/2023-10-09.csv")),
    ...     bordermap.load_facilities())
    >>> m = folium.Map()
    >>> add_routes(m, spec.routes, "Routes")
    >>> len(spec.routes)
    7
    """
    if not lines:
        return
    group = folium.FeatureGroup(name=name)
    RouteLayer([_route_data(line) for line in lines]).add_to(group)
    group.add_to(m)
