"""The one headless-Chromium set-up of this repository: the browser tests, the benchmarks and
the picture script all start Debian's Chromium this way (no sandbox as root, no background
traffic on a closed network)."""

from __future__ import annotations

import os
import shutil

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def chromium_executable() -> str | None:
    """``$BORDERMAP_CHROMIUM``, else ``chromium`` on the PATH; None when there is none."""
    return (
        os.environ.get("BORDERMAP_CHROMIUM")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )


# Requests a page may make with the network cut: itself, its inline data and blank frames.
LOCAL = ("file:", "data:", "about:")


def open_offline(
    browser,
    path,
    width: int,
    height: int,
    *,
    wait: str = "[data-bm-labels-placed]",
    scale: float = 1,
):
    """Open a local page in its own browser context with every other request refused.

    Returns the context (close it when done), the page (its labels placed, when ``wait``
    names the placer's mark) and the list of refused URLs, which grows as the page asks: a
    page that works offline leaves it empty; ``scale`` is the screen's device pixels per CSS
    pixel (1.5 on many laptops). The README's pictures, the gallery and its
    tests all open pages this way.
    """
    from pathlib import Path

    context = browser.new_context(
        viewport={"width": width, "height": height}, device_scale_factor=scale
    )
    refused: list[str] = []

    def refuse(route) -> None:
        refused.append(route.request.url)
        route.abort()

    context.route(lambda url: not url.startswith(LOCAL), refuse)
    page = context.new_page()
    page.goto(Path(path).resolve().as_uri())
    if wait:
        page.frames[-1].wait_for_selector(wait, state="attached")
    return context, page, refused


def screenshot_offline(browser, path, size: tuple[int, int], out) -> list[str]:
    """Chromium's picture of a local page at ``size`` (width, height), the network cut, once
    its labels are placed (and 300 ms more, for the last placement to be drawn); returns the
    URLs the page asked for and was refused."""
    context, page, refused = open_offline(browser, path, *size)
    try:
        page.wait_for_timeout(300)
        page.screenshot(path=str(out))
    finally:
        context.close()
    return refused


def iframe_host(path, width: int = 640, height: int = 400):
    """A page beside ``path`` that shows it in a borderless ``<iframe>`` of that size (a map
    embedded in an article), for the iframe screen of the browser tests."""
    host = path.with_name(f"{path.stem}-host.html")
    host.write_text(
        '<!doctype html><html lang="en"><title>host</title><body style="margin:0">'
        f'<iframe src="{path.as_uri()}" width="{width}" height="{height}" title="map"'
        ' style="border:0"></iframe></body></html>',
        encoding="utf-8",
    )
    return host
