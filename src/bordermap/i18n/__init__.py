"""Words, dates and numbers in any CLDR language: gettext catalogs and Babel.

The page's own words (legend, buttons, table headings) come from one gettext catalog per
language (:mod:`bordermap.i18n.catalogs`: en, ko, zh, ar and ru; any other language shows
them in English and says so once). Dates, numbers, lists and country names come from the
Unicode CLDR through Babel for any language it knows, so "9 October 2023", "2023년 10월 9일",
"9 de octubre de 2023" and "9 октября 2023 г." follow each language's own conventions.
Place names come from the data's ``label_<lang>`` / ``name_<lang>`` columns.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Sequence
from datetime import date
from typing import Any, Literal

import pandas as pd
from babel import Locale, UnknownLocaleError
from babel.core import get_global, parse_locale
from babel.dates import format_date as _babel_date
from babel.dates import format_skeleton
from babel.lists import format_list as _babel_list
from babel.numbers import format_decimal

from bordermap.cells import Row, is_missing
from bordermap.errors import BordermapWarning, ValidationError
from bordermap.i18n import catalogs, territories
from bordermap.safe import close_bidi, isolate

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
    "language_locale",
    "ntext",
    "script_font",
    "territory_name",
    "text",
    "text_direction",
    "warn_untranslated",
]

#: The languages whose words (legend, buttons, table headings) bordermap has a catalog of.
LANGS = catalogs.catalog_languages()
# The CLDR locale each of the first languages is written in: British English gives
# "9 October 2023". Any other language is its own CLDR locale (Babel fills in the rest).
_LOCALES = {"en": "en_GB", "ko": "ko_KR", "zh": "zh_Hans_CN"}


@functools.cache
def language_locale(lang: str) -> Locale:
    """The CLDR locale a map in ``lang`` is written in; a ValidationError naming an unknown code.

    ``en`` is British English, ``ko`` South Korean, ``zh`` Simplified Chinese; any other code
    (``th``, ``es``, ``pt-BR``, ``zh_TW``) is parsed by Babel, which adds the likely script.

    Examples
    --------
    >>> language_locale("en"), language_locale("pt-BR"), language_locale("zh_TW")
    (Locale('en', territory='GB'), Locale('pt', territory='BR'), \
Locale('zh', territory='TW', script='Hant'))
    """
    code = _LOCALES.get(lang, lang.replace("-", "_"))
    try:
        return Locale.parse(code)
    except (UnknownLocaleError, ValueError) as exc:
        raise ValidationError(
            "unknown language",
            field="lang",
            value=lang,
            fix="a CLDR language code, e.g. en, ko, zh, ar, ru, th or es",
        ) from exc


def check_lang(lang: str) -> str:
    """The language, if CLDR knows it; a ValidationError naming it otherwise.

    Examples
    --------
    >>> check_lang("th")
    'th'
    >>> check_lang("xx")
    Traceback (most recent call last):
    ...
    bordermap.errors.ValidationError: field 'lang': unknown language (got 'xx'); a CLDR \
language code, e.g. en, ko, zh, ar, ru, th or es
    """
    language_locale(lang)
    return lang


def text_direction(lang: str) -> Literal["ltr", "rtl"]:
    """Which way the language is written (CLDR): ``rtl`` for Arabic, Hebrew, Persian, Urdu.

    Examples
    --------
    >>> text_direction("ar"), text_direction("he"), text_direction("ru")
    ('rtl', 'rtl', 'ltr')
    """
    return "rtl" if language_locale(lang).text_direction == "rtl" else "ltr"


def warn_untranslated(lang: str) -> None:
    """Say once, for a map being described, that ``lang`` has no catalog of bordermap's words.

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warn_untranslated("th"); warn_untranslated("ru")
    >>> [str(w.message)[:50] for w in caught]
    ["no catalog of bordermap's words in Thai ('th'): th"]
    """
    locale = language_locale(lang)
    if catalogs.catalog_language(locale) is None:
        name = locale.get_display_name("en")
        warnings.warn(
            f"no catalog of bordermap's words in {name} ({lang!r}): the legend, buttons and "
            f"table headings are in English; dates, numbers and country names are in {name} "
            f"(CLDR); translate src/bordermap/locale/bordermap.pot to add them",
            BordermapWarning,
            stacklevel=3,
        )


def text(key: str, lang: str = "en") -> str:
    """A fixed interface string, by message id, in the language (English where it has none).

    Examples
    --------
    >>> text("no_figure", "ko"), text("no_figure", "ar"), text("no_figure", "es")
    ('공개된 수치 없음', 'لا يوجد رقم منشور', 'no published figure')
    """
    return catalogs.text(key, language_locale(lang))


def ntext(key: str, n: int, lang: str = "en") -> str:
    """A message for a count, in the plural form the language uses for ``n``.

    Examples
    --------
    >>> ntext("published_dropped", 1).format(n=1), ntext("published_dropped", 2).format(n=2)
    ('1 restricted location not shown', '2 restricted locations not shown')
    """
    return catalogs.ntext(key, n, language_locale(lang))


has_text = catalogs.has_text


def format_number(value: Any, lang: str = "en") -> str:
    """A count of people with the language's grouping (CLDR): 1,076.

    Examples
    --------
    >>> format_number(1076), format_number(1076, "ko")
    ('1,076', '1,076')
    """
    return format_decimal(int(value), locale=language_locale(lang))


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

    A date written right to left comes bidi-isolated (:func:`bordermap.safe.isolate`): set
    in a sentence of another direction (a language without a catalog of bordermap's words
    gets English ones: "event of 21 ژوئن 2025"), it stays one unit, read in its own order,
    and cannot pull the brackets round it out of place.

    Examples
    --------
    >>> format_date("2023-10-09"), format_date("2023-10-09", "zh")
    ('9 October 2023', '2023年10月9日')
    >>> format_date("2025-06-21", "fa") == "\u206821 ژوئن 2025\u2069"
    True
    """
    return isolate(_babel_date(pd.Timestamp(value).date(), "long", locale=language_locale(lang)))


def format_list(items: Sequence[str], lang: str = "en") -> str:
    """Items joined as the language lists them (CLDR): "a, b and c", "a, b 및 c", "a、b和c".

    Examples
    --------
    >>> format_list(["Hyesan", "Musan", "Kyongwon"]), format_list(["혜산", "무산"], "ko")
    ('Hyesan, Musan and Kyongwon', '혜산 및 무산')
    """
    return _babel_list(list(items), locale=language_locale(lang))


def format_month(value: date | pd.Timestamp | str, lang: str = "en") -> str:
    """A month and year (CLDR skeleton ``yMMMM``): October 2023, 2023년 10월.

    Examples
    --------
    >>> format_month("2023-10-09"), format_month("2023-10-09", "ko")
    ('October 2023', '2023년 10월')
    """
    month = format_skeleton("yMMMM", pd.Timestamp(value).date(), locale=language_locale(lang))
    return isolate(month)  # as format_date


def territory_name(code: str, lang: str = "en") -> str:
    """A country's name from its ISO 3166 code, in the language (CLDR; without the gloss of
    "Myanmar (Burma)": :mod:`bordermap.i18n.territories`).

    Examples
    --------
    >>> territory_name("KP"), territory_name("KP", "ko"), territory_name("MM", "th")
    ('North Korea', '북한', 'เมียนมา')
    """
    return territories.territory_names(language_locale(lang)).get(code.upper(), code)


def _name(row: Row, columns: Sequence[str]) -> str:
    # A name from data ends its own bidi overrides: text composed after it reads as typed.
    for column in columns:
        value = row.get(column)
        if isinstance(value, str) and value:
            return close_bidi(value)
    return close_bidi(str(row.get("id")))


def _lang_columns(prefix: str, lang: str) -> list[str]:
    """A language's name columns, the most specific first: ``label_pt_BR``, ``label_pt``."""
    locale = language_locale(lang)
    codes = [lang, lang.replace("-", "_"), str(locale), locale.language]
    return list(dict.fromkeys(f"{prefix}_{code}" for code in codes))


# The bundled gazetteer's columns a crossing's name is built from, per language: the Chinese
# town, then the Korean town across the river.
_GAZETTEER_PAIRS = {
    "en": ("cn_pinyin", "kp_en"),
    "ko": ("cn_hangul", "kp_hangul"),
    "zh": ("cn_hanzi", "kp_hanja"),
}


def _gazetteer_pair(row: Row, lang: str) -> str | None:
    town, across = (row.get(c) for c in _GAZETTEER_PAIRS[lang])
    if isinstance(town, str) and town and isinstance(across, str) and across:
        return f"{close_bidi(town)} → {close_bidi(across)}"
    return None


def crossing_label(row: Row, lang: str = "en") -> str:
    """A crossing's name in a language: its ``label_<lang>``, else built from the gazetteer.

    Korean: the Chinese town in Hangul reading (``cn_hangul``), the Korean town in Hangul;
    Chinese: the Chinese town in Hanzi, the Korean town in Hanja (``kp_hanja``). A crossing
    with no name in the language is named in English (``label_en``, else the gazetteer's
    English), else by the data's ``name``, else by its id — never left without a label.

    Examples
    --------
    >>> row = {"id": "x", "cn_hanzi": "图们", "kp_hanja": "穩城", "label_en": "Tumen"}
    >>> crossing_label(row, "zh"), crossing_label(row, "ko"), crossing_label(row, "th")
    ('图们 → 穩城', 'Tumen', 'Tumen')
    >>> crossing_label({"id": "m", "name": "Mae Sot", "label_th": "แม่สอด"}, "th")
    'แม่สอด'
    """
    own = _lang_columns("label", lang)
    if _has_text(row, own):
        return _name(row, own)
    built = _gazetteer_pair(row, lang) if lang in _GAZETTEER_PAIRS else None
    if built is not None:
        return built
    if _has_text(row, ("label_en",)):
        return _name(row, ("label_en",))
    return _gazetteer_pair(row, "en") or _name(row, ("name",))


def _has_text(row: Row, columns: Sequence[str]) -> bool:
    return any(isinstance(row.get(c), str) and row.get(c) for c in columns)


def facility_label(row: Row, lang: str = "en") -> str:
    """A facility's name in a language (``name_<lang>``), else the data's ``name``, else
    English, else its id.

    Examples
    --------
    >>> facility_label({"id": "f1", "name_en": "Shenyang Prison"}, "ko")
    'Shenyang Prison'
    >>> facility_label({"id": "f2", "name_en": "IDC", "name_th": "ตม. แม่สอด"}, "th")
    'ตม. แม่สอด'
    """
    return _name(row, (*_lang_columns("name", lang), "name", "name_en"))


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
    >>> font_family("zh").split(",")[0], font_family("ar").split(",")[0]
    ('"Noto Sans CJK SC"', '"Noto Sans Arabic"')
    """
    if lang in _FONTS:
        return _FONTS[lang]
    face = script_font(language_script(lang), lang)
    if face is None or face == SCRIPT_FONTS["Latn"]:
        return _FONTS["en"]
    return f'"{face}", {_FONTS["en"]}'


def language_script(lang: str) -> str:
    """The script a language is usually written in (ISO 15924, CLDR's likely subtags).

    Examples
    --------
    >>> language_script("th"), language_script("ru"), language_script("zh_TW")
    ('Thai', 'Cyrl', 'Hant')
    """
    locale = language_locale(lang)
    if locale.script:
        return locale.script
    likely = get_global("likely_subtags").get(locale.language)
    script = parse_locale(likely)[2] if likely else None
    return script or "Latn"


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
