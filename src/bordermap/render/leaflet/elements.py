"""The element kit of the page: every piece bordermap adds places its output literally.

branca compiles a ``MacroElement``'s rendered output as a Jinja template a second time, so
data inside it (``{{ 7*7 }}`` in a spreadsheet cell, a layer name, a tile attribution) would
be evaluated. Every element here derives from :class:`LiteralElement`, whose fixed template
is the only template its output ever passes through; text reaches it as JSON
(:func:`bordermap.safe.script_json`) or escaped HTML (:func:`bordermap.safe.html_text`).
"""

from __future__ import annotations

from collections import OrderedDict
from contextlib import nullcontext
from typing import Any, ClassVar

import folium
from branca.element import Element, MacroElement
from jinja2 import Template

from bordermap import i18n
from bordermap.render.inline import web_script
from bordermap.safe import html_text, script_json

__all__ = [
    "CONTEXT_CSS",
    "BordermapMap",
    "HtmlControl",
    "LayerControl",
    "LeafletLabels",
    "LiteralElement",
    "StyleSheet",
    "TileLayer",
    "WebPart",
    "WebScript",
    "map_of",
]

LEAFLET_JS = "https://cdn.jsdelivr.net/npm/leaflet@1.9.4/dist/leaflet.js"
LEAFLET_CSS = "https://cdn.jsdelivr.net/npm/leaflet@1.9.4/dist/leaflet.css"

#: The basemap's country and town names, and hidden labels: what a folium map saved offline on
#: bordermap's basemap needs of the page's styles (the rest would restyle the user's map).
CONTEXT_CSS = """
.leaflet-marker-icon .bm-label-text.bm-hidden { visibility: hidden; }
.bm-context { background: none; border: none; }
.bm-context span { position: absolute; white-space: nowrap; font: 11px Arial, sans-serif;
  color: #6a6a6a; text-shadow: 0 0 3px #fff, 0 0 2px #fff; pointer-events: none; }
.bm-context.bm-country span { font-size: 13px; letter-spacing: 0.12em; text-transform: uppercase;
  color: #7a7a7a; }
"""

_CSS = (
    CONTEXT_CSS
    + """
/* Leaflet places its corners with physical left and right: here with logical sides, so a
   right-to-left page (<html dir="rtl">) mirrors them — title, zoom and sources on the right,
   legend and attribution on the left — from this one stylesheet. */
.leaflet-container .leaflet-left { left: auto; inset-inline-start: 0; }
.leaflet-container .leaflet-right { right: auto; inset-inline-end: 0; }
.leaflet-container .leaflet-left .leaflet-control { margin-left: 0; margin-right: 0;
  margin-inline-start: 10px; float: inline-start; }
.leaflet-container .leaflet-right .leaflet-control { margin-left: 0; margin-right: 0;
  margin-inline-end: 10px; float: inline-end; }
.leaflet-container .leaflet-left .leaflet-control-scale { margin-inline-start: 5px; }
.leaflet-container .leaflet-control.leaflet-control-attribution { margin: 0; }
.bm-panel { background: rgba(255,255,255,0.94); padding: 8px 11px; border-radius: 4px;
  text-align: start; box-shadow: 0 1px 4px rgba(0,0,0,0.3); font: 12px/1.4 "Helvetica Neue", Arial,
  "Noto Sans CJK KR", "Noto Sans CJK SC", sans-serif; color: #222; max-width: 360px; }
.bm-title h1 { font-size: 17px; margin: 0 0 2px 0; }
.bm-title p { margin: 0; color: #444; }
.bm-legend h2 { font-size: 12px; margin: 0 0 4px 0; }
.bm-legend .bm-row { display: flex; align-items: center; gap: 6px; margin: 2px 0; }
.bm-legend svg { flex: none; }
.bm-credit { font-size: 11px; max-width: min(520px, calc(100vw - 420px)); }
/* folium sets the map's text to 1rem (16px): Leaflet's attribution and scale bar take the
   panels' size again. The attribution is a licence requirement, shown whole: it wraps. */
.leaflet-container .leaflet-control-attribution, .leaflet-container .leaflet-control-scale {
  font-size: 12px; }
.leaflet-container .leaflet-control-attribution { overflow-wrap: anywhere; text-wrap: balance; }
.bm-fold { display: none; }
.bm-legend-body { overflow-y: auto; }
.leaflet-container a.bm-crossing-focus:focus, .bm-fold:focus-visible { outline: 3px solid #1a4f8b; }
@media (max-width: 600px), (max-height: 500px) {
  .bm-panel { max-width: calc(100vw - 90px); padding: 6px 8px; }
  .bm-title h1 { font-size: 14px; }
  .bm-title p { font-size: 11px; }
  .bm-fold { display: block; font: inherit; font-weight: bold; color: #222; background: none;
    border: 0; padding: 4px 2px; min-height: 28px; min-width: 28px; cursor: pointer; }
  .bm-legend:not(.bm-open) .bm-legend-body { display: none; }
  .bm-credit { display: flex; align-items: flex-start; gap: 4px; }
  .bm-credit .bm-fold { padding: 0 2px; min-height: 24px; }
  .bm-credit:not(.bm-open) .bm-credit-body { white-space: nowrap; overflow: hidden;
    text-overflow: ellipsis; max-width: calc(100vw - 150px); }
}
@media print {
  @page { size: A4 landscape; margin: 10mm; }
  html, body { width: 100%; height: 100%; }
  .leaflet-control-zoom, .leaflet-control-layers, .bm-fold, .bm-table-panel { display: none; }
  /* Folded on a small screen or not, print shows them whole. */
  .bm-legend .bm-legend-body { display: block !important; max-height: none !important;
    overflow: visible; }
  .bm-credit .bm-credit-body { white-space: normal !important; max-width: none !important; }
  .bm-panel { box-shadow: none; border: 1px solid #999; }
}
.bm-figure, .bm-name { background: none; border: none; }
/* A label's box starts at its point in either direction (the page's placer moves it from
   there), and its text reads in its own direction: a Latin name on an Arabic map and an
   Arabic one on an English map each keep their order. */
.bm-figure span, .bm-name span, .bm-context span { left: 0; top: 0; unicode-bidi: plaintext; }
.bm-figure span, .bm-name span { position: absolute; white-space: nowrap;
  transform: translate(-50%, -50%); font: bold 13px Arial, "Noto Sans CJK KR", sans-serif;
  color: #fff; text-shadow: 0 0 3px #000, 0 0 2px #000; pointer-events: none; }
.bm-figure.bm-known:not(.bm-inverse) span { color: #222; text-shadow: 0 0 3px #fff, 0 0 2px #fff,
  0 0 1px #fff; }
.bm-figure.bm-unknown span { color: #333; text-shadow: 0 0 3px #fff, 0 0 2px #fff;
  font-weight: normal; font-style: italic; font-size: 11px; transform: translate(12px, -50%); }
.bm-name span { color: #222; font-weight: normal; font-size: 11px;
  text-shadow: 0 0 3px #fff, 0 0 2px #fff; transform: translate(-50%, 0); }
.leaflet-tooltip { white-space: normal; width: max-content; max-width: 320px; font-size: 12px; }
.bm-popup h3 { font-size: 14px; margin: 0 0 4px 0; }
.bm-popup table { border-collapse: collapse; }
.bm-popup td { padding-block: 2px; padding-inline: 0 6px; vertical-align: top; }
.bm-popup .bm-headline td { font-weight: bold; }
.bm-popup .bm-meta { color: #555; font-size: 11px; margin-top: 4px; }
/* Text from data may be one word of 10,000 letters or a stack of combining marks: it wraps
   inside its panel, tooltip and popup, and a label on the map is cut with an ellipsis (the
   whole text is in the crossing's popup and the data table). */
.bm-panel, .leaflet-tooltip, .leaflet-popup-content { overflow-wrap: anywhere; }
/* A word of a script without spaces (markup.words_html) moves to the next line whole. */
.bm-word { display: inline-block; max-width: 100%; }
.bm-name span, .bm-context span { max-width: 24em; overflow: hidden; text-overflow: ellipsis; }
.bm-credit-body { display: -webkit-box; -webkit-box-orient: vertical; -webkit-line-clamp: 8;
  overflow: hidden; }
"""
)


class _Literal(Element):
    """Text placed in the page exactly as given: never compiled as a template."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def render(self, **kwargs: Any) -> str:
        return self.text


class LiteralElement(MacroElement):
    """A ``MacroElement`` whose rendered output is placed in the page as literal text.

    branca's ``MacroElement.render`` wraps each rendered block in ``Element(template=...)``,
    which compiles it as a Jinja template a second time: data inside it (``{{ 7*7 }}`` in a
    spreadsheet cell) would be evaluated there. Every element bordermap adds derives from this
    class, so its fixed template is the only template its output ever passes through.
    """

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]  # branca: None at run time
        figure: Any = self.get_root()
        module = self._template.module
        for part, target in (
            ("header", figure.header),
            ("html", figure.html),
            ("script", figure.script),
        ):
            macro = getattr(module, part, None)
            if macro is not None:
                target.add_child(_Literal(str(macro(self, kwargs))), name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)


class StyleSheet(LiteralElement):
    """A fixed bordermap stylesheet (never data), in the page header."""

    _template = Template(
        "{% macro header(this, kwargs) %}<style>{{ this.css }}</style>{% endmacro %}"
    )

    def __init__(self, css: str = _CSS, name: str = "BordermapStyles") -> None:
        super().__init__()
        self._name = name
        self.css = css


class PageScript(LiteralElement):
    """A script every page holds once, however many elements add it: its name is fixed
    (``_page_name``), so a second copy replaces the first."""

    _page_name = ""

    def __init__(self) -> None:
        super().__init__()
        self._name = type(self).__name__

    def get_name(self) -> str:
        return self._page_name


class WebScript(PageScript):
    """One of the page's static scripts (``render/leaflet/web/NAME``) in the page head,
    once however many elements need it: its page name is the file's."""

    _template = Template(
        "{% macro header(this, kwargs) %}<script>{{ this.code }}</script>{% endmacro %}"
    )

    def __init__(self, filename: str) -> None:
        super().__init__()
        self._page_name = "bordermap_web_" + filename.removesuffix(".js")
        self.code = web_script(filename)


def map_of(element: Element) -> folium.Map:
    """The folium map an element sits on (its parent or a group's parent)."""
    parent: Any = element._parent
    while parent is not None and not isinstance(parent, folium.Map):
        parent = getattr(parent, "_parent", None)
    if parent is None:
        raise TypeError(f"add {type(element).__name__} to a folium Map or a group on one")
    return parent


class WebPart(LiteralElement):
    """An element drawn by one of the page's static scripts from data Python writes.

    The data goes into the page body as a JSON block (``<script type="application/json">``,
    :func:`bordermap.safe.script_json`) naming the function that draws it (``draw``) and the
    page variables of the element's parent and map; where folium places the element's
    script, the page calls ``bordermapDraw`` (``web/core.js``) with the block's id. The
    scripts (``scripts``, files of ``web/``) are static: no template writes JavaScript.
    """

    #: The files of ``web/`` the element needs in the page head, and its drawing function.
    scripts: ClassVar[tuple[str, ...]] = ()
    draw: ClassVar[str] = ""

    _template = Template(
        "{% macro html(this, kwargs) %}"
        '<script type="application/json" id="{{ this.block_id }}">{{ this.block }}</script>'
        "{% endmacro %}"
        "{% macro script(this, kwargs) %}bordermapDraw({{ this.block_id_json }});{% endmacro %}"
    )

    def __init__(self) -> None:
        super().__init__()
        for filename in ("core.js", *self.scripts):
            self.add_child(WebScript(filename))

    def data_json(self) -> str:
        """The element's data as safe JSON (:func:`bordermap.safe.script_json`); none here."""
        return "{}"

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]
        parent: Any = self._parent
        self.block_id = f"{self.get_name()}-data"
        self.block_id_json = script_json(self.block_id)
        names = {"draw": self.draw, "map": map_of(self).get_name(), "parent": parent.get_name()}
        # Written around a data text made once (a basemap is large): keys in sorted order.
        self.block = '{"data": ' + self.data_json() + ", " + script_json(names)[1:]
        super().render(**kwargs)


class HtmlControl(WebPart):
    """A Leaflet control holding a block of HTML that bordermap built and escaped.

    Parameters
    ----------
    html : str
        Safe HTML (built with :mod:`bordermap.safe`); inserted as JSON data, never templated.
    position : str
        Leaflet control position (``topright``, ``bottomleft`` …).
    css_class : str
        Class names of the block, for styling and tests.
    """

    scripts = ("fold.js", "html_control.js")
    draw = "bordermapHtmlControl"

    def __init__(self, html: str, *, position: str, css_class: str) -> None:
        super().__init__()
        self._name = "HtmlControl"
        self.content = html
        self.position = position
        self.css_class = "bm-panel " + css_class

    def data_json(self) -> str:
        return script_json(
            {"css_class": self.css_class, "html": self.content, "position": self.position}
        )


_PAGE_PARTS = ("header", "html", "script")


class BordermapMap(folium.Map):
    """A folium Map that loads only pinned Leaflet 1.9.4 (no jQuery, Bootstrap or fonts)."""

    default_js: ClassVar = [("leaflet", LEAFLET_JS)]  # type: ignore[misc]  # folium's own way
    default_css: ClassVar = [("leaflet_css", LEAFLET_CSS)]  # type: ignore[misc]

    #: The map's description (:class:`bordermap.spec.MapSpec`), set by the page builders.
    spec: Any = None
    #: What publishing removed or moved (:class:`bordermap.model.publish.Audit`); never written.
    audit: Any = None
    #: Whether a tile layer is drawn (such a map cannot be saved offline).
    has_tiles: bool = False
    #: The files the map was drawn from (full paths): a save never writes over one of them.
    input_files: Any = ()
    #: The page's language (``<html lang>``), which way it is written (``<html dir>``) and
    #: its description (``<meta>``, Open Graph).
    page_lang: str = "en"
    page_dir: str = "ltr"
    page_description: str = ""
    #: The picture a shared link shows (a path relative to the page, or a URL).
    page_image: str = ""
    #: What a notebook's display draws the map within: for a map with tiles, the offline
    #: basemap under them (set by ``page.base_map``; ``offline_basemap`` needs this module).
    notebook_backdrop: Any = staticmethod(nullcontext)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        root = self.get_root()
        self._pristine = {part: dict(getattr(root, part)._children) for part in _PAGE_PARTS}

    def render_page(self) -> str:
        """Render the whole page from scratch, so that rendering twice gives the same page.

        folium fills the page's header, body and script blocks on each render and never
        empties them: a second render (a save after showing the map in Jupyter) would add
        each layer's ``addTo`` again.
        """
        root = self.get_root()
        for part, children in self._pristine.items():
            getattr(root, part)._children = OrderedDict(children)
        page = root.render()
        head = ""
        if self.page_description:
            text = html_text(self.page_description)
            head = (
                f'\n    <meta name="description" content="{text}" />'
                f'\n    <meta property="og:description" content="{text}" />'
                '\n    <meta name="twitter:card" content="summary_large_image" />'
            )
        if self.page_image:
            image = html_text(self.page_image)
            head += (
                f'\n    <meta property="og:image" content="{image}" />'
                f'\n    <meta name="twitter:image" content="{image}" />'
            )
        title = getattr(root, "title", "")
        if title:
            head += f'\n    <meta property="og:title" content="{title}" />'
        lang = html_text(self.page_lang)
        opening = f'<html lang="{lang}">'
        if self.page_dir == "rtl":
            opening = f'<html dir="rtl" lang="{lang}">'
        return page.replace("<html>", opening, 1).replace("<head>", "<head>" + head, 1)

    def _repr_html_(self, **kwargs: Any) -> str:
        """Show the map in Jupyter with Leaflet inline: it draws on a machine with no network,
        the offline basemap under any tiles (seen where they do not load)."""
        from bordermap.render.inline import notebook_html

        with self.notebook_backdrop(self):
            return notebook_html(self)


class LeafletLabels(WebPart):
    """Leaflet's own button titles (zoom, close popup) in the map's language."""

    scripts = ("leaflet_labels.js",)
    draw = "bordermapLeafletLabels"

    def __init__(self, lang: str) -> None:
        super().__init__()
        self._name = "LeafletLabels"
        keys = ("zoom_in", "zoom_out", "close")
        self.labels = {k: i18n.text(k, lang) for k in keys}

    def data_json(self) -> str:
        return script_json(self.labels)


class LayerControl(WebPart):
    """Leaflet's layer switcher over the map's feature groups, names passed as JSON data.

    folium's own ``LayerControl`` writes layer names into its template output, which branca
    compiles again: a name from data would be evaluated there.
    """

    scripts = ("layer_control.js",)
    draw = "bordermapLayerControl"

    def __init__(self, *, collapsed: bool = False) -> None:
        super().__init__()
        self._name = "LayerControl"
        self.collapsed = bool(collapsed)

    def data_json(self) -> str:
        parent: Any = self._parent
        pairs = [
            [str(item.layer_name), item.get_name()]
            for item in parent._children.values()
            if isinstance(item, folium.FeatureGroup) and item.control
        ]
        return script_json({"collapsed": self.collapsed, "layers": pairs})


class TileLayer(WebPart):
    """A tile layer whose URL and attribution reach the page as JSON, never as a template.

    The attribution is shown as escaped text: a provider's attribution from data or from a
    user's ``TileProvider`` is not trusted as HTML.
    """

    scripts = ("tile_layer.js",)
    draw = "bordermapTileLayer"

    def __init__(self, url: str, attribution: str, *, max_zoom: int = 18) -> None:
        super().__init__()
        self._name = "TileLayer"
        self.url = url
        self.tile_options = {"attribution": html_text(attribution), "maxZoom": int(max_zoom)}

    def data_json(self) -> str:
        return script_json({"options": self.tile_options, "url": self.url})
