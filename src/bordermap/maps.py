"""The front door: where a map is made, the one way through the layers.

inputs (files, frames) → model (validated, joined) → :mod:`bordermap.describe.crossings` →
:class:`~bordermap.spec.MapSpec` → a renderer (:func:`bordermap.render.leaflet.page.draw_map`,
:func:`bordermap.render.leaflet.timeline.draw_timeline`, the print image of
:mod:`bordermap.render.image`) → :mod:`bordermap.export.outputs`. :func:`crossing_map`,
:func:`timeline_map` and :func:`case_layer` are that path in one call; the command line
describes a map once (:func:`describe_crossing_map`) and hands the description to each
renderer. Nothing is decided here: describing is the describers', drawing the renderers'.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Unpack

from bordermap.arguments import FRAME, NONE, TEXT, check_argument, check_frame
from bordermap.describe.case_records import CaseOptions, describe_cases
from bordermap.describe.crossings import (
    RouteChoice,
    describe_crossings,
    describe_crossings_for_publication,
)
from bordermap.describe.time_map import describe_timeline_for_publication
from bordermap.export.outputs import write_image
from bordermap.model.audit import Audit
from bordermap.model.layers import load_crossings, load_facilities
from bordermap.render.leaflet.case_layer import CaseLayer, case_layer_element
from bordermap.render.leaflet.elements import BordermapMap
from bordermap.render.leaflet.page import DEFAULT_TILES, draw_map
from bordermap.render.leaflet.timeline import draw_timeline
from bordermap.spec import CaseLayerSpec, CrossingMapSpec, MapSpec

if TYPE_CHECKING:  # loaded by the layers below on first use
    import folium
    import pandas as pd
    import xyzservices

__all__ = [
    "case_layer",
    "crossing_map",
    "describe_crossing_map",
    "timeline_map",
    "to_image",
]


def describe_crossing_map(
    joined: pd.DataFrame,
    facilities: pd.DataFrame | None = None,
    *,
    title: str | None = None,
    subtitle: str | None = None,
    credit: str | None = None,
    lang: str = "en",
    routes: RouteChoice = None,
    publish: bool | str = False,
    cases: pd.DataFrame | CaseLayer | CaseLayerSpec | None = None,
) -> tuple[CrossingMapSpec, Audit | None, list[str]]:
    """The crossing map's description, what publishing did, and the files it was read from.

    The first half of :func:`crossing_map` (its parameters, without the drawing ones): frames
    in any CRS, or with lat/lon columns, meet the checks a file does, then
    :func:`bordermap.describe_crossings` describes them (for publication when ``publish``).
    Every renderer draws the description it returns.

    Examples
    --------
    >>> import bordermap
    >>> spec, audit, files = describe_crossing_map(bordermap.load_crossings())
    >>> len(spec.symbols) >= 5, audit, files  # an audit only when published
    (True, None, [])
    """
    check_argument("joined", joined, FRAME)
    check_argument("facilities", facilities, FRAME, NONE)
    for name, value in (("title", title), ("subtitle", subtitle), ("credit", credit)):
        check_argument(name, value, TEXT, NONE)
    check_argument("lang", lang, TEXT)
    joined = load_crossings(joined)
    if facilities is not None and len(facilities):
        facilities = load_facilities(facilities)
    if cases is not None and hasattr(cases, "cases") and not publish:
        cases = cases.cases  # a case_layer's description
    spec, audit = describe_crossings_for_publication(
        joined,
        facilities,
        title=title,
        subtitle=subtitle,
        credit_text=credit,
        lang=lang,
        routes=routes,
        publish=publish,
        cases=cases,
    )
    input_files = [
        *(i["file"] for i in joined.attrs.get("inputs", []) if i.get("file")),
        *(
            [facilities.attrs["source_file"]]
            if facilities is not None and facilities.attrs.get("source_file")
            else []
        ),
        *([str(routes)] if isinstance(routes, (str, os.PathLike)) else []),
    ]
    return spec, audit, input_files


def crossing_map(
    joined: pd.DataFrame,
    facilities: pd.DataFrame | None = None,
    *,
    title: str | None = None,
    subtitle: str | None = None,
    credit: str | None = None,
    lang: str = "en",
    tiles: str | xyzservices.TileProvider | None = DEFAULT_TILES,
    width: str | int = "100%",
    height: str | int = "100%",
    routes: RouteChoice = None,
    basemap: bool = True,
    publish: bool | str = False,
    cases: pd.DataFrame | CaseLayer | CaseLayerSpec | None = None,
) -> BordermapMap:
    """Draw crossings with their published figures, and facilities, as a Leaflet map.

    Parameters
    ----------
    joined : geopandas.GeoDataFrame
        From :func:`bordermap.join_estimates` (or bare crossings: all shown as unknown).
    facilities : geopandas.GeoDataFrame, optional
        From :func:`bordermap.load_facilities`.
    title, subtitle : str, optional
        Shown at the top; defaults name the event and its date.
    credit : str, optional
        Replaces the credit line (by default: every source cited, with its date).
    lang : str, default "en"
        Any CLDR language code (``en``, ``ko``, ``zh``, ``ar``, ``ru``, ``th``, ``pt-BR``…).
        Place names come from the data's ``label_<lang>`` / ``name_<lang>`` columns (else
        English, else ``name``); dates, numbers and country names from CLDR; the legend's and
        buttons' words from bordermap's catalog (en, ko, zh, ar, ru; English, with a
        warning, for any other). A right-to-left language (``ar``, ``he``, ``fa``) mirrors
        the page.
    tiles : str or None, default "Esri.WorldGrayCanvas"
        A tile provider (see :func:`bordermap.tile_provider`), or ``"offline"`` (the same as
        None): bordermap's offline vector basemap, which needs no network, in a notebook
        too. A map with tiles shown in Jupyter draws that basemap under them, seen where
        tiles do not load; saved with ``offline=True`` the basemap replaces them.
    width, height : str or int
        Size of the map.
    basemap : bool, default True
        Draw the offline Natural Earth basemap when there are no tiles.
    routes : None, False, path or DataFrame
        Routes facility → crossing → facility (:func:`bordermap.load_routes`). None: the
        bundled routes of the map's event when every crossing and facility they name is on
        the map (:func:`bordermap.model.routes.bundled_routes_for`); False: no routes.
    publish : bool or {"generalise", "drop"}, default False
        Draw only what may be published (:func:`bordermap.prepare_for_publication` on
        crossings, their estimates, facilities and routes): True or ``"generalise"`` moves
        restricted features to city level, ``"drop"`` leaves them out (and the routes to
        them); route notes are left out too; the credit line says how many. The
        :class:`bordermap.model.publish.Audit` is kept on the map as ``m.audit`` and never
        written into a file.
    cases : GeoDataFrame, DataFrame or CaseLayer, optional
        Case records drawn as a :func:`bordermap.case_layer` (binned at low zoom). With
        ``publish``, only counts per grid cell of at least 5 records are drawn
        (:func:`bordermap.model.disclosure.aggregate_cases`; aggregate them yourself for another
        ``k``), and a prepared CaseLayer is refused.

    Returns
    -------
    folium.Map
        Shown inline in Jupyter; save it with :func:`bordermap.save`. ``m.spec`` is its
        :class:`~bordermap.spec.MapSpec`, which :func:`bordermap.to_image` draws too.

    Examples
    --------
    >>> import bordermap
    >>> crossings = bordermap.load_crossings()
    >>> joined = bordermap.join_estimates(crossings, bordermap.read_estimates(
    ...     bordermap.inputs.bundled_path("events/2023-10-09.csv")))
    >>> m = bordermap.crossing_map(joined, bordermap.load_facilities(), tiles=None)
    >>> "Tumen → Onsong" in m.get_root().render(), m.spec.title
    (True, 'Forced repatriation from China to North Korea')
    """
    spec, audit, input_files = describe_crossing_map(
        joined,
        facilities,
        title=title,
        subtitle=subtitle,
        credit=credit,
        lang=lang,
        routes=routes,
        publish=publish,
        cases=cases,
    )
    m = draw_map(spec, tiles=tiles, width=width, height=height, basemap=basemap)
    m.audit = audit
    # Where the data came from on this machine: save() never writes over one of them.
    m.input_files = input_files
    return m


def timeline_map(
    joined_long: pd.DataFrame,
    facilities: pd.DataFrame | None = None,
    *,
    title: str | None = None,
    subtitle: str | None = None,
    lang: str = "en",
    tiles: str | xyzservices.TileProvider | None = DEFAULT_TILES,
    start: int | str = 0,
    width: str | int = "100%",
    height: str | int = "100%",
    publish: bool | str = False,
) -> BordermapMap:
    """Draw a series of events on one map with a control that steps through them.

    Parameters
    ----------
    joined_long : geopandas.GeoDataFrame
        One row per crossing per event: :func:`bordermap.event_series` (event totals and
        crossings named included), or :func:`bordermap.join_estimates` with a list of
        events or ``"all"``.
    facilities : geopandas.GeoDataFrame, optional
        Drawn on every step.
    title, subtitle : str, optional
        Shown at the top; the subtitle defaults to the span of the series.
    lang : str, default "en"
        Any CLDR language code, as for :func:`bordermap.crossing_map`.
    tiles : str or None
        As for :func:`bordermap.crossing_map`; None for an offline file.
    start : int or str
        The step shown first: its index or its date (default: the first event).
    width, height : str or int
        Size of the map.
    publish : bool or {"generalise", "drop"}, default False
        Draw only what may be published, as :func:`bordermap.crossing_map` does
        (:func:`bordermap.model.publish.prepare_for_layers`); the audit is ``m.audit``.

    Returns
    -------
    folium.Map
        The control shows, per step, either the event alone ("This event": each crossing's
        headline figure, the event's published totals) or everything since the first event
        (each crossing's figures summed). Circles share one scale across steps and views.
        ``m.spec`` is the map's description (:func:`bordermap.describe_timeline`).

    Examples
    --------
    >>> import bordermap
    >>> m = bordermap.timeline_map(bordermap.event_series(), tiles=None)
    >>> page = m.get_root().render()
    >>> "bm-timeline" in page and "26 April 2024" in page
    True
    """
    check_argument("joined_long", joined_long, FRAME)
    check_argument("facilities", facilities, FRAME, NONE)
    check_argument("title", title, TEXT, NONE)
    check_argument("subtitle", subtitle, TEXT, NONE)
    check_argument("lang", lang, TEXT)
    spec, audit = describe_timeline_for_publication(
        joined_long,
        facilities,
        title=title,
        subtitle=subtitle,
        lang=lang,
        start=start,
        publish=publish,
    )
    m = draw_timeline(spec, tiles=tiles, width=width, height=height)
    m.audit = audit
    return m


def case_layer(points: pd.DataFrame, **options: Unpack[CaseOptions]) -> CaseLayer:
    """A layer of case records (arrests, testimonies, transfers) of any number.

    While more than ``max_points`` records are in view they are binned on a grid of
    ``cell_px`` pixels (a circle per cell: count, colour of its most frequent category; a
    click zooms in); below that each record is a point, and a click shows its fields.

    Parameters
    ----------
    points : geopandas.GeoDataFrame or pandas.DataFrame
        Point records (any CRS: converted to WGS84), or a table with ``lon``/``lat`` columns.
    category : str, optional
        Column that colours the records; the legend lists its values with their counts.
    popup_fields : list of str, optional
        Columns shown, in this order, when a record is clicked. Only these are written.
    precision : float, optional
        Metres every location is known to. Default: each record's own ``precision_m`` (a
        record without one takes the finest of the others; 1 m when none has one). A record
        is rounded to the largest whole number of the finest steps no coarser than its own
        precision: a 5 km record among 100 m ones is written at 5 km, not at 100 m.
    colors : list of str, optional
        Colours of the categories in sorted order. Default: Okabe–Ito
        (:data:`bordermap.theme.CATEGORY_COLORS`) up to eight categories, colorcet's glasbey
        (:data:`bordermap.theme.MANY_CATEGORY_COLORS`, each at least 3:1 against the
        basemap's land) past eight, and a sequential scale
        (:data:`bordermap.theme.SEQUENTIAL_COLORS`) when more than eight categories are
        numbers or dates.
    max_categories : int, optional
        Name this many categories in the legend and draw the rest in grey as one row,
        "other (n)". By default every category is listed, past the first eight in a
        scrolling list (reached with Tab).
    title : str, optional
        Legend heading (default "Records" in ``lang``).
    lang : str, default "en"
        Any CLDR language code: the legend's fixed words (English where bordermap has no
        catalog of the language).
    max_points, cell_px, radius
        Points drawn one by one at most; bin size in pixels; point radius in pixels.

    Returns
    -------
    CaseLayer
        Add it to any folium map: ``case_layer(df).add_to(m)``.

    Examples
    --------
    >>> import folium, pandas as pd
    >>> cases = pd.DataFrame({"lon": [129.99, 124.40], "lat": [42.95, 40.10],
    ...                       "kind": ["arrest", "transfer"], "place": ["Onsong", "Sinuiju"]})
    >>> m = folium.Map(location=[41.5, 127.0], zoom_start=6, tiles=None)
    >>> layer = case_layer(cases, category="kind", popup_fields=["place"]).add_to(m)
    >>> from bordermap.render.leaflet.case_payload import decode_records
    >>> sorted(decode_records(layer.payload)["place"])  # what the page holds
    ['Onsong', 'Sinuiju']
    """
    check_argument("points", points, FRAME)
    check_frame(points, "points")
    return case_layer_element(describe_cases(points, **options))


def to_image(
    m_or_joined: folium.Map | MapSpec | pd.DataFrame,
    path: str | os.PathLike[str],
    *,
    dpi: int = 200,
    lang: str | None = None,
    size: tuple[float, float] = (10.0, 7.0),
    facilities: pd.DataFrame | None = None,
    north_arrow: bool = True,
) -> Path:
    """Write a print-ready image of the crossing map: PNG, SVG or PDF by the file's suffix.

    The image draws the map's description (:class:`bordermap.spec.MapSpec`) — the same
    points, circle sizes, labels, legend, title and credit as the page — plus a scale bar.
    SVG and PDF are vectors with their text kept as text; the same inputs give the same
    bytes. The file is written atomically.

    Parameters
    ----------
    m_or_joined : folium.Map, MapSpec or geopandas.GeoDataFrame
        A map from :func:`bordermap.crossing_map`, its ``spec``, or a table from
        :func:`bordermap.join_estimates` (described with ``describe_crossings`` first).
    path : path
        ``.png``, ``.svg`` or ``.pdf``.
    dpi : int, default 200
        Resolution of a PNG (pixels = ``size`` × ``dpi``).
    lang : str, optional
        Language of a table's labels; for a map it must match the map's language.
    size : (float, float), default (10, 7)
        Width and height in inches.
    facilities : geopandas.GeoDataFrame, optional
        Facilities to draw when ``m_or_joined`` is a table.
    north_arrow : bool, default True
        Draw a north arrow.

    Returns
    -------
    pathlib.Path
        The written file.

    Raises
    ------
    bordermap.errors.ExportError
        Unknown suffix, or the image could not be written; its subclass
        :class:`~bordermap.errors.MissingGlyphError` when a character of a label, title or
        source is in no installed font (it names the font to install).

    Examples
    --------
    >>> import bordermap, tempfile, pathlib
    >>> from bordermap.inputs import bundled_path
    >>> joined = bordermap.join_estimates(bordermap.load_crossings(),
    ...     bordermap.read_estimates(bundled_path("events/2023-10-09.csv")))
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "map.svg"
    >>> bordermap.to_image(joined, out, facilities=bordermap.load_facilities()).name
    'map.svg'
    """
    check_argument("facilities", facilities, FRAME, NONE)
    if not isinstance(m_or_joined, MapSpec) and hasattr(m_or_joined, "geometry"):
        m_or_joined = describe_crossings(m_or_joined, facilities, lang=lang or "en")
    return write_image(m_or_joined, path, dpi=dpi, lang=lang, size=size, north_arrow=north_arrow)
