"""Benchmarks: case maps (bordermap, GeoDataFrame.explore, a folium loop) and the estimates join.

Run from the repository root::

    PYTHONPATH=src python3 benchmarks/run.py --sizes 1000,10000,100000
    PYTHONPATH=src python3 benchmarks/run.py --smoke

Every map is built in its own subprocess (so a slow build can be timed out), from the same
seeded records clustered around the real border towns (data/crossings.geojson), and saved
offline: each page carries the same pinned Leaflet inline and loads nothing else. Chromium
opens each page with the network blocked; first paint is navigation start until the load
event has fired, the records exist on the page and two animation frames have passed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
# This checkout's bordermap, not another installed copy.
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(1, str(ROOT))
from tests.chromium import CHROMIUM_ARGS, chromium_executable  # noqa: E402  (after the path)

CHROMIUM = chromium_executable() or "/usr/bin/chromium"
TOOLS = ("bordermap", "explore", "folium_loop")
KINDS = ("arrest", "detention", "transfer", "testimony")
FLOOR_BYTES = 8 * 4 / 3  # two float32 coordinates in base64: 10.67 bytes a point


def border_towns() -> list[tuple[str, float, float]]:
    """The Chinese and North Korean town of each crossing: (name, lon, lat)."""
    features = json.loads((ROOT / "data" / "crossings.geojson").read_text("utf-8"))["features"]
    towns = []
    for feature in features:
        p = feature["properties"]
        towns.append((p["cn_pinyin"], p["cn_town_lon"], p["cn_town_lat"]))
        towns.append((p["kp_en"], p["kp_town_lon"], p["kp_town_lat"]))
    return towns


def synthetic_cases(n: int, seed: int = 2023) -> pd.DataFrame:
    """Seeded records around the border towns: kind, place, date, precision_m, lon, lat."""
    rng = np.random.default_rng(seed)
    towns = border_towns()
    town = rng.integers(0, len(towns), n)
    lon = np.array([t[1] for t in towns])[town]
    lat = np.array([t[2] for t in towns])[town]
    # Most records within a few km of the town, some across the county.
    spread = np.where(rng.random(n) < 0.8, 0.03, 0.15)
    days = rng.integers(0, 5 * 365, n)
    return pd.DataFrame(
        {
            "lon": lon + rng.normal(0, 1, n) * spread,
            "lat": lat + rng.normal(0, 1, n) * spread * 0.75,
            "kind": np.array(KINDS)[rng.integers(0, len(KINDS), n)],
            "place": np.array([t[0] for t in towns])[town],
            "date": (pd.Timestamp("2019-01-01") + pd.to_timedelta(days, unit="D")).strftime(
                "%Y-%m-%d"
            ),
            "precision_m": rng.choice([100, 1000, 5000], n),
        }
    )


def _leaflet_only(m) -> None:
    """Give a folium map the same pinned Leaflet as bordermap's, and nothing else."""
    from bordermap.render.leaflet.elements import LEAFLET_CSS, LEAFLET_JS

    stack = list(m._children.values())
    while stack:
        child = stack.pop()
        stack += list(getattr(child, "_children", {}).values())
        for attr in ("default_js", "default_css"):
            if getattr(child, attr, None):
                setattr(child, attr, [])
    m.default_js = [("leaflet", LEAFLET_JS)]
    m.default_css = [("leaflet_css", LEAFLET_CSS)]


def build(tool: str, n: int, path: Path) -> dict:
    """Build one map of n records with one tool and save it offline; seconds and bytes."""
    import folium

    import bordermap
    from bordermap.render.leaflet.page import base_map

    cases = synthetic_cases(n)
    bounds = [[39.5, 124.0], [43.2, 130.8]]
    started = time.perf_counter()
    if tool == "bordermap":
        m = base_map(None, "100%", "100%")
        m.fit_bounds(bounds)
        layer = bordermap.case_layer(cases, category="kind", popup_fields=["place", "date"])
        layer.add_to(m)
        coordinates = len(layer.payload["x"]["b64"]) + len(layer.payload["y"]["b64"])
    elif tool == "explore":
        import geopandas

        gdf = geopandas.GeoDataFrame(
            cases[["kind", "place", "date"]],
            geometry=geopandas.points_from_xy(cases["lon"], cases["lat"]),
            crs="EPSG:4326",
        )
        # legend=False: explore's categorical legend needs jQuery UI, which no page here loads.
        m = gdf.explore(column="kind", tiles=None, tooltip=False, popup=True, legend=False)
    elif tool == "folium_loop":
        from bordermap import theme
        from bordermap.safe import html_text

        m = folium.Map(tiles=None)
        m.fit_bounds(bounds)
        colours = dict(zip(KINDS, theme.CATEGORY_COLORS, strict=False))
        for row in cases.itertuples(index=False):
            folium.CircleMarker(
                [row.lat, row.lon],
                radius=4,
                color=colours[row.kind],
                fill=True,
                # folium.Popup needs jQuery, which no page here loads: a tooltip per marker.
                tooltip=html_text(f"{row.kind}: {row.place}, {row.date}"),
            ).add_to(m)
    else:
        raise ValueError(tool)
    if tool != "bordermap":
        _leaflet_only(m)
    page = bordermap.to_html(m, offline=True)
    path.write_text(page, encoding="utf-8")
    result = {"build_s": time.perf_counter() - started, "bytes": len(page.encode("utf-8"))}
    if tool == "bordermap":
        result["coordinate_bytes_per_point"] = coordinates / max(n, 1)
    return result


def build_in_subprocess(tool: str, n: int, path: Path, timeout: float | None) -> dict:
    """:func:`build` in its own process, stopped after ``timeout`` s (None: in this one)."""
    if timeout is None:
        return build(tool, n, path)
    command = [sys.executable, __file__, "--build", tool, "--n", str(n), "--html", str(path)]
    try:
        done = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        )
    except subprocess.TimeoutExpired:
        return {"error": f"build timed out after {timeout:.0f} s"}
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1] if done.stderr else "failed"}
    return json.loads(done.stdout.strip().splitlines()[-1])


_DRAWN = {
    "bordermap": "Number(document.querySelector('.folium-map').dataset.bmCasesDrawn || 0) > 0",
    "explore": "document.querySelectorAll('.leaflet-interactive').length > 0",
    "folium_loop": "document.querySelectorAll('.leaflet-interactive').length > 0",
}


def first_paint(browser, tool: str, path: Path, timeout: float) -> dict:
    """Seconds from navigation to the records drawn and painted; requests made."""
    context = browser.new_context(viewport={"width": 1200, "height": 800})
    requests: list[str] = []

    def block(route) -> None:
        requests.append(route.request.url)
        route.abort()

    context.route(lambda url: not url.startswith(("file:", "data:", "about:")), block)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        started = time.perf_counter()
        page.goto(path.resolve().as_uri(), wait_until="load", timeout=timeout * 1000)
        page.wait_for_function(_DRAWN[tool], timeout=timeout * 1000)
        page.evaluate(
            "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
        )
        seconds = time.perf_counter() - started
        result = {"paint_s": seconds, "requests": len(requests), "errors": errors[:3]}
        if tool == "bordermap":
            result["draw_ms"] = float(
                page.evaluate("() => document.querySelector('.folium-map').dataset.bmCasesMs")
            )
        return result
    except Exception as exc:  # a Playwright timeout: recorded, the run goes on
        return {"error": f"first paint: {type(exc).__name__}: {str(exc).splitlines()[0]}"}
    finally:
        context.close()


def estimate_rows(n: int, seed: int = 9) -> pd.DataFrame:
    """n estimate rows as read from a file (all text, ``_row``), names in many spellings."""
    import bordermap

    rng = np.random.default_rng(seed)
    crossings = bordermap.load_crossings()
    spellings = [
        str(value)
        for _, row in crossings.iterrows()
        for column in ("label_en", "label_ko", "cn_pinyin", "cn_hanzi", "kp_en", "kp_mr", "id")
        for value in [row[column]]
        if isinstance(value, str) and value
    ]
    spellings += [s.upper() for s in spellings[:10]] + [s + " County" for s in spellings[:5]]
    names = np.array(spellings, dtype=object)[rng.integers(0, len(spellings), n)]
    table = pd.DataFrame(
        {
            "event_date": "2023-10-09",
            "crossing": names,
            "figure": rng.integers(1, 600, n).astype(str),
            "low": "",
            "high": "",
            "qualifier": rng.choice(["", "about", "up to"], n),
            "source": pd.Series(np.arange(n)).map("Interview {}".format),
            "source_date": (
                pd.Timestamp("2023-10-10") + pd.to_timedelta(rng.integers(0, 400, n), unit="D")
            ).strftime("%Y-%m-%d"),
            "url": "",
            "notes": "",
        }
    )
    table["_row"] = np.arange(2, n + 2)
    return table


def per_row_join(crossings, table: pd.DataFrame) -> dict[str, dict]:
    """The baseline, doing the join's work a row at a time in Python.

    Per row: fold the name and look it up, refuse a second figure from one source for one
    crossing, keep the row and the latest figure of its crossing.
    """
    from bordermap.gazetteer import Gazetteer, normalize_name

    keys = Gazetteer.for_crossings(crossings).keys
    out: dict[str, dict] = {}
    seen: set[tuple[str, str]] = set()
    for name, figure, when, source, row in zip(
        table["crossing"],
        table["figure"],
        table["source_date"],
        table["source"],
        table["_row"],
        strict=True,
    ):
        crossing = keys.get(normalize_name(name))
        if crossing is None:
            raise LookupError(name)
        pair = (crossing, source.casefold())
        if pair in seen:
            raise ValueError(pair)
        seen.add(pair)
        entry = out.setdefault(crossing, {"n": 0, "latest": None, "rows": []})
        entry["n"] += 1
        entry["rows"].append(row)
        if entry["latest"] is None or when > entry["latest"][0]:
            entry["latest"] = (when, int(figure))
    return out


def _median_seconds(work, repeats: int) -> tuple[float, object]:
    """The median time of ``repeats`` runs of ``work()``, and its last result."""
    times, result = [], None
    for _ in range(repeats):
        started = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def join_benchmark(n: int, repeats: int = 3) -> dict:
    import bordermap
    from bordermap.validate import check_estimates

    crossings = bordermap.load_crossings()
    bordermap.join_estimates(crossings, check_estimates(estimate_rows(100)))  # warm caches
    table = estimate_rows(n)
    started = time.perf_counter()
    typed = check_estimates(table)
    validate_s = time.perf_counter() - started
    # The median of a few runs each, so one slow run (the machine is shared) decides nothing.
    join_s, joined = _median_seconds(lambda: bordermap.join_estimates(crossings, typed), repeats)
    baseline_s, baseline = _median_seconds(lambda: per_row_join(crossings, table), repeats)
    counts = dict(zip(joined["id"], joined["n_estimates"], strict=True))
    same = all(counts[c] == v["n"] for c, v in baseline.items())
    return {
        "rows": n,
        "validate_s": validate_s,
        "join_s": join_s,
        "per_row_s": baseline_s,
        "speedup": baseline_s / join_s,
        "same_counts": same,
    }


def machine() -> str:
    try:
        lscpu = subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout
        model = re.search(r"Model name:\s*(.+)", lscpu)
        cpus = re.search(r"^CPU\(s\):\s*(\d+)", lscpu, re.M)
        cpu = f"{model[1].strip() if model else '?'}, {cpus[1] if cpus else '?'} CPUs"
    except OSError:
        cpu = platform.processor() or "?"
    import folium
    import geopandas

    return (
        f"{cpu}; Linux {platform.release()}; Python {platform.python_version()}; "
        f"pandas {pd.__version__}; geopandas {geopandas.__version__}; folium {folium.__version__}"
    )


def _fmt(value: object, unit: str = "") -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.2f}{unit}" if value < 100 else f"{value:,.0f}{unit}"
    return f"{value:,}{unit}"


def run_maps(
    sizes: list[int], timeout: float, workdir: Path, repeats: int = 3, isolate: bool = True
) -> list[dict]:
    from playwright.sync_api import sync_playwright

    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            one = workdir / "bordermap-1.html"
            build_in_subprocess("bordermap", 1, one, timeout if isolate else None)
            first_paint(browser, "bordermap", one, timeout)  # warm up: no tool pays the start
            for n in sizes:
                for tool in TOOLS:
                    path = workdir / f"{tool}-{n}.html"
                    built = build_in_subprocess(tool, n, path, timeout if isolate else None)
                    row = {"tool": tool, "n": n, **built}
                    # Small pages: the median of three loads; large ones load once.
                    loads = repeats if n <= 10_000 else 1
                    for _ in range(loads if "error" not in row else 0):
                        paint = first_paint(browser, tool, path, timeout)
                        row.setdefault("paints", []).append(paint.get("paint_s"))
                        row.update(paint)
                        if "error" in paint:
                            break
                    if row.get("paints") and None not in row["paints"]:
                        row["paint_s"] = sorted(row["paints"])[len(row["paints"]) // 2]
                    rows.append(row)
                    print(f"  {tool:12} {n:>8,}  {json.dumps(row)}", file=sys.stderr, flush=True)
                # Bytes a record adds: the map of n minus the same map of one, per record.
                ours = next(r for r in rows if r["tool"] == "bordermap" and r["n"] == n)
                if "bytes" in ours and n > 1:
                    ours["bytes_per_point"] = (ours["bytes"] - one.stat().st_size) / (n - 1)
        finally:
            browser.close()
    return rows


def report(rows: list[dict], join: dict) -> str:
    lines = [
        "| points | tool | build s | HTML MB | first paint s | HTML ÷ bordermap"
        " | paint ÷ bordermap |",
        "|---:|---|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        ours = next(r for r in rows if r["tool"] == "bordermap" and r["n"] == row["n"])
        if "error" in row and "bytes" not in row:
            lines.append(f"| {row['n']:,} | {row['tool']} | {row['error']} | | | | |")
            continue
        size = row["bytes"] / 1e6
        paint = row.get("paint_s")
        ratio_size = row["bytes"] / ours["bytes"] if "bytes" in ours else None
        ratio_paint = paint / ours["paint_s"] if paint and ours.get("paint_s") else None
        lines.append(
            f"| {row['n']:,} | {row['tool']} | {_fmt(row['build_s'])} | {size:,.2f} | "
            f"{_fmt(paint) if paint else row.get('error', '—')} | "
            f"{_fmt(ratio_size, '×')} | {_fmt(ratio_paint, '×')} |"
        )
    lines.append("")
    for row in rows:
        if row["tool"] == "bordermap" and "bytes_per_point" in row:
            lines.append(
                f"bordermap at {row['n']:,} points: {row['bytes_per_point']:.2f} bytes a point "
                f"with kind, place and date; coordinates alone "
                f"{row['coordinate_bytes_per_point']:.2f} (floor {FLOOR_BYTES:.2f}); "
                f"JS bin/draw {row.get('draw_ms', 0):.0f} ms"
            )
    lines.append("")
    lines.append(
        f"join of {join['rows']:,} rows: validate {join['validate_s']:.2f} s, "
        f"resolve+aggregate {join['join_s']:.2f} s, per-row lookup {join['per_row_s']:.2f} s "
        f"→ {join['speedup']:.0f}× faster (same counts: {join['same_counts']})"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", default="1000,10000,100000", help='points per map ("": the join alone)'
    )
    parser.add_argument("--join-rows", type=int, default=1_000_000)
    parser.add_argument("--timeout", type=float, default=600, help="seconds per build/paint")
    parser.add_argument("--smoke", action="store_true", help="tiny sizes: checks it runs")
    parser.add_argument("--json", help="also write the figures to this JSON file")
    parser.add_argument("--build", choices=TOOLS, help=argparse.SUPPRESS)
    parser.add_argument("--n", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--html", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.build:
        print(json.dumps(build(args.build, args.n, Path(args.html))))
        return 0
    sizes = [200] if args.smoke else [int(s) for s in args.sizes.split(",") if s.strip()]
    join_rows = 5_000 if args.smoke else args.join_rows
    with tempfile.TemporaryDirectory(prefix="bordermap-bench-") as tmp:
        if args.smoke:
            rows = run_maps(sizes, 60, Path(tmp), repeats=1, isolate=False)
        else:  # --sizes "": the join alone
            rows = run_maps(sizes, args.timeout, Path(tmp)) if sizes else []
    join = join_benchmark(join_rows)
    print(f"machine: {machine()}")
    print(report(rows, join))
    if args.json:
        Path(args.json).write_text(
            json.dumps({"machine": machine(), "maps": rows, "join": join}, indent=1), "utf-8"
        )
    failed = [r for r in rows if r["tool"] == "bordermap" and "error" in r]
    return 1 if failed or not join["same_counts"] else 0


if __name__ == "__main__":
    sys.exit(main())
