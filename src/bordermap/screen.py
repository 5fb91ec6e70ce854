"""Screen-pixel geometry for the label placer and the panel layout.

Boxes, leader lines and the viewport, in pixels with y pointing down, and `pixels`, which
checks a measure on the way in.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

from bordermap.errors import ValidationError

__all__ = ["Circle", "Grid", "Rect", "Segment", "Viewport", "pixels"]


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
