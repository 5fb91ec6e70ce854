"""Screen-pixel geometry for the label placer and the panel layout.

Boxes, leader lines and the viewport, in pixels with y pointing down, and `pixels`, which
checks a measure on the way in.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

from bordermap.errors import ValidationError

__all__ = [
    "Circle",
    "Grid",
    "Rect",
    "Segment",
    "Viewport",
    "pixels",
    "segment_hits_circle",
    "segment_hits_rect",
    "segments_cross",
]


@dataclass(frozen=True)
class Rect:
    """An axis-aligned box in screen pixels: top-left corner ``(x, y)``, y pointing down."""

    x: float
    y: float
    width: float
    height: float

    def to_dict(self) -> dict:
        return {"x": self.x, "y": self.y, "width": self.width, "height": self.height}

    def overlaps(self, other: Rect) -> bool:
        """Whether the two boxes share more than an edge.

        Examples
        --------
        >>> box = Rect(0, 0, 10, 10)
        >>> box.overlaps(Rect(10, 0, 5, 5)), box.overlaps(Rect(9, 9, 5, 5))
        (False, True)
        """
        return (
            self.x < other.x + other.width
            and other.x < self.x + self.width
            and self.y < other.y + other.height
            and other.y < self.y + self.height
        )

    def squared_distance(self, x: float, y: float) -> float:
        """The squared distance from a point to the box, 0 inside it (no square root, so
        the JavaScript twin computes the same bits).

        Examples
        --------
        >>> Rect(0, 0, 10, 10).squared_distance(13, 14), Rect(0, 0, 10, 10).squared_distance(5, 5)
        (25, 0)
        """
        dx = x - min(max(x, self.x), self.x + self.width)
        dy = y - min(max(y, self.y), self.y + self.height)
        return dx * dx + dy * dy


@dataclass(frozen=True)
class Circle:
    """A drawn point symbol in screen pixels: its centre ``(x, y)`` and its ``radius``."""

    x: float
    y: float
    radius: float


@dataclass(frozen=True)
class Segment:
    """A leader line from ``(x1, y1)`` on the symbol's edge to ``(x2, y2)`` on the label box."""

    x1: float
    y1: float
    x2: float
    y2: float

    def to_dict(self) -> dict:
        return {"x1": self.x1, "y1": self.y1, "x2": self.x2, "y2": self.y2}


@dataclass(frozen=True)
class Viewport:
    """The drawing area in pixels; labels must lie wholly inside it."""

    width: float
    height: float


def pixels(value: object, *, where: str, field: str, minimum: float | None = None) -> float:
    """A measure in screen pixels as a float, or a `ValidationError` naming where it came from.

    Parameters
    ----------
    value : object
        An int or float; bools, text, NaN and infinities are refused.
    where, field : str
        What the message names: ``"label 3 ('tumen')"``, ``"width"``.
    minimum : float, optional
        The least value allowed (0 for sizes).

    Examples
    --------
    >>> pixels(12, where="panel 1", field="width", minimum=0)
    12.0
    >>> pixels(-3, where="panel 1", field="width", minimum=0)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    bordermap.errors.ValidationError: panel 1, field 'width': a size cannot be negative (got -3)...
    """
    number = math.nan
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            number = float(value)
        except OverflowError:
            pass  # an int beyond float range: reported below like inf
    if not math.isfinite(number):
        raise ValidationError(
            "not a finite number of pixels",
            row=where,
            field=field,
            value=value,
            fix="give a number such as 12.5",
        )
    if minimum is not None and number < minimum:
        raise ValidationError(
            "a size cannot be negative", row=where, field=field, value=value, fix="use 0 or more"
        )
    return number


class Grid:
    """Things filed under the cells their bounding boxes touch, so that a candidate is
    checked only against what lies near it. ``near`` returns a superset of what can touch
    the span (cell numbers grow with x and y, clamped to the grid), so the answers are those
    of checking everything; the same cells in labels.js.

    Examples
    --------
    >>> grid = Grid(1280, 800)
    >>> grid.add("a", 10, 10, 20, 20)
    >>> grid.near(0, 0, 30, 30), grid.near(600, 600, 700, 700)
    (['a'], [])
    """

    def __init__(self, width: float, height: float) -> None:
        # A power of two (exact division), large enough for at most 256 × 256 cells.
        self.size = 64.0
        while max(width, height) / self.size > 256:
            self.size *= 2
        self.columns = math.floor(width / self.size) + 1
        self.rows = math.floor(height / self.size) + 1
        self.cells: list[list] = [[] for _ in range(self.columns * self.rows)]

    def _cells(self, x0: float, y0: float, x1: float, y1: float) -> Iterator[int]:
        i0 = min(max(math.floor(x0 / self.size), 0), self.columns - 1)
        i1 = min(max(math.floor(x1 / self.size), 0), self.columns - 1)
        j0 = min(max(math.floor(y0 / self.size), 0), self.rows - 1)
        j1 = min(max(math.floor(y1 / self.size), 0), self.rows - 1)
        for j in range(j0, j1 + 1):
            for i in range(i0, i1 + 1):
                yield j * self.columns + i

    def add(self, thing: object, x0: float, y0: float, x1: float, y1: float) -> None:
        for cell in self._cells(x0, y0, x1, y1):
            self.cells[cell].append(thing)

    def near(self, x0: float, y0: float, x1: float, y1: float) -> list:
        return [thing for cell in self._cells(x0, y0, x1, y1) for thing in self.cells[cell]]


def segment_hits_rect(segment: tuple, rect: Rect) -> bool:
    """Whether the segment ``(x1, y1, x2, y2)`` passes through the box's interior
    (Liang–Barsky clipping); one along an edge does not.

    Examples
    --------
    >>> box = Rect(5, 0, 5, 10)
    >>> segment_hits_rect((0, 5, 20, 5), box), segment_hits_rect((0, 0, 20, 0), box)
    (True, False)
    """
    x1, y1, x2, y2 = segment
    dx = x2 - x1
    dy = y2 - y1
    t0 = 0.0
    t1 = 1.0
    for p, q in (
        (-dx, x1 - rect.x),
        (dx, rect.x + rect.width - x1),
        (-dy, y1 - rect.y),
        (dy, rect.y + rect.height - y1),
    ):
        if p == 0:
            if q <= 0:
                return False
            continue
        t = q / p
        if p < 0:
            if t >= t1:
                return False
            if t > t0:
                t0 = t
        else:
            if t <= t0:
                return False
            if t < t1:
                t1 = t
    return t0 < t1


def segments_cross(a: tuple, b: tuple) -> bool:
    """Whether two segments ``(x1, y1, x2, y2)`` cross at a point inside both (touching or
    collinear: no).

    Examples
    --------
    >>> segments_cross((0, 0, 10, 10), (0, 10, 10, 0)), segments_cross((0, 0, 5, 5), (5, 5, 9, 0))
    (True, False)
    """
    d1 = _turn(b[0], b[1], b[2], b[3], a[0], a[1])
    d2 = _turn(b[0], b[1], b[2], b[3], a[2], a[3])
    d3 = _turn(a[0], a[1], a[2], a[3], b[0], b[1])
    d4 = _turn(a[0], a[1], a[2], a[3], b[2], b[3])
    return ((d1 > 0 and d2 < 0) or (d1 < 0 and d2 > 0)) and (
        (d3 > 0 and d4 < 0) or (d3 < 0 and d4 > 0)
    )


def _turn(x1: float, y1: float, x2: float, y2: float, x: float, y: float) -> float:
    """Which side of the line through 1 and 2 the point lies on (the sign), 0 on it."""
    return (x2 - x1) * (y - y1) - (y2 - y1) * (x - x1)


def segment_hits_circle(segment: tuple, circle: tuple) -> bool:
    """Whether the segment ``(x1, y1, x2, y2)`` comes inside the circle ``(x, y, radius)``.

    Examples
    --------
    >>> segment_hits_circle((0, 0, 10, 0), (5, 2, 3)), segment_hits_circle((0, 0, 10, 0), (5, 3, 3))
    (True, False)
    """
    x1, y1, x2, y2 = segment
    sx, sy, r = circle
    dx = x2 - x1
    dy = y2 - y1
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else ((sx - x1) * dx + (sy - y1) * dy) / length2
    t = min(max(t, 0.0), 1.0)
    ex = x1 + t * dx - sx
    ey = y1 + t * dy - sy
    return ex * ex + ey * ey < r * r
