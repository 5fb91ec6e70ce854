"""Case layer: compact payload, and in Chromium bins at low zoom, points and popups up close."""

from __future__ import annotations

import base64

import numpy as np
import pandas as pd
import pytest

import bordermap
from bordermap.errors import ValidationError
from bordermap.export import images_bytes, to_html
from bordermap.records import decode_points, encode_cases
from bordermap.render.leaflet.page import base_map

EVIL = '<img src=x onerror="alert(1)"> {{ 7*7 }}'
TOWNS = {"Onsong": (129.99, 42.95), "Sinuiju": (124.40, 40.10), "Hyesan": (128.18, 41.40)}
LONE = (126.50, 41.00)  # one record far from every town: the one the test clicks


def _cases(n: int = 1500, seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    names = list(TOWNS)
    town = rng.integers(0, len(names), n)
    centres = np.array([TOWNS[names[t]] for t in town])
    table = pd.DataFrame(
        {
            "lon": centres[:, 0] + rng.normal(0, 0.03, n),
            "lat": centres[:, 1] + rng.normal(0, 0.03, n),
            "kind": rng.choice(["arrest", "transfer", "testimony"], n),
            "place": [names[t] for t in town],
            "secret": "do not publish",
            "precision_m": 100,
        }
    )
    lone = {"lon": LONE[0], "lat": LONE[1], "kind": "arrest", "place": EVIL}
    return pd.concat([table, pd.DataFrame([lone])], ignore_index=True).assign(precision_m=100)


@pytest.mark.parametrize(
    ("precision", "spread", "kind"),
    [(100, 7.0, "Uint16"), (1000, 7.0, "Uint16"), (0.01, 7.0, "Uint32"), (1, 0.1, "Uint16")],
)
def test_coordinates_are_whole_steps_of_the_precision(precision, spread, kind):
    rng = np.random.default_rng(0)
    table = pd.DataFrame(
        {"lon": 124 + rng.random(500) * spread, "lat": 40 + rng.random(500) * spread / 2}
    )
    payload = encode_cases(table, precision=precision)
    assert payload["x"]["type"] == payload["y"]["type"] == kind
    dtype = {"Uint16": "<u2", "Uint32": "<u4"}[kind]
    for axis, column, metres_per_deg in (("x", "lon", 111_320 * 0.6), ("y", "lat", 111_320)):
        part = payload[axis]
        steps = np.frombuffer(base64.b64decode(part["b64"]), dtype=dtype)
        decoded = part["origin"] + steps * part["step"]
        assert np.abs(decoded - table[column]).max() * metres_per_deg <= precision / 2 + 1e-6


def test_precision_comes_from_the_records_and_bad_input_is_named():
    table = pd.DataFrame({"lon": [129.9, 124.4], "lat": [42.9, 40.1], "precision_m": [5000, 250]})
    assert encode_cases(table)["precision_m"] == 250
    assert encode_cases(table, precision=10)["precision_m"] == 10
    with pytest.raises(ValidationError, match="column is missing"):
        encode_cases(table, popup_fields=["nope"])
    with pytest.raises(ValidationError, match="no usable coordinates"):
        encode_cases(pd.DataFrame({"lon": [129.9, None], "lat": [42.9, 40.1]}))


def test_columns_are_written_once_and_only_those_the_map_uses():
    table = _cases(400)
    m = base_map(None, 800, 600)
    bordermap.case_layer(table, category="kind", popup_fields=["place"]).add_to(m)
    html = m.get_root().render()
    assert "do not publish" not in html  # a column the map does not show is not written
    assert html.count('"Onsong"') == 1  # a repeated value is stored once, with codes
    assert html.count('"transfer"') == 1


def _open_map(tmp_path, open_html, table, **kwargs):
    m = base_map(None, 1000, 700)
    m.fit_bounds([[39.9, 124.2], [43.1, 130.2]])
    bordermap.case_layer(table, **kwargs).add_to(m)
    path = tmp_path / "cases.html"
    bordermap.save(m, path, offline=True)
    return open_html(path, width=1000, height=700)


def _state(page) -> dict:
    return page.evaluate(
        """() => { const c = document.querySelector('.folium-map');
        return {mode: c.dataset.bmCasesMode, drawn: Number(c.dataset.bmCasesDrawn)}; }"""
    )


def _canvas_pixels(page) -> int:
    return page.evaluate(
        """() => { let lit = 0;
        document.querySelectorAll('.leaflet-overlay-pane canvas').forEach(c => {
          const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
          for (let i = 3; i < d.length; i += 4) { if (d[i]) lit++; } });
        return lit; }"""
    )


@pytest.mark.browser
def test_bins_at_low_zoom_points_and_popup_up_close(tmp_path, open_html):
    table = _cases()
    opened = _open_map(
        tmp_path, open_html, table, category="kind", popup_fields=["place", "kind"], max_points=500
    )
    page = opened.page
    state = _state(page)
    assert state["mode"] == "bins" and 3 <= state["drawn"] <= 12
    assert _canvas_pixels(page) > 1000
    counts = page.locator(".bm-case-count span").all_inner_texts()
    assert sum(int(c.replace(",", "")) for c in counts if c) >= len(table) - 12

    legend = page.locator(".bm-case-legend").inner_text()
    for kind, count in table["kind"].value_counts().items():
        assert f"{kind} ({count:,})" in legend
    swatches = page.locator(".bm-case-legend .bm-swatch").count()
    assert swatches == 3

    # A click on a bin zooms in two levels there.
    bin_at = page.evaluate(
        """() => { const l = Object.values(window.bordermapCases)[0];
        const bins = l._group.getLayers().filter(x => x.options.bmCount > 1);
        const p = l._map.latLngToContainerPoint(bins[0].getLatLng());
        return {x: p.x, y: p.y, zoom: l._map.getZoom()}; }"""
    )
    box = page.locator(".folium-map").bounding_box()
    page.mouse.click(box["x"] + bin_at["x"], box["y"] + bin_at["y"])
    # Drawn again at the new zoom once the zoom animation has ended.
    page.wait_for_function(
        f"() => document.querySelector('.folium-map').dataset.bmCasesZoom == {bin_at['zoom'] + 2}"
        " && !Object.values(window.bordermapCases)[0]._map._animatingZoom"
    )

    # Up close on the lone record: it is drawn as a point, and a click shows its fields.
    page.evaluate(
        f"() => {{ const l = Object.values(window.bordermapCases)[0];"
        f" l._map.setView([{LONE[1]}, {LONE[0]}], 14, {{animate: false}}); }}"
    )
    state = _state(page)
    assert state == {"mode": "points", "drawn": 1}
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    popup = page.locator(".bm-case-popup")
    popup.wait_for(timeout=5000)
    assert popup.get_attribute("data-index") == str(len(table) - 1)
    text = popup.inner_text()
    assert EVIL in text and "arrest" in text and "49" not in text
    assert page.locator(".leaflet-popup img").count() == 0
    assert opened.dialogs == [] and opened.errors == [] and opened.requests == []


@pytest.mark.browser
def test_points_at_high_zoom_in_a_dense_town(tmp_path, open_html):
    table = _cases()
    opened = _open_map(tmp_path, open_html, table, category="kind", max_points=500)
    page = opened.page
    lon, lat = TOWNS["Onsong"]
    page.evaluate(
        f"() => {{ Object.values(window.bordermapCases)[0]._map.setView([{lat}, {lon}], 9,"
        " {animate: false}); }"
    )
    state = _state(page)
    in_town = int((table["place"] == "Onsong").sum())
    assert state["mode"] == "bins"  # about 500 records in view: still binned
    page.evaluate(
        f"() => {{ Object.values(window.bordermapCases)[0]._map.setView([{lat}, {lon}], 13,"
        " {animate: false}); }"
    )
    state = _state(page)
    assert state["mode"] == "points" and 0 < state["drawn"] < in_town
    assert _canvas_pixels(page) > 20 * state["drawn"]
    assert opened.errors == [] and opened.requests == []


@pytest.mark.browser
def test_crossing_map_draws_cases(tmp_path, open_html):
    joined = bordermap.join_estimates(
        bordermap.load_crossings(), bordermap.io.bundled_path("events/2023-10-09.csv")
    )
    m = bordermap.crossing_map(joined, tiles=None, cases=_cases(300))
    path = tmp_path / "map.html"
    bordermap.save(m, path, offline=True)
    opened = open_html(path)
    assert _state(opened.page)["drawn"] > 0
    assert "Records" in opened.page.locator(".leaflet-control-layers").inner_text()
    assert opened.errors == [] and opened.requests == []


def test_a_geodataframe_in_any_crs_is_drawn_in_wgs84():
    import geopandas

    points = geopandas.GeoDataFrame(
        {"kind": ["arrest", "transfer"]},
        geometry=geopandas.points_from_xy([129.99, 124.40], [42.95, 40.10]),
        crs="EPSG:4326",
    ).to_crs("EPSG:3857")
    payload = encode_cases(points, category="kind", precision=10)
    steps = np.frombuffer(base64.b64decode(payload["y"]["b64"]), dtype="<u2")
    lats = payload["y"]["origin"] + steps * payload["y"]["step"]
    assert np.allclose(sorted(lats), [40.10, 42.95], atol=1e-4)
    assert payload["category"]["names"] == ["arrest", "transfer"]
    assert payload["category"]["counts"] == [1, 1]


def test_a_published_map_draws_cells_not_records():
    """publish=True draws counts per cell of 5 or more (tests/test_publish.py has the rest)."""
    m = bordermap.crossing_map(
        bordermap.load_crossings(), tiles=None, cases=_cases(300), publish=True
    )
    payload = m.spec.cases.payload
    assert payload["fields"] == [] and payload["category"] is None
    assert 0 < payload["n"] < 301  # the lone record's cell is left out
    page = to_html(m)
    assert "do not publish" not in page and "onerror" not in page


def test_points_read_back_from_the_payload_as_the_page_reads_them():
    table = _cases(200)
    lon, lat, codes = decode_points(encode_cases(table, category="kind"))
    assert np.abs(lon - table["lon"]).max() * 111_320 * 0.7 < 100
    assert np.abs(lat - table["lat"]).max() * 111_320 < 100
    names = sorted(table["kind"].unique())
    assert [names[c] for c in codes] == table["kind"].tolist()


def test_images_draw_the_records_and_their_legend():
    table = _cases(1500)
    layer = bordermap.case_layer(table, category="kind")
    m = bordermap.crossing_map(bordermap.load_crossings(), tiles=None, cases=layer)
    svg = images_bytes(m, ["svg"])["svg"].decode()
    assert svg.count("<use ") >= len(table)  # one dot per record
    counts = table["kind"].value_counts()
    for kind, count in counts.items():
        assert f"{kind} ({count:,})" in svg
