// The first view (placement.FirstView): data {bounds, inset}, the bounds as large as they
// fit with no panel over them.
function bordermapFirstView(data, map) {
  var bounds = L.latLngBounds(data.bounds);
  var inset = data.inset;
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
    // The first view may use a fractional zoom (the bounds as large as they fit); the zoom
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
      var zoom = map.getBoundsZoom(bounds, false, L.point(pad[1] + pad[3], pad[0] + pad[2]));
      var total = pad[0] + pad[1] + pad[2] + pad[3];
      if (best === null || zoom > best[0] || (zoom === best[0] && total < best[1])) {
        best = [zoom, total, pad];
      }
    }
    pad = best === null ? [inset, inset, inset, inset] : best[2];
    fitting = true;
    map.fitBounds(bounds, {
      paddingTopLeft: [pad[3], pad[0]],
      paddingBottomRight: [pad[1], pad[2]],
      animate: false,
    });
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
