"""The basemap's place names as map labels: one rule for the description and the renderers.

A crossing map's description (:func:`bordermap.describe.panels.basemap_context`) and a user's
own folium map saved on the offline basemap (``render/leaflet/offline_basemap.py``) name the
same places the same way: countries, then towns by rank, each on its place or not shown.
"""

from __future__ import annotations

import functools
from typing import Any

from babel import Locale

from bordermap import i18n
from bordermap.basemap import BasemapView
from bordermap.spec import Label

__all__ = ["context_labels"]


@functools.cache
def _territory_codes() -> dict[str, str]:
    """ISO 3166 codes by the English name the basemap gives a country (CLDR's)."""
    return {name: code for code, name in Locale.parse("en").territories.items()}


def _country_name(row: Any, lang: str) -> str | None:
    """A country's name in any language (CLDR), for one the basemap has no column of."""
    code = _territory_codes().get(row.name_en) if row.kind == "country" else None
    return i18n.territory_name(code, lang) if code else None


def context_labels(view: BasemapView, lang: str) -> tuple[Label, ...]:
    """The view's place names in ``lang``: countries from CLDR in any language, towns in
    English where the basemap has no name in ``lang``.

    Examples
    --------
    >>> from bordermap.basemap import world_basemap
    >>> labels = context_labels(world_basemap((-117.1, 31.3, -106.4, 32.6)), "ko")
    >>> sorted(x.text for x in labels if x.priority == 2)
    ['멕시코', '미국']
    >>> labels = context_labels(world_basemap((-117.1, 31.3, -106.4, 32.6)), "th")
    >>> sorted(x.text for x in labels if x.priority == 2)
    ['สหรัฐอเมริกา', 'เม็กซิโก']
    """
    return tuple(
        Label(
            getattr(row, f"name_{lang}", None) or _country_name(row, lang) or row.name_en,
            f"{row.kind}:{row.name_en}",
            round(float(row.lat), 5),
            round(float(row.lon), 5),
            "context",
            int(row.priority),  # the basemap's: countries, then towns by rank
            "center",
            may_lead=False,  # a place name sits on its place or is not shown
            area=row.area if isinstance(row.area, tuple) else (),
        )
        for row in view.labels.itertuples()
    )
