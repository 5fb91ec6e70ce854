"""The offline vector basemap on the Leaflet map: land, lakes, rivers, boundaries and coast, no
tiles."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from bordermap import theme
from bordermap.basemap import (
    BASEMAP_CREDIT,
    BASEMAP_FILE,
    WORLD_FILE,
    BasemapView,
    bundled_file,
    region_geojson,
)
from bordermap.render.leaflet.elements import WebPart
from bordermap.safe import script_json

__all__ = ["VectorBasemap"]

# Fixed styles per kind; "_cn_kp" variants for China and North Korea (land, their boundary).
_C = theme.BASEMAP_COLORS
_STYLES = {
    # The world past the detailed area: coarse land, plain, no outline (coarse.py).
    "world": {"stroke": False, "fill": True, "fillColor": _C["land"], "fillOpacity": 1},
    "land": {"stroke": False, "fill": True, "fillColor": _C["land"], "fillOpacity": 1},
    "land_cn_kp": {"fillColor": _C["land_cn_kp"]},
    # A lake is water as the sea is, with the coast's shoreline (GSHHG, lakes.py).
    "lake": {
        "color": _C["coast"],
        "weight": 0.6,
        "fill": True,
        "fillColor": _C["sea"],
        "fillOpacity": 1,
    },
    "coast": {"color": _C["coast"], "weight": 0.8, "fill": False},
    "province": {"color": _C["province"], "weight": 0.6, "dashArray": "2 3", "fill": False},
    "boundary": {"color": _C["boundary"], "weight": 1, "fill": False},
    "boundary_cn_kp": {"color": _C["boundary_cn_kp"], "weight": 2},
    # A river thin; a border river a band of water wider than the boundary drawn along it.
    "river": {"color": _C["river"], "weight": 1.2, "fill": False},
    "river_border": {"color": _C["river"], "weight": 4, "fill": False},
}


@lru_cache(maxsize=1)
def _bundled_geojson() -> tuple[str, str, str]:
    data = region_geojson()
    for feature in data["features"]:
        props = feature["properties"]
        if props.get("kind") == "land":
            props["fill"] = theme.land_color(props.get("country"), bool(props.get("cn_kp")))
    return script_json(data), *bundled_file(BASEMAP_FILE)


class VectorBasemap(WebPart):
    """Natural Earth land, boundaries and coast and GSHHG rivers in their own pane, under
    every overlay.

    Drawn from the bundled ``data/basemap/region.geojson`` (no rivers) or a view of the
    world basemap with fixed styles; paths carry the classes ``bm-basemap-land``,
    ``bm-basemap-river``, ``bm-basemap-river_border`` (a river along a boundary),
    ``bm-basemap-boundary``, ``bm-basemap-coast`` and ``bm-basemap-cn-kp`` (China and North
    Korea). Nothing in it is interactive.
    """

    scripts = ("vector_basemap.js",)
    draw = "bordermapVectorBasemap"

    def __init__(
        self, view: BasemapView | None = None, *, credit: str | None = None, beneath: bool = False
    ) -> None:
        """``view``: a :class:`bordermap.basemap.BasemapView` (any region); default the
        bundled China–North Korea region. ``credit`` replaces the view's own; ``beneath``
        puts the basemap under the tile layers (shown where tiles do not load: no network)."""
        super().__init__()
        self._name = "VectorBasemap"
        if view is None:
            self.geojson_json, self.file, self.sha256 = _bundled_geojson()
            own = BASEMAP_CREDIT
        else:
            data = view.geojson()
            # 0.001° (about 100 m) is finer than 1:10m shapes: a third of the bytes.
            for feature in data["features"]:
                geometry = feature["geometry"]
                if geometry is not None:
                    geometry["coordinates"] = _rounded(geometry["coordinates"])
            for feature in data["features"]:
                props = feature["properties"]
                # The world basemap names countries by ISO code; China and North Korea apart.
                props["cn_kp"] = props["country"] in ("CN", "KP", "CN–KP")
                if props["kind"] in ("land", "world"):
                    props["fill"] = theme.land_fill(props["country"])
            _style_rivers(data["features"])
            self.geojson_json = script_json(data)
            self.file, self.sha256 = bundled_file(WORLD_FILE)
            own = view.credit
        self.credit = own if credit is None else credit
        # Leaflet's tile pane is at 200, its overlays at 400.
        self.z_index = 150 if beneath else 250

    def data_json(self) -> str:
        # The GeoJSON is serialised once (the bundled one once per process): it is large.
        rest = script_json(
            {"credit": self.credit, "sea": _C["sea"], "styles": _STYLES, "z_index": self.z_index}
        )
        return rest[:-1] + ', "geojson": ' + self.geojson_json + "}"


def _style_rivers(features: list[dict]) -> None:
    """Give a border river (a river feature whose ``country`` names the boundary it
    follows) the style ``river_border``, and no river the China–North Korea emphasis."""
    for feature in features:
        props = feature["properties"]
        if props["kind"] == "river":
            props["cn_kp"] = False
            if props["country"]:
                props["kind"] = "river_border"


def _rounded(coordinates: Any) -> Any:
    if isinstance(coordinates, (int, float)):
        return round(float(coordinates), 3)
    return [_rounded(c) for c in coordinates]
