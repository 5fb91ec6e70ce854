"""Fonts of the print image: a Noto face for each script a text uses, every character checked.

Shaping is matplotlib's own: since 3.11 it lays text out with libraqm — FriBiDi for the
right-to-left order of Arabic and Hebrew, HarfBuzz for joining, reordering, conjuncts and
mark positioning (Arabic, Thai, Burmese, Devanagari, Bengali, Khmer…) — in the PNG, PDF and
SVG-with-paths writers alike. We chose it over mplcairo (a second backend whose wheels lag
matplotlib's releases and which would replace the Agg, PDF and SVG writers we already
tune) and over uharfbuzz (we would have to lay out every glyph ourselves and lose
matplotlib's text measuring, which the label placer relies on). What matplotlib does not do
is choose fonts: given a family that lacks a character it draws a box (tofu) and only
warns. So this module chooses, for each text, the Noto family of each script in it
(:data:`bordermap.i18n.SCRIPT_FONTS`) before the image's base families, and checks with the
fonts' own character maps (fontTools) that every character has a glyph in one of them;
one that has none is a :class:`~bordermap.errors.MissingGlyphError` naming the script and
the font to install, raised before anything is written.
"""

from __future__ import annotations

import functools
import unicodedata

import matplotlib
from fontTools import unicodedata as script_data
from fontTools.ttLib import TTFont, TTLibError
from matplotlib import font_manager

from bordermap import i18n
from bordermap.errors import MissingGlyphError

__all__ = ["base_families", "families_for"]

# After the text's own script faces and the language's CJK face: Noto Sans for Latin,
# Cyrillic and Greek beyond what the CJK face has (Vietnamese, Ukrainian, U+202F, which
# CLDR numbers use), then DejaVu Sans, matplotlib's own font, which is always there.
_LATIN = ("Noto Sans", "DejaVu Sans")
# Last, for an SVG opened where none of these is installed: the viewer's own sans-serif.
_GENERIC = "sans-serif"
# Scripts (ISO 15924) of characters shared by many scripts: they take the face of the
# letters around them, so they neither add a face nor name one.
_SHARED = frozenset({"Zyyy", "Zinh", "Zzzz"})


def base_families(lang: str) -> list[str]:
    """The installed families every text of a language's image falls back to.

    The CJK face of the language comes first (regional forms of Han characters, and the
    Latin of every bordermap image so far), then Noto Sans and DejaVu Sans.

    Examples
    --------
    >>> base_families("zh")[-2:]
    ['DejaVu Sans', 'sans-serif']
    """
    wanted = [i18n.script_font("Hani", lang) or "", *_LATIN]
    return [family for family in wanted if _face(family) is not None] + [_GENERIC]


def families_for(text: str) -> list[str]:
    """The font families, in fallback order, that draw ``text`` in the current image.

    The Noto face of each script in the text (in the order the scripts appear), then the
    image's base families (``font.family``, set per language by the image's settings).
    The script's face comes first so that the marks, joiners and punctuation inside an
    Arabic, Thai or Devanagari word are shaped with its letters, not in another font.

    Raises
    ------
    bordermap.errors.MissingGlyphError
        A character no installed family has a glyph for: it would print as a box.

    Examples
    --------
    >>> import matplotlib
    >>> with matplotlib.rc_context({"font.family": base_families("en")}):
    ...     families_for("แม่สอด Mae Sot")[0]
    'Noto Sans Thai'
    """
    fonts = font_manager.fontManager.ttflist
    base = tuple(matplotlib.rcParams["font.family"])
    return list(_families(text, base, (id(fonts), len(fonts))))


@functools.lru_cache(maxsize=4096)
def _families(text: str, base: tuple[str, ...], fonts: tuple[int, int]) -> tuple[str, ...]:
    """:func:`families_for`, kept for a text, base and list of installed fonts (``fonts``)."""
    first = _face(base[0]) if base else None
    first_cmap = _cmap(first.fname, first.index) if first is not None else frozenset()
    faces: list[str] = []
    for script, letters in _scripts(text).items():
        family = i18n.script_font(script)
        if family is None or family in faces or _face(family) is None:
            continue
        if family in base or family.startswith("Noto Sans CJK"):
            # A script the base already draws (Latin, Cyrillic, Greek in the CJK face; Han
            # in the language's own CJK face) keeps it, unless the first base face lacks
            # one of its letters (Ukrainian і, Vietnamese ự): then the whole text takes the
            # script's face, not one letter in another design.
            if all(ord(char) in first_cmap for char in letters):
                continue
            if family.startswith("Noto Sans CJK") and any(
                f.startswith("Noto Sans CJK") for f in base
            ):
                continue
        faces.append(family)
    chain = (*faces, *(family for family in base if family not in faces))
    _check_glyphs(text, chain)
    return chain


def _scripts(text: str) -> dict[str, str]:
    """The scripts of a text's letters (in order of first appearance) and their letters."""
    letters: dict[str, str] = {}
    for char in text:
        script = script_data.script(char)
        if script not in _SHARED:
            letters[script] = letters.get(script, "") + char
    return letters


def _check_glyphs(text: str, chain: tuple[str, ...]) -> None:
    maps = [_cmap(face.fname, face.index) for face in map(_face, chain) if face is not None]
    for char in text:
        if _invisible(char) or any(ord(char) in cmap for cmap in maps):
            continue
        script = script_data.script(char)
        if script in _SHARED:
            # Punctuation shared by a few scripts (the Arabic comma, the Devanagari danda):
            # name the first of them, whose face has it.
            script = sorted(script_data.script_extension(char))[0]
        name = script_data.script_name(script, default=script)
        family = i18n.script_font(script)
        if family is not None and _face(family) is None:
            fix = (
                f"install {family} (Debian: apt-get install {i18n.font_package(family)}) "
                "and run again"
            )
        else:
            fix = (
                f"install a font with {name} letters (Noto has one for most scripts: Debian's "
                "fonts-noto-core and fonts-noto-extra), or remove the character"
            )
        what = unicodedata.name(char, "").lower()
        raise MissingGlyphError(
            f"no installed font draws the {name} character {char!r} "
            f"(U+{ord(char):04X}{', ' + what if what else ''}) in {text!r}: it would print "
            "as a box",
            fix=fix,
        )


def _invisible(char: str) -> bool:
    """Controls, format characters (bidi isolates, joiners) and variation selectors: the
    shaper uses them without drawing a glyph, so no font needs one."""
    code = ord(char)
    return (
        unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp")
        or 0xFE00 <= code <= 0xFE0F
        or 0xE0100 <= code <= 0xE01EF
    )


def _face(family: str) -> font_manager.FontEntry | None:
    """The regular face of an installed family, or None."""
    fonts = font_manager.fontManager.ttflist
    face = _regular_faces(id(fonts), len(fonts)).get(family)
    if face is None and _register_new_system_fonts():
        fonts = font_manager.fontManager.ttflist
        face = _regular_faces(id(fonts), len(fonts)).get(family)
    return face


@functools.lru_cache(maxsize=8)
def _regular_faces(fonts: int, count: int) -> dict[str, font_manager.FontEntry]:
    """Family name → its most regular face, of matplotlib's font list (its id and length:
    fonts are only ever added, so a longer or another list is indexed anew)."""
    faces: dict[str, font_manager.FontEntry] = {}
    entries = font_manager.fontManager.ttflist[:count]
    for entry in sorted(entries, key=lambda e: (e.style != "normal", abs(int(e.weight) - 400))):
        faces.setdefault(entry.name, entry)
    return faces


@functools.cache
def _register_new_system_fonts() -> bool:
    """Add system fonts installed after matplotlib built its font cache (once a run).

    matplotlib lists the system's fonts once and keeps the list until its own version
    changes, so ``apt-get install fonts-noto-core`` after a first run would otherwise stay
    unseen — and the error would ask for a font that is there.
    """
    known = {entry.fname for entry in font_manager.fontManager.ttflist}
    added = False
    for path in font_manager.findSystemFonts():
        if path in known:
            continue
        try:
            font_manager.fontManager.addfont(path)
        except (OSError, RuntimeError, ValueError):
            continue  # a font matplotlib cannot read is one it would not draw with either
        added = True
    return added


@functools.cache
def _cmap(path: str, index: int) -> frozenset[int]:
    """The code points a font file (a face of a collection) has glyphs for."""
    try:
        with TTFont(path, fontNumber=index, lazy=True) as font:
            return frozenset(font.getBestCmap() or ())
    except (OSError, TTLibError):
        return frozenset()
