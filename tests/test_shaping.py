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
import io
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
import uharfbuzz as hb
from fontTools.ttLib import TTFont
from matplotlib import font_manager
from PIL import Image, ImageDraw, ImageFilter, ImageFont
from pypdf import PdfReader
from pypdf.generic import ContentStream

import bordermap
from bordermap.cli import main

DATA = Path(__file__).parent / "data" / "scripts"
DPI = 150
TITLE_PT = 15  # the image's title size (render/image/draw.py)
SVG = "{http://www.w3.org/2000/svg}"


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


def _pdf_texts(pdf: Path) -> list[tuple[str, list[str]]]:
    """Each text object of the PDF's page: its font's name and its glyphs' names, in the
    order drawn (matplotlib writes one text object per text, glyphs in visual order)."""
    page = PdfReader(pdf).pages[0]
    fonts = {}
    for key, ref in page["/Resources"]["/Font"].items():
        font = ref.get_object()
        cid_font = font["/DescendantFonts"][0].get_object()
        descriptor = cid_font["/FontDescriptor"].get_object()
        stream = descriptor.get("/FontFile2") or descriptor.get("/FontFile3")
        embedded = TTFont(io.BytesIO(stream.get_object().get_data()))
        order = embedded.getGlyphOrder()
        to_gid = cid_font.get("/CIDToGIDMap")
        if to_gid is not None and not isinstance(to_gid.get_object(), str):
            data = to_gid.get_object().get_data()
            gids = [int.from_bytes(data[i : i + 2], "big") for i in range(0, len(data), 2)]
        else:
            gids = list(range(len(order)))
        name = str(font["/BaseFont"]).split("+")[-1]
        fonts[key] = (name, [order[g] if g < len(order) else ".notdef" for g in gids])
    texts: list[tuple[str, list[str]]] = []
    current = None
    for operands, operator in ContentStream(page.get_contents(), page.pdf).operations:
        if operator == b"BT":
            texts.append(("", []))
        elif operator == b"Tf":
            current = fonts[operands[0]]
            texts[-1] = (current[0], texts[-1][1])
        elif operator in (b"TJ", b"Tj") and current is not None:
            parts = operands[0] if operator == b"TJ" else [operands[0]]
            for part in parts:
                if isinstance(part, bytes | str):
                    # pypdf decodes strings as text; the glyph codes are the original bytes.
                    raw = getattr(part, "original_bytes", part)
                    for i in range(0, len(raw), 2):
                        texts[-1][1].append(current[1][int.from_bytes(raw[i : i + 2], "big")])
    return texts


def _harfbuzz_glyphs(script: Script) -> tuple[str, list[str]]:
    """The bold face's PostScript name and HarfBuzz's glyphs for the title, in visual order."""
    face = _bold_face(script.family)
    blob = hb.Blob.from_file_path(face.fname)
    font = hb.Font(hb.Face(blob, face.index))
    buffer = hb.Buffer()
    buffer.add_str(script.title)
    buffer.guess_segment_properties()
    hb.shape(font, buffer)
    with TTFont(face.fname, fontNumber=face.index, lazy=True) as source:
        order = source.getGlyphOrder()
        postscript = source["name"].getDebugName(6)
    return postscript, [order[info.codepoint] for info in buffer.glyph_infos]


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda s: s.code)
def test_pdf_title_holds_harfbuzz_glyphs_and_no_box(drawn, script):
    texts = _pdf_texts(drawn(script.code)["pdf"])
    font, glyphs = _harfbuzz_glyphs(script)
    assert ".notdef" not in glyphs
    assert (font, glyphs) in texts, f"{script.code}: {glyphs} not among {texts[:3]}"
    assert all(".notdef" not in names for _, names in texts)


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda s: s.code)
def test_svg_keeps_every_text_as_text(drawn, script):
    texts = [e.text for e in ET.parse(drawn(script.code)["svg"]).iter(f"{SVG}text")]
    names = [row["name"] for row in _rows("crossings.csv", script.code)]
    assert [script.title, *names] == [t for t in [script.title, *names] if t in texts]


# Text extraction from the PDF works where one glyph stands for one character. Where shaping
# joins, splits or reorders (Arabic, Hebrew, Thai, Lao, Khmer, Burmese, Devanagari, Bengali),
# matplotlib's PDF maps each glyph back to one character only, so a copied name comes out
# garbled or in visual order: the SVG keeps those names as text instead.
@pytest.mark.parametrize("script", [s for s in SCRIPTS if not s.complex], ids=lambda s: s.code)
def test_pdf_text_of_unshaped_scripts_can_be_copied(drawn, script):
    text = PdfReader(drawn(script.code)["pdf"]).pages[0].extract_text()
    names = [row["name"] for row in _rows("crossings.csv", script.code)]
    assert all(name in text for name in [script.title, *names])


def _unprintable_letter() -> tuple[str, str]:
    """A letter of a script no installed font has, and the script's name."""
    for char, name in (("\U00011900", "Dives Akuru"), ("\U00018b00", "Khitan Small Script")):
        found = subprocess.run(
            ["fc-list", f":charset={ord(char):x}"], capture_output=True, text=True, check=False
        )
        if not found.stdout.strip():
            return char, name
    pytest.fail("every candidate script has a font here: add one that has none")


def test_a_letter_no_font_has_is_one_line_exit_2_and_nothing_written(tmp_path, capsys):
    letter, script = _unprintable_letter()
    extra = {"id": "thai-x", "name": f"Mae {letter}", "latitude": "17.0", "longitude": "98.6"}
    out = {fmt: tmp_path / f"map.{fmt}" for fmt in ("png", "svg", "pdf")}
    args = ["render", *_inputs(tmp_path, "thai", extra), "--no-facilities"]
    args += [arg for fmt, path in out.items() for arg in (f"--{fmt}", str(path))]
    assert main(args) == 2
    error = capsys.readouterr().err.strip()
    assert len(error.splitlines()) == 1
    assert f"no installed font draws the {script} character" in error
    assert f"U+{ord(letter):04X}" in error and "install a font" in error
    assert not any(path.exists() for path in out.values())


def test_a_script_whose_font_is_missing_names_the_font_and_package(tmp_path, hide_fonts):
    hide_fonts("Noto Sans Thai", "Noto Looped Thai", "Noto Serif Thai")
    args = _inputs(tmp_path, "thai")
    crossings = bordermap.load_crossings(args[1])
    joined = bordermap.join_estimates(crossings, bordermap.read_estimates(args[3]))
    out = tmp_path / "map.png"
    with pytest.raises(bordermap.MissingGlyphError) as caught:
        bordermap.to_image(joined, out)
    message = str(caught.value)
    assert "Thai character" in message
    assert "install Noto Sans Thai (Debian: apt-get install fonts-noto-core)" in message
    assert not out.exists()


@pytest.fixture(scope="module")
def chromium_page(browser):
    context = browser.new_context(viewport={"width": 1600, "height": 300})
    context.route(lambda url: not url.startswith(("data:", "about:")), lambda r: r.abort())
    yield context.new_page()
    context.close()


@pytest.mark.browser
@pytest.mark.parametrize("script", SCRIPTS, ids=lambda s: s.code)
def test_png_title_matches_chromium(drawn, chromium_page, script):
    """A third, independent shaper: Chromium (its own HarfBuzz, its own rasteriser) sets
    the title in the same face and size; the image's title is nearer it than Pillow's
    unshaped layout is."""
    chromium_page.set_content(
        '<body style="margin:40px;background:#fff">'
        f'<span id="t" style="font: bold {TITLE_PT * DPI / 72}px \'{script.family}\'; '
        'color:#000; white-space:pre"></span></body>'
    )
    chromium_page.eval_on_selector("#t", "(e, text) => { e.textContent = text; }", script.title)
    chromium_page.evaluate("document.fonts.ready")
    browser_ink = _ink(Image.open(io.BytesIO(chromium_page.screenshot())))
    title = _title_ink(drawn(script.code)["png"])
    near = _distance(title, browser_ink)
    assert abs(title.shape[1] - browser_ink.shape[1]) <= max(3, 0.03 * browser_ink.shape[1])
    assert near[0] < 0.12 and near[1] < 0.22, f"{script.code}: unlike Chromium's {near}"
    if script.complex:
        far = _distance(_reference(script, ImageFont.Layout.BASIC), browser_ink)
        assert near[0] < far[0] and near[1] < 0.6 * far[1], f"{script.code}: {near} {far}"
