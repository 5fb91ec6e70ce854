// Leaflet's default marker images as data URIs, run right after Leaflet itself when a page's
// assets are inlined (render/inline.py): inlined, Leaflet has no folder to find
// marker-icon.png in. The JSON block just before this script holds {iconUrl, iconRetinaUrl,
// shadowUrl}.
(function () {
  var urls = JSON.parse(document.currentScript.previousElementSibling.textContent);
  L.Icon.Default.imagePath = "";
  L.Icon.Default.mergeOptions(urls);
})();
