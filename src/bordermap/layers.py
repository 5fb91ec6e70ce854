"""Crossing and facility layers: the bundled data or a user's file, validated, in WGS84."""

from __future__ import annotations

import os

from bordermap import io
from bordermap.validate import check_points

__all__ = ["load_crossings", "load_facilities"]


def load_crossings(
    path: str | os.PathLike | None = None, *, crs: str | None = None, encoding: str | None = None
):
    """Load border crossings as points in EPSG:4326.

    Parameters
    ----------
    path : path, optional
        Any file GDAL reads (GeoJSON, GeoPackage, KML, Shapefile …) or a CSV with lat/lon
        columns. Each feature needs an ``id``; names in ``label_en``, ``cn_pinyin``,
        ``kp_hangul`` … are used to match estimates. Default: the bundled
        ``data/crossings.geojson`` (the five crossings of 9 October 2023).
    crs : str, optional
        CRS to assume for a file that declares none.
    encoding : str, optional
        Text encoding of a CSV (default UTF-8; the error for another names it, e.g. cp949).

    Returns
    -------
    geopandas.GeoDataFrame
        One row per crossing.

    Raises
    ------
    bordermap.errors.InputFileError
        The file is missing, empty or not geodata.
    bordermap.errors.ValidationError
        A feature has no id, a duplicate id, no point, or a coordinate out of range.

    Examples
    --------
    >>> crossings = load_crossings()
    >>> sorted(crossings["id"])[:2]
    ['changbai-hyesan', 'dandong-sinuiju']
    """
    gdf = io.read_geodata(
        path or io.bundled_path("crossings.geojson"), crs=crs, encoding=encoding if path else None
    )
    return check_points(gdf, kind="crossing")


def load_facilities(
    path: str | os.PathLike | None = None, *, crs: str | None = None, encoding: str | None = None
):
    """Load detention and holding facilities as points in EPSG:4326.

    Parameters
    ----------
    path : path, optional
        As for :func:`load_crossings`. Features need ``id``; ``name_en``, ``country``
        (``CN``/``KP``), ``kind``, ``precision`` (``site``/``city``) and ``source`` are shown
        on the map when present. Default: the bundled ``data/facilities.geojson``.
    crs : str, optional
        CRS to assume for a file that declares none.
    encoding : str, optional
        As for :func:`load_crossings`.

    Returns
    -------
    geopandas.GeoDataFrame

    Examples
    --------
    >>> facilities = load_facilities()
    >>> sorted(facilities["country"].unique())
    ['CN', 'KP']
    """
    gdf = io.read_geodata(
        path or io.bundled_path("facilities.geojson"), crs=crs, encoding=encoding if path else None
    )
    return check_points(gdf, kind="facility")
