// The page's half of a bordermap case layer (render/leaflet/cases.py): ``part`` {job, name}.
// Its records arrive inflated and indexed by case_index.js; this draws, bins and answers.
function bordermapCaseLayer(part, parent) {
  // The records started inflating in a worker as soon as the page read them (case_index.js).
  var job = window.bordermapCaseJobs[part.job];
  var data = job.data;
  var n = data.n,
    opt = data.options,
    arrays = null;
  var colors = data.category ? data.category.colors : [data.color];
  var ncat = data.category ? data.category.names.length : 1;
  var cat = null,
    fields = null;

  // A record's position: its whole steps (``tile``: the record's position, written once
  // for all its records), in degrees or in Web Mercator world units.
  var tile = null;
  function lon(i) {
    return data.x.origin + arrays.x[tile[i]] * data.x.step;
  }
  function lat(i) {
    return data.y.origin + arrays.y[tile[i]] * data.y.step;
  }
  function mx(i) {
    return worldX(arrays.x[tile[i]]);
  }
  function my(i) {
    return worldY(arrays.y[tile[i]]);
  }
  // The inflated arrays and the index built off the main thread, put to use.
  function use(indexed) {
    arrays = indexed.arrays;
    levels = indexed.levels;
    tile = indexed.tile;
    tileCats = indexed.tileCats;
    var world = bordermapCaseWorld(data, indexed.ytable);
    worldX = world.x;
    worldY = world.y;
    cat = data.category ? arrays[data.category.codes] : null;
    fields = data.fields.map(function (f) {
      if (f.codes) {
        var codes = arrays[f.codes];
        return {
          name: f.name,
          get: function (i) {
            return f.values[codes[i]];
          },
        };
      }
      var bytes = arrays[f.text],
        ends = arrays[f.ends],
        utf8 = new TextDecoder();
      return {
        name: f.name,
        get: function (i) {
          return utf8.decode(bytes.subarray(i ? ends[i - 1] : 0, ends[i]));
        },
      };
    });
  }
  // Thousands separators without Intl, whose first use can cost a page 100 ms.
  function count(v) {
    return String(v).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  }

  function popupContent(i) {
    var box = document.createElement("div");
    box.className = "bm-case-popup";
    box.setAttribute("data-index", String(i));
    var table = document.createElement("table");
    var rows = data.category ? [[data.category.name, data.category.names[cat[i]]]] : [];
    fields.forEach(function (f) {
      rows.push([f.name, f.get(i)]);
    });
    rows.forEach(function (r) {
      var tr = document.createElement("tr"),
        th = document.createElement("th"),
        td = document.createElement("td");
      th.textContent = r[0];
      td.textContent = r[1] == null ? "" : String(r[1]);
      tr.appendChild(th);
      tr.appendChild(td);
      table.appendChild(tr);
    });
    box.appendChild(table);
    return box;
  }

  function legendControl() {
    var control = L.control({ position: opt.legend_position });
    control.onAdd = function (map) {
      var div = L.DomUtil.create("div", "bm-case-legend");
      // Text from data in <bdi>: a right-to-left name cannot move the count after it.
      function isolated(parent, text, after) {
        var bdi = document.createElement("bdi");
        bdi.textContent = text;
        parent.appendChild(bdi);
        parent.appendChild(document.createTextNode(after));
      }
      // On a small screen the legend folds into its heading, as the map's own legend does.
      var fold = document.createElement("button");
      fold.type = "button";
      fold.className = "bm-fold";
      fold.setAttribute("aria-expanded", "false");
      isolated(fold, data.title, " (" + count(n) + ")");
      div.appendChild(fold);
      var body = document.createElement("div");
      body.className = "bm-case-body";
      div.appendChild(body);
      var h = document.createElement("h2");
      isolated(h, data.title, " (" + count(n) + ")");
      body.appendChild(h);
      var names = data.category ? data.category.names : [];
      var counts = data.category ? data.category.counts : [];
      var listed = data.category ? data.category.listed : null;
      // Every category in one list that scrolls past half the map's height, reached with
      // Tab and named; with max_categories the rest share one row, "other (records)".
      var shown =
        listed !== null && listed !== undefined && names.length > listed + 1
          ? listed
          : names.length;
      var rows = document.createElement("div");
      rows.className = "bm-case-rows";
      if (names.length) {
        rows.tabIndex = 0;
        rows.setAttribute("role", "group");
        rows.setAttribute("aria-label", h.textContent);
        body.appendChild(rows);
      }
      function addRow(text, number, color) {
        var row = document.createElement("div"),
          sw = document.createElement("span"),
          label = document.createElement("span");
        row.className = "bm-row";
        sw.className = "bm-swatch";
        sw.style.background = color;
        isolated(label, text, " (" + count(number) + ")");
        row.appendChild(sw);
        row.appendChild(label);
        rows.appendChild(row);
      }
      names.slice(0, shown).forEach(function (name, k) {
        addRow(name, counts[k], colors[k % colors.length]);
      });
      if (shown < names.length) {
        var rest = counts.slice(shown).reduce(function (a, b) {
          return a + b;
        }, 0);
        addRow(data.other_label || "other", rest, colors[shown % colors.length]);
      }
      var note = document.createElement("div");
      note.className = "bm-note";
      note.textContent = data.zoom_note;
      body.appendChild(note);
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      bordermapFold(div, map);
      // No taller than half the map, and no taller than the room its side of the map leaves
      // under the top corner's panels (the layer list) and beside its own corner's others
      // (the map's legend, the attribution): the list scrolls.
      function fit() {
        var frame = map.getContainer().getBoundingClientRect();
        var corner = div.parentNode,
          room = frame.height;
        if (corner) {
          var side = corner.classList.contains("leaflet-right") ? "right" : "left";
          var facing = map.getContainer().querySelector(".leaflet-top.leaflet-" + side);
          Array.prototype.forEach.call(facing ? facing.children : [], function (el) {
            var r = el.getBoundingClientRect();
            if (r.height > 0) {
              room = Math.min(room, frame.bottom - r.bottom - 10);
            }
          });
          Array.prototype.forEach.call(corner.children, function (el) {
            if (el !== div) {
              room -= el.getBoundingClientRect().height + 10;
            }
          });
        }
        var most = Math.min(Math.floor(frame.height / 2), Math.floor(room - 10));
        div.style.maxHeight = Math.max(60, most) + "px";
      }
      fit();
      map.on("resize bm-panels", fit);
      map.whenReady(function () {
        window.setTimeout(fit, 0);
      });
      return div;
    };
    return control;
  }

  // The tile pyramid (case_index.js): a draw visits tiles no wider than a quarter cell,
  // and records only where a view cuts a tile: its cost follows the screen, not the
  // number of records.
  var levels = [],
    tileCats = true;
  var worldX = null,
    worldY = null;
  // The tiles down to level ``floor`` that a box of world pixels touches: [level, tile]
  // pairs in ``whole`` (inside the box) or ``cut``.
  function tilesIn(scale, x0, y0, x1, y1, floor, whole, cut) {
    function visit(k, t) {
      var at = levels[k],
        side = Math.pow(2, k);
      var ux = at.tx[t] * side,
        uy = at.ty[t] * side;
      var a = worldX(ux) * scale,
        b = worldX(ux + side - 1) * scale;
      var c = worldY(uy + side - 1) * scale,
        d = worldY(uy) * scale;
      if (b < x0 || a > x1 || d < y0 || c > y1) {
        return;
      }
      if (k <= floor) {
        (a >= x0 && b <= x1 && c >= y0 && d <= y1 ? whole : cut).push([k, t]);
        return;
      }
      for (var u = at.child[t]; u < at.child[t + 1]; u++) {
        visit(k - 1, u);
      }
    }
    var top = levels.length - 1;
    for (var t = 0; top >= 0 && t < levels[top].n; t++) {
      visit(top, t);
    }
  }
  // Grid cells of cell_px world pixels: count, mean position, count per category.
  function Cells(scale) {
    this.scale = scale;
    this.inv = scale / opt.cell_px;
    this.map = new Map();
    this.list = [];
    this.lgx = NaN;
    this.lgy = NaN;
    this.last = null;
  }
  Cells.prototype.cell = function (wx, wy) {
    var gx = Math.floor(wx * this.inv),
      gy = Math.floor(wy * this.inv);
    // Neighbouring records share a cell: the map is consulted only where a run ends.
    if (gx !== this.lgx || gy !== this.lgy) {
      var key = gx * 134217728 + gy;
      this.last = this.map.get(key);
      if (!this.last) {
        this.last = { gx: gx, gy: gy, count: 0, sx: 0, sy: 0, cats: new Uint32Array(ncat) };
        this.map.set(key, this.last);
        this.list.push(this.last);
      }
      this.lgx = gx;
      this.lgy = gy;
    }
    return this.last;
  };
  Cells.prototype.addRecord = function (i) {
    var wx = mx(i),
      wy = my(i),
      b = this.cell(wx, wy);
    b.count++;
    b.sx += wx;
    b.sy += wy;
    if (cat) {
      b.cats[cat[i]]++;
    }
  };
  Cells.prototype.addTile = function (at, t) {
    var c = at.count[t],
      b = this.cell(at.sx[t] / c, at.sy[t] / c);
    b.count += c;
    b.sx += at.sx[t];
    b.sy += at.sy[t];
    for (var k = 0; k < ncat; k++) {
      b.cats[k] += at.cats[t * ncat + k];
    }
  };
  // A group split by a grid line would show as two overlapping circles: merge
  // neighbouring cells whose centres are closer than a cell, largest first.
  Cells.prototype.merged = function () {
    var cells = this.map,
      scale = this.scale,
      cell = opt.cell_px,
      kept = [];
    this.list.sort(function (a, b) {
      return b.count - a.count || a.gx - b.gx || a.gy - b.gy;
    });
    this.list.forEach(function (b) {
      if (b.merged) {
        return;
      }
      for (var dx = -1; dx <= 1; dx++) {
        for (var dy = -1; dy <= 1; dy++) {
          var o = cells.get((b.gx + dx) * 134217728 + b.gy + dy);
          if (!o || o === b || o.merged) {
            continue;
          }
          var ddx = (o.sx / o.count - b.sx / b.count) * scale;
          var ddy = (o.sy / o.count - b.sy / b.count) * scale;
          if (ddx * ddx + ddy * ddy < cell * cell) {
            b.count += o.count;
            b.sx += o.sx;
            b.sy += o.sy;
            for (var t = 0; t < ncat; t++) {
              b.cats[t] += o.cats[t];
            }
            o.merged = true;
          }
        }
      }
      var top = 0;
      for (var k = 1; k < ncat; k++) {
        if (b.cats[k] > b.cats[top]) {
          top = k;
        }
      }
      kept.push({ count: b.count, wx: b.sx / b.count, wy: b.sy / b.count, top: top });
    });
    return kept;
  };

  var CaseLayer = L.Layer.extend({
    onAdd: function (map) {
      this._map = map;
      var animated = map.options.zoomAnimation && L.Browser.any3d;
      this._canvas = L.DomUtil.create(
        "canvas",
        "bm-cases-canvas leaflet-zoom-" + (animated ? "animated" : "hide"),
      );
      this._canvas.style.pointerEvents = "none";
      // Its own pane under the overlay pane: the map's symbols and labels stay on top.
      var pane = map.getPane("bmCases") || map.createPane("bmCases");
      pane.style.zIndex = 350;
      pane.appendChild(this._canvas);
      this._legend = legendControl().addTo(map);
      this.items = [];
      // moveend follows every view change (viewreset too): one draw per change.
      var events = {
        moveend: this._reset,
        resize: this._reset,
        click: this._click,
        mousemove: this._hover,
      };
      if (animated) {
        events.zoomanim = this._animateZoom;
      }
      this._events = events;
      map.on(events, this);
      var self = this;
      job.ready.then(function (indexed) {
        if (!arrays) {
          use(indexed);
          data.blob.b64 = null; // inflated: the page need not keep the text
          self.timings = indexed.timings;
          self.inWorker = Boolean(indexed.worker);
        }
        if (self._map) {
          self._reset();
        }
      });
    },
    onRemove: function (map) {
      map.off(this._events, this);
      L.DomUtil.remove(this._canvas);
      this._legend.remove();
      this._map = null;
    },
    _animateZoom: function (e) {
      if (!this._bounds) {
        return;
      }
      var map = this._map,
        scale = map.getZoomScale(e.zoom);
      var offset = map._latLngBoundsToNewLayerBounds(this._bounds, e.zoom, e.center).min;
      L.DomUtil.setTransform(this._canvas, offset, scale);
    },
    _reset: function () {
      if (!arrays || !this._map) {
        return;
      }
      var started = performance.now();
      var map = this._map,
        size = map.getSize(),
        canvas = this._canvas;
      var ratio = window.devicePixelRatio || 1;
      L.DomUtil.setPosition(canvas, map.containerPointToLayerPoint([0, 0]));
      canvas.width = Math.round(size.x * ratio);
      canvas.height = Math.round(size.y * ratio);
      canvas.style.width = size.x + "px";
      canvas.style.height = size.y + "px";
      this._bounds = map.getBounds();
      this._draw(canvas.getContext("2d"), ratio);
      var container = map.getContainer();
      container.setAttribute("data-bm-cases-mode", this.mode);
      container.setAttribute("data-bm-cases-drawn", String(this.drawn));
      container.setAttribute("data-bm-cases-zoom", String(map.getZoom()));
      container.setAttribute("data-bm-cases-ms", (performance.now() - started).toFixed(1));
      map.fire("bm:casesdrawn", { mode: this.mode, drawn: this.drawn });
    },
    _draw: function (ctx, ratio) {
      var map = this._map,
        zoom = map.getZoom(),
        scale = 256 * Math.pow(2, zoom);
      var origin = map.getPixelBounds().min,
        size = map.getSize(),
        pad = opt.cell_px;
      var x0 = origin.x - pad,
        y0 = origin.y - pad;
      var x1 = origin.x + size.x + pad,
        y1 = origin.y + size.y + pad;
      var small = opt.cell_px / 4,
        seen = 0,
        visited = 0,
        i,
        k,
        px,
        py,
        whole = [],
        cut = [];
      var floor = Math.floor(Math.log2((small * 360) / (data.x.step * scale)));
      tilesIn(scale, x0, y0, x1, y1, Math.max(0, floor), whole, cut);
      function inside(j) {
        px = mx(j) * scale;
        py = my(j) * scale;
        return px >= x0 && px <= x1 && py >= y0 && py <= y1;
      }
      function records(pair) {
        var at = levels[pair[0]];
        return [at.start[pair[1]], at.start[pair[1]] + at.count[pair[1]]];
      }
      whole.forEach(function (pair) {
        seen += levels[pair[0]].count[pair[1]];
      });
      cut.forEach(function (pair) {
        var run = records(pair);
        visited += run[1] - run[0];
        for (var j = run[0]; j < run[1]; j++) {
          if (inside(j)) {
            seen++;
          }
        }
      });
      var items = [],
        points = seen <= opt.max_points || zoom >= map.getMaxZoom() - 1;
      var inView = points ? new Uint32Array(seen) : null,
        cells = points ? null : new Cells(scale);
      seen = 0;
      for (k = 0; k < whole.length; k++) {
        if (cells && (tileCats || !cat)) {
          cells.addTile(levels[whole[k][0]], whole[k][1]);
          continue;
        }
        var run = records(whole[k]);
        visited += run[1] - run[0];
        for (i = run[0]; i < run[1]; i++) {
          if (cells) {
            cells.addRecord(i);
          } else {
            inView[seen++] = i;
          }
        }
      }
      cut.forEach(function (pair) {
        var run = records(pair);
        for (var j = run[0]; j < run[1]; j++) {
          if (!inside(j)) {
            continue;
          }
          if (cells) {
            cells.addRecord(j);
          } else {
            inView[seen++] = j;
          }
        }
      });
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.clearRect(0, 0, size.x, size.y);
      ctx.lineWidth = 1;
      ctx.strokeStyle = "#ffffff";
      if (points) {
        // A white halo under all, then one path per colour: a few fills for thousands of
        // points, and no white strokes piled up where points overlap.
        var halo = new Path2D(),
          paths = colors.map(function () {
            return new Path2D();
          });
        for (k = 0; k < seen; k++) {
          var j = inView[k],
            c = cat ? cat[j] % colors.length : 0;
          var item = {
            index: j,
            x: mx(j) * scale - origin.x,
            y: my(j) * scale - origin.y,
            r: opt.radius,
          };
          halo.moveTo(item.x + item.r + 1, item.y);
          halo.arc(item.x, item.y, item.r + 1, 0, 2 * Math.PI);
          paths[c].moveTo(item.x + item.r, item.y);
          paths[c].arc(item.x, item.y, item.r, 0, 2 * Math.PI);
          items.push(item);
        }
        ctx.fillStyle = "#ffffff";
        ctx.fill(halo);
        ctx.globalAlpha = 0.9;
        paths.forEach(function (path, c) {
          ctx.fillStyle = colors[c];
          ctx.fill(path);
        });
        ctx.globalAlpha = 1;
      } else {
        ctx.lineWidth = 1.5;
        ctx.font = "bold 11px Arial, sans-serif";
        ctx.textAlign = "center";
        ctx.textBaseline = "middle";
        cells.merged().forEach(function (b) {
          var item = {
            count: b.count,
            x: b.wx * scale - origin.x,
            y: b.wy * scale - origin.y,
            r: Math.min(opt.cell_px / 2, 6 + (3 * Math.log(b.count)) / Math.LN2),
          };
          ctx.globalAlpha = 0.8;
          ctx.fillStyle = colors[b.top % colors.length];
          ctx.beginPath();
          ctx.arc(item.x, item.y, item.r, 0, 2 * Math.PI);
          ctx.fill();
          ctx.globalAlpha = 1;
          ctx.stroke();
          items.push(item);
        });
        // Round joins: a mitred outline draws spikes off the sharp corners of 4 and 7.
        ctx.lineWidth = 3;
        ctx.lineJoin = "round";
        ctx.strokeStyle = "rgba(0,0,0,0.75)";
        ctx.fillStyle = "#ffffff";
        items.forEach(function (item) {
          if (item.count < 2) {
            return;
          }
          ctx.strokeText(count(item.count), item.x, item.y);
          ctx.fillText(count(item.count), item.x, item.y);
        });
      }
      this.mode = points ? "points" : "bins";
      this.items = items;
      this.drawn = items.length;
      // What the draw cost: tiles looked at, records looked at one by one.
      this.visited = { tiles: whole.length + cut.length, records: visited };
    },
    // The drawn circle under a point of the map container, topmost first; null if none.
    itemAt: function (point) {
      for (var k = this.items.length - 1; k >= 0; k--) {
        var item = this.items[k],
          dx = item.x - point.x,
          dy = item.y - point.y;
        var r = item.r + 2;
        if (dx * dx + dy * dy <= r * r) {
          return item;
        }
      }
      return null;
    },
    _hover: function (e) {
      this._map.getContainer().style.cursor = this.itemAt(e.containerPoint) ? "pointer" : "";
    },
    _click: function (e) {
      var started = performance.now(),
        item = this.itemAt(e.containerPoint),
        map = this._map;
      if (item && item.index !== undefined) {
        var content = popupContent(item.index);
        // Finding the record and building its popup; then with Leaflet opening it (the
        // benchmarks read both).
        this.lastClickMs = performance.now() - started;
        L.popup({ maxWidth: 360 })
          .setLatLng([lat(item.index), lon(item.index)])
          .setContent(content)
          .openOn(map);
        this.lastPopupMs = performance.now() - started;
      } else if (item) {
        map.setView(map.containerPointToLatLng([item.x, item.y]), map.getZoom() + 2);
      }
    },
  });

  var layer = new CaseLayer();
  layer.popupContent = popupContent;
  layer.position = function (i) {
    return [lat(i), lon(i)];
  };
  window.bordermapCases = window.bordermapCases || {};
  window.bordermapCases[part.name] = layer;
  parent.addLayer(layer);
}
