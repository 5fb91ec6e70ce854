"""Frozen dataclasses to and from JSON-ready plain data: tuples stay tuples, whole numbers in
``float`` fields stay floats, numpy columns become lists and back, and a ``Literal`` field
refuses a word it does not list. The map description (:mod:`bordermap.spec`) is made of them.
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from typing import Any, Literal, Self

import numpy as np

from bordermap.errors import ValidationError

__all__ = ["Plain", "float_fields"]


class Plain:
    """JSON round trip for the frozen dataclasses below (tuples stay tuples).

    Whole numbers given for a ``float`` field are stored as floats, so a description reads
    back from JSON exactly as it was written.

    Examples
    --------
    >>> from dataclasses import dataclass
    >>> @dataclass(frozen=True)
    ... class Point(Plain):
    ...     name: str
    ...     xy: tuple[float, float]
    >>> Point("Tumen", (130, 42.9)).to_dict()
    {'name': 'Tumen', 'xy': [130, 42.9]}
    >>> Point.from_dict({"name": "Tumen", "xy": [130, 42.9]})
    Point(name='Tumen', xy=(130.0, 42.9))
    """

    def __post_init__(self) -> None:
        for name in float_fields(type(self)):  # type: ignore[arg-type]
            value = getattr(self, name)
            if isinstance(value, int) and not isinstance(value, bool):
                object.__setattr__(self, name, float(value))

    def to_dict(self) -> dict[str, Any]:
        """The description as JSON-ready plain data."""
        return _plain(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        """Rebuild the description from :meth:`to_dict`'s output."""
        return _build(cls, data)


@functools.cache
def float_fields(kind: Any) -> tuple[str, ...]:
    hints = typing.get_type_hints(kind)
    return tuple(
        f.name
        for f in dataclasses.fields(kind)
        if hints[f.name] is float or hints[f.name] == (float | None)
    )


def _plain(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return value.tolist()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def _build(kind: Any, data: Any) -> Any:
    """Turn plain data back into ``kind`` (a dataclass, tuple[...], dict, X | None, scalar)."""
    if data is None:
        return None
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(kind) if a is not type(None)]
        return _build(options[0], data) if len(options) == 1 else data
    if origin is tuple:
        args = typing.get_args(kind)
        item = args[0] if args else Any
        return tuple(_build(item, v) for v in data)
    if origin is dict or kind is dict:
        return dict(data)
    if dataclasses.is_dataclass(kind):
        hints = typing.get_type_hints(kind)
        names = {f.name for f in dataclasses.fields(kind)}
        return kind(**{k: _build(hints[k], v) for k, v in data.items() if k in names})  # type: ignore[operator]
    if kind is float and isinstance(data, int):
        return float(data)
    if kind is np.ndarray:
        return np.asarray(data, dtype=np.int64)
    if origin is Literal and data not in typing.get_args(kind):
        raise ValidationError(
            "a word the map description does not know",
            value=data,
            fix=f"one of: {', '.join(map(str, typing.get_args(kind)))}",
        )
    return data
