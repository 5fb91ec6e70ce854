"""Hostile text stays text: every payload of tests/data/injection.txt, in every text field.

Two layers. For each payload, a map with that payload in every text field is rendered and
the HTML checked: the raw markup never appears, template syntax is not evaluated. Then maps
with the payloads spread over every field (crossing names in each language, facilities,
estimate source/notes/url, event names and totals, title, subtitle, credit, command-line
arguments and file names, the time map) are opened in headless Chromium: every popup is
clicked, every tooltip hovered, the layer control read. Nothing may open a dialog, raise a
page error, make a request or add an event-handler attribute, and each payload must read
literally where it is shown.
"""

from __future__ import annotations

import itertools
from xml.etree import ElementTree

import geopandas as gpd
import pandas as pd
import pytest

import bordermap
from bordermap.cli import main
from bordermap.export.outputs import images_bytes
from bordermap.inputs import bundled_path, read_table
from bordermap.safe import html_text

from .conftest import DATA

_LINES = (DATA / "injection.txt").read_text(encoding="utf-8").split("\n")
PAYLOADS = [line for line in _LINES if line and not line.startswith("# ")]
PAYLOADS.append(PAYLOADS[0] * 2000)  # a very long string (50 000 characters)

CROSSING_TEXT = ("label_en", "label_ko", "label_zh", "site", "coord_source", "coord_note")
FACILITY_TEXT = ("name_en", "name_ko", "name_zh", "kind", "source", "coord_source")
ESTIMATE_TEXT = ("source", "notes", "url")
EVENT_TEXT = ("name", "description", "source", "url", "notes")
TOTAL_TEXT = ("source", "url", "notes")
ROUTE_TEXT = ("source", "url", "notes")


def _normal(text: str) -> str:
    return " ".join(text.split())


class Filler:
    """Hands out payloads in turn, so a map holds every payload and each field gets one."""

    def __init__(self, offset: int) -> None:
        self._cycle = itertools.cycle(PAYLOADS[offset:] + PAYLOADS[:offset])
        self.shown: set[str] = set()  # payloads put into fields the reader sees as text

    def __call__(self, shown: bool = True) -> str:
        value = next(self._cycle)
        if shown:
            self.shown.add(value)
        return value


def _crossings(fill, lang: str):
    crossings = bordermap.load_crossings()
    for column in CROSSING_TEXT:
        shown = column in ("site", "coord_source", "coord_note", f"label_{lang}")
        crossings[column] = [fill(shown) for _ in range(len(crossings))]
    return crossings


def _facilities(fill, lang: str):
    facilities = bordermap.load_facilities()
    for column in FACILITY_TEXT:
        shown = column in ("kind", "source", "coord_source", f"name_{lang}")
        facilities[column] = [fill(shown) for _ in range(len(facilities))]
    return facilities


def _estimates(fill, crossing_ids, event_date: str = "2023-10-09") -> pd.DataFrame:
    rows = []
    for i, crossing in enumerate(crossing_ids):
        for n in range(2):
            rows.append(
                {
                    "event_date": event_date,
                    "crossing": crossing,
                    "figure": str(100 + 10 * i + n),
                    "source": fill() + f" #{i}.{n}",
                    "source_date": "2023-12-07",
                    "url": fill(shown=False) if n else "https://example.org/a?b=1&c=<x>",
                    "notes": fill(),
                }
            )
    return pd.DataFrame(rows)


def _routes(fill) -> pd.DataFrame:
    """The bundled routes with payloads in their free text (status is a vocabulary)."""
    routes = read_table(bundled_path("routes.csv")).drop(columns="_row")
    for column in ROUTE_TEXT:
        routes[column] = [fill(column != "url") for _ in range(len(routes))]
    return routes


def _same_everywhere(payload: str):
    """Crossings, facilities and estimates with one payload in every text field."""
    crossings = bordermap.load_crossings()
    for column in CROSSING_TEXT:
        crossings[column] = [f"{payload} #{i}" for i in range(len(crossings))]
    facilities = bordermap.load_facilities()
    for column in FACILITY_TEXT:
        facilities[column] = payload
    table = _estimates(lambda shown=True: payload, crossings["id"])
    table["source"] = [f"{payload} #{i}" for i in range(len(table))]
    return crossings, facilities, table


@pytest.mark.parametrize("payload", PAYLOADS, ids=[f"p{i}" for i in range(len(PAYLOADS))])
def test_payload_in_every_field_never_reaches_the_html_raw(payload):
    crossings, facilities, table = _same_everywhere(payload)
    joined = bordermap.join_estimates(crossings, table)
    m = bordermap.crossing_map(
        joined, facilities, title=payload, subtitle=payload, credit=payload, tiles=None
    )
    page = bordermap.to_html(m)
    if "<" in payload:
        assert payload not in page
        # Inside the JSON handed to the page, strings are HTML the page will insert: with the
        # JSON escapes undone, the payload must still be escaped markup. (The metadata block
        # holds raw text: it is data no script reads as HTML.)
        head, _, rest = page.partition('id="bordermap-metadata">')
        inserted = head + rest.partition("</script>")[2]
        for escaped, raw in (("\\u003c", "<"), ("\\u003e", ">"), ('\\"', '"'), ("\\u0026", "&")):
            inserted = inserted.replace(escaped, raw)
        assert payload not in inserted
    if "{{" in payload or "{%" in payload:
        assert payload in page.replace("\\u003c", "<").replace("\\u003e", ">")
    assert "ZZZ" not in page  # {% for %} never ran
    assert "<script>alert" not in page and "<svg" not in page and "<img" not in page
    assert f"<title>{html_text(payload)}</title>" in page


def test_payload_in_the_time_map_never_reaches_the_html_raw():
    for payload in PAYLOADS:
        if "<" not in payload:
            continue
        crossings, facilities, table = _same_everywhere(payload)
        long = bordermap.join_estimates(crossings, table, event="all")
        m = bordermap.timeline_map(long, facilities, title=payload, subtitle=payload, tiles=None)
        page = bordermap.to_html(m)
        assert payload not in page and "<script>alert" not in page


def test_a_bidi_override_in_a_name_ends_with_the_name():
    crossings = bordermap.load_crossings()
    crossings.loc[crossings["id"] == "tumen-onsong", "label_en"] = "Tumen \u202eOnsong"
    table = pd.DataFrame(
        [
            {
                "event_date": "2023-10-09",
                "crossing": "tumen-onsong",
                "figure": "300",
                "source": "TJWG",
                "source_date": "2023-12-07",
            }
        ]
    )
    joined = bordermap.join_estimates(crossings, table)
    page = bordermap.to_html(bordermap.crossing_map(joined, tiles=None))
    # The override is closed (U+202C) and the name isolated (U+2068…U+2069) before ": 300",
    # so the figure is not shown as "003".
    assert "\u2068Tumen \u202eOnsong\u202c\u2069: 300" in page


def test_template_syntax_in_every_field_stays_as_typed():
    crossings, facilities, table = _same_everywhere(
        "{{ 7*7 }} {% for x in range(3) %}Z{% endfor %}"
    )
    joined = bordermap.join_estimates(crossings, table)
    m = bordermap.crossing_map(
        joined, facilities, title="{{ 7*7 }}", credit="{{ 7*7 }}", tiles=None
    )
    page = bordermap.to_html(m)
    assert page.count("{{ 7*7 }}") >= 20 and "ZZZ" not in page


def _interact(opened) -> str:
    """Click every popup, hover every tooltip; return all the text a reader was shown."""
    page = opened.page
    page.wait_for_selector(".leaflet-control-layers")
    seen = [page.locator(".leaflet-control-container").inner_text()]
    for marker in page.locator("path.leaflet-interactive").all():
        marker.dispatch_event("mouseover")
        # A closed popup or tooltip fades out for 200 ms: the newest is the last one.
        tips = page.locator(".leaflet-tooltip")
        if tips.count():
            seen.append(tips.last.inner_text())
        marker.dispatch_event("mouseout")
        marker.dispatch_event("click")
        popup = page.locator(".leaflet-popup-content")
        if popup.count():
            seen.append(popup.last.inner_text())
            page.locator(".leaflet-popup-close-button").last.dispatch_event("click")
    seen.append(page.locator(".leaflet-marker-pane").inner_text())
    return _normal("\n".join(seen))


def _assert_inert(opened, source: str) -> None:
    page = opened.page
    assert opened.dialogs == [], opened.dialogs
    assert opened.errors == [], opened.errors
    assert opened.requests == [], opened.requests
    handlers = page.evaluate(
        """() => Array.from(document.querySelectorAll('*')).flatMap(el =>
             Array.from(el.attributes).filter(a => a.name.startsWith('on'))
               .map(a => el.tagName + ' ' + a.name))"""
    )
    assert handlers == []
    assert page.locator("iframe, img:not(.leaflet-tile), math").count() == 0
    hrefs = page.evaluate("() => Array.from(document.links).map(a => a.getAttribute('href'))")
    # Leaflet's own buttons link to "#…"; every data link is http(s).
    assert all(h.startswith(("https://", "http://", "#")) for h in hrefs), hrefs
    # Every <script> in the page is one the file itself holds: none was injected.
    assert page.locator("script").count() == source.count("<script")


def _assert_literal(shown: set[str], text: str) -> None:
    for payload in shown:
        assert _normal(payload) in text, f"{payload[:60]!r} does not read literally"


@pytest.mark.browser
@pytest.mark.parametrize(("lang", "offset"), [("ko", 3), ("zh", 11)])
def test_library_map_in_every_language_runs_nothing(open_html, tmp_path, lang, offset):
    fill = Filler(offset)
    crossings = _crossings(fill, lang)
    facilities = _facilities(fill, lang)
    table = _estimates(fill, crossings["id"])
    routes = _routes(fill)
    title, subtitle, credit = fill(), fill(), fill()
    joined = bordermap.join_estimates(crossings, table)
    m = bordermap.crossing_map(
        joined,
        facilities,
        title=title,
        subtitle=subtitle,
        credit=credit,
        lang=lang,
        tiles=None,
        routes=routes,
    )
    path = bordermap.save(m, tmp_path / "map.html", offline=True)
    opened = open_html(path)
    text = _interact(opened)
    _assert_inert(opened, path.read_text(encoding="utf-8"))
    _assert_literal(fill.shown, text)
    assert opened.page.title() == title


@pytest.mark.browser
def test_command_line_arguments_and_files_run_nothing(open_html, tmp_path):
    fill = Filler(7)
    crossings = _crossings(fill, "en")
    facilities = _facilities(fill, "en")
    table = _estimates(fill, crossings["id"])
    files = {
        "crossings": tmp_path / "crossings.geojson",
        "facilities": tmp_path / "facilities.geojson",
        # A file name is text too: it goes into the map's metadata block.
        "estimates": tmp_path / "<img src=x onerror=alert(1)>{{ 7*7 }}.csv",
    }
    gpd.GeoDataFrame(crossings).to_file(files["crossings"])
    gpd.GeoDataFrame(facilities).to_file(files["facilities"])
    table.to_csv(files["estimates"], index=False)
    title, subtitle = fill(), fill()
    out = tmp_path / "map.html"
    args = ["render", "-o", str(out), "--offline", "--title", title, "--subtitle", subtitle]
    args += [item for key, path in files.items() for item in (f"--{key}", str(path))]
    assert main(args) == 0
    assert "{{ 7*7 }}.csv" in out.read_text(encoding="utf-8")
    opened = open_html(out)
    text = _interact(opened)
    _assert_inert(opened, out.read_text(encoding="utf-8"))
    _assert_literal(fill.shown, text)


def _events(fill, dates: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    events = pd.DataFrame(
        [
            {
                "event_date": d,
                "name": fill(),
                "description": fill(shown=False),
                "crossings_named": "tumen-onsong;dandong-sinuiju",
                "places_named": fill(shown=False),
                "source": fill(shown=False),
                "source_date": "2023-12-07",
                "url": fill(shown=False),
                "notes": fill(shown=False),
            }
            for d in dates
        ]
    )
    totals = pd.DataFrame(
        [
            {
                "event_date": d,
                "total": str(total),
                "qualifier": "up to",
                "source": fill() + f" #{d}.{total}",
                "source_date": "2023-12-07",
                "url": fill(shown=False),
                "notes": fill(shown=False),
            }
            for d in dates
            for total in (900, 950)
        ]
    )
    return events, totals


@pytest.mark.browser
def test_time_map_runs_nothing_at_any_step_or_view(open_html, tmp_path):
    fill = Filler(17)
    dates = ["2023-10-09", "2024-04-26"]
    crossings = _crossings(fill, "en")
    facilities = _facilities(fill, "en")
    table = pd.concat([_estimates(fill, crossings["id"][:3], d) for d in dates])
    events_table, totals_table = _events(fill, dates)
    events = bordermap.load_events(events_table, totals_table)
    series = bordermap.event_series(crossings, table, events)
    title, subtitle = fill(), fill()
    m = bordermap.timeline_map(series, facilities, title=title, subtitle=subtitle, tiles=None)
    path = bordermap.save(m, tmp_path / "series.html", offline=True)
    opened = open_html(path)
    page = opened.page
    seen = []
    for mode in ("event", "cumulative"):
        page.locator(f"input[name=bm-mode][value={mode}]").check()
        page.locator("input.bm-range").fill("0")
        for step in range(len(dates)):
            if step:
                page.locator(".bm-next").click()
            seen.append(_interact(opened))
    _assert_inert(opened, path.read_text(encoding="utf-8"))
    _assert_literal(fill.shown, " ".join(seen))


def test_static_image_draws_every_payload_as_typed():
    """The print image (matplotlib): "$…$" is not TeX, markup is XML-escaped text."""
    fill = Filler(5)
    crossings = _crossings(fill, "en")
    facilities = _facilities(fill, "en")
    table = _estimates(fill, crossings["id"])
    title, subtitle = fill(), fill()
    joined = bordermap.join_estimates(crossings, table)
    m = bordermap.crossing_map(
        joined, facilities, title=title, subtitle=subtitle, tiles=None, routes=_routes(fill)
    )
    svg = images_bytes(m, ["svg"])["svg"].decode("utf-8")
    root = ElementTree.fromstring(svg)
    assert not [el for el in root.iter() if el.tag.endswith(("script", "foreignObject"))]
    assert not [a for el in root.iter() for a in el.attrib if a.lower().startswith("on")]
    drawn = _normal(" ".join(t for el in root.iter() for t in (el.text,) if t))
    for payload in (title, subtitle):
        assert _normal(payload) in drawn, payload[:60]


# Characters that are not allowed in XML 1.0 or that drive a terminal.
CONTROLS = ["\x0b", "\x0c", "\x1b[31m", "\x07", "\x00", "\x7f", "\x85", "\x9b2J", "\x1f"]


def test_control_characters_leave_no_image_invalid_and_reach_no_terminal(tmp_path, capsys):
    """VT, FF, ESC, BEL, NUL, DEL and C1 controls in every drawn or metadata text: the SVG is
    well-formed XML, the PDF and PNG carry none of them, the terminal sees none raw."""
    payload = "Ctl" + "".join(CONTROLS) + "end"
    # In data, control characters are refused with the field named (issue #22, class 5);
    # a title or subtitle argument is drawn without them.
    with pytest.raises(bordermap.ValidationError, match="field 'label_en'"):
        bordermap.load_crossings(bordermap.load_crossings().assign(label_en=f"Onsong {payload}"))
    crossings = bordermap.load_crossings()
    facilities = bordermap.load_facilities()
    joined = bordermap.join_estimates(
        crossings, _estimates(lambda shown=True: "x", crossings["id"])
    )
    m = bordermap.crossing_map(
        joined, facilities, title=payload, subtitle=payload, tiles=None, routes=False
    )
    drawn = bordermap.export.outputs.images_bytes(m, ["svg", "pdf", "png"])
    root = ElementTree.fromstring(drawn["svg"])  # raises on malformed XML
    text = " ".join(t for el in root.iter() for t in (el.text, *el.attrib.values()) if t)
    assert "Ctl[31m2Jend" in text.replace(" ", "")  # the text itself is drawn
    from io import BytesIO

    from PIL import Image
    from pypdf import PdfReader

    reader = PdfReader(BytesIO(drawn["pdf"]))
    pdf_text = str(reader.metadata) + "".join(page.extract_text() for page in reader.pages)
    png_text = str(Image.open(BytesIO(drawn["png"])).info)
    for where, found in (("svg", text), ("pdf", pdf_text), ("png", png_text)):
        for control in CONTROLS:
            assert control[0] not in found, (where, control)
    # On the command line, a title with controls draws and prints nothing raw.
    out = tmp_path / "m.svg"
    assert main(["render", "--svg", str(out), "--title", payload]) == 0
    ElementTree.fromstring(out.read_bytes())
    err = capsys.readouterr().err
    assert not any(control[0] in err for control in CONTROLS)
