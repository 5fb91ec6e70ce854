"""The element kit of the page: every piece bordermap adds places its output literally.

branca compiles a ``MacroElement``'s rendered output as a Jinja template a second time, so
data inside it (``{{ 7*7 }}`` in a spreadsheet cell, a layer name, a tile attribution) would
be evaluated. Every element here derives from :class:`LiteralElement`, whose fixed template
is the only template its output ever passes through; text reaches it as JSON
(:func:`bordermap.safe.script_json`) or escaped HTML (:func:`bordermap.safe.html_text`).
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any, ClassVar

import folium
from branca.element import Element, MacroElement
from jinja2 import Template

from bordermap import i18n
from bordermap.safe import html_text, script_json

__all__ = [
    "BordermapMap",
    "HtmlControl",
    "LayerControl",
    "LeafletLabels",
    "LiteralElement",
    "StyleSheet",
    "TileLayer",
]

LEAFLET_JS = "https://cdn.jsdelivr.net/npm/leaflet@1.9.4/dist/leaflet.js"
LEAFLET_CSS = "https://cdn.jsdelivr.net/npm/leaflet@1.9.4/dist/leaflet.css"

_CSS = """
.bm-panel { background: rgba(255,255,255,0.94); padding: 8px 11px; border-radius: 4px;
  box-shadow: 0 1px 4px rgba(0,0,0,0.3); font: 12px/1.4 "Helvetica Neue", Arial,
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
.leaflet-marker-icon .bm-label-text.bm-hidden { visibility: hidden; }
.bm-figure span, .bm-name span { position: absolute; white-space: nowrap;
  transform: translate(-50%, -50%); font: bold 13px Arial, "Noto Sans CJK KR", sans-serif;
  color: #fff; text-shadow: 0 0 3px #000, 0 0 2px #000; pointer-events: none; }
.bm-figure.bm-unknown span { color: #333; text-shadow: 0 0 3px #fff, 0 0 2px #fff;
  font-weight: normal; font-style: italic; font-size: 11px; transform: translate(12px, -50%); }
.bm-name span { color: #222; font-weight: normal; font-size: 11px;
  text-shadow: 0 0 3px #fff, 0 0 2px #fff; transform: translate(-50%, 0); }
.bm-context { background: none; border: none; }
.bm-context span { position: absolute; white-space: nowrap; font: 11px Arial, sans-serif;
  color: #6a6a6a; text-shadow: 0 0 3px #fff, 0 0 2px #fff; pointer-events: none; }
.bm-context.bm-country span { font-size: 13px; letter-spacing: 0.12em; text-transform: uppercase;
  color: #7a7a7a; }
.leaflet-tooltip { white-space: normal; width: max-content; max-width: 320px; font-size: 12px; }
.bm-popup h3 { font-size: 14px; margin: 0 0 4px 0; }
.bm-popup table { border-collapse: collapse; }
.bm-popup td { padding: 2px 6px 2px 0; vertical-align: top; }
.bm-popup .bm-headline td { font-weight: bold; }
.bm-popup .bm-meta { color: #555; font-size: 11px; margin-top: 4px; }
"""


class _Literal(Element):
    """Text placed in the page exactly as given: never compiled as a template."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def render(self, **kwargs) -> str:
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


class FoldScript(PageScript):
    """The page's one ``bordermapFold(div, map)``: a panel with a ``.bm-fold`` button folds
    on a small screen; the button opens and closes it, Esc closes it. Each control that
    folds adds it; the page holds it once.
    """

    _template = Template(
        """{% macro header(this, kwargs) %}<script>
function bordermapFold(div, map) {
  var fold = div.querySelector(".bm-fold");
  if (!fold) { return; }
  function setOpen(open) {
    div.classList.toggle("bm-open", open);
    fold.setAttribute("aria-expanded", String(open));
    map.fire("bm-panels");
  }
  L.DomEvent.on(fold, "click", function () { setOpen(!div.classList.contains("bm-open")); });
  L.DomEvent.on(div, "keydown", function (e) {
    if (e.key === "Escape" && div.classList.contains("bm-open")) {
      setOpen(false);
      fold.focus();
    }
  });
}
</script>{% endmacro %}"""
    )

    _page_name = "bordermap_fold_script"


class KeyboardScript(PageScript):
    """The page's one ``bordermapButton(layer, name)``: a drawn symbol or route reached with
    Tab, named for a screen reader, its popup opened with Enter or Space. Every other
    element Leaflet made focusable in the layer (a route's visible line beside its wider
    hit line) leaves the Tab order. Each layer that needs it adds it; the page holds it once.
    """

    _template = Template(
        """{% macro header(this, kwargs) %}<script>
function bordermapButton(layer, name) {
  var parts = layer.getLayers ? layer.getLayers() : [layer];
  function reachable() {
    var el = parts[0].getElement && parts[0].getElement();
    if (!el || el.getAttribute("role") === "button") { return; }
    el.setAttribute("tabindex", "0");
    el.setAttribute("role", "button");
    el.setAttribute("aria-label", bordermapPlainText(name));
    el.addEventListener("keydown", function (e) {
      if (e.key === "Enter" || e.key === " ") { e.preventDefault(); layer.openPopup(); }
    });
  }
  parts[0].on("add", reachable);
  reachable();
  parts.slice(1).forEach(function (part) {
    function skipped() {
      var el = part.getElement && part.getElement();
      if (el) { el.setAttribute("tabindex", "-1"); }
    }
    part.on("add", skipped);
    skipped();
  });
}
</script>{% endmacro %}"""
    )

    _page_name = "bordermap_keyboard_script"


class HtmlControl(LiteralElement):
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

    _template = Template(
        """{% macro script(this, kwargs) %}
(function () {
  var control = L.control({position: {{ this.position_json }}});
  control.onAdd = function (map) {
    var div = L.DomUtil.create("div", {{ this.class_json }});
    div.innerHTML = {{ this.html_json }};
    L.DomEvent.disableClickPropagation(div);
    L.DomEvent.disableScrollPropagation(div);
    bordermapFold(div, map);
    return div;
  };
  control.addTo({{ this._parent.get_name() }});
})();
{% endmacro %}"""
    )

    def __init__(self, html: str, *, position: str, css_class: str) -> None:
        super().__init__()
        self._name = "HtmlControl"
        self.add_child(FoldScript())
        self.html_json = script_json(html)
        self.position_json = script_json(position)
        self.class_json = script_json("bm-panel " + css_class)


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
    #: The page's language (``<html lang>``) and its description (``<meta>``, Open Graph).
    page_lang: str = "en"
    page_description: str = ""
    #: The picture a shared link shows (a path relative to the page, or a URL).
    page_image: str = ""

    def __init__(self, *args, **kwargs) -> None:
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
        return page.replace("<html>", f'<html lang="{lang}">', 1).replace(
            "<head>", "<head>" + head, 1
        )

    def _repr_html_(self, **kwargs) -> str:
        """Show the map in Jupyter with Leaflet inline: it draws on a machine with no network."""
        from bordermap.render.inline import notebook_html

        return notebook_html(self)


class LeafletLabels(LiteralElement):
    """Leaflet's own button titles (zoom, close popup) in the map's language."""

    _template = Template(
        """{% macro script(this, kwargs) %}
(function () {
  var labels = {{ this.labels_json }};
  var map = {{ this._parent.get_name() }};
  function name(selector, text) {
    map.getContainer().querySelectorAll(selector).forEach(function (el) {
      el.title = text;
      el.setAttribute("aria-label", text);
    });
  }
  name(".leaflet-control-zoom-in", labels.zoom_in);
  name(".leaflet-control-zoom-out", labels.zoom_out);
  map.on("popupopen", function () { name(".leaflet-popup-close-button", labels.close); });
})();
{% endmacro %}"""
    )

    def __init__(self, lang: str) -> None:
        super().__init__()
        self._name = "LeafletLabels"
        keys = ("zoom_in", "zoom_out", "close")
        self.labels_json = script_json({k: i18n.text(k, lang) for k in keys})


class LayerControl(LiteralElement):
    """Leaflet's layer switcher over the map's feature groups, names passed as JSON data.

    folium's own ``LayerControl`` writes layer names into its template output, which branca
    compiles again: a name from data would be evaluated there.
    """

    _template = Template(
        """{% macro script(this, kwargs) %}
(function () {
  var overlays = {};
  {{ this.layers_json }}.forEach(function (pair) { overlays[pair[0]] = window[pair[1]]; });
  var map = {{ this._parent.get_name() }};
  // On a small screen the list folds into Leaflet's layers button.
  L.control.layers(null, overlays,
    {collapsed: {{ this.collapsed_json }} || map.getSize().x < 600 || map.getSize().y < 500})
    .addTo(map);
})();
{% endmacro %}"""
    )

    def __init__(self, *, collapsed: bool = False) -> None:
        super().__init__()
        self._name = "LayerControl"
        self.collapsed_json = script_json(bool(collapsed))

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]
        parent: Any = self._parent
        pairs = [
            [str(item.layer_name), item.get_name()]
            for item in parent._children.values()
            if isinstance(item, folium.FeatureGroup) and item.control
        ]
        self.layers_json = script_json(pairs)
        super().render(**kwargs)


class TileLayer(LiteralElement):
    """A tile layer whose URL and attribution reach the page as JSON, never as a template.

    The attribution is shown as escaped text: a provider's attribution from data or from a
    user's ``TileProvider`` is not trusted as HTML.
    """

    _template = Template(
        """{% macro script(this, kwargs) %}
L.tileLayer({{ this.url_json }}, {{ this.options_json }}).addTo({{ this._parent.get_name() }});
{% endmacro %}"""
    )

    def __init__(self, url: str, attribution: str, *, max_zoom: int = 18) -> None:
        super().__init__()
        self._name = "TileLayer"
        self.url_json = script_json(url)
        self.options_json = script_json(
            {"attribution": html_text(attribution), "maxZoom": int(max_zoom)}
        )
