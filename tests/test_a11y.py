"""Accessibility of the offline page, measured by axe-core in headless Chromium."""

from __future__ import annotations

import pytest

import bordermap
from bordermap.inputs import bundled_path
from tests.a11y import axe_violations, describe

pytestmark = pytest.mark.browser

VIEWPORTS = [(390, 844), (1280, 800)]
# What axe 4.14.1 finds on the bundled offline page today, at both viewports (issue 13 item 4).
KNOWN_SERIOUS = ["html-has-lang"]

_IMAGE = "data:image/gif;base64,R0lGODlhAQABAAAAACw="
_HEAD = "<head><title>t</title></head>"
# lang of <html>, its content, and the rules axe must report: one page, re-filled per case.
_PAGES = {
    "clean": ("en", f"{_HEAD}<body><main><p>ok</p></main></body>", []),
    "image without alt": (
        "en",
        f"{_HEAD}<body><main><img src='{_IMAGE}'></main></body>",
        ["image-alt"],
    ),
    "no lang": (None, f"{_HEAD}<body><main><p>ok</p></main></body>", KNOWN_SERIOUS),
    "unnamed button": (
        "en",
        f"{_HEAD}<body><main><button></button></main></body>",
        ["button-name"],
    ),
}


@pytest.fixture(scope="module")
def blank_page(browser):
    """One page for the kit's own cases: axe is injected once and stays while the document's
    content is replaced."""
    context = browser.new_context()
    page = context.new_page()
    page.set_content("<html><head><title>t</title></head><body></body></html>")
    yield page
    context.close()


@pytest.fixture(scope="module")
def october_page(tmp_path_factory):
    joined = bordermap.join_estimates(
        bordermap.load_crossings(), bundled_path("events/2023-10-09.csv")
    )
    m = bordermap.crossing_map(joined, bordermap.load_facilities(), tiles=None)
    return bordermap.save(m, tmp_path_factory.mktemp("a11y") / "october.html", offline=True)


@pytest.mark.parametrize("lang, html, expected", list(_PAGES.values()), ids=list(_PAGES))
def test_axe_finds_what_is_wrong_and_only_that(blank_page, lang, html, expected):
    """The kit itself: a clean page passes, each planted fault is reported by its rule."""
    blank_page.evaluate(
        """([lang, html]) => {
            const root = document.documentElement;
            if (lang === null) root.removeAttribute("lang"); else root.setAttribute("lang", lang);
            root.innerHTML = html;
        }""",
        [lang, html],
    )
    assert [v["id"] for v in axe_violations(blank_page)] == expected


@pytest.mark.parametrize("width, height", VIEWPORTS, ids=[f"{w}x{h}" for w, h in VIEWPORTS])
def test_offline_page_has_no_serious_or_critical_violation(open_html, october_page, width, height):
    opened = open_html(october_page, width=width, height=height)
    opened.page.wait_for_selector(".bm-crossing")
    violations = axe_violations(opened.page)
    assert violations == [], describe(violations)


@pytest.fixture(scope="module")
def timeline_pages(tmp_path_factory):
    """The bundled series as an offline time map, in English and in Korean."""
    folder = tmp_path_factory.mktemp("a11y-timeline")
    pages = {}
    for lang in ("en", "ko"):
        m = bordermap.timeline_map(
            bordermap.event_series(), bordermap.load_facilities(), tiles=None, lang=lang
        )
        pages[lang] = bordermap.save(m, folder / f"series-{lang}.html", offline=True)
    return pages


TIME_CASES = [(lang, w, h) for lang in ("en", "ko") for w, h in VIEWPORTS]


@pytest.mark.parametrize(
    "lang, width, height", TIME_CASES, ids=[f"{c[0]}-{c[1]}" for c in TIME_CASES]
)
def test_time_map_has_no_serious_or_critical_violation(
    open_html, timeline_pages, lang, width, height
):
    """As loaded, on the step with figures, and with its data table open."""
    page = open_html(timeline_pages[lang], width=width, height=height).page
    page.wait_for_selector("[data-bm-labels-placed]")
    assert page.locator("html").get_attribute("lang") == lang
    fold = page.locator(".bm-timeline .bm-fold")
    if fold.is_visible():  # a small screen: the control is one row until opened
        violations = axe_violations(page)
        assert violations == [], describe(violations)
        fold.click()
    page.locator(".bm-range").fill("2")
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    page.locator(".bm-table-button").click()
    page.locator("table.bm-data-table").first.wait_for()
    violations = axe_violations(page)
    assert violations == [], describe(violations)


@pytest.mark.browser
def test_every_tab_stop_on_the_map_has_a_name_and_enter_opens_it(open_html, october_page):
    """Crossings, facilities and routes are each one named Tab stop (a route's visible line
    beside its wider hit line is not a second, unnamed one), and Enter opens the popup."""
    page = open_html(october_page, width=1280, height=800).page
    page.wait_for_selector("[data-bm-labels-placed]")
    stops = []
    for _ in range(60):
        page.keyboard.press("Tab")
        stop = page.evaluate(
            """() => { const e = document.activeElement;
            if (!e.closest('.leaflet-map-pane')) { return null; }
            return {cls: e.getAttribute('class'), role: e.getAttribute('role'),
                    name: e.getAttribute('aria-label')}; }"""
        )
        if stop and stops and stop == stops[0]:
            break  # round the page once
        if stop:
            stops.append(stop)
    kinds = [next(k for k in ("facility", "crossing", "route-hit") if k in s["cls"]) for s in stops]
    assert kinds.count("crossing") == 5 and kinds.count("facility") == 11
    assert kinds.count("route-hit") == len(bordermap.load_routes())  # all the event's routes
    for stop in stops:
        assert stop["role"] == "button" and stop["name"], stop
    assert len({s["name"] for s in stops}) == len(stops)  # each names what it is
    route = page.locator("path.bm-route-hit[role=button]").first
    route.focus()
    page.keyboard.press("Enter")
    assert "bm-route-popup" in page.locator(".leaflet-popup-content").inner_html()
