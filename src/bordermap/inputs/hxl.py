"""Tables tagged with HXL hashtags (the Humanitarian Data Exchange's convention).

An HXL table has a row of hashtags under its header (``#date``, ``#loc+name``,
``#affected+num``, ``#meta+source`` …): the hashtags, not the header's words, say what each
column holds. bordermap reads such a table by its hashtags for the columns it knows and keeps
every other column by its header.

Hand-written rather than ``libhxl``: bordermap needs only to find the hashtag row and map a
dozen tags to its own column names; libhxl reads the whole table into its own objects (and
brings ``requests`` and URL fetching with it), where bordermap keeps every cell as the text
the user typed and must fetch nothing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Literal

import pandas as pd

from bordermap.errors import ValidationError

__all__ = ["HXL_COLUMNS", "HxlKind", "apply_hxl", "hashtag_row"]

HxlKind = Literal["estimates", "points"]

#: For each kind of table, the hashtag (base tag and attributes, any order) → bordermap column.
HXL_COLUMNS: Mapping[str, Mapping[str, str]] = {
    "estimates": {
        "#date": "event_date",
        "#date+event": "event_date",
        "#date+reported": "source_date",
        "#date+published": "source_date",
        "#loc+name": "crossing",
        "#loc+code": "crossing",
        "#affected+num": "figure",
        "#affected+num+min": "low",
        "#affected+num+max": "high",
        "#meta+qualifier": "qualifier",
        "#meta+source": "source",
        "#meta+url": "url",
        "#meta+notes": "notes",
        "#description": "notes",
    },
    "points": {
        "#loc+code": "id",
        "#loc+name": "name",
        "#geo+lat": "lat",
        "#geo+lon": "lon",
        "#country+code": "country",
        "#meta+source": "coord_source",
    },
}
_TAG = re.compile(r"#[a-z][a-z0-9_]*(\s*\+\s*[a-z][a-z0-9_]*)*", re.IGNORECASE)


def _key(tag: str) -> tuple[str, frozenset[str]]:
    """A hashtag as its base and its set of attributes, case and order folded."""
    parts = [p.strip().lower() for p in tag.split("+")]
    return parts[0], frozenset(parts[1:])


def hashtag_row(cells: list[str]) -> list[str] | None:
    """The hashtags of a row when every filled cell is one, else None.

    Examples
    --------
    >>> hashtag_row(["#date", "#loc +name", "", "#affected+num"])
    ['#date', '#loc +name', '', '#affected+num']
    >>> hashtag_row(["2023-10-09", "#1"]) is None
    True
    """
    filled = [c.strip() for c in cells if c.strip()]
    if not filled or not all(_TAG.fullmatch(c) for c in filled):
        return None
    return [c.strip() for c in cells]


def apply_hxl(table: pd.DataFrame, tags: list[str], kind: HxlKind) -> pd.DataFrame:
    """Rename the columns whose hashtag bordermap knows; every other column keeps its header.

    A tagged column whose header already is a bordermap column keeps it; two columns that
    would get one name are an error naming both, never one silently dropped.

    Examples
    --------
    >>> t = pd.DataFrame({"Date": ["2023-10-09"], "Where": ["Onsong"], "n": ["300"]})
    >>> list(apply_hxl(t, ["#date", "#loc+name", "#affected+num"], "estimates").columns)
    ['event_date', 'crossing', 'figure']
    """
    known = {_key(tag): column for tag, column in HXL_COLUMNS[kind].items()}
    targets = set(HXL_COLUMNS[kind].values())
    names: list[str] = []
    for header, tag in zip(table.columns, tags, strict=True):
        header = str(header)
        column = known.get(_key(tag)) if tag and header not in targets else None
        names.append(column or header)
    for i, name in enumerate(names):
        if name in names[:i]:
            first = names.index(name)
            raise ValidationError(
                f"two columns hold {name!r} (columns {first + 1} and {i + 1}, tagged "
                f"{tags[first] or 'untagged'} and {tags[i] or 'untagged'})",
                file=table.attrs.get("source_file"),
                row=2,
                field=name,
                fix="keep one of them, or change one hashtag",
            )
    out = table.copy()
    out.columns = names
    out.attrs = {**table.attrs, "hxl": dict(zip(names, tags, strict=True))}
    return out
