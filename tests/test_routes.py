"""Routes: the bundled table is sourced and consistent; bad tables fail with clear messages."""

from __future__ import annotations

import pandas as pd
import pytest

import bordermap
from bordermap.cli import main
from bordermap.describe.flows import route_lines
from bordermap.errors import ValidationError
from bordermap.inputs import bundled_path
from bordermap.model.routes import load_routes
from bordermap.model.validate import ROUTE_COLUMNS
from bordermap.render.leaflet.markup import popup_html
from tests.test_geo import haversine_km

CROSSINGS = bordermap.load_crossings()
FACILITIES = bordermap.load_facilities()
JOINED = bordermap.join_estimates(CROSSINGS, bundled_path("events/2023-10-09.csv"))
ROUTES = load_routes()
RAW = pd.read_csv(bundled_path("routes.csv"), dtype=str, keep_default_na=False)
COUNTRY = dict(zip(FACILITIES["id"], FACILITIES["country"], strict=True))


def _lines(lang="en", routes=ROUTES):
    return route_lines(routes, JOINED, FACILITIES, lang)


# --- the bundled data ---------------------------------------------------------------------


def test_bundled_table_has_the_documented_columns():
    assert tuple(RAW.columns) == ROUTE_COLUMNS


@pytest.mark.parametrize("row", RAW.to_dict("records"), ids=lambda r: f"{r['crossing']}")
def test_every_route_names_known_places_and_its_source(row):
    assert row["crossing"] in set(CROSSINGS["id"])
    assert row["from_facility"] or row["to_facility"]
    if row["from_facility"]:
        assert COUNTRY[row["from_facility"]] == "CN"
    if row["to_facility"]:
        assert COUNTRY[row["to_facility"]] == "KP"
    assert row["status"] in ("reported", "inferred")
    assert row["source"].strip()
    if row["status"] == "inferred":
        assert row["notes"].startswith("Inferred"), "an inferred route says why"
    else:
        assert row["url"].startswith("https://"), "a reported route links its report"


def test_routes_cover_only_crossings_named_for_the_event():
    events = bordermap.read_events(bundled_path("events/events.csv"))
    named = events.set_index(events["event_date"].dt.strftime("%Y-%m-%d"))["crossings_named"]
    for row in RAW.to_dict("records"):
        assert row["crossing"] in named[row["event_date"]]


def test_what_the_sources_support_and_nothing_more():
    """Daily NK names the North Korean ends at Sinuiju and Onsong; no source names a Chinese
    prison for a particular crossing, so every route from a Chinese facility is inferred."""
    reported = ROUTES[ROUTES["status"] == "reported"]
    assert set(zip(reported["crossing"], reported["to_facility"], strict=True)) == {
        ("dandong-sinuiju", "sinuiju-mss"),
        ("tumen-onsong", "onsong-mss"),
    }
    assert (reported["from_facility"] == "").all()
    assert (ROUTES.loc[ROUTES["from_facility"] != "", "status"] == "inferred").all()


@pytest.mark.parametrize("line", _lines(), ids=lambda r: r.id)
def test_route_length_is_plausible_against_the_straight_line(line):
    stops = [line.coords[0], line.coords[-1]]
    straight = haversine_km(*stops)
    assert line.km >= straight * 0.995
    assert line.km <= straight * 1.5 + 1  # via a crossing, never a detour
    assert 0.5 < line.km < 700  # the region is ~700 km across


# --- the description every renderer draws ---------------------------------------------------


def test_route_lines_describe_each_route_for_any_renderer():
    lines = _lines()
    assert len(lines) == len(ROUTES) == 7
    for line in lines:
        assert line.dashed is (line.status == "inferred")
        assert len(line.arrows) == sum(bool(x) for x in (line.from_facility, line.to_facility))
        assert all(len(p) == 2 for p in line.coords)
        text = repr(line)
        assert "leaflet" not in text.lower() and "L." not in text and "<" not in text


def test_route_starts_at_the_facility_and_passes_the_crossing():
    line = next(r for r in _lines() if r.from_facility == "shenyang-prison")
    shenyang = FACILITIES.set_index("id").loc["shenyang-prison"].geometry
    bridge = CROSSINGS.set_index("id").loc["dandong-sinuiju"].geometry
    assert line.coords[0] == (round(shenyang.y, 6), round(shenyang.x, 6))
    assert line.coords[-1] == (round(bridge.y, 6), round(bridge.x, 6))
    # Shenyang lies north-west of Dandong: the arrow points south-east.
    assert 120 < line.arrows[0].bearing_deg < 180


@pytest.mark.parametrize(
    ("crossing", "weight"),
    [
        ("tumen-onsong", 10.0),  # 300: the largest figure, the widest line
        ("dandong-sinuiju", 6.0),  # 180 / 300 of it
        ("helong-musan", 1.5),  # no published figure: thin, never a guessed number
        ("hunchun-kyongwon", 1.5),
    ],
)
def test_width_follows_the_crossing_figure(crossing, weight):
    assert {r.weight for r in _lines() if r.crossing == crossing} == {weight}


def test_popup_names_both_ends_length_status_and_dated_source():
    line = next(r for r in _lines() if r.from_facility == "shenyang-prison")
    popup = popup_html(line.popup)
    for expected in (
        "Shenyang Prison",
        "Dandong → Sinuiju",
        "not named by any source",
        f"{round(line.km)} km",
        "inferred, not reported",
        "Activists warn",
        "7 December 2023",
    ):
        assert expected in popup, expected
    daily_nk = next(r for r in _lines() if r.to_facility == "onsong-mss")
    assert 'href="https://www.dailynk.com/' in popup_html(daily_nk.popup)
    assert "reported by a source" in popup_html(daily_nk.popup)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "ko",
            ["투먼 → 온성", "온성 보위부 구류장", "창춘 톄베이 감옥", "추정", "2023년 12월 7일"],
        ),
        (
            "zh",
            [
                "图们 → 稳城",
                "稳城国家保卫省拘留所",
                "长春铁北监狱",
                "推断",
                "2023年12月7日",
                "公里",
            ],
        ),
    ],
)
def test_route_popups_in_korean_and_chinese(lang, expected):
    text = " ".join(
        popup_html(r.popup) + r.tooltip for r in _lines(lang) if r.crossing == "tumen-onsong"
    )
    for word in expected:
        assert word in text, word
    for english in ("Held in China", "Crossing", "Length", "Status", "Route"):
        assert english not in text


def test_text_from_the_table_is_escaped(tmp_path):
    table = RAW.copy()
    table.loc[2, "notes"] = 'Inferred <img src=x onerror="alert(1)">'
    table.loc[2, "source"] = "{{ 7*7 }} <b>"
    lines = _lines(routes=load_routes(table))
    popup = popup_html(lines[2].popup)
    assert "<img" not in popup and "&lt;img" in popup
    assert "{{ 7*7 }} &lt;b&gt;" in popup


# --- errors -----------------------------------------------------------------------------------


def _bad(tmp_path, **changes) -> str:
    table = RAW.copy()
    for field, value in changes.items():
        table.loc[1, field] = value
    path = tmp_path / "routes.csv"
    table.to_csv(path, index=False)
    with pytest.raises(ValidationError) as info:
        load_routes(path)
    message = str(info.value)
    assert str(path) in message and "row 3" in message
    return message


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"crossing": "tumen-onsung"}, ["field 'crossing'", "'tumen-onsung'", "'tumen-onsong'"]),
        (
            {"to_facility": "onsong-mmss"},
            ["field 'to_facility'", "unknown facility id", "closest ids: 'onsong-mss'"],
        ),
        (
            {"from_facility": "sinuiju-mss"},
            ["field 'from_facility'", "not a facility in China", "closest ids:"],
        ),
        (
            {"to_facility": "shenyang-prison"},
            ["not a facility in North Korea", "'sinuiju-mss'"],
        ),
        ({"status": "likely"}, ["field 'status'", "unknown route status", "'likely'"]),
        ({"source": ""}, ["field 'source'", "every route needs its source"]),
        ({"status": "inferred", "notes": ""}, ["field 'notes'", "must say how"]),
        ({"to_facility": ""}, ["a facility at one end at least"]),
        ({"event_date": "9 Oct"}, ["field 'event_date'", "not a date"]),
    ],
)
def test_bad_route_is_named_by_file_row_field_and_value(tmp_path, changes, expected):
    message = _bad(tmp_path, **changes)
    for part in expected:
        assert part in message, message


def test_duplicate_route_is_refused(tmp_path):
    table = pd.concat([RAW, RAW.iloc[[0]]])
    path = tmp_path / "dupes.csv"
    table.to_csv(path, index=False)
    with pytest.raises(ValidationError, match="listed twice"):
        load_routes(path)


def test_a_crossing_may_be_written_as_any_spelling():
    table = RAW.copy()
    table.loc[1, "crossing"] = "Onsŏng"
    assert load_routes(table)["crossing"].iloc[1] == "tumen-onsong"


# --- the map and the command line ------------------------------------------------------------


def test_map_carries_the_bundled_routes_by_default_and_none_when_asked():
    m = bordermap.crossing_map(JOINED, FACILITIES, tiles=None)
    assert [r.id for r in m.spec.routes] == [r.id for r in _lines()]
    assert bordermap.crossing_map(JOINED, FACILITIES, tiles=None, routes=False).spec.routes == ()
    # A copy of the bundled rows (not the bundled file) is the same event: its routes come.
    copy = bordermap.join_estimates(CROSSINGS, pd.read_csv(bundled_path("events/2023-10-09.csv")))
    assert len(bordermap.crossing_map(copy, FACILITIES, tiles=None).spec.routes) == 7
    # Without the facilities the routes run between, or for another event, none is drawn.
    assert bordermap.crossing_map(copy, None, tiles=None).spec.routes == ()
    other = bordermap.join_estimates(CROSSINGS, bundled_path("events/2023-10-09.csv"))
    other.attrs["event"] = "2024-04-26"
    assert bordermap.crossing_map(other, FACILITIES, tiles=None).spec.routes == ()


def test_map_draws_a_routes_file_given_to_it(tmp_path):
    path = tmp_path / "mine.csv"
    RAW.iloc[:2].to_csv(path, index=False)
    m = bordermap.crossing_map(JOINED, FACILITIES, tiles=None, routes=path)
    assert len(m.spec.routes) == 2


def test_command_line_routes_and_no_routes(tmp_path):
    mine = tmp_path / "mine.csv"
    RAW.iloc[:3].to_csv(mine, index=False)
    out = tmp_path / "map.html"
    assert main(["render", "-o", str(out), "--offline", "--routes", str(mine)]) == 0
    assert out.read_text(encoding="utf-8").count('"dashed": ') == 3
    assert main(["render", "-o", str(out), "--offline", "--no-routes"]) == 0
    assert "bm-route" not in out.read_text(encoding="utf-8")


def test_command_line_bad_routes_file_is_one_line_and_exit_2(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    RAW.assign(crossing="Paris").to_csv(bad, index=False)
    assert main(["render", "-o", str(tmp_path / "m.html"), "--offline", "--routes", str(bad)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "unknown crossing id" in err and "'Paris'" in err


# --- tiles ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tiles", "url", "attribution"),
    [
        (None, "World_Light_Gray_Base", "Esri"),  # the default: a light press map, no key
        ("light", "World_Light_Gray_Base", "Esri"),
        ("satellite", "World_Imagery/MapServer/tile/{z}/{y}/{x}", "Esri"),
        ("OpenStreetMap.Mapnik", "tile.openstreetmap.org/{z}/{x}/{y}.png", "OpenStreetMap"),
    ],
)
def test_tiles_by_name_with_url_template_and_attribution(tiles, url, attribution):
    kwargs = {} if tiles is None else {"tiles": tiles}
    page = bordermap.to_html(bordermap.crossing_map(CROSSINGS, **kwargs))
    assert url in page
    assert '"attribution": "' in page and attribution in page.split('"attribution": "')[1][:300]


@pytest.mark.parametrize(
    ("name", "close"),
    [
        ("satelite", "'satellite'"),
        ("CartoDB.Positorn", "'CartoDB.Positron'"),
        ("CartoDB.Positron", "needs an API key"),  # tiles that would draw nothing without one
    ],
)
def test_unusable_tiles_name_the_value_and_the_fix(name, close):
    with pytest.raises(bordermap.BordermapError) as info:
        bordermap.crossing_map(CROSSINGS, tiles=name)
    assert repr(name) in str(info.value) and close in str(info.value)


def test_command_line_tiles_alias(tmp_path):
    out = tmp_path / "sat.html"
    assert main(["render", "-o", str(out), "--tiles", "satellite"]) == 0
    assert "World_Imagery" in out.read_text(encoding="utf-8")


def test_route_sources_are_credited_and_the_routes_file_is_in_the_metadata(tmp_path):
    m = bordermap.crossing_map(JOINED, FACILITIES, tiles=None)
    assert "Daily NK" in m.spec.metadata["sources"]
    page = bordermap.to_html(m, offline=True)
    credit = page.split('class="bm-panel bm-credit"')[0]  # the credit HTML is in JSON data
    assert "Daily NK" in page and "dailynk.com" in page and credit
    meta = page.split('id="bordermap-metadata">')[1].split("</script>")[0]
    assert "routes.csv" in meta and bordermap.inputs.file_sha256(bundled_path("routes.csv")) in meta
