"""Command-line conventions (help, version) and a border other than China–North Korea."""

from __future__ import annotations

import re
import subprocess
import sys

import pyogrio
import pytest

import bordermap
from bordermap.cli import main

from .conftest import DATA

US_MEXICO = DATA / "us_mexico"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bordermap.cli", *args], capture_output=True, text=True, check=False
    )


@pytest.mark.parametrize("args", [(), ("--help",), ("-h",)])
def test_bare_command_and_help_list_each_subcommand_on_one_line(args):
    result = run(*args)
    assert result.returncode == 0 and result.stderr == ""
    assert result.stdout.startswith("usage: bordermap")
    commands = dict(re.findall(r"^    ([a-z]+) {2,}(\S.*)$", result.stdout, re.M))
    assert list(commands) == ["render", "verify"]
    assert commands["render"].startswith("draw the crossing map")
    assert commands["verify"].startswith("check a press package")
    assert "--version" in result.stdout


def test_version_prints_the_version():
    result = run("--version")
    assert (result.returncode, result.stdout.strip()) == (0, f"bordermap {bordermap.__version__}")


def _ports_utm(tmp_path):
    path = tmp_path / "ports_utm12n.gpkg"
    crossings = bordermap.load_crossings(US_MEXICO / "crossings.geojson")
    pyogrio.write_dataframe(crossings.to_crs("EPSG:32612"), path)
    return path


@pytest.mark.parametrize(
    ("crossings", "facility_args", "bundled_facilities"),
    [
        (lambda tmp: US_MEXICO / "crossings.geojson", [], False),
        (lambda tmp: US_MEXICO / "crossings.csv", [], False),
        (_ports_utm, [], False),
        (lambda tmp: US_MEXICO / "crossings.geojson", ["--facilities", "bundled"], True),
        (lambda tmp: None, [], True),
        (lambda tmp: None, ["--no-facilities"], False),
    ],
    ids=["geojson", "latlon-csv", "gpkg-utm", "facilities-bundled", "bundled", "no-facilities"],
)
def test_facilities_follow_the_crossings(tmp_path, crossings, facility_args, bundled_facilities):
    out = tmp_path / "map.html"
    source = crossings(tmp_path)
    args = ["render", "-o", str(out), "--offline", "--no-routes", *facility_args]
    if source is not None:
        args += ["--crossings", str(source), "--estimates", str(US_MEXICO / "estimates.csv")]
    assert main(args) == 0
    page = out.read_text(encoding="utf-8")
    assert ("Shenyang Prison" in page) is bundled_facilities
    if source is not None:
        assert "about 120" in page and "El Paso → Ciudad Juárez" in page


def test_user_border_renders_page_and_png_from_a_utm_geopackage(tmp_path):
    out, png = tmp_path / "ports.html", tmp_path / "ports.png"
    result = run(
        "render",
        "--crossings",
        str(_ports_utm(tmp_path)),
        "--estimates",
        str(US_MEXICO / "estimates.csv"),
        "-o",
        str(out),
        "--png",
        str(png),
        "--offline",
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert png.read_bytes().startswith(b"\x89PNG") and "Heroica" not in result.stderr
