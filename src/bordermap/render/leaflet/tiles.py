"""Tile providers by name, through xyzservices, with their attribution; a few short aliases."""

from __future__ import annotations

import difflib

import xyzservices

from bordermap.errors import ValidationError

__all__ = ["TILE_ALIASES", "tile_provider"]

# Short names for the two basemaps press and analysts ask for.
TILE_ALIASES = {
    "light": "Esri.WorldGrayCanvas",
    "satellite": "Esri.WorldImagery",
}


def _folded(name: str) -> str:
    # The same folding xyzservices' query_name applies: case, spaces, dots, dashes, underscores.
    return "".join(ch for ch in name.lower() if ch.isalnum())


def tile_provider(name: str | xyzservices.TileProvider) -> xyzservices.TileProvider:
    """The xyzservices provider a name stands for (an alias, or any spelling of its name).

    Parameters
    ----------
    name : str or xyzservices.TileProvider
        ``"satellite"`` (Esri World Imagery), ``"light"`` (Esri World Light Gray Canvas, the
        default: no key needed), or an xyzservices name in any case and punctuation
        (``"OpenStreetMap.Mapnik"``, ``"esri worldgraycanvas"``). A provider that needs a key
        is passed as an object with its key:
        ``xyzservices.providers.CartoDB.Positron(apikey="...")``.

    Returns
    -------
    xyzservices.TileProvider
        With ``build_url()`` and ``html_attribution``.

    Raises
    ------
    bordermap.errors.ValidationError
        Unknown name; the message names the value and the closest provider names.

    Examples
    --------
    >>> tile_provider("satellite").name
    'Esri.WorldImagery'
    >>> tile_provider("esri worldgraycanvas").name
    'Esri.WorldGrayCanvas'
    """
    if isinstance(name, xyzservices.TileProvider):
        return name
    text = str(name).strip()
    text = TILE_ALIASES.get(text.lower(), text)
    try:
        provider = xyzservices.providers.query_name(text)
    except ValueError as exc:
        known = {_folded(k): k for k in xyzservices.providers.flatten()}
        known.update({_folded(k): k for k in TILE_ALIASES})
        close = difflib.get_close_matches(_folded(text), list(known), n=3, cutoff=0.5)
        names = ", ".join(repr(known[c]) for c in close) or "'light', 'satellite'"
        raise ValidationError(
            "unknown tile provider",
            field="tiles",
            value=name,
            fix=f"closest names: {names} (any xyzservices name, or None for no tiles)",
        ) from exc
    if provider.requires_token():
        # A URL with "<insert your API key here>" draws an empty map: say so now.
        raise ValidationError(
            "tile provider needs an API key",
            field="tiles",
            value=name,
            fix=f"pass xyzservices.providers.{provider.name}(apikey=...) or use 'light'",
        )
    return provider
