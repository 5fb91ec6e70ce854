"""Put the map's panels (title, legend, sources, layer control) in corners where they cover
no other panel and no symbol, and say how much room the first view must leave for them.

The model is Leaflet's ``fitBounds(bounds, {paddingTopLeft, paddingBottomRight})`` with
fractional zoom (``zoomSnap: 0``): the data's bounds, scaled as large as fits, centred in the
viewport less the padding. Panels sit ``margin`` px from the viewport's edges; panels sharing
a corner are stacked, the first listed nearest the corner. Every choice is deterministic.

Among all corner choices allowed by each panel's ``corners`` and all paddings that clear
whole corner stacks, the layout kept is the one that

1. covers no symbol (its circle at the first view) with a panel, and no panel with another;
2. shows the map largest (the greatest scale);
3. then puts panels in their most preferred corners (the panels' order decides first);
4. then leaves the least padding.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from bordermap.errors import ValidationError
from bordermap.screen import Rect, Viewport, pixels

__all__ = ["CORNERS", "Panel", "PanelLayout", "Symbol", "layout_panels"]

CORNERS = ("topleft", "topright", "bottomleft", "bottomright")
"""Corner names, as Leaflet's control ``position`` option spells them."""

_TOP = ("topleft", "topright")
_LEFT = ("topleft", "bottomleft")


@dataclass(frozen=True)
class Panel:
    """A panel's measured size (px) and the corners it may take, most preferred first."""

    id: str
    width: float
    height: float
    corners: tuple[str, ...] = CORNERS


@dataclass(frozen=True)
class Symbol:
    """A symbol in the frame of ``bounds`` (projected pixels at the greatest zoom the first
    view may use, e.g. ``map.project(latlng, maxZoom)``); its ``radius`` is in screen px."""

    x: float
    y: float
    radius: float


@dataclass(frozen=True)
class PanelLayout:
    """Where the panels go and how the first view fits around them.

    ``corners`` and ``boxes`` are ``(panel id, value)`` pairs in the panels' order; boxes are
    in screen px. ``padding_top_left`` and ``padding_bottom_right`` are Leaflet's
    ``fitBounds`` options, ``(x, y)``. ``scale`` multiplies the bounds' frame to screen px
    (≤ 1); ``symbols`` are the symbols' screen positions at the first view, in input order
    (the anchors for `bordermap.labels.place_labels`, with the boxes as its obstacles).
    """

    corners: tuple[tuple[str, str], ...]
    boxes: tuple[tuple[str, Rect], ...]
    padding_top_left: tuple[float, float]
    padding_bottom_right: tuple[float, float]
    scale: float
    symbols: tuple[tuple[float, float], ...]


def layout_panels(
    viewport: Viewport,
    panels: Sequence[Panel],
    symbols: Sequence[Symbol],
    bounds: Rect,
    *,
    margin: float = 10.0,
) -> PanelLayout | None:
    """Choose a corner for each panel and the padding of the first view.

    Parameters
    ----------
    viewport : bordermap.screen.Viewport
        The map's size in px.
    panels : sequence of Panel
        Measured panels; ids unique. At most 6 (the search tries every corner choice).
    symbols : sequence of Symbol
        The symbols no panel may cover, in the frame of ``bounds``.
    bounds : bordermap.screen.Rect
        What the first view shows, in the same frame (width or height may be 0).
    margin : float
        Px between a panel and the viewport's edge, and between stacked panels.

    Returns
    -------
    PanelLayout or None
        None when no choice keeps every symbol and panel uncovered: make panels smaller
        (fold the legend into a button, the sources into one line) and call again.

    Raises
    ------
    bordermap.errors.ValidationError
        A size that is not a finite number ≥ 0, an unknown corner, or a duplicate id.

    Examples
    --------
    The title must stay top-left, over a symbol, so the first view leaves a 60 px strip
    above the map; the legend would rather be bottom-left, but a symbol is there too, so it
    takes the empty bottom-right corner, over the map, at no cost.

    >>> layout = layout_panels(
    ...     Viewport(800, 500),
    ...     [
    ...         Panel("title", 300, 40, ("topleft",)),
    ...         Panel("legend", 150, 120, ("bottomleft", "bottomright")),
    ...     ],
    ...     [Symbol(10, 10, 8), Symbol(200, 150, 8), Symbol(0, 580, 8)],
    ...     bounds=Rect(0, 0, 1000, 600),
    ... )
    >>> dict(layout.corners)
    {'title': 'topleft', 'legend': 'bottomright'}
    >>> layout.padding_top_left, layout.padding_bottom_right, layout.scale
    ((8.0, 60.0), (8.0, 8.0), 0.72)
    >>> layout.boxes[1]
    ('legend', Rect(x=640.0, y=370.0, width=150.0, height=120.0))
    """
    width = pixels(getattr(viewport, "width", None), where="viewport", field="width", minimum=0)
    height = pixels(getattr(viewport, "height", None), where="viewport", field="height", minimum=0)
    margin = pixels(margin, where="layout", field="margin", minimum=0)
    frame = Rect(
        *(
            pixels(getattr(bounds, name, None), where="bounds", field=name, minimum=low)
            for name, low in (("x", None), ("y", None), ("width", 0), ("height", 0))
        )
    )
    checked = _checked_panels(panels)
    dots = [
        (
            pixels(s.x, where=f"symbol {i + 1}", field="x"),
            pixels(s.y, where=f"symbol {i + 1}", field="y"),
            pixels(s.radius, where=f"symbol {i + 1}", field="radius", minimum=0),
        )
        for i, s in enumerate(symbols)
    ]
    # Every side keeps room for the largest symbol, so none is cut at the edge.
    inset = max((r for _, _, r in dots), default=0.0)
    xs, ys, radii = np.array(dots, dtype=float).reshape(-1, 3).T

    best = None
    for choice in itertools.product(*(range(len(p.corners)) for p in checked)):
        corners = [p.corners[k] for p, k in zip(checked, choice, strict=True)]
        boxes = _stack(checked, corners, width, height, margin)
        if boxes is None or _any_overlap(boxes):
            continue
        # No padding beats the inset alone: a choice that cannot win with it is skipped.
        widest = _fit(frame, (inset,) * 4, width, height)
        if widest is None or (best is not None and (-widest[0], choice) >= best[0][:2]):
            continue
        tries = []
        for padding in _paddings(boxes, corners, width, height, margin, inset):
            fit = _fit(frame, padding, width, height)
            if fit is not None:
                tries.append(((-fit[0], choice, sum(padding), padding), padding, fit))
        # Best first: the first padding that uncovers every symbol is this choice's best.
        tries.sort(key=lambda t: t[0])
        for key, padding, fit in tries:
            if best is not None and key >= best[0]:
                break
            scale, origin_x, origin_y = fit
            screen_x = origin_x + (xs - frame.x) * scale
            screen_y = origin_y + (ys - frame.y) * scale
            if any(_covers(box, screen_x, screen_y, radii) for box in boxes):
                continue
            placed = list(zip(screen_x.tolist(), screen_y.tolist(), strict=True))
            best = (key, corners, boxes, padding, scale, placed)
            break
    if best is None:
        return None
    _, corners, boxes, (top, right, bottom, left), scale, placed = best
    return PanelLayout(
        corners=tuple((p.id, c) for p, c in zip(checked, corners, strict=True)),
        boxes=tuple((p.id, b) for p, b in zip(checked, boxes, strict=True)),
        padding_top_left=(left, top),
        padding_bottom_right=(right, bottom),
        scale=scale,
        symbols=tuple(placed),
    )


def _stack(
    panels: list[Panel], corners: list[str], width: float, height: float, margin: float
) -> list[Rect] | None:
    """Each panel's box: stacked from its corner, the first listed outermost."""
    boxes = []
    used = dict.fromkeys(CORNERS, margin)
    for panel, corner in zip(panels, corners, strict=True):
        y = used[corner] if corner in _TOP else height - used[corner] - panel.height
        x = margin if corner in _LEFT else width - margin - panel.width
        used[corner] += panel.height + margin
        if x < 0 or y < 0 or x + panel.width > width or y + panel.height > height:
            return None
        boxes.append(Rect(x, y, panel.width, panel.height))
    return boxes


def _any_overlap(boxes: list[Rect]) -> bool:
    return any(a.overlaps(b) for a, b in itertools.combinations(boxes, 2))


def _paddings(
    boxes: list[Rect],
    corners: list[str],
    width: float,
    height: float,
    margin: float,
    inset: float,
) -> Iterator[tuple[float, ...]]:
    """Paddings (top, right, bottom, left) that each clear none, one or both corner stacks
    on their side: the only values worth trying, since padding anywhere between them only
    shrinks the map without uncovering a panel."""
    sides = []
    for side in ("top", "right", "bottom", "left"):
        values = {inset}
        extents = []
        for box, corner in zip(boxes, corners, strict=True):
            if side == "top" and corner in _TOP:
                extents.append((corner, box.y + box.height + margin))
            elif side == "bottom" and corner not in _TOP:
                extents.append((corner, height - box.y + margin))
            elif side == "left" and corner in _LEFT:
                extents.append((corner, box.x + box.width + margin))
            elif side == "right" and corner not in _LEFT:
                extents.append((corner, width - box.x + margin))
        per_corner: dict[str, float] = {}
        for corner, extent in extents:
            per_corner[corner] = max(per_corner.get(corner, 0.0), extent)
        values.update(max(inset, v) for v in per_corner.values())
        if per_corner:
            values.add(max(inset, *per_corner.values()))
        sides.append(sorted(values))
    return itertools.product(*sides)


def _fit(
    frame: Rect, padding: tuple[float, ...], width: float, height: float
) -> tuple[float, float, float] | None:
    """The scale and the screen origin of the bounds' frame, or None with no room left."""
    top, right, bottom, left = padding
    area_w = width - left - right
    area_h = height - top - bottom
    if area_w <= 0 or area_h <= 0:
        return None
    scale = 1.0
    if frame.width > 0:
        scale = min(scale, area_w / frame.width)
    if frame.height > 0:
        scale = min(scale, area_h / frame.height)
    origin_x = left + (area_w - frame.width * scale) / 2
    origin_y = top + (area_h - frame.height * scale) / 2
    return scale, origin_x, origin_y


def _covers(box: Rect, x: np.ndarray, y: np.ndarray, r: np.ndarray) -> bool:
    """Whether the box covers any of the circles; touching counts, as a stroke would be."""
    dx = x - np.minimum(np.maximum(x, box.x), box.x + box.width)
    dy = y - np.minimum(np.maximum(y, box.y), box.y + box.height)
    return bool(np.any(dx * dx + dy * dy <= r * r))


def _checked_panels(panels: Sequence[Panel]) -> list[Panel]:
    checked: list[Panel] = []
    seen: set[str] = set()
    if len(panels) > 6:
        raise ValidationError(
            "too many panels to lay out",
            field="panels",
            value=len(panels),
            fix="group controls into at most 6 panels",
        )
    for index, panel in enumerate(panels):
        where = f"panel {index + 1} ({getattr(panel, 'id', None)!r})"
        if not isinstance(panel, Panel) or not isinstance(panel.id, str) or not panel.id:
            raise ValidationError(
                "not a panel with an id",
                row=where,
                value=panel,
                fix="pass bordermap.layout.Panel(id, width, height) objects",
            )
        if panel.id in seen:
            raise ValidationError(
                "the same id as an earlier panel", row=where, field="id", value=panel.id
            )
        seen.add(panel.id)
        corners = tuple(panel.corners)
        bad = [c for c in corners if c not in CORNERS]
        if bad or not corners or len(set(corners)) != len(corners):
            raise ValidationError(
                "unknown, repeated or no corners",
                row=where,
                field="corners",
                value=corners,
                fix="choose from " + ", ".join(CORNERS),
            )
        checked.append(
            Panel(
                panel.id,
                pixels(panel.width, where=where, field="width", minimum=0),
                pixels(panel.height, where=where, field="height", minimum=0),
                corners,
            )
        )
    return checked
