"""Writing files so that nothing is lost: every output whole or none, never over an input,
temporary files removed on errors and signals, and I/O failures as one-line errors."""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import signal
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from types import FrameType
from typing import NoReturn, TypeVar, TypeVarTuple

from bordermap.errors import ExportError

__all__ = ["atomic_write", "atomic_write_all", "check_outputs"]

_R = TypeVar("_R")
_Args = TypeVarTuple("_Args")


def atomic_write(path: str | os.PathLike, data: bytes | str) -> Path:
    """Write a whole file or nothing: a temporary file beside it, then an atomic rename.

    A failed write leaves an existing file at ``path`` untouched and no temporary file
    behind; see :func:`atomic_write_all`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> atomic_write(target, "hello").read_text()
    'hello'
    """
    return atomic_write_all({path: data})[0]


def atomic_write_all(
    files: dict[str | os.PathLike, bytes | str], *, inputs: Sequence[str | os.PathLike] = ()
) -> list[Path]:
    """Write several finished files: all of them, or none.

    Every path is checked first (its folder exists; it is not a folder, a device or a pipe;
    no two outputs are one file; no output is one of ``inputs``). Each file is then written
    to a temporary file beside it, and only when every one is complete are they renamed
    into place. A failure, Ctrl-C or SIGTERM on the way removes the temporary files and
    leaves every existing file as it was; a write the system refuses (no permission, name
    too long, disk full) is an :class:`~bordermap.errors.ExportError` naming the file.

    Parameters
    ----------
    files : dict
        Path → content (text is written as UTF-8).
    inputs : sequence of paths, optional
        Files the outputs were made from: writing over one is an error.

    Returns
    -------
    list of pathlib.Path

    Raises
    ------
    bordermap.errors.ExportError

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> [p.name for p in atomic_write_all({folder / "a.txt": "a", folder / "b.txt": b"b"})]
    ['a.txt', 'b.txt']
    >>> atomic_write_all({folder / "a.txt": "x", f"{folder}/../{folder.name}/a.txt": "y"})
    Traceback (most recent call last):
    ...
    bordermap.errors.ExportError: .../a.txt: two outputs are one file; give each output its own name
    """
    paths = check_outputs(list(files), inputs)
    temporary: list[str] = []
    with _signals_clean_up():
        try:
            for path, data in zip(paths, files.values(), strict=True):
                temporary.append(_write_temporary(path, data))
            for path, part in zip(paths, temporary, strict=True):
                _os_step(os.replace, path, part, path)
        finally:
            for part in temporary:
                Path(part).unlink(missing_ok=True)
    return paths


def check_outputs(
    outputs: Sequence[str | os.PathLike], inputs: Sequence[str | os.PathLike] = ()
) -> list[Path]:
    """The output paths, checked before anything is written (see :func:`atomic_write_all`).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> (folder / "est.csv").write_text("event_date,crossing")
    19
    >>> [p.name for p in check_outputs([folder / "map.html"], inputs=[folder / "est.csv"])]
    ['map.html']
    >>> check_outputs([f"{folder}/../{folder.name}/est.csv"], inputs=[folder / "est.csv"])
    Traceback (most recent call last):
    ...
    bordermap.errors.ExportError: .../est.csv: is one of the input files (...); write ...
    """
    seen: dict[str, Path] = {}
    sources = {_identity(Path(p)): str(p) for p in inputs if p and not str(p).startswith("<")}
    checked = []
    for output in outputs:
        path = _writable(output)
        key = _identity(path)
        if key in sources:
            raise ExportError(
                f"is one of the input files ({sources[key]})",
                file=str(path),
                fix="write the output to another name: the input would be lost",
            )
        if key in seen:
            raise ExportError(
                "two outputs are one file", file=str(path), fix="give each output its own name"
            )
        seen[key] = path
        checked.append(path)
    return checked


def _identity(path: Path) -> str:
    """What makes two paths one file: device and inode when it exists, else the real path."""
    try:
        stat = path.stat()
    except OSError:
        return os.path.realpath(path)
    return f"{stat.st_dev}:{stat.st_ino}"


class _Terminated(SystemExit):
    """SIGTERM while writing: leave as ``kill`` meant, after the temporary files are gone."""


@contextlib.contextmanager
def _signals_clean_up() -> Iterator[None]:
    """Turn SIGTERM into an exception while files are written, so ``finally`` runs.

    Ctrl-C is already KeyboardInterrupt. Signal handlers can only be set from the main
    thread; elsewhere (a Jupyter worker thread) the default stays.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def terminate(signum: int, frame: FrameType | None) -> NoReturn:
        raise _Terminated(128 + signum)

    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


# What the system says → what the user can do about it.
_OS_ERRORS = {
    errno.EACCES: ("no permission to write here", "choose a folder you can write to"),
    errno.EPERM: ("no permission to write here", "choose a folder you can write to"),
    errno.EROFS: ("the disk is read-only", "choose a folder on a writable disk"),
    errno.ENAMETOOLONG: ("the file name is too long", "use a shorter name (at most 255 bytes)"),
    errno.ENOSPC: ("the disk is full", "free some space or write to another disk"),
    errno.EDQUOT: ("the disk quota is used up", "free some space or write to another disk"),
    errno.EFBIG: ("the file is too large for this disk", "write to another disk"),
}


def _os_step(step: Callable[[*_Args], _R], target: Path, *args: *_Args) -> _R:
    """Run one file-system step; the system's refusal becomes one line naming the file."""
    try:
        return step(*args)
    except OSError as exc:
        problem, fix = _OS_ERRORS.get(
            exc.errno or 0, (f"cannot be written ({exc.strerror or exc})", "check the path")
        )
        raise ExportError(problem, file=str(target), fix=fix) from exc


def _write_temporary(path: Path, data: bytes | str) -> str:
    """The finished content in a temporary file beside ``path``; its name."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    # A short temporary name: the output's own name may be as long as the system allows.
    make = functools.partial(tempfile.mkstemp, ".part", ".bordermap-", str(path.parent))
    handle, temporary = _os_step(make, path)
    try:
        # mkstemp makes the file private (0600); give it the mode an ordinary write would.
        os.chmod(temporary, _mode_for(path))
        with os.fdopen(handle, "wb") as out:
            _os_step(out.write, path, data)
            _os_step(out.flush, path)
            _os_step(os.fsync, path, out.fileno())
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return temporary


def _writable(path: str | os.PathLike) -> Path:
    """The path, if a file can be written there: its folder exists and it is a file or new."""
    if os.fspath(path).endswith(("/", os.sep)):
        # pathlib drops the slash: "out/" would become a file named "out".
        raise ExportError(
            "ends in '/': it names a folder, not a file",
            file=os.fspath(path),
            fix="give a file name, e.g. map.html",
        )
    path = Path(path)
    try:
        name_max = os.pathconf(path.parent, "PC_NAME_MAX")
    except (OSError, ValueError):
        name_max = 255
    if len(os.fsencode(path.name)) > name_max:
        raise ExportError(
            *_OS_ERRORS[errno.ENAMETOOLONG][:1],
            file=str(path),
            fix=f"use a shorter name (at most {name_max} bytes)",
        )
    if not _os_step(path.parent.is_dir, path):
        raise ExportError("the folder does not exist", file=str(path), fix="create it first")
    if _os_step(path.is_dir, path):
        raise ExportError(
            "is a folder, not a file", file=str(path), fix="give a file name, e.g. map.html"
        )
    if _os_step(path.exists, path) and not path.is_file():
        raise ExportError(
            "is not an ordinary file (a device or a pipe)",
            file=str(path),
            fix="give the name of a file to write",
        )
    return path


def _mode_for(path: Path) -> int:
    if path.exists():
        return path.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
