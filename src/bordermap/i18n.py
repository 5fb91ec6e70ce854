"""Words, dates and numbers in English, Korean and Chinese: the message catalog and Babel.

Interface strings live in ``messages.json`` (message id → language → text), so adding a
language is adding a column of data, not code. Dates, numbers and territory names come from
the Unicode CLDR through Babel, so "9 October 2023", "2023년 10월 9일" and "2023年10月9日"
follow each language's own conventions.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from datetime import date
from importlib import resources
from typing import Any

import pandas as pd
from babel import Locale
from babel.dates import format_date as _babel_date
from babel.dates import format_skeleton
from babel.lists import format_list as _babel_list
from babel.numbers import format_decimal

from bordermap.cells import Row, is_missing
from bordermap.errors import ValidationError
from bordermap.safe import close_bidi

__all__ = [
    "LANGS",
    "SCRIPT_FONTS",
    "check_lang",
    "crossing_label",
    "facility_kind",
    "facility_label",
    "figure_label",
    "font_family",
    "font_package",
    "format_date",
    "format_km",
    "format_list",
    "format_number",
    "script_font",
    "territory_name",
    "text",
]

LANGS = ("en", "ko", "zh")
# The CLDR locale each language is written in: British English gives "9 October 2023".
_LOCALES = {"en": "en_GB", "ko": "ko_KR", "zh": "zh_Hans_CN"}


@functools.cache
def _catalog() -> dict[str, dict[str, str]]:
    data = resources.files("bordermap").joinpath("messages.json").read_text(encoding="utf-8")
    return json.loads(data)


def check_lang(lang: str) -> str:
    """The language, if bordermap speaks it; a ValidationError naming it otherwise.

    Examples
    --------
    >>> check_lang("ko")
    'ko'
    """
    if lang not in LANGS:
        raise ValidationError("unknown language", field="lang", value=lang, fix="use en, ko or zh")
    return lang


def text(key: str, lang: str = "en") -> str:
    """A fixed interface string, by message id, in one of :data:`LANGS`.

    Examples
    --------
    >>> text("no_figure", "ko")
    '공개된 수치 없음'
    """
    return _catalog()[key][lang]


def has_text(key: str) -> bool:
    """Whether the catalog has a message with this id.

    Examples
    --------
    >>> has_text("no_figure"), has_text("kind_castle")
    (True, False)
    """
    return key in _catalog()


def format_number(value: Any, lang: str = "en") -> str:
    """A count of people with the language's grouping (CLDR): 1,076.

    Examples
    --------
    >>> format_number(1076), format_number(1076, "ko")
    ('1,076', '1,076')
    """
    return format_decimal(int(value), locale=_LOCALES[lang])


def format_km(value: float, lang: str = "en") -> str:
    """A distance in kilometres: whole km, one decimal under 10 km.

    Examples
    --------
    >>> format_km(412.6), format_km(1234.4, "zh"), format_km(2.04, "ko")
    ('413 km', '1,234 公里', '2.0 km')
    """
    if value < 10:
        return text("km", lang).format(n=f"{value:.1f}")
    return text("km", lang).format(n=format_number(round(value), lang))


def format_date(value: date | pd.Timestamp | str, lang: str = "en") -> str:
    """A date in the language's long form (CLDR): 9 October 2023, 2023년 10월 9일, 2023年10月9日.

    Examples
    --------
    >>> format_date("2023-10-09"), format_date("2023-10-09", "zh")
    ('9 October 2023', '2023年10月9日')
    """
    return _babel_date(pd.Timestamp(value).date(), "long", locale=_LOCALES[lang])


def format_list(items: Sequence[str], lang: str = "en") -> str:
    """Items joined as the language lists them (CLDR): "a, b and c", "a, b 및 c", "a、b和c".

    Examples
    --------
    >>> format_list(["Hyesan", "Musan", "Kyongwon"]), format_list(["혜산", "무산"], "ko")
    ('Hyesan, Musan and Kyongwon', '혜산 및 무산')
    """
    return _babel_list(list(items), locale=_LOCALES[lang])


def format_month(value: date | pd.Timestamp | str, lang: str = "en") -> str:
    """A month and year (CLDR skeleton ``yMMMM``): October 2023, 2023년 10월.

    Examples
    --------
    >>> format_month("2023-10-09"), format_month("2023-10-09", "ko")
    ('October 2023', '2023년 10월')
    """
    return format_skeleton("yMMMM", pd.Timestamp(value).date(), locale=_LOCALES[lang])


def territory_name(code: str, lang: str = "en") -> str:
    """A country's name from its ISO 3166 code, in the language (CLDR).

    Examples
    --------
    >>> territory_name("KP"), territory_name("KP", "ko"), territory_name("CN", "zh")
    ('North Korea', '북한', '中国')
    """
    return Locale.parse(_LOCALES[lang]).territories.get(code.upper(), code)


def _name(row: Row, columns: tuple[str, ...]) -> str:
    # A name from data ends its own bidi overrides: text composed after it reads as typed.
    for column in columns:
        value = row.get(column)
        if isinstance(value, str) and value:
            return close_bidi(value)
    return close_bidi(str(row.get("id")))


def crossing_label(row: Row, lang: str = "en") -> str:
    """A crossing's name in a language: its ``label_<lang>``, else built from the gazetteer columns.

    Korean: the Chinese town in Hangul reading (``cn_hangul``), the Korean town in Hangul;
    Chinese: the Chinese town in Hanzi, the Korean town in Hanja (``kp_hanja``).

    Examples
    --------
    >>> row = {"id": "x", "cn_hanzi": "图们", "kp_hanja": "穩城", "label_en": "Tumen"}
    >>> crossing_label(row, "zh"), crossing_label(row, "ko")
    ('图们 → 穩城', 'Tumen')
    """
    built = {
        "en": ("cn_pinyin", "kp_en"),
        "ko": ("cn_hangul", "kp_hangul"),
        "zh": ("cn_hanzi", "kp_hanja"),
    }[lang]
    label = row.get(f"label_{lang}")
    if isinstance(label, str) and label:
        return close_bidi(label)
    town, across = (row.get(c) for c in built)
    if isinstance(town, str) and town and isinstance(across, str) and across:
        return f"{close_bidi(town)} → {close_bidi(across)}"
    return _name(row, ("label_en", "name", "id"))


def facility_label(row: Row, lang: str = "en") -> str:
    """A facility's name in a language (``name_<lang>``), else English, else its id.

    Examples
    --------
    >>> facility_label({"id": "f1", "name_en": "Shenyang Prison"}, "ko")
    'Shenyang Prison'
    """
    return _name(row, (f"name_{lang}", "name_en", "name", "id"))


def facility_kind(kind: object, lang: str = "en") -> str:
    """The kind of a facility in a language ("prison" → "감옥"); unknown kinds as written.

    Examples
    --------
    >>> facility_kind("MSS holding centre", "zh"), facility_kind("camp", "ko")
    ('国家保卫省拘留所', 'camp')
    """
    key = f"kind_{kind}"
    return text(key, lang) if has_text(key) else ("" if kind is None else str(kind))


def figure_label(
    figure: object, low: object = None, high: object = None, qualifier: str = "", lang: str = "en"
) -> str:
    """The figure as published: "300", "up to 200", "over 300", "150–200".

    Examples
    --------
    >>> figure_label(200, qualifier="up to"), figure_label(None, 150, 200, "range")
    ('up to 200', '150–200')
    >>> figure_label(None)
    'no published figure'
    """
    if is_missing(figure) and is_missing(low) and is_missing(high):
        return text("no_figure", lang)
    if is_missing(figure) or qualifier == "range":
        if not is_missing(low) and not is_missing(high):
            return text("range", lang).format(
                low=format_number(low, lang), high=format_number(high, lang)
            )
        if not is_missing(high):
            return text("up to", lang).format(n=format_number(high, lang))
        if not is_missing(low):
            return text("over", lang).format(n=format_number(low, lang))
        return format_number(figure, lang)
    n = format_number(figure, lang)
    if qualifier in ("about", "up to", "over"):
        return text(qualifier, lang).format(n=n)
    return n


# Fonts per language: CJK faces first for ko/zh so Hangul and Han characters take the
# regional glyph forms (Noto CJK KR for Korean, SC for Chinese); Debian: fonts-noto-cjk.
_FONTS = {
    "en": '"Helvetica Neue", Arial, "Noto Sans CJK KR", "Noto Sans CJK SC", sans-serif',
    "ko": '"Noto Sans CJK KR", "Noto Sans KR", "Apple SD Gothic Neo", "Malgun Gothic", '
    "Arial, sans-serif",
    "zh": '"Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", Arial, sans-serif',
}


def font_family(lang: str = "en") -> str:
    """CSS font-family for a language's labels.

    Examples
    --------
    >>> font_family("zh").split(",")[0]
    '"Noto Sans CJK SC"'
    """
    return _FONTS[lang]


# The Noto face that draws each script (ISO 15924 code, as fontTools.unicodedata.script names
# it) in print images. Noto (SIL Open Font License) covers every script with one design;
# Debian ships the faces below in fonts-noto-core and the CJK ones in fonts-noto-cjk, so the
# image finds them as system fonts instead of the wheel carrying tens of megabytes of fonts.
SCRIPT_FONTS = {
    "Latn": "Noto Sans",
    "Cyrl": "Noto Sans",
    "Grek": "Noto Sans",
    "Arab": "Noto Sans Arabic",
    "Hebr": "Noto Sans Hebrew",
    "Syrc": "Noto Sans Syriac",
    "Thaa": "Noto Sans Thaana",
    "Nkoo": "Noto Sans NKo",
    "Adlm": "Noto Sans Adlam",
    "Thai": "Noto Sans Thai",
    "Laoo": "Noto Sans Lao",
    "Khmr": "Noto Sans Khmer",
    "Mymr": "Noto Sans Myanmar",
    "Deva": "Noto Sans Devanagari",
    "Beng": "Noto Sans Bengali",
    "Guru": "Noto Sans Gurmukhi",
    "Gujr": "Noto Sans Gujarati",
    "Orya": "Noto Sans Oriya",
    "Taml": "Noto Sans Tamil",
    "Telu": "Noto Sans Telugu",
    "Knda": "Noto Sans Kannada",
    "Mlym": "Noto Sans Malayalam",
    "Sinh": "Noto Sans Sinhala",
    "Tibt": "Noto Serif Tibetan",
    "Mong": "Noto Sans Mongolian",
    "Ethi": "Noto Sans Ethiopic",
    "Geor": "Noto Sans Georgian",
    "Armn": "Noto Sans Armenian",
    "Tfng": "Noto Sans Tifinagh",
    "Cher": "Noto Sans Cherokee",
    "Cans": "Noto Sans Canadian Aboriginal",
    "Vaii": "Noto Sans Vai",
    "Yiii": "Noto Sans Yi",
    # Han, Hangul, kana and bopomofo: one CJK face, chosen by the map's language below.
    "Hani": "Noto Sans CJK KR",
    "Hang": "Noto Sans CJK KR",
    "Hira": "Noto Sans CJK KR",
    "Kana": "Noto Sans CJK KR",
    "Bopo": "Noto Sans CJK KR",
}
# Han characters take their regional forms from the map's language: 图 in a Chinese map is
# drawn as in China, in a Korean one as in Korea. Other languages keep the Korean face, as
# the bundled map's Korean and Chinese place names always have.
_CJK_FONTS = {
    "zh": "Noto Sans CJK SC",
    "zh_Hant": "Noto Sans CJK TC",
    "ja": "Noto Sans CJK JP",
}


def script_font(script: str, lang: str = "en") -> str | None:
    """The Noto family that draws a script (an ISO 15924 code) in a language's image.

    Examples
    --------
    >>> script_font("Mymr"), script_font("Hani", "zh"), script_font("Hani")
    ('Noto Sans Myanmar', 'Noto Sans CJK SC', 'Noto Sans CJK KR')
    """
    if SCRIPT_FONTS.get(script, "").startswith("Noto Sans CJK"):
        regional = _CJK_FONTS.get(lang) or _CJK_FONTS.get(lang.replace("-", "_").split("_")[0])
        if regional:
            return regional
    return SCRIPT_FONTS.get(script)


def font_package(family: str) -> str:
    """The Debian package that installs a Noto family.

    Examples
    --------
    >>> font_package("Noto Sans Thai"), font_package("Noto Sans CJK SC")
    ('fonts-noto-core', 'fonts-noto-cjk')
    """
    return "fonts-noto-cjk" if family.startswith("Noto Sans CJK") else "fonts-noto-core"
