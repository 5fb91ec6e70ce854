"""The map for readers who do not see it: its name and summary, and the data table.

The map's container is a named region described by the spec's one-paragraph summary; a
"Data table" button opens a real ``<table>`` of every crossing — the figure on the map and
every published estimate with its source and date — built from the same spec as the map.
"""

from __future__ import annotations

from jinja2 import Template

from bordermap import i18n
from bordermap.render.leaflet.elements import LiteralElement
from bordermap.safe import html_text, script_json
from bordermap.spec import MapSpec

__all__ = ["AccessibleMap", "data_table_html"]


def data_table_html(spec: MapSpec) -> str:
    """A ``<table>`` of the spec's crossings: name, what the map shows, each estimate.

    Examples
    --------
    >>> import bordermap
    >>> html = data_table_html(bordermap.describe_crossings(bordermap.load_crossings()))
    >>> html.count("<tr>"), "no published figure" in html
    (6, True)
    """
    lang = spec.lang
    shown = {x.symbol: x.text for x in spec.labels if x.role in ("figure", "note")}
    head = "".join(
        f'<th scope="col">{html_text(i18n.text(key, lang))}</th>'
        for key in ("table_crossing", "table_shown", "table_estimates")
    )
    rows = []
    for symbol in spec.symbols:
        if "crossing" not in symbol.tags:
            continue
        estimates = []
        for row in symbol.popup.rows:
            cited = ", ".join(
                part
                for part in (
                    row.source.name if row.source else None,
                    row.source.date_text if row.source else None,
                )
                if part
            )
            text = " ".join(row.cells) + (f" ({cited})" if cited else "")
            estimates.append(f"<li>{html_text(text)}</li>")
        listed = f"<ul>{''.join(estimates)}</ul>" if estimates else ""
        rows.append(
            f'<tr><th scope="row">{html_text(symbol.popup.heading)}</th>'
            f"<td>{html_text(shown.get(symbol.id, ''))}</td><td>{listed}</td></tr>"
        )
    caption = html_text(spec.title)
    return (
        f'<table class="bm-data-table"><caption>{caption}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


_CSS = """
.bm-sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; }
.bm-table-button { font: bold 12px Arial, sans-serif; padding: 5px 9px; background: #fff;
  color: #222; border: 0; border-radius: 4px; box-shadow: 0 1px 4px rgba(0,0,0,0.3);
  cursor: pointer; min-height: 28px; }
.bm-table-button:focus-visible, .bm-table-panel button:focus-visible {
  outline: 3px solid #1a4f8b; }
.bm-table-panel { position: absolute; inset: 10px; z-index: 1100; background: #fff;
  overflow: auto; padding: 10px 14px; border-radius: 4px; box-shadow: 0 1px 6px rgba(0,0,0,.4);
  font: 12px/1.4 Arial, "Noto Sans CJK KR", "Noto Sans CJK SC", sans-serif; color: #222; }
.bm-table-panel[hidden] { display: none; }
.bm-data-table { border-collapse: collapse; width: 100%; }
.bm-data-table caption { text-align: left; font-weight: bold; font-size: 14px;
  padding-bottom: 6px; }
.bm-data-table th, .bm-data-table td { border-bottom: 1px solid #ccc; padding: 4px 6px;
  text-align: left; vertical-align: top; }
.bm-data-table ul { margin: 0; padding-left: 16px; }
.leaflet-interactive.bm-crossing:focus { outline: none; stroke: #1a4f8b; stroke-width: 4px;
  stroke-opacity: 1; }
"""


class AccessibleMap(LiteralElement):
    """Names the map, attaches its summary, and adds the "Data table" button and panel."""

    _template = Template(
        """{% macro header(this, kwargs) %}<style>{{ this.css }}</style>{% endmacro %}
{% macro script(this, kwargs) %}
(function () {
  var map = {{ this._parent.get_name() }};
  var text = {};
  Object.entries({{ this.text_json }}).forEach(function (pair) {
    text[pair[0]] = bordermapPlainText(pair[1]);
  });
  var container = map.getContainer();
  var id = container.id;
  container.setAttribute("role", "region");
  container.setAttribute("aria-label", text.name);
  var summary = document.createElement("p");
  summary.id = id + "-summary";
  summary.className = "bm-sr-only";
  summary.textContent = text.summary;
  container.parentNode.insertBefore(summary, container);
  container.setAttribute("aria-describedby", summary.id);
  var panel = document.createElement("div");
  panel.className = "bm-table-panel";
  panel.hidden = true;
  panel.setAttribute("role", "dialog");
  panel.setAttribute("aria-label", text.button);
  panel.innerHTML = {{ this.table_json }};
  var close = document.createElement("button");
  close.type = "button";
  close.textContent = text.close;
  panel.insertBefore(close, panel.firstChild);
  container.appendChild(panel);
  L.DomEvent.disableClickPropagation(panel);
  L.DomEvent.disableScrollPropagation(panel);
  var control = L.control({position: "topleft"});
  var button;
  control.onAdd = function () {
    var div = L.DomUtil.create("div", "bm-table-control");
    button = L.DomUtil.create("button", "bm-table-button", div);
    button.type = "button";
    button.textContent = text.button;
    button.setAttribute("aria-expanded", "false");
    L.DomEvent.disableClickPropagation(div);
    L.DomEvent.on(button, "click", function () { show(true); });
    return div;
  };
  function show(open) {
    panel.hidden = !open;
    button.setAttribute("aria-expanded", String(open));
    (open ? close : button).focus();
  }
  close.addEventListener("click", function () { show(false); });
  panel.addEventListener("keydown", function (e) {
    if (e.key === "Escape") { show(false); }
  });
  control.addTo(map);
})();
{% endmacro %}"""
    )

    def __init__(self, spec: MapSpec) -> None:
        super().__init__()
        self._name = "AccessibleMap"
        self.css = _CSS
        lang = spec.lang
        self.text_json = script_json(
            {
                "name": html_text(i18n.text("map_name", lang).format(title=spec.title)),
                "summary": html_text(spec.summary or spec.title),
                "button": html_text(i18n.text("data_table", lang)),
                "close": html_text(i18n.text("close", lang)),
            }
        )
        self.table_json = script_json(data_table_html(spec))
