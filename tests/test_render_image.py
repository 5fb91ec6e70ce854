"""Print images (render/image): read the SVG and PDF back, compare bytes of two runs, check
metadata and writes."""

from __future__ import annotations

import dataclasses
import io
import itertools
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import geopandas as gpd
import matplotlib
import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image
from shapely.geometry import LineString, box

import bordermap
from bordermap.cli import main
from bordermap.errors import ExportError, MissingGlyphError, ValidationError
from bordermap.export.outputs import images_bytes, map_metadata
from bordermap.inputs import bundled_path
from bordermap.render.image import draw, frame, legend, lettering, text
from bordermap.render.leaflet.markup import legend_html
from bordermap.spec import Arrow, LegendEntry, Popup, RouteLine, Source

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def joined():
    estimates = bordermap.read_estimates(bundled_path("events/2023-10-09.csv"))
    return bordermap.join_estimates(bordermap.load_crossings(), estimates)


@pytest.fixture(scope="module")
def facilities():
    return bordermap.load_facilities()


@pytest.fixture(scope="module")
def maps(joined, facilities):
    return {
        lang: bordermap.crossing_map(joined, facilities, tiles=None, lang=lang)
        for lang in ("en", "ko")
    }


@pytest.fixture(scope="module")
def svg_en(maps):
    return images_bytes(maps["en"], ["svg"])["svg"]


@pytest.fixture(scope="module")
def pdf_en(maps):
    return images_bytes(maps["en"], ["pdf"])["pdf"]


def svg_texts(data: bytes) -> list[str]:
    root = ET.fromstring(data)
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def svg_metadata(data: bytes) -> dict:
    root = ET.fromstring(data)
    described = [e.text for e in root.iter() if e.tag.endswith("}description")]
    assert len(described) == 1
    return json.loads(described[0])


def test_svg_shows_figures_names_title_legend_and_credit(svg_en):
    texts = svg_texts(svg_en)
    assert "300" in texts and "180" in texts
    assert "Forced repatriation from China to North Korea" in texts
    assert "event of 9 October 2023" in texts
    assert {"Tumen → Onsong", "Dandong → Sinuiju", "Changbai → Hyesan"} <= set(texts)
    assert texts.count("no published figure") == 3 + 1, "three crossings and one legend row"
    assert "People sent across (published estimates)" in texts
    assert {"100", "30"} <= set(texts), "size legend values"
    assert any(t.endswith(" km") for t in texts), "scale bar"
    credit = " ".join(t for t in texts if "TJWG" in t or "Sources" in t)
    assert credit.startswith("Sources: ") and "(7 December 2023)" in credit


def test_svg_in_korean_keeps_hangul_as_text(maps):
    texts = svg_texts(images_bytes(maps["ko"], ["svg"])["svg"])
    assert "중국의 탈북민 강제송환" in texts
    assert "투먼 → 온성" in texts and "단둥 → 신의주" in texts
    assert "공개된 수치 없음" in texts and "300" in texts
    assert "사건 일자 2023년 10월 9일" in texts


def test_image_draws_the_maps_description_not_a_recomputation(maps):
    spec = maps["en"].spec
    first = dataclasses.replace(spec.labels[0], text="<recorded label>")
    changed = dataclasses.replace(spec, labels=(first, *spec.labels[1:]))
    texts = svg_texts(images_bytes(changed, ["svg"])["svg"])
    assert "<recorded label>" in texts


def test_every_export_carries_the_same_metadata(maps, svg_en, pdf_en, joined, facilities):
    m = maps["en"]
    expected = map_metadata(m)
    assert expected["event"] == "2023-10-09" and expected["version"] == bordermap.__version__
    hashes = {i["sha256"] for i in expected["inputs"]}
    routes, world, rivers, lakes, towns, town_names = (
        bordermap.inputs.file_sha256(bordermap.inputs.bundled_path(name))
        for name in (
            "routes.csv",
            "basemap/world-10m.npz",
            "basemap/rivers.npz",
            "basemap/lakes.npz",
            "basemap/towns.csv",
            "basemap/town_names.csv.xz",
        )
    )
    files = {facilities.attrs["sha256"], routes, world, rivers, lakes, towns, town_names}
    assert {i["sha256"] for i in joined.attrs["inputs"]} | files == hashes
    assert (
        "Transitional Justice Working Group (TJWG), press release and map" in (expected["sources"])
    )
    page = bordermap.to_html(m)
    block = page.split('id="bordermap-metadata">', 1)[1].split("</script>", 1)[0]
    assert json.loads(block) == expected
    assert svg_metadata(svg_en) == expected
    from pypdf import PdfReader

    info = PdfReader(io.BytesIO(pdf_en)).metadata
    assert json.loads(info["/Subject"]) == expected
    assert "2023-10-09" in info["/Keywords"] and "The Economist" in info["/Keywords"]
    png = Image.open(io.BytesIO(images_bytes(m, ["png"], dpi=30)["png"]))
    assert json.loads(png.text["bordermap"]) == expected


def test_pdf_text_can_be_read_back(pdf_en):
    from pypdf import PdfReader

    text = PdfReader(io.BytesIO(pdf_en)).pages[0].extract_text()
    for needle in ("300", "180", "Forced repatriation", "Tumen → Onsong", "Sources:"):
        assert needle in text


@pytest.mark.parametrize("fmt", ["svg", "pdf"])
def test_two_runs_give_the_same_bytes(maps, svg_en, pdf_en, fmt):
    first = {"svg": svg_en, "pdf": pdf_en}[fmt]
    assert images_bytes(maps["en"], [fmt])[fmt] == first
    assert b"CreationDate" not in first and b"<dc:date>" not in first


def test_png_is_the_same_twice_and_sized_by_dpi(maps, tmp_path):
    a, b = tmp_path / "a.png", tmp_path / "b.png"
    bordermap.to_image(maps["en"], a, dpi=60, size=(8, 6))
    bordermap.to_image(maps["en"], b, dpi=60, size=(8, 6))
    assert a.read_bytes() == b.read_bytes()
    assert Image.open(a).size == (480, 360)


def test_to_image_takes_a_joined_table_and_a_language(joined, tmp_path):
    out = bordermap.to_image(joined, tmp_path / "map.svg", lang="ko")
    texts = svg_texts(out.read_bytes())
    assert "투먼 → 온성" in texts and not any("시설" in t for t in texts), "no facilities given"


@pytest.mark.parametrize(
    ("call", "error", "needle"),
    [
        (lambda m, p: bordermap.to_image(m, p / "map.bmp"), ExportError, ".bmp"),
        (lambda m, p: bordermap.to_image(m, p / "map.png", lang="zh"), ValidationError, "'en'"),
        (lambda m, p: bordermap.to_image("map", p / "map.png"), ValidationError, "str"),
    ],
)
def test_bad_calls_say_what_to_do(maps, tmp_path, call, error, needle):
    with pytest.raises(error, match=None) as caught:
        call(maps["en"], tmp_path)
    assert needle in str(caught.value)
    assert list(tmp_path.iterdir()) == []


def test_failed_export_leaves_the_existing_file_untouched(maps, tmp_path, monkeypatch):
    out = tmp_path / "map.png"
    out.write_bytes(b"previous image")

    def broken_savefig(self, fname, **kwargs):
        fname.write(b"half an image")
        raise OSError("disk full")

    monkeypatch.setattr(draw.Figure, "savefig", broken_savefig)
    with pytest.raises(ExportError, match="disk full"):
        bordermap.to_image(maps["en"], out)
    assert out.read_bytes() == b"previous image"
    assert list(tmp_path.iterdir()) == [out]


def test_korean_without_a_cjk_font_is_a_clear_error(maps, hide_fonts):
    hide_fonts("Noto Sans CJK")
    with pytest.raises(MissingGlyphError, match=r"Hangul .*apt-get install fonts-noto-cjk"):
        images_bytes(maps["ko"], ["svg"])["svg"]
    assert text.rc("en")["font.family"] == ["Noto Sans", "DejaVu Sans", "sans-serif"]


def _route(coords, weight, dashed, color, arrows):
    return RouteLine(
        "r",
        "x",
        None,
        None,
        "reported",
        coords,
        weight,
        dashed,
        color,
        1.0,
        arrows,
        "",
        Popup("route"),
        Source("s"),
    )


def test_routes_are_drawn_as_recorded(maps):
    spec = maps["en"].spec
    routes = (
        _route(
            ((42.95, 129.5), (42.96, 129.84), (42.99, 129.98)),
            8,
            True,
            "#123456",
            (Arrow(42.96, 129.84, 80.0),),
        ),
        _route(((40.1, 124.3), (40.12, 124.4)), 4, False, "#654321", ()),
    )
    entry = LegendEntry("line", "inferred", stroke="#abcdef", weight=4, dashed=True)
    legend = dataclasses.replace(spec.legend, entries=(*spec.legend.entries, entry))
    changed = dataclasses.replace(spec, routes=routes, legend=legend)
    data = images_bytes(changed, ["svg"])["svg"].decode()
    dashed = [s for s in data.split('style="')[1:] if "stroke: #123456" in s.split('"')[0]]
    assert any("stroke-dasharray" in s.split('"')[0] for s in dashed)
    assert any("stroke-width: 6" in s.split('"')[0] for s in dashed), "8 px = 6 pt"
    solid = [s.split('"')[0] for s in data.split('style="')[1:] if "stroke: #654321" in s]
    assert solid and not any("stroke-dasharray" in s for s in solid)
    assert "fill: #123456" in data, "arrow head"
    assert "inferred" in svg_texts(data.encode()) and "stroke: #abcdef" in data


def test_arrow_bearing_turns_into_the_page_direction():
    box = frame.Frame([[40.0, 124.0], [43.0, 130.0]], (6.0, 4.0))
    assert box.bearing_angle(41.5, 127.0, 90.0) == pytest.approx(90.0, abs=0.5)
    assert box.bearing_angle(41.5, 127.0, 0.0) == pytest.approx(0.0, abs=0.01)


def test_basemap_is_drawn_by_kind(maps, monkeypatch):
    land = gpd.GeoDataFrame(
        {
            "kind": ["land", "land", "land", "boundary", "coast"],
            "country": ["CN", "KP", "RU", "CN–KP", None],
        },
        geometry=[
            box(120, 41, 131, 45),
            box(124, 38, 131, 41),
            box(130.7, 42.4, 135, 46),
            LineString([(124.3, 40.0), (128.0, 41.5), (130.6, 42.4)]),
            LineString([(124.0, 39.5), (126.0, 38.5)]),
        ],
        crs="EPSG:4326",
    )

    class View:
        features = land

    monkeypatch.setattr("bordermap.basemap.world_basemap", lambda area: View)
    data = images_bytes(maps["en"], ["svg"])["svg"].decode()
    assert "fill: #f4f2ec" in data and "fill: #ebe4d3" in data, "China and North Korea apart"
    assert "fill: #e6e5e0" in data, "other land"
    assert "stroke: #5b5b5b" in data, "the China–North Korea boundary stands out"
    assert "stroke: #8aa4b5" in data, "coast"
    assert "fill: #dde7ee" in data, "sea"


def test_cli_writes_every_image_or_none(tmp_path):
    png, svg, html = tmp_path / "map.png", tmp_path / "map.svg", tmp_path / "map.html"
    assert main(["render", "--png", str(png), "--svg", str(svg), "--lang", "ko"]) == 0
    assert Image.open(png).size == (2000, 1400)
    assert "투먼 → 온성" in svg_texts(svg.read_bytes())
    html.write_text("previous map")
    missing = str(tmp_path / "missing" / "map.svg")
    code = main(["render", "-o", str(html), "--offline", "--svg", missing])
    assert code == 2 and html.read_text() == "previous map"


def test_cli_needs_an_output(capsys):
    assert main(["render"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        "bordermap: error: nothing to write; give -o map.html, --png, --svg, --pdf FILE or "
        "--package DIR"
    ]


def test_custom_subtitle_keeps_the_event_date_in_the_footer(joined):
    m = bordermap.crossing_map(joined, tiles=None, subtitle="Press release, 7 December 2023")
    texts = svg_texts(images_bytes(m, ["svg"])["svg"])
    assert "Press release, 7 December 2023" in texts
    assert any(t.startswith("event of 9 October 2023 · Sources: ") for t in texts)


def test_chinese_labels(joined):
    m = bordermap.crossing_map(joined, tiles=None, lang="zh")
    data = images_bytes(m, ["svg"])["svg"]
    texts = svg_texts(data)
    assert "中国向朝鲜强制遣返" in texts and "300" in texts and "无公开数字" in texts
    assert b"Noto Sans CJK SC" in data


def test_cli_refuses_images_of_a_time_series(capsys, tmp_path):
    assert main(["render", "--events", "all", "--png", str(tmp_path / "m.png")]) == 2
    assert "images show one event" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_a_route_row_in_the_legend_is_drawn_in_the_page_too():
    row = LegendEntry("line", "<inferred>", stroke="#123456", weight=4, dashed=True)
    page = legend_html(bordermap.spec.Legend("t", entries=(row,)))
    assert 'stroke="#123456"' in page and "stroke-dasharray" in page
    assert "&lt;inferred&gt;" in page


def _anchored(data: bytes) -> dict[str, tuple[str, float]]:
    """Each text of an SVG: how it is anchored (start or end) and its x."""
    root = ET.fromstring(data)
    width = float(root.get("width", "0").removesuffix("pt"))
    out = {}
    for t in root.iter(f"{SVG}text"):
        anchor = "end" if "text-anchor: end" in (t.get("style") or "") else "start"
        out["".join(t.itertext())] = (anchor, float(t.get("x", "0")) / width)
    return out


@pytest.mark.parametrize(("lang", "anchor"), [("ar", "end"), ("en", "start")])
def test_a_right_to_left_image_sets_title_and_legend_from_the_right(joined, tmp_path, lang, anchor):
    spec = bordermap.describe_crossings(joined, lang=lang)
    texts = _anchored(bordermap.to_image(spec, tmp_path / f"{lang}.svg").read_bytes())
    title = texts[spec.title]
    legend = texts[spec.legend.title]
    assert title[0] == legend[0] == anchor
    # Arabic: the title ends at the right margin and the legend stands left of the map.
    assert (title[1] > 0.9 and legend[1] < 0.5) if lang == "ar" else title[1] < 0.1 < legend[1]


# --- every symbol whole in the image's frame, every halo round its circle --------------------

GALLERY = Path(__file__).parent / "data" / "gallery"
FRAMING = Path(__file__).parent / "data" / "framing"
HALO_Z = 4  # the halos' layer (draw._draw_symbols): under rings (7) and circles (8 and up)


def _drawn(monkeypatch, tmp_path, spec, dpi=96):
    """The image's map axes and frame once drawn, by a spy on the lettering (drawn after the
    symbols): at 96 dpi one image pixel is one CSS pixel of the page."""
    seen = {}

    def spy(fig, ax, frame, symbols, labels, **options):
        seen["ax"], seen["frame"] = ax, frame
        return lettering.draw_labels(fig, ax, frame, symbols, labels, **options)

    monkeypatch.setattr(draw, "draw_labels", spy)
    bordermap.to_image(spec, tmp_path / "map.png", dpi=dpi)
    ax = seen["ax"]
    return ax, seen["frame"], ax.figure.canvas.get_renderer()


def _reach(artist, renderer, dpi) -> tuple[float, float, float, float]:
    """An artist's box in image pixels, grown by half its stroke."""
    box = artist.get_window_extent(renderer)
    w = artist.get_linewidth() * dpi / 72 / 2
    return box.x0 - w, box.y0 - w, box.x1 + w, box.y1 + w


def _symbol_artists(ax):
    """Halos, rings and circles of the map (leaders, at 8, are lines; circles are patches)."""
    shapes = [p for p in ax.patches if HALO_Z <= p.get_zorder() < 9]
    return shapes + [line for line in ax.lines if line.get_zorder() == HALO_Z]


def test_the_image_frame_holds_every_symbol_with_its_halo_and_a_margin(monkeypatch, tmp_path):
    # Two crossings 60 km apart, one placed to within 30 km: its halo reaches far beyond the
    # frame's padding around the points, and a large circle sits at the other corner.
    crossings = tmp_path / "crossings.csv"
    crossings.write_text(
        (FRAMING / "np_cn_crossings.csv").read_text(encoding="utf-8").replace(",3000,", ",30000,"),
        encoding="utf-8",
    )
    joined = bordermap.join_estimates(
        bordermap.load_crossings(crossings), FRAMING / "np_cn_estimates.csv"
    )
    spec = bordermap.describe_crossings(joined)
    assert any(s.halo_m == 30000 for s in spec.symbols)
    ax, _, renderer = _drawn(monkeypatch, tmp_path, spec)
    edge = ax.get_window_extent(renderer)
    shapes = _symbol_artists(ax)
    assert len(shapes) >= 3
    margin = 3  # image pixels between every symbol, stroke included, and the frame
    for shape in shapes:
        x0, y0, x1, y1 = _reach(shape, renderer, 96)
        assert x0 >= edge.x0 + margin and y0 >= edge.y0 + margin, shape
        assert x1 <= edge.x1 - margin and y1 <= edge.y1 - margin, shape


@pytest.mark.parametrize("border", ["ethiopia-sudan", "thailand-myanmar"])
def test_every_halo_shows_round_its_circle_in_the_image(monkeypatch, tmp_path, border):
    # Metemma's 6 km and Mae Sai's 1.5 km are smaller than their circles at the image's
    # scale: each halo is drawn just outside its circle, as in the page.
    folder = GALLERY / border
    joined = bordermap.join_estimates(
        bordermap.load_crossings(folder / "crossings.geojson"), folder / "estimates.csv"
    )
    spec = bordermap.describe_crossings(joined)
    ax, frame, renderer = _drawn(monkeypatch, tmp_path, spec)
    halos = [a for a in _symbol_artists(ax) if a.get_zorder() == HALO_Z]
    circles = [p for p in ax.patches if 8 <= p.get_zorder() < 9]
    approximate = [s for s in spec.symbols if s.halo_m]
    assert len(halos) == len(approximate) >= 2

    def centre(box):
        return (box[0] + box[2]) / 2, (box[1] + box[3]) / 2

    for symbol in approximate:
        x, y = ax.transData.transform(frame.point(symbol.lat, symbol.lon))

        def distance(artist, x=x, y=y):
            cx, cy = centre(_reach(artist, renderer, 96))
            return abs(cx - x) + abs(cy - y)

        halo, circle = min(halos, key=distance), min(circles, key=distance)
        inner = (halo.get_window_extent(renderer).width - halo.get_linewidth() * 96 / 72) / 2
        outer = (_reach(circle, renderer, 96)[2] - _reach(circle, renderer, 96)[0]) / 2
        assert inner - outer >= 2, (symbol.id, inner, outer)


def test_credit_lines_stand_apart_whatever_script_leads_them(monkeypatch, joined, tmp_path):
    # Persian has no catalog of bordermap's words: English words round a Persian date, whose
    # tall Arabic face once pushed its line down onto the next.
    with pytest.warns(bordermap.errors.BordermapWarning, match="no catalog"):
        spec = bordermap.describe_crossings(joined, lang="fa")
    ax, _, renderer = _drawn(monkeypatch, tmp_path, spec, dpi=200)
    fig = ax.figure
    lines = [t for t in fig.texts if t.get_fontsize() == 7 and t.get_text()]
    assert len(lines) >= 2 and "\u2068" in lines[0].get_text()  # the date, one bidi unit
    boxes = [t.get_window_extent(renderer) for t in lines]
    # The rows of the footer with ink: one run of rows per line, blank rows between.
    fig.canvas.draw()
    pixels = np.asarray(fig.canvas.buffer_rgba())[:, :, :3].min(axis=2)
    height = pixels.shape[0]
    top, bottom = height - max(b.y1 for b in boxes), height - min(b.y0 for b in boxes)
    inked = (pixels[int(top) : int(bottom) + 1] < 140).any(axis=1)
    runs = int(inked[0]) + int(np.sum(inked[1:] & ~inked[:-1]))
    assert runs == len(lines), (runs, [t.get_text() for t in lines])


# --- the legend's lines apart in any script -------------------------------------------------


def _ink_boxes(fig):
    """Each text of the figure's first axes, and the box its ink covers (pixels, drawn alone)."""
    renderer = FigureCanvasAgg(fig).get_renderer()
    fig.draw(renderer)  # lays the texts out once
    out = []
    for t in fig.axes[0].texts:
        renderer.clear()
        t.draw(renderer)
        alpha = np.asarray(renderer.buffer_rgba())[..., 3]
        rows, cols = np.nonzero(alpha.any(axis=1))[0], np.nonzero(alpha.any(axis=0))[0]
        out.append((t.get_text(), box(cols[0], rows[0], cols[-1] + 1, rows[-1] + 1)))
    return out


@pytest.mark.parametrize("lang", ["en", "ar", "ko", "ru", "fa", "my"])
def test_no_two_lines_of_the_legend_touch_whatever_their_script(joined, lang):
    # An Arabic title's descenders reach lower than a Latin one's: the size labels under it
    # touched it when lines stepped by fixed points.
    spec = bordermap.describe_crossings(joined, lang=lang)
    with matplotlib.rc_context(text.rc(spec.lang)):
        fig = Figure(figsize=(3.0, 9.0), dpi=150)
        legend.draw_legend(fig, (0, 0, 1, 1), spec.legend, rtl=lang in ("ar", "fa"))
        inks = _ink_boxes(fig)
    assert len(inks) > 5 and spec.legend.title.startswith(inks[0][0])  # the title, wrapped
    for (a, ink_a), (b, ink_b) in itertools.combinations(inks, 2):
        assert not ink_a.intersects(ink_b), (a, b)


def test_a_town_under_a_route_is_lettered_over_it_on_a_halo(maps, monkeypatch, tmp_path):
    # The placer keeps labels off symbols and each other, not off lines: a town's name a route
    # runs through is drawn over the route, on a halo, as a crossing's name is.
    spec = maps["en"].spec
    town = next(label for label in spec.labels if label.role == "context" and label.priority > 2)
    band = _route(((town.lat, town.lon - 1.0), (town.lat, town.lon + 1.0)), 60, False, "#123", ())
    ax, _, _ = _drawn(monkeypatch, tmp_path, dataclasses.replace(spec, routes=(band,)))
    lettered = {t.get_text(): t for t in ax.texts}
    assert lettered[town.text].get_zorder() > 3.5  # over the routes and their arrowheads
    assert lettered[town.text].get_bbox_patch() is not None
    # Names no route runs through stay under the routes, with no halo.
    assert any(t.get_zorder() < 3 and t.get_bbox_patch() is None for t in ax.texts)
