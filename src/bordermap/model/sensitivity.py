"""Which features are restricted: the sensitivity column found however a format spells it
(case, spaces, DBF's ten characters), and only known values accepted."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Hashable, Iterable
from typing import TypeVar

import pandas as pd

from bordermap.cells import is_blank
from bordermap.errors import ValidationError

__all__ = [
    "DBF_NAME_LENGTH",
    "SENSITIVITIES",
    "columns_named",
    "plain_name",
    "sensitivities",
    "sensitivity_cell",
    "sensitivity_of",
]

SENSITIVITIES = ("public", "restricted")

_SEPARATORS = re.compile(r"[\s\-]+")
#: dBASE (a Shapefile's attribute table) cuts field names to this many characters.
DBF_NAME_LENGTH = 10

_Column = TypeVar("_Column", bound=Hashable)


def plain_name(name: object) -> str:
    """A column name or keyword as compared: NFKC, no invisible characters, trimmed, lower case,
    runs of spaces and hyphens as one ``_``.

    Examples
    --------
    >>> plain_name(" Sensitivity\\u200b "), plain_name("Public-Name")
    ('sensitivity', 'public_name')
    """
    text = unicodedata.normalize("NFKC", str(name))
    text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cf"))
    return _SEPARATORS.sub("_", text.strip()).lower()


def _means(column: object, name: str) -> bool:
    plain = plain_name(column)
    cut = len(plain) == DBF_NAME_LENGTH < len(name) and name.startswith(plain)
    return plain == name or cut


def columns_named(columns: Iterable[_Column], name: str) -> list[_Column]:
    """The columns that mean ``name`` however they are spelled.

    Case, surrounding spaces, invisible characters and a Shapefile's 10-character cut
    (``sensitivit``) do not matter: publishing must not depend on how a GIS wrote the name.
    A GeoJSON whose features spell a key differently gives several such columns.

    Examples
    --------
    >>> columns_named(["id", "SENSITIVIT", "Sensitivity ", "geometry"], "sensitivity")
    ['SENSITIVIT', 'Sensitivity ']
    >>> columns_named(["id"], "sensitivity")
    []
    """
    return [column for column in columns if _means(column, name)]


def sensitivity_cell(
    row: pd.Series, columns: list[Hashable], feature: str, source_file: str, name: str
) -> object:
    """The one value the row's ``columns`` (all meaning ``name``) give; differing ones are
    an error, as which applies is not for bordermap to guess."""
    given = {str(c): row[c] for c in columns if not is_blank(row[c])}
    plain = {plain_name(v) if isinstance(v, str) else v for v in given.values()}
    if len(plain) > 1:
        raise ValidationError(
            f"two columns that both mean {name!r} disagree",
            file=source_file,
            row=f"feature {feature!r}",
            field=" / ".join(given),
            value=list(given.values()),
            fix="keep one of the columns",
        )
    return next(iter(given.values()), None)


def sensitivity_of(value: object, feature: str, source_file: str, column: object) -> str:
    """``public`` or ``restricted`` (blank means public); any other value is an error."""
    text = "" if is_blank(value) else plain_name(value) if isinstance(value, str) else None
    if text is None or (text and text not in SENSITIVITIES):
        raise ValidationError(
            "unknown sensitivity",
            file=source_file,
            row=f"feature {feature!r}",
            field=str(column),
            value=value,
            fix="use 'public' or 'restricted' (blank means public)",
        )
    return text or "public"


def sensitivities(layer: pd.DataFrame, ids: list[str], columns: list) -> list[str]:
    source_file = layer.attrs.get("source_file", "<layer>")
    levels = []
    for feature, (_, row) in zip(ids, layer[columns].iterrows(), strict=True):
        value = sensitivity_cell(row, columns, feature, source_file, "sensitivity")
        where = next((c for c in columns if row[c] is value), "sensitivity")
        levels.append(sensitivity_of(value, feature, source_file, where))
    return levels
