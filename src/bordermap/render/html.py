"""The interactive map: a folium Map built from a joined crossings table and facilities.

Every piece bordermap adds is a small ``MacroElement`` with a fixed template. Text from data
never enters a template: it is escaped by :mod:`bordermap.safe` in Python, and handed to the
page as JSON data (:func:`bordermap.safe.script_json`), so ``{{ … }}`` in a spreadsheet cell
is shown as typed and ``<script>`` as text.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import ClassVar

import folium
import pandas as pd
from branca.element import Element, MacroElement
from jinja2 import Template

from bordermap import style
from bordermap.safe import html_text, html_to_text, script_json

__all__ = ["crossing_map"]

LEAFLET_JS = "https://cdn.jsdelivr.net/npm/leaflet@1.9.4/dist/leaflet.js"
LEAFLET_CSS = "https://cdn.jsdelivr.net/npm/leaflet@1.9.4/dist/leaflet.css"
DEFAULT_TILES = "Esri.WorldGrayCanvas"

_CSS = """
.bm-panel { background: rgba(255,255,255,0.94); padding: 8px 11px; border-radius: 4px;
  box-shadow: 0 1px 4px rgba(0,0,0,0.3); font: 12px/1.4 "Helvetica Neue", Arial,
  "Noto Sans CJK KR", "Noto Sans CJK SC", sans-serif; color: #222; max-width: 360px; }
.bm-title h1 { font-size: 17px; margin: 0 0 2px 0; }
.bm-title p { margin: 0; color: #444; }
.bm-legend h2 { font-size: 12px; margin: 0 0 4px 0; }
.bm-legend .bm-row { display: flex; align-items: center; gap: 6px; margin: 2px 0; }
.bm-legend svg { flex: none; }
.bm-credit { font-size: 11px; max-width: 520px; }
.bm-figure, .bm-name { background: none; border: none; }
.bm-figure span, .bm-name span { position: absolute; white-space: nowrap;
  transform: translate(-50%, -50%); font: bold 13px Arial, "Noto Sans CJK KR", sans-serif;
  color: #fff; text-shadow: 0 0 3px #000, 0 0 2px #000; pointer-events: none; }
.bm-figure.bm-unknown span { color: #333; text-shadow: 0 0 3px #fff, 0 0 2px #fff;
  font-weight: normal; font-style: italic; font-size: 11px; transform: translate(12px, -50%); }
.bm-name span { color: #222; font-weight: normal; font-size: 11px;
  text-shadow: 0 0 3px #fff, 0 0 2px #fff; transform: translate(-50%, 0); }
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

    def render(self, **kwargs) -> None:
        figure = self.get_root()
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
  control.onAdd = function () {
    var div = L.DomUtil.create("div", {{ this.class_json }});
    div.innerHTML = {{ this.html_json }};
    L.DomEvent.disableClickPropagation(div);
    return div;
  };
  control.addTo({{ this._parent.get_name() }});
})();
{% endmacro %}"""
    )

    def __init__(self, html: str, *, position: str, css_class: str) -> None:
        super().__init__()
        self._name = "HtmlControl"
        self.html_json = script_json(html)
        self.position_json = script_json(position)
        self.class_json = script_json("bm-panel " + css_class)


class PointLayer(LiteralElement):
    """Circle symbols with labels, tooltips and popups, drawn from a JSON list of points.

    Each point is a dict: ``lat``, ``lon``, ``style`` (Leaflet path options), optional
    ``halo_m`` (a dashed ring of that many metres: location uncertainty), optional ``ring``
    (Leaflet path options of a faint circle drawn under the symbol: a range), ``label`` and
    ``label_class`` (text drawn on the map), ``name`` (text under the symbol), ``tooltip`` and
    ``popup`` (safe HTML). Add it to a ``folium.FeatureGroup``.
    """

    _template = Template(
        """{% macro script(this, kwargs) %}
(function () {
  var group = {{ this._parent.get_name() }};
  {{ this.points_json }}.forEach(function (p) {
    if (p.halo_m) {
      L.circle([p.lat, p.lon], {radius: p.halo_m, color: p.style.color, weight: 1,
        dashArray: "4 4", fill: false, interactive: false,
        className: "bm-halo"}).addTo(group);
    }
    if (p.ring) { L.circleMarker([p.lat, p.lon], p.ring).addTo(group); }
    var marker = L.circleMarker([p.lat, p.lon], p.style).addTo(group);
    if (p.tooltip) { marker.bindTooltip(p.tooltip, {direction: "top", sticky: true}); }
    if (p.popup) { marker.bindPopup(p.popup, {maxWidth: 360}); }
    if (p.label) {
      L.marker([p.lat, p.lon], {interactive: false, keyboard: false, icon: L.divIcon({
        className: p.label_class, html: "<span>" + p.label + "</span>", iconSize: [0, 0]
      })}).addTo(group);
    }
    if (p.name) {
      L.marker([p.lat, p.lon], {interactive: false, keyboard: false, icon: L.divIcon({
        className: "bm-name", html: "<span style='top:" + (p.style.radius + 3) + "px'>"
          + p.name + "</span>", iconSize: [0, 0]
      })}).addTo(group);
    }
  });
})();
{% endmacro %}"""
    )

    def __init__(self, points: list[dict]) -> None:
        super().__init__()
        self._name = "PointLayer"
        self.points_json = script_json(points)


_PAGE_PARTS = ("header", "html", "script")


class BordermapMap(folium.Map):
    """A folium Map that loads only pinned Leaflet 1.9.4 (no jQuery, Bootstrap or fonts)."""

    default_js: ClassVar = [("leaflet", LEAFLET_JS)]
    default_css: ClassVar = [("leaflet_css", LEAFLET_CSS)]

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
        return root.render()


def _headline_label(row: pd.Series, lang: str) -> str:
    return style.figure_label(
        row.get("figure"), row.get("low"), row.get("high"), row.get("qualifier") or "", lang
    )


def _crossing_name(row: pd.Series, lang: str) -> str:
    return style.crossing_label(row, lang)


def _coordinate_note(row: pd.Series, lang: str) -> str:
    parts = []
    for column in ("site", "coord_source", "coord_note"):
        value = row.get(column)
        if isinstance(value, str) and value:
            parts.append(html_text(value))
    if row.get("precision") in ("approximate", "city"):
        parts.insert(0, html_text(style.text("approx_crossing", lang)))
    if not parts:
        return ""
    return (
        f'<div class="bm-meta">{html_text(style.text("coordinate", lang))}: '
        + " · ".join(parts)
        + "</div>"
    )


def _crossing_popup(row: pd.Series, lang: str) -> str:
    head = f"<h3>{html_text(_crossing_name(row, lang))}</h3>"
    estimates = row.get("estimates") or []
    if not estimates:
        body = f"<p>{html_text(style.text('not_published', lang))}</p>"
    else:
        lines = []
        headline = row.get("headline_row")
        for est in estimates:
            label = style.figure_label(
                est.get("figure"), est.get("low"), est.get("high"), est.get("qualifier") or "", lang
            )
            is_head = not style.is_missing(headline) and est.get("_row") == headline
            mark = f" <em>({html_text(style.text('headline', lang))})</em>" if is_head else ""
            notes = est.get("notes")
            note = (
                f'<div class="bm-meta">{html_text(notes)}</div>'
                if isinstance(notes, str) and notes
                else ""
            )
            row_class = ' class="bm-headline"' if is_head else ""
            lines.append(
                f"<tr{row_class}><td>{html_text(label)}</td>"
                f"<td>{style.source_html(est, lang)}{mark}{note}</td></tr>"
            )
        body = f"<b>{html_text(style.text('estimates', lang))}</b><table>{''.join(lines)}</table>"
    return f'<div class="bm-popup">{head}{body}{_coordinate_note(row, lang)}</div>'


def _highest_estimate(row: pd.Series) -> tuple[float, dict] | None:
    """The highest published figure behind a crossing, with its estimate row."""
    ranked = [
        (style.symbol_value(e.get("figure"), e.get("low"), e.get("high")), e)
        for e in row.get("estimates") or []
    ]
    ranked = [(v, e) for v, e in ranked if v is not None]
    return max(ranked, key=lambda pair: pair[0]) if ranked else None


def _range_ring(row: pd.Series, value: float | None, scale_max: float, lang: str) -> dict | None:
    """A faint ring for the highest published figure when it is above the headline one."""
    highest = _highest_estimate(row)
    if value is None or highest is None or highest[0] <= value:
        return None
    top, estimate = highest
    label = style.figure_label(
        estimate.get("figure"),
        estimate.get("low"),
        estimate.get("high"),
        estimate.get("qualifier") or "",
        lang,
    )
    return {
        "radius": round(style.symbol_radius(top, scale_max), 2),
        "color": style.CROSSING_COLOR,
        "weight": 1.5,
        "opacity": 0.55,
        "fill": True,
        "fillColor": style.CROSSING_COLOR,
        "fillOpacity": 0.08,
        "interactive": False,
        "className": "bm-ring",
        "label": f"{html_text(style.text('highest', lang))}: {html_text(label)} — "
        f"{html_text(estimate.get('source'))}",
    }


def _crossing_points(joined, lang: str, scale_max: float | None = None) -> tuple[list[dict], float]:
    values = [
        style.symbol_value(r.get("figure"), r.get("low"), r.get("high"))
        for _, r in joined.iterrows()
    ]
    if scale_max is None:
        scale_max = max([v for v in values if v is not None], default=0.0)
    points = []
    for (_, row), value in zip(joined.iterrows(), values, strict=True):
        name = _crossing_name(row, lang)
        label = _headline_label(row, lang)
        if value is None:
            symbol = {
                "radius": 9,
                "color": style.NO_FIGURE_COLOR,
                "weight": 2,
                "dashArray": "4 3",
                "fill": True,
                "fillColor": "#ffffff",
                "fillOpacity": 0.8,
                "className": "bm-crossing bm-unknown",
            }
            tooltip = f"{html_text(name)}: {html_text(label)}"
            label_class = "bm-figure bm-unknown"
        else:
            symbol = {
                "radius": round(style.symbol_radius(value, scale_max), 2),
                "color": "#ffffff",
                "weight": 1.5,
                "fill": True,
                "fillColor": style.CROSSING_COLOR,
                "fillOpacity": 0.78,
                "className": "bm-crossing bm-known",
            }
            when = row.get("source_date")
            dated = f", {style.format_date(when, lang)}" if not style.is_missing(when) else ""
            # Each piece escaped alone, so a bidi override in a name cannot flip the figure.
            tooltip = (
                f"{html_text(name)}: {html_text(label)} — {html_text(row.get('source'))}"
                f"{html_text(dated)}"
            )
            label_class = "bm-figure bm-known"
        ring = _range_ring(row, value, scale_max, lang)
        if ring is not None:
            tooltip += "<br>" + ring.pop("label")
        # A crossing generalised for publication ("city") is drawn with its uncertainty too.
        vague = row.get("precision") in ("approximate", "city")
        halo = row.get("precision_m") if vague else None
        points.append(
            {
                "id": str(row["id"]),
                "lat": round(row.geometry.y, 6),
                "lon": round(row.geometry.x, 6),
                "style": symbol,
                "halo_m": float(halo) if halo is not None and not style.is_missing(halo) else None,
                "ring": ring,
                "label": html_text(label),
                "label_class": label_class,
                "name": html_text(name),
                "tooltip": tooltip,
                "popup": _crossing_popup(row, lang),
            }
        )
    return points, scale_max


def _facility_name(row: pd.Series, lang: str) -> str:
    return style.facility_label(row, lang)


def _meta_line(heading: str, value: object) -> str:
    """A small grey line "heading: value", or nothing when the value is blank."""
    if not isinstance(value, str) or not value:
        return ""
    return f'<div class="bm-meta">{html_text(heading)}: {html_text(value)}</div>'


def _facility_points(facilities, lang: str) -> dict[str, list[dict]]:
    groups: dict[str, list[dict]] = {"CN": [], "KP": [], "other": []}
    for _, row in facilities.iterrows():
        country = row.get("country") if row.get("country") in ("CN", "KP") else "other"
        colour = style.FACILITY_COLORS.get(country, "#555555")
        city_level = row.get("precision") != "site"
        precision_class = "city" if city_level else "site"
        name = _facility_name(row, lang)
        kind = row.get("kind")
        details = (
            [html_text(style.facility_kind(kind, lang))] if isinstance(kind, str) and kind else []
        )
        precision = style.text("city" if city_level else "site", lang)
        source = row.get("source")
        popup = (
            f'<div class="bm-popup"><h3>{html_text(name)}</h3>'
            + (f"<p>{' · '.join(details)}</p>" if details else "")
            + f'<div class="bm-meta">{html_text(precision)}</div>'
            + _meta_line(style.text("sources", lang), source)
            + _meta_line(style.text("coordinate", lang), row.get("coord_source"))
            + "</div>"
        )
        halo = row.get("precision_m")
        groups[country].append(
            {
                "id": str(row.get("id")),
                "lat": round(row.geometry.y, 6),
                "lon": round(row.geometry.x, 6),
                "style": {
                    "radius": 5,
                    "color": colour,
                    "weight": 2,
                    "fill": True,
                    "fillColor": "#ffffff" if city_level else colour,
                    "fillOpacity": 0.9,
                    "dashArray": "3 2" if city_level else None,
                    "className": f"bm-facility bm-{country.lower()} bm-{precision_class}",
                },
                "halo_m": float(halo) if city_level and not style.is_missing(halo) else None,
                "tooltip": f"{html_text(name)} — {html_text(precision)}",
                "popup": popup,
            }
        )
    return groups


def _swatch_circle(
    radius: float, fill: str, stroke: str, dashed: bool = False, size: int = 22, opacity=None
) -> str:
    dash = ' stroke-dasharray="3 2"' if dashed else ""
    faded = f' opacity="{opacity}"' if opacity is not None else ""
    return (
        f'<svg width="{size}" height="{size}"><circle{faded} cx="{size / 2}" cy="{size / 2}" '
        f'r="{radius}" fill="{fill}" stroke="{stroke}" stroke-width="1.5"{dash}/></svg>'
    )


def _legend_description(
    scale_max: float,
    any_unknown: bool,
    facility_countries: set[str],
    lang: str,
    *,
    any_ring: bool = False,
    any_approx: bool = False,
) -> dict:
    """What the legend shows, as data: the size circles, then one row per symbol drawn.

    Rows are ``{"kind": "circle", "radius", "fill", "stroke", "dashed", "label"}``,
    ``{"kind": "ring", "label"}`` or ``{"kind": "line", "color", "weight", "dashed", "label"}``
    (a route); the HTML legend and the printed image both draw this.
    """
    sizes = [
        {
            "value": value,
            "radius": round(style.symbol_radius(value, scale_max), 2),
            "label": style.format_number(value, lang),
        }
        for value in style.legend_values(scale_max)
    ]
    rows: list[dict] = []

    def circle(radius: float, fill: str, stroke: str, key: str, dashed: bool = False) -> None:
        rows.append(
            {
                "kind": "circle",
                "radius": radius,
                "fill": fill,
                "stroke": stroke,
                "dashed": dashed,
                "label": style.text(key, lang),
            }
        )

    if any_ring:
        rows.append({"kind": "ring", "label": style.text("legend_ring", lang)})
    if any_unknown:
        circle(8, "#ffffff", style.NO_FIGURE_COLOR, "no_figure", dashed=True)
    if any_approx:
        circle(9, "none", style.CROSSING_COLOR, "legend_approx", dashed=True)
    for country in ("CN", "KP"):
        if country in facility_countries:
            colour = style.FACILITY_COLORS[country]
            circle(5, colour, colour, f"facilities_{country}")
    if facility_countries:
        circle(5, "#555", "#555", "site")
        circle(5, "#fff", "#555", "city", dashed=True)
    return {
        "title": style.text("legend_title", lang),
        "sizes": sizes,
        "area_note": style.text("legend_area", lang) if sizes else None,
        "rows": rows,
    }


def _legend_markup(legend: dict) -> str:
    rows = [f"<h2>{html_text(legend['title'])}</h2>"]
    if legend["sizes"]:
        size = int(2 * style.MAX_RADIUS_PX + 4)
        circles = []
        for entry in legend["sizes"]:
            r = entry["radius"]
            cy = size - 2 - r
            circles.append(
                f'<circle cx="{size / 2}" cy="{cy:.1f}" r="{r:.1f}" fill="{style.CROSSING_COLOR}" '
                f'fill-opacity="0.25" stroke="{style.CROSSING_COLOR}"/>'
                f'<text x="{size + 4}" y="{max(size - 2 - 2 * r + 4, 10):.1f}" font-size="10">'
                f"{html_text(entry['label'])}</text>"
            )
        svg = "".join(circles)
        rows.append(f'<svg class="bm-size-legend" width="{size + 40}" height="{size}">{svg}</svg>')
        rows.append(f"<div>{html_text(legend['area_note'])}</div>")
    for row in legend["rows"]:
        if row["kind"] == "ring":
            swatch = _ring_swatch()
        elif row["kind"] == "line":
            swatch = _line_swatch(row["color"], row.get("weight", 3), row.get("dashed", False))
        else:
            swatch = _swatch_circle(
                row["radius"], row["fill"], row["stroke"], row["dashed"], opacity=row.get("opacity")
            )
        rows.append(_legend_row(swatch, row["label"]))
    rows += [f"<div>{html_text(note)}</div>" for note in legend.get("notes", [])]
    return "".join(rows)


def _ring_swatch(size: int = 22) -> str:
    """A solid headline circle inside a faint ring: the legend's picture of a range."""
    c = size / 2
    return (
        f'<svg class="bm-ring-swatch" width="{size}" height="{size}">'
        f'<circle cx="{c}" cy="{c}" r="{c - 1}" fill="{style.CROSSING_COLOR}" fill-opacity="0.08" '
        f'stroke="{style.CROSSING_COLOR}" stroke-opacity="0.55" stroke-width="1.5"/>'
        f'<circle cx="{c}" cy="{c}" r="{c - 5}" fill="{style.CROSSING_COLOR}" fill-opacity="0.78" '
        f'stroke="#ffffff" stroke-width="1.5"/></svg>'
    )


def _line_swatch(colour: str, weight: float, dashed: bool, size: int = 22) -> str:
    """A short line: the legend's picture of a route (dashed where inferred)."""
    dash = ' stroke-dasharray="5 3"' if dashed else ""
    return (
        f'<svg width="{size}" height="{size}"><line x1="1" y1="{size / 2}" x2="{size - 1}" '
        f'y2="{size / 2}" stroke="{html_text(colour)}" stroke-width="{float(weight)}"{dash}/></svg>'
    )


def _legend_row(swatch_svg: str, label: str) -> str:
    return f'<div class="bm-row">{swatch_svg}{html_text(label)}</div>'


def _credit_html(joined, lang: str, credit: str | None, also: list[dict] = ()) -> str:
    """Every source cited (estimates, then ``also``: dicts with source, source_date, url)."""
    if credit is not None:
        return html_text(credit)
    cited: dict[str, object] = {}
    for estimates in joined.get("estimates", []):
        for est in estimates or []:
            cited.setdefault(est["source"], est)
    for item in also:
        if item["source"]:  # a route to a restricted place has its source withheld
            cited.setdefault(item["source"], item)
    sources = "; ".join(style.source_html(est, lang) for est in cited.values())
    parts = [f"<b>{html_text(style.text('sources', lang))}:</b> {sources}"] if sources else []
    parts.append(html_text(style.text("map_by", lang)))
    return " · ".join(parts)


def _published_layers(joined, facilities, routes, publish: bool | str):
    """The layers as they may be published, and the audit of what that changed."""
    from bordermap.publish import prepare_for_layers
    from bordermap.render.routes import resolve_routes

    restricted = "generalise" if publish is True else publish
    # Routes are read and checked against the analyst's layers, then cleaned with them.
    table = resolve_routes(routes, joined, facilities)
    joined, facilities, table, audit = prepare_for_layers(
        joined, facilities, table, restricted=restricted
    )
    return joined, facilities, False if table is None else table, audit


def _publication_note(audit, lang: str) -> str:
    """ " · 2 locations generalised to city level" for a published map, else nothing."""
    if audit is None:
        return ""
    notes = []
    dropped = sum(
        c.action == "dropped" and c.layer in ("crossings", "facilities") for c in audit.changes
    )
    for key, n in (("published_generalised", audit.generalised), ("published_dropped", dropped)):
        if n:
            notes.append(style.text(key, lang).format(n=n, s="" if n == 1 else "s"))
    return "".join(f' · <span class="bm-published">{html_text(note)}</span>' for note in notes)


def _lang_css(lang: str) -> str:
    """The language's font stack on every piece of text the map shows (Leaflet's too)."""
    font = style.font_family(lang)
    css = (
        ".leaflet-container, .bm-panel, .bm-figure span, .bm-name span, .leaflet-popup-content,"
        f" .leaflet-tooltip, .leaflet-control-layers {{ font-family: {font}; }}"
    )
    if lang != "en":  # Korea and China measure in km: no line in miles
        css += " .leaflet-control-scale-line + .leaflet-control-scale-line { display: none; }"
    return css


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
        self.labels_json = script_json({k: style.text(k, lang) for k in keys})


def _base_map(
    tiles: str | None,
    width: str | int,
    height: str | int,
    basemap: bool = True,
    lang: str = "en",
) -> BordermapMap:
    """The empty map every bordermap view starts from: pinned Leaflet, tiles or the offline
    vector basemap, stylesheets, and Leaflet's own labels and fonts in ``lang``."""
    m = BordermapMap(
        location=None, tiles=None, width=width, height=height, control_scale=True, zoom_control=True
    )
    if tiles:
        from bordermap.render.tiles import tile_provider

        provider = tile_provider(tiles)
        folium.TileLayer(provider, name=html_text(provider.name), control=False).add_to(m)
    elif basemap:
        from bordermap.render.basemap import VectorBasemap

        VectorBasemap().add_to(m)
    StyleSheet().add_to(m)
    StyleSheet(_lang_css(lang), name="BordermapLanguage").add_to(m)
    LeafletLabels(lang).add_to(m)
    return m


def bounds_of(points: list[list[float]]) -> list[list[float]] | None:
    """``[[south, west], [north, east]]`` of [lat, lon] points; None for no points."""
    if not points:
        return None
    lats = [p[0] for p in points]
    lons = [p[1] for p in points]
    return [[min(lats), min(lons)], [max(lats), max(lons)]]


def fit_points(m, points: list[list[float]], *, top_left, bottom_right) -> None:
    """Zoom the map to its [lat, lon] points, leaving the given pixel padding for panels."""
    if points:
        m.fit_bounds(
            bounds_of(points), padding_top_left=top_left, padding_bottom_right=bottom_right
        )


def add_title(m, heading: str, subtitle: str | None) -> None:
    """The title panel (top left): a heading and an optional subtitle, escaped."""
    html = f"<h1>{html_text(heading)}</h1>" + (f"<p>{html_text(subtitle)}</p>" if subtitle else "")
    HtmlControl(html, position="topleft", css_class="bm-title").add_to(m)


def map_inputs(m, table, facilities, *extra: dict) -> list[dict]:
    """The files a map was drawn from (for its metadata): the table's, the facilities',
    any ``extra``, and the basemap's."""
    from bordermap.render.basemap import basemap_inputs

    drawn = list(table.attrs.get("inputs", []))
    if facilities is not None:
        drawn.append(
            {"file": facilities.attrs.get("source_file"), "sha256": facilities.attrs.get("sha256")}
        )
    return drawn + list(extra) + basemap_inputs(m)


def _add_facilities(
    m, facilities, lang: str, drawn: dict[str, list[dict]] | None = None
) -> tuple[set[str], list[list[float]]]:
    """One layer of facilities per country; returns the countries drawn and their points.

    ``drawn``, when given, receives the point lists per country (the map's description).
    """
    countries: set[str] = set()
    bounds: list[list[float]] = []
    if facilities is None or not len(facilities):
        return countries, bounds
    for country, group_points in _facility_points(facilities, lang).items():
        if not group_points:
            continue
        if drawn is not None:
            drawn[country] = group_points
        countries.add(country)
        name = style.text(f"facilities_{country}", lang)
        group = folium.FeatureGroup(name=html_text(name))
        PointLayer(group_points).add_to(group)
        group.add_to(m)
        bounds += [[p["lat"], p["lon"]] for p in group_points]
    return countries, bounds


def crossing_map(
    joined,
    facilities=None,
    *,
    title: str | None = None,
    subtitle: str | None = None,
    credit: str | None = None,
    lang: str = "en",
    tiles: str | None = DEFAULT_TILES,
    width: str | int = "100%",
    height: str | int = "100%",
    routes=None,
    basemap: bool = True,
    publish: bool | str = False,
    cases=None,
) -> folium.Map:
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
        bundled routes when the map is the bundled event; False: no routes.
    publish : bool or {"generalise", "drop"}, default False
        Draw only what may be published (:func:`bordermap.prepare_for_publication` on
        crossings, their estimates, facilities and routes): True or ``"generalise"`` moves
        restricted features to city level, ``"drop"`` leaves them out (and the routes to
        them); route notes are left out too; the credit line
        says how many. The :class:`bordermap.publish.Audit` is kept on the map as
        ``m._bordermap_audit`` and never written into a file.
    cases : GeoDataFrame, DataFrame or CaseLayer, optional
        Case records drawn as a :func:`bordermap.case_layer` (binned at low zoom). With
        ``publish``, only counts per grid cell of at least 5 records are drawn
        (:func:`bordermap.publish.aggregate_cases`; aggregate them yourself for another
        ``k``), and a prepared CaseLayer is refused.

    Returns
    -------
    folium.Map
        Shown inline in Jupyter; save it with :func:`bordermap.save`.

    Examples
    --------
    >>> import bordermap
    >>> crossings = bordermap.load_crossings()
    >>> joined = bordermap.join_estimates(crossings, bordermap.read_estimates(
    ...     bordermap.io.bundled_path("events/2023-10-09.csv")))
    >>> m = bordermap.crossing_map(joined, bordermap.load_facilities(), tiles=None)
    >>> "Tumen → Onsong" in m.get_root().render()
    True
    """

    style.check_lang(lang)
    audit = None
    if publish:
        joined, facilities, routes, audit = _published_layers(joined, facilities, routes, publish)
        if cases is not None:
            from bordermap.publish import published_cases

            cases, more = published_cases(cases)
            audit += more
            cases = cases if len(cases) else None  # every cell was under k
    if "estimates" not in joined.columns:
        joined = joined.assign(estimates=[[] for _ in range(len(joined))])
    m = _base_map(tiles, width, height, basemap=basemap, lang=lang)
    from bordermap.render.routes import add_routes, route_legend_rows

    route_list, routes_input = add_routes(m, joined, facilities, routes, lang)

    points, scale_max = _crossing_points(joined, lang)
    crossing_group = folium.FeatureGroup(name=html_text(style.text("crossings", lang)))
    facility_points: dict[str, list[dict]] = {}
    facility_countries, facility_bounds = _add_facilities(m, facilities, lang, facility_points)
    bounds = [[p["lat"], p["lon"]] for p in points] + facility_bounds
    PointLayer(points).add_to(crossing_group)
    crossing_group.add_to(m)

    event = joined.attrs.get("event")
    heading = title if title is not None else style.text("default_title", lang)
    event_label = f"{style.text('as_of', lang)} {style.format_date(event, lang)}" if event else None
    sub = subtitle if subtitle is not None else event_label
    add_title(m, heading, sub)
    any_unknown = any(p["label_class"].endswith("bm-unknown") for p in points)
    legend = _legend_description(
        scale_max,
        any_unknown,
        facility_countries,
        lang,
        any_ring=any(p["ring"] for p in points),
        any_approx=any(p["halo_m"] for p in points),
    )
    legend["rows"] += route_legend_rows(route_list, lang)
    HtmlControl(_legend_markup(legend), position="bottomright", css_class="bm-legend").add_to(m)
    credit_html = _credit_html(joined, lang, credit, route_list) + _publication_note(audit, lang)
    HtmlControl(credit_html, position="bottomleft", css_class="bm-credit").add_to(m)
    case_payload = None
    if cases is not None:
        from bordermap.render.cases import add_cases, case_legend_rows

        case_payload = add_cases(m, cases, lang).payload
        # The page's case layer has its own legend; images draw the map's one legend.
        legend = dict(legend, rows=legend["rows"] + case_legend_rows(case_payload))
    folium.LayerControl(collapsed=False).add_to(m)
    # Leave room for the title (top left) and the legend and credit (bottom).
    fit_points(m, bounds, top_left=(30, 110), bottom_right=(30, 150))
    m.get_root().title = html_text(heading)
    m._bordermap = {
        "event": event,
        "lang": lang,
        "title": heading,
        "sources": sorted(
            {est["source"] for ests in joined["estimates"] for est in (ests or [])}
            | {r["source"] for r in route_list}
        ),
        "inputs": map_inputs(m, joined, facilities, *([routes_input] if routes_input else [])),
        "has_tiles": bool(tiles),
        "routes": route_list,
        # The map's description: what the page draws, so a printed image can draw the same.
        "subtitle": sub,
        "event_label": event_label,
        "credit": html_to_text(credit_html),
        "crossings": points,
        "facilities": facility_points,
        "legend": legend,
        "bounds": bounds_of(bounds),
        "cases": case_payload,
        "published": bool(publish),
    }
    if publish:
        # Input file names can say more than they should; their SHA-256 stays.
        m._bordermap["inputs"] = [{"sha256": i.get("sha256")} for i in m._bordermap["inputs"]]
        m._bordermap_audit = audit
    return m
