"""Regenerate docs/october-2023.png, the README's picture, with to_image on the bundled data.

Run from the repository: ``python3 scripts/readme_picture.py`` (options: --lang, --dpi, --out).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import bordermap
from bordermap.io import bundled_path

ROOT = Path(__file__).resolve().parents[1]
PICTURE = ROOT / "docs" / "october-2023.png"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=PICTURE, help=f"default: {PICTURE}")
    parser.add_argument("--lang", choices=("en", "ko", "zh"), default="en")
    parser.add_argument("--dpi", type=int, default=140)
    args = parser.parse_args(argv)
    estimates = bordermap.read_estimates(bundled_path("events/2023-10-09.csv"))
    joined = bordermap.join_estimates(bordermap.load_crossings(), estimates)
    out = bordermap.to_image(
        joined, args.out, facilities=bordermap.load_facilities(), lang=args.lang, dpi=args.dpi
    )
    print(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
