"""The label placer: its rule in Python, and the same placements from labels.js in Chromium."""

from __future__ import annotations

import dataclasses
import itertools
import json
import random
from pathlib import Path

import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import bordermap
from bordermap.errors import ValidationError
from bordermap.render.image.placer import GAP, POSITIONS, TETHER, UnplacedLabel, place_labels
from bordermap.screen import Circle, Rect, Viewport

LABELS_JS = Path(bordermap.__file__).parent / "render" / "leaflet" / "web" / "labels.js"
VIEW = Viewport(400, 300)


def _label(id_, x, y, *, radius=5, width=40, height=12, priority=0, leader=True):
    return UnplacedLabel(id_, x, y, radius, width, height, priority, leader)


def _slab(x, y, width, height):
    return Rect(x, y, width, height)


def _covered(circle, circles):
    """Whether a larger circle holds this one whole (it is drawn under that one)."""
    centre = shapely.Point(circle.x, circle.y)
    return any(
        other.radius > circle.radius
        and centre.distance(shapely.Point(other.x, other.y)) <= other.radius - circle.radius
        for other in circles
    )


def assert_invariant(labels, obstacles, viewport, placements, symbols=()):
    """What a reader must never see, checked with shapely (not with the placer's own code):
    placed boxes overlapping each other, a panel, another symbol (a label's or one of
    ``symbols``) or the viewport edge, or a leader line through a box, a panel or another
    symbol not drawn under a larger one; a label tethered to its symbol beside it without a
    leader line, or one inside its symbol reaching out of it."""
    assert [p.id for p in placements] == [label.id for label in labels]
    frame = shapely.box(0, 0, viewport.width, viewport.height)
    walls = [shapely.box(r.x, r.y, r.x + r.width, r.y + r.height) for r in obstacles]
    by_id = {label.id: label for label in labels}
    placed = [p for p in placements if p.placed]
    shapes = {}
    for p in placed:
        b = p.box
        label = by_id[p.id]
        assert (b.width, b.height) == (label.width, label.height)
        shapes[p.id] = shapely.box(b.x, b.y, b.x + b.width, b.y + b.height)
        # Inside the frame, up to float rounding of the box's corner.
        assert shapes[p.id].difference(frame).area < 1e-9, p
    # Shrunk by a hair: boxes that only touch do not overlap, and float rounding of a
    # corner (1e-9 px) is no overlap a reader could see.
    inner = {k: v.buffer(-1e-7, join_style="mitre") for k, v in shapes.items()}
    for a, b in itertools.combinations(placed, 2):
        assert not inner[a.id].intersects(inner[b.id]), (a, b)
    lines = {
        p.id: shapely.LineString([(p.leader.x1, p.leader.y1), (p.leader.x2, p.leader.y2)])
        for p in placed
        if p.leader is not None
    }
    for a, b in itertools.combinations(lines.values(), 2):
        assert not a.crosses(b), (a, b)
    circles = [Circle(label.x, label.y, label.radius) for label in labels if label.radius > 0]
    circles += [circle for circle in symbols if circle.radius > 0]
    for p in placed:
        assert not any(inner[p.id].intersects(w) for w in walls), p
        label = by_id[p.id]
        if p.candidate.startswith("inside-"):  # moved within its symbol: still inside it
            corners = shapely.MultiPoint(list(shapes[p.id].exterior.coords))
            reach = shapely.Point(label.x, label.y).hausdorff_distance(corners)
            assert label.inside and reach <= label.radius + 1e-7, p
        if label.tether and label.radius > 0 and not p.candidate.startswith(("center", "in")):
            assert p.leader is not None, p
            length = shapely.Point(p.leader.x1, p.leader.y1).distance(
                shapely.Point(p.leader.x2, p.leader.y2)
            )
            assert length >= GAP + TETHER - 1e-7, p
        for circle in circles:
            # Its own symbol: centred on its anchor, at least its size (with ring and halo).
            if (circle.x, circle.y) != (label.x, label.y) or circle.radius < label.radius:
                centre = shapely.Point(circle.x, circle.y)
                assert centre.distance(shapes[p.id]) >= circle.radius - 1e-7, (p, circle)
        if p.leader is not None:
            line = shapely.LineString([(p.leader.x1, p.leader.y1), (p.leader.x2, p.leader.y2)])
            assert not any(line.intersects(w.buffer(-1e-7, join_style="mitre")) for w in walls)
            own = shapely.Point(by_id[p.id].x, by_id[p.id].y)
            own = own.buffer(by_id[p.id].radius) if by_id[p.id].radius else own
            for q in placed:
                # A label on its own symbol is part of it: a line may cross it where it may
                # cross the symbol (one overlapping its own).
                home = by_id[q.id]
                on_symbol = home.inside and q.candidate.startswith(("center", "inside-"))
                disc = shapely.Point(home.x, home.y).buffer(home.radius)
                if not (on_symbol and home.radius > 0 and disc.intersects(own)):
                    assert not line.intersects(inner[q.id]), (p, q)
            for circle in circles:
                # Other symbols, except those overlapping its own (it starts inside them)
                # and those drawn wholly under a larger one.
                disc = shapely.Point(circle.x, circle.y).buffer(circle.radius - 1e-7)
                if not disc.intersects(own) and not _covered(circle, circles):
                    assert not line.intersects(disc), (p, circle)


# --- the rule, in Python ------------------------------------------------------------------

# A label alone at the centre takes the first classic position; panels over the positions
# before it push it to the next one in the fixed order of preference.
_OVER_TOP = _slab(190, 0, 15, 143)
_OVER_RIGHT = _slab(207, 144.5, 193, 155.5)
_OVER_LEFT = _slab(0, 0, 193, 300)
_OVER_BOTTOM = _slab(0, 157, 400, 143)
_BLOCKERS = {
    "right": [],
    "left": [_OVER_RIGHT],
    "top": [_OVER_RIGHT, _OVER_LEFT],
    "bottom": [_OVER_RIGHT, _OVER_LEFT, _OVER_TOP],
    "top-right": [_OVER_RIGHT, _OVER_LEFT, _OVER_TOP, _OVER_BOTTOM],
}


@pytest.mark.parametrize("expected, obstacles", list(_BLOCKERS.items()), ids=list(_BLOCKERS))
def test_positions_in_fixed_order_of_preference(expected, obstacles):
    (placement,) = place_labels([_label("a", 200, 150, width=10)], obstacles, VIEW)
    assert placement.candidate == expected
    assert_invariant([_label("a", 200, 150, width=10)], obstacles, VIEW, [placement])


def test_classic_positions_sit_gap_pixels_off_the_symbol():
    label = _label("a", 200, 150, radius=6, width=40, height=12)
    (p,) = place_labels([label], [], VIEW)
    assert p.box == Rect(200 + 6 + GAP, 150 - 6, 40, 12)
    assert p.leader is None
    assert POSITIONS == (
        "right",
        "left",
        "top",
        "bottom",
        "top-right",
        "bottom-right",
        "top-left",
        "bottom-left",
    )


def test_every_classic_position_is_used_before_a_leader_line():
    # Small neighbouring symbols inside each of the eight classic boxes, off the lines a
    # leader would take: no classic position is free, a leader line gets through.
    centre = _label("a", 200, 150, radius=4, width=30, height=10)
    spots = [(236, 154), (164, 154), (186, 134), (214, 166), (234, 136), (234, 164), (166, 136)]
    ring = [
        _label(f"n{i}", x, y, radius=1.5, width=1, height=1, priority=5, leader=False)
        for i, (x, y) in enumerate([*spots, (166, 164)])
    ]
    placements = place_labels([centre, *ring], [], VIEW)
    first = placements[0]
    assert first.placed and "+" in first.candidate and first.leader is not None
    # The leader starts on the symbol's edge and ends on the box's edge.
    leader = first.leader
    assert abs(((leader.x1 - 200) ** 2 + (leader.y1 - 150) ** 2) ** 0.5 - 4) < 1e-9
    box = shapely.box(first.box.x, first.box.y, first.box.x + 30, first.box.y + 10)
    assert box.exterior.distance(shapely.Point(leader.x2, leader.y2)) < 1e-9
    assert_invariant([centre, *ring], [], VIEW, placements)

    no_leader = dataclasses.replace(centre, leader=False)
    assert not place_labels([no_leader, *ring], [], VIEW)[0].placed


def test_the_least_important_label_is_hidden_first():
    # Three labels on one spot with room for two: priority decides, then the id.
    crowd = [
        _label("town", 30, 150, radius=0, width=60, height=280, priority=2),
        _label("crossing", 30, 150, radius=0, width=60, height=280, priority=0),
        _label("facility-b", 100, 150, radius=0, width=60, height=280, priority=1),
        _label("facility-a", 100, 150, radius=0, width=60, height=280, priority=1),
    ]
    shown = {p.id: p.placed for p in place_labels(crowd, [], Viewport(130, 300))}
    assert shown == {"town": False, "crossing": True, "facility-a": True, "facility-b": False}


def test_a_label_never_covers_another_symbol_even_if_that_hides_it():
    labels = [
        _label("big", 100, 100, radius=0, width=300, height=200, leader=False),
        _label("dot", 150, 150, radius=3, width=5, height=5, priority=3),
    ]
    placements = place_labels(labels, [], Viewport(300, 200))
    assert [p.placed for p in placements] == [False, True]


# An unlabelled symbol (a facility) on each classic position in turn: the label takes the
# next position, exactly as if the symbol were a labelled one's.
_FACILITY_ON = {
    "right": Circle(230, 150, 4),
    "left": Circle(170, 150, 4),
    "top": Circle(200, 132, 4),
    "bottom": Circle(200, 168, 4),
}


@pytest.mark.parametrize("position", list(_FACILITY_ON))
def test_a_label_keeps_off_an_unlabelled_facility_symbol(position):
    label = _label("crossing", 200, 150, radius=6, width=40, height=12)
    symbols = [_FACILITY_ON[name] for name in POSITIONS[: POSITIONS.index(position) + 1]]
    (placed,) = place_labels([label], [], VIEW, symbols)
    assert placed.candidate == POSITIONS[POSITIONS.index(position) + 1]
    assert_invariant([label], [], VIEW, [placed], symbols)
    # Without the symbols, the label sits on the first of them.
    assert place_labels([label], [], VIEW)[0].candidate == "right"


def test_a_symbol_hides_even_the_most_important_label():
    # Facilities all round a crossing, close enough that no box or leader gets out.
    ring = [Circle(200 + 20 * dx, 150 + 20 * dy, 14) for dx in (-1, 0, 1) for dy in (-1, 0, 1)]
    ring = [c for c in ring if (c.x, c.y) != (200, 150)]
    label = _label("crossing", 200, 150, radius=6, width=40, height=12, priority=0)
    assert not place_labels([label], [], VIEW, ring)[0].placed


def test_a_symbol_under_a_larger_one_blocks_nothing_more():
    # A facility drawn under a big crossing's circle: the small crossing beside it may still
    # run its leader line across the big circle (which overlaps its own) and the facility.
    big = _label("big", 200, 150, radius=30, width=0, height=0, leader=False)
    small = _label("small", 235, 150, radius=8, width=60, height=12)
    walls = [Rect(250, 0, 150, 300), Rect(0, 165, 250, 135)]
    under = Circle(213, 132, 5)
    alone = place_labels([big, small], walls, VIEW)
    both = place_labels([big, small], walls, VIEW, [under])
    assert alone == both and both[1].candidate == "top-left+32"
    assert_invariant([big, small], walls, VIEW, both, [under])
    # A facility on that line just outside the big circle does block it.
    beside = Circle(207, 122, 3)
    moved = place_labels([big, small], walls, VIEW, [under, beside])
    assert moved[1] != both[1]
    assert_invariant([big, small], walls, VIEW, moved, [under, beside])


def test_the_page_in_a_640_by_400_frame_keeps_labels_off_facilities():
    """The bundled map's labels, panels and symbols as the page measured them in a
    640×400 iframe: a note that fitted over two facilities' symbols is hidden now, and
    every crossing's name is still shown."""
    labels, obstacles, viewport, symbols = _SCENES["bundled page in a 640x400 frame"]
    placements = place_labels(labels, obstacles, viewport, symbols)
    assert_invariant(labels, obstacles, viewport, placements, symbols)
    # Crossing names: priority 0 on a symbol (the figures sit fixed on their circles).
    names = [p for p, x in zip(placements, labels, strict=True) if x.radius and not x.priority]
    assert len(names) == 5 and all(p.placed for p in names)
    without = place_labels(labels, obstacles, viewport)
    assert [p.placed for p in without] != [p.placed for p in placements]


def test_labels_sharing_a_symbol_do_not_block_each_other():
    # A crossing's figure and its name, both anchored on the same circle.
    labels = [
        _label("onsong-figure", 200, 150, radius=12, width=30, height=14),
        _label("onsong-name", 200, 150, radius=12, width=90, height=14),
    ]
    placements = place_labels(labels, [], VIEW)
    assert [p.candidate for p in placements] == ["right", "left"]
    assert_invariant(labels, [], VIEW, placements)


def test_a_label_without_symbol_is_centred_on_its_anchor():
    (p,) = place_labels([_label("CHINA", 200, 150, radius=0, width=60, height=14)], [], VIEW)
    assert (p.candidate, p.box) == ("center", Rect(170, 143, 60, 14))


def _name_at(id_, x, y, clearance, group="country:China"):
    return UnplacedLabel(id_, x, y, 0, 60, 14, 2, False, group, clearance)


def test_one_name_at_several_anchors_is_shown_once_deepest_inside_the_view():
    # A country's name at three anchors: one off the view, one near its edge, one well
    # inside but on land only 20 px wide (its clearance): the deepest one shows, only it.
    placed = place_labels(
        [_name_at("a", 200, -30, 300), _name_at("b", 40, 150, 300), _name_at("c", 200, 150, 20)],
        [],
        VIEW,
    )
    assert [p.placed for p in placed] == [False, True, False]
    # Without a group the three are three labels, each placed where it fits.
    alone = [UnplacedLabel(f"{n}", 60 + 120 * n, 150, 0, 60, 14, 2, False) for n in range(3)]
    assert all(p.placed for p in place_labels(alone, [], VIEW))


def test_a_name_whose_best_anchor_is_taken_shows_at_its_next():
    figure = _label("figure", 200, 150, radius=30, width=30, height=14)
    placed = place_labels(
        [figure, _name_at("a", 205, 150, 300), _name_at("b", 60, 60, 10)], [], VIEW
    )
    assert [p.placed for p in placed] == [True, False, True]


def _figure(id_, x, y, radius, *, inside, width=26, height=15):
    return UnplacedLabel(id_, x, y, radius, width, height, tether=True, inside=inside)


def test_a_figure_beside_its_circle_is_always_joined_to_it_by_a_leader_line():
    beside = _figure("wide", 200, 150, 10, inside=False, width=60)
    (p,) = place_labels([beside], [], VIEW)
    assert p.candidate == "right+8" and p.box.x == 200 + 10 + GAP + TETHER
    assert (p.leader.x1, p.leader.y1, p.leader.x2, p.leader.y2) == (210, 150, p.box.x, 150)
    # Without a tether the same label sits GAP px off its circle, with no line.
    (free,) = place_labels([dataclasses.replace(beside, tether=False)], [], VIEW)
    assert free.candidate == "right" and free.leader is None
    # Kept from going further out, it still has its short line (or is hidden).
    wall = _slab(0, 0, 400, 160)
    kept = dataclasses.replace(beside, leader=False)
    assert place_labels([kept], [wall], VIEW)[0].candidate == "bottom+8"
    assert not place_labels([kept], [wall, _slab(0, 170, 400, 130)], VIEW)[0].placed


def test_a_figure_on_its_circle_moves_off_a_facility_dot_then_beside_it():
    figure = _figure("300", 200, 150, 30, inside=True)
    assert place_labels([figure], [], VIEW)[0].candidate == "center"
    dot = Circle(202, 149, 5)
    moved = place_labels([figure], [], VIEW, [dot])[0]
    # Down inside the circle (not far enough at half the room), its corners on the circle.
    assert moved.candidate == "inside-bottom" and moved.leader is None
    corner = (moved.box.x - 200) ** 2 + (moved.box.y + moved.box.height - 150) ** 2
    assert corner == pytest.approx(30**2)
    # Dots down the middle of the circle: beside it, with a leader line.
    column = [dot, Circle(200, 170, 5), Circle(200, 130, 5)]
    beside = place_labels([figure], [], VIEW, column)[0]
    assert beside.candidate == "right+8" and beside.leader is not None
    # A dot exactly on the crossing's point is a facility too, not the circle itself.
    assert place_labels([figure], [], VIEW, [Circle(200, 150, 5)])[0].candidate != "center"
    for symbols in ([], [dot], column):
        placed = place_labels([figure], [], VIEW, symbols)
        assert_invariant([figure], [], VIEW, placed, symbols)


def test_a_name_leads_past_a_figure_on_a_circle_overlapping_its_own():
    # The bundled map in Arabic at 390x844: Hunchun's small circle under Tumen's, its name's
    # only room across Tumen's circle, where "300" sits above the Onsong facility's dots.
    name = "bundled Arabic page at 390x844: a name's leader past a figure on an overlapping circle"
    labels, obstacles, viewport, symbols = _SCENES[name]
    placements = {p.id: p for p in place_labels(labels, obstacles, viewport, symbols)}
    assert placements["3:6 tumen:figure"].candidate == "inside-top"
    hunchun = placements["3:9 hunchun:name"]
    assert hunchun.placed and hunchun.leader is not None
    # Its line passes the figure's box (a leader may cross a circle overlapping its own, and
    # what sits on that circle), and the rest of the rule holds.
    figure = placements["3:6 tumen:figure"].box
    line = shapely.LineString(
        [(hunchun.leader.x1, hunchun.leader.y1), (hunchun.leader.x2, hunchun.leader.y2)]
    )
    box = shapely.box(figure.x, figure.y, figure.x + figure.width, figure.y + figure.height)
    assert line.distance(box) < 2.0
    assert_invariant(labels, obstacles, viewport, list(placements.values()), symbols)


def test_the_viewport_edge_counts():
    (p,) = place_labels([_label("edge", 390, 150, width=40)], [], VIEW)
    assert p.candidate == "left" and p.box.x + p.box.width <= 400


def test_same_labels_in_any_order_same_placements():
    rng = random.Random(13)
    labels = [
        _label(f"l{i}", rng.uniform(0, 200), rng.uniform(0, 150), priority=rng.randint(0, 2))
        for i in range(40)
    ]
    expected = {p.id: p for p in place_labels(labels, [], Viewport(200, 150))}
    for _ in range(3):
        rng.shuffle(labels)
        assert {p.id: p for p in place_labels(labels, [], Viewport(200, 150))} == expected
    assert 0 < sum(p.placed for p in expected.values()) < 40


_GOOD = {"id": "a", "x": 1, "y": 2, "radius": 3, "width": 4, "height": 5, "priority": 0}
_BAD_LABELS = [
    ({**_GOOD, "id": ""}, "id"),
    ({**_GOOD, "x": float("nan")}, "x"),
    ({**_GOOD, "y": float("inf")}, "y"),
    ({**_GOOD, "x": "12"}, "x"),
    ({**_GOOD, "width": -1}, "width"),
    ({**_GOOD, "radius": -0.5}, "radius"),
    ({**_GOOD, "height": True}, "height"),
    ({**_GOOD, "priority": -1}, "priority"),
    ({**_GOOD, "priority": 0.5}, "priority"),
    ({**_GOOD, "leader": "yes"}, "leader"),
    ({**_GOOD, "group": 3}, "group"),
    ({**_GOOD, "clearance": -1}, "clearance"),
    ({**_GOOD, "tether": 1}, "tether"),
    ({**_GOOD, "inside": "no"}, "inside"),
]


@pytest.mark.parametrize("bad, field", _BAD_LABELS, ids=[f for _, f in _BAD_LABELS])
def test_bad_label_is_named_in_a_typed_error(bad, field):
    with pytest.raises(ValidationError) as caught:
        place_labels([UnplacedLabel.from_dict(_GOOD | {"id": "z"}), UnplacedLabel(**bad)], [], VIEW)
    assert caught.value.field == field
    assert str(caught.value).startswith("label 2")


@pytest.mark.parametrize(
    "call, field",
    [
        (lambda: place_labels([UnplacedLabel(**_GOOD)] * 2, [], VIEW), "id"),
        (lambda: place_labels([], [Rect(0, 0, -4, 1)], VIEW), "width"),
        (lambda: place_labels([], [], Viewport(float("nan"), 3)), "width"),
        (lambda: place_labels([], [], (400, 300)), "viewport"),
        (lambda: UnplacedLabel.from_dict({"id": "a", "x": 1}), "y"),
        (lambda: UnplacedLabel.from_dict({**_GOOD, "colour": "red"}), "colour"),
        (lambda: place_labels([], [], VIEW, [Circle(1, 2, float("nan"))]), "radius"),
        (lambda: place_labels([], [], VIEW, [Circle(1, 2, -3)]), "radius"),
        (lambda: place_labels([], [], VIEW, [Circle("1", 2, 3)]), "x"),
    ],
    ids=[
        "duplicate id",
        "obstacle",
        "viewport nan",
        "viewport tuple",
        "missing",
        "unknown",
        "symbol nan",
        "symbol negative",
        "symbol text",
    ],
)
def test_other_bad_inputs_raise_typed_errors(call, field):
    with pytest.raises(ValidationError) as caught:
        call()
    assert caught.value.field == field


# --- the same placements from labels.js ---------------------------------------------------


@pytest.fixture(scope="module")
def js_page(browser):
    context = browser.new_context()
    page = context.new_page()
    page.set_content("<!doctype html><title>labels</title>")
    page.add_script_tag(content=LABELS_JS.read_text(encoding="utf-8"))
    yield page
    context.close()


def _as_json(labels, obstacles, viewport, symbols=()):
    return (
        [dataclasses.asdict(label) for label in labels],
        [dataclasses.asdict(rect) for rect in obstacles],
        dataclasses.asdict(viewport),
        [dataclasses.asdict(circle) for circle in symbols],
    )


def _assert_same_and_sound(page, labels, obstacles, viewport, symbols=()):
    """Both implementations on one input: identical JSON, and the invariant holds."""
    placements = place_labels(labels, obstacles, viewport, symbols)
    javascript = page.evaluate(
        "([l, o, v, s]) => bordermapPlaceLabels(l, o, v, s)",
        _as_json(labels, obstacles, viewport, symbols),
    )
    assert javascript == [p.to_dict() for p in placements]
    assert_invariant(labels, obstacles, viewport, placements, symbols)


# The shared table of scenes (tests/data/label-scenes.json): inputs with the placements the
# Python rule (bordermap.render.image.placer, the source of truth) gives them. Both twins must
# give exactly those; after a deliberate change of the rule, rewrite the table's placements
# with `python tests/test_labels.py` and review the diff.
SCENES_FILE = Path(__file__).parent / "data" / "label-scenes.json"
_TABLE = json.loads(SCENES_FILE.read_text(encoding="utf-8"))["scenes"]


def _scene(entry: dict) -> tuple:
    return (
        [UnplacedLabel.from_dict(label) for label in entry["labels"]],
        [Rect(**rect) for rect in entry["obstacles"]],
        Viewport(**entry["viewport"]),
        [Circle(**circle) for circle in entry["symbols"]],
    )


_SCENES = {entry["name"]: _scene(entry) for entry in _TABLE}


def write_scene_table() -> None:
    """Write the placements of the Python rule into the shared table, one item a line."""
    lines = ['{"scenes": [']
    for k, entry in enumerate(_TABLE):
        placements = place_labels(*_SCENES[entry["name"]])
        entry = {**entry, "placements": [p.to_dict() for p in placements]}
        lines.append(" {")
        for n, (key, value) in enumerate(entry.items()):
            end = "," if n < len(entry) - 1 else ""
            if isinstance(value, list) and value:
                items = ",\n".join("   " + json.dumps(item) for item in value)
                lines.append(f"  {json.dumps(key)}: [\n{items}\n  ]{end}")
            else:
                lines.append(f"  {json.dumps(key)}: {json.dumps(value)}{end}")
        lines.append(" }," if k < len(_TABLE) - 1 else " }")
    lines.append("]}")
    SCENES_FILE.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.parametrize("name", list(_SCENES))
def test_python_places_as_the_shared_table(name):
    entry = next(e for e in _TABLE if e["name"] == name)
    placements = place_labels(*_SCENES[name])
    assert [p.to_dict() for p in placements] == entry["placements"]
    assert_invariant(*_SCENES[name][:3], placements, _SCENES[name][3])


@pytest.mark.browser
@pytest.mark.parametrize("name", list(_SCENES))
def test_javascript_places_as_the_shared_table(js_page, name):
    entry = next(e for e in _TABLE if e["name"] == name)
    javascript = js_page.evaluate(
        "([l, o, v, s]) => bordermapPlaceLabels(l, o, v, s)",
        [entry["labels"], entry["obstacles"], entry["viewport"], entry["symbols"]],
    )
    assert javascript == entry["placements"]


def test_unlabelled_facilities_move_the_october_labels():
    labels, obstacles, viewport, symbols = _SCENES["october 2023 with facilities"]
    moved = place_labels(labels, obstacles, viewport, symbols)
    assert moved != place_labels(labels, obstacles, viewport)
    assert all(p.placed for p in moved if ":" in p.id), moved


def test_boxes_that_only_touch_do_not_overlap():
    placements = place_labels(*_SCENES["touching boxes"])
    assert [p.candidate for p in placements] == ["center"] * 4


def test_a_dense_cluster_uses_leader_lines_and_hides_the_rest():
    placements = place_labels(*_SCENES["dense cluster"])
    assert sum(p.leader is not None for p in placements) >= 3
    assert 0 < sum(not p.placed for p in placements)


def test_the_october_view_shows_every_crossing_label():
    labels, obstacles, viewport, _ = _SCENES["october 2023"]
    shown = {p.id: p for p in place_labels(labels, obstacles, viewport)}
    assert all(p.placed for key, p in shown.items() if ":" in key), shown


_coordinate = st.floats(-50, 1300, allow_nan=False, allow_infinity=False)


@st.composite
def _scenes(draw):
    """Random maps: scattered or clustered anchors (with shared anchors), tied priorities,
    ids whose order differs between code points and UTF-16, panels."""
    viewport = Viewport(draw(st.integers(60, 1280)), draw(st.integers(60, 800)))
    ids = draw(
        st.lists(
            st.text(alphabet="ab\u00e9\uff21\U0001f600", min_size=1, max_size=3),
            unique=True,
            max_size=24,
        )
    )
    centre = (
        draw(st.floats(0, viewport.width)),
        draw(st.floats(0, viewport.height)),
    )
    spread = draw(st.sampled_from([8.0, 40.0, 120.0, 600.0]))
    labels = []
    for id_ in ids:
        if labels and draw(st.booleans()) and draw(st.booleans()):
            x, y = labels[-1].x, labels[-1].y  # a second label on the same symbol
        else:
            x = centre[0] + draw(st.floats(-spread, spread))
            y = centre[1] + draw(st.floats(-spread, spread))
        labels.append(
            UnplacedLabel(
                id_,
                x,
                y,
                radius=draw(st.sampled_from([0.0, 2.0, 5.5, 12.0, 30.0])),
                width=draw(st.floats(0, 160)),
                height=draw(st.floats(0, 24)),
                priority=draw(st.integers(0, 3)),
                leader=draw(st.booleans()),
                tether=draw(st.booleans()),
                inside=draw(st.booleans()),
            )
        )
    obstacles = draw(
        st.lists(
            st.builds(Rect, _coordinate, _coordinate, st.floats(0, 300), st.floats(0, 200)),
            max_size=3,
        )
    )
    # Unlabelled symbols (facilities) among the labels, some on a label's anchor or under
    # a larger symbol.
    symbols = []
    for _ in range(draw(st.integers(0, 8))):
        if labels and draw(st.booleans()):
            near = labels[draw(st.integers(0, len(labels) - 1))]
            x = near.x + draw(st.sampled_from([0.0, 2.0, -7.5, 20.0]))
            y = near.y + draw(st.sampled_from([0.0, 3.0, -11.0]))
        else:
            x = centre[0] + draw(st.floats(-spread, spread))
            y = centre[1] + draw(st.floats(-spread, spread))
        symbols.append(Circle(x, y, draw(st.sampled_from([0.0, 3.0, 5.0, 9.0, 34.0]))))
    return labels, obstacles, viewport, symbols


@pytest.mark.browser
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scene=_scenes())
def test_javascript_and_python_agree_on_random_maps(js_page, scene):
    _assert_same_and_sound(js_page, *scene)


_JS_BAD = [
    (bad, field)
    for bad, field in _BAD_LABELS
    if field not in ("x", "y")  # nan/inf: not JSON
] + [({**_GOOD, "x": "12"}, "x")]


@pytest.mark.browser
@pytest.mark.parametrize("bad, field", _JS_BAD, ids=[f for _, f in _JS_BAD])
def test_javascript_refuses_what_python_refuses(js_page, bad, field):
    message = js_page.evaluate(
        """([label]) => {
            try { bordermapPlaceLabels([label], [], {width: 400, height: 300}); }
            catch (e) { return e.name + ": " + e.message; }
            return "accepted";
        }""",
        [bad],
    )
    assert message.startswith("TypeError: bordermapPlaceLabels: label 1")
    assert f"field '{field}'" in message


def test_the_page_carries_the_script_tested_here():
    page = bordermap.crossing_map(bordermap.load_crossings(), tiles=None).render_page()
    assert page.count(LABELS_JS.read_text(encoding="utf-8")) == 1


# --- the image places its labels with the same rule ------------------------------------------


@pytest.mark.parametrize("lang", ["en", "ko", "zh"])
def test_image_labels_of_the_bundled_map_are_all_placed_without_overlap(
    monkeypatch, tmp_path, lang
):
    import matplotlib.text

    import bordermap.render.image.draw as draw
    from bordermap.inputs import bundled_path
    from bordermap.render.image.lettering import draw_labels

    seen = {}

    def spy(fig, ax, frame, symbols, labels, **options):
        seen["hidden"] = draw_labels(fig, ax, frame, symbols, labels, **options)
        seen["ax"], seen["frame"] = ax, frame
        return seen["hidden"]

    monkeypatch.setattr(draw, "draw_labels", spy)
    joined = bordermap.join_estimates(
        bordermap.load_crossings(), bundled_path("events/2023-10-09.csv")
    )
    spec = bordermap.describe_crossings(joined, bordermap.load_facilities(), lang=lang)
    bordermap.to_image(spec, tmp_path / "map.png", dpi=50)
    fig = seen["ax"].figure
    # Only a town or country name may give way; every crossing's labels are placed.
    crossing_texts = {label.text for label in spec.labels if label.role != "context"}
    assert not set(seen["hidden"]) & crossing_texts
    texts = [t for t in seen["ax"].texts if isinstance(t, matplotlib.text.Text) and t.get_text()]
    renderer = fig.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in texts if t.get_bbox_patch() is not None]
    # Five names and three notes with their light halo, and the two figures that sit on
    # their circles with their veil of the circle's red: ten boxes, none over another.
    assert len(boxes) == 10
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not a.overlaps(b), (a, b)
    # No label covers a symbol: a crossing's or a facility's, of 5 px or more, but its own
    # (a figure white on its circle lies inside it, a label beside it never reaches in).
    from bordermap.render.image.legend import PT_PER_PX

    scale = PT_PER_PX * fig.dpi / 72
    on_circle = {x.text: x.symbol for x in spec.labels if x.fixed}
    placed = [
        (t.get_window_extent(renderer), on_circle.get(t.get_text()))
        for t in texts
        if t.get_visible()
    ]
    assert any("facility" in symbol.tags for symbol in spec.symbols)
    assert sum(own is not None for _, own in placed) == 2
    for symbol in spec.symbols:
        x, y = seen["ax"].transData.transform(seen["frame"].point(symbol.lat, symbol.lon))
        r = symbol.style.radius * scale
        for box, own in placed:
            if own == symbol.id:
                continue
            dx = x - min(max(x, box.x0), box.x1)
            dy = y - min(max(y, box.y0), box.y1)
            assert dx * dx + dy * dy >= (r - 0.5) ** 2, (symbol.id, box)


if __name__ == "__main__":
    write_scene_table()
