// A Leaflet control holding a block of HTML that bordermap built and escaped
// (elements.HtmlControl): data {html, position, css_class}.
function bordermapHtmlControl(data, parent) {
  var control = L.control({ position: data.position });
  control.onAdd = function (map) {
    var div = L.DomUtil.create("div", data.css_class);
    div.innerHTML = data.html;
    L.DomEvent.disableClickPropagation(div);
    L.DomEvent.disableScrollPropagation(div);
    bordermapFold(div, map);
    return div;
  };
  control.addTo(parent);
}
