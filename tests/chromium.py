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
