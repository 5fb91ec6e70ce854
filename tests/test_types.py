"""The package type-checks: mypy, with the settings in pyproject.toml, finds no error; every
public function says what it takes and returns; the checkers are the pinned ones."""

from __future__ import annotations

import importlib.metadata
import inspect
import re
import subprocess
import sys
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import bordermap

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_mypy_finds_no_error():
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-error-summary", "--cache-dir", "/tmp/bordermap-mypy"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_package_says_it_is_typed():
    assert (ROOT / "src" / "bordermap" / "py.typed").exists()


def _pins() -> dict[str, str]:
    pins = {}
    for requirement in PYPROJECT["project"]["optional-dependencies"]["test"]:
        found = re.fullmatch(r"([A-Za-z0-9_.-]+)==([^;\s]+)", requirement.strip())
        if found:
            pins[found[1].lower()] = found[2]
    return pins


# What decides mypy's and ruff's results: the checkers themselves, and numpy, whose bundled
# stubs mypy reads. A newer one in a developer's environment finds other things than CI does.
@pytest.mark.parametrize("name", ["mypy", "numpy", "ruff"])
def test_the_checkers_are_the_pinned_versions(name):
    pinned = _pins().get(name)
    assert pinned, f"pin {name} exactly in the [test] extra of pyproject.toml ({name}==X.Y.Z)"
    installed = importlib.metadata.version(name)
    assert installed == pinned, (
        f"{name} {installed} is installed, pyproject.toml pins {pinned}: "
        "pip install -e '.[test]' (or change the pin and fix what the new version finds)"
    )


def test_stub_packages_do_not_change_the_result():
    # pandas, geopandas and shapely ship no types; pandas-stubs or types-shapely in one
    # environment and not another would make mypy's result depend on what is installed.
    overrides = PYPROJECT["tool"]["mypy"]["overrides"]
    skipped = [o for o in overrides if o.get("follow_imports") == "skip"]
    modules = {m for o in skipped if o.get("follow_imports_for_stubs") for m in o["module"]}
    assert {"pandas", "geopandas", "shapely"} <= modules


def _public_callables() -> Iterator[tuple[str, Callable[..., object]]]:
    """Every function in ``bordermap.__all__``, and every public method (with ``__init__``,
    properties, class and static methods) of its classes, as written in bordermap."""
    for name in bordermap.__all__:
        value = getattr(bordermap, name)
        if inspect.isfunction(value):
            yield name, value
        elif inspect.isclass(value):
            for cls in value.__mro__:
                if not cls.__module__.startswith("bordermap"):
                    continue
                for attr, member in vars(cls).items():
                    if attr.startswith("_") and attr != "__init__":
                        continue
                    if isinstance(member, staticmethod | classmethod):
                        member = member.__func__
                    elif isinstance(member, property):
                        member = member.fget
                    if inspect.isfunction(member):
                        yield f"{name}.{attr}", member


PUBLIC = dict(_public_callables())


def _unannotated(function: Callable[..., object]) -> list[str]:
    signature = inspect.signature(function)
    missing = [
        parameter.name
        for i, parameter in enumerate(signature.parameters.values())
        if parameter.annotation is inspect.Parameter.empty
        and not (i == 0 and parameter.name in ("self", "cls"))
    ]
    if signature.return_annotation is inspect.Signature.empty:
        missing.append("return")
    return missing


def test_the_public_api_has_functions_and_methods_to_check():
    # A test over an empty list would pass whatever happened to the annotations.
    assert {"load_crossings", "join_estimates", "save", "MapSpec.to_dict", "Audit.summary"} <= set(
        PUBLIC
    )


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_every_public_function_is_fully_annotated(name):
    assert _unannotated(PUBLIC[name]) == [], f"bordermap.{name}: annotate these"


def test_an_unannotated_function_is_found():
    def half(crossings, *, lang: str = "en"):
        return crossings

    assert _unannotated(half) == ["crossings", "return"]


def test_every_module_is_checked_with_full_annotations():
    """--disallow-untyped-defs for the whole package, not a list of modules (issue 19)."""
    mypy = PYPROJECT["tool"]["mypy"]
    assert mypy.get("disallow_untyped_defs") is True
    assert not [o for o in mypy.get("overrides", []) if "disallow_untyped_defs" in o]
