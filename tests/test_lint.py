"""The code base stays ruff clean (settings in pyproject.toml): lint and format."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("command", [["check"], ["format", "--check"]], ids=["lint", "format"])
def test_ruff_is_clean(command):
    # The ruff next to this Python first: in a virtual environment that is not activated
    # (the README's test command) its bin/ is not on PATH.
    here = Path(sys.executable).parent
    ruff = shutil.which("ruff", path=str(here)) or shutil.which("ruff")
    assert ruff, "ruff is in the test extra: pip install '.[test]'"
    result = subprocess.run(
        [ruff, *command, "."], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


# The page's own scripts (src/bordermap/render/leaflet/web/; settings in eslint.config.js and
# .prettierrc): eslint and prettier pinned in package.json and package-lock.json, installed
# with `npm ci`. Vendored files (src/bordermap/assets/) are other projects' code: not linted.
WEB = "src/bordermap/render/leaflet/web"


def _npx_tool(name: str) -> Path:
    tool = ROOT / "node_modules" / ".bin" / name
    if not tool.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{name} is not installed: run `npm ci` at the repository root")
        pytest.skip(f"{name} is not installed (no node_modules): run `npm ci` to lint the JS")
    return tool


@pytest.mark.parametrize(
    "tool, args",
    [("eslint", ["--max-warnings", "0", WEB, "eslint.config.js"]), ("prettier", ["--check", WEB])],
    ids=["eslint", "prettier"],
)
def test_page_scripts_are_linted_and_formatted(tool, args):
    result = subprocess.run(
        [str(_npx_tool(tool)), *args], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_script_bordermap_writes_into_a_page_is_a_linted_file():
    """A page's own scripts are web/'s files as they are; the only other JavaScript
    bordermap writes is one ``bordermapDraw("<data block id>")`` call per element."""
    import re

    import bordermap

    web = {path.read_text(encoding="utf-8") for path in (ROOT / WEB).glob("*.js")}
    joined = bordermap.join_estimates(
        bordermap.load_crossings(), bordermap.inputs.bundled_path("events/2023-10-09.csv")
    )
    page = bordermap.crossing_map(joined, bordermap.load_facilities(), tiles=None).render_page()
    scripts = re.findall(r"<script>(.*?)</script>", page, re.S)
    ours = [code for code in scripts if code in web]
    assert len(ours) > 5 and len(set(ours)) == len(ours)
    # Elsewhere (folium's own scripts, the map's script) bordermap writes only these calls.
    rest = [line.strip() for code in scripts if code not in web for line in code.splitlines()]
    calls = [line for line in rest if "bordermap" in line]
    assert len(calls) > 5
    assert all(re.fullmatch(r'bordermapDraw\("[a-z0-9_]+-(data|start)"\);', c) for c in calls)
