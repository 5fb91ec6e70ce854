"""The benchmark script's smoke run: tiny sizes, every tool, so the benchmarks cannot rot."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.browser
def test_benchmark_smoke_run_measures_every_tool(tmp_path, browser):
    # ``browser``: skipped (or failed in CI) exactly as the other browser tests are.
    figures = tmp_path / "figures.json"
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--smoke", "--json", str(figures)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    table = done.stdout
    for tool in ("bordermap", "explore", "folium_loop"):
        assert f"| 200 | {tool} |" in table
    assert "bytes a point" in table and "per-row lookup" in table
    result = json.loads(figures.read_text())
    assert {r["tool"] for r in result["maps"] if "paint_s" in r} == {
        "bordermap",
        "explore",
        "folium_loop",
    }
    assert all(r["requests"] == 0 for r in result["maps"])
    assert result["join"]["same_counts"] is True
