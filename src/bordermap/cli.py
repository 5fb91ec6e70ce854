"""The ``bordermap`` command: argument parsing and exit codes only; the work is the API's."""

from __future__ import annotations

import argparse
import os
import sys
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

from bordermap.commands import render
from bordermap.errors import BordermapError, BordermapWarning, one_line

__all__ = ["main"]

EXIT_OK = 0
EXIT_FAILED = 1  # bordermap verify: a check does not hold
EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it


#: PNG resolutions the CLI accepts: below, text is unreadable; above, one image needs
#: gigabytes of memory (600 dpi is already a 6000-pixel-wide print).
DPI_RANGE = (50, 600)


class UsageError(Exception):
    """A command line argparse rejects: reported in one line like every other error."""


class _Parser(argparse.ArgumentParser):
    """argparse, but a bad option is one line on stderr (no usage block) and exit 2."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see bordermap {self.prog.split()[-1]} --help)")


def _dpi(text: str) -> int:
    """--dpi: a whole number within DPI_RANGE."""
    try:
        value = int(text.strip())
    except ValueError:
        value = None
    if value is None or not DPI_RANGE[0] <= value <= DPI_RANGE[1]:
        raise BordermapError(
            "not a usable resolution",
            field="--dpi",
            value=text,
            fix=f"give a whole number from {DPI_RANGE[0]} to {DPI_RANGE[1]}, e.g. 200",
        )
    return value


def _positive(option: str) -> Callable[[str], int]:
    """An argparse type: a whole number above 0, else a one-line error naming ``option``."""

    def whole(text: str) -> int:
        try:
            value = int(text.strip().replace(",", "").replace("_", ""))
        except ValueError:
            value = 0
        if value < 1:
            raise BordermapError(
                "not a whole number above 0", field=option, value=text, fix="e.g. 1000"
            )
        return value

    return whole


def _path_max() -> tuple[int, int]:
    """The longest path and file name the system takes, in bytes (PATH_MAX, NAME_MAX)."""
    try:
        return os.pathconf("/", "PC_PATH_MAX"), os.pathconf("/", "PC_NAME_MAX")
    except (OSError, ValueError, AttributeError):
        return 4096, 255


def _path(option: str, *, stdout: bool = False) -> Callable[[str], str]:
    """An argparse type: a file name the system can open and bordermap can quote, else a
    one-line error naming ``option`` — before anything is read or written.

    A name that is not UTF-8 arrives with surrogate escapes (PEP 383): it could be opened,
    but not written into a page's metadata or a message. ``stdout``: ``-`` means standard
    output.
    """

    def path(text: str) -> str:
        if stdout and text == "-":
            return text
        longest, name_max = _path_max()
        if any("\udc80" <= ch <= "\udcff" for ch in text):
            raise BordermapError(
                "the file name is not UTF-8 text",
                field=option,
                value=text,
                fix="rename the file with letters your system shows (e.g. convmv -f cp949 -t utf8)",
            )
        encoded = os.fsencode(text)
        if len(encoded) >= longest or any(len(part) > name_max for part in encoded.split(b"/")):
            raise BordermapError(
                f"the path is too long (at most {longest - 1:,} bytes)"
                if len(encoded) >= longest
                else f"the file name is too long (at most {name_max} bytes)",
                field=option,
                value=text,
                fix="use a shorter path or move the file nearer the root",
            )
        if option in _OUTPUT_OPTIONS and (text.endswith(("/", os.sep)) or os.path.isdir(text)):
            raise BordermapError(
                "is a folder, not a file"
                if os.path.isdir(text)
                else "ends in '/': it names a folder, not a file",
                field=option,
                value=text,
                fix=f"name the file to write in it, e.g. {os.path.join(text, 'map.html')}",
            )
        suffix = os.path.splitext(text)[1].lower()
        writes = _WRITTEN_BY.get(suffix)
        if option in _OUTPUT_OPTIONS and writes and option not in writes:
            raise BordermapError(
                f"names a {suffix} file, but {option} writes "
                + ("an HTML page" if option in ("-o", "--embed") else option[2:].upper()),
                field=option,
                value=text,
                fix=f"write it with {writes[0]} {text}, or give {option} a file ending "
                + next(ending for ending, by in _WRITTEN_BY.items() if option in by),
            )
        return text

    return path


_OUTPUT_OPTIONS = ("-o", "--png", "--svg", "--pdf", "--embed")
# A file's suffix and the options that write that format: `-o map.png` would write an HTML page
# under an image's name.
_WRITTEN_BY = {
    ".html": ("-o", "--embed"),
    ".htm": ("-o", "--embed"),
    ".png": ("--png",),
    ".svg": ("--svg",),
    ".pdf": ("--pdf",),
}


def _parser() -> argparse.ArgumentParser:
    from bordermap import __version__

    parser = _Parser(
        prog="bordermap",
        description="Map forced returns across borders: load crossings, join published "
        "estimates, render an offline map and print images.",
        epilog="'bordermap COMMAND --help' explains a command's options.",
    )
    parser.add_argument("--version", action="version", version=f"bordermap {__version__}")
    commands = parser.add_subparsers(dest="command", title="commands", metavar="COMMAND")
    render = commands.add_parser(
        "render",
        help="draw the crossing map as an HTML file and/or print images",
        description="Draw the crossing map; with no inputs, the bundled 9 October 2023 map. "
        "Give at least one output: -o (HTML), --png, --svg or --pdf; all are written, or none.",
    )
    render.add_argument(
        "-o",
        "--output",
        type=_path("-o", stdout=True),
        help="HTML file to write ('-': standard output)",
    )
    render.add_argument("--png", type=_path("--png"), help="PNG image to write")
    render.add_argument(
        "--svg", type=_path("--svg"), help="SVG image to write (vector, text kept as text)"
    )
    render.add_argument("--pdf", type=_path("--pdf"), help="PDF to write (vector, fonts embedded)")
    render.add_argument(
        "--embed",
        type=_path("--embed"),
        help="HTML snippet to write: a responsive iframe of the -o page, for an article",
    )
    render.add_argument(
        "--dpi",
        type=_dpi,
        default=200,
        help=f"PNG resolution, {DPI_RANGE[0]}–{DPI_RANGE[1]} (default 200)",
    )
    render.add_argument(
        "--estimates", type=_path("--estimates"), help="CSV/Excel of per-crossing estimates"
    )
    render.add_argument(
        "--crossings",
        type=_path("--crossings"),
        help="crossing points (GeoJSON, GeoPackage, KML, CSV …)",
    )
    facilities = render.add_mutually_exclusive_group()
    facilities.add_argument(
        "--facilities",
        metavar="F",
        type=_path("--facilities"),
        help="facility points (same formats), or 'bundled' for the bundled facilities "
        "(default: the bundled ones with the bundled crossings, none with --crossings)",
    )
    facilities.add_argument("--no-facilities", action="store_true", help="draw no facilities")
    render.add_argument("--event", help="event date to map, YYYY-MM-DD (default: the only one)")
    render.add_argument(
        "--events",
        help="draw a time map of several events: 'all', or dates separated by commas",
    )
    render.add_argument(
        "--rule",
        choices=("latest", "median", "max", "min"),
        default="latest",
        help="which published figure is the headline (default: the most recent)",
    )
    render.add_argument("--prefer", help="prefer figures from this source (part of its name)")
    render.add_argument(
        "--encoding",
        help="text encoding of CSV, Shapefile, KML and GeoJSON inputs when not UTF-8 "
        "(cp949: Korean Excel, gb18030: Chinese)",
    )
    render.add_argument(
        "--crs",
        metavar="CRS",
        help="CRS of geodata inputs that declare none (a Shapefile without .prj, TopoJSON, "
        "x/y columns), e.g. EPSG:32652",
    )
    for name in ("crossings", "facilities", "cases"):
        render.add_argument(
            f"--{name}-layer",
            metavar="LAYER",
            help=f"the layer of --{name} to read, when its file holds several "
            "(GeoPackage, KML folders …)",
        )
    render.add_argument(
        "--max-input-mb",
        type=_positive("--max-input-mb"),
        help="read input files up to this size (default 512 MB)",
    )
    render.add_argument(
        "--max-cells",
        type=_positive("--max-cells"),
        help="read tables and sheets up to this many cells (default 5,000,000)",
    )
    render.add_argument("--title", help="map title")
    render.add_argument("--subtitle", help="map subtitle")
    render.add_argument(
        "--lang",
        default="en",
        help="the map's language: any CLDR code (en, ko, zh, ar, ru, th, es, pt-BR ...); "
        "names from label_<lang>/name_<lang> columns, legend words from bordermap's catalog "
        "(en, ko, zh, ar, ru; English otherwise)",
    )
    render.add_argument(
        "--offline",
        action="store_true",
        help="inline every asset and use no tile server: the file needs no network",
    )
    render.add_argument(
        "--tiles",
        default=None,
        help="tile provider: an xyzservices name (default Esri.WorldGrayCanvas) or 'satellite'",
    )
    routes = render.add_mutually_exclusive_group()
    routes.add_argument(
        "--routes",
        type=_path("--routes"),
        help="CSV/Excel of routes facility → crossing → facility",
    )
    routes.add_argument(
        "--no-routes", action="store_true", help="draw no routes (default: the bundled ones)"
    )
    render.add_argument(
        "--cases",
        type=_path("--cases"),
        help="case records to draw (points: GeoJSON, GeoPackage, KML, CSV with lat/lon)",
    )
    render.add_argument("--cases-category", help="column of --cases that colours the records")
    render.add_argument(
        "--publish",
        nargs="?",
        const="generalise",
        choices=("generalise", "drop"),
        help="write only allow-listed fields; restricted places generalised to city level "
        "(or dropped); case records as counts per 0.1° cell; prints what was removed to stderr",
    )
    render.add_argument(
        "--min-cell-records",
        type=_positive("--min-cell-records"),
        default=None,
        help="with --publish: the fewest case records a drawn cell holds (default 5)",
    )
    render.add_argument(
        "--package",
        metavar="DIR",
        help="write a press package to this folder (a name ending .zip writes its ZIP too): "
        "page, images, description, web archive and a manifest of every SHA-256",
    )
    render.add_argument("--sign-key", metavar="KEY", help="with --package: sign with this PEM key")
    render.add_argument("--sign-cert", metavar="CERT", help="with --sign-key: its certificate")
    render.add_argument(
        "--package-url", metavar="URL", help="with --package: where the page will be published"
    )
    check = commands.add_parser(
        "verify",
        help="check a press package: files, signature, credentials, archive",
        description="Check a package from 'render --package': one line per file; exit 0 "
        "only when every check holds (1 when one fails). With --inputs, rebuild it and "
        "compare byte for byte.",
    )
    check.add_argument("package", metavar="DIR", help="the package folder, or its .zip")
    check.add_argument("--inputs", nargs="+", default=(), metavar="FILE", help="input files")
    return parser


def _rebuild(arguments: list[str], folder: Path) -> Path:
    """Draw a package again from recorded ``render`` arguments (for ``verify --inputs``)."""
    try:
        args = _parser().parse_args(["render", *arguments, "--package", str(folder)])
    except UsageError as exc:
        raise BordermapError(f"the recorded command does not run here: {exc}") from exc
    render(args)
    return folder


def _verify(args: argparse.Namespace) -> int:
    from bordermap.export.verification import verify

    result = verify(args.package, inputs=args.inputs, rebuild=_rebuild)
    print(result)
    return EXIT_OK if result.ok else EXIT_FAILED


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (0 ok, 2 bad input).

    Examples
    --------
    >>> import tempfile, os
    >>> out = os.path.join(tempfile.mkdtemp(), "map.html")
    >>> main(["render", "-o", out, "--offline"])
    0
    >>> main(["--version"])  # doctest: +ELLIPSIS
    bordermap ...
    0
    """
    parser = _parser()
    try:
        try:
            args = parser.parse_args(argv)
        except SystemExit as done:  # --help and --version print, then exit 0
            return int(done.code or 0)
        if args.command is None:
            parser.print_help()
            return EXIT_OK
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", BordermapWarning)
            if args.command == "verify":
                return _verify(args)
            if args.command == "render":
                from bordermap.inputs import input_limits

                mb = args.max_input_mb
                with input_limits(max_bytes=mb and mb * 2**20, max_cells=args.max_cells):
                    render(args)
    except (BordermapError, UsageError) as exc:
        print(f"bordermap: error: {one_line(str(exc))}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        # Ctrl-C: the outputs' temporary files are already gone; no traceback for it.
        print("bordermap: interrupted; nothing was written", file=sys.stderr)
        return EXIT_INTERRUPTED
    said = set()
    for warning in caught:
        text = one_line(str(warning.message))
        if text in said:  # a map described twice (the page's and a case layer's) says it once
            continue
        said.add(text)
        if issubclass(warning.category, BordermapWarning):
            print(f"bordermap: warning: {text}", file=sys.stderr)
        else:
            # A library's warning may quote text from the data: one line, escapes shown.
            name = warning.category.__name__
            print(f"bordermap: {name}: {text}", file=sys.stderr)
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
