"""Where things go on the reader's screen: the labels, placed on every view, and the first
view, fitted between the panels. Both measure the page as drawn (text, panels), so they run
in the browser; the label rule is :mod:`bordermap.render.image.placer`' JavaScript twin."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Template

from bordermap.render.leaflet.elements import LiteralElement
from bordermap.safe import script_json

__all__ = ["FirstView", "LabelPlacer", "PanelClearance"]

_LABELS_JS = Path(__file__).parents[2] / "assets" / "bordermap" / "labels.js"


class LabelPlacer(LiteralElement):
    """Places every :class:`~bordermap.render.leaflet.page.PointLayer`'s labels on load and
    whenever the view changes (zoom, pan, resize, a layer shown or hidden).

    The placer (``assets/bordermap/labels.js``, the twin of :mod:`bordermap.render.image.placer`) is
    inlined in the page head whether or not the page is saved offline: it is bordermap's own
    code, and a page without it would show labels over each other. The panels (every Leaflet
    control) and the figures fixed on their circles are the obstacles, every point symbol
    of a layer shown (crossings, facilities) a symbol no other label covers; the viewport is
    the map's size.

    Examples
    --------
    >>> import bordermap
    >>> page = bordermap.crossing_map(bordermap.load_crossings(), tiles=None).render_page()
    >>> "function bordermapPlainText" in page, "bordermapPlaceLabels" in page
    (True, True)
    """

    _template = Template(
        """{% macro header(this, kwargs) %}<script>{{ this.code }}
var bordermapLabelLayers = [];
// Text bordermap escaped as HTML, back to plain text (a textarea parses no markup).
function bordermapPlainText(html) {
  var box = document.createElement("textarea");
  box.innerHTML = html;
  return box.value;
}</script>{% endmacro %}
{% macro script(this, kwargs) %}
(function () {
  var map = {{ this._parent.get_name() }};
  var pending = false, runs = 0;
  // Leader lines run under the symbols: one crossing a circle hides behind it.
  map.createPane("bmLeaders").style.zIndex = 390;
  function place() {
    pending = false;
    var container = map.getContainer(), frame = container.getBoundingClientRect();
    var obstacles = [];
    container.querySelectorAll(".leaflet-control").forEach(function (el) {
      var r = el.getBoundingClientRect();
      if (r.width > 0 && r.height > 0) {
        obstacles.push({x: r.left - frame.left, y: r.top - frame.top,
          width: r.width, height: r.height});
      }
    });
    var size = map.getSize();
    var jobs = bordermapLabelLayers.map(function (layer) {
      return layer.measure(map, frame);
    }).filter(function (job) { return job !== null; });
    var all = [], symbols = [];
    jobs.forEach(function (job, j) {
      job.labels.forEach(function (label) {
        all.push(Object.assign({}, label, {id: j + ":" + label.id}));
      });
      symbols = symbols.concat(job.symbols);
      obstacles = obstacles.concat(job.fixed);
    });
    var placements = bordermapPlaceLabels(all, obstacles, {width: size.x, height: size.y},
      symbols);
    var k = 0;
    jobs.forEach(function (job) {
      job.apply(placements.slice(k, k + job.labels.length));
      k += job.labels.length;
    });
    runs += 1;
    container.setAttribute("data-bm-labels-placed", String(runs));
  }
  function schedule() {
    if (!pending) { pending = true; window.requestAnimationFrame(place); }
  }
  map.on("zoomend moveend resize bm-panels", schedule);
  // Only a labelled group shown or hidden: the leader lines placing adds must not loop.
  map.on("layeradd layerremove", function (e) {
    if (bordermapLabelLayers.some(function (layer) { return layer.group === e.layer; })) {
      schedule();
    }
  });
  if (document.fonts) { document.fonts.ready.then(schedule); }
  map.whenReady(schedule);
})();
{% endmacro %}"""
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "LabelPlacer"
        code = _LABELS_JS.read_text(encoding="utf-8")
        if "</script" in code.lower():  # never true of our file; checked as inlining does
            raise ValueError("labels.js cannot be inlined safely")
        self.code = code


class PanelClearance(LiteralElement):
    """Keeps the panels of facing corners apart: the bottom-left ones (scale bar, sources)
    off the bottom-right ones (the attribution, the legend, a case legend), and the
    top-right ones (a time control, the layer list) off the top-left ones (title, data
    table).

    Leaflet puts the attribution in the bottom-right corner and the scale bar in the
    bottom-left one, both on the bottom edge. The attribution is a licence requirement
    (CC BY) and is shown whole, so on a narrow map it reaches across, over two or three
    lines, under the scale bar: then the bottom-left corner is lifted to stand on it. A
    bottom-left panel that still reaches under a bottom-right one (the sources line beside a
    case legend on a phone) is narrowed to end beside it: its text wraps, or its folded line
    ends sooner. At the top, a top-right panel that meets a top-left one (a time map's
    control beside the title on a phone) moves its corner down, below the top-left panels
    it would cover. Checked again whenever a panel can change size: a new view (the scale bar),
    a panel opened or closed, fonts in, the map resized. Added after every panel and before
    :class:`FirstView`, which then fits the first view around the result.

    Examples
    --------
    >>> import bordermap
    >>> page = bordermap.crossing_map(bordermap.load_crossings(), tiles=None).render_page()
    >>> "leaflet-control-attribution" in page
    True
    """

    _template = Template(
        """{% macro script(this, kwargs) %}
(function () {
  var map = {{ this._parent.get_name() }};
  var container = map.getContainer();
  var left = container.querySelector(".leaflet-bottom.leaflet-left");
  var right = container.querySelector(".leaflet-bottom.leaflet-right");
  var credit = container.querySelector(".leaflet-control-attribution");
  // Panels nearer than this still look joined; a panel is never made narrower than MIN.
  var GAP = 4, MIN = 80;
  if (!left || !right) { return; }
  function shown(el) {
    var r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 ? r : null;
  }
  function meet(a, b) {
    return a.left < b.right + GAP && b.left < a.right + GAP &&
      a.top < b.bottom + GAP && b.top < a.bottom + GAP;
  }
  var topLeft = container.querySelector(".leaflet-top.leaflet-left");
  var topRight = container.querySelector(".leaflet-top.leaflet-right");
  function lowerTopRight() {
    topRight.style.top = "";
    var frame = container.getBoundingClientRect(), low = null;
    var lefts = Array.prototype.map.call(topLeft.children, shown).filter(Boolean);
    Array.prototype.forEach.call(topRight.children, function (el) {
      var r = shown(el);
      if (!r || !lefts.some(function (o) { return meet(r, o); })) { return; }
      // Below every top-left panel across its width, not just the one it meets.
      lefts.forEach(function (o) {
        if (o.right + GAP > r.left) { low = Math.max(low || 0, o.bottom - frame.top); }
      });
    });
    if (low !== null) { topRight.style.top = (low + GAP) + "px"; }
  }
  function clear() {
    if (topLeft && topRight) { lowerTopRight(); }
    var panels = Array.prototype.slice.call(left.children);
    left.style.bottom = "";
    panels.forEach(function (el) { el.style.maxWidth = ""; });
    var a = credit ? shown(credit) : null;
    if (a && panels.some(function (el) { var r = shown(el); return r && meet(r, a); })) {
      left.style.bottom = (container.getBoundingClientRect().bottom - a.top) + "px";
    }
    // Narrowing one panel makes it taller, which may bring it beside another: twice more.
    for (var pass = 0; pass < 3; pass++) {
      var others = Array.prototype.map.call(right.children, shown).filter(Boolean);
      var narrowed = false;
      panels.forEach(function (el) {
        var r = shown(el);
        if (!r) { return; }
        var end = Math.min.apply(null, others.filter(function (o) { return meet(r, o); })
          .map(function (o) { return o.left - GAP; }));
        if (end < r.right) {
          var width = parseFloat(getComputedStyle(el).width) - (r.right - end);
          el.style.maxWidth = Math.max(MIN, Math.floor(width)) + "px";
          narrowed = true;
        }
      });
      if (!narrowed) { break; }
    }
  }
  clear();
  map.on("zoomend moveend resize bm-panels", clear);
  if (document.fonts) { document.fonts.ready.then(clear); }
})();
{% endmacro %}"""
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "PanelClearance"


class FirstView(LiteralElement):
    """The first view: the bounds as large as they fit with no panel over them.

    Each panel (every Leaflet control, measured in the page) is cleared either vertically
    (the first view keeps below or above it) or sideways; of every combination, the one
    that lets the bounds be drawn largest wins, then the one with the least padding. The
    bounds are then fitted inside the padding, so no panel covers a symbol (``inset``:
    px kept free round the bounds for the largest symbol). The legend's list never grows
    taller than the map: it scrolls. Added after every panel.
    """

    _template = Template(
        """{% macro script(this, kwargs) %}
(function () {
  var map = {{ this._parent.get_name() }};
  var bounds = L.latLngBounds({{ this.bounds_json }});
  var inset = {{ this.inset_json }};
  var fitting = false, moved = false;
  map.on("movestart", function () { if (!fitting) { moved = true; } });
  function firstView() {
  var container = map.getContainer(), frame = container.getBoundingClientRect();
  var W = frame.width, H = frame.height;
  // A corner whose panels are taller than the map: its lists (legends) scroll instead.
  container.querySelectorAll(".leaflet-control-container > div").forEach(function (corner) {
    var excess = corner.getBoundingClientRect().height - (H - 10);
    var lists = corner.querySelectorAll(".bm-legend-body, .bm-case-legend");
    if (excess <= 0 || !lists.length) { return; }
    var heights = Array.prototype.map.call(lists, function (list) {
      return list.getBoundingClientRect().height;
    });
    var total = heights.reduce(function (a, b) { return a + b; }, 0);
    lists.forEach(function (list, i) {
      var cut = total > 0 ? excess * heights[i] / total : 0;
      list.style.maxHeight = Math.max(60, heights[i] - cut) + "px";
    });
  });
  var panels = [];
  container.querySelectorAll(".leaflet-control").forEach(function (el) {
    var r = el.getBoundingClientRect();
    if (r.width > 0 && r.height > 0) {
      panels.push([r.left - frame.left, r.top - frame.top,
        r.right - frame.left, r.bottom - frame.top]);
    }
  });
  // The first view may use a fractional zoom (the bounds as large as they fit); the zoom
  // buttons and wheel then step back onto whole zoom levels.
  var snap = map.options.zoomSnap;
  map.options.zoomSnap = 0;
  var best = null;
  for (var mask = 0; mask < (1 << panels.length); mask++) {
    var pad = [inset, inset, inset, inset];  // top, right, bottom, left
    panels.forEach(function (p, i) {
      if (mask & (1 << i)) {
        if (p[0] + p[2] < W) { pad[3] = Math.max(pad[3], p[2] + inset); }
        else { pad[1] = Math.max(pad[1], W - p[0] + inset); }
      } else if (p[1] + p[3] < H) { pad[0] = Math.max(pad[0], p[3] + inset); }
      else { pad[2] = Math.max(pad[2], H - p[1] + inset); }
    });
    if (pad[1] + pad[3] >= W - 20 || pad[0] + pad[2] >= H - 20) { continue; }
    var zoom = map.getBoundsZoom(bounds, false, L.point(pad[1] + pad[3], pad[0] + pad[2]));
    var total = pad[0] + pad[1] + pad[2] + pad[3];
    if (best === null || zoom > best[0] || (zoom === best[0] && total < best[1])) {
      best = [zoom, total, pad];
    }
  }
  var pad = best === null ? [inset, inset, inset, inset] : best[2];
  fitting = true;
  map.fitBounds(bounds, {paddingTopLeft: [pad[3], pad[0]],
    paddingBottomRight: [pad[1], pad[2]], animate: false});
  fitting = false;
  map.options.zoomSnap = snap;
  }
  firstView();
  // Panels change size once the page's fonts (CJK) are in: fit again unless the reader
  // has already moved the map.
  if (document.fonts) {
    document.fonts.ready.then(function () { if (!moved) { firstView(); } });
  }
})();
{% endmacro %}"""
    )

    def __init__(self, bounds: Any, *, inset: float = 0.0) -> None:
        super().__init__()
        self._name = "FirstView"
        self.bounds_json = script_json([list(bounds[0]), list(bounds[1])])
        self.inset_json = script_json(float(inset))
