"""The command line: exit codes, one-line errors on stderr, no partial output files."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys

import pytest

from bordermap.cli import main
from bordermap.inputs import bundled_path

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


def _one_line_error(capsys) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("bordermap: error: "), err
    return err


def test_an_output_over_an_input_is_refused_before_anything_is_written(tmp_path, capsys):
    estimates = tmp_path / "e.csv"
    estimates.write_bytes(bundled_path("events/2023-10-09.csv").read_bytes())
    before = estimates.read_bytes()
    link = tmp_path / "link.html"
    link.symlink_to(estimates)
    for output in (estimates, link, tmp_path / "." / "e.csv"):
        assert main(["render", "-o", str(output), "--estimates", str(estimates)]) == 2
        assert "is one of the input files" in _one_line_error(capsys)
    assert estimates.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["e.csv", "link.html"]


@pytest.mark.parametrize("second", ["--png", "--svg"])
def test_two_outputs_on_one_path_are_refused(tmp_path, capsys, second):
    out = tmp_path / "map"  # no suffix: a name for either format
    assert main(["render", "-o", str(out), second, str(tmp_path / "." / "map")]) == 2
    assert "two outputs are one file" in _one_line_error(capsys)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("dpi", ["0", "-5", "49", "601", "100000", "1e3", "abc", ""])
def test_dpi_outside_a_sane_range_is_one_line(tmp_path, capsys, dpi):
    assert main(["render", "--png", str(tmp_path / "m.png"), "--dpi", dpi]) == 2
    err = _one_line_error(capsys)
    assert "'--dpi'" in err and "from 50 to 600" in err
    assert list(tmp_path.iterdir()) == []


def _fail_with(code: int):
    def fail(*args, **kwargs):
        raise OSError(code, os.strerror(code))

    return fail


# Each failure the system can give when writing: how to cause it, the message's words.
WRITE_FAILURES = {
    "read-only folder": ("tempfile.mkstemp", errno.EACCES, "no permission to write here"),
    "read-only disk": ("tempfile.mkstemp", errno.EROFS, "the disk is read-only"),
    "disk full": ("os.fsync", errno.ENOSPC, "the disk is full"),
    "quota": ("os.fsync", errno.EDQUOT, "the disk quota is used up"),
    "rename refused": ("os.replace", errno.EPERM, "no permission to write here"),
    "other": ("os.fsync", errno.EIO, "cannot be written"),
}


@pytest.mark.parametrize("case", list(WRITE_FAILURES))
def test_a_write_the_system_refuses_is_one_line_and_leaves_nothing(
    tmp_path, capsys, monkeypatch, case
):
    target, code, words = WRITE_FAILURES[case]
    module, name = target.split(".")
    monkeypatch.setattr(f"{module}.{name}", _fail_with(code))
    out = tmp_path / "map.html"
    out.write_text("previous map")
    assert main(["render", "-o", str(out)]) == 2
    err = _one_line_error(capsys)
    assert words in err and "map.html" in err
    assert out.read_text() == "previous map"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.html"]


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("m" * 300 + ".html", "the file name is too long"),
        ("/dev/full", "is not an ordinary file"),
        ("/dev/null", "is not an ordinary file"),
    ],
)
def test_outputs_that_cannot_be_files_are_refused(tmp_path, capsys, name, words):
    out = name if name.startswith("/") else str(tmp_path / name)
    assert main(["render", "-o", out]) == 2
    assert words in _one_line_error(capsys)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("option", "name", "words"),
    [
        ("-o", "map.png", "write it with --png"),
        ("-o", "MAP.PDF", "write it with --pdf"),
        ("--png", "map.html", "write it with -o"),
        ("--svg", "map.png", "write it with --png"),
        ("--embed", "map.svg", "write it with --svg"),
    ],
)
def test_an_output_named_for_another_format_is_refused(tmp_path, capsys, option, name, words):
    # `-o map.png` would write an HTML page under an image's name.
    assert main(["render", option, str(tmp_path / name)]) == 2
    err = _one_line_error(capsys)
    assert words in err and option in err and name in err
    assert list(tmp_path.iterdir()) == []


def test_outputs_named_for_their_format_or_for_none_are_written(tmp_path):
    assert main(["render", "-o", str(tmp_path / "page"), "--embed", str(tmp_path / "e.htm")]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["e.htm", "page"]


def test_when_the_second_output_fails_the_first_is_not_written(tmp_path, capsys, monkeypatch):
    calls = []
    real_fsync = os.fsync

    def second_fails(fd):
        calls.append(fd)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr("os.fsync", second_fails)
    html, svg = tmp_path / "map.html", tmp_path / "map.svg"
    assert main(["render", "-o", str(html), "--svg", str(svg)]) == 2
    assert "map.svg" in _one_line_error(capsys) and len(calls) == 2
    assert list(tmp_path.iterdir()) == []


# Writes an output whose fsync waits, so that a signal arrives mid-write.
_SLOW_WRITE = """
import os, sys, time
from bordermap.cli import main
def slow(fd):
    print("writing", flush=True)
    time.sleep(60)
os.fsync = slow
sys.exit(main(["render", "-o", sys.argv[1]]))
"""


@pytest.mark.parametrize(("signum", "status"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_signal_during_the_write_leaves_no_temporary_file(tmp_path, signum, status):
    out = tmp_path / "map.html"
    with subprocess.Popen(
        [sys.executable, "-c", _SLOW_WRITE, str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as proc:
        assert proc.stdout.readline() == "writing\n"
        assert any(p.suffix == ".part" for p in tmp_path.iterdir())  # the write has begun
        proc.send_signal(signum)
        _, err = proc.communicate(timeout=60)
    assert proc.returncode == status and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


# --- output and input paths (issue #22, class 7) ---------------------------------------------

PATH_CASES = [
    ("output_ends_in_slash", ["-o", "{dir}/newdir/"], "field '-o': ends in '/'"),
    ("output_is_a_folder", ["-o", "{dir}"], "field '-o': is a folder, not a file"),
    ("png_ends_in_slash", ["--png", "{dir}/pics/"], "field '--png': ends in '/'"),
    ("input_too_long", ["-o", "{dir}/m.html", "--estimates", "a/" * 2100 + "e.csv"], "too long"),
    (
        "input_name_too_long",
        ["-o", "{dir}/m.html", "--crossings", "a" * 300 + ".geojson"],
        "too long",
    ),
    ("input_not_utf8", ["-o", "{dir}/m.html", "--estimates", "{dir}/est\udcff.csv"], "not UTF-8"),
    ("output_not_utf8", ["-o", "{dir}/m\udcff.html"], "field '-o': the file name is not UTF-8"),
    ("embed_with_stdout", ["-o", "-", "--embed", "{dir}/e.html"], "field '--embed'"),
]


@pytest.mark.parametrize(
    ("args", "needle"), [c[1:] for c in PATH_CASES], ids=[c[0] for c in PATH_CASES]
)
def test_a_path_the_command_cannot_use_is_one_line_exit_2_and_nothing_written(
    args, needle, tmp_path, capsys
):
    argv = ["render", "--offline", *(a.replace("{dir}", str(tmp_path)) for a in args)]
    assert main(argv) == 2
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("bordermap: error: ") and needle in lines[0]
    assert captured.out == "" and list(tmp_path.iterdir()) == []


def test_output_dash_writes_the_page_to_standard_output(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["render", "--offline", "-o", "-"]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("<!DOCTYPE html>") and captured.out.rstrip().endswith("</html>")
    assert not (tmp_path / "-").exists() and list(tmp_path.iterdir()) == []
