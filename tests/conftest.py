"""Shared fixtures: bundled paths, a real headless Chromium with the network cut off."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from .chromium import CHROMIUM_ARGS, chromium_executable

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def browser():
    """A headless Chromium driven by Playwright; in CI a missing browser fails, never skips."""
    executable = chromium_executable()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    if executable is None or sync_playwright is None:
        if os.environ.get("CI"):
            pytest.fail("CI must run the browser tests: install chromium and playwright")
        pytest.skip("headless Chromium or playwright is not installed")
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@dataclass
class OpenedPage:
    """A page opened from a file, with what went wrong while it loaded."""

    page: object
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


@pytest.fixture
def open_html(browser):
    """Open an HTML file offline: every non-file request is blocked and recorded."""
    contexts = []

    def opener(path: Path, *, width: int = 1200, height: int = 800) -> OpenedPage:
        context = browser.new_context(viewport={"width": width, "height": height})
        contexts.append(context)
        page = context.new_page()
        opened = OpenedPage(page)

        def route(route_obj):
            opened.requests.append(route_obj.request.url)
            route_obj.abort()

        context.route(lambda url: not url.startswith(("file:", "data:", "about:")), route)
        page.on("pageerror", lambda exc: opened.errors.append(str(exc)))
        page.on(
            "console",
            lambda msg: opened.errors.append(msg.text) if msg.type == "error" else None,
        )

        def on_dialog(dialog):
            opened.dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", on_dialog)
        page.goto(Path(path).resolve().as_uri())
        page.wait_for_load_state("load")
        return opened

    yield opener
    for context in contexts:
        context.close()


@pytest.fixture
def hide_fonts(monkeypatch):
    """Make font families look uninstalled: matplotlib's font list without them, and no
    system font found anew (as on a machine without the Debian package)."""
    from matplotlib import font_manager

    def hide(*prefixes: str) -> None:
        shown = [
            entry
            for entry in font_manager.fontManager.ttflist
            if not entry.name.startswith(prefixes)
        ]
        monkeypatch.setattr(font_manager.fontManager, "ttflist", shown)
        monkeypatch.setattr(font_manager, "findSystemFonts", lambda *args, **kwargs: [])

    return hide
