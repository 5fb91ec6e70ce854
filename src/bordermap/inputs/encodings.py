"""Which encoding and which separator a text table is in: UTF-8 read, Korean and Chinese
legacy encodings told apart and named (never guessed), separators sniffed."""

from __future__ import annotations

import codecs
import contextlib
import csv
import functools
import json
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path

from bordermap.errors import InputFileError, ValidationError
from bordermap.inputs.files import UTF16_BOMS, bundled_path

__all__ = [
    "SEPARATOR_NAMES",
    "decode_bytes",
    "decode_text",
    "guess_cjk_encoding",
    "sniff_delimiter",
]


def decode_text(
    path: Path, encoding: str | None, *, resave: str = "save the file as CSV UTF-8"
) -> tuple[str, str]:
    """The text of a file and the encoding it was read with.

    Without ``encoding``: UTF-8 (with or without BOM). Other encodings are not guessed at,
    because a wrong guess turns names into mojibake on a published map: the error names the
    encoding the bytes look like (UTF-16; cp949 for Korean Excel; GB18030 for Chinese
    Excel), to pass as ``encoding=`` or to re-save the file in as UTF-8.
    """
    data = path.read_bytes()
    return decode_bytes(
        data, encoding, file=str(path), row_of=lambda at: _line_of(data, at), resave=resave
    )


def decode_bytes(
    data: bytes,
    encoding: str | None,
    *,
    file: str,
    declared: tuple[str, str] | None = None,
    row_of: Callable[[int], int | str | None] | None = None,
    resave: str = "save the file as CSV UTF-8",
) -> tuple[str, str]:
    """Text from bytes, and the encoding it was read in: one rule for every format.

    Parameters
    ----------
    data : bytes
        The text's bytes (a CSV; a Shapefile's attribute text, one feature a line).
    encoding : str or None
        The encoding the user gave for text that is not UTF-8: the bytes must be UTF-8 or
        decode in it.
    file : str
        The file, for messages.
    declared : (str, str), optional
        The encoding the file itself declares and where (``("cp949", "its .cpg")``): used
        only when the bytes agree — they decode in it, and do not read as Korean or Chinese
        in another code page. Without ``encoding`` or a declaration, UTF-8.
    row_of : callable, optional
        The row or feature holding a byte offset, for messages.
    resave : str
        The fix's last resort (how to save the file as UTF-8).

    Raises
    ------
    bordermap.errors.InputFileError
        The bytes are not in the encoding given, declared or UTF-8; the message names the
        one they look like (cp949, GB18030) and how to pass it.

    Examples
    --------
    >>> decode_bytes("온성".encode("cp949"), None, file="x.dbf", declared=("cp949", "its .cpg"))
    ('온성', 'cp949')
    >>> try:
    ...     decode_bytes("온성".encode("cp949"), None, file="x.dbf", declared=("utf-8", "its .cpg"))
    ... except InputFileError as error:
    ...     print(error.problem)
    text is cp949 (Korean Windows / Excel), not UTF-8 as its .cpg says
    """
    where = row_of or (lambda at: None)
    if encoding is not None:
        try:
            if codecs.lookup(encoding).name != "utf-8" and not data.isascii():
                # One --encoding serves every input of a command: it names the encoding of
                # those that are not UTF-8. Bytes that are UTF-8 (multi-byte sequences that
                # cp949 or GB18030 text all but never forms) are read as UTF-8.
                with contextlib.suppress(UnicodeDecodeError):
                    return data.decode("utf-8-sig"), "utf-8"
            return data.decode(encoding), encoding
        except LookupError as exc:
            raise ValidationError(
                "unknown text encoding",
                file=file,
                field="encoding",
                value=encoding,
                fix="use a Python codec name such as 'utf-8', 'cp949' or 'gb18030'",
            ) from exc
        except UnicodeDecodeError as exc:
            raise InputFileError(
                f"text is not {encoding} (byte {exc.start} cannot be decoded)",
                file=file,
                row=where(exc.start),
                fix=f"check the encoding, or {resave}",
            ) from exc
    if data.startswith(UTF16_BOMS):
        # Excel's "Unicode text": the byte-order mark says UTF-16, nothing is guessed.
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise InputFileError(
                "text starts as UTF-16 but is not (damaged or cut mid-character)",
                file=file,
                fix=f"{resave[0].upper()}{resave[1:]} again",
            ) from exc
    said = ""
    if declared is not None:
        codec, source = declared
        text = _agreeing(data, codec)
        if text is not None:
            return text, codec
        said = f" as {source} says"
        expected = "UTF-8" if _codec_name(codec) == "utf-8" else codec
    else:
        expected = "UTF-8"
    start = 0
    try:
        text = data.decode("utf-8-sig")
        if not said:
            return text, "utf-8"
        guess: str | None = "utf-8"
    except UnicodeDecodeError as exc:
        guess, start = guess_cjk_encoding(data), exc.start
    if guess == "cp949":
        problem = f"text is cp949 (Korean Windows / Excel), not {expected}{said}"
    elif guess == "gb18030":
        problem = f"text is gb18030 (Chinese Windows / Excel), not {expected}{said}"
    elif guess == "utf-8":
        problem = f"text is UTF-8, not {expected}{said}"
    else:
        problem = f"text is not {expected}{said} (byte {start} cannot be decoded)"
    other = {"cp949": "gb18030", "gb18030": "cp949"}.get(guess or "")
    if guess in ("cp949", "gb18030"):
        fix = (
            f"pass encoding='{guess}' (command line: --encoding {guess}; '{other}' if the text "
            f"is {'Chinese' if guess == 'cp949' else 'Korean'}), or {resave}"
        )
    elif guess == "utf-8":
        fix = f"pass encoding='utf-8' (command line: --encoding utf-8), or correct {source}"
    else:
        fix = (
            f"{resave}, or pass its encoding, e.g. encoding='cp1252' "
            "(Western Windows), 'cp949' (Korean) or 'gb18030' (Chinese)"
        )
    row = None if guess else where(start)
    raise InputFileError(problem, file=file, row=row, fix=fix)


# Code pages that are one family for the guess: what cp949 or GB18030 bytes are declared as.
_FAMILY = {"euc_kr": "cp949", "cp949": "cp949", "gbk": "gb18030", "gb2312": "gb18030"}


def _codec_name(codec: str) -> str:
    """Python's name for a codec (``cp936`` → ``gbk``), or the name given if it has none."""
    try:
        return codecs.lookup(codec).name
    except LookupError:
        return codec


def _agreeing(data: bytes, codec: str) -> str | None:
    """The bytes decoded in a declared encoding, or None when they disagree with it.

    They disagree when they do not decode, or when the declaration is not UTF-8 and they
    read as Korean or Chinese in another code page (cp949 bytes decode in cp1252 too: as
    mojibake).
    """
    try:
        text = data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None
    name = _codec_name(codec)
    if data.isascii() or name == "utf-8":
        return text
    guess = guess_cjk_encoding(data)
    if guess is not None and _FAMILY.get(name, name) != guess:
        return None
    return text


def _line_of(data: bytes, offset: int) -> int:
    """The 1-based line (spreadsheet row) holding a byte offset."""
    return data.count(b"\n", 0, offset) + 1


def _plausible(text: str, in_script: Callable[[str], bool]) -> bool:
    """Whether decoded text reads as one language: at least 90 % of its non-ASCII letters
    in the script, none glued between two ASCII letters (``Médecins`` read as cp949 gives
    one Hangul syllable inside a Latin word: not Korean)."""
    letters = [c for c in text if ord(c) > 127 and unicodedata.category(c).startswith("L")]
    if not letters or re.search(r"[A-Za-z][^\x00-\x7f]+[A-Za-z]", text):
        return False
    return sum(1 for c in letters if in_script(c)) >= 0.9 * len(letters)


def _reads_as_korean(text: str) -> bool:
    """Hangul, and Korean's share of open syllables (no final consonant: 가, 도, 의).

    About a third of the syllables of Korean text are open, but only 17 % of the 2,350
    syllables cp949 encodes: Chinese GB18030 bytes read as cp949 land on syllables about
    evenly, so under a fifth of them are open.
    """
    if not _plausible(text, _is_hangul):
        return False
    syllables = [c for c in text if _is_hangul(c)]
    is_open = [(ord(c) - 0xAC00) % 28 == 0 for c in syllables]
    return len(syllables) < 4 or sum(is_open) >= 0.2 * len(syllables)


def _is_hangul(char: str) -> bool:
    return "\uac00" <= char <= "\ud7a3"


def _is_han(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf"


@functools.cache
def _common_characters() -> dict[str, frozenset[str]]:
    """Hangul syllables and Han characters of everyday Korean and Chinese text (CLDR's
    locale data and the gazetteer: scripts/build_common_characters.py)."""
    with open(bundled_path("text/common_characters.json"), encoding="utf-8") as handle:
        document = json.load(handle)
    return {lang: frozenset(document[lang]) for lang in ("ko", "zh")}


def _common_share(text: str, lang: str) -> float | None:
    """The share of the text's non-ASCII letters that everyday text in ``lang`` uses."""
    letters = [c for c in text if ord(c) > 127 and unicodedata.category(c).startswith("L")]
    if not letters or re.search(r"[A-Za-z][^\x00-\x7f]+[A-Za-z]", text):
        return None
    common = _common_characters()[lang]
    return sum(c in common for c in letters) / len(letters)


def guess_cjk_encoding(data: bytes) -> str | None:
    """Name the East Asian Windows code page some non-UTF-8 bytes are in, if any.

    Excel on Korean Windows saves "CSV" in cp949, on Chinese Windows in GB18030. The two
    overlap byte for byte: Korean read as GB18030 gives real, common Han characters, and
    Chinese read as cp949 real Hangul syllables. What differs is which reading uses the
    characters of everyday text: the share of decoded letters among those CLDR's Korean
    and Chinese locale data use (:func:`_common_share`) decides. On a tie (a word or two),
    cp949 is taken when it gives Hangul with Korean's share of open syllables
    (``_reads_as_korean``), else GB18030 when it reads as Chinese. On 60 short Korean and
    Chinese texts this is right 58 times; charset-normalizer, 35 (it says cp949 for
    almost any short text). The error names both encodings.

    Returns
    -------
    str or None
        ``"cp949"``, ``"gb18030"``, or None when neither reads plausibly.

    Examples
    --------
    >>> guess_cjk_encoding("온성,300,과도기정의워킹그룹".encode("cp949"))
    'cp949'
    >>> guess_cjk_encoding("丹东,180,朝鲜人权报告".encode("gb18030"))
    'gb18030'
    >>> guess_cjk_encoding("북한 강제북송 600명".encode("cp949"))
    'cp949'
    >>> guess_cjk_encoding("Médecins".encode("cp1252")) is None
    True
    """
    readings = {}
    for codec, lang in (("cp949", "ko"), ("gb18030", "zh")):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        share = _common_share(text, lang)
        if share is not None:
            readings[codec] = (share, text)
    if not readings:
        return None
    shares = sorted((share for share, _ in readings.values()), reverse=True)
    if len(shares) == 1 or shares[0] - shares[1] >= 0.01:
        best = max(readings, key=lambda codec: readings[codec][0])
        return best if readings[best][0] > 0 else None
    for codec, reads in (("cp949", _reads_as_korean), ("gb18030", _reads_as_chinese)):
        if codec in readings and reads(readings[codec][1]):
            return codec
    return None


def _reads_as_chinese(text: str) -> bool:
    return _plausible(text, _is_han)


_DELIMITERS = (",", ";", "\t")
SEPARATOR_NAMES = {",": "a comma", ";": "a semicolon", "\t": "a tab"}


def sniff_delimiter(text: str, preferred: str = ",") -> str:
    r"""The cell separator of a delimited text table: ``,``, ``;`` (Excel in much of Europe)
    or a tab (Excel's "Unicode text").

    The one that splits the first 20 lines into the same number of cells, above one, most
    often wins (a title row above the header does not decide); a tie goes to ``preferred``.

    Examples
    --------
    >>> sniff_delimiter("event_date;crossing;figure\n2023-10-09;Onsong;3,5\n")
    ';'
    >>> sniff_delimiter("a\tb\n1\t2\n"), sniff_delimiter("a,b\n1,2\n")
    ('\t', ',')
    """
    lines = [line for line in text.lstrip("\ufeff").split("\n")[:20] if line.strip()]

    def score(delimiter: str) -> tuple[int, int]:
        counts = [len(row) for row in csv.reader(lines, delimiter=delimiter)]
        usable = [n for n in counts if n > 1]
        if not usable:
            return (0, 0)
        mode = max(set(usable), key=usable.count)
        return (usable.count(mode), mode)

    scores = {d: score(d) for d in _DELIMITERS}
    best = max(scores.values())
    return preferred if scores[preferred] == best else max(scores, key=lambda d: scores[d])
