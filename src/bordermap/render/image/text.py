"""Text in print images: matplotlib settings per language, wrapping, the credit line."""

from __future__ import annotations

import unicodedata

from bordermap.render.image.fonts import base_families
from bordermap.spec import Credit

__all__ = ["rc", "wrap"]


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
