"""The crossing map page: a folium Map drawn from a :class:`~bordermap.spec.MapSpec`.

The map description decides every symbol, label, text and colour; this module turns it
into Leaflet layers. Text reaches the page as escaped HTML inside JSON data
(:mod:`bordermap.render.leaflet.markup`, :func:`bordermap.safe.script_json`), so
``{{ … }}`` in a spreadsheet cell is shown as typed and ``<script>`` as text.
"""

from __future__ import annotations

import functools
from typing import Any

import folium

from bordermap import i18n
from bordermap.render.leaflet.access import AccessibleMap
from bordermap.render.leaflet.elements import (
    BordermapMap,
    HtmlControl,
    LayerControl,
    LeafletLabels,
    StyleSheet,
    TileLayer,
)
from bordermap.render.leaflet.markup import credit_html, legend_html, words_html
from bordermap.render.leaflet.offline_basemap import offline_basemap
from bordermap.render.leaflet.placement import (
    FirstView,
    LabelPlacer,
    PanelClearance,
    symbol_extent,
)
from bordermap.render.leaflet.point_layer import PointLayer, add_context, add_points
from bordermap.safe import html_text
from bordermap.spec import CrossingMapSpec, MapSpec, Symbol, TimelineSpec

__all__ = ["DEFAULT_TILES", "OFFLINE_TILES", "PointLayer", "draw_map", "drawn_tiles"]

DEFAULT_TILES = "Esri.WorldGrayCanvas"
#: The tiles that need no network: bordermap's own basemap (as ``tiles=None``).
OFFLINE_TILES = "offline"


def drawn_tiles(tiles: Any) -> Any:
    """The tile provider a map draws: None for bordermap's offline basemap (``"offline"``).

    Examples
    --------
    >>> drawn_tiles("Offline"), drawn_tiles("light")
    (None, 'light')
    """
    if isinstance(tiles, str) and tiles.strip().lower() == OFFLINE_TILES:
        return None
    return tiles


def _lang_css(lang: str) -> str:
    """The language's font stack on every piece of text the map shows (Leaflet's too)."""
    font = i18n.font_family(lang)
    css = (
        ".leaflet-container, .bm-panel, .bm-figure span, .bm-name span, .bm-context span,"
        " .leaflet-popup-content,"
        f" .leaflet-tooltip, .leaflet-control-layers {{ font-family: {font}; }}"
    )
    if font != i18n.font_family("en"):
        # A figure's digits come from the Latin face the figures are fitted in
        # (describe.figure_fit), its words from the language's: its box is then the digits'
        # height, not a tall script face's line (an Arabic face's is twice the digits'), and
        # it fits between the facility dots on its circle.
        css += f' .bm-figure.bm-known span {{ font-family: "Helvetica Neue", Arial, {font}; }}'
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
        # Shown in a notebook with no network, the map still has land, borders and names.
        m.notebook_backdrop = functools.partial(offline_basemap, beneath=True)
    elif basemap:
        from bordermap.basemap import world_basemap
        from bordermap.render.leaflet.backdrop import VectorBasemap

        # A margin of the view's own size on every side: land still fills a wide or tall
        # screen, and a zoom out or a pan (about 110 kB for one border region).
        VectorBasemap(world_basemap(area, margin=1.0) if area is not None else None).add_to(m)
    StyleSheet().add_to(m)
    StyleSheet(_lang_css(lang), name="BordermapLanguage").add_to(m)
    LeafletLabels(lang).add_to(m)
    return m


def add_title(m: folium.Map, heading: str, subtitle: str | None) -> None:
    """The title panel (top left): a heading and an optional subtitle, escaped."""
    html = f"<h1>{words_html(heading)}</h1>" + (
        f"<p>{words_html(subtitle)}</p>" if subtitle else ""
    )
    HtmlControl(html, position="topleft", css_class="bm-title").add_to(m)


def fit(m: folium.Map, spec: MapSpec) -> None:
    """The first view: the spec's bounds and every symbol whole (rings and halos included),
    as large as they fit between the panels
    (:class:`~bordermap.render.leaflet.placement.FirstView`), once the bottom-left panels
    stand clear of the attribution. Add it after every panel."""
    PanelClearance().add_to(m)
    if spec.bounds:
        symbols = list(spec.symbols)
        for step in spec.steps if isinstance(spec, TimelineSpec) else ():
            symbols += [*step.event, *step.cumulative]
        FirstView(spec.bounds, [symbol_extent(s) for s in symbols]).add_to(m)


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
    spec: CrossingMapSpec,
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
    from bordermap.render.leaflet.route_lines import add_routes

    tiles = drawn_tiles(tiles)
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
        from bordermap.render.leaflet.case_layer import add_cases

        add_cases(m, spec.cases, spec.layer_names.get("cases", "cases"))
    LayerControl(collapsed=False).add_to(m)
    LabelPlacer().add_to(m)
    AccessibleMap(spec).add_to(m)
    fit(m, spec)
    m.page_lang = spec.lang
    m.page_dir = spec.direction
    m.page_description = spec.summary
    m.spec = spec
    return m
