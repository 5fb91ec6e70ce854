"""The geodata formats bordermap reads, each recognised by its own bytes before GDAL opens it,
and the GDAL settings that keep a read local.

GDAL picks a driver by what a file holds, not by its name, and some of its drivers are
programs rather than formats: an OGR VRT (saved as ``.kml``, ``.shp`` or anything else)
reads whichever local file or URL it names, and a GDALG file runs a pipeline. A hostile
file could so put another of the analyst's files on a published map, or make the reader's
machine fetch an address that reveals it. So a file reaches GDAL only when its name is one
of :data:`GEODATA_FORMATS` and its bytes are that format (:func:`identify_geodata`), and
GDAL reads inside :func:`local_reading`, with its network and virtual file systems off.

pyogrio offers no way to pass GDAL a list of allowed drivers (``GDALOpenEx``'s
``papszAllowedDrivers``), hence the identification here.
"""

from __future__ import annotations

import contextlib
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from bordermap.errors import InputFileError
from bordermap.inputs.files import GDAL_VIRTUAL, is_gdal_virtual

__all__ = [
    "GEODATA_FORMATS",
    "GeodataFormat",
    "identify_geodata",
    "local_reading",
    "readable_formats",
]


@dataclass(frozen=True)
class GeodataFormat:
    """A format bordermap hands to a reader: its name, file suffixes and GDAL driver.

    ``driver`` is ``None`` for a format read without GDAL (GeoParquet, by pyarrow).
    """

    name: str
    suffixes: tuple[str, ...]
    driver: str | None


GEODATA_FORMATS = (
    GeodataFormat("GeoJSON", (".geojson", ".json"), "GeoJSON"),
    GeodataFormat("TopoJSON", (".topojson",), "TopoJSON"),
    GeodataFormat("GeoPackage", (".gpkg",), "GPKG"),
    GeodataFormat("KML", (".kml",), "KML"),
    GeodataFormat("KMZ (zipped KML)", (".kmz",), "LIBKML"),
    GeodataFormat("Shapefile", (".shp", ".dbf"), "ESRI Shapefile"),
    GeodataFormat("zipped Shapefile", (".zip",), "ESRI Shapefile"),
    GeodataFormat("FlatGeobuf", (".fgb",), "FlatGeobuf"),
    GeodataFormat("GeoParquet", (".parquet", ".geoparquet"), None),
    GeodataFormat("File Geodatabase", (".gdb",), "OpenFileGDB"),
)
_BY_SUFFIX = {suffix: f for f in GEODATA_FORMATS for suffix in f.suffixes}

_HEAD = 1 << 16

# Parts of a Shapefile a zip may hold beside it (GDAL's sidecars; .shp.xml is ArcGIS metadata).
_SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg", ".qix", ".sbn", ".sbx", ".xml")
_MAX_MEMBERS = 1000


def readable_formats() -> str:
    """The formats :func:`identify_geodata` accepts, for messages.

    Examples
    --------
    >>> readable_formats().startswith("GeoJSON (.geojson, .json), TopoJSON")
    True
    """
    return ", ".join(f"{f.name} ({', '.join(f.suffixes)})" for f in GEODATA_FORMATS)


def identify_geodata(path: Path, *, max_bytes: int) -> GeodataFormat:
    """The format of a geodata file, checked against its bytes; an error for anything else.

    Parameters
    ----------
    path : Path
        An existing file (or a ``.gdb`` folder).
    max_bytes : int
        The most an archive may inflate to.

    Raises
    ------
    bordermap.errors.InputFileError
        The name is not one of :data:`GEODATA_FORMATS`, the bytes are another format (an
        OGR VRT or GDALG file under any name among them), an XML file declares a DTD or
        entities, or an archive holds other files or inflates to more than ``max_bytes``.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> vrt = pathlib.Path(tempfile.mkdtemp()) / "sites.kml"
    >>> _ = vrt.write_text("<OGRVRTDataSource><OGRVRTLayer name='x'/></OGRVRTDataSource>")
    >>> try:
    ...     identify_geodata(vrt, max_bytes=2**20)
    ... except InputFileError as error:
    ...     print(error.problem)
    the file is a GDAL virtual dataset (VRT or GDALG), which reads other files or addresses, not KML
    """
    name = str(path)
    suffix = path.suffix.lower()
    if path.name.lower().endswith(".gdalg.json"):
        suffix = ".gdalg.json"
    if suffix not in _BY_SUFFIX:
        raise InputFileError(
            f"bordermap does not read {suffix or 'files without an extension'} files",
            file=name,
            fix=f"export the layer as one of: {readable_formats()}",
        )
    fmt = _BY_SUFFIX[suffix]
    if path.is_dir():
        if fmt.driver != "OpenFileGDB" or not any(path.glob("*.gdbtable")):
            raise InputFileError(
                "is a folder, not a File Geodatabase", file=name, fix="give the path of a file"
            )
        return fmt
    with open(path, "rb") as handle:
        head = handle.read(_HEAD)
    if fmt.suffixes[0] in (".zip", ".kmz"):
        _check_archive(path, fmt, max_bytes)
    else:
        _check_bytes(name, suffix, head, lambda: open(path, "rb"))
    return fmt


def _check_bytes(name: str, suffix: str, head: bytes, whole: Callable[[], IO[bytes]]) -> None:
    """Raise unless ``head`` (the first bytes; ``whole()`` opens them all) is the format of
    ``suffix``."""
    fmt = _BY_SUFFIX[suffix]
    if is_gdal_virtual(head):
        raise InputFileError(
            f"the file is a {GDAL_VIRTUAL}, not {fmt.name}",
            file=name,
            fix=f"export the layer itself as {fmt.name}",
        )
    ok = {
        ".geojson": _is_json,
        ".topojson": _is_json,
        ".kml": lambda h, w: _xml_root(name, h, w) == "kml",
        ".gpkg": lambda h, w: h.startswith(b"SQLite format 3\x00") and h[68:72] == b"GPKG",
        ".shp": lambda h, w: h.startswith(b"\x00\x00\x27\x0a") if suffix == ".shp" else _dbf(h),
        ".fgb": lambda h, w: h.startswith(b"fgb\x03"),
        ".parquet": lambda h, w: h.startswith(b"PAR1"),
    }[fmt.suffixes[0]]
    if not head or not ok(head, whole):
        raise InputFileError(
            f"the file is not {fmt.name}: its bytes are another format",
            file=name,
            fix=f"export the layer as {fmt.name} again, or give the file its own extension",
        )


def _dbf(head: bytes) -> bool:
    """A Shapefile's ``.dbf``: a dBASE table (version byte, then a date)."""
    return len(head) > 32 and head[0] in (0x03, 0x30, 0x83, 0x8B)


def _is_json(head: bytes, whole: Callable[[], IO[bytes]]) -> bool:
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return start.startswith(b"{")


def _xml_root(name: str, head: bytes, whole: Callable[[], IO[bytes]]) -> str:
    """The local name of an XML file's root element, read with no DTD, entity or external
    reference allowed (defusedxml): none of them belongs in KML, and GDAL would expand them."""
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import iterparse

    try:
        with whole() as stream:
            for _, element in iterparse(stream, events=("start",), forbid_dtd=True):
                return element.tag.rpartition("}")[2]
    except DefusedXmlException as exc:
        raise InputFileError(
            "the XML declares a DTD or entities, which can read other files or addresses",
            file=name,
            fix="export the layer as KML again from a GIS (KML needs no DTD)",
        ) from exc
    except ParseError:
        # Broken after its root (truncated): GDAL says what is wrong, with the root known.
        return _first_tag(head)
    return ""


def _first_tag(head: bytes) -> str:
    """The first element's local name in XML that does not parse (a DTD-free prolog was
    already read by then)."""
    import re

    found = re.search(rb"<(?![?!/])([\w.:-]+)", head)
    return found.group(1).decode("ascii", "replace").rpartition(":")[2] if found else ""


def _check_archive(path: Path, fmt: GeodataFormat, max_bytes: int) -> None:
    """A zipped Shapefile or a KMZ holds only its own parts, within the size limit."""
    name = str(path)
    try:
        with zipfile.ZipFile(path) as archive:
            members = [m for m in archive.infolist() if not m.is_dir()]
            if len(members) > _MAX_MEMBERS:
                raise InputFileError(
                    f"the archive holds {len(members):,} files, more than {_MAX_MEMBERS:,}",
                    file=name,
                    fix="zip only the layer's own files",
                )
            inflated = sum(m.file_size for m in members)
            if inflated > max_bytes:
                raise InputFileError(
                    f"the archive inflates to {inflated / 2**20:,.0f} MB, more than "
                    f"{max_bytes // 2**20} MB",
                    file=name,
                    fix="raise the limit (bordermap.inputs.input_limits(max_bytes=…), command line "
                    "--max-input-mb) if the file is genuine",
                )
            for member in members:
                _check_member(archive, member, fmt, name)
    except zipfile.BadZipFile as exc:
        raise InputFileError(
            f"the archive is damaged or truncated ({exc})",
            file=name,
            fix="export or download it again",
        ) from exc


def _check_member(
    archive: zipfile.ZipFile, member: zipfile.ZipInfo, fmt: GeodataFormat, name: str
) -> None:
    where = f"{name}, member {member.filename!r}"
    lower = member.filename.lower()
    suffix = Path(lower).suffix
    if fmt.suffixes[0] == ".kmz":
        inner = ".kml" if suffix == ".kml" else None
        allowed = suffix in (".kml", ".png", ".jpg", ".jpeg", ".gif")
    else:
        inner = suffix if suffix in (".shp", ".dbf") else None
        allowed = suffix in _SHAPEFILE_PARTS and not lower.endswith(".vrt")
    if not allowed or "/vsi" in lower or lower.startswith(("/", "..")):
        fix = (
            f"zip only the layer's own files ({', '.join(_SHAPEFILE_PARTS)})"
            if fmt.suffixes[0] == ".zip"
            else "keep only doc.kml and its images in the KMZ"
        )
        if fmt.suffixes[0] == ".zip" and suffix in _BY_SUFFIX:
            # A zipped GeoJSON, GeoPackage …: read as itself, with its own checks.
            fix = f"unzip it and give the {suffix} file itself (a .zip is a zipped Shapefile)"
        raise InputFileError(
            f"the archive holds a file that is no part of {fmt.name}", file=where, fix=fix
        )
    with archive.open(member) as handle:
        head = handle.read(_HEAD)
    if inner is not None:
        _check_bytes(where, inner, head, lambda: archive.open(member))
    elif is_gdal_virtual(head):
        raise InputFileError(
            "the archive holds a GDAL virtual dataset (VRT or GDALG)",
            file=where,
            fix="zip only the layer's own files",
        )


# GDAL's settings while bordermap reads: no network (a URL of any kind fails at once), no
# standard input, no directory listing beyond the file, no side-car metadata. PROJ's own
# network (grids from cdn.proj.org) is off unless the user turned it on themselves.
_LOCAL_ONLY = {
    "CPL_VSIL_CURL_ALLOWED_EXTENSIONS": ".bordermap-reads-no-url",
    "CPL_VSIL_CURL_ALLOWED_FILENAME": "/bordermap/reads/no/url",
    "GDAL_HTTP_PROXY": "http://0.0.0.0:9",
    "GDAL_HTTPS_PROXY": "http://0.0.0.0:9",
    "GDAL_HTTP_TIMEOUT": "1",
    "GDAL_HTTP_CONNECTTIMEOUT": "1",
    "GDAL_HTTP_MAX_RETRY": "0",
    "CPL_ALLOW_VSISTDIN": "NO",
    "GDAL_DISABLE_READDIR_ON_OPEN": "EMPTY_DIR",
    "GDAL_PAM_ENABLED": "NO",
    "OGR_SQLITE_LIST_VIRTUAL_OGR": "NO",
    "GML_DOWNLOAD_SCHEMA": "NO",
    "GDAL_VRT_ENABLE_PYTHON": "NO",
}


@contextlib.contextmanager
def local_reading() -> Iterator[None]:
    """GDAL with its network, standard input and side-car files off, inside a ``with``.

    The settings are GDAL's process-wide configuration options; the values before are put
    back on leaving.

    Examples
    --------
    >>> import pyogrio
    >>> with local_reading():
    ...     pyogrio.get_gdal_config_option("CPL_ALLOW_VSISTDIN")
    'NO'
    """
    import pyogrio
    from pyproj import network

    before = {key: pyogrio.get_gdal_config_option(key) for key in _LOCAL_ONLY}
    proj_network = network.is_network_enabled()
    pyogrio.set_gdal_config_options(_LOCAL_ONLY)
    network.set_network_enabled(False)
    try:
        yield
    finally:
        network.set_network_enabled(proj_network)
        pyogrio.set_gdal_config_options(
            {key: (None if value is None else _as_option(value)) for key, value in before.items()}
        )


def _as_option(value: object) -> str:
    if isinstance(value, bool):
        return "YES" if value else "NO"
    return str(value)
