"""Publishing safely: only allow-listed fields leave the analyst's table; restricted places blur.

A layer prepared for publication keeps the columns in :data:`ALLOWED_FIELDS` for its kind and
nothing else. Features whose ``sensitivity`` is ``restricted`` are generalised to city level
(see :func:`generalise_point`) or dropped. What was removed or moved is listed in an
:class:`Audit`, which goes back to the caller and is never written into a published file: it
names feature ids, fields and distances, never the values removed.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd
from pyproj import Geod

from bordermap.errors import ValidationError
from bordermap.safe import html_text
from bordermap.validate import ESTIMATE_COLUMNS, visible_text

__all__ = [
    "ALLOWED_FIELDS",
    "GRID_DEG",
    "MIN_CELL_RECORDS",
    "Audit",
    "Change",
    "aggregate_cases",
    "columns_named",
    "generalise_point",
    "plain_name",
    "prepare_for_layers",
    "prepare_for_publication",
    "published_cases",
    "routes_between",
]

_NAMES = ("name", "name_en", "name_ko", "name_zh")
_CITED = ("source", "source_date", "url")
_HEADLINE = ("figure", "low", "high", "qualifier", *_CITED)

#: The fields that may appear in any exported file, per kind of layer. Everything else
#: (informants, notes, addresses, any extra column) is removed before publication.
ALLOWED_FIELDS: dict[str, tuple[str, ...]] = {
    "crossings": (
        "id",
        "name",
        "label_en",
        "label_ko",
        "label_zh",
        "cn_pinyin",
        "cn_hanzi",
        "cn_hangul",
        "cn_province",
        "cn_province_hanzi",
        "kp_en",
        "kp_mr",
        "kp_rr",
        "kp_hangul",
        "kp_hanja",
        "kp_province",
        "kp_province_hangul",
        "river",
        "site",
        "precision",
        "precision_m",
        "coord_source",
        "coord_note",
        "verified",
        # Added by join_estimates: the headline figure and the estimates behind it (each
        # estimate is cleaned with the "estimates" allow-list).
        *_HEADLINE,
        "headline_row",
        "has_figure",
        "n_estimates",
        "estimates",
        "geometry",
    ),
    "facilities": (
        "id",
        *_NAMES,
        "country",
        "kind",
        "precision",
        "precision_m",
        *_CITED,
        "coord_source",
        "verified",
        "geometry",
    ),
    "estimates": ("event_date", "crossing", *_HEADLINE, "_row"),
    # A time map's series (bordermap.event_series): crossings, each event's name and totals.
    "series": (),  # filled below: the crossings' fields and _EVENT_FIELDS
    # Routes facility → crossing → facility (bordermap.load_routes); free-text notes stay out.
    "routes": (
        "id",
        "event_date",
        "crossing",
        "from_facility",
        "to_facility",
        "status",
        *_CITED,
        "_row",
    ),
}

_EVENT_FIELDS = (
    "event_date",
    "event_name",
    "event_total",
    "event_low",
    "event_high",
    "event_qualifier",
    "event_total_source",
    "event_total_source_date",
    "event_total_url",
    "event_totals",
    "named",
)
ALLOWED_FIELDS["series"] = (*ALLOWED_FIELDS["crossings"], *_EVENT_FIELDS)

#: What a restricted feature keeps of its allow-listed fields besides its generalised point,
#: neutral label and opaque id: everything else (names, towns, sources, URLs, notes on where
#: it is) is emptied, so a field added to an allow-list later is withheld until listed here.
RESTRICTED_KEEPS: dict[str, tuple[str, ...]] = {
    # A crossing's figures keep their sources: each estimate row has its own sensitivity
    # (a restricted one is left out), and a figure without its source would mislead.
    "crossings": (
        "precision",
        "precision_m",
        "verified",
        "figure",
        "low",
        "high",
        "qualifier",
        "source",
        "source_date",
        "url",
        "headline_row",
        "has_figure",
        "n_estimates",
        "estimates",
        "geometry",
    ),
    "facilities": ("country", "kind", "precision", "precision_m", "verified", "geometry"),
    "estimates": (),
    "routes": (),
}
# An event's date, name and totals say nothing about where a restricted crossing is.
RESTRICTED_KEEPS["series"] = (*RESTRICTED_KEEPS["crossings"], *_EVENT_FIELDS)

#: The fields that carry a feature's name, per language, and the neutral label they get.
LABEL_FIELDS: dict[str, dict[str, str]] = {
    "crossings": {"name": "en", "label_en": "en", "label_ko": "ko", "label_zh": "zh"},
    "facilities": {"name": "en", "name_en": "en", "name_ko": "ko", "name_zh": "zh"},
}
_NEUTRAL = {
    "crossings": {
        "en": "restricted crossing {n}",
        "ko": "비공개 통로 {n}",
        "zh": "不公开口岸 {n}",
    },
    "facilities": {"en": "restricted site {n}", "ko": "비공개 장소 {n}", "zh": "不公开地点 {n}"},
}
_OPAQUE_ID = {"crossings": "restricted-crossing-{n}", "facilities": "restricted-site-{n}"}
for _table in (LABEL_FIELDS, _NEUTRAL, _OPAQUE_ID):
    _table["series"] = _table["crossings"]

#: Columns an analyst adds to say what a restricted feature may show instead of its own
#: name, source and URL.
PUBLIC_COLUMNS = {"public_name": "name", "public_source": "source", "public_url": "url"}

#: Size of the grid restricted points are snapped to, in degrees (about 11 km × 8 km at 42°N).
GRID_DEG = 0.1
SENSITIVITIES = ("public", "restricted")
RESTRICTED_CHOICES = ("generalise", "drop")
_GEOD = Geod(ellps="WGS84")


@dataclass(frozen=True)
class Change:
    """One thing publication changed.

    ``action`` is ``removed`` (a non-allow-listed value), ``cleared`` (a place field of a
    restricted feature), ``generalised`` (moved to city level; ``km`` is how far) or
    ``dropped`` (the whole feature or row left out).
    """

    layer: str
    feature: str
    field: str
    action: str
    km: float | None = None


@dataclass
class Audit:
    """What :func:`prepare_for_publication` removed or moved: for the analyst, never published.

    Examples
    --------
    >>> audit = Audit([Change("facilities", "safe-1", "geometry", "generalised", 3.2)])
    >>> audit.summary()
    'publish: 0 values removed, 1 location generalised to city level, 0 features or rows left out'
    """

    changes: list[Change] = field(default_factory=list)

    def __add__(self, other: Audit) -> Audit:
        return Audit([*self.changes, *other.changes])

    def __len__(self) -> int:
        return len(self.changes)

    def _count(self, *actions: str) -> int:
        return sum(c.action in actions for c in self.changes)

    @property
    def generalised(self) -> int:
        """Number of locations moved to city level."""
        return self._count("generalised")

    @property
    def dropped(self) -> int:
        """Number of features or rows left out."""
        return self._count("dropped")

    @property
    def removed(self) -> int:
        """Number of values removed (non-allow-listed fields and place fields cleared)."""
        return self._count("removed", "cleared")

    def summary(self) -> str:
        """One line of counts, for a terminal or a log."""
        moved = self.generalised
        return (
            f"publish: {self.removed} value{'s' * (self.removed != 1)} removed, "
            f"{moved} location{'s' * (moved != 1)} generalised to city level, "
            f"{self.dropped} feature{'s' * (self.dropped != 1)} or row{'s' * (self.dropped != 1)}"
            " left out"
        )

    def to_frame(self) -> pd.DataFrame:
        """The changes as a table: layer, feature, field, action, km."""
        columns = ["layer", "feature", "field", "action", "km"]
        return pd.DataFrame([c.__dict__ for c in self.changes], columns=columns)

    def _repr_html_(self) -> str:
        rows = "".join(
            "<tr>"
            + "".join(
                f"<td>{html_text('' if v is None else (f'{v:.1f}' if k == 'km' else v))}</td>"
                for k, v in c.__dict__.items()
            )
            + "</tr>"
            for c in self.changes
        )
        head = "".join(f"<th>{h}</th>" for h in ("layer", "feature", "field", "action", "km"))
        return (
            f"<p>{html_text(self.summary())}</p>"
            f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
        )


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


def _cell_radius_m(lat: float, lon: float, grid_deg: float) -> int:
    """Centre to corner of the cell, rounded up to whole kilometres: the new precision_m."""
    c_lat, c_lon = generalise_point(lat, lon, grid_deg)
    corner = _km(c_lat, c_lon, c_lat + grid_deg / 2, c_lon + grid_deg / 2)
    return math.ceil(corner) * 1000


def _is_blank(value: object) -> bool:
    if isinstance(value, (list, dict)):
        return not value
    try:
        return bool(pd.isna(value)) or (isinstance(value, str) and not visible_text(value))
    except (TypeError, ValueError):
        return False


def _feature_ids(layer: pd.DataFrame, kind: str) -> list[str]:
    if kind == "estimates" and "_row" in layer.columns:
        return [f"row {r}" for r in layer["_row"]]
    if "id" in layer.columns:
        return [str(i) for i in layer["id"]]
    return [str(i) for i in layer.index]


_SEPARATORS = re.compile(r"[\s\-]+")
#: dBASE (a Shapefile's attribute table) cuts field names to this many characters.
DBF_NAME_LENGTH = 10


def plain_name(name: object) -> str:
    """A column name or keyword as compared: NFKC, no invisible characters, trimmed, lower case,
    runs of spaces and hyphens as one ``_``.

    Examples
    --------
    >>> plain_name(" Sensitivity\\u200b "), plain_name("Public-Name")
    ('sensitivity', 'public_name')
    """
    text = unicodedata.normalize("NFKC", str(name))
    text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cf"))
    return _SEPARATORS.sub("_", text.strip()).lower()


def _means(column: object, name: str) -> bool:
    plain = plain_name(column)
    cut = len(plain) == DBF_NAME_LENGTH < len(name) and name.startswith(plain)
    return plain == name or cut


def columns_named(columns, name: str) -> list:
    """The columns that mean ``name`` however they are spelled.

    Case, surrounding spaces, invisible characters and a Shapefile's 10-character cut
    (``sensitivit``) do not matter: publishing must not depend on how a GIS wrote the name.
    A GeoJSON whose features spell a key differently gives several such columns.

    Examples
    --------
    >>> columns_named(["id", "SENSITIVIT", "Sensitivity ", "geometry"], "sensitivity")
    ['SENSITIVIT', 'Sensitivity ']
    >>> columns_named(["id"], "sensitivity")
    []
    """
    return [column for column in columns if _means(column, name)]


def _cell(row, columns: list, feature: str, source_file: str, name: str) -> object:
    """The one value the row's ``columns`` (all meaning ``name``) give; differing ones are
    an error, as which applies is not for bordermap to guess."""
    given = {str(c): row[c] for c in columns if not _is_blank(row[c])}
    plain = {plain_name(v) if isinstance(v, str) else v for v in given.values()}
    if len(plain) > 1:
        raise ValidationError(
            f"two columns that both mean {name!r} disagree",
            file=source_file,
            row=f"feature {feature!r}",
            field=" / ".join(given),
            value=list(given.values()),
            fix="keep one of the columns",
        )
    return next(iter(given.values()), None)


def _sensitivity(value: object, feature: str, source_file: str, column: object) -> str:
    """``public`` or ``restricted`` (blank means public); any other value is an error."""
    text = "" if _is_blank(value) else plain_name(value) if isinstance(value, str) else None
    if text is None or (text and text not in SENSITIVITIES):
        raise ValidationError(
            "unknown sensitivity",
            file=source_file,
            row=f"feature {feature!r}",
            field=str(column),
            value=value,
            fix="use 'public' or 'restricted' (blank means public)",
        )
    return text or "public"


def _sensitivities(layer: pd.DataFrame, ids: list[str], columns: list) -> list[str]:
    source_file = layer.attrs.get("source_file", "<layer>")
    levels = []
    for feature, (_, row) in zip(ids, layer[columns].iterrows(), strict=True):
        value = _cell(row, columns, feature, source_file, "sensitivity")
        where = next((c for c in columns if row[c] is value), "sensitivity")
        levels.append(_sensitivity(value, feature, source_file, where))
    return levels


def _clean_estimates(
    estimates: object, crossing: str, headline: object, source_file: str
) -> tuple[list[dict], list[Change]]:
    """The estimates nested in a joined crossing: restricted ones out, allow-listed keys only."""
    allowed = set(ALLOWED_FIELDS["estimates"])
    cleaned, changes = [], []
    # A list, or the EstimateRecords join_estimates keeps (a Sequence of dicts).
    listed = isinstance(estimates, Sequence) and not isinstance(estimates, str)
    for est in estimates if listed else []:
        where = f"{crossing} row {est.get('_row')}"
        keys = columns_named(est.keys(), "sensitivity")
        value = _cell(est, keys, where, source_file, "sensitivity")
        level = _sensitivity(value, where, source_file, " / ".join(keys) or "sensitivity")
        if level == "restricted":
            if not _is_blank(headline) and est.get("_row") == headline:
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
            if k not in allowed and k not in keys and not _is_blank(value)
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

    1. Every column not in ``ALLOWED_FIELDS[kind]`` is removed (``informant``, ``notes``,
       ``sensitivity``, any extra column); an estimates table keeps its ``notes`` column,
       emptied, so that it still joins. For a joined crossings table, each estimate in its
       ``estimates`` column keeps only the ``estimates`` allow-list.
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
    out, audit, _ = _prepare(layer, kind, restricted, grid_deg)
    return out, audit


def _prepare(layer, kind: str, restricted: str, grid_deg: float):
    """prepare_for_publication, plus the opaque id each restricted feature now has."""
    _check_choices(kind, restricted)
    ids = _feature_ids(layer, kind)
    source_file = layer.attrs.get("source_file", "<layer>")
    level_columns = columns_named(layer.columns, "sensitivity")
    sensitivity = _sensitivities(layer, ids, level_columns)
    public = {key: columns_named(layer.columns, column) for column, key in PUBLIC_COLUMNS.items()}
    controls = {*level_columns, *(c for columns in public.values() for c in columns)}
    allowed = ALLOWED_FIELDS[kind]
    changes: list[Change] = []
    for column in layer.columns:
        if column in allowed or column in controls or str(column).startswith("_"):
            continue
        changes += [
            Change(kind, feature, str(column), "removed")
            for feature, value in zip(ids, layer[column], strict=True)
            if not _is_blank(value)
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

    keep, new_ids = [], {}
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
            key: _public_text(_cell(row, columns, feature, source_file, key))
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
    return None if _is_blank(value) else str(value).strip()


def _clear(out, index, column) -> None:
    """Empty one cell, whatever the column's type."""
    series = out[column]
    if pd.api.types.is_datetime64_any_dtype(series):
        out.loc[index, column] = pd.NaT
        return
    if not (pd.api.types.is_object_dtype(series) or pd.api.types.is_string_dtype(series)):
        out[column] = series.astype(object)
    out.loc[index, column] = ""


def _withhold(out, position: int, feature: str, kind: str, new_id: str, shown) -> list[Change]:
    """Empty what could identify one restricted feature; give it its neutral label and id."""
    index = out.index[position]
    number = new_id.rsplit("-", 1)[1]
    changes = []
    for column in out.columns:
        if column in RESTRICTED_KEEPS[kind] or column == out.geometry.name:
            continue
        if not _is_blank(out.loc[index, column]):
            changes.append(Change(kind, feature, str(column), "cleared"))
        _clear(out, index, column)
    if "id" in out.columns:
        out.loc[index, "id"] = new_id
    for column, lang in LABEL_FIELDS[kind].items():
        if column in out.columns:
            out.loc[index, column] = shown["name"] or _NEUTRAL[kind][lang].format(n=number)
    for column in ("source", "url"):
        if column in out.columns and shown[column] and column not in RESTRICTED_KEEPS[kind]:
            out.loc[index, column] = shown[column]
    if "estimates" in out.columns:
        ests = out["estimates"].tolist()
        ests[position] = [{**est, "crossing": new_id} for est in ests[position]]
        out["estimates"] = ests
    return changes


def _generalise(out, position: int, feature: str, kind: str, grid_deg: float) -> list[Change]:
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
    radius = _cell_radius_m(lat, lon, grid_deg)
    if "precision_m" in out.columns:
        old = out.loc[index, "precision_m"]
        out.loc[index, "precision_m"] = radius if _is_blank(old) else max(int(old), radius)
    return changes


def prepare_for_layers(
    crossings,
    facilities=None,
    routes=None,
    *,
    restricted: str = "generalise",
    grid_deg: float = GRID_DEG,
):
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
                if not _is_blank(routes.loc[index, column]):
                    changes.append(Change("routes", feature, column, "cleared"))
                _clear(routes, index, column)
        if "id" in routes.columns:
            routes.loc[index, "id"] = f"restricted-route-{touched}"
    return routes, Audit(changes)


def routes_between(routes: pd.DataFrame, crossings, facilities) -> tuple[pd.DataFrame, Audit]:
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
        if all(_is_blank(end) or str(end) in places for end in ends):
            keep.append(position)
        else:
            changes.append(Change("routes", str(route.get("id", position)), "*", "dropped"))
    return routes.iloc[keep], Audit(changes)


#: The fewest records a published cell of case records may hold (statistical disclosure
#: control's threshold rule: a cell of one or two records points at people).
MIN_CELL_RECORDS = 5


def aggregate_cases(
    points, *, k: int = MIN_CELL_RECORDS, grid_deg: float = GRID_DEG
) -> tuple[pd.DataFrame, Audit]:
    """Case records as they may be published: counts per grid cell, cells under ``k`` out.

    Following statistical disclosure control practice for humanitarian data (the OCHA
    Centre for Humanitarian Data's guidance; sdcMicro's threshold rule), no single record
    leaves: each record is counted in its ``grid_deg`` cell (:func:`generalise_point`), a
    cell with fewer than ``k`` records is left out, and no record field is kept (no
    category, date or note: a breakdown of a cell could single out its few members). The
    result has one row per published *record*, placed at its cell's centre with the
    cell's size as ``precision_m``, so that any case layer counts and bins it as the cell's
    count; ``attrs["published"]`` marks it.

    Parameters
    ----------
    points : geopandas.GeoDataFrame or pandas.DataFrame
        Case records: points, or ``lon``/``lat`` columns (checked by
        :func:`bordermap.validate.check_case_records`).
    k : int, default 5
        The fewest records a published cell holds.
    grid_deg : float, default 0.1
        Cell size in degrees (about 11 × 8 km at 42°N).

    Returns
    -------
    (DataFrame, Audit)
        Columns ``lon``, ``lat``, ``precision_m``; the audit lists each cell left out
        (``cases``, ``cell <lat>,<lon>``, ``dropped``) and each field removed.

    Examples
    --------
    >>> import pandas as pd
    >>> records = pd.DataFrame({"lon": [129.81, 129.82, 129.83, 129.84, 129.85, 124.4],
    ...                         "lat": [42.96] * 5 + [40.1], "name": ["x"] * 6})
    >>> cells, audit = aggregate_cases(records, k=5)
    >>> len(cells), sorted(set(zip(cells["lat"], cells["lon"])))
    (5, [(42.95, 129.85)])
    >>> audit.summary()
    'publish: 1 value removed, 0 locations generalised to city level, 1 feature or row left out'
    """
    from bordermap.validate import check_case_records

    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise ValidationError(
            "k must be a whole number of records, at least 1",
            field="k",
            value=k,
            fix=f"use {MIN_CELL_RECORDS} or more",
        )
    check_case_records(points)
    if hasattr(points, "crs") and "geometry" in points.columns:
        shown = points if points.crs is None else points.to_crs("EPSG:4326")
        lon, lat = shown.geometry.x.to_numpy(float), shown.geometry.y.to_numpy(float)
        fields = [c for c in points.columns if c != points.geometry.name]
    else:
        pair = next(
            p
            for p in (("lon", "lat"), ("longitude", "latitude"), ("x", "y"))
            if set(p) <= set(points.columns)
        )
        lon, lat = (pd.to_numeric(points[c]).to_numpy(float) for c in pair)
        fields = [c for c in points.columns if c not in pair]
    rows = pd.DataFrame(
        {
            "row": (lat // grid_deg).astype("int64"),
            "column": (lon // grid_deg).astype("int64"),
        }
    )
    counts = rows.value_counts(sort=False)
    changes = [Change("cases", "*", str(f), "removed") for f in fields]
    kept = []
    for (row, column), n in sorted(counts.items()):
        centre = generalise_point((row + 0.5) * grid_deg, (column + 0.5) * grid_deg, grid_deg)
        if n < k:
            changes.append(Change("cases", f"cell {centre[0]},{centre[1]}", "*", "dropped"))
            continue
        kept += [centre] * int(n)
    radius = _cell_radius_m(kept[0][0], kept[0][1], grid_deg) if kept else 0
    out = pd.DataFrame(
        {
            "lon": [c[1] for c in kept],
            "lat": [c[0] for c in kept],
            "precision_m": [radius] * len(kept),
        }
    )
    out.attrs = {"published": True, "k": k, "grid_deg": grid_deg}
    return out, Audit(changes)


def published_cases(cases) -> tuple[pd.DataFrame, Audit]:
    """Case records for a published map: aggregated by :func:`aggregate_cases` with the
    default ``k``, or as given when they already are (``attrs["published"]``).

    Examples
    --------
    >>> import pandas as pd
    >>> cells, _ = aggregate_cases(pd.DataFrame({"lon": [129.8] * 9, "lat": [42.9] * 9}), k=9)
    >>> len(published_cases(cells)[0])
    9
    """
    if isinstance(cases, pd.DataFrame):
        if cases.attrs.get("published"):
            return cases, Audit()
        return aggregate_cases(cases)
    # A prepared case layer has its fields and precise points already encoded.
    raise ValidationError(
        "a published map cannot vouch for a prepared case layer",
        field="cases",
        value=type(cases).__name__,
        fix="pass the records themselves (a GeoDataFrame or a DataFrame with lon/lat)",
    )
