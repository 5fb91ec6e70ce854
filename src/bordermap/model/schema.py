"""What each entity's table holds: its columns, which are names, which may be published,
and what "missing" means — one place that validation, the gazetteer and publishing read.

Adding a column to an entity is one edit here: :mod:`bordermap.model.validate` checks the columns,
:mod:`bordermap.model.gazetteer` takes the name columns as spellings, and
:mod:`bordermap.model.publish` keeps only the publishable ones.
"""

from __future__ import annotations

from dataclasses import dataclass

from bordermap import i18n
from bordermap.errors import ValidationError
from bordermap.i18n import language_locale

__all__ = [
    "LABEL_FIELDS",
    "SCHEMAS",
    "EntitySchema",
    "name_language",
]


@dataclass(frozen=True)
class EntitySchema:
    """One entity's table.

    Attributes
    ----------
    kind : str
        ``crossings``, ``facilities``, ``estimates``, ``totals``, ``events``, ``routes``,
        ``series`` (crossings joined with events) or ``cases``.
    columns : tuple of str
        The columns a file of this entity has (others are kept, not checked).
    required : tuple of str
        Columns a file must have.
    names : tuple of str
        Columns that name a place: each is a spelling the gazetteer resolves.
    name_prefixes : tuple of str
        Every column starting with one of these names a place too (``name_ko``, ``label_en``).
    publishable : tuple of str
        The allow-list: the only fields a published file may carry.
    restricted_keeps : tuple of str
        What a restricted feature keeps of them (the rest is emptied or replaced).
    """

    kind: str
    columns: tuple[str, ...] = ()
    required: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    name_prefixes: tuple[str, ...] = ()
    publishable: tuple[str, ...] = ()
    restricted_keeps: tuple[str, ...] = ()

    def publishes(self, column: object) -> bool:
        """Whether a column may be published: allow-listed, or a place's name in a language
        CLDR knows (``label_th``, ``name_ar``), which a map in that language draws.

        Examples
        --------
        >>> crossings = SCHEMAS["crossings"]
        >>> [crossings.publishes(c) for c in ("label_th", "label_informant", "notes", "id")]
        [True, False, False, True]
        """
        if column in self.publishable:
            return True
        name = str(column)
        for prefix in self.name_prefixes:
            if name.startswith(prefix) and f"{prefix}en" in self.publishable:
                try:
                    language_locale(name.removeprefix(prefix))
                except ValidationError:
                    return False
                return True
        return False


_CITED = ("source", "source_date", "url")
_HEADLINE = ("figure", "low", "high", "qualifier", *_CITED)
# Added by join_estimates: the headline figure and the estimates behind it.
_JOINED = (*_HEADLINE, "headline_row", "has_figure", "n_estimates", "estimates")
# Added by event_series: an event's date, name and totals say nothing about where a place is.
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
_CROSSING_NAMES = (
    "id",
    "name",
    "cn_pinyin",
    "cn_hanzi",
    "cn_hangul",
    "kp_en",
    "kp_mr",
    "kp_rr",
    "kp_hangul",
    "kp_hanja",
)
_CROSSING_FIELDS = (
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
    *_JOINED,
    "geometry",
)
_CROSSING_KEEPS = ("precision", "precision_m", "verified", *_JOINED, "geometry")

SCHEMAS: dict[str, EntitySchema] = {
    schema.kind: schema
    for schema in (
        EntitySchema(
            "crossings",
            required=("id",),
            names=_CROSSING_NAMES,
            name_prefixes=("name_", "label_"),
            publishable=_CROSSING_FIELDS,
            restricted_keeps=_CROSSING_KEEPS,
        ),
        EntitySchema(
            "facilities",
            required=("id",),
            names=("id", "name"),
            name_prefixes=("name_",),
            publishable=(
                "id",
                "name",
                "name_en",
                "name_ko",
                "name_zh",
                "country",
                "kind",
                "precision",
                "precision_m",
                *_CITED,
                "coord_source",
                "verified",
                "geometry",
            ),
            restricted_keeps=(
                "country",
                "kind",
                "precision",
                "precision_m",
                "verified",
                "geometry",
            ),
        ),
        EntitySchema(
            "estimates",
            columns=(
                "event_date",
                "crossing",
                "figure",
                "low",
                "high",
                "qualifier",
                *_CITED,
                "notes",
            ),
            required=("event_date", "crossing", "figure", "source", "source_date"),
            publishable=("event_date", "crossing", *_HEADLINE, "_row"),
        ),
        EntitySchema(
            "totals",
            columns=("event_date", "total", "low", "high", "qualifier", *_CITED, "notes"),
            required=("event_date", "total", "source"),
        ),
        EntitySchema(
            "events",
            columns=(
                "event_date",
                "name",
                "description",
                "crossings_named",
                "places_named",
                *_CITED,
                "notes",
            ),
            required=("event_date", "name", "source"),
        ),
        EntitySchema(
            "routes",
            columns=(
                "event_date",
                "crossing",
                "from_facility",
                "to_facility",
                "status",
                *_CITED,
                "notes",
            ),
            required=("event_date", "crossing", "status", "source"),
            publishable=(
                "id",
                "event_date",
                "crossing",
                "from_facility",
                "to_facility",
                "status",
                *_CITED,
                "_row",
            ),
        ),
        EntitySchema(
            "series",
            name_prefixes=("name_", "label_"),
            publishable=(*_CROSSING_FIELDS, *_EVENT_FIELDS),
            restricted_keeps=(*_CROSSING_KEEPS, *_EVENT_FIELDS),
        ),
        EntitySchema("cases", columns=("lon", "lat", "precision_m")),
    )
}


#: The fields that carry a feature's name, per language (also any ``label_<lang>`` or
#: ``name_<lang>`` column a layer has: :func:`name_language`).
LABEL_FIELDS: dict[str, dict[str, str]] = {
    "crossings": {"name": "en", "label_en": "en", "label_ko": "ko", "label_zh": "zh"},
    "facilities": {"name": "en", "name_en": "en", "name_ko": "ko", "name_zh": "zh"},
}
LABEL_FIELDS["series"] = LABEL_FIELDS["crossings"]


def name_language(kind: str, column: str) -> str | None:
    """The language a column names a feature of a layer in, if it names one.

    Examples
    --------
    >>> [name_language("crossings", c) for c in ("name", "label_ar", "label_note", "kind")]
    ['en', 'ar', None, None]
    """
    prefix, _, lang = column.partition("_")
    if column in LABEL_FIELDS[kind] or prefix != ("name" if kind == "facilities" else "label"):
        return LABEL_FIELDS[kind].get(column)
    try:
        return i18n.check_lang(lang)
    except ValidationError:  # not a language's column: left as it is
        return None
