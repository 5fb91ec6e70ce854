"""HTML of the page's text: popups, tooltips, legend, credit — built from the spec, escaped.

Every value from the map description passes :func:`bordermap.safe.html_text` (or
:func:`bordermap.safe.link` for a source's URL) exactly once, here.
"""

from __future__ import annotations

import html
import math
import re

from fontTools import unicodedata

from bordermap import theme
from bordermap.safe import close_bidi, html_text, isolate, link
from bordermap.spec import Credit, Legend, LegendEntry, Popup, Source

__all__ = ["credit_html", "legend_html", "popup_html", "source_html", "tooltip_html"]


# Scripts written without spaces between words (Unicode's line-break class SA): Thai, Lao,
# Khmer, Burmese, Tai Tham, Tai Le, New Tai Lue, Tai Viet. Chromium breaks their lines with
# ICU's dictionaries, which split a name they lack (ကော့|သောင်း, เมีย|นมา), and CSS cannot
# stop it: word-break: keep-all and line-break leave class SA alone (tried in Chromium).
_NO_SPACES = frozenset({"Thai", "Laoo", "Khmr", "Mymr", "Lana", "Tale", "Talu", "Tavt"})


def words_html(value: object) -> str:
    """Text for a panel, escaped: each space-delimited run of a script without spaces in
    its own ``bm-word`` box (an inline block as wide as the panel at most), so a line breaks
    at the text's own spaces, inside a run only where the run alone is wider than the line.

    Examples
    --------
    >>> words_html("Mae Sot <b>"), words_html("ไทย → เมียนมา")
    ('Mae Sot &lt;b&gt;', '<span class="bm-word">ไทย</span> → <span class="bm-word">เมียนมา</span>')
    """
    text = close_bidi("" if value is None else str(value))
    if not any(unicodedata.script(char) in _NO_SPACES for char in text):
        return html.escape(text, quote=True)
    return "".join(
        f'<span class="bm-word">{html.escape(part, quote=True)}</span>'
        if any(unicodedata.script(char) in _NO_SPACES for char in part)
        else html.escape(part, quote=True)
        for part in re.split(r"(\s+)", text)
    )


def source_html(source: Source) -> str:
    """A source as safe HTML: its name (a link when it has an http(s) URL) and its date.

    Examples
    --------
    >>> source_html(Source("TJWG", "2023-12-07", "7 December 2023", "https://tjwg.org"))[-17:]
    '(7 December 2023)'
    """
    dated = f" ({html_text(source.date_text)})" if source.date_text else ""
    # Isolated: a right-to-left name must not move the date after it.
    return link(source.url, isolate(source.name)) + dated


def tooltip_html(text: str) -> str:
    """A tooltip's lines, escaped, one per line.

    Examples
    --------
    >>> tooltip_html("Tumen → Onsong: 300\\n<b>")
    'Tumen → Onsong: 300<br>&lt;b&gt;'
    """
    return "<br>".join(html_text(line) for line in text.split("\n"))


def _cell(text: str, emphasis: tuple[str, ...]) -> str:
    return f"<em>{html_text(text)}</em>" if text in emphasis else html_text(text)


def popup_html(popup: Popup, *, css_class: str = "bm-popup") -> str:
    """A popup: heading, lines, a table (each source cited with its date), grey notes.

    Examples
    --------
    >>> popup_html(Popup("A → B", lines=("<no figure>",)))
    '<div class="bm-popup"><h3>A → B</h3><p>&lt;no figure&gt;</p></div>'
    """
    parts = [f"<h3>{html_text(popup.heading)}</h3>"]
    parts += [f"<p>{html_text(line)}</p>" for line in popup.lines]
    if popup.table_title:
        parts.append(f"<b>{html_text(popup.table_title)}</b>")
    if popup.rows:
        rows = []
        for row in popup.rows:
            cells = [f"<td>{_cell(c, popup.emphasis)}</td>" for c in row.cells]
            if row.source is not None:
                mark = f" <em>({html_text(row.mark)})</em>" if row.mark else ""
                note = f'<div class="bm-meta">{html_text(row.note)}</div>' if row.note else ""
                cells.append(f"<td>{source_html(row.source)}{mark}{note}</td>")
            css = ' class="bm-headline"' if row.headline else ""
            rows.append(f"<tr{css}>{''.join(cells)}</tr>")
        parts.append(f"<table>{''.join(rows)}</table>")
    parts += [f'<div class="bm-meta">{html_text(line)}</div>' for line in popup.meta]
    return f'<div class="{css_class}">{"".join(parts)}</div>'


def credit_html(credit: Credit) -> str:
    """The credit line: "Sources: A (date); B · Map: bordermap · notes", links kept.

    Examples
    --------
    >>> credit_html(Credit("Sources", (Source("A & B"),), "Map: bordermap"))
    '<b>Sources:</b> A &amp; B · Map: bordermap'
    """
    if credit.text is not None:
        parts = [html_text(credit.text)]
    else:
        cited = "; ".join(source_html(s) for s in credit.sources)
        parts = [f"<b>{html_text(credit.heading)}:</b> {cited}"] if cited else []
        parts.append(html_text(credit.made_by))
    parts += [f'<span class="bm-published">{html_text(n)}</span>' for n in credit.notes]
    return " · ".join(parts)


def _circle_swatch(entry: LegendEntry, size: int = 22) -> str:
    dash = ' stroke-dasharray="3 2"' if entry.dashed else ""
    faded = f' opacity="{entry.opacity}"' if entry.opacity is not None else ""
    return (
        f'<svg width="{size}" height="{size}" aria-hidden="true"><circle{faded} '
        f'cx="{size / 2}" cy="{size / 2}" r="{entry.radius}" fill="{html_text(entry.fill)}" '
        f'stroke="{html_text(entry.stroke)}" stroke-width="1.5"{dash}/></svg>'
    )


def _ring_swatch(size: int = 22) -> str:
    """A solid headline circle inside a faint ring: the legend's picture of a range."""
    c = size / 2
    red = theme.CROSSING_COLOR
    return (
        f'<svg class="bm-ring-swatch" width="{size}" height="{size}" aria-hidden="true">'
        f'<circle cx="{c}" cy="{c}" r="{c - 1}" fill="{red}" fill-opacity="0.08" '
        f'stroke="{red}" stroke-opacity="0.55" stroke-width="1.5"/>'
        f'<circle cx="{c}" cy="{c}" r="{c - 5}" fill="{red}" fill-opacity="0.78" '
        f'stroke="#ffffff" stroke-width="1.5"/></svg>'
    )


def _halo_swatch(entry: LegendEntry, size: int = 22) -> str:
    """A crossing's circle in its dashed ring of location uncertainty, the ring as the map
    draws it at its smallest (theme.HALO_GAP_PX clear of the circle's stroke)."""
    c, r = size / 2, float(entry.radius)
    ring = theme.halo_floor_px(r + 0.75)  # the circle's 1.5 px stroke, halved
    return (
        f'<svg class="bm-halo-swatch" width="{size}" height="{size}" aria-hidden="true">'
        f'<circle cx="{c}" cy="{c}" r="{ring}" fill="none" stroke="{html_text(entry.stroke)}" '
        f'stroke-width="{theme.HALO_WEIGHT_PX}" stroke-dasharray="{theme.HALO_DASH}"/>'
        f'<circle cx="{c}" cy="{c}" r="{r}" fill="{html_text(entry.fill)}" fill-opacity="0.78" '
        f'stroke="#ffffff" stroke-width="1.5"/></svg>'
    )


def _line_swatch(entry: LegendEntry, size: int = 22) -> str:
    """A short line: the legend's picture of a route (dashed where inferred)."""
    dash = ' stroke-dasharray="5 3"' if entry.dashed else ""
    return (
        f'<svg width="{size}" height="{size}" aria-hidden="true"><line x1="1" y1="{size / 2}" '
        f'x2="{size - 1}" y2="{size / 2}" stroke="{html_text(entry.stroke)}" '
        f'stroke-width="{float(entry.weight)}"{dash}/></svg>'
    )


def _swatch(entry: LegendEntry) -> str:
    if entry.kind == "ring":
        return _ring_swatch()
    if entry.kind == "halo":
        return _halo_swatch(entry)
    if entry.kind == "line":
        return _line_swatch(entry)
    return _circle_swatch(entry)


def legend_html(legend: Legend) -> str:
    """The legend: its title, the size circles with their values, one row per entry.

    Examples
    --------
    >>> legend_html(Legend("People", entries=(LegendEntry("ring", "range"),)))[:15]
    '<h2>People</h2>'
    """
    parts = [f"<h2>{words_html(legend.title)}</h2>"]
    if legend.sizes:
        # The top value is rounded to one digit, up as often as down (287 → 300): its circle
        # may be larger than the largest symbol, and must still fit whole.
        largest = max(theme.MAX_RADIUS_PX, *(entry.radius for entry in legend.sizes))
        size = math.ceil(2 * largest + 4)
        red = theme.CROSSING_COLOR
        circles = []
        for entry in legend.sizes:
            r = entry.radius
            cy = size - 2 - r
            circles.append(
                f'<circle cx="{size / 2}" cy="{cy:.1f}" r="{r:.1f}" fill="{red}" '
                f'fill-opacity="0.25" stroke="{red}"/>'
                f'<text x="{size + 4}" y="{max(size - 2 - 2 * r + 4, 10):.1f}" font-size="10">'
                f"{html_text(entry.label)}</text>"
            )
        parts.append(
            f'<svg class="bm-size-legend" width="{size + 40}" height="{size}" role="img" '
            f'aria-label="{html_text(legend.area_note or "")}">{"".join(circles)}</svg>'
        )
        if legend.area_note:
            parts.append(f"<div>{words_html(legend.area_note)}</div>")
    for row in legend.entries:
        if row.layer is not None:
            continue  # shown once, by its layer's own legend (the case legend)
        label = words_html(row.label)
        parts.append(f'<div class="bm-row">{_swatch(row)}<span>{label}</span></div>')
    parts += [f"<div>{words_html(note)}</div>" for note in legend.notes]
    return "".join(parts)
