"""The offline vector basemap: Natural Earth land, boundaries and coast around the border."""

from __future__ import annotations

import os
from functools import lru_cache

from bordermap import io
from bordermap.errors import ValidationError, feature_label

__all__ = ["BASEMAP_KINDS", "basemap_source", "load_basemap"]

BASEMAP_KINDS = ("land", "boundary", "coast", "province")
BASEMAP_CREDIT = "Natural Earth (public domain)"
BASEMAP_FILE = "basemap/region.geojson"


def basemap_source() -> dict:
    """The bundled basemap file, as a map's metadata lists its inputs: name and SHA-256.

    Examples
    --------
    >>> basemap_source()["file"]
    'region.geojson'
    """
    return {"file": os.path.basename(BASEMAP_FILE), "sha256": io.bundled_sha256(BASEMAP_FILE)}


def load_basemap(path: str | os.PathLike | None = None):
    """Load the region's basemap as a GeoDataFrame in EPSG:4326.

    Parameters
    ----------
    path : path, optional
        A vector file with ``kind`` (``land``, ``boundary``, ``coast`` or ``province``),
        ``country`` and ``cn_kp`` columns. Default: the bundled ``data/basemap/region.geojson``,
        built from Natural Earth 1:10m by ``scripts/build_basemap.py``.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``kind``, ``country``, ``cn_kp`` (True for China and North Korea's land and
        for their common boundary) and ``geometry``.

    Raises
    ------
    bordermap.errors.ValidationError
        A feature has an unknown ``kind``.

    Examples
    --------
    >>> base = load_basemap()
    >>> base.loc[base["kind"].eq("boundary") & base["cn_kp"], "country"].tolist()
    ['China – North Korea']
    """
    if path is None:
        return _bundled().copy()  # read once per process; every image draws it
    return _read(path)


@lru_cache(maxsize=1)
def _bundled():
    return _read(io.bundled_path(BASEMAP_FILE))


def _read(source: str | os.PathLike):
    gdf = io.read_geodata(source)
    for column, default in (("kind", ""), ("country", ""), ("cn_kp", False)):
        if column not in gdf.columns:
            gdf[column] = default
    unknown = gdf.loc[~gdf["kind"].isin(BASEMAP_KINDS), "kind"]
    if len(unknown):
        raise ValidationError(
            "unknown basemap kind",
            file=str(source),
            row=feature_label(gdf.index.get_loc(unknown.index[0])),
            field="kind",
            value=unknown.iloc[0],
            fix=f"use one of {', '.join(BASEMAP_KINDS)}",
        )
    gdf["cn_kp"] = gdf["cn_kp"].fillna(False).astype(bool)
    return gdf[["kind", "country", "cn_kp", "geometry"]]
