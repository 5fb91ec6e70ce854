"""The offline vector basemap on the Leaflet map: land, coast and boundaries from Natural Earth.

Drawn when the map has no tile layer, so an offline file still shows where the border runs.
The features come from :func:`bordermap.basemap.basemap_geojson`; their Leaflet styles are
decided here in Python and handed to the page as JSON with the data.
"""

from __future__ import annotations

import os

from jinja2 import Template

from bordermap.basemap import BASEMAP_URL, basemap_geojson, basemap_source
from bordermap.render.html import LiteralElement, StyleSheet
from bordermap.safe import link, script_json

__all__ = ["BASEMAP_STYLES", "SEA_COLOR", "VectorBasemap"]

SEA_COLOR = "#dde7ee"
# Leaflet path options per feature: the two countries the map is about in warm light tones,
# their neighbours grey; the China–North Korea boundary dark and dashed, other lines thin.
BASEMAP_STYLES = {
    "land_CN": {"fillColor": "#f2ecda"},
    "land_KP": {"fillColor": "#fdfcf8"},
    "land": {"fillColor": "#e4e3de"},
    "province": {"color": "#c9c6bd", "weight": 0.6, "dashArray": "2 3"},
    "coast": {"color": "#8aa4b5", "weight": 0.8},
    "boundary": {"color": "#8c8c8c", "weight": 1, "dashArray": "4 3"},
    "boundary_cn_kp": {"color": "#4d4d4d", "weight": 2.2, "dashArray": "8 4"},
}
_LAND = {"stroke": False, "fill": True, "fillOpacity": 1}
_LINE = {"fill": False, "opacity": 1, "lineCap": "butt"}
# Lines drawn over land; the China–North Korea boundary last, on top.
_ORDER = {"land": 0, "province": 1, "coast": 2, "boundary": 3}
PANE = "bordermap-basemap"


def _style(properties: dict) -> dict:
    kind = properties.get("kind")
    country = str(properties.get("country") or "")
    if kind == "land":
        options = {**_LAND, **BASEMAP_STYLES.get(f"land_{country}", BASEMAP_STYLES["land"])}
    elif kind == "boundary" and properties.get("cn_kp"):
        options = {**_LINE, **BASEMAP_STYLES["boundary_cn_kp"]}
    else:
        options = {**_LINE, **BASEMAP_STYLES.get(kind, BASEMAP_STYLES["boundary"])}
    classes = [f"bm-basemap-{kind}", f"bm-basemap-{country.lower()}"]
    if properties.get("cn_kp"):
        classes.append("bm-basemap-cn-kp-pair")
    return {**options, "className": " ".join(classes)}


def _drawn_features(data: dict) -> list[dict]:
    """The features in drawing order, each with its Leaflet style in ``properties.style``."""
    features = sorted(
        data["features"], key=lambda f: _ORDER.get(f["properties"].get("kind"), len(_ORDER))
    )
    return [
        {**f, "properties": {**f["properties"], "style": _style(f["properties"])}} for f in features
    ]


class VectorBasemap(LiteralElement):
    """Natural Earth land, coast and boundaries, in their own pane under every overlay.

    Non-interactive; credits Natural Earth in Leaflet's attribution control. Add it to a
    map that has no tile layer.

    Parameters
    ----------
    path : path, optional
        A basemap GeoJSON file (:func:`bordermap.basemap.load_basemap`'s format); by default
        the bundled region.

    Examples
    --------
    >>> import folium
    >>> m = folium.Map(tiles=None)
    >>> _ = VectorBasemap().add_to(m)
    >>> "bm-basemap-boundary" in m.get_root().render()
    True
    """

    _template = Template(
        """{% macro script(this, kwargs) %}
(function () {
  var map = {{ this._parent.get_name() }};
  var pane = map.createPane({{ this.pane_json }});
  pane.style.zIndex = 250;
  pane.style.pointerEvents = "none";
  L.DomUtil.addClass(map.getContainer(), "bm-has-basemap");
  L.geoJSON({{ this.data_json }}, {
    pane: {{ this.pane_json }},
    interactive: false,
    attribution: {{ this.attribution_json }},
    style: function (feature) { return feature.properties.style; }
  }).addTo(map);
})();
{% endmacro %}"""
    )

    def __init__(self, path: str | os.PathLike | None = None) -> None:
        super().__init__()
        self._name = "VectorBasemap"
        data = basemap_geojson(path)
        # The file drawn, for the export's metadata block (see ``drawn_inputs``).
        self.data_input = basemap_source(path)
        self.data_json = script_json(
            {"type": "FeatureCollection", "features": _drawn_features(data)}
        )
        self.pane_json = script_json(PANE)
        self.attribution_json = script_json(link(BASEMAP_URL, "Natural Earth"))
        self.add_child(
            StyleSheet(
                f".leaflet-container.bm-has-basemap {{ background: {SEA_COLOR}; }}",
                name="BordermapBasemapStyles",
            )
        )
