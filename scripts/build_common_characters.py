"""Build data/text/common_characters.json: the Hangul syllables and Han characters of everyday
Korean and Chinese text, which tell a cp949 file from a GB18030 one (bordermap.inputs).

The text is the Unicode CLDR locale data as Babel ships it (names of languages, countries,
months, units …; Unicode License v3) for Korean (ko) and Chinese (zh, zh_Hant, yue), and the
place names of data/gazetteer.csv. Run from the repository root:
``python3 scripts/build_common_characters.py`` (needs Babel: pip install Babel).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import babel
from babel import Locale

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "data" / "text" / "common_characters.json"
LOCALES = {"ko": ("ko",), "zh": ("zh", "zh_Hant", "yue")}


def _is_hangul(char: str) -> bool:
    return "\uac00" <= char <= "\ud7a3"


def _is_han(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf"


def _strings(value, depth: int = 0):
    """Every string in a nested CLDR structure."""
    if depth > 8:
        return
    if isinstance(value, str):
        yield value
    elif hasattr(value, "items"):
        for key, item in value.items():
            yield from _strings(key, depth + 1)
            yield from _strings(item, depth + 1)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item, depth + 1)


def main() -> None:
    keep = {"ko": _is_hangul, "zh": _is_han}
    found: dict[str, set[str]] = {lang: set() for lang in LOCALES}
    for lang, names in LOCALES.items():
        for name in names:
            data = Locale.parse(name)._data
            for text in _strings(dict(data.items())):
                found[lang].update(c for c in text if keep[lang](c))
    with open(ROOT / "data" / "gazetteer.csv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            for text in row.values():
                for lang, test in keep.items():
                    found[lang].update(c for c in text or "" if test(c))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    document = {
        "source": f"Unicode CLDR via Babel {babel.__version__} (Unicode License v3: "
        "https://www.unicode.org/license.txt) and data/gazetteer.csv; "
        "scripts/build_common_characters.py",
        **{lang: "".join(sorted(chars)) for lang, chars in found.items()},
    }
    OUT.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print({lang: len(chars) for lang, chars in found.items()})


if __name__ == "__main__":
    main()
