"""Shapefiles as bordermap reads them: every part present, attribute text decoded by one rule
(the user's encoding; else the ``.cpg`` or the dBASE code page, when the bytes agree; else
UTF-8), and the 10-character field names a DBF cuts columns to named."""

from __future__ import annotations

import codecs
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from bordermap.errors import InputFileError, feature_label
from bordermap.inputs.encodings import decode_bytes

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = ["READ_AS_BYTES", "check_shapefile_parts", "declared_encoding", "decode_attributes"]

#: The encoding GDAL is asked to read a Shapefile's text in: ISO-8859-1 maps each byte to
#: the code point of its value, so ``text.encode("latin-1")`` gives the DBF's bytes back and
#: the choice of encoding is made here, by :func:`decode_attributes`, not by GDAL (which
#: trusts the .cpg, and reads a file without one as ISO-8859-1: mojibake for cp949).
READ_AS_BYTES = "ISO-8859-1"
_NEEDED = (".shp", ".shx", ".dbf")
_FIX = "keep the layer's .shp, .shx and .dbf together (and its .prj and .cpg)"

# The dBASE language driver byte (offset 29) for the code pages a DBF declares without a
# .cpg, as ArcGIS and GDAL read it (dBASE IV and ESRI's tables).
_LDID = {
    0x01: "cp437",
    0x02: "cp850",
    0x03: "cp1252",
    0x4D: "gbk",
    0x4E: "cp949",
    0x4F: "cp950",
    0x50: "cp874",
    0x57: "cp1252",
    0x58: "cp1252",
    0x59: "cp1252",
    0x64: "cp852",
    0x65: "cp866",
    0x78: "cp950",
    0x79: "cp949",
    0x7A: "gbk",
    0x7B: "cp932",
    0x7C: "cp874",
    0x7D: "cp1255",
    0x7E: "cp1256",
    0xC8: "cp1250",
    0xC9: "cp1251",
    0xCA: "cp1254",
    0xCB: "cp1253",
    0xCC: "cp1257",
}


def _members(path: Path) -> dict[str, str]:
    """The Shapefile parts beside ``path`` (or in the zip ``path``): lower-case name → name."""
    if path.suffix.lower() == ".zip":
        with zipfile.ZipFile(path) as archive:
            names = [m.filename for m in archive.infolist() if not m.is_dir()]
    else:
        names = [p.name for p in path.parent.iterdir() if p.stem == path.stem]
    return {name.lower(): name for name in names}


def _stem(path: Path, layer: str | int | None, members: dict[str, str]) -> str:
    """The lower-case name (without suffix, with any folder) of the Shapefile to read."""
    if path.suffix.lower() != ".zip":
        return path.stem.lower()
    shapes = sorted(name[:-4] for name in members if name.endswith(".shp"))
    if isinstance(layer, str):
        return next((s for s in shapes if s.rpartition("/")[2] == layer.lower()), layer.lower())
    if isinstance(layer, int) and 0 <= layer < len(shapes):
        return shapes[layer]
    return shapes[0] if shapes else ""


def check_shapefile_parts(path: Path) -> None:
    """Raise unless every Shapefile at ``path`` (a ``.shp``/``.dbf``, or a zip) has its
    ``.shp``, ``.shx`` and ``.dbf``, naming the ones missing.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> shp = pathlib.Path(tempfile.mkdtemp()) / "sites.shp"
    >>> _ = shp.write_bytes(b"\\x00\\x00\\x27\\x0a" + bytes(96))
    >>> try:  # doctest: +ELLIPSIS
    ...     check_shapefile_parts(shp)
    ... except InputFileError as error:
    ...     print(error.problem)
    the Shapefile has no sites.shx or sites.dbf: GDAL reads a Shapefile from its .shp, ...
    """
    members = _members(path)
    zipped = path.suffix.lower() == ".zip"
    if zipped:
        # Each stem of a part in the archive, as written (the first spelling met).
        stems: dict[str, str] = {}
        for lower, written in members.items():
            if lower.endswith(_NEEDED):
                stems.setdefault(lower[:-4], written[:-4])
    else:
        stems = {path.stem.lower(): path.stem}
    if not stems:
        raise InputFileError(
            "the archive holds no Shapefile (.shp)", file=str(path), fix=_FIX.capitalize()
        )
    for lower, written in sorted(stems.items()):
        missing = [written + suffix for suffix in _NEEDED if lower + suffix not in members]
        if missing:
            raise InputFileError(
                f"the {'zipped ' * zipped}Shapefile has no {' or '.join(missing)}: GDAL reads "
                "a Shapefile from its .shp, .shx and .dbf together",
                file=str(path),
                fix=_FIX,
            )


def _read_part(path: Path, members: dict[str, str], name: str, size: int) -> bytes | None:
    if name not in members:
        return None
    if path.suffix.lower() == ".zip":
        with zipfile.ZipFile(path) as archive, archive.open(members[name]) as handle:
            return handle.read(size)
    with open(path.parent / members[name], "rb") as handle:
        return handle.read(size)


def _cpg_codec(text: str) -> str:
    """A ``.cpg``'s words as a Python codec name, as GDAL reads them ("ANSI 1252", "65001",
    "88591", "UTF-8" …); the words themselves when they are none of these."""
    word = text.strip().upper().removeprefix("ANSI").strip()
    if word in ("65001", "UTF8", "UTF-8"):
        return "utf-8"
    if word.startswith("8859"):
        return f"iso8859-{word[4:].lstrip('-_') or '1'}"
    if word.isdigit():
        return f"cp{word}"
    return text.strip()


def declared_encoding(path: Path, layer: str | int | None = None) -> tuple[str, str] | None:
    """The encoding a Shapefile declares for its text and where: its ``.cpg``, else the
    code page in its DBF header; None when it declares none."""
    members = _members(path)
    stem = _stem(path, layer, members)
    cpg = _read_part(path, members, stem + ".cpg", 256)
    if cpg is not None and cpg.strip():
        words = cpg.decode("ascii", "replace")
        codec = _cpg_codec(words)
        try:
            codecs.lookup(codec)
        except LookupError:
            raise InputFileError(
                f"its .cpg names an encoding Python does not know ({words.strip()!r})",
                file=str(path),
                fix="pass the encoding of its text (command line: --encoding), e.g. "
                "encoding='cp949'",
            ) from None
        return codec, "its .cpg"
    header = _read_part(path, members, stem + ".dbf", 32)
    if header is not None and len(header) > 29 and header[29] in _LDID:
        return _LDID[header[29]], "its .dbf header"
    return None


def decode_attributes(
    gdf: gpd.GeoDataFrame, name: str, encoding: str | None, declared: tuple[str, str] | None
) -> gpd.GeoDataFrame:
    """A Shapefile read as :data:`READ_AS_BYTES` with its text (column names and cells)
    decoded by :func:`bordermap.inputs.encodings.decode_bytes`: the CSV's rule and error."""
    texts = [
        c
        for c in gdf.columns
        if c != gdf.geometry.name
        and (gdf[c].dtype == object or pd.api.types.is_string_dtype(gdf[c].dtype))
    ]
    names = [str(c) for c in gdf.columns if c != gdf.geometry.name]
    raw = "\t".join(names).encode("latin-1") + b"".join(
        "\n".join(v for v in gdf[c] if isinstance(v, str)).encode("latin-1") for c in texts
    )
    if raw.isascii() and encoding is None:
        return gdf
    # One line per feature (line 1: the field names), so a byte offset names its feature.
    rows = [
        "\t".join(v if isinstance(v, str) else "" for v in values)
        for values in zip(*(gdf[c] for c in texts), strict=True)
    ]
    data = "\n".join(["\t".join(names), *rows]).encode("latin-1")

    def feature(offset: int) -> int | str:
        line = data.count(b"\n", 0, offset)
        if line == 0:
            return "field names"
        i = line - 1
        return feature_label(i, gdf["id"].iloc[i] if "id" in gdf.columns else None)

    _, chosen = decode_bytes(
        data,
        encoding,
        file=name,
        declared=declared,
        row_of=feature,
        resave="save the layer again with UTF-8 text",
    )

    def decoded(value: object) -> object:
        return value.encode("latin-1").decode(chosen) if isinstance(value, str) else value

    out = gdf.copy()
    for column in texts:
        values = [decoded(v) for v in gdf[column]]
        out[column] = pd.Series(values, index=gdf.index, dtype=gdf[column].dtype)
    out.columns = [decoded(c) if c != gdf.geometry.name else c for c in gdf.columns]
    return out
