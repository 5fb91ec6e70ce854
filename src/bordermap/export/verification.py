"""Checking a press package: every file against the manifest, the signature, the content
credentials and the web archive, and — given the inputs — a rebuild compared byte for byte."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bordermap.errors import BordermapError, ValidationError, one_line

__all__ = ["Check", "Verification", "verify"]

#: Files the manifest cannot list: itself, its signature and the sums made from it.
_BESIDE_MANIFEST = ("manifest.json", "manifest.sig", "SHA256SUMS")

Rebuild = Callable[[list[str], Path], Path]


@dataclass(frozen=True)
class Check:
    """One line of a verification: what was checked, whether it holds, and what was found."""

    name: str
    ok: bool
    message: str

    def __str__(self) -> str:
        return f"{self.name}: {self.message}"


@dataclass
class Verification:
    """Every check made on a package; ``ok`` only when all hold."""

    checks: list[Check] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every check holds."""
        return bool(self.checks) and all(c.ok for c in self.checks)

    def add(self, name: str, ok: bool, message: str) -> None:
        """Record one check."""
        self.checks.append(Check(name, ok, message))

    def failed(self) -> list[Check]:
        """The checks that do not hold."""
        return [c for c in self.checks if not c.ok]

    def __str__(self) -> str:
        return "\n".join(map(str, self.checks))


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@contextlib.contextmanager
def _opened(path: Path) -> Iterator[Path]:
    """The package folder: ``path`` itself, or the one folder inside a package ZIP."""
    if path.is_dir():
        yield path
        return
    with tempfile.TemporaryDirectory() as tmp:
        try:
            with zipfile.ZipFile(path) as archive:
                archive.extractall(tmp)  # zipfile drops absolute paths and '..'
        except (zipfile.BadZipFile, OSError) as exc:
            raise BordermapError(
                f"neither a package folder nor its ZIP ({one_line(str(exc))})",
                file=str(path),
                fix="give the folder bordermap render --package wrote, or its .zip",
            ) from exc
        inside = [p for p in Path(tmp).iterdir() if p.is_dir()]
        yield inside[0] if len(inside) == 1 else Path(tmp)


def _manifest(folder: Path, report: Verification) -> dict | None:
    try:
        manifest = json.loads((folder / "manifest.json").read_bytes())
    except FileNotFoundError:
        report.add("manifest.json", False, "missing: this is not a bordermap package")
        return None
    except (OSError, ValueError) as exc:
        report.add("manifest.json", False, f"unreadable ({one_line(str(exc))})")
        return None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), list):
        report.add("manifest.json", False, "not a bordermap package manifest")
        return None
    return manifest


def _check_files(folder: Path, manifest: dict, report: Verification) -> dict[str, bytes]:
    from bordermap.export.signing import C2PA_FORMATS, check_content_credential
    from bordermap.export.webarchive import check_wacz

    signed = manifest.get("signature") is not None
    files: dict[str, bytes] = {}
    listed = set()
    for entry in manifest["files"]:
        name = str(entry.get("path"))
        listed.add(name)
        try:
            data = (folder / name).read_bytes()
        except OSError:
            report.add(name, False, "missing: the manifest lists it")
            continue
        files[name] = data
        if _sha256(data) != entry.get("sha256") or len(data) != entry.get("bytes"):
            report.add(
                name,
                False,
                f"changed: SHA-256 {_sha256(data)[:16]}…, {len(data)} bytes; the manifest "
                f"says {str(entry.get('sha256'))[:16]}…, {entry.get('bytes')} bytes",
            )
            continue
        extra = []
        try:
            if signed and name in C2PA_FORMATS:
                extra.append(check_content_credential(data, C2PA_FORMATS[name]))
            if name == "map.wacz":
                page = (
                    (folder / "map.html").read_bytes() if (folder / "map.html").exists() else None
                )
                extra.append(check_wacz(data, page))
        except BordermapError as exc:
            report.add(name, False, f"SHA-256 ok, but {one_line(str(exc))}")
            continue
        report.add(name, True, "; ".join(["ok", *extra]))
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        if path.is_file() and name not in listed and name not in _BESIDE_MANIFEST:
            report.add(name, False, "not in the manifest: added after the package was made")
    return files


def _check_sums(folder: Path, report: Verification) -> None:
    try:
        lines = (folder / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        report.add("SHA256SUMS", False, "missing or unreadable")
        return
    wrong = []
    for line in lines:
        digest, _, name = line.partition("  ")
        path = folder / name
        if not name or not path.is_file() or _sha256(path.read_bytes()) != digest:
            wrong.append(name or line)
    report.add(
        "SHA256SUMS",
        not wrong,
        "ok" if not wrong else f"does not match {', '.join(wrong)}",
    )


def _check_signature(folder: Path, manifest: dict, report: Verification) -> None:
    from bordermap.export.signing import check_signature

    sig = folder / "manifest.sig"
    if manifest.get("signature") is None:
        if sig.exists():
            report.add("manifest.sig", False, "present, but the manifest says unsigned")
        else:
            report.add("signature", True, "none: the package is unsigned (hashes only)")
        return
    try:
        who = check_signature(
            (folder / "manifest.json").read_bytes(),
            sig.read_bytes(),
            (folder / "signer.pem").read_bytes(),
        )
    except OSError as exc:
        report.add("manifest.sig", False, f"cannot be checked: {exc.filename} missing")
        return
    except BordermapError as exc:
        report.add("manifest.sig", False, one_line(str(exc)))
        return
    report.add("manifest.sig", True, f"ok, signed by {who}")


def _check_inputs(
    manifest: dict, inputs: Sequence[str | os.PathLike], report: Verification
) -> dict[str, str]:
    """Each given input against the manifest's; their paths by SHA-256."""
    known = {i.get("sha256"): i.get("file") or i.get("name") for i in manifest.get("inputs", [])}
    command = manifest.get("command") or {}
    known.update({i["sha256"]: i.get("name") or i["option"] for i in command.get("inputs", [])})
    given = {}
    for path in inputs:
        name = f"input {os.path.basename(path)}"
        try:
            digest = _sha256(Path(path).read_bytes())
        except OSError as exc:
            report.add(name, False, f"cannot be read ({exc.strerror})")
            continue
        given[digest] = str(path)
        if digest in known:
            report.add(name, True, "ok: the map was drawn from this file")
        else:
            report.add(
                name,
                False,
                f"not an input of this map: SHA-256 {digest[:16]}… is none of the manifest's "
                "(changed, or another file)",
            )
    return given


def _rebuilt_from_inputs(
    manifest: dict, given: dict[str, str], rebuild: Rebuild, where: Path, report: Verification
) -> Path | None:
    command = manifest["command"]
    arguments = list(command["arguments"][2:])
    for recorded in command.get("inputs", []):
        path = given.get(recorded["sha256"])
        if path is None:
            report.add(
                "rebuild",
                False,
                f"no given file is the {recorded['option']} input "
                f"({recorded.get('name') or 'SHA-256 ' + recorded['sha256'][:16] + '…'})",
            )
            return None
        at = arguments.index(recorded["option"]) + 1
        arguments[at] = path
    with _source_date(manifest):
        return rebuild(arguments, where / "rebuilt")


@contextlib.contextmanager
def _source_date(manifest: dict) -> Iterator[None]:
    import datetime as dt

    made = dt.datetime.strptime(manifest["made"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(int(made.timestamp()))
    try:
        yield
    finally:
        if before is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before


def _compare(
    manifest: dict,
    files: dict[str, bytes],
    rebuilt: dict[str, bytes],
    how: str,
    report: Verification,
) -> None:
    from bordermap.export.press import DRAWN_FILES, MEDIA_TYPES
    from bordermap.export.signing import without_content_credential

    versions = dict(manifest.get("libraries", {}))
    here = {}
    from importlib import metadata

    for name in versions:
        with contextlib.suppress(metadata.PackageNotFoundError):
            here[name] = metadata.version(name)
    moved = [f"{n} {versions[n]} → {here[n]}" for n in sorted(here) if here[n] != versions[n]]
    note = f" (libraries differ: {', '.join(moved)})" if moved else ""
    for name in DRAWN_FILES:
        if name not in files:
            continue
        drawn = without_content_credential(files[name], MEDIA_TYPES[name])
        same = rebuilt.get(name) == drawn
        report.add(
            f"rebuild {name}",
            same,
            f"same bytes, rebuilt from {how}" if same else f"differs when rebuilt from {how}{note}",
        )


def verify(
    path: str | os.PathLike,
    *,
    inputs: Sequence[str | os.PathLike] = (),
    rebuild: Rebuild | None = None,
) -> Verification:
    """Check a press package written by :func:`bordermap.package`.

    Every file is hashed again and compared with ``manifest.json`` (a changed byte, a
    missing or an added file is named); ``SHA256SUMS`` is checked; the signature of the
    manifest, the C2PA credentials of the PNG and SVG, and the web archive are validated.
    Given the inputs, each must be one the map was drawn from, and the drawing is made
    again and compared byte for byte: by ``rebuild`` from the recorded command and the
    inputs (the command line's ``bordermap verify --inputs``), else from ``map.json``.

    Parameters
    ----------
    path : path
        The package folder, or its ZIP.
    inputs : paths, optional
        The files the map was drawn from.
    rebuild : callable, optional
        ``rebuild(arguments, folder)`` writes a package from the recorded ``bordermap
        render`` arguments (input paths filled in) into ``folder`` and returns it.

    Returns
    -------
    Verification
        One :class:`Check` per file and per check; ``ok`` when all hold.

    Examples
    --------
    >>> import bordermap, tempfile, pathlib
    >>> m = bordermap.crossing_map(bordermap.load_crossings(), tiles=None)
    >>> out = bordermap.package(m, pathlib.Path(tempfile.mkdtemp()) / "map", dpi=50)
    >>> result = bordermap.verify(out)
    >>> result.ok, str(result.checks[0])
    (True, 'README.txt: ok')
    >>> (out / "map.pdf").write_bytes(b"%PDF-1.4 altered")
    16
    >>> [str(c) for c in bordermap.verify(out).failed()]  # doctest: +ELLIPSIS
    ['map.pdf: changed: SHA-256 ...; the manifest says ...']
    """
    from bordermap.export.press import drawn_files
    from bordermap.spec import CrossingMapSpec, MapSpec

    report = Verification()
    with _opened(Path(path)) as folder:
        manifest = _manifest(folder, report)
        if manifest is None:
            if (folder / "manifest.sig").exists():  # was it signed as it is now?
                _check_signature(folder, {"signature": {}}, report)
            return report
        files = _check_files(folder, manifest, report)
        _check_sums(folder, report)
        _check_signature(folder, manifest, report)
        if not inputs:
            return report
        given = _check_inputs(manifest, inputs, report)
        try:
            with tempfile.TemporaryDirectory() as tmp:
                if rebuild is not None and manifest.get("command"):
                    out = _rebuilt_from_inputs(manifest, given, rebuild, Path(tmp), report)
                    if out is not None:
                        rebuilt = {p.name: p.read_bytes() for p in out.iterdir()}
                        _compare(manifest, files, rebuilt, "the inputs", report)
                elif "map.json" in files:
                    spec = MapSpec.from_json(files["map.json"].decode("utf-8"))
                    if not isinstance(spec, CrossingMapSpec):  # a package holds no time map
                        raise ValidationError(
                            f"map.json describes a {spec.kind} map, not one event's crossings"
                        )
                    dpi = int((manifest.get("drawing") or {}).get("dpi", 200))
                    _compare(manifest, files, drawn_files(spec, dpi=dpi), "map.json", report)
        except (BordermapError, ValueError, KeyError, TypeError) as exc:
            report.add("rebuild", False, f"failed: {one_line(str(exc))}")
    return report
