"""Text a reader sees is what the data says; numbers and dates are what they claim (#22, 5–6).

Bidi controls and right-to-left names are isolated where they are composed with figures
(page, meta description, screen-reader summary, image legend); control characters, bytes,
non-text values and lone surrogates are refused with the field named; case categories a
legend could not tell apart are an error; dates lie in 1900–2100; precision_m is checked by
one function for crossings, facilities and cases.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
import shapely

import bordermap
from bordermap.describe.case_records import case_legend_entries, describe_cases
from bordermap.errors import ValidationError
from bordermap.safe import isolate

FSI, PDI, RLO, PDF = "\u2068", "\u2069", "\u202e", "\u202c"


def _estimate(**cells) -> pd.DataFrame:
    row = {
        "event_date": "2023-10-09",
        "crossing": "tumen-onsong",
        "figure": "300",
        "source": "TJWG",
        "source_date": "2023-12-07",
        **cells,
    }
    return pd.DataFrame([row], dtype=object)


def _page(crossings=None, **estimate) -> str:
    joined = bordermap.join_estimates(
        bordermap.load_crossings() if crossings is None else crossings, _estimate(**estimate)
    )
    return bordermap.to_html(bordermap.crossing_map(joined, tiles=None, title=f"Returns{RLO}"))


# --- 5. bidi isolation ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("Onsong", "Onsong"),  # cannot reorder its neighbours: unchanged
        ("온성", "온성"),
        (f"arrest{RLO}", f"{FSI}arrest{RLO}{PDF}{PDI}"),
        ("arrest\u2067", f"{FSI}arrest\u2067{PDI}{PDI}"),  # an unclosed isolate
        ("שלום", f"{FSI}שלום{PDI}"),
        ("٣٠٠", f"{FSI}٣٠٠{PDI}"),  # Arabic-Indic digits
    ],
)
def test_isolate_wraps_what_could_move_the_text_after_it(text, shown):
    assert isolate(text) == shown


def test_a_category_override_does_not_reverse_its_count_in_the_image_legend():
    table = pd.DataFrame({"lon": [129.9, 129.8], "lat": [42.9, 42.8], "k": [f"arrest{RLO}", "x"]})
    labels = [e.label for e in case_legend_entries(describe_cases(table, category="k"))]
    assert f"{FSI}arrest{RLO}{PDF}{PDI} (1)" in labels and "x (1)" in labels


def test_the_case_legend_in_the_page_puts_names_in_bdi():
    from importlib.resources import files

    script = files("bordermap.render.leaflet").joinpath("web/case_layer.js").read_text()
    assert 'createElement("bdi")' in script and "isolated(label, text" in script


def test_a_title_override_is_isolated_in_the_meta_description_and_summary():
    page = _page()
    meta = page.split('<meta property="og:description" content="', 1)[1].split('"', 1)[0]
    assert meta.startswith(f"{FSI}Returns{RLO}{PDF}{PDI}. ")


def test_a_source_override_is_isolated_in_the_tooltip_and_credit():
    page = _page(source=f"TJWG{RLO}")
    assert f"{FSI}TJWG{RLO}{PDF}{PDI}" in page


def test_a_right_to_left_name_is_isolated_before_its_figure_in_the_summary():
    crossings = bordermap.load_crossings()
    crossings.loc[crossings["id"] == "tumen-onsong", "label_en"] = "טומן"
    page = _page(crossings)
    assert f"{FSI}טומן{PDI} 300" in page


# --- 5. what text may hold ------------------------------------------------------------------

REFUSED_CELLS = [
    ("nul", "TJ\x00WG", "U+0000"),
    ("escape", "TJ\x1b[31mWG", "U+001B"),
    ("c1_control", "TJ\x85WG", "U+0085"),
    ("bytes", b"TJWG", "bytes, not text"),
    ("surrogate", "TJ\ud800WG", "lone surrogate"),
    ("dict", {"name": "TJWG"}, "a dict, not text"),
]


@pytest.mark.parametrize(
    ("value", "needle"), [c[1:] for c in REFUSED_CELLS], ids=[c[0] for c in REFUSED_CELLS]
)
def test_a_cell_that_is_not_showable_text_is_refused_with_its_field(value, needle):
    with pytest.raises(ValidationError) as info:
        bordermap.read_estimates(_estimate(source=value))
    assert "<DataFrame>, row 2, field 'source'" in str(info.value) and needle in str(info.value)


@pytest.mark.parametrize("value", [b"Onsong", "On\x00song", "On\ud800song"])
def test_a_crossing_name_that_is_not_showable_text_is_refused(value):
    crossings = bordermap.load_crossings().astype({"label_en": object})
    crossings.loc[0, "label_en"] = value
    with pytest.raises(ValidationError, match="field 'label_en'"):
        bordermap.load_crossings(crossings)


@pytest.mark.parametrize(
    ("names", "needle"),
    [
        (["arrest-transfer", "arrest\u2011transfer"], "look the same"),  # hyphen kinds
        (["transfer", "ｔｒａｎｓｆｅｒ"], "look the same"),  # full width (NFKC)
        (["a b", "a\u00a0 b"], "look the same"),  # spaces
        (["arrest", "arr\u200best"], "look the same"),  # a zero-width space
        (["arrest", "\u200b\u200d"], "invisible characters only"),
        (["arrest", "a\x00b"], "U+0000"),
    ],
)
def test_case_categories_a_legend_could_not_tell_apart_are_errors(names, needle):
    table = pd.DataFrame({"lon": [129.9, 129.8], "lat": [42.9, 42.8], "kind": names}, dtype=object)
    with pytest.raises(ValidationError) as info:
        bordermap.case_layer(table, category="kind")
    assert "record 2" in str(info.value) and "field 'kind'" in str(info.value)
    assert needle in str(info.value)


# --- 6. dates and precision -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "needle"),
    [
        ("event_date", "1600-01-01", "outside 1900-01-01 to 2100-12-31"),
        ("event_date", "0000-01-01", "outside 1900-01-01 to 2100-12-31"),
        ("source_date", "2300-01-01", "outside 1900-01-01 to 2100-12-31"),
        ("event_date", "1899-12-31", "outside 1900-01-01 to 2100-12-31"),
        ("event_date", "2023-02-30", "not a date"),
        ("source_date", "9999-12-31T23:59:59Z", "outside 1900-01-01 to 2100-12-31"),
    ],
)
def test_dates_are_calendar_dates_in_the_stated_range(field, value, needle):
    with pytest.raises(ValidationError) as info:
        bordermap.read_estimates(_estimate(**{field: value}))
    assert f"field '{field}'" in str(info.value) and needle in str(info.value)


def test_the_edges_of_the_date_range_are_dates():
    table = bordermap.read_estimates(_estimate(event_date="1900-01-01", source_date="2100-12-31"))
    assert str(table["event_date"].iloc[0].date()) == "1900-01-01"


@pytest.mark.parametrize("event", ["1600-01-01", "0000-01-01"])
def test_an_event_argument_outside_the_range_is_an_error(event):
    with pytest.raises(ValidationError, match=r"field 'event'.*outside"):
        bordermap.join_estimates(bordermap.load_crossings(), _estimate(), event=event)


def _facility(precision_m) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"id": ["f1"], "precision": ["city"], "precision_m": [precision_m], "country": ["CN"]},
        geometry=[shapely.Point(129.7, 42.9)],
        crs=4326,
    )


PRECISIONS = ["15 km", float("inf"), 1.7e308, 0, -5, 100_001, True]


@pytest.mark.parametrize("value", PRECISIONS, ids=[repr(v) for v in PRECISIONS])
@pytest.mark.parametrize("layer", ["facilities", "crossings", "cases"])
def test_precision_m_is_one_check_for_every_point_layer(layer, value):
    frame = _facility(value)
    with pytest.raises(ValidationError) as info:
        if layer == "facilities":
            bordermap.load_facilities(frame)
        elif layer == "crossings":
            bordermap.load_crossings(frame)
        else:
            bordermap.case_layer(frame)
    message = str(info.value)
    assert "field 'precision_m'" in message
    assert "positive number of metres, at most 100,000" in message


def test_precision_m_in_range_is_drawn():
    assert len(bordermap.load_facilities(_facility(15000))) == 1


# --- 5. long words and stacked marks stay in their boxes -------------------------------------

LONG_WORD = "Dandong" + "x" * 3000
MARKS = "Tumen" + "\u0301" * 2000


@pytest.fixture(scope="module")
def long_text_page(tmp_path_factory):
    crossings = bordermap.load_crossings()
    crossings.loc[crossings["id"] == "dandong-sinuiju", "label_en"] = LONG_WORD
    crossings.loc[crossings["id"] == "hunchun-kyongwon", "label_en"] = MARKS
    path = tmp_path_factory.mktemp("long") / "long.html"
    joined = bordermap.join_estimates(crossings, _estimate(source="TJWG" + "W" * 3000))
    bordermap.save(bordermap.crossing_map(joined, tiles=None), path, offline=True)
    return path


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (390, 844)])
def test_long_words_wrap_or_are_cut_inside_their_boxes(long_text_page, open_html, width, height):
    """A 3,000-letter source wraps inside the credit (at most eight lines); a 3,000-letter
    name is cut with an ellipsis on the map; 2,000 combining marks stay in their label; the
    whole text stays in the page's data table."""
    opened = open_html(long_text_page, width=width, height=height)
    page = opened.page
    page.wait_for_timeout(300)
    boxes = page.evaluate(
        """() => [...document.querySelectorAll('.bm-panel, .bm-name span')]
          .filter(e => e.offsetParent !== null)
          .map(e => { const r = e.getBoundingClientRect();
            return {cls: e.className, text: e.textContent.slice(0, 12), left: r.left,
                    right: r.right, top: r.top, bottom: r.bottom}; })"""
    )
    assert boxes, "no panel or label drawn"
    for box in boxes:
        assert box["right"] - box["left"] <= min(width, 560), box
        assert box["bottom"] - box["top"] <= height / 2, box
    credit = page.evaluate("document.querySelector('.bm-credit').getBoundingClientRect().height")
    assert credit <= 8 * 20 + 40
    assert LONG_WORD in page.evaluate("document.body.textContent")
    assert not opened.errors
