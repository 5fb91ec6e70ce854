"""Regenerate docs/october-2023.png, the README's picture, with to_image on the bundled data.

Run from the repository: ``python3 scripts/readme_picture.py`` (options: --lang, --dpi, --out).
``--page docs/october-2023-offline.png`` also captures the offline HTML page as Chromium draws
it with the network cut off (needs the ``test`` extra's playwright and Debian's chromium).
``--screens`` writes the page as a reader sees it on each screen: docs/october-2023-phone.png
(390×844), -tablet (768×1024), -desktop (1280×800) and -iframe (a 640×400 frame in a page).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import bordermap
from bordermap.errors import ValidationError
from bordermap.i18n import check_lang
from bordermap.inputs import bundled_path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.chromium import (  # noqa: E402
    CHROMIUM_ARGS,
    chromium_executable,
    screenshot_offline,
)

PICTURE = ROOT / "docs" / "october-2023.png"


def _language(code: str) -> str:
    """A CLDR language code, as ``bordermap render --lang`` takes it; argparse's error else."""
    try:
        return check_lang(code)
    except ValidationError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=PICTURE, help=f"default: {PICTURE}")
    parser.add_argument(
        "--lang",
        type=_language,
        default="en",
        help="any CLDR language (en, ko, zh, ar, ru, th ...): legend words from the catalog "
        "(English where it has none), country and town names from CLDR and GeoNames",
    )
    parser.add_argument("--dpi", type=int, default=140)
    parser.add_argument("--page", type=Path, help="also screenshot the offline HTML page here")
    parser.add_argument(
        "--screens", action="store_true", help="also write the four screen pictures to docs/"
    )
    args = parser.parse_args(argv)
    estimates = bordermap.read_estimates(bundled_path("events/2023-10-09.csv"))
    joined = bordermap.join_estimates(bordermap.load_crossings(), estimates)
    # One map for both pictures: the image and the page draw the same description.
    m = bordermap.crossing_map(joined, bordermap.load_facilities(), tiles=None, lang=args.lang)
    print(bordermap.to_image(m, args.out, dpi=args.dpi))
    if args.page:
        print(_screenshot(bordermap.to_html(m, offline=True), args.page))
    if args.screens:
        for out in _screens(bordermap.to_html(m, offline=True)):
            print(out)
    return 0


SCREENS = {"phone": (390, 844), "tablet": (768, 1024), "desktop": (1280, 800)}
IFRAME = (640, 400)


def _screens(page_html: str) -> list[Path]:
    """The offline page on a phone, a tablet, a desktop and in a 640×400 iframe, once its
    labels are placed; every non-file request refused."""
    import tempfile

    from playwright.sync_api import sync_playwright

    written = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        page_file = Path(tmp) / "map.html"
        page_file.write_text(page_html, encoding="utf-8")
        host = Path(tmp) / "host.html"
        host.write_text(
            '<!doctype html><html lang="en"><title>embedded</title><body style="margin:20px;'
            'font:14px Arial">A news article with the map embedded:<br>'
            f'<iframe src="{page_file.as_uri()}" width="{IFRAME[0]}" height="{IFRAME[1]}" '
            'title="map" style="border:1px solid #999"></iframe></body></html>',
            encoding="utf-8",
        )
        browser = p.chromium.launch(executable_path=chromium_executable(), args=CHROMIUM_ARGS)
        shots = [(name, size, page_file) for name, size in SCREENS.items()]
        shots.append(("iframe", (IFRAME[0] + 60, IFRAME[1] + 80), host))
        for name, size, source in shots:
            out = ROOT / "docs" / f"october-2023-{name}.png"
            screenshot_offline(browser, source, size, out)
            written.append(out)
        browser.close()
    return written


def _screenshot(page_html: str, out: Path) -> Path:
    """Chromium's picture of a page, every non-file request refused."""
    import tempfile

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        page_file = Path(tmp) / "map.html"
        page_file.write_text(page_html, encoding="utf-8")
        browser = p.chromium.launch(executable_path=chromium_executable(), args=CHROMIUM_ARGS)
        screenshot_offline(browser, page_file, (1200, 800), out)
        browser.close()
    return out


if __name__ == "__main__":
    raise SystemExit(main())
