"""Colours and sizes of everything bordermap draws, and the round numbers its legends use."""

from __future__ import annotations

import math

from bordermap.cells import is_missing

__all__ = [
    "BASEMAP_COLORS",
    "CATEGORY_COLORS",
    "CROSSING_COLOR",
    "FACILITY_COLORS",
    "INK",
    "LAND_APART",
    "MANY_CATEGORY_COLORS",
    "MAX_RADIUS_PX",
    "NO_FIGURE_COLOR",
    "ROUTE_COLOR",
    "SEQUENTIAL_COLORS",
    "contrast_ratio",
    "land_color",
    "land_fill",
    "legend_values",
    "nice_number",
    "route_weight",
    "symbol_radius",
    "symbol_value",
]

CROSSING_COLOR = "#b2182b"
NO_FIGURE_COLOR = "#6b6b6b"
INK = "#222222"
GREY = "#555555"
FACILITY_COLORS = {"CN": "#d95f02", "KP": "#1f4e79"}
# Case records by category: Okabe–Ito, readable by colour-blind readers; repeats after eight.
CATEGORY_COLORS = (
    "#0072b2",
    "#e69f00",
    "#009e73",
    "#cc79a7",
    "#56b4e9",
    "#d55e00",
    "#f0e442",
    "#000000",
)
# Case records of more than eight categories: colorcet's glasbey_dark (Glasbey et al. 2007,
# colorcet 3.2.1, CC BY 4.0: https://colorcet.holoviz.org), a categorical scheme made for many
# classes on a light ground, keeping in its order the first 64 colours with at least 3:1
# contrast (WCAG) to every land colour of the basemap. tests/test_case_maps.py checks both.
MANY_CATEGORY_COLORS = (
    "#d60000",
    "#8c3bff",
    "#018700",
    "#6b004f",
    "#573b00",
    "#005659",
    "#0000dd",
    "#a17569",
    "#bf03b8",
    "#645472",
    "#790000",
    "#0774d8",
    "#004b00",
    "#8e7b01",
    "#f2007b",
    "#5901a3",
    "#a03a52",
    "#9e4b00",
    "#546744",
    "#5e7b87",
    "#60383b",
    "#380000",
    "#2f5282",
    "#008069",
    "#7e2a8e",
    "#4d33ff",
    "#c85748",
    "#6e70aa",
    "#77563b",
    "#ba00fd",
    "#915280",
    "#9e0174",
    "#364424",
    "#596d00",
    "#828056",
    "#006d2d",
    "#8956af",
    "#5949a3",
    "#773416",
    "#5e1123",
    "#a32818",
    "#0087b1",
    "#ca0044",
    "#528549",
    "#755900",
    "#4d230c",
    "#60345b",
    "#8300cf",
    "#8a0031",
    "#9e6e31",
    "#c63189",
    "#015438",
    "#086b83",
    "#6466ef",
    "#805059",
    "#826e8c",
    "#4b4f01",
    "#4801cc",
    "#60006e",
    "#446966",
    "#9c5642",
    "#0054c1",
    "#7b2f4f",
    "#526077",
)
# Case records whose category is a number or a date: colorcet's linear bmy (blue-magenta-
# yellow, CC BY 4.0) up to where its contrast to every land colour falls under 3:1, 32 steps
# from low values (light) to high (dark).
SEQUENTIAL_COLORS = (
    "#f82670",
    "#f31e73",
    "#ed1476",
    "#e70a78",
    "#e1027b",
    "#d9007e",
    "#d20080",
    "#cb0082",
    "#c20084",
    "#bb0086",
    "#b30088",
    "#aa008a",
    "#a2018c",
    "#9b028e",
    "#910490",
    "#880592",
    "#800795",
    "#760997",
    "#690c9b",
    "#5d0e9f",
    "#4f11a3",
    "#3913a8",
    "#2315a9",
    "#0015a9",
    "#0015a6",
    "#0015a3",
    "#00149f",
    "#001298",
    "#001192",
    "#00108c",
    "#000e83",
    "#000c7c",
)
MAX_RADIUS_PX = 34.0
MIN_RADIUS_PX = 5.0
UNKNOWN_RADIUS_PX = 9.0
FACILITY_RADIUS_PX = 5.0
ROUTE_COLOR = "#4a3a6b"
# The offline basemap, the same in the page and in images.
BASEMAP_COLORS = {
    "sea": "#dde7ee",
    "land": "#e6e5e0",
    "land_cn_kp": "#f4f2ec",
    "land_kp": "#ebe4d3",
    "coast": "#8aa4b5",
    "river": "#6f9fc6",  # water, darker than the sea: a thin line must read on land
    "province": "#c9c6bd",
    "boundary": "#9a9a9a",
    "boundary_cn_kp": "#5b5b5b",
}
# Route widths: a flow map's line width is proportional to the flow. The route of the
# largest published figure is MAX wide, and the width falls linearly to 0 at no one, with a
# floor of MIN so small flows stay visible; a crossing with no published figure gets the thin
# UNKNOWN width, which stands for no number at all.
ROUTE_MAX_WEIGHT_PX = 10.0
ROUTE_MIN_WEIGHT_PX = 3.0
ROUTE_UNKNOWN_WEIGHT_PX = 1.5


def land_color(country: str | None, cn_kp: bool) -> str:
    """Fill of a country on the basemap: China and North Korea apart, neighbours in grey.

    Examples
    --------
    >>> land_color("North Korea", True), land_color("China", True), land_color("Russia", False)
    ('#ebe4d3', '#f4f2ec', '#e6e5e0')
    """
    if country == "North Korea":
        return BASEMAP_COLORS["land_kp"]
    return BASEMAP_COLORS["land_cn_kp" if cn_kp else "land"]


def land_fill(country: str | None) -> str:
    """Fill of a country on the world basemap by its ISO code: North Korea and China apart
    (the bundled event's two countries), every other country in one grey.

    Examples
    --------
    >>> land_fill("KP"), land_fill("CN"), land_fill("MX")
    ('#ebe4d3', '#f4f2ec', '#e6e5e0')
    """
    if country == "KP":
        return BASEMAP_COLORS["land_kp"]
    return BASEMAP_COLORS["land_cn_kp" if country == "CN" else "land"]


#: The countries :func:`land_fill` sets apart: the coarse world under a page's basemap
#: (bordermap.basemap) carries them in their own tone, so no seam shows where detail ends.
LAND_APART = ("CN", "KP")


def symbol_value(figure: object, low: object = None, high: object = None) -> float | None:
    """The number a symbol's size stands for: the figure, else the high, else the low bound.

    Examples
    --------
    >>> symbol_value(None, 150, 200), symbol_value(None)
    (200.0, None)
    """
    for value in (figure, high, low):
        if not is_missing(value):
            return float(value)  # type: ignore[arg-type]
    return None


def symbol_radius(value: float, scale_max: float) -> float:
    """Circle radius in pixels so that circle *area* is proportional to the value.

    Examples
    --------
    >>> round(symbol_radius(300, 300), 1), round(symbol_radius(75, 300), 1)
    (34.0, 17.0)
    """
    if scale_max <= 0:
        return MIN_RADIUS_PX
    return max(MIN_RADIUS_PX, MAX_RADIUS_PX * math.sqrt(max(value, 0.0) / scale_max))


def route_weight(value: float | None, scale_max: float) -> float:
    """Line width in pixels for a route whose crossing saw ``value`` people.

    Linear in the value (see ``ROUTE_*_WEIGHT_PX``); None (no published figure) gives the
    thin fixed width, never a guessed number.

    Examples
    --------
    >>> route_weight(300, 300), route_weight(180, 300), route_weight(None, 300)
    (10.0, 6.0, 1.5)
    """
    if value is None or scale_max <= 0:
        return ROUTE_UNKNOWN_WEIGHT_PX
    share = max(value, 0.0) / scale_max
    return round(max(ROUTE_MIN_WEIGHT_PX, ROUTE_MAX_WEIGHT_PX * share), 2)


def nice_number(value: float, *, steps: tuple[int, ...] = (1, 2, 5), below: bool = False) -> float:
    """A round number near ``value``: one of ``steps`` times a power of ten.

    The nearest such number by default (legend values), or the largest not above ``value``
    with ``below=True`` (a scale bar must fit its space). Zero and negative values give 0.

    Examples
    --------
    >>> nice_number(420), nice_number(420, below=True), nice_number(0.4, below=True)
    (500.0, 200.0, 0.2)
    """
    if not value > 0 or math.isinf(value):
        return 0.0
    magnitude = 10.0 ** math.floor(math.log10(value))
    candidates = sorted(
        {s * magnitude * f for s in steps for f in (0.1, 1, 10)}  # neighbouring decades too
    )
    if below:
        return max(c for c in candidates if c <= value * (1 + 1e-9))
    return min(candidates, key=lambda c: (abs(c - value), c))


def legend_values(scale_max: float) -> list[int]:
    """Two or three round reference values for the size legend, largest first.

    Examples
    --------
    >>> legend_values(300)
    [300, 100, 30]
    """
    if scale_max < 1:
        return []
    top = _round_to_digit(scale_max)
    values = [top, _round_to_digit(top / 3), _round_to_digit(top / 10)]
    return sorted({v for v in values if v > 0}, reverse=True)


def _round_to_digit(value: float) -> int:
    """One significant digit: 287 → 300, 33 → 30 (the legend's reference circles)."""
    if value < 1:
        return 0
    magnitude = 10 ** math.floor(math.log10(value))
    return int(round(value / magnitude) * magnitude)


def _luminance(color: str) -> float:
    rgb = [int(color.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two ``#rrggbb`` colours (1 to 21).

    Examples
    --------
    >>> round(contrast_ratio("#000000", "#ffffff"), 1)
    21.0
    """
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)
