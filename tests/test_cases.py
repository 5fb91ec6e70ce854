"""Case layer: compact payload, and in Chromium bins at low zoom, points and popups up close."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import bordermap
from bordermap.describe.case_records import describe_cases
from bordermap.errors import ValidationError
from bordermap.export.outputs import images_bytes, to_html
from bordermap.render.leaflet.case_payload import case_payload, decode_points, decode_records
from bordermap.render.leaflet.page import base_map


def encode_cases(points, **options):
    """What a case layer's page holds: the layer's description, as the renderer writes it."""
    return case_payload(describe_cases(points, **options))


EVIL = '<img src=x onerror="alert(1)"> {{ 7*7 }}'
TOWNS = {"Onsong": (129.99, 42.95), "Sinuiju": (124.40, 40.10), "Hyesan": (128.18, 41.40)}
LONE = (126.50, 41.00)  # one record far from every town: the one the test clicks
LONE_REF = "온성 穩城 <b>" + EVIL  # a unique value: written as UTF-8 text, not a dictionary


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
    table["ref"] = [f"rec-{i}" for i in range(n)]
    lone = {"lon": LONE[0], "lat": LONE[1], "kind": "arrest", "place": EVIL, "ref": LONE_REF}
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
    table["id"] = np.arange(len(table)).astype(str)
    payload = encode_cases(table, precision=precision, popup_fields=["id"])
    assert payload["arrays"]["x"]["type"] == payload["arrays"]["y"]["type"] == kind
    back = decode_records(payload).astype({"id": int}).set_index("id").sort_index()
    for column, metres_per_deg in (("lon", 111_320 * 0.6), ("lat", 111_320)):
        error = np.abs(back[column] - table[column]).max() * metres_per_deg
        assert error <= precision / 2 + 1e-6


# Each record keeps its own precision: rounded to whole steps of it, never finer than needed.
@pytest.mark.parametrize(
    ("precisions", "steps"),
    [
        ([100, 5000], [1, 50]),
        ([250, 1000, 5000], [1, 4, 20]),
        ([300, 1000], [1, 3]),  # 1000 m is 3 steps of 300 m: written at 900 m, not coarser
        ([1000, None], [1, 1]),  # no precision_m: the finest given
        (["100", " "], [1, 1]),  # text from a file; blank is missing
    ],
)
def test_each_record_is_written_at_its_own_precision(precisions, steps):
    rng = np.random.default_rng(1)
    k = len(precisions)
    table = pd.DataFrame(
        {
            "lon": 124 + rng.random(200 * k) * 5,
            "lat": 40 + rng.random(200 * k) * 3,
            "precision_m": np.repeat(np.array(precisions, dtype=object), 200),
            "group": np.repeat(np.arange(k), 200).astype(str),
        }
    )
    payload = encode_cases(table, popup_fields=["group"])
    finest = min(float(p) for p in precisions if p is not None and str(p).strip())
    assert payload["precision_m"] == finest
    back = decode_records(payload)
    for group, multiple in enumerate(steps):
        mine = back[back["group"] == str(group)]
        units = (mine["lat"] - payload["y"]["origin"]) / payload["y"]["step"]
        assert np.allclose(units / multiple, np.rint(units / multiple), atol=1e-6)
    # Every record comes back, each within half of its own step.
    assert sorted(back["group"]) == sorted(table["group"])
    metres = np.repeat([finest * m for m in steps], 200)
    by_group = table.assign(m=metres).sort_values(["group", "lat"]).reset_index(drop=True)
    got = back.sort_values(["group", "lat"]).reset_index(drop=True)
    assert (np.abs(got["lat"] - by_group["lat"]) * 111_320 <= by_group["m"] / 2 + 1e-6).all()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (-5, "precision_m must be a positive number of metres"),
        (0, "precision_m must be a positive number of metres"),
        ("about 1 km", "precision_m must be a positive number of metres"),
        (float("inf"), "precision_m must be a positive number of metres"),
    ],
)
def test_a_bad_precision_names_its_row(value, message):
    table = pd.DataFrame({"lon": [129.9, 124.4], "lat": [42.9, 40.1], "precision_m": [100, value]})
    with pytest.raises(ValidationError, match=message) as info:
        encode_cases(table)
    assert info.value.row == "record 2" and info.value.field == "precision_m"


def test_quantisation_never_overflows():
    """A whole-world layer at a centimetre needs more steps than a Uint32: an error, not a wrap."""
    table = pd.DataFrame({"lon": [-179.0, 179.0], "lat": [-60.0, 60.0]})
    with pytest.raises(ValidationError, match="needs more steps than the map can store") as info:
        encode_cases(table, precision=0.001)
    assert info.value.field == "precision"
    payload = encode_cases(table, precision=10)  # the same records at 10 m fit
    lon, _, _ = decode_points(payload)
    assert sorted(np.round(lon, 3)) == [-179.0, 179.0]


def test_precision_comes_from_the_records_and_bad_input_is_named():
    table = pd.DataFrame({"lon": [129.9, 124.4], "lat": [42.9, 40.1], "precision_m": [5000, 250]})
    assert encode_cases(table)["precision_m"] == 250
    assert encode_cases(table)["coarsest_m"] == 5000
    assert encode_cases(table, precision=10)["precision_m"] == 10
    with pytest.raises(ValidationError, match="column is missing"):
        encode_cases(table, popup_fields=["nope"])
    with pytest.raises(ValidationError, match="no usable coordinates"):
        encode_cases(pd.DataFrame({"lon": [129.9, None], "lat": [42.9, 40.1]}))
    with pytest.raises(ValidationError, match="precision must be a positive number"):
        encode_cases(table, precision=0)


def test_the_payload_is_the_same_bytes_for_the_same_records():
    table = _cases(3000)
    layers = [bordermap.case_layer(table, category="kind", popup_fields=["place"]) for _ in "ab"]
    assert layers[0].payload_json == layers[1].payload_json


def test_records_with_a_category_and_a_date_take_under_six_bytes_each():
    """Category, place and date with each record: the compressed block, base64, per record."""
    rng = np.random.default_rng(5)
    n = 100_000
    table = _cases(n, seed=5).assign(
        date=pd.Timestamp("2019-01-01") + pd.to_timedelta(rng.integers(0, 1800, n + 1), "D"),
        precision_m=rng.choice([100, 1000, 5000], n + 1),
    )
    payload = encode_cases(table, category="kind", popup_fields=["place", "date"])
    assert len(payload["blob"]["b64"]) / len(table) < 6


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
    opened = open_html(path, width=1000, height=700)
    _wait_drawn(opened.page)
    return opened


def _wait_drawn(page) -> None:
    """The records are inflated asynchronously: wait for the layer's first draw."""
    page.wait_for_function("Number(document.querySelector('.folium-map').dataset.bmCasesDrawn) > 0")


def _state(page) -> dict:
    return page.evaluate(
        """() => { const c = document.querySelector('.folium-map');
        return {mode: c.dataset.bmCasesMode, drawn: Number(c.dataset.bmCasesDrawn)}; }"""
    )


def _canvas_pixels(page) -> int:
    return page.evaluate(
        """() => { let lit = 0;
        document.querySelectorAll('.leaflet-bmCases-pane canvas').forEach(c => {
          const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
          for (let i = 3; i < d.length; i += 4) { if (d[i]) lit++; } });
        return lit; }"""
    )


@pytest.mark.browser
def test_bins_at_low_zoom_points_and_popup_up_close(tmp_path, open_html):
    table = _cases()
    opened = _open_map(
        tmp_path,
        open_html,
        table,
        category="kind",
        popup_fields=["place", "kind", "ref"],
        max_points=500,
    )
    page = opened.page
    state = _state(page)
    assert state["mode"] == "bins" and 3 <= state["drawn"] <= 12
    assert _canvas_pixels(page) > 1000
    counts = page.evaluate("() => Object.values(window.bordermapCases)[0].items.map(b => b.count)")
    assert sum(counts) == len(table)  # every record is in a bin, none twice

    legend = page.locator(".bm-case-legend").inner_text()
    for kind, count in table["kind"].value_counts().items():
        assert f"{kind} ({count:,})" in legend
    swatches = page.locator(".bm-case-legend .bm-swatch").count()
    assert swatches == 3

    # A click on a bin zooms in two levels there.
    bin_at = page.evaluate(
        """() => { const l = Object.values(window.bordermapCases)[0];
        const bins = l.items.filter(x => x.count > 1);
        return {x: bins[0].x, y: bins[0].y, zoom: l._map.getZoom()}; }"""
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
    text = popup.inner_text()
    assert EVIL in text and "arrest" in text and "49" not in text
    assert LONE_REF in text  # the unique field, decoded from UTF-8 in the page
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
        bordermap.load_crossings(), bordermap.inputs.bundled_path("events/2023-10-09.csv")
    )
    m = bordermap.crossing_map(joined, tiles=None, cases=_cases(300))
    path = tmp_path / "map.html"
    bordermap.save(m, path, offline=True)
    opened = open_html(path)
    _wait_drawn(opened.page)
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
    _, lats, _ = decode_points(payload)
    assert np.allclose(sorted(lats), [40.10, 42.95], atol=1e-4)
    assert payload["category"]["names"] == ["arrest", "transfer"]
    assert payload["category"]["counts"] == [1, 1]


def test_a_published_map_draws_cells_not_records():
    """publish=True draws counts per cell of 5 or more (tests/test_publish.py has the rest)."""
    m = bordermap.crossing_map(
        bordermap.load_crossings(), tiles=None, cases=_cases(300), publish=True
    )
    payload = case_payload(m.spec.cases)
    assert payload["fields"] == [] and payload["category"] is None
    assert 0 < payload["n"] < 301  # the lone record's cell is left out
    page = to_html(m)
    assert "do not publish" not in page and "onerror" not in page


def test_points_read_back_from_the_payload_as_the_page_reads_them():
    table = _cases(200)
    payload = encode_cases(table, category="kind", popup_fields=["ref"])
    lon, lat, codes = decode_points(payload)
    # Records are stored in Z-order: match them to the table by their unique ref.
    refs = decode_records(payload)["ref"]
    original = table.set_index("ref").loc[refs]
    assert sorted(refs) == sorted(table["ref"])
    assert np.abs(lon - original["lon"].to_numpy()).max() * 111_320 * 0.7 < 100
    assert np.abs(lat - original["lat"].to_numpy()).max() * 111_320 < 100
    names = sorted(table["kind"].unique())
    assert [names[c] for c in codes] == original["kind"].tolist()


def test_images_draw_the_records_and_their_legend():
    table = _cases(1500)
    layer = bordermap.case_layer(table, category="kind")
    m = bordermap.crossing_map(bordermap.load_crossings(), tiles=None, cases=layer)
    svg = images_bytes(m, ["svg"])["svg"].decode()
    assert svg.count("<use ") >= len(table)  # one dot per record
    counts = table["kind"].value_counts()
    for kind, count in counts.items():
        assert f"{kind} ({count:,})" in svg


@pytest.mark.parametrize("suffix", [".gpkg", ".fgb"])
def test_records_read_through_the_arrow_path_draw_as_written(tmp_path, suffix):
    """GeoPackage and FlatGeobuf are read through pyogrio's Arrow path: same values back."""
    import geopandas

    table = _cases(300)
    path = tmp_path / f"cases{suffix}"
    geopandas.GeoDataFrame(
        table.drop(columns=["lon", "lat"]),
        geometry=geopandas.points_from_xy(table["lon"], table["lat"]),
        crs="EPSG:4326",
    ).to_file(path)
    records = bordermap.inputs.read_geodata(path)
    back = decode_records(encode_cases(records, category="kind", popup_fields=["ref", "place"]))
    original = table.set_index("ref").loc[back["ref"]]
    assert back["place"].tolist() == original["place"].tolist()
    assert back["kind"].tolist() == original["kind"].tolist()
    assert np.abs(back["lat"].to_numpy() - original["lat"].to_numpy()).max() * 111_320 <= 50


def _drawn_in(browser, path, *, worker: bool) -> dict:
    """Open a page with or without Web Workers; what its case layers drew, and where."""
    context = browser.new_context(viewport={"width": 1000, "height": 700})
    if not worker:  # a page policy or an old browser: no worker can start
        context.add_init_script("delete window.Worker;")
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(path.resolve().as_uri())
        page.wait_for_function(
            "() => Object.values(window.bordermapCases || {}).length === 2 &&"
            " Object.values(window.bordermapCases).every(l => l.drawn > 0)"
        )
        layers = page.evaluate(
            """() => Object.values(window.bordermapCases).map(l => ({
                inWorker: l.inWorker, mode: l.mode,
                items: l.items.map(b => [Math.round(b.x), Math.round(b.y), b.count || 1]),
                first: l.position(0)}))"""
        )
        return {"layers": layers, "errors": errors}
    finally:
        context.close()


@pytest.mark.browser
def test_records_are_indexed_in_a_worker_and_drawn_the_same_without_one(tmp_path, browser):
    """Two layers share the page's worker; a page where no worker starts indexes the records
    itself and draws exactly the same."""
    m = base_map(None, 1000, 700)
    m.fit_bounds([[39.9, 124.2], [43.1, 130.2]])
    table = _cases(3000)
    bordermap.case_layer(table, category="kind", title="Arrests").add_to(m)
    bordermap.case_layer(table.iloc[::7], title="Transfers", max_points=5000).add_to(m)
    path = tmp_path / "two.html"
    bordermap.save(m, path, offline=True)
    with_worker = _drawn_in(browser, path, worker=True)
    without = _drawn_in(browser, path, worker=False)
    assert with_worker["errors"] == [] and without["errors"] == []
    assert [x["inWorker"] for x in with_worker["layers"]] == [True, True]
    assert [x["inWorker"] for x in without["layers"]] == [False, False]
    assert [x["mode"] for x in with_worker["layers"]] == ["bins", "points"]
    for a, b in zip(with_worker["layers"], without["layers"], strict=True):
        assert a["items"] == b["items"] and a["first"] == b["first"]
    # The first stored record (Z-order) is where the payload says, in both.
    lon, lat, _ = decode_points(encode_cases(table, category="kind"))
    assert with_worker["layers"][0]["first"] == pytest.approx([lat[0], lon[0]])
