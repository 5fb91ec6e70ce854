"""Routes on the Leaflet map: lines with arrowheads drawn from the spec's route lines.

The lines live in their own pane below the overlay pane, so crossing and facility symbols
stay on top of them whatever layer is switched on or off.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import folium
from jinja2 import Template

from bordermap.render.leaflet.elements import KeyboardScript, LiteralElement
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


class RouteLayer(LiteralElement):
    """Route lines and arrowheads, drawn from the spec's :class:`~bordermap.spec.RouteLine` s.

    Each line is a Leaflet polyline (class ``bm-route`` and ``bm-reported``/``bm-inferred``,
    dashed when inferred) over a wider invisible one that makes a thin line easy to click;
    both share the tooltip and popup. Arrowheads are small SVG triangles built with DOM calls
    (no data in ``innerHTML``) and rotated by each arrow's bearing. Add it to a
    ``folium.FeatureGroup`` on the map.
    """

    _template = Template(
        """{% macro header(this, kwargs) %}<style>{{ this.css }}</style>{% endmacro %}
{% macro script(this, kwargs) %}
(function () {
  var map = {{ this.map_name }};
  var group = {{ this._parent.get_name() }};
  var paneName = {{ this.pane_json }};
  var pane = map.getPane(paneName) || map.createPane(paneName);
  pane.style.zIndex = {{ this.z_index }};
  var renderer = L.svg({pane: paneName});
  var SVG = "http://www.w3.org/2000/svg";
  function arrowIcon(route, arrow) {
    var size = Math.max(12, 2 * route.weight + 8);
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("width", size);
    svg.setAttribute("height", size);
    svg.setAttribute("viewBox", "-6 -6 12 12");
    svg.style.transform = "rotate(" + Number(arrow.bearing_deg) + "deg)";
    var head = document.createElementNS(SVG, "path");
    head.setAttribute("d", "M0,-5.5 L4.5,4.5 L0,2 L-4.5,4.5 Z");
    head.setAttribute("fill", route.color);
    head.setAttribute("stroke", "#ffffff");
    head.setAttribute("stroke-width", "0.8");
    svg.appendChild(head);
    return L.divIcon({className: "bm-arrow", html: svg, iconSize: [size, size]});
  }
  {{ this.routes_json }}.forEach(function (route) {
    var status = route.dashed ? "bm-inferred" : "bm-reported";
    var line = L.polyline(route.coords, {
      color: route.color, weight: route.weight, opacity: 0.85, lineCap: "butt",
      dashArray: route.dashed ? {{ this.dash_json }} : null,
      className: "bm-route " + status, renderer: renderer
    });
    var hit = L.polyline(route.coords, {
      color: route.color, weight: Math.max(route.weight, 14), opacity: 0,
      className: "bm-route-hit", renderer: renderer
    });
    var both = L.featureGroup([hit, line]);
    both.bindTooltip(route.tooltip, {sticky: true});
    both.bindPopup(route.popup, {maxWidth: 380});
    both.addTo(group);
    // One Tab stop per route, on the wide hit line, named by its tooltip.
    bordermapButton(both, route.name);
    route.arrows.forEach(function (arrow) {
      L.marker([arrow.lat, arrow.lon], {
        icon: arrowIcon(route, arrow), pane: paneName, interactive: false, keyboard: false
      }).addTo(group);
    });
  });
})();
{% endmacro %}"""
    )

    def __init__(self, routes: list[dict]) -> None:
        super().__init__()
        self._name = "RouteLayer"
        self.add_child(KeyboardScript())
        self.routes_json = script_json(routes)
        self.pane_json = script_json(PANE)
        self.dash_json = script_json(DASH_ARRAY)
        self.z_index = PANE_Z_INDEX
        self.css = ROUTE_CSS

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]
        parent = self._parent
        while parent is not None and not isinstance(parent, folium.Map):
            parent = getattr(parent, "_parent", None)
        if parent is None:
            raise TypeError("add RouteLayer to a FeatureGroup on a folium Map")
        self.map_name = parent.get_name()
        super().render(**kwargs)


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
