"""Facilities on the map, of any country: their symbols, one layer and one legend row per
country, each named from the facility's ``country`` (CLDR, in the map's language)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from bordermap import i18n, theme
from bordermap.cells import is_missing
from bordermap.spec import LegendEntry, PathStyle, Popup, Symbol

__all__ = [
    "FACILITY_COUNTRIES",
    "facility_colors",
    "facility_entries",
    "facility_layer_name",
    "facility_symbols",
]

#: Countries whose facilities have a colour and a layer name of their own in the catalog.
FACILITY_COUNTRIES = ("CN", "KP")
# Facilities of any other country: the categorical colours the case layer uses, each at
# least 3:1 against every land colour (tests/test_case_maps.py), less the first (the
# crossings' red).
_MORE_COLORS = theme.MANY_CATEGORY_COLORS[1:]


def _country(row: pd.Series) -> str:
    """The facility's ISO 3166 code, upper case, or ``other`` when it has none CLDR knows."""
    code = row.get("country")
    if not isinstance(code, str) or not code.strip():
        return "other"
    code = code.strip().upper()
    # territory_name gives the code back for a code CLDR does not know.
    return code if i18n.territory_name(code, "en") != code else "other"


def facility_colors(codes: Iterable[str]) -> dict[str, str]:
    """A colour for each country: China's and North Korea's own, the others' in order of
    their codes from the categorical palette, grey for facilities of no known country.

    Examples
    --------
    >>> facility_colors(["TH", "CN", "MM", "other"])
    {'CN': '#d95f02', 'MM': '#8c3bff', 'TH': '#018700', 'other': '#555555'}
    """
    found = sorted(set(codes))
    others = [c for c in found if c not in FACILITY_COUNTRIES and c != "other"]
    colours = {c: theme.FACILITY_COLORS[c] for c in found if c in FACILITY_COUNTRIES}
    colours |= {c: _MORE_COLORS[i % len(_MORE_COLORS)] for i, c in enumerate(others)}
    if "other" in found:
        colours["other"] = theme.GREY
    return colours


def facility_layer_name(code: str, lang: str) -> str:
    """The name of a country's facilities (layer control, legend row) in ``lang``.

    China's and North Korea's come from the catalog. Any other country's is the catalog's
    phrase for China with China's CLDR name replaced by the country's (the catalog has no
    phrase with a country left open); where the phrase does not hold China's name as CLDR
    spells it (a language that declines it), "Facilities: <country>".

    Examples
    --------
    >>> facility_layer_name("TH", "en"), facility_layer_name("TH", "ko")
    ('Facilities in Thailand', '태국 내 시설')
    >>> facility_layer_name("other", "en")
    'Facilities'
    """
    if code in FACILITY_COUNTRIES or code == "other":
        return i18n.text(f"facilities_{code}", lang)
    country = i18n.territory_name(code, lang)
    phrase, china = i18n.text("facilities_CN", lang), i18n.territory_name("CN", lang)
    if china in phrase:
        return phrase.replace(china, country)
    return f"{i18n.text('facilities_other', lang)}: {country}"


def facility_entries(symbols: Sequence[Symbol], lang: str) -> list[LegendEntry]:
    """One legend row per country of the facilities drawn (China and North Korea first,
    then by code, facilities of no known country last), in the colour of its symbols.

    Examples
    --------
    >>> import bordermap
    >>> rows = facility_entries(facility_symbols(bordermap.load_facilities(), "en"), "en")
    >>> [row.label for row in rows]
    ['Facilities in China', 'Facilities in North Korea']
    """
    colours: dict[str, str] = {}
    for symbol in symbols:
        if symbol.kind == "facility":
            colours.setdefault(symbol.layer.rsplit("_", 1)[1], symbol.style.color)
    order = [c for c in FACILITY_COUNTRIES if c in colours]
    order += sorted(c for c in colours if c not in FACILITY_COUNTRIES and c != "other")
    order += ["other"] if "other" in colours else []
    return [
        LegendEntry("circle", facility_layer_name(c, lang), 5, colours[c], colours[c], False)
        for c in order
    ]


def facility_symbols(facilities: pd.DataFrame | None, lang: str) -> list[Symbol]:
    """Facilities as small circles, one layer per country: filled where the site is known,
    hollow and dashed where only the city is.

    Examples
    --------
    >>> import bordermap
    >>> symbols = facility_symbols(bordermap.load_facilities(), "en")
    >>> sorted({s.layer for s in symbols})
    ['facilities_CN', 'facilities_KP']
    """
    symbols: list[Symbol] = []
    if facilities is None:
        return symbols
    countries = [_country(row) for _, row in facilities.iterrows()]
    colours = facility_colors(countries)
    for (_, row), country in zip(facilities.iterrows(), countries, strict=True):
        colour = colours[country]
        city_level = row.get("precision") != "site"
        name = i18n.facility_label(row, lang)
        kind = row.get("kind")
        precision = i18n.text("city" if city_level else "site", lang)
        meta = [precision]
        for key, column in (("sources", "source"), ("coordinate", "coord_source")):
            value = row.get(column)
            if isinstance(value, str) and value:
                meta.append(f"{i18n.text(key, lang)}: {value}")
        halo = row.get("precision_m")
        symbols.append(
            Symbol(
                id=str(row.get("id")),
                layer=f"facilities_{country}",
                kind="facility",
                lat=round(float(row.geometry.y), 6),
                lon=round(float(row.geometry.x), 6),
                style=PathStyle(
                    radius=theme.FACILITY_RADIUS_PX,
                    color=colour,
                    fill_color="#ffffff" if city_level else colour,
                    fill_opacity=0.9,
                    weight=2,
                    dash="3 2" if city_level else None,
                ),
                tags=("facility", country.lower(), "city" if city_level else "site"),
                tooltip=f"{name} — {precision}",
                popup=Popup(
                    name,
                    lines=(i18n.facility_kind(kind, lang),)
                    if isinstance(kind, str) and kind
                    else (),
                    meta=tuple(meta),
                ),
                halo_m=float(halo) if city_level and not is_missing(halo) else None,
                halo_color=colour,
            )
        )
    return symbols
