"""The benchmark script's smoke run: tiny sizes, every tool, so the benchmarks cannot rot.

lonboard is measured when installed (``pip install lonboard``) and listed as skipped otherwise.
"""

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
    for tool in ("bordermap", "explore", "folium_loop", "lonboard"):
        assert f"| 200 | {tool} |" in table
    assert "bytes a record" in table and "per-row lookup" in table and "case_layer s" in table
    result = json.loads(figures.read_text())
    offline = [r for r in result["maps"] if r["tool"] != "lonboard"]
    assert {r["tool"] for r in offline if "paint_s" in r} == {"bordermap", "explore", "folium_loop"}
    assert all(r["requests"] == 0 for r in offline)
    ours = next(r for r in result["maps"] if r["tool"] == "bordermap")
    assert ours["redraw_median_ms"] > 0 and ours["click_ms"] is not None
    assert "MET" in table  # the targets are checked and printed
    assert [g["n"] for g in result["growth"]] == [200]
    assert result["growth"][0]["read_rows"] == 200
    assert result["join"]["same_counts"] is True
