"""Reading estimates, choosing the headline figure, and joining them onto crossings."""

from __future__ import annotations

import pandas as pd
import pytest

import bordermap
from bordermap import CrossingNotFound, ValidationError
from bordermap.inputs import bundled_path

from .conftest import DATA

OCTOBER = bundled_path("events/2023-10-09.csv")


@pytest.fixture(scope="module")
def crossings():
    return bordermap.load_crossings()


@pytest.fixture(scope="module")
def joined(crossings):
    return bordermap.join_estimates(crossings, bordermap.read_estimates(OCTOBER)).set_index("id")


def test_read_estimates_types_the_table():
    est = bordermap.read_estimates(OCTOBER)
    assert str(est["figure"].dtype) == "Int64"
    assert est["event_date"].dt.date.astype(str).unique().tolist() == ["2023-10-09"]
    assert est["_row"].tolist() == [2, 3, 4, 5, 6, 7]


def test_october_headline_figures(joined):
    assert joined.loc["tumen-onsong", "figure"] == 300
    assert joined.loc["dandong-sinuiju", "figure"] == 180
    assert joined.loc["dandong-sinuiju", "n_estimates"] == 3


@pytest.mark.parametrize("crossing", ["changbai-hyesan", "helong-musan", "hunchun-kyongwon"])
def test_crossings_without_a_published_figure_are_kept_and_unknown(joined, crossing):
    row = joined.loc[crossing]
    assert not row["has_figure"]
    assert pd.isna(row["figure"]) and pd.isna(row["source"])
    assert row["estimates"] == []


def test_every_input_row_is_behind_exactly_one_crossing(joined):
    rows = sorted(e["_row"] for ests in joined["estimates"] for e in ests)
    assert rows == [2, 3, 4, 5, 6, 7]


def test_join_resolves_any_spelling_and_keeps_ranges(crossings):
    joined = bordermap.join_estimates(crossings, DATA / "estimates_spellings.csv").set_index("id")
    assert joined.loc["tumen-onsong", "figure"] == 300
    dandong = joined.loc["dandong-sinuiju"]
    assert dandong["figure"] == 180 and dandong["n_estimates"] == 2
    hyesan = joined.loc["changbai-hyesan"]
    assert pd.isna(hyesan["figure"]) and hyesan["high"] == 40 and hyesan["qualifier"] == "up to"


def test_unknown_names_are_all_reported_with_rows_and_suggestions(crossings):
    with pytest.raises(CrossingNotFound) as info:
        bordermap.join_estimates(crossings, DATA / "estimates_unknown.csv")
    message = str(info.value)
    assert "estimates_unknown.csv" in message
    assert "row 3 'Onsongg' (closest: Onsong (tumen-onsong)" in message
    assert "row 4 'Sinuju' (closest: " in message and "(dandong-sinuiju)" in message


def test_the_hint_for_an_unknown_name_gives_the_users_own_crossings():
    """On a US–Mexico map the hint names Tijuana, never the bundled Korean spellings."""
    crossings = bordermap.load_crossings(DATA / "us_mexico" / "crossings.geojson")
    table = pd.DataFrame(
        {
            "event_date": ["2025-03-01"],
            "crossing": ["Nowhere"],
            "figure": [30],
            "source": ["X"],
            "source_date": ["2025-03-02"],
        }
    )
    with pytest.raises(CrossingNotFound) as info:
        bordermap.join_estimates(crossings, table)
    message = str(info.value)
    assert "(san-ysidro-tijuana, San Ysidro, Tijuana)" in message
    assert "Onsong" not in message and "온성" not in message


@pytest.mark.parametrize(
    ("rule", "prefer", "expected"),
    [
        ("latest", None, 180),
        ("max", None, 200),
        ("min", None, 60),
        ("median", None, 180),
        ("latest", "Asia Economy", 60),
        ("latest", ["korea joongang"], 200),
        ("latest", "nobody", 180),
    ],
)
def test_headline_rule_is_explicit(rule, prefer, expected):
    est = bordermap.read_estimates(OCTOBER)
    dandong = est[est["crossing"].str.lower().str.startswith("dandong")]
    assert bordermap.headline_figure(dandong, rule=rule, prefer=prefer)["figure"] == expected


def test_unknown_headline_rule_is_an_error():
    est = bordermap.read_estimates(OCTOBER)
    with pytest.raises(ValidationError, match="unknown headline rule"):
        bordermap.headline_figure(est, rule="mean")


def test_two_figures_from_one_source_for_one_crossing_is_an_error(crossings):
    table = pd.DataFrame(
        {
            "event_date": ["2023-10-09", "2023-10-09"],
            "crossing": ["Onsong", "Tumen"],
            "figure": [300, 250],
            "source": ["TJWG", "tjwg"],
            "source_date": ["2023-12-07", "2023-12-08"],
        }
    )
    with pytest.raises(ValidationError, match=r"rows 2 and 3"):
        bordermap.join_estimates(crossings, table)


def test_event_must_be_chosen_when_the_table_has_several(crossings):
    table = pd.DataFrame(
        {
            "event_date": ["2023-10-09", "2024-04-26"],
            "crossing": ["Onsong", "Tumen"],
            "figure": [300, 60],
            "source": ["TJWG", "HRW"],
            "source_date": ["2023-12-07", "2024-04-30"],
        }
    )
    with pytest.raises(ValidationError, match="2 events"):
        bordermap.join_estimates(crossings, table)
    one = bordermap.join_estimates(crossings, table, event="2024-04-26").set_index("id")
    assert one.loc["tumen-onsong", "figure"] == 60
    with pytest.raises(ValidationError, match="no estimates for this event"):
        bordermap.join_estimates(crossings, table, event="2020-01-01")


def test_dataframe_and_excel_inputs_give_the_same_join(crossings, tmp_path):
    frame = pd.read_csv(OCTOBER, dtype=str, keep_default_na=False)
    excel = tmp_path / "estimates.xlsx"
    frame.to_excel(excel, index=False)
    from_csv = bordermap.join_estimates(crossings, OCTOBER)
    for source in (frame, excel):
        other = bordermap.join_estimates(crossings, source)
        assert other["figure"].tolist() == from_csv["figure"].tolist()
        assert other["source"].tolist() == from_csv["source"].tolist()


def test_the_one_pass_latest_headline_is_headline_figure_per_crossing():
    import numpy as np

    from bordermap.model.estimates import headline_figure, latest_rows

    rng = np.random.default_rng(5)
    n = 400
    table = pd.DataFrame(
        {
            "crossing_id": rng.choice(["a", "b", "c"], n),
            "figure": pd.array(
                np.where(rng.random(n) < 0.3, None, rng.integers(1, 99, n)), dtype="Int64"
            ),
            "low": pd.array(rng.integers(0, 1, n), dtype="Int64"),
            "high": pd.array([None] * n, dtype="Int64"),
            "source": [f"s{i}" for i in range(n)],
            "source_date": pd.Timestamp("1969-12-25")
            + pd.to_timedelta(rng.integers(0, 15, n), unit="D"),
            "_row": rng.permutation(n) + 2,
        }
    )
    fast = latest_rows(table)
    for crossing, rows in table.groupby("crossing_id"):
        assert fast[crossing]["_row"] == headline_figure(rows)["_row"]


def test_thousands_of_unknown_names_make_one_short_line():
    n = 5000
    table = pd.DataFrame(
        {
            "event_date": ["2023-10-09"] * n,
            "crossing": [f"Nowhere{i}" for i in range(n)],
            "figure": ["1"] * n,
            "source": [f"s{i}" for i in range(n)],
            "source_date": ["2023-10-10"] * n,
        }
    )
    with pytest.raises(CrossingNotFound) as info:
        bordermap.join_estimates(bordermap.load_crossings(), table)
    message = str(info.value)
    assert message.startswith("<DataFrame>, field 'crossing': 5,000 names match no crossing")
    assert "row 21 'Nowhere19'" in message and "'Nowhere20'" not in message
    assert "and 4,980 more" in message and len(message) < 2000 and "\n" not in message
