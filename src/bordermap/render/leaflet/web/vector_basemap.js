// The offline vector basemap in its own pane under every overlay (basemap.VectorBasemap):
// data {geojson, styles, sea, credit, z_index} (under the tiles at 150, over them at 250).
function bordermapVectorBasemap(data, map) {
  map.createPane("bmBasemap").style.zIndex = data.z_index;
  // A map whose tile layer was replaced has no zoom limit left (MarkerCluster needs one).
  if (map.options.maxZoom === undefined) {
    map.setMaxZoom(18);
  }
  map.getContainer().style.background = data.sea;
  var styles = data.styles;
  L.geoJSON(data.geojson, {
    pane: "bmBasemap",
    interactive: false,
    style: function (feature) {
      var kind = feature.properties.kind,
        cnKp = feature.properties.cn_kp;
      var style = Object.assign({}, styles[kind], cnKp ? styles[kind + "_cn_kp"] : {});
      if (feature.properties.fill) {
        style.fillColor = feature.properties.fill;
      }
      style.className = "bm-basemap-" + kind + (cnKp ? " bm-basemap-cn-kp" : "");
      return style;
    },
  }).addTo(map);
  map.attributionControl.addAttribution(data.credit);
}
