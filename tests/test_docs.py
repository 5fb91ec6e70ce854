"""Every example in bordermap's docstrings runs and gives what it shows."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import bordermap

MODULES = [m.name for m in pkgutil.walk_packages(bordermap.__path__, "bordermap.")]
# Modules with nothing public to show: package markers, and elements and drawing steps that
# crossing_map and to_image use (their examples are those functions').
NO_EXAMPLES = {
    "bordermap._version",
    "bordermap.commands",  # the command line's examples are bordermap.cli.main's
    "bordermap.describe",
    "bordermap.export",
    "bordermap.inputs",
    "bordermap.model",
    "bordermap.model.schema",
    "bordermap.render",
    "bordermap.render.leaflet",
    "bordermap.render.leaflet.backdrop",
    "bordermap.render.leaflet.case_layer",
    "bordermap.render.leaflet.elements",
    "bordermap.render.image",
    "bordermap.render.image.frame",
    "bordermap.render.image.lettering",
    "bordermap.render.image.legend",
    "bordermap.render.image.name_anchors",
    "bordermap.render.image.text",
}


@pytest.mark.parametrize("module", MODULES)
def test_docstring_examples_run(module):
    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    assert result.attempted > 0 or module in NO_EXAMPLES


def _readme_commands() -> list[str]:
    """The shell commands in the README's "Set up and run" section, in order."""
    import re
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Set up and run", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```\n(.+?)\n```", section)


def test_ci_runs_the_readmes_test_command_verbatim():
    from pathlib import Path

    ci = (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text(encoding="utf-8")
    _setup, tests = _readme_commands()
    assert tests in ci.splitlines()
    assert "python3-venv" in ci  # Debian's Python makes no virtual environment without it


def test_readme_commands_install_into_a_virtual_environment():
    # A Debian or Ubuntu Python is externally managed (PEP 668): pip refuses to install
    # outside a virtual environment, so each command makes and uses one.
    for command in _readme_commands():
        assert command.startswith("python3 -m venv .venv && .venv/bin/pip install ")
        assert "python3 -m pip" not in command
