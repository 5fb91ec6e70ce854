"""``bordermap.io``: the input side's public face, as earlier releases and the notebooks import
it (``from bordermap.io import bundled_path``). Everything here is
:mod:`bordermap.inputs`'s: files, tables and frames read as they are, checked, in WGS84.

Examples
--------
>>> from bordermap.io import bundled_path, read_geodata
>>> read_geodata(bundled_path("crossings.geojson")).crs.to_string()
'EPSG:4326'
"""

from bordermap.inputs import (
    LIMITS,
    InputLimits,
    bundled_path,
    bundled_sha256,
    file_sha256,
    guess_cjk_encoding,
    input_limits,
    read_geodata,
    read_table,
    sniff_delimiter,
)

__all__ = [
    "LIMITS",
    "InputLimits",
    "bundled_path",
    "bundled_sha256",
    "file_sha256",
    "guess_cjk_encoding",
    "input_limits",
    "read_geodata",
    "read_table",
    "sniff_delimiter",
]
