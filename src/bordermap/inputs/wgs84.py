"""Coordinate reference systems on the way to WGS84: a CRS is used only when PROJ can turn it
into longitude and latitude on Earth, and coordinates only when they can lie in the CRS they
declare."""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING

from bordermap.errors import ValidationError, feature_label

if TYPE_CHECKING:
    import geopandas as gpd
    from pyproj import CRS

__all__ = ["WGS84", "check_wgs84_reachable", "crs_label", "to_wgs84", "topojson_crs", "unknown_crs"]

WGS84 = "EPSG:4326"
#: What an error says to do when a file's CRS is missing or wrong: the API's and the CLI's way.
CRS_FIX = "crs='EPSG:…' (command line: --crs EPSG:…)"


def unknown_crs(name: str, crs: object) -> ValidationError:
    """The error for a CRS PROJ does not know, named as the user wrote it."""
    return ValidationError(
        "unknown coordinate reference system",
        file=name,
        field="crs",
        value=crs,
        fix="use an EPSG code such as 'EPSG:4326'",
    )


def crs_label(crs: CRS) -> str:
    """A CRS as a message names it: its authority code, else its name, else its PROJ string.

    Examples
    --------
    >>> from pyproj import CRS
    >>> crs_label(CRS("EPSG:32652")), crs_label(CRS("IAU_2015:49900"))
    ('EPSG:32652', 'IAU_2015:49900')
    """
    authority = crs.to_authority()
    if authority:
        return ":".join(authority)
    if crs.name and crs.name != "unknown":
        return crs.name
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "you will likely lose … information": it is a label
        return crs.to_proj4() or crs.to_string()


def check_wgs84_reachable(crs: CRS, name: str) -> None:
    """Raise unless PROJ has a transformation from ``crs`` to WGS84.

    Another celestial body's CRS (Mars, the Moon) or a local engineering CRS (a site grid in
    metres with no tie to the Earth) has none: pyproj would fail while converting, with a
    traceback, or — for some — return the coordinates unchanged.

    Examples
    --------
    >>> from pyproj import CRS
    >>> check_wgs84_reachable(CRS("EPSG:32652"), "sites.gpkg")
    >>> try:  # doctest: +ELLIPSIS
    ...     check_wgs84_reachable(CRS("IAU_2015:49900"), "sites.gpkg")
    ... except ValidationError as error:
    ...     print(error.problem)
    the coordinate reference system is not on Earth (Mars): it cannot become longitude and ...
    """
    import re

    from pyproj import CRS, Transformer
    from pyproj.exceptions import ProjError

    if crs.is_engineering:
        problem = (
            "the coordinate reference system is a local (engineering) one, not tied to the Earth"
        )
    else:
        try:
            Transformer.from_crs(crs, CRS(WGS84), always_xy=True)
            return
        except ProjError as exc:
            # PROJ names the body it infers from the ellipsoid ("Mars vs Earth").
            body = re.search(r"celestial body \(([^()]+?) vs Earth\)", str(exc))
            problem = (
                f"the coordinate reference system is not on Earth ({body.group(1)})"
                if body
                else "PROJ has no transformation from the coordinate reference system"
            )
    raise ValidationError(
        f"{problem}: it cannot become longitude and latitude (WGS84)",
        file=name,
        field="crs",
        value=crs_label(crs),
        fix="reproject the layer to EPSG:4326 in a GIS, or if its coordinates are really in "
        f"another CRS, give it: {CRS_FIX}",
    )


def to_wgs84(gdf: gpd.GeoDataFrame, name: str) -> gpd.GeoDataFrame:
    """The layer in WGS84; an error when its coordinates cannot be in the CRS it declares.

    Degrees in a file that says it is in metres (EPSG:3857, a UTM zone) put every point
    within 200 m of the projection's origin: off West Africa for Web Mercator. Points that
    project to somewhere outside the CRS's area of use are refused too.
    """
    import numpy as np

    crs = gdf.crs
    check_wgs84_reachable(crs, name)
    bounds = gdf.geometry.bounds.to_numpy(dtype=float)
    bounds = bounds[np.isfinite(bounds).all(axis=1)]
    out = gdf.to_crs(WGS84)
    if not len(bounds):
        return out
    declared = crs_label(crs)
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
            f"remove the crs member), or give {CRS_FIX}",
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
            fix=f"declare the CRS the coordinates are really in, or give {CRS_FIX}",
        )
    return out


def topojson_crs(gdf: gpd.GeoDataFrame, name: str) -> str:
    """TopoJSON has no CRS member: degrees are WGS84, anything else needs saying."""
    west, south, east, north = gdf.total_bounds
    if -180 <= west <= east <= 180 and -90 <= south <= north <= 90:
        return WGS84
    raise ValidationError(
        f"the TopoJSON's coordinates are not degrees (x {west:g} to {east:g}, y {south:g} to "
        f"{north:g}) and TopoJSON cannot say which CRS they are in",
        file=name,
        field="crs",
        fix=f"say which CRS they are in: {CRS_FIX}; or export the layer as GeoJSON or "
        "GeoPackage with its CRS",
    )
