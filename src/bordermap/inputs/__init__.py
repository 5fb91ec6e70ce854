"""Inputs: files, tables and frames read as they are, checked, in WGS84; nothing about
crossings or estimates. Its public face is ``bordermap.inputs`` (``bordermap.inputs.read_geodata``,
``read_table``, ``bundled_path``, ``input_limits`` …)."""

from bordermap.inputs.geodata import (
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
