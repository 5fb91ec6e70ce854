"""Input files as bordermap reads them: bundled data, hashes, size limits, and what a file's
first bytes say it is (a PNG named .csv is refused before it is parsed)."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bordermap.errors import InputFileError, ValidationError

__all__ = [
    "EXCEL_SUFFIXES",
    "EXPECTED_CONTENT",
    "LIMITS",
    "TEXT_SUFFIXES",
    "UTF16_BOMS",
    "InputLimits",
    "bundled_path",
    "bundled_sha256",
    "existing_file",
    "file_sha256",
    "first_line",
    "input_limits",
    "is_gdal_virtual",
]

EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls")
TEXT_SUFFIXES = (".csv", ".tsv", ".txt")


def bundled_path(name: str) -> Path:
    """Path of a file shipped in ``data/``, in a wheel or in a source checkout.

    Examples
    --------
    >>> bundled_path("crossings.geojson").name
    'crossings.geojson'
    """
    package = Path(__file__).resolve().parents[1]
    for base in (package / "data", package.parents[1] / "data"):
        candidate = base / name
        if candidate.exists():
            return candidate
    raise InputFileError(
        "bundled data file is missing", file=name, fix="reinstall bordermap (pip install .)"
    )


def file_sha256(path: str | os.PathLike) -> str:
    """SHA-256 of a file's bytes, for the metadata block of exports."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


@functools.cache
def bundled_sha256(name: str) -> str:
    """SHA-256 of a bundled data file, hashed once per process (the files do not change).

    Examples
    --------
    >>> bundled_sha256("crossings.geojson") == file_sha256(bundled_path("crossings.geojson"))
    True
    """
    return file_sha256(bundled_path(name))


@dataclass
class InputLimits:
    """How much bordermap reads before refusing a file: checked before reading it.

    ``max_bytes`` bounds a file's size; ``max_cells`` the rows × columns a spreadsheet
    declares (a 2 KB workbook can declare 17 billion cells) or a text table holds. Raise
    them for a big but genuine file with :func:`input_limits` (CLI ``--max-input-mb``,
    ``--max-cells``).
    """

    max_bytes: int = 512 * 2**20
    max_cells: int = 5_000_000


LIMITS = InputLimits()


@contextlib.contextmanager
def input_limits(
    *, max_bytes: int | None = None, max_cells: int | None = None
) -> Iterator[InputLimits]:
    """Read bigger (or only smaller) files inside a ``with`` block.

    Examples
    --------
    >>> with input_limits(max_cells=10_000_000):
    ...     LIMITS.max_cells
    10000000
    >>> LIMITS.max_cells
    5000000
    """
    before = (LIMITS.max_bytes, LIMITS.max_cells)
    for name, value in (("max_bytes", max_bytes), ("max_cells", max_cells)):
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValidationError("a limit must be a whole number above 0", field=name, value=value)
        setattr(LIMITS, name, value)
    try:
        yield LIMITS
    finally:
        LIMITS.max_bytes, LIMITS.max_cells = before


def existing_file(path: str | os.PathLike) -> Path:
    path = Path(path)
    if not path.exists():
        raise InputFileError("file not found", file=str(path), fix="check the path")
    if path.is_dir() and path.suffix.lower() != ".gdb":
        raise InputFileError(
            "is a folder, not a file", file=str(path), fix="give the path of a file in it"
        )
    if not path.is_dir() and not stat.S_ISREG(path.stat().st_mode):
        # A pipe would hang, /dev/zero never end: only ordinary files are read.
        raise InputFileError(
            "is not an ordinary file (a pipe, a device or a socket)",
            file=str(path),
            fix="save the data to a file and give its path",
        )
    if path.is_file() and path.stat().st_size > LIMITS.max_bytes:
        raise InputFileError(
            f"file is larger than {LIMITS.max_bytes // 2**20} MB "
            f"({path.stat().st_size / 2**20:.0f} MB)",
            file=str(path),
            fix="raise the limit (bordermap.inputs.input_limits(max_bytes=…), command line "
            "--max-input-mb) if the file is genuine",
        )
    if path.is_file() and path.stat().st_size == 0:
        raise InputFileError(
            "file is empty (0 bytes)", file=str(path), fix="export or download it again"
        )
    if path.is_file():
        _check_content(path)
    return path


# What marks a GDAL meta-format, a program rather than data: an OGR VRT reads whichever file
# or URL it names, a GDALG file runs a pipeline. GDAL recognises them by these words in a
# file's first bytes whatever its name, so bordermap refuses any file that holds them there.
_GDAL_VIRTUAL_MARKERS = (b"ogrvrtdatasource", b"vrtdataset", b"gdal_streamed_alg")
GDAL_VIRTUAL = "GDAL virtual dataset (VRT or GDALG), which reads other files or addresses"


def is_gdal_virtual(head: bytes) -> bool:
    """Whether a file's first bytes make it a GDAL VRT or GDALG file, under any name.

    Examples
    --------
    >>> is_gdal_virtual(b"<OGRVRTDataSource><OGRVRTLayer name='x'/></OGRVRTDataSource>")
    True
    >>> is_gdal_virtual(b'{"type": "FeatureCollection", "features": []}')
    False
    """
    lowered = head.lower()
    return any(marker in lowered for marker in _GDAL_VIRTUAL_MARKERS)


# What a file's first bytes say it is.
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"%PDF", "PDF document"),
    (b"PK\x03\x04", "ZIP archive"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "old Office file (.xls/.doc)"),
    (b"\x1f\x8b", "gzip archive"),
)
# What each extension promises, and what the first bytes of such a file may be.
EXPECTED_CONTENT = {
    ".csv": ("CSV text", ("text",)),
    ".tsv": ("tab-separated text", ("text",)),
    ".txt": ("text", ("text",)),
    ".xlsx": ("an Excel workbook", ("ZIP archive",)),
    ".xlsm": ("an Excel workbook", ("ZIP archive",)),
    ".xls": ("an Excel workbook", ("old Office file (.xls/.doc)", "ZIP archive")),
    ".geojson": ("GeoJSON", ("JSON",)),
    ".json": ("GeoJSON", ("JSON",)),
    ".gpkg": ("a GeoPackage", ("SQLite database",)),
    ".kml": ("KML", ("XML", "text")),  # "text": an XML file may open with a comment
    ".kmz": ("KMZ (zipped KML)", ("ZIP archive",)),
}
_FIX_BY_KIND = {
    "HTML page": "the download gave a web page, not the data: download the file itself",
    "ZIP archive": "unzip it first, or give the file its own extension",
    "Excel workbook (a ZIP archive)": "name it .xlsx, or export the sheet as CSV UTF-8",
    "text": "a table in text is a CSV: name it .csv",
    "JSON": "a JSON file: name it .geojson if it is GeoJSON",
    "XML": "an XML file: name it .kml if it is KML",
    "binary data": "export the table as CSV UTF-8 or Excel",
    GDAL_VIRTUAL: "export the layer itself from a GIS, not a VRT or GDALG file that points to it",
}
_TEXT_KINDS = ("text", "JSON", "XML")


def _content_kind(head: bytes) -> str:
    """What a file is, from its first bytes (a few KB are enough)."""
    if is_gdal_virtual(head):
        return GDAL_VIRTUAL
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return "Excel workbook (a ZIP archive)" if b"xl/" in head else kind
    if head.startswith(UTF16_BOMS):
        return "text"  # UTF-16 with a BOM: text, its encoding is checked when it is read
    if b"\x00" in head:
        return "binary data"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<!doctype html", b"<html")):
        return "HTML page"
    if text.startswith((b"<?xml", b"<kml")):
        return "XML"
    if text.startswith((b"{", b"[")):
        return "JSON"
    return "text"


def _check_content(path: Path) -> None:
    """Raise when a file's bytes are not what its extension says (a PNG named .csv …)."""
    suffix = path.suffix.lower()
    if suffix not in EXPECTED_CONTENT:
        return
    with open(path, "rb") as handle:
        head = handle.read(4096)
    kind = _content_kind(head)
    promised, allowed = EXPECTED_CONTENT[suffix]
    if kind in allowed or (kind.startswith("Excel") and "ZIP archive" in allowed):
        return
    if "text" in allowed and kind in _TEXT_KINDS:
        return  # a CSV may well start with "{" or "<": text is text
    if suffix in (".geojson", ".json") and kind == "text":
        kind = "text file (not JSON)"
    article = "" if kind == "binary data" else "an " if kind[0].lower() in "aeiou" else "a "
    raise InputFileError(
        f"the file is {article}{kind}, not {promised} (its name ends in {suffix})",
        file=str(path),
        fix=_FIX_BY_KIND.get(
            kind, "export the data itself (CSV, Excel, GeoJSON …), not a picture or report"
        ),
    )


def first_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
