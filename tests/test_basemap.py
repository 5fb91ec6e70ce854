"""The offline vector basemap: its data, the script that builds it, and the map that draws it."""

from __future__ import annotations

import importlib.util
import io
import itertools
import json

import numpy as np
import pytest
import shapely
from PIL import Image
from shapely.geometry import LineString, shape

import bordermap
from bordermap import basemap
from bordermap.basemap import label_rank_for, load_basemap, world_basemap
from bordermap.cli import main
from bordermap.errors import ValidationError
from bordermap.export.outputs import map_metadata
from bordermap.inputs import bundled_path, file_sha256
from bordermap.placenames import label_view
from bordermap.theme import BASEMAP_COLORS
from tests.chromium import open_offline
from tests.conftest import ROOT

_SPEC = importlib.util.spec_from_file_location("build_basemap", ROOT / "scripts/build_basemap.py")
build = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(build)

# Two unit squares side by side sharing one edge (arc 1), quantised and delta-encoded.
TOPOLOGY = {
    "type": "Topology",
    "transform": {"scale": [0.5, 0.5], "translate": [124.0, 40.0]},
    "objects": {
        "countries": {
            "type": "GeometryCollection",
            "geometries": [
                {"type": "Polygon", "arcs": [[0, 1]], "properties": {"name": "China"}},
                {"type": "Polygon", "arcs": [[2, -2]], "properties": {"name": "North Korea"}},
            ],
        }
    },
    "arcs": [
        [[2, 0], [-2, 0], [0, 2], [2, 0]],  # China's west side: (125,40)→(124,40)→(124,41)→(125,41)
        [[2, 2], [0, -2]],  # the shared edge: (125,41)→(125,40)
        [[2, 0], [2, 0], [0, 2], [-2, 0]],  # North Korea's east side: (125,40)→(126,40)→…
    ],
}


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))


def test_topojson_arcs_are_decoded_from_deltas():
    arcs = build.decode_arcs(TOPOLOGY)
    assert arcs[0] == [(125.0, 40.0), (124.0, 40.0), (124.0, 41.0), (125.0, 41.0)]
    assert arcs[1] == [(125.0, 41.0), (125.0, 40.0)]


def test_world_file_holds_decoded_polygons_and_arcs_as_wkb(tmp_path):
    """The build decodes the TopoJSON; the file holds WKB that shapely reads as it is."""
    path = tmp_path / "world.npz"
    path.write_bytes(build.world_arrays(TOPOLOGY))
    with np.load(path, allow_pickle=False) as data:
        wkb, offsets = data["wkb"].tobytes(), data["wkb_offsets"].tolist()
        assert data["countries"].tolist() == ["CN", "KP"]
        assert data["polygon_country"].tolist() == [0, 1]
        assert data["line_kind"].tolist() == ["coast", "boundary", "coast"]
        assert data["line_country"].tolist() == ["", "CN–KP", ""]
    china, korea, *arcs = shapely.from_wkb([wkb[a:b] for a, b in itertools.pairwise(offsets)])
    assert china.equals(shapely.box(124, 40, 125, 41))
    assert korea.equals(shapely.box(125, 40, 126, 41))
    assert arcs[1].equals_exact(LineString([(125, 41), (125, 40)]), 0)
    assert path.read_bytes() == build.world_arrays(json.loads(json.dumps(TOPOLOGY)))


def test_world_basemap_draws_what_the_build_wrote(tmp_path, monkeypatch):
    path = tmp_path / "world.npz"
    path.write_bytes(build.world_arrays(TOPOLOGY))
    bundled = basemap.inputs.bundled_path
    monkeypatch.setattr(
        basemap.inputs,
        "bundled_path",
        lambda name: path if name == basemap.WORLD_FILE else bundled(name),
    )
    basemap._world.cache_clear()
    basemap._coarse_world.cache_clear()
    try:
        view = world_basemap((124.2, 40.2, 125.8, 40.8))
    finally:
        basemap._world.cache_clear()
        basemap._coarse_world.cache_clear()
    # Real lakes, rivers and the real coarse world around a made-up one: only what the build
    # wrote.
    features = view.features[~view.features["kind"].isin(["lake", "river", "world"])]
    assert list(zip(features["kind"], features["country"], strict=True)) == [
        ("land", "CN"),
        ("land", "KP"),
        ("boundary", "CN–KP"),
        ("coast", ""),
    ]
    boundary = features.geometry.iloc[2]  # on the view's grid: about a thousandth of it
    assert boundary.hausdorff_distance(LineString([(125, 40), (125, 41)])) < 0.001
    assert set(view.labels.loc[view.labels["kind"] == "country", "name_en"]) == {
        "China",
        "North Korea",
    }


def test_shared_arc_is_the_boundary_and_the_rest_is_coast():
    features = build.region_features(TOPOLOGY)
    kinds = {(f["properties"]["kind"], f["properties"]["country"]) for f in features}
    assert kinds == {
        ("land", "China"),
        ("land", "North Korea"),
        ("boundary", "China – North Korea"),
        ("coast", ""),
    }
    boundary = next(f for f in features if f["properties"]["kind"] == "boundary")
    assert boundary["properties"]["cn_kp"] is True
    assert sorted(map(tuple, boundary["geometry"]["coordinates"])) == [(125.0, 40.0), (125.0, 41.0)]
    china = next(f for f in features if f["properties"]["country"] == "China")
    assert shape(china["geometry"]).bounds == (124.0, 40.0, 125.0, 41.0)


def test_build_output_is_deterministic():
    first = build.to_geojson(build.region_features(TOPOLOGY))
    assert first == build.to_geojson(build.region_features(json.loads(json.dumps(TOPOLOGY))))


def test_bundled_basemap_has_both_countries_and_their_boundary():
    base = load_basemap()
    assert str(base.crs) == "EPSG:4326"
    land = set(base.loc[base["kind"] == "land", "country"])
    assert {"China", "North Korea"} <= land
    assert base.loc[base["kind"].eq("boundary") & base["cn_kp"], "country"].tolist() == [
        "China – North Korea"
    ]
    assert bundled_path("basemap/region.geojson").stat().st_size < 300_000


def test_bundled_basemap_follows_rfc_7946():
    """Lon/lat inside the region, exterior rings counterclockwise, holes clockwise."""
    base = load_basemap()
    west, south, east, north = base.total_bounds
    assert (west, south, east, north) >= (118.0, 37.0, 118.0, 37.0)
    assert (east, north) <= (134.0, 46.0)
    polygons = [p for g in base.loc[base["kind"] == "land"].geometry for p in g.geoms]
    assert polygons and all(p.exterior.is_ccw for p in polygons)
    assert all(not hole.is_ccw for p in polygons for hole in p.interiors)


def test_a_tarball_that_is_not_the_pinned_one_is_refused(tmp_path):
    fake = tmp_path / "world-atlas-2.0.2.tgz"
    fake.write_bytes(b"not the pinned tarball")
    out = tmp_path / "region.geojson"
    with pytest.raises(SystemExit, match="sha256"):
        build.main(["--tarball", str(fake), "--out", str(out)])
    assert not out.exists()


def test_every_crossing_lies_on_the_natural_earth_boundary():
    """A crossing more than a few km from the China–DPRK boundary is in the wrong place."""
    base = load_basemap().to_crs(32652)
    boundary = base.loc[base["kind"].eq("boundary") & base["cn_kp"]].geometry.iloc[0]
    crossings = bordermap.load_crossings().to_crs(32652)
    km = {row["id"]: boundary.distance(row.geometry) / 1000 for _, row in crossings.iterrows()}
    assert max(km.values()) < 2, km


def test_unknown_kind_names_the_file_row_and_value(tmp_path):
    path = tmp_path / "base.geojson"
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"kind": "rivers"},
                        "geometry": {"type": "Point", "coordinates": [125, 41]},
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    with pytest.raises(ValidationError) as info:
        load_basemap(path)
    message = str(info.value)
    assert "base.geojson" in message and "'rivers'" in message and "kind" in message


def test_basemap_only_without_tiles_and_in_the_metadata():
    crossings = bordermap.load_crossings()
    offline = bordermap.crossing_map(crossings, tiles=None)
    names = ("world-10m.npz", "rivers.npz", "lakes.npz", "towns.csv", "town_names.csv.xz")
    digests = {file_sha256(bundled_path(f"basemap/{n}")) for n in names}
    assert digests <= {i["sha256"] for i in map_metadata(offline)["inputs"]}
    assert "bmBasemap" in bordermap.to_html(offline)
    for m in (
        bordermap.crossing_map(crossings, tiles="light"),
        bordermap.crossing_map(crossings, tiles=None, basemap=False),
    ):
        assert "bmBasemap" not in bordermap.to_html(m)


@pytest.mark.browser
def test_offline_map_draws_land_and_the_border(open_html, tmp_path):
    out = tmp_path / "map.html"
    assert main(["render", "--offline", "-o", str(out)]) == 0
    opened = open_html(out)
    page = opened.page
    page.wait_for_selector("path.bm-basemap-land")
    assert page.locator("path.bm-basemap-land").count() >= 4
    assert page.locator("path.bm-basemap-boundary.bm-basemap-cn-kp").count() == 1
    assert page.locator("path.bm-basemap-coast").count() >= 1
    assert "Natural Earth" in page.locator(".leaflet-control-attribution").inner_text()
    # Under the overlays: the basemap pane is below Leaflet's overlay pane.
    z = page.evaluate(
        "[getComputedStyle(document.querySelector('.leaflet-bmBasemap-pane')).zIndex,"
        " getComputedStyle(document.querySelector('.leaflet-overlay-pane')).zIndex]"
    )
    assert int(z[0]) < int(z[1])
    # Nothing in it catches a click meant for a crossing.
    assert page.locator(".bm-basemap-land.leaflet-interactive").count() == 0
    png = page.screenshot()
    colours = Image.open(io.BytesIO(png)).convert("RGB").getcolors(1 << 20)
    seen = {rgb for _, rgb in colours}
    drawn = {_rgb(BASEMAP_COLORS[k]) for k in ("sea", "land_cn_kp", "land_kp")}
    assert drawn <= seen, "sea, China and North Korea each in their colour"
    assert not opened.errors and not opened.requests and not opened.dialogs


# --- The world basemap, clipped to any view ------------------------------------------------

US_MEXICO = (-117.1, 31.3, -106.4, 32.6)  # San Ysidro to El Paso
CN_KP = (124.3, 40.1, 130.7, 43.0)  # the bundled crossings


@pytest.fixture(scope="module")
def us_mexico():
    return world_basemap(US_MEXICO)


def test_any_region_gets_land_boundary_and_coast(us_mexico):
    kinds = dict(zip(us_mexico.features["kind"], us_mexico.features["country"], strict=False))
    kinds_drawn = {"world", "land", "lake", "river", "boundary", "coast"}
    assert set(us_mexico.features["kind"]) == kinds_drawn
    land = set(us_mexico.features.loc[us_mexico.features["kind"] == "land", "country"])
    assert land == {"MX", "US"} and kinds["boundary"] == "MX–US"


def test_world_basemap_lands_in_the_right_place(us_mexico):
    # The Paso del Norte bridge and the San Ysidro port lie on the Mexico–US boundary.
    boundary = us_mexico.features.loc[us_mexico.features["kind"] == "boundary"].geometry.iloc[0]
    ports = bordermap.load_crossings(ROOT / "tests/data/us_mexico/crossings.geojson")
    for ident in ("paso-del-norte", "san-ysidro-tijuana"):
        point = ports.set_index("id").geometry[ident]
        assert boundary.distance(point) < 0.03  # degrees: about 3 km
    el_paso_land = us_mexico.features.set_index("country").geometry["US"]
    assert el_paso_land.contains(shape({"type": "Point", "coordinates": [-106.44, 31.78]}))


@pytest.mark.parametrize(
    ("lang", "names"),
    [("en", {"Mexico", "United States"}), ("ko", {"멕시코", "미국"}), ("zh", {"墨西哥", "美国"})],
)
def test_country_names_come_from_cldr_in_each_language(us_mexico, lang, names):
    countries = us_mexico.labels[us_mexico.labels["kind"] == "country"]
    assert set(countries[f"name_{lang}"]) == names


def test_labels_lie_in_the_view_and_towns_are_ranked(us_mexico):
    west, south, east, north = label_view(US_MEXICO, us_mexico.bounds)
    labels = us_mexico.labels
    assert labels["lon"].between(west, east).all() and labels["lat"].between(south, north).all()
    towns = set(labels.loc[labels["kind"] == "town", "name_en"])
    assert {"Juárez", "Mexicali", "Tucson", "San Diego"} <= towns
    assert "GeoNames" in us_mexico.credit and "Natural Earth" in us_mexico.credit


def test_fewer_towns_are_labelled_at_small_scales():
    continent = world_basemap((-125, 15, -65, 50))
    ranks = continent.labels.loc[continent.labels["kind"] == "town", "rank"]
    assert len(ranks) and ranks.max() <= label_rank_for((-125, 15, -65, 50)) + 1 == 3
    assert "Nogales" not in set(continent.labels["name_en"])


@pytest.mark.parametrize("bounds", [US_MEXICO, CN_KP], ids=["us-mexico", "china-north-korea"])
def test_a_border_regions_basemap_is_small(bounds):
    view = world_basemap(bounds)
    assert len(json.dumps(view.geojson(), separators=(",", ":"))) <= 150_000
    assert view.bounds[0] < bounds[0] and view.bounds[2] > bounds[2]  # a margin around


def test_the_credit_names_only_what_is_drawn():
    open_sea = world_basemap((-140.0, -40.0, -139.0, -39.0))  # South Pacific
    # Only the coarse world beyond it (Natural Earth's, so credited): no town, no detail.
    assert set(open_sea.features["kind"]) == {"world"} and open_sea.labels.empty
    assert open_sea.credit == "Natural Earth (public domain)"
    empty_land = world_basemap((23.0, 22.0, 24.0, 23.0))  # Libyan desert: land, no town
    assert empty_land.credit == "Natural Earth (public domain)"


@pytest.mark.parametrize(
    ("bounds", "message"),
    [
        ((1, 2, 3), "bounds are not four numbers"),
        (("a", 0, 1, 1), "bounds are not four numbers"),
        ((10, 0, 5, 1), "not a box in degrees"),
        ((0, 0, 1, float("nan")), "not a box in degrees"),
        ((0, -95, 1, 1), "not a box in degrees"),
        ((1e6, 4e6, 2e6, 5e6), "not a box in degrees"),  # metres
    ],
)
def test_bad_bounds_are_errors(bounds, message):
    with pytest.raises(ValidationError, match=message):
        world_basemap(bounds)


def test_iso_codes_come_from_the_numeric_id_or_the_english_name():
    topology = json.loads(json.dumps(TOPOLOGY))
    topology["objects"]["countries"]["geometries"][0]["id"] = "156"
    assert build.iso_codes(topology) == {0: "CN", 1: "KP"}


def test_towns_are_read_from_the_packages_protobuf_and_ranked():
    def varint(n):
        out = b""
        while True:
            byte, n = n & 0x7F, n >> 7
            out += bytes([byte | (0x80 if n else 0)])
            if not n:
                return out

    def field(tag, wire, payload):
        return varint(tag << 3 | wire) + payload

    def city(name, country, population, dlon, dlat, feature="PPL"):
        body = (
            field(2, 2, varint(len(name.encode())) + name.encode())
            + field(3, 2, varint(2) + country.encode())
            + field(7, 2, varint(len(feature)) + feature.encode())
            + field(9, 0, varint(population))
            + field(10, 0, varint((dlon << 1) ^ (dlon >> 63)))
            + field(11, 0, varint((dlat << 1) ^ (dlat >> 63)))
        )
        return varint(len(body)) + body

    data = (
        city("Tijuana", "MX", 1_300_983, -11700400, 3250300)
        + city("Juárez", "MX", 1_321_004, 1054300, -78300)
        # A district of Mexico City (a section, PPLX) is left out; the capital is marked.
        + city("Iztapalapa", "MX", 1_820_888, 1738200, -1212400, "PPLX")
        + city("Mexico City", "MX", 12_294_193, -5000, 2100, "PPLC")
    )
    cities = build.read_cities(data)
    assert [(c["name"], c["lon"], c["lat"]) for c in cities[:2]] == [
        ("Tijuana", -117.004, 32.503),
        ("Juárez", -106.461, 31.72),
    ]
    assert build.towns_csv(cities).splitlines() == [
        "name,country,lon,lat,population,rank,capital",
        '"Mexico City",MX,-89.129,19.617,12294193,1,1',
        '"Juárez",MX,-106.461,31.720,1321004,2,0',
        '"Tijuana",MX,-117.004,32.503,1300983,2,0',
    ]


def test_past_the_detail_a_country_set_apart_keeps_its_tone():
    # China is filled apart (theme.land_fill): the coarse world past the detailed area
    # carries it in the same tone, so no seam shows where the detail ends.
    from bordermap.render.leaflet.backdrop import VectorBasemap

    view = world_basemap((124.2, 40.2, 125.8, 40.8))
    data = json.loads(VectorBasemap(view).geojson_json)
    fills = {
        f["properties"]["country"]: f["properties"]["fill"]
        for f in data["features"]
        if f["properties"]["kind"] == "world"
    }
    assert fills == {
        "": BASEMAP_COLORS["land"],
        "CN": BASEMAP_COLORS["land_cn_kp"],
        "KP": BASEMAP_COLORS["land_kp"],
    }
    world = view.features[view.features["kind"] == "world"].set_index("country").geometry
    beijing = shapely.Point(116.4, 39.9)  # past the detailed area, in China
    assert world["CN"].contains(beijing) and world[""].contains(beijing)


# --- Where the detail ends: land runs on into the coarse world ---------------------------

# Only the basemap's land: no line, lake, label, symbol or panel over the clip edge.
_LAND_ONLY = (
    ".bm-basemap-boundary, .bm-basemap-coast, .bm-basemap-river, .bm-basemap-river_border,"
    " .bm-basemap-lake, .bm-basemap-province, .leaflet-overlay-pane, .leaflet-marker-pane,"
    " .leaflet-tooltip-pane, .leaflet-shadow-pane, .leaflet-control-container"
    " { display: none !important; }"
)

# The detailed area's edge in the page's pixels at its zoom (screen x, y of its corners).
_EDGE_JS = """([w, s, e, n]) => {
  const map = Object.values(window).find((v) => v instanceof L.Map);
  const box = map.getContainer().getBoundingClientRect();
  const at = (lat, lon) => {
    const p = map.latLngToContainerPoint([lat, lon]);
    return [p.x + box.left, p.y + box.top];
  };
  return {corners: [at(s, w), at(n, w), at(n, e), at(s, e)], zoom: map.getZoom()};
}"""


def _along_edge(shot: Image.Image, corners: list, scale: float) -> list[np.ndarray]:
    """For each side of the rectangle, the pixels across it (4 px each way) at each point
    along it that is in view: an array (points, 9, RGB) per side."""
    pixels = np.asarray(shot.convert("RGB")).astype(float)
    height, width = pixels.shape[:2]
    sides = []
    for (x0, y0), (x1, y1) in itertools.pairwise([*corners, corners[0]]):
        x0, y0, x1, y1 = (v * scale for v in (x0, y0, x1, y1))
        vertical = abs(x1 - x0) < abs(y1 - y0)
        steps = int(max(abs(x1 - x0), abs(y1 - y0))) + 1
        across = []
        for k in range(steps + 1):
            x, y = round(x0 + (x1 - x0) * k / steps), round(y0 + (y1 - y0) * k / steps)
            points = [(x + d, y) if vertical else (x, y + d) for d in range(-4, 5)]
            if all(0 <= px < width and 0 <= py < height for px, py in points):
                across.append([pixels[py, px] for px, py in points])
        sides.append(np.array(across).reshape(-1, 9, 3))
    return sides


@pytest.mark.browser
@pytest.mark.parametrize("screen", [(390, 844, 1), (1280, 800, 1), (1280, 800, 1.5)])
def test_land_runs_on_across_the_detailed_areas_edge(browser, tmp_path, screen):
    # Issue 20: at the edge of the detailed basemap the coarse world began a little further
    # out (cut on its own 0.25° grid) and had slivers of sea along borders, so thin strips
    # of sea showed on land; on a screen of 1.5 device pixels per CSS pixel, where the two
    # layers only met, a hairline of sea showed through their anti-aliased edges. Russia–
    # Ukraine at Sudzha is land for degrees around: at the opening zoom and three zooms out,
    # no pixel along the edge is the sea's colour, and no side of it is tinted towards it.
    width, height, scale = screen
    folder = ROOT / "tests/data/gallery/russia-ukraine"
    joined = bordermap.join_estimates(
        bordermap.load_crossings(folder / "crossings.geojson"),
        bordermap.read_estimates(folder / "estimates.csv"),
    )
    m = bordermap.crossing_map(joined, tiles=None)
    detailed = world_basemap(m.spec.basemap_area, margin=1.0).bounds  # as the page draws it
    page_path = bordermap.save(m, tmp_path / "map.html", offline=True)
    context, page, refused = open_offline(browser, page_path, width, height, scale=scale)
    sea, land = np.array(_rgb(BASEMAP_COLORS["sea"])), np.array(_rgb(BASEMAP_COLORS["land"]))
    try:
        page.add_style_tag(content=_LAND_ONLY)
        start = page.evaluate(_EDGE_JS, list(detailed))["zoom"]
        looked = []
        for out in range(4):
            page.evaluate(
                "(z) => Object.values(window).find((v) => v instanceof L.Map)"
                ".setZoom(z, {animate: false})",
                start - out,
            )
            page.wait_for_timeout(200)
            edge = page.evaluate(_EDGE_JS, list(detailed))
            sides = _along_edge(Image.open(io.BytesIO(page.screenshot())), edge["corners"], scale)
            looked.append(sum(len(side) for side in sides))
            at = f"at zoom {edge['zoom']:.1f}"
            for side in sides:
                nearer_sea = np.abs(side - sea).sum(axis=2) < np.abs(side - land).sum(axis=2)
                assert not nearer_sea.any(), f"sea on land along the detail's edge {at}"
                # Towards the sea: blue over red more than the land's, by a tenth of the way.
                tint = (side[..., 2] - side[..., 0]) - (land[2] - land[0])
                tinted = (tint > (sea[2] - sea[0] - land[2] + land[0]) / 10).any(axis=1)
                # Where a border between two countries meets the edge, a few points may be.
                assert tinted.sum() <= max(8, len(side) // 10), f"a hairline of sea {at}"
        # The edge was in view from a zoom out (100 px along it at least).
        assert all(count > 100 for count in looked[1:]), looked
    finally:
        context.close()
    assert not refused


def test_the_coarse_world_meets_the_detail_and_has_no_sea_along_borders():
    # Sudzha: land for degrees around. The coarse world and the detailed land together
    # cover the whole neighbourhood (the coarse one was cut on its 0.25° grid, leaving sea
    # between them), and the coarse one runs on under the detail along its edge.
    view = world_basemap((35.2, 50.6, 35.4, 51.0), margin=1.0)
    features = view.features
    world = features.loc[(features["kind"] == "world") & (features["country"] == ""), "geometry"]
    land = shapely.union_all(features.loc[features["kind"] == "land", "geometry"].to_numpy())
    west, south, east, north = view.bounds
    around = shapely.box(west - 0.5, south - 0.5, east + 0.5, north + 0.5)
    assert shapely.difference(around, shapely.union(world.iloc[0], land)).area == 0
    assert shapely.intersection(world.iloc[0], land).area > 0
    # Past any detail, the coarse world is land all along the land borders of Nepal and
    # Ukraine: each country simplified apart, their edges parted there into slivers of sea.
    coarse = basemap._coarse_world()
    lines = basemap._world().lines[np.isin(basemap._world().line_country, ["IN–NP", "RU–UA"])]
    points = shapely.line_interpolate_point(lines, np.linspace(0, 1, 200)[:, None]).ravel()
    assert shapely.contains(coarse, points).all()
