"""Case records of any number on a Leaflet map: a compact payload decoded and drawn in the page.

A map of 100,000 records cannot carry one GeoJSON feature and one popup per record. The
:class:`CaseLayer` writes each column once, as binary typed arrays in base64: coordinates
quantised to the precision the records support (Uint16/Uint32 steps from an origin),
categories as a dictionary plus Uint8/Uint16 codes, popup fields as dictionaries or plain
string columns. The page decodes them with typed arrays and draws with Leaflet's canvas
renderer: grid bins (count and main category) while many records are in view, individual
points once few are, popups built on click with ``textContent``. No plugin, nothing fetched.
"""

from __future__ import annotations

from typing import Any

import folium
from jinja2 import Template

from bordermap.records import encode_cases
from bordermap.render.leaflet.elements import LiteralElement
from bordermap.safe import script_json

__all__ = ["CaseLayer", "add_case_payload", "case_layer"]

_CSS = """
.bm-case-count { background: none; border: none; }
.bm-case-count span { position: absolute; transform: translate(-50%, -50%); white-space: nowrap;
  font: bold 11px Arial, sans-serif; color: #fff; text-shadow: 0 0 2px #000, 0 0 2px #000;
  pointer-events: none; }
.bm-case-legend { background: rgba(255,255,255,0.94); padding: 6px 9px; border-radius: 4px;
  box-shadow: 0 1px 4px rgba(0,0,0,0.3); font: 12px/1.4 Arial, sans-serif; color: #222;
  max-width: 260px; }
.bm-case-legend h2 { font-size: 12px; margin: 0 0 4px 0; }
.bm-case-legend .bm-row { display: flex; align-items: center; gap: 6px; }
.bm-case-legend .bm-swatch { flex: none; width: 11px; height: 11px; border-radius: 50%;
  border: 1px solid #fff; box-shadow: 0 0 0 1px #888; }
.bm-case-legend .bm-note { color: #555; font-size: 11px; margin-top: 3px; }
.bm-case-popup table { border-collapse: collapse; }
.bm-case-popup th { text-align: left; padding: 1px 8px 1px 0; color: #555; font-weight: normal;
  vertical-align: top; }
.bm-case-popup td { padding: 1px 0; }
"""

# The page's half of the layer: a fixed script; the data arrive as JSON (script_json).
_JS = r"""
(function () {
  var data = {{ this.payload_json }};
  var parent = {{ this._parent.get_name() }};
  function decode(part) {
    var raw = atob(part.b64), bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) { bytes[i] = raw.charCodeAt(i); }
    var Type = {Uint8: Uint8Array, Uint16: Uint16Array, Uint32: Uint32Array}[part.type];
    return new Type(bytes.buffer);
  }
  function column(field) {
    if (!field.codes) { return field.values; }
    var codes = decode(field.codes), values = field.values;
    return {get: function (i) { return values[codes[i]]; }};
  }
  // Thousands separators without Intl, whose first use can cost a page 100 ms.
  function count(v) { return String(v).replace(/\B(?=(\d{3})+(?!\d))/g, ","); }
  var n = data.n, lon = new Float64Array(n), lat = new Float64Array(n);
  var mx = new Float64Array(n), my = new Float64Array(n);
  var qx = decode(data.x), qy = decode(data.y);
  for (var i = 0; i < n; i++) {
    lon[i] = data.x.origin + qx[i] * data.x.step;
    lat[i] = data.y.origin + qy[i] * data.y.step;
    var s = Math.sin(lat[i] * Math.PI / 180);
    mx[i] = (lon[i] + 180) / 360;
    my[i] = 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI);
  }
  var cat = data.category ? decode(data.category.codes) : null;
  var colors = data.category ? data.category.colors : [data.color];
  var fields = data.fields.map(function (f) {
    var col = column(f);
    return {name: f.name, get: Array.isArray(col) ? function (i) { return col[i]; } : col.get};
  });

  function popupContent(i) {
    var box = document.createElement("div");
    box.className = "bm-case-popup";
    box.setAttribute("data-index", String(i));
    var table = document.createElement("table");
    var rows = data.category ? [[data.category.name, data.category.names[cat[i]]]] : [];
    fields.forEach(function (f) { rows.push([f.name, f.get(i)]); });
    rows.forEach(function (r) {
      var tr = document.createElement("tr"), th = document.createElement("th"),
        td = document.createElement("td");
      th.textContent = r[0];
      td.textContent = r[1] == null ? "" : String(r[1]);
      tr.appendChild(th); tr.appendChild(td); table.appendChild(tr);
    });
    box.appendChild(table);
    return box;
  }

  function legendControl() {
    var control = L.control({position: data.options.legend_position});
    control.onAdd = function () {
      var div = L.DomUtil.create("div", "bm-case-legend");
      var h = document.createElement("h2");
      h.textContent = data.title + " (" + count(n) + ")";
      div.appendChild(h);
      var names = data.category ? data.category.names : [];
      var counts = data.category ? data.category.counts : [];
      names.forEach(function (name, k) {
        var row = document.createElement("div"), sw = document.createElement("span"),
          label = document.createElement("span");
        row.className = "bm-row";
        sw.className = "bm-swatch";
        sw.style.background = colors[k % colors.length];
        label.textContent = name + " (" + count(counts[k]) + ")";
        row.appendChild(sw); row.appendChild(label); div.appendChild(row);
      });
      var note = document.createElement("div");
      note.className = "bm-note";
      note.textContent = data.zoom_note;
      div.appendChild(note);
      L.DomEvent.disableClickPropagation(div);
      return div;
    };
    return control;
  }

  var CaseLayer = L.Layer.extend({
    onAdd: function (map) {
      this._map = map;
      this._renderer = L.canvas({padding: 0.2});
      this._group = L.featureGroup().addTo(map);
      this._legend = legendControl().addTo(map);
      this._group.on("click", this._click, this);
      map.on("moveend", this._draw, this);
      this._draw();
    },
    onRemove: function (map) {
      map.off("moveend", this._draw, this);
      map.removeLayer(this._group);
      this._legend.remove();
    },
    _click: function (e) {
      var o = e.layer.options;
      if (o.bmIndex !== undefined) {
        L.popup({maxWidth: 360}).setLatLng(e.layer.getLatLng())
          .setContent(popupContent(o.bmIndex)).openOn(this._map);
      } else if (o.bmCount !== undefined) {
        this._map.setView(e.layer.getLatLng(), this._map.getZoom() + 2);
      }
    },
    _draw: function () {
      var started = performance.now();
      var map = this._map, group = this._group, opt = data.options;
      group.clearLayers();
      var zoom = map.getZoom(), scale = 256 * Math.pow(2, zoom);
      var origin = map.getPixelBounds().min, size = map.getSize();
      var pad = 40, x0 = origin.x - pad, y0 = origin.y - pad;
      var x1 = origin.x + size.x + pad, y1 = origin.y + size.y + pad;
      var inView = [];
      for (var i = 0; i < n; i++) {
        var px = mx[i] * scale, py = my[i] * scale;
        if (px >= x0 && px <= x1 && py >= y0 && py <= y1) { inView.push(i); }
      }
      var points = inView.length <= opt.max_points || zoom >= map.getMaxZoom() - 1;
      this.mode = points ? "points" : "bins";
      this.drawn = 0;
      if (points) {
        for (var k = 0; k < inView.length; k++) {
          var j = inView[k];
          var c = colors[cat ? cat[j] % colors.length : 0];
          L.circleMarker([lat[j], lon[j]], {renderer: this._renderer, radius: opt.radius,
            color: "#ffffff", weight: 1, fillColor: c, fillOpacity: 0.85, bmIndex: j})
            .addTo(group);
        }
        this.drawn = inView.length;
      } else {
        var cell = opt.cell_px, bins = new Map(), ncat = data.category ? colors.length : 1;
        for (var k = 0; k < inView.length; k++) {
          var j = inView[k];
          var gx = Math.floor(mx[j] * scale / cell), gy = Math.floor(my[j] * scale / cell);
          var key = gx * 1e8 + gy, b = bins.get(key);
          if (!b) {
            b = {gx: gx, gy: gy, count: 0, sx: 0, sy: 0, px: 0, py: 0, cats: data.category ?
              new Uint32Array(data.category.names.length) : null};
            bins.set(key, b);
          }
          b.count++; b.sx += lon[j]; b.sy += lat[j]; b.px += mx[j]; b.py += my[j];
          if (b.cats) { b.cats[cat[j]]++; }
        }
        // A group split by a grid line would show as two overlapping circles: merge
        // neighbouring cells whose centres are closer than a cell, largest first.
        var order = Array.from(bins.values()).sort(function (a, b) { return b.count - a.count; });
        var kept = [];
        order.forEach(function (b) {
          if (b.merged) { return; }
          for (var dx = -1; dx <= 1; dx++) {
            for (var dy = -1; dy <= 1; dy++) {
              var o = bins.get((b.gx + dx) * 1e8 + b.gy + dy);
              if (!o || o === b || o.merged) { continue; }
              var ddx = (o.px / o.count - b.px / b.count) * scale;
              var ddy = (o.py / o.count - b.py / b.count) * scale;
              if (ddx * ddx + ddy * ddy < cell * cell) {
                b.count += o.count; b.sx += o.sx; b.sy += o.sy; b.px += o.px; b.py += o.py;
                if (b.cats) { for (var t = 0; t < b.cats.length; t++) { b.cats[t] += o.cats[t]; } }
                o.merged = true;
              }
            }
          }
          kept.push(b);
        });
        var self = this;
        kept.forEach(function (b) {
          var top = 0;
          for (var t = 1; b.cats && t < b.cats.length; t++) {
            if (b.cats[t] > b.cats[top]) { top = t; }
          }
          var where = [b.sy / b.count, b.sx / b.count];
          var r = Math.min(opt.cell_px / 2, 6 + 3 * Math.log(b.count) / Math.LN2);
          L.circleMarker(where, {renderer: self._renderer, radius: r, color: "#ffffff",
            weight: 1.5, fillColor: colors[top % colors.length], fillOpacity: 0.8,
            bmCount: b.count}).addTo(group);
          if (b.count > 1) {
            L.marker(where, {interactive: false, keyboard: false, icon: L.divIcon({
              className: "bm-case-count", iconSize: [0, 0],
              html: "<span>" + count(b.count) + "</span>"})}).addTo(group);
          }
          self.drawn++;
        });
      }
      var container = map.getContainer();
      container.setAttribute("data-bm-cases-mode", this.mode);
      container.setAttribute("data-bm-cases-drawn", String(this.drawn));
      container.setAttribute("data-bm-cases-zoom", String(zoom));
      container.setAttribute("data-bm-cases-ms", (performance.now() - started).toFixed(1));
      map.fire("bm:casesdrawn", {mode: this.mode, drawn: this.drawn});
    }
  });

  var layer = new CaseLayer();
  layer.popupContent = popupContent;
  layer.position = function (i) { return [lat[i], lon[i]]; };
  window.bordermapCases = window.bordermapCases || {};
  window.bordermapCases[{{ this.name_json }}] = layer;
  parent.addLayer(layer);
})();
"""


class CaseLayer(LiteralElement):
    """Case records drawn from a compact payload; add it to a folium map or feature group.

    Build it with :func:`case_layer`. ``payload`` is the decoded description the page
    receives (see :func:`bordermap.records.encode_cases`).
    """

    _template = Template(
        "{% macro header(this, kwargs) %}<style>" + _CSS + "</style>{% endmacro %}"
        "{% macro script(this, kwargs) %}" + _JS + "{% endmacro %}"
    )

    def __init__(self, payload: dict[str, Any]) -> None:
        super().__init__()
        self._name = "CaseLayer"
        self.payload = payload
        self.payload_json = script_json(payload)
        self.name_json = script_json(payload["title"])


def case_layer(points: Any, **options: Any) -> CaseLayer:
    """A layer of case records (arrests, testimonies, transfers) of any number.

    While more than ``max_points`` records are in view they are binned on a grid of
    ``cell_px`` pixels (a circle per cell: count, colour of its most frequent category; a
    click zooms in); below that each record is a point, and a click shows its fields.

    Parameters
    ----------
    points : geopandas.GeoDataFrame or pandas.DataFrame
        Point records (any CRS: converted to WGS84), or a table with ``lon``/``lat`` columns.
    category : str, optional
        Column that colours the records; the legend lists its values with their counts.
    popup_fields : list of str, optional
        Columns shown, in this order, when a record is clicked. Only these are written.
    precision : float, optional
        Metres the locations are known to. Default: the smallest positive ``precision_m``
        of the records, else 1 m. Coordinates are rounded to it.
    colors : list of str, optional
        Colours of the categories in sorted order (default :data:`bordermap.theme.CATEGORY_COLORS`).
    title : str, optional
        Legend heading (default "Records" in ``lang``).
    lang : {"en", "ko", "zh"}
        Language of the legend's fixed text.
    max_points, cell_px, radius
        Points drawn one by one at most; bin size in pixels; point radius in pixels.

    Returns
    -------
    CaseLayer
        Add it to any folium map: ``case_layer(df).add_to(m)``.

    Examples
    --------
    >>> import folium, pandas as pd
    >>> cases = pd.DataFrame({"lon": [129.99, 124.40], "lat": [42.95, 40.10],
    ...                       "kind": ["arrest", "transfer"], "place": ["Onsong", "Sinuiju"]})
    >>> m = folium.Map(location=[41.5, 127.0], zoom_start=6, tiles=None)
    >>> _ = case_layer(cases, category="kind", popup_fields=["place"]).add_to(m)
    >>> "Sinuiju" in m.get_root().render()
    True
    """
    return CaseLayer(encode_cases(points, **options))


def add_case_payload(m: folium.Map, payload: dict, name: str) -> CaseLayer:
    """Add case records, as a spec's payload, to a map in their own layer."""
    layer = CaseLayer(payload)
    group = folium.FeatureGroup(name=name)
    layer.add_to(group)
    group.add_to(m)
    return layer
