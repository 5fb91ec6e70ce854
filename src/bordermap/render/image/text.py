"""Text in print images: matplotlib settings per language, wrapping, the credit line, and
text that copies as typed out of a PDF."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import Any

from matplotlib.backend_bases import RendererBase
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_pdf import PdfFile, Verbatim
from matplotlib.figure import Figure
from matplotlib.text import Text

from bordermap.render.image.fonts import base_families
from bordermap.spec import Credit

__all__ = ["copyable", "measuring", "rc", "wrap"]


def rc(lang: str) -> dict:
    """matplotlib settings of every image: fonts of ``lang``, text kept as text, fixed ids."""
    return {
        # Each text adds the faces of its own scripts before these (fonts.families_for).
        "font.family": base_families(lang),
        "svg.fonttype": "none",  # text stays <text>: searchable, editable
        "svg.hashsalt": "bordermap",  # clip-path and glyph ids: the same in every run
        "svg.id": "bordermap-map",
        "pdf.fonttype": 42,  # TrueType subsets: text extractable, CJK included
        "pdf.compression": 6,
        "lines.scale_dashes": False,  # dash lengths in points, as Leaflet's in pixels
        "path.simplify": True,
        # Text from data is drawn as typed: "$…$" in a name is not TeX (a lone "$$" would
        # even raise), as "{{ … }}" is not a template in the HTML page.
        "text.parse_math": False,
    }


def measuring(fig: Figure) -> RendererBase:
    """The renderer that measures ``fig``'s texts: its Agg canvas's, one for the figure
    (made on first use; every part of the image measures with the same one)."""
    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    return canvas.get_renderer()


def wrap(text: str, width: int) -> list[str]:
    """Wrap at spaces (or anywhere in CJK), counting wide characters as two columns."""
    lines: list[str] = []
    line, used = "", 0
    for word in _words(text):
        cost = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in word)
        if used + cost > width and line.strip():
            lines.append(line.rstrip())
            line, used = word.lstrip(), cost
        else:
            line, used = line + word, used + cost
    if line.strip():
        lines.append(line.rstrip())
    return lines


def _breakable(ch: str) -> bool:
    """Chinese and Japanese may wrap between any two characters; Korean wraps at spaces."""
    hangul = "\uac00" <= ch <= "\ud7a3" or "\u1100" <= ch <= "\u11ff" or "\u3130" <= ch <= "\u318f"
    return unicodedata.east_asian_width(ch) in "WF" and not hangul and ch not in _CLOSING


_CLOSING = ")）」』、。，,.:;：；!?！？"


def _words(text: str) -> list[str]:
    words: list[str] = []
    current = ""
    for ch in text:
        if ch in _CLOSING and not current and words:
            words[-1] += ch
        elif _breakable(ch):
            if current:
                words.append(current)
            words.append(ch)
            current = ""
        elif ch == " ":
            words.append(current + " ")
            current = ""
        else:
            current += ch
    if current:
        words.append(current)
    return words


def credit_text(credit: Credit) -> str:
    """The credit line as one plain-text line, as an image prints it.

    Examples
    --------
    >>> from bordermap.spec import Source
    >>> tjwg = Source("TJWG", "2023-12-07", "7 December 2023")
    >>> credit_text(Credit("Sources", (tjwg,), "Map: bordermap"))
    'Sources: TJWG (7 December 2023) · Map: bordermap'
    """
    if credit.text is not None:
        parts = [credit.text]
    else:
        cited = "; ".join(
            s.name + (f" ({s.date_text})" if s.date_text else "") for s in credit.sources
        )
        parts = [f"{credit.heading}: {cited}"] if cited else []
        parts.append(credit.made_by)
    return " · ".join(parts + list(credit.notes))


def copyable(fig: Figure) -> None:
    """Make every text of ``fig`` copy and search as typed from a PDF written after this.

    A PDF shows glyphs: shaped Thai, Devanagari or Arabic text is glyphs in visual order,
    vowel signs reordered and letters joined, and a reader copying it gets letters doubled
    or reversed (pdftotext gave "เมีมียนมา" for เมียนมา). PDF's own answer is a marked-content
    span whose ``/ActualText`` holds the text as typed (ISO 32000-1 §14.9.4), which
    PDF viewers copy and search instead of the glyphs. matplotlib does not write it, so each
    text is drawn inside one; other formats are untouched (an SVG keeps its text as text).
    Right-to-left text keeps its glyphs only: poppler (pdftotext, Evince) reads a span's
    text as if laid out left to right and reverses Arabic written as typed, while it reads
    matplotlib's visual-order glyphs back in the right order.

    Examples
    --------
    >>> import io, matplotlib
    >>> fig = Figure()
    >>> _ = fig.text(0.5, 0.5, "Hyesan")
    >>> copyable(fig)
    >>> buffer = io.BytesIO()
    >>> with matplotlib.rc_context({"pdf.compression": 0}):
    ...     fig.savefig(buffer, format="pdf")
    >>> b"/Span <</ActualText <FEFF00480079006500730061006E>>> BDC" in buffer.getvalue()
    True
    """
    for text in fig.findobj(Text):
        if not isinstance(getattr(text.draw, "__self__", None), Text):
            continue  # wrapped already
        text.draw = _drawn_with_actual_text(text)  # type: ignore[method-assign,assignment]


def _drawn_with_actual_text(text: Text) -> Callable[[Any], None]:
    draw = text.draw

    def with_actual_text(renderer: Any) -> None:
        # The PDF renderer's file (matplotlib's mixed-mode renderer passes it through).
        file = getattr(renderer, "file", None)
        typed = text.get_text()
        if not isinstance(file, PdfFile) or not typed or not text.get_visible():
            return draw(renderer)
        if any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in typed):
            return draw(renderer)
        hexed = typed.encode("utf-16-be").hex().upper().encode("ascii")
        file.output(Verbatim(b"/Span <</ActualText <FEFF" + hexed + b">>> BDC"))
        draw(renderer)
        file.output(Verbatim(b"EMC"))
        return None

    return with_actual_text
