// Keeps the panels of facing corners apart (placement.PanelClearance): the bottom-left ones
// off the bottom-right ones, the top-right ones off the top-left ones. Leaflet's "left" corner
// is the start side of the page's direction: on a right-to-left page it stands on the right.
function bordermapPanelClearance(data, map) {
  var container = map.getContainer();
  var rtl = getComputedStyle(container).direction === "rtl";
  // How far a box reaches towards the end side (right, or left when right to left), and
  // where it begins on that side: one rule for both directions.
  function reach(r) {
    return rtl ? -r.left : r.right;
  }
  function begin(r) {
    return rtl ? -r.right : r.left;
  }
  var left = container.querySelector(".leaflet-bottom.leaflet-left");
  var right = container.querySelector(".leaflet-bottom.leaflet-right");
  var credit = container.querySelector(".leaflet-control-attribution");
  // Panels nearer than this still look joined; a panel is never made narrower than MIN.
  var GAP = 4,
    MIN = 80;
  if (!left || !right) {
    return;
  }
  function shown(el) {
    var r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 ? r : null;
  }
  function meet(a, b) {
    return (
      a.left < b.right + GAP &&
      b.left < a.right + GAP &&
      a.top < b.bottom + GAP &&
      b.top < a.bottom + GAP
    );
  }
  var topLeft = container.querySelector(".leaflet-top.leaflet-left");
  var topRight = container.querySelector(".leaflet-top.leaflet-right");
  function lowerTopRight() {
    topRight.style.top = "";
    var frame = container.getBoundingClientRect(),
      low = null;
    var lefts = Array.prototype.map.call(topLeft.children, shown).filter(Boolean);
    Array.prototype.forEach.call(topRight.children, function (el) {
      var r = shown(el);
      if (
        !r ||
        !lefts.some(function (o) {
          return meet(r, o);
        })
      ) {
        return;
      }
      // Below every top-left panel across its width, not just the one it meets.
      lefts.forEach(function (o) {
        if (reach(o) + GAP > begin(r)) {
          low = Math.max(low || 0, o.bottom - frame.top);
        }
      });
    });
    if (low !== null) {
      topRight.style.top = low + GAP + "px";
    }
  }
  function clear() {
    if (topLeft && topRight) {
      lowerTopRight();
    }
    var panels = Array.prototype.slice.call(left.children);
    left.style.bottom = "";
    panels.forEach(function (el) {
      el.style.maxWidth = "";
    });
    var a = credit ? shown(credit) : null;
    if (
      a &&
      panels.some(function (el) {
        var r = shown(el);
        return r && meet(r, a);
      })
    ) {
      left.style.bottom = container.getBoundingClientRect().bottom - a.top + "px";
    }
    // Narrowing one panel makes it taller, which may bring it beside another: twice more.
    for (var pass = 0; pass < 3; pass++) {
      var others = Array.prototype.map.call(right.children, shown).filter(Boolean);
      var narrowed = false;
      panels.forEach(function (el) {
        var r = shown(el);
        if (!r) {
          return;
        }
        var end = Math.min.apply(
          null,
          others
            .filter(function (o) {
              return meet(r, o);
            })
            .map(function (o) {
              return begin(o) - GAP;
            }),
        );
        if (end < reach(r)) {
          var width = parseFloat(getComputedStyle(el).width) - (reach(r) - end);
          el.style.maxWidth = Math.max(MIN, Math.floor(width)) + "px";
          narrowed = true;
        }
      });
      if (!narrowed) {
        break;
      }
    }
  }
  clear();
  map.on("zoomend moveend resize bm-panels", clear);
  if (document.fonts) {
    document.fonts.ready.then(clear);
  }
}
