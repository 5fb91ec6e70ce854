// Route lines and arrowheads (routes.RouteLayer): data {routes, pane, z_index, dash}.
// Every route's line is listed in bordermapRouteLines, for names to keep off it.
var bordermapRouteLines = [];

function bordermapRouteLayer(data, group, map) {
  var paneName = data.pane;
  var pane = map.getPane(paneName) || map.createPane(paneName);
  pane.style.zIndex = data.z_index;
  var renderer = L.svg({ pane: paneName });
  var SVG = "http://www.w3.org/2000/svg";
  function arrowIcon(route, arrow) {
    var size = Math.max(12, 2 * route.weight + 8);
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("width", size);
    svg.setAttribute("height", size);
    svg.setAttribute("viewBox", "-6 -6 12 12");
    svg.style.transform = "rotate(" + Number(arrow.bearing_deg) + "deg)";
    var head = document.createElementNS(SVG, "path");
    head.setAttribute("d", "M0,-5.5 L4.5,4.5 L0,2 L-4.5,4.5 Z");
    head.setAttribute("fill", route.color);
    head.setAttribute("stroke", "#ffffff");
    head.setAttribute("stroke-width", "0.8");
    svg.appendChild(head);
    return L.divIcon({ className: "bm-arrow", html: svg, iconSize: [size, size] });
  }
  data.routes.forEach(function (route) {
    var status = route.dashed ? "bm-inferred" : "bm-reported";
    var line = L.polyline(route.coords, {
      color: route.color,
      weight: route.weight,
      opacity: 0.85,
      lineCap: "butt",
      dashArray: route.dashed ? data.dash : null,
      className: "bm-route " + status,
      renderer: renderer,
    });
    var hit = L.polyline(route.coords, {
      color: route.color,
      weight: Math.max(route.weight, 14),
      opacity: 0,
      className: "bm-route-hit",
      renderer: renderer,
    });
    var both = L.featureGroup([hit, line]);
    both.bindTooltip(route.tooltip, { sticky: true });
    both.bindPopup(route.popup, { maxWidth: 380 });
    both.addTo(group);
    bordermapRouteLines.push({ group: group, coords: route.coords });
    // One Tab stop per route, on the wide hit line, named by its tooltip.
    bordermapButton(both, route.name);
    route.arrows.forEach(function (arrow) {
      L.marker([arrow.lat, arrow.lon], {
        icon: arrowIcon(route, arrow),
        pane: paneName,
        interactive: false,
        keyboard: false,
      }).addTo(group);
    });
  });
}
