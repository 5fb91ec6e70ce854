/* bordermap label placer: the JavaScript twin of bordermap/render/image/placer.py (same rule, same order,
 * same arithmetic), so the page can re-place its labels on every zoom and get what the
 * image gets. Plain ES2017, no dependencies; defines one global, bordermapPlaceLabels.
 *
 * bordermapPlaceLabels(labels, obstacles, viewport, symbols) -> placements
 *   labels:    [{id, x, y, radius, width, height, priority, leader, group, clearance,
 *                tether, inside}]  (screen px, y down; the last six optional)
 *   obstacles: [{x, y, width, height}]                 (panels)
 *   viewport:  {width, height}
 *   symbols:   [{x, y, radius}], optional             (every drawn point symbol)
 *   returns, in the order of `labels`:
 *     [{id, placed, candidate, box: {x, y, width, height} | null,
 *       leader: {x1, y1, x2, y2} | null}]
 * The rule is described in placer.py's module docstring. placer.py is the source of truth:
 * a change goes there first, then here, and tests/data/label-scenes.json (the placements the
 * Python rule gives, which tests/test_placer.py holds both to) shows they agree.
 * MIT licence, as bordermap.
 */
(function (root) {
  "use strict";

  var GAP = 3.0;
  var LEADER_STEPS = [16.0, 32.0, 48.0, 80.0, 120.0];
  var TETHER = 8.0;
  var HAIR = 1e-6; // px: closer than this, two lines are drawn as one
  // cos 45° written out: placer.py uses the same literal, so both compute the same bits.
  var DIAGONAL = 0.7071067811865476;
  // name, unit direction (ux, uy), fraction of the box on the anchor's far side (ax, ay).
  var DIRECTIONS = [
    ["right", 1.0, 0.0, 0.0, 0.5],
    ["left", -1.0, 0.0, 1.0, 0.5],
    ["top", 0.0, -1.0, 0.5, 1.0],
    ["bottom", 0.0, 1.0, 0.5, 0.0],
    ["top-right", DIAGONAL, -DIAGONAL, 0.0, 1.0],
    ["bottom-right", DIAGONAL, DIAGONAL, 0.0, 0.0],
    ["top-left", -DIAGONAL, -DIAGONAL, 1.0, 1.0],
    ["bottom-left", -DIAGONAL, DIAGONAL, 1.0, 0.0],
  ];

  function placeLabels(labels, obstacles, viewport, symbols) {
    if (viewport === null || typeof viewport !== "object") {
      fail("viewport", null, viewport, "not a viewport");
    }
    var items = labels.map(checkedLabel);
    checkUniqueIds(items);
    var walls = (obstacles || []).map(checkedRect);
    var width = number("viewport", "width", viewport.width, 0.0);
    var height = number("viewport", "height", viewport.height, 0.0);
    var drawn = (symbols || []).map(checkedCircle);
    var circles = items
      .filter(function (item) {
        return item[3] > 0;
      })
      .map(function (item) {
        return [item[1], item[2], item[3]];
      })
      .concat(
        drawn.filter(function (c) {
          return c[2] > 0;
        }),
      );
    var nearCircles = new Grid(width, height);
    circles.forEach(function (s) {
      nearCircles.add(s, s[0] - s[2], s[1] - s[2], s[0] + s[2], s[1] + s[2]);
    });

    // A symbol wholly under a larger one is no obstacle to a leader line of its own: its
    // cover is (a line may cross a cover overlapping its own symbol, drawn over the line).
    var nearSymbols = new Grid(width, height);
    circles.forEach(function (s) {
      var span = [s[0] - s[2], s[1] - s[2], s[0] + s[2], s[1] + s[2]];
      if (
        !nearCircles.near(span).some(function (other) {
          return covers(other, s);
        })
      ) {
        nearSymbols.add(s, span[0], span[1], span[2], span[3]);
      }
    });

    var nearBoxes = new Grid(width, height);
    var nearLeaders = new Grid(width, height);
    var chosen = new Map(); // a Map: an id such as "__proto__" is an ordinary key
    var order = items.slice().sort(function (a, b) {
      return comparePlacementOrder(a, b, width, height);
    });
    var taken = new Set(); // the groups with a label placed
    for (var i = 0; i < order.length; i++) {
      var item = order[i];
      var labelId = item[0],
        cx = item[1],
        cy = item[2],
        radius = item[3];
      var w = item[4],
        h = item[5],
        mayLead = item[7],
        group = item[8];
      var tether = item[10],
        inside = item[11];
      chosen.set(labelId, hidden(labelId));
      if (taken.has(group)) continue;
      var candidates = candidatesOf(cx, cy, radius, w, h, mayLead, tether, inside);
      for (var c = 0; c < candidates.length; c++) {
        var name = candidates[c][0],
          box = candidates[c][1],
          leader = candidates[c][2];
        var bx = box[0],
          by = box[1];
        if (bx < 0 || by < 0 || bx + w > width || by + h > height) continue;
        if (
          walls.some(function (other) {
            return rectsOverlap(box, other);
          })
        )
          continue;
        var span = [bx, by, bx + w, by + h];
        if (
          nearBoxes.near(span).some(function (other) {
            return rectsOverlap(box, other[0]);
          })
        ) {
          continue;
        }
        if (
          nearCircles.near(span).some(function (s) {
            return (s[0] !== cx || s[1] !== cy || s[2] < radius) && circleHitsRect(s, box);
          })
        ) {
          continue;
        }
        if (
          nearLeaders.near(span).some(function (line) {
            return segmentHitsRect(line, box);
          })
        ) {
          continue;
        }
        if (leader !== null) {
          var reach = bounds(leader);
          if (
            walls.some(function (other) {
              return segmentHitsRect(leader, other);
            }) ||
            // ... and labels inside those symbols (a figure on a circle over its own).
            nearBoxes.near(reach).some(function (other) {
              var home = other[1];
              return (
                segmentHitsRect(leader, other[0]) &&
                (home === null || !circlesOverlap(home, cx, cy, radius))
              );
            }) ||
            nearLeaders.near(reach).some(function (line) {
              return segmentsCross(leader, line);
            }) ||
            // A leader starts on the symbol's edge: it may cross symbols overlapping it.
            nearSymbols.near(reach).some(function (s) {
              return (
                (s[0] !== cx || s[1] !== cy) &&
                !circlesOverlap(s, cx, cy, radius) &&
                segmentHitsCircle(leader, s)
              );
            })
          ) {
            continue;
          }
          nearLeaders.add(leader, reach[0], reach[1], reach[2], reach[3]);
        }
        // A label on its own symbol (a figure inside its circle) is part of the symbol (none
        // without one: a point of no size).
        var onSymbol = inside && (name === "center" || name.indexOf("inside-") === 0);
        var home = onSymbol && radius > 0 ? [cx, cy, radius] : null;
        nearBoxes.add([box, home], span[0], span[1], span[2], span[3]);
        if (group) taken.add(group);
        chosen.set(labelId, {
          id: labelId,
          placed: true,
          candidate: name,
          box: { x: box[0], y: box[1], width: box[2], height: box[3] },
          leader:
            leader === null ? null : { x1: leader[0], y1: leader[1], x2: leader[2], y2: leader[3] },
        });
        break;
      }
    }
    return items.map(function (item) {
      return chosen.get(item[0]);
    });
  }

  // Things filed under the cells their bounding boxes touch, so that a candidate is checked
  // only against what lies near it; near() returns a superset of what can touch the span
  // (cell numbers grow with x and y, clamped to the grid). The same cells as placer.py.
  function Grid(width, height) {
    // A power of two (exact division), large enough for at most 256 x 256 cells.
    this.size = 64.0;
    while (Math.max(width, height) / this.size > 256) this.size *= 2;
    this.columns = Math.floor(width / this.size) + 1;
    this.rows = Math.floor(height / this.size) + 1;
    this.cells = [];
    for (var k = 0; k < this.columns * this.rows; k++) this.cells.push([]);
  }

  Grid.prototype.cellsOf = function (x0, y0, x1, y1) {
    var clamp = function (value, last) {
      return Math.min(Math.max(value, 0), last);
    };
    var i0 = clamp(Math.floor(x0 / this.size), this.columns - 1);
    var i1 = clamp(Math.floor(x1 / this.size), this.columns - 1);
    var j0 = clamp(Math.floor(y0 / this.size), this.rows - 1);
    var j1 = clamp(Math.floor(y1 / this.size), this.rows - 1);
    var out = [];
    for (var j = j0; j <= j1; j++) {
      for (var i = i0; i <= i1; i++) out.push(j * this.columns + i);
    }
    return out;
  };

  Grid.prototype.add = function (thing, x0, y0, x1, y1) {
    var cells = this.cells;
    this.cellsOf(x0, y0, x1, y1).forEach(function (cell) {
      cells[cell].push(thing);
    });
  };

  Grid.prototype.near = function (span) {
    var cells = this.cells;
    var out = [];
    this.cellsOf(span[0], span[1], span[2], span[3]).forEach(function (cell) {
      for (var k = 0; k < cells[cell].length; k++) out.push(cells[cell][k]);
    });
    return out;
  };

  function bounds(segment) {
    return [
      Math.min(segment[0], segment[2]),
      Math.min(segment[1], segment[3]),
      Math.max(segment[0], segment[2]),
      Math.max(segment[1], segment[3]),
    ];
  }

  function hidden(labelId) {
    return { id: labelId, placed: false, candidate: null, box: null, leader: null };
  }

  // JavaScript's < compares UTF-16 code units; placer.py sorts by the same units.
  // Labels of one group sort where the group's name does, deepest inside the viewport first.
  function comparePlacementOrder(a, b, width, height) {
    if (a[6] !== b[6]) return a[6] < b[6] ? -1 : 1;
    var ka = a[8] || a[0],
      kb = b[8] || b[0];
    if (ka !== kb) return ka < kb ? -1 : 1;
    var da = depth(a, width, height),
      db = depth(b, width, height);
    if (da !== db) return da > db ? -1 : 1;
    if (a[0] === b[0]) return 0;
    return a[0] < b[0] ? -1 : 1;
  }

  function depth(item, width, height) {
    if (!item[8]) return 0.0;
    return Math.min(item[9], item[1], item[2], width - item[1], height - item[2]);
  }

  // Every position a label may take, in order of preference: [name, box, leader or null].
  function candidatesOf(cx, cy, radius, w, h, mayLead, tether, inside) {
    var out = [];
    if (radius === 0 || inside) {
      out.push(["center", [cx - w * 0.5, cy - h * 0.5, w, h], null]);
    }
    // How far the box may move down or up with its corners inside the symbol.
    var room = inside ? Math.sqrt(Math.max(radius * radius - w * w * 0.25, 0.0)) - h * 0.5 : 0.0;
    if (room > 0) {
      [
        ["below", 0.5],
        ["bottom", 1.0],
        ["above", -0.5],
        ["top", -1.0],
      ].forEach(function (way) {
        var top = cy + room * way[1] - h * 0.5;
        out.push(["inside-" + way[0], [cx - w * 0.5, top, w, h], null]);
      });
    }
    var steps = [tether ? TETHER : 0.0].concat(mayLead ? LEADER_STEPS : []);
    for (var s = 0; s < steps.length; s++) {
      var step = steps[s];
      var distance = radius + GAP + step;
      for (var d = 0; d < DIRECTIONS.length; d++) {
        var name = DIRECTIONS[d][0],
          ux = DIRECTIONS[d][1],
          uy = DIRECTIONS[d][2];
        var ax = DIRECTIONS[d][3],
          ay = DIRECTIONS[d][4];
        var px = cx + ux * distance;
        var py = cy + uy * distance;
        var box = [px - w * ax, py - h * ay, w, h];
        if (step === 0) {
          out.push([name, box, null]);
          continue;
        }
        // From the symbol's edge to the box's point nearest the anchor.
        var endX = Math.min(Math.max(cx, box[0]), box[0] + w);
        var endY = Math.min(Math.max(cy, box[1]), box[1] + h);
        var leader = [cx + ux * radius, cy + uy * radius, endX, endY];
        out.push([name + "+" + String(step), box, leader]);
      }
    }
    return out;
  }

  function rectsOverlap(a, b) {
    return a[0] < b[0] + b[2] && b[0] < a[0] + a[2] && a[1] < b[1] + b[3] && b[1] < a[1] + a[3];
  }

  function circleHitsRect(circle, rect) {
    var sx = circle[0],
      sy = circle[1],
      r = circle[2];
    var dx = sx - Math.min(Math.max(sx, rect[0]), rect[0] + rect[2]);
    var dy = sy - Math.min(Math.max(sy, rect[1]), rect[1] + rect[3]);
    return dx * dx + dy * dy < r * r;
  }

  // Whether the segment passes through the box's interior (Liang–Barsky clipping).
  function segmentHitsRect(segment, rect) {
    var x1 = segment[0],
      y1 = segment[1],
      x2 = segment[2],
      y2 = segment[3];
    var dx = x2 - x1;
    var dy = y2 - y1;
    var t0 = 0.0;
    var t1 = 1.0;
    var edges = [
      [-dx, x1 - rect[0]],
      [dx, rect[0] + rect[2] - x1],
      [-dy, y1 - rect[1]],
      [dy, rect[1] + rect[3] - y1],
    ];
    for (var e = 0; e < edges.length; e++) {
      var p = edges[e][0],
        q = edges[e][1];
      if (p === 0) {
        if (q <= 0) return false;
        continue;
      }
      var t = q / p;
      if (p < 0) {
        if (t >= t1) return false;
        if (t > t0) t0 = t;
      } else {
        if (t <= t0) return false;
        if (t < t1) t1 = t;
      }
    }
    return t0 < t1;
  }

  // Whether two segments cross at a point inside both, or run along each other (one on the
  // other's line over more than a point: drawn, they read as one line).
  function segmentsCross(a, b) {
    var d1 = turn(b[0], b[1], b[2], b[3], a[0], a[1]);
    var d2 = turn(b[0], b[1], b[2], b[3], a[2], a[3]);
    var d3 = turn(a[0], a[1], a[2], a[3], b[0], b[1]);
    var d4 = turn(a[0], a[1], a[2], a[3], b[2], b[3]);
    if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) {
      return true;
    }
    var bx = b[2] - b[0];
    var by = b[3] - b[1];
    var length = Math.sqrt(bx * bx + by * by);
    if (length === 0 || Math.abs(d1) > HAIR * length || Math.abs(d2) > HAIR * length) {
      return false;
    }
    var t1 = ((a[0] - b[0]) * bx + (a[1] - b[1]) * by) / length;
    var t2 = ((a[2] - b[0]) * bx + (a[3] - b[1]) * by) / length;
    return Math.min(Math.max(t1, t2), length) - Math.max(Math.min(t1, t2), 0) > HAIR;
  }

  // Which side of the line through 1 and 2 the point lies on (the sign), 0 on it.
  function turn(x1, y1, x2, y2, x, y) {
    return (x2 - x1) * (y - y1) - (y2 - y1) * (x - x1);
  }

  function circlesOverlap(circle, cx, cy, radius) {
    var dx = circle[0] - cx;
    var dy = circle[1] - cy;
    var reach = circle[2] + radius;
    return dx * dx + dy * dy < reach * reach;
  }

  // Whether the larger circle holds the smaller one whole (touching inside counts).
  function covers(outer, inner) {
    var dx = inner[0] - outer[0];
    var dy = inner[1] - outer[1];
    var room = outer[2] - inner[2];
    return room > 0 && dx * dx + dy * dy <= room * room;
  }

  function segmentHitsCircle(segment, circle) {
    var x1 = segment[0],
      y1 = segment[1],
      x2 = segment[2],
      y2 = segment[3];
    var sx = circle[0],
      sy = circle[1],
      r = circle[2];
    var dx = x2 - x1;
    var dy = y2 - y1;
    var length2 = dx * dx + dy * dy;
    var t = length2 === 0 ? 0.0 : ((sx - x1) * dx + (sy - y1) * dy) / length2;
    t = Math.min(Math.max(t, 0.0), 1.0);
    var ex = x1 + t * dx - sx;
    var ey = y1 + t * dy - sy;
    return ex * ex + ey * ey < r * r;
  }

  function fail(where, field, value, problem) {
    var text = "bordermapPlaceLabels: " + where;
    if (field !== null) text += ", field '" + field + "'";
    throw new TypeError(text + ": " + problem + " (got " + JSON.stringify(value) + ")");
  }

  function checkedLabel(label, index) {
    if (label === null || typeof label !== "object") {
      fail("label " + (index + 1), null, label, "not a label to place");
    }
    if (typeof label.id !== "string" || label.id === "") {
      fail("label " + (index + 1), "id", label.id, "a label needs an id");
    }
    var where = "label " + (index + 1) + " (" + JSON.stringify(label.id) + ")";
    var priority = label.priority === undefined ? 0 : label.priority;
    if (typeof priority !== "number" || !Number.isInteger(priority) || priority < 0) {
      fail(where, "priority", priority, "the priority is not a whole number >= 0");
    }
    var leader = label.leader === undefined ? true : label.leader;
    if (typeof leader !== "boolean") fail(where, "leader", leader, "leader is not true or false");
    var group = label.group === undefined ? "" : label.group;
    if (typeof group !== "string") fail(where, "group", group, "group is not a text");
    var ways = ["tether", "inside"].map(function (field) {
      var way = label[field] === undefined ? false : label[field];
      if (typeof way !== "boolean") fail(where, field, way, field + " is not true or false");
      return way;
    });
    return [
      label.id,
      number(where, "x", label.x, null),
      number(where, "y", label.y, null),
      number(where, "radius", label.radius, 0.0),
      number(where, "width", label.width, 0.0),
      number(where, "height", label.height, 0.0),
      priority,
      leader,
      group,
      label.clearance === undefined ? 0.0 : number(where, "clearance", label.clearance, 0.0),
      ways[0],
      ways[1],
    ];
  }

  function checkedRect(rect, index) {
    var where = "obstacle " + (index + 1);
    if (rect === null || typeof rect !== "object") fail(where, null, rect, "not a box");
    return [
      number(where, "x", rect.x, null),
      number(where, "y", rect.y, null),
      number(where, "width", rect.width, 0.0),
      number(where, "height", rect.height, 0.0),
    ];
  }

  function checkedCircle(circle, index) {
    var where = "symbol " + (index + 1);
    if (circle === null || typeof circle !== "object") fail(where, null, circle, "not a symbol");
    return [
      number(where, "x", circle.x, null),
      number(where, "y", circle.y, null),
      number(where, "radius", circle.radius, 0.0),
    ];
  }

  function number(where, field, value, minimum) {
    if (typeof value !== "number" || !isFinite(value)) {
      fail(where, field, value, "not a finite number of pixels");
    }
    if (minimum !== null && value < minimum) fail(where, field, value, "a size cannot be negative");
    return value;
  }

  function checkUniqueIds(items) {
    var seen = new Map();
    items.forEach(function (item, index) {
      if (seen.has(item[0])) {
        var first = seen.get(item[0]) + 1;
        fail("label " + (index + 1), "id", item[0], "the same id as label " + first);
      }
      seen.set(item[0], index);
    });
  }

  root.bordermapPlaceLabels = placeLabels;
  if (typeof module === "object" && module.exports) module.exports = placeLabels;
})(typeof self !== "undefined" ? self : this);
