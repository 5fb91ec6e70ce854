"""Crossing and facility layers: the bundled data, a user's file or frame, validated, in WGS84."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, TypeAlias

import pandas as pd

from bordermap import inputs
from bordermap.arguments import BOOL, FRAME, NONE, PATH, TEXT, WHOLE, check_argument, check_frame
from bordermap.model.points import check_feature_text, check_points
from bordermap.model.schema import SCHEMAS, EntitySchema

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = ["full_field_names", "load_crossings", "load_facilities"]

Source: TypeAlias = str | os.PathLike[str] | pd.DataFrame | None
_ENTITY = {"crossing": "crossings", "facility": "facilities"}


def _load(source: Source, bundled: str, kind: str, **options: Any) -> gpd.GeoDataFrame:
    """One path for files and frames: read in WGS84, then the layer checks."""
    check_argument("path", source, PATH, FRAME, NONE)
    check_argument("encoding", options.get("encoding"), TEXT, NONE)
    check_argument("crs", options.get("crs"), TEXT, NONE)
    check_argument("layer", options.get("layer"), TEXT, WHOLE, NONE)
    check_argument("representative_point", options.get("representative_point"), BOOL)
    if isinstance(source, pd.DataFrame):
        check_frame(source, "path")
        check_feature_text(source)  # before reading: a lone surrogate would stop Arrow
    if source is None:
        source, options["encoding"], options["layer"] = inputs.bundled_path(bundled), None, None
    gdf = inputs.read_geodata(source, **options)
    return check_points(full_field_names(gdf, SCHEMAS[_ENTITY[kind]]), kind=kind)


def full_field_names(gdf: pd.DataFrame, schema: EntitySchema) -> pd.DataFrame:
    """The layer with the columns a Shapefile cut to 10 characters named in full again.

    A DBF keeps at most 10 characters of a field name (``precision_m`` becomes
    ``precision_``, ``coord_source`` ``coord_sour``): a column of 10 characters that begins
    exactly one of the entity's columns, whose full name is not there, takes it back.

    Examples
    --------
    >>> import pandas as pd
    >>> cut = pd.DataFrame({"id": ["a"], "precision_": [500], "coord_sour": ["osm"]})
    >>> list(full_field_names(cut, SCHEMAS["crossings"]).columns)
    ['id', 'precision_m', 'coord_source']
    """
    known = {*schema.columns, *schema.publishable, *schema.names, *schema.required}
    renames = {}
    for column in gdf.columns:
        if not isinstance(column, str) or len(column) != 10 or column in known:
            continue
        full = [k for k in known if k.startswith(column) and k not in gdf.columns]
        if len(full) == 1:
            renames[column] = full[0]
    return gdf.rename(columns=renames) if renames else gdf


def load_crossings(
    path: Source = None,
    *,
    crs: str | None = None,
    layer: str | int | None = None,
    encoding: str | None = None,
    representative_point: bool = False,
) -> gpd.GeoDataFrame:
    """Load border crossings as points in EPSG:4326.

    Parameters
    ----------
    path : path, GeoDataFrame or DataFrame, optional
        Any file GDAL reads (GeoJSON, GeoPackage, KML, Shapefile …) or a CSV with lat/lon
        columns; or a GeoDataFrame in any CRS (any geometry column name), or a DataFrame
        with lat/lon (latitude/longitude) columns — frames meet exactly the checks a file
        does (see :func:`bordermap.inputs.read_geodata`). Each feature needs an ``id``; ``name``,
        every ``name_*`` and ``label_*`` column, an ``alt_names`` column (several names
        separated by ``;``) and the bundled ``cn_pinyin``, ``kp_hangul`` … columns are
        spellings estimates may use. Default: the bundled ``data/crossings.geojson`` (the
        five crossings of 9 October 2023).
    crs : str, optional
        CRS to assume for a file or GeoDataFrame that declares none (command line ``--crs``).
    layer : str or int, optional
        The layer to read from a file of several (a GeoPackage, a KML with folders …): a
        file of several layers without it is an error that lists them (command line
        ``--crossings-layer``).
    encoding : str, optional
        Text encoding of a CSV, a Shapefile or a KML (default: UTF-8, or what a Shapefile's
        ``.cpg`` says when its bytes agree; the error for another names it, e.g. cp949).
    representative_point : bool, default False
        Place a line, polygon or multi-part feature at a point on it instead of refusing it.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per crossing.

    Raises
    ------
    bordermap.errors.InputFileError
        The file is missing, empty or not geodata.
    bordermap.errors.ValidationError
        A feature has no id, a duplicate id, no point, or a coordinate out of range; a
        GeoDataFrame without a CRS whose coordinates are not degrees.

    Examples
    --------
    >>> crossings = load_crossings()
    >>> sorted(crossings["id"])[:2]
    ['changbai-hyesan', 'dandong-sinuiju']
    >>> import pandas as pd
    >>> ports = pd.DataFrame({"id": ["san-ysidro"], "lat": [32.5433], "lon": [-117.0297]})
    >>> load_crossings(ports).geometry[0].y
    32.5433
    """
    return _load(
        path,
        "crossings.geojson",
        "crossing",
        crs=crs,
        layer=layer,
        encoding=encoding,
        representative_point=representative_point,
    )


def load_facilities(
    path: Source = None,
    *,
    crs: str | None = None,
    layer: str | int | None = None,
    encoding: str | None = None,
    representative_point: bool = False,
) -> gpd.GeoDataFrame:
    """Load detention and holding facilities as points in EPSG:4326.

    Parameters
    ----------
    path : path, GeoDataFrame or DataFrame, optional
        As for :func:`load_crossings`. Features need ``id``; ``name_en``, ``country``
        (``CN``/``KP``), ``kind``, ``precision`` (``site``/``city``) and ``source`` are shown
        on the map when present. Default: the bundled ``data/facilities.geojson``.
    crs : str, optional
        CRS to assume for a file or GeoDataFrame that declares none.
    layer : str or int, optional
        As for :func:`load_crossings` (command line ``--facilities-layer``).
    encoding : str, optional
        As for :func:`load_crossings`.
    representative_point : bool, default False
        As for :func:`load_crossings`: a prison drawn as its outline becomes a point in it.

    Returns
    -------
    geopandas.GeoDataFrame

    Examples
    --------
    >>> facilities = load_facilities()
    >>> sorted(facilities["country"].unique())
    ['CN', 'KP']
    """
    return _load(
        path,
        "facilities.geojson",
        "facility",
        crs=crs,
        layer=layer,
        encoding=encoding,
        representative_point=representative_point,
    )
