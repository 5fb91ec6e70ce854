"""Time one PNG + SVG (and PDF) export of the bundled October 2023 map: median of 5 runs.

Run: ``PYTHONPATH=src python3 benchmarks/export_image.py``. Figures recorded in README of
this folder are from that command.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

import bordermap
from bordermap.inputs import bundled_path

RUNS = 5


def median_seconds(work) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    estimates = bordermap.read_estimates(bundled_path("events/2023-10-09.csv"))
    joined = bordermap.join_estimates(bordermap.load_crossings(), estimates)
    facilities = bordermap.load_facilities()
    folder = Path(tempfile.mkdtemp())
    m = bordermap.crossing_map(joined, facilities, tiles=None)
    bordermap.to_image(m, folder / "warm.png")  # fonts and caches loaded once, as in a session

    def png_and_svg() -> None:
        bordermap.to_image(m, folder / "map.png")
        bordermap.to_image(m, folder / "map.svg")

    def whole() -> None:
        m2 = bordermap.crossing_map(joined, facilities, tiles=None, lang="ko")
        bordermap.to_image(m2, folder / "ko.png")
        bordermap.to_image(m2, folder / "ko.svg")

    print(f"PNG (200 dpi) + SVG from a map:        {median_seconds(png_and_svg):.2f} s")
    print(f"crossing_map + PNG + SVG, Korean:       {median_seconds(whole):.2f} s")
    print(
        f"PDF alone:                              "
        f"{median_seconds(lambda: bordermap.to_image(m, folder / 'map.pdf')):.2f} s"
    )


if __name__ == "__main__":
    main()
