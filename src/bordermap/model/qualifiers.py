"""Qualifier words of a published figure, and where they go when typed into ``figure``.

A figure is published as "about 300", "up to 100", "over 1,200" or "40–60". bordermap keeps
the number in ``figure`` (or ``low``/``high``) and the word in ``qualifier``; an analyst who
types the whole phrase into ``figure`` is told which column each part goes in, never has the
phrase split or guessed (a figure is never silently changed).
"""

from __future__ import annotations

import re

__all__ = ["QUALIFIERS", "QUALIFIER_ALIASES", "misplaced_in_figure"]

QUALIFIERS = ("", "about", "up to", "over", "range")
QUALIFIER_ALIASES = {
    "approximately": "about",
    "around": "about",
    "approx.": "about",
    "~": "about",
    "at most": "up to",
    "as many as": "up to",
    "more than": "over",
    "at least": "over",
    ">": "over",
    "exact": "",
}
# Words read only to say where a figure's word goes, not accepted as qualifiers themselves.
_MORE_WORDS = {
    **{w: "about" for w in ("approx", "roughly", "some", "c.", "ca.", "circa", "≈", "nearly")},
    **{w: "up to" for w in ("<", "≤", "under", "fewer than", "less than", "max.")},
    **{w: "over" for w in ("≥", "above", "min.")},
}
_NUMBER = r"\d[\d,.\u00a0\u202f ]*"
_WORDED = re.compile(rf"(?P<word>[^\d]+?)\s*(?P<number>{_NUMBER})\s*\+?")
_PLUS = re.compile(rf"(?P<number>{_NUMBER}?)\s*\+")
_RANGE = re.compile(
    rf"(?P<low>{_NUMBER}?)\s*(?:-|–|—|‒|−|~|to|bis|à|a|до)\s*(?P<high>{_NUMBER})", re.IGNORECASE
)


def _word(text: str) -> str | None:
    """The qualifier a word or symbol means, or None when it is not one bordermap knows."""
    folded = " ".join(text.lower().split())
    if folded in QUALIFIERS and folded:
        return folded
    return QUALIFIER_ALIASES.get(folded, _MORE_WORDS.get(folded))


def misplaced_in_figure(value: str) -> tuple[str, str] | None:
    """What a figure cell holds that belongs in another column, and where it goes.

    Parameters
    ----------
    value : str
        A ``figure`` cell that is not a plain number.

    Returns
    -------
    tuple of (problem, fix), or None
        None when the cell is not a qualified number or a range.

    Examples
    --------
    >>> misplaced_in_figure("about 120")[1]
    "write 120 in figure and 'about' in qualifier"
    >>> misplaced_in_figure("40–60")[1]
    "write 40 in low, 60 in high and 'range' in qualifier, and leave figure empty"
    >>> misplaced_in_figure("three hundred") is None
    True
    """
    text = " ".join(value.split())
    if match := _RANGE.fullmatch(text):
        low, high = match["low"].strip(), match["high"].strip()
        return (
            "a range is not one figure",
            f"write {low} in low, {high} in high and 'range' in qualifier, and leave figure empty",
        )
    if match := _PLUS.fullmatch(text):
        number = match["number"].strip()
        return (
            "'+' is a qualifier, not part of the figure",
            f"write {number} in figure and 'over' in qualifier",
        )
    if match := _WORDED.fullmatch(text):
        qualifier = _word(match["word"])
        if qualifier is None:
            return None
        number = match["number"].strip()
        return (
            f"the qualifier '{match['word'].strip()}' is written in the figure",
            f"write {number} in figure and '{qualifier}' in qualifier",
        )
    return None
