"""The offline vector basemap: how it is built, what it holds, and how the offline map draws it."""

from __future__ import annotations

import importlib.util
import io
import json
import os
from pathlib import Path

import pytest
import shapely
from shapely.geometry import Polygon, shape

import bordermap
from bordermap.basemap import load_basemap
from bordermap.cli import main
from bordermap.layers import load_crossings
from tests.conftest import DATA

ROOT = Path(__file__).resolve().parents[1]
TINY = DATA / "topology_tiny.json"
DOCS_SCREENSHOT = ROOT / "docs" / "basemap-offline.png"
# The crossings sit on the border rivers; Natural Earth 1:10m draws them within ~1 km.
MAX_CROSSING_KM = 3.0


def _build_script():
    spec = importlib.util.spec_from_file_location(
        "build_basemap", ROOT / "scripts" / "build_basemap.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def build():
    return _build_script()


@pytest.fixture(scope="module")
def tiny():
    return json.loads(TINY.read_text())


# ---------------------------------------------------------------- decoding


def test_quantized_delta_encoded_arcs_decode_to_lon_lat(build, tiny):
    arcs = build.decode_arcs(tiny)
    assert arcs[0] == [(122.0, 38.0), (122.0, 39.0), (122.0, 40.0)]
    assert arcs[1] == [(122.0, 40.0), (120.0, 40.0), (120.0, 38.0), (122.0, 38.0)]


@pytest.mark.parametrize(
    ("index", "exterior"),
    [
        (0, [(122, 38), (122, 39), (122, 40), (120, 40), (120, 38), (122, 38)]),
        # ~0 walks the shared arc backwards, then arc 2 round North Korea.
        (1, [(122, 40), (122, 39), (122, 38), (124, 38), (124, 40), (122, 40)]),
    ],
)
def test_polygon_rings_stitch_arcs_in_order(build, tiny, index, exterior):
    geometry = tiny["objects"]["countries"]["geometries"][index]
    polygon = build.geometry_shape(build.decode_arcs(tiny), geometry)
    assert list(polygon.exterior.coords) == [(float(x), float(y)) for x, y in exterior]


def test_tiny_topology_gives_land_boundary_and_coast(build, tiny):
    features = build.region_features(tiny)
    found = {(f["properties"]["kind"], f["properties"]["country"]): f for f in features}
    assert sorted(found) == [
        ("boundary", "CN-KP"),
        ("coast", "CN"),
        ("coast", "KP"),
        ("land", "CN"),
        ("land", "KP"),
    ]  # "Far Away" lies outside the box
    boundary = found[("boundary", "CN-KP")]
    assert boundary["properties"]["cn_kp"] is True
    coordinates = [list(p) for p in boundary["geometry"]["coordinates"]]
    assert coordinates == [[122.0, 38.0], [122.0, 39.0], [122.0, 40.0]]
    assert shape(found[("land", "CN")]["geometry"]).equals(
        Polygon([(120, 38), (122, 38), (122, 40), (120, 40)])
    )
    assert found[("land", "KP")]["properties"]["cn_kp"] is True
    assert found[("coast", "CN")]["properties"]["cn_kp"] is False


def test_land_is_clipped_to_the_box_and_counterclockwise(build, tiny):
    features = build.region_features(tiny, bbox=(121.0, 37.0, 134.0, 46.0))
    land = shape(next(f["geometry"] for f in features if f["properties"]["country"] == "CN"))
    assert land.bounds == (121.0, 38.0, 122.0, 40.0)
    assert all(p.exterior.is_ccw for p in getattr(land, "geoms", [land]))


def test_building_twice_gives_the_same_bytes(build, tiny):
    first = build.geojson_bytes(build.region_features(tiny))
    second = build.geojson_bytes(build.region_features(json.loads(TINY.read_text())))
    assert first == second
    assert json.loads(first)["type"] == "FeatureCollection"


def test_a_tarball_with_another_checksum_is_refused(build, tmp_path):
    fake = tmp_path / "world-atlas-2.0.2.tgz"
    fake.write_bytes(b"not the pinned tarball")
    with pytest.raises(SystemExit, match="sha256"):
        build.verify_sha256(fake)


# ---------------------------------------------------------------- the bundled basemap


@pytest.fixture(scope="module")
def basemap():
    return load_basemap()


def test_bundled_basemap_has_both_countries_and_their_boundary(basemap):
    assert basemap.crs.to_epsg() == 4326
    assert list(basemap.columns) == ["kind", "country", "cn_kp", "geometry"]
    land = basemap[basemap["kind"] == "land"].set_index("country")
    assert {"CN", "KP", "KR", "RU"} <= set(land.index)
    assert land.loc["KP"].geometry.contains(shapely.Point(125.75, 39.03))  # Pyongyang
    assert land.loc["CN"].geometry.contains(shapely.Point(124.38, 40.13))  # Dandong
    boundary = basemap[(basemap["kind"] == "boundary") & basemap["cn_kp"]]
    assert boundary["country"].tolist() == ["CN-KP"]
    assert basemap.geometry.is_valid.all()


def test_bundled_basemap_is_small():
    assert (ROOT / "data" / "basemap" / "region.geojson").stat().st_size < 300_000


def _crossing_distances_km(basemap) -> dict[str, float]:
    line = basemap[(basemap["kind"] == "boundary") & basemap["cn_kp"]]
    crossings = load_crossings()
    # A Lambert equal-area projection centred on the border: distances true to < 0.1 %.
    crs = "+proj=laea +lat_0=41.5 +lon_0=127 +datum=WGS84 +units=m +no_defs"
    border = line.to_crs(crs).geometry.union_all()
    points = crossings.to_crs(crs)
    return {row["id"]: border.distance(row.geometry) / 1000 for _, row in points.iterrows()}


def test_every_bundled_crossing_lies_on_the_cn_kp_boundary(basemap):
    distances = _crossing_distances_km(basemap)
    assert len(distances) >= 5
    far = {k: round(v, 2) for k, v in distances.items() if v > MAX_CROSSING_KM}
    assert far == {}


def test_load_basemap_names_a_missing_file(tmp_path):
    with pytest.raises(bordermap.BordermapError, match="basemap"):
        load_basemap(tmp_path / "missing.geojson")


# ---------------------------------------------------------------- the offline map


@pytest.fixture(scope="module")
def offline_map(tmp_path_factory):
    """`bordermap render --offline -o map.html` on the bundled data."""
    path = tmp_path_factory.mktemp("basemap") / "map.html"
    assert main(["render", "-o", str(path), "--offline"]) == 0
    return path


def _pixel_colours(png: bytes) -> int:
    """How many distinct colours a screenshot has (a blank page has one or two)."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        return len(image.convert("RGB").getcolors(maxcolors=1 << 20) or [])


def offline_screenshot(open_html, html: Path, out: Path) -> tuple[object, bytes]:
    """Open ``html`` offline, wait for basemap and symbols, save a screenshot to ``out``.

    Rerun for the docs picture: ``BORDERMAP_DOCS_SCREENSHOT=1 pytest tests/test_basemap.py``.
    """
    opened = open_html(html, width=1200, height=800)
    opened.page.wait_for_selector("path.bm-basemap-land")
    opened.page.wait_for_selector(".bm-crossing")
    png = opened.page.screenshot(path=str(out))
    return opened, png


@pytest.mark.browser
def test_offline_map_draws_the_basemap_with_no_request(open_html, offline_map, tmp_path):
    opened, png = offline_screenshot(open_html, offline_map, tmp_path / "offline.png")
    page = opened.page
    assert opened.errors == []
    assert opened.requests == []
    assert page.locator("path.bm-basemap-land").count() == 4
    assert page.locator("path.bm-basemap-cn.bm-basemap-land").count() == 1
    boundary = page.locator("path.bm-basemap-boundary.bm-basemap-cn-kp")
    assert boundary.count() == 1
    assert boundary.get_attribute("stroke-dasharray") == "8 4"
    assert float(boundary.evaluate("p => p.getTotalLength()")) > 300
    # Under the overlays, and never catching a click meant for a crossing.
    z = page.evaluate(
        "() => [getComputedStyle(document.querySelector('.leaflet-bordermap-basemap-pane'))"
        ".zIndex, getComputedStyle(document.querySelector('.leaflet-overlay-pane')).zIndex]"
    )
    assert int(z[0]) < int(z[1])
    assert page.locator("path.bm-basemap-land.leaflet-interactive").count() == 0
    assert "Natural Earth" in page.locator(".leaflet-control-attribution").inner_text()
    assert _pixel_colours(png) > 50
    if os.environ.get("BORDERMAP_DOCS_SCREENSHOT"):
        DOCS_SCREENSHOT.write_bytes(png)


@pytest.mark.parametrize(
    ("options", "drawn"),
    [
        ({"tiles": None}, True),
        ({"tiles": None, "basemap": False}, False),
        ({}, False),  # tiles: the tile server is the basemap
    ],
)
def test_basemap_is_drawn_only_without_tiles(options, drawn):
    m = bordermap.crossing_map(load_crossings(), **options)
    assert ("bm-basemap-land" in m.get_root().render()) is drawn


@pytest.mark.parametrize("module", ["bordermap.basemap", "bordermap.render.basemap"])
def test_docstring_examples_run(module):
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0


def test_offline_export_lists_the_basemap_file_and_checksum(offline_map):
    from bordermap.io import file_sha256

    page = offline_map.read_text(encoding="utf-8")
    block = page.split('id="bordermap-metadata">', 1)[1].split("</script>", 1)[0]
    inputs = json.loads(block)["inputs"]
    expected = file_sha256(ROOT / "data" / "basemap" / "region.geojson")
    assert {"file": "region.geojson", "sha256": expected} in inputs


def test_build_from_a_tarball_writes_the_same_files_twice(build, tmp_path):
    import hashlib
    import tarfile

    tarball = tmp_path / "world-atlas-tiny.tgz"
    with tarfile.open(tarball, "w:gz") as archive:
        archive.add(TINY, arcname=build.MEMBER)
    sha256 = hashlib.sha256(tarball.read_bytes()).hexdigest()
    written = []
    for run in ("first", "second"):
        target = build.build(tarball, tmp_path / run, expected_sha256=sha256)
        written.append((target.read_bytes(), (target.parent / "README.md").read_bytes()))
    assert written[0] == written[1]
    kinds = [f["properties"]["kind"] for f in json.loads(written[0][0])["features"]]
    assert kinds == ["land", "land", "boundary", "coast", "coast"]
    assert sha256 in written[0][1].decode()
