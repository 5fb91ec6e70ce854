"""Publishing safely: canary strings planted in every non-allow-listed field reach no output."""

from __future__ import annotations

import io
import json
import re

import geopandas as gpd
import pytest
from pyproj import Geod

import bordermap
from bordermap.cli import main
from bordermap.errors import ExportError, ValidationError
from bordermap.export.outputs import to_html
from bordermap.model.disclosure import aggregate_cases
from bordermap.model.publish import (
    ALLOWED_FIELDS,
    GRID_DEG,
    generalise_point,
    prepare_for_publication,
)
from bordermap.model.sensitivity import columns_named
from bordermap.render.leaflet.markup import popup_html

from .conftest import DATA

FIXTURES = DATA / "publish"
CROSSINGS = FIXTURES / "crossings.geojson"
FACILITIES = FIXTURES / "facilities.geojson"
ESTIMATES = FIXTURES / "estimates.csv"
ROUTES = FIXTURES / "routes.csv"
CASES = FIXTURES / "cases.csv"  # 12 records in one 0.1° cell, 3 in another
GEOD = Geod(ellps="WGS84")


#: Allow-listed fields that name or cite a place: on a restricted feature, canaries too.
IDENTIFYING = ("id", "name_en", "name_ko", "name_zh", "label_en", "label_ko", "label_zh")
IDENTIFYING += ("cn_pinyin", "kp_en", "source", "url")


def _restricted_features() -> list[dict]:
    features = []
    for path in (CROSSINGS, FACILITIES):
        for feature in json.loads(path.read_text(encoding="utf-8"))["features"]:
            props = feature["properties"]
            keys = columns_named(props, "sensitivity")
            if any(props[k].strip().lower() == "restricted" for k in keys):
                features.append(feature)
    return features


def _canaries() -> set[str]:
    """Every CANARY-… token in the fixtures; the exact coordinates, ids, names, sources and
    URLs of restricted features."""
    tokens = set()
    for path in (CROSSINGS, FACILITIES, ESTIMATES, ROUTES, CASES):
        tokens |= set(re.findall(r"CANARY-[a-z-]+-[0-9a-f]{4}", path.read_text(encoding="utf-8")))
    # Every case record's exact place, as written.
    for line in CASES.read_text(encoding="utf-8").splitlines()[1:]:
        tokens |= set(line.split(",")[:2])
    for feature in _restricted_features():
        lon, lat = feature["geometry"]["coordinates"]
        # As written, and to 4 decimals (how far a careless export might round).
        tokens |= {str(lat), str(lon), f"{lat:.4f}", f"{lon:.4f}"}
        tokens |= {feature["properties"][k] for k in IDENTIFYING if k in feature["properties"]}
    return tokens


CANARIES = _canaries()
RESTRICTED = {
    f["id"]: tuple(reversed(f["geometry"]["coordinates"])) for f in _restricted_features()
}


@pytest.fixture(scope="module")
def layers():
    crossings = bordermap.load_crossings(CROSSINGS)
    facilities = bordermap.load_facilities(FACILITIES)
    joined = bordermap.join_estimates(crossings, bordermap.read_estimates(ESTIMATES))
    return joined, facilities


@pytest.fixture(scope="module")
def published(layers):
    joined, facilities = layers
    cases = bordermap.inputs.read_geodata(CASES)
    return bordermap.crossing_map(
        joined, facilities, tiles=None, routes=ROUTES, publish=True, cases=cases
    )


@pytest.fixture(scope="module")
def analyst(layers):
    joined, facilities = layers
    return bordermap.crossing_map(joined, facilities, tiles=None, routes=ROUTES)


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return str(reader.metadata) + "".join(page.extract_text() for page in reader.pages)


def _png_text(data: bytes) -> str:
    from PIL import Image

    return str(Image.open(io.BytesIO(data)).info) + data.decode("latin-1")


def _html(m, tmp_path) -> str:
    return bordermap.save(m, tmp_path / "map.html", offline=True).read_text(encoding="utf-8")


def _geojson(m, tmp_path, layers) -> str:
    # A map is shared as its layers: the joined crossings and the facilities.
    joined, facilities = layers
    publish = m.spec.published
    bordermap.to_geojson(joined, tmp_path / "c.geojson", publish=publish)
    bordermap.to_geojson(facilities, tmp_path / "f.geojson", publish=publish)
    return (tmp_path / "c.geojson").read_text() + (tmp_path / "f.geojson").read_text()


def _image(fmt: str, read):
    def write(m, tmp_path, layers) -> str:
        return read(bordermap.to_image(m, tmp_path / f"map.{fmt}").read_bytes())

    return write


# Each published format: how to write it from a map and read back its text. Adding a
# format is one entry here.
OUTPUTS = {
    "html": lambda m, tmp_path, layers: _html(m, tmp_path),
    "geojson": _geojson,
    "svg": _image("svg", lambda data: data.decode("utf-8")),
    "pdf": _image("pdf", _pdf_text),
    "png": _image("png", _png_text),
}


def test_the_fixtures_hold_canaries():
    assert len([c for c in CANARIES if c.startswith("CANARY-")]) == 23 + 30
    assert set(RESTRICTED) == {"dandong-sinuiju", "safe-house-1", "safe-house-2"}


@pytest.mark.parametrize("fmt", list(OUTPUTS))
def test_no_canary_in_published_output(fmt, published, layers, tmp_path):
    text = OUTPUTS[fmt](published, tmp_path, layers)
    leaked = sorted(c for c in CANARIES if c in text)
    assert leaked == []
    assert "Tumen → Onsong" in text or fmt in ("pdf", "png")  # the map itself is there


@pytest.mark.parametrize("fmt", ["html", "geojson"])
def test_the_analysts_own_output_still_has_the_canaries(fmt, analyst, layers, tmp_path):
    """Without publish the same writers keep them: the published test can fail."""
    text = OUTPUTS[fmt](analyst, tmp_path, layers)
    assert "CANARY-restricted-site-91d0" in text
    assert "CANARY-estimate-notes-1d2e" in text
    assert "42.987654" in text


def test_publish_false_leaves_the_analysts_map_unchanged(layers):
    joined, facilities = layers
    # Fresh maps: folium's LayerControl adds to the page each time a map is rendered.
    before = bordermap.crossing_map(joined, facilities, tiles=None)
    again = bordermap.crossing_map(joined, facilities, tiles=None, publish=False)
    assert to_html(again) == to_html(before)
    assert again.audit is None


def test_the_published_page_says_how_many_places_were_generalised(published, analyst):
    page = to_html(published)
    assert "3 locations generalised to city level" in page
    assert "generalised" not in to_html(analyst)
    # The generalised crossing is drawn with a ring as wide as its cell's uncertainty.
    dandong = next(s for s in published.spec.symbols if s.id == "restricted-crossing-1")
    assert (dandong.lat, dandong.lon) == (40.15, 124.35) and dandong.halo_m >= 7000
    # Its figure keeps its source; the withheld route source leaves no empty entry.
    sources = [source.name for source in published.spec.credit.sources]
    assert sources == ["TJWG press release", "Daily NK"]
    # The audit stays with the map object, out of the page and its metadata.
    assert "safe_house" not in page
    meta = json.loads(page.split('id="bordermap-metadata">')[1].split("</script>")[0])
    assert all(i["file"] is None for i in meta["inputs"])
    assert all(len(i["sha256"]) == 64 for i in meta["inputs"])


def test_the_audit_lists_every_change(published):
    audit = published.audit
    changes = {(c.layer, c.feature, c.field, c.action) for c in audit.changes}
    for path, layer in ((CROSSINGS, "crossings"), (FACILITIES, "facilities")):
        for feature in json.loads(path.read_text(encoding="utf-8"))["features"]:
            for field, value in feature["properties"].items():
                if isinstance(value, str) and "CANARY" in value:
                    action = "removed" if field not in ALLOWED_FIELDS[layer] else "cleared"
                    assert (layer, feature["id"], field, action) in changes
    route = "tumen-onsong/from/safe-house-1"
    assert {("routes", route, "notes", "removed"), ("routes", route, "informant", "removed")} <= (
        changes
    )
    assert ("estimates", "tumen-onsong row 2", "notes", "removed") in changes
    assert ("estimates", "tumen-onsong row 4", "*", "dropped") in changes
    # The cell of 3 case records near Dandong is left out; the records' fields are removed.
    assert ("cases", "cell 40.15,124.35", "*", "dropped") in changes
    assert {("cases", "*", f, "removed") for f in ("kind", "name", "notes")} <= changes
    moved = {c.feature: c.km for c in audit.changes if c.action == "generalised"}
    assert set(moved) == set(RESTRICTED)
    assert audit.summary() == (
        "publish: 39 values removed, 3 locations generalised to city level, "
        "2 features or rows left out"
    )
    html = audit._repr_html_()
    # The audit is the analyst's: it names the original ids, never a removed value.
    assert "<table>" in html and "safe-house-1" in html
    assert not any(c in html for c in CANARIES if c.startswith("CANARY-"))


def test_case_records_are_published_as_cells_of_at_least_k(published):
    """Statistical disclosure control: no single record, no cell under k, no field."""
    from bordermap.render.leaflet.case_payload import case_payload

    payload = case_payload(published.spec.cases)
    assert payload["n"] == 12 and payload["fields"] == [] and payload["category"] is None
    assert payload["precision_m"] >= 7000  # the cell, not the records' own precision


@pytest.mark.parametrize(("k", "kept"), [(1, 15), (5, 12), (12, 12), (13, 0)])
def test_k_is_the_fewest_records_a_published_cell_holds(k, kept):
    cells, audit = aggregate_cases(bordermap.inputs.read_geodata(CASES), k=k)
    assert len(cells) == kept
    places = set(zip(cells["lat"], cells["lon"], strict=True))
    assert places <= {(42.95, 129.85), (40.15, 124.35)}
    assert audit.dropped == 2 - len(places)


@pytest.mark.parametrize("k", [0, -1, 2.5, True, "5"])
def test_k_must_be_a_whole_number_of_records(k):
    with pytest.raises(ValidationError, match="k must be a whole number"):
        aggregate_cases(bordermap.inputs.read_geodata(CASES), k=k)


def test_a_prepared_case_layer_cannot_be_published(layers):
    joined, facilities = layers
    layer = bordermap.case_layer(bordermap.inputs.read_geodata(CASES), category="kind")
    with pytest.raises(ValidationError, match="cannot vouch for a prepared case layer"):
        bordermap.crossing_map(joined, facilities, tiles=None, publish=True, cases=layer)


@pytest.mark.parametrize("publish", [False, True])
def test_the_time_map_has_a_publish_mode(layers, publish):
    crossings = bordermap.load_crossings(CROSSINGS)
    series = bordermap.join_estimates(crossings, bordermap.read_estimates(ESTIMATES), "all")
    if publish:  # the restricted estimate row is left out before joining, as the CLI does
        table, _ = prepare_for_publication(bordermap.read_estimates(ESTIMATES), kind="estimates")
        series = bordermap.join_estimates(crossings, table, "all")
    m = bordermap.timeline_map(series, layers[1], tiles=None, publish=publish)
    page = to_html(m)
    leaked = sorted(c for c in CANARIES if c in page)
    if publish:
        assert leaked == [] and "3 locations generalised to city level" in page
        assert "restricted crossing 1" in page and m.audit.generalised == 3
    else:  # the same page unpublished shows them: the check above can fail
        assert "CANARY-restricted-site-91d0" in leaked and "safe-house-1" in leaked


def test_restricted_points_move_to_their_cell_centre(layers):
    clean, audit = prepare_for_publication(layers[1], kind="facilities")
    moved = {c.feature: c.km for c in audit.changes if c.action == "generalised"}
    published = {"safe-house-1": "restricted-site-1", "safe-house-2": "restricted-site-2"}
    rows = clean.set_index("id")
    for original, new_id in published.items():
        row = rows.loc[new_id]
        lat, lon = RESTRICTED[original]
        centre = generalise_point(lat, lon)
        assert (row.geometry.y, row.geometry.x) == centre
        km = GEOD.inv(lon, lat, centre[1], centre[0])[2] / 1000
        assert moved[original] == pytest.approx(km, abs=0.001)
        # Never further than a cell's half diagonal; the ring drawn covers the original.
        assert km <= GEOD.inv(0, 42.9, GRID_DEG / 2, 42.9 + GRID_DEG / 2)[2] / 1000
        assert row["precision"] == "city" and row["precision_m"] >= km * 1000
        assert row["coord_source"] == ""
    # Two shelters far apart inside one cell are published at the same place.
    assert rows.geometry["restricted-site-1"].equals(rows.geometry["restricted-site-2"])
    assert moved["safe-house-1"] > 4 and moved["safe-house-2"] > 4


@pytest.mark.parametrize(
    ("new_id", "expected"),
    [
        # No public_* columns: a neutral label in each language, no source, no URL.
        (
            "restricted-site-1",
            {
                "name_en": "restricted site 1",
                "name_ko": "비공개 장소 1",
                "name_zh": "不公开地点 1",
                "source": "",
                "url": "",
                "kind": "shelter",
            },
        ),
        # Its own "Public Name", public_source and public_url stand in for its own.
        (
            "restricted-site-2",
            {
                "name_en": "Shelter in Tumen county",
                "name_ko": "Shelter in Tumen county",
                "source": "Human Rights Watch",
                "url": "https://www.hrw.org/news/2024/05/08",
            },
        ),
    ],
)
def test_a_restricted_feature_shows_only_its_public_label_source_and_url(layers, new_id, expected):
    clean, _ = prepare_for_publication(layers[1], kind="facilities")
    row = clean.set_index("id").loc[new_id]
    assert {key: row[key] for key in expected} == expected


SPELLINGS = [
    "Sensitivity",
    "sensitivity ",
    "SENSITIVITY",
    "sensitivit",
    "SENSITIVIT",
    "Sensitivity\u200b",  # a zero-width space copied in with the name
]


@pytest.mark.parametrize("column", SPELLINGS)
def test_the_sensitivity_column_is_found_however_it_is_spelled(layers, column):
    facilities = layers[1].drop(columns="sensitivity")
    facilities[column] = ["", " RESTRICTED ", "restricted"]
    clean, audit = prepare_for_publication(facilities, kind="facilities")
    assert audit.generalised == 2
    assert column not in clean.columns
    assert not any(str(v) in clean.to_json() for v in ("safe-house-1", "Shelter A", "42.987654"))


# The Shapefile driver warns that it cuts the name: that cut is what is tested.
@pytest.mark.filterwarnings("ignore:.*(truncated|laundered)")
@pytest.mark.parametrize(
    ("driver", "suffix", "column"),
    [("ESRI Shapefile", ".shp", "sensitivity"), ("GPKG", ".gpkg", "SENSITIVITY")],
)
def test_restricted_sites_written_by_a_gis_stay_restricted(
    layers, tmp_path, driver, suffix, column
):
    """A Shapefile cuts the name to 'sensitivit'; a GeoPackage keeps upper case."""
    facilities = layers[1].drop(columns="sensitivity")
    facilities[column] = ["", "restricted", "restricted"]
    path = tmp_path / f"sites{suffix}"
    facilities[["id", "name_en", "country", "kind", column, "geometry"]].to_file(
        path, driver=driver, engine="pyogrio"
    )
    out = tmp_path / "public.geojson"
    bordermap.to_geojson(bordermap.load_facilities(path), out)
    text = out.read_text(encoding="utf-8")
    assert "restricted-site-2" in text
    assert not any(c in text for c in ("safe-house", "Shelter", "42.9876", "129.8123"))


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"sensitivity": "secret"}, "unknown sensitivity"),
        ({"sensitivity": True}, "unknown sensitivity"),
        ({"sensitivity": "public", "SENSITIVITY": "restricted"}, "disagree"),
    ],
)
def test_unclear_sensitivity_is_an_error(layers, values, message):
    facilities = layers[1].drop(columns="sensitivity")
    for column, value in values.items():
        facilities[column] = ["", value, ""]
    with pytest.raises(ValidationError, match=message):
        prepare_for_publication(facilities, kind="facilities")


def test_routes_to_a_restricted_place_end_at_its_published_point(published):
    shelter = generalise_point(*RESTRICTED["safe-house-1"])
    route = next(r for r in published.spec.routes if r.from_facility)
    assert route.from_facility == "restricted-site-1" and route.id == "restricted-route-1"
    assert route.coords[0] == pytest.approx(shelter)
    assert route.source.name == "" and "restricted site 1" in popup_html(route.popup)


def test_drop_leaves_restricted_features_out(layers):
    joined, facilities = layers
    m = bordermap.crossing_map(joined, facilities, tiles=None, routes=ROUTES, publish="drop")
    ids = {s.id for s in m.spec.symbols}
    assert ids == {"tumen-onsong", "tumen-border-detention"}
    assert "3 restricted locations not shown" in to_html(m)
    # Three places, one estimate row and the route from the dropped shelter.
    assert m.audit.dropped == 5
    assert [r.from_facility for r in m.spec.routes] == ["tumen-border-detention"]


def test_estimates_table_keeps_only_allowed_fields():
    clean, audit = prepare_for_publication(bordermap.read_estimates(ESTIMATES), kind="estimates")
    assert not any(c in clean.to_csv() for c in CANARIES if c.startswith("CANARY-"))
    assert clean["figure"].tolist() == [300, 180]
    assert clean["notes"].isna().all()  # the column stays so the table still joins
    fields = {(c.feature, c.field, c.action) for c in audit.changes}
    assert {("row 2", "informant", "removed"), ("row 2", "detainee_name", "removed")} <= fields
    assert ("row 4", "*", "dropped") in fields
    assert len(bordermap.join_estimates(bordermap.load_crossings(CROSSINGS), clean)) == 2


def test_a_restricted_headline_cannot_be_published(tmp_path):
    text = ESTIMATES.read_text(encoding="utf-8").replace("2023-11-01", "2023-12-31")
    (tmp_path / "est.csv").write_text(text, encoding="utf-8")
    joined = bordermap.join_estimates(
        bordermap.load_crossings(CROSSINGS), bordermap.read_estimates(tmp_path / "est.csv")
    )
    with pytest.raises(ValidationError, match="headline figure comes from a restricted"):
        bordermap.crossing_map(joined, tiles=None, publish=True)


def test_unknown_sensitivity_names_file_feature_field_value_and_fix(layers):
    _, facilities = layers
    odd = facilities.copy()
    odd.loc[1, "sensitivity"] = "secret"
    with pytest.raises(ValidationError) as err:
        prepare_for_publication(odd, kind="facilities")
    assert str(err.value) == (
        f"{FACILITIES}, feature 'safe-house-1', field 'sensitivity': unknown sensitivity "
        "(got 'secret'); use 'public' or 'restricted' (blank means public)"
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"kind": "rivers"}, "unknown kind of layer"),
        ({"kind": "facilities", "restricted": "blur"}, "unknown choice for restricted"),
    ],
)
def test_bad_options_are_errors(layers, kwargs, message):
    with pytest.raises(ValidationError, match=message):
        prepare_for_publication(layers[1], **kwargs)


def test_save_refuses_a_map_not_built_for_publication(analyst, published, tmp_path):
    with pytest.raises(ExportError, match="not built for publication"):
        bordermap.save(analyst, tmp_path / "a.html", publish=True)
    assert not (tmp_path / "a.html").exists()
    assert bordermap.save(published, tmp_path / "p.html", publish=True).is_file()


def test_geojson_is_rfc7946(layers, tmp_path):
    joined, facilities = layers
    audit = bordermap.to_geojson(facilities, tmp_path / "f.geojson")
    data = json.loads((tmp_path / "f.geojson").read_text(encoding="utf-8"))
    assert "crs" not in data and data["type"] == "FeatureCollection"
    first = data["features"][0]
    assert first["id"] == "tumen-border-detention"
    assert first["geometry"] == {"type": "Point", "coordinates": [129.85, 42.967]}
    assert set(first["properties"]) <= set(ALLOWED_FIELDS["facilities"])
    assert audit.generalised == 2
    back = bordermap.load_facilities(tmp_path / "f.geojson")
    assert sorted(back["id"]) == [
        "restricted-site-1",
        "restricted-site-2",
        "tumen-border-detention",
    ]
    bordermap.to_geojson(joined, tmp_path / "c.geojson")
    crossing = json.loads((tmp_path / "c.geojson").read_text(encoding="utf-8"))["features"][0]
    assert crossing["properties"]["source_date"] == "2023-12-07"
    assert crossing["properties"]["n_estimates"] == 1  # the restricted estimate is gone


def test_cli_publish_prints_one_audit_line_and_writes_no_canary(tmp_path, capsys):
    out = tmp_path / "map.html"
    args = ["render", "-o", str(out), "--offline", "--crossings", str(CROSSINGS)]
    args += ["--facilities", str(FACILITIES), "--estimates", str(ESTIMATES), "--publish"]
    args += ["--routes", str(ROUTES)]
    assert main(args) == 0
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("bordermap: publish: ")
    assert "3 locations generalised to city level" in err
    page = out.read_text(encoding="utf-8")
    assert not any(c in page for c in CANARIES)
    assert "publish:" not in page


def test_cli_publish_drop(tmp_path, capsys):
    out = tmp_path / "map.html"
    args = ["render", "-o", str(out), "--offline", "--crossings", str(CROSSINGS)]
    args += ["--facilities", str(FACILITIES), "--estimates", str(ESTIMATES), "--publish", "drop"]
    assert main(args) == 0
    assert "3 restricted locations not shown" in out.read_text(encoding="utf-8")


@pytest.mark.browser
def test_published_map_in_chromium(published, tmp_path, open_html):
    path = bordermap.save(published, tmp_path / "map.html", offline=True, publish=True)
    opened = open_html(path)
    page = opened.page
    assert page.locator(".bm-published").inner_text() == "3 locations generalised to city level"
    assert page.locator(".bm-facility").count() == 3
    dom = page.content()
    assert not any(c in dom for c in CANARIES)
    markers = page.locator(".bm-crossing, .bm-facility, .bm-route").all()
    assert len(markers) >= 5  # two crossings, three facilities, the routes
    for marker in markers:
        marker.click(force=True)
        popups = page.locator(".leaflet-popup-content").all_inner_texts()
        assert popups and not any("CANARY" in text for text in popups)
    assert opened.errors == [] and opened.requests == [] and opened.dialogs == []


@pytest.mark.parametrize(
    "extra",
    [["--cases", str(CASES), "--min-cell-records", "12"], ["--events", "all"]],
    ids=["cases", "time-map"],
)
def test_cli_publishes_case_cells_and_time_maps(tmp_path, capsys, extra):
    out = tmp_path / "map.html"
    args = ["render", "-o", str(out), "--offline", "--crossings", str(CROSSINGS)]
    args += ["--facilities", str(FACILITIES), "--estimates", str(ESTIMATES), "--publish", *extra]
    assert main(args) == 0, capsys.readouterr().err
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "3 locations generalised to city level" in err
    page = out.read_text(encoding="utf-8")
    assert not [c for c in CANARIES if c in page]


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        (["--publish", "--cases", str(CASES), "--cases-category", "kind"], "not categories"),
        (["--cases", str(CASES), "--min-cell-records", "5"], "only a published map"),
        (["--publish", "--cases", str(CASES), "--min-cell-records", "0"], "above 0"),
    ],
)
def test_cli_case_publishing_options_that_cannot_hold(tmp_path, capsys, extra, words):
    out = tmp_path / "map.html"
    assert main(["render", "-o", str(out), *extra]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and words in err and not out.exists()


def test_a_name_in_any_language_is_published_and_withheld_like_the_english_one():
    """label_th is drawn by a Thai map, so publishing keeps it; a restricted crossing's is
    emptied with the rest, and a column that only looks like one is removed."""
    layer = gpd.GeoDataFrame(
        {
            "id": ["mae-sot", "safe"],
            "label_en": ["Mae Sot", "Safe"],
            "label_th": ["แม่สอด", "ที่ลับ"],
            "label_informant": ["A. N.", "B. N."],
            "sensitivity": ["public", "restricted"],
        },
        geometry=gpd.points_from_xy([98.57, 98.6], [16.71, 16.8]),
        crs="EPSG:4326",
    )
    out, _ = prepare_for_publication(layer, kind="crossings")
    assert "label_informant" not in out.columns
    # Thai has no catalog: the neutral label in English, never the withheld name.
    assert out["label_th"].tolist() == ["แม่สอด", "restricted crossing 1"]
    assert out["label_en"].tolist()[1] == "restricted crossing 1"


def test_a_withheld_name_gets_a_neutral_label_in_every_language_of_the_data(layers):
    """Arabic and Russian name columns get the catalog's neutral words, a language with no
    catalog (Thai) the English ones: never the withheld name, never left as it was."""
    joined, facilities = layers
    facilities = facilities.assign(
        name_ar="مأوى", name_ru="Убежище", name_th="ที่พักพิง", name_ko="쉼터"
    )
    clean, _ = prepare_for_publication(facilities, kind="facilities")
    row = clean.set_index("id").loc["restricted-site-1"]
    assert (row["name_ar"], row["name_ru"], row["name_th"], row["name_ko"]) == (
        "موقع مقيَّد 1",
        "закрытое место 1",
        "restricted site 1",
        "비공개 장소 1",
    )
    crossings = joined.assign(label_ar="معبر", label_ru="Переход")
    clean, _ = prepare_for_publication(crossings, kind="crossings")
    withheld = clean[clean["id"].str.startswith("restricted-crossing")]
    assert not withheld.empty
    assert withheld["label_ar"].str.startswith("معبر مقيَّد ").all()
    assert withheld["label_ru"].str.startswith("закрытый переход ").all()
