"""Case records on a map: their typed columns (:mod:`bordermap.model.cases`) with the
heading, colours, counts and words their layer and legend show."""

from __future__ import annotations

from typing import TypedDict

import numpy as np
import pandas as pd

from bordermap import i18n, theme
from bordermap.model.cases import quantise_cases
from bordermap.safe import isolate
from bordermap.spec import CaseLayerSpec, LegendEntry

__all__ = ["LEGEND_ROWS", "CaseOptions", "case_legend_entries", "describe_cases"]

LEGEND_ROWS = 8
"""Legend rows of case categories; past one more, the rest are one row, "other (n)"."""


class CaseOptions(TypedDict, total=False):
    """How a case layer is drawn: :func:`describe_cases`' keywords, which
    :func:`bordermap.case_layer` passes on."""

    category: str | None
    popup_fields: list[str] | tuple[str, ...] | None
    precision: float | None
    colors: list[str] | tuple[str, ...] | None
    title: str | None
    lang: str
    max_points: int
    cell_px: int
    radius: float


def describe_cases(
    points: pd.DataFrame,
    *,
    category: str | None = None,
    popup_fields: list[str] | tuple[str, ...] | None = None,
    precision: float | None = None,
    colors: list[str] | tuple[str, ...] | None = None,
    title: str | None = None,
    lang: str = "en",
    max_points: int = 3000,
    cell_px: int = 60,
    radius: float = 4.0,
) -> CaseLayerSpec:
    """The description of a case layer: records checked and quantised, and how they show.

    :func:`bordermap.case_layer` documents the parameters.

    Examples
    --------
    >>> import pandas as pd
    >>> cases = pd.DataFrame({"lon": [129.99, 124.40], "lat": [42.95, 40.10],
    ...                       "kind": ["arrest", "arrest"], "precision_m": [1000, 1000]})
    >>> spec = describe_cases(cases, category="kind")
    >>> spec.records.n, spec.category_counts, spec.title
    (2, (2,), 'Records')
    """
    i18n.check_lang(lang)
    records = quantise_cases(
        points, category=category, popup_fields=popup_fields, precision=precision
    )
    counts: tuple[int, ...] = ()
    if records.category is not None:
        found = np.bincount(records.category.codes, minlength=len(records.category.values))
        counts = tuple(int(c) for c in found)
    return CaseLayerSpec(
        records=records,
        title=title if title is not None else i18n.text("cases", lang),
        colors=tuple(colors) if colors else tuple(theme.CATEGORY_COLORS),
        category_counts=counts,
        zoom_note=i18n.text("cases_zoom", lang),
        other_label=i18n.text("other", lang),
        lang=lang,
        max_points=int(max_points),
        cell_px=int(cell_px),
        radius=float(radius),
    )


def case_legend_entries(cases: CaseLayerSpec) -> list[LegendEntry]:
    """Legend entries of a case layer: one dot per category with its count.

    Examples
    --------
    >>> import pandas as pd
    >>> spec = describe_cases(pd.DataFrame({"lon": [130.0], "lat": [42.9], "k": ["arrest"]}),
    ...     category="k")
    >>> [e.label for e in case_legend_entries(spec)]
    ['arrest (1)']
    """
    category = cases.records.category
    radius = cases.radius
    if category is None:
        label = f"{isolate(cases.title)} ({cases.records.n:,})"
        return [LegendEntry("circle", label, radius=radius, fill=cases.colors[0])]
    colors = cases.colors
    pairs = list(zip(category.values, cases.category_counts, strict=True))
    # Past LEGEND_ROWS categories the rest share one row (the page's case legend does too).
    shown = LEGEND_ROWS if len(pairs) > LEGEND_ROWS + 1 else len(pairs)
    entries = [
        LegendEntry(
            "circle", f"{isolate(name)} ({count:,})", radius=radius, fill=colors[i % len(colors)]
        )
        for i, (name, count) in enumerate(pairs[:shown])
    ]
    if shown < len(pairs):
        rest = sum(count for _, count in pairs[shown:])
        other = f"{cases.other_label} ({rest:,})"
        entries.append(LegendEntry("circle", other, radius=radius, fill="#999999"))
    return entries
