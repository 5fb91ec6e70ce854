"""The page a reader sees on every screen: labels, panels, keyboard, in headless Chromium."""

from __future__ import annotations

import pytest

from bordermap.cli import main
from tests.chromium import iframe_host

pytestmark = pytest.mark.browser

VIEWPORTS = {"phone": (390, 844), "tablet": (768, 1024), "desktop": (1280, 800)}

# Every label's text, whether it is shown, and its box; every panel's box (page pixels).
_LABELS = """() => [...document.querySelectorAll(
    '.bm-figure span, .bm-name span, .bm-context span')]
  .filter(s => s.offsetParent !== null)
  .map(s => { const r = s.getBoundingClientRect();
    return {text: s.textContent, shown: !s.classList.contains('bm-hidden'),
            name: s.parentElement.classList.contains('bm-name'),
            context: s.parentElement.classList.contains('bm-context'),
            placed: s.style.transform === 'none',
            box: [r.left, r.top, r.right, r.bottom]}; })"""
_PANELS = """() => [...document.querySelectorAll('.leaflet-control')]
  .map(el => el.getBoundingClientRect()).filter(r => r.width > 0 && r.height > 0)
  .map(r => [r.left, r.top, r.right, r.bottom])"""


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """The bundled October map in each language (Arabic right to left), and the time map, as
    the CLI writes them."""
    folder = tmp_path_factory.mktemp("screens")
    made = {}
    for name, args in {
        "en": [],
        "ko": ["--lang", "ko"],
        "zh": ["--lang", "zh"],
        "ar": ["--lang", "ar"],  # right to left: the panels mirrored
        "timeline": ["--events", "all"],
    }.items():
        made[name] = folder / f"{name}.html"
        assert main(["render", "-o", str(made[name]), "--offline", *args]) == 0
    return made


def _overlap(a, b) -> bool:
    """Boxes that share more than half a pixel both ways (sub-pixel rounding is no overlap)."""
    return min(a[2], b[2]) - max(a[0], b[0]) > 0.5 and min(a[3], b[3]) - max(a[1], b[1]) > 0.5


def _placed(page, runs: int = 1):
    """Wait until the labels have been placed ``runs`` times, then read them."""
    page.wait_for_function(
        "n => Number(document.querySelector('.folium-map')"
        ".getAttribute('data-bm-labels-placed')) >= n",
        arg=runs,
    )
    return page.evaluate(_LABELS)


_SYMBOLS = """() => [...document.querySelectorAll('path.bm-crossing')]
  .map(p => { const r = p.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; })
  .filter(r => r[2] > r[0])"""


# Every placed label that covers a point symbol (crossing or facility) other than its own
# (the one centred on the label's anchor, its marker): [text, symbol's class] pairs. A
# figure fixed on its circle is not placed: what lies under the circle lies under it too.
_OVER_SYMBOLS = """() => {
  const circles = [...document.querySelectorAll('path.bm-crossing, path.bm-facility')]
    .map(p => [p.getBoundingClientRect(), p.getAttribute('class')])
    .filter(([r]) => r.width > 0)
    .map(([r, name]) => ({x: (r.left + r.right) / 2, y: (r.top + r.bottom) / 2,
      r: r.width / 2, name}));
  const hits = [];
  document.querySelectorAll('.bm-figure span, .bm-name span, .bm-context span')
    .forEach(s => {
      if (s.offsetParent === null || s.classList.contains('bm-hidden')
          || s.style.transform !== 'none') { return; }
      const b = s.getBoundingClientRect(), at = s.parentElement.getBoundingClientRect();
      circles.forEach(c => {
        if (Math.abs(c.x - at.left) < 1 && Math.abs(c.y - at.top) < 1) { return; }
        const dx = c.x - Math.min(Math.max(c.x, b.left), b.right);
        const dy = c.y - Math.min(Math.max(c.y, b.top), b.bottom);
        if (Math.hypot(dx, dy) < c.r - 0.5) { hits.push([s.textContent, c.name]); }
      });
    });
  return hits;
}"""


def _check_labels(labels, panels, *, first_view: bool = True) -> None:
    """Shown labels pairwise disjoint and off every panel. Zoomed in, a figure on its circle
    may go under a panel with the circle; a placed label never does."""
    shown = [label for label in labels if label["shown"]]
    for i, a in enumerate(shown):
        for b in shown[i + 1 :]:
            assert not _overlap(a["box"], b["box"]), (a, b)
        for panel in panels if first_view or a["placed"] else []:
            assert not _overlap(a["box"], panel), (a, panel)


@pytest.mark.parametrize("name", ["en", "ko", "zh", "ar", "timeline"])
@pytest.mark.parametrize("viewport", list(VIEWPORTS), ids=list(VIEWPORTS))
def test_labels_never_overlap_each_other_or_a_panel_at_any_zoom(open_html, pages, name, viewport):
    opened = open_html(pages[name], width=VIEWPORTS[viewport][0], height=VIEWPORTS[viewport][1])
    page = opened.page
    labels = _placed(page)
    panels = page.evaluate(_PANELS)
    _check_labels(labels, panels)
    assert page.evaluate(_OVER_SYMBOLS) == []
    # The first view: every crossing symbol inside the map and under no panel.
    symbols = page.evaluate(_SYMBOLS)
    assert len(symbols) == 5
    for symbol in symbols:
        assert symbol[0] >= 0 and symbol[1] >= 0, symbol
        assert symbol[2] <= VIEWPORTS[viewport][0] and symbol[3] <= VIEWPORTS[viewport][1]
        for panel in panels:
            assert not _overlap(symbol, panel), (symbol, panel)
    # Every crossing's name is shown, and both figures of the October map.
    assert sum(label["shown"] and label["name"] for label in labels) == 5, labels
    if name != "timeline":
        shown = {label["text"] for label in labels if label["shown"]}
        assert {"180", "300"} <= shown
    # Two zoom levels further in: the labels are placed again and still never overlap.
    for runs in (2, 3):
        page.evaluate(
            "() => { const m = Object.values(window).find(v => v instanceof L.Map);"
            " m.setZoom(m.getZoom() + 1, {animate: false}); }"
        )
        _check_labels(_placed(page, runs), page.evaluate(_PANELS), first_view=False)
        assert page.evaluate(_OVER_SYMBOLS) == []
    assert opened.errors == []


def test_desktop_shows_every_crossing_label(open_html, pages):
    """At 1280×800 nothing needs hiding: both figures, five names, three notes."""
    page = open_html(pages["en"], width=1280, height=800).page
    shown = sorted(
        label["text"] for label in _placed(page) if label["shown"] and not label["context"]
    )
    assert shown == sorted(
        ["180", "300", "Changbai → Hyesan", "Dandong → Sinuiju", "Helong → Musan"]
        + ["Hunchun → Kyongwon", "Tumen → Onsong"]
        + ["no published figure"] * 3
    )


def test_on_a_phone_the_legend_is_a_button_that_opens_and_closes(open_html, pages):
    page = open_html(pages["en"], width=390, height=844).page
    _placed(page)
    legend = page.locator(".bm-legend")
    body = legend.locator(".bm-legend-body")
    button = legend.get_by_role("button", name="Legend")
    assert body.is_hidden()
    button.focus()
    page.keyboard.press("Enter")
    assert body.is_visible() and button.get_attribute("aria-expanded") == "true"
    # Open, the legend is never taller than the map.
    assert legend.bounding_box()["height"] <= 844
    page.keyboard.press("Escape")
    assert body.is_hidden() and button.get_attribute("aria-expanded") == "false"
    # The sources: one line that opens in full.
    credit = page.locator(".bm-credit")
    one_line = credit.bounding_box()["height"]
    credit.get_by_role("button", name="Show all sources").click()
    assert credit.bounding_box()["height"] > 2 * one_line


def test_on_a_desktop_nothing_is_folded(open_html, pages):
    page = open_html(pages["en"], width=1280, height=800).page
    _placed(page)
    assert page.locator(".bm-legend .bm-fold").is_hidden()
    assert page.locator(".bm-legend-body").is_visible()


def test_a_case_map_with_50_categories_keeps_its_legend_inside_the_map(open_html, tmp_path):
    import numpy as np
    import pandas as pd

    import bordermap

    rng = np.random.default_rng(5)
    n = 500
    table = pd.DataFrame(
        {
            "lon": rng.uniform(124.5, 130.0, n),
            "lat": rng.uniform(40.0, 42.8, n),
            "kind": [f"category {k % 50:02d}" for k in range(n)],
            "precision_m": 1000,
        }
    )
    joined = bordermap.join_estimates(
        bordermap.load_crossings(), bordermap.inputs.bundled_path("events/2023-10-09.csv")
    )
    # Eight named, the rest one row (the default lists all 50: tests/test_case_maps.py).
    cases = bordermap.case_layer(table, category="kind", max_categories=8)
    m = bordermap.crossing_map(joined, tiles=None, cases=cases)
    path = bordermap.save(m, tmp_path / "cases.html", offline=True)
    for width, height in [(1280, 800), (390, 844)]:
        opened = open_html(path, width=width, height=height)
        page = opened.page
        _placed(page)
        legend = page.locator(".bm-case-legend")
        rows = legend.locator(".bm-row").all_inner_texts()
        assert len(rows) == 9 and rows[-1] == "other (420)", rows
        box = legend.bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= height
        assert opened.errors == []


@pytest.mark.parametrize("name", ["en", "ko", "zh", "ar", "timeline"])
def test_axe_finds_nothing_serious_on_any_screen(open_html, pages, name):
    from tests.a11y import axe_violations, describe

    for width, height in VIEWPORTS.values():
        page = open_html(pages[name], width=width, height=height).page
        _placed(page)
        assert page.evaluate("document.documentElement.lang") == (
            name if name != "timeline" else "en"
        )
        violations = axe_violations(page)
        assert violations == [], describe(violations)


def test_inside_a_640_by_400_iframe_the_page_fits_its_frame(open_html, pages, tmp_path):
    host = tmp_path / "host.html"
    host.write_text(
        f'<!doctype html><html lang="en"><title>host</title><body style="margin:0">'
        f'<iframe src="{pages["en"].as_uri()}" width="640" height="400" title="map"'
        ' style="border:0"></iframe></body></html>',
        encoding="utf-8",
    )
    page = open_html(host, width=900, height=700).page
    frame = page.frame_locator("iframe")
    frame.locator("[data-bm-labels-placed]").wait_for()
    inner = page.frames[1]
    size = inner.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
    )
    assert size == [640, 400]
    labels = inner.evaluate(_LABELS)
    panels = inner.evaluate(_PANELS)
    _check_labels(labels, panels)
    assert inner.evaluate(_OVER_SYMBOLS) == []
    for symbol in inner.evaluate(_SYMBOLS):
        assert symbol[0] >= 0 and symbol[2] <= 640 and symbol[1] >= 0 and symbol[3] <= 400
        for panel in panels:
            assert not _overlap(symbol, panel), (symbol, panel)


def test_keyboard_reaches_every_crossing_and_enter_opens_its_popup(open_html, pages):
    page = open_html(pages["en"], width=1280, height=800).page
    _placed(page)
    reached = []
    for _ in range(40):
        page.keyboard.press("Tab")
        label = page.evaluate(
            "() => document.activeElement.classList.contains('bm-crossing')"
            " ? document.activeElement.getAttribute('aria-label') : null"
        )
        if label:
            reached.append(label.split(":")[0])
    assert sorted(set(reached)) == [
        "Changbai → Hyesan",
        "Dandong → Sinuiju",
        "Helong → Musan",
        "Hunchun → Kyongwon",
        "Tumen → Onsong",
    ]
    page.locator("path.bm-crossing.bm-known").first.focus()
    ring = page.evaluate("getComputedStyle(document.activeElement).strokeWidth")
    assert ring == "4px"  # the focus ring
    page.keyboard.press("Enter")
    assert page.locator(".leaflet-popup-content").is_visible()


def test_the_data_table_has_every_crossing_with_the_map_s_figures(open_html, pages):
    page = open_html(pages["en"], width=390, height=844).page
    _placed(page)
    page.get_by_role("button", name="Data table").click()
    table = page.locator("table.bm-data-table")
    assert table.is_visible()
    rows = table.locator("tbody tr").all()
    cells = {r.locator("th").inner_text(): r.locator("td").first.inner_text() for r in rows}
    figures = sorted(label["text"] for label in page.evaluate(_LABELS) if label["text"].isdigit())
    assert sorted(v for v in cells.values() if v.isdigit()) == figures == ["180", "300"]
    assert len(cells) == 5 and list(cells.values()).count("no published figure") == 3
    assert "TJWG" in table.inner_text() and "7 December 2023" in table.inner_text()
    page.keyboard.press("Escape")
    assert table.is_hidden()


@pytest.mark.parametrize("extra", [[], ["--events", "all"]], ids=["october", "timeline"])
def test_embed_snippet_and_sharing_tags(tmp_path, open_html, extra):
    page, snippet = tmp_path / "out" / "map.html", tmp_path / "snippet.html"
    page.parent.mkdir()
    images = [] if extra else ["--png", str(page.with_suffix(".png"))]
    args = ["render", "-o", str(page), "--embed", str(snippet), "--offline", *images, *extra]
    assert main(args) == 0
    html = page.read_text(encoding="utf-8")
    assert '<meta name="description"' in html or extra
    assert ('<meta property="og:image" content="map.png" />' in html) != bool(extra)
    host = tmp_path / "article.html"
    host.write_text(
        '<!doctype html><html lang="en"><title>a</title><body style="margin:0;width:500px">'
        + snippet.read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    opened = open_html(host, width=800, height=900)
    frame = opened.page.locator("iframe")
    assert frame.get_attribute("src") == "out/map.html"
    box = frame.bounding_box()
    assert box["width"] == 500 and box["height"] == 400  # 75 % of 500, at least 400
    opened.page.frame_locator("iframe").locator("[data-bm-labels-placed]").wait_for()


def test_embed_needs_the_page(tmp_path, capsys):
    assert main(["render", "--png", str(tmp_path / "m.png"), "--embed", "s.html"]) != 0
    assert "give -o map.html too" in capsys.readouterr().err
    assert not (tmp_path / "m.png").exists()


def test_print_shows_map_legend_and_sources_without_the_controls(open_html, pages):
    page = open_html(pages["en"], width=390, height=844).page
    _placed(page)
    page.emulate_media(media="print")
    assert page.locator(".bm-legend-body").is_visible()  # unfolded, even from a phone
    assert page.locator(".leaflet-control-zoom").is_hidden()
    assert page.locator(".bm-legend .bm-fold").is_hidden()
    credit = page.locator(".bm-credit-body")
    assert credit.is_visible() and "Daily NK" in credit.inner_text()


# Every visible Leaflet control (panels, zoom, layers, scale bar, attribution), in the map's
# pixels, and the map's size.
_CONTROLS = """() => { const map = document.querySelector('.folium-map');
  const frame = map.getBoundingClientRect();
  return {size: [frame.width, frame.height], controls: [...map.querySelectorAll(
      '.leaflet-control')].map(el => [el.className, el.getBoundingClientRect()])
    .filter(([, r]) => r.width > 0 && r.height > 0)
    .map(([name, r]) => ({name, box: [r.left - frame.left, r.top - frame.top,
      r.right - frame.left, r.bottom - frame.top]}))}; }"""
_ATTRIBUTION = """() => { const a = document.querySelector('.leaflet-control-attribution');
  return {text: a.textContent, clipped: a.scrollWidth > a.clientWidth
      || a.scrollHeight > a.clientHeight,
    size: getComputedStyle(a).fontSize,
    panel: getComputedStyle(document.querySelector('.bm-title')).fontSize,
    scale: getComputedStyle(document.querySelector('.leaflet-control-scale')).fontSize}; }"""
_SIZES = [(390, 844), (360, 640), (768, 1024), (1280, 800), "iframe"]


@pytest.fixture(scope="module")
def control_pages(tmp_path_factory):
    """The bundled map, a map on tiles (the longest attribution of the bundled providers:
    the tiles are refused offline, the attribution stays) and a case map; each with the
    credit its attribution must show in full."""
    import numpy as np
    import pandas as pd

    import bordermap
    from bordermap.render.inline import inline_assets

    folder = tmp_path_factory.mktemp("controls")
    basemap_credit = (
        "Natural Earth (public domain); rivers: GSHHG/WDBII, Wessel & Smith (LGPL); "
        "lakes: GSHHG, Wessel & Smith (LGPL); towns: GeoNames (CC BY 4.0)"
    )
    joined = bordermap.join_estimates(
        bordermap.load_crossings(), bordermap.inputs.bundled_path("events/2023-10-09.csv")
    )
    facilities = bordermap.load_facilities()
    rng = np.random.default_rng(5)
    table = pd.DataFrame(
        {
            "lon": rng.uniform(124.5, 130.0, 200),
            "lat": rng.uniform(40.0, 42.8, 200),
            "kind": [f"category {k % 5}" for k in range(200)],
            "precision_m": 1000,
        }
    )
    tiles = bordermap.crossing_map(joined, facilities, tiles="satellite")
    satellite = bordermap.tile_provider("satellite")["attribution"]
    made = {
        "tiles": (
            inline_assets(tiles.render_page(), tiles.get_root(), strict=False),
            satellite,
        ),
        "bundled": (
            bordermap.to_html(bordermap.crossing_map(joined, facilities, tiles=None), offline=True),
            basemap_credit,
        ),
        "cases": (
            bordermap.to_html(
                bordermap.crossing_map(
                    joined, tiles=None, cases=bordermap.case_layer(table, category="kind")
                ),
                offline=True,
            ),
            basemap_credit,
        ),
        # The time map's control is wide and tall: on a phone it would cover the title.
        "timeline": (
            bordermap.to_html(
                bordermap.timeline_map(
                    bordermap.event_series(), facilities, tiles=None, start="2023-10-09"
                ),
                offline=True,
            ),
            basemap_credit,
        ),
    }
    pages = {}
    for name, (html, credit) in made.items():
        path = folder / f"{name}.html"
        path.write_text(html, encoding="utf-8")
        host = iframe_host(path)
        pages[name] = (path, host, credit)
    return pages


@pytest.mark.parametrize("size", _SIZES, ids=[str(s) for s in _SIZES])
@pytest.mark.parametrize("name", ["bundled", "tiles", "cases", "timeline"])
def test_no_control_covers_another_and_the_attribution_is_whole(
    open_html, control_pages, name, size
):
    """The scale bar, the sources, the legend and the attribution (a licence requirement,
    in the panels' type size) never overlap and all lie inside the map, on every screen."""
    path, host, credit = control_pages[name]
    if size == "iframe":
        page = open_html(host, width=900, height=700).page
        page.frame_locator("iframe").locator("[data-bm-labels-placed]").wait_for()
        frame = page.frames[1]
    else:
        frame = open_html(path, width=size[0], height=size[1]).page
        _placed(frame)
    seen = frame.evaluate(_CONTROLS)
    width, height = seen["size"]
    assert (width, height) == ((640, 400) if size == "iframe" else size)
    controls = seen["controls"]
    names = " ".join(control["name"] for control in controls)
    for part in ("attribution", "scale", "bm-credit", "bm-legend", "zoom", "layers"):
        assert part in names, names
    for i, a in enumerate(controls):
        x0, y0, x1, y1 = a["box"]
        assert x0 >= 0 and y0 >= 0 and x1 <= width and y1 <= height, a
        for b in controls[i + 1 :]:
            assert not _overlap(a["box"], b["box"]), (a, b)
    attribution = frame.evaluate(_ATTRIBUTION)
    assert credit in attribution["text"] and not attribution["clipped"], attribution
    assert attribution["size"] == attribution["panel"] == attribution["scale"] == "12px"
