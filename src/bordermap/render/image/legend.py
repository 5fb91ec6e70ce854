"""The image's legend column: size circles, then one row per entry of the spec's legend."""

from __future__ import annotations

from matplotlib.axes import Axes
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.patches import Circle
from matplotlib.text import Text

from bordermap import theme
from bordermap.render.image.fonts import families_for
from bordermap.render.image.text import measuring, wrap
from bordermap.spec import Legend, LegendEntry

__all__ = ["PT_PER_PX", "dashes", "draw_legend"]

PT_PER_PX = 0.75  # one CSS pixel is 1/96 inch: symbols print at their on-screen size
_INK = theme.INK
_RED = theme.CROSSING_COLOR


def dashes(dash_array: str | None) -> str | tuple[float, tuple[float, ...]]:
    """A Leaflet ``dashArray`` (pixels) as a matplotlib line style (points).

    Examples
    --------
    >>> dashes("4 4"), dashes(None)
    ((0, (3.0, 3.0)), 'solid')
    """
    lengths = tuple(float(v) * PT_PER_PX for v in str(dash_array or "").replace(",", " ").split())
    return (0, lengths) if lengths else "solid"


def draw_legend(
    fig: Figure, rect: tuple[float, float, float, float], legend: Legend, *, rtl: bool = False
) -> None:
    """The legend column: size circles, then one row per entry, from the map's description.

    Rows that do not fit above the bottom of ``rect`` are summarised in one last line
    ("… and N more"), so the legend never runs over the credit line below it. A
    right-to-left legend is the same column mirrored: text set from the right, swatches
    and circles on the right of it.
    """
    _, _, width, height = rect
    ax = fig.add_axes(rect)
    ax.set_axis_off()
    width_pt = width * fig.get_figwidth() * 72
    height_pt = height * fig.get_figheight() * 72
    # Mirrored by the axis itself: x runs from the right edge, and text is set from there.
    ax.set_xlim((width_pt, 0) if rtl else (0, width_pt))
    align = "right" if rtl else "left"
    ax.set_ylim(0, height_pt)
    columns = int(width_pt / 4.2)
    renderer = measuring(fig)

    def next_line(text: Text, step: float) -> float:
        """Where the line after ``text`` (set from its top) starts: ``step`` points lower, more
        for faces whose lines are taller than Latin's (Arabic, Myanmar: four fifths of the
        line their font asks for, about the height their letters reach)."""
        tall = text.get_window_extent(renderer).height * 72 / fig.dpi
        return text.get_position()[1] - max(step, 0.8 * tall)

    y = height_pt
    for line in wrap(legend.title, int(width_pt / 4.6)):
        y = next_line(_text(ax, (0, y), line, align, 8.5, "top", fontweight="bold"), 11)
    y -= 4
    if legend.sizes:
        biggest = max(s.radius for s in legend.sizes) * PT_PER_PX
        base = y - 2 * biggest
        cx = biggest + 2
        for size in legend.sizes:
            r = size.radius * PT_PER_PX
            ax.add_patch(
                Circle(
                    (cx, base + r), r, facecolor=to_rgba(_RED, 0.25), edgecolor=_RED, linewidth=0.75
                )
            )
            ax.plot([cx, 2 * cx + 6], [base + 2 * r] * 2, color="#999999", linewidth=0.5)
            _text(ax, (2 * cx + 8, base + 2 * r), size.label, align, 7.5, "center")
        y = base - 6
        for line in wrap(legend.area_note or "", columns):
            y = next_line(_text(ax, (0, y), line, align, 7.5, "top"), 10)
        y -= 4
    rows: list[tuple[LegendEntry | None, list[str]]] = [
        (entry, wrap(entry.label, columns - 7)) for entry in legend.entries
    ]
    rows += [(None, wrap(note, columns)) for note in legend.notes]
    for i, (entry, lines) in enumerate(rows):
        texts, bottom = [], y
        for line in lines:
            texts.append(
                _text(ax, (20 if entry is not None else 0, bottom), line, align, 7.5, "top")
            )
            bottom = next_line(texts[-1], 10)
        # Room below for the next row's first line, or for the summary line.
        if bottom - 3 * len(lines) - (13 if i < len(rows) - 1 else 0) < 0:
            for text in texts:
                text.remove()
            _text(ax, (0, y), f"… +{len(rows) - i}", align, 7.5, "top")
            break
        if entry is not None:
            _swatch(ax, (8, y - 5), entry)
        y = bottom - 3


def _text(
    ax: Axes,
    at: tuple[float, float],
    text: str,
    align: str,
    size: float,
    va: str,
    fontweight: str = "normal",
) -> Text:
    """One line of legend text, in the faces its scripts need, set from ``align``'s side."""
    return ax.text(
        *at,
        text,
        fontfamily=families_for(text),
        fontsize=size,
        fontweight=fontweight,
        color=_INK,
        va=va,
        ha=align,
    )


def _swatch(ax: Axes, at: tuple[float, float], entry: LegendEntry) -> None:
    if entry.kind == "ring":
        ax.add_patch(
            Circle(
                at,
                7.5,
                facecolor=to_rgba(_RED, 0.08),
                edgecolor=to_rgba(_RED, 0.55),
                linewidth=1.1,
            )
        )
        ax.add_patch(
            Circle(at, 4.5, facecolor=to_rgba(_RED, 0.78), edgecolor="white", linewidth=1.1)
        )
    elif entry.kind == "halo":
        # A crossing's circle in its dashed ring, the ring at its smallest, as in the map.
        r = float(entry.radius)
        ax.add_patch(
            Circle(
                at,
                theme.halo_floor_px(r + 0.75) * PT_PER_PX,  # the circle's 1.5 px stroke, halved
                facecolor="none",
                edgecolor=entry.stroke,
                linewidth=theme.HALO_WEIGHT_PX * PT_PER_PX,
                linestyle=dashes(theme.HALO_DASH),
            )
        )
        ax.add_patch(
            Circle(
                at,
                r * PT_PER_PX,
                facecolor=to_rgba(entry.fill, 0.78),
                edgecolor="white",
                linewidth=1.5 * PT_PER_PX,
            )
        )
    elif entry.kind == "line":
        ax.plot(
            [at[0] - 7, at[0] + 7],
            [at[1], at[1]],
            color=entry.stroke,
            linewidth=float(entry.weight) * PT_PER_PX,
            linestyle=(0, (4, 2.5)) if entry.dashed else "solid",
        )
    else:
        ax.add_patch(
            Circle(
                at,
                float(entry.radius) * PT_PER_PX,
                facecolor=to_rgba(entry.fill, entry.opacity) if entry.fill != "none" else "none",
                edgecolor=entry.stroke if entry.stroke != "none" else "none",
                linewidth=1.1,
                linestyle=(0, (2.25, 1.5)) if entry.dashed else "solid",
            )
        )
