"""GeoJSON as written: its structure checked before GDAL reads it, so a malformed file gets
a message that names the feature and the field (GDAL's would not)."""

from __future__ import annotations

import json
from pathlib import Path

from bordermap.errors import InputFileError, ValidationError, feature_label
from bordermap.inputs.encodings import decode_text

__all__ = ["check_geojson"]


_GEOJSON_TYPES = (
    "FeatureCollection",
    "Feature",
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
    "GeometryCollection",
)


def check_geojson(path: Path, encoding: str | None = None) -> str:
    """What GDAL passes over in silence: truncation, an unknown ``crs``, a broken Point.

    GDAL reads a GeoJSON whose ``crs`` names no known CRS as WGS84, and a Point with one
    coordinate as no geometry, each with at most a warning: here they are errors.
    Returns the encoding the text is in (``encoding``, else UTF-8: see
    :func:`bordermap.inputs.encodings.decode_bytes`).

    Examples
    --------
    >>> import json, pathlib, tempfile
    >>> bad = pathlib.Path(tempfile.mkdtemp()) / "one.geojson"
    >>> _ = bad.write_text(json.dumps({"type": "FeatureCollection", "features": [{"type":
    ...     "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [1]}}]}))
    >>> try:
    ...     check_geojson(bad)
    ... except ValidationError as error:
    ...     print(error.field)
    geometry
    """
    from pyproj import CRS
    from pyproj.exceptions import CRSError

    name = str(path)
    text, chosen = decode_text(path, encoding, resave="save the layer again as GeoJSON (UTF-8)")
    try:
        doc = json.loads(text)
    except RecursionError as exc:
        raise InputFileError(
            "JSON nested too deeply to read (over a thousand levels of [ or {)",
            file=name,
            fix="a GeoJSON needs a few levels: export the layer again",
        ) from exc
    except json.JSONDecodeError as exc:
        if exc.pos >= len(text.rstrip()) - 1:
            raise InputFileError(
                "GeoJSON ends before it is complete: the file is truncated",
                file=name,
                fix="export or download it again",
            ) from exc
        raise InputFileError(
            f"not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})",
            file=name,
            fix="check the file in a JSON validator, or export it again",
        ) from exc
    if not isinstance(doc, dict) or doc.get("type") not in _GEOJSON_TYPES:
        raise InputFileError(
            'not GeoJSON: no "type": "FeatureCollection" at the top',
            file=name,
            field="type",
            value=doc.get("type") if isinstance(doc, dict) else None,
            fix="export the layer as GeoJSON",
        )
    crs_member = doc.get("crs")
    crs_name = None
    if crs_member is not None:
        props = crs_member.get("properties") if isinstance(crs_member, dict) else None
        crs_name = props.get("name") if isinstance(props, dict) else None
        if not isinstance(crs_name, str):
            raise ValidationError(
                "the crs member names no coordinate reference system",
                file=name,
                field="crs",
                value=json.dumps(crs_member, ensure_ascii=False),
                fix="GeoJSON is WGS84: remove the crs member",
            )
    if crs_name is not None:
        try:
            CRS.from_user_input(crs_name)
        except CRSError as exc:
            raise ValidationError(
                "unknown coordinate reference system",
                file=name,
                field="crs",
                value=crs_name,
                fix="GeoJSON is WGS84: remove the crs member, or name a real one (EPSG:4326)",
            ) from exc
    features = doc.get("features") if doc["type"] == "FeatureCollection" else [doc]
    if not isinstance(features, list):
        raise InputFileError(
            "the FeatureCollection has no list of features",
            file=name,
            field="features",
            value=json.dumps(features, ensure_ascii=False),
            fix='write "features": [ … ] (an empty list for no features)',
        )
    # JSON writes a NUL as \u0000 (a raw one is invalid JSON): only then is every text walked.
    has_nul = "\\u0000" in text
    for i, feat in enumerate(features):
        if doc["type"] == "FeatureCollection" and not (
            isinstance(feat, dict) and feat.get("type") == "Feature"
        ):
            raise InputFileError(
                "not a GeoJSON Feature",
                file=name,
                row=feature_label(i),
                field="type",
                value=json.dumps(feat, ensure_ascii=False),
                fix='each item of "features" is {"type": "Feature", "geometry": …, '
                '"properties": …}',
            )
        if has_nul:
            _refuse_nul(feat, i, name)
        geometry = feat.get("geometry")
        if not isinstance(geometry, dict) or geometry.get("type") != "Point":
            continue
        coords = geometry.get("coordinates")
        if not (
            isinstance(coords, list)
            and len(coords) in (2, 3)
            and all(isinstance(c, (int, float)) and not isinstance(c, bool) for c in coords)
        ):
            props = feat.get("properties") or {}
            raise ValidationError(
                "invalid geometry: a Point needs two numbers, [lon, lat]",
                file=name,
                row=feature_label(i, props.get("id")),
                field="geometry",
                value=json.dumps(coords, ensure_ascii=False),
                fix="write the point as [longitude, latitude], e.g. [129.7, 42.96]",
            )
    return chosen


def _refuse_nul(feature: dict, i: int, name: str) -> None:
    """A NUL in a property's name or text: GDAL would silently cut the text there."""
    props = feature.get("properties")
    if not isinstance(props, dict):
        return
    for key, value in props.items():
        if "\x00" in key or (isinstance(value, str) and "\x00" in value):
            raise ValidationError(
                "a NUL character in the text (a reader would cut it there, hiding the rest)",
                file=name,
                row=feature_label(i, props.get("id")),
                field=key.replace("\x00", "\\0"),
                value=value,
                fix="remove the NUL (\\u0000) from the property",
            )


# Columns GDAL's LIBKML driver adds to every placemark; they carry no user data.
