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
from bordermap.inputs import bundled_path
from bordermap.render.image.frame import Frame
from bordermap.render.image.legend import PT_PER_PX
from bordermap.render.image.lettering import draw_labels
from bordermap.render.image.text import rc

from .label_checks import label_overlaps, settled

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
    ax, frame, renderer, px = _image_of(spec)
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


# --- a figure beside its circle is joined to it; a facility dot never touches a label ------

_MIN_LEADER_PX = 6.0  # a line a reader sees: longer than the gap a label keeps from a symbol


def _joins(line, centre, radius, box, reach=None) -> bool:
    """Whether a segment ((x1, y1), (x2, y2)) runs from the circle's edge (or the edge of
    the ring or halo round it, up to ``reach``) to the box's edge (left, top, right,
    bottom), a visible length, all in the same pixels (1.5 px of slack)."""
    (ax, ay), (bx, by) = line
    for (px, py), (qx, qy) in (((ax, ay), (bx, by)), ((bx, by), (ax, ay))):
        out = ((px - centre[0]) ** 2 + (py - centre[1]) ** 2) ** 0.5
        on_circle = radius - 1.5 < out < (reach or radius) + 1.5
        nx, ny = min(max(qx, box[0]), box[2]), min(max(qy, box[1]), box[3])
        on_box = ((qx - nx) ** 2 + (qy - ny) ** 2) ** 0.5 < 1.5
        if on_circle and on_box and ((px - qx) ** 2 + (py - qy) ** 2) ** 0.5 >= _MIN_LEADER_PX:
            return True
    return False


def _image_of(spec):
    """The spec's labels drawn on an 8×6 in axes: (ax, frame, renderer, CSS px per display px)."""
    fig = Figure(figsize=(8, 6), dpi=100)
    frame = Frame([list(spec.bounds[0]), list(spec.bounds[1])], (8.0, 6.0))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(frame.extent[0], frame.extent[1])
    ax.set_ylim(frame.extent[2], frame.extent[3])
    ax.set_aspect("equal", adjustable="datalim")
    draw_labels(fig, ax, frame, spec.symbols, spec.labels)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()  # the halo boxes take their places when drawn
    return ax, frame, canvas.get_renderer(), PT_PER_PX * fig.dpi / 72


def test_in_the_image_a_figure_beside_its_circle_has_a_leader_line(specs):
    for key in [("af_pk", "en"), ("af_pk", "ko")]:
        spec = specs[key]
        with matplotlib.rc_context(rc(spec.lang)):
            ax, frame, renderer, px = _image_of(spec)
        circles = {s.id: s for s in spec.symbols}
        beside = {x.text: x for x in spec.labels if x.role == "figure" and not x.fixed}
        lines = [ax.transData.transform(line.get_xydata()) for line in ax.lines]
        for text in ax.texts:
            if text.get_text() not in beside:
                continue
            symbol = circles[beside[text.get_text()].symbol]
            centre = ax.transData.transform(frame.point(symbol.lat, symbol.lon))
            b = text.get_bbox_patch().get_window_extent(renderer)
            box = (b.x0, b.y0, b.x1, b.y1)
            # From the edge of what the symbol draws: its circle, or its ring or halo round it.
            radius = beside[text.get_text()].radius * px
            assert any(_joins(line, centre, radius, box) for line in lines), text.get_text()


# Every leader line of the page, its two ends in page pixels.
_LEADERS = """() => [...document.querySelectorAll('path.bm-leader')].map((p) => {
  const m = p.getScreenCTM(), n = p.getTotalLength();
  return [p.getPointAtLength(0), p.getPointAtLength(n)].map((q) => {
    const s = new DOMPoint(q.x, q.y).matrixTransform(m);
    return [s.x, s.y];
  });
})"""


@pytest.mark.browser
@pytest.mark.parametrize("size", [(390, 844), (1280, 800)], ids=["phone", "desktop"])
def test_in_the_page_a_figure_beside_its_circle_has_a_leader_line(open_html, pages, size):
    opened = open_html(pages[("af_pk", "en")], width=size[0], height=size[1])
    page = opened.page
    page.wait_for_selector("[data-bm-labels-placed]", state="attached")
    page.evaluate("() => document.fonts.ready.then(() => true)")
    page.wait_for_timeout(300)
    leaders = page.evaluate(_LEADERS)
    beside = [f for f in page.evaluate(_FIGURES) if not f["inverse"]]
    assert len(beside) == 2 and opened.errors == []
    for figure in beside:
        c = figure["circle"]
        # From the circle or the halo round it (an approximate place's: Chaman's, 40 px out).
        ends = (c["x"], c["y"]), c["r"], figure["box"], c["r"] + 60
        assert any(_joins(line, *ends) for line in leaders), (
            figure,
            leaders,
        )


# Every facility dot and every shown label of the page: [centre x, y, radius] and
# [text, [left, top, right, bottom]].
_DOTS_AND_LABELS = """() => ({
  dots: [...document.querySelectorAll('path.bm-facility')].map((p) => {
    const r = p.getBoundingClientRect();
    return [(r.left + r.right) / 2, (r.top + r.bottom) / 2, r.width / 2];
  }).filter(([, , r]) => r > 0),
  labels: [...document.querySelectorAll('.leaflet-marker-icon .bm-label-text:not(.bm-hidden)')]
    .map((s) => { const b = s.getBoundingClientRect();
      return [s.textContent, [b.left, b.top, b.right, b.bottom]]; })
    .filter(([, b]) => b[2] > b[0]),
})"""


def _touching(dots, labels) -> list:
    """The (label text, dot) pairs whose box comes nearer the dot's centre than its radius."""
    out = []
    for text, (left, top, right, bottom) in labels:
        for x, y, r in dots:
            nx, ny = min(max(x, left), right), min(max(y, top), bottom)
            if (x - nx) ** 2 + (y - ny) ** 2 < r * r:
                out.append((text, (round(x), round(y))))
    return out


@pytest.fixture(scope="module")
def bundled_page(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bundled")
    joined = bordermap.join_estimates(
        bordermap.load_crossings(), bundled_path("events/2023-10-09.csv")
    )
    m = bordermap.crossing_map(joined, bordermap.load_facilities(), tiles=None)
    return bordermap.save(m, folder / "bundled.html", offline=True)


_PLACED = "document.querySelector('[data-bm-labels-placed]')"
# Three zoom levels in, around the largest crossing circle (Tumen → Onsong's), no animation.
_ZOOM_ON_ONSONG = """() => {
  const map = Object.values(window).find((v) => v instanceof L.Map);
  const big = [...document.querySelectorAll('path.bm-crossing')].map((p) =>
    p.getBoundingClientRect()).reduce((a, b) => (b.width > a.width ? b : a));
  const frame = map.getContainer().getBoundingClientRect();
  const at = L.point((big.left + big.right) / 2 - frame.left,
    (big.top + big.bottom) / 2 - frame.top);
  map.setZoomAround(at, map.getZoom() + 3, {animate: false});
}"""


@pytest.mark.browser
@pytest.mark.parametrize("size", [(390, 844), (1280, 800)], ids=["phone", "desktop"])
def test_in_the_page_no_facility_dot_touches_a_figure_or_a_label(open_html, bundled_page, size):
    opened = open_html(bundled_page, width=size[0], height=size[1])
    page = opened.page
    page.wait_for_selector("[data-bm-labels-placed]", state="attached")
    page.evaluate("() => document.fonts.ready.then(() => true)")
    page.wait_for_timeout(300)
    seen = page.evaluate(_DOTS_AND_LABELS)
    assert len(seen["dots"]) >= 5 and any(t == "300" for t, _ in seen["labels"])
    assert _touching(seen["dots"], seen["labels"]) == []
    figures = {f["text"]: f for f in page.evaluate(_FIGURES)}
    assert figures["300"]["shown"]
    # Zoomed in on Onsong, where the dots spread apart, the figure is white inside its circle.
    runs = page.evaluate(f"{_PLACED}.getAttribute('data-bm-labels-placed')")
    page.evaluate(_ZOOM_ON_ONSONG)
    page.wait_for_function(f"{_PLACED}.getAttribute('data-bm-labels-placed') !== {runs!r}")
    settled(page)
    seen = page.evaluate(_DOTS_AND_LABELS)
    assert _touching(seen["dots"], seen["labels"]) == []
    onsong = next(f for f in page.evaluate(_FIGURES) if f["text"] == "300")
    left, top, right, bottom = onsong["box"]
    c = onsong["circle"]
    assert onsong["inverse"] and onsong["shown"]
    corners = [(x, y) for x in (left, right) for y in (top, bottom)]
    reach = max(((x - c["x"]) ** 2 + (y - c["y"]) ** 2) ** 0.5 for x, y in corners)
    assert reach <= c["r"] + 1, (onsong, reach)  # the page measures whole pixels (offsetWidth)


def test_in_the_image_no_facility_dot_touches_a_figure_or_a_label():
    joined = bordermap.join_estimates(
        bordermap.load_crossings(), bundled_path("events/2023-10-09.csv")
    )
    spec = bordermap.describe_crossings(joined, bordermap.load_facilities(), lang="en")
    with matplotlib.rc_context(rc(spec.lang)):
        ax, frame, renderer, px = _image_of(spec)
    dots = []
    for symbol in spec.symbols:
        if symbol.kind == "facility":
            x, y = ax.transData.transform(frame.point(symbol.lat, symbol.lon))
            dots.append((x, y, symbol.style.radius * px))
    labels = []
    for text in ax.texts:
        if text.get_visible() and text.get_text() and text.get_bbox_patch() is not None:
            b = text.get_bbox_patch().get_window_extent(renderer)
            labels.append((text.get_text(), (b.x0, b.y0, b.x1, b.y1)))
    assert len(dots) >= 5 and any(t == "300" for t, _ in labels)
    assert _touching(dots, labels) == []


def test_in_the_image_no_label_covers_the_scale_bar_or_the_north_arrow(monkeypatch, tmp_path):
    """The Ethiopia–Sudan example: 'over 1,000', joined to its circle near the map's top
    right corner, keeps off the north arrow (as labels in the page keep off its panels)."""
    import bordermap.render.image.draw as draw

    seen = {}

    def spy(fig, ax, frame, symbols, labels, keep_off=(), **options):
        seen.update(ax=ax, marks=list(keep_off))
        return draw_labels(fig, ax, frame, symbols, labels, keep_off, **options)

    monkeypatch.setattr(draw, "draw_labels", spy)
    folder = Path(__file__).parent / "data" / "gallery" / "ethiopia-sudan"
    joined = bordermap.join_estimates(
        bordermap.load_crossings(folder / "crossings.geojson"),
        bordermap.read_estimates(folder / "estimates.csv"),
    )
    spec = bordermap.describe_crossings(joined, lang="en")
    bordermap.to_image(spec, tmp_path / "map.png", dpi=110)
    renderer = seen["ax"].figure.canvas.get_renderer()
    marks = [mark.get_window_extent(renderer) for mark in seen["marks"]]
    assert len(marks) == 6  # the scale bar's two halves and two numbers, the arrow, its N
    texts = [t for t in seen["ax"].texts if t.get_visible() and t.get_bbox_patch() is not None]
    assert any(t.get_text() == "over 1,000" for t in texts)
    for text in texts:
        box = text.get_bbox_patch().get_window_extent(renderer)
        assert not any(box.overlaps(mark) for mark in marks), text.get_text()
