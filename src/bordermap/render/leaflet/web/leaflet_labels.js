// Leaflet's own button titles (zoom, close popup) in the map's language
// (elements.LeafletLabels): data {zoom_in, zoom_out, close}.
function bordermapLeafletLabels(labels, map) {
  function name(selector, text) {
    map
      .getContainer()
      .querySelectorAll(selector)
      .forEach(function (el) {
        el.title = text;
        el.setAttribute("aria-label", text);
      });
  }
  name(".leaflet-control-zoom-in", labels.zoom_in);
  name(".leaflet-control-zoom-out", labels.zoom_out);
  map.on("popupopen", function () {
    name(".leaflet-popup-close-button", labels.close);
  });
}
