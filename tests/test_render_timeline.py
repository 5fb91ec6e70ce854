"""The time map in headless Chromium: move the control, read what is drawn."""

from __future__ import annotations

import pandas as pd
import pytest

import bordermap
from bordermap import ValidationError

from .label_checks import OVERLAPPING, after_zooming_in, label_overlaps

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def series_map(tmp_path_factory):
    m = bordermap.timeline_map(bordermap.event_series(), bordermap.load_facilities(), tiles=None)
    path = tmp_path_factory.mktemp("timeline") / "series.html"
    bordermap.save(m, path, offline=True)
    return path


@pytest.fixture(scope="module")
def summed_map(tmp_path_factory):
    """Two events through the same crossing, so the cumulative view has a sum to show."""
    table = pd.DataFrame(
        {
            "event_date": ["2023-10-09", "2023-10-09", "2024-04-26"],
            "crossing": ["Onsong", "Dandong", "Tumen"],
            "figure": [300, 180, 100],
            "source": ["TJWG", "TJWG", "Test source"],
            "source_date": ["2023-12-07", "2023-12-07", "2024-05-01"],
        }
    )
    long = bordermap.join_estimates(bordermap.load_crossings(), table, event="all")
    path = tmp_path_factory.mktemp("timeline") / "summed.html"
    bordermap.save(bordermap.timeline_map(long, tiles=None), path, offline=True)
    return path


def drawn(page) -> dict:
    """What a reader sees: the step heading, figures on the map, the panel text."""
    return {
        "label": page.locator(".bm-step-label").inner_text(),
        "figures": sorted(page.locator(".bm-figure.bm-known span").all_inner_texts()),
        "unknown": sorted(page.locator(".bm-figure.bm-unknown span").all_inner_texts()),
        "faded": page.locator("path.bm-crossing.bm-unnamed").count(),
        "body": page.locator(".bm-step-body").inner_text(),
    }


def test_offline_series_loads_with_no_request_and_no_error(open_html, series_map):
    opened = open_html(series_map)
    opened.page.wait_for_selector(".bm-timeline")
    assert opened.errors == [] and opened.requests == [] and opened.dialogs == []
    assert opened.page.locator("path.bm-crossing").count() == 5  # one step drawn at a time


STEPS = [
    # label, figures, unknown labels, faded, text in the panel
    ("29 August 2023 (event 1 of 4)", [], [], 5, "Total, all crossings: 80 — Human Rights Watch"),
    ("18 September 2023 (event 2 of 4)", [], [], 5, "Total, all crossings: 40"),
    (
        "9 October 2023 (event 3 of 4)",
        ["180", "300"],
        ["used; no figure published"] * 3,
        0,
        "up to 600 — Transitional Justice Working Group",
    ),
    (
        "26 April 2024 (event 4 of 4)",
        [],
        ["used; no figure published"],
        4,
        "50–60 — Radio Free Asia",
    ),
]


def test_next_button_steps_through_the_four_events(open_html, series_map):
    page = open_html(series_map).page
    page.wait_for_selector(".bm-timeline")
    assert page.locator(".bm-prev").is_disabled()
    for i, (label, figures, unknown, faded, text) in enumerate(STEPS):
        if i:
            page.click(".bm-next")
        seen = drawn(page)
        assert seen["label"] == label
        assert seen["figures"] == figures
        assert seen["unknown"] == unknown
        assert seen["faded"] == faded
        assert text in seen["body"]
    assert page.locator(".bm-next").is_disabled()
    page.click(".bm-prev")
    assert drawn(page)["label"].startswith("9 October 2023")


def test_range_input_jumps_to_an_event(open_html, series_map):
    page = open_html(series_map).page
    page.wait_for_selector(".bm-timeline")
    page.locator(".bm-range").fill("2")
    seen = drawn(page)
    assert seen["label"].startswith("9 October 2023") and seen["figures"] == ["180", "300"]
    page.locator(".bm-range").focus()
    page.keyboard.press("ArrowRight")
    assert drawn(page)["label"].startswith("26 April 2024")


def test_cumulative_view_sums_event_totals_since_august(open_html, series_map):
    page = open_html(series_map).page
    page.wait_for_selector(".bm-timeline")
    page.check("input[value=cumulative]")
    assert "Since 29 August 2023" in page.locator(".bm-modes").inner_text()
    assert page.locator(".bm-cumulative-total").inner_text() == "80"
    page.locator(".bm-range").fill("3")
    seen = drawn(page)
    assert page.locator(".bm-cumulative-total").inner_text() == "680"
    assert "80 + 40 + over 500 + about 60" in seen["body"]
    assert seen["figures"] == ["180", "300"]
    assert seen["unknown"] == ["no figure (named in 1 event)"] * 3
    page.check("input[value=event]")
    assert drawn(page)["unknown"] == ["used; no figure published"]


def test_cumulative_view_sums_figures_per_crossing(open_html, summed_map):
    opened = open_html(summed_map)
    page = opened.page
    page.wait_for_selector(".bm-timeline")
    assert drawn(page)["figures"] == ["180", "300"]
    page.click(".bm-next")
    assert drawn(page)["figures"] == ["100"]
    page.check("input[value=cumulative]")
    assert drawn(page)["figures"] == ["180", "400"]
    page.click(".bm-prev")
    assert drawn(page)["figures"] == ["180", "300"]
    assert opened.errors == []


def test_one_scale_for_every_step_and_view(open_html, summed_map):
    page = open_html(summed_map).page
    page.wait_for_selector(".bm-timeline")

    def width_of(label: str) -> float:
        for path in page.locator("path.bm-crossing.bm-known").all():
            box = path.bounding_box()
            for span in page.locator(".bm-figure.bm-known span").all():
                text_box = span.bounding_box()
                centre = text_box["x"] + text_box["width"] / 2
                if span.inner_text() == label and box["x"] < centre < box["x"] + box["width"]:
                    return box["width"]
        raise AssertionError(label)

    tumen_300 = width_of("300")
    page.check("input[value=cumulative]")
    page.click(".bm-next")
    tumen_400 = width_of("400")
    # Area ∝ value on one scale: diameters in the ratio sqrt(400 / 300) ≈ 1.15.
    assert 1.1 < tumen_400 / tumen_300 < 1.2


def test_cumulative_popup_lists_what_is_summed(open_html, summed_map):
    page = open_html(summed_map).page
    page.wait_for_selector(".bm-timeline")
    page.locator(".bm-range").fill("1")
    page.check("input[value=cumulative]")
    boxes = {p.bounding_box()["y"]: p for p in page.locator("path.bm-crossing.bm-known").all()}
    boxes[min(boxes)].click()  # the northern circle is Tumen
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    text = popup.inner_text()
    for expected in ("Tumen → Onsong", "9 October 2023", "300", "TJWG", "26 April 2024", "100"):
        assert expected in text


def test_start_and_bad_input_are_explicit():
    series = bordermap.event_series()
    m = bordermap.timeline_map(series, tiles=None, start="2024-04-26")
    assert '"label": "26 April 2024 (event 4 of 4)"' in m.get_root().render()
    with pytest.raises(ValidationError, match="no such event in the series"):
        bordermap.timeline_map(series, tiles=None, start="2020-01-01")
    with pytest.raises(ValidationError, match="one row per crossing per event"):
        bordermap.timeline_map(bordermap.load_crossings(), tiles=None)


HOSTILE = '<img src=x onerror="alert(1)"> {{ 7*7 }}'


@pytest.fixture(scope="module")
def hostile_map(tmp_path_factory):
    table = pd.DataFrame(
        {
            "event_date": ["2023-10-09"],
            "crossing": ["Onsong"],
            "figure": [300],
            "source": [HOSTILE],
            "source_date": ["2023-12-07"],
        }
    )
    long = bordermap.join_estimates(bordermap.load_crossings(), table, event="all")
    path = tmp_path_factory.mktemp("timeline") / "hostile.html"
    bordermap.save(bordermap.timeline_map(long, tiles=None), path, offline=True)
    return path


def test_markup_in_data_is_not_run_in_the_control(open_html, hostile_map):
    opened = open_html(hostile_map)
    opened.page.wait_for_selector(".bm-timeline")
    assert opened.dialogs == [] and opened.errors == []
    assert '<img src=x onerror="alert(1)">' in opened.page.locator(".bm-credit").inner_text()
    assert opened.page.locator(".bm-timeline img, .bm-credit img").count() == 0


def test_template_braces_in_data_are_shown_as_typed(open_html, hostile_map):
    opened = open_html(hostile_map)
    opened.page.wait_for_selector(".bm-timeline")
    assert "{{ 7*7 }}" in opened.page.locator(".bm-credit").inner_text()


def test_a_korean_time_map_speaks_korean_in_leaflet_too(open_html, tmp_path):
    m = bordermap.timeline_map(bordermap.event_series(), tiles=None, lang="ko")
    path = bordermap.save(m, tmp_path / "series-ko.html", offline=True)
    page = open_html(path).page
    zoom_in = page.locator(".leaflet-control-zoom-in").get_attribute("title")
    assert zoom_in == bordermap.i18n.text("zoom_in", "ko") != "Zoom in"
    font = page.locator(".bm-timeline").evaluate("el => getComputedStyle(el).fontFamily")
    assert "CJK KR" in font


# The summary, table and keyboard of the time map (its accessibility).

_NOT_NAMED = "not named in reports of this event"


def _series(rows: list[tuple], crossings=None):
    """A joined series from (event_date, crossing, figure, low, high, qualifier, source)."""
    columns = ["event_date", "crossing", "figure", "low", "high", "qualifier", "source"]
    table = pd.DataFrame(rows, columns=columns).assign(source_date="2024-05-01")
    for column in ("figure", "low", "high"):
        table[column] = table[column].astype("Int64")
    crossings = bordermap.load_crossings() if crossings is None else crossings
    return bordermap.join_estimates(crossings, table, event="all")


SUMMARIES = {
    # rows, the "Largest figures" part, the "No published figure" part
    "ranked by figure, not by order, three at most": (
        [
            ("2023-10-09", "Dandong", 50, None, None, "", "S"),
            ("2023-10-09", "Hyesan", 400, None, None, "", "S"),
            ("2024-04-26", "Musan", 120, None, None, "", "S"),
            ("2024-04-26", "Kyongwon", 10, None, None, "", "S"),
        ],
        "Largest figures: Changbai → Hyesan 400 (9 October 2023), Helong → Musan 120 "
        "(26 April 2024) and Dandong → Sinuiju 50 (9 October 2023)",
        "No published figure: Tumen → Onsong",
    ),
    "a crossing's largest figure, once, as written on its circle": (
        [
            ("2023-10-09", "Onsong", None, None, 200, "up to", "S"),
            ("2024-04-26", "Onsong", None, 50, 60, "range", "S"),
        ],
        "Largest figures: Tumen → Onsong up to 200 (9 October 2023)",
        "No published figure: Dandong → Sinuiju, Changbai → Hyesan, Helong → Musan and "
        "Hunchun → Kyongwon",
    ),
}


@pytest.mark.parametrize("rows, largest, unknown", list(SUMMARIES.values()), ids=list(SUMMARIES))
def test_summary_names_the_largest_figures_and_never_counts_the_unknown(rows, largest, unknown):
    spec = bordermap.describe_timeline(_series(rows), title="Returns")
    assert spec.summary.startswith(
        "Returns. A time map of 2 events from 9 October 2023 to 26 April 2024 at 5 border "
        "crossings; each step shows one event, or everything since the first. "
        "Published totals: none. "
    )
    assert spec.summary.endswith(f" {largest}. {unknown}.")


def test_summary_of_the_bundled_series_in_korean_from_its_own_figures():
    spec = bordermap.describe_timeline(bordermap.event_series(), lang="ko")
    totals = [bordermap.i18n.format_date(s.date, "ko") for s in spec.steps]
    assert spec.summary.startswith(f"{spec.title}. {totals[0]}부터 {totals[-1]}까지 사건 4건")
    assert "공개된 총인원: 80 (2023년 8월 29일), 40 (2023년 9월 18일), 500 이상 " in spec.summary
    assert "가장 큰 수치: 투먼 → 온성 300 (2023년 10월 9일) 및 단둥 → 신의주 180" in spec.summary
    assert spec.summary.endswith("공개된 수치 없음: 창바이 → 혜산, 허룽 → 무산 및 훈춘 → 경원.")


def test_the_map_is_a_region_described_by_the_summary(open_html, series_map):
    page = open_html(series_map).page
    page.wait_for_selector(".bm-timeline")
    region = page.get_by_role("region", name="Map: Forced repatriation from China to North Korea")
    described = region.get_attribute("aria-describedby")
    summary = page.locator(f"#{described}").text_content()
    assert summary == bordermap.describe_timeline(bordermap.event_series()).summary != ""


def _table_rows(page) -> list[list[str]]:
    page.get_by_role("button", name="Data table").click()
    rows = page.locator("table.bm-data-table").first.locator("tbody tr")
    return [r.locator("td, th").all_text_contents() for r in rows.all()]


def _shown(page) -> list[str]:
    """Every figure or note written beside a crossing on the map, placed or not."""
    return sorted(page.locator(".bm-figure span").all_text_contents())


def test_table_lists_every_step_and_crossing_as_the_map_shows_them(open_html, series_map):
    spec = bordermap.describe_timeline(bordermap.event_series())
    page = open_html(series_map).page
    page.wait_for_selector("[data-bm-labels-placed]")
    shown = {}
    for mode in ("event", "cumulative"):
        page.check(f"input[value={mode}]")
        for i in range(len(spec.steps)):
            page.locator(".bm-range").fill(str(i))
            shown[mode, i] = _shown(page)
    rows = _table_rows(page)
    assert len(rows) == len(spec.steps) * 5
    for i, step in enumerate(spec.steps):
        mine = [r for r in rows if r[0] == step.label]
        assert [r[1] for r in mine] == [s.popup.heading for s in step.event]
        for mode, column in (("event", 2), ("cumulative", 3)):
            written = sorted(r[column] for r in mine if r[column] != _NOT_NAMED)
            assert written == shown[mode, i], (step.label, mode)
    october = {r[1]: r for r in rows if r[0].startswith("9 October 2023")}
    assert (
        "300 (Transitional Justice Working Group (TJWG), press release and map, 7 December 2023)"
        in (october["Tumen → Onsong"][4])
    )
    totals = page.locator("table.bm-data-table").nth(1).locator("tbody tr")
    assert totals.count() == len(spec.steps)
    assert totals.nth(3).text_content().endswith("680")


def test_summed_table_rows(open_html, summed_map):
    page = open_html(summed_map).page
    page.wait_for_selector(".bm-timeline")
    april = {r[1]: r[2:] for r in _table_rows(page) if r[0].startswith("26 April 2024")}
    assert april["Tumen → Onsong"] == ["100", "400", "100 (Test source, 1 May 2024)"]
    assert april["Dandong → Sinuiju"] == [_NOT_NAMED, "180", ""]


def _tab_through(page, presses: int = 45) -> list[str]:
    """The accessible names Tab reaches, in order."""
    names = []
    for _ in range(presses):
        page.keyboard.press("Tab")
        names.append(page.evaluate("document.activeElement.getAttribute('aria-label') || ''"))
    return names


def test_tab_reaches_the_step_buttons_and_each_crossing_of_the_step(open_html, series_map):
    page = open_html(series_map, width=1280, height=800).page
    page.wait_for_selector("[data-bm-labels-placed]")
    page.locator(".bm-range").fill("2")
    names = _tab_through(page)
    assert "next event" in names and "previous event" in names
    crossings = sorted(n.split(":")[0] for n in names if "→" in n)
    assert crossings == [
        "Changbai → Hyesan",
        "Dandong → Sinuiju",
        "Helong → Musan",
        "Hunchun → Kyongwon",
        "Tumen → Onsong",
    ]
    tumen = page.locator("path.bm-crossing[aria-label^='Tumen → Onsong: 300']")
    tumen.focus()
    assert page.evaluate("getComputedStyle(document.activeElement).strokeWidth") == "4px"
    for key in ("Enter", " "):
        page.keyboard.press("Escape")
        tumen.focus()
        page.keyboard.press(key)
        assert "Tumen → Onsong" in page.locator(".leaflet-popup-content").text_content()


def test_keyboard_steps_are_announced_and_keep_focus(open_html, series_map):
    page = open_html(series_map).page
    page.wait_for_selector(".bm-timeline")
    live = page.locator(".bm-step-label")
    assert live.get_attribute("aria-live") == "polite"
    page.locator(".bm-next").focus()
    for label in ("18 September 2023", "9 October 2023", "26 April 2024"):
        page.keyboard.press("Enter")
        assert live.text_content().startswith(label)
    # The next button is disabled on the last step: focus moves to previous, not the page.
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "previous event"
    page.keyboard.press(" ")
    assert live.text_content().startswith("9 October 2023")


HOSTILE_NAME = "<img src=x onerror=alert(1)> {{7*7}}"


@pytest.fixture(scope="module")
def hostile_names_map(tmp_path_factory):
    """A crossing named, and a source written, as markup and as a template."""
    crossings = bordermap.load_crossings()
    crossings.loc[crossings["id"] == "tumen-onsong", "label_en"] = HOSTILE_NAME
    long = _series([("2023-10-09", "tumen-onsong", 300, None, None, "", HOSTILE_NAME)], crossings)
    path = tmp_path_factory.mktemp("timeline") / "hostile-names.html"
    bordermap.save(bordermap.timeline_map(long, tiles=None), path, offline=True)
    return path


def test_hostile_name_and_source_stay_text_in_summary_and_table(open_html, hostile_names_map):
    opened = open_html(hostile_names_map)
    page = opened.page
    page.wait_for_selector(".bm-timeline")
    summary = page.locator("p.bm-sr-only").text_content()
    assert f"Largest figures: {HOSTILE_NAME} 300 (9 October 2023)" in summary
    rows = _table_rows(page)
    hostile = [r[2:] for r in rows if r[1] == HOSTILE_NAME]
    assert hostile == [["300", "300", f"300 ({HOSTILE_NAME}, 1 May 2024)"]]
    assert page.locator("img, .bm-table-panel script").count() == 0
    assert "49" not in summary + page.locator(".bm-table-panel").text_content()
    assert opened.dialogs == [] and opened.errors == []


# --- Small frames: a phone, a small phone and a 640×400 iframe ---------------------------

_SMALL = {"390x844": (390, 844), "360x640": (360, 640), "iframe": None}

_SEEN = (
    "() => {"
    + OVERLAPPING
    + """
  const map = document.querySelector('.leaflet-container');
  const frame = map.getBoundingClientRect();
  const controls = [...document.querySelectorAll('.leaflet-control')]
    .map((el) => [el.className, el.getBoundingClientRect()])
    .filter(([, r]) => r.width > 0 && r.height > 0);
  const overlaps = overlapping(controls);
  const covered = [...document.querySelectorAll('path.bm-crossing')].map((el) => {
    const r = el.getBoundingClientRect(), x = r.left + r.width / 2, y = r.top + r.height / 2;
    const inside = x > frame.left && x < frame.right && y > frame.top && y < frame.bottom;
    const top = inside ? document.elementFromPoint(x, y) : null;
    return inside && top && !top.closest('.leaflet-control') ? null : [x, y];
  }).filter(Boolean);
  const control = document.querySelector('.bm-timeline').getBoundingClientRect();
  const fold = document.querySelector('.bm-timeline .bm-fold');
  return {overlaps, covered, crossings: document.querySelectorAll('path.bm-crossing').length,
          control: control.height, foldSpills: fold.scrollWidth > fold.clientWidth + 1};
}"""
)


@pytest.fixture(scope="module")
def small_frames(tmp_path_factory):
    """The time map in English and Korean, each with a page holding it in a 640×400 iframe."""
    folder = tmp_path_factory.mktemp("small-frames")
    pages = {}
    for lang in ("en", "ko"):
        m = bordermap.timeline_map(
            bordermap.event_series(),
            bordermap.load_facilities(),
            tiles=None,
            lang=lang,
            start="2023-10-09",
        )
        path = bordermap.save(m, folder / f"{lang}.html", offline=True)
        host = folder / f"{lang}-host.html"
        host.write_text(
            '<!doctype html><html lang="en"><title>host</title><body style="margin:0">'
            f'<iframe src="{path.as_uri()}" width="640" height="400" title="map"'
            ' style="border:0"></iframe></body></html>',
            encoding="utf-8",
        )
        pages[lang] = (path, host)
    return pages


@pytest.mark.parametrize("size", list(_SMALL))
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_in_a_small_frame_every_crossing_shows_and_the_control_is_one_row(
    open_html, small_frames, lang, size
):
    path, host = small_frames[lang]
    if _SMALL[size] is None:
        opened = open_html(host, width=660, height=420)
        opened.page.frame_locator("iframe").locator("[data-bm-labels-placed]").wait_for()
        frame = opened.page.frames[1]
    else:
        opened = open_html(path, width=_SMALL[size][0], height=_SMALL[size][1])
        frame = opened.page
        frame.wait_for_selector("[data-bm-labels-placed]", state="attached")
    assert opened.requests == [] and opened.errors == []
    seen = frame.evaluate(_SEEN)
    assert seen["crossings"] >= 5
    assert seen["covered"] == [] and seen["overlaps"] == [], seen
    assert seen["control"] <= 40 and not seen["foldSpills"], seen  # one row: ◀ ▶ date +
    if lang == "en" and size == "iframe":
        opened.page.screenshot(path="/work/shots/time-iframe-640x400.png")
    # The basemap's towns and countries take part in placing too, in every language.
    assert label_overlaps(frame)["overlaps"] == []
    for placed in after_zooming_in(frame):
        assert placed["overlaps"] == [], placed
    # Opened, the totals and sources show under the row; no control draws over another.
    frame.locator(".bm-timeline .bm-fold").click()
    assert frame.locator(".bm-timeline .bm-step-body").is_visible()
    opened_seen = frame.evaluate(_SEEN)
    assert opened_seen["overlaps"] == [] and not opened_seen["foldSpills"], opened_seen


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_on_a_desktop_the_control_holds_its_text_and_labels_keep_apart(
    open_html, small_frames, lang
):
    opened = open_html(small_frames[lang][0], width=1280, height=800)
    opened.page.wait_for_selector("[data-bm-labels-placed]", state="attached")
    seen = opened.page.evaluate(_SEEN)
    assert seen["overlaps"] == [] and seen["covered"] == [] and not seen["foldSpills"], seen
    for placed in after_zooming_in(opened.page):
        assert placed["overlaps"] == [], placed
