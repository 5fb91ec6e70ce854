"""Benchmarks: case maps (bordermap, GeoDataFrame.explore, lonboard, a folium loop), interaction,
and the growth of each step (read, case_layer, validate, join) with the number of records.

Run from the repository root::

    PYTHONPATH=src python3 benchmarks/run.py --sizes 10000,100000,1000000
    PYTHONPATH=src python3 benchmarks/run.py --smoke

Every map is built in its own subprocess (so a slow build can be timed out), from the same
seeded records clustered around the real border towns (data/crossings.geojson). bordermap,
explore and the loop are saved offline: each page carries the same pinned Leaflet inline and
loads nothing else. lonboard's page is its own ``Map.to_html`` (``pip install lonboard``;
skipped when it is not installed). Chromium opens each page with the network blocked; first
paint is navigation start until the load event has fired, the records exist on the page and
two animation frames have passed.
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
TOOLS = ("bordermap", "explore", "lonboard", "folium_loop")
# Above these sizes a tool is not run: explore took 159 s to paint 100,000 points, the loop
# writes 65 MB at 100,000; lonboard and bordermap go to a million.
MAX_POINTS = {"bordermap": None, "explore": 100_000, "lonboard": None, "folium_loop": 10_000}
KINDS = ("arrest", "detention", "transfer", "testimony")


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
        records = len(layer.payload["blob"]["b64"])
    elif tool == "explore":
        import geopandas

        gdf = geopandas.GeoDataFrame(
            cases[["kind", "place", "date"]],
            geometry=geopandas.points_from_xy(cases["lon"], cases["lat"]),
            crs="EPSG:4326",
        )
        # legend=False: explore's categorical legend needs jQuery UI, which no page here loads.
        m = gdf.explore(column="kind", tiles=None, tooltip=False, popup=True, legend=False)
    elif tool == "lonboard":
        import geopandas
        import lonboard

        from bordermap import theme

        gdf = geopandas.GeoDataFrame(
            cases[["kind", "place", "date"]],
            geometry=geopandas.points_from_xy(cases["lon"], cases["lat"]),
            crs="EPSG:4326",
        )
        rgb = {
            k: [int(c[i : i + 2], 16) for i in (1, 3, 5)]
            for k, c in zip(KINDS, theme.CATEGORY_COLORS, strict=False)
        }
        colours = np.array([rgb[k] for k in KINDS], dtype=np.uint8)[
            pd.Categorical(cases["kind"], categories=KINDS).codes
        ]
        layer = lonboard.ScatterplotLayer.from_geopandas(
            gdf, get_fill_color=colours, radius_min_pixels=3
        )
        page = lonboard.Map(layer).to_html()
        path.write_text(page, encoding="utf-8")
        return {"build_s": time.perf_counter() - started, "bytes": len(page.encode("utf-8"))}
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
        result["record_bytes_per_point"] = records / max(n, 1)
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
    # deck.gl draws into a canvas once the widget has been rendered.
    "lonboard": "document.querySelector('canvas') !== null",
}


def first_paint(browser, tool: str, path: Path, timeout: float, offline_wait: float = 30) -> dict:
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
        # A page that fetches what it needs never draws here: ``offline_wait`` s says so.
        wait = min(timeout, offline_wait) if tool == "lonboard" else timeout
        page.wait_for_function(_DRAWN[tool], timeout=wait * 1000)
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
        return {
            "error": f"first paint: {type(exc).__name__}: {str(exc).splitlines()[0]}",
            "requests": len(requests),
            "blocked": sorted({re.sub(r"^(\w+://[^/]+).*", r"\1", u) for u in requests})[:4],
        }
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
    from bordermap.model.gazetteer import Gazetteer, normalize_name

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


def join_benchmark(n: int, repeats: int = 3, baseline: bool = True) -> dict:
    """Validation, join and (``baseline``) the per-row lookup of n estimate rows."""
    import bordermap
    from bordermap.model.validate import check_estimates

    crossings = bordermap.load_crossings()
    bordermap.join_estimates(crossings, check_estimates(estimate_rows(100)))  # warm caches
    table = estimate_rows(n)
    # The median of a few runs each, so one slow run (the machine is shared) decides nothing.
    validate_s, typed = _median_seconds(lambda: check_estimates(table), repeats)
    join_s, joined = _median_seconds(lambda: bordermap.join_estimates(crossings, typed), repeats)
    result = {"rows": n, "validate_s": validate_s, "join_s": join_s}
    if baseline:
        baseline_s, per_row = _median_seconds(lambda: per_row_join(crossings, table), repeats)
        counts = dict(zip(joined["id"], joined["n_estimates"], strict=True))
        result.update(
            per_row_s=baseline_s,
            speedup=baseline_s / join_s,
            same_counts=all(counts[c] == v["n"] for c, v in per_row.items()),
        )
    return result


def growth(sizes: list[int], workdir: Path, repeats: int = 3) -> list[dict]:
    """Each step at each size: read_geodata (GeoPackage, Arrow path), case_layer, validate, join.

    ``read_arrow_off_s`` reads the same file through pyogrio without Arrow, for comparison.
    """
    import geopandas

    import bordermap
    from bordermap.inputs import read_geodata

    rows = []
    for n in sizes:
        cases = synthetic_cases(n)
        path = workdir / f"cases-{n}.gpkg"
        geopandas.GeoDataFrame(
            cases.drop(columns=["lon", "lat"]),
            geometry=geopandas.points_from_xy(cases["lon"], cases["lat"]),
            crs="EPSG:4326",
        ).to_file(path)
        read_s, points = _median_seconds(lambda p=path: read_geodata(p), repeats)
        plain_s, _ = _median_seconds(
            lambda p=path: geopandas.read_file(p, engine="pyogrio", use_arrow=False), repeats
        )
        layer_s, _ = _median_seconds(
            lambda c=cases: bordermap.case_layer(
                c, category="kind", popup_fields=["place", "date"]
            ),
            repeats,
        )
        row = {
            "n": n,
            "read_s": read_s,
            "read_arrow_off_s": plain_s,
            "read_rows": len(points),
            "case_layer_s": layer_s,
            **join_benchmark(n, repeats, baseline=False),
        }
        rows.append(row)
        print(f"  growth {n:>9,}  {json.dumps(row)}", file=sys.stderr, flush=True)
    return rows


# A scripted visit: out, into each of three towns in steps, pans at each zoom, and out again.
_VISIT = [
    (41.3, 127.4, 7), (41.3, 127.9, 7), (41.0, 127.0, 7), (42.9, 129.9, 8), (42.95, 129.95, 9),
    (42.90, 130.05, 9), (42.95, 129.99, 10), (42.97, 129.95, 10), (42.95, 129.99, 11),
    (42.93, 130.02, 11), (42.95, 129.99, 12), (42.96, 130.00, 12), (42.95, 129.99, 13),
    (42.95, 130.01, 13), (40.10, 124.40, 8), (40.10, 124.40, 10), (40.12, 124.38, 10),
    (40.10, 124.40, 12), (40.08, 124.42, 12), (41.40, 128.18, 9), (41.42, 128.20, 11),
    (41.40, 128.18, 13), (41.3, 127.4, 6), (41.3, 127.4, 7),
]  # fmt: skip


def _renderer_memory_mb(pid: int) -> float | None:
    """Resident memory of the largest Chromium renderer under this process (Linux /proc)."""
    children: dict[int, list[int]] = {}
    proc = Path("/proc")
    for entry in proc.iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    stack, best = [pid], None
    while stack:
        here = stack.pop()
        stack += children.get(here, [])
        try:
            cmdline = (proc / str(here) / "cmdline").read_bytes()
            status = (proc / str(here) / "status").read_text()
        except OSError:
            continue
        if b"--type=renderer" in cmdline:
            rss = re.search(r"VmRSS:\s+(\d+) kB", status)
            if rss:
                best = max(best or 0.0, int(rss[1]) / 1024)
    return best


def interaction(browser, path: Path, timeout: float) -> dict:
    """bordermap's page: redraw per zoom/pan of a scripted visit, a click, memory."""
    context = browser.new_context(viewport={"width": 1200, "height": 800})
    context.route(lambda url: not url.startswith(("file:", "data:", "about:")), lambda r: r.abort())
    page = context.new_page()
    try:
        page.goto(path.resolve().as_uri(), wait_until="load", timeout=timeout * 1000)
        page.wait_for_function(_DRAWN["bordermap"], timeout=timeout * 1000)
        steps = page.evaluate(
            """(visit) => { const l = Object.values(window.bordermapCases)[0], map = l._map;
            const box = map.getContainer();
            return visit.map(([lat, lon, zoom]) => {
              const started = performance.now();
              map.setView([lat, lon], zoom, {animate: false});
              return {ms: performance.now() - started, draw_ms: Number(box.dataset.bmCasesMs),
                      mode: l.mode, drawn: l.drawn};
            }); }""",
            _VISIT,
        )
        # A click on a record up close: found by hit-testing what was drawn, popup opened.
        page.evaluate(
            "() => { const l = Object.values(window.bordermapCases)[0];"
            " l._map.setView(l.position(0), 16, {animate: false}); }"
        )
        target = page.evaluate(
            """() => { const l = Object.values(window.bordermapCases)[0];
            const p = l.items.find(i => i.index !== undefined); return p && {x: p.x, y: p.y}; }"""
        )
        click_ms = None
        if target:
            box = page.locator(".folium-map").bounding_box()
            page.mouse.click(box["x"] + target["x"], box["y"] + target["y"])
            page.locator(".bm-case-popup").wait_for(timeout=5000)
            click_ms = page.evaluate("() => Object.values(window.bordermapCases)[0].lastClickMs")
        cdp = context.new_cdp_session(page)
        cdp.send("Performance.enable")
        metrics = cdp.send("Performance.getMetrics")["metrics"]
        heap = next(m["value"] for m in metrics if m["name"] == "JSHeapUsedSize") / 2**20
        times = [s["ms"] for s in steps]
        return {
            "redraw_median_ms": statistics.median(times),
            "redraw_p90_ms": sorted(times)[int(0.9 * (len(times) - 1))],
            "layer_draw_median_ms": statistics.median(s["draw_ms"] for s in steps),
            "modes": sorted({s["mode"] for s in steps}),
            "click_ms": click_ms,
            "js_heap_mb": heap,
            "renderer_mb": _renderer_memory_mb(os.getpid()),
        }
    except Exception as exc:  # a Playwright timeout: recorded, the run goes on
        return {"error": f"interaction: {type(exc).__name__}: {exc!r}"[:300]}
    finally:
        context.close()


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


def _lonboard_installed() -> bool:
    import importlib.util

    return importlib.util.find_spec("lonboard") is not None


def run_maps(
    sizes: list[int],
    timeout: float,
    workdir: Path,
    repeats: int = 3,
    isolate: bool = True,
    offline_wait: float = 30,
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
                    row: dict = {"tool": tool, "n": n}
                    cap = MAX_POINTS[tool]
                    if tool == "lonboard" and not _lonboard_installed():
                        rows.append({**row, "skipped": "not installed (pip install lonboard)"})
                        continue
                    if cap is not None and n > cap:
                        rows.append({**row, "skipped": f"not run above {cap:,} points"})
                        continue
                    path = workdir / f"{tool}-{n}.html"
                    row.update(build_in_subprocess(tool, n, path, timeout if isolate else None))
                    # bordermap and small pages: the median of three loads; large ones once.
                    loads = repeats if n <= 10_000 or tool == "bordermap" else 1
                    loads = 1 if tool == "lonboard" else loads
                    for _ in range(loads if "error" not in row else 0):
                        paint = first_paint(browser, tool, path, timeout, offline_wait)
                        row.setdefault("paints", []).append(paint.get("paint_s"))
                        row.update(paint)
                        if "error" in paint:
                            break
                    if row.get("paints") and None not in row["paints"]:
                        row["paint_s"] = statistics.median(row["paints"])
                    if tool == "bordermap" and "error" not in row:
                        row.update(interaction(browser, path, timeout))
                    rows.append(row)
                    print(f"  {tool:12} {n:>9,}  {json.dumps(row)}", file=sys.stderr, flush=True)
                # Bytes a record adds: the map of n minus the same map of one, per record.
                ours = next(r for r in rows if r["tool"] == "bordermap" and r["n"] == n)
                if "bytes" in ours and n > 1:
                    ours["bytes_per_point"] = (ours["bytes"] - one.stat().st_size) / (n - 1)
        finally:
            browser.close()
    return rows


def _ours(rows: list[dict], n: int) -> dict:
    return next((r for r in rows if r["tool"] == "bordermap" and r["n"] == n), {})


def report(rows: list[dict], steps: list[dict], join: dict | None) -> str:
    lines = [
        "| points | tool | build s | HTML MB | first paint s | offline | HTML ÷ bordermap"
        " | paint ÷ bordermap |",
        "|---:|---|---:|---:|---:|---|---:|---:|",
    ]
    for row in rows:
        ours = _ours(rows, row["n"])
        if "skipped" in row:
            lines.append(f"| {row['n']:,} | {row['tool']} | {row['skipped']} | | | | | |")
            continue
        if "bytes" not in row:
            lines.append(f"| {row['n']:,} | {row['tool']} | {row.get('error')} | | | | | |")
            continue
        paint = row.get("paint_s")
        offline = (
            "yes (0 requests)"
            if paint and not row.get("requests")
            else f"no: {row.get('requests', 0)} requests blocked "
            f"({', '.join(row.get('blocked', []))})"
        )
        ratio_size = row["bytes"] / ours["bytes"] if "bytes" in ours else None
        ratio_paint = paint / ours["paint_s"] if paint and ours.get("paint_s") else None
        lines.append(
            f"| {row['n']:,} | {row['tool']} | {_fmt(row['build_s'])} | "
            f"{row['bytes'] / 1e6:,.2f} | "
            f"{_fmt(paint) if paint else 'never drew'} | {offline} | "
            f"{_fmt(ratio_size, '×')} | {_fmt(ratio_paint, '×')} |"
        )
    lines += [
        "",
        "| points | bytes a record | redraw median ms (p90) | layer draw median ms | click ms |"
        " renderer MB | JS heap MB |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        if row["tool"] != "bordermap" or "redraw_median_ms" not in row:
            continue
        lines.append(
            f"| {row['n']:,} | {row.get('bytes_per_point', 0):.2f} "
            f"(records {row['record_bytes_per_point']:.2f}) | "
            f"{row['redraw_median_ms']:.1f} ({row['redraw_p90_ms']:.1f}) | "
            f"{row['layer_draw_median_ms']:.1f} | {_fmt(row.get('click_ms'))} | "
            f"{_fmt(row.get('renderer_mb'))} | {row['js_heap_mb']:.0f} |"
        )
    if steps:
        lines += [
            "",
            "| rows | read_geodata s (Arrow) | without Arrow s | case_layer s | validate s"
            " | join s |",
            "|---:|---:|---:|---:|---:|---:|",
        ]
        for r in steps:
            lines.append(
                f"| {r['n']:,} | {r['read_s']:.3f} | {r['read_arrow_off_s']:.3f} | "
                f"{r['case_layer_s']:.3f} | {r['validate_s']:.3f} | {r['join_s']:.3f} |"
            )
        first, last = steps[0], steps[-1]
        if last["n"] > first["n"]:
            data = last["n"] / first["n"]
            grew = ", ".join(
                f"{name} {last[key] / first[key]:.0f}×"
                for name, key in (
                    ("read", "read_s"),
                    ("case_layer", "case_layer_s"),
                    ("validate", "validate_s"),
                    ("join", "join_s"),
                )
            )
            lines.append(f"\n{first['n']:,} → {last['n']:,} rows ({data:.0f}× the data): {grew}")
    if join:
        lines.append(
            f"\njoin of {join['rows']:,} rows: validate {join['validate_s']:.2f} s, "
            f"resolve+aggregate {join['join_s']:.2f} s, per-row lookup {join['per_row_s']:.2f} s "
            f"→ {join['speedup']:.0f}× faster (same counts: {join['same_counts']})"
        )
    lines += ["", *targets(rows, steps)]
    return "\n".join(lines)


def targets(rows: list[dict], steps: list[dict]) -> list[str]:
    """The issue's done-when checks, each with its numbers: met or not."""
    out = []
    sizes = sorted({r["n"] for r in rows if r["tool"] == "bordermap"})
    if not sizes:
        return out
    top = _ours(rows, sizes[-1])

    def line(ok: bool, text: str) -> None:
        out.append(f"{'MET ' if ok else 'NOT MET'}  {text}")

    if "bytes" in top:
        line(
            top["bytes"] <= 6e6,
            f"bordermap page of {top['n']:,} records: {top['bytes'] / 1e6:.2f} MB (≤ 6 MB)",
        )
    explore = next((r for r in rows if r["tool"] == "explore" and r["n"] == 10_000), None)
    if explore and explore.get("paint_s") and top.get("paint_s"):
        line(
            top["paint_s"] <= explore["paint_s"] / 3,
            f"first paint of {top['n']:,} records {top['paint_s']:.2f} s; explore() at 10,000: "
            f"{explore['paint_s']:.2f} s (≤ a third: {explore['paint_s'] / 3:.2f} s)",
        )
    tenth = _ours(rows, top["n"] // 10)
    if tenth.get("paint_s") and top.get("paint_s"):
        line(
            top["paint_s"] <= 1.5 * tenth["paint_s"],
            f"first paint {top['n']:,}: {top['paint_s']:.2f} s; {tenth['n']:,}: "
            f"{tenth['paint_s']:.2f} s (≤ 1.5×: {1.5 * tenth['paint_s']:.2f} s)",
        )
    if "redraw_median_ms" in top:
        line(
            top["redraw_median_ms"] < 50,
            f"zoom/pan redraw at {top['n']:,}: median {top['redraw_median_ms']:.1f} ms (< 50 ms)",
        )
    if top.get("click_ms") is not None:
        line(
            top["click_ms"] < 20,
            f"click to popup at {top['n']:,}: {top['click_ms']:.1f} ms (< 20 ms)",
        )
    if top.get("renderer_mb"):
        line(
            top["renderer_mb"] < 300,
            f"page memory at {top['n']:,}: renderer {top['renderer_mb']:.0f} MB (< 300 MB)",
        )
    if steps:
        last = steps[-1]
        line(
            last["validate_s"] <= last["join_s"],
            f"validation of {last['n']:,} rows {last['validate_s']:.2f} s; join "
            f"{last['join_s']:.2f} s (≤ the join)",
        )
        line(
            last["case_layer_s"] < 1.5,
            f"case_layer of {last['n']:,} rows {last['case_layer_s']:.2f} s (< 1.5 s)",
        )
    lonboard = next((r for r in rows if r["tool"] == "lonboard" and r["n"] == top["n"]), None)
    if lonboard and "bytes" in lonboard and "bytes" in top:
        out.append(
            f"lonboard at {top['n']:,}: {lonboard['bytes'] / 1e6:.2f} MB beside bordermap's "
            f"{top['bytes'] / 1e6:.2f} MB; offline: "
            f"{'yes' if lonboard.get('paint_s') and not lonboard.get('requests') else 'no'}"
        )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", default="10000,100000,1000000", help='points per map ("": the join alone)'
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
            rows = run_maps(sizes, 60, Path(tmp), repeats=1, isolate=False, offline_wait=3)
            steps = growth(sizes, Path(tmp), repeats=1)
        else:  # --sizes "": the join alone
            rows = run_maps(sizes, args.timeout, Path(tmp)) if sizes else []
            steps = growth(sizes, Path(tmp)) if sizes else []
    join = join_benchmark(join_rows, repeats=1 if args.smoke else 3)
    print(f"machine: {machine()}")
    print(report(rows, steps, join))
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {"machine": machine(), "maps": rows, "growth": steps, "join": join}, indent=1
            ),
            "utf-8",
        )
    failed = [r for r in rows if r["tool"] == "bordermap" and "error" in r]
    return 1 if failed or not join["same_counts"] else 0


if __name__ == "__main__":
    sys.exit(main())
