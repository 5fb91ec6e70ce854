"""Tables from CSV, TSV and Excel files or DataFrames: cells as text, headers checked,
size and sheet limits checked before reading."""

from __future__ import annotations

import csv
import io
import os
import re
import zipfile
from pathlib import Path
from typing import Any

import pandas as pd

from bordermap.errors import InputFileError, ValidationError
from bordermap.inputs.columns import check_text_cells, distinct, taken
from bordermap.inputs.encodings import SEPARATOR_NAMES, decode_text, sniff_delimiter
from bordermap.inputs.files import (
    EXCEL_SUFFIXES,
    LIMITS,
    TEXT_SUFFIXES,
    existing_file,
    file_sha256,
    first_line,
)
from bordermap.inputs.hxl import HxlKind, apply_hxl, hashtag_row

__all__ = ["read_table"]


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
            f"a cell is longer than {csv.field_size_limit():,} characters ({first_line(exc)})",
            file=str(path),
            fix="a table's cells hold names and numbers: check that the file is the table",
        ) from exc


def _parse_text_table(path: Path, encoding: str | None) -> pd.DataFrame:
    text, used = decode_text(path, encoding)
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
                fix=f"put a cell that contains {SEPARATOR_NAMES[sep]} in double quotes "
                f'("a{sep} b")',
            ) from exc
        raise InputFileError(
            f"not a readable CSV table ({first_line(exc)})",
            file=str(path),
            fix="export the table again as CSV UTF-8",
        ) from exc
    table.attrs["encoding"] = used
    # pandas renames a repeated column ("figure", "figure.1"): keep the header as typed.
    table.attrs["header"] = next(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=sep), [])
    table.attrs["delimiter"] = sep
    return table


def read_table(
    source: str | os.PathLike | pd.DataFrame,
    *,
    sheet: str | int = 0,
    encoding: str | None = None,
    hxl: HxlKind | None = None,
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
    hxl : {"estimates", "points"}, optional
        A row of HXL hashtags under the header (``#date``, ``#loc+name`` …) is always taken
        out of the data (the rows after it keep their spreadsheet numbers); with ``hxl``,
        the columns whose hashtag bordermap knows for that kind of table are named by it
        (:data:`bordermap.inputs.hxl.HXL_COLUMNS`).

    Examples
    --------
    >>> from bordermap.inputs.files import bundled_path
    >>> table = read_table(bundled_path("events/2023-10-09.csv"))
    >>> int(table["_row"].iloc[0])
    2
    """
    if isinstance(source, pd.DataFrame):
        # Before the cells become text: bytes would print as b'…', a lone surrogate would
        # stop Arrow, a dict would print as its repr.
        for position, name in enumerate(source.columns):
            check_text_cells(
                source.iloc[:, position],
                str(name),
                lambda i: {"file": "<DataFrame>", "row": i + 2},
                numbers=True,
            )
        table = source.copy()
        table.columns = [str(c) for c in table.columns]
        table = pd.DataFrame(
            {name: _text_cells(column) for name, column in table.items()}, index=table.index
        )
        table.attrs["source_file"] = "<DataFrame>"
    else:
        path = existing_file(source)
        suffix = path.suffix.lower()
        if suffix in EXCEL_SUFFIXES:
            table = _read_excel(path, sheet)
        elif suffix in TEXT_SUFFIXES:
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
    first = 2
    tags = hashtag_row([str(c) for c in table.iloc[0]]) if len(table) else None
    if tags is not None:
        table, first = table.iloc[1:].reset_index(drop=True), 3
        if hxl is not None:
            table = apply_hxl(table, tags, hxl)
    table["_row"] = range(first, len(table) + first)
    for name in table.columns.drop("_row"):
        check_text_cells(
            table[name],
            name,
            lambda i: {"file": table.attrs.get("source_file"), "row": int(table["_row"].iloc[i])},
            numbers=True,
        )
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


def _text_cells(column: pd.Series) -> pd.Series:
    """A DataFrame column's cells as the text a spreadsheet shows; a blank cell is ""."""
    if pd.api.types.infer_dtype(column, skipna=True) in ("string", "empty"):
        return column.astype("str").fillna("")
    if column.dtype == object:
        # Mixed Python values: one at a time, since 1, 1.0 and True hash alike and a
        # factorisation would give all three the text of the first.
        return column.map(_cell_text).astype("str")
    codes, uniques = distinct(column)  # one dtype: each distinct value is written once
    texts = [_cell_text(u) for u in uniques]
    return taken(pd.Series(texts, dtype="str"), codes, column.index)


def _cell_text(value: object) -> str:
    if pd.api.types.is_scalar(value) and pd.isna(value):
        return ""
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
        "raise the limit (bordermap.inputs.input_limits(max_cells=…), command line --max-cells)",
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
            f"the workbook is damaged or truncated ({first_line(exc)})",
            file=str(path),
            fix="open it in Excel and save it again",
        ) from exc
    try:
        return _sheet_table(path, book, sheet)
    except damaged as exc:
        raise InputFileError(
            f"the workbook is damaged ({first_line(exc)})",
            file=str(path),
            fix="open it in Excel and save it again, or export the sheet as CSV UTF-8",
        ) from exc
    finally:
        book.close()


def _sheet_table(path: Path, book: Any, sheet: str | int) -> pd.DataFrame:
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
    rows: list[list] = []
    errors: list[tuple] = []
    cells = 0
    for cells_of_row in ws.iter_rows():
        row: list = []
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
        coordinate, at_row, column, value = errors[0]
        field = header[column] if at_row > 0 and column < len(header) and header[column] else None
        more = f" ({len(errors) - 1} more cells too)" if len(errors) > 1 else ""
        raise ValidationError(
            f"Excel shows an error in cell {coordinate} of sheet {ws.title!r}{more}",
            file=str(path),
            row=at_row + 1,
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
            f"not a readable Excel workbook ({first_line(exc)})",
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
