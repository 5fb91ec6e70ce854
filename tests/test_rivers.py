"""The river layer: the file GSHHG's rivers are built into, the lines it gives, the map that
draws them and the credit that names them."""

from __future__ import annotations

import importlib.util
import io
import re
import zipfile

import numpy as np
import pytest
import shapely
from PIL import Image
from pyproj import Geod
from shapely.geometry import LineString, Point
from shapely.ops import nearest_points

import bordermap
from bordermap import basemap, rivers
from bordermap.basemap import RIVERS_FILE, rivers_in, world_basemap
from bordermap.errors import ValidationError
from bordermap.export.outputs import images_bytes
from bordermap.inputs import bundled_path, file_sha256
from bordermap.render.image import draw
from bordermap.store import read_geometries
from bordermap.theme import BASEMAP_COLORS
from tests.conftest import ROOT

_SPEC = importlib.util.spec_from_file_location("build_rivers", ROOT / "scripts/build_rivers.py")
build = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(build)

GEOD = Geod(ellps="WGS84")
CN_KP = (124.3, 40.1, 130.7, 43.0)  # the bundled crossings


def _recorded_sha256(name: str) -> str:
    readme = (ROOT / "data/basemap/README.md").read_text(encoding="utf-8")
    found = re.search(rf"^([0-9a-f]{{64}})  {re.escape(name)}$", readme, re.MULTILINE)
    assert found, f"no SHA-256 of {name} in data/basemap/README.md"
    return found.group(1)


def test_the_shipped_file_is_the_recorded_build():
    assert file_sha256(bundled_path(RIVERS_FILE)) == _recorded_sha256("rivers.npz")
    assert bundled_path(RIVERS_FILE).stat().st_size < 1_500_000
    readme = (ROOT / "data/basemap/README.md").read_text(encoding="utf-8")
    package = f"{build.PACKAGE}` version `{build.VERSION}"
    for pin in (build.DEB_SHA256, build.MEMBER_SHA256, package):
        assert pin in readme
    licence = (ROOT / "data/basemap/LICENSE-GSHHG.txt").read_text(encoding="utf-8")
    assert "Rivers: GSHHG/WDBII, Wessel & Smith, LGPL" in licence
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in licence and "Version 3" in licence


def _binned(segments: list[tuple[int, int, list[tuple[int, int]]]]) -> dict[str, np.ndarray]:
    """A binned river file of 5° bins, as GMT lays it out: (bin, level, points) segments,
    points as unsigned offsets from the bin's corner stored in signed 16-bit integers."""
    n_bins = 72 * 36
    first, count = np.zeros(n_bins, np.int32), np.zeros(n_bins, np.int16)
    n_points, levels, starts, dx, dy = [], [], [], [], []
    for index, (b, level, points) in enumerate(sorted(segments, key=lambda s: s[0])):
        if count[b] == 0:
            first[b] = index
        count[b] += 1
        n_points.append(len(points))
        levels.append(level)
        starts.append(len(dx))
        dx += [x for x, _ in points]
        dy += [y for _, y in points]
    return {
        "Bin_size_in_minutes": np.array([300], np.int32),
        "N_bins_in_360_longitude_range": np.array([72], np.int32),
        "Id_of_first_segment_in_a_bin": first,
        "N_segments_in_a_bin": count,
        "N_points_for_a_segment": np.array(n_points, np.int16),
        "Hierarchial_level_of_a_segment": np.array(levels, np.int16),
        "Id_of_first_point_in_a_segment": np.array(starts, np.int32),
        "Relative_longitude_from_SW_corner_of_bin": np.array(dx, np.uint16).view(np.int16),
        "Relative_latitude_from_SW_corner_of_bin": np.array(dy, np.uint16).view(np.int16),
    }


# Bin 9 × 72 + 25 has its south-west corner at 125°E 40°N, the next one at 130°E; a river
# crosses from one into the other, and a minor river (level 3) is dropped.
NC = _binned(
    [
        (673, 2, [(0, 0), (65535, 65535 // 5)]),  # 125°E 40°N to 130°E 41°N
        (674, 2, [(0, 65535 // 5), (40000, 65535 // 5)]),  # on, east of 130°E
        (674, 3, [(0, 0), (100, 100)]),
        (2591, 1, [(65535, 0), (60000, 100)]),  # the last bin: 355-360°E is 5°W-0°
    ]
)


def test_gmts_bins_are_decoded_to_longitude_and_latitude():
    segments = build.decode_segments(NC)
    assert [level for level, _ in segments] == [2, 2, 3, 1]
    assert segments[0][1] == pytest.approx(np.array([[125, 40], [130, 41]]), abs=1e-4)
    assert segments[1][1][1] == pytest.approx([130 + 5 * 40000 / 65535, 41], abs=1e-4)
    west_of_greenwich = [[0, -90], [-5 + 5 * 60000 / 65535, -90 + 5 * 100 / 65535]]
    assert segments[3][1] == pytest.approx(np.array(west_of_greenwich), abs=1e-6)
    rivers = build.river_lines(segments)
    assert [level for level, _ in rivers] == [1, 2]  # level 3 dropped; the two pieces joined
    assert rivers[1][1].coords[0] == (125.0, 40.0) and len(rivers[1][1].coords) == 3


def test_the_build_is_reproducible_and_read_back_as_built():
    first = build.rivers_arrays(build.river_lines(build.decode_segments(NC)))
    again = build.rivers_arrays(build.river_lines(build.decode_segments(dict(NC))))
    assert first == again
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {i.compress_type for i in archive.infolist()} == {zipfile.ZIP_LZMA}
        assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    lines, levels = read_geometries(io.BytesIO(first), "level")
    assert levels.tolist() == [1, 2]
    river = LineString([(125, 40), (130, 41), (130 + 5 * 40000 / 65535, 41)])
    assert lines[1].equals_exact(river, build.GRID / 2)  # on the grid of 2⁻¹² degree


NC_LINE = np.array([[120.0, 30.0], [121.0, 31.0]])  # a major river far from the boundary


def test_minor_rivers_are_kept_only_where_they_follow_a_boundary():
    """Of a minor river (level 3), the part along a boundary for 0.1° or more is kept,
    flagged ``border``; a part that only crosses one, an intermittent river (level 5) along
    it and everything far from it are not."""
    boundary = LineString([(125.0, 40.0), (126.0, 40.0)])
    along = [[125.1, 40.01], [125.5, 40.012], [125.9, 39.99], [126.5, 40.5]]  # then leaves
    across = [[125.2, 39.5], [125.2, 40.5]]
    segments = [(3, np.array(along)), (3, np.array(across)), (5, np.array(along)), (2, NC_LINE)]
    kept = build.border_lines(segments, np.array([boundary], dtype=object))
    assert [level for level, _ in kept] == [3]
    part = kept[0][1]
    assert part.distance(boundary) < 0.015 and part.hausdorff_distance(boundary) < 0.2
    assert (
        part.bounds[0] == pytest.approx(125.1, abs=build.GRID)
        and part.bounds[2] < 126.0 + build.BORDER_NEAR
    )
    first = build.rivers_arrays(build.river_lines(segments), kept)
    assert first == build.rivers_arrays(build.river_lines(segments), kept)
    lines, levels, border = read_geometries(io.BytesIO(first), "level", "border")
    assert levels.tolist() == [2, 3] and border.tolist() == [False, True]
    assert lines[1].equals(part)


def test_the_shipped_minor_rivers_follow_a_boundary():
    lines, levels, border = read_geometries(bundled_path(RIVERS_FILE), "level", "border")
    assert set(levels[~border].tolist()) == {0, 1, 2}
    assert set(levels[border].tolist()) == {3, 4} and 300 <= border.sum() <= 400
    boundaries = build.world_boundaries()
    tree = shapely.STRtree(boundaries)
    minor = lines[border]
    assert shapely.length(minor).min() >= build.BORDER_MIN_LENGTH - build.GRID
    # Every point of every minor river within 2 km (and a grid step) of a boundary.
    points = shapely.points(shapely.get_coordinates(minor))
    _, far = tree.query_nearest(points, return_distance=True)
    assert far.max() <= build.BORDER_NEAR + build.GRID


def _gallery_box(name: str) -> tuple[float, float, float, float]:
    """The box of a gallery border's crossings."""
    crossings = bordermap.load_crossings(ROOT / "tests/data/gallery" / name / "crossings.geojson")
    return tuple(crossings.total_bounds)


def _river_features(bounds, monkeypatch, minor: bool) -> dict[str, object]:
    """A view's river features by border ("" for the rest), with or without the minor
    border rivers."""
    with monkeypatch.context() as patch:
        if not minor:
            patch.setattr(rivers, "BORDER_RIVER_LEVEL", 99)
        view = world_basemap(bounds)
    found = view.features[view.features["kind"] == "river"]
    return dict(zip(found["country"], found.geometry, strict=True))


def test_a_minor_river_follows_the_india_nepal_border(monkeypatch):
    """WDBII's minor river along the border north of Raxaul and Sunauli (level 3) is drawn
    as the India–Nepal border river; without the minor rivers there is none."""
    box = _gallery_box("india-nepal")
    assert "IN–NP" not in _river_features(box, monkeypatch, minor=False)
    border = _river_features(box, monkeypatch, minor=True)["IN–NP"]
    km = GEOD.geometry_length(border) / 1000
    assert km > 20, km
    boundary = world_basemap(box).features.set_index(["kind", "country"]).geometry
    points = shapely.points(shapely.get_coordinates(border))
    # All along it within the 2.5 km by_border allows (and the view's simplification).
    assert shapely.distance(points, boundary[("boundary", "IN–NP")]).max() < 0.03


# The gallery borders where a minor river follows the border in the view.
GAINING = {"afghanistan-pakistan", "india-bangladesh", "india-nepal", "thailand-myanmar"}


@pytest.mark.parametrize(
    "name",
    sorted(p.name for p in (ROOT / "tests/data/gallery").iterdir() if p.is_dir()),
)
def test_the_minor_rivers_only_add_border_rivers(name, monkeypatch):
    """Every river of a gallery view without the minor border rivers is drawn as before;
    with them, only border rivers grow, and only on the borders where WDBII has one."""
    box = _gallery_box(name)
    before = _river_features(box, monkeypatch, minor=False)
    after = _river_features(box, monkeypatch, minor=True)
    assert set(after) >= set(before)
    west, south, east, north = world_basemap(box).bounds
    simplified = max(east - west, north - south) / 1500  # world_basemap's tolerance
    for pair, lines in before.items():
        # Each river as before, to the view's simplification, which the rivers that join
        # or leave it may move by that much.
        points = shapely.points(shapely.get_coordinates(lines))
        assert shapely.distance(points, after[pair]).max() <= simplified * 1.1, pair
    assert ("" not in before) or after[""].length == pytest.approx(before[""].length, rel=1e-4)
    grown = any(
        pair and after[pair].length > before.get(pair, LineString()).length + 1e-9 for pair in after
    )
    assert grown == (name in GAINING)


def test_the_yalu_and_tumen_view_is_unchanged_by_the_minor_rivers(monkeypatch):
    before = _river_features(CN_KP, monkeypatch, minor=False)
    after = _river_features(CN_KP, monkeypatch, minor=True)
    assert set(after) == set(before) >= {"", "CN–KP"}
    assert all(after[pair].equals(before[pair]) for pair in before)


def test_a_continents_view_draws_no_minor_river():
    wide = (60.0, 5.0, 100.0, 40.0)  # South Asia: permanent major rivers only
    assert rivers.level_for(wide) < rivers.BORDER_RIVER_LEVEL
    box = (83.8, 27.3, 84.0, 27.5)  # the India–Nepal minor border river
    assert rivers_in(box) and rivers_in(box, max_level=1) == []


def _km_to_river(lat: float, lon: float, lines) -> float:
    point = Point(lon, lat)
    nearest = min((nearest_points(line, point)[0] for line in lines), key=point.distance)
    return GEOD.inv(lon, lat, nearest.x, nearest.y)[2] / 1000


@pytest.mark.parametrize(
    ("place", "lat", "lon"),
    [
        ("Sinuiju–Dandong (Yalu)", 40.1, 124.4),
        ("Changbai–Hyesan (Yalu)", 41.4069, 128.175),
        ("Tumen–Onsong crossing (Tumen)", 42.9548, 129.8502),
        ("Helong–Musan (Tumen)", 42.2445, 129.2061),
        ("El Paso–Juárez (Rio Grande)", 31.76, -106.45),
    ],
)
def test_border_rivers_lie_at_their_crossings(place, lat, lon):
    lines = rivers_in((lon - 0.5, lat - 0.5, lon + 0.5, lat + 0.5))
    assert _km_to_river(lat, lon, lines) < 2.0, place


def test_rivers_are_clipped_to_the_box_and_thinned_by_level():
    box = (124.0, 39.5, 131.0, 43.5)
    lines = rivers_in(box)
    assert lines and all(shapely.box(*box).buffer(1e-9).contains(line) for line in lines)
    assert len(rivers_in(box, max_level=1)) < len(lines)
    assert rivers_in((-140.0, -40.0, -139.0, -39.0)) == []  # the open Pacific
    with pytest.raises(ValidationError, match="bounds"):
        rivers_in((130, 40, 120, 41))


def test_the_yalu_and_tumen_are_border_rivers_of_the_view():
    view = world_basemap(CN_KP)
    rivers = view.features[view.features["kind"] == "river"].set_index("country").geometry
    assert set(rivers.index) >= {"", "CN–KP"}
    border = rivers["CN–KP"]
    for lat, lon in ((40.1164, 124.3906), (41.4069, 128.175), (42.9548, 129.8502)):
        assert _km_to_river(lat, lon, border.geoms) < 2.5
    kinds = list(view.features["kind"])
    assert kinds.index("river") > kinds.index("land") and kinds.index("river") < kinds.index(
        "boundary"
    ), "rivers are drawn under the boundaries"
    assert "rivers: GSHHG/WDBII, Wessel & Smith (LGPL)" in view.credit


def test_the_credit_names_gshhg_only_where_a_river_is_drawn():
    desert = world_basemap((23.0, 22.0, 24.0, 23.0))  # Libyan desert: no river
    assert "GSHHG" not in desert.credit and "Natural Earth" in desert.credit
    spec = bordermap.describe_crossings(bordermap.load_crossings())
    assert "GSHHG/WDBII, Wessel & Smith (LGPL)" in spec.basemap_credit


def test_the_print_image_credits_the_rivers(bundled_map):
    svg = images_bytes(bundled_map, ["svg"])["svg"].decode()
    assert "rivers: GSHHG/WDBII, Wessel &amp; Smith (LGPL)" in svg


@pytest.fixture(scope="module")
def bundled_map():
    joined = bordermap.join_estimates(
        bordermap.load_crossings(), bundled_path("events/2023-10-09.csv")
    )
    return bordermap.crossing_map(joined, bordermap.load_facilities(), tiles=None)


def _png_and_frame(spec, monkeypatch):
    """The PNG of a map, and a function from lon/lat to its pixel (column, row)."""
    seen = {}
    drawn = draw.draw_basemap

    def spy(ax, frame):
        seen.update(ax=ax, frame=frame)
        return drawn(ax, frame)

    monkeypatch.setattr(draw, "draw_basemap", spy)
    png = Image.open(io.BytesIO(images_bytes(spec, ["png"])["png"])).convert("RGB")
    ax, frame = seen["ax"], seen["frame"]

    def pixel(lon: float, lat: float) -> tuple[int, int]:
        x, y = ax.transData.transform(frame.point(lat, lon))
        return round(x), round(png.height - y)

    return np.asarray(png).astype(int), pixel


def _river_share(pixels: np.ndarray, pixel, points) -> float:
    """The share of points with a pixel of the river's colour within 3 pixels."""
    water = np.array([int(BASEMAP_COLORS["river"][i : i + 2], 16) for i in (1, 3, 5)])
    near = np.abs(pixels - water).max(axis=2) <= 24
    found = 0
    for lon, lat in points:
        col, row = pixel(lon, lat)
        found += bool(near[row - 3 : row + 4, col - 3 : col + 4].any())
    return found / len(points)


def test_the_yalu_and_tumen_are_drawn_in_the_print_image(bundled_map, monkeypatch):
    """Pixels of water along the border rivers between Dandong and Tumen, and none there
    when the map has no rivers."""
    border = world_basemap(CN_KP).features.set_index(["kind", "country"]).geometry
    line = shapely.line_merge(border[("river", "CN–KP")])
    crossings = [(g.x, g.y) for g in bordermap.load_crossings().geometry]
    points = [
        (point.x, point.y)
        for part in getattr(line, "geoms", [line])
        for point in (part.interpolate(d) for d in np.arange(0, part.length, 0.05))
        # Between Dandong and Tumen, away from the crossings' circles and labels.
        if 124.3 < point.x < 129.9
        and all(abs(point.x - x) > 0.4 or abs(point.y - y) > 0.4 for x, y in crossings)
    ]
    assert len(points) >= 40
    pixels, pixel = _png_and_frame(bundled_map, monkeypatch)
    assert _river_share(pixels, pixel, points) >= 0.75  # labels cover a few
    monkeypatch.setattr(basemap, "rivers_in", lambda *args, **kwargs: [])
    pixels, pixel = _png_and_frame(bundled_map, monkeypatch)
    assert _river_share(pixels, pixel, points) <= 0.1


@pytest.mark.browser
def test_the_page_draws_rivers_under_the_border_and_credits_them(open_html, bundled_map, tmp_path):
    out = tmp_path / "map.html"
    out.write_text(bordermap.to_html(bundled_map, offline=True), encoding="utf-8")
    opened = open_html(out, width=1280, height=800)
    page = opened.page
    page.wait_for_selector("path.bm-basemap-river_border")
    strokes = page.evaluate(
        """[...document.querySelectorAll('.leaflet-bmBasemap-pane path')].map(
            p => [p.getAttribute('class'), p.getAttribute('stroke'),
                  p.getAttribute('stroke-width')])"""
    )
    kinds = [cls.split()[0] for cls, _, _ in strokes]
    rivers = [s for s in strokes if "river" in s[0]]
    assert {cls.split()[0] for cls, _, _ in rivers} == {
        "bm-basemap-river",
        "bm-basemap-river_border",
    }
    assert {stroke for _, stroke, _ in rivers} == {BASEMAP_COLORS["river"]}
    # The band of a border river is wider than the boundary drawn over it, later.
    band = max(float(width) for cls, _, width in rivers if "river_border" in cls)
    border = next(s for s in strokes if "bm-basemap-cn-kp" in s[0] and "boundary" in s[0])
    assert band > float(border[2])
    assert kinds.index("bm-basemap-river_border") < kinds.index("bm-basemap-boundary")
    credit = page.locator(".leaflet-control-attribution").inner_text()
    assert "rivers: GSHHG/WDBII, Wessel & Smith (LGPL)" in credit
    assert not opened.errors and not opened.requests
