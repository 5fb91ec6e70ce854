"""Every malformed input in tests/data/bad/ gives its BordermapError, through the API and the CLI.

The cases and the message each must produce are listed in tests/data/bad/cases.csv (made by
tests/data/bad/make_cases.py). A case passes when the library raises the listed subclass
with a message naming the file, row or feature, field and value, and a fix; and the command
line exits 2 with exactly one line on stderr, writing no output file and leaving an existing
one untouched.
"""

from __future__ import annotations

import csv
import shlex

import pytest

import bordermap.errors
import bordermap.io
from bordermap.cli import main
from bordermap.estimates import join_estimates, read_estimates
from bordermap.layers import load_crossings, load_facilities

from .conftest import DATA

BAD = DATA / "bad"
with open(BAD / "cases.csv", encoding="utf-8", newline="") as _handle:
    CASES = list(csv.DictReader(_handle))
FILE_CASES = [c for c in CASES if c["kind"] != "cli"]
CLI_OPTION = {"crossings": "--crossings", "facilities": "--facilities", "estimates": "--estimates"}


def _ids(cases):
    return [c["case"] for c in cases]


def _needles(case: dict) -> list[str]:
    return [n.strip() for n in case["must_contain"].split(" | ") if n.strip()]


def _load(case: dict) -> None:
    path = BAD / case["file"]
    if case["kind"] == "crossings":
        load_crossings(path)
    elif case["kind"] == "facilities":
        load_facilities(path)
    else:
        join_estimates(load_crossings(), read_estimates(path))


def test_the_corpus_is_large_and_covers_every_kind():
    kinds = {c["kind"] for c in CASES}
    assert len(CASES) >= 45 and kinds == {"crossings", "facilities", "estimates", "cli"}
    for case in FILE_CASES:
        assert (BAD / case["file"]).exists(), case["case"]
        assert case["file"] in case["must_contain"], "every message must name its file"


@pytest.mark.parametrize("case", FILE_CASES, ids=_ids(FILE_CASES))
def test_library_raises_the_listed_error_with_a_full_message(case):
    expected = getattr(bordermap.errors, case["error"])
    with pytest.raises(bordermap.errors.BordermapError) as info:
        _load(case)
    err = info.value
    assert type(err) is expected, f"{type(err).__name__}: {err}"
    message = str(err)
    assert "\n" not in message
    for needle in _needles(case):
        assert needle in message, f"{needle!r} not in {message!r}"
    assert err.fix, f"no fix in {message!r}"


def _cli_args(case: dict, tmp_path) -> list[str]:
    if case["kind"] == "cli":
        args = case["args"].replace("{dir}", str(tmp_path))
        return shlex.split(args.replace("{file}", str(BAD / case["file"])))
    return [CLI_OPTION[case["kind"]], str(BAD / case["file"])]


@pytest.mark.parametrize("existing", [False, True], ids=["new", "existing"])
@pytest.mark.parametrize("case", CASES, ids=_ids(CASES))
def test_cli_exits_2_with_one_line_and_writes_nothing(case, existing, tmp_path, capsys):
    out = tmp_path / "map.html"
    if existing:
        out.write_text("previous map")
    args = _cli_args(case, tmp_path)
    if "-o" not in args:
        args = ["-o", str(out), *args]
    assert main(["render", *args]) == 2
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("bordermap: error: ") and "Traceback" not in captured.err
    assert captured.out == ""
    for needle in _needles(case):
        assert needle in lines[0], f"{needle!r} not in {lines[0]!r}"
    if existing:
        assert out.read_text() == "previous map"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["map.html"]
    else:
        assert not out.exists() and not [p for p in tmp_path.iterdir() if p.is_file()]


@pytest.mark.parametrize(
    ("name", "encoding", "crossing", "source"),
    [
        ("cp949.csv", "cp949", "온성", "과도기정의워킹그룹"),
        ("gb18030.csv", "gb18030", "丹东", "朝鲜人权报告"),
        ("utf16.csv", "utf-16", "tumen-onsong", "TJWG"),
    ],
)
def test_the_named_encoding_reads_the_file(name, encoding, crossing, source):
    table = read_estimates(BAD / name, encoding=encoding)
    assert table.loc[0, "crossing"] == crossing and table.loc[0, "source"] == source
    assert table.attrs["encoding"] == encoding


@pytest.mark.parametrize(("name", "encoding"), [("cp949.csv", "cp949"), ("gb18030.csv", "gb18030")])
def test_the_command_line_reads_the_encoding_the_error_named(name, encoding, tmp_path, capsys):
    out = tmp_path / "map.html"
    args = ["render", "-o", str(out), "--offline", "--estimates", str(BAD / name)]
    assert main(args) == 2
    assert f"--encoding {encoding}" in capsys.readouterr().err
    assert main([*args, "--encoding", encoding]) == 0
    page = out.read_text(encoding="utf-8")
    assert ("과도기정의워킹그룹" if encoding == "cp949" else "朝鲜人权报告") in page


def test_a_layer_that_is_not_in_the_file_names_the_layers(tmp_path):
    import geopandas as gpd
    import shapely

    path = tmp_path / "crossings.gpkg"
    gpd.GeoDataFrame(
        {"id": ["tumen-onsong"]}, geometry=[shapely.Point(129.7, 42.96)], crs=4326
    ).to_file(path, layer="crossings")
    with pytest.raises(bordermap.errors.ValidationError) as info:
        bordermap.io.read_geodata(path, layer="points")
    assert "field 'layer'" in str(info.value) and "the layers are: crossings" in str(info.value)


def test_a_terminal_escape_in_a_file_name_is_shown_escaped(tmp_path, capsys):
    name = tmp_path / "est\x1b[2J.csv"
    name.write_bytes((BAD / "figure_negative.csv").read_bytes())
    assert main(["render", "-o", str(tmp_path / "m.html"), "--estimates", str(name)]) == 2
    err = capsys.readouterr().err
    assert "\x1b" not in err and "est\\x1b[2J.csv" in err


@pytest.mark.parametrize(
    ("options", "needle"),
    [
        ({"prefer": 5}, "field 'prefer': prefer must name sources (got 5)"),
        ({"rule": "best"}, "field 'rule': unknown headline rule (got 'best')"),
        ({"missing": "maybe"}, "field 'missing': unknown value (got 'maybe')"),
        ({"event": "someday"}, "field 'event': event is not a date (got 'someday')"),
        ({"event": []}, "field 'event': no event chosen"),
    ],
)
def test_bad_join_options_are_errors_that_name_the_option(options, needle):
    estimates = bordermap.io.bundled_path("events/2023-10-09.csv")
    with pytest.raises(bordermap.errors.ValidationError) as info:
        join_estimates(load_crossings(), estimates, **options)
    assert needle in str(info.value) and info.value.fix


def _records(geometries, crs="EPSG:4326", **columns):
    import geopandas as gpd

    return gpd.GeoDataFrame(columns, geometry=geometries, crs=crs)


@pytest.mark.parametrize(
    ("make", "needles"),
    [
        (
            lambda s: _records([s.Point(500000, 4750000)], crs=None),
            ["record 1", "field 'geometry'", "looks projected", "set_crs"],
        ),
        (
            lambda s: _records([s.Point(129.7, 42.9), s.Point(129.7, -90.5)]),
            ["record 2", "out of range", "±90"],
        ),
        (
            lambda s: _records([s.Point(129.7, 42.9), None], id=["a", "b"]),
            ["record 2 ('b')", "must be one point"],
        ),
        (
            lambda s: _records([s.Point(129.7, 42.9)], precision_m=[float("inf")]),
            ["field 'precision_m'", "inf", "positive number of metres"],
        ),
    ],
)
def test_case_records_that_cannot_be_drawn_truly_are_errors(make, needles):
    import shapely

    import bordermap

    with pytest.raises(bordermap.errors.ValidationError) as info:
        bordermap.case_layer(make(shapely))
    for needle in needles:
        assert needle in str(info.value)


@pytest.mark.parametrize("precision", [0, -5, float("nan"), "fine", 1e-9])
def test_a_case_precision_argument_that_cannot_hold_the_records_is_an_error(precision):
    import pandas as pd

    import bordermap

    table = pd.DataFrame({"lon": [124.0, 134.0], "lat": [40.0, 45.0]})
    with pytest.raises(bordermap.errors.ValidationError, match="precision"):
        bordermap.case_layer(table, precision=precision)
