// Circle symbols with tooltips and popups, and their labels (page.PointLayer): data
// {points, labels}; a point with a pane (facilities) is drawn in it; the labels that are not fixed are placed by label_placer.js.
function bordermapPointLayer(data, group, map) {
  var points = data.points;
  // A halo of location uncertainty: a circle of its radius in metres, but never smaller on
  // screen than options.minPx, just outside its symbol's circle. Else a few kilometres at a
  // country's scale lie hidden under the circle, and the map stops saying the place is
  // approximate. Leaflet has no floor for a circle's size: after L.Circle works out its
  // radius in pixels for the zoom (_project, Leaflet 1.9.4, bundled), the floor is applied
  // and the bounds it is drawn and clicked in are worked out again.
  var Halo = L.Circle.extend({
    _project: function () {
      L.Circle.prototype._project.call(this);
      var floor = this.options.minPx || 0;
      if (this._radius < floor || this._radiusY < floor) {
        this._point = this._map.latLngToLayerPoint(this._latlng);
        this._radius = this._radiusY = floor;
        this._updateBounds();
      }
    },
  });
  // Facilities above the crossings' circles (a facility under a circle stays seen and
  // clickable), a crossing no larger than a facility above them (point_layer.symbol_pane),
  // all under the labels.
  var Z_INDEX = { bmFacilities: 410, bmSmallSymbols: 420 };
  var renderers = {};
  function rendererOf(paneName) {
    if (!renderers[paneName]) {
      var pane = map.getPane(paneName) || map.createPane(paneName);
      pane.style.zIndex = Z_INDEX[paneName];
      renderers[paneName] = L.svg({ pane: paneName });
    }
    return renderers[paneName];
  }
  points.forEach(function (p) {
    if (p.halo) {
      new Halo([p.lat, p.lon], {
        radius: p.halo.radius,
        minPx: p.halo.min_px,
        color: p.halo.color,
        weight: p.halo.weight,
        dashArray: p.halo.dash,
        fill: false,
        interactive: false,
        className: p.halo.css,
      }).addTo(group);
    }
    if (p.ring) {
      L.circleMarker([p.lat, p.lon], p.ring).addTo(group);
    }
    var style = p.pane
      ? L.extend({ pane: p.pane, renderer: rendererOf(p.pane) }, p.style)
      : p.style;
    var marker = L.circleMarker([p.lat, p.lon], style).addTo(group);
    if (p.tooltip) {
      marker.bindTooltip(p.tooltip, { direction: "top", sticky: true });
    }
    if (p.popup) {
      marker.bindPopup(p.popup, { maxWidth: 360 });
    }
    // A symbol (crossing, facility) is reached with Tab, named, and opened with Enter or
    // Space, like a button.
    if (p.name) {
      bordermapButton(marker, p.name);
    }
  });
  var labels = data.labels.map(function (l) {
    var marker = L.marker([l.lat, l.lon], {
      interactive: false,
      keyboard: false,
      icon: L.divIcon({
        className: l.css,
        iconSize: [0, 0],
        html: "<span class='bm-label-text'>" + l.text + "</span>",
      }),
    }).addTo(group);
    return { data: l, marker: marker };
  });
  var leaders = L.layerGroup().addTo(group);
  bordermapLabelLayers.push({
    group: group,
    measure: function (map, panels) {
      if (!map.hasLayer(group)) {
        return null;
      }
      leaders.clearLayers();
      var movable = [],
        spans = [];
      // Every symbol of the layer, labelled or not: no other label may cover it.
      var symbols = points.map(function (p) {
        var at = map.latLngToContainerPoint([p.lat, p.lon]);
        return { x: at.x, y: at.y, radius: p.reach };
      });
      labels.forEach(function (item, i) {
        var icon = item.marker.getElement();
        if (!icon) {
          return;
        }
        var span = icon.firstChild;
        var at = map.latLngToContainerPoint([item.data.lat, item.data.lon]);
        var label = {
          id: String(i),
          x: at.x,
          y: at.y,
          radius: item.data.radius,
          width: span.offsetWidth,
          height: span.offsetHeight,
          priority: item.data.priority,
          leader: item.data.leader,
          tether: item.data.tether,
          inside: item.data.fixed,
        };
        if (!item.data.area) {
          movable.push(label);
          spans.push([span, at, icon, item.data.fixed]);
          return;
        }
        // A country's name: wherever this screen shows its land (name_anchors.js), the
        // placer taking one of the anchors (a group) or none.
        var rings = item.data.area.map(function (ring) {
          var out = [];
          for (var k = 0; k < ring.length; k += 2) {
            var point = map.latLngToContainerPoint([ring[k + 1], ring[k]]);
            out.push(point.x, point.y);
          }
          return out;
        });
        var size = map.getSize();
        bordermapNameAnchors(
          rings,
          { width: size.x, height: size.y },
          panels || [],
          label.height,
          routeLines(map),
        ).forEach(function (anchor, k) {
          movable.push(
            Object.assign({}, label, {
              id: i + "~" + k,
              x: anchor.x,
              y: anchor.y,
              group: "name:" + i,
              clearance: anchor.clearance,
            }),
          );
          spans.push([span, at]);
        });
        if (!movable.some((m) => m.group === "name:" + i)) {
          span.classList.add("bm-hidden");
          span.setAttribute("aria-hidden", "true");
        }
      });
      return {
        labels: movable,
        symbols: symbols,
        apply: function (placements) {
          // A name at several anchors has one span: shown where one of them was placed.
          var shown = new Set();
          placements.forEach(function (placed, k) {
            if (placed.placed) shown.add(spans[k][0]);
          });
          placements.forEach(function (placed, k) {
            var span = spans[k][0],
              at = spans[k][1];
            // A figure that fits its circle is white on it, dark beside it.
            if (spans[k][3]) {
              var on = placed.placed && /^(center|inside-)/.test(placed.candidate);
              spans[k][2].classList.toggle("bm-inverse", on);
            }
            if (!placed.placed) {
              if (!shown.has(span)) {
                span.classList.add("bm-hidden");
                span.setAttribute("aria-hidden", "true");
              }
              return;
            }
            span.classList.remove("bm-hidden");
            span.setAttribute("aria-hidden", "false");
            span.style.left = placed.box.x - at.x + "px";
            span.style.top = placed.box.y - at.y + "px";
            span.style.transform = "none";
            if (placed.leader) {
              var a = placed.leader;
              L.polyline(
                [
                  map.containerPointToLatLng([a.x1, a.y1]),
                  map.containerPointToLatLng([a.x2, a.y2]),
                ],
                {
                  color: "#555",
                  weight: 1,
                  interactive: false,
                  className: "bm-leader",
                  pane: "bmLeaders",
                },
              ).addTo(leaders);
            }
          });
        },
      };
    },
  });
}

// The routes shown (route_layer.js lists them), as flat pixel runs: names keep off them.
function routeLines(map) {
  if (typeof bordermapRouteLines === "undefined") return [];
  return bordermapRouteLines
    .filter(function (route) {
      return map.hasLayer(route.group);
    })
    .map(function (route) {
      var out = [];
      route.coords.forEach(function (at) {
        var point = map.latLngToContainerPoint(at);
        out.push(point.x, point.y);
      });
      return out;
    });
}
