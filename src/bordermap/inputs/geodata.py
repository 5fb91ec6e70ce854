"""Read geodata from files or DataFrames and bring every CRS to WGS84, with the checks a
file gets for in-memory data too. The input side of bordermap is reached through here:
``bordermap.inputs.read_geodata``, ``read_table``, ``bundled_path`` and ``input_limits``."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import pandas as pd

from bordermap.errors import ValidationError

if TYPE_CHECKING:
    import geopandas as gpd
from bordermap.inputs.encodings import guess_cjk_encoding, sniff_delimiter
from bordermap.inputs.files import (
    EXCEL_SUFFIXES,
    LIMITS,
    TEXT_SUFFIXES,
    InputLimits,
    bundled_path,
    bundled_sha256,
    existing_file,
    file_sha256,
    input_limits,
)
from bordermap.inputs.formats import identify_geodata
from bordermap.inputs.tables import read_table
from bordermap.inputs.vectors import read_vector
from bordermap.inputs.wgs84 import CRS_FIX, WGS84, to_wgs84, topojson_crs, unknown_crs

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

_LAT_NAMES = ("lat", "latitude", "y")
_LON_NAMES = ("lon", "lng", "long", "longitude", "x")


def read_geodata(
    path: str | os.PathLike | pd.DataFrame,
    *,
    crs: str | None = None,
    layer: str | int | None = None,
    encoding: str | None = None,
    representative_point: bool = False,
) -> gpd.GeoDataFrame:
    """Read points from any GDAL vector file, a CSV with lat/lon columns or a frame, in WGS84.

    Parameters
    ----------
    path : path, GeoDataFrame or DataFrame
        GeoJSON, GeoPackage, KML, Shapefile, FlatGeobuf … or a CSV or workbook with latitude and
        longitude columns (``lat``/``latitude``/``y`` and ``lon``/``lng``/``longitude``/``x``);
        or the same in memory: a GeoDataFrame (its active geometry column, whatever it is
        called, becomes ``geometry``) or a DataFrame with lat/lon columns, read exactly as
        such a CSV is. A GeoDataFrame with no CRS is taken as WGS84 when every coordinate
        lies within ±180/±90, and is an error otherwise (set its CRS, or pass ``crs``).
    crs : str, optional
        CRS to assume when the file or GeoDataFrame declares none (a CSV always declares
        none: WGS84 is assumed for lat/lon columns).
    layer : str or int, optional
        Layer of a multi-layer file (a GeoPackage, a KML with folders): a file of several
        layers with geometry is an error listing them when none is chosen.
    encoding : str, optional
        Text encoding of a CSV, a Shapefile (plain or zipped), a KML or a GeoJSON. Without
        it: UTF-8, or what a Shapefile's ``.cpg`` (or DBF header) or a KML's XML declaration
        says when the bytes agree; otherwise an error naming the encoding the bytes look
        like (:func:`bordermap.inputs.encodings.decode_bytes`). GeoPackage, FlatGeobuf and
        GeoParquet hold UTF-8 by definition.
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
        No or an unknown CRS, one PROJ cannot turn into WGS84, several layers and none
        chosen, a malformed GeoJSON geometry, a coordinate that is not a number.

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
        gdf = to_wgs84(gdf, gdf.attrs.get("source_file", "<GeoDataFrame>"))
    if representative_point:
        gdf = gdf.set_geometry(gdf.geometry.representative_point())
    return gdf


def _geodata_from_file(
    path: str | os.PathLike, *, crs: str | None, layer: str | int | None, encoding: str | None
) -> gpd.GeoDataFrame:
    """A file's layer in its own CRS, with ``attrs`` naming the file and its SHA-256."""
    from pyproj.exceptions import CRSError

    path = existing_file(path)
    name = str(path)
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES or suffix in EXCEL_SUFFIXES:
        frame = read_table(path, encoding=encoding, hxl="points")
        gdf = _points_from_table(frame, name, crs)
    else:
        # Only a file whose bytes are the format its name says reaches GDAL (formats.py).
        fmt = identify_geodata(path, max_bytes=LIMITS.max_bytes)
        gdf = read_vector(path, fmt, layer=layer, encoding=encoding)
        if gdf.crs is None and crs is None and suffix == ".topojson":
            crs = topojson_crs(gdf, name)
        if gdf.crs is None:
            if crs is None:
                raise ValidationError(
                    "the file declares no coordinate reference system",
                    file=name,
                    field="crs",
                    fix=f"say which one its coordinates are in: {CRS_FIX} (a Shapefile keeps "
                    "it in its .prj file)",
                )
            try:
                gdf = gdf.set_crs(crs)
            except CRSError as exc:
                raise unknown_crs(name, crs) from exc
    if suffix in (".kml", ".kmz"):
        gdf = _tidy_kml(gdf)
    gdf.attrs["source_file"] = name
    gdf.attrs["sha256"] = file_sha256(path)
    return gdf


def _geodata_from_frame(frame: pd.DataFrame, crs: str | None) -> gpd.GeoDataFrame:
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
                raise unknown_crs(name, crs) from exc
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


def _tidy_kml(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
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


def _points_from_table(frame: pd.DataFrame, name: str, crs: str | None) -> gpd.GeoDataFrame:
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
        raise unknown_crs(name, crs) from exc
