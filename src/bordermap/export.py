"""Write maps: stable ids, a metadata block, offline inlining of assets, atomic writes."""

from __future__ import annotations

import base64
import contextlib
import errno
import functools
import json
import mimetypes
import os
import re
import signal
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bordermap.errors import ExportError, ValidationError
from bordermap.safe import script_json

__all__ = [
    "atomic_write",
    "atomic_write_all",
    "check_outputs",
    "images_bytes",
    "map_metadata",
    "save",
    "to_geojson",
    "to_html",
    "to_image",
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


def _asset(url: str) -> Path:
    relative = _manifest().get(url)
    if relative is None:
        raise ExportError(
            "the map uses a script or stylesheet bordermap has no offline copy of",
            field="offline",
            value=url,
            fix="remove that plugin, or save without offline=True",
        )
    return _ASSETS / relative


def _inline_css(path: Path) -> str:
    css = path.read_text(encoding="utf-8")

    def data_uri(match: re.Match) -> str:
        target = (path.parent / match["path"]).resolve()
        if not target.is_file():
            return match[0]
        mime = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        encoded = base64.b64encode(target.read_bytes()).decode("ascii")
        return f"url(data:{mime};base64,{encoded})"

    return _CSS_URL.sub(data_uri, css)


def _inline_assets(page: str) -> str:
    def script(match: re.Match) -> str:
        code = _asset(match["url"]).read_text(encoding="utf-8")
        if "</script" in code.lower():
            raise ExportError("an asset cannot be inlined safely", value=match["url"])
        return f"<script>{code}</script>"

    def stylesheet(match: re.Match) -> str:
        return f"<style>{_inline_css(_asset(match['url']))}</style>"

    page = _SCRIPT_SRC.sub(script, page)
    page = _STYLESHEET.sub(stylesheet, page)
    remote = _REMOTE_ATTR.search(page)
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


def _drew_basemap(m: Any) -> bool:
    from bordermap.render.leaflet.basemap import VectorBasemap

    return any(isinstance(child, VectorBasemap) for child in m._children.values())


def map_metadata(m: Any) -> dict:
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
    from bordermap.panels import metadata, with_basemap

    spec = getattr(m, "spec", None)
    if spec is None:
        return metadata(None, None, [], [])
    meta = dict(spec.metadata)
    return with_basemap(meta, spec.published) if _drew_basemap(m) else meta


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
    if offline and getattr(m, "has_tiles", False):
        raise ExportError(
            "a map with a tile layer needs the network",
            field="offline",
            fix="build the map with tiles=None for an offline file",
        )
    root = m.get_root()
    page = m.render_page() if hasattr(m, "render_page") else root.render()
    page = _stable_ids(root, page)
    block = (
        '<script type="application/json" id="bordermap-metadata">'
        + script_json(map_metadata(m))
        + "</script>\n"
    )
    page = page.replace("</head>", block + "</head>", 1)
    if offline:
        page = _inline_assets(page)
    return page


def atomic_write(path: str | os.PathLike, data: bytes | str) -> Path:
    """Write a whole file or nothing: a temporary file beside it, then an atomic rename.

    A failed write leaves an existing file at ``path`` untouched and no temporary file
    behind; see :func:`atomic_write_all`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> atomic_write(target, "hello").read_text()
    'hello'
    """
    return atomic_write_all({path: data})[0]


def atomic_write_all(
    files: dict[str | os.PathLike, bytes | str], *, inputs: Sequence[str | os.PathLike] = ()
) -> list[Path]:
    """Write several finished files: all of them, or none.

    Every path is checked first (its folder exists; it is not a folder, a device or a pipe;
    no two outputs are one file; no output is one of ``inputs``). Each file is then written
    to a temporary file beside it, and only when every one is complete are they renamed
    into place. A failure, Ctrl-C or SIGTERM on the way removes the temporary files and
    leaves every existing file as it was; a write the system refuses (no permission, name
    too long, disk full) is an :class:`~bordermap.errors.ExportError` naming the file.

    Parameters
    ----------
    files : dict
        Path → content (text is written as UTF-8).
    inputs : sequence of paths, optional
        Files the outputs were made from: writing over one is an error.

    Returns
    -------
    list of pathlib.Path

    Raises
    ------
    bordermap.errors.ExportError

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> [p.name for p in atomic_write_all({folder / "a.txt": "a", folder / "b.txt": b"b"})]
    ['a.txt', 'b.txt']
    >>> atomic_write_all({folder / "a.txt": "x", f"{folder}/../{folder.name}/a.txt": "y"})
    Traceback (most recent call last):
    ...
    bordermap.errors.ExportError: .../a.txt: two outputs are one file; give each output its own name
    """
    paths = check_outputs(list(files), inputs)
    temporary: list[str] = []
    with _signals_clean_up():
        try:
            for path, data in zip(paths, files.values(), strict=True):
                temporary.append(_write_temporary(path, data))
            for path, part in zip(paths, temporary, strict=True):
                _os_step(os.replace, path, part, path)
        finally:
            for part in temporary:
                Path(part).unlink(missing_ok=True)
    return paths


def check_outputs(
    outputs: Sequence[str | os.PathLike], inputs: Sequence[str | os.PathLike] = ()
) -> list[Path]:
    """The output paths, checked before anything is written (see :func:`atomic_write_all`).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> (folder / "est.csv").write_text("event_date,crossing")
    19
    >>> [p.name for p in check_outputs([folder / "map.html"], inputs=[folder / "est.csv"])]
    ['map.html']
    >>> check_outputs([f"{folder}/../{folder.name}/est.csv"], inputs=[folder / "est.csv"])
    Traceback (most recent call last):
    ...
    bordermap.errors.ExportError: .../est.csv: is one of the input files (...); write ...
    """
    seen: dict[str, Path] = {}
    sources = {_identity(Path(p)): str(p) for p in inputs if p and not str(p).startswith("<")}
    checked = []
    for output in outputs:
        path = _writable(output)
        key = _identity(path)
        if key in sources:
            raise ExportError(
                f"is one of the input files ({sources[key]})",
                file=str(path),
                fix="write the output to another name: the input would be lost",
            )
        if key in seen:
            raise ExportError(
                "two outputs are one file", file=str(path), fix="give each output its own name"
            )
        seen[key] = path
        checked.append(path)
    return checked


def _identity(path: Path) -> str:
    """What makes two paths one file: device and inode when it exists, else the real path."""
    try:
        stat = path.stat()
    except OSError:
        return os.path.realpath(path)
    return f"{stat.st_dev}:{stat.st_ino}"


class _Terminated(SystemExit):
    """SIGTERM while writing: leave as ``kill`` meant, after the temporary files are gone."""


@contextlib.contextmanager
def _signals_clean_up():
    """Turn SIGTERM into an exception while files are written, so ``finally`` runs.

    Ctrl-C is already KeyboardInterrupt. Signal handlers can only be set from the main
    thread; elsewhere (a Jupyter worker thread) the default stays.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def terminate(signum, frame):
        raise _Terminated(128 + signum)

    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


# What the system says → what the user can do about it.
_OS_ERRORS = {
    errno.EACCES: ("no permission to write here", "choose a folder you can write to"),
    errno.EPERM: ("no permission to write here", "choose a folder you can write to"),
    errno.EROFS: ("the disk is read-only", "choose a folder on a writable disk"),
    errno.ENAMETOOLONG: ("the file name is too long", "use a shorter name (at most 255 bytes)"),
    errno.ENOSPC: ("the disk is full", "free some space or write to another disk"),
    errno.EDQUOT: ("the disk quota is used up", "free some space or write to another disk"),
    errno.EFBIG: ("the file is too large for this disk", "write to another disk"),
}


def _os_step(step, target: Path, *args):
    """Run one file-system step; the system's refusal becomes one line naming the file."""
    try:
        return step(*args)
    except OSError as exc:
        problem, fix = _OS_ERRORS.get(
            exc.errno, (f"cannot be written ({exc.strerror or exc})", "check the path")
        )
        raise ExportError(problem, file=str(target), fix=fix) from exc


def _write_temporary(path: Path, data: bytes | str) -> str:
    """The finished content in a temporary file beside ``path``; its name."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    # A short temporary name: the output's own name may be as long as the system allows.
    make = functools.partial(tempfile.mkstemp, ".part", ".bordermap-", str(path.parent))
    handle, temporary = _os_step(make, path)
    try:
        # mkstemp makes the file private (0600); give it the mode an ordinary write would.
        os.chmod(temporary, _mode_for(path))
        with os.fdopen(handle, "wb") as out:
            _os_step(out.write, path, data)
            _os_step(out.flush, path)
            _os_step(os.fsync, path, out.fileno())
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return temporary


def _writable(path: str | os.PathLike) -> Path:
    """The path, if a file can be written there: its folder exists and it is a file or new."""
    path = Path(path)
    try:
        name_max = os.pathconf(path.parent, "PC_NAME_MAX")
    except (OSError, ValueError):
        name_max = 255
    if len(os.fsencode(path.name)) > name_max:
        raise ExportError(
            *_OS_ERRORS[errno.ENAMETOOLONG][:1],
            file=str(path),
            fix=f"use a shorter name (at most {name_max} bytes)",
        )
    if not _os_step(path.parent.is_dir, path):
        raise ExportError("the folder does not exist", file=str(path), fix="create it first")
    if _os_step(path.is_dir, path):
        raise ExportError(
            "is a folder, not a file", file=str(path), fix="give a file name, e.g. map.html"
        )
    if _os_step(path.exists, path) and not path.is_file():
        raise ExportError(
            "is not an ordinary file (a device or a pipe)",
            file=str(path),
            fix="give the name of a file to write",
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
        publication removed or moved is ``m.audit``; it is not in the file.

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
    spec = getattr(m, "spec", None)
    if publish and not (spec is not None and spec.published):
        raise ExportError(
            "this map was not built for publication",
            file=str(path),
            field="publish",
            fix="build it with crossing_map(..., publish=True), then save it",
        )
    drawn_from = list(getattr(m, "input_files", []))
    return atomic_write_all({path: to_html(m, offline=offline)}, inputs=drawn_from)[0]


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
    atomic_write_all({path: geojson_text(layer)}, inputs=[layer.attrs.get("source_file")])
    return audit


def _spec_of(m_or_joined: Any, lang: str | None, facilities: Any):
    """The description to print and its metadata: a map's, a spec, or a joined table's."""
    from bordermap.describe import describe_crossings
    from bordermap.panels import with_basemap
    from bordermap.spec import MapSpec

    if isinstance(m_or_joined, MapSpec):
        spec = m_or_joined
    elif getattr(m_or_joined, "spec", None) is not None:
        spec = m_or_joined.spec
    elif hasattr(m_or_joined, "geometry"):
        spec = describe_crossings(m_or_joined, facilities, lang=lang or "en")
    else:
        raise ValidationError(
            "to_image needs a map from crossing_map, a MapSpec or a table from join_estimates",
            value=type(m_or_joined).__name__,
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
    m_or_spec: Any,
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

    spec, meta = _spec_of(m_or_spec, None, None)
    return draw(spec, fmts, metadata=meta, dpi=dpi, size=size, north_arrow=north_arrow)


def to_image(
    m_or_joined: Any,
    path: str | os.PathLike,
    *,
    dpi: int = 200,
    lang: str | None = None,
    size: tuple[float, float] = (10.0, 7.0),
    facilities: Any = None,
    north_arrow: bool = True,
) -> Path:
    """Write a print-ready image of the crossing map: PNG, SVG or PDF by the file's suffix.

    The image draws the map's description (:class:`bordermap.spec.MapSpec`) — the same
    points, circle sizes, labels, legend, title and credit as the page — plus a scale bar.
    SVG and PDF are vectors with their text kept as text; the same inputs give the same
    bytes. The file is written atomically.

    Parameters
    ----------
    m_or_joined : folium.Map, MapSpec or geopandas.GeoDataFrame
        A map from :func:`bordermap.crossing_map`, its ``spec``, or a table from
        :func:`bordermap.join_estimates` (described with ``describe_crossings`` first).
    path : path
        ``.png``, ``.svg`` or ``.pdf``.
    dpi : int, default 200
        Resolution of a PNG (pixels = ``size`` × ``dpi``).
    lang : {"en", "ko", "zh"}, optional
        Language of a table's labels; for a map it must match the map's language.
    size : (float, float), default (10, 7)
        Width and height in inches.
    facilities : geopandas.GeoDataFrame, optional
        Facilities to draw when ``m_or_joined`` is a table.
    north_arrow : bool, default True
        Draw a north arrow.

    Returns
    -------
    pathlib.Path
        The written file.

    Raises
    ------
    bordermap.errors.ExportError
        Unknown suffix, ``lang`` ko/zh without a CJK font, or the image could not be written.

    Examples
    --------
    >>> import bordermap, tempfile, pathlib
    >>> from bordermap.io import bundled_path
    >>> joined = bordermap.join_estimates(bordermap.load_crossings(),
    ...     bordermap.read_estimates(bundled_path("events/2023-10-09.csv")))
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "map.svg"
    >>> bordermap.to_image(joined, out, facilities=bordermap.load_facilities()).name
    'map.svg'
    """
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
    spec, meta = _spec_of(m_or_joined, lang, facilities)
    data = draw(spec, [fmt], metadata=meta, dpi=dpi, size=size, north_arrow=north_arrow)[fmt]
    return atomic_write(path, data)
