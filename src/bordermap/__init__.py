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
    ValidationError,
)

# Public name -> module that defines it, imported on first use.
_LAZY = {
    "load_crossings": "bordermap.layers",
    "load_facilities": "bordermap.layers",
    "load_basemap": "bordermap.basemap",
    "read_estimates": "bordermap.estimates",
    "join_estimates": "bordermap.estimates",
    "headline_figure": "bordermap.estimates",
    "load_events": "bordermap.events",
    "event_series": "bordermap.events",
    "check_event_totals": "bordermap.events",
    "read_events": "bordermap.events",
    "read_totals": "bordermap.events",
    "read_event_estimates": "bordermap.events",
    "reconcile": "bordermap.reconciliation",
    "Reconciliation": "bordermap.reconciliation",
    "timeline_map": "bordermap.render.leaflet.timeline",
    "crossing_map": "bordermap.render.leaflet.page",
    "case_layer": "bordermap.render.leaflet.cases",
    "describe_crossings": "bordermap.describe",
    "describe_timeline": "bordermap.timeline",
    "MapSpec": "bordermap.spec",
    "load_routes": "bordermap.routes",
    "route_lines": "bordermap.flows",
    "tile_provider": "bordermap.render.leaflet.tiles",
    "save": "bordermap.export",
    "to_html": "bordermap.export",
    "to_image": "bordermap.export",
    "to_geojson": "bordermap.export",
    "prepare_for_publication": "bordermap.publish",
    "Audit": "bordermap.audit",
}
_SUBMODULES = (
    "io",
    "gazetteer",
    "validate",
    "estimates",
    "events",
    "reconciliation",
    "i18n",
    "theme",
    "schema",
    "spec",
    "describe",
    "records",
    "flows",
    "timeline",
    "safe",
    "export",
    "layers",
    "geo",
    "routes",
    "publish",
)

__all__ = [
    "ArgumentTypeError",
    "Audit",
    "BordermapError",
    "BordermapWarning",
    "CrossingNotFound",
    "ExportError",
    "InputFileError",
    "MapSpec",
    "Reconciliation",
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
]


def __getattr__(name: str) -> object:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    if name in _SUBMODULES:
        return importlib.import_module(f"bordermap.{name}")
    raise AttributeError(f"module 'bordermap' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(__all__) | set(_SUBMODULES))


if TYPE_CHECKING:
    from bordermap.audit import Audit
    from bordermap.describe import describe_crossings
    from bordermap.estimates import headline_figure, join_estimates, read_estimates
    from bordermap.events import (
        check_event_totals,
        event_series,
        load_events,
        read_event_estimates,
        read_events,
        read_totals,
    )
    from bordermap.export import save, to_geojson, to_html, to_image
    from bordermap.flows import route_lines
    from bordermap.layers import load_crossings, load_facilities
    from bordermap.publish import prepare_for_publication
    from bordermap.reconciliation import Reconciliation, reconcile
    from bordermap.render.leaflet.cases import case_layer
    from bordermap.render.leaflet.page import crossing_map
    from bordermap.render.leaflet.tiles import tile_provider
    from bordermap.render.leaflet.timeline import timeline_map
    from bordermap.routes import load_routes
    from bordermap.spec import MapSpec
    from bordermap.timeline import describe_timeline
