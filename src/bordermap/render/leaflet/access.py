"""The map for readers who do not see it: its name and summary, and the data table.

The map's container is a named region described by the spec's one-paragraph summary; a
"Data table" button opens a real ``<table>`` of every crossing — the figure on the map and
every published estimate with its source and date — built from the same spec as the map.
"""

from __future__ import annotations

from collections.abc import Sequence

from bordermap import i18n
from bordermap.render.leaflet.elements import StyleSheet, WebPart
from bordermap.safe import html_text, script_json
from bordermap.spec import Label, MapSpec, Source, Symbol, TimelineSpec

__all__ = ["AccessibleMap", "data_table_html"]


def data_table_html(spec: MapSpec) -> str:
    """The map's data as ``<table>`` markup: for a crossing map, each crossing with what the
    map shows and every published estimate with its source and date; for a time map, every
    step × crossing (the event alone and summed since the first, as the map shows them)
    and a second table of each event's published totals.

    Examples
    --------
    >>> import bordermap
    >>> html = data_table_html(bordermap.describe_crossings(bordermap.load_crossings()))
    >>> html.count("<tr>"), "no published figure" in html
    (6, True)
    >>> html = data_table_html(bordermap.describe_timeline(bordermap.event_series()))
    >>> html.count('<tr class="bm-step-row">'), html.count("<table")
    (20, 2)
    """
    if isinstance(spec, TimelineSpec):
        return _timeline_tables(spec)
    lang = spec.lang
    shown = _shown(spec.labels)
    rows = [
        f'<tr><th scope="row">{html_text(symbol.popup.heading)}</th>'
        f"<td>{html_text(shown.get(symbol.id, ''))}</td><td>{_estimates(symbol)}</td></tr>"
        for symbol in spec.symbols
        if symbol.kind == "crossing"
    ]
    head = [i18n.text(key, lang) for key in ("table_crossing", "table_shown", "table_estimates")]
    return _table(spec.title, head, rows)


def _timeline_tables(spec: TimelineSpec) -> str:
    """Every step × crossing, then each event's totals: all steps at once, so the table
    reads the same whichever step the map shows."""
    lang = spec.lang
    this_event, since = spec.step_names["this_event"], spec.step_names["since"]
    rows, totals = [], []
    for step in spec.steps:
        event, summed = _shown(step.event_labels), _shown(step.cumulative_labels)
        by_id = {symbol.id: symbol for symbol in step.cumulative}
        when = html_text(step.label)
        for symbol in step.event:
            if symbol.kind != "crossing":
                continue
            after = by_id.get(symbol.id)
            rows.append(
                f'<tr class="bm-step-row"><td>{when}</td>'
                f'<th scope="row">{html_text(symbol.popup.heading)}</th>'
                f"<td>{html_text(_shown_text(symbol, event, lang))}</td>"
                f"<td>{html_text(_shown_text(after, summed, lang) if after else '')}</td>"
                f"<td>{_estimates(symbol)}</td></tr>"
            )
        head_total = step.event_totals[0] if step.event_totals else None
        total = _cited(head_total.value, head_total.source) if head_total else ""
        summed_total = step.cumulative_total.value if step.cumulative_total else ""
        totals.append(
            f'<tr><th scope="row">{when}</th><td>{html_text(total)}</td>'
            f"<td>{html_text(summed_total)}</td></tr>"
        )
    head = [i18n.text("table_event", lang), i18n.text("table_crossing", lang), this_event, since]
    return _table(spec.title, [*head, i18n.text("table_estimates", lang)], rows) + _table(
        i18n.text("table_totals", lang), [i18n.text("table_event", lang), this_event, since], totals
    )


def _shown(labels: Sequence[Label]) -> dict[str, str]:
    """Crossing id → the figure or note the map writes beside it."""
    return {x.symbol: x.text for x in labels if x.role in ("figure", "note")}


def _shown_text(symbol: Symbol, shown: dict[str, str], lang: str) -> str:
    # A crossing no report of the event names is drawn faded with no note beside it.
    fallback = i18n.text("not_named", lang) if "unnamed" in symbol.tags else ""
    return shown.get(symbol.id, fallback)


def _cited(text: str, source: Source | None) -> str:
    """A figure followed by its source and date, as plain text."""
    parts = [p for p in (source.name, source.date_text) if p] if source else []
    return text + (f" ({', '.join(parts)})" if parts else "")


def _estimates(symbol: Symbol) -> str:
    """Every published estimate in the symbol's popup, each with its source and date."""
    items = [
        f"<li>{html_text(_cited(' '.join(row.cells), row.source))}</li>"
        for row in symbol.popup.rows
    ]
    return f"<ul>{''.join(items)}</ul>" if items else ""


def _table(caption: str, head: Sequence[str], rows: Sequence[str]) -> str:
    columns = "".join(f'<th scope="col">{html_text(text)}</th>' for text in head)
    return (
        f'<table class="bm-data-table"><caption>{html_text(caption)}</caption>'
        f"<thead><tr>{columns}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


_CSS = """
.bm-sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; }
.bm-table-button { font: bold 12px Arial, sans-serif; padding: 5px 9px; background: #fff;
  color: #222; border: 0; border-radius: 4px; box-shadow: 0 1px 4px rgba(0,0,0,0.3);
  cursor: pointer; min-height: 28px; }
.bm-table-button:focus-visible, .bm-table-panel button:focus-visible {
  outline: 3px solid #1a4f8b; }
.bm-table-panel { position: absolute; inset: 10px; z-index: 1100; background: #fff;
  overflow: auto; padding: 10px 14px; border-radius: 4px; box-shadow: 0 1px 6px rgba(0,0,0,.4);
  font: 12px/1.4 Arial, "Noto Sans CJK KR", "Noto Sans CJK SC", sans-serif; color: #222; }
.bm-table-panel[hidden] { display: none; }
.bm-data-table { border-collapse: collapse; width: 100%; }
.bm-data-table caption { text-align: start; font-weight: bold; font-size: 14px;
  padding-bottom: 6px; }
.bm-data-table th, .bm-data-table td { border-bottom: 1px solid #ccc; padding: 4px 6px;
  text-align: start; vertical-align: top; }
.bm-data-table ul { margin: 0; padding-inline-start: 16px; }
.leaflet-interactive[role=button]:focus { outline: none; stroke: #1a4f8b; stroke-width: 4px;
  stroke-opacity: 1; }
"""


class AccessibleMap(WebPart):
    """Names the map, attaches its summary, and adds the "Data table" button and panel."""

    scripts = ("accessible_map.js",)
    draw = "bordermapAccessibleMap"

    def __init__(self, spec: MapSpec) -> None:
        super().__init__()
        self._name = "AccessibleMap"
        self.add_child(StyleSheet(_CSS, name="AccessibleMapStyles"))
        lang = spec.lang
        self.text = {
            "name": html_text(i18n.text("map_name", lang).format(title=spec.title)),
            "summary": html_text(spec.summary or spec.title),
            "button": html_text(i18n.text("data_table", lang)),
            "close": html_text(i18n.text("close_table", lang)),
        }
        self.table = data_table_html(spec)

    def data_json(self) -> str:
        return script_json({"table": self.table, "text": self.text})
