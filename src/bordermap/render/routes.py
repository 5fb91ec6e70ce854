"""Routes on the Leaflet map: lines with arrowheads drawn from :func:`bordermap.routes.route_lines`.

The lines live in their own pane below the overlay pane, so crossing and facility symbols
stay on top of them whatever layer is switched on or off.
"""

from __future__ import annotations

import os

import folium
import pandas as pd
from jinja2 import Template

from bordermap import io, style
from bordermap.errors import InputFileError
from bordermap.render.html import LiteralElement
from bordermap.routes import checked_routes, route_lines
from bordermap.safe import html_text, script_json

__all__ = ["RouteLayer", "add_routes", "resolve_routes", "route_legend_rows"]

PANE = "bmRoutes"
PANE_Z_INDEX = 350  # over tiles (200), under overlays (400): symbols stay on top
DASH_ARRAY = "10 7"

# The overlay pane's SVG would catch clicks meant for the route pane beneath it; its
# interactive paths keep their own pointer events.
ROUTE_CSS = """
.leaflet-overlay-pane > svg { pointer-events: none; }
.bm-arrow svg { overflow: visible; }
.bm-route-popup td:first-child { color: #555; white-space: nowrap; }
"""


class RouteLayer(LiteralElement):
    """Route lines and arrowheads, drawn from the renderer-neutral list of :func:`route_lines`.

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
        self.routes_json = script_json(routes)
        self.pane_json = script_json(PANE)
        self.dash_json = script_json(DASH_ARRAY)
        self.z_index = PANE_Z_INDEX
        self.css = ROUTE_CSS

    def render(self, **kwargs) -> None:
        parent = self._parent
        while parent is not None and not isinstance(parent, folium.Map):
            parent = getattr(parent, "_parent", None)
        if parent is None:
            raise TypeError("add RouteLayer to a FeatureGroup on a folium Map")
        self.map_name = parent.get_name()
        super().render(**kwargs)


def _is_bundled(attrs_inputs: list[dict], name: str) -> bool:
    digest = io.bundled_sha256(name)
    return any(i.get("sha256") == digest for i in attrs_inputs)


def _bundled_routes_apply(joined, facilities) -> bool:
    """The default: routes only for the bundled event on the bundled crossings and facilities."""
    event = joined.attrs.get("event")
    inputs = list(joined.attrs.get("inputs", []))
    if not event or facilities is None:
        return False
    try:
        bundled = (
            _is_bundled(inputs, f"events/{event}.csv")
            and _is_bundled(inputs, "crossings.geojson")
            and _is_bundled([facilities.attrs], "facilities.geojson")
        )
    except InputFileError:
        return False
    return bundled


def resolve_routes(
    routes: bool | str | os.PathLike | pd.DataFrame | None, joined, facilities
) -> pd.DataFrame | None:
    """The routes table ``crossing_map(routes=...)`` asks for, or None for no routes.

    None: the bundled routes when the map shows the bundled event with the bundled crossings
    and facilities; False: none; a path or DataFrame: that table, checked against the map's
    crossings and facilities.
    """
    if routes is False:
        return None
    if routes is None or routes is True:
        if not _bundled_routes_apply(joined, facilities):
            return None
        routes = None
    return checked_routes(routes, joined, facilities)


def add_routes(
    m: folium.Map, joined, facilities, routes, lang: str
) -> tuple[list[dict], dict | None]:
    """Draw the routes on a map in their own layer.

    Returns the description drawn (:func:`bordermap.routes.route_lines`) and the routes
    file read (``{"file", "sha256"}``, for the export's metadata), or ``([], None)``.

    Examples
    --------
    >>> import bordermap
    >>> joined = bordermap.join_estimates(bordermap.load_crossings(),
    ...     bordermap.io.bundled_path("events/2023-10-09.csv"))
    >>> m = folium.Map()
    >>> lines, source = add_routes(m, joined, bordermap.load_facilities(), None, "en")
    >>> len(lines), source["file"].endswith("routes.csv")
    (7, True)
    """
    table = resolve_routes(routes, joined, facilities)
    if table is None:
        return [], None
    lines = route_lines(table, joined, facilities, lang)
    if lines:
        group = folium.FeatureGroup(name=html_text(style.text("routes", lang)))
        RouteLayer(lines).add_to(group)
        group.add_to(m)
    source = {"file": table.attrs.get("source_file"), "sha256": table.attrs.get("sha256")}
    return lines, source


def route_legend_rows(lines: list[dict], lang: str) -> list[dict]:
    """Legend rows (kind ``line``) for the routes drawn: reported solid, inferred dashed.

    A third row explains the width when some route carries a published figure.

    Examples
    --------
    >>> [r["label"] for r in route_legend_rows([{"dashed": True, "weight": 1.5}], "en")]
    ['inferred route']
    """
    rows = []
    for dashed, key in ((False, "legend_reported"), (True, "legend_inferred")):
        if any(line["dashed"] is dashed for line in lines):
            rows.append(_line_row(dashed, 3, style.text(key, lang)))
    if any(line["weight"] > style.ROUTE_UNKNOWN_WEIGHT_PX for line in lines):
        rows.append(_line_row(False, 6, style.text("legend_route_width", lang)))
    return rows


def _line_row(dashed: bool, weight: float, label: str) -> dict:
    return {
        "kind": "line",
        "color": style.ROUTE_COLOR,
        "weight": weight,
        "dashed": dashed,
        "label": label,
    }
