"""Every script, shaped, in the print image: PNG pixels against independent shapers, the PDF's
glyphs against HarfBuzz, the SVG's text, and a one-line error instead of a box.

Each script's map is drawn by the command line from ``tests/data/scripts`` (its two crossings
named in the script, its sources too) with a title in the script. Two references for the
title: Pillow drawing it with libraqm (HarfBuzz + FriBiDi, "shaped") and with its basic
layout (one glyph per character, left to right: what matplotlib before 3.11 drew). The
image must match the shaped one, and where the two references differ (Arabic, Hebrew and
every Brahmic script) be far nearer it than the unshaped one — so these tests fail when
shaping is off, as they did with matplotlib 3.10.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from fontTools.ttLib import TTFont
from matplotlib import font_manager
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from bordermap.cli import main

DATA = Path(__file__).parent / "data" / "scripts"
DPI = 150
TITLE_PT = 15  # the image's title size (render/image/draw.py)


@dataclass(frozen=True)
class Script:
    code: str  # the fixture's id prefix
    title: str
    family: str  # the Noto family that must draw the title
    complex: bool  # shaping changes what is drawn (joining, reordering, conjuncts, marks)


SCRIPTS = [
    Script("latn", "Ciudad Juárez Tijuana", "Noto Sans CJK KR", False),
    Script("cyrl", "Колотилівка Нехотеевка", "Noto Sans", False),
    Script("grek", "Κήποι Καστανιές", "Noto Sans", False),
    Script("arab", "رأس جدير الذهيبة", "Noto Sans Arabic", True),
    Script("hebr", "גשר אלנבי מעבר ערבה", "Noto Sans Hebrew", True),
    Script("thai", "แม่น้ำเมย แม่สอด", "Noto Sans Thai", True),
    Script("mymr", "မြဝတီ တာချီလိတ်", "Noto Sans Myanmar", True),
    Script("deva", "महेन्द्रनगर रक्सौल", "Noto Sans Devanagari", True),
    Script("beng", "পেট্রাপোল বেনাপোল", "Noto Sans Bengali", True),
    Script("ethi", "ዛላምበሳ ሁመራ", "Noto Sans Ethiopic", False),
    Script("geor", "ყაზბეგი სარფი", "Noto Sans Georgian", False),
    Script("armn", "Բագրատաշեն Մեղրի", "Noto Sans Armenian", False),
    Script("khmr", "ប៉ោយប៉ែត ចាំយាម", "Noto Sans Khmer", True),
    Script("laoo", "ທ່ານາແລ້ງ ວັງເຕົ່າ", "Noto Sans Lao", True),
    Script("hani", "丹东 图们", "Noto Sans CJK KR", False),
]
BY_CODE = {s.code: s for s in SCRIPTS}


def _rows(name: str, code: str) -> list[dict[str, str]]:
    with open(DATA / name, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    key = "id" if name == "crossings.csv" else "crossing"
    return [row for row in rows if row[key].startswith(f"{code}-")]


def _write(path: Path, rows: list[dict[str, str]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def _inputs(folder: Path, code: str, extra: dict[str, str] | None = None) -> list[str]:
    crossings = _rows("crossings.csv", code)
    if extra is not None:
        crossings.append(extra)
    return [
        "--crossings",
        str(_write(folder / "crossings.csv", crossings)),
        "--estimates",
        str(_write(folder / "estimates.csv", _rows("estimates.csv", code))),
    ]


@pytest.fixture(scope="module")
def drawn(tmp_path_factory):
    """Each script's map, drawn once by the command line as PNG, SVG and PDF."""
    cache: dict[str, dict[str, Path]] = {}

    def draw(code: str) -> dict[str, Path]:
        if code not in cache:
            folder = tmp_path_factory.mktemp(code)
            out = {fmt: folder / f"map.{fmt}" for fmt in ("png", "svg", "pdf")}
            args = ["render", *_inputs(folder, code), "--title", BY_CODE[code].title]
            args += ["--dpi", str(DPI), "--no-facilities"]
            args += [arg for fmt, path in out.items() for arg in (f"--{fmt}", str(path))]
            assert main(args) == 0
            cache[code] = out
        return cache[code]

    return draw


def _bold_face(family: str) -> font_manager.FontEntry:
    faces = [e for e in font_manager.fontManager.ttflist if e.name == family]
    assert faces, f"{family} is not installed (Debian: fonts-noto-core / fonts-noto-cjk)"
    return min(faces, key=lambda e: (e.style != "normal", abs(int(e.weight) - 700)))


def _ink(image: Image.Image) -> np.ndarray:
    """Darkness 0–1 of an image, cropped to its ink."""
    dark = 1 - np.asarray(image.convert("L"), dtype=float) / 255
    dark /= dark.max()
    rows, cols = np.where(dark.max(axis=1) > 0.25)[0], np.where(dark.max(axis=0) > 0.25)[0]
    return dark[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]


def _title_ink(png: Path) -> np.ndarray:
    """The title's ink: the first block of inked rows of the header (a gap of 5 blank rows
    ends it: marks above a Thai or Lao letter are nearer than that, the subtitle is not)."""
    image = Image.open(png)
    header = _ink(image.crop((0, 0, image.width, int(1.0 * DPI))))
    inked = header.max(axis=1) > 0.25
    end, blank = 0, 0
    for row, has_ink in enumerate(inked):
        blank = 0 if has_ink else blank + 1
        if has_ink:
            end = row + 1
        elif blank >= 5:
            break
    return _ink(Image.fromarray(((1 - header[:end]) * 255).astype(np.uint8)))


def _reference(script: Script, engine: ImageFont.Layout) -> np.ndarray:
    face = _bold_face(script.family)
    font = ImageFont.truetype(
        face.fname, TITLE_PT * DPI / 72, index=face.index, layout_engine=engine
    )
    canvas = Image.new("L", (2000, 400), 255)
    ImageDraw.Draw(canvas).text((100, 100), script.title, font=font, fill=0)
    return _ink(canvas)


def _distance(image: np.ndarray, reference: np.ndarray) -> tuple[float, float]:
    """Mean difference of darkness, over the whole text and in its worst square window
    (one wrong cluster in a long name), the image scaled to the reference's size and both
    blurred by a pixel (sub-pixel placement is not what this measures)."""

    def prepared(ink: np.ndarray) -> np.ndarray:
        image = Image.fromarray((ink * 255).astype(np.uint8))
        image = image.resize(reference.shape[::-1], Image.Resampling.BILINEAR)
        return np.asarray(image.filter(ImageFilter.GaussianBlur(1)), dtype=float) / 255

    diff = np.abs(prepared(image) - prepared(reference))
    side = diff.shape[0]
    windows = range(0, max(1, diff.shape[1] - side + 1), max(1, side // 2))
    return float(diff.mean()), max(float(diff[:, x : x + side].mean()) for x in windows)


def test_each_title_is_drawn_by_one_face():
    """The references draw each title in one face: that face must have every character."""
    for script in SCRIPTS:
        face = _bold_face(script.family)
        with TTFont(face.fname, fontNumber=face.index, lazy=True) as font:
            cmap = font.getBestCmap()
        assert [ch for ch in script.title if ord(ch) not in cmap] == [], script.code


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda s: s.code)
def test_png_title_is_shaped_as_harfbuzz_shapes_it(drawn, script):
    title = _title_ink(drawn(script.code)["png"])
    shaped = _reference(script, ImageFont.Layout.RAQM)
    unshaped = _reference(script, ImageFont.Layout.BASIC)
    # The same glyphs in the same places: the ink box within 3 % and the pixels alike.
    assert abs(title.shape[1] - shaped.shape[1]) <= max(3, 0.03 * shaped.shape[1])
    assert abs(title.shape[0] - shaped.shape[0]) <= max(3, 0.06 * shaped.shape[0])
    near = _distance(title, shaped)
    assert near[0] < 0.12 and near[1] < 0.22, f"{script.code}: unlike HarfBuzz's {near}"
    if script.complex:
        # Shaping changes this title (joins, reorders, stacks): the image is much nearer
        # the shaped reference than the unshaped one, and would be the other way round
        # with shaping off.
        assert _distance(shaped, unshaped)[1] > 0.15
        far = _distance(title, unshaped)
        assert near[0] < far[0] and near[1] < 0.6 * far[1], f"{script.code}: {near} {far}"
