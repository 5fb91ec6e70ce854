"""Case records of any number on a Leaflet map: a compact payload decoded and drawn in the page.

A map of a million records cannot carry one GeoJSON feature and one popup per record. The
:class:`CaseLayer` writes each column once, as typed arrays laid end to end in one zlib
stream (base64 in the page): coordinates as whole steps of the finest precision from an
origin, each record rounded to its own precision; categories and repeated popup values as a
dictionary plus codes; other text as UTF-8 with end offsets. Records are stored in Z-order,
so neighbours sit together: zlib finds the repeats and the page bins a cell's records in one
run. A Web Worker started as soon as the page reads the records inflates the stream with
the browser's own ``DecompressionStream``, views each array in place and indexes the
records (a tile pyramid over their positions) while the page builds its map; the arrays
come back without a copy. The page draws on one canvas: grid bins (count and main
category) while many records are in view, individual points once few are, popups built on
click with ``textContent``. No plugin, nothing fetched.
"""

from __future__ import annotations

import re
from importlib import resources
from typing import Any

import folium
from jinja2 import Template

from bordermap.render.leaflet.case_payload import case_payload
from bordermap.render.leaflet.elements import LiteralElement
from bordermap.safe import script_json
from bordermap.spec import CaseLayerSpec

__all__ = ["CaseLayer", "add_cases", "case_layer_element"]

_TEMPLATES = resources.files("bordermap.render.leaflet").joinpath("templates")
_CSS = _TEMPLATES.joinpath("case_layer.css").read_text(encoding="utf-8")
_JS = _TEMPLATES.joinpath("case_layer.js").read_text(encoding="utf-8")
_INDEX_JS = _TEMPLATES.joinpath("case_index.js").read_text(encoding="utf-8")
_BASE64 = re.compile(r"[A-Za-z0-9+/]*={0,2}")


class CaseLayer(LiteralElement):
    """Case records drawn from a compact payload; add it to a folium map or feature group.

    Build it with :func:`bordermap.case_layer`. ``payload`` is what the page receives
    (:func:`bordermap.render.leaflet.case_payload.case_payload`).
    """

    # The records sit in their own small script in the page body, before the map's script:
    # it hands them to a worker (case_index.js) at once, so inflating and indexing overlap
    # with the page building the map, and the map's script does not carry them.
    _template = Template(
        "{% macro header(this, kwargs) %}<style>" + _CSS + "</style>"
        "<script>" + _INDEX_JS + "</script>{% endmacro %}"
        # The base64 text is the content of a data block, which no script engine parses.
        '{% macro html(this, kwargs) %}<script type="application/octet-stream" '
        'id="{{ this.block_id }}">{{ this.block }}</script><script>'
        "(window.bordermapCaseJobs = window.bordermapCaseJobs || {})[{{ this.job_json }}] = "
        "bordermapStartCases({{ this.job_json }}, {{ this.payload_json }}, "
        'document.getElementById("{{ this.block_id }}"));</script>{% endmacro %}'
        "{% macro script(this, kwargs) %}" + _JS + "{% endmacro %}"
    )

    cases: CaseLayerSpec | None = None  # the description it was drawn from, when known

    def __init__(self, payload: dict[str, Any]) -> None:
        super().__init__()
        self._name = "CaseLayer"
        self.payload = payload
        block = payload["blob"]["b64"]
        if not _BASE64.fullmatch(block):  # never false of case_payload's output; checked here
            raise ValueError("a case payload's block must be base64 text")
        self.block = block
        self.block_id = f"{self.get_name()}-records"
        self.payload_json = script_json({**payload, "blob": {**payload["blob"], "b64": None}})
        self.name_json = script_json(payload["title"])
        self.job_json = script_json(self.get_name())


def case_layer_element(cases: CaseLayerSpec) -> CaseLayer:
    """The page's layer of a case layer's description; ``.cases`` keeps the description."""
    layer = CaseLayer(case_payload(cases))
    layer.cases = cases
    return layer


def add_cases(m: folium.Map, cases: CaseLayerSpec, name: str) -> CaseLayer:
    """Add case records, as the spec describes them, to a map in their own layer."""
    layer = case_layer_element(cases)
    group = folium.FeatureGroup(name=name)
    layer.add_to(group)
    group.add_to(m)
    return layer
