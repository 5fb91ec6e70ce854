"""The interactive map as a reader sees it, in a real headless Chromium with no network."""

from __future__ import annotations

import pytest

import bordermap
from bordermap.cli import main
from bordermap.errors import BordermapWarning
from bordermap.inputs import bundled_path
from tests.conftest import DATA

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def october_map(tmp_path_factory):
    """The press officer's file: `bordermap render -o october.html --offline`."""
    path = tmp_path_factory.mktemp("map") / "october.html"
    assert main(["render", "-o", str(path), "--offline"]) == 0
    return path


def test_library_and_command_line_make_the_same_file(october_map, tmp_path):
    joined = bordermap.join_estimates(
        bordermap.load_crossings(), bundled_path("events/2023-10-09.csv")
    )
    m = bordermap.crossing_map(joined, bordermap.load_facilities(), tiles=None)
    path = bordermap.save(m, tmp_path / "api.html", offline=True)
    assert path.read_bytes() == october_map.read_bytes()


def test_offline_map_loads_with_no_request_and_no_error(open_html, october_map):
    opened = open_html(october_map)
    page = opened.page
    page.wait_for_selector(".bm-crossing")
    assert opened.errors == []
    assert opened.requests == []


def test_five_crossings_with_figures_and_unknowns(open_html, october_map):
    page = open_html(october_map).page
    page.wait_for_selector(".bm-crossing")
    assert page.locator("path.bm-crossing").count() == 5
    assert page.locator("path.bm-crossing.bm-known").count() == 2
    assert page.locator("path.bm-crossing.bm-unknown").count() == 3
    figures = sorted(page.locator(".bm-figure.bm-known span").all_inner_texts())
    assert figures == ["180", "300"]
    unknown = page.locator(".bm-figure.bm-unknown span").all_inner_texts()
    assert unknown == ["no published figure"] * 3
    names = page.locator(".bm-name span").all_inner_texts()
    assert {"Tumen → Onsong", "Dandong → Sinuiju", "Changbai → Hyesan"} <= set(names)


def test_larger_figure_draws_a_larger_circle_by_area(open_html, october_map):
    page = open_html(october_map).page
    page.wait_for_selector(".bm-crossing")
    boxes = [p.bounding_box() for p in page.locator("path.bm-crossing.bm-known").all()]
    widths = sorted(b["width"] for b in boxes)
    # Area ∝ figure: the ratio of diameters is sqrt(300 / 180) ≈ 1.29 (stroke adds a little).
    assert 1.2 < widths[1] / widths[0] < 1.38


def test_legend_title_and_credit_are_visible(open_html, october_map):
    page = open_html(october_map).page
    legend = page.locator(".bm-legend")
    assert legend.is_visible()
    assert "People sent across" in legend.inner_text()
    assert "no published figure" in legend.inner_text()
    assert page.locator(".bm-size-legend circle").count() == 3
    assert "Forced repatriation" in page.locator(".bm-title").inner_text()
    assert "9 October 2023" in page.locator(".bm-title").inner_text()
    credit = page.locator(".bm-credit").inner_text()
    assert "Transitional Justice Working Group" in credit and "7 December 2023" in credit


def test_facilities_tell_countries_and_precision_apart(open_html, october_map):
    page = open_html(october_map).page
    page.wait_for_selector(".bm-facility")
    assert page.locator("path.bm-facility.bm-cn").count() == 5
    assert page.locator("path.bm-facility.bm-kp").count() == 6
    assert page.locator("path.bm-facility.bm-site").count() == 2
    assert page.locator("path.bm-halo").count() >= 9


def _off_centre(circle) -> dict:
    """A point inside a circle, off its centre: a facility may lie there, drawn over it."""
    box = circle.bounding_box()
    return {"x": box["width"] / 2, "y": box["height"] * 0.2}


def test_popup_lists_every_estimate_with_source_and_date(open_html, october_map):
    page = open_html(october_map).page
    page.wait_for_selector(".bm-crossing")
    dandong = page.locator("path.bm-crossing.bm-known").nth(0)
    boxes = {p.bounding_box()["y"]: p for p in page.locator("path.bm-crossing.bm-known").all()}
    dandong = boxes[max(boxes)]  # the southern circle is Dandong
    dandong.click(position=_off_centre(dandong))
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    text = popup.inner_text()
    assert "Dandong → Sinuiju" in text
    for expected in ("180", "up to 200", "about 60", "Asia Economy", "27 October 2023"):
        assert expected in text
    assert "shown on map" in text


def test_layer_control_hides_a_layer(open_html, october_map):
    page = open_html(october_map).page
    page.wait_for_selector(".bm-facility")
    page.get_by_label("Facilities in China").uncheck()
    assert page.locator("path.bm-facility.bm-cn").count() == 0
    assert page.locator("path.bm-crossing").count() == 5


def test_template_syntax_in_a_data_cell_is_shown_as_typed(open_html, tmp_path):
    """folium compiles a MacroElement's output as Jinja again; bordermap's elements must not."""
    out = tmp_path / "jinja.html"
    estimates = DATA / "estimates_jinja.csv"
    assert main(["render", "-o", str(out), "--offline", "--estimates", str(estimates)]) == 0
    page = out.read_text(encoding="utf-8")
    assert "37035" not in page and "ZZZ" not in page
    opened = open_html(out)
    circle = opened.page.locator("path.bm-crossing.bm-known").first
    circle.click(position=_off_centre(circle))
    popup = opened.page.locator(".leaflet-popup-content").inner_text()
    assert "{{ 12345*3 }}" in popup
    assert "{% for x in range(3) %}Z{% endfor %}" in popup
    assert not opened.errors and not opened.dialogs


def test_a_map_saved_twice_or_shown_first_gives_the_same_bytes():
    """folium adds each layer's addTo again on every render; bordermap renders afresh."""
    m = bordermap.crossing_map(bordermap.load_crossings(), tiles=None)
    first = bordermap.to_html(m, offline=True)
    m._repr_html_()  # shown in Jupyter
    assert bordermap.to_html(m, offline=True) == first


def test_a_long_source_wraps_in_its_tooltip(open_html, october_map):
    """Leaflet keeps tooltips on one line: a long source title would run across the map."""
    page = open_html(october_map).page
    circle = page.locator("path.bm-crossing.bm-known").first
    circle.hover(position=_off_centre(circle))
    tooltip = page.locator(".leaflet-tooltip").first
    tooltip.wait_for()
    assert "Activists warn" in tooltip.inner_text()
    assert tooltip.bounding_box()["width"] <= 340


def test_page_scripts_are_written_once_however_many_elements_use_them():
    joined = bordermap.join_estimates(
        bordermap.load_crossings(), bordermap.inputs.bundled_path("events/2023-10-09.csv")
    )
    page = bordermap.crossing_map(joined, bordermap.load_facilities(), tiles=None).render_page()
    # title, legend and credit fold; crossings, two facility layers and routes are buttons
    assert page.count("function bordermapFold(") == 1
    assert page.count("function bordermapButton(") == 1
    # ... while each panel and layer is its own data block, drawn by those scripts
    assert page.count('"draw": "bordermapHtmlControl"') >= 3
    assert page.count('"draw": "bordermapPointLayer"') >= 3
    assert page.count('"draw": "bordermapRouteLayer"') == 1


def test_the_size_legends_largest_circle_is_never_clipped():
    """A top value rounded up (150 → 200) draws a circle larger than the largest symbol: the
    legend's picture grows to hold it whole (it was cut at the top)."""
    import re

    from bordermap import theme
    from bordermap.render.leaflet.markup import legend_html
    from bordermap.spec import Legend, LegendSize

    sizes = tuple(
        LegendSize(v, theme.symbol_radius(v, 150), str(v)) for v in theme.legend_values(150)
    )
    assert sizes[0].radius > theme.MAX_RADIUS_PX + 2  # 150 → 200: the case that was clipped
    svg = re.search(
        r'<svg class="bm-size-legend"[^>]*height="(\d+)"', legend_html(Legend("t", sizes=sizes))
    )
    height = float(svg.group(1))
    for cy, r in re.findall(
        r'<circle cx="[\d.]+" cy="([\d.]+)" r="([\d.]+)"', legend_html(Legend("t", sizes=sizes))
    ):
        assert float(cy) - float(r) >= 0 and float(cy) + float(r) <= height


# The page's own line breaks in a panel: where each line of an element's text starts.
_LINE_STARTS = """(element) => {
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  let text = "", top = null;
  const starts = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (let i = 0; i < node.length; i++) {
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      const box = range.getClientRects()[0];
      if (box && top !== null && box.top > top + 2) starts.push(text.length + i);
      if (box) top = box.top;
    }
    text += node.data;
  }
  return { text, starts };
}"""


@pytest.mark.parametrize(
    ("lang", "title"),
    [
        # Burmese and Thai write no spaces inside a phrase: the title's spaces are its word
        # boundaries. ICU's dictionaries, which Chromium breaks these scripts' lines with, lack
        # these names and split them: ကော့|သောင်း (Kawthaung), เมีย|นมา (Myanmar).
        ("my", "တာချီလိတ် ကော့သောင်း ကော့သောင်း ကော့သောင်း"),
        ("th", "ประเทศเมียนมา ไทย แม่สอด ระนอง ประเทศเมียนมา"),
    ],
)
def test_a_title_in_a_script_without_spaces_wraps_only_between_its_words(
    open_html, tmp_path, lang, title
):
    """On a phone (390×844) the title wraps at the spaces between its words, never inside
    one, whatever ICU's dictionary knows."""
    folder = DATA / "gallery" / "thailand-myanmar"
    joined = bordermap.join_estimates(
        bordermap.load_crossings(folder / "crossings.geojson"), folder / "estimates.csv"
    )
    with pytest.warns(BordermapWarning, match="no catalog"):
        m = bordermap.crossing_map(joined, tiles=None, lang=lang, title=title)
    page = open_html(bordermap.save(m, tmp_path / "map.html", offline=True), width=390, height=844)
    lines = page.page.locator(".bm-title h1").evaluate(_LINE_STARTS)
    text, starts = lines["text"], lines["starts"]
    assert text == title and starts, "the title fits one line: the test shows nothing"
    inside = [text[i - 4 : i] + "|" + text[i : i + 4] for i in starts if not text[i - 1].isspace()]
    assert not inside
