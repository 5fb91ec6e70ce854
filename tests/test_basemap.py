"""The offline vector basemap: its data, the script that builds it, and the map that draws it."""

from __future__ import annotations

import importlib.util
import io
import json

import pytest
from PIL import Image
from shapely.geometry import shape

import bordermap
from bordermap.basemap import load_basemap
from bordermap.cli import main
from bordermap.errors import ValidationError
from bordermap.export import map_metadata
from bordermap.io import bundled_path, file_sha256
from bordermap.theme import BASEMAP_COLORS
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
    digest = file_sha256(bundled_path("basemap/region.geojson"))
    assert digest in {i["sha256"] for i in map_metadata(offline)["inputs"]}
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
