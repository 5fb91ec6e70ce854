// The first view (placement.FirstView): data {bounds, inset, margin, halo_edge, symbols},
// the bounds and every symbol whole ([lat, lon, px, halo_m]) with a margin round it, as
// large as they fit with no panel over them.
function bordermapFirstView(data, map) {
  var bounds = L.latLngBounds(data.bounds);
  var inset = data.inset;
  // Each symbol and each corner of the bounds at zoom 0: its centre, its reach in pixels
  // (the same at every zoom: circle, range ring, the halo at its smallest, and the margin),
  // its halo's half size (which grows with the zoom) and the pixels beyond that (half the
  // halo's stroke, and the margin).
  var items = data.symbols
    .map(function (s) {
      return { at: s, px: s[2] + data.margin, edge: data.halo_edge + data.margin };
    })
    .concat([
      { at: [bounds.getSouth(), bounds.getWest(), 0, 0], px: 0, edge: 0 },
      { at: [bounds.getNorth(), bounds.getEast(), 0, 0], px: 0, edge: 0 },
    ])
    .map(function (item) {
      var s = item.at,
        at = L.latLng(s[0], s[1]),
        half = null;
      if (s[3] > 0) {
        var round = at.toBounds(2 * s[3]);
        half = map.project(round.getNorthEast(), 0).subtract(map.project(round.getSouthWest(), 0));
        half = L.point(Math.abs(half.x) / 2, Math.abs(half.y) / 2);
      }
      return { centre: map.project(at, 0), half: half, px: item.px, edge: item.edge };
    });
  // [left, top, right, bottom] of every item at a zoom, in that zoom's world pixels.
  function extent(zoom) {
    var k = map.options.crs.scale(zoom) / map.options.crs.scale(0);
    var box = [Infinity, Infinity, -Infinity, -Infinity];
    items.forEach(function (item) {
      // A halo larger on screen than its smallest size reaches further than the circle.
      var x = item.centre.x * k,
        y = item.centre.y * k,
        rx = item.half ? Math.max(item.px, item.half.x * k + item.edge) : item.px,
        ry = item.half ? Math.max(item.px, item.half.y * k + item.edge) : item.px;
      box = [
        Math.min(box[0], x - rx),
        Math.min(box[1], y - ry),
        Math.max(box[2], x + rx),
        Math.max(box[3], y + ry),
      ];
    });
    return box;
  }
  // The largest zoom at which every item fits a free area of that size: a bisection, the
  // extent growing with the zoom (the pixel radii do not shrink, the distances grow).
  function largestZoom(width, height) {
    function fits(zoom) {
      var box = extent(zoom);
      return box[2] - box[0] <= width && box[3] - box[1] <= height;
    }
    var low = map.getMinZoom() || 0,
      high = isFinite(map.getMaxZoom()) ? map.getMaxZoom() : 18;
    if (!fits(low)) {
      return low;
    }
    if (fits(high)) {
      return high;
    }
    for (var step = 0; step < 30; step++) {
      var mid = (low + high) / 2;
      if (fits(mid)) {
        low = mid;
      } else {
        high = mid;
      }
    }
    return low;
  }
  var fitting = false,
    moved = false;
  map.on("movestart", function () {
    if (!fitting) {
      moved = true;
    }
  });
  function firstView() {
    var container = map.getContainer(),
      frame = container.getBoundingClientRect();
    var W = frame.width,
      H = frame.height;
    // A corner whose panels are taller than the map: its lists (legends) scroll instead.
    container.querySelectorAll(".leaflet-control-container > div").forEach(function (corner) {
      var excess = corner.getBoundingClientRect().height - (H - 10);
      var lists = corner.querySelectorAll(".bm-legend-body, .bm-case-legend");
      if (excess <= 0 || !lists.length) {
        return;
      }
      var heights = Array.prototype.map.call(lists, function (list) {
        return list.getBoundingClientRect().height;
      });
      var total = heights.reduce(function (a, b) {
        return a + b;
      }, 0);
      lists.forEach(function (list, i) {
        var cut = total > 0 ? (excess * heights[i]) / total : 0;
        list.style.maxHeight = Math.max(60, heights[i] - cut) + "px";
      });
    });
    var panels = [];
    container.querySelectorAll(".leaflet-control").forEach(function (el) {
      var r = el.getBoundingClientRect();
      if (r.width > 0 && r.height > 0) {
        panels.push([
          r.left - frame.left,
          r.top - frame.top,
          r.right - frame.left,
          r.bottom - frame.top,
        ]);
      }
    });
    // The first view may use a fractional zoom (the view as large as it fits); the zoom
    // buttons and wheel then step back onto whole zoom levels.
    var snap = map.options.zoomSnap;
    map.options.zoomSnap = 0;
    var best = null;
    for (var mask = 0; mask < 1 << panels.length; mask++) {
      var pad = [inset, inset, inset, inset]; // top, right, bottom, left
      panels.forEach(function (p, i) {
        if (mask & (1 << i)) {
          if (p[0] + p[2] < W) {
            pad[3] = Math.max(pad[3], p[2] + inset);
          } else {
            pad[1] = Math.max(pad[1], W - p[0] + inset);
          }
        } else if (p[1] + p[3] < H) {
          pad[0] = Math.max(pad[0], p[3] + inset);
        } else {
          pad[2] = Math.max(pad[2], H - p[1] + inset);
        }
      });
      if (pad[1] + pad[3] >= W - 20 || pad[0] + pad[2] >= H - 20) {
        continue;
      }
      var zoom = largestZoom(W - pad[1] - pad[3], H - pad[0] - pad[2]);
      var total = pad[0] + pad[1] + pad[2] + pad[3];
      if (best === null || zoom > best[0] || (zoom === best[0] && total < best[1])) {
        best = [zoom, total, pad];
      }
    }
    pad = best === null ? [inset, inset, inset, inset] : best[2];
    var z = best === null ? largestZoom(W - 2 * inset, H - 2 * inset) : best[0];
    var box = extent(z);
    // The extent's middle at the middle of the free area, not of the map.
    var middle = L.point(
      (box[0] + box[2]) / 2 - (pad[3] - pad[1]) / 2,
      (box[1] + box[3]) / 2 - (pad[0] - pad[2]) / 2,
    );
    fitting = true;
    map.setView(map.unproject(middle, z), z, { animate: false });
    fitting = false;
    map.options.zoomSnap = snap;
  }
  firstView();
  // Panels change size once the page's fonts (CJK) are in: fit again unless the reader
  // has already moved the map.
  if (document.fonts) {
    document.fonts.ready.then(function () {
      if (!moved) {
        firstView();
      }
    });
  }
}
