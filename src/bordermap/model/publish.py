"""Publishing safely: only allow-listed fields leave the analyst's table; restricted places blur.

A layer prepared for publication keeps the columns in :data:`ALLOWED_FIELDS` for its kind and
nothing else. Features whose ``sensitivity`` is ``restricted`` are generalised to city level
(see :func:`generalise_point`) or dropped. What was removed or moved is listed in an
:class:`Audit`, which goes back to the caller and is never written into a published file: it
names feature ids, fields and distances, never the values removed.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence

import pandas as pd
from pyproj import Geod

from bordermap import i18n
from bordermap.arguments import FRAME, TEXT, check_argument, check_frame
from bordermap.cells import is_blank
from bordermap.errors import ValidationError
from bordermap.model.audit import Audit, Change
from bordermap.model.schema import SCHEMAS, name_language
from bordermap.model.sensitivity import (
    columns_named,
    sensitivities,
    sensitivity_cell,
    sensitivity_of,
)
from bordermap.model.validate import ESTIMATE_COLUMNS

__all__ = [
    "ALLOWED_FIELDS",
    "GRID_DEG",
    "Audit",
    "Change",
    "generalise_point",
    "prepare_for_layers",
    "prepare_for_publication",
    "routes_between",
]


#: The fields that may appear in any exported file, per kind of layer. Everything else
#: (informants, notes, addresses, any extra column) is removed before publication.
ALLOWED_FIELDS: dict[str, tuple[str, ...]] = {
    kind: SCHEMAS[kind].publishable
    for kind in ("crossings", "facilities", "estimates", "series", "routes")
}
#: What a restricted feature keeps of them (the rest is emptied or replaced).
RESTRICTED_KEEPS: dict[str, tuple[str, ...]] = {
    kind: SCHEMAS[kind].restricted_keeps for kind in ALLOWED_FIELDS
}

#: The catalog's message for a withheld feature's neutral label, in each language it is named
#: in (:func:`bordermap.model.schema.name_language`).
_NEUTRAL = {"crossings": "restricted_crossing", "facilities": "restricted_site"}
_OPAQUE_ID = {"crossings": "restricted-crossing-{n}", "facilities": "restricted-site-{n}"}
_NEUTRAL["series"] = _NEUTRAL["crossings"]
_OPAQUE_ID["series"] = _OPAQUE_ID["crossings"]

#: Columns an analyst adds to say what a restricted feature may show instead of its own
#: name, source and URL.
PUBLIC_COLUMNS = {"public_name": "name", "public_source": "source", "public_url": "url"}

#: Size of the grid restricted points are snapped to, in degrees (about 11 km × 8 km at 42°N).
GRID_DEG = 0.1
RESTRICTED_CHOICES = ("generalise", "drop")
_GEOD = Geod(ellps="WGS84")
_Shown = dict[str, str | None]  # what a restricted feature shows: name, source, url


def generalise_point(lat: float, lon: float, grid_deg: float = GRID_DEG) -> tuple[float, float]:
    """The published position of a restricted point: the centre of its grid cell.

    The result depends only on the cell (whole multiples of ``grid_deg``), never on where in
    the cell the point is, so every restricted point in one cell is published at the same
    place and the published map cannot be used to recover the original.

    Examples
    --------
    >>> generalise_point(42.98765, 129.81234)
    (42.95, 129.85)
    """
    return (
        round((math.floor(lat / grid_deg) + 0.5) * grid_deg, 6),
        round((math.floor(lon / grid_deg) + 0.5) * grid_deg, 6),
    )


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    return _GEOD.inv(lon1, lat1, lon2, lat2)[2] / 1000


def cell_radius_m(lat: float, lon: float, grid_deg: float) -> int:
    """Centre to corner of the cell, rounded up to whole kilometres: the new precision_m."""
    c_lat, c_lon = generalise_point(lat, lon, grid_deg)
    corner = _km(c_lat, c_lon, c_lat + grid_deg / 2, c_lon + grid_deg / 2)
    return math.ceil(corner) * 1000


def _feature_ids(layer: pd.DataFrame, kind: str) -> list[str]:
    if kind == "estimates" and "_row" in layer.columns:
        return [f"row {r}" for r in layer["_row"]]
    if "id" in layer.columns:
        return [str(i) for i in layer["id"]]
    return [str(i) for i in layer.index]


def _clean_estimates(
    estimates: object, crossing: str, headline: object, source_file: str
) -> tuple[list[dict], list[Change]]:
    """The estimates nested in a joined crossing: restricted ones out, allow-listed keys only."""
    allowed = set(ALLOWED_FIELDS["estimates"])
    cleaned, changes = [], []
    # A list, or the EstimateRecords join_estimates keeps (a Sequence of dicts).
    listed = isinstance(estimates, Sequence) and not isinstance(estimates, str)
    for est in estimates if listed else []:  # type: ignore[attr-defined]
        where = f"{crossing} row {est.get('_row')}"
        keys = columns_named(est.keys(), "sensitivity")
        value = sensitivity_cell(est, keys, where, source_file, "sensitivity")
        level = sensitivity_of(value, where, source_file, " / ".join(keys) or "sensitivity")
        if level == "restricted":
            if not is_blank(headline) and est.get("_row") == headline:
                raise ValidationError(
                    "the crossing's headline figure comes from a restricted estimate",
                    file=source_file,
                    row=f"feature {crossing!r}",
                    field=" / ".join(keys),
                    value="restricted",
                    fix="leave restricted rows out before joining "
                    "(prepare_for_publication(estimates, kind='estimates')), or mark it public",
                )
            changes.append(Change("estimates", where, "*", "dropped"))
            continue
        changes += [
            Change("estimates", where, k, "removed")
            for k, value in est.items()
            if k not in allowed and k not in keys and not is_blank(value)
        ]
        cleaned.append({k: v for k, v in est.items() if k in allowed})
    return cleaned, changes


def _check_choices(kind: str, restricted: str) -> None:
    if kind not in ALLOWED_FIELDS:
        raise ValidationError(
            "unknown kind of layer",
            field="kind",
            value=kind,
            fix="use " + ", ".join(ALLOWED_FIELDS),
        )
    if restricted not in RESTRICTED_CHOICES:
        raise ValidationError(
            "unknown choice for restricted features",
            field="restricted",
            value=restricted,
            fix="use 'generalise' or 'drop'",
        )


def prepare_for_publication(
    layer: pd.DataFrame,
    *,
    kind: str,
    restricted: str = "generalise",
    grid_deg: float = GRID_DEG,
) -> tuple[pd.DataFrame, Audit]:
    """A copy of a layer fit to publish, and the audit of what was removed or moved.

    Rules, in order:

    1. Every column not in ``ALLOWED_FIELDS[kind]`` or a name in a language (``label_th``)
       is removed (``informant``, ``notes``, ``sensitivity``, any extra column); an
       estimates table keeps its ``notes`` column, emptied, so that it still joins. For a
       joined crossings table, each estimate in its ``estimates`` column keeps only the
       ``estimates`` allow-list.
    2. The ``sensitivity`` column is found however it is spelled (:func:`columns_named`:
       ``Sensitivity``, ``SENSITIVITY``, a Shapefile's ``sensitivit``); its values are
       ``public``, ``restricted`` (any case) or blank (public); anything else is an error.
    3. A restricted feature publishes only what cannot identify it: its point moves to the
       centre of its ``grid_deg`` cell (:func:`generalise_point`), ``precision`` becomes
       ``city`` and ``precision_m`` the cell's centre-to-corner distance (at least its old
       value); its id becomes an opaque ``restricted-site-N`` (``restricted-crossing-N``);
       its names become its ``public_name`` or "restricted site N"; a facility's source
       and URL become its ``public_source`` and ``public_url`` or nothing; every other
       allow-listed field except those of ``RESTRICTED_KEEPS`` (kind, country, precision, a
       crossing's figures and their sources) is emptied. With ``restricted="drop"`` it is
       left out instead. Estimate and route rows (no geometry) marked restricted are always
       left out.

    Routes name places by id: prepare a map's layers together with
    :func:`prepare_for_layers`, so that routes follow the new ids to the generalised points.

    Parameters
    ----------
    layer : geopandas.GeoDataFrame or pandas.DataFrame
        Crossings (bare or from :func:`bordermap.join_estimates`), facilities, or estimates
        (:func:`bordermap.read_estimates`).
    kind : {"crossings", "facilities", "estimates", "routes", "series"}
        Which allow-list applies (``series``: a time map's crossings per event).
    restricted : {"generalise", "drop"}, default "generalise"
        What happens to restricted features.
    grid_deg : float, default 0.1
        Cell size of the generalisation grid, in degrees.

    Returns
    -------
    (DataFrame, Audit)
        The clean layer (same type, ``attrs`` kept for the analyst's own use) and the
        audit. The audit names ids, fields and distances, never a removed value.

    Raises
    ------
    bordermap.errors.ValidationError
        An unknown ``kind``, ``restricted`` or ``sensitivity`` value, two columns that both
        mean ``sensitivity`` and disagree, or a restricted feature that is not a point.

    Examples
    --------
    >>> import bordermap
    >>> facilities = bordermap.load_facilities()
    >>> facilities["informant"] = "not for publication"
    >>> facilities["Sensitivity"] = ["Restricted"] + ["public"] * (len(facilities) - 1)
    >>> clean, audit = prepare_for_publication(facilities, kind="facilities")
    >>> "informant" in clean.columns, clean.loc[0, "precision"], audit.generalised
    (False, 'city', 1)
    >>> clean.loc[0, "id"], clean.loc[0, "name_en"], clean.loc[0, "source"]
    ('restricted-site-1', 'restricted site 1', '')
    >>> clean.geometry[0].y, clean.geometry[0].x  # Shenyang: the centre of its 0.1° cell
    (41.75, 123.45)
    """
    check_argument("layer", layer, FRAME)
    check_argument("kind", kind, TEXT)
    check_argument("restricted", restricted, TEXT)
    check_frame(layer, "layer")
    out, audit, _ = _prepare(layer, kind, restricted, grid_deg)
    return out, audit


def _prepare(
    layer: pd.DataFrame, kind: str, restricted: str, grid_deg: float
) -> tuple[pd.DataFrame, Audit, dict[str, str]]:
    """prepare_for_publication, plus the opaque id each restricted feature now has."""
    _check_choices(kind, restricted)
    ids = _feature_ids(layer, kind)
    source_file = layer.attrs.get("source_file", "<layer>")
    level_columns = columns_named(layer.columns, "sensitivity")
    sensitivity = sensitivities(layer, ids, level_columns)
    public = {key: columns_named(layer.columns, column) for column, key in PUBLIC_COLUMNS.items()}
    controls = {*level_columns, *(c for columns in public.values() for c in columns)}
    allowed = [c for c in layer.columns if SCHEMAS[kind].publishes(c)]
    changes: list[Change] = []
    for column in layer.columns:
        if column in allowed or column in controls or str(column).startswith("_"):
            continue
        changes += [
            Change(kind, feature, str(column), "removed")
            for feature, value in zip(ids, layer[column], strict=True)
            if not is_blank(value)
        ]
    out = layer[[c for c in layer.columns if c in allowed]].copy()
    out.attrs = dict(layer.attrs)
    if kind == "estimates":
        # Columns of the estimates schema stay, emptied, so the table still joins.
        for column in ESTIMATE_COLUMNS:
            if column in layer.columns and column not in out.columns:
                out[column] = pd.array([pd.NA] * len(out), dtype="string")
    if "estimates" in out.columns:
        headlines = out["headline_row"] if "headline_row" in out else [None] * len(out)
        cleaned = [
            _clean_estimates(ests, feature, head, layer.attrs.get("source_file", "<estimates>"))
            for ests, feature, head in zip(out["estimates"], ids, headlines, strict=True)
        ]
        out["estimates"] = [c[0] for c in cleaned]
        if "n_estimates" in out.columns:
            out["n_estimates"] = [len(c[0]) for c in cleaned]
        changes += [change for c in cleaned for change in c[1]]

    keep: list[int] = []
    new_ids: dict[str, str] = {}
    has_geometry = hasattr(out, "geometry") and "geometry" in out.columns
    for position, (feature, level) in enumerate(zip(ids, sensitivity, strict=True)):
        if level != "restricted":
            keep.append(position)
            continue
        if restricted == "drop" or not has_geometry:
            changes.append(Change(kind, feature, "*", "dropped"))
            continue
        keep.append(position)
        changes += _generalise(out, position, feature, kind, grid_deg)
        row = layer.iloc[position]
        shown = {
            key: _public_text(sensitivity_cell(row, columns, feature, source_file, key))
            for key, columns in public.items()
        }
        # A series lists a crossing once per event: one opaque id for all its rows.
        new_ids.setdefault(feature, _OPAQUE_ID[kind].format(n=len(new_ids) + 1))
        changes += _withhold(out, position, feature, kind, new_ids[feature], shown)
    out = out.iloc[keep]
    if not has_geometry:
        out = out.reset_index(drop=True)
    return out, Audit(changes), new_ids


def _public_text(value: object) -> str | None:
    return None if is_blank(value) else str(value).strip()


def _clear(out: pd.DataFrame, index: Hashable, column: Hashable) -> None:
    """Empty one cell, whatever the column's type."""
    series = out[column]
    if pd.api.types.is_datetime64_any_dtype(series):
        out.loc[index, column] = pd.NaT
        return
    if not (pd.api.types.is_object_dtype(series) or pd.api.types.is_string_dtype(series)):
        out[column] = series.astype(object)
    out.loc[index, column] = ""


def _withhold(
    out: pd.DataFrame, position: int, feature: str, kind: str, new_id: str, shown: _Shown
) -> list[Change]:
    """Empty what could identify one restricted feature; give it its neutral label and id."""
    index = out.index[position]
    number = new_id.rsplit("-", 1)[1]
    changes = []
    for column in out.columns:
        if column in RESTRICTED_KEEPS[kind] or column == out.geometry.name:
            continue
        if not is_blank(out.loc[index, column]):
            changes.append(Change(kind, feature, str(column), "cleared"))
        _clear(out, index, column)
    if "id" in out.columns:
        out.loc[index, "id"] = new_id
    for column in out.columns:
        lang = name_language(kind, str(column))
        if lang is not None:
            neutral = i18n.text(_NEUTRAL[kind], lang).format(n=number)
            out.loc[index, column] = shown["name"] or neutral
    for column in ("source", "url"):
        if column in out.columns and shown[column] and column not in RESTRICTED_KEEPS[kind]:
            out.loc[index, column] = shown[column]
    if "estimates" in out.columns:
        ests = out["estimates"].tolist()
        ests[position] = [{**est, "crossing": new_id} for est in ests[position]]
        out["estimates"] = ests
    return changes


def _generalise(
    out: pd.DataFrame, position: int, feature: str, kind: str, grid_deg: float
) -> list[Change]:
    """Move one restricted point to its cell centre in place; the changes it made."""
    from shapely.geometry import Point

    index = out.index[position]
    point = out.geometry.iloc[position]
    if point is None or point.geom_type != "Point":
        raise ValidationError(
            "a restricted feature must be a point to be generalised",
            file=out.attrs.get("source_file", "<layer>"),
            row=f"feature {feature!r}",
            field="geometry",
            value=None if point is None else point.geom_type,
            fix="give it a point, or publish with restricted='drop'",
        )
    lat, lon = point.y, point.x
    new_lat, new_lon = generalise_point(lat, lon, grid_deg)
    out.loc[index, out.geometry.name] = Point(new_lon, new_lat)
    changes = [
        Change(kind, feature, "geometry", "generalised", round(_km(lat, lon, new_lat, new_lon), 3))
    ]
    if "precision" in out.columns:
        out.loc[index, "precision"] = "city"
    radius = cell_radius_m(lat, lon, grid_deg)
    if "precision_m" in out.columns:
        old = out.loc[index, "precision_m"]
        out.loc[index, "precision_m"] = radius if is_blank(old) else max(int(old), radius)
    return changes


def prepare_for_layers(
    crossings: pd.DataFrame,
    facilities: pd.DataFrame | None = None,
    routes: pd.DataFrame | None = None,
    *,
    restricted: str = "generalise",
    grid_deg: float = GRID_DEG,
) -> tuple[pd.DataFrame, pd.DataFrame | None, pd.DataFrame | None, Audit]:
    """A map's crossings, facilities and routes prepared together for publication.

    Each layer is cleaned by :func:`prepare_for_publication`. Routes then follow the
    restricted places they name to their opaque ids (so they end at the generalised
    points), lose their own source and URL, get an opaque id, and are left out when a place
    they name is left out.

    Parameters
    ----------
    crossings : geopandas.GeoDataFrame
        Bare or joined crossings, or a time map's series (one row per crossing per event).
    facilities : geopandas.GeoDataFrame, optional
    routes : DataFrame, optional
        From :func:`bordermap.load_routes`.
    restricted : {"generalise", "drop"}, default "generalise"
    grid_deg : float, default 0.1

    Returns
    -------
    (crossings, facilities, routes, Audit)

    Examples
    --------
    >>> import bordermap
    >>> facilities = bordermap.load_facilities()
    >>> facilities["sensitivity"] = (facilities["id"] == "sinuiju-mss").map(
    ...     {True: "restricted", False: ""})
    >>> _, places, routes, audit = prepare_for_layers(
    ...     bordermap.load_crossings(), facilities, bordermap.load_routes())
    >>> sorted(set(routes["to_facility"]) - set(bordermap.load_routes()["to_facility"]))
    ['restricted-site-1']
    """
    kind = "series" if "event_date" in crossings.columns else "crossings"
    crossings, audit, crossing_ids = _prepare(crossings, kind, restricted, grid_deg)
    place_ids: dict[str, str] = {}
    if facilities is not None:
        facilities, more, place_ids = _prepare(facilities, "facilities", restricted, grid_deg)
        audit += more
    if routes is not None:
        routes, more, _ = _prepare(routes, "routes", restricted, grid_deg)
        routes, moved = _reroute(routes, crossing_ids, place_ids)
        routes, gone = routes_between(routes, crossings, facilities)
        audit += more + moved + gone
    return crossings, facilities, routes, audit


def _reroute(routes: pd.DataFrame, crossing_ids: dict, place_ids: dict) -> tuple:
    """Routes to restricted places: the places' opaque ids, and nothing that names them."""
    routes = routes.copy()
    ends = {"crossing": crossing_ids, "from_facility": place_ids, "to_facility": place_ids}
    changes, touched = [], 0
    for position in range(len(routes)):
        index = routes.index[position]
        hits = [
            column
            for column, ids in ends.items()
            if column in routes.columns and str(routes.loc[index, column]) in ids
        ]
        if not hits:
            continue
        touched += 1
        feature = str(routes.loc[index, "id"]) if "id" in routes.columns else str(index)
        for column in hits:
            routes.loc[index, column] = ends[column][str(routes.loc[index, column])]
        for column in ("source", "source_date", "url"):
            if column in routes.columns:
                if not is_blank(routes.loc[index, column]):
                    changes.append(Change("routes", feature, column, "cleared"))
                _clear(routes, index, column)
        if "id" in routes.columns:
            routes.loc[index, "id"] = f"restricted-route-{touched}"
    return routes, Audit(changes)


def routes_between(
    routes: pd.DataFrame, crossings: pd.DataFrame, facilities: pd.DataFrame | None
) -> tuple[pd.DataFrame, Audit]:
    """The routes whose crossing and facilities are all still on the map; the rest dropped.

    A route to a place left out of a published map would show where that place is.

    Examples
    --------
    >>> import bordermap
    >>> routes = bordermap.load_routes()
    >>> kept, audit = routes_between(routes, bordermap.load_crossings(),
    ...                              bordermap.load_facilities().iloc[1:])
    >>> len(routes) - len(kept) == audit.dropped
    True
    """
    places = {str(i) for i in crossings["id"]}
    if facilities is not None:
        places |= {str(i) for i in facilities["id"]}
    keep, changes = [], []
    for position, (_, route) in enumerate(routes.iterrows()):
        ends = [route.get(c) for c in ("crossing", "from_facility", "to_facility")]
        if all(is_blank(end) or str(end) in places for end in ends):
            keep.append(position)
        else:
            changes.append(Change("routes", str(route.get("id", position)), "*", "dropped"))
    return routes.iloc[keep], Audit(changes)
