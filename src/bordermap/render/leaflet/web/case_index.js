// A bordermap case layer's records, inflated and indexed off the page's main thread.
// bordermapCaseWorld and bordermapIndexCases use nothing outside themselves: the page runs
// them in a Web Worker made from their own source text, so inflating and indexing a
// million records overlap with the page building its map; where no worker can start, the
// page runs the same functions itself.
// The records' format is bordermap/render/leaflet/case_payload.py's (case_payload writes
// it; decode_records reads it in Python): that module is its source of truth, and this reads
// what it writes.

// Whole steps of a layer's grid to Web Mercator world units (0..1); ``ytable`` holds the
// latitudes' values precomputed, one logarithm per step rather than per record.
var bordermapCaseWorld = function (data, ytable) {
  function mercatorY(latitude) {
    var s = Math.sin((latitude * Math.PI) / 180);
    return 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI);
  }
  return {
    mercatorY: mercatorY,
    x: function (u) {
      return (data.x.origin + u * data.x.step + 180) / 360;
    },
    y: function (u) {
      return ytable && u < ytable.length ? ytable[u] : mercatorY(data.y.origin + u * data.y.step);
    },
  };
};

var bordermapIndexCases = function (data, b64) {
  var TYPES = { Uint8: Uint8Array, Uint16: Uint16Array, Uint32: Uint32Array };
  var n = data.n,
    ncat = data.category ? data.category.names.length : 1;
  var bytes;
  if (Uint8Array.fromBase64) {
    bytes = Uint8Array.fromBase64(b64);
  } else {
    var raw = atob(b64);
    bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) {
      bytes[i] = raw.charCodeAt(i);
    }
  }
  // The browser's own inflater, fed the block at once and read chunk by chunk into one
  // buffer of the inflated size (Response.arrayBuffer() on the stream takes half as long
  // again).
  function inflate() {
    var inflating = new DecompressionStream(data.blob.encoding);
    var writer = inflating.writable.getWriter(),
      reader = inflating.readable.getReader();
    writer.write(bytes);
    writer.close();
    var out = new Uint8Array(data.blob.size),
      at = 0;
    function next(chunk) {
      if (chunk.done) {
        return out.buffer;
      }
      if (at + chunk.value.length > out.length) {
        throw new Error("records: block too long");
      }
      out.set(chunk.value, at);
      at += chunk.value.length;
      return reader.read().then(next);
    }
    return reader.read().then(next);
  }
  function level(k, m, tileCats) {
    return {
      k: k,
      n: m,
      start: new Uint32Array(m + 1),
      child: new Uint32Array(m + 1),
      tx: new Uint32Array(m),
      ty: new Uint32Array(m),
      count: new Uint32Array(m),
      sx: new Float64Array(m),
      sy: new Float64Array(m),
      cats: new Uint32Array(tileCats ? m * ncat : 0),
    };
  }
  // Each record's tile of level 0, and the tiles' counts per category.
  function recordTiles(below, tile, cat) {
    var start = below.start,
      cats = below.cats,
      t,
      i,
      base;
    for (t = 0; t < below.n; t++) {
      base = t * ncat;
      for (i = start[t]; i < start[t + 1]; i++) {
        tile[i] = t;
        if (cat) {
          cats[base + cat[i]]++;
        }
      }
    }
  }
  // Level k from level k - 1: a parent per 2 x 2 block of its tiles' steps. Children of one
  // parent are neighbours in Z-order, so one pass finds where each parent starts.
  function parentLevel(below, k, parents, tileCats) {
    var btx = below.tx,
      bty = below.ty,
      m = 0,
      t,
      p,
      c;
    for (t = 0; t < below.n; t++) {
      if (t === 0 || btx[t] >>> 1 !== btx[t - 1] >>> 1 || bty[t] >>> 1 !== bty[t - 1] >>> 1) {
        parents[m++] = t;
      }
    }
    var up = level(k, m, tileCats);
    var child = up.child,
      bstart = below.start,
      bcount = below.count,
      bsx = below.sx;
    var bsy = below.sy,
      bcats = below.cats,
      ucats = up.cats;
    child.set(parents.subarray(0, m));
    child[m] = below.n;
    for (p = 0; p < m; p++) {
      var c0 = child[p],
        c1 = child[p + 1],
        nc = 0,
        ax = 0,
        ay = 0;
      up.start[p] = bstart[c0];
      up.tx[p] = btx[c0] >>> 1;
      up.ty[p] = bty[c0] >>> 1;
      for (t = c0; t < c1; t++) {
        nc += bcount[t];
        ax += bsx[t];
        ay += bsy[t];
      }
      up.count[p] = nc;
      up.sx[p] = ax;
      up.sy[p] = ay;
      if (tileCats) {
        for (t = c0 * ncat; t < c1 * ncat; t += ncat) {
          for (c = 0; c < ncat; c++) {
            ucats[p * ncat + c] += bcats[t + c];
          }
        }
      }
    }
    up.start[m] = n;
    return up;
  }
  // A pyramid of tiles over the records, which are stored in Z-order of their whole
  // steps: the records of a tile of level k (2**k steps square) are one run of the arrays,
  // and its children (level k - 1) one run of that level. Level 0 is one tile per distinct
  // position.
  function index(arrays) {
    var px = arrays.x,
      py = arrays.y,
      runs = arrays.runs,
      i,
      t;
    var cat = data.category ? arrays[data.category.codes] : null;
    // Records share few distinct latitudes (whole steps): one logarithm per step.
    var top = data.arrays.y.max,
      ytable = null,
      mercatorY = bordermapCaseWorld(data).mercatorY;
    if (top < 4 * n) {
      ytable = new Float64Array(top + 1);
      for (i = 0; i <= top; i++) {
        ytable[i] = mercatorY(data.y.origin + i * data.y.step);
      }
    }
    var world = bordermapCaseWorld(data, ytable),
      worldX = world.x,
      worldY = world.y;
    var tileCats = ncat * data.positions * 1.5 < 8e6;
    // Level 0: a tile per position, its records one run; ``tile`` gives each record its
    // position.
    var below = level(0, data.positions, tileCats),
      tile = new Uint32Array(n);
    var start = below.start,
      a = 0;
    for (t = 0; t < below.n; t++) {
      start[t] = a;
      below.tx[t] = px[t];
      below.ty[t] = py[t];
      below.count[t] = runs[t];
      below.sx[t] = runs[t] * worldX(px[t]);
      below.sy[t] = runs[t] * worldY(py[t]);
      a += runs[t];
    }
    start[below.n] = n;
    recordTiles(below, tile, tileCats && cat ? cat : null);
    var levels = [below],
      parents = new Uint32Array(below.n);
    for (var k = 1; below.n > 1 && k < 33; k++) {
      below = parentLevel(below, k, parents, tileCats);
      levels.push(below);
    }
    return { levels: levels, tileCats: tileCats, ytable: ytable, tile: tile };
  }
  var started = Date.now();
  return inflate().then(function (buffer) {
    var arrays = {};
    Object.keys(data.arrays).forEach(function (key) {
      var a = data.arrays[key];
      arrays[key] = new TYPES[a.type](buffer, a.offset, a.length); // a view: no copy
    });
    var inflated = Date.now(),
      out = index(arrays);
    out.arrays = arrays;
    // Where the time went (the benchmarks read it): inflating, then indexing.
    out.timings = { inflate_ms: inflated - started, index_ms: Date.now() - inflated };
    // Every buffer, once: a worker hands them to the page without copying them.
    var buffers = [buffer, out.tile.buffer];
    if (out.ytable) {
      buffers.push(out.ytable.buffer);
    }
    out.levels.forEach(function (at) {
      ["start", "child", "tx", "ty", "count", "sx", "sy", "cats"].forEach(function (key) {
        buffers.push(at[key].buffer);
      });
    });
    out.buffers = buffers;
    return out;
  });
};

// The worker's own script (with the two functions above): indexes each layer's records it is
// sent and hands them back without a copy.
var bordermapCaseWorkerMain = function () {
  addEventListener("message", function (e) {
    var id = e.data.id;
    bordermapIndexCases(e.data.data, e.data.data.blob.b64).then(
      function (out) {
        out.id = id;
        out.worker = true;
        postMessage(out, out.buffers);
      },
      function (error) {
        postMessage({ id: id, error: String(error) });
      },
    );
  });
};

// One worker for the page's case layers, started while the page is still being read (a
// worker takes a few hundred milliseconds to start on a busy phone); null where none can.
var bordermapCaseWorker =
  window.bordermapCaseWorker !== undefined
    ? window.bordermapCaseWorker
    : (function () {
        try {
          var url = URL.createObjectURL(
            new Blob(
              [
                "var bordermapCaseWorld = " +
                  bordermapCaseWorld.toString() +
                  ";\n" +
                  "var bordermapIndexCases = " +
                  bordermapIndexCases.toString() +
                  ";\n(" +
                  bordermapCaseWorkerMain.toString() +
                  ")();",
              ],
              { type: "text/javascript" },
            ),
          );
          var worker = new Worker(url),
            waiting = {};
          worker.addEventListener("message", function (e) {
            var resolve = waiting[e.data.id];
            delete waiting[e.data.id];
            resolve(e.data);
          });
          // A worker that fails (a page policy forbidding workers): every layer indexes itself.
          worker.addEventListener("error", function (e) {
            e.preventDefault();
            Object.keys(waiting).forEach(function (id) {
              waiting[id]({ error: "worker" });
            });
            waiting = {};
            window.bordermapCaseWorker = null;
          });
          return {
            index: function (id, data) {
              return new Promise(function (resolve) {
                waiting[id] = resolve;
                worker.postMessage({ id: id, data: data });
              });
            },
          };
        } catch {
          return null;
        }
      })();

// Starts inflating and indexing a layer's records at once, in the worker where there is
// one; the layer's script (case_layer.js) waits on ``ready`` of
// ``bordermapCaseJobs[part.job]``. ``part.block``: the id of the data block holding the
// records as base64 text, taken out of the page once read; ``part.payload``: the rest.
var bordermapStartCases = function (part) {
  var data = part.payload,
    id = part.job,
    block = document.getElementById(part.block);
  data.blob.b64 = block.textContent;
  block.remove();
  function here() {
    return bordermapIndexCases(data, data.blob.b64);
  }
  var worker = window.bordermapCaseWorker;
  window.bordermapCaseJobs = window.bordermapCaseJobs || {};
  window.bordermapCaseJobs[id] = {
    data: data,
    ready: worker
      ? worker.index(id, data).then(function (out) {
          return out.error ? here() : out;
        })
      : here(),
  };
};
