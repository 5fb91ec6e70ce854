"""Read geodata and estimate tables from files or DataFrames; bring every CRS to WGS84."""

from __future__ import annotations

import hashlib
import os
import zipfile
from pathlib import Path

import pandas as pd

from bordermap.errors import InputFileError, ValidationError

__all__ = ["bundled_path", "file_sha256", "read_geodata", "read_table"]

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


def _existing(path: str | os.PathLike) -> Path:
    path = Path(path)
    if not path.exists():
        raise InputFileError("file not found", file=str(path), fix="check the path")
    if path.is_dir() and path.suffix.lower() != ".gdb":
        raise InputFileError("is a folder, not a file", file=str(path))
    if path.is_file() and path.stat().st_size == 0:
        raise InputFileError("file is empty", file=str(path))
    return path


def _read_text_table(path: Path, encoding: str | None) -> pd.DataFrame:
    sep = "\t" if path.suffix.lower() == ".tsv" else ","
    try:
        return pd.read_csv(
            path, sep=sep, dtype=str, keep_default_na=False, encoding=encoding or "utf-8-sig"
        )
    except UnicodeDecodeError as exc:
        raise InputFileError(
            f"text is not {encoding or 'UTF-8'} (byte {exc.start} cannot be decoded)",
            file=str(path),
            fix="save the file as UTF-8 CSV, or pass encoding='cp949' / 'gb18030'",
        ) from exc
    except pd.errors.EmptyDataError as exc:
        raise InputFileError("file has no header row", file=str(path)) from exc
    except pd.errors.ParserError as exc:
        raise InputFileError(
            f"not a readable CSV table ({str(exc).strip()})", file=str(path)
        ) from exc


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
        Text encoding of a CSV (default UTF-8, with or without BOM).

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
        table.attrs["source_file"] = str(path)
        table.attrs["sha256"] = file_sha256(path)
    table.columns = [str(c).strip().lower() for c in table.columns]
    table = table.reset_index(drop=True)
    table["_row"] = range(2, len(table) + 2)
    return table


def _cell_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10] if getattr(value, "hour", 0) == 0 else value.isoformat()
    return str(value)


def _read_excel(path: Path, sheet: str | int) -> pd.DataFrame:
    try:
        table = pd.read_excel(path, sheet_name=sheet, dtype=object)
    except ImportError as exc:
        raise InputFileError(
            "reading Excel needs openpyxl", file=str(path), fix="pip install openpyxl"
        ) from exc
    except (ValueError, KeyError, OSError, zipfile.BadZipFile) as exc:
        raise InputFileError(
            f"not a readable Excel workbook ({_first_line(exc)})", file=str(path)
        ) from exc
    table = table.astype(object).where(table.notna(), "")
    return table.map(lambda v: v if isinstance(v, str) else _cell_text(v))


def read_geodata(
    path: str | os.PathLike, *, crs: str | None = None, layer: str | int | None = None
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

    Returns
    -------
    geopandas.GeoDataFrame
        In EPSG:4326, with ``attrs['source_file']`` and ``attrs['sha256']`` set.

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
    if path.suffix.lower() in _TEXT_SUFFIXES:
        frame = _read_text_table(path, None)
        gdf = _points_from_table(frame, name, crs)
    else:
        try:
            gdf = gpd.read_file(path, layer=layer, engine="pyogrio")
        except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
            raise InputFileError(
                f"not a readable geodata file ({_first_line(exc)})",
                file=name,
                fix="use GeoJSON, GeoPackage, KML, Shapefile or a CSV with lat/lon",
            ) from exc
        except (pyogrio.errors.FieldError, pyogrio.errors.GeometryError) as exc:
            raise InputFileError(f"file is damaged ({_first_line(exc)})", file=name) from exc
        if gdf.crs is None:
            if crs is None:
                raise ValidationError(
                    "the file declares no coordinate reference system",
                    file=name,
                    fix="pass crs='EPSG:…' to say which one its coordinates are in",
                )
            try:
                gdf = gdf.set_crs(crs)
            except CRSError as exc:
                raise ValidationError("unknown CRS", file=name, value=crs) from exc
    if path.suffix.lower() in (".kml", ".kmz"):
        gdf = _tidy_kml(gdf)
    if gdf.crs is not None and not gdf.crs.equals(WGS84):
        gdf = gdf.to_crs(WGS84)
    gdf.attrs["source_file"] = name
    gdf.attrs["sha256"] = file_sha256(path)
    return gdf


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
                row=i + 2,
                field=column,
                value=frame[column].iloc[i],
            )
        values[column] = numbers
    frame = frame.drop(columns=[lat, lon])
    try:
        return gpd.GeoDataFrame(
            frame,
            geometry=gpd.points_from_xy(values[lon], values[lat]),
            crs=crs or WGS84,
        )
    except CRSError as exc:
        raise ValidationError("unknown CRS", file=name, value=crs) from exc
