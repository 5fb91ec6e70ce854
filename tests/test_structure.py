"""The house rules of the code: data flows one way, no module reaches into another's private
names, modules stay small, and the public API is listed once."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

import bordermap

SRC = Path(bordermap.__file__).resolve().parent
TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent

# The layers, as folders (or single modules), in the order data flows: the kit every layer may
# use → inputs → model → the bundled basemap store → the map description (spec) → describe →
# render → export → the front door (maps) → the command line. A module may import modules of
# its own layer or of layers before it, never after.
KIT = (
    "_version",
    "errors",
    "arguments",
    "cells",
    "plain",
    "safe",
    "screen",
    "theme",
    "geo",
    "i18n",
)
LAYERS = (
    KIT,
    ("inputs", "io"),
    ("model",),
    ("store", "coarse", "placenames", "lakes", "basemap", "rivers"),
    ("spec", "context"),
    ("describe",),
    ("render",),
    ("export",),
    ("maps",),
    ("commands",),
    ("cli",),
)
# What a renderer reads: the spec, the kit and the basemap store (data, not a step) — never
# the inputs, the model or the describers.
RENDER_READS = ("spec", "context", "basemap", "render", *KIT)
MAX_LINES = 500


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(("bordermap", *parts)).removesuffix(".__init__")


MODULES = {_module_name(p): p for p in sorted(SRC.rglob("*.py"))}


def _imports(path: Path) -> list[tuple[str, str]]:
    """(module, name) for every ``from bordermap… import name`` and ``import bordermap…``,
    at module level or inside a function (a late import is a dependency all the same)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("bordermap"):
            found += [(node.module, alias.name) for alias in node.names]
        elif isinstance(node, ast.Import):
            found += [(a.name, "") for a in node.names if a.name.startswith("bordermap")]
    return found


def _target(module: str, name: str) -> str:
    """The bordermap module an import depends on (``from bordermap import io`` is ``io``)."""
    return f"{module}.{name}" if f"{module}.{name}" in MODULES else module


def _top(module: str) -> str:
    """The folder (or top-level module) a module lives in: ``bordermap.model.cases`` → model."""
    return module.removeprefix("bordermap.").split(".")[0]


def _layer(module: str) -> int:
    short = _top(module)
    for i, names in enumerate(LAYERS):
        if short in names:
            return i
    raise AssertionError(f"{module} is in no layer of tests/test_structure.py: add it")


def _graph() -> dict[str, set[str]]:
    return {
        name: {_target(m, n) for m, n in _imports(path)} - {name, "bordermap"}
        for name, path in MODULES.items()
        if name != "bordermap"
    }


@pytest.mark.parametrize("module", sorted(set(MODULES) - {"bordermap"}))
def test_imports_only_flow_downward(module):
    upward = [
        dep for dep in sorted(_graph()[module]) if dep in MODULES and _layer(dep) > _layer(module)
    ]
    assert upward == [], f"{module} (layer {_layer(module)}) imports a later layer"


@pytest.mark.parametrize("module", sorted(m for m in MODULES if _top(m) == "render"), ids=str)
def test_renderers_read_only_the_spec_the_kit_and_the_basemap(module):
    reads = sorted(
        dep for dep in _graph()[module] if dep in MODULES and _top(dep) not in RENDER_READS
    )
    assert reads == [], f"{module} reads more than a map description"


def test_no_two_modules_share_a_name():
    names: dict[str, list[str]] = {}
    for module, path in MODULES.items():
        if path.name != "__init__.py":
            names.setdefault(path.stem, []).append(module)
    assert {k: v for k, v in names.items() if len(v) > 1} == {}


def test_every_module_is_used_by_the_package():
    """Nothing in src/ is there only for the tests: each module is imported by another, or is
    a public entry point (the package, the command line, a layer's face)."""
    imported = {dep for deps in _graph().values() for dep in deps}
    entry = {"bordermap", "bordermap.cli", "bordermap._version"}
    faces = {m for m, p in MODULES.items() if p.name == "__init__.py"}
    lazy = set(bordermap._LAZY.values()) | set(bordermap._SUBMODULES.values())
    unused = sorted(set(MODULES) - imported - entry - faces - lazy)
    assert unused == []


def test_no_import_cycle():
    graph = _graph()
    state: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for dep in sorted(graph.get(node, ())):
            if state.get(dep) == 1:
                raise AssertionError(" → ".join([*path, node, dep]))
            if dep in graph and dep not in state:
                visit(dep, [*path, node])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [])


PYTHON_FILES = sorted(
    [
        *MODULES.values(),
        *TESTS.glob("*.py"),
        *(ROOT / "scripts").glob("*.py"),
        *(ROOT / "benchmarks").glob("*.py"),
    ]
)


def _shown(path: Path) -> str:
    """A file's name for a test id, wherever the package is installed (in the checkout, or in
    a virtual environment elsewhere)."""
    for base in (ROOT, SRC.parent):
        if base in path.parents:
            return str(path.relative_to(base))
    return str(path)


@pytest.mark.parametrize("path", PYTHON_FILES, ids=_shown)
def test_no_private_name_is_imported_from_another_module(path):
    here = _module_name(path) if SRC in path.parents else None
    private = [
        f"{m}.{n}"
        for m, n in _imports(path)
        if n.startswith("_") and not n.startswith("__") and m != here
    ]
    assert private == []


@pytest.mark.parametrize("module", sorted(MODULES), ids=str)
def test_modules_stay_small(module):
    lines = len(MODULES[module].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{module} has {lines} lines: split it by responsibility"


def test_version_lives_in_its_own_module():
    from bordermap._version import __version__

    assert bordermap.__version__ == __version__
    assert "__version__ =" not in (SRC / "__init__.py").read_text(encoding="utf-8")


def test_the_public_api_is_listed_once_and_every_name_resolves():
    public = [name for name in bordermap.__all__ if not name.startswith("__")]
    assert len(public) == len(set(public))
    for name in public:
        assert getattr(bordermap, name) is not None, name
        if callable(getattr(bordermap, name)):
            assert getattr(bordermap, name).__doc__, f"{name} has no docstring"
    assert set(bordermap.__all__) <= set(dir(bordermap))


@pytest.mark.parametrize("module", sorted(MODULES))
def test_every_module_says_what_it_is_for(module):
    imported = importlib.import_module(module)
    assert (imported.__doc__ or "").strip(), f"{module} has no module docstring"
