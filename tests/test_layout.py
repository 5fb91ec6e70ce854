"""Panel layout: corners where no panel covers another or a symbol, and the first view's padding."""

from __future__ import annotations

import itertools

import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from bordermap.errors import ValidationError
from bordermap.layout import CORNERS, Panel, PanelLayout, Symbol, layout_panels
from bordermap.screen import Rect, Viewport

MARGIN = 10.0

# The five October 2023 crossings and two facilities, projected at zoom 9 (px), with bounds
# a little larger than the points, as the page fits them.
_OCTOBER_SYMBOLS = [
    Symbol(0, 880, 17),  # Dandong → Sinuiju
    Symbol(1080, 300, 9),  # Changbai → Hyesan
    Symbol(1600, 90, 9),  # Helong → Musan
    Symbol(1830, 20, 22),  # Tumen → Onsong
    Symbol(1890, 60, 9),  # Hunchun → Kyongwon
    Symbol(60, 850, 5),  # Sinuiju holding centre
    Symbol(1800, 40, 5),  # Onsong holding centre
]
_OCTOBER_BOUNDS = Rect(-40, -20, 1970, 940)


def _panels(title, layers, legend, sources):
    return [
        Panel("title", *title, corners=("topleft", "topright")),
        Panel("layers", *layers, corners=("topright", "topleft")),
        Panel("legend", *legend, corners=("bottomright", "bottomleft", "topright", "topleft")),
        Panel("sources", *sources, corners=("bottomleft", "bottomright")),
    ]


_CASES = {
    # A phone: the legend folded into a 44 px button, the sources into one line.
    "phone 390x844": (Viewport(390, 844), _panels((370, 64), (44, 44), (44, 44), (370, 22))),
    "tablet 768x1024": (Viewport(768, 1024), _panels((420, 64), (44, 44), (210, 190), (500, 40))),
    "desktop 1280x800": (
        Viewport(1280, 800),
        _panels((420, 70), (44, 44), (270, 290), (600, 40)),
    ),
    "iframe 640x400": (Viewport(640, 400), _panels((300, 50), (36, 36), (36, 36), (500, 22))),
}


def assert_layout(layout: PanelLayout, viewport, panels, symbols, bounds, margin=MARGIN):
    """What the reader must get, checked independently of layout.py with shapely and
    Leaflet's fitBounds arithmetic: every panel in one of its corners, inside the map,
    covering no other panel and no symbol at the first view."""
    assert [i for i, _ in layout.corners] == [p.id for p in panels]
    assert [i for i, _ in layout.boxes] == [p.id for p in panels]
    frame = shapely.box(0, 0, viewport.width, viewport.height)
    shapes = []
    for panel, (_, corner), (_, box) in zip(panels, layout.corners, layout.boxes, strict=True):
        assert corner in panel.corners
        assert (box.width, box.height) == (panel.width, panel.height)
        # At its corner: flush with the two edges' margin (stacked panels further in).
        assert box.x == margin if "left" in corner else box.x + box.width == viewport.width - margin
        if "top" in corner:
            assert box.y >= margin
        else:
            assert box.y + box.height <= viewport.height - margin
        shape = shapely.box(box.x, box.y, box.x + box.width, box.y + box.height)
        assert frame.contains(shape)
        shapes.append(shape)
    for a, b in itertools.combinations(shapes, 2):
        assert a.intersection(b).area == 0
    left, top = layout.padding_top_left
    right, bottom = layout.padding_bottom_right
    area_w = viewport.width - left - right
    area_h = viewport.height - top - bottom
    scale = min(
        [1.0]
        + ([area_w / bounds.width] if bounds.width else [])
        + ([area_h / bounds.height] if bounds.height else [])
    )
    assert layout.scale == pytest.approx(scale, rel=1e-12)
    assert len(layout.symbols) == len(symbols)
    for (sx, sy), symbol in zip(layout.symbols, symbols, strict=True):
        # fitBounds centres the bounds in the padded area.
        expected_x = left + area_w / 2 + (symbol.x - bounds.x - bounds.width / 2) * scale
        expected_y = top + area_h / 2 + (symbol.y - bounds.y - bounds.height / 2) * scale
        assert (sx, sy) == pytest.approx((expected_x, expected_y), abs=1e-6)
        circle = shapely.Point(sx, sy)
        disc = circle.buffer(symbol.radius, quad_segs=2) if symbol.radius else circle
        assert frame.buffer(1e-6).covers(disc)
        for shape in shapes:
            assert circle.distance(shape) > symbol.radius - 1e-9


@pytest.mark.parametrize("viewport, panels", list(_CASES.values()), ids=list(_CASES))
def test_every_viewport_gets_panels_that_cover_nothing(viewport, panels):
    layout = layout_panels(viewport, panels, _OCTOBER_SYMBOLS, _OCTOBER_BOUNDS)
    assert layout is not None
    assert_layout(layout, viewport, panels, _OCTOBER_SYMBOLS, _OCTOBER_BOUNDS)
    assert layout == layout_panels(viewport, panels, _OCTOBER_SYMBOLS, _OCTOBER_BOUNDS)


def test_phone_title_and_sources_take_strips_and_the_map_keeps_the_width():
    viewport, panels = _CASES["phone 390x844"]
    layout = layout_panels(viewport, panels, _OCTOBER_SYMBOLS, _OCTOBER_BOUNDS)
    # Title and layer control cannot share the top (370 + 44 > 390): they stack.
    assert dict(layout.corners)["title"] == dict(layout.corners)["layers"] == "topleft"
    # The map is as wide as the phone less the largest symbol's radius on each side.
    assert layout.scale == pytest.approx((390 - 2 * 22) / _OCTOBER_BOUNDS.width)


def test_preferred_corners_when_nothing_is_in_the_way():
    panels = [Panel("a", 50, 20, ("topright", "topleft")), Panel("b", 50, 20, ("bottomleft",))]
    layout = layout_panels(Viewport(400, 300), panels, [Symbol(50, 50, 4)], Rect(0, 0, 100, 100))
    assert dict(layout.corners) == {"a": "topright", "b": "bottomleft"}
    assert layout.padding_top_left == layout.padding_bottom_right == (4.0, 4.0)


def test_a_panel_over_a_symbol_moves_or_makes_room():
    # A symbol at the top-left of the bounds: the title's strip is paid for with padding.
    panels = [Panel("title", 200, 40, ("topleft",))]
    layout = layout_panels(Viewport(400, 300), panels, [Symbol(50, 20, 5)], Rect(0, 0, 400, 300))
    assert layout.padding_top_left == (5.0, 60.0)
    # Allowed elsewhere, it moves instead and the map stays full size.
    panels = [Panel("title", 200, 40, ("topleft", "bottomright"))]
    layout = layout_panels(Viewport(400, 300), panels, [Symbol(60, 30, 5)], Rect(5, 5, 390, 290))
    assert dict(layout.corners) == {"title": "bottomright"} and layout.scale == 1.0


@pytest.mark.parametrize(
    "viewport, panels",
    [
        (Viewport(100, 100), [Panel("huge", 200, 20)]),
        (Viewport(100, 100), [Panel("a", 85, 85), Panel("b", 85, 85)]),
    ],
    ids=["larger than the map", "two that cannot both fit"],
)
def test_no_layout_when_panels_cannot_fit(viewport, panels):
    assert layout_panels(viewport, panels, [], Rect(0, 0, 10, 10)) is None


_BAD = [
    (lambda: [Panel("a", -1, 10)], "width"),
    (lambda: [Panel("a", 10, float("nan"))], "height"),
    (lambda: [Panel("a", 10, 10, ("top",))], "corners"),
    (lambda: [Panel("a", 10, 10, ())], "corners"),
    (lambda: [Panel("a", 10, 10), Panel("a", 5, 5)], "id"),
    (lambda: [Panel(f"p{i}", 5, 5) for i in range(7)], "panels"),
]


@pytest.mark.parametrize("panels, field", _BAD, ids=[f"{f}-{i}" for i, (_, f) in enumerate(_BAD)])
def test_bad_panels_raise_typed_errors(panels, field):
    with pytest.raises(ValidationError) as caught:
        layout_panels(Viewport(400, 300), panels(), [], Rect(0, 0, 10, 10))
    assert caught.value.field == field


def test_bad_symbol_and_bounds_are_named():
    with pytest.raises(ValidationError, match=r"symbol 2, field 'radius'"):
        layout_panels(Viewport(9, 9), [], [Symbol(1, 1, 1), Symbol(1, 1, -1)], Rect(0, 0, 1, 1))
    with pytest.raises(ValidationError, match=r"bounds, field 'width'"):
        layout_panels(Viewport(9, 9), [], [], Rect(0, 0, float("inf"), 1))


@st.composite
def _scenes(draw):
    viewport = Viewport(draw(st.integers(200, 1400)), draw(st.integers(200, 1000)))
    panels = [
        Panel(
            f"p{i}",
            draw(st.floats(10, viewport.width * 0.9)),
            draw(st.floats(10, viewport.height * 0.6)),
            tuple(draw(st.permutations(CORNERS))[: draw(st.integers(1, 4))]),
        )
        for i in range(draw(st.integers(0, 4)))
    ]
    symbols = draw(
        st.lists(
            st.builds(
                Symbol, st.floats(0, 3000), st.floats(0, 2000), st.sampled_from([0, 3, 9, 20])
            ),
            max_size=40,
        )
    )
    if symbols:
        xs = [s.x for s in symbols]
        ys = [s.y for s in symbols]
        bounds = Rect(min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))
    else:
        bounds = Rect(0, 0, draw(st.floats(0, 3000)), draw(st.floats(0, 2000)))
    return viewport, panels, symbols, bounds


@settings(max_examples=80, deadline=None)
@given(scene=_scenes())
def test_generated_maps_get_a_layout_that_covers_nothing_or_none(scene):
    viewport, panels, symbols, bounds = scene
    layout = layout_panels(viewport, panels, symbols, bounds)
    if layout is not None:
        assert_layout(layout, viewport, panels, symbols, bounds)
    # Deterministic, and the order of the symbols does not matter.
    again = layout_panels(viewport, panels, symbols[::-1], bounds)
    assert (again is None) == (layout is None)
    if layout is not None:
        assert again.corners == layout.corners and again.scale == layout.scale
    if not panels:
        # With nothing to place, only a symbol larger than the map can make it fail.
        biggest = max((s.radius for s in symbols), default=0)
        assert (layout is None) == (2 * biggest >= min(viewport.width, viewport.height))
