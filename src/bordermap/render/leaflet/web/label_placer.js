// Places every point layer's labels (page.PointLayer, listed in bordermapLabelLayers) with
// bordermapPlaceLabels (labels.js) on load and whenever the view changes (placement.LabelPlacer).
var bordermapLabelLayers = [];

function bordermapLabelPlacer(data, map) {
  var pending = false,
    runs = 0;
  // Leader lines run under the symbols: one crossing a circle hides behind it.
  map.createPane("bmLeaders").style.zIndex = 390;
  function place() {
    pending = false;
    var container = map.getContainer(),
      frame = container.getBoundingClientRect();
    var obstacles = [];
    container.querySelectorAll(".leaflet-control").forEach(function (el) {
      var r = el.getBoundingClientRect();
      if (r.width > 0 && r.height > 0) {
        obstacles.push({
          x: r.left - frame.left,
          y: r.top - frame.top,
          width: r.width,
          height: r.height,
        });
      }
    });
    var size = map.getSize();
    var jobs = bordermapLabelLayers
      .map(function (layer) {
        return layer.measure(map, obstacles);
      })
      .filter(function (job) {
        return job !== null;
      });
    var all = [],
      symbols = [];
    jobs.forEach(function (job, j) {
      job.labels.forEach(function (label) {
        var group = label.group ? j + ":" + label.group : "";
        all.push(Object.assign({}, label, { id: j + ":" + label.id, group: group }));
      });
      symbols = symbols.concat(job.symbols);
    });
    var placements = bordermapPlaceLabels(
      all,
      obstacles,
      { width: size.x, height: size.y },
      symbols,
    );
    var k = 0;
    jobs.forEach(function (job) {
      job.apply(placements.slice(k, k + job.labels.length));
      k += job.labels.length;
    });
    runs += 1;
    container.setAttribute("data-bm-labels-placed", String(runs));
  }
  function schedule() {
    if (!pending) {
      pending = true;
      window.requestAnimationFrame(place);
    }
  }
  map.on("zoomend moveend resize bm-panels", schedule);
  // Only a labelled group shown or hidden: the leader lines placing adds must not loop.
  map.on("layeradd layerremove", function (e) {
    if (
      bordermapLabelLayers.some(function (layer) {
        return layer.group === e.layer;
      })
    ) {
      schedule();
    }
  });
  if (document.fonts) {
    document.fonts.ready.then(schedule);
  }
  map.whenReady(schedule);
}
