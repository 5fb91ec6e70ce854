"""Read geodata and estimate tables from files or DataFrames; bring every CRS to WGS84."""

from __future__ import annotations

import contextlib
import csv
import functools
import hashlib
import io
import json
import os
import re
import stat
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from bordermap.errors import InputFileError, ValidationError, feature_label

__all__ = [
    "LIMITS",
    "InputLimits",
    "bundled_path",
    "file_sha256",
    "guess_cjk_encoding",
    "input_limits",
    "read_geodata",
    "read_table",
    "sniff_delimiter",
]

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
def input_limits(*, max_bytes: int | None = None, max_cells: int | None = None):
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


def _existing(path: str | os.PathLike) -> Path:
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
            fix="raise the limit (bordermap.io.input_limits(max_bytes=…), command line "
            "--max-input-mb) if the file is genuine",
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
        # Excel's "Unicode text": the byte-order mark says UTF-16, nothing is guessed.
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise InputFileError(
                "text starts as UTF-16 but is not (damaged or cut mid-character)",
                file=name,
                fix="save the file again as CSV UTF-8",
            ) from exc
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


@functools.cache
def _common_characters() -> dict[str, frozenset[str]]:
    """Hangul syllables and Han characters of everyday Korean and Chinese text (CLDR's
    locale data and the gazetteer: scripts/build_common_characters.py)."""
    with open(bundled_path("text/common_characters.json"), encoding="utf-8") as handle:
        document = json.load(handle)
    return {lang: frozenset(document[lang]) for lang in ("ko", "zh")}


def _common_share(text: str, lang: str) -> float | None:
    """The share of the text's non-ASCII letters that everyday text in ``lang`` uses."""
    letters = [c for c in text if ord(c) > 127 and unicodedata.category(c).startswith("L")]
    if not letters or re.search(r"[A-Za-z][^\x00-\x7f]+[A-Za-z]", text):
        return None
    common = _common_characters()[lang]
    return sum(c in common for c in letters) / len(letters)


def guess_cjk_encoding(data: bytes) -> str | None:
    """Name the East Asian Windows code page some non-UTF-8 bytes are in, if any.

    Excel on Korean Windows saves "CSV" in cp949, on Chinese Windows in GB18030. The two
    overlap byte for byte: Korean read as GB18030 gives real, common Han characters, and
    Chinese read as cp949 real Hangul syllables. What differs is which reading uses the
    characters of everyday text: the share of decoded letters among those CLDR's Korean
    and Chinese locale data use (:func:`_common_share`) decides. On a tie (a word or two),
    cp949 is taken when it gives Hangul with Korean's share of open syllables
    (``_reads_as_korean``), else GB18030 when it reads as Chinese. On 60 short Korean and
    Chinese texts this is right 58 times; charset-normalizer, 35 (it says cp949 for
    almost any short text). The error names both encodings.

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
    >>> guess_cjk_encoding("북한 강제북송 600명".encode("cp949"))
    'cp949'
    >>> guess_cjk_encoding("Médecins".encode("cp1252")) is None
    True
    """
    readings = {}
    for codec, lang in (("cp949", "ko"), ("gb18030", "zh")):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        share = _common_share(text, lang)
        if share is not None:
            readings[codec] = (share, text)
    if not readings:
        return None
    shares = sorted((share for share, _ in readings.values()), reverse=True)
    if len(shares) == 1 or shares[0] - shares[1] >= 0.01:
        best = max(readings, key=lambda codec: readings[codec][0])
        return best if readings[best][0] > 0 else None
    for codec, reads in (("cp949", _reads_as_korean), ("gb18030", _reads_as_chinese)):
        if codec in readings and reads(readings[codec][1]):
            return codec
    return None


def _reads_as_chinese(text: str) -> bool:
    return _plausible(text, _is_han)


_DELIMITERS = (",", ";", "\t")
_SEPARATOR_NAMES = {",": "a comma", ";": "a semicolon", "\t": "a tab"}


def sniff_delimiter(text: str, preferred: str = ",") -> str:
    r"""The cell separator of a delimited text table: ``,``, ``;`` (Excel in much of Europe)
    or a tab (Excel's "Unicode text").

    The one that splits the first 20 lines into the same number of cells, above one, most
    often wins (a title row above the header does not decide); a tie goes to ``preferred``.

    Examples
    --------
    >>> sniff_delimiter("event_date;crossing;figure\n2023-10-09;Onsong;3,5\n")
    ';'
    >>> sniff_delimiter("a\tb\n1\t2\n"), sniff_delimiter("a,b\n1,2\n")
    ('\t', ',')
    """
    lines = [line for line in text.lstrip("\ufeff").split("\n")[:20] if line.strip()]

    def score(delimiter: str) -> tuple[int, int]:
        counts = [len(row) for row in csv.reader(lines, delimiter=delimiter)]
        usable = [n for n in counts if n > 1]
        if not usable:
            return (0, 0)
        mode = max(set(usable), key=usable.count)
        return (usable.count(mode), mode)

    scores = {d: score(d) for d in _DELIMITERS}
    best = max(scores.values())
    return preferred if scores[preferred] == best else max(scores, key=scores.get)


def _check_size(path: Path, text: str, sep: str) -> None:
    """Before parsing: not too many cells, and the column names in the first row."""
    lines = text.lstrip("\ufeff").split("\n", 12)
    counts = [len(row) for row in csv.reader(lines[:12], delimiter=sep) if any(row)]
    if not counts:
        return
    widest = max(counts)
    rows = text.count("\n") + 1
    if rows * widest > LIMITS.max_cells:
        raise _too_many_cells(path, rows, widest, "the table has")
    usual = max(set(counts), key=counts.count)
    if counts[0] < usual:
        # A title above the header: pandas would take the title for the column names.
        row = next(
            i
            for i, line in enumerate(lines, 1)
            if len(next(csv.reader([line], delimiter=sep), [])) == usual
        )
        raise InputFileError(
            f"the column names seem to be in row {row}, below a title or a note",
            file=str(path),
            row=row,
            fix="delete the rows above the column names",
        )


def _read_text_table(path: Path, encoding: str | None) -> pd.DataFrame:
    try:
        return _parse_text_table(path, encoding)
    except csv.Error as exc:  # Python's csv module stops at cells over 128 KB
        raise InputFileError(
            f"a cell is longer than {csv.field_size_limit():,} characters ({_first_line(exc)})",
            file=str(path),
            fix="a table's cells hold names and numbers: check that the file is the table",
        ) from exc


def _parse_text_table(path: Path, encoding: str | None) -> pd.DataFrame:
    text, used = _decode(path, encoding)
    # Mac Excel's "CSV (Macintosh)" ends lines with CR alone.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    sep = sniff_delimiter(text, "\t" if path.suffix.lower() == ".tsv" else ",")
    _check_size(path, text, sep)
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
                fix=f"put a cell that contains {_SEPARATOR_NAMES[sep]} in double quotes "
                f'("a{sep} b")',
            ) from exc
        raise InputFileError(
            f"not a readable CSV table ({_first_line(exc)})",
            file=str(path),
            fix="export the table again as CSV UTF-8",
        ) from exc
    table.attrs["encoding"] = used
    # pandas renames a repeated column ("figure", "figure.1"): keep the header as typed.
    table.attrs["header"] = next(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=sep), [])
    table.attrs["delimiter"] = sep
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
        kept = {k: v for k, v in table.attrs.items() if k in ("encoding", "header", "delimiter")}
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


# What Excel shows in a cell whose formula failed; openpyxl gives them as text of type "e".
_EXCEL_ERROR_TYPE = "e"


def _too_many_cells(path: Path, rows: int, columns: int, what: str) -> InputFileError:
    return InputFileError(
        f"{what} {rows:,} rows × {columns:,} columns, more than the "
        f"{LIMITS.max_cells:,} cells bordermap reads",
        file=str(path),
        fix="delete the unused rows and columns (in Excel, Ctrl+End shows the last cell), or "
        "raise the limit (bordermap.io.input_limits(max_cells=…), command line --max-cells)",
    )


def _read_excel(path: Path, sheet: str | int) -> pd.DataFrame:
    if path.suffix.lower() == ".xls":
        return _read_old_excel(path, sheet)
    try:
        import openpyxl
    except ImportError as exc:
        raise InputFileError(
            "reading Excel needs openpyxl", file=str(path), fix="pip install openpyxl"
        ) from exc
    from xml.etree.ElementTree import ParseError

    damaged = (zipfile.BadZipFile, KeyError, OSError, ValueError, ParseError, EOFError)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except damaged as exc:
        raise InputFileError(
            f"the workbook is damaged or truncated ({_first_line(exc)})",
            file=str(path),
            fix="open it in Excel and save it again",
        ) from exc
    try:
        return _sheet_table(path, book, sheet)
    except damaged as exc:
        raise InputFileError(
            f"the workbook is damaged ({_first_line(exc)})",
            file=str(path),
            fix="open it in Excel and save it again, or export the sheet as CSV UTF-8",
        ) from exc
    finally:
        book.close()


def _sheet_table(path: Path, book, sheet: str | int) -> pd.DataFrame:
    """One sheet as text cells, its size checked before any row is read."""
    try:
        ws = book.worksheets[sheet] if isinstance(sheet, int) else book[sheet]
    except (IndexError, KeyError) as exc:
        raise ValidationError(
            "no such sheet in the workbook",
            file=str(path),
            field="sheet",
            value=sheet,
            fix=f"the sheets are: {', '.join(book.sheetnames)}",
        ) from exc
    # The sheet's declared dimension: what a workbook says it holds, before it is read.
    if ws.max_row and ws.max_column and ws.max_row * ws.max_column > LIMITS.max_cells:
        raise _too_many_cells(path, ws.max_row, ws.max_column, f"sheet {ws.title!r} declares")
    # Rows as stored: the declared dimension would pad every row to its width.
    ws.reset_dimensions()
    rows, errors, cells = [], [], 0
    for cells_of_row in ws.iter_rows():
        row = []
        for cell in cells_of_row:
            value = cell.value
            if getattr(cell, "data_type", None) == _EXCEL_ERROR_TYPE:
                errors.append((cell.coordinate, len(rows), len(row), value))
            row.append("" if value is None else value)
        cells += len(row)
        if cells > LIMITS.max_cells:  # a sheet without a dimension, or one that lies
            raise _too_many_cells(path, len(rows) + 1, len(row), f"sheet {ws.title!r} has over")
        rows.append(row)
    width = max((len(r) for r in rows), default=0)
    raw = pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=object)
    if raw.empty:
        return pd.DataFrame()
    header = [str(c) for c in raw.iloc[0]]
    if errors:
        coordinate, row, column, value = errors[0]
        field = header[column] if row > 0 and column < len(header) and header[column] else None
        more = f" ({len(errors) - 1} more cells too)" if len(errors) > 1 else ""
        raise ValidationError(
            f"Excel shows an error in cell {coordinate} of sheet {ws.title!r}{more}",
            file=str(path),
            row=row + 1,
            field=field,
            value=value,
            fix="correct the formula, or type the value itself",
        )
    return _with_header(raw)


def _read_old_excel(path: Path, sheet: str | int) -> pd.DataFrame:
    """An .xls workbook (Excel 97–2003) through pandas."""
    try:
        # No header, no NA guessing: cells come as typed ("N/A" is text, not empty), and a
        # repeated column name stays visible instead of being renamed "figure.1".
        raw = pd.read_excel(
            path, sheet_name=sheet, dtype=object, header=None, keep_default_na=False, na_values=[]
        )
    except ImportError as exc:
        raise InputFileError(
            "reading .xls needs xlrd", file=str(path), fix="pip install xlrd, or save as .xlsx"
        ) from exc
    except (ValueError, KeyError, OSError) as exc:
        raise InputFileError(
            f"not a readable Excel workbook ({_first_line(exc)})",
            file=str(path),
            fix="save it again as .xlsx, or export the sheet as CSV UTF-8",
        ) from exc
    return _with_header(raw.astype(object).where(raw.notna(), ""))


def _with_header(raw: pd.DataFrame) -> pd.DataFrame:
    """A sheet's cells as text, its first row the column names."""
    if raw.empty:
        return pd.DataFrame()
    raw = raw.map(lambda v: v if isinstance(v, str) else _cell_text(v))
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
    path: str | os.PathLike | pd.DataFrame,
    *,
    crs: str | None = None,
    layer: str | int | None = None,
    encoding: str | None = None,
    representative_point: bool = False,
):
    """Read points from any GDAL vector file, a CSV with lat/lon columns or a frame, in WGS84.

    Parameters
    ----------
    path : path, GeoDataFrame or DataFrame
        GeoJSON, GeoPackage, KML, Shapefile, FlatGeobuf … or a CSV with latitude and
        longitude columns (``lat``/``latitude``/``y`` and ``lon``/``lng``/``longitude``/``x``);
        or the same in memory: a GeoDataFrame (its active geometry column, whatever it is
        called, becomes ``geometry``) or a DataFrame with lat/lon columns, read exactly as
        such a CSV is. A GeoDataFrame with no CRS is taken as WGS84 when every coordinate
        lies within ±180/±90, and is an error otherwise (set its CRS, or pass ``crs``).
    crs : str, optional
        CRS to assume when the file or GeoDataFrame declares none (a CSV always declares
        none: WGS84 is assumed for lat/lon columns).
    layer : str or int, optional
        Layer of a multi-layer file.
    encoding : str, optional
        Text encoding of a CSV or of a Shapefile's attributes (default UTF-8; see
        :func:`read_table`). Ignored for GeoJSON, GeoPackage and KML, which are UTF-8.
    representative_point : bool, default False
        Replace each line, polygon or multi-part geometry by a point guaranteed to lie on
        it (shapely's ``representative_point``, computed in WGS84). Without it such
        geometries stay as they are, and the layer checks refuse them.

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
    >>> import pandas as pd
    >>> read_geodata(pd.DataFrame({"id": ["a"], "lat": [32.54], "lon": [-117.03]})).geometry[0].x
    -117.03
    """
    if isinstance(path, pd.DataFrame):
        gdf = _geodata_from_frame(path, crs)
    else:
        gdf = _geodata_from_file(path, crs=crs, layer=layer, encoding=encoding)
    if gdf.crs is not None and not gdf.crs.equals(WGS84):
        gdf = _to_wgs84(gdf, gdf.attrs.get("source_file", "<GeoDataFrame>"))
    if representative_point:
        gdf = gdf.set_geometry(gdf.geometry.representative_point())
    return gdf


def _geodata_from_file(
    path: str | os.PathLike, *, crs: str | None, layer: str | int | None, encoding: str | None
):
    """A file's layer in its own CRS, with ``attrs`` naming the file and its SHA-256."""
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
    gdf.attrs["source_file"] = name
    gdf.attrs["sha256"] = file_sha256(path)
    return gdf


def _geodata_from_frame(frame: pd.DataFrame, crs: str | None):
    """A (Geo)DataFrame as the file reader would give it: geometry in ``geometry``, a CRS.

    A frame with no active geometry is read as a CSV is (its cells as text, lat/lon
    columns), so it meets the same checks and messages.
    """
    from pyproj.exceptions import CRSError

    if not _has_geometry(frame):
        name = frame.attrs.get("source_file", "<DataFrame>")
        gdf = _points_from_table(read_table(pd.DataFrame(frame)), name, crs)
        gdf.attrs = {**frame.attrs, "source_file": name}
        return gdf
    name = frame.attrs.get("source_file", "<GeoDataFrame>")
    gdf = frame.copy()  # attrs (an event, its inputs' SHA-256) travel with the copy
    if gdf.geometry.name != "geometry":
        if "geometry" in gdf.columns:
            raise ValidationError(
                f"the geometry is in column {gdf.geometry.name!r}, and another column is "
                "called 'geometry'",
                file=name,
                field="geometry",
                fix="rename or drop the other 'geometry' column",
            )
        gdf = gdf.rename_geometry("geometry")
    if gdf.crs is None:
        if crs is not None:
            try:
                gdf = gdf.set_crs(crs)
            except CRSError as exc:
                raise _unknown_crs(name, crs) from exc
        elif (gdf.geometry.isna() | gdf.geometry.is_empty).all():
            gdf = gdf.set_crs(WGS84)  # nothing to place: the layer checks say so
        else:
            west, south, east, north = gdf.total_bounds
            if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
                raise ValidationError(
                    "the GeoDataFrame has no coordinate reference system and its "
                    f"coordinates are not degrees (x {west:g} to {east:g}, "
                    f"y {south:g} to {north:g})",
                    file=name,
                    field="crs",
                    fix="set the CRS its coordinates are in, e.g. gdf.set_crs('EPSG:3857'), "
                    "or pass crs='EPSG:…'",
                )
            gdf = gdf.set_crs(WGS84)
    gdf.attrs["source_file"] = name
    return gdf


def _has_geometry(frame: pd.DataFrame) -> bool:
    """Whether a frame is a GeoDataFrame with an active geometry column."""
    import geopandas as gpd

    if not isinstance(frame, gpd.GeoDataFrame):
        return False
    try:
        frame.geometry  # noqa: B018 - raises when no geometry column is active
    except AttributeError:
        return False
    return True


def _to_wgs84(gdf, name: str):
    """The layer in WGS84; an error when its coordinates cannot be in the CRS it declares.

    Degrees in a file that says it is in metres (EPSG:3857, a UTM zone) put every point
    within 200 m of the projection's origin: off West Africa for Web Mercator. Points that
    project to somewhere outside the CRS's area of use are refused too.
    """
    import numpy as np

    bounds = gdf.geometry.bounds.to_numpy(dtype=float)
    bounds = bounds[np.isfinite(bounds).all(axis=1)]
    crs = gdf.crs
    out = gdf.to_crs(WGS84)
    if not len(bounds):
        return out
    declared = crs.to_string()
    if (
        crs.is_projected
        and (np.abs(bounds[:, [0, 2]]) <= 180).all()
        and (np.abs(bounds[:, [1, 3]]) <= 90).all()
    ):
        raise ValidationError(
            "the coordinates look like degrees but the file declares a projected CRS in "
            "metres: every point would lie within 200 m of its origin",
            file=name,
            field="crs",
            value=declared,
            fix="declare the CRS the coordinates are in (EPSG:4326 for degrees; GeoJSON: "
            "remove the crs member), or pass crs=",
        )
    area = crs.area_of_use
    if area is None or area.west > area.east:  # none, or across the antimeridian
        return out
    box = out.geometry.bounds
    lon, lat = (box["minx"] + box["maxx"]) / 2, (box["miny"] + box["maxy"]) / 2
    # A margin: areas of use are drawn tightly around a country or a zone.
    margin = 5.0
    outside = ~(
        lon.between(area.west - margin, area.east + margin)
        & lat.between(area.south - margin, area.north + margin)
    )
    if outside.any():
        i = int(outside.to_numpy().nonzero()[0][0])
        raise ValidationError(
            f"the point lies outside the area {declared} is made for ({area.name})",
            file=name,
            row=feature_label(i, gdf["id"].iloc[i] if "id" in gdf.columns else None),
            field="crs",
            value=declared,
            fix="declare the CRS the coordinates are really in, or pass crs=",
        )
    return out


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
    except RecursionError as exc:
        raise InputFileError(
            "JSON nested too deeply to read (over a thousand levels of [ or {)",
            file=name,
            fix="a GeoJSON needs a few levels: export the layer again",
        ) from exc
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
    if "id2" in gdf.columns:
        # GDAL puts an ExtendedData "id" in "id2" when "id" is taken (by a placemark's id
        # attribute, or by another placemark's untyped Data): the ExtendedData one wins
        # where a placemark has it, the other elsewhere.
        given = gdf["id2"].notna() & (gdf["id2"].astype(str).str.strip() != "")
        gdf = gdf.assign(id=gdf["id2"].where(given, gdf["id"])).drop(columns=["id2"])
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
