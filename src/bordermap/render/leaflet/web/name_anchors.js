// Where a country's name may go on the screen a reader has (placenames.name_area gives its
// land): in each ninth of the view, the point of the land shown farthest from the land's
// edges, the view's edges, the panels and the routes, with that distance (its clearance). The label
// placer (labels.js) takes the deepest one free of other labels and symbols, so a name
// stands in the land it names on any screen, at any zoom. Defines bordermapNameAnchors.
//
// Written here, not taken from a library: polylabel (Mapbox) finds one such point of a
// polygon, but the land would first have to be cut to the view and the panels, and the
// placer needs a next-best point where a crossing's circle covers the best one; a search
// over a grid of the view, keeping the best point of each ninth, gives both in one pass.
// Plain ES2017; rings and lines are flat [x0, y0, x1, y1, ...] runs in container pixels.
function bordermapNameAnchors(rings, viewport, panels, height, lines) {
  "use strict";
  var W = viewport.width,
    H = viewport.height;
  var step = Math.max(6, Math.min(W, H) / 48);
  var box = [Infinity, Infinity, -Infinity, -Infinity];
  rings.forEach(function (ring) {
    for (var k = 0; k < ring.length; k += 2) {
      box[0] = Math.min(box[0], ring[k]);
      box[1] = Math.min(box[1], ring[k + 1]);
      box[2] = Math.max(box[2], ring[k]);
      box[3] = Math.max(box[3], ring[k + 1]);
    }
  });
  var best = []; // per ninth of the view: {x, y, clearance}
  for (var y = step / 2; y < H; y += step) {
    if (y < box[1] || y > box[3]) continue;
    for (var x = step / 2; x < W; x += step) {
      if (x < box[0] || x > box[2]) continue;
      var room = Math.min(x, y, W - x, H - y, fromPanels(x, y));
      room = Math.min(room, Math.sqrt(nearest(lines || [], x, y, room * room, false)));
      if (room < height / 2) continue;
      var clearance = inside(x, y, room);
      if (clearance < height / 2) continue;
      var cell = Math.min(2, Math.floor((3 * y) / H)) * 3 + Math.min(2, Math.floor((3 * x) / W));
      if (!best[cell] || clearance > best[cell].clearance) {
        best[cell] = { x: x, y: y, clearance: clearance };
      }
    }
  }
  return best.filter(Boolean).sort(function (a, b) {
    return b.clearance - a.clearance;
  });

  // How far the point is from the nearest panel (0 under one).
  function fromPanels(x, y) {
    var room = Infinity;
    panels.forEach(function (r) {
      var dx = Math.max(r.x - x, 0, x - r.x - r.width),
        dy = Math.max(r.y - y, 0, y - r.y - r.height);
      room = Math.min(room, Math.sqrt(dx * dx + dy * dy));
    });
    return room;
  }

  // The point's distance to the land's nearest edge, at most `room`, if the land holds it
  // (an odd number of rings around it: holes and separate parts alike); else 0.
  function inside(x, y, room) {
    return nearest(rings, x, y, room * room, true);
  }

  // The squared distance from the point to the nearest segment of the runs, at most
  // `near`; with `closed`, the runs are rings and a point outside them all gives 0 (its
  // square root the distance itself).
  function nearest(runs, x, y, near, closed) {
    var odd = false;
    runs.forEach(function (run) {
      var k = closed ? 0 : 2,
        j = closed ? run.length - 2 : 0;
      for (; k < run.length; j = k, k += 2) {
        var x1 = run[j],
          y1 = run[j + 1],
          x2 = run[k],
          y2 = run[k + 1];
        if (closed && y1 > y !== y2 > y && x < ((x2 - x1) * (y - y1)) / (y2 - y1) + x1) {
          odd = !odd;
        }
        var dx = x2 - x1,
          dy = y2 - y1,
          length2 = dx * dx + dy * dy;
        var t = length2 === 0 ? 0 : ((x - x1) * dx + (y - y1) * dy) / length2;
        t = Math.min(Math.max(t, 0), 1);
        var ex = x1 + t * dx - x,
          ey = y1 + t * dy - y;
        near = Math.min(near, ex * ex + ey * ey);
      }
    });
    if (!closed) return near;
    return odd ? Math.sqrt(near) : 0;
  }
}
