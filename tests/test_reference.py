"""The reference documentation builds from the docstrings, and documents every public name."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import bordermap

ROOT = Path(__file__).resolve().parents[1]
PUBLIC = sorted(name for name in bordermap.__all__ if not name.startswith("__"))


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> str:
    out = tmp_path_factory.mktemp("site")
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return (out / "reference" / "index.html").read_text(encoding="utf-8")


def test_reference_lists_every_public_name():
    listed = re.findall(r"^::: ([\w.]+)$", (ROOT / "docs" / "reference.md").read_text(), re.M)
    names = sorted(entry.rsplit(".", 1)[1] for entry in listed)
    assert names == PUBLIC


@pytest.mark.parametrize("name", PUBLIC)
def test_every_public_name_is_documented_with_an_example(site, name):
    obj = getattr(bordermap, name)
    # mkdocstrings gives each object an anchor with its full path.
    anchor = f'id="{obj.__module__}.{name}"'
    assert anchor in site, f"{name} is not in the built reference"
    section = site.split(anchor, 1)[1]
    section = re.split(r'<div class="doc doc-object doc-(?:function|class)">', section)[0]
    assert "Examples" in section and "&gt;&gt;&gt;" in section, f"{name} has no example"
