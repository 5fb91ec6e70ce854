"""Tile providers by name, through xyzservices, with their attribution; a few short aliases."""

from __future__ import annotations

import difflib

import xyzservices

from bordermap.errors import ValidationError

__all__ = ["TILE_ALIASES", "tile_provider"]

# Short names for the two basemaps press and analysts ask for.
TILE_ALIASES = {
    "light": "CartoDB.Positron",
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
        ``"satellite"`` (Esri World Imagery), ``"light"`` (CartoDB Positron), or an
        xyzservices name in any case and punctuation (``"CartoDB.Positron"``,
        ``"cartodb positron"``). A provider that needs a key can be passed as an object:
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
    >>> tile_provider("cartodb positron").name
    'CartoDB.Positron'
    """
    if isinstance(name, xyzservices.TileProvider):
        return name
    text = str(name).strip()
    text = TILE_ALIASES.get(text.lower(), text)
    try:
        return xyzservices.providers.query_name(text)
    except ValueError as exc:
        known = {_folded(k): k for k in xyzservices.providers.flatten()}
        known.update({_folded(k): k for k in TILE_ALIASES})
        close = difflib.get_close_matches(_folded(text), list(known), n=3, cutoff=0.5)
        names = ", ".join(repr(known[c]) for c in close) or "'CartoDB.Positron', 'satellite'"
        raise ValidationError(
            "unknown tile provider",
            field="tiles",
            value=name,
            fix=f"closest names: {names} (any xyzservices name, or None for no tiles)",
        ) from exc
