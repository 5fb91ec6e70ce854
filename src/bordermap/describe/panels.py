"""The parts of a map description around its symbols: legend, credit line, layer names,
bounds and the metadata every export carries."""

from __future__ import annotations

import functools
import itertools
import os
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

from bordermap import i18n, theme
from bordermap.basemap import MIN_VIEW_DEGREES
from bordermap.describe.facilities import (
    FACILITY_COUNTRIES,
    facility_entries,
    facility_layer_name,
)
from bordermap.errors import ValidationError
from bordermap.model.audit import Audit
from bordermap.spec import (
    Credit,
    Label,
    Legend,
    LegendEntry,
    LegendSize,
    RouteLine,
    Source,
    Symbol,
)

__all__ = [
    "basemap_context",
    "bounds_of",
    "credit",
    "default_title",
    "estimates_of",
    "inputs_of",
    "layer_names",
    "legend",
    "near_nothing",
    "publication_notes",
    "route_entries",
]


def legend(
    scale_max: float,
    symbols: Sequence[Symbol],
    lang: str,
    *,
    unknown: bool | None = None,
) -> Legend:
    """What the legend shows: the size circles, then one entry per kind of symbol drawn.

    Examples
    --------
    >>> import bordermap
    >>> from bordermap.describe.crossings import crossing_symbols
    >>> symbols, _, top = crossing_symbols(bordermap.load_crossings(), "en")
    >>> [e.label for e in legend(top, symbols, "en").entries]
    ['no published figure', 'dashed ring: crossing located approximately (radius = uncertainty, \
or just outside the circle when smaller)']
    """
    sizes = tuple(
        LegendSize(
            value, round(theme.symbol_radius(value, scale_max), 2), i18n.format_number(value, lang)
        )
        for value in theme.legend_values(scale_max)
    )
    crossings = [s for s in symbols if s.kind == "crossing"]
    countries = {s.layer.rsplit("_", 1)[1] for s in symbols if "facility" in s.tags}
    if unknown is None:
        unknown = any("unknown" in s.tags for s in crossings)
    entries: list[LegendEntry] = []

    def circle(radius: float, fill: str, stroke: str, key: str, dashed: bool = False) -> None:
        entries.append(LegendEntry("circle", i18n.text(key, lang), radius, fill, stroke, dashed))

    if any(s.ring for s in crossings):
        entries.append(LegendEntry("ring", i18n.text("legend_ring", lang)))
    if unknown:
        circle(8, "#ffffff", theme.NO_FIGURE_COLOR, "no_figure", dashed=True)
    if any(s.halo_m for s in crossings):
        # A crossing's circle in its dashed ring, as the map draws the smallest ones.
        label = i18n.text("legend_approx", lang)
        red = theme.CROSSING_COLOR
        entries.append(LegendEntry("halo", label, theme.MIN_RADIUS_PX, red, red, dashed=True))
    entries += facility_entries(symbols, lang)
    if countries:
        circle(5, theme.GREY, theme.GREY, "site")
        circle(5, "#ffffff", theme.GREY, "city", dashed=True)
    return Legend(
        title=i18n.text("legend_title", lang),
        sizes=sizes,
        area_note=i18n.text("legend_area", lang) if sizes else None,
        entries=tuple(entries),
    )


def route_entries(lines: Sequence[RouteLine], lang: str) -> list[LegendEntry]:
    """Legend entries for the routes drawn: reported solid, inferred dashed, and the width.

    Examples
    --------
    >>> route_entries([], "en")
    []
    """
    entries = []
    for dashed, key in ((False, "legend_reported"), (True, "legend_inferred")):
        if any(line.dashed is dashed for line in lines):
            entries.append(_line_entry(dashed, 3, i18n.text(key, lang)))
    if any(line.weight > theme.ROUTE_UNKNOWN_WEIGHT_PX for line in lines):
        entries.append(_line_entry(False, 6, i18n.text("legend_route_width", lang)))
    return entries


def _line_entry(dashed: bool, weight: float, label: str) -> LegendEntry:
    return LegendEntry("line", label, stroke=theme.ROUTE_COLOR, dashed=dashed, weight=weight)


def credit(
    records: Iterable[Mapping[str, Any]],
    lang: str,
    text: str | None = None,
    notes: Iterable[str] = (),
) -> Credit:
    """The credit line: each source once (first mention kept), who made the map, notes.

    Examples
    --------
    >>> c = credit([{"source": "TJWG", "source_date": "2023-12-07"}], "en")
    >>> [s.name for s in c.sources], c.made_by
    (['TJWG'], 'Map: bordermap')
    """
    cited: dict[str, Source] = {}
    for record in records:
        if record.get("source"):
            cited.setdefault(str(record["source"]), Source.cited(record, lang))
    return Credit(
        heading=i18n.text("sources", lang),
        sources=tuple(cited.values()),
        made_by=i18n.text("map_by", lang),
        notes=tuple(notes),
        text=text,
    )


def estimates_of(table: pd.DataFrame) -> list[dict]:
    """Every estimate behind a joined table's crossings, in table order."""
    if "estimates" not in table.columns:
        return []
    return [est for ests in table["estimates"] for est in (ests or [])]


def inputs_of(
    table: pd.DataFrame, facilities: pd.DataFrame | None, *extra: Any, published: bool = False
) -> list[dict]:
    """The files a map was drawn from, for its metadata: name (no folder) and SHA-256.

    A published map keeps the SHA-256 alone: input file names can say more than they should.
    """
    drawn = list(table.attrs.get("inputs", []))
    if facilities is not None:
        drawn.append(
            {"file": facilities.attrs.get("source_file"), "sha256": facilities.attrs.get("sha256")}
        )
    drawn += [e for e in extra if e]
    return [
        {
            "file": os.path.basename(i["file"]) if i.get("file") and not published else None,
            "sha256": i.get("sha256"),
        }
        for i in drawn
    ]


def basemap_context(
    bounds: tuple[tuple[float, float], tuple[float, float]] | None,
    lang: str,
    symbols: Sequence[Symbol] = (),
) -> tuple[tuple[Label, ...], str | None, tuple[float, float, float, float] | None]:
    """The basemap of a map's view: its context labels (country and town names in
    ``lang``, ranked; country names kept clear of the ``symbols``), its
    credit (only what is drawn) and the view it was made for (west, south, east, north:
    :func:`bordermap.basemap.world_basemap` of it gives the same basemap again).

    Examples
    --------
    >>> labels, credit, area = basemap_context(((31.3, -117.1), (32.6, -106.4)), "ko")
    >>> sorted(x.text for x in labels if x.role == "context" and x.priority == 2)
    ['멕시코', '미국']
    """
    from bordermap.basemap import world_basemap
    from bordermap.context import context_labels

    if bounds is None:
        return (), None, None
    (south, west), (north, east) = bounds
    # The page's margin (render/leaflet/page.py), the larger: the credit names whatever the
    # page or the print image around these bounds draws.
    avoid = [(s.lon, s.lat) for s in symbols]
    view = world_basemap((west, south, east, north), margin=1.0, avoid=avoid)
    return context_labels(view, lang), view.credit, (west, south, east, north)


def near_nothing(
    labels: Sequence[Label], symbols: Sequence[Symbol], degrees: float = 0.15
) -> list[Label]:
    """The context labels no nearby symbol already names: a town a crossing or facility is
    named after ("Dandong → Sinuiju", "Shenyang Prison") is named by that symbol's label.

    A town is kept beside any other symbol: a detention centre in Bangkok must not take
    Bangkok's name away (the dot would read as the suburb named next to it).

    Examples
    --------
    >>> town = Label("Dandong", "town:Dandong", 40.12, 124.38, "context", 5, "center")
    >>> [label.text for label in near_nothing([town], [])]
    ['Dandong']
    """
    return [
        label
        for label in labels
        if label.priority == 2  # country names stay wherever they are
        or not any(
            abs(label.lat - s.lat) <= degrees
            and abs(label.lon - s.lon) <= degrees
            # Beside a crossing, as its label may name the town (or, published, withhold
            # it); beside a facility, only a town the facility is named after.
            and (s.kind == "crossing" or label.text.casefold() in s.tooltip.casefold())
            for s in symbols
        )
    ]


def bounds_of(
    points: Iterable[tuple[float, float]], ids: Sequence[str] | None = None
) -> tuple[tuple[float, float], tuple[float, float]] | None:
    """``((south, west), (north, east))`` of (lat, lon) points; None for no points.

    Points on both sides of the antimeridian (Chukotka and Alaska, Fiji, Kiribati), whose
    frame across 180° is less than a third as wide as their frame in -180…180, are an error
    naming the two points either side: that frame would be nearly the whole world wide, and
    neither the page nor the image draws a view across 180°.

    Examples
    --------
    >>> bounds_of([(42.0, 129.0), (40.1, 124.4)])
    ((40.1, 124.4), (42.0, 129.0))
    >>> bounds_of([(42.96, 129.84)])  # one crossing: an area around it
    ((42.91, 129.79), (43.01, 129.89))
    >>> bounds_of([(66.0, 179.5), (66.5, -179.5)], ["anadyr", "uelen"])
    Traceback (most recent call last):
    ...
    bordermap.errors.ValidationError: field 'geometry': the points lie on both sides of the ...
    """
    pts = list(points)
    if not pts:
        return None
    lats, lons = [p[0] for p in pts], [p[1] for p in pts]
    _check_one_side_of_180(lons, list(ids) if ids is not None else None)
    south, north = _at_least(min(lats), max(lats), 90.0)
    west, east = _at_least(min(lons), max(lons), 180.0)
    return ((south, west), (north, east))


def _at_least(low: float, high: float, limit: float) -> tuple[float, float]:
    """A span widened about its middle to :data:`bordermap.basemap.MIN_VIEW_DEGREES`: the
    view of one crossing (or of several at one place) is an area, not a point, which no
    renderer could fit a zoom to."""
    if high - low >= MIN_VIEW_DEGREES:
        return low, high
    middle = (low + high) / 2
    half = MIN_VIEW_DEGREES / 2
    low, high = max(middle - half, -limit), min(middle + half, limit)
    return round(low, 6), round(high, 6)


def _check_one_side_of_180(lons: list[float], ids: list[str] | None) -> None:
    """Raise when the points' frame across 180° is less than a third as wide as their frame in
    -180…180 (Chukotka: 1° against 359°). Points far apart on any frame (crossings in the
    Americas with facilities in Asia) are drawn on the frame in -180…180, as before."""
    order = sorted(range(len(lons)), key=lambda i: lons[i])
    ordered = [lons[i] for i in order]
    span = ordered[-1] - ordered[0]
    gaps = [b - a for a, b in itertools.pairwise(ordered)]
    if not gaps or 360 - max(gaps) >= span / 3:
        return
    # The widest gap between neighbours is where a frame across 180° would open: the
    # points either side of it are the frame's ends (e.g. 179.5 and -179.5).
    k = gaps.index(max(gaps))
    ends = [order[k + 1], order[k]]
    shown = [repr(ids[i]) if ids else "a point" for i in ends]
    raise ValidationError(
        "the points lie on both sides of the antimeridian (180°): "
        f"{shown[0]} at longitude {lons[ends[0]]:g} and {shown[1]} at {lons[ends[1]]:g}; "
        "bordermap draws no view across 180°",
        field="geometry",
        fix="map each side of 180° on its own map",
    )


def layer_names(
    lang: str, cases_title: str | None = None, symbols: Sequence[Symbol] = ()
) -> dict[str, str]:
    """The name of each layer in the layer control, in ``lang``: China's, North Korea's and
    other facilities' always, and the facilities of every other country among ``symbols``."""
    codes = {s.layer.rsplit("_", 1)[1] for s in symbols if s.kind == "facility"}
    names = {
        "crossings": i18n.text("crossings", lang),
        "routes": i18n.text("routes", lang),
        **{
            f"facilities_{c}": facility_layer_name(c, lang)
            for c in sorted({*FACILITY_COUNTRIES, "other", *codes})
        },
    }
    if cases_title is not None:
        names["cases"] = cases_title
    return names


@functools.cache
def _bundled_crossing_ids() -> frozenset[str]:
    """The bundled crossings' ids, read once per process (every map's title asks)."""
    from bordermap.model.layers import load_crossings

    return frozenset(load_crossings()["id"].astype(str))


def default_title(crossing_ids: Iterable[object], lang: str) -> str:
    """The title a map gets when none is given: the bundled China–North Korea title for the
    bundled crossings only; another border's map gets a title that names no country.

    Examples
    --------
    >>> default_title(["tumen-onsong"], "en")
    'Forced repatriation from China to North Korea'
    >>> default_title(["san-ysidro"], "en")
    'People sent across, by crossing (published estimates)'
    """
    ids = {str(i) for i in crossing_ids}
    bundled = _bundled_crossing_ids()
    return i18n.text("default_title" if ids and ids <= bundled else "neutral_title", lang)


def publication_notes(audit: Audit | None, lang: str) -> tuple[str, ...]:
    """ "2 locations generalised to city level" for a published map, else nothing."""
    if audit is None:
        return ()
    dropped = sum(
        c.action == "dropped" and c.layer in ("crossings", "facilities") for c in audit.changes
    )
    notes = []
    for key, n in (("published_generalised", audit.generalised), ("published_dropped", dropped)):
        if n:
            notes.append(i18n.ntext(key, n, lang).format(n=i18n.format_number(n, lang)))
    return tuple(notes)
