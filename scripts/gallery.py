"""Build docs/gallery/: every example border of tests/data/gallery as a page and a print image.

Run from the repository: ``python3 scripts/gallery.py`` (options: --only, --dpi, --out). For
each folder of ``tests/data/gallery/`` (its ``crossings.geojson``, ``estimates.csv`` and
``map.json``: language, title, subtitle) it draws the map with bordermap's public API, writes
the print image with ``to_image`` and Chromium's pictures of the offline page on a phone
(390×844) and a desktop (1280×800), with the network cut, and then ``docs/gallery/README.md``
showing them all. Pictures are stored as palette PNGs (Pillow, no dithering) to stay small.
Needs the ``test`` extra's playwright and Debian's chromium.

The figures of the gallery are example figures, not data: every map says so in its subtitle
and every estimate's source says so.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import folium

import bordermap
from bordermap.errors import ValidationError
from bordermap.i18n import check_lang

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.chromium import (  # noqa: E402
    CHROMIUM_ARGS,
    chromium_executable,
    screenshot_offline,
)

GALLERY = ROOT / "tests" / "data" / "gallery"
OUT = ROOT / "docs" / "gallery"
SCREENS = {"phone": (390, 844), "desktop": (1280, 800)}
DPI = 110


@dataclass(frozen=True)
class Border:
    """One example border: its folder and what its ``map.json`` says."""

    name: str
    folder: Path
    lang: str  # the language of one side, the map's language once bordermap speaks it
    title: dict[str, str]  # by language; "en" always
    subtitle: dict[str, str]
    countries: tuple[str, ...]  # ISO 3166 codes, from-country first
    scripts: tuple[str, ...]
    event_date: str

    @property
    def map_lang(self) -> str:
        """The language the map is drawn in: the border's own where bordermap accepts it,
        else English (until ``lang=`` takes any CLDR language)."""
        try:
            return check_lang(self.lang)
        except ValidationError:
            return "en"

    def words(self, texts: dict[str, str]) -> str:
        return texts.get(self.map_lang, texts["en"])


def borders(folder: Path = GALLERY) -> list[Border]:
    """Every example border in ``folder``, by name."""
    found = []
    for meta in sorted(folder.glob("*/map.json")):
        data = json.loads(meta.read_text(encoding="utf-8"))
        found.append(
            Border(
                name=meta.parent.name,
                folder=meta.parent,
                lang=data["lang"],
                title=data["title"],
                subtitle=data["subtitle"],
                countries=tuple(data["countries"]),
                scripts=tuple(data["scripts"]),
                event_date=data["event_date"],
            )
        )
    return found


def crossing_map(border: Border) -> folium.Map:
    """The border's map, as a reader of the docs would make it: load, join, draw offline."""
    crossings = bordermap.load_crossings(border.folder / "crossings.geojson")
    estimates = bordermap.read_estimates(border.folder / "estimates.csv")
    joined = bordermap.join_estimates(crossings, estimates)
    return bordermap.crossing_map(
        joined,
        tiles=None,
        lang=border.map_lang,
        title=border.words(border.title),
        subtitle=border.words(border.subtitle),
    )


def optimise_png(path: Path) -> int:
    """Store a picture as a palette PNG (256 colours, no dithering: a map's flat colours stay
    flat) with zlib's best compression; returns its size in bytes."""
    from PIL import Image

    with Image.open(path) as image:
        small = image.convert("RGB").quantize(256, dither=Image.Dither.NONE)
    small.save(path, optimize=True)
    return path.stat().st_size


def build(border: Border, out: Path, browser, dpi: int = DPI) -> dict[str, Path]:
    """The border's print image and page pictures in ``out``, by kind (image, phone,
    desktop); raises if the page asked for anything over the network."""
    m = crossing_map(border)
    written = {"image": bordermap.to_image(m, out / f"{border.name}.png", dpi=dpi)}
    with tempfile.TemporaryDirectory() as tmp:
        page = bordermap.save(m, Path(tmp) / "map.html", offline=True)
        for screen, size in SCREENS.items():
            shot = out / f"{border.name}-{screen}.png"
            refused = screenshot_offline(browser, page, size, shot)
            if refused:
                raise SystemExit(f"{border.name}: the page asked the network for {refused}")
            written[screen] = shot
    for path in written.values():
        optimise_png(path)
    return written


def readme(shown: list[Border], out: Path) -> str:
    """docs/gallery/README.md: a short heading per border and its three pictures."""
    lines = [
        "# Gallery: maps of other borders",
        "",
        "**Example figures — not real data.** Each map below is drawn by `scripts/gallery.py`",
        "from the small example files in `tests/data/gallery/<border>/`: real crossing",
        "coordinates (each feature's `coord_source` says where it came from, and `precision`",
        "says when it is a town or an approximate point), made-up figures whose `source` says",
        "they are examples. Do not cite them. Every map has at least one crossing with no",
        "published figure and one with a range or a qualifier. `tests/test_gallery.py` builds",
        "each map and checks it in Chromium: no missing glyph, no label overlap, no symbol cut",
        "by the map's edge, no two panels overlapping, every neighbour country named, ring",
        "contrast and no network request.",
        "",
        "Each border: the print image (`to_image`), then the offline page on a phone",
        "(390×844) and on a desktop (1280×800).",
        "",
    ]
    for border in shown:
        crossings = bordermap.load_crossings(border.folder / "crossings.geojson")
        names = ", ".join(
            en if en == own else f"{en} ({own})"
            for en, own in zip(
                crossings["label_en"], crossings[f"label_{border.lang}"], strict=True
            )
        )
        language = (
            f"Drawn in `{border.map_lang}`"
            if border.map_lang == border.lang
            else f"Drawn in English until bordermap speaks `{border.lang}`"
        )
        lines += [
            f"## {border.title['en']}",
            "",
            f"Crossings: {names}. Scripts: {', '.join(border.scripts)}. {language}. "
            "Example figures.",
            "",
            f"![{border.name}, print image]({border.name}.png)",
            "",
            f'<img src="{border.name}-phone.png" alt="{border.name} on a phone" width="195"> '
            f'<img src="{border.name}-desktop.png" alt="{border.name} on a desktop" width="640">',
            "",
        ]
    total = sum(p.stat().st_size for p in out.glob("*.png"))
    lines.append(f"{len(list(out.glob('*.png')))} pictures, {total / 1e6:.1f} MB in all.")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help=f"default: {OUT}")
    parser.add_argument("--only", nargs="*", help="border folders to build (default: all)")
    parser.add_argument("--dpi", type=int, default=DPI)
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    everything = borders()
    chosen = [b for b in everything if not args.only or b.name in args.only]
    args.out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_executable(), args=CHROMIUM_ARGS)
        for border in chosen:
            for path in build(border, args.out, browser, args.dpi).values():
                print(f"{path}  {path.stat().st_size / 1e3:.0f} kB")
        browser.close()
    (args.out / "README.md").write_text(readme(everything, args.out), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
