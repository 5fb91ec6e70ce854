"""Write maps: stable ids, a metadata block, offline inlining of assets, atomic writes."""

from __future__ import annotations

import base64
import functools
import html
import json
import mimetypes
import os
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path

from bordermap.errors import ExportError
from bordermap.safe import script_json

__all__ = [
    "atomic_write",
    "atomic_write_all",
    "map_metadata",
    "notebook_html",
    "save",
    "to_html",
]

_ASSETS = Path(__file__).resolve().parent / "assets"
_SCRIPT_SRC = re.compile(r'<script\s+src="(?P<url>[^"]+)"\s*>\s*</script>')
_STYLESHEET = re.compile(r'<link\s+rel="stylesheet"\s+href="(?P<url>[^"]+)"\s*/?>')
_CSS_URL = re.compile(r"url\((?P<q>['\"]?)(?P<path>[^)'\"#][^)'\"]*)(?P=q)\)")
_FOLIUM_ID = re.compile(r"[0-9a-f]{32}")  # branca's ids: 16 random bytes in hex
_REMOTE_ATTR = re.compile(
    r'<(?:script|link|img|iframe|source)\b[^>]*\b(?:src|href)="(https?:)?//', re.I
)


@functools.cache
def _manifest() -> dict[str, str]:
    with open(_ASSETS / "manifest.json", encoding="utf-8") as handle:
        return json.load(handle)


def _asset(url: str, owner: str | None = None) -> Path:
    relative = _manifest().get(url)
    if relative is None:
        who = f"the {owner} plugin" if owner else "a plugin"
        raise ExportError(
            f"{who} loads a script or stylesheet bordermap has no offline copy of",
            field="offline",
            value=url,
            fix=f"leave {who} out, or save without offline=True (offline copies: folium's own "
            "template, MarkerCluster, HeatMap, Fullscreen, MiniMap; see "
            "bordermap/assets/README.md)",
        )
    return _ASSETS / relative


# Fonts have no MIME type in Python's table on every system; browsers want one in data URIs.
_MIME = {".woff2": "font/woff2", ".woff": "font/woff", ".ttf": "font/ttf", ".svg": "image/svg+xml"}


def _inline_css(path: Path) -> str:
    css = path.read_text(encoding="utf-8")

    def data_uri(match: re.Match) -> str:
        if re.match(r"[a-z][a-z0-9+.-]*:|//", match["path"], re.I):
            return match[0]  # data: URIs stay; remote ones are caught by the page check
        target = (path.parent / re.split(r"[?#]", match["path"])[0]).resolve()
        if not target.is_file():
            # A font format no browser running Leaflet picks (.eot, .ttf after .woff2) is not
            # vendored: an empty URI keeps the page from asking the disk or network for it.
            return "url(data:,)"
        return f"url({_data_uri(target)})"

    return _CSS_URL.sub(data_uri, css)


def _data_uri(path: Path) -> str:
    mime = _MIME.get(path.suffix) or mimetypes.guess_type(path.name)[0]
    encoded = base64.b64encode(path.read_bytes()).decode("ascii")
    return f"data:{mime or 'application/octet-stream'};base64,{encoded}"


def _default_icon_urls(script: Path) -> str:
    """After Leaflet itself: its default marker images as data URIs.

    Leaflet finds its marker images from the folder its stylesheet was loaded from; inlined,
    there is no folder, and a plain ``folium.Marker`` would ask the disk for marker-icon.png.
    """
    images = script.parent / "images"
    if script.name != "leaflet.js" or not (images / "marker-icon.png").is_file():
        return ""
    urls = {
        key: _data_uri(images / name)
        for key, name in (
            ("iconUrl", "marker-icon.png"),
            ("iconRetinaUrl", "marker-icon-2x.png"),
            ("shadowUrl", "marker-shadow.png"),
        )
    }
    return f"\nL.Icon.Default.imagePath = '';\nL.Icon.Default.mergeOptions({json.dumps(urls)});"


def _asset_owners(root) -> dict[str, str]:
    """Which element (plugin) of a map declares each script and stylesheet address."""
    owners: dict[str, str] = {}
    for element in _walk(root):
        for _, url in [*getattr(element, "default_js", []), *getattr(element, "default_css", [])]:
            owners.setdefault(url, type(element).__name__)
    return owners


def _remote_tiles(root) -> str | None:
    """The address of a tile layer that needs the network (MiniMap keeps its own), if any."""
    from folium.raster_layers import TileLayer

    for element in _walk(root):
        for layer in (element, getattr(element, "tile_layer", None)):
            if isinstance(layer, TileLayer) and re.match(r"(https?:)?//", layer.tiles or ""):
                return layer.tiles
    return None


def _inline_assets(page: str, owners: dict[str, str] | None = None, *, strict: bool = True) -> str:
    """Replace each script and stylesheet link by its vendored copy.

    ``strict=False`` (a notebook) leaves a link bordermap has no copy of as it is, rather than
    show nothing: the rest of the map still works without the network.
    """
    owners = owners or {}

    def script(match: re.Match) -> str:
        if not strict and match["url"] not in _manifest():
            return match[0]
        path = _asset(match["url"], owners.get(match["url"]))
        code = path.read_text(encoding="utf-8")
        if "</script" in code.lower():
            raise ExportError("an asset cannot be inlined safely", value=match["url"])
        return f"<script>{code}{_default_icon_urls(path)}</script>"

    def stylesheet(match: re.Match) -> str:
        if not strict and match["url"] not in _manifest():
            return match[0]
        return f"<style>{_inline_css(_asset(match['url'], owners.get(match['url'])))}</style>"

    page = _SCRIPT_SRC.sub(script, page)
    page = _STYLESHEET.sub(stylesheet, page)
    remote = _REMOTE_ATTR.search(page) if strict else None
    if remote:
        raise ExportError(
            "the map still loads something from the network",
            field="offline",
            value=page[remote.start() : remote.start() + 120],
        )
    return page


def _walk(element):
    yield element
    for child in list(element._children.values()):
        yield from _walk(child)


def _stable_ids(root, page: str) -> str:
    """Replace folium's random element ids with numbers in tree order: same map, same bytes."""
    seen: dict[str, str] = {}
    for element in _walk(root):
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


def map_metadata(m) -> dict:
    """The metadata every export carries: version, event, sources cited, input files' SHA-256.

    The HTML page holds it as JSON in ``#bordermap-metadata``; images in their own metadata
    (SVG ``<metadata>``, PDF info dictionary, PNG text chunk).

    Examples
    --------
    >>> import bordermap
    >>> sorted(map_metadata(bordermap.crossing_map(bordermap.load_crossings(), tiles=None)))
    ['event', 'generator', 'inputs', 'lang', 'sources', 'version']
    """
    from bordermap import __version__

    info = dict(getattr(m, "_bordermap", {}))
    inputs = [
        {"file": os.path.basename(i["file"]) if i.get("file") else None, "sha256": i.get("sha256")}
        for i in info.get("inputs", [])
    ]
    return {
        "generator": "bordermap",
        "version": __version__,
        "event": info.get("event"),
        "lang": info.get("lang"),
        "sources": info.get("sources", []),
        "inputs": inputs,
    }


def to_html(m, *, offline: bool = False) -> str:
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
    root = m.get_root()
    tiles = _remote_tiles(root) if offline else None
    if offline and (tiles or getattr(m, "_bordermap", {}).get("has_tiles")):
        raise ExportError(
            "a map with a tile layer needs the network",
            field="offline",
            value=tiles,
            fix="build the map with tiles=None (folium.Map(tiles=None), "
            "GeoDataFrame.explore(tiles=None)) for an offline file",
        )
    return _page(m, inline="strict" if offline else None)


def _page(m, *, inline: str | None) -> str:
    """The page with stable ids and metadata; assets inlined ("strict", "lenient") or not."""
    root = m.get_root()
    page = m.render_page() if hasattr(m, "render_page") else root.render()
    page = _stable_ids(root, page)
    block = (
        '<script type="application/json" id="bordermap-metadata">'
        + script_json(map_metadata(m))
        + "</script>\n"
    )
    page = page.replace("</head>", block + "</head>", 1)
    if inline:
        page = _inline_assets(page, _asset_owners(root), strict=inline == "strict")
    return page


def notebook_html(m) -> str:
    """A map as Jupyter shows it, carrying Leaflet and its plugins inline.

    The page is the one :func:`to_html` writes, in an ``<iframe srcdoc>`` as folium's own
    display uses, but every script and stylesheet bordermap carries is inlined, so a notebook
    on a machine with no network still draws the map (tiles, which need the network, aside).

    Examples
    --------
    >>> import bordermap
    >>> shown = notebook_html(bordermap.crossing_map(bordermap.load_crossings(), tiles=None))
    >>> shown.startswith("<div") and "cdn.jsdelivr.net" not in shown
    True
    """
    page = html.escape(_page(m, inline="lenient"))
    root = m.get_root()
    if getattr(root, "height", None) is None:
        return (
            f'<div style="width:{root.width};"><div style="position:relative;width:100%;'
            f'height:0;padding-bottom:{root.ratio};"><iframe srcdoc="{page}" '
            'style="position:absolute;width:100%;height:100%;left:0;top:0;border:none;" '
            "allowfullscreen></iframe></div></div>"
        )
    return (
        f'<iframe srcdoc="{page}" width="{root.width}" height="{root.height}" '
        'style="border:none;" allowfullscreen></iframe>'
    )


def atomic_write(path: str | os.PathLike, data: bytes | str) -> Path:
    """Write a whole file or nothing: a temporary file beside it, then an atomic rename.

    A failed write leaves an existing file at ``path`` untouched.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> atomic_write(target, "hello").read_text()
    'hello'
    """
    path = _writable(path)
    if isinstance(data, str):
        data = data.encode("utf-8")
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        # mkstemp makes the file private (0600); give it the mode an ordinary write would.
        os.chmod(temporary, _mode_for(path))
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def atomic_write_all(files: dict[str | os.PathLike, bytes | str]) -> list[Path]:
    """Write several finished files, each atomically, after checking every folder exists.

    The content is made before this is called, so a failure to draw any of the files leaves
    every existing file untouched; a missing folder is found before the first write.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> [p.name for p in atomic_write_all({folder / "a.txt": "a", folder / "b.txt": b"b"})]
    ['a.txt', 'b.txt']
    """
    for path in files:
        _writable(path)
    return [atomic_write(path, data) for path, data in files.items()]


def _writable(path: str | os.PathLike) -> Path:
    """The path, if a file can be written there: its folder exists and it is not a folder."""
    path = Path(path)
    if not path.parent.is_dir():
        raise ExportError("the folder does not exist", file=str(path), fix="create it first")
    if path.is_dir():
        raise ExportError(
            "is a folder, not a file", file=str(path), fix="give a file name, e.g. map.html"
        )
    return path


def _mode_for(path: Path) -> int:
    if path.exists():
        return path.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def save(m, path: str | os.PathLike, *, offline: bool = False, publish: bool = False) -> Path:
    """Save a map as an HTML file, atomically.

    Parameters
    ----------
    m : folium.Map
        The map to save.
    path : path
        The ``.html`` file to write.
    offline : bool, default False
        Inline every asset: the file opens with no network (see :func:`to_html`).
    publish : bool, default False
        Refuse a map not built with ``crossing_map(..., publish=True)``. The audit of what
        publication removed or moved is ``m._bordermap_audit``; it is not in the file.

    Returns
    -------
    pathlib.Path
        The written file.

    Examples
    --------
    >>> import bordermap, tempfile, pathlib
    >>> m = bordermap.crossing_map(bordermap.load_crossings(), tiles=None)
    >>> out = bordermap.save(m, pathlib.Path(tempfile.mkdtemp()) / "map.html", offline=True)
    >>> out.stat().st_size > 100_000
    True
    """
    if publish and not getattr(m, "_bordermap", {}).get("published"):
        raise ExportError(
            "this map was not built for publication",
            file=str(path),
            field="publish",
            fix="build it with crossing_map(..., publish=True), then save it",
        )
    return atomic_write(path, to_html(m, offline=offline))


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


def _layer_kind(layer) -> str:
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


def geojson_text(layer) -> str:
    """A point layer as RFC 7946 GeoJSON text: WGS84 lon/lat, feature ids, no ``crs`` member.

    Examples
    --------
    >>> import bordermap
    >>> geojson_text(bordermap.load_crossings())[:30]
    '{"type": "FeatureCollection", '
    """
    from shapely.geometry import mapping

    if layer.crs is not None and layer.crs.to_epsg() != 4326:
        layer = layer.to_crs(4326)
    features = []
    for _, row in layer.iterrows():
        properties = {str(k): _json_value(v) for k, v in row.items() if k != layer.geometry.name}
        feature = {"type": "Feature"}
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
    layer,
    path: str | os.PathLike,
    *,
    publish: bool = True,
    kind: str | None = None,
    restricted: str = "generalise",
):
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
    bordermap.publish.Audit
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
    from bordermap.publish import Audit, prepare_for_publication

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
    atomic_write(path, geojson_text(layer))
    return audit
