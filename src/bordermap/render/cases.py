"""Case records of any number on a Leaflet map: a compact payload decoded and drawn in the page.

A map of a million records cannot carry one GeoJSON feature and one popup per record. The
:class:`CaseLayer` writes each column once, as typed arrays laid end to end in one zlib
stream (base64 in the page): coordinates as whole steps of the finest precision from an
origin, each record rounded to its own precision; categories and repeated popup values as a
dictionary plus codes; other text as UTF-8 with end offsets. Records are stored in Z-order,
so neighbours sit together: zlib finds the repeats and the page bins a cell's records in one
run. The browser inflates the stream with its own ``DecompressionStream`` and views each
array in place; it draws on one canvas: grid bins (count and main category) while many
records are in view, individual points once few are, popups built on click with
``textContent``. No plugin, nothing fetched.
"""

from __future__ import annotations

import base64
import math
import zlib

import numpy as np
import pandas as pd
from jinja2 import Template

from bordermap import style
from bordermap.errors import ValidationError
from bordermap.render.html import LiteralElement
from bordermap.safe import html_text, script_json

__all__ = ["CaseLayer", "case_layer", "decode_points", "decode_records", "encode_cases"]

# Metres per degree of latitude (and of longitude at the equator), WGS84 mean.
_M_PER_DEG = 111_320.0
DEFAULT_PRECISION_M = 1.0

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

# The page's half of the layer: a fixed script; the data arrive as JSON (script_json) with
# one compressed block of typed arrays, inflated by the browser's own DecompressionStream.
_JS = r"""
(function () {
  var data = {{ this.payload_json }};
  var parent = {{ this._parent.get_name() }};
  var TYPES = {Uint8: Uint8Array, Uint16: Uint16Array, Uint32: Uint32Array};
  var n = data.n, opt = data.options, arrays = null;
  var colors = data.category ? data.category.colors : [data.color];
  var ncat = data.category ? data.category.names.length : 1;
  var mx = null, my = null, cat = null, fields = null;

  function inflate() {
    var b64 = data.blob.b64, bytes;
    if (Uint8Array.fromBase64) {
      bytes = Uint8Array.fromBase64(b64);
    } else {
      var raw = atob(b64);
      bytes = new Uint8Array(raw.length);
      for (var i = 0; i < raw.length; i++) { bytes[i] = raw.charCodeAt(i); }
    }
    var inflating = new DecompressionStream(data.blob.encoding);
    var stream = new Blob([bytes]).stream().pipeThrough(inflating);
    return new Response(stream).arrayBuffer().then(function (buffer) {
      var out = {};
      Object.keys(data.arrays).forEach(function (key) {
        var a = data.arrays[key];
        out[key] = new TYPES[a.type](buffer, a.offset, a.length);  // a view: nothing copied
      });
      return out;
    });
  }
  function lon(i) { return data.x.origin + arrays.x[i] * data.x.step; }
  function lat(i) { return data.y.origin + arrays.y[i] * data.y.step; }
  function mercatorY(latitude) {
    var s = Math.sin(latitude * Math.PI / 180);
    return 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI);
  }
  function project() {
    var ux = arrays.x, uy = arrays.y, i, x, y, wx, wy, t = -1, lx = -1, ly = -1;
    cat = data.category ? arrays[data.category.codes] : null;
    // Records share few distinct latitudes (whole steps): one logarithm per step, not per record.
    var top = data.arrays.y.max;
    if (top < 4 * n) {
      ytable = new Float64Array(top + 1);
      for (i = 0; i <= top; i++) { ytable[i] = mercatorY(data.y.origin + i * data.y.step); }
    }
    // One pass: each record in Web Mercator, and level 0 of the pyramid (a tile per distinct
    // position; a position's records are neighbours in Z-order).
    mx = new Float64Array(n); my = new Float64Array(n);
    tileCats = ncat * data.positions * 1.5 < 8e6;
    var at = level(0, data.positions);
    for (i = 0; i < n; i++) {
      x = ux[i]; y = uy[i];
      mx[i] = wx = worldX(x); my[i] = wy = worldY(y);
      if (x !== lx || y !== ly) {
        t++; at.start[t] = i; at.tx[t] = x; at.ty[t] = y; lx = x; ly = y;
      }
      at.count[t]++; at.sx[t] += wx; at.sy[t] += wy;
      if (tileCats && cat) { at.cats[t * ncat + cat[i]]++; }
    }
    at.start[at.n] = n;
    buildLevels(at);
    fields = data.fields.map(function (f) {
      if (f.codes) {
        var codes = arrays[f.codes];
        return {name: f.name, get: function (i) { return f.values[codes[i]]; }};
      }
      var bytes = arrays[f.text], ends = arrays[f.ends], utf8 = new TextDecoder();
      return {name: f.name, get: function (i) {
        return utf8.decode(bytes.subarray(i ? ends[i - 1] : 0, ends[i]));
      }};
    });
  }
  // Thousands separators without Intl, whose first use can cost a page 100 ms.
  function count(v) { return String(v).replace(/\B(?=(\d{3})+(?!\d))/g, ","); }

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
    var control = L.control({position: opt.legend_position});
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

  // A pyramid of tiles over the records, which are stored in Z-order of their whole steps:
  // the records of a tile of level k (2**k steps square) are one run of the arrays, and its
  // children (level k - 1) one run of that level. Level 0 is one tile per distinct position.
  // A draw visits tiles no wider than a quarter cell, and records only where a view cuts a
  // tile: its cost follows the screen, not the number of records.
  var levels = [], tileCats = true;
  // (Level 0 is built with the projection, in project().)
  function buildLevels(below) {
    var parents = new Uint32Array(below.n), i, t, k;
    levels.push(below);
    for (k = 1; below.n > 1 && k < 33; k++) {
      var m = 0;
      for (t = 0; t < below.n; t++) {
        if (t === 0 || below.tx[t] >>> 1 !== below.tx[t - 1] >>> 1 ||
            below.ty[t] >>> 1 !== below.ty[t - 1] >>> 1) { parents[m++] = t; }
      }
      var up = level(k, m);
      up.child.set(parents.subarray(0, m)); up.child[up.n] = below.n;
      for (var p = 0; p < up.n; p++) {
        var c0 = up.child[p], c1 = up.child[p + 1];
        up.start[p] = below.start[c0]; up.tx[p] = below.tx[c0] >>> 1;
        up.ty[p] = below.ty[c0] >>> 1;
        for (t = c0; t < c1; t++) {
          up.count[p] += below.count[t]; up.sx[p] += below.sx[t]; up.sy[p] += below.sy[t];
          for (i = 0; tileCats && i < ncat; i++) {
            up.cats[p * ncat + i] += below.cats[t * ncat + i];
          }
        }
      }
      up.start[up.n] = n;
      levels.push(up);
      below = up;
    }
  }
  function level(k, m) {
    return {k: k, n: m, start: new Uint32Array(m + 1), child: new Uint32Array(m + 1),
      tx: new Uint32Array(m), ty: new Uint32Array(m), count: new Uint32Array(m),
      sx: new Float64Array(m), sy: new Float64Array(m),
      cats: new Uint32Array(tileCats ? m * ncat : 0)};
  }
  var ytable = null;
  function worldX(u) { return (data.x.origin + u * data.x.step + 180) / 360; }
  function worldY(u) {
    return ytable && u < ytable.length ? ytable[u] : mercatorY(data.y.origin + u * data.y.step);
  }
  // The tiles down to level ``floor`` that a box of world pixels touches: [level, tile]
  // pairs in ``whole`` (inside the box) or ``cut``.
  function tilesIn(scale, x0, y0, x1, y1, floor, whole, cut) {
    function visit(k, t) {
      var at = levels[k], side = Math.pow(2, k);
      var ux = at.tx[t] * side, uy = at.ty[t] * side;
      var a = worldX(ux) * scale, b = worldX(ux + side - 1) * scale;
      var c = worldY(uy + side - 1) * scale, d = worldY(uy) * scale;
      if (b < x0 || a > x1 || d < y0 || c > y1) { return; }
      if (k <= floor) {
        (a >= x0 && b <= x1 && c >= y0 && d <= y1 ? whole : cut).push([k, t]);
        return;
      }
      for (var u = at.child[t]; u < at.child[t + 1]; u++) { visit(k - 1, u); }
    }
    var top = levels.length - 1;
    for (var t = 0; top >= 0 && t < levels[top].n; t++) { visit(top, t); }
  }
  // Grid cells of cell_px world pixels: count, mean position, count per category.
  function Cells(scale) {
    this.scale = scale; this.inv = scale / opt.cell_px; this.map = new Map(); this.list = [];
    this.lgx = NaN; this.lgy = NaN; this.last = null;
  }
  Cells.prototype.cell = function (wx, wy) {
    var gx = Math.floor(wx * this.inv), gy = Math.floor(wy * this.inv);
    // Neighbouring records share a cell: the map is consulted only where a run ends.
    if (gx !== this.lgx || gy !== this.lgy) {
      var key = gx * 134217728 + gy;
      this.last = this.map.get(key);
      if (!this.last) {
        this.last = {gx: gx, gy: gy, count: 0, sx: 0, sy: 0, cats: new Uint32Array(ncat)};
        this.map.set(key, this.last);
        this.list.push(this.last);
      }
      this.lgx = gx; this.lgy = gy;
    }
    return this.last;
  };
  Cells.prototype.addRecord = function (i) {
    var b = this.cell(mx[i], my[i]);
    b.count++; b.sx += mx[i]; b.sy += my[i];
    if (cat) { b.cats[cat[i]]++; }
  };
  Cells.prototype.addTile = function (at, t) {
    var c = at.count[t], b = this.cell(at.sx[t] / c, at.sy[t] / c);
    b.count += c; b.sx += at.sx[t]; b.sy += at.sy[t];
    for (var k = 0; k < ncat; k++) { b.cats[k] += at.cats[t * ncat + k]; }
  };
  // A group split by a grid line would show as two overlapping circles: merge
  // neighbouring cells whose centres are closer than a cell, largest first.
  Cells.prototype.merged = function () {
    var cells = this.map, scale = this.scale, cell = opt.cell_px, kept = [];
    this.list.sort(function (a, b) { return b.count - a.count || a.gx - b.gx || a.gy - b.gy; });
    this.list.forEach(function (b) {
      if (b.merged) { return; }
      for (var dx = -1; dx <= 1; dx++) {
        for (var dy = -1; dy <= 1; dy++) {
          var o = cells.get((b.gx + dx) * 134217728 + b.gy + dy);
          if (!o || o === b || o.merged) { continue; }
          var ddx = (o.sx / o.count - b.sx / b.count) * scale;
          var ddy = (o.sy / o.count - b.sy / b.count) * scale;
          if (ddx * ddx + ddy * ddy < cell * cell) {
            b.count += o.count; b.sx += o.sx; b.sy += o.sy;
            for (var t = 0; t < ncat; t++) { b.cats[t] += o.cats[t]; }
            o.merged = true;
          }
        }
      }
      var top = 0;
      for (var k = 1; k < ncat; k++) { if (b.cats[k] > b.cats[top]) { top = k; } }
      kept.push({count: b.count, wx: b.sx / b.count, wy: b.sy / b.count, top: top});
    });
    return kept;
  };

  var CaseLayer = L.Layer.extend({
    onAdd: function (map) {
      this._map = map;
      var animated = map.options.zoomAnimation && L.Browser.any3d;
      this._canvas = L.DomUtil.create("canvas", "bm-cases-canvas leaflet-zoom-" +
        (animated ? "animated" : "hide"));
      this._canvas.style.pointerEvents = "none";
      // Its own pane under the overlay pane: the map's symbols and labels stay on top.
      var pane = map.getPane("bmCases") || map.createPane("bmCases");
      pane.style.zIndex = 350;
      pane.appendChild(this._canvas);
      this._legend = legendControl().addTo(map);
      this.items = [];
      // moveend follows every view change (viewreset too): one draw per change.
      var events = {moveend: this._reset, resize: this._reset,
        click: this._click, mousemove: this._hover};
      if (animated) { events.zoomanim = this._animateZoom; }
      this._events = events;
      map.on(events, this);
      var self = this;
      var started = performance.now();
      (arrays ? Promise.resolve(arrays) : inflate()).then(function (loaded) {
        // Where the first paint goes (the benchmarks read it): inflating, then indexing.
        var inflated = performance.now();
        if (!mx) { arrays = loaded; project(); }
        self.timings = {inflate_ms: inflated - started, index_ms: performance.now() - inflated};
        if (self._map) { self._reset(); }
      });
    },
    onRemove: function (map) {
      map.off(this._events, this);
      L.DomUtil.remove(this._canvas);
      this._legend.remove();
      this._map = null;
    },
    _animateZoom: function (e) {
      if (!this._bounds) { return; }
      var map = this._map, scale = map.getZoomScale(e.zoom);
      var offset = map._latLngBoundsToNewLayerBounds(this._bounds, e.zoom, e.center).min;
      L.DomUtil.setTransform(this._canvas, offset, scale);
    },
    _reset: function () {
      if (!mx || !this._map) { return; }
      var started = performance.now();
      var map = this._map, size = map.getSize(), canvas = this._canvas;
      var ratio = window.devicePixelRatio || 1;
      L.DomUtil.setPosition(canvas, map.containerPointToLayerPoint([0, 0]));
      canvas.width = Math.round(size.x * ratio); canvas.height = Math.round(size.y * ratio);
      canvas.style.width = size.x + "px"; canvas.style.height = size.y + "px";
      this._bounds = map.getBounds();
      this._draw(canvas.getContext("2d"), ratio);
      var container = map.getContainer();
      container.setAttribute("data-bm-cases-mode", this.mode);
      container.setAttribute("data-bm-cases-drawn", String(this.drawn));
      container.setAttribute("data-bm-cases-zoom", String(map.getZoom()));
      container.setAttribute("data-bm-cases-ms", (performance.now() - started).toFixed(1));
      map.fire("bm:casesdrawn", {mode: this.mode, drawn: this.drawn});
    },
    _draw: function (ctx, ratio) {
      var map = this._map, zoom = map.getZoom(), scale = 256 * Math.pow(2, zoom);
      var origin = map.getPixelBounds().min, size = map.getSize(), pad = opt.cell_px;
      var x0 = origin.x - pad, y0 = origin.y - pad;
      var x1 = origin.x + size.x + pad, y1 = origin.y + size.y + pad;
      var small = opt.cell_px / 4, seen = 0, visited = 0, i, k, px, py, whole = [], cut = [];
      var floor = Math.floor(Math.log2(small * 360 / (data.x.step * scale)));
      tilesIn(scale, x0, y0, x1, y1, Math.max(0, floor), whole, cut);
      function inside(j) {
        px = mx[j] * scale; py = my[j] * scale;
        return px >= x0 && px <= x1 && py >= y0 && py <= y1;
      }
      function records(pair) { var at = levels[pair[0]]; return [at.start[pair[1]],
        at.start[pair[1]] + at.count[pair[1]]]; }
      whole.forEach(function (pair) { seen += levels[pair[0]].count[pair[1]]; });
      cut.forEach(function (pair) {
        var run = records(pair);
        visited += run[1] - run[0];
        for (var j = run[0]; j < run[1]; j++) { if (inside(j)) { seen++; } }
      });
      var items = [], points = seen <= opt.max_points || zoom >= map.getMaxZoom() - 1;
      var inView = points ? new Uint32Array(seen) : null, cells = points ? null : new Cells(scale);
      seen = 0;
      for (k = 0; k < whole.length; k++) {
        if (cells && (tileCats || !cat)) {
          cells.addTile(levels[whole[k][0]], whole[k][1]);
          continue;
        }
        var run = records(whole[k]);
        visited += run[1] - run[0];
        for (i = run[0]; i < run[1]; i++) {
          if (cells) { cells.addRecord(i); } else { inView[seen++] = i; }
        }
      }
      cut.forEach(function (pair) {
        var run = records(pair);
        for (var j = run[0]; j < run[1]; j++) {
          if (!inside(j)) { continue; }
          if (cells) { cells.addRecord(j); } else { inView[seen++] = j; }
        }
      });
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.clearRect(0, 0, size.x, size.y);
      ctx.lineWidth = 1;
      ctx.strokeStyle = "#ffffff";
      if (points) {
        // A white halo under all, then one path per colour: a few fills for thousands of
        // points, and no white strokes piled up where points overlap.
        var halo = new Path2D(), paths = colors.map(function () { return new Path2D(); });
        for (var k = 0; k < seen; k++) {
          var j = inView[k], c = cat ? cat[j] % colors.length : 0;
          var item = {index: j, x: mx[j] * scale - origin.x, y: my[j] * scale - origin.y,
            r: opt.radius};
          halo.moveTo(item.x + item.r + 1, item.y);
          halo.arc(item.x, item.y, item.r + 1, 0, 2 * Math.PI);
          paths[c].moveTo(item.x + item.r, item.y);
          paths[c].arc(item.x, item.y, item.r, 0, 2 * Math.PI);
          items.push(item);
        }
        ctx.fillStyle = "#ffffff";
        ctx.fill(halo);
        ctx.globalAlpha = 0.9;
        paths.forEach(function (path, c) { ctx.fillStyle = colors[c]; ctx.fill(path); });
        ctx.globalAlpha = 1;
      } else {
        ctx.lineWidth = 1.5;
        ctx.font = "bold 11px Arial, sans-serif";
        ctx.textAlign = "center"; ctx.textBaseline = "middle";
        cells.merged().forEach(function (b) {
          var item = {count: b.count, x: b.wx * scale - origin.x, y: b.wy * scale - origin.y,
            r: Math.min(opt.cell_px / 2, 6 + 3 * Math.log(b.count) / Math.LN2)};
          ctx.globalAlpha = 0.8;
          ctx.fillStyle = colors[b.top % colors.length];
          ctx.beginPath(); ctx.arc(item.x, item.y, item.r, 0, 2 * Math.PI);
          ctx.fill(); ctx.globalAlpha = 1; ctx.stroke();
          items.push(item);
        });
        ctx.lineWidth = 3; ctx.strokeStyle = "rgba(0,0,0,0.75)"; ctx.fillStyle = "#ffffff";
        items.forEach(function (item) {
          if (item.count < 2) { return; }
          ctx.strokeText(count(item.count), item.x, item.y);
          ctx.fillText(count(item.count), item.x, item.y);
        });
      }
      this.mode = points ? "points" : "bins";
      this.items = items;
      this.drawn = items.length;
      // What the draw cost: tiles looked at, records looked at one by one.
      this.visited = {tiles: whole.length + cut.length, records: visited};
    },
    // The drawn circle under a point of the map container, topmost first; null if none.
    itemAt: function (point) {
      for (var k = this.items.length - 1; k >= 0; k--) {
        var item = this.items[k], dx = item.x - point.x, dy = item.y - point.y;
        var r = item.r + 2;
        if (dx * dx + dy * dy <= r * r) { return item; }
      }
      return null;
    },
    _hover: function (e) {
      this._map.getContainer().style.cursor = this.itemAt(e.containerPoint) ? "pointer" : "";
    },
    _click: function (e) {
      var started = performance.now(), item = this.itemAt(e.containerPoint), map = this._map;
      if (item && item.index !== undefined) {
        var content = popupContent(item.index);
        // Finding the record and building its popup; then with Leaflet opening it (the
        // benchmarks read both).
        this.lastClickMs = performance.now() - started;
        L.popup({maxWidth: 360}).setLatLng([lat(item.index), lon(item.index)])
          .setContent(content).openOn(map);
        this.lastPopupMs = performance.now() - started;
      } else if (item) {
        map.setView(map.containerPointToLatLng([item.x, item.y]), map.getZoom() + 2);
      }
    }
  });

  var layer = new CaseLayer();
  layer.popupContent = popupContent;
  layer.position = function (i) { return [lat(i), lon(i)]; };
  window.bordermapCases = window.bordermapCases || {};
  window.bordermapCases[{{ this.name_json }}] = layer;
  parent.addLayer(layer);
})();
"""


class CaseLayer(LiteralElement):
    """Case records drawn from a compact payload; add it to a folium map or feature group.

    Build it with :func:`case_layer`. ``payload`` is the decoded description the page
    receives (see :func:`encode_cases`).
    """

    _template = Template(
        "{% macro header(this, kwargs) %}<style>" + _CSS + "</style>{% endmacro %}"
        "{% macro script(this, kwargs) %}" + _JS + "{% endmacro %}"
    )

    def __init__(self, payload: dict) -> None:
        super().__init__()
        self._name = "CaseLayer"
        self.payload = payload
        self.payload_json = script_json(payload)
        self.name_json = script_json(payload["title"])


def _coordinates(points) -> tuple[np.ndarray, np.ndarray]:
    """Longitudes and latitudes of point records: a GeoDataFrame, or lon/lat columns."""
    geometry = getattr(points, "geometry", None) if hasattr(points, "crs") else None
    if geometry is not None:
        if points.crs is not None and not points.crs.equals("EPSG:4326"):
            geometry = points.to_crs("EPSG:4326").geometry
        return np.asarray(geometry.x, dtype=float), np.asarray(geometry.y, dtype=float)
    for lon_name, lat_name in (("lon", "lat"), ("longitude", "latitude"), ("x", "y")):
        if lon_name in points.columns and lat_name in points.columns:
            return (
                pd.to_numeric(points[lon_name], errors="coerce").to_numpy(dtype=float),
                pd.to_numeric(points[lat_name], errors="coerce").to_numpy(dtype=float),
            )
    raise ValidationError(
        "case records have no coordinates",
        field="geometry",
        fix="give a GeoDataFrame of points, or lon and lat columns",
    )


# The typed arrays the page views, and their little-endian numpy types.
_DTYPES = {"Uint8": "<u1", "Uint16": "<u2", "Uint32": "<u4"}


def _typed(values: np.ndarray, kind: str | None = None) -> tuple[str, np.ndarray]:
    """Unsigned integers as the smallest typed array that holds them (or as ``kind``)."""
    if kind is None:
        top = int(values.max()) if len(values) else 0
        kind = "Uint8" if top < 2**8 else "Uint16" if top < 2**16 else "Uint32"
    return kind, np.ascontiguousarray(values, dtype=_DTYPES[kind])


def _block(columns: dict[str, tuple[str | None, np.ndarray]]) -> tuple[dict, dict]:
    """Typed arrays end to end in one zlib stream; where each starts, for views without copies.

    Each array starts at a multiple of 4 bytes, as a typed-array view of the inflated buffer
    requires. zlib at a fixed level gives the same bytes for the same arrays.
    """
    parts, arrays, offset = [], {}, 0
    for key, (kind, values) in columns.items():
        kind, typed = _typed(values, kind)
        raw = typed.tobytes()
        arrays[key] = {
            "type": kind,
            "offset": offset,
            "length": len(typed),
            "max": int(typed.max()) if len(typed) else 0,
        }
        padded = raw + b"\0" * (-len(raw) % 4)
        parts.append(padded)
        offset += len(padded)
    # Level 3: as fast as level 1 and 5 % larger than level 9, at a sixteenth of its time
    # (a million records: 0.2 s, 3.3 MB in base64).
    blob = zlib.compress(b"".join(parts), 3)
    return {"encoding": "deflate", "b64": base64.b64encode(blob).decode("ascii")}, arrays


def _text_values(series: pd.Series) -> list[str]:
    return ["" if pd.isna(v) else str(v) for v in series.tolist()]


def _field(name: str, key: str, series: pd.Series, order: np.ndarray, columns: dict) -> dict:
    """One popup column in ``order``, stored once: a dictionary and codes when values repeat,
    else UTF-8 text and end offsets."""
    codes, uniques = pd.factorize(series, use_na_sentinel=False)
    if len(uniques) <= max(1, len(series) // 2):
        columns[key] = (None, codes[order])
        return {
            "name": name,
            "values": _text_values(pd.Series(uniques, dtype=object)),
            "codes": key,
        }
    encoded = [text.encode("utf-8") for text in _text_values(series.iloc[order])]
    columns[key] = ("Uint8", np.frombuffer(b"".join(encoded), dtype=np.uint8))
    columns[key + "_ends"] = ("Uint32", np.cumsum([len(e) for e in encoded], dtype=np.int64))
    return {"name": name, "text": key, "ends": key + "_ends"}


def _record_precisions(points, precision: float | None) -> np.ndarray:
    """Metres each record is known to: ``precision``, else its ``precision_m``.

    A record without a ``precision_m`` takes the finest of the others (1 m when none has one);
    a value that is not a positive number is an error naming its row.
    """
    n = len(points)
    if precision is not None:
        value = float(precision)
        if not (math.isfinite(value) and value > 0):
            raise ValidationError(
                "precision must be a positive number of metres",
                field="precision",
                value=precision,
                fix="give the metres the locations are known to, e.g. precision=100",
            )
        return np.full(n, value)
    if "precision_m" not in points.columns:
        return np.full(n, DEFAULT_PRECISION_M)
    given = points["precision_m"]
    missing = given.isna().to_numpy(copy=True)
    if not pd.api.types.is_numeric_dtype(given):  # text read from a file: blank is missing
        missing |= given.astype(str).str.strip().eq("").to_numpy()
    metres = pd.to_numeric(given.where(~missing), errors="coerce").to_numpy(dtype=float)
    bad = ~missing & ~(np.isfinite(metres) & (metres > 0))
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        raise ValidationError(
            "precision_m is not a positive number of metres",
            file=points.attrs.get("source_file"),
            row=first + 1,
            field="precision_m",
            value=given.iloc[first],
            fix="write the metres the location is known to, e.g. 100, or leave it empty",
        )
    finest = float(metres[~missing].min()) if (~missing).any() else DEFAULT_PRECISION_M
    return np.where(missing, finest, metres)


def _quantised(
    values: np.ndarray, step: float, multiple: np.ndarray, axis: str, finest_m: float
) -> tuple[dict, np.ndarray]:
    """Whole steps of ``step`` from an origin, each record rounded to its own ``multiple``.

    A record's multiple is the largest whole number of the finest steps that is no coarser
    than its own precision, so half its step is the largest error it gets.
    """
    if not len(values):
        return {"origin": 0.0, "step": step}, np.zeros(0, dtype=np.int64)
    origin = math.floor(values.min() / step) * step
    span = (values.max() - origin) / step + float(multiple.max())
    if span >= 2**32:
        needed = finest_m * span / 2**32
        raise ValidationError(
            f"case records span {span:,.0f} steps of {finest_m:g} m on the {axis} axis, "
            "more than a typed array holds",
            field="precision",
            value=finest_m,
            fix=f"give precision= of at least {math.ceil(needed):,} m, or map fewer records",
        )
    units = multiple * np.rint((values - origin) / (step * multiple)).astype(np.int64)
    return {"origin": origin, "step": step}, units


def _spread(values: np.ndarray) -> np.ndarray:
    """The bits of 32-bit integers moved to the even bits of 64-bit ones (for Z-order)."""
    v = values.astype(np.uint64)
    for shift, mask in (
        (16, 0x0000FFFF0000FFFF),
        (8, 0x00FF00FF00FF00FF),
        (4, 0x0F0F0F0F0F0F0F0F),
        (2, 0x3333333333333333),
        (1, 0x5555555555555555),
    ):
        v = (v | (v << np.uint64(shift))) & np.uint64(mask)
    return v


def _z_order(ux: np.ndarray, uy: np.ndarray) -> np.ndarray:
    """Indices that sort records along a Z-order curve of their whole steps: neighbours together.

    zlib then finds neighbours' repeated values, and the page finds the records of a tile of
    ``2**k`` steps square as one run of the arrays.
    """
    return np.argsort(_spread(ux) | (_spread(uy) << np.uint64(1)), kind="stable")


def encode_cases(
    points,
    *,
    category: str | None = None,
    popup_fields: list[str] | tuple[str, ...] | None = None,
    precision: float | None = None,
    colors: list[str] | tuple[str, ...] | None = None,
    title: str | None = None,
    lang: str = "en",
    max_points: int = 3000,
    cell_px: int = 60,
    radius: float = 4.0,
) -> dict:
    """The compact description of case records that :class:`CaseLayer` writes into the page.

    Coordinates are whole steps of the finest precision from an origin, each record rounded
    to its own precision (half its step is the largest error); each column is stored once;
    records are stored in Z-order, not in the table's order (:func:`decode_records` reads
    them back). The same records give the same payload. :func:`case_layer` documents the
    parameters.

    Examples
    --------
    >>> import pandas as pd
    >>> cases = pd.DataFrame({"lon": [129.99, 124.40], "lat": [42.95, 40.10],
    ...                       "kind": ["arrest", "arrest"], "precision_m": [1000, 1000]})
    >>> payload = encode_cases(cases, category="kind")
    >>> payload["n"], payload["arrays"]["x"]["type"], payload["category"]["names"]
    (2, 'Uint16', ['arrest'])
    """
    style.check_lang(lang)
    lon, lat = _coordinates(points)
    keep = np.isfinite(lon) & np.isfinite(lat)
    if not keep.all():
        first = int(np.flatnonzero(~keep)[0])
        raise ValidationError(
            "a case record has no usable coordinates",
            row=first + 1,
            field="geometry",
            fix="drop records without a location, or give lon and lat",
        )
    fields = list(popup_fields) if popup_fields is not None else []
    for name in [category, *fields]:
        if name is not None and name not in points.columns:
            present = (str(c) for c in points.columns if c != "geometry")
            raise ValidationError(
                "column is missing",
                file=points.attrs.get("source_file"),
                field=name,
                fix=f"columns present: {', '.join(present)}",
            )
    metres = _record_precisions(points, precision)
    finest = float(metres.min()) if len(metres) else DEFAULT_PRECISION_M
    # The 1e-9 keeps 5000 / 100 at 50 whatever the floating-point rounding.
    multiple = np.maximum(np.floor(metres / finest + 1e-9), 1).astype(np.int64)
    widest = math.cos(math.radians(min(float(np.abs(lat).max()) if len(lat) else 0.0, 89.0)))
    x, ux = _quantised(lon, finest / (_M_PER_DEG * widest), multiple, "longitude", finest)
    y, uy = _quantised(lat, finest / _M_PER_DEG, multiple, "latitude", finest)
    order = _z_order(ux, uy)
    ux, uy = ux[order], uy[order]
    moved = (np.diff(ux) != 0) | (np.diff(uy) != 0)
    columns: dict[str, tuple[str | None, np.ndarray]] = {"x": (None, ux), "y": (None, uy)}
    palette = list(colors) if colors else list(style.CATEGORY_COLORS)
    payload = {
        "n": len(lon),
        "x": x,
        "y": y,
        "precision_m": finest,
        "coarsest_m": float(metres.max()) if len(metres) else finest,
        # Distinct positions: the page sizes its finest tiles with it.
        "positions": int(np.count_nonzero(moved)) + 1 if len(ux) else 0,
        "color": palette[0],
        "category": None,
        "fields": [
            _field(str(name), f"field{k}", points[name], order, columns)
            for k, name in enumerate(fields)
        ],
        "title": title if title is not None else style.text("cases", lang),
        "zoom_note": style.text("cases_zoom", lang),
        "options": {
            "max_points": int(max_points),
            "cell_px": int(cell_px),
            "radius": float(radius),
            "legend_position": "bottomright",
        },
    }
    if category is not None:
        codes, names = pd.factorize(points[category], sort=True, use_na_sentinel=False)
        columns["category"] = (None, codes[order])
        payload["category"] = {
            "name": str(category),
            "names": _text_values(pd.Series(names, dtype=object)),
            "codes": "category",
            "counts": np.bincount(codes, minlength=len(names)).tolist(),
            "colors": palette,
        }
    payload["blob"], payload["arrays"] = _block(columns)
    return payload


def case_layer(points, **options) -> CaseLayer:
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
        Metres every location is known to. Default: each record's own ``precision_m`` (a
        record without one takes the finest of the others; 1 m when none has one). A record
        is rounded to the largest whole number of the finest steps no coarser than its own
        precision: a 5 km record among 100 m ones is written at 5 km, not at 100 m.
    colors : list of str, optional
        Colours of the categories in sorted order (default :data:`style.CATEGORY_COLORS`).
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
    >>> layer = case_layer(cases, category="kind", popup_fields=["place"]).add_to(m)
    >>> sorted(decode_records(layer.payload)["place"])  # what the page holds
    ['Onsong', 'Sinuiju']
    """
    return CaseLayer(encode_cases(points, **options))


def _arrays(payload: dict) -> dict[str, np.ndarray]:
    """The typed arrays of a payload, inflated and viewed as the page views them."""
    raw = zlib.decompress(base64.b64decode(payload["blob"]["b64"]))
    return {
        key: np.frombuffer(raw, dtype=_DTYPES[a["type"]], count=a["length"], offset=a["offset"])
        for key, a in payload["arrays"].items()
    }


def decode_points(payload: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """Longitudes, latitudes and category codes, read back from a payload as the page does.

    Records come back in the payload's order (Z-order, see :func:`encode_cases`).

    Examples
    --------
    >>> lon, lat, codes = decode_points(encode_cases(
    ...     pd.DataFrame({"lon": [129.99], "lat": [42.95], "kind": ["arrest"]}), category="kind"))
    >>> round(float(lon[0]), 3), round(float(lat[0]), 3), codes.tolist()
    (129.99, 42.95, [0])
    """
    arrays = _arrays(payload)
    lon, lat = (payload[axis]["origin"] + arrays[axis] * payload[axis]["step"] for axis in "xy")
    category = payload.get("category")
    return lon, lat, (arrays[category["codes"]] if category else None)


def decode_records(payload: dict) -> pd.DataFrame:
    """Every record a payload carries, as the page reads it: lon, lat, category, popup fields.

    What a page built from ``payload`` holds, and nothing else: use it to check what a map
    gives away before sharing it.

    Examples
    --------
    >>> cases = pd.DataFrame({"lon": [129.99, 124.40], "lat": [42.95, 40.10],
    ...                       "kind": ["arrest", "transfer"], "place": ["Onsong", "Sinuiju"]})
    >>> decode_records(encode_cases(cases, category="kind", popup_fields=["place"], precision=10))
              lon        lat      kind    place
    0  124.400047  40.099982  transfer  Sinuiju
    1  129.989972  42.949964    arrest   Onsong
    """
    arrays = _arrays(payload)
    lon, lat, codes = decode_points(payload)
    table = pd.DataFrame({"lon": lon, "lat": lat})
    category = payload.get("category")
    if category:
        table[category["name"]] = np.array(category["names"], dtype=object)[codes]
    for field in payload["fields"]:
        if "codes" in field:
            values = np.array(field["values"], dtype=object)[arrays[field["codes"]]]
        else:
            text, ends = arrays[field["text"]].tobytes(), arrays[field["ends"]]
            starts = np.concatenate([[0], ends[:-1]]).astype(np.int64)
            values = [text[a:b].decode("utf-8") for a, b in zip(starts, ends, strict=True)]
        table[field["name"]] = values
    return table


def case_legend_rows(payload: dict) -> list[dict]:
    """Legend rows of a case layer for images: one dot per category with its count."""
    category = payload.get("category")
    radius = payload["options"]["radius"]
    if not category:
        label = f"{payload['title']} ({payload['n']:,})"
        return [{"kind": "circle", "radius": radius, "fill": payload["color"], "label": label}]
    colors = category["colors"]
    return [
        {
            "kind": "circle",
            "radius": radius,
            "fill": colors[i % len(colors)],
            "stroke": "none",
            "label": f"{name} ({count:,})",
        }
        for i, (name, count) in enumerate(zip(category["names"], category["counts"], strict=True))
    ]


def add_cases(m, cases, lang: str = "en") -> CaseLayer:
    """Add case records to a bordermap map: a :class:`CaseLayer`, or records for one."""
    import folium

    layer = cases if isinstance(cases, CaseLayer) else case_layer(cases, lang=lang)
    group = folium.FeatureGroup(name=html_text(layer.payload["title"]))
    layer.add_to(group)
    group.add_to(m)
    return layer
