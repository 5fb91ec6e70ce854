// Names the map, attaches its summary, and adds the "Data table" button and panel
// (access.AccessibleMap): data {text: {name, summary, button, close}, table}.
function bordermapAccessibleMap(data, map) {
  var text = {};
  Object.entries(data.text).forEach(function (pair) {
    text[pair[0]] = bordermapPlainText(pair[1]);
  });
  var container = map.getContainer();
  var id = container.id;
  container.setAttribute("role", "region");
  container.setAttribute("aria-label", text.name);
  var summary = document.createElement("p");
  summary.id = id + "-summary";
  summary.className = "bm-sr-only";
  summary.textContent = text.summary;
  container.parentNode.insertBefore(summary, container);
  container.setAttribute("aria-describedby", summary.id);
  var panel = document.createElement("div");
  panel.className = "bm-table-panel";
  panel.hidden = true;
  panel.setAttribute("role", "dialog");
  panel.setAttribute("aria-label", text.button);
  panel.innerHTML = data.table;
  var close = document.createElement("button");
  close.type = "button";
  close.textContent = text.close;
  panel.insertBefore(close, panel.firstChild);
  container.appendChild(panel);
  L.DomEvent.disableClickPropagation(panel);
  L.DomEvent.disableScrollPropagation(panel);
  var control = L.control({ position: "topleft" });
  var button;
  control.onAdd = function () {
    var div = L.DomUtil.create("div", "bm-table-control");
    button = L.DomUtil.create("button", "bm-table-button", div);
    button.type = "button";
    button.textContent = text.button;
    button.setAttribute("aria-expanded", "false");
    L.DomEvent.disableClickPropagation(div);
    L.DomEvent.on(button, "click", function () {
      show(true);
    });
    return div;
  };
  function show(open) {
    panel.hidden = !open;
    button.setAttribute("aria-expanded", String(open));
    (open ? close : button).focus();
  }
  close.addEventListener("click", function () {
    show(false);
  });
  panel.addEventListener("keydown", function (e) {
    if (e.key === "Escape") {
      show(false);
    }
  });
  control.addTo(map);
}
