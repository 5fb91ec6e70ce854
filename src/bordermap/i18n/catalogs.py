"""The page's own words: gettext catalogs (``locale/<lang>/LC_MESSAGES/bordermap.po``) read
with Babel at run time.

``locale/bordermap.pot`` is the template: each message's context (``msgctxt``) is the id the
code asks for (``no_figure``), its ``msgid`` the English words. A language's ``.po`` holds its
words; one with no catalog, or a message a catalog lacks, shows the English (gettext's own
fallback). Plurals follow each catalog's ``Plural-Forms`` (Russian has three, Arabic six).
The catalogs are compiled in memory with Babel's ``write_mo`` when first asked for, so the
wheel carries the text files translators edit and no build step makes ``.mo`` files.
Update every catalog after editing the template with Babel's own tool::

    pybabel update -i src/bordermap/locale/bordermap.pot -d src/bordermap/locale -D bordermap
"""

from __future__ import annotations

import functools
import io
from importlib import resources
from importlib.resources.abc import Traversable

from babel import Locale
from babel.messages.catalog import Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

__all__ = ["DOMAIN", "catalog_language", "catalog_languages", "has_text", "ntext", "text"]

DOMAIN = "bordermap"


def _locale_folder() -> Traversable:
    return resources.files("bordermap").joinpath("locale")


@functools.cache
def _template() -> dict[str, tuple[str, str]]:
    """The template's English by message id (its context): singular and plural."""
    with _locale_folder().joinpath(f"{DOMAIN}.pot").open("rb") as file:
        messages = [m for m in read_po(file, domain=DOMAIN) if m.id and m.context]
    return {str(m.context): _english(m) for m in messages}


def _english(message: Message) -> tuple[str, str]:
    if isinstance(message.id, str):
        return message.id, message.id
    one, many = message.id[0], message.id[1]
    return str(one), str(many)


@functools.cache
def catalog_languages() -> tuple[str, ...]:
    """The languages that have a catalog of bordermap's words.

    Examples
    --------
    >>> catalog_languages()
    ('ar', 'en', 'ko', 'ru', 'zh')
    """
    folder = _locale_folder()
    return tuple(
        sorted(
            entry.name
            for entry in folder.iterdir()
            if entry.joinpath("LC_MESSAGES", f"{DOMAIN}.po").is_file()
        )
    )


@functools.cache
def catalog_language(locale: Locale) -> str | None:
    """The catalog that speaks a locale: its own (``pt_BR``), its language and script
    (``zh_Hant``), its language (``pt``); None when bordermap has none.

    Examples
    --------
    >>> catalog_language(Locale.parse("ru_UA")), catalog_language(Locale.parse("th"))
    ('ru', None)
    """
    have = catalog_languages()
    candidates = (
        str(locale),
        f"{locale.language}_{locale.script}" if locale.script else "",
        locale.language,
    )
    return next((name for name in candidates if name and name in have), None)


@functools.cache
def _translations(name: str | None) -> NullTranslations:
    """A language's catalog, compiled in memory (no catalog: the English of the template)."""
    if name is None:
        return NullTranslations()
    with _locale_folder().joinpath(name, "LC_MESSAGES", f"{DOMAIN}.po").open("rb") as file:
        catalog = read_po(file, locale=name, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)  # fuzzy entries are left out: they show the English
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def has_text(key: str) -> bool:
    """Whether the template has a message with this id.

    Examples
    --------
    >>> has_text("no_figure"), has_text("kind_castle")
    (True, False)
    """
    return key in _template()


def text(key: str, locale: Locale) -> str:
    """A message's words in a locale's catalog (English where it has none).

    Examples
    --------
    >>> text("legend_button", Locale.parse("ru")), text("legend_button", Locale.parse("th"))
    ('Легенда', 'Legend')
    """
    return str(_translations(catalog_language(locale)).pgettext(key, _template()[key][0]))


def ntext(key: str, n: int, locale: Locale) -> str:
    """A message's words for a count ``n``, in the plural form the catalog's language uses.

    Examples
    --------
    >>> [ntext("published_dropped", n, Locale.parse("ru")).format(n=n) for n in (1, 3, 5)]
    ['1 место, закрытое для публикации, не показано', \
'3 места, закрытых для публикации, не показаны', \
'5 мест, закрытых для публикации, не показано']
    """
    one, many = _template()[key]
    return _translations(catalog_language(locale)).npgettext(key, one, many, n)
