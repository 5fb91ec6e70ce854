"""Place map labels so that none overlaps another, a symbol, a panel or the edge of the map.

One deterministic rule, in screen pixels, for the image and the page alike; the page runs it
in ``render/leaflet/web/labels.js`` on every zoom. This module is the source of truth: the
tests hold both to the placements it gives in ``tests/data/label-scenes.json``. Text is
measured by the renderers; this module only takes box sizes.

The rule:

1. Labels are placed one at a time, most important first: by ``priority`` (lower number
   first: figures and crossing names 0, facilities 1, context labels 2 and up), ties by ``id``
   in UTF-16 code-unit order (JavaScript's string order, so both implementations agree).
   Labels of one ``group`` (one name at several anchors) are alternatives, tried together
   where the group's name sorts, deepest inside the viewport first (the anchor's distance to
   its nearest edge, up to the label's ``clearance``); once one is placed the rest are hidden.
2. Each label tries its candidate positions in a fixed order: on its anchor when it has no
   symbol (``radius`` 0) or may sit ``inside`` it (a figure on its circle: centred, then
   half and all the way down, half and all the way up, as far as its box stays inside);
   then the eight classic positions around its symbol (right, left, top, bottom, top-right,
   bottom-right, top-left, bottom-left, ``GAP`` px from the symbol's edge) — for a label
   ``tether``-ed to its symbol (a figure beside its circle), ``TETHER`` px further out with
   a leader line, never without one; then, when it may have a leader line, the same eight
   directions further out (``LEADER_STEPS``), a line from the symbol's edge to the box.
3. A candidate is taken when its box lies inside the viewport, overlaps no obstacle (panels),
   no label or leader line placed before it, and covers no symbol but its own (centred on
   its anchor, at least its size: with its ring and halo): the labels' symbols (radius > 0)
   and every one given (facilities: a figure moves off a facility's dot on its circle). Its
   leader line crosses no placed label,
   leader line, obstacle or other symbol, except those overlapping its own (a line from its
   edge may have to cross them, and the labels inside them: a figure on a circle over its
   own) and those wholly inside a larger one (a facility under a crossing's circle).
4. A label with no free candidate is hidden. Because the most important labels go first, a
   label is only ever hidden for a more important (or equally important, earlier-id) one.

Boxes that only touch (share an edge) do not overlap.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, fields

from bordermap.errors import ValidationError
from bordermap.screen import (
    Circle,
    Grid,
    Rect,
    Segment,
    Viewport,
    pixels,
    segment_hits_circle,
    segment_hits_rect,
    segments_cross,
)

__all__ = [
    "GAP",
    "LEADER_STEPS",
    "POSITIONS",
    "TETHER",
    "Placement",
    "UnplacedLabel",
    "place_labels",
]

GAP = 3.0
"""Pixels between a symbol's edge and its label."""

LEADER_STEPS = (16.0, 32.0, 48.0, 80.0, 120.0)
"""How much further out (px) the positions with a leader line lie, tried in this order."""

TETHER = 8.0
"""How much further out (px) than ``GAP`` a tethered label lies: its leader's visible length."""

# cos 45° written out: the JavaScript twin uses the same literal, so both compute the same bits.
_DIAGONAL = 0.7071067811865476

# name, unit direction from the anchor (ux, uy), and which fraction of the box lies on the
# anchor's far side (0: box starts at the ring point, 1: ends there, 0.5: centred on it).
_DIRECTIONS = (
    ("right", 1.0, 0.0, 0.0, 0.5),
    ("left", -1.0, 0.0, 1.0, 0.5),
    ("top", 0.0, -1.0, 0.5, 1.0),
    ("bottom", 0.0, 1.0, 0.5, 0.0),
    ("top-right", _DIAGONAL, -_DIAGONAL, 0.0, 1.0),
    ("bottom-right", _DIAGONAL, _DIAGONAL, 0.0, 0.0),
    ("top-left", -_DIAGONAL, -_DIAGONAL, 1.0, 1.0),
    ("bottom-left", -_DIAGONAL, _DIAGONAL, 1.0, 0.0),
)

POSITIONS = tuple(name for name, *_ in _DIRECTIONS)
"""The eight classic positions around a symbol, in order of preference."""


@dataclass(frozen=True)
class UnplacedLabel:
    """A label to place: its symbol (anchor and radius), its measured text box, its priority.

    ``radius`` 0 means the label has no symbol (a country or river name): it is tried centred
    on its anchor first. ``leader=False`` keeps the label next to its symbol or hides it.
    ``tether`` joins it to its symbol by a leader line wherever it goes beside it;
    ``inside`` lets it sit inside its symbol first (a figure whose text fits its circle).
    """

    id: str
    x: float
    y: float
    radius: float
    width: float
    height: float
    priority: int = 0
    leader: bool = True
    group: str = ""
    clearance: float = 0.0
    tether: bool = False
    inside: bool = False

    @classmethod
    def from_dict(cls, data: Mapping) -> UnplacedLabel:
        """The label from its JSON form: the field names as keys, ``priority`` and
        ``leader`` optional.

        Examples
        --------
        >>> UnplacedLabel.from_dict(
        ...     {"id": "a", "x": 1, "y": 2, "radius": 3, "width": 40, "height": 12}
        ... ).priority
        0
        """
        names = [f.name for f in fields(cls)]
        unknown = sorted(set(data) - set(names))
        missing = [name for name in names[:6] if name not in data]
        if unknown or missing:
            raise ValidationError(
                "a label's keys are wrong",
                row=f"label {data.get('id')!r}",
                field=(unknown or missing)[0],
                value=sorted(data),
                fix="use the keys " + ", ".join(names),
            )
        return cls(**data)


@dataclass(frozen=True)
class Placement:
    """Where a label went: ``placed`` with its ``box``, the ``candidate`` position taken
    (``"center"``, ``"inside-…"``, one of `POSITIONS`, or ``"<position>+<step>"`` further
    out with a ``leader`` line), or hidden (``placed`` False, the rest None)."""

    id: str
    placed: bool
    candidate: str | None = None
    box: Rect | None = None
    leader: Segment | None = None

    def to_dict(self) -> dict:
        """The JSON form ``bordermapPlaceLabels`` returns for the same label."""
        return {
            "id": self.id,
            "placed": self.placed,
            "candidate": self.candidate,
            "box": None if self.box is None else self.box.to_dict(),
            "leader": None if self.leader is None else self.leader.to_dict(),
        }


def place_labels(
    labels: Iterable[UnplacedLabel],
    obstacles: Iterable[Rect],
    viewport: Viewport,
    symbols: Iterable[Circle] = (),
) -> list[Placement]:
    """Place labels without overlap, most important first; hide those that do not fit.

    Parameters
    ----------
    labels : iterable of UnplacedLabel
        Ids must be unique; sizes and positions in screen pixels (y down).
    obstacles : iterable of Rect
        Boxes no label may overlap: the title, legend, sources and controls, and figures
        fixed on their circles.
    viewport : Viewport
        The map's size; every placed box lies inside it.
    symbols : iterable of Circle, optional
        Every drawn point symbol (crossings, facilities): no label covers one, or runs its
        leader line through one, but its own (centred on its anchor), whatever its priority.

    Returns
    -------
    list of Placement
        One per label, in the order given. The same input in any order gives the same
        placements.

    Raises
    ------
    bordermap.errors.ValidationError
        A duplicate or empty id, a size or position that is not a finite number, a negative
        size, or a priority that is not a whole number ≥ 0; the message names the label
        (or the obstacle or symbol).

    Examples
    --------
    A crossing's figure (priority 0) and a facility's name (priority 1) 40 px apart: the
    figure goes first, and left, because on the right it would cover the facility's symbol.

    >>> labels = [
    ...     UnplacedLabel("tumen", x=100, y=100, radius=8, width=30, height=14, priority=0),
    ...     UnplacedLabel("namyang", x=140, y=104, radius=5, width=60, height=14, priority=1),
    ... ]
    >>> [(p.id, p.candidate) for p in place_labels(labels, [], Viewport(400, 300))]
    [('tumen', 'left'), ('namyang', 'right')]

    A panel over the right-hand side moves the facility's name below-left; a panel over
    everything hides every label.

    >>> panel = Rect(x=150, y=0, width=250, height=300)
    >>> [(p.id, p.candidate) for p in place_labels(labels, [panel], Viewport(400, 300))]
    [('tumen', 'left'), ('namyang', 'bottom-left')]
    >>> place_labels(labels[:1], [Rect(0, 0, 400, 300)], Viewport(400, 300))[0]
    Placement(id='tumen', placed=False, candidate=None, box=None, leader=None)

    An unlabelled facility just right of the figure sends it left.

    >>> prison = Circle(x=125, y=100, radius=5)
    >>> place_labels(labels[:1], [], Viewport(400, 300), [prison])[0].candidate
    'left'
    """
    if not isinstance(viewport, Viewport):
        raise ValidationError(
            "not a viewport",
            field="viewport",
            value=viewport,
            fix="pass bordermap.screen.Viewport(width, height) in pixels",
        )
    items = [_checked_label(index, label) for index, label in enumerate(labels)]
    _check_unique_ids(items)
    walls = [_checked_rect(index, rect) for index, rect in enumerate(obstacles)]
    width = pixels(viewport.width, where="viewport", field="width", minimum=0.0)
    height = pixels(viewport.height, where="viewport", field="height", minimum=0.0)
    drawn = [_checked_circle(index, circle) for index, circle in enumerate(symbols)]
    circles = [(item[1], item[2], item[3]) for item in items if item[3] > 0]
    circles += [circle for circle in drawn if circle[2] > 0]
    near_circles = Grid(width, height)
    for sx, sy, sr in circles:
        near_circles.add((sx, sy, sr), sx - sr, sy - sr, sx + sr, sy + sr)
    # A symbol wholly under a larger one is no obstacle to a leader line of its own: its
    # cover is (a line may cross a cover overlapping its own symbol, drawn over the line).
    near_symbols = Grid(width, height)
    for symbol in circles:
        sx, sy, sr = symbol
        span = (sx - sr, sy - sr, sx + sr, sy + sr)
        if not any(_covers(other, symbol) for other in near_circles.near(*span)):
            near_symbols.add(symbol, *span)

    near_boxes = Grid(width, height)
    near_leaders = Grid(width, height)
    chosen: dict[str, Placement] = {}
    taken: set[str] = set()  # the groups with a label placed
    for item in sorted(items, key=lambda item: _placement_order(item, width, height)):
        label_id, cx, cy, radius, w, h, _, may_lead, group, _, tether, inside = item
        chosen[label_id] = Placement(label_id, False)
        if group in taken:
            continue
        for name, box, leader in _candidates(cx, cy, radius, w, h, may_lead, tether, inside):
            if box.x < 0 or box.y < 0 or box.x + w > width or box.y + h > height:
                continue
            if any(box.overlaps(other) for other in walls):
                continue
            span = (box.x, box.y, box.x + w, box.y + h)
            if any(box.overlaps(other) for other, _ in near_boxes.near(*span)):
                continue
            if any(
                (sx != cx or sy != cy or sr < radius) and box.squared_distance(sx, sy) < sr * sr
                for sx, sy, sr in near_circles.near(*span)
            ):
                continue
            if any(segment_hits_rect(line, box) for line in near_leaders.near(*span)):
                continue
            if leader is not None:
                reach = _bounds(leader)
                if (
                    any(segment_hits_rect(leader, other) for other in walls)
                    # ... and labels inside those symbols (a figure on a circle over its own).
                    or any(
                        segment_hits_rect(leader, other)
                        and (home is None or not _circles_overlap(home, cx, cy, radius))
                        for other, home in near_boxes.near(*reach)
                    )
                    or any(segments_cross(leader, line) for line in near_leaders.near(*reach))
                    # A leader starts on the symbol's edge: it may cross symbols overlapping it.
                    or any(
                        (s[0] != cx or s[1] != cy)
                        and not _circles_overlap(s, cx, cy, radius)
                        and segment_hits_circle(leader, s)
                        for s in near_symbols.near(*reach)
                    )
                ):
                    continue
                near_leaders.add(leader, *reach)
            # A label on its own symbol (a figure inside its circle) is part of the symbol (none
            # without one: a point of no size).
            on_symbol = inside and (name == "center" or name.startswith("inside-"))
            home = (cx, cy, radius) if on_symbol and radius > 0 else None
            near_boxes.add((box, home), *span)
            if group:
                taken.add(group)
            chosen[label_id] = Placement(
                label_id,
                True,
                name,
                box,
                None if leader is None else Segment(*leader),
            )
            break
    return [chosen[item[0]] for item in items]


def _bounds(segment: tuple) -> tuple[float, float, float, float]:
    return (
        min(segment[0], segment[2]),
        min(segment[1], segment[3]),
        max(segment[0], segment[2]),
        max(segment[1], segment[3]),
    )


def _placement_order(item: tuple, width: float, height: float) -> tuple:
    # UTF-16 code units order strings as JavaScript's < does; code points would not
    # (an astral character sorts below U+E000–U+FFFF in UTF-16).
    label_id, x, y, *_, group, clearance, _, _ = item
    depth = min(clearance, x, y, width - x, height - y) if group else 0.0

    def units(text: str) -> bytes:
        return text.encode("utf-16-be", "surrogatepass")

    return (item[6], units(group or label_id), -depth, units(label_id))


def _candidates(
    cx: float, cy: float, radius: float, w: float, h: float, *ways: bool
) -> Iterator[tuple[str, Rect, tuple[float, float, float, float] | None]]:
    """Every position a label may take, in order of preference: (name, box, leader or None);
    ``ways`` are whether it may lead, is tethered, may sit inside its symbol."""
    may_lead, tether, inside = ways
    if radius == 0 or inside:
        yield "center", Rect(cx - w * 0.5, cy - h * 0.5, w, h), None
    # How far the box may move down or up with its corners inside the symbol.
    room = math.sqrt(max(radius * radius - w * w * 0.25, 0.0)) - h * 0.5 if inside else 0.0
    if room > 0:
        for name, shift in (("below", 0.5), ("bottom", 1.0), ("above", -0.5), ("top", -1.0)):
            top = cy + room * shift - h * 0.5
            yield f"inside-{name}", Rect(cx - w * 0.5, top, w, h), None
    steps = (TETHER if tether else 0.0, *(LEADER_STEPS if may_lead else ()))
    for step in steps:
        distance = radius + GAP + step
        for name, ux, uy, ax, ay in _DIRECTIONS:
            px = cx + ux * distance
            py = cy + uy * distance
            box = Rect(px - w * ax, py - h * ay, w, h)
            if step == 0:
                yield name, box, None
                continue
            # From the symbol's edge to the box's point nearest the anchor.
            end_x = min(max(cx, box.x), box.x + w)
            end_y = min(max(cy, box.y), box.y + h)
            yield f"{name}+{step:g}", box, (cx + ux * radius, cy + uy * radius, end_x, end_y)


def _circles_overlap(circle: tuple, cx: float, cy: float, radius: float) -> bool:
    dx = circle[0] - cx
    dy = circle[1] - cy
    reach = circle[2] + radius
    return dx * dx + dy * dy < reach * reach


def _covers(outer: tuple, inner: tuple) -> bool:
    """Whether the larger circle holds the smaller one whole (touching inside counts)."""
    dx = inner[0] - outer[0]
    dy = inner[1] - outer[1]
    room = outer[2] - inner[2]
    return room > 0 and dx * dx + dy * dy <= room * room


def _checked_label(index: int, label: UnplacedLabel) -> tuple:
    if not isinstance(label, UnplacedLabel):
        raise ValidationError(
            "not a label to place",
            row=f"label {index + 1}",
            value=label,
            fix="pass bordermap.render.image.placer.UnplacedLabel objects",
        )
    if not isinstance(label.id, str) or not label.id:
        raise ValidationError(
            "a label needs an id",
            row=f"label {index + 1}",
            field="id",
            value=label.id,
            fix="give every label a unique non-empty text id",
        )
    where = f"label {index + 1} ({label.id!r})"
    priority: object = label.priority
    if isinstance(priority, float) and priority.is_integer():
        priority = int(priority)  # 1.0 from JSON is 1, as in JavaScript
    if isinstance(priority, bool) or not isinstance(priority, int) or priority < 0:
        raise ValidationError(
            "the priority is not a whole number ≥ 0",
            row=where,
            field="priority",
            value=priority,
            fix="use 0 for figures and crossing names, 1 for facilities, 2+ for context",
        )
    if not isinstance(label.leader, bool):
        raise ValidationError(
            "leader is not True or False", row=where, field="leader", value=label.leader
        )
    if not isinstance(label.group, str):
        raise ValidationError("group is not a text", row=where, field="group", value=label.group)
    for field in ("tether", "inside"):
        if not isinstance(getattr(label, field), bool):
            raise ValidationError(
                f"{field} is not True or False", row=where, field=field, value=getattr(label, field)
            )
    return (
        label.id,
        pixels(label.x, where=where, field="x"),
        pixels(label.y, where=where, field="y"),
        pixels(label.radius, where=where, field="radius", minimum=0.0),
        pixels(label.width, where=where, field="width", minimum=0.0),
        pixels(label.height, where=where, field="height", minimum=0.0),
        priority,
        label.leader,
        label.group,
        pixels(label.clearance, where=where, field="clearance", minimum=0.0),
        label.tether,
        label.inside,
    )


def _checked_rect(index: int, rect: Rect) -> Rect:
    where = f"obstacle {index + 1}"
    if not isinstance(rect, Rect):
        raise ValidationError(
            "not a box", row=where, value=rect, fix="pass bordermap.screen.Rect objects"
        )
    return Rect(
        pixels(rect.x, where=where, field="x"),
        pixels(rect.y, where=where, field="y"),
        pixels(rect.width, where=where, field="width", minimum=0.0),
        pixels(rect.height, where=where, field="height", minimum=0.0),
    )


def _checked_circle(index: int, circle: Circle) -> tuple[float, float, float]:
    where = f"symbol {index + 1}"
    if not isinstance(circle, Circle):
        raise ValidationError("not a symbol", row=where, value=circle, fix="pass screen.Circle")
    return (
        pixels(circle.x, where=where, field="x"),
        pixels(circle.y, where=where, field="y"),
        pixels(circle.radius, where=where, field="radius", minimum=0.0),
    )


def _check_unique_ids(items: Sequence[tuple]) -> None:
    seen: dict[str, int] = {}
    for index, item in enumerate(items):
        if item[0] in seen:
            raise ValidationError(
                f"the same id as label {seen[item[0]] + 1}",
                row=f"label {index + 1}",
                field="id",
                value=item[0],
                fix="give every label a unique id",
            )
        seen[item[0]] = index
