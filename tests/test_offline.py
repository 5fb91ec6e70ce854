"""Any folium map saved offline, and maps shown in Jupyter, open with no network at all."""

from __future__ import annotations

import html
import re
from pathlib import Path

import folium
import folium.plugins
import pandas as pd
import pytest

import bordermap
from bordermap import ExportError

from .label_checks import after_zooming_in, label_overlaps

# A 1×1 transparent PNG: a tile layer that needs no network, for the MiniMap's own layer.
BLANK_TILE = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAA"
    "jCB0C8AAAAASUVORK5CYII="
)


def _open(browser, path: Path, wait: str = ".leaflet-container"):
    """Open a page and record every request it makes besides itself, and every error."""
    context = browser.new_context(viewport={"width": 1000, "height": 700})
    page = context.new_page()
    requests: list[str] = []
    errors: list[str] = []
    page_url = path.resolve().as_uri()
    page.on(
        "request",
        lambda r: requests.append(r.url) if not r.url.startswith(("data:", page_url)) else None,
    )
    context.route(lambda url: not url.startswith(("file:", "data:")), lambda r: r.abort())
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(page_url)
    page.wait_for_load_state("load")
    page.wait_for_selector(wait, state="attached", timeout=5000)
    return context, page, requests, errors


def _markers(m):
    folium.Marker([32.54, -117.03], tooltip="San Ysidro").add_to(m)
    folium.Marker([31.75, -106.49], icon=folium.Icon(icon="info-sign")).add_to(m)  # glyphicon
    folium.Marker([31.33, -110.97], icon=folium.Icon(prefix="fa", icon="car", angle=45)).add_to(m)
    return m


def _default_map():
    return _markers(folium.Map(location=[32, -110], zoom_start=5, tiles=None))


def _with(plugin):
    def make():
        m = folium.Map(location=[32, -110], zoom_start=5, tiles=None)
        plugin().add_to(m)
        return _markers(m)

    return make


def _cluster():
    # MarkerCluster needs a maxZoom, which a tile layer would otherwise give.
    m = folium.Map(location=[32, -110], zoom_start=4, tiles=None, maxZoom=18)
    cluster = folium.plugins.MarkerCluster().add_to(m)
    for lat, lon in [(32.54, -117.03), (32.55, -117.02), (31.75, -106.49)]:
        folium.Marker([lat, lon]).add_to(cluster)
    return m


def _explore():
    crossings = bordermap.load_crossings(Path(__file__).parent / "data/us_mexico/crossings.geojson")
    return crossings.explore(column="precision", categorical=True, tiles=None, legend=True)


def _case_layer():
    m = folium.Map(location=[42, 128], zoom_start=6, tiles=None)
    records = pd.DataFrame({"lat": [42.1, 42.2], "lon": [128.1, 128.3], "kind": ["a", "b"]})
    bordermap.case_layer(records, category="kind").add_to(m)
    return m


CASES = {
    "folium-default-template": (_default_map, ".awesome-marker"),
    "explore-categorical-legend": (_explore, ".maplegend"),
    "case-layer-on-folium-map": (_case_layer, ".leaflet-container"),
    "MarkerCluster": (_cluster, ".marker-cluster"),
    "HeatMap": (_with(lambda: folium.plugins.HeatMap([[32.5, -117.0, 1.0]])), "canvas"),
    "Fullscreen": (_with(folium.plugins.Fullscreen), ".leaflet-control-zoom-fullscreen"),
    "MiniMap": (
        _with(
            lambda: folium.plugins.MiniMap(tile_layer=folium.TileLayer(BLANK_TILE, attr="blank"))
        ),
        ".leaflet-control-minimap",
    ),
}


@pytest.mark.browser
@pytest.mark.parametrize("case", list(CASES))
def test_folium_maps_save_offline_and_open_with_no_request(browser, tmp_path, case):
    make, selector = CASES[case]
    path = bordermap.save(make(), tmp_path / f"{case}.html", offline=True)
    assert not re.search(r'<(script|link)[^>]+(src|href)="https?://', path.read_text("utf-8"))
    context, page, requests, errors = _open(browser, path, selector)
    try:
        assert requests == [] and errors == []
        assert page.locator(selector).count() >= 1
        if case == "folium-default-template":
            # The icon fonts came from the page itself: Font Awesome and the glyphicons drew.
            page.wait_for_function("document.fonts.status === 'loaded'")
            loaded = page.evaluate(
                "[...document.fonts].filter(f => f.status === 'loaded').map(f => f.family)"
            )
            assert {"Font Awesome 6 Free", "Glyphicons Halflings"} <= set(loaded)
    finally:
        context.close()


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda: folium.plugins.Draw().add_to(folium.Map(tiles=None)),
            r"the Draw plugin loads .* no offline copy of \(got "
            r"'https://cdnjs\.cloudflare\.com/ajax/libs/leaflet\.draw/1\.0\.2/leaflet\.draw\.js'\)",
        ),
        (
            lambda: folium.Map(),
            r"tile layer needs the network \(got 'https://tile\.openstreetmap\.org/.*"
            r"basemap=True.*tiles=None",
        ),
        (
            lambda: folium.plugins.MiniMap().add_to(folium.Map(tiles=None)),
            r"tile layer needs the network",
        ),
    ],
    ids=["unknown-plugin", "default-tiles", "minimap-default-tiles"],
)
def test_what_cannot_be_offline_is_an_error_and_writes_nothing(tmp_path, make, message):
    made = make()
    m = made if isinstance(made, folium.Map) else made._parent
    with pytest.raises(ExportError, match=message):
        bordermap.save(m, tmp_path / "map.html", offline=True, basemap=False)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.browser
def test_jupyter_display_carries_its_assets(browser, tmp_path):
    m = bordermap.crossing_map(bordermap.load_crossings(), tiles=None)
    shown = m._repr_html_()
    assert "cdn.jsdelivr.net" not in shown
    # The notebook's output cell, as Jupyter puts it in its page.
    path = tmp_path / "notebook.html"
    path.write_text(f"<!DOCTYPE html><html><body>{shown}</body></html>", encoding="utf-8")
    context, page, requests, errors = _open(browser, path, "iframe")
    try:
        frame = page.frame_locator("iframe")
        frame.locator(".leaflet-container").wait_for(timeout=5000)
        assert frame.locator(".leaflet-interactive").count() >= 5  # the crossings drew
        assert requests == [] and errors == []
    finally:
        context.close()
    assert html.unescape(shown).count("Leaflet 1.9.4") >= 1


def test_every_vendored_file_is_in_the_repository_and_the_wheel():
    # A wheel is built from what git tracks: an ignored file (a folder named dist/, say)
    # would be missing from every installed copy, and offline pages would fail there.
    import json
    import shutil
    import subprocess

    root = Path(__file__).resolve().parents[1]
    assets = root / "src" / "bordermap" / "assets"
    files = sorted(set(json.loads((assets / "manifest.json").read_text("utf-8")).values()))
    assert all((assets / f).is_file() for f in files)
    if shutil.which("git") is None or not (root / ".git").exists():
        pytest.skip("not a git checkout")
    paths = [str(assets / f) for f in files]
    ignored = subprocess.run(
        ["git", "check-ignore", *paths], cwd=root, capture_output=True, text=True, check=False
    )
    assert ignored.stdout == ""


# --- Any folium map offline on bordermap's basemap ----------------------------------------

SCREENS = {"phone": (390, 844), "desktop": (1280, 800)}


def _explore_with_tiles():
    crossings = bordermap.load_crossings(Path(__file__).parent / "data/us_mexico/crossings.geojson")
    return crossings.explore(column="precision", categorical=True, legend=True)


def _folium_with_tiles():
    m = folium.Map(location=[32, -110], zoom_start=5)  # OpenStreetMap tiles, folium's default
    cluster = folium.plugins.MarkerCluster().add_to(m)
    for lat, lon in [(32.54, -117.03), (32.55, -117.02), (31.75, -106.49)]:
        folium.Marker([lat, lon]).add_to(cluster)
    return m


def _tree(m) -> list:
    """What a map object is made of: every element and the page blocks, by name and type."""
    from bordermap.render.inline import walk_elements

    root = m.get_root()
    parts = [list(getattr(root, part)._children) for part in ("header", "html", "script")]
    return [[(e.get_name(), type(e).__name__) for e in walk_elements(root)], parts]


@pytest.fixture(scope="module")
def replaced_pages(tmp_path_factory):
    """Each map with network tiles, shown once (as a notebook would) and then saved offline:
    the page, the warning and whether the map object came back as it was."""
    out = tmp_path_factory.mktemp("replaced")
    pages = {}
    for name, make, user in (
        ("explore", _explore_with_tiles, ".maplegend"),
        ("folium", _folium_with_tiles, ".marker-cluster"),
    ):
        m = make()
        m.get_root().render()  # a notebook's display first: folium keeps what it wrote
        before = _tree(m)
        with pytest.warns(bordermap.BordermapWarning, match=r"tiles need the network \(https://"):
            path = bordermap.save(m, out / f"{name}.html", offline=True)
        pages[name] = (path, user, before == _tree(m))
    return pages


@pytest.mark.browser
@pytest.mark.parametrize("screen", list(SCREENS))
@pytest.mark.parametrize("name", ["explore", "folium"])
def test_a_map_with_network_tiles_saves_offline_on_the_basemap(
    browser, replaced_pages, name, screen
):
    path, user, unchanged = replaced_pages[name]
    assert unchanged  # save() put the map object back as it was
    text = path.read_text("utf-8")
    assert "openstreetmap.org" not in text
    context = browser.new_context(
        viewport=dict(zip(("width", "height"), SCREENS[screen], strict=True))
    )
    requests: list[str] = []
    context.route(
        lambda url: not url.startswith(("file:", "data:", "about:")),
        lambda r: (requests.append(r.request.url), r.abort()),
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.goto(path.resolve().as_uri())
        page.wait_for_selector(".bm-basemap-land", state="attached", timeout=5000)
        page.wait_for_selector("[data-bm-labels-placed]", state="attached", timeout=5000)
        assert requests == [] and errors == []
        # The basemap fills the map (land or sea under every corner), under the user's layers.
        assert page.locator(".bm-basemap-land").count() >= 2
        assert page.locator(user).count() >= 1
        credit = page.locator(".leaflet-control-attribution").inner_text()
        assert "Offline basemap (no tiles): Natural Earth" in credit
        assert page.locator(".bm-context .bm-label-text:not(.bm-hidden)").count() >= 2
        if name == "explore":
            page.screenshot(path=f"/work/shots/explore-offline-{screen}.png")
        # The basemap's names keep off each other and the panels, as loaded and zoomed in.
        assert label_overlaps(page)["overlaps"] == []
        for seen in after_zooming_in(page):
            assert seen["overlaps"] == [], seen
    finally:
        context.close()


@pytest.mark.browser
def test_a_map_with_no_tiles_gets_the_basemap_unless_asked_not_to(browser, tmp_path):
    def plain():
        return _markers(folium.Map(location=[32, -110], zoom_start=5, tiles=None))

    with_basemap = bordermap.save(plain(), tmp_path / "with.html", offline=True)
    without = bordermap.save(plain(), tmp_path / "without.html", offline=True, basemap=False)
    assert "bordermapVectorBasemap(" not in without.read_text("utf-8")
    context, page, requests, errors = _open(browser, with_basemap, ".bm-basemap-land")
    try:
        assert requests == [] and errors == []
        assert page.locator(".awesome-marker-icon-blue").count() == 2  # the user's markers
        credit = page.locator(".leaflet-control-attribution").inner_text()
        assert "Natural Earth" in credit and "no tiles" not in credit  # nothing was replaced
    finally:
        context.close()
    # The basemap's files are listed as the page's inputs, by SHA-256.
    block = re.search(r'id="bordermap-metadata">(.*?)</script>', with_basemap.read_text("utf-8"))
    assert block and '"world-10m.npz"' in block[1]


def test_tiles_offline_is_the_basemap_and_a_tiled_crossing_map_saves_on_it(tmp_path):
    crossings = bordermap.load_crossings()
    offline = bordermap.crossing_map(crossings, tiles="offline")
    assert not offline.has_tiles
    assert bordermap.to_html(offline) == bordermap.to_html(
        bordermap.crossing_map(crossings, tiles=None)
    )
    tiled = bordermap.crossing_map(crossings)
    with pytest.warns(bordermap.BordermapWarning, match="arcgisonline"):
        page = bordermap.to_html(tiled, offline=True)
    assert tiled.has_tiles and "arcgisonline" not in page
    assert "bm-context" in page and page.count("bordermapVectorBasemap(") == 1


@pytest.mark.browser
def test_a_tiled_map_shown_in_a_notebook_with_no_network_draws_the_basemap(browser, tmp_path):
    # The README's first snippet: crossing_map(joined, facilities) shown inline, default tiles.
    shown = bordermap.crossing_map(bordermap.load_crossings())._repr_html_()
    path = tmp_path / "notebook.html"
    path.write_text(f"<!DOCTYPE html><html><body>{shown}</body></html>", encoding="utf-8")
    context, page, requests, errors = _open(browser, path, "iframe")
    try:
        frame = page.frame_locator("iframe")
        frame.locator(".bm-basemap-land").first.wait_for(state="attached", timeout=5000)
        assert frame.locator(".bm-basemap-land").count() >= 2
        # The tiles, and only they, failed to load: no script error.
        assert all(e.startswith("Failed to load resource") for e in errors)
        assert requests and all("arcgisonline.com" in url for url in requests)
    finally:
        context.close()


def test_zoomed_out_the_offline_basemap_is_land_everywhere_not_a_cut_rectangle(open_html, tmp_path):
    """Past the detailed area the page draws the world's land, coarse: India is land, the
    Atlantic sea, on the bundled map zoomed out to the world."""
    import io

    from PIL import Image

    from bordermap import theme
    from bordermap.io import bundled_path

    event = bundled_path("events/2023-10-09.csv")

    path = tmp_path / "world.html"
    joined = bordermap.join_estimates(bordermap.load_crossings(), bordermap.read_estimates(event))
    bordermap.save(bordermap.crossing_map(joined, tiles=None), path, offline=True)
    page = open_html(path, width=1280, height=800).page
    page.wait_for_selector(".bm-basemap-land")
    points = page.evaluate(
        """() => {
          const map = Object.values(window).find(v => v instanceof L.Map);
          map.setView([30, 40], 2, {animate: false});
          return [[22, 79], [30, -40], [47, 105]].map(p => map.latLngToContainerPoint(p));
        }"""
    )
    page.wait_for_timeout(300)
    shot = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
    pixels = [shot.getpixel((round(p["x"]), round(p["y"]))) for p in points]
    colours = ["#{:02x}{:02x}{:02x}".format(*rgb) for rgb in pixels]
    land, sea = theme.BASEMAP_COLORS["land"], theme.BASEMAP_COLORS["sea"]
    assert colours == [land, sea, land], colours  # India, the Atlantic, Mongolia
