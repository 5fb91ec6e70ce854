"""The snippet a newsroom pastes into an article: the map's page in a responsive iframe."""

from __future__ import annotations

from bordermap.safe import html_text

__all__ = ["embed_snippet"]


def embed_snippet(page_url: str, title: str, *, aspect: float = 0.75, min_height: int = 400) -> str:
    """A responsive ``<iframe>`` of the page: full width, height ``aspect`` × width (never
    under ``min_height`` px), titled for screen readers. ``page_url`` is where the page is
    published (relative to the article, or absolute).

    Examples
    --------
    >>> print(embed_snippet("map.html", "Returns <2023>")[:50])
    <iframe class="bordermap-embed" src="map.html" tit
    >>> "Returns &lt;2023&gt;" in embed_snippet("map.html", "Returns <2023>")
    True
    """
    return (
        f'<iframe class="bordermap-embed" src="{html_text(page_url)}" title="{html_text(title)}" '
        f'loading="lazy" style="display:block;width:100%;aspect-ratio:{1 / aspect:.4f};'
        f'min-height:{int(min_height)}px;border:0" allowfullscreen></iframe>\n'
    )
