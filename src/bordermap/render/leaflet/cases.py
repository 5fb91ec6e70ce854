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

from bordermap.arguments import FRAME, check_argument, check_frame
from bordermap.records import encode_cases
from bordermap.render.leaflet.elements import LiteralElement
from bordermap.safe import script_json

__all__ = ["CaseLayer", "add_case_payload", "case_layer"]

_TEMPLATES = resources.files("bordermap.render.leaflet").joinpath("templates")
_CSS = _TEMPLATES.joinpath("case_layer.css").read_text(encoding="utf-8")
_JS = _TEMPLATES.joinpath("case_layer.js").read_text(encoding="utf-8")
_INDEX_JS = _TEMPLATES.joinpath("case_index.js").read_text(encoding="utf-8")
_BASE64 = re.compile(r"[A-Za-z0-9+/]*={0,2}")


class CaseLayer(LiteralElement):
    """Case records drawn from a compact payload; add it to a folium map or feature group.

    Build it with :func:`case_layer`. ``payload`` is the decoded description the page
    receives (see :func:`bordermap.records.encode_cases`).
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

    def __init__(self, payload: dict[str, Any]) -> None:
        super().__init__()
        self._name = "CaseLayer"
        self.payload = payload
        block = payload["blob"]["b64"]
        if not _BASE64.fullmatch(block):  # never false of encode_cases' output; checked here
            raise ValueError("a case payload's block must be base64 text")
        self.block = block
        self.block_id = f"{self.get_name()}-records"
        self.payload_json = script_json({**payload, "blob": {**payload["blob"], "b64": None}})
        self.name_json = script_json(payload["title"])
        self.job_json = script_json(self.get_name())


def case_layer(points: Any, **options: Any) -> CaseLayer:
    """A layer of case records (arrests, testimonies, transfers) of any number.

    While more than ``max_points`` records are in view they are binned on a grid of
    ``cell_px`` pixels (a circle per cell: count, colour of its most frequent category; a
    click zooms in); below that each record is a point, and a click shows its fields.

    Parameters
    ----------
    points : geopandas.GeoDataFrame or pandas.DataFrame
        Point records (any CRS: converted to WGS84), or a table with ``lon``/``lat`` columns.
    category : str, optional
        Column that colours the records; the legend lists its values with their counts.
    popup_fields : list of str, optional
        Columns shown, in this order, when a record is clicked. Only these are written.
    precision : float, optional
        Metres every location is known to. Default: each record's own ``precision_m`` (a
        record without one takes the finest of the others; 1 m when none has one). A record
        is rounded to the largest whole number of the finest steps no coarser than its own
        precision: a 5 km record among 100 m ones is written at 5 km, not at 100 m.
    colors : list of str, optional
        Colours of the categories in sorted order (default :data:`bordermap.theme.CATEGORY_COLORS`).
    title : str, optional
        Legend heading (default "Records" in ``lang``).
    lang : {"en", "ko", "zh"}
        Language of the legend's fixed text.
    max_points, cell_px, radius
        Points drawn one by one at most; bin size in pixels; point radius in pixels.

    Returns
    -------
    CaseLayer
        Add it to any folium map: ``case_layer(df).add_to(m)``.

    Examples
    --------
    >>> import folium, pandas as pd
    >>> cases = pd.DataFrame({"lon": [129.99, 124.40], "lat": [42.95, 40.10],
    ...                       "kind": ["arrest", "transfer"], "place": ["Onsong", "Sinuiju"]})
    >>> m = folium.Map(location=[41.5, 127.0], zoom_start=6, tiles=None)
    >>> layer = case_layer(cases, category="kind", popup_fields=["place"]).add_to(m)
    >>> from bordermap.records import decode_records
    >>> sorted(decode_records(layer.payload)["place"])  # what the page holds
    ['Onsong', 'Sinuiju']
    """
    check_argument("points", points, FRAME)
    check_frame(points, "points")
    return CaseLayer(encode_cases(points, **options))


def add_case_payload(m: folium.Map, payload: dict, name: str) -> CaseLayer:
    """Add case records, as a spec's payload, to a map in their own layer."""
    layer = CaseLayer(payload)
    group = folium.FeatureGroup(name=name)
    layer.add_to(group)
    group.add_to(m)
    return layer
