"""Errors raised by bordermap: one family, each naming file, row, field and a fix."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from typing import Any, TypeAlias, TypedDict

__all__ = [
    "MAX_LISTED",
    "ArgumentTypeError",
    "BordermapError",
    "BordermapWarning",
    "CrossingNotFound",
    "ExportError",
    "Feature",
    "InputFileError",
    "Location",
    "MissingGlyphError",
    "ValidationError",
    "Where",
    "feature_label",
    "listed",
    "one_line",
]

#: How many problems one message lists; the rest are counted.
MAX_LISTED = 20
#: The longest message, in characters: a terminal line, not a file's worth of text.
MAX_MESSAGE = 4000


class Feature(TypedDict, total=False):
    """Which file and row (or feature) a message names, as keyword arguments of a
    :class:`BordermapError`."""

    file: str | None
    row: int | str | None


class Location(Feature, total=False):
    """Where a bad value is: its file, row (or feature) and field."""

    field: str | None


#: Names the ``i``-th value of a column for a message: ``where(i, field)``.
Where: TypeAlias = Callable[[int, str], Location]


class BordermapError(Exception):
    """Base class of every error bordermap raises for bad input or a failed export.

    The message is one line: where (file, row or feature, field), what (the bad value) and
    what would fix it. The parts are kept as attributes for programs that want them.

    Parameters
    ----------
    problem : str
        What is wrong, in plain words.
    file : str, optional
        The file (or ``"<DataFrame>"``) the bad value came from.
    row : int or str, optional
        The 1-based data row of a table, or the id/index of a feature.
    field : str, optional
        The column or property.
    value : object, optional
        The bad value, quoted in the message.
    fix : str, optional
        What the user can do about it.

    Examples
    --------
    >>> err = ValidationError("not a number", file="est.csv", row=3, field="figure", value="abc")
    >>> str(err)
    "est.csv, row 3, field 'figure': not a number (got 'abc')"
    """

    def __init__(
        self,
        problem: str,
        *,
        file: str | None = None,
        row: int | str | None = None,
        field: str | None = None,
        value: Any = None,
        fix: str | None = None,
    ) -> None:
        self.problem = problem
        self.file = file
        self.row = row
        self.field = field
        self.value = value
        self.fix = fix
        super().__init__(self._message())

    def _message(self) -> str:
        where = []
        if self.file is not None:
            where.append(str(self.file))
        if self.row is not None:
            where.append(self.row if isinstance(self.row, str) else f"row {self.row}")
        if self.field is not None:
            where.append(f"field {self.field!r}")
        text = self.problem
        if self.value is not None:
            shown = repr(self.value)
            if len(shown) > 80:
                shown = shown[:77] + "..."
            text += f" (got {shown})"
        if self.fix:
            text += f"; {self.fix}"
        text = one_line(", ".join(where) + ": " + text if where else text)
        if len(text) > MAX_MESSAGE:
            cut = len(text) - MAX_MESSAGE
            text = f"{text[:MAX_MESSAGE]}… ({cut:,} more characters)"
        return text


class InputFileError(BordermapError):
    """A file cannot be read: missing, empty, wrong format, truncated or wrong encoding.

    Examples
    --------
    >>> import bordermap
    >>> try:
    ...     bordermap.load_crossings("no/such/file.geojson")
    ... except bordermap.InputFileError as error:
    ...     print(type(error).__name__, "no/such/file.geojson" in str(error))
    InputFileError True
    """


class ValidationError(BordermapError):
    """A file was read but a value in it is wrong: bad number, coordinate, CRS, id or date.

    It is also a :class:`ValueError`, so code that catches those keeps working.

    Examples
    --------
    >>> import bordermap
    >>> try:
    ...     bordermap.describe_crossings(bordermap.load_crossings(), lang="xx")
    ... except bordermap.ValidationError as error:
    ...     print(error)
    field 'lang': unknown language (got 'xx'); a CLDR language code, e.g. en, ko, zh, ar, \
ru, th or es
    """


class ArgumentTypeError(BordermapError, TypeError):
    """A function was given the wrong kind of argument: a list where a path goes, ``None``
    where a frame goes. The message names the parameter, what it got and what it takes.

    It is also a :class:`TypeError`, so code that catches those keeps working.

    Examples
    --------
    >>> import bordermap
    >>> try:
    ...     bordermap.load_crossings([1, 2])
    ... except bordermap.ArgumentTypeError as error:
    ...     print(error.field, isinstance(error, TypeError))
    path True
    """


class CrossingNotFound(ValidationError):
    """A crossing name in an estimates table matches no crossing in the gazetteer.

    Examples
    --------
    >>> import bordermap, pandas as pd
    >>> table = pd.DataFrame([{"event_date": "2023-10-09", "crossing": "Atlantis",
    ...     "figure": 5, "source": "X", "source_date": "2023-10-10"}])
    >>> try:
    ...     bordermap.join_estimates(bordermap.load_crossings(), table)
    ... except bordermap.CrossingNotFound as error:
    ...     print(type(error).__name__, "Atlantis" in str(error))
    CrossingNotFound True
    """


class ExportError(BordermapError):
    """A map cannot be written as asked (for example offline with tiles and no basemap).

    Examples
    --------
    >>> import bordermap
    >>> m = bordermap.crossing_map(bordermap.load_crossings())
    >>> try:
    ...     bordermap.to_html(m, offline=True, basemap=False)
    ... except bordermap.ExportError as error:
    ...     print(type(error).__name__)
    ExportError
    """


class MissingGlyphError(ExportError):
    """A character of the image's text is in no installed font: it would print as a box.

    The message names the character, its script and the font (and Debian package) that
    draws it, so the fix is one install away. Raised before anything is written.

    Examples
    --------
    >>> import bordermap
    >>> error = MissingGlyphError("no font draws the Adlam letter '𞤀' (U+1E900)",
    ...     field="label", value="𞤀", fix="install Noto Sans Adlam")
    >>> isinstance(error, bordermap.ExportError)
    True
    """


class BordermapWarning(UserWarning):
    """Something in the data is doubtful but not wrong: the map is drawn, the user is told.

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warnings.warn("figures exceed the total", BordermapWarning)
    >>> caught[0].category.__name__
    'BordermapWarning'
    """


def one_line(text: str) -> str:
    """A message as one printable line: whitespace runs become one space, and control
    characters (a terminal escape in a file name or a cell) are shown as escapes.

    Examples
    --------
    >>> one_line("a\\nb\\x1b[31m c")
    'a b\\\\x1b[31m c'
    """
    # One line, always: a value with a newline must not break the CLI's promise.
    text = " ".join(text.split())
    return "".join(
        repr(ch)[1:-1] if unicodedata.category(ch) in ("Cc", "Cf") and ch != "\u200d" else ch
        for ch in text
    )


def listed(items: Iterable[object], total: int | None = None, separator: str = "; ") -> str:
    """The first :data:`MAX_LISTED` items joined, and how many more there are.

    ``items`` may be a generator: only what is shown is taken from it (``total`` then says
    how many there are in all).

    Examples
    --------
    >>> listed(f"row {i}" for i in range(2, 5))
    'row 2; row 3; row 4'
    >>> listed((f"row {i}" for i in range(100_000)), total=100_000)[-31:]
    'row 18; row 19; and 99,980 more'
    """
    shown: list[str] = []
    for item in items:
        if len(shown) == MAX_LISTED:
            break
        shown.append(str(item))
    text = separator.join(shown)
    rest = (total if total is not None else len(shown)) - len(shown)
    return f"{text}{separator}and {rest:,} more" if rest > 0 else text


def feature_label(index: int, feature_id: object = None) -> str:
    """How messages name a feature: its 1-based position and, when it has one, its id.

    Examples
    --------
    >>> feature_label(0, "tumen-onsong")
    "feature 1 ('tumen-onsong')"
    >>> feature_label(4)
    'feature 5'
    """
    text = "" if feature_id is None else str(feature_id).strip()
    if text in ("", "nan", "None"):
        return f"feature {index + 1}"
    return f"feature {index + 1} ({text!r})"
