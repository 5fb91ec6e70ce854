"""The one place where text from data becomes safe HTML, attribute, URL or script text.

Nothing from a data file or an argument is ever handed to Jinja as a template: bordermap's
templates are fixed strings, and data reaches them only through these functions.
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from typing import TypeVar, cast
from urllib.parse import urlsplit

__all__ = [
    "close_bidi",
    "html_text",
    "html_to_text",
    "isolate",
    "link",
    "printable",
    "safe_url",
    "script_json",
]

_TAG = re.compile(r"<[^>]*>")
_SCRIPT_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}

_T = TypeVar("_T")


# Characters no SVG (XML 1.0), PDF string or terminal should receive raw: C0 controls but tab
# and line ends, DEL, C1 controls (ESC's 8-bit twin CSI among them), lone surrogates, and
# the two non-characters XML forbids.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def printable(value: _T) -> _T:
    r"""Text (or every text in a dict, list or tuple) without control characters.

    Where text leaves bordermap for a file or a terminal that is not HTML (SVG, PDF and PNG
    metadata, drawn labels), a vertical tab, form feed, BEL or ESC would make an SVG that
    is not well-formed XML or recolour a terminal; they are removed. Tab and line ends
    stay; other values are returned as they are.

    Examples
    --------
    >>> printable("Onsong\x0b\x0c\x1b[31m\x07")
    'Onsong[31m'
    >>> printable({"title": ["a\x00b", 3]})
    {'title': ['ab', 3]}
    """
    # The casts: a str, dict, list or tuple comes back as its own type, mypy cannot see it.
    if isinstance(value, str):
        return cast(_T, _UNPRINTABLE.sub("", value))
    if isinstance(value, dict):
        return cast(_T, {key: printable(item) for key, item in value.items()})
    if isinstance(value, (list, tuple)):
        return cast(_T, type(value)(printable(item) for item in value))
    return value


# Unicode bidi controls that open an embedding/override (closed by PDF) or an isolate
# (closed by PDI). Left open in a name, they would reorder the text after it: "300" → "003".
_BIDI_OPEN_EMBEDDING = "\u202a\u202b\u202d\u202e"
_BIDI_OPEN_ISOLATE = "\u2066\u2067\u2068"
_PDF, _PDI = "\u202c", "\u2069"


def close_bidi(text: str) -> str:
    """Append the closers a text leaves open, so its bidi controls end with it."""
    embeddings = isolates = 0
    for char in text:
        if char in _BIDI_OPEN_EMBEDDING:
            embeddings += 1
        elif char == _PDF:
            embeddings = max(0, embeddings - 1)
        elif char in _BIDI_OPEN_ISOLATE:
            isolates += 1
        elif char == _PDI:
            isolates = max(0, isolates - 1)
    return text + _PDF * embeddings + _PDI * isolates


_FSI = "\u2068"
_BIDI_CONTROLS = frozenset(
    "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)


def _moves_neighbours(text: str) -> bool:
    """Whether a text can reorder what is written after it: a right-to-left letter, an
    Arabic digit or a bidi control. Text without any (Latin, Hangul, Han, digits) cannot."""
    return any(
        ch in _BIDI_CONTROLS or unicodedata.bidirectional(ch) in ("R", "AL", "AN") for ch in text
    )


def isolate(text: str) -> str:
    """Text from data, bidi-isolated for plain text (a meta tag, a summary, a legend row):
    FSI (U+2068) before it, every override and isolate it opens closed, PDI (U+2069) after.

    A name with a right-to-left override, an unclosed isolate or Hebrew/Arabic letters
    then cannot move the figure written after it ("name (300)" never shows "(003)" or
    "(300) eman"). A text that cannot reorder its neighbours (no right-to-left letter,
    Arabic digit or bidi control) is returned as it is, so that pages of Latin, Korean and
    Chinese names are byte for byte what they were.

    Examples
    --------
    >>> isolate("Onsong")
    'Onsong'
    >>> isolate("arrest\u202e") == "\u2068arrest\u202e\u202c\u2069"
    True
    """
    return f"{_FSI}{close_bidi(text)}{_PDI}" if _moves_neighbours(text) else text


def html_text(value: object) -> str:
    """Escape a value for HTML text or a quoted attribute.

    Bidi overrides and isolates a value opens (U+202A–E, U+2066–8) are closed at its end,
    so a name cannot reverse the figure shown after it; the text itself is kept as typed.

    Examples
    --------
    >>> html_text('<img src=x onerror="alert(1)"> {{ 7*7 }}')
    '&lt;img src=x onerror=&quot;alert(1)&quot;&gt; {{ 7*7 }}'
    >>> html_text("Onsong\u202egnosnO") == "Onsong\u202egnosnO\u202c"
    True
    """
    return html.escape(close_bidi("" if value is None else str(value)), quote=True)


def html_to_text(markup: str) -> str:
    """The text a reader sees in HTML that bordermap built: tags dropped, entities decoded.

    Exact for bordermap's own markup, where every ``<`` from data was escaped by
    :func:`html_text`, so only bordermap's tags are removed; images print this text.

    Examples
    --------
    >>> html_to_text('<b>Sources:</b> <a href="https://x.org">A &amp; B</a> &lt;3')
    'Sources: A & B <3'
    """
    return html.unescape(_TAG.sub("", markup))


def safe_url(value: object) -> str | None:
    """Return the URL when it is an absolute http(s) URL, else None.

    Examples
    --------
    >>> safe_url("https://tjwg.org/report"), safe_url("javascript:alert(1)")
    ('https://tjwg.org/report', None)
    """
    if not isinstance(value, str):
        return None
    text = value.strip()
    if any(ch in text for ch in "\x00\r\n\t\"'<> "):
        return None
    parts = urlsplit(text)
    if parts.scheme.lower() in ("http", "https") and parts.netloc:
        return text
    return None


def link(url: object, text: object) -> str:
    """An HTML link for an http(s) URL; the escaped text alone otherwise.

    Examples
    --------
    >>> link("https://example.org/a?b=1&c=2", "TJWG")
    '<a href="https://example.org/a?b=1&amp;c=2" target="_blank" rel="noopener noreferrer">TJWG</a>'
    >>> link("javascript:alert(1)", "TJWG")
    'TJWG'
    """
    href = safe_url(url)
    if href is None:
        return html_text(text)
    return (
        f'<a href="{html_text(href)}" target="_blank" rel="noopener noreferrer">'
        f"{html_text(text)}</a>"
    )


def script_json(value: object) -> str:
    """Serialise a value as JSON that is safe inside a ``<script>`` element.

    ``<``, ``>`` and ``&`` are written as ``\\u`` escapes so that ``</script>`` or
    ``<!--`` inside a string cannot end the script; the value stays data.

    Examples
    --------
    >>> script_json({"name": "</script><script>alert(1)</script>"})
    '{"name": "\\\\u003c/script\\\\u003e\\\\u003cscript\\\\u003ealert(1)\\\\u003c/script\\\\u003e"}'
    """
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, allow_nan=False)
    for raw, escaped in _SCRIPT_ESCAPES.items():
        text = text.replace(raw, escaped)
    return text
