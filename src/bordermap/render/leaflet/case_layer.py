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
from bordermap.render.leaflet.elements import StyleSheet, WebPart
from bordermap.safe import script_json
from bordermap.spec import CaseLayerSpec

__all__ = ["CaseLayer", "add_cases", "case_layer_element"]

_CSS = (
    resources.files("bordermap.render.leaflet")
    .joinpath("templates", "case_layer.css")
    .read_text(encoding="utf-8")
)
_BASE64 = re.compile(r"[A-Za-z0-9+/]*={0,2}")


class CaseLayer(WebPart):
    """Case records drawn from a compact payload; add it to a folium map or feature group.

    Build it with :func:`bordermap.case_layer`. ``payload`` is what the page receives
    (:func:`bordermap.render.leaflet.case_payload.case_payload`).
    """

    scripts = ("case_index.js", "fold.js", "case_layer.js")
    draw = "bordermapCaseLayer"

    # The records sit in their own data block in the page body, started before the map's
    # script (``bordermapStartCases``, web/case_index.js): a worker inflates and indexes them
    # while the page builds the map, and the map's script does not carry them. The base64
    # text is the content of a data block, which no script engine parses.
    _template = Template(
        "{% macro html(this, kwargs) %}"
        '<script type="application/octet-stream" id="{{ this.records_id }}">'
        "{{ this.records }}</script>"
        '<script type="application/json" id="{{ this.start_id }}">{{ this.start }}</script>'
        "<script>bordermapDraw({{ this.start_id_json }});</script>"
        '<script type="application/json" id="{{ this.block_id }}">{{ this.block }}</script>'
        "{% endmacro %}"
        "{% macro script(this, kwargs) %}bordermapDraw({{ this.block_id_json }});{% endmacro %}"
    )

    cases: CaseLayerSpec | None = None  # the description it was drawn from, when known

    def __init__(self, payload: dict[str, Any]) -> None:
        super().__init__()
        self._name = "CaseLayer"
        self.add_child(StyleSheet(_CSS, name="CaseLayerStyles"))
        self.payload = payload
        records = payload["blob"]["b64"]
        if not _BASE64.fullmatch(records):  # never false of case_payload's output; checked here
            raise ValueError("a case payload's block must be base64 text")
        self.records = records
        self.records_id = f"{self.get_name()}-records"
        self.start_id = f"{self.get_name()}-start"
        self.start_id_json = script_json(self.start_id)
        self.payload_json = script_json({**payload, "blob": {**payload["blob"], "b64": None}})
        where = script_json({"block": self.records_id, "job": self.get_name()})
        self.start = (
            '{"data": ' + where[:-1] + ', "payload": ' + self.payload_json + "}, "
            '"draw": "bordermapStartCases"}'
        )

    def data_json(self) -> str:
        return script_json({"job": self.get_name(), "name": self.payload["title"]})


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
