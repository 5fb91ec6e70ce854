"""Facilities of any country (describe/facilities.py): a colour, a layer and a legend row
named from their ``country`` in the map's language, in the page and the image alike; a
facility under a crossing's circle stays seen and reachable."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import Point

import bordermap
from bordermap import theme
from bordermap.describe.facilities import facility_colors, facility_layer_name
from bordermap.export.outputs import images_bytes

from .test_render_image import svg_texts

DATA = Path(__file__).parent / "data" / "framing"


def _th_mm(lang: str = "en"):
    joined = bordermap.join_estimates(
        bordermap.load_crossings(DATA / "th_mm_crossings.csv"), DATA / "th_mm_estimates.csv"
    )
    facilities = bordermap.load_facilities(DATA / "th_mm_facilities.csv")
    return joined, facilities


@pytest.fixture(scope="module")
def specs():
    joined, facilities = _th_mm()
    return {
        lang: bordermap.describe_crossings(joined, facilities, lang=lang) for lang in ("en", "ko")
    }


def test_each_country_gets_a_colour_a_layer_and_a_legend_row_named_in_the_language(specs):
    rows = {e.label: e for e in specs["en"].legend.entries}
    thailand, myanmar = rows["Facilities in Thailand"], rows["Facilities in Myanmar"]
    colours = {s.layer: s.style.color for s in specs["en"].symbols if s.kind == "facility"}
    assert colours == {"facilities_TH": thailand.fill, "facilities_MM": myanmar.fill}
    assert thailand.fill != myanmar.fill and theme.GREY not in colours.values()
    assert specs["en"].layer_names["facilities_TH"] == "Facilities in Thailand"
    korean = {e.label for e in specs["ko"].legend.entries}
    assert {"태국 내 시설", "미얀마 내 시설"} <= korean
    # Every facility colour stands out from land (WCAG 1.4.11, 3:1).
    lands = [c for key, c in theme.BASEMAP_COLORS.items() if "land" in key]
    for colour in colours.values():
        assert min(theme.contrast_ratio(colour, land) for land in lands) >= 3.0, colour


def test_the_bundled_map_keeps_its_two_rows_and_an_unknown_country_gets_grey():
    rows = [
        e.label
        for e in bordermap.describe_crossings(
            bordermap.load_crossings(), bordermap.load_facilities()
        ).legend.entries
    ]
    assert rows.count("Facilities in China") == rows.count("Facilities in North Korea") == 1
    assert len([row for row in rows if row.startswith("Facilities")]) == 2
    assert facility_colors(["XX", "other"]) == {"XX": "#8c3bff", "other": theme.GREY}
    places = gpd.GeoDataFrame(
        {"id": ["a"], "name_en": ["A"], "country": ["not a country"], "precision": ["site"]},
        geometry=[Point(100.0, 18.0)],
        crs="EPSG:4326",
    )
    joined, _ = _th_mm()
    spec = bordermap.describe_crossings(joined, places)
    assert [s.layer for s in spec.symbols if s.kind == "facility"] == ["facilities_other"]
    assert "Facilities" in {e.label for e in spec.legend.entries}
    assert facility_layer_name("TH", "zh") == "泰国境内设施"


def test_the_image_names_each_country_in_its_legend_and_draws_facilities_over_circles():
    joined, facilities = _th_mm()
    m = bordermap.crossing_map(joined, facilities, tiles=None)
    svg = images_bytes(m, ["svg"])["svg"]
    texts = svg_texts(svg)
    assert "Facilities in Thailand" in texts and "Facilities in Myanmar" in texts
    # Mae Sot's circle (drawn first, the largest), then the Thai facility under it, on top.
    data = svg.decode()
    circle = data.index("fill: #b2182b; fill-opacity: 0.78")
    thai = next(s for s in m.spec.symbols if s.layer == "facilities_TH").style.color
    facility = data.index(f"fill: {thai}")
    assert circle < facility


# The Thai facility under the Mae Sot circle: what lies on top at its centre, whether it is
# reached with Tab, and its name.
_UNDER = """() => {
  const dots = [...document.querySelectorAll('path.bm-facility.bm-th')];
  return dots.map((p) => {
    const r = p.getBoundingClientRect(), x = (r.left + r.right) / 2, y = (r.top + r.bottom) / 2;
    const top = document.elementFromPoint(x, y);
    const circles = [...document.querySelectorAll('path.bm-crossing')].filter((c) => {
      const b = c.getBoundingClientRect();
      return Math.hypot((b.left + b.right) / 2 - x, (b.top + b.bottom) / 2 - y) < b.width / 2;
    });
    return {top: top === p, tab: p.getAttribute('tabindex'), name: p.getAttribute('aria-label'),
            under: circles.length, x, y};
  });
}"""


@pytest.mark.browser
def test_in_the_page_a_facility_under_a_circle_is_seen_clicked_and_reached(open_html, tmp_path):
    joined, facilities = _th_mm()
    path = bordermap.save(
        bordermap.crossing_map(joined, facilities, tiles=None), tmp_path / "th.html", offline=True
    )
    opened = open_html(path, width=1280, height=800)
    page = opened.page
    page.wait_for_selector("[data-bm-labels-placed]", state="attached")
    legend = page.locator(".bm-legend").inner_text()
    assert "Facilities in Thailand" in legend and "Facilities in Myanmar" in legend
    assert "Facilities in Thailand" in page.locator(".leaflet-control-layers").inner_text()
    (dot,) = page.evaluate(_UNDER)
    assert dot["under"] == 1 and dot["top"] and dot["tab"] == "0", dot
    assert dot["name"].startswith("Mae Sot immigration detention centre")
    page.mouse.click(dot["x"], dot["y"])
    assert "Mae Sot immigration detention centre" in page.locator(".leaflet-popup").inner_text()
    assert opened.errors == []
