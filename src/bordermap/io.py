"""Read geodata and estimate tables from files or DataFrames; bring every CRS to WGS84."""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import json
import os
import re
import unicodedata
import zipfile
from pathlib import Path

import pandas as pd

from bordermap.errors import InputFileError, ValidationError, feature_label

__all__ = ["bundled_path", "file_sha256", "guess_cjk_encoding", "read_geodata", "read_table"]

WGS84 = "EPSG:4326"
_LAT_NAMES = ("lat", "latitude", "y")
_LON_NAMES = ("lon", "lng", "long", "longitude", "x")
_EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls")
_TEXT_SUFFIXES = (".csv", ".tsv", ".txt")


def bundled_path(name: str) -> Path:
    """Path of a file shipped in ``data/``, in a wheel or in a source checkout.

    Examples
    --------
    >>> bundled_path("crossings.geojson").name
    'crossings.geojson'
    """
    here = Path(__file__).resolve().parent
    for base in (here / "data", here.parents[1] / "data"):
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


_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


@functools.cache
def bundled_sha256(name: str) -> str:
    """SHA-256 of a bundled data file, hashed once per process (the files do not change).

    Examples
    --------
    >>> bundled_sha256("crossings.geojson") == file_sha256(bundled_path("crossings.geojson"))
    True
    """
    return file_sha256(bundled_path(name))


def _existing(path: str | os.PathLike) -> Path:
    path = Path(path)
    if not path.exists():
        raise InputFileError("file not found", file=str(path), fix="check the path")
    if path.is_dir() and path.suffix.lower() != ".gdb":
        raise InputFileError(
            "is a folder, not a file", file=str(path), fix="give the path of a file in it"
        )
    if path.is_file() and path.stat().st_size == 0:
        raise InputFileError(
            "file is empty (0 bytes)", file=str(path), fix="export or download it again"
        )
    if path.is_file():
        _check_content(path)
    return path


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
_EXPECTED = {
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
}
_TEXT_KINDS = ("text", "JSON", "XML")


def _content_kind(head: bytes) -> str:
    """What a file is, from its first bytes (a few KB are enough)."""
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return "Excel workbook (a ZIP archive)" if b"xl/" in head else kind
    if head.startswith(_UTF16_BOMS):
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
    if suffix not in _EXPECTED:
        return
    with open(path, "rb") as handle:
        head = handle.read(4096)
    kind = _content_kind(head)
    promised, allowed = _EXPECTED[suffix]
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


def _decode(path: Path, encoding: str | None) -> tuple[str, str]:
    """The text of a file and the encoding it was read with.

    Without ``encoding``: UTF-8 (with or without BOM). Other encodings are not guessed at,
    because a wrong guess turns names into mojibake on a published map: the error names the
    encoding the bytes look like (UTF-16; cp949 for Korean Excel; GB18030 for Chinese
    Excel), to pass as ``encoding=`` or to re-save the file in as UTF-8.
    """
    data = path.read_bytes()
    name = str(path)
    if encoding is not None:
        try:
            return data.decode(encoding), encoding
        except LookupError as exc:
            raise ValidationError(
                "unknown text encoding",
                file=name,
                field="encoding",
                value=encoding,
                fix="use a Python codec name such as 'utf-8', 'cp949' or 'gb18030'",
            ) from exc
        except UnicodeDecodeError as exc:
            raise InputFileError(
                f"text is not {encoding} (byte {exc.start} cannot be decoded)",
                file=name,
                row=_line_of(data, exc.start),
                fix="check the encoding, or save the file as CSV UTF-8",
            ) from exc
    if data.startswith(_UTF16_BOMS):
        raise InputFileError(
            "text is UTF-16 (Excel's 'Unicode text'), not UTF-8",
            file=name,
            fix="pass encoding='utf-16', or save the file as CSV UTF-8",
        )
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as exc:
        guess = guess_cjk_encoding(data)
        if guess == "cp949":
            problem = "text is cp949 (Korean Windows / Excel), not UTF-8"
        elif guess == "gb18030":
            problem = "text is gb18030 (Chinese Windows / Excel), not UTF-8"
        else:
            problem = f"text is not UTF-8 (byte {exc.start} cannot be decoded)"
        other = {"cp949": "gb18030", "gb18030": "cp949"}.get(guess)
        fix = (
            f"pass encoding='{guess}' (command line: --encoding {guess}; '{other}' if the text "
            f"is {'Chinese' if guess == 'cp949' else 'Korean'}), or save the file as CSV UTF-8"
            if guess
            else "save the file as CSV UTF-8, or pass its encoding, e.g. encoding='cp1252' "
            "(Western Windows), 'cp949' (Korean) or 'gb18030' (Chinese)"
        )
        row = None if guess else _line_of(data, exc.start)
        raise InputFileError(problem, file=name, row=row, fix=fix) from exc


def _line_of(data: bytes, offset: int) -> int:
    """The 1-based line (spreadsheet row) holding a byte offset."""
    return data.count(b"\n", 0, offset) + 1


def _plausible(text: str, in_script) -> bool:
    """Whether decoded text reads as one language: at least 90 % of its non-ASCII letters
    in the script, none glued between two ASCII letters (``Médecins`` read as cp949 gives
    one Hangul syllable inside a Latin word: not Korean)."""
    letters = [c for c in text if ord(c) > 127 and unicodedata.category(c).startswith("L")]
    if not letters or re.search(r"[A-Za-z][^\x00-\x7f]+[A-Za-z]", text):
        return False
    return sum(1 for c in letters if in_script(c)) >= 0.9 * len(letters)


def _reads_as_korean(text: str) -> bool:
    """Hangul, and Korean's share of open syllables (no final consonant: 가, 도, 의).

    About a third of the syllables of Korean text are open, but only 17 % of the 2,350
    syllables cp949 encodes: Chinese GB18030 bytes read as cp949 land on syllables about
    evenly, so under a fifth of them are open.
    """
    if not _plausible(text, _is_hangul):
        return False
    syllables = [c for c in text if _is_hangul(c)]
    is_open = [(ord(c) - 0xAC00) % 28 == 0 for c in syllables]
    return len(syllables) < 4 or sum(is_open) >= 0.2 * len(syllables)


def _is_hangul(char: str) -> bool:
    return "\uac00" <= char <= "\ud7a3"


def _is_han(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf"


def guess_cjk_encoding(data: bytes) -> str | None:
    """Name the East Asian Windows code page some non-UTF-8 bytes are in, if any.

    Excel on Korean Windows saves "CSV" in cp949, on Chinese Windows in GB18030. The two
    overlap byte for byte, so the choice rests on which decoding reads as plausible text.
    Korean read as GB18030 gives common Han characters, so cp949 is tried first, and taken
    only when it gives Hangul with Korean's share of open syllables (see
    ``_reads_as_korean``); Chinese read as cp949 fails that test. Very short texts (under
    four syllables) can still be mistaken: the error names both encodings.

    Returns
    -------
    str or None
        ``"cp949"``, ``"gb18030"``, or None when neither reads plausibly.

    Examples
    --------
    >>> guess_cjk_encoding("온성,300,과도기정의워킹그룹".encode("cp949"))
    'cp949'
    >>> guess_cjk_encoding("丹东,180,朝鲜人权报告".encode("gb18030"))
    'gb18030'
    >>> guess_cjk_encoding("Médecins".encode("cp1252")) is None
    True
    """
    for codec, reads in (("cp949", _reads_as_korean), ("gb18030", _reads_as_chinese)):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if reads(text):
            return codec
    return None


def _reads_as_chinese(text: str) -> bool:
    return _plausible(text, _is_han)


def _read_text_table(path: Path, encoding: str | None) -> pd.DataFrame:
    text, used = _decode(path, encoding)
    sep = "\t" if path.suffix.lower() == ".tsv" else ","
    try:
        table = pd.read_csv(
            io.StringIO(text), sep=sep, dtype=str, keep_default_na=False, skip_blank_lines=False
        )
    except pd.errors.EmptyDataError as exc:
        raise InputFileError(
            "file has no header row", file=str(path), fix="the first row must name the columns"
        ) from exc
    except pd.errors.ParserError as exc:
        unclosed = re.search(r"EOF inside string starting at row (\d+)", str(exc))
        if unclosed:
            raise InputFileError(
                "a quoted cell is never closed: the rest of the file would be one cell",
                file=str(path),
                row=int(unclosed.group(1)) + 1,
                fix='close the quote (") or remove it',
            ) from exc
        found = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
        if found:
            expected, line, saw = found.groups()
            raise InputFileError(
                f"row has {saw} cells but the header has {expected}",
                file=str(path),
                row=int(line),
                fix='put a cell that contains a comma in double quotes ("a, b")',
            ) from exc
        raise InputFileError(
            f"not a readable CSV table ({_first_line(exc)})",
            file=str(path),
            fix="export the table again as CSV UTF-8",
        ) from exc
    table.attrs["encoding"] = used
    # pandas renames a repeated column ("figure", "figure.1"): keep the header as typed.
    table.attrs["header"] = next(csv.reader(io.StringIO(text.lstrip("\ufeff"))), [])
    return table


def read_table(
    source: str | os.PathLike | pd.DataFrame, *, sheet: str | int = 0, encoding: str | None = None
) -> pd.DataFrame:
    """Read a table of text cells from CSV/TSV, Excel or a DataFrame.

    Every cell comes back as a string (empty string for a blank cell), so validation sees
    exactly what the user typed. The column ``_row`` holds each row's spreadsheet row
    number (the header is row 1), which every error message quotes.

    Parameters
    ----------
    source : path or DataFrame
        A ``.csv``/``.tsv``/``.txt`` or ``.xlsx`` file, or a DataFrame.
    sheet : str or int, default 0
        Excel sheet to read.
    encoding : str, optional
        Text encoding of a CSV (default UTF-8, with or without BOM). A CSV in another
        encoding is not guessed at: the error names the one it looks like (``cp949`` for
        Korean Excel, ``gb18030`` for Chinese Excel, ``utf-16``), to pass here.
        ``attrs['encoding']`` records the encoding a CSV was read with.

    Examples
    --------
    >>> table = read_table(bundled_path("events/2023-10-09.csv"))
    >>> int(table["_row"].iloc[0])
    2
    """
    if isinstance(source, pd.DataFrame):
        table = source.copy()
        table.columns = [str(c) for c in table.columns]
        table = table.astype(object).where(table.notna(), "")
        table = table.map(lambda v: v if isinstance(v, str) else _cell_text(v))
        table.attrs["source_file"] = "<DataFrame>"
    else:
        path = _existing(source)
        suffix = path.suffix.lower()
        if suffix in _EXCEL_SUFFIXES:
            table = _read_excel(path, sheet)
        elif suffix in _TEXT_SUFFIXES:
            table = _read_text_table(path, encoding)
        else:
            raise InputFileError(
                f"unsupported table type {suffix or '(no extension)'}",
                file=str(path),
                fix="use .csv or .xlsx",
            )
        kept = {k: v for k, v in table.attrs.items() if k in ("encoding", "header")}
        table.attrs = {"source_file": str(path), "sha256": file_sha256(path), **kept}
    table.columns = [str(c).strip().lower() for c in table.columns]
    _check_header(table, table.attrs.pop("header", None))
    table = table.reset_index(drop=True)
    table["_row"] = range(2, len(table) + 2)
    # Rows with no cell filled (blank lines, Excel's trailing ",,,,") hold nothing: they are
    # left out, but counted, and the rows after them keep their spreadsheet numbers.
    blank = (table.drop(columns="_row").apply(lambda c: c.astype(str).str.strip()) == "").all(
        axis=1
    )
    table.attrs["blank_rows"] = int(blank.sum())
    return table[~blank].reset_index(drop=True) if blank.any() else table


def _check_header(table: pd.DataFrame, header: list[str] | None) -> None:
    """Raise when a column name appears twice, or the cells are split by ';' not ','."""
    names = [str(c).strip().lower() for c in header] if header else list(table.columns)
    where = table.attrs.get("source_file")
    if len(names) == 1 and names[0].count(";") >= 2:
        raise InputFileError(
            "the cells are separated by ';', not ','",
            file=where,
            fix="save from Excel as 'CSV UTF-8 (comma delimited)'",
        )
    seen: set[str] = set()
    for name in names:
        if name in seen and name:
            raise ValidationError(
                "the column appears twice",
                file=where,
                row=1,
                field=name,
                fix="keep one column of each name",
            )
        seen.add(name)


def _cell_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10] if getattr(value, "hour", 0) == 0 else value.isoformat()
    return str(value)


def _read_excel(path: Path, sheet: str | int) -> pd.DataFrame:
    try:
        # No header, no NA guessing: cells come as typed ("N/A" is text, not empty), and a
        # repeated column name stays visible instead of being renamed "figure.1".
        raw = pd.read_excel(
            path, sheet_name=sheet, dtype=object, header=None, keep_default_na=False, na_values=[]
        )
    except ImportError as exc:
        raise InputFileError(
            "reading Excel needs openpyxl", file=str(path), fix="pip install openpyxl"
        ) from exc
    except zipfile.BadZipFile as exc:
        raise InputFileError(
            f"the workbook is damaged or truncated ({_first_line(exc)})",
            file=str(path),
            fix="open it in Excel and save it again",
        ) from exc
    except (ValueError, KeyError, OSError) as exc:
        raise InputFileError(
            f"not a readable Excel workbook ({_first_line(exc)})",
            file=str(path),
            fix="save it again as .xlsx, or export the sheet as CSV UTF-8",
        ) from exc
    raw = raw.astype(object).where(raw.notna(), "")
    raw = raw.map(lambda v: v if isinstance(v, str) else _cell_text(v))
    if raw.empty:
        return pd.DataFrame()
    header = [str(c) for c in raw.iloc[0]]
    table = raw.iloc[1:].reset_index(drop=True)
    table.columns = [c or f"unnamed: {i}" for i, c in enumerate(header)]
    table.attrs["header"] = [c for c in header if c]
    return table


def _unknown_crs(name: str, crs: object) -> ValidationError:
    return ValidationError(
        "unknown coordinate reference system",
        file=name,
        field="crs",
        value=crs,
        fix="use an EPSG code such as 'EPSG:4326'",
    )


# Formats read through pyogrio's Arrow path (pyarrow): GeoPackage and FlatGeobuf.
_ARROW_SUFFIXES = (".gpkg", ".fgb")


def read_geodata(
    path: str | os.PathLike,
    *,
    crs: str | None = None,
    layer: str | int | None = None,
    encoding: str | None = None,
):
    """Read points from any GDAL vector file or a CSV with lat/lon columns, in WGS84.

    Parameters
    ----------
    path : path
        GeoJSON, GeoPackage, KML, Shapefile, FlatGeobuf … or a CSV with latitude and
        longitude columns (``lat``/``latitude``/``y`` and ``lon``/``lng``/``longitude``/``x``).
    crs : str, optional
        CRS to assume when the file declares none (a CSV always declares none: WGS84 is
        assumed for lat/lon columns).
    layer : str or int, optional
        Layer of a multi-layer file.
    encoding : str, optional
        Text encoding of a CSV or of a Shapefile's attributes (default UTF-8; see
        :func:`read_table`). Ignored for GeoJSON, GeoPackage and KML, which are UTF-8.

    Returns
    -------
    geopandas.GeoDataFrame
        In EPSG:4326, with ``attrs['source_file']`` and ``attrs['sha256']`` set.

    Raises
    ------
    bordermap.errors.InputFileError
        The file is missing, empty, not what its extension says, truncated or damaged.
    bordermap.errors.ValidationError
        No or an unknown CRS, a malformed GeoJSON geometry, a coordinate that is not a number.

    Examples
    --------
    >>> gdf = read_geodata(bundled_path("crossings.geojson"))
    >>> gdf.crs.to_string()
    'EPSG:4326'
    """
    import geopandas as gpd
    import pyogrio.errors
    from pyproj.exceptions import CRSError

    path = _existing(path)
    name = str(path)
    suffix = path.suffix.lower()
    if suffix in _TEXT_SUFFIXES:
        frame = read_table(path, encoding=encoding)
        gdf = _points_from_table(frame, name, crs)
    else:
        if suffix in (".geojson", ".json"):
            _check_geojson(path)
        # GeoJSON, GeoPackage and KML are UTF-8 by definition; a Shapefile's .dbf is not.
        dbf_encoding = encoding if suffix in (".shp", ".dbf") else None
        try:
            # GDAL's Arrow stream (columns in bulk, not a Python object per feature) for the
            # binary formats large point sets come in; the text formats keep the per-feature
            # reader, whose handling of a broken geometry (NaN, one coordinate) is checked.
            gdf = gpd.read_file(
                path,
                layer=layer,
                engine="pyogrio",
                encoding=dbf_encoding,
                use_arrow=suffix in _ARROW_SUFFIXES,
            )
        except UnicodeDecodeError as exc:
            raise InputFileError(
                f"attribute text is not {dbf_encoding or 'UTF-8'}",
                file=name,
                fix="pass the encoding its attributes were saved in, e.g. encoding='cp949'",
            ) from exc
        except pyogrio.errors.DataLayerError as exc:
            if layer is None:
                raise InputFileError(
                    f"the file holds no readable layer (GDAL: {_first_line(exc)})",
                    file=name,
                    fix="export the layer again",
                ) from exc
            raise ValidationError(
                "no such layer in the file",
                file=name,
                field="layer",
                value=layer,
                fix=f"the layers are: {', '.join(_layer_names(path))}",
            ) from exc
        except pyogrio.errors.DataSourceError as exc:
            known = suffix in _EXPECTED
            raise InputFileError(
                ("the file is damaged or truncated" if known else "not a readable geodata file")
                + f" (GDAL: {_first_line(exc)})",
                file=name,
                fix="export or download it again"
                if known
                else "use GeoJSON, GeoPackage, KML, Shapefile or a CSV with lat/lon",
            ) from exc
        except (pyogrio.errors.FieldError, pyogrio.errors.GeometryError) as exc:
            raise InputFileError(
                f"the file is damaged (GDAL: {_first_line(exc)})",
                file=name,
                fix="export or download it again",
            ) from exc
        if gdf.crs is None:
            if crs is None:
                raise ValidationError(
                    "the file declares no coordinate reference system",
                    file=name,
                    field="crs",
                    fix="pass crs='EPSG:…' to say which one its coordinates are in "
                    "(a Shapefile keeps it in its .prj file)",
                )
            try:
                gdf = gdf.set_crs(crs)
            except CRSError as exc:
                raise _unknown_crs(name, crs) from exc
    if suffix in (".kml", ".kmz"):
        gdf = _tidy_kml(gdf)
    if gdf.crs is not None and not gdf.crs.equals(WGS84):
        gdf = gdf.to_crs(WGS84)
    gdf.attrs["source_file"] = name
    gdf.attrs["sha256"] = file_sha256(path)
    return gdf


def _layer_names(path: Path) -> list[str]:
    import pyogrio

    return [str(row[0]) for row in pyogrio.list_layers(path)]


_GEOJSON_TYPES = (
    "FeatureCollection",
    "Feature",
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
    "GeometryCollection",
)


def _check_geojson(path: Path) -> None:
    """What GDAL passes over in silence: truncation, an unknown ``crs``, a broken Point.

    GDAL reads a GeoJSON whose ``crs`` names no known CRS as WGS84, and a Point with one
    coordinate as no geometry, each with at most a warning: here they are errors.
    """
    from pyproj import CRS
    from pyproj.exceptions import CRSError

    name = str(path)
    text, _ = _decode(path, None)
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.pos >= len(text.rstrip()) - 1:
            raise InputFileError(
                "GeoJSON ends before it is complete: the file is truncated",
                file=name,
                fix="export or download it again",
            ) from exc
        raise InputFileError(
            f"not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})",
            file=name,
            fix="check the file in a JSON validator, or export it again",
        ) from exc
    if not isinstance(doc, dict) or doc.get("type") not in _GEOJSON_TYPES:
        raise InputFileError(
            'not GeoJSON: no "type": "FeatureCollection" at the top',
            file=name,
            field="type",
            value=doc.get("type") if isinstance(doc, dict) else None,
            fix="export the layer as GeoJSON",
        )
    crs_member = doc.get("crs")
    crs_name = None
    if crs_member is not None:
        props = crs_member.get("properties") if isinstance(crs_member, dict) else None
        crs_name = props.get("name") if isinstance(props, dict) else None
        if not isinstance(crs_name, str):
            raise ValidationError(
                "the crs member names no coordinate reference system",
                file=name,
                field="crs",
                value=json.dumps(crs_member, ensure_ascii=False),
                fix="GeoJSON is WGS84: remove the crs member",
            )
    if crs_name is not None:
        try:
            CRS.from_user_input(crs_name)
        except CRSError as exc:
            raise ValidationError(
                "unknown coordinate reference system",
                file=name,
                field="crs",
                value=crs_name,
                fix="GeoJSON is WGS84: remove the crs member, or name a real one (EPSG:4326)",
            ) from exc
    features = doc.get("features") if doc["type"] == "FeatureCollection" else [doc]
    if not isinstance(features, list):
        raise InputFileError(
            "the FeatureCollection has no list of features",
            file=name,
            field="features",
            value=json.dumps(features, ensure_ascii=False),
            fix='write "features": [ … ] (an empty list for no features)',
        )
    for i, feat in enumerate(features):
        if doc["type"] == "FeatureCollection" and not (
            isinstance(feat, dict) and feat.get("type") == "Feature"
        ):
            raise InputFileError(
                "not a GeoJSON Feature",
                file=name,
                row=feature_label(i),
                field="type",
                value=json.dumps(feat, ensure_ascii=False),
                fix='each item of "features" is {"type": "Feature", "geometry": …, '
                '"properties": …}',
            )
        geometry = feat.get("geometry")
        if not isinstance(geometry, dict) or geometry.get("type") != "Point":
            continue
        coords = geometry.get("coordinates")
        if not (
            isinstance(coords, list)
            and len(coords) in (2, 3)
            and all(isinstance(c, (int, float)) and not isinstance(c, bool) for c in coords)
        ):
            props = feat.get("properties") or {}
            raise ValidationError(
                "invalid geometry: a Point needs two numbers, [lon, lat]",
                file=name,
                row=feature_label(i, props.get("id")),
                field="geometry",
                value=json.dumps(coords, ensure_ascii=False),
                fix="write the point as [longitude, latitude], e.g. [129.7, 42.96]",
            )


# Columns GDAL's LIBKML driver adds to every placemark; they carry no user data.
_KML_DEFAULT_COLUMNS = (
    "timestamp",
    "begin",
    "end",
    "altitudeMode",
    "tessellate",
    "extrude",
    "visibility",
    "drawOrder",
    "icon",
)


def _tidy_kml(gdf):
    """Give KML placemarks the shape of other layers: an ``id``, a ``name``, no KML noise."""
    gdf = gdf.drop(columns=[c for c in _KML_DEFAULT_COLUMNS if c in gdf.columns])
    if "id2" in gdf.columns:  # an ExtendedData "id" clashes with the placemark id attribute
        gdf = gdf.drop(columns=["id"]).rename(columns={"id2": "id"})
    if "Name" in gdf.columns and "name" not in gdf.columns:
        gdf = gdf.rename(columns={"Name": "name"})
    return gdf


def _first_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def _points_from_table(frame: pd.DataFrame, name: str, crs: str | None):
    import geopandas as gpd
    from pyproj.exceptions import CRSError

    columns = {c.strip().lower(): c for c in frame.columns}
    lat = next((columns[c] for c in _LAT_NAMES if c in columns), None)
    lon = next((columns[c] for c in _LON_NAMES if c in columns), None)
    if lat is None or lon is None:
        raise ValidationError(
            "CSV has no latitude/longitude columns",
            file=name,
            field="lat" if lat is None else "lon",
            fix="name them lat and lon (or latitude/longitude, y/x)",
        )
    values = {}
    for column in (lat, lon):
        numbers = pd.to_numeric(frame[column].str.strip(), errors="coerce")
        bad = numbers.isna()
        if bad.any():
            i = int(bad.to_numpy().nonzero()[0][0])
            raise ValidationError(
                "coordinate is not a number",
                file=name,
                row=int(frame["_row"].iloc[i]),
                field=column,
                value=frame[column].iloc[i],
                fix="write decimal degrees, e.g. 42.96",
            )
        values[column] = numbers
    frame = frame.drop(columns=[lat, lon, "_row"])
    try:
        return gpd.GeoDataFrame(
            frame,
            geometry=gpd.points_from_xy(values[lon], values[lat]),
            crs=crs or WGS84,
        )
    except CRSError as exc:
        raise _unknown_crs(name, crs) from exc
