"""Crossing and facility layers: the bundled data, a user's file or frame, validated, in WGS84."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, TypeAlias

import pandas as pd

from bordermap import inputs
from bordermap.arguments import BOOL, FRAME, NONE, PATH, TEXT, check_argument, check_frame
from bordermap.model.points import check_feature_text, check_points

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = ["load_crossings", "load_facilities"]

Source: TypeAlias = str | os.PathLike[str] | pd.DataFrame | None


def _load(source: Source, bundled: str, kind: str, **options: Any) -> gpd.GeoDataFrame:
    """One path for files and frames: read in WGS84, then the layer checks."""
    check_argument("path", source, PATH, FRAME, NONE)
    check_argument("encoding", options.get("encoding"), TEXT, NONE)
    check_argument("representative_point", options.get("representative_point"), BOOL)
    if isinstance(source, pd.DataFrame):
        check_frame(source, "path")
        check_feature_text(source)  # before reading: a lone surrogate would stop Arrow
    if source is None:
        source, options["encoding"] = inputs.bundled_path(bundled), None
    return check_points(inputs.read_geodata(source, **options), kind=kind)


def load_crossings(
    path: Source = None,
    *,
    crs: str | None = None,
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
        CRS to assume for a file or GeoDataFrame that declares none.
    encoding : str, optional
        Text encoding of a CSV (default UTF-8; the error for another names it, e.g. cp949).
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
        encoding=encoding,
        representative_point=representative_point,
    )


def load_facilities(
    path: Source = None,
    *,
    crs: str | None = None,
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
        encoding=encoding,
        representative_point=representative_point,
    )
