"""The command line: exit codes, one-line errors on stderr, no partial output files."""

from __future__ import annotations

import subprocess
import sys

import pytest

from bordermap.cli import main

from .conftest import DATA


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bordermap.cli", *args], capture_output=True, text=True, check=False
    )


def test_render_writes_the_october_map(tmp_path):
    out = tmp_path / "map.html"
    result = run("render", "-o", str(out), "--offline")
    assert result.returncode == 0, result.stderr
    page = out.read_text(encoding="utf-8")
    assert "Tumen → Onsong" in page and "cdn.jsdelivr" not in page
    assert result.stderr == ""


def test_unknown_crossing_exits_2_with_one_line_naming_row_and_suggestion(tmp_path):
    out = tmp_path / "map.html"
    result = run("render", "-o", str(out), "--estimates", str(DATA / "estimates_unknown.csv"))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "estimates_unknown.csv" in lines[0] and "row 3 'Onsongg'" in lines[0]
    assert "closest: Onsong (tumen-onsong)" in lines[0]
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_bad_input_leaves_an_existing_output_untouched(tmp_path):
    out = tmp_path / "map.html"
    out.write_text("previous map")
    assert main(["render", "-o", str(out), "--estimates", str(DATA / "estimates_unknown.csv")]) == 2
    assert out.read_text() == "previous map"
    assert list(tmp_path.iterdir()) == [out], "no temporary file is left behind"


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--estimates", "missing.csv"], "missing.csv: file not found"),
        (["--crossings", "missing.geojson"], "missing.geojson: file not found"),
        (["--event", "2023-13-45"], "2023-13-45"),
        (["--title", "x", "--tiles", "No.Such.Provider"], "unknown tile provider"),
    ],
)
def test_bad_options_exit_2(tmp_path, args, needle):
    out = tmp_path / "map.html"
    result = run("render", "-o", str(out), *args)
    assert result.returncode == 2
    assert needle in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not out.exists()


def test_output_folder_that_does_not_exist_exits_2(tmp_path):
    result = run("render", "-o", str(tmp_path / "no" / "map.html"))
    assert result.returncode == 2 and "folder does not exist" in result.stderr


def test_title_from_the_command_line_is_escaped(tmp_path):
    out = tmp_path / "map.html"
    assert main(["render", "-o", str(out), "--offline", "--title", "<b>{{ 7*7 }}</b>"]) == 0
    page = out.read_text(encoding="utf-8")
    assert "<b>{{" not in page
    assert "&lt;b&gt;{{ 7*7 }}&lt;/b&gt;" in page


def test_output_file_gets_ordinary_permissions(tmp_path):
    out = tmp_path / "map.html"
    assert main(["render", "-o", str(out), "--offline"]) == 0
    import os

    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask


def test_case_records_from_the_command_line(tmp_path, capsys):
    out, png = tmp_path / "cases.html", tmp_path / "cases.png"
    cases = str(DATA / "cases.csv")
    args = ["render", "-o", str(out), "--png", str(png), "--offline", "--cases", cases]
    assert main([*args, "--cases-category", "kind"]) == 0
    page = out.read_text(encoding="utf-8")
    assert png.exists() and '"names": ["arrest", "transfer"]' in page
    missing = tmp_path / "missing.html"
    assert main(["render", "-o", str(missing), "--cases", cases, "--cases-category", "type"]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "cases.csv" in err and "type" in err and "kind" in err
    assert not missing.exists()
    assert main(["render", "-o", str(missing), "--cases-category", "kind"]) == 2
