"""Read geodata from files or DataFrames and bring every CRS to WGS84, with the checks a
file gets for in-memory data too. The input side of bordermap is reached through here:
``bordermap.inputs.read_geodata``, ``read_table``, ``bundled_path`` and ``input_limits``."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from bordermap.errors import InputFileError, ValidationError, feature_label
from bordermap.inputs.encodings import guess_cjk_encoding, sniff_delimiter
from bordermap.inputs.files import (
    EXPECTED_CONTENT,
    LIMITS,
    TEXT_SUFFIXES,
    InputLimits,
    bundled_path,
    bundled_sha256,
    existing_file,
    file_sha256,
    first_line,
    input_limits,
)
from bordermap.inputs.formats import identify_geodata, local_reading
from bordermap.inputs.geojson import check_geojson
from bordermap.inputs.tables import read_table

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

WGS84 = "EPSG:4326"
_LAT_NAMES = ("lat", "latitude", "y")
_LON_NAMES = ("lon", "lng", "long", "longitude", "x")


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

    path = existing_file(path)
    name = str(path)
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        frame = read_table(path, encoding=encoding, hxl="points")
        gdf = _points_from_table(frame, name, crs)
    else:
        # Only a file whose bytes are the format its name says reaches GDAL (formats.py).
        fmt = identify_geodata(path, max_bytes=LIMITS.max_bytes)
        if suffix in (".geojson", ".json"):
            check_geojson(path)
        # GeoJSON, GeoPackage and KML are UTF-8 by definition; a Shapefile's .dbf is not.
        dbf_encoding = encoding if suffix in (".shp", ".dbf", ".zip") else None
        try:
            if fmt.driver is None:
                gdf = _read_geoparquet(path)
            else:
                with local_reading():
                    # GDAL's Arrow stream (columns in bulk, not a Python object per feature)
                    # for the binary formats large point sets come in; the text formats keep
                    # the per-feature reader, whose handling of a broken geometry (NaN, one
                    # coordinate) is checked.
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
                    f"the file holds no readable layer (GDAL: {first_line(exc)})",
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
            known = suffix in EXPECTED_CONTENT
            raise InputFileError(
                ("the file is damaged or truncated" if known else "not a readable geodata file")
                + f" (GDAL: {first_line(exc)})",
                file=name,
                fix="export or download it again"
                if known
                else "use GeoJSON, GeoPackage, KML, Shapefile or a CSV with lat/lon",
            ) from exc
        except (pyogrio.errors.FieldError, pyogrio.errors.GeometryError) as exc:
            raise InputFileError(
                f"the file is damaged (GDAL: {first_line(exc)})",
                file=name,
                fix="export or download it again",
            ) from exc
        if gdf.crs is None and crs is None and suffix == ".topojson":
            crs = _topojson_crs(gdf, name)
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


def _topojson_crs(gdf, name: str) -> str:
    """TopoJSON has no CRS member: degrees are WGS84, anything else needs saying."""
    west, south, east, north = gdf.total_bounds
    if -180 <= west <= east <= 180 and -90 <= south <= north <= 90:
        return WGS84
    raise ValidationError(
        f"the TopoJSON's coordinates are not degrees (x {west:g} to {east:g}, y {south:g} to "
        f"{north:g}) and TopoJSON cannot say which CRS they are in",
        file=name,
        field="crs",
        fix="export it as GeoJSON or GeoPackage with its CRS, or in degrees (WGS84)",
    )


def _layer_names(path: Path) -> list[str]:
    import pyogrio

    with local_reading():
        return [str(row[0]) for row in pyogrio.list_layers(path)]


def _read_geoparquet(path: Path):
    """A GeoParquet file, read by pyarrow (GDAL here has no Parquet driver)."""
    import geopandas as gpd

    try:
        return gpd.read_parquet(path)
    except (ValueError, OSError) as exc:
        raise InputFileError(
            f"not a readable GeoParquet file ({first_line(exc)})",
            file=str(path),
            fix="export the layer as GeoParquet again, or as GeoPackage",
        ) from exc


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
