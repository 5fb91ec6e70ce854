"""The code base stays ruff clean (settings in pyproject.toml): lint and format."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("command", [["check"], ["format", "--check"]], ids=["lint", "format"])
def test_ruff_is_clean(command):
    # The ruff next to this Python first: in a virtual environment that is not activated
    # (the README's test command) its bin/ is not on PATH.
    here = Path(sys.executable).parent
    ruff = shutil.which("ruff", path=str(here)) or shutil.which("ruff")
    assert ruff, "ruff is in the test extra: pip install '.[test]'"
    result = subprocess.run(
        [ruff, *command, "."], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
