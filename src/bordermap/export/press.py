"""The press package: one folder (and, when asked, its ZIP) holding a map's page, images,
description and web archive, a manifest of every file's and input's SHA-256, and, with a
key, a signature and content credentials — all written, or none."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import platform
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from importlib import metadata as distributions
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from bordermap._version import __version__
from bordermap.errors import ExportError
from bordermap.export.writes import atomic_write_all, check_outputs

if TYPE_CHECKING:  # loaded on first use
    import folium

    from bordermap.export.signing import Signer
    from bordermap.spec import CrossingMapSpec, MapSpec

__all__ = [
    "DEFAULT_URL",
    "DRAWN_FILES",
    "MEDIA_TYPES",
    "drawn_files",
    "making_time",
    "package",
    "recorded_command",
]

#: Where the archived page says it was served when no URL is given (.invalid: nowhere).
DEFAULT_URL = "https://bordermap.invalid/map.html"
MEDIA_TYPES = {
    "map.html": "text/html",
    "map.png": "image/png",
    "map.svg": "image/svg+xml",
    "map.pdf": "application/pdf",
    "map.json": "application/json",
    "map.wacz": "application/wacz",
    "README.txt": "text/plain",
    "signer.pem": "application/x-pem-file",
    "SHA256SUMS": "text/plain",
    "manifest.json": "application/json",
    "manifest.sig": "application/octet-stream",
}
#: The files a rebuild from the description (and inputs) gives again, byte for byte.
DRAWN_FILES = ("map.html", "map.png", "map.svg", "map.pdf", "map.json")
WHAT = {
    "map.html": "the interactive map: one page, opens with no network",
    "map.png": "the map as a picture (with a C2PA content credential when signed)",
    "map.svg": "the map as a vector drawing (with a C2PA content credential when signed)",
    "map.pdf": "the map for print, fonts embedded",
    "map.json": "the map's description (MapSpec): every point, figure, label and source drawn",
    "map.wacz": "the page as a web archive (WACZ 1.1.1): replay tools open it offline",
    "README.txt": "this file",
    "signer.pem": "the certificate of whoever signed the package",
}
#: Libraries whose version can change the bytes of a drawing.
LIBRARIES = (
    "babel",
    "branca",
    "cdxj-indexer",
    "folium",
    "geopandas",
    "jinja2",
    "matplotlib",
    "numpy",
    "pandas",
    "pillow",
    "pyogrio",
    "pyproj",
    "shapely",
    "warcio",
    "xyzservices",
)
#: The ``bordermap render`` options that shape the drawing, by argparse name; outputs,
#: signing and tiles (a package's page never uses a tile server) are left out.
DRAWING_OPTIONS = (
    "estimates",
    "crossings",
    "facilities",
    "no_facilities",
    "event",
    "rule",
    "prefer",
    "encoding",
    "crs",
    "crossings_layer",
    "facilities_layer",
    "cases_layer",
    "title",
    "subtitle",
    "lang",
    "routes",
    "no_routes",
    "cases",
    "cases_category",
    "publish",
    "min_cell_records",
    "dpi",
)
INPUT_OPTIONS = ("estimates", "crossings", "facilities", "routes", "cases")


def making_time() -> dt.datetime:
    """When the package is made: ``SOURCE_DATE_EPOCH`` when set (reproducible builds), else now.

    Examples
    --------
    >>> import os
    >>> os.environ["SOURCE_DATE_EPOCH"] = "1700000000"
    >>> making_time().isoformat()
    '2023-11-14T22:13:20+00:00'
    >>> del os.environ["SOURCE_DATE_EPOCH"]
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
        except (ValueError, OverflowError, OSError) as exc:
            raise ExportError(
                "not a time in seconds since 1970",
                field="SOURCE_DATE_EPOCH",
                value=epoch,
                fix="e.g. SOURCE_DATE_EPOCH=$(git log -1 --format=%ct), or unset it",
            ) from exc
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def _sha256_file(path: str | os.PathLike) -> str:
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError as exc:
        raise ExportError(f"cannot read ({exc.strerror})", file=str(path)) from exc
    return digest.hexdigest()


def recorded_command(options: Mapping[str, Any]) -> tuple[list[str], list[dict]]:
    """The drawing options of a ``bordermap render`` command, as the manifest keeps them:
    each input file by its name (by its SHA-256 alone on a published map), never its path.

    Returns
    -------
    (list of str, list of dict)
        The arguments, and each input file's option, name and SHA-256.

    Examples
    --------
    >>> recorded_command({"rule": "latest", "no_routes": True, "title": None, "dpi": 200})
    (['--rule', 'latest', '--no-routes', '--dpi', '200'], [])
    """
    arguments: list[str] = []
    inputs = []
    published = bool(options.get("publish"))
    for name in DRAWING_OPTIONS:
        value = options.get(name)
        if value is None or value is False:
            continue
        flag = "--" + name.replace("_", "-")
        if value is True:
            arguments.append(flag)
            continue
        if name in INPUT_OPTIONS and not (name == "facilities" and value == "bundled"):
            sha = _sha256_file(value)
            label = f"sha256:{sha}" if published else os.path.basename(value)
            inputs.append({"option": flag, "name": None if published else label, "sha256": sha})
            value = label
        arguments += [flag, str(value)]
    return arguments, inputs


def _spec(map_or_spec: folium.Map | MapSpec) -> CrossingMapSpec:
    from bordermap.spec import MapSpec

    spec = map_or_spec if isinstance(map_or_spec, MapSpec) else getattr(map_or_spec, "spec", None)
    if spec is None or spec.kind != "crossings":
        raise ExportError(
            "a package holds one event's crossing map",
            value=type(map_or_spec).__name__,
            fix="give a map from bordermap.crossing_map, or its spec (not a timeline map)",
        )
    return cast("CrossingMapSpec", spec)  # its kind is "crossings"


def drawn_files(spec: CrossingMapSpec, *, dpi: int = 200) -> dict[str, bytes]:
    """The page (offline), PNG, SVG, PDF and description drawn from a map's description:
    what a package holds and what a rebuild compares.

    Examples
    --------
    >>> import bordermap
    >>> spec = bordermap.describe_crossings(bordermap.load_crossings())
    >>> sorted(drawn_files(spec, dpi=50))
    ['map.html', 'map.json', 'map.pdf', 'map.png', 'map.svg']
    """
    from bordermap.export.outputs import images_bytes, to_html
    from bordermap.render.leaflet.page import draw_map

    page = draw_map(spec, tiles=None)
    page.page_image = "map.png"  # a shared link shows the picture beside the page
    files = {"map.html": to_html(page, offline=True).encode()}
    files.update({f"map.{fmt}": data for fmt, data in images_bytes(spec, _IMAGES, dpi=dpi).items()})
    files["map.json"] = spec.to_json().encode()
    return files


_IMAGES = ("png", "svg", "pdf")


def _libraries(signed: bool) -> dict[str, str]:
    names = [*LIBRARIES, *(("c2pa-python", "cryptography") if signed else ())]
    found = {"python": platform.python_version()}
    for name in sorted(names):
        try:
            found[name] = distributions.version(name)
        except distributions.PackageNotFoundError:
            continue
    return found


def _readme(spec: CrossingMapSpec, manifest: dict) -> bytes:
    signed = manifest["signature"]
    lines = [
        f"{spec.title}",
        "",
        f"A press package made by bordermap {__version__} on {manifest['made']}.",
        "",
        "Files",
        *(f"  {f['path']:<13} {WHAT.get(f['path'], '')}" for f in manifest["files"]),
        "  manifest.json every file's SHA-256, size and type; every input's SHA-256",
        "  SHA256SUMS    the same SHA-256 for sha256sum -c",
        *(["  manifest.sig  the signature of manifest.json"] if signed else []),
        "",
        "How to check it",
        "  bordermap verify .          (every file, the signature, the credentials, the archive)",
        "  sha256sum -c SHA256SUMS     (by hand: each file unchanged since the manifest)",
        "",
        (
            f"Signed by {signed['subject']}; their certificate's SHA-256 is\n"
            f"{signed['certificate_sha256']}. Ask them for it by another channel: a\n"
            "signature proves who signed, never that the figures are true."
            if signed
            else "Not signed: the SHA-256 show whether a file changed since the manifest was\n"
            "written, not who wrote it."
        ),
        "",
        "The map cites: " + ("; ".join(spec.metadata.get("sources", [])) or "no source"),
        "",
    ]
    return "\n".join(lines).encode()


def _entry(name: str, data: bytes) -> dict:
    return {
        "path": name,
        "sha256": hashlib.sha256(data).hexdigest(),
        "bytes": len(data),
        "media_type": MEDIA_TYPES[name],
    }


def _contents(
    spec: CrossingMapSpec,
    *,
    dpi: int,
    url: str,
    signer: Signer | None,
    command: tuple[list[str], list[dict]] | None,
    when: dt.datetime,
) -> dict[str, bytes]:
    """Every file of the package, in memory."""
    from bordermap.export.signing import C2PA_FORMATS, add_content_credential
    from bordermap.export.webarchive import wacz_bytes
    from bordermap.spec import with_basemap

    about = with_basemap(dict(spec.metadata), spec.published)
    files = drawn_files(spec, dpi=dpi)
    software = f"bordermap {__version__}"
    files["map.wacz"] = wacz_bytes(
        files["map.html"], url, when, title=spec.title, software=software
    )
    if signer is not None:
        for name, media_type in C2PA_FORMATS.items():
            files[name] = add_content_credential(
                files[name], media_type, signer, title=spec.title, about=about
            )
        files["signer.pem"] = signer.chain_pem
    manifest: dict[str, Any] = {
        "format": "bordermap-package/1",
        "generator": {"name": "bordermap", "version": __version__},
        "made": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "title": spec.title,
        "event": spec.metadata.get("event"),
        "sources": about.get("sources", []),
        "published": spec.published,
        "inputs": about.get("inputs", []),
        "command": None
        if command is None
        else {"arguments": ["bordermap", "render", *command[0]], "inputs": command[1]},
        "drawing": {"dpi": dpi, "archive_url": url},
        "libraries": _libraries(signer is not None),
        "signature": None if signer is None else signer.describe(),
        "files": [],
    }
    files["README.txt"] = b""  # listed below with its final bytes
    names = sorted(files)
    manifest["files"] = [_entry(name, files[name]) for name in names if name != "README.txt"]
    files["README.txt"] = _readme(spec, manifest)
    manifest["files"] = [_entry(name, files[name]) for name in names]
    files["manifest.json"] = (json.dumps(manifest, ensure_ascii=False, indent=1) + "\n").encode()
    sums = [f"{hashlib.sha256(files[n]).hexdigest()}  {n}" for n in sorted(files)]
    files["SHA256SUMS"] = ("\n".join(sums) + "\n").encode()
    if signer is not None:
        files["manifest.sig"] = signer.sign(files["manifest.json"])
    return files


def _folder_for(dest: Path) -> tuple[Path, Path | None]:
    if dest.suffix.lower() == ".zip":
        return dest.with_suffix(""), dest
    return dest, None


def _replace_folder(built: Path, folder: Path) -> None:
    """Put the finished folder in place; an older package there is replaced whole."""
    old = None
    if folder.exists():
        old = Path(tempfile.mkdtemp(".old", ".bordermap-", folder.parent))
        os.replace(folder, old / folder.name)
    try:
        os.replace(built, folder)
    except OSError:
        if old is not None:
            os.replace(old / folder.name, folder)
        raise
    finally:
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)


def package(
    map_or_spec: folium.Map | MapSpec,
    dest: str | os.PathLike,
    *,
    dpi: int = 200,
    url: str | None = None,
    sign_key: str | os.PathLike | None = None,
    sign_cert: str | os.PathLike | None = None,
    command: tuple[list[str], list[dict]] | None = None,
    inputs: Sequence[str | os.PathLike] = (),
) -> Path:
    """Write a map's press package: page, PNG, SVG, PDF, description, web archive,
    ``README.txt``, ``manifest.json`` and ``SHA256SUMS``; with a key, ``manifest.sig`` and
    C2PA content credentials in the PNG and SVG. Every file is written, or none.

    The manifest lists every file's SHA-256, size and media type, every input's SHA-256
    and name (on a published map: the SHA-256 alone; no input's content is ever in the
    package), the bordermap version, the command's drawing options, the versions of the
    libraries that shaped the drawing and the time of making (``SOURCE_DATE_EPOCH`` when
    set, so that the same inputs give the same package byte for byte when unsigned).

    Parameters
    ----------
    map_or_spec : folium.Map or MapSpec
        A map from :func:`bordermap.crossing_map` (its ``spec`` is drawn), or a spec.
    dest : path
        The folder to write (replaced whole if it holds an older package); a name ending
        in ``.zip`` writes the folder without the suffix and its ZIP beside it.
    dpi : int, default 200
        The PNG's resolution.
    url : str, optional
        Where the page is published: the web archive records it as served there.
    sign_key, sign_cert : path, optional
        A PEM private key (Ed25519 or ECDSA P-256) and its certificate chain.
    command : (list, list), optional
        From :func:`recorded_command`: the command line that drew the map.
    inputs : paths, optional
        The files the map was drawn from: never written over.

    Returns
    -------
    pathlib.Path
        The folder.

    Examples
    --------
    >>> import bordermap, tempfile, pathlib
    >>> m = bordermap.crossing_map(bordermap.load_crossings(), tiles=None)
    >>> out = bordermap.package(m, pathlib.Path(tempfile.mkdtemp()) / "map.zip", dpi=50)
    >>> sorted(p.name for p in out.iterdir())[:4], out.with_suffix(".zip").exists()
    (['README.txt', 'SHA256SUMS', 'manifest.json', 'map.html'], True)
    """
    from bordermap.export.signing import load_signer
    from bordermap.export.webarchive import zip_bytes

    if (sign_key is None) != (sign_cert is None):
        raise ExportError(
            "a signature needs the key and its certificate",
            field="--sign-key" if sign_key is None else "--sign-cert",
            fix="give both --sign-key KEY.pem and --sign-cert CERT.pem, or neither",
        )
    folder, zipped = _folder_for(Path(dest))
    check_outputs(
        [folder / "manifest.json" if folder.is_dir() else folder, *([zipped] if zipped else [])],
        inputs,
    )
    inside = [p for p in inputs if Path(os.path.realpath(p)).is_relative_to(folder.resolve())]
    if inside:
        raise ExportError(
            f"the folder holds an input file ({inside[0]})",
            file=str(folder),
            fix="write the package to another folder: the input would be lost",
        )
    if folder.exists() and any(folder.iterdir()) and not (folder / "manifest.json").is_file():
        raise ExportError(
            "the folder exists and holds no bordermap package",
            file=str(folder),
            fix="give a new folder name: nothing in it would be kept",
        )
    signer = load_signer(sign_key, sign_cert) if sign_key and sign_cert else None
    when = making_time()
    spec = _spec(map_or_spec)
    files = _contents(
        spec, dpi=dpi, url=url or DEFAULT_URL, signer=signer, command=command, when=when
    )
    built = Path(tempfile.mkdtemp(".part", ".bordermap-", folder.parent))
    try:
        outputs: dict[str | os.PathLike, bytes | str] = {built / n: d for n, d in files.items()}
        if zipped is not None:
            members = {f"{folder.name}/{n}": d for n, d in files.items()}
            outputs[zipped] = zip_bytes(members, when)
        atomic_write_all(outputs, inputs=inputs)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(built, 0o777 & ~umask)  # mkdtemp's folder is private; a package is not
        _replace_folder(built, folder)
    finally:
        shutil.rmtree(built, ignore_errors=True)
    return folder
