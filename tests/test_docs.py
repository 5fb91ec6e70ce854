"""Every example in bordermap's docstrings runs and gives what it shows."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import bordermap

MODULES = [m.name for m in pkgutil.walk_packages(bordermap.__path__, "bordermap.")]
# Modules with nothing public to show: a package marker and an element used by crossing_map.
NO_EXAMPLES = {"bordermap.render", "bordermap.render.basemap"}


@pytest.mark.parametrize("module", MODULES)
def test_docstring_examples_run(module):
    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    assert result.attempted > 0 or module in NO_EXAMPLES
