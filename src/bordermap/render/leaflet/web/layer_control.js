// Leaflet's layer switcher over the map's feature groups (elements.LayerControl): data
// {layers: [[name shown, page variable of the group]], collapsed}.
function bordermapLayerControl(data, map) {
  var overlays = {};
  data.layers.forEach(function (pair) {
    overlays[pair[0]] = window[pair[1]];
  });
  // On a small screen the list folds into Leaflet's layers button.
  L.control
    .layers(null, overlays, {
      collapsed: data.collapsed || map.getSize().x < 600 || map.getSize().y < 500,
    })
    .addTo(map);
}
