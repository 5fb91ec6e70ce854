"""A figure on its circle only where its text fits there; otherwise beside it, in dark text —
decided in the description (describe/figure_fit.py), drawn so in the page and the image."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

import bordermap
from bordermap.describe.figure_fit import figure_fits, figure_width
from bordermap.render.image.frame import Frame
from bordermap.render.image.legend import PT_PER_PX
from bordermap.render.image.lettering import draw_labels
from bordermap.render.image.text import rc

from .label_checks import label_overlaps

DATA = Path(__file__).parent / "data" / "framing"


def _joined(border: str):
    return bordermap.join_estimates(
        bordermap.load_crossings(DATA / f"{border}_crossings.csv"),
        DATA / f"{border}_estimates.csv",
    )


@pytest.fixture(scope="module")
def specs():
    """Afghanistan–Pakistan ('over 1,200' and 'up to 30' on circles too small for them) and
    Thailand–Myanmar ('2,400' on a large one), in English and Korean."""
    return {
        (border, lang): bordermap.describe_crossings(_joined(border), lang=lang)
        for border in ("af_pk", "th_mm")
        for lang in ("en", "ko")
    }


def test_a_wider_text_needs_a_larger_circle():
    assert figure_width("over 1,200") > figure_width("1,200") > figure_width("300") > 0
    assert figure_fits("300", 34.0) and not figure_fits("300", 12.0)
    # The same text fits from one radius up: no radius between where it flips back.
    fits = [figure_fits("up to 30", r / 2) for r in range(20, 120)]
    assert fits == sorted(fits) and fits[0] is False and fits[-1] is True


def test_the_description_puts_a_figure_on_its_circle_only_where_it_fits(specs):
    radii = {s.id: s.style.radius for s in specs[("af_pk", "en")].symbols}
    for spec in specs.values():
        figures = [x for x in spec.labels if x.role == "figure"]
        assert figures
        for label in figures:
            fits = figure_fits(label.text, radii.get(label.symbol, label.radius))
            assert label.inverse is fits and label.fixed is fits, label
            # Beside its circle, a figure is placed like a name: with a leader if moved out.
            assert label.fixed or (label.position == "right" and label.leader)
    beside = {x.text for x in specs[("af_pk", "en")].labels if x.role == "figure"}
    assert beside == {"over 1,200", "up to 30"}
    assert not any(x.inverse for x in specs[("af_pk", "en")].labels)
    assert any(x.inverse for x in specs[("th_mm", "en")].labels if x.text == "2,400")


def test_in_the_image_a_white_figure_lies_inside_its_circle_and_a_dark_one_beside(specs):
    for spec in specs.values():
        with matplotlib.rc_context(rc(spec.lang)):
            _check_image_figures(spec)


def _check_image_figures(spec) -> None:
    fig = Figure(figsize=(8, 6), dpi=100)
    frame = Frame([list(spec.bounds[0]), list(spec.bounds[1])], (8.0, 6.0))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(frame.extent[0], frame.extent[1])
    ax.set_ylim(frame.extent[2], frame.extent[3])
    ax.set_aspect("equal", adjustable="datalim")
    draw_labels(fig, ax, frame, spec.symbols, spec.labels)
    renderer = FigureCanvasAgg(fig).get_renderer()
    px = PT_PER_PX * fig.dpi / 72
    circles = {s.id: s for s in spec.symbols}
    figures = {x.text: x for x in spec.labels if x.role == "figure"}
    drawn = [t for t in ax.texts if t.get_text() in figures]
    assert len(drawn) == len(figures)
    for text in drawn:
        label = figures[text.get_text()]
        symbol = circles[label.symbol]
        cx, cy = ax.transData.transform(frame.point(symbol.lat, symbol.lon))
        box = text.get_window_extent(renderer)
        radius = symbol.style.radius * px
        corners = [(x, y) for x in (box.x0, box.x1) for y in (box.y0, box.y1)]
        if label.inverse:
            assert text.get_color() == "#ffffff"
            assert all((x - cx) ** 2 + (y - cy) ** 2 <= radius**2 for x, y in corners)
        else:
            assert text.get_color() == bordermap.theme.INK
            # Beside the circle: the box's nearest point is outside it.
            nx, ny = min(max(cx, box.x0), box.x1), min(max(cy, box.y0), box.y1)
            assert (nx - cx) ** 2 + (ny - cy) ** 2 >= (radius - 1) ** 2, label.text


# Every figure of a known crossing in the page: its text, whether it is white on its circle
# (bm-inverse), its colour, its box and its circle's centre and radius (the crossing whose
# centre is nearest its anchor).
_FIGURES = """() => {
  const circles = [...document.querySelectorAll('path.bm-crossing')].map((p) => {
    const r = p.getBoundingClientRect();
    return {x: (r.left + r.right) / 2, y: (r.top + r.bottom) / 2, r: r.width / 2};
  });
  return [...document.querySelectorAll('.bm-figure.bm-known span')].map((s) => {
    const at = s.parentElement.getBoundingClientRect(), b = s.getBoundingClientRect();
    const c = circles.reduce((best, k) =>
      Math.hypot(k.x - at.left, k.y - at.top) < Math.hypot(best.x - at.left, best.y - at.top)
        ? k : best);
    return {text: s.textContent, inverse: s.parentElement.classList.contains('bm-inverse'),
            shown: !s.classList.contains('bm-hidden'), color: getComputedStyle(s).color,
            box: [b.left, b.top, b.right, b.bottom], circle: c};
  });
}"""


@pytest.fixture(scope="module")
def pages(specs, tmp_path_factory):
    folder = tmp_path_factory.mktemp("figure-fit")
    made = {}
    for border, lang in specs:
        m = bordermap.crossing_map(_joined(border), tiles=None, lang=lang)
        made[(border, lang)] = bordermap.save(m, folder / f"{border}-{lang}.html", offline=True)
    return made


@pytest.mark.browser
@pytest.mark.parametrize("size", [(390, 844), (1280, 800)], ids=["phone", "desktop"])
@pytest.mark.parametrize("key", [("af_pk", "en"), ("af_pk", "ko"), ("th_mm", "en")])
def test_in_the_page_a_white_figure_lies_inside_its_circle_and_a_dark_one_beside(
    open_html, pages, key, size
):
    opened = open_html(pages[key], width=size[0], height=size[1])
    page = opened.page
    page.wait_for_selector("[data-bm-labels-placed]", state="attached")
    page.evaluate("() => document.fonts.ready.then(() => true)")
    figures = page.evaluate(_FIGURES)
    assert figures and opened.errors == []
    for figure in figures:
        c, (left, top, right, bottom) = figure["circle"], figure["box"]
        if figure["inverse"]:
            assert figure["color"] == "rgb(255, 255, 255)"
            corners = [(x, y) for x in (left, right) for y in (top, bottom)]
            assert all((x - c["x"]) ** 2 + (y - c["y"]) ** 2 <= c["r"] ** 2 for x, y in corners)
        else:
            assert figure["shown"], figure
            assert figure["color"] == "rgb(34, 34, 34)", figure
            nx, ny = min(max(c["x"], left), right), min(max(c["y"], top), bottom)
            assert (nx - c["x"]) ** 2 + (ny - c["y"]) ** 2 >= (c["r"] - 1) ** 2, figure
    assert any(not f["inverse"] for f in figures) or key[0] == "th_mm"
    assert label_overlaps(page)["overlaps"] == []
