// The page's half of a bordermap case layer: a fixed Jinja template (render/leaflet/cases.py);
// the data arrive as JSON with one compressed block of typed arrays.
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

  var LEGEND_ROWS = 8;
  function legendControl() {
    var control = L.control({position: opt.legend_position});
    control.onAdd = function (map) {
      var div = L.DomUtil.create("div", "bm-case-legend");
      var h = document.createElement("h2");
      h.textContent = data.title + " (" + count(n) + ")";
      div.appendChild(h);
      var names = data.category ? data.category.names : [];
      var counts = data.category ? data.category.counts : [];
      // Past LEGEND_ROWS categories the rest share one row, "other (records)": a legend
      // of hundreds of rows would be taller than the map.
      var shown = names.length > LEGEND_ROWS + 1 ? LEGEND_ROWS : names.length;
      function addRow(text, color) {
        var row = document.createElement("div"), sw = document.createElement("span"),
          label = document.createElement("span");
        row.className = "bm-row";
        sw.className = "bm-swatch";
        sw.style.background = color;
        label.textContent = text;
        row.appendChild(sw); row.appendChild(label); div.appendChild(row);
      }
      names.slice(0, shown).forEach(function (name, k) {
        addRow(name + " (" + count(counts[k]) + ")", colors[k % colors.length]);
      });
      if (shown < names.length) {
        var rest = counts.slice(shown).reduce(function (a, b) { return a + b; }, 0);
        addRow((data.other_label || "other") + " (" + count(rest) + ")", "#999999");
      }
      var note = document.createElement("div");
      note.className = "bm-note";
      note.textContent = data.zoom_note;
      div.appendChild(note);
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      div.style.maxHeight = Math.max(80, map.getSize().y - 40) + "px";
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
