"""Checks of what a caller passes to a public function: its type first, then a frame's columns.

Every public function calls :func:`check_argument` for its arguments before any work, so a
list, a GeoSeries, ``None`` or a number where a path or a frame is expected is one
:class:`~bordermap.errors.ArgumentTypeError` naming the parameter, what it got and what it
takes — never Python's own ``TypeError … not list`` from deep inside a library.
"""

from __future__ import annotations

import io
import numbers
import os
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from bordermap.errors import ArgumentTypeError, ValidationError

__all__ = [
    "BINARY_FILE",
    "BOOL",
    "FRAME",
    "GEOFRAME",
    "MAP",
    "NONE",
    "NUMBER",
    "PATH",
    "SEQUENCE_OF_TEXT",
    "TEXT",
    "WHOLE",
    "Kind",
    "check_argument",
    "check_frame",
]


@dataclass(frozen=True)
class Kind:
    """A kind of argument: how to tell it, and how messages name it."""

    words: str
    accepts: Callable[[object], bool]


def _whole(value: object) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _number(value: object) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _geoframe(value: object) -> bool:
    return isinstance(value, pd.DataFrame) and hasattr(value, "geometry") and hasattr(value, "crs")


def _binary_file(value: object) -> bool:
    return callable(getattr(value, "write", None)) and not isinstance(value, io.TextIOBase)


def _text_sequence(value: object) -> bool:
    return isinstance(value, list | tuple) and all(isinstance(v, str) for v in value)


PATH = Kind("a path (str or pathlib.Path)", lambda v: isinstance(v, str | os.PathLike))
FRAME = Kind("a DataFrame", lambda v: isinstance(v, pd.DataFrame))
GEOFRAME = Kind("a GeoDataFrame", _geoframe)
TEXT = Kind("text (str)", lambda v: isinstance(v, str))
SEQUENCE_OF_TEXT = Kind("a list of str", _text_sequence)
BOOL = Kind("True or False", lambda v: isinstance(v, bool))
WHOLE = Kind("a whole number", _whole)
NUMBER = Kind("a number", _number)
NONE = Kind("None", lambda v: v is None)
# A map from crossing_map or timeline_map: duck-typed, so that importing folium stays lazy.
MAP = Kind("a map from bordermap.crossing_map", lambda v: callable(getattr(v, "get_root", None)))
BINARY_FILE = Kind("a binary file object (open(..., 'wb'), io.BytesIO)", _binary_file)


def _takes(kinds: tuple[Kind, ...]) -> str:
    words = [k.words for k in kinds]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def check_argument(name: str, value: object, *kinds: Kind) -> None:
    """Raise :class:`~bordermap.errors.ArgumentTypeError` unless ``value`` is one of ``kinds``.

    Parameters
    ----------
    name : str
        The parameter, as the caller wrote it.
    value : object
        What the caller passed.
    *kinds : Kind
        What the parameter takes (:data:`PATH`, :data:`FRAME`, :data:`NONE` …).

    Examples
    --------
    >>> check_argument("path", "crossings.geojson", PATH, FRAME, NONE)
    >>> check_argument("path", [1, 2], PATH, FRAME, NONE)
    Traceback (most recent call last):
    ...
    bordermap.errors.ArgumentTypeError: field 'path': takes a path (str or pathlib.Path), a \
DataFrame or None, not list (got [1, 2]); pass a path (str or pathlib.Path)
    """
    if any(kind.accepts(value) for kind in kinds):
        return
    raise ArgumentTypeError(
        f"takes {_takes(kinds)}, not {type(value).__name__}",
        field=name,
        value=value,
        fix=f"pass {kinds[0].words}",
    )


def check_frame(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """A frame whose column names are each given once, as a CSV's header must be.

    With two ``id`` columns a row has no one id, and of two ``label_en`` columns one would
    be ignored. Names are compared as written: ``sensitivity`` and ``Sensitivity `` are two
    columns a frame may hold (publishing reads both).

    Examples
    --------
    >>> table = pd.DataFrame([[1, 2]], columns=["id", "id"])
    >>> check_frame(table, "crossings")
    Traceback (most recent call last):
    ...
    bordermap.errors.ValidationError: <DataFrame>, row 1, field 'id': the column appears \
twice (argument 'crossings'); keep one column of each name
    """
    seen: set[str] = set()
    for column in frame.columns:
        key = str(column)
        if key in seen:
            raise ValidationError(
                f"the column appears twice (argument {name!r})",
                file=frame.attrs.get("source_file", "<DataFrame>"),
                row=1,
                field=str(column),
                fix="keep one column of each name",
            )
        seen.add(key)
    return frame
