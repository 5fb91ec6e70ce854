"""The basemap's place names as map labels: one rule for the description and the renderers.

A crossing map's description (:func:`bordermap.describe.panels.basemap_context`) and a user's
own folium map saved on the offline basemap (``render/leaflet/offline_basemap.py``) name the
same places the same way: countries, then towns by rank, each on its place or not shown.
"""

from __future__ import annotations

from bordermap.basemap import BasemapView
from bordermap.spec import Label

__all__ = ["context_labels"]


def context_labels(view: BasemapView, lang: str) -> tuple[Label, ...]:
    """The view's place names in ``lang`` (English where the basemap has no such name).

    Examples
    --------
    >>> from bordermap.basemap import world_basemap
    >>> labels = context_labels(world_basemap((-117.1, 31.3, -106.4, 32.6)), "ko")
    >>> sorted(x.text for x in labels if x.priority == 2)
    ['멕시코', '미국']
    """
    return tuple(
        Label(
            getattr(row, f"name_{lang}") or row.name_en,
            f"{row.kind}:{row.name_en}",
            round(float(row.lat), 5),
            round(float(row.lon), 5),
            "context",
            int(row.priority),  # the basemap's: countries, then towns by rank
            "center",
            may_lead=False,  # a place name sits on its place or is not shown
        )
        for row in view.labels.itertuples()
    )
