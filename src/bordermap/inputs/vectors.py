"""Vector files read through GDAL (or pyarrow for GeoParquet): one layer, chosen or the only
one; within the limits; text decoded by one rule; GDAL's errors as bordermap's."""

from __future__ import annotations

import codecs
import re
from pathlib import Path
from typing import TYPE_CHECKING

from bordermap.errors import InputFileError, ValidationError
from bordermap.inputs.encodings import decode_bytes
from bordermap.inputs.files import EXPECTED_CONTENT, LIMITS, first_line
from bordermap.inputs.formats import GeodataFormat, local_reading
from bordermap.inputs.geojson import check_geojson
from bordermap.inputs.gpkg import check_gpkg_text
from bordermap.inputs.shapefile import (
    READ_AS_BYTES,
    check_shapefile_parts,
    declared_encoding,
    decode_attributes,
)

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = ["LAYER_OPTIONS", "choose_layer", "read_vector"]

# Formats read through pyogrio's Arrow path (pyarrow): GeoPackage and FlatGeobuf.
_ARROW_DRIVERS = ("GPKG", "FlatGeobuf")
# Formats that hold one layer by definition: nothing to choose.
_ONE_LAYER = ("GeoJSON", "FlatGeobuf", None)
# Binary formats whose feature count GDAL knows before reading (text ones are bounded by
# their size: GDAL parses them whole on opening).
_COUNTED = ("GPKG", "FlatGeobuf", "ESRI Shapefile", "OpenFileGDB", None)
#: How a layer is chosen, in the API and on the command line, for messages.
LAYER_OPTIONS = "layer='…' (command line: --crossings-layer, --facilities-layer or --cases-layer)"


def read_vector(
    path: Path, fmt: GeodataFormat, *, layer: str | int | None, encoding: str | None
) -> gpd.GeoDataFrame:
    """One layer of an identified geodata file, in its own CRS.

    Raises
    ------
    bordermap.errors.ValidationError
        The file holds several layers and none is chosen, or not the one chosen.
    bordermap.errors.InputFileError
        A Shapefile's part is missing; the text is not in the encoding given or declared;
        the layer holds more cells than :data:`bordermap.inputs.LIMITS` allows; GDAL cannot
        read the file.
    """
    import geopandas as gpd
    import pyogrio.errors

    name = str(path)
    source: Path | bytes = path
    shapefile = fmt.driver == "ESRI Shapefile"
    if shapefile:
        check_shapefile_parts(path)
    elif fmt.driver == "GeoJSON" and path.suffix.lower() != ".topojson":
        source = _as_utf8(path, check_geojson(path, encoding))
    elif fmt.driver == "KML":
        source = _kml_as_utf8(path, encoding)
    try:
        if fmt.driver is None:
            _check_size(path, fmt, layer)
            return _read_geoparquet(path)
        if fmt.driver not in _ONE_LAYER:
            layer = choose_layer(source, layer, name)
        _check_size(path, fmt, layer)
        if fmt.driver == "GPKG":
            check_gpkg_text(path, layer)
        with local_reading():
            # GDAL's Arrow stream (columns in bulk, not a Python object per feature) for the
            # binary formats large point sets come in; the text formats keep the per-feature
            # reader, whose handling of a broken geometry (NaN, one coordinate) is checked.
            gdf = gpd.read_file(
                source,
                layer=layer,
                engine="pyogrio",
                encoding=READ_AS_BYTES if shapefile else None,
                use_arrow=fmt.driver in _ARROW_DRIVERS,
            )
    except UnicodeDecodeError as exc:
        raise InputFileError(
            "attribute text is not UTF-8",
            file=name,
            fix="export the layer again with UTF-8 text",
        ) from exc
    except pyogrio.errors.DataLayerError as exc:
        raise InputFileError(
            f"the file holds no readable layer (GDAL: {first_line(exc)})",
            file=name,
            # A .prj GDAL cannot read stops the whole layer ("missing CONVERSION node").
            fix="export the layer again"
            + (", or remove its .prj and give its CRS with crs= (--crs)" if shapefile else ""),
        ) from exc
    except pyogrio.errors.DataSourceError as exc:
        known = path.suffix.lower() in EXPECTED_CONTENT
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
    if shapefile:
        gdf = decode_attributes(gdf, name, encoding, declared_encoding(path, layer))
    return gdf


def choose_layer(source: Path | bytes, layer: str | int | None, name: str) -> str | int | None:
    """The layer to read: the one asked for (which must exist), else the only one with
    geometry; an error listing them when there are several.

    A GeoPackage from QGIS holds its styles as a table without geometry beside the layer:
    that one does not count, and is never read in its place.

    Examples
    --------
    >>> import geopandas as gpd, shapely, pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "two.gpkg"
    >>> for name in ("crossings", "draft"):
    ...     points = gpd.GeoDataFrame(geometry=[shapely.Point(129.7, 42.96)], crs=4326)
    ...     points.to_file(path, layer=name)
    >>> try:
    ...     choose_layer(path, None, "two.gpkg")
    ... except ValidationError as error:
    ...     print(error.problem)
    the file holds 2 layers ('crossings', 'draft') and none is chosen
    >>> choose_layer(path, "draft", "two.gpkg")
    'draft'
    """
    import pyogrio

    with local_reading():
        rows = pyogrio.list_layers(source)
    names = [str(row[0]) for row in rows]
    spatial = [str(row[0]) for row in rows if row[1] is not None]
    listed = ", ".join(repr(n) for n in (spatial or names))
    if layer is not None:
        known = layer in names if isinstance(layer, str) else 0 <= layer < len(names)
        if not known:
            raise ValidationError(
                "no such layer in the file",
                file=name,
                field="layer",
                value=layer,
                fix=f"the layers are: {', '.join(names)}",
            )
        # A file's layer by its name: a zip's Shapefiles are matched to their .cpg by it.
        return names[layer] if isinstance(layer, int) and isinstance(source, Path) else layer
    if len(spatial) > 1:
        raise ValidationError(
            f"the file holds {len(spatial)} layers ({listed}) and none is chosen",
            file=name,
            field="layer",
            fix=f"choose one with {LAYER_OPTIONS.replace('…', spatial[0], 1)}",
        )
    if not spatial:
        return None
    # By index for a text file handed to GDAL from memory: its layers are named after the
    # memory file, which the next opening names anew.
    return spatial[0] if isinstance(source, Path) else names.index(spatial[0])


def _check_size(path: Path, fmt: GeodataFormat, layer: str | int | None) -> None:
    """Refuse a layer of more cells (features × fields) than the limit, before reading it."""
    if fmt.driver not in _COUNTED:
        return
    if fmt.driver is None:
        import pyarrow.parquet

        try:
            meta = pyarrow.parquet.ParquetFile(path).metadata
        except (OSError, ValueError):
            return  # the reader says what is wrong
        features, fields = meta.num_rows, meta.num_columns
    else:
        import pyogrio
        import pyogrio.errors

        try:
            with local_reading():
                info = pyogrio.read_info(path, layer=layer)
        except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError):
            return  # the reader says what is wrong
        features, fields = int(info["features"]), len(info["fields"]) + 1
    if features > 0 and features * fields > LIMITS.max_cells:
        raise InputFileError(
            f"the layer has {features:,} features × {fields} fields, more than "
            f"{LIMITS.max_cells:,} cells",
            file=str(path),
            fix="raise the limit (bordermap.inputs.input_limits(max_cells=…), command line "
            "--max-cells) if the file is genuine",
        )


def _as_utf8(path: Path, encoding: str) -> Path | bytes:
    """The file itself when it is UTF-8, else its text re-encoded as UTF-8 in memory."""
    if codecs.lookup(encoding).name == "utf-8" or encoding == "utf-8-sig":
        return path
    return path.read_bytes().decode(encoding).encode("utf-8")


_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")


def _kml_as_utf8(path: Path, encoding: str | None) -> Path | bytes:
    """A KML's text by the encoding rule (the user's; its XML declaration's when the bytes
    agree; UTF-8), handed to GDAL as UTF-8."""
    data = path.read_bytes()
    found = _XML_ENCODING.match(data)
    declared = (found.group(1).decode("ascii"), "its XML declaration") if found else None
    text, chosen = decode_bytes(
        data,
        encoding,
        file=str(path),
        declared=declared,
        row_of=lambda at: f"line {_line_of(data, at)}",
        resave="save it again as KML (UTF-8)",
    )
    if codecs.lookup(chosen).name == "utf-8":
        return path
    # The declaration now says what the bytes are: UTF-8.
    text = re.sub(r"""^(\s*<\?xml[^>]*?encoding\s*=\s*["'])[^"']+""", r"\1UTF-8", text)
    return text.encode("utf-8")


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _read_geoparquet(path: Path) -> gpd.GeoDataFrame:
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
