"""The accessibility check of the browser tests: axe-core, vendored and pinned, run offline."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

AXE_VERSION = "4.14.1"
AXE_JS = Path(__file__).parent / "assets" / f"axe-core-{AXE_VERSION}" / "axe.min.js"
# The SHA-256 in tests/assets/README.md: a changed copy must fail, not change what is measured.
AXE_SHA256 = "29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c"


@functools.cache
def axe_source() -> str:
    """The text of the pinned ``axe.min.js``, checked against its SHA-256."""
    data = AXE_JS.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != AXE_SHA256:
        raise AssertionError(f"{AXE_JS} has SHA-256 {digest}, expected {AXE_SHA256}")
    return data.decode("utf-8")


def axe_violations(
    page, impacts: tuple[str, ...] | None = ("serious", "critical"), rules: dict | None = None
) -> list[dict]:
    """Run axe-core on an opened Playwright page and return its violations.

    axe is injected by content, never by URL, so it works on a page opened offline (the
    ``open_html`` fixture blocks every request that is not ``file:``).

    Parameters
    ----------
    page
        A Playwright page, loaded.
    impacts
        Keep only violations of these impacts (axe's ``minor``, ``moderate``, ``serious``,
        ``critical``); None keeps all.
    rules
        axe ``rules`` option, e.g. ``{"region": {"enabled": False}}``.

    Returns
    -------
    list of dict
        One per violated rule: ``id``, ``impact``, ``help`` and ``targets`` (the CSS
        selectors of the failing nodes), sorted by rule id.
    """
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_source())
    options = {"resultTypes": ["violations"]}
    if rules:
        options["rules"] = rules
    found = page.evaluate(
        """async (options) => {
            const result = await axe.run(document, options);
            return result.violations.map((v) => ({
                id: v.id,
                impact: v.impact,
                help: v.help,
                targets: v.nodes.map((n) => n.target.join(" ")),
            }));
        }""",
        options,
    )
    kept = [v for v in found if impacts is None or v["impact"] in impacts]
    return sorted(kept, key=lambda v: v["id"])


def describe(violations: list[dict]) -> str:
    """One line per violation, for an assertion message."""
    return "\n".join(
        f"{v['impact']}: {v['id']} ({v['help']}) at {', '.join(v['targets'][:5])}"
        for v in violations
    )
