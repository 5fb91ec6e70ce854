"""Text a GeoPackage holds that GDAL would not pass on whole.

SQLite keeps a NUL inside a text value; GDAL hands text on as C strings, so "Tumen\\0 hidden"
would reach the map as "Tumen" without a word. The feature table is read here first, with
Python's own SQLite, read-only and immutable (no journal, nothing written), for that one case.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bordermap.errors import InputFileError, ValidationError, feature_label

__all__ = ["check_gpkg_text"]


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def check_gpkg_text(path: Path, layer: str | int | None) -> None:
    """Raise at the first text cell of the layer that holds a NUL, naming feature and field.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> import geopandas as gpd
    >>> from shapely.geometry import Point
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "ok.gpkg"
    >>> gpd.GeoDataFrame({"id": ["a"]}, geometry=[Point(1, 2)], crs=4326).to_file(path)
    >>> check_gpkg_text(path, None)
    """
    uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1"
    try:
        with sqlite3.connect(uri, uri=True) as db:
            tables = [
                row[0]
                for row in db.execute(
                    "SELECT table_name FROM gpkg_contents WHERE data_type = 'features' "
                    "ORDER BY rowid"
                )
            ]
            if isinstance(layer, int):
                tables = tables[layer : layer + 1]
            elif layer is not None:
                tables = [t for t in tables if t == layer]
            for table in tables[:1]:
                _check_table(db, table, str(path))
    except sqlite3.DatabaseError as exc:
        raise InputFileError(
            f"the GeoPackage is damaged ({exc})", file=str(path), fix="export it again"
        ) from exc


def _check_table(db: sqlite3.Connection, table: str, name: str) -> None:
    columns = [row[1] for row in db.execute(f"PRAGMA table_info({_quoted(table)})")]
    for column in columns:
        found = db.execute(
            f"SELECT rowid, CAST({_quoted(column)} AS BLOB) FROM {_quoted(table)} "
            f"WHERE typeof({_quoted(column)}) = 'text' "
            f"AND instr(CAST({_quoted(column)} AS BLOB), x'00') > 0 LIMIT 1"
        ).fetchone()
        if found is not None:
            rowid, value = found
            position = db.execute(
                f"SELECT count(*) FROM {_quoted(table)} WHERE rowid < ?", (rowid,)
            ).fetchone()[0]
            raise ValidationError(
                "a NUL character in the text (a reader would cut it there, hiding the rest)",
                file=name,
                row=feature_label(int(position)),
                field=column,
                value=bytes(value).decode("utf-8", "replace"),
                fix="remove the NUL character from the value",
            )
