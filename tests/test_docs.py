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
    "bordermap.render",
    "bordermap.render.leaflet",
    "bordermap.render.leaflet.basemap",
    "bordermap.render.leaflet.elements",
    "bordermap.render.image",
    "bordermap.render.image.frame",
    "bordermap.render.image.labels",
    "bordermap.render.image.legend",
    "bordermap.render.image.text",
}


@pytest.mark.parametrize("module", MODULES)
def test_docstring_examples_run(module):
    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    assert result.attempted > 0 or module in NO_EXAMPLES
