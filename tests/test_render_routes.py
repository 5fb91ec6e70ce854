"""Routes and languages as a reader sees them, in headless Chromium with the network cut off."""

from __future__ import annotations

import pytest

import bordermap
from bordermap.cli import main
from bordermap.inputs import bundled_path

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def maps(tmp_path_factory):
    """The bundled October map in each language, offline."""
    folder = tmp_path_factory.mktemp("langs")
    paths = {}
    for lang in ("en", "ko", "zh"):
        paths[lang] = folder / f"october-{lang}.html"
        assert main(["render", "-o", str(paths[lang]), "--offline", "--lang", lang]) == 0
    return paths


def _open(open_html, path):
    opened = open_html(path)
    # Attached, not visible: the first route may be a vertical stub (Dandong's facility to
    # its crossing), whose box has no width at some zooms.
    opened.page.wait_for_selector("path.bm-route", state="attached")
    return opened


def test_every_route_is_drawn_with_its_arrowheads(open_html, maps):
    opened = _open(open_html, maps["en"])
    page = opened.page
    assert page.locator("path.bm-route").count() == 7
    assert page.locator(".bm-arrow svg").count() == 7
    assert opened.errors == [] and opened.requests == []


def test_inferred_routes_are_dashed_and_reported_ones_solid(open_html, maps):
    page = _open(open_html, maps["en"]).page
    inferred = page.locator("path.bm-route.bm-inferred")
    reported = page.locator("path.bm-route.bm-reported")
    assert inferred.count() == 5 and reported.count() == 2
    assert {p.get_attribute("stroke-dasharray") for p in inferred.all()} == {"10 7"}
    assert {p.get_attribute("stroke-dasharray") for p in reported.all()} == {None}


def test_wider_line_for_the_larger_figure(open_html, maps):
    page = _open(open_html, maps["en"]).page
    widths = sorted(
        {float(p.get_attribute("stroke-width")) for p in page.locator("path.bm-route").all()}
    )
    assert widths == [1.5, 6.0, 10.0]


def test_routes_lie_under_the_crossing_symbols(open_html, maps):
    page = _open(open_html, maps["en"]).page
    z = page.evaluate(
        """() => [document.querySelector('path.bm-route').closest('.leaflet-pane'),
                  document.querySelector('path.bm-crossing').closest('.leaflet-pane')]
                 .map(p => Number(getComputedStyle(p).zIndex))"""
    )
    assert z[0] < z[1]


def _route_popups(page) -> list[str]:
    """Click each arrowhead's centre (it lies on its line) and read the popup that opens.

    Arrowheads under a crossing symbol or a control (after a popup panned the map) are
    left out: the click would land on that instead.
    """
    texts = []
    for arrow in page.locator(".bm-arrow").all():
        box = arrow.bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        hit = page.evaluate(
            "([x, y]) => (document.elementFromPoint(x, y)?.getAttribute('class') || '')", [x, y]
        )
        if "bm-route" not in hit:
            continue
        page.mouse.click(x, y)
        popup = page.locator(".leaflet-popup-content")
        popup.wait_for()
        texts.append(popup.inner_text())
        page.locator(".leaflet-popup-close-button").dispatch_event("click")
        popup.wait_for(state="detached")
    return texts


def test_clicking_a_route_opens_its_popup_with_length_and_source(open_html, maps):
    page = _open(open_html, maps["en"]).page
    joined = bordermap.join_estimates(
        bordermap.load_crossings(), bundled_path("events/2023-10-09.csv")
    )
    lines = bordermap.route_lines(bordermap.load_routes(), joined, bordermap.load_facilities())
    shenyang = next(r for r in lines if r.from_facility == "shenyang-prison")
    texts = [t for t in _route_popups(page) if "Shenyang Prison" in t]
    assert texts, "the Shenyang route's popup did not open"
    text = texts[0]
    for expected in (
        "Route",
        "Dandong → Sinuiju",
        f"{round(shenyang.km)} km",
        "inferred, not reported",
        "Activists warn",
        "7 December 2023",
    ):
        assert expected in text, expected


def test_legend_has_reported_and_inferred_rows(open_html, maps):
    page = _open(open_html, maps["en"]).page
    legend = page.locator(".bm-legend").inner_text()
    assert "reported route" in legend and "inferred route" in legend
    assert page.locator(".bm-legend line").count() == 3
    assert page.locator(".bm-legend line[stroke-dasharray]").count() == 1


def test_routes_layer_can_be_switched_off(open_html, maps):
    page = _open(open_html, maps["en"]).page
    page.get_by_label("Routes").uncheck()
    assert page.locator("path.bm-route").count() == 0
    assert page.locator(".bm-arrow").count() == 0
    assert page.locator("path.bm-crossing").count() == 5


@pytest.mark.parametrize(
    ("lang", "names", "legend", "title", "layer"),
    [
        (
            "ko",
            ["투먼 → 온성", "단둥 → 신의주"],
            ["보도된 경로", "추정 경로", "송환 인원"],
            "2023년 10월 9일",
            "이송 경로",
        ),
        (
            "zh",
            ["图们 → 稳城", "丹东 → 新义州"],
            ["已报道的路线", "推断的路线", "遣返人数"],
            "2023年10月9日",
            "遣返路线",
        ),
    ],
)
def test_korean_and_chinese_maps_speak_their_language(
    open_html, maps, lang, names, legend, title, layer
):
    opened = _open(open_html, maps[lang])
    page = opened.page
    shown = page.locator(".bm-name span").all_inner_texts()
    for name in names:
        assert name in shown
    legend_text = page.locator(".bm-legend").inner_text()
    for words in legend:
        assert words in legend_text
    assert title in page.locator(".bm-title").inner_text()
    assert layer in page.locator(".leaflet-control-layers").inner_text()
    # No English interface text left (source titles are quoted as published, in the credit).
    visible = " ".join(
        page.locator(sel).inner_text()
        for sel in (".bm-legend", ".bm-title", ".leaflet-control-layers")
    ) + " ".join(page.locator(".bm-figure span, .bm-name span").all_inner_texts())
    for english in ("published", "figure", "route", "Facilities", "crossing", "event of"):
        assert english not in visible, english
    assert page.locator(".leaflet-control-zoom-in").get_attribute("title") != "Zoom in"
    assert "mi" not in page.locator(".leaflet-control-scale").inner_text()
    popups = " ".join(_route_popups(page))
    assert ("km" if lang == "ko" else "公里") in popups
    assert opened.errors == []


def _fonts_used(page, selector: str) -> list[str]:
    """The fonts Chromium actually drew a node's text with (DevTools protocol)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    return [f["familyName"] for f in fonts if f["glyphCount"] > 0]


@pytest.mark.parametrize(
    ("lang", "text", "font"),
    [("ko", "온성", "Noto Sans CJK KR"), ("zh", "图们", "Noto Sans CJK SC")],
)
def test_cjk_text_renders_with_a_cjk_font(open_html, maps, lang, text, font):
    page = _open(open_html, maps[lang]).page
    label = page.locator(".bm-name span", has_text=text).first
    box = label.bounding_box()
    assert box["width"] > 2 * 11 and box["height"] > 8  # a few glyphs of 11 px text, drawn
    page.evaluate(
        "t => [...document.querySelectorAll('.bm-name span')]"
        ".find(s => s.textContent.includes(t)).id = 'cjk-probe'",
        text,
    )
    assert font in _fonts_used(page, "#cjk-probe")
    heading = _fonts_used(page, ".bm-title h1")
    assert heading and all("CJK" in f for f in heading)
