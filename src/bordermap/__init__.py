"""bordermap: map forced returns across borders — load, join, describe, render, export.

files → schema/validate → join → map description (:class:`MapSpec`) → renderers (page,
image) → export. This module lists the public API once; heavy modules load on first use, so
``import bordermap`` stays light.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from bordermap._version import __version__
from bordermap.errors import (
    ArgumentTypeError,
    BordermapError,
    BordermapWarning,
    CrossingNotFound,
    ExportError,
    InputFileError,
    MissingGlyphError,
    ValidationError,
)

# Public name -> module that defines it, imported on first use.
_LAZY = {
    "load_crossings": "bordermap.model.layers",
    "load_facilities": "bordermap.model.layers",
    "load_basemap": "bordermap.basemap",
    "read_estimates": "bordermap.model.estimates",
    "join_estimates": "bordermap.model.estimates",
    "headline_figure": "bordermap.model.estimates",
    "load_events": "bordermap.model.events",
    "event_series": "bordermap.model.events",
    "check_event_totals": "bordermap.model.events",
    "read_events": "bordermap.model.events",
    "read_totals": "bordermap.model.events",
    "read_event_estimates": "bordermap.model.events",
    "reconcile": "bordermap.model.reconciliation",
    "Reconciliation": "bordermap.model.reconciliation",
    "timeline_map": "bordermap.maps",
    "crossing_map": "bordermap.maps",
    "case_layer": "bordermap.maps",
    "describe_crossings": "bordermap.describe.crossings",
    "describe_timeline": "bordermap.describe.time_map",
    "MapSpec": "bordermap.spec",
    "CrossingMapSpec": "bordermap.spec",
    "TimelineSpec": "bordermap.spec",
    "load_routes": "bordermap.model.routes",
    "route_lines": "bordermap.describe.flows",
    "tile_provider": "bordermap.render.leaflet.tiles",
    "save": "bordermap.export.outputs",
    "to_html": "bordermap.export.outputs",
    "to_image": "bordermap.maps",
    "to_geojson": "bordermap.export.outputs",
    "package": "bordermap.export.press",
    "verify": "bordermap.export.verification",
    "prepare_for_publication": "bordermap.model.publish",
    "Audit": "bordermap.model.audit",
}
# Modules reached as ``bordermap.<name>``: the layers' public faces, under the names the
# README and earlier releases use (``io.input_limits``, ``publish.ALLOWED_FIELDS``).
_SUBMODULES = {
    "io": "bordermap.io",
    "inputs": "bordermap.inputs",
    "gazetteer": "bordermap.model.gazetteer",
    "validate": "bordermap.model.validate",
    "estimates": "bordermap.model.estimates",
    "events": "bordermap.model.events",
    "reconciliation": "bordermap.model.reconciliation",
    "schema": "bordermap.model.schema",
    "layers": "bordermap.model.layers",
    "routes": "bordermap.model.routes",
    "publish": "bordermap.model.publish",
    "disclosure": "bordermap.model.disclosure",
    "cases": "bordermap.model.cases",
    "describe": "bordermap.describe",
    "export": "bordermap.export",
    "i18n": "bordermap.i18n",
    "theme": "bordermap.theme",
    "spec": "bordermap.spec",
    "safe": "bordermap.safe",
    "geo": "bordermap.geo",
    "maps": "bordermap.maps",
    "records": "bordermap.model.cases",
    "flows": "bordermap.describe.flows",
    "timeline": "bordermap.describe.time_map",
}

__all__ = [
    "ArgumentTypeError",
    "Audit",
    "BordermapError",
    "BordermapWarning",
    "CrossingMapSpec",
    "CrossingNotFound",
    "ExportError",
    "InputFileError",
    "MapSpec",
    "MissingGlyphError",
    "Reconciliation",
    "TimelineSpec",
    "ValidationError",
    "__version__",
    "case_layer",
    "check_event_totals",
    "crossing_map",
    "describe_crossings",
    "describe_timeline",
    "event_series",
    "headline_figure",
    "join_estimates",
    "load_basemap",
    "load_crossings",
    "load_events",
    "load_facilities",
    "load_routes",
    "package",
    "prepare_for_publication",
    "read_estimates",
    "read_event_estimates",
    "read_events",
    "read_totals",
    "reconcile",
    "route_lines",
    "save",
    "tile_provider",
    "timeline_map",
    "to_geojson",
    "to_html",
    "to_image",
    "verify",
]


def __getattr__(name: str) -> object:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    if name in _SUBMODULES:
        return importlib.import_module(_SUBMODULES[name])
    raise AttributeError(f"module 'bordermap' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(__all__) | set(_SUBMODULES))


if TYPE_CHECKING:
    from bordermap.describe.crossings import describe_crossings
    from bordermap.describe.flows import route_lines
    from bordermap.describe.time_map import describe_timeline
    from bordermap.export.outputs import save, to_geojson, to_html
    from bordermap.export.press import package
    from bordermap.export.verification import verify
    from bordermap.maps import case_layer, crossing_map, timeline_map, to_image
    from bordermap.model.audit import Audit
    from bordermap.model.estimates import headline_figure, join_estimates, read_estimates
    from bordermap.model.events import (
        check_event_totals,
        event_series,
        load_events,
        read_event_estimates,
        read_events,
        read_totals,
    )
    from bordermap.model.layers import load_crossings, load_facilities
    from bordermap.model.publish import prepare_for_publication
    from bordermap.model.reconciliation import Reconciliation, reconcile
    from bordermap.model.routes import load_routes
    from bordermap.render.leaflet.tiles import tile_provider
    from bordermap.spec import CrossingMapSpec, MapSpec, TimelineSpec
