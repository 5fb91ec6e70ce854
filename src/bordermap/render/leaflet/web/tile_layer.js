// A tile layer (elements.TileLayer): data {url, options}; the attribution is escaped text.
function bordermapTileLayer(data, parent) {
  L.tileLayer(data.url, data.options).addTo(parent);
}
