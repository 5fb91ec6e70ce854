// A panel with a .bm-fold button folds on a small screen; the button opens and closes it,
// Esc closes it.
function bordermapFold(div, map) {
  var fold = div.querySelector(".bm-fold");
  if (!fold) {
    return;
  }
  function setOpen(open) {
    div.classList.toggle("bm-open", open);
    fold.setAttribute("aria-expanded", String(open));
    map.fire("bm-panels");
  }
  L.DomEvent.on(fold, "click", function () {
    setOpen(!div.classList.contains("bm-open"));
  });
  L.DomEvent.on(div, "keydown", function (e) {
    if (e.key === "Escape" && div.classList.contains("bm-open")) {
      setOpen(false);
      fold.focus();
    }
  });
}
