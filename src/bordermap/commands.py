"""What each ``bordermap`` command does with its parsed options: ``render`` reads the inputs,
describes the map once through the front door (:mod:`bordermap.maps`) and writes the page,
images and package from that one description. Parsing and exit codes are :mod:`bordermap.cli`'s.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING

from bordermap.errors import BordermapError

if TYPE_CHECKING:  # each command loads what it needs on first use
    import geopandas as gpd
    import pandas as pd

    from bordermap.model.audit import Audit
    from bordermap.render.leaflet.case_layer import CaseLayer
    from bordermap.render.leaflet.elements import BordermapMap
    from bordermap.spec import CrossingMapSpec

__all__ = ["DEFAULT_EVENT", "STDOUT", "render"]

DEFAULT_EVENT = "2023-10-09"


def _write_package(args: argparse.Namespace, spec: CrossingMapSpec, inputs: list[str]) -> None:
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


def _render_events(
    args: argparse.Namespace,
    crossings: gpd.GeoDataFrame,
    facilities: gpd.GeoDataFrame | None,
    estimates: pd.DataFrame | None,
    tiles: str | None,
) -> BordermapMap:
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


def _cases(
    args: argparse.Namespace,
) -> tuple[CaseLayer | pd.DataFrame | None, Audit | None]:
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

    records = read_geodata(args.cases, encoding=args.encoding, crs=args.crs, layer=args.cases_layer)
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


def _check_layers(args: argparse.Namespace) -> None:
    """A --*-layer option names a layer of its own input file: without the file, an error."""
    for name in ("crossings", "facilities", "cases"):
        given = getattr(args, name)
        if getattr(args, f"{name}_layer") is not None and (
            not given or given.strip().lower() == "bundled"
        ):
            raise BordermapError(
                f"a layer of --{name} is chosen, but no --{name} file is given",
                field=f"--{name}-layer",
                fix=f"add --{name} FILE, or drop --{name}-layer",
            )


def _facilities(args: argparse.Namespace) -> gpd.GeoDataFrame | None:
    """The facilities to draw: the bundled ones belong with the bundled crossings only."""
    from bordermap import load_facilities

    if args.no_facilities:
        return None
    if args.facilities and args.facilities.strip().lower() != "bundled":
        return load_facilities(
            args.facilities, encoding=args.encoding, crs=args.crs, layer=args.facilities_layer
        )
    if args.facilities or not args.crossings:
        return load_facilities()
    return None


_IMAGE_OPTIONS = ("png", "svg", "pdf")
#: ``-o -``: the page goes to standard output (after every file is written).
STDOUT = "-"


def _to_stdout(page: str | bytes | None) -> None:
    """Write a finished page to standard output as UTF-8, whatever the terminal's encoding."""
    if page is None:
        return
    data = page.encode("utf-8") if isinstance(page, str) else page
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is not None:
        sys.stdout.flush()
        buffer.write(data)
        buffer.flush()
    else:
        sys.stdout.write(data.decode("utf-8"))
        sys.stdout.flush()


def render(args: argparse.Namespace) -> None:
    """``bordermap render``: read the inputs, describe the map once, draw and write every
    output asked for (all or none), and say on stderr what publishing did."""
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
    if args.package and (args.output or images or args.embed):
        # The package holds the page and the images itself; written beside other files, the
        # two could not be all or none together.
        raise BordermapError(
            "a package holds the page and the images itself",
            field="--package",
            fix="give --package DIR alone, or -o/--png/--svg/--pdf without it",
        )
    if args.events and args.package:
        raise BordermapError(
            "a package holds one event's map", field="--events", fix="drop --events"
        )
    _check_layers(args)
    inputs = [args.estimates, args.crossings, args.facilities, args.routes, args.cases]
    inputs = [path for path in inputs if path]
    # Before anything is read: an output over an input would destroy the user's data.
    if args.embed and not args.output:
        raise BordermapError(
            "an embed snippet shows the HTML page", field="--embed", fix="give -o map.html too"
        )
    if args.embed and args.output == STDOUT:
        raise BordermapError(
            "an embed snippet names the page's file", field="--embed", fix="give -o map.html"
        )
    outputs = (args.output, args.embed, *images.values())
    check_outputs([path for path in outputs if path and path != STDOUT], inputs)
    if args.events and args.cases:
        raise BordermapError(
            "the time map draws no case records", field="--cases", fix="drop --events or --cases"
        )
    if args.events and images:
        raise BordermapError(
            "images show one event", field="--events", fix="drop --events, or write only -o"
        )
    crossings = load_crossings(
        args.crossings, encoding=args.encoding, crs=args.crs, layer=args.crossings_layer
    )
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
        page = pages.pop(STDOUT, None)
        if args.embed:
            from bordermap.render.leaflet.embed import embed_snippet

            where = os.path.dirname(os.path.abspath(args.embed))
            pages[args.embed] = embed_snippet(os.path.relpath(args.output, where), m.spec.title)
        atomic_write_all(pages, inputs=inputs)
        _to_stdout(page)
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
        if args.png and args.output != STDOUT:  # a shared link shows the picture beside it
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
    page = files.pop(STDOUT, None)
    if files:
        atomic_write_all(files, inputs=inputs)
    if args.package:
        _write_package(args, spec, inputs)
    _to_stdout(page)
    if args.publish:
        audit += (m_audit or Audit()) + (case_audit or Audit())
        held = "; the package holds the published map alone, its inputs by SHA-256"
        print(f"bordermap: {audit.summary()}{held * bool(args.package)}", file=sys.stderr)
