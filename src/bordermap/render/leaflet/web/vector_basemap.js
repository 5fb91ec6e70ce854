// The offline vector basemap in its own pane under every overlay (basemap.VectorBasemap):
// data {geojson, styles, sea, credit}.
function bordermapVectorBasemap(data, map) {
  map.createPane("bmBasemap").style.zIndex = 250;
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
