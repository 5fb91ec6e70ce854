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

import bordermap
import bordermap.errors
import bordermap.inputs
from bordermap.cli import main
from bordermap.model.estimates import join_estimates, read_estimates
from bordermap.model.layers import load_crossings, load_facilities

from .conftest import DATA

BAD = DATA / "bad"
with open(BAD / "cases.csv", encoding="utf-8", newline="") as _handle:
    CASES = list(csv.DictReader(_handle))
FILE_CASES = [c for c in CASES if c["kind"] != "cli"]
CLI_OPTION = {
    "crossings": "--crossings",
    "facilities": "--facilities",
    "estimates": "--estimates",
    "cases": "--cases",
}


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
    elif case["kind"] == "cases":
        bordermap.case_layer(bordermap.inputs.read_geodata(path))
    else:
        join_estimates(load_crossings(), read_estimates(path))


def test_the_corpus_is_large_and_covers_every_kind():
    kinds = {c["kind"] for c in CASES}
    assert len(CASES) >= 45 and kinds == {"crossings", "facilities", "estimates", "cases", "cli"}
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
        bordermap.inputs.read_geodata(path, layer="points")
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
    estimates = bordermap.inputs.bundled_path("events/2023-10-09.csv")
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


# --- reading what users really have ----------------------------------------------------------

GOOD_ROWS = [
    ["event_date", "crossing", "figure", "low", "high", "qualifier", "source", "source_date"],
    ["2023-10-09", "tumen-onsong", "300", "", "", "", "TJWG, Seoul", "2023-12-07"],
    ["2023-10-09", "Dandong", "180", "", "", "", "RFA", "2023-10-16"],
]


def _text(separator: str, line_end: str) -> str:
    def cell(value: str) -> str:
        return f'"{value}"' if separator in value else value

    return "".join(separator.join(cell(v) for v in row) + line_end for row in GOOD_ROWS)


@pytest.mark.parametrize(
    ("name", "separator", "line_end", "encoding"),
    [
        ("semicolon.csv", ";", "\r\n", "utf-8"),  # Excel in much of Europe
        ("tab.csv", "\t", "\r\n", "utf-8"),
        ("unicode_text.txt", "\t", "\r\n", "utf-16"),  # Excel's "Unicode text"
        ("mac.csv", ",", "\r", "utf-8"),  # Mac Excel's "CSV (Macintosh)"
        ("mac_semicolon.csv", ";", "\r", "utf-8-sig"),
    ],
)
def test_tables_as_excel_saves_them_are_read(tmp_path, name, separator, line_end, encoding):
    path = tmp_path / name
    path.write_bytes(_text(separator, line_end).encode(encoding))
    table = read_estimates(path)
    assert table["crossing"].tolist() == ["tumen-onsong", "Dandong"]
    assert table["source"].tolist() == ["TJWG, Seoul", "RFA"]
    assert table["figure"].tolist() == [300, 180] and table["_row"].tolist() == [2, 3]


# Korean and Chinese words as Excel on Korean or Chinese Windows saves them: the error must
# name the encoding they are in. Short texts are where a wrong guess is likeliest.
CJK_WORDS = [
    ("북한 강제북송 600명", "cp949"),
    ("탈북민 강제송환", "cp949"),
    ("함경북도 온성군", "cp949"),
    ("과도기정의워킹그룹", "cp949"),
    ("丹东", "gb18030"),
    ("长白", "gb18030"),
    ("日期", "gb18030"),
    ("中国遣返脱北者600人", "gb18030"),
]


@pytest.mark.parametrize(("word", "encoding"), CJK_WORDS)
def test_cp949_and_gb18030_are_told_apart(tmp_path, word, encoding):
    path = tmp_path / "est.csv"
    path.write_bytes(
        f"event_date,crossing,figure,source,source_date\n,{word},,,\n".encode(encoding)
    )
    with pytest.raises(bordermap.errors.InputFileError) as info:
        read_estimates(path)
    assert f"text is {encoding}" in str(info.value)


def test_a_kml_id_in_extended_data_is_read(tmp_path):
    path = tmp_path / "crossings.kml"
    placemark = (
        "<Placemark{attr}><name>{name}</name><ExtendedData>{data}</ExtendedData>"
        "<Point><coordinates>{lon},{lat}</coordinates></Point></Placemark>"
    )
    body = placemark.format(
        attr=' id="pm1"',
        name="Tumen",
        data='<Data name="id"><value>tumen-onsong</value></Data>',
        lon=129.8425,
        lat=42.9661,
    ) + placemark.format(
        attr="",
        name="Dandong",
        data='<SchemaData schemaUrl="#s"><SimpleData name="id">dandong-sinuiju</SimpleData>'
        "</SchemaData>",
        lon=124.39,
        lat=40.11,
    )
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2">'
        f"<Document>{body}</Document></kml>",
        encoding="utf-8",
    )
    assert load_crossings(path)["id"].tolist() == ["tumen-onsong", "dandong-sinuiju"]


def _title_then_table_csv(path):
    path.write_text("Forced returns, October 2023\n\n" + _text(",", "\n"), encoding="utf-8")


def _title_then_table_xlsx(path):
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["Forced returns, October 2023"])
    for row in GOOD_ROWS:
        book.active.append(row)
    book.save(path)


@pytest.mark.parametrize(
    ("name", "write", "row"),
    [("titled.csv", _title_then_table_csv, 3), ("titled.xlsx", _title_then_table_xlsx, 2)],
)
def test_a_title_row_above_the_header_is_named_by_its_row(tmp_path, name, write, row):
    path = tmp_path / name
    write(path)
    with pytest.raises(bordermap.errors.BordermapError) as info:
        read_estimates(path)
    message = str(info.value)
    assert f"{name}, row {row}: the column names" in message and f"in row {row}" in message


# --- bounded work ---------------------------------------------------------------------------


def test_special_files_are_refused_at_once(tmp_path):
    import os

    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)  # reading it would wait for a writer forever
    endless = tmp_path / "zero.csv"
    endless.symlink_to("/dev/zero")
    for path in (fifo, endless):
        with pytest.raises(bordermap.errors.InputFileError, match="not an ordinary file"):
            read_estimates(path)


@pytest.mark.parametrize(
    ("limits", "words"),
    [({"max_bytes": 100}, "larger than 0 MB"), ({"max_cells": 20}, "the table has 4 rows")],
)
def test_input_limits_are_checked_before_reading_and_can_be_raised(tmp_path, limits, words):
    path = tmp_path / "est.csv"
    path.write_text(_text(",", "\n"), encoding="utf-8")
    with (
        bordermap.inputs.input_limits(**limits),
        pytest.raises(bordermap.errors.InputFileError) as info,
    ):
        read_estimates(path)
    assert words in str(info.value) and "input_limits" in str(info.value)
    raised = {key: value * 100 for key, value in limits.items()}
    with bordermap.inputs.input_limits(**raised):
        assert len(read_estimates(path)) == 2


def test_the_command_line_can_raise_the_limits(tmp_path, capsys):
    out = tmp_path / "map.html"
    workbook = BAD / "huge_dimension.xlsx"
    assert main(["render", "-o", str(out), "--estimates", str(workbook), "--max-cells", "0"]) == 2
    assert "--max-cells" in capsys.readouterr().err
    # Its declared size allowed, the sheet is read as stored: a header and one row.
    big = str(2**36)
    assert main(["render", "-o", str(out), "--estimates", str(workbook), "--max-cells", big]) == 0
    assert out.is_file()
