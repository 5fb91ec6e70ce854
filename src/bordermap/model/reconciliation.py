"""Reconciliation: what an event's published totals leave for the crossings without a figure.

For each published total of an event, subtract the headline figures of the crossings that
have one: 600 − 300 − 180 = at most 120 for the other three crossings of 9 October 2023.
The result is a bound read off published numbers, never a figure for any one crossing. This
module writes text for the analyst, so it comes after :mod:`bordermap.i18n` in the flow.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from bordermap import i18n, theme
from bordermap.arguments import FRAME, NONE, TEXT, check_argument
from bordermap.errors import ValidationError
from bordermap.model.estimates import parse_event

__all__ = ["Reconciliation", "reconcile"]

# What "total − figures" means for each qualifier of the total.
_GAP_WORDS = {"up to": "at most", "over": "at least", "about": "about", "": ""}


@dataclass(frozen=True)
class Reconciliation:
    """The result of :func:`reconcile`: a table (one row per published total) and its text.

    Examples
    --------
    >>> result = reconcile("2023-10-09")
    >>> isinstance(result, Reconciliation), "120" in str(result)
    (True, True)
    """

    table: pd.DataFrame
    summary: str

    def __str__(self) -> str:
        return self.summary

    def _repr_html_(self) -> str:
        from bordermap.safe import html_text

        return f"<pre>{html_text(self.summary)}</pre>" + self.table.drop(
            columns=["rest_ids"]
        ).to_html(index=False, na_rep="")


def _value(row: pd.Series | dict, prefix: str = "") -> float | None:
    return theme.symbol_value(row[f"{prefix}figure"], row[f"{prefix}low"], row[f"{prefix}high"])


def _gap_label(total: dict, known: int) -> tuple[str, int | None, int | None]:
    """The bound a total leaves after subtracting ``known``: label, low end, high end."""
    qualifier = total["qualifier"] or ""
    if qualifier == "range" or pd.isna(total["total"]):
        low = None if pd.isna(total["low"]) else int(total["low"]) - known
        high = None if pd.isna(total["high"]) else int(total["high"]) - known
        label = i18n.figure_label(None, low, high, "range" if low is not None else "")
        return label, low, high
    gap = int(total["total"]) - known
    words = _GAP_WORDS.get(qualifier, "")
    label = f"{words} {gap:,}".strip()
    low = gap if qualifier in ("over", "about", "") else None
    high = gap if qualifier in ("up to", "about", "") else None
    return label, low, high


def _total_label(total: dict) -> str:
    return i18n.figure_label(total["total"], total["low"], total["high"], total["qualifier"] or "")


def _dated(source: str, when: object) -> str:
    return f"{source}, {i18n.format_date(when)}" if not pd.isna(when) else source


def reconcile(
    event: object,
    *,
    series: pd.DataFrame | None = None,
    rule: str = "latest",
    prefer: str | Sequence[str] | None = None,
) -> Reconciliation:
    """Compare an event's per-crossing figures with each of its published totals.

    Parameters
    ----------
    event : str or date
        The event date, e.g. ``"2023-10-09"``.
    series : GeoDataFrame, optional
        From :func:`bordermap.event_series` (default: the bundled events, with ``rule`` and
        ``prefer``).
    rule, prefer
        How the per-crossing headline figures are chosen (see :func:`bordermap.headline_figure`).

    Returns
    -------
    Reconciliation
        ``table``: one row per published total with ``total_label``, ``known`` (sum of the
        per-crossing headline figures), ``gap_label`` and ``gap_low``/``gap_high`` (the bound
        left: "at most 120"), ``rest`` (crossings named without a figure) and ``conflict``
        (the figures already exceed the total). ``summary``: the same as readable text.

    Examples
    --------
    >>> result = reconcile("2023-10-09")
    >>> row = result.table.iloc[0]
    >>> row["total_label"], int(row["known"]), row["gap_label"], int(row["n_rest"])
    ('up to 600', 480, 'at most 120', 3)
    >>> line = result.summary.splitlines()[2]
    >>> line[line.index("600 −"):line.index(" (Changbai")]
    '600 − 300 − 180 = at most 120 for the other 3 crossings named'

    """
    check_argument("series", series, FRAME, NONE)
    check_argument("rule", rule, TEXT)
    if series is None:
        from bordermap.model.events import event_series

        series = event_series(rule=rule, prefer=prefer)
    when = parse_event(event)
    rows = series[series["event_date"] == when]
    if not len(rows):
        shown = ", ".join(d.date().isoformat() for d in sorted(series["event_date"].unique()))
        raise ValidationError(
            "no such event", field="event", value=event, fix=f"the series has: {shown}"
        )
    name = rows["event_name"].iloc[0]
    figures = rows[rows["has_figure"]]
    figures = figures.assign(_value=[_value(r) for _, r in figures.iterrows()]).sort_values(
        "_value", ascending=False, kind="stable"
    )
    known_values = [int(_value(r) or 0) for _, r in figures.iterrows()]  # has_figure: never 0
    known = sum(known_values)
    rest = rows[rows["named"] & ~rows["has_figure"]]
    rest_names = ", ".join(rest["label_en"]) if "label_en" in rest else ", ".join(rest["id"])
    totals = rows["event_totals"].iloc[0]  # in the order of the totals file

    figure_parts = [
        f"{int(_value(r) or 0):,} ({r.get('label_en', r['id'])}, {r['source']})"
        for _, r in figures.iterrows()
    ]
    lines = [f"{name}:"]
    if figure_parts:
        lines.append("  per-crossing figures: " + " + ".join(figure_parts) + f" = {known:,}")
    else:
        lines.append("  no per-crossing figure has been published")
    records = []
    for total in totals:
        gap_label, gap_low, gap_high = _gap_label(total, known)
        head = _total_label(total)
        cited = _dated(total["source"], total["source_date"])
        conflict = bool(figure_parts) and gap_high is not None and gap_high < 0
        if not figure_parts:
            text = f"  {head} ({cited}): not split by crossing"
        else:
            start = head if pd.isna(total["total"]) else f"{int(total['total']):,}"
            sums = " − ".join([start, *(f"{v:,}" for v in known_values)])
            where = (
                f"the other {len(rest)} crossings named ({rest_names})"
                if len(rest)
                else "crossings not named"
            )
            text = f"  {head} ({cited}): {sums} = {gap_label} for {where}"
            if conflict:
                text += " — the per-crossing figures exceed this total"
        lines.append(text)
        records.append(
            {
                "event_date": when,
                "event_name": name,
                "total_label": head,
                "total_source": total["source"],
                "total_source_date": total["source_date"],
                "known": known,
                "gap_label": gap_label if figure_parts else "",
                "gap_low": gap_low if figure_parts else None,
                "gap_high": gap_high if figure_parts else None,
                "n_rest": len(rest),
                "rest": rest_names,
                "rest_ids": list(rest["id"]),
                "conflict": conflict,
            }
        )
    if len(rest) and figure_parts:
        lines.append("  (a bound shared by those crossings together, not a figure for any one)")
    table = pd.DataFrame(records)
    for column in ("gap_low", "gap_high"):
        table[column] = table[column].astype("Int64")
    return Reconciliation(table=table, summary="\n".join(lines))
