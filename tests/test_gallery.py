"""The gallery's maps of other borders (tests/data/gallery, built by scripts/gallery.py), each
checked as a reader gets it: the print image has every glyph, and the offline page, on a
phone and a desktop in headless Chromium, asks the network for nothing, keeps its labels
and panels apart, its symbols inside the map and white figures on their circles, names every
country in view, and draws approximate places' rings that stand out from land and sea."""

from __future__ import annotations

import csv
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata
import warnings
from pathlib import Path

import pytest

import bordermap
from bordermap import theme
from bordermap.basemap import world_basemap
from bordermap.i18n import territory_name

from .chromium import open_offline
from .label_checks import frame_checks, halo_gaps, label_overlaps

ROOT = Path(__file__).resolve().parents[1]
_SPEC = importlib.util.spec_from_file_location("gallery_script", ROOT / "scripts/gallery.py")
gallery = importlib.util.module_from_spec(_SPEC)
sys.modules[_SPEC.name] = gallery  # its dataclass looks itself up there
_SPEC.loader.exec_module(gallery)

BORDERS = {border.name: border for border in gallery.borders()}
SCREENS = gallery.SCREENS
# A country whose land covers at least this share of the view is "in view" and must be
# named (slivers at a corner are not).
IN_VIEW_SHARE = 0.02

# Checks that fail today because an item of issue 20 is still being built: (check, border,
# screen or None for both): the reason, a strict xfail (none now).
KNOWN: dict[tuple[str, str, str | None], str] = {}
# Languages written right to left, of the gallery's borders.
RIGHT_TO_LEFT = ("ar", "ps", "fa", "ur", "he")


def _params(check: str, names=None):
    """The pytest params of a check: each border on each screen, with its expected failure."""
    params = []
    for name in names or BORDERS:
        for screen in SCREENS:
            reason = KNOWN.get((check, name, screen)) or KNOWN.get((check, name, None))
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            params.append(pytest.param(name, screen, marks=marks, id=f"{name}-{screen}"))
    return params


def _approximate(name: str) -> bool:
    features = json.loads((BORDERS[name].folder / "crossings.geojson").read_text("utf-8"))
    return any(f["properties"]["precision"] == "approximate" for f in features["features"])


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """Each gallery map once: its offline page and its print image (as scripts/gallery.py
    draws them), with the warnings the image gave."""
    folder = tmp_path_factory.mktemp("gallery")
    made = {}
    for name, border in BORDERS.items():
        m = gallery.crossing_map(border)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            image = bordermap.to_image(m, folder / f"{name}.png", dpi=40)
        page = bordermap.save(m, folder / f"{name}.html", offline=True)
        made[name] = {"map": m, "page": page, "image": image, "warnings": caught}
    return made


@pytest.fixture(scope="module")
def seen(browser, built):
    """What a reader sees of each page on each screen, measured once: the URLs it asked for,
    its script errors, its labels and its frame (tests/label_checks.py)."""
    cache: dict[tuple[str, str], dict] = {}

    def look(name: str, screen: str) -> dict:
        if (name, screen) not in cache:
            context, page, refused = open_offline(browser, built[name]["page"], *SCREENS[screen])
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            try:
                page.wait_for_timeout(300)  # the last placement drawn (tests/chromium.py)
                cache[(name, screen)] = {
                    "refused": refused,
                    "errors": errors,
                    "labels": label_overlaps(page),
                    **frame_checks(page),
                    "halo_gaps": halo_gaps(page),
                    "text": page.locator(".leaflet-control").all_inner_texts(),
                    "direction": page.evaluate(
                        "getComputedStyle(document.querySelector('.folium-map')).direction"
                    ),
                }
            finally:
                context.close()
        return cache[(name, screen)]

    return look


# --- The data: example figures, said so; real coordinates, sourced ------------------------


@pytest.mark.parametrize("name", list(BORDERS))
def test_every_border_is_example_data_that_says_so(name):
    folder = BORDERS[name].folder
    with open(folder / "estimates.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert rows and all(row["source"].startswith("EXAMPLE FIGURES") for row in rows)
    assert all("EXAMPLE FIGURES" in text for text in BORDERS[name].subtitle.values())
    # Each map shows a crossing with no figure and one with a range or a qualifier.
    features = json.loads((folder / "crossings.geojson").read_text("utf-8"))["features"]
    ids = {f["properties"]["id"] for f in features}
    assert ids - {row["crossing"] for row in rows}, "no crossing without a figure"
    assert any(row["qualifier"] or row["low"] or row["high"] for row in rows)
    # Every coordinate says where it came from; a town's or a derived point is approximate.
    for feature in features:
        props = feature["properties"]
        assert props["coord_source"] and props["precision"] in ("site", "approximate")
        assert props["precision"] == "site" or props["precision_m"] > 0
        assert props["label_en"] and props[f"label_{BORDERS[name].lang}"]


def test_the_gallery_shows_eight_borders_in_six_scripts():
    assert len(BORDERS) >= 8
    scripts = {s.split(" (")[0] for b in BORDERS.values() for s in b.scripts} - {"Latin"}
    assert len(scripts) >= 6, scripts


@pytest.mark.parametrize("name", list(BORDERS))
def test_each_map_speaks_the_language_of_one_side(name):
    border = BORDERS[name]
    assert border.map_lang == border.lang


# --- The print image ----------------------------------------------------------------------


@pytest.mark.parametrize("name", list(BORDERS))
def test_the_print_image_has_every_glyph(built, name):
    # to_image raises MissingGlyphError on a character no font has; matplotlib's own
    # warning about a glyph would mean a box drawn all the same.
    assert built[name]["image"].stat().st_size > 0
    glyphs = [str(w.message) for w in built[name]["warnings"] if "glyph" in str(w.message).lower()]
    assert glyphs == []


def _pdftotext(pdf: Path) -> str:
    """What poppler's pdftotext (as Evince and most Linux readers) copies out of a PDF; in
    CI a missing poppler-utils fails the run, never skips."""
    tool = shutil.which("pdftotext")
    if tool is None:
        if os.environ.get("CI"):
            pytest.fail("CI must read the PDFs back: apt-get install poppler-utils")
        pytest.skip("pdftotext (poppler-utils) is not installed")
    run = subprocess.run([tool, str(pdf), "-"], capture_output=True, check=True)
    return unicodedata.normalize("NFC", run.stdout.decode("utf-8"))


# Shaped scripts (vowels before their consonant, stacked marks, conjuncts) and one written
# right to left.
@pytest.mark.parametrize("name", ["thailand-myanmar", "india-nepal", "libya-tunisia"])
def test_the_print_pdf_copies_its_words_as_typed(built, tmp_path, name):
    pdf = bordermap.to_image(built[name]["map"], tmp_path / f"{name}.pdf")
    copied = _pdftotext(pdf)
    border = BORDERS[name]
    # Whole words (a vowel sign is no word character to a regular expression).
    words = [w.strip(":,()") for w in border.words(border.title).split()]
    words = [w for w in words if len(w) > 1]
    assert words and [w for w in words if w not in copied] == []


# --- The page on a phone and a desktop ----------------------------------------------------


@pytest.mark.browser
@pytest.mark.parametrize(("name", "screen"), _params("offline"))
def test_the_page_asks_the_network_for_nothing(seen, name, screen):
    look = seen(name, screen)
    assert look["refused"] == [] and look["errors"] == []
    assert any("EXAMPLE FIGURES" in text for text in look["text"])


@pytest.mark.browser
@pytest.mark.parametrize(("name", "screen"), _params("labels"))
def test_no_two_labels_overlap(seen, name, screen):
    labels = seen(name, screen)["labels"]
    assert labels["shown"] > 0 and labels["overlaps"] == []


@pytest.mark.browser
@pytest.mark.parametrize(("name", "screen"), _params("panels"))
def test_no_two_panels_overlap(seen, name, screen):
    assert seen(name, screen)["panelOverlaps"] == []


@pytest.mark.browser
@pytest.mark.parametrize(("name", "screen"), _params("edge"))
def test_no_symbol_is_cut_by_the_maps_edge(seen, name, screen):
    look = seen(name, screen)
    edge = look["map"]
    cut = [
        (kind, box)
        for kind, box in look["symbols"]
        if box["left"] < edge["left"]
        or box["top"] < edge["top"]
        or box["right"] > edge["right"]
        or box["bottom"] > edge["bottom"]
    ]
    assert look["symbols"] and cut == []


@pytest.mark.browser
@pytest.mark.parametrize(("name", "screen"), _params("spill"))
def test_white_figures_stay_on_their_circle(seen, name, screen):
    assert seen(name, screen)["spills"] == []


@pytest.mark.browser
@pytest.mark.parametrize(("name", "screen"), _params("neighbours"))
def test_every_country_in_view_is_named(seen, name, screen):
    import shapely

    look = seen(name, screen)
    view = shapely.box(*look["bounds"])
    features = world_basemap(tuple(look["bounds"]), margin=0).features
    land = features[(features["kind"] == "land") & (features["country"] != "")]
    in_view = sorted(
        code
        for code, shape in zip(land["country"], land.geometry, strict=True)
        if shape.intersection(view).area >= IN_VIEW_SHARE * view.area
    )
    lang = BORDERS[name].map_lang
    shown = {text.casefold() for text in look["names"]}
    unnamed = [code for code in in_view if territory_name(code, lang).casefold() not in shown]
    assert set(BORDERS[name].countries) <= set(in_view)
    assert unnamed == [], (in_view, look["names"])
    # A country's name has several anchors (one per part of the view): one is shown.
    twice = [text for text in set(look["names"]) if look["names"].count(text) > 1]
    assert twice == []


def _hex(colour: str) -> str:
    """A CSS colour as #rrggbb (Chromium gives computed colours as rgb(r, g, b))."""
    found = re.fullmatch(r"rgba?\((\d+), (\d+), (\d+)(?:, [\d.]+)?\)", colour)
    return "#{:02x}{:02x}{:02x}".format(*map(int, found.groups())) if found else colour


@pytest.mark.browser
@pytest.mark.parametrize(
    ("name", "screen"), _params("rings", [n for n in BORDERS if _approximate(n)])
)
def test_approximate_places_rings_stand_out_from_land_and_sea(seen, name, screen):
    look = seen(name, screen)
    grounds = [_hex(g) for g in look["grounds"] if g]
    assert look["halos"] and len(grounds) >= 2  # the sea and at least one land
    weak = [
        (halo, ground)
        for halo in set(look["halos"])
        for ground in grounds
        if theme.contrast_ratio(halo, ground) < 3  # WCAG 1.4.11
    ]
    assert weak == []


@pytest.mark.browser
@pytest.mark.parametrize(
    ("name", "screen"), _params("halos", [n for n in BORDERS if _approximate(n)])
)
def test_approximate_places_rings_show_round_their_circles(seen, name, screen):
    # A ring smaller on screen than its circle (Metemma's 6 km under a large circle) is
    # drawn just outside the circle: never hidden under it (tests/test_framing.py).
    gaps = seen(name, screen)["halo_gaps"]
    assert gaps and [g for g in gaps if g["gap"] < 2] == []


@pytest.mark.browser
@pytest.mark.parametrize(
    ("name", "screen"),
    _params("rtl", [n for n in BORDERS if BORDERS[n].lang in RIGHT_TO_LEFT]),
)
def test_a_right_to_left_language_lays_the_page_out_right_to_left(seen, name, screen):
    assert seen(name, screen)["direction"] == "rtl"
