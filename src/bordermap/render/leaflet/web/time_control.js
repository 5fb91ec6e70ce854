// A control that shows one of several prepared layers per step and view
// (timeline.TimeControl): data {layers: {event, cumulative}, steps, frame, start}.
function bordermapTimeControl(data, map) {
  var layers = {
    event: data.layers.event.map(function (name) {
      return window[name];
    }),
    cumulative: data.layers.cumulative.map(function (name) {
      return window[name];
    }),
  };
  var steps = data.steps;
  var state = { step: data.start, mode: "event" };
  var div;
  function show(step, mode) {
    step = Math.max(0, Math.min(steps.length - 1, step));
    ["event", "cumulative"].forEach(function (m) {
      layers[m].forEach(function (layer) {
        map.removeLayer(layer);
      });
    });
    map.addLayer(layers[mode][step]);
    state.step = step;
    state.mode = mode;
    div.querySelector(".bm-range").value = String(step);
    var prev = div.querySelector(".bm-prev"),
      next = div.querySelector(".bm-next");
    prev.disabled = step === 0;
    next.disabled = step === steps.length - 1;
    // A button that becomes disabled under the keyboard would drop focus to the page.
    if (document.activeElement === prev && prev.disabled) {
      next.focus();
    }
    if (document.activeElement === next && next.disabled) {
      prev.focus();
    }
    div.querySelector(".bm-step-label").textContent = steps[step].label;
    div.querySelector(".bm-step-body").innerHTML = steps[step][mode];
    div.setAttribute("data-step", String(step));
    div.setAttribute("data-mode", mode);
  }
  var control = L.control({ position: "topright" });
  control.onAdd = function () {
    div = L.DomUtil.create("div", "bm-panel bm-timeline");
    div.innerHTML = data.frame;
    div.querySelector(".bm-prev").addEventListener("click", function () {
      show(state.step - 1, state.mode);
    });
    div.querySelector(".bm-next").addEventListener("click", function () {
      show(state.step + 1, state.mode);
    });
    div.querySelector(".bm-range").addEventListener("input", function (e) {
      show(parseInt(e.target.value, 10), state.mode);
    });
    div.querySelectorAll("input[name=bm-mode]").forEach(function (radio) {
      radio.addEventListener("change", function (e) {
        show(state.step, e.target.value);
      });
    });
    L.DomEvent.disableClickPropagation(div);
    L.DomEvent.disableScrollPropagation(div);
    bordermapFold(div, map);
    return div;
  };
  control.addTo(map);
  show(state.step, state.mode);
}
