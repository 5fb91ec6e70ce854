"""The map description: what a map shows, decided once, as frozen plain data.

A :class:`MapSpec` holds plain text and numbers — never HTML — for every symbol, label,
route, legend entry, source and the export metadata. The page (:mod:`bordermap.render.leaflet`)
and the print image (:mod:`bordermap.render.image`) both draw it and decide nothing it
decides, so they cannot disagree. It round-trips through JSON (:meth:`MapSpec.to_dict`,
:meth:`MapSpec.from_dict`): a newsroom can archive, diff or re-render what it published.
"""

from __future__ import annotations

import json
import typing
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

import pandas as pd

from bordermap import i18n
from bordermap._version import __version__
from bordermap.basemap import basemap_source
from bordermap.cells import is_missing
from bordermap.errors import ValidationError
from bordermap.model.cases import CaseRecords
from bordermap.plain import Plain
from bordermap.safe import close_bidi, safe_url

__all__ = [
    "Arrow",
    "CaseLayerSpec",
    "Credit",
    "CrossingMapSpec",
    "Label",
    "LabelPosition",
    "LabelRole",
    "Legend",
    "LegendEntry",
    "LegendKind",
    "LegendSize",
    "MapKind",
    "MapSpec",
    "PathStyle",
    "Popup",
    "PopupRow",
    "Ring",
    "RouteLine",
    "RouteStatus",
    "Source",
    "Symbol",
    "SymbolKind",
    "TimelineSpec",
    "TimelineStep",
    "Total",
    "metadata",
    "with_basemap",
]

#: What each free word of the description may be: checked by mypy in the code and by
#: :meth:`MapSpec.from_json` in a file, so a renderer never meets a word it does not know.
MapKind = Literal["crossings", "timeline"]
SymbolKind = Literal["crossing", "facility"]
LabelRole = Literal["figure", "name", "note", "context"]
LabelPosition = Literal["center", "below", "right", "above", "left"]
LegendKind = Literal["circle", "ring", "halo", "line"]
RouteStatus = Literal["reported", "inferred"]
CaseScale = Literal["categorical", "sequential"]
TextDirection = Literal["ltr", "rtl"]

SPEC_VERSION = 2  # 2: case records as typed columns, not a page's payload


@dataclass(frozen=True)
class Source(Plain):
    """A source as cited: name, date (ISO and in the map's language), URL (http(s) only)."""

    name: str
    date: str | None = None
    date_text: str | None = None
    url: str | None = None

    @classmethod
    def cited(cls, record: Any, lang: str = "en") -> Source:
        """A record's ``source``, ``source_date`` and ``url`` as cited in ``lang``.

        Examples
        --------
        >>> Source.cited({"source": "TJWG", "source_date": "2023-12-07", "url": "javascript:x"})
        Source(name='TJWG', date='2023-12-07', date_text='7 December 2023', url=None)
        """
        when = record.get("source_date")
        day = None if is_missing(when) or when == "" else pd.Timestamp(when)
        return cls(
            name=close_bidi(str(record.get("source") or "")),
            date=None if day is None else day.date().isoformat(),
            date_text=None if day is None else i18n.format_date(day, lang),
            url=safe_url(record.get("url")),
        )


@dataclass(frozen=True)
class PathStyle(Plain):
    """How a circle or ring is stroked and filled; sizes in CSS pixels."""

    radius: float
    color: str
    fill_color: str
    fill_opacity: float
    weight: float = 1.5
    opacity: float = 1.0
    dash: str | None = None


@dataclass(frozen=True)
class Ring(Plain):
    """A faint circle around a symbol: the highest published figure behind it."""

    style: PathStyle
    label: str


@dataclass(frozen=True)
class PopupRow(Plain):
    """One row of a popup table: its text cells, then an optional cited source."""

    cells: tuple[str, ...]
    source: Source | None = None
    headline: bool = False
    mark: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Popup(Plain):
    """What a click shows: a heading, lines, a table, and small grey lines below."""

    heading: str
    lines: tuple[str, ...] = ()
    table_title: str | None = None
    rows: tuple[PopupRow, ...] = ()
    meta: tuple[str, ...] = ()
    emphasis: tuple[str, ...] = ()  # cells shown in italics (e.g. "not named by any source")


@dataclass(frozen=True)
class Symbol(Plain):
    """A circle on the map: a crossing or a facility.

    ``kind`` is what it is; ``tags`` are the page's style classes (``crossing``,
    ``known``/``unknown``/``unnamed``, ``facility``, ``cn``/``kp``, ``site``/``city``);
    ``halo_m`` is a dashed ring of location uncertainty in metres, in ``halo_color``.
    """

    id: str
    layer: str
    lat: float
    lon: float
    style: PathStyle
    tags: tuple[str, ...]
    tooltip: str
    popup: Popup
    halo_m: float | None = None
    ring: Ring | None = None
    kind: SymbolKind = "crossing"
    halo_color: str | None = None


@dataclass(frozen=True)
class Label(Plain):
    """Text drawn on the map beside or on a symbol.

    ``role`` is ``figure`` (on the circle), ``note`` (beside an unknown crossing), ``name``
    or ``context`` (a country or town name, no symbol); ``priority`` orders placement (0
    first); ``position`` is where it goes by its symbol (``center``, ``below`` …), of
    ``radius`` px (0: none). :func:`bordermap.render.image.placer.place_labels` keeps one
    ``center``-ed on its symbol (off a facility's dot) or beside it, moves the others around
    the anchor (further out with a leader line if ``may_lead``; a figure beside its circle
    always has one) or hides them. A country's name has its land's ``area`` (flat lon, lat
    rings): a page or print image names it wherever its screen or frame shows that land.
    """

    text: str
    symbol: str
    lat: float
    lon: float
    role: LabelRole
    priority: int
    position: LabelPosition
    offset_px: float = 0.0
    inverse: bool = False  # white on its circle: the whole text fits there (figure_fit)
    radius: float = 0.0
    may_lead: bool = True
    area: tuple[tuple[float, ...], ...] = ()

    @property
    def fixed(self) -> bool:
        """Whether the label stays centred on its symbol (a figure on its circle) instead
        of being placed around its anchor."""
        return self.position == "center" and self.radius > 0

    @property
    def leader(self) -> bool:
        """Whether the placer may move the label further out with a leader line: only a
        label of a symbol (a country or town name is shown where it is, or not at all)."""
        return self.may_lead and self.radius > 0


@dataclass(frozen=True)
class Arrow(Plain):
    """An arrowhead halfway along a route leg; bearing clockwise from north."""

    lat: float
    lon: float
    bearing_deg: float


@dataclass(frozen=True)
class RouteLine(Plain):
    """A route facility → crossing → facility, along geodesics."""

    id: str
    crossing: str
    from_facility: str | None
    to_facility: str | None
    status: RouteStatus
    coords: tuple[tuple[float, float], ...]
    weight: float
    dashed: bool
    color: str
    km: float
    arrows: tuple[Arrow, ...]
    tooltip: str
    popup: Popup
    source: Source


@dataclass(frozen=True)
class LegendSize(Plain):
    """A reference circle of the size legend."""

    value: int
    radius: float
    label: str


@dataclass(frozen=True)
class LegendEntry(Plain):
    """One legend row: a ``circle``, ``ring`` (range), ``halo`` (circle in a dashed ring) or
    ``line`` (route) and its label; ``layer``: a layer showing the row in its own legend."""

    kind: LegendKind
    label: str
    radius: float = 0.0
    fill: str = "none"
    stroke: str = "none"
    dashed: bool = False
    opacity: float | None = None
    weight: float = 0.0
    layer: str | None = None


@dataclass(frozen=True)
class Legend(Plain):
    """The legend: a title, the size circles, one entry per kind of symbol, notes."""

    title: str
    sizes: tuple[LegendSize, ...] = ()
    area_note: str | None = None
    entries: tuple[LegendEntry, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Credit(Plain):
    """The credit line: every source cited with its date, who made the map, notes.

    ``text``, when set, is a credit the user gave instead.
    """

    heading: str
    sources: tuple[Source, ...]
    made_by: str
    notes: tuple[str, ...] = ()
    text: str | None = None


@dataclass(frozen=True, eq=False)
class CaseLayerSpec(Plain):
    """Case records as typed columns (:class:`bordermap.model.cases.CaseRecords`: grid
    positions, precision, category and field codes) and how the layer shows them: its
    heading, category colours (one per category) and counts, the words of its legend, and
    when it bins; ``listed`` categories are named, the rest one row "other (n)" (None: all,
    past the first few in a scrolling list); ``scale`` is sequential for numbers and dates.

    How a page carries them (typed arrays in one compressed block) is the Leaflet
    renderer's business, not the description's.
    """

    records: CaseRecords
    title: str
    colors: tuple[str, ...]
    category_counts: tuple[int, ...] = ()
    zoom_note: str = ""
    other_label: str = ""
    lang: str = "en"
    max_points: int = 3000
    cell_px: int = 60
    radius: float = 4.0
    listed: int | None = None
    scale: CaseScale = "categorical"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CaseLayerSpec) and self.to_dict() == other.to_dict()

    __hash__ = None  # type: ignore[assignment]


@dataclass(frozen=True)
class Total(Plain):
    """A total an event panel shows: its heading, the figure as published, its source;
    ``detail`` says what a sum adds up."""

    heading: str
    value: str
    source: Source | None = None
    detail: str | None = None


@dataclass(frozen=True)
class TimelineStep(Plain):
    """One step of a time map: its symbols and labels per view, and what the panel says.

    ``event_totals`` lists the event's headline total first, then its other published
    totals; ``cumulative_total`` is the sum of the headline totals since the first event.
    """

    date: str
    label: str
    event: tuple[Symbol, ...]
    event_labels: tuple[Label, ...]
    cumulative: tuple[Symbol, ...]
    cumulative_labels: tuple[Label, ...]
    event_totals: tuple[Total, ...] = ()
    event_lines: tuple[str, ...] = ()
    cumulative_total: Total | None = None
    cumulative_lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class MapSpec(Plain):
    """A whole map, as plain data: what the page and the image both draw.

    ``bounds`` is ``((south, west), (north, east))`` of what the first view must show;
    ``basemap_area`` the view (west, south, east, north) the world basemap is drawn for
    (:func:`bordermap.basemap.world_basemap`), with its ``basemap_credit``; labels of role
    ``context`` name its countries and towns;
    ``direction`` is how ``lang`` is written (``rtl``: the page's panels and the image's text
    set from the right); ``metadata`` is what every export carries (generator, version,
    event, sources, input files' SHA-256). Two kinds of map share these:
    :class:`CrossingMapSpec` (one event: routes, case records) and :class:`TimelineSpec` (a
    series of events: steps); JSON of either reads back as its own kind.

    Examples
    --------
    >>> import bordermap
    >>> spec = bordermap.describe_crossings(bordermap.load_crossings())
    >>> MapSpec.from_dict(spec.to_dict()) == spec
    True
    """

    kind: MapKind
    title: str
    subtitle: str | None
    lang: str
    bounds: tuple[tuple[float, float], tuple[float, float]] | None
    symbols: tuple[Symbol, ...]
    labels: tuple[Label, ...]
    legend: Legend
    credit: Credit
    metadata: dict[str, Any]
    layer_names: dict[str, str] = field(default_factory=dict)
    published: bool = False
    basemap_area: tuple[float, float, float, float] | None = None
    basemap_credit: str | None = None
    summary: str = ""  # one paragraph of plain text: what the map shows, for screen readers
    #: Which way the map's language is written (CLDR): an ``rtl`` page and image are mirrored.
    direction: TextDirection = "ltr"
    version: int = SPEC_VERSION

    KINDS: ClassVar[tuple[str, ...]] = typing.get_args(MapKind)

    def to_json(self) -> str:
        """The description as JSON text (UTF-8, keys sorted: stable to diff)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True, indent=1)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Any:
        """Rebuild a description from :meth:`to_dict`'s output, as the kind it says it is."""
        kinds: dict[str, type[MapSpec]] = {"crossings": CrossingMapSpec, "timeline": TimelineSpec}
        kind = kinds.get(str(data.get("kind"))) if isinstance(data, dict) else None
        if kind is None:
            raise ValidationError(
                "a map description of no known kind",
                field="kind",
                value=data.get("kind") if isinstance(data, dict) else None,
                fix=f"one of: {', '.join(kinds)}",
            )
        return Plain.from_dict.__func__(kind, data)  # type: ignore[attr-defined]

    @classmethod
    def from_json(cls, text: str) -> MapSpec:
        """Read a description written by :meth:`to_json` of this version of the description.

        Examples
        --------
        >>> MapSpec.from_json('{"version": 1}')
        Traceback (most recent call last):
        ...
        bordermap.errors.ValidationError: field 'version': a map description of version 1; \
this bordermap reads version 2 (got 1); describe the map again with this bordermap
        """
        data = json.loads(text)
        version = data.get("version") if isinstance(data, dict) else None
        if version != SPEC_VERSION:
            raise ValidationError(
                f"a map description of version {version}; this bordermap reads version "
                f"{SPEC_VERSION}",
                field="version",
                value=version,
                fix="describe the map again with this bordermap",
            )
        return cls.from_dict(data)


@dataclass(frozen=True, kw_only=True)
class CrossingMapSpec(MapSpec):
    """A map of one event: crossings with their figures, facilities, routes between them and
    case records; ``event_label`` says as of which event.

    Examples
    --------
    >>> import bordermap
    >>> type(bordermap.describe_crossings(bordermap.load_crossings())).__name__
    'CrossingMapSpec'
    """

    routes: tuple[RouteLine, ...] = ()
    event_label: str | None = None
    cases: CaseLayerSpec | None = None


@dataclass(frozen=True, kw_only=True)
class TimelineSpec(MapSpec):
    """A time map: the steps of a series of events (``start`` shown first) and the words of
    its control (``step_names``).

    Examples
    --------
    >>> import bordermap
    >>> spec = bordermap.describe_timeline(bordermap.event_series())
    >>> type(spec).__name__, len(spec.steps) > 1
    ('TimelineSpec', True)
    """

    steps: tuple[TimelineStep, ...] = ()
    start: int = 0
    step_names: dict[str, str] = field(default_factory=dict)


def metadata(event: str | None, lang: str, sources: Iterable[str], inputs: list[dict]) -> dict:
    """The block every export carries: generator, version, event, sources, input SHA-256.

    Examples
    --------
    >>> sorted(metadata("2023-10-09", "en", ["TJWG"], []))
    ['event', 'generator', 'inputs', 'lang', 'sources', 'version']
    """
    return {
        "generator": "bordermap",
        "version": __version__,
        "event": event,
        "lang": lang,
        "sources": sorted({s for s in sources if s}),
        "inputs": inputs,
    }


def with_basemap(meta: dict, published: bool) -> dict:
    """The metadata of a map drawn over the bundled basemap: its file listed as an input
    (by SHA-256 alone on a published map, like every other input).

    Examples
    --------
    >>> [i.get("file") for i in with_basemap({"inputs": []}, False)["inputs"]]
    ['world-10m.npz', 'rivers.npz', 'lakes.npz', 'towns.csv', 'town_names.csv.xz']
    """
    sources = basemap_source()
    if published:
        sources = [{"file": None, "sha256": source["sha256"]} for source in sources]
    return {**meta, "inputs": [*meta.get("inputs", []), *sources]}
