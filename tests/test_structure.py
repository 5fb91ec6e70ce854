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

# files → schema/validate → join, events, publish → map description → renderers → export → CLI.
# A module may import modules of its own layer or of layers before it, never after.
LAYERS = (
    ("_version", "errors", "safe", "schema", "writes", "audit", "arguments"),
    ("files", "geo", "i18n", "theme", "screen", "labels", "layout", "columns", "dates"),
    ("encodings",),
    ("geojson", "tables", "io"),
    ("validate", "points", "sensitivity", "gazetteer", "layers", "basemap"),
    ("estimates", "events", "routes", "publish", "disclosure", "reconciliation"),
    ("spec",),
    ("records", "flows", "panels"),
    ("describe", "timeline"),
    ("render",),
    ("export",),
    ("cli",),
)
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


def _layer(module: str) -> int:
    short = module.removeprefix("bordermap.").split(".")[0]
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


@pytest.mark.parametrize("path", PYTHON_FILES, ids=lambda p: str(p.relative_to(ROOT)))
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
