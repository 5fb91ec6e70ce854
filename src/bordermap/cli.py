"""The ``bordermap`` command: argument parsing and exit codes only; the work is the API's."""

from __future__ import annotations

import argparse
import os
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path

from bordermap.errors import BordermapError, BordermapWarning, one_line

__all__ = ["main"]

EXIT_OK = 0
EXIT_FAILED = 1  # bordermap verify: a check does not hold
EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it
DEFAULT_EVENT = "2023-10-09"


#: PNG resolutions the CLI accepts: below, text is unreadable; above, one image needs
#: gigabytes of memory (600 dpi is already a 6000-pixel-wide print).
DPI_RANGE = (50, 600)


class UsageError(Exception):
    """A command line argparse rejects: reported in one line like every other error."""


class _Parser(argparse.ArgumentParser):
    """argparse, but a bad option is one line on stderr (no usage block) and exit 2."""

    def error(self, message: str):
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


def _positive(option: str):
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
    render.add_argument("-o", "--output", help="HTML file to write")
    render.add_argument("--png", help="PNG image to write")
    render.add_argument("--svg", help="SVG image to write (vector, text kept as text)")
    render.add_argument("--pdf", help="PDF to write (vector, fonts embedded)")
    render.add_argument(
        "--embed",
        help="HTML snippet to write: a responsive iframe of the -o page, for an article",
    )
    render.add_argument(
        "--dpi",
        type=_dpi,
        default=200,
        help=f"PNG resolution, {DPI_RANGE[0]}–{DPI_RANGE[1]} (default 200)",
    )
    render.add_argument("--estimates", help="CSV/Excel of per-crossing estimates")
    render.add_argument("--crossings", help="crossing points (GeoJSON, GeoPackage, KML, CSV …)")
    facilities = render.add_mutually_exclusive_group()
    facilities.add_argument(
        "--facilities",
        metavar="F",
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
        help="text encoding of CSV inputs when not UTF-8 (cp949: Korean Excel, gb18030: Chinese)",
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
    render.add_argument("--lang", choices=("en", "ko", "zh"), default="en", help="label language")
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
    routes.add_argument("--routes", help="CSV/Excel of routes facility → crossing → facility")
    routes.add_argument(
        "--no-routes", action="store_true", help="draw no routes (default: the bundled ones)"
    )
    render.add_argument(
        "--cases", help="case records to draw (points: GeoJSON, GeoPackage, KML, CSV with lat/lon)"
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
    _render(args)
    return folder


def _verify(args: argparse.Namespace) -> int:
    from bordermap.export.verification import verify

    result = verify(args.package, inputs=args.inputs, rebuild=_rebuild)
    print(result)
    return EXIT_OK if result.ok else EXIT_FAILED


def _write_package(args: argparse.Namespace, spec, inputs: list[str]) -> None:
    from bordermap.export.press import package, recorded_command

    package(
        spec,
        args.package,
        dpi=args.dpi,
        url=args.package_url,
        sign_key=args.sign_key,
        sign_cert=args.sign_cert,
        command=recorded_command(vars(args)),
        inputs=inputs,
    )


def _render_events(args: argparse.Namespace, crossings, facilities, estimates, tiles):
    from bordermap import check_event_totals, event_series, join_estimates, timeline_map

    chosen = "all" if args.events.strip().lower() == "all" else args.events.split(",")
    heads = {"rule": args.rule, "prefer": args.prefer}
    if estimates is not None:
        series = join_estimates(crossings, estimates, chosen, **heads)
        check_event_totals(series)
    else:
        series = event_series(crossings, event=chosen, **heads)
    return timeline_map(
        series,
        facilities,
        title=args.title,
        subtitle=args.subtitle,
        lang=args.lang,
        tiles=tiles,
        publish=args.publish or False,
    )


def _cases(args: argparse.Namespace):
    """The case layer --cases asks for (for --publish: its cells, and their audit), or None."""
    if args.cases_category and not args.cases:
        raise BordermapError("no records to colour", field="--cases-category", fix="add --cases")
    if args.min_cell_records and not (args.publish and args.cases):
        raise BordermapError(
            "only a published map of case records has cells",
            field="--min-cell-records",
            fix="add --publish and --cases, or drop it",
        )
    if not args.cases:
        return None, None
    from bordermap import case_layer
    from bordermap.inputs import read_geodata

    records = read_geodata(args.cases, encoding=args.encoding)
    if not args.publish:
        return case_layer(records, category=args.cases_category, lang=args.lang), None
    if args.cases_category:
        raise BordermapError(
            "a published map shows counts per cell, not categories: a breakdown of a small "
            "cell could single people out",
            field="--cases-category",
            fix="drop --cases-category, or leave out --publish for your own copy",
        )
    from bordermap.model.disclosure import MIN_CELL_RECORDS, aggregate_cases

    return aggregate_cases(records, k=args.min_cell_records or MIN_CELL_RECORDS)


def _facilities(args: argparse.Namespace):
    """The facilities to draw: the bundled ones belong with the bundled crossings only."""
    from bordermap import load_facilities

    if args.no_facilities:
        return None
    if args.facilities and args.facilities.strip().lower() != "bundled":
        return load_facilities(args.facilities, encoding=args.encoding)
    if args.facilities or not args.crossings:
        return load_facilities()
    return None


_IMAGE_OPTIONS = ("png", "svg", "pdf")


def _render(args: argparse.Namespace) -> None:
    from bordermap import join_estimates, load_crossings
    from bordermap.export.outputs import to_html
    from bordermap.export.writes import atomic_write_all, check_outputs
    from bordermap.maps import describe_crossing_map
    from bordermap.model.estimates import read_estimates
    from bordermap.model.events import bundled_event_estimates, check_event_totals
    from bordermap.model.publish import Audit, prepare_for_publication
    from bordermap.render.leaflet.page import DEFAULT_TILES, draw_map

    images = {fmt: getattr(args, fmt) for fmt in _IMAGE_OPTIONS if getattr(args, fmt)}
    extra = args.sign_key or args.sign_cert or args.package_url
    if extra and not args.package:
        raise BordermapError(
            "signing and the archive's URL belong to a package",
            value=extra,
            fix="add --package DIR",
        )
    if not args.output and not images and not args.package:
        raise BordermapError(
            "nothing to write", fix="give -o map.html, --png, --svg, --pdf FILE or --package DIR"
        )
    if args.events and args.package:
        raise BordermapError(
            "a package holds one event's map", field="--events", fix="drop --events"
        )
    inputs = [args.estimates, args.crossings, args.facilities, args.routes, args.cases]
    inputs = [path for path in inputs if path]
    # Before anything is read: an output over an input would destroy the user's data.
    if args.embed and not args.output:
        raise BordermapError(
            "an embed snippet shows the HTML page", field="--embed", fix="give -o map.html too"
        )
    outputs = (args.output, args.embed, *images.values())
    check_outputs([path for path in outputs if path], inputs)
    if args.events and args.cases:
        raise BordermapError(
            "the time map draws no case records", field="--cases", fix="drop --events or --cases"
        )
    if args.events and images:
        raise BordermapError(
            "images show one event", field="--events", fix="drop --events, or write only -o"
        )
    crossings = load_crossings(args.crossings, encoding=args.encoding)
    facilities = _facilities(args)
    estimates = read_estimates(args.estimates, encoding=args.encoding) if args.estimates else None
    # Images draw no tiles; only an HTML page that is not offline uses a tile server.
    tiles = None if args.offline or not args.output else (args.tiles or DEFAULT_TILES)
    if estimates is None and not args.events:
        estimates = read_estimates(bundled_event_estimates(args.event or DEFAULT_EVENT))
    audit = Audit()
    if args.publish and estimates is not None:
        estimates, audit = prepare_for_publication(
            estimates, kind="estimates", restricted=args.publish
        )
    if args.events:
        m = _render_events(args, crossings, facilities, estimates, tiles)
        pages: dict[str | os.PathLike, bytes | str] = {
            args.output: to_html(m, offline=args.offline)
        }
        if args.embed:
            from bordermap.render.leaflet.embed import embed_snippet

            where = os.path.dirname(os.path.abspath(args.embed))
            pages[args.embed] = embed_snippet(os.path.relpath(args.output, where), m.spec.title)
        atomic_write_all(pages, inputs=inputs)
        if args.publish:
            print(f"bordermap: {(audit + m.audit).summary()}", file=sys.stderr)
        return
    cases, case_audit = _cases(args)
    joined = join_estimates(crossings, estimates, args.event, rule=args.rule, prefer=args.prefer)
    check_event_totals(joined)
    # The map is described once; the page and every image draw that one description.
    spec, m_audit, input_files = describe_crossing_map(
        joined,
        facilities,
        title=args.title,
        subtitle=args.subtitle,
        lang=args.lang,
        routes=False if args.no_routes else args.routes,
        publish=args.publish or False,
        cases=cases,
    )
    # Every file is drawn in memory first: a failure writes none of them.
    files: dict[str | os.PathLike, bytes | str] = {}
    if args.output:
        m = draw_map(spec, tiles=tiles)
        m.input_files = input_files
        if args.png:  # a shared link shows the picture written beside the page
            m.page_image = os.path.relpath(args.png, os.path.dirname(os.path.abspath(args.output)))
        files[args.output] = to_html(m, offline=args.offline)
    if args.embed:
        from bordermap.render.leaflet.embed import embed_snippet

        where = os.path.dirname(os.path.abspath(args.embed))
        files[args.embed] = embed_snippet(os.path.relpath(args.output, where), spec.title)
    if images:
        from bordermap.export.outputs import images_bytes

        drawn = images_bytes(spec, list(images), dpi=args.dpi)
        files.update({path: drawn[fmt] for fmt, path in images.items()})
    if files:
        atomic_write_all(files, inputs=inputs)
    if args.package:
        _write_package(args, spec, inputs)
    if args.publish:
        audit += (m_audit or Audit()) + (case_audit or Audit())
        held = "; the package holds the published map alone, its inputs by SHA-256"
        print(f"bordermap: {audit.summary()}{held * bool(args.package)}", file=sys.stderr)


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
                    _render(args)
    except (BordermapError, UsageError) as exc:
        print(f"bordermap: error: {one_line(str(exc))}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        # Ctrl-C: the outputs' temporary files are already gone; no traceback for it.
        print("bordermap: interrupted; nothing was written", file=sys.stderr)
        return EXIT_INTERRUPTED
    for warning in caught:
        if issubclass(warning.category, BordermapWarning):
            print(f"bordermap: warning: {one_line(str(warning.message))}", file=sys.stderr)
        else:
            # A library's warning may quote text from the data: one line, escapes shown.
            name = warning.category.__name__
            print(f"bordermap: {name}: {one_line(str(warning.message))}", file=sys.stderr)
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
