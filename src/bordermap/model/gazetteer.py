"""Place names in every romanization and script, resolved to stable crossing ids.

The spellings are data (``data/gazetteer.csv`` plus the names carried by each crossing);
this module only folds them to one key. Folding follows the idea of xyzservices'
``query_name``: one normalisation applied to both the query and the table.
"""

from __future__ import annotations

import difflib
import functools
import itertools
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from bordermap import inputs
from bordermap.model.schema import SCHEMAS

__all__ = ["ALT_NAMES_SEPARATOR", "Gazetteer", "crossing_spellings", "normalize_name"]

# Administrative words users append to a place name; dropped when something is left.
_ADMIN_WORDS = frozenset(
    {"county", "city", "gun", "si", "kun", "shi", "xian", "rodongjagu", "nodongjagu"}
)
# Words joining two places in a crossing's name: "Dandong to Sinuiju".
_CONNECTORS = frozenset({"to", "and"})
_ADMIN_SUFFIXES = ("로동자구", "노동자구", "군", "시", "县", "縣", "市", "郡")
# Crossing properties that name a place; each becomes a spelling of that crossing. Beside
# these, every ``name_*`` and ``label_*`` column and ``alt_names`` (";"-separated) do.
_NAME_PROPERTIES = SCHEMAS["crossings"].names
_NAME_PREFIXES = SCHEMAS["crossings"].name_prefixes
ALT_NAMES_SEPARATOR = ";"

_HANGUL_FIRST, _HANGUL_LAST = 0xAC00, 0xD7A3
_RIEUL, _NIEUN, _IEUNG = 5, 2, 11
_Y_VOWELS = frozenset({2, 6, 7, 12, 17, 20})  # ㅑ ㅕ ㅖ ㅛ ㅠ ㅣ


def _fold_initial_rieul(text: str) -> str:
    """Fold North Korean initial ㄹ/ㄴ spellings to the South Korean form (로동 = 노동)."""
    out = []
    for ch in text:
        code = ord(ch)
        if _HANGUL_FIRST <= code <= _HANGUL_LAST:
            index = code - _HANGUL_FIRST
            initial, rest = divmod(index, 588)
            medial = rest // 28
            if initial == _RIEUL:
                initial = _NIEUN
            if initial == _NIEUN and medial in _Y_VOWELS:
                initial = _IEUNG
            ch = chr(_HANGUL_FIRST + initial * 588 + rest)
        out.append(ch)
    return "".join(out)


_FOLDED_SUFFIXES = tuple(_fold_initial_rieul(s) for s in _ADMIN_SUFFIXES)


def normalize_name(text: object) -> str:
    """Fold a place name to the key the gazetteer matches on.

    Case, accents and breves, hyphens, spaces, punctuation and arrows are dropped; a trailing
    administrative word (county, city, gun, 군, 市 …) is dropped; Hangul initial ㄹ/ㄴ is
    folded so North and South Korean spellings meet.

    Parameters
    ----------
    text : object
        A name as typed in a data file. Non-strings are converted with ``str``.

    Returns
    -------
    str
        The folded key; empty for a blank name.

    Examples
    --------
    >>> normalize_name("Onsŏng") == normalize_name("ONSONG") == normalize_name("Onsong County")
    True
    >>> normalize_name("남양로동자구") == normalize_name("남양노동자구")
    True
    """
    if text is None or (isinstance(text, float) and text != text):
        return ""
    value = _strip_accents(unicodedata.normalize("NFKC", str(text)).casefold())
    words = _words(value)
    while len(words) > 1 and words[-1] in _ADMIN_WORDS:
        words.pop()
    if len(words) > 2:
        words = [w for w in words if w not in _CONNECTORS] or words
    key = _fold_initial_rieul("".join(words))
    # Strip suffixes until none is left, as for the words above: "평양군시" and "평양군" must
    # fold alike, or folding a folded key would change it again.
    stripping = True
    while stripping:
        stripping = False
        for folded in _FOLDED_SUFFIXES:
            if key.endswith(folded) and len(key) - len(folded) >= 2:
                key = key[: -len(folded)]
                stripping = True
                break
    return key


# Letters with a stroke or bar have no decomposition: fold them by hand (lower case only:
# names are case-folded first).
_STROKED = str.maketrans("łøđħŧƀɨı", "lodhtbii")


def _strip_accents(text: str) -> str:
    """Drop accents and optional vowel points: Latin, Greek, Cyrillic, Hebrew, Arabic.

    Juárez = Juarez, ё = е, كَتَبَ = كتب; the Latin letters with a stroke, which Unicode
    does not decompose, too (Białystok = Bialystok, Đakovo = Dakovo). In other scripts a
    combining mark is part of the spelling (Japanese が is not か, a Devanagari vowel sign is
    a vowel), so it stays.

    Examples
    --------
    >>> _strip_accents("kuźnica białostocka"), _strip_accents("đakovo")
    ('kuznica bialostocka', 'dakovo')
    """
    out = []
    strippable = False
    for ch in unicodedata.normalize("NFD", text.translate(_STROKED)):
        if unicodedata.combining(ch):
            if strippable:
                continue
        else:
            strippable = ch < "\u0700" or "\u1e00" <= ch <= "\u1fff"
        out.append(ch)
    return unicodedata.normalize("NFC", "".join(out))


def _words(text: str) -> list[str]:
    """Split at everything that is not a letter, digit or mark (spaces, hyphens, arrows …)."""
    words, word = [], []
    for ch in text:
        if unicodedata.category(ch)[0] in "LNM":
            word.append(ch)
        elif word:
            words.append("".join(word))
            word = []
    if word:
        words.append("".join(word))
    return words


def crossing_spellings(record: Mapping[str, object]) -> list[str]:
    """The names one crossing's own properties give it (see the README's crossings section).

    ``id``, ``name``, every ``name_*`` and ``label_*`` property, each name of
    ``alt_names`` (separated by ``;``) and the bundled ``cn_*``/``kp_*`` name columns.

    Examples
    --------
    >>> crossing_spellings({"id": "paso-del-norte", "name_es": "Ciudad Juárez",
    ...                     "alt_names": "El Paso; Juárez;", "population": 5})
    ['paso-del-norte', 'Ciudad Juárez', 'El Paso', 'Juárez']
    """
    names = []
    for prop, value in record.items():
        if not isinstance(value, str) or not value.strip():
            continue
        prop = str(prop).lower()
        if prop == "alt_names":
            names += [n.strip() for n in value.split(ALT_NAMES_SEPARATOR) if n.strip()]
        elif prop in _NAME_PROPERTIES or prop.startswith(_NAME_PREFIXES):
            names.append(value)
    return names


@dataclass(frozen=True)
class Gazetteer:
    """Every known spelling of every crossing, folded, with a display name for each key.

    Build one with :meth:`for_crossings`; resolve names with :meth:`resolve`.

    Examples
    --------
    >>> from bordermap import load_crossings
    >>> gaz = Gazetteer.for_crossings(load_crossings())
    >>> gaz.resolve(["Onseong", "온성", "穩城", "Tumen → Onsong", "Hoeryong", "Paris"])
    ['tumen-onsong', 'tumen-onsong', 'tumen-onsong', 'tumen-onsong', None, None]
    """

    keys: Mapping[str, str]
    names: Mapping[str, str] = field(default_factory=dict)
    places: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def for_crossings(cls, crossings: pd.DataFrame) -> Gazetteer:
        """Build the gazetteer for a crossings table: bundled spellings plus its own names."""
        ids = [str(i) for i in crossings["id"]]
        spellings: dict[str, list[str]] = {i: [] for i in ids}
        places: dict[str, dict[str, list[str]]] = {i: {} for i in ids}
        other_places: dict[str, str] = {}
        first_spelling: dict[str, str] = {}
        table = _bundled_spellings()
        for place, crossing, name in table.itertuples(index=False):
            if crossing in spellings:
                spellings[crossing].append(name)
                places[crossing].setdefault(place, []).append(name)
            else:
                other_places[normalize_name(name)] = first_spelling.setdefault(place, name)
        for record in crossings.to_dict("records"):
            spellings[str(record["id"])] += crossing_spellings(record)
        keys: dict[str, str] = {}
        names: dict[str, str] = {}
        for crossing in ids:
            for name in spellings[crossing]:
                _add(keys, names, normalize_name(name), crossing, name)
            # "Tumen-Onsong", "Onsong → Tumen": any two places of the crossing, either order.
            groups = list(places[crossing].values())
            for first, second in itertools.permutations(groups, 2):
                for a, b in itertools.product(first, second):
                    _add(keys, names, normalize_name(a) + normalize_name(b), crossing, None)
        return cls(keys=keys, names=names, places=other_places)

    def resolve(self, values: Iterable[object]) -> list[str | None]:
        """Return the crossing id of each value, or None where nothing matches.

        Each distinct value is folded once, so a million rows with a few dozen spellings
        cost a few dozen normalisations.
        """
        values = list(values)
        lookup = {
            v: self.keys.get(normalize_name(v)) for v in dict.fromkeys(map(_hashable, values))
        }
        return [lookup[_hashable(v)] for v in values]

    def resolve_series(self, values: pd.Series) -> pd.Series:
        """Vectorised :meth:`resolve` for a pandas Series (same index, object dtype)."""
        codes, uniques = pd.factorize(values.astype(object), use_na_sentinel=False)
        ids = np.array([self.keys.get(normalize_name(u)) for u in uniques], dtype=object)
        return pd.Series(ids[codes], index=values.index, dtype=object)

    def suggest(self, value: object, n: int = 3) -> list[str]:
        """Closest known spellings to a name that did not resolve, best first."""
        key = normalize_name(value)
        if not key:
            return []
        close = difflib.get_close_matches(key, list(self.names), n=4 * n, cutoff=0.5)
        best: dict[str, str] = {}
        for k in close:
            best.setdefault(self.keys[k], self.names[k])
        return [f"{name} ({crossing})" for crossing, name in list(best.items())[:n]]

    def examples(self, n: int = 3) -> list[str]:
        """Up to ``n`` spellings of the first crossing, for a hint in the user's own names.

        Examples
        --------
        >>> from bordermap import load_crossings
        >>> Gazetteer.for_crossings(load_crossings()).examples()
        ['dandong-sinuiju', 'Dandong', '丹东']
        """
        first = next(iter(self.keys.values()), None)
        if first is None:
            return []
        shown = [name for key, name in self.names.items() if self.keys[key] == first]
        return list(dict.fromkeys([first, *shown]))[:n]

    def other_place(self, value: object) -> str | None:
        """The known place a value names when that place is not one of the crossings."""
        return self.places.get(normalize_name(value))


def _add(keys: dict, names: dict, key: str, crossing: str, display: str | None) -> None:
    if not key:
        return
    keys.setdefault(key, crossing)
    if display is not None:
        names.setdefault(key, display)


def _hashable(value: object) -> object:
    return value if isinstance(value, str | int | float | type(None)) else str(value)


@functools.cache
def _bundled_spellings() -> pd.DataFrame:
    table = pd.read_csv(inputs.bundled_path("gazetteer.csv"), dtype=str, keep_default_na=False)
    return table[["place", "crossing", "name"]]
