// A drawn symbol or route reached with Tab, named for a screen reader, its popup opened with
// Enter or Space. Every other element Leaflet made focusable in the layer (a route's visible
// line beside its wider hit line) leaves the Tab order.
function bordermapButton(layer, name) {
  var parts = layer.getLayers ? layer.getLayers() : [layer];
  function reachable() {
    var el = parts[0].getElement && parts[0].getElement();
    if (!el || el.getAttribute("role") === "button") {
      return;
    }
    el.setAttribute("tabindex", "0");
    el.setAttribute("role", "button");
    el.setAttribute("aria-label", bordermapPlainText(name));
    el.addEventListener("keydown", function (e) {
      if (e.key === "Enter" || e.key === " ") {
        e.preventDefault();
        layer.openPopup();
      }
    });
  }
  parts[0].on("add", reachable);
  reachable();
  parts.slice(1).forEach(function (part) {
    function skipped() {
      var el = part.getElement && part.getElement();
      if (el) {
        el.setAttribute("tabindex", "-1");
      }
    }
    part.on("add", skipped);
    skipped();
  });
}
