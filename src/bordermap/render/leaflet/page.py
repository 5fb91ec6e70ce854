"""The crossing map page: a folium Map drawn from a :class:`~bordermap.spec.MapSpec`.

The map description decides every symbol, label, text and colour; this module turns it
into Leaflet layers. Text reaches the page as escaped HTML inside JSON data
(:mod:`bordermap.render.leaflet.markup`, :func:`bordermap.safe.script_json`), so
``{{ … }}`` in a spreadsheet cell is shown as typed and ``<script>`` as text.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

import folium
from jinja2 import Template

from bordermap import i18n
from bordermap.arguments import FRAME, NONE, TEXT, check_argument
from bordermap.describe import describe_crossings_for_publication
from bordermap.layers import load_crossings, load_facilities
from bordermap.render.leaflet.access import AccessibleMap
from bordermap.render.leaflet.elements import (
    BordermapMap,
    HtmlControl,
    KeyboardScript,
    LayerControl,
    LeafletLabels,
    LiteralElement,
    StyleSheet,
    TileLayer,
)
from bordermap.render.leaflet.markup import credit_html, legend_html, popup_html, tooltip_html
from bordermap.render.leaflet.placement import FirstView, LabelPlacer, PanelClearance
from bordermap.safe import html_text, script_json
from bordermap.spec import Label, MapSpec, PathStyle, Symbol

__all__ = ["DEFAULT_TILES", "PointLayer", "crossing_map", "draw_map"]

DEFAULT_TILES = "Esri.WorldGrayCanvas"


class PointLayer(LiteralElement):
    """Circle symbols with tooltips and popups, and their labels, from JSON lists.

    Each point: ``lat``, ``lon``, ``style`` (Leaflet path options), ``halo_m`` (a dashed
    ring of that many metres: location uncertainty), ``ring`` (path options of a faint
    circle under the symbol: a range), ``tooltip`` and ``popup`` (safe HTML). Each label:
    ``lat``, ``lon``, ``text`` (safe HTML), ``css``, ``fixed`` (centred on its symbol),
    ``radius`` (its symbol's, px), ``priority`` and ``leader``. The labels that are not
    fixed are placed by ``bordermapPlaceLabels`` (:class:`LabelPlacer`) whenever the view
    changes: measured in the page, kept off the panels, each other, the figures on their
    circles and every symbol but their own (of every layer shown: facilities too), moved out
    with a leader line, or hidden. Add it to a ``folium.FeatureGroup``.
    """

    _template = Template(
        """{% macro script(this, kwargs) %}
(function () {
  var group = {{ this._parent.get_name() }};
  var points = {{ this.points_json }};
  points.forEach(function (p) {
    if (p.halo_m) {
      L.circle([p.lat, p.lon], {radius: p.halo_m, color: p.style.color, weight: 1,
        dashArray: "4 4", fill: false, interactive: false,
        className: "bm-halo"}).addTo(group);
    }
    if (p.ring) { L.circleMarker([p.lat, p.lon], p.ring).addTo(group); }
    var marker = L.circleMarker([p.lat, p.lon], p.style).addTo(group);
    if (p.tooltip) { marker.bindTooltip(p.tooltip, {direction: "top", sticky: true}); }
    if (p.popup) { marker.bindPopup(p.popup, {maxWidth: 360}); }
    // A symbol (crossing, facility) is reached with Tab, named, and opened with Enter or
    // Space, like a button.
    if (p.name) { bordermapButton(marker, p.name); }
  });
  var labels = {{ this.labels_json }}.map(function (l) {
    var marker = L.marker([l.lat, l.lon], {interactive: false, keyboard: false,
      icon: L.divIcon({className: l.css, iconSize: [0, 0],
        html: "<span class='bm-label-text'>" + l.text + "</span>"})}).addTo(group);
    return {data: l, marker: marker};
  });
  var leaders = L.layerGroup().addTo(group);
  bordermapLabelLayers.push({group: group, measure: function (map, frame) {
    if (!map.hasLayer(group)) { return null; }
    leaders.clearLayers();
    var movable = [], spans = [], fixed = [];
    // Every symbol of the layer, labelled or not: no other label may cover it.
    var symbols = points.map(function (p) {
      var at = map.latLngToContainerPoint([p.lat, p.lon]);
      return {x: at.x, y: at.y, radius: p.style.radius};
    });
    labels.forEach(function (item, i) {
      var icon = item.marker.getElement();
      if (!icon) { return; }
      var span = icon.firstChild;
      var at = map.latLngToContainerPoint([item.data.lat, item.data.lon]);
      // A figure on its circle stays there: other labels keep off the circle, and off
      // the figure where it reaches out of the circle (a wide number on a small one).
      if (item.data.fixed) {
        var r = span.getBoundingClientRect(), x = r.left - frame.left, y = r.top - frame.top;
        var dx = Math.max(at.x - x, x + r.width - at.x);
        var dy = Math.max(at.y - y, y + r.height - at.y);
        if (dx * dx + dy * dy > item.data.radius * item.data.radius) {
          fixed.push({x: x, y: y, width: r.width, height: r.height});
        }
        return;
      }
      movable.push({id: String(i), x: at.x, y: at.y, radius: item.data.radius,
        width: span.offsetWidth, height: span.offsetHeight,
        priority: item.data.priority, leader: item.data.leader});
      spans.push([span, at]);
    });
    return {labels: movable, symbols: symbols, fixed: fixed, apply: function (placements) {
      placements.forEach(function (placed, k) {
        var span = spans[k][0], at = spans[k][1];
        span.classList.toggle("bm-hidden", !placed.placed);
        span.setAttribute("aria-hidden", placed.placed ? "false" : "true");
        if (!placed.placed) { return; }
        span.style.left = (placed.box.x - at.x) + "px";
        span.style.top = (placed.box.y - at.y) + "px";
        span.style.transform = "none";
        if (placed.leader) {
          var a = placed.leader;
          L.polyline([map.containerPointToLatLng([a.x1, a.y1]),
            map.containerPointToLatLng([a.x2, a.y2])],
            {color: "#555", weight: 1, interactive: false, className: "bm-leader",
             pane: "bmLeaders"}).addTo(leaders);
        }
      });
    }};
  }});
})();
{% endmacro %}"""
    )

    def __init__(self, points: list[dict], labels: list[dict] | None = None) -> None:
        super().__init__()
        self._name = "PointLayer"
        self.add_child(KeyboardScript())
        self.points_json = script_json(points)
        self.labels_json = script_json(labels or [])


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
    return {
        "id": symbol.id,
        "lat": symbol.lat,
        "lon": symbol.lon,
        "style": path_options(symbol.style, " ".join(f"bm-{t}" for t in symbol.tags)),
        "halo_m": symbol.halo_m,
        "ring": ring,
        "tooltip": tooltip_html(symbol.tooltip),
        "popup": popup_html(symbol.popup),
        # Plain text (set as an attribute, never parsed as HTML): what a screen reader says.
        "name": html_text(symbol.tooltip) if symbol.tooltip and symbol.popup else None,
    }


_LABEL_CSS = {
    "figure": "bm-figure bm-known",
    "note": "bm-figure bm-unknown",
    "name": "bm-name",
    "context": "bm-context",
}
# Country names (priority 2) stand out from town names (3 and up).
_CONTEXT_CSS = {2: " bm-country"}


def label_data(label: Label) -> dict:
    """What :class:`PointLayer` needs of one label, its text made safe HTML."""
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
    }


def _lang_css(lang: str) -> str:
    """The language's font stack on every piece of text the map shows (Leaflet's too)."""
    font = i18n.font_family(lang)
    css = (
        ".leaflet-container, .bm-panel, .bm-figure span, .bm-name span, .bm-context span,"
        " .leaflet-popup-content,"
        f" .leaflet-tooltip, .leaflet-control-layers {{ font-family: {font}; }}"
    )
    if lang != "en":  # Korea and China measure in km: no line in miles
        css += " .leaflet-control-scale-line + .leaflet-control-scale-line { display: none; }"
    return css


def base_map(
    tiles: Any,
    width: str | int,
    height: str | int,
    basemap: bool = True,
    lang: str = "en",
    area: tuple[float, float, float, float] | None = None,
) -> BordermapMap:
    """The empty map every bordermap view starts from: pinned Leaflet, tiles or the offline
    vector basemap of ``area`` (west, south, east, north; the bundled China–North Korea
    region without one), stylesheets, and Leaflet's own labels and fonts in ``lang``."""
    m = BordermapMap(
        location=None, tiles=None, width=width, height=height, control_scale=True, zoom_control=True
    )
    if tiles:
        from bordermap.render.leaflet.tiles import tile_provider

        provider = tile_provider(tiles)
        TileLayer(
            provider.build_url(),
            provider.get("attribution", ""),
            max_zoom=provider.get("max_zoom", 18),
        ).add_to(m)
        m.has_tiles = True
    elif basemap:
        from bordermap.basemap import world_basemap
        from bordermap.render.leaflet.basemap import VectorBasemap

        # A margin of the view's own size on every side: land still fills a wide or tall
        # screen, and a zoom out or a pan (about 110 kB for one border region).
        VectorBasemap(world_basemap(area, margin=1.0) if area is not None else None).add_to(m)
    StyleSheet().add_to(m)
    StyleSheet(_lang_css(lang), name="BordermapLanguage").add_to(m)
    LeafletLabels(lang).add_to(m)
    return m


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


def add_title(m: folium.Map, heading: str, subtitle: str | None) -> None:
    """The title panel (top left): a heading and an optional subtitle, escaped."""
    html = f"<h1>{html_text(heading)}</h1>" + (f"<p>{html_text(subtitle)}</p>" if subtitle else "")
    HtmlControl(html, position="topleft", css_class="bm-title").add_to(m)


def fit(m: folium.Map, spec: MapSpec) -> None:
    """The first view: the spec's bounds as large as they fit between the panels
    (:class:`~bordermap.render.leaflet.placement.FirstView`), once the bottom-left panels
    stand clear of the attribution. Add it after every panel."""
    PanelClearance().add_to(m)
    if spec.bounds:
        largest = max((s.style.radius for s in spec.symbols), default=0.0)
        for step in spec.steps:
            for symbol in (*step.event, *step.cumulative):
                largest = max(largest, symbol.style.radius)
        FirstView(spec.bounds, inset=largest + 4).add_to(m)


def add_panels(m: folium.Map, spec: MapSpec) -> None:
    """Title, legend and credit panels; on a small screen the legend folds into a button
    and the credit into one line that opens."""
    lang = spec.lang
    add_title(m, spec.title, spec.subtitle)
    legend = (
        f'<button type="button" class="bm-fold" aria-expanded="false">'
        f"{html_text(i18n.text('legend_button', lang))}</button>"
        f'<div class="bm-legend-body">{legend_html(spec.legend)}</div>'
    )
    HtmlControl(legend, position="bottomright", css_class="bm-legend").add_to(m)
    more = html_text(i18n.text("sources_button", lang))
    credit = (
        f'<button type="button" class="bm-fold" aria-expanded="false" aria-label="{more}" '
        f'title="{more}">+</button><div class="bm-credit-body">{credit_html(spec.credit)}</div>'
    )
    HtmlControl(credit, position="bottomleft", css_class="bm-credit").add_to(m)
    m.get_root().title = html_text(spec.title)  # type: ignore[attr-defined]


def draw_map(
    spec: MapSpec,
    *,
    tiles: Any = None,
    width: str | int = "100%",
    height: str | int = "100%",
    basemap: bool = True,
) -> BordermapMap:
    """Draw a crossing map's description as a folium map.

    Examples
    --------
    >>> import bordermap
    >>> spec = bordermap.describe_crossings(bordermap.load_crossings())
    >>> draw_map(spec).spec is spec
    True
    """
    from bordermap.render.leaflet.routes import add_routes

    m = base_map(tiles, width, height, basemap=basemap, lang=spec.lang, area=spec.basemap_area)
    add_context(m, spec, drawn=not tiles and basemap)
    add_routes(m, spec.routes, spec.layer_names.get("routes", "Routes"))
    symbols_by_layer: dict[str, list[Symbol]] = {}
    for symbol in spec.symbols:
        symbols_by_layer.setdefault(symbol.layer, []).append(symbol)
    for layer, symbols in symbols_by_layer.items():
        if layer != "crossings":
            add_points(m, spec.layer_names.get(layer, layer), symbols)
    add_points(
        m,
        spec.layer_names.get("crossings", "crossings"),
        symbols_by_layer.get("crossings", []),
        [label for label in spec.labels if label.role != "context"],
    )
    add_panels(m, spec)
    if spec.cases is not None:
        from bordermap.render.leaflet.cases import add_case_payload

        add_case_payload(m, spec.cases.payload, spec.layer_names.get("cases", "cases"))
    LayerControl(collapsed=False).add_to(m)
    LabelPlacer().add_to(m)
    AccessibleMap(spec).add_to(m)
    fit(m, spec)
    m.page_lang = spec.lang
    m.page_description = spec.summary
    m.spec = spec
    return m


def crossing_map(
    joined,
    facilities=None,
    *,
    title: str | None = None,
    subtitle: str | None = None,
    credit: str | None = None,
    lang: str = "en",
    tiles: Any = DEFAULT_TILES,
    width: str | int = "100%",
    height: str | int = "100%",
    routes: Any = None,
    basemap: bool = True,
    publish: bool | str = False,
    cases: Any = None,
) -> BordermapMap:
    """Draw crossings with their published figures, and facilities, as a Leaflet map.

    Parameters
    ----------
    joined : geopandas.GeoDataFrame
        From :func:`bordermap.join_estimates` (or bare crossings: all shown as unknown).
    facilities : geopandas.GeoDataFrame, optional
        From :func:`bordermap.load_facilities`.
    title, subtitle : str, optional
        Shown at the top; defaults name the event and its date.
    credit : str, optional
        Replaces the credit line (by default: every source cited, with its date).
    lang : {"en", "ko", "zh"}
        Language of labels, legend and popups.
    tiles : str or None, default "Esri.WorldGrayCanvas"
        A tile provider (see :func:`bordermap.tile_provider`), or None for no tiles (needed
        for offline files): the offline vector basemap is drawn instead.
    width, height : str or int
        Size of the map.
    basemap : bool, default True
        Draw the offline Natural Earth basemap when there are no tiles.
    routes : None, False, path or DataFrame
        Routes facility → crossing → facility (:func:`bordermap.load_routes`). None: the
        bundled routes of the map's event when every crossing and facility they name is on
        the map (:func:`bordermap.routes.bundled_routes_for`); False: no routes.
    publish : bool or {"generalise", "drop"}, default False
        Draw only what may be published (:func:`bordermap.prepare_for_publication` on
        crossings, their estimates, facilities and routes): True or ``"generalise"`` moves
        restricted features to city level, ``"drop"`` leaves them out (and the routes to
        them); route notes are left out too; the credit line says how many. The
        :class:`bordermap.publish.Audit` is kept on the map as ``m.audit`` and never
        written into a file.
    cases : GeoDataFrame, DataFrame or CaseLayer, optional
        Case records drawn as a :func:`bordermap.case_layer` (binned at low zoom). With
        ``publish``, only counts per grid cell of at least 5 records are drawn
        (:func:`bordermap.disclosure.aggregate_cases`; aggregate them yourself for another
        ``k``), and a prepared CaseLayer is refused.

    Returns
    -------
    folium.Map
        Shown inline in Jupyter; save it with :func:`bordermap.save`. ``m.spec`` is its
        :class:`~bordermap.spec.MapSpec`, which :func:`bordermap.to_image` draws too.

    Examples
    --------
    >>> import bordermap
    >>> crossings = bordermap.load_crossings()
    >>> joined = bordermap.join_estimates(crossings, bordermap.read_estimates(
    ...     bordermap.io.bundled_path("events/2023-10-09.csv")))
    >>> m = bordermap.crossing_map(joined, bordermap.load_facilities(), tiles=None)
    >>> "Tumen → Onsong" in m.get_root().render(), m.spec.title
    (True, 'Forced repatriation from China to North Korea')
    """
    check_argument("joined", joined, FRAME)
    check_argument("facilities", facilities, FRAME, NONE)
    for name, value in (("title", title), ("subtitle", subtitle), ("credit", credit)):
        check_argument(name, value, TEXT, NONE)
    check_argument("lang", lang, TEXT)
    # Frames in any CRS, or with lat/lon columns, meet the checks a file does.
    joined = load_crossings(joined)
    if facilities is not None and len(facilities):
        facilities = load_facilities(facilities)
    if cases is not None and hasattr(cases, "payload") and not publish:
        cases = cases.payload
    spec, audit = describe_crossings_for_publication(
        joined,
        facilities,
        title=title,
        subtitle=subtitle,
        credit_text=credit,
        lang=lang,
        routes=routes,
        publish=publish,
        cases=cases,
    )
    m = draw_map(spec, tiles=tiles, width=width, height=height, basemap=basemap)
    m.audit = audit
    # Where the data came from on this machine: save() never writes over one of them.
    m.input_files = [
        *(i["file"] for i in joined.attrs.get("inputs", []) if i.get("file")),
        *(
            [facilities.attrs["source_file"]]
            if getattr(facilities, "attrs", {}).get("source_file")
            else []
        ),
        *([str(routes)] if isinstance(routes, (str, os.PathLike)) else []),
    ]
    return m
