"""Countries' names as a map labels them: CLDR's (Babel), without the gloss CLDR adds to a few.

CLDR names Myanmar "Myanmar (Burma)" in English, "เมียนมา (พม่า)" in Thai and "Мьянма
(Бирма)" in Russian, Hong Kong "홍콩(중국 특별행정구)" in Korean: a long form with a gloss in
parentheses, where CLDR's short form (``alt="short"``) is the name alone. Babel carries no
``alt`` forms, so the gloss is cut here (hand-written: no library gives CLDR's short names in
Python). A gloss that tells two territories apart stays: Chinese "刚果（金）" and "刚果（布）"
(Congo-Kinshasa and Congo-Brazzaville), Russian "Виргинские о-ва (США)" and
"(Великобритания)".
"""

from __future__ import annotations

import functools
import re

from babel import Locale

__all__ = ["territory_names"]

# A trailing gloss in parentheses, ASCII or full-width (Chinese, Japanese).
_GLOSS = re.compile(r"\s*[(（][^()（）]*[)）]\s*$")


@functools.cache
def territory_names(locale: Locale) -> dict[str, str]:
    """Every territory's name in a locale, the gloss cut where no other name needs it.

    Examples
    --------
    >>> names = territory_names(Locale.parse("en"))
    >>> names["MM"], names["CD"], names["US"]
    ('Myanmar', 'Congo - Kinshasa', 'United States')
    >>> names = territory_names(Locale.parse("zh"))
    >>> names["CD"], names["MM"]
    ('刚果（金）', '缅甸')
    """
    names = dict(locale.territories)
    short = {code: _GLOSS.sub("", name) for code, name in names.items() if _GLOSS.search(name)}
    for code, name in short.items():
        others = (other.casefold() for key, other in names.items() if key != code)
        # The name alone must not be, or be part of, another territory's name.
        if name and not any(name.casefold() in other for other in others):
            names[code] = name
    return names
