"""The offline vector basemap of the border region: Natural Earth land, boundaries and coast.

The data (``data/basemap/region.geojson``) is built by ``scripts/build_basemap.py`` from
Natural Earth (public domain); see ``data/basemap/README.md`` for its source and checksum.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import geopandas as gpd

from bordermap.errors import InputFileError
from bordermap.io import bundled_path, file_sha256

__all__ = [
    "BASEMAP_ATTRIBUTION",
    "BASEMAP_KINDS",
    "basemap_geojson",
    "basemap_source",
    "load_basemap",
]

BASEMAP_FILE = "basemap/region.geojson"
BASEMAP_KINDS = ("land", "boundary", "coast", "province")
BASEMAP_ATTRIBUTION = "Basemap: Natural Earth"
BASEMAP_URL = "https://www.naturalearthdata.com/"
_COLUMNS = ["kind", "country", "cn_kp", "geometry"]


def basemap_source(path: str | os.PathLike | None = None) -> dict:
    """The basemap file and its SHA-256, as export metadata lists input files.

    Examples
    --------
    >>> source = basemap_source()
    >>> Path(source["file"]).name, len(source["sha256"])
    ('region.geojson', 64)
    """
    source = _path(path)
    return {"file": str(source), "sha256": file_sha256(source) if source.exists() else None}


def _path(path: str | os.PathLike | None) -> Path:
    return Path(path) if path is not None else bundled_path(BASEMAP_FILE)


def basemap_geojson(path: str | os.PathLike | None = None) -> dict:
    """The basemap as a GeoJSON FeatureCollection (a dict), as the HTML map draws it.

    Parameters
    ----------
    path : path, optional
        A basemap GeoJSON file; by default the bundled region.

    Examples
    --------
    >>> data = basemap_geojson()
    >>> sorted({f["properties"]["kind"] for f in data["features"]})
    ['boundary', 'coast', 'land']
    """
    source = _path(path)
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputFileError(
            "cannot read the basemap", file=str(source), fix="run scripts/build_basemap.py"
        ) from exc
    if data.get("type") != "FeatureCollection":
        raise InputFileError(
            "the basemap is not a GeoJSON FeatureCollection",
            file=str(source),
            fix="run scripts/build_basemap.py",
        )
    return data


def load_basemap(path: str | os.PathLike | None = None) -> gpd.GeoDataFrame:
    """The offline basemap as a GeoDataFrame in EPSG:4326.

    Parameters
    ----------
    path : path, optional
        A basemap GeoJSON file; by default the bundled region (lon 118–134, lat 37–46).

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``kind`` (``land``: one polygon per country; ``boundary``: an international
        land boundary; ``coast``; ``province``, none in the bundled file: Natural Earth's
        province lines are not available from a public domain package), ``country`` (ISO
        alpha-2 code such as ``CN``; for a boundary the pair, ``CN-KP``), ``cn_kp`` (True for
        China's and North Korea's land and the China–North Korea boundary) and ``geometry``.

    Examples
    --------
    >>> base = load_basemap()
    >>> base.crs.to_epsg()
    4326
    >>> base[base["kind"] == "boundary"].loc[lambda d: d["cn_kp"], "country"].tolist()
    ['CN-KP']
    """
    data = basemap_geojson(path)
    frame = gpd.GeoDataFrame.from_features(data["features"], crs="EPSG:4326")
    for column in _COLUMNS[:-1]:
        if column not in frame.columns:
            frame[column] = False if column == "cn_kp" else ""
    frame["cn_kp"] = frame["cn_kp"].fillna(False).astype(bool)
    frame = frame[_COLUMNS]
    frame.attrs["source_file"] = str(_path(path))
    frame.attrs["sha256"] = file_sha256(_path(path))
    return frame
