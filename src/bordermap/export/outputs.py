"""Export maps: the HTML page (stable ids, metadata block, offline), print images and GeoJSON,
each written whole (:mod:`bordermap.export.writes`)."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from bordermap.arguments import (
    BINARY_FILE,
    BOOL,
    FRAME,
    MAP,
    NONE,
    PATH,
    TEXT,
    WHOLE,
    check_argument,
)
from bordermap.errors import ExportError, ValidationError
from bordermap.export.writes import atomic_write, atomic_write_all
from bordermap.render.inline import inline_assets, remote_tiles, walk_elements
from bordermap.safe import script_json

if TYPE_CHECKING:  # loaded on first use
    import folium
    import geopandas as gpd
    import pandas as pd
    from branca.element import Element

    from bordermap.model.audit import Audit
    from bordermap.spec import MapSpec

__all__ = [
    "images_bytes",
    "map_metadata",
    "save",
    "to_geojson",
    "to_html",
    "write_image",
]

_FOLIUM_ID = re.compile(r"[0-9a-f]{32}")  # branca's ids: 16 random bytes in hex


def _stable_ids(root: Element, page: str) -> str:
    """Replace folium's random element ids with numbers in tree order: same map, same bytes."""
    seen: dict[str, str] = {}
    for element in walk_elements(root):
        ident = getattr(element, "_id", None)
        if isinstance(ident, str) and ident not in seen:
            seen[ident] = f"{len(seen) + 1:04d}"
    if not seen:
        return page
    if all(_FOLIUM_ID.fullmatch(i) for i in seen):
        # One pass over the page: an alternation of 100,000 ids would take minutes.
        return _FOLIUM_ID.sub(lambda m: seen.get(m[0], m[0]), page)
    pattern = re.compile("|".join(re.escape(i) for i in seen))
    return pattern.sub(lambda m: seen[m[0]], page)


def _drew_basemap(m: folium.Map) -> bool:
    from bordermap.render.leaflet.backdrop import VectorBasemap

    return any(isinstance(child, VectorBasemap) for child in m._children.values())


def map_metadata(m: folium.Map) -> dict[str, Any]:
    """The metadata every export carries: version, event, sources cited, input files' SHA-256.

    It is the map description's metadata (:attr:`bordermap.spec.MapSpec.metadata`), with the
    basemap file when the page draws it. The HTML page holds it as JSON in
    ``#bordermap-metadata``; images in their own metadata (SVG ``<metadata>``, PDF info
    dictionary, PNG text chunk). A folium map not made by bordermap gets the generator alone.

    Examples
    --------
    >>> import bordermap
    >>> sorted(map_metadata(bordermap.crossing_map(bordermap.load_crossings(), tiles=None)))
    ['event', 'generator', 'inputs', 'lang', 'sources', 'version']
    """
    from bordermap.spec import metadata, with_basemap

    spec = getattr(m, "spec", None)
    if spec is None:
        return metadata(None, "", [], [])
    meta = dict(spec.metadata)
    return with_basemap(meta, spec.published) if _drew_basemap(m) else meta


def to_html(m: folium.Map, *, offline: bool = False) -> str:
    """Render a map to one HTML page with stable ids and a metadata block.

    Parameters
    ----------
    m : folium.Map
        From :func:`bordermap.crossing_map` (any folium Map works).
    offline : bool, default False
        Inline Leaflet and every script, stylesheet and image the page uses, so that it
        makes no network request. A map with a tile layer cannot be offline.

    Returns
    -------
    str

    Raises
    ------
    bordermap.errors.ExportError
        ``offline=True`` and the map needs the network (tiles, or an asset with no copy).

    Examples
    --------
    >>> import bordermap
    >>> m = bordermap.crossing_map(bordermap.load_crossings(), tiles=None)
    >>> page = to_html(m, offline=True)
    >>> "cdn.jsdelivr.net" in page, 'id="bordermap-metadata"' in page
    (False, True)
    """
    check_argument("m", m, MAP)
    check_argument("offline", offline, BOOL)
    root = m.get_root()
    tiles = remote_tiles(root) if offline else None
    if offline and (tiles or getattr(m, "has_tiles", False)):
        raise ExportError(
            "a map with a tile layer needs the network",
            field="offline",
            value=tiles,
            fix="build the map with tiles=None (folium.Map(tiles=None), "
            "GeoDataFrame.explore(tiles=None)) for an offline file",
        )
    page = m.render_page() if hasattr(m, "render_page") else root.render()
    page = _stable_ids(root, page)
    block = (
        '<script type="application/json" id="bordermap-metadata">'
        + script_json(map_metadata(m))
        + "</script>\n"
    )
    page = page.replace("</head>", block + "</head>", 1)
    if offline:
        page = inline_assets(page, root)
    return page


def save(
    m: folium.Map,
    path: str | os.PathLike[str] | BinaryIO,
    *,
    offline: bool = False,
    publish: bool = False,
) -> Path | BinaryIO:
    """Save a map as an HTML file, atomically.

    Parameters
    ----------
    m : folium.Map
        The map to save.
    path : path or binary file object
        The ``.html`` file to write (whole or not at all), or an open binary file
        (``open(name, "wb")``, ``io.BytesIO``) the page is written to as UTF-8; a text file
        object is an :class:`~bordermap.errors.ArgumentTypeError`.
    offline : bool, default False
        Inline every asset: the file opens with no network (see :func:`to_html`).
    publish : bool, default False
        Refuse a map not built with ``crossing_map(..., publish=True)``. The audit of what
        publication removed or moved is ``m.audit``; it is not in the file.

    Returns
    -------
    pathlib.Path or file object
        The written file.

    Examples
    --------
    >>> import bordermap, tempfile, pathlib, io
    >>> m = bordermap.crossing_map(bordermap.load_crossings(), tiles=None)
    >>> out = bordermap.save(m, pathlib.Path(tempfile.mkdtemp()) / "map.html", offline=True)
    >>> out.stat().st_size > 100_000
    True
    >>> bordermap.save(m, io.BytesIO()).getvalue()[:15]
    b'<!DOCTYPE html>'
    """
    check_argument("m", m, MAP)
    check_argument("path", path, PATH, BINARY_FILE)
    check_argument("offline", offline, BOOL)
    check_argument("publish", publish, BOOL)
    spec = getattr(m, "spec", None)
    if publish and not (spec is not None and spec.published):
        raise ExportError(
            "this map was not built for publication",
            file=str(path),
            field="publish",
            fix="build it with crossing_map(..., publish=True), then save it",
        )
    page = to_html(m, offline=offline)
    if not isinstance(path, str | os.PathLike):
        # A binary file object (already checked): the caller owns it, and its atomicity.
        try:
            path.write(page.encode("utf-8"))
        except (OSError, ValueError) as exc:
            raise ExportError(
                f"the file object cannot be written ({exc})",
                field="path",
                fix="pass an open binary file (open(name, 'wb')) or a path",
            ) from exc
        return path
    drawn_from = list(getattr(m, "input_files", []))
    return atomic_write_all({path: page}, inputs=drawn_from)[0]


def _json_value(value: object) -> object:
    """A table value as JSON: dates as ISO text, missing values as null, numpy as Python."""
    import math

    import pandas as pd

    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    if isinstance(value, Sequence) and not isinstance(value, str | bytes):
        return [_json_value(v) for v in value]  # lists, and join_estimates' EstimateRecords
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat() if value == value.normalize() else value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _layer_kind(layer: pd.DataFrame) -> str:
    columns = set(layer.columns)
    if columns & {"estimates", "label_en", "cn_pinyin", "kp_en"}:
        return "crossings"
    if columns & {"name_en", "country", "kind"}:
        return "facilities"
    raise ExportError(
        "cannot tell which kind of layer this is",
        field="kind",
        fix="pass kind='crossings' or kind='facilities'",
    )


def geojson_text(layer: gpd.GeoDataFrame) -> str:
    """A point layer as RFC 7946 GeoJSON text: WGS84 lon/lat, feature ids, no ``crs`` member.

    Examples
    --------
    >>> import bordermap
    >>> geojson_text(bordermap.load_crossings())[:30]
    '{"type": "FeatureCollection", '
    """
    from shapely.geometry import mapping

    # Written here, not by a library, because neither writes what this layer needs. GDAL's
    # GeoJSON writer (pyogrio.write_dataframe, RFC7946=YES) writes a joined layer's
    # ``estimates`` (a list of records) as one string of Python repr instead of a JSON array,
    # dates as "2023-12-07T00:00:00", adds a "name" member and, with ID_FIELD, takes ``id``
    # out of the properties. GeoDataFrame.to_json makes every feature id ``str(index)``
    # (an id of None becomes "None", a number becomes text), writes an empty geometry as
    # null, and cannot serialise dates, numpy scalars or EstimateRecords without the same
    # per-value conversion as ``_json_value``.
    if layer.crs is not None and layer.crs.to_epsg() != 4326:
        layer = layer.to_crs(4326)
    features = []
    for _, row in layer.iterrows():
        properties = {str(k): _json_value(v) for k, v in row.items() if k != layer.geometry.name}
        feature: dict[str, Any] = {"type": "Feature"}
        if properties.get("id") is not None:
            feature["id"] = properties["id"]
        geometry = row[layer.geometry.name]
        feature["geometry"] = None if geometry is None else mapping(geometry)
        feature["properties"] = properties
        features.append(feature)
    return json.dumps(
        {"type": "FeatureCollection", "features": features}, ensure_ascii=False, allow_nan=False
    )


def to_geojson(
    layer: gpd.GeoDataFrame,
    path: str | os.PathLike[str],
    *,
    publish: bool = True,
    kind: str | None = None,
    restricted: str = "generalise",
) -> Audit:
    """Write a crossings or facilities layer as GeoJSON (RFC 7946), atomically.

    For analysts who share layers: by default only what may be published is written
    (:func:`bordermap.prepare_for_publication`).

    Parameters
    ----------
    layer : geopandas.GeoDataFrame
        Crossings (bare or joined) or facilities.
    path : path
        The ``.geojson`` file to write.
    publish : bool, default True
        Keep only allow-listed fields and generalise or drop restricted features.
        False writes every column: the analyst's own copy, not for sharing.
    kind : {"crossings", "facilities"}, optional
        Which allow-list applies; by default told from the columns.
    restricted : {"generalise", "drop"}, default "generalise"
        What happens to restricted features.

    Returns
    -------
    bordermap.model.publish.Audit
        What was removed or moved (empty when ``publish=False``). It is not in the file.

    Examples
    --------
    >>> import bordermap, tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "facilities.geojson"
    >>> audit = bordermap.to_geojson(bordermap.load_facilities(), out)
    >>> audit.summary()
    'publish: 0 values removed, 0 locations generalised to city level, 0 features or rows left out'
    >>> bordermap.load_facilities(out)["id"].iloc[0]
    'shenyang-prison'
    """
    check_argument("layer", layer, FRAME)
    check_argument("path", path, PATH)
    check_argument("publish", publish, BOOL)
    check_argument("kind", kind, TEXT, NONE)
    from bordermap.model.publish import Audit, prepare_for_publication

    if not hasattr(layer, "geometry"):
        raise ExportError(
            "GeoJSON needs a layer with geometry",
            file=str(path),
            fix="join estimates to crossings first (bordermap.join_estimates)",
        )
    audit = Audit()
    if publish:
        layer, audit = prepare_for_publication(
            layer, kind=kind or _layer_kind(layer), restricted=restricted
        )
    atomic_write_all({path: geojson_text(layer)}, inputs=[layer.attrs.get("source_file")])
    return audit


def _spec_of(
    m_or_spec: folium.Map | MapSpec, lang: str | None = None
) -> tuple[MapSpec, dict[str, Any]]:
    """The description to print and its metadata: a spec's, or a map's that carries one."""
    from bordermap.spec import MapSpec, with_basemap

    spec = m_or_spec if isinstance(m_or_spec, MapSpec) else getattr(m_or_spec, "spec", None)
    if not isinstance(spec, MapSpec):
        raise ValidationError(
            "an image is drawn from a map's description",
            field="m_or_spec",
            value=type(m_or_spec).__name__,
            fix="give a map from crossing_map, its .spec, or a table from join_estimates",
        )
    if lang is not None and lang != spec.lang:
        raise ValidationError(
            f"the map was drawn in {spec.lang!r}",
            field="lang",
            value=lang,
            fix=f"build it with crossing_map(..., lang={lang!r}), or pass the joined table",
        )
    return spec, with_basemap(dict(spec.metadata), spec.published)


def images_bytes(
    m_or_spec: folium.Map | MapSpec,
    fmts: Sequence[str],
    *,
    dpi: int = 200,
    size: tuple[float, float] = (10.0, 7.0),
    north_arrow: bool = True,
) -> dict[str, bytes]:
    """One drawing of a crossing map (a map or its spec) written in each of several formats.

    Examples
    --------
    >>> import bordermap
    >>> m = bordermap.crossing_map(bordermap.load_crossings(), tiles=None)
    >>> sorted(images_bytes(m, ["png", "svg"]))
    ['png', 'svg']
    """
    from bordermap.render.image.draw import images_bytes as draw

    spec, meta = _spec_of(m_or_spec)
    return draw(spec, fmts, metadata=meta, dpi=dpi, size=size, north_arrow=north_arrow)


def write_image(
    m_or_spec: folium.Map | MapSpec,
    path: str | os.PathLike,
    *,
    dpi: int = 200,
    lang: str | None = None,
    size: tuple[float, float] = (10.0, 7.0),
    north_arrow: bool = True,
) -> Path:
    """Write a map's description (or a map that carries one) as a PNG, SVG or PDF file.

    :func:`bordermap.to_image` documents the parameters; it also takes a joined table.

    Examples
    --------
    >>> import bordermap, tempfile, pathlib
    >>> spec = bordermap.describe_crossings(bordermap.load_crossings())
    >>> write_image(spec, pathlib.Path(tempfile.mkdtemp()) / "map.pdf").suffix
    '.pdf'
    """
    check_argument("path", path, PATH)
    check_argument("dpi", dpi, WHOLE)
    check_argument("lang", lang, TEXT, NONE)
    from bordermap.render.image.draw import IMAGE_FORMATS
    from bordermap.render.image.draw import images_bytes as draw

    path = Path(path)
    fmt = IMAGE_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ExportError(
            "unknown image type",
            file=str(path),
            value=path.suffix,
            fix="name the file .png, .svg or .pdf",
        )
    spec, meta = _spec_of(m_or_spec, lang)
    data = draw(spec, [fmt], metadata=meta, dpi=dpi, size=size, north_arrow=north_arrow)[fmt]
    return atomic_write(path, data)
