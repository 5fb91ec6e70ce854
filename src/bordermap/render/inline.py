"""Inline a page's scripts, stylesheets, images and fonts from bordermap's vendored copies.

The vendored files and their addresses are listed in ``assets/manifest.json`` (see
``assets/README.md``). It lives with the renderers, not in :mod:`bordermap.export`, because a
map shown in Jupyter (``BordermapMap._repr_html_``) inlines its assets too, and renderers may
not depend on export.
"""

from __future__ import annotations

import base64
import functools
import html
import json
import mimetypes
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bordermap.errors import ExportError
from bordermap.safe import script_json

if TYPE_CHECKING:
    from branca.element import Element

__all__ = [
    "inline_assets",
    "manifest",
    "notebook_html",
    "remote_tiles",
    "walk_elements",
    "web_script",
]

_ASSETS = Path(__file__).resolve().parents[1] / "assets"
# bordermap's own page scripts (not vendored: linted and formatted with the code).
_WEB = Path(__file__).resolve().parent / "leaflet" / "web"
_SCRIPT_SRC = re.compile(r'<script\s+src="(?P<url>[^"]+)"\s*>\s*</script>')
_STYLESHEET = re.compile(r'<link\s+rel="stylesheet"\s+href="(?P<url>[^"]+)"\s*/?>')
_CSS_URL = re.compile(r"url\((?P<q>['\"]?)(?P<path>[^)'\"#][^)'\"]*)(?P=q)\)")
_REMOTE_ATTR = re.compile(
    r'<(?:script|link|img|iframe|source)\b[^>]*\b(?:src|href)="(https?:)?//', re.I
)


@functools.cache
def web_script(filename: str) -> str:
    """The text of one of bordermap's own page scripts (``render/leaflet/web/``), to inline.

    Examples
    --------
    >>> web_script("core.js").count("function bordermapDraw(")
    1
    """
    code = (_WEB / filename).read_text(encoding="utf-8")
    if "</script" in code.lower():  # never true of our files; checked as inlining does
        raise ValueError(f"web/{filename} cannot be inlined safely")
    return code


@functools.cache
def manifest() -> dict[str, str]:
    """Address a page loads → vendored file (``assets/manifest.json``)."""
    with open(_ASSETS / "manifest.json", encoding="utf-8") as handle:
        return json.load(handle)


def _asset(url: str, owner: str | None = None) -> Path:
    relative = manifest().get(url)
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
    """After Leaflet itself: its default marker images as data URIs (a JSON block and
    ``web/leaflet_icons.js``, which reads it).

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
    return (
        f'<script type="application/json">{script_json(urls)}</script>'
        f"<script>{web_script('leaflet_icons.js')}</script>"
    )


def asset_owners(root: Element) -> dict[str, str]:
    """Which element (plugin) of a map declares each script and stylesheet address."""
    owners: dict[str, str] = {}
    for element in walk_elements(root):
        for _, url in [*getattr(element, "default_js", []), *getattr(element, "default_css", [])]:
            owners.setdefault(url, type(element).__name__)
    return owners


def remote_tiles(root: Element) -> str | None:
    """The address of a tile layer that needs the network (MiniMap keeps its own), if any."""
    from folium.raster_layers import TileLayer

    for element in walk_elements(root):
        for layer in (element, getattr(element, "tile_layer", None)):
            if isinstance(layer, TileLayer) and re.match(r"(https?:)?//", layer.tiles or ""):
                return layer.tiles
    return None


def inline_assets(page: str, root: Element | None = None, *, strict: bool = True) -> str:
    """Replace each script and stylesheet link of a page by its vendored copy.

    ``root``: the map's root element, to name the plugin behind an address bordermap has no
    copy of.

    ``strict=False`` (a notebook) leaves a link bordermap has no copy of as it is, rather than
    show nothing: the rest of the map still works without the network.
    """
    owners = asset_owners(root) if root is not None else {}

    def script(match: re.Match) -> str:
        if not strict and match["url"] not in manifest():
            return match[0]
        path = _asset(match["url"], owners.get(match["url"]))
        code = path.read_text(encoding="utf-8")
        if "</script" in code.lower():
            raise ExportError("an asset cannot be inlined safely", value=match["url"])
        return f"<script>{code}</script>{_default_icon_urls(path)}"

    def stylesheet(match: re.Match) -> str:
        if not strict and match["url"] not in manifest():
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


def walk_elements(element: Element) -> Iterator[Element]:
    """Every element of a folium/branca tree, the root first."""
    yield element
    for child in list(element._children.values()):
        yield from walk_elements(child)


def notebook_html(m: Any) -> str:
    """A map as Jupyter shows it, carrying Leaflet and its plugins inline.

    The page in an ``<iframe srcdoc>`` as folium's own display puts it, but every script and
    stylesheet bordermap carries is inlined, so a notebook on a machine with no network
    still draws the map (tiles, which need the network, aside).

    Examples
    --------
    >>> import bordermap
    >>> shown = notebook_html(bordermap.crossing_map(bordermap.load_crossings(), tiles=None))
    >>> shown.startswith("<div") and "cdn.jsdelivr.net" not in shown
    True
    """
    root: Any = m.get_root()  # a branca Figure: width, height, ratio
    page = m.render_page() if hasattr(m, "render_page") else root.render()
    page = html.escape(inline_assets(page, root, strict=False))
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
