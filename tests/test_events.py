"""The series of events: sourced tables, the multi-event join, and reconciliation."""

from __future__ import annotations

import pandas as pd
import pytest

import bordermap
from bordermap import CrossingNotFound, ValidationError
from bordermap.cli import main
from bordermap.inputs import bundled_path

OCTOBER = bundled_path("events/2023-10-09.csv")


@pytest.fixture(scope="module")
def crossings():
    return bordermap.load_crossings()


@pytest.fixture(scope="module")
def events():
    return bordermap.load_events()


@pytest.fixture(scope="module")
def series(crossings):
    return bordermap.event_series(crossings)


def two_events() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "event_date": ["2023-10-09", "2023-10-09", "2024-04-26"],
            "crossing": ["Onsong", "Dandong", "Tumen"],
            "figure": [300, 180, 100],
            "source": ["TJWG", "TJWG", "Test source"],
            "source_date": ["2023-12-07", "2023-12-07", "2024-05-01"],
        }
    )


# --- the bundled tables -------------------------------------------------------------------


def test_four_dated_events_in_order(events):
    assert events["event_date"].dt.date.astype(str).tolist() == [
        "2023-08-29",
        "2023-09-18",
        "2023-10-09",
        "2024-04-26",
    ]
    assert events["name"].tolist()[2] == "9 October 2023"


@pytest.mark.parametrize(
    ("date", "total", "qualifier", "source", "n_totals"),
    [
        ("2023-08-29", 80, "", "Human Rights Watch", 1),
        ("2023-09-18", 40, "", "Human Rights Watch", 1),
        ("2023-10-09", 500, "over", "Human Rights Watch", 3),
        ("2024-04-26", 60, "about", "Human Rights Watch", 3),
    ],
)
def test_headline_total_of_each_event_names_its_source(
    events, date, total, qualifier, source, n_totals
):
    row = events.set_index("event_date").loc[date]
    assert row["total"] == total and row["qualifier"] == qualifier
    assert row["total_source"].startswith(source)
    assert row["n_totals"] == n_totals


@pytest.mark.parametrize(
    ("rule", "prefer", "expected"),
    [
        ("latest", None, ("60", "about")),
        ("max", None, ("200", "over")),
        ("latest", "Radio Free Asia", ("<NA>", "range")),
        ("latest", "Liberation Front", ("200", "over")),
    ],
)
def test_headline_total_rule_is_configurable(rule, prefer, expected):
    april = (
        bordermap.load_events(rule=rule, prefer=prefer).set_index("event_date").loc["2024-04-26"]
    )
    assert (str(april["total"]), april["qualifier"]) == expected


def test_october_totals_include_tjwg_up_to_600(events):
    october = events.set_index("event_date").loc["2023-10-09"]
    published = {(t["source"][:15], t["total"], t["qualifier"]) for t in october["totals"]}
    assert ("Transitional Ju", 600, "up to") in published
    assert ("Radio Free Asia", 500, "over") in published


def test_crossings_named_per_event(events):
    named = dict(
        zip(events["event_date"].dt.date.astype(str), events["crossings_named"], strict=True)
    )
    assert named["2023-08-29"] == [] and named["2023-09-18"] == []
    assert len(named["2023-10-09"]) == 5
    assert named["2024-04-26"] == ["dandong-sinuiju"]


def test_every_total_and_event_row_is_sourced():
    totals = pd.read_csv(bundled_path("events/totals.csv"), dtype=str, keep_default_na=False)
    table = pd.read_csv(bundled_path("events/events.csv"), dtype=str, keep_default_na=False)
    for frame in (totals, table):
        assert (frame["source"].str.strip() != "").all()
    # A total with no publication date says so in its notes.
    undated = totals[totals["source_date"] == ""]
    assert undated["notes"].str.contains("date").all()


def test_no_per_crossing_figure_is_invented_for_events_known_only_by_totals():
    est = bordermap.read_event_estimates()
    assert est["event_date"].dt.date.astype(str).unique().tolist() == ["2023-10-09"]


def test_cumulative_counts_and_worker_returns_are_not_events():
    totals = bordermap.read_totals()
    assert not totals["total"].isin([406, 1076]).any()
    assert set(totals["event_date"].dt.date.astype(str)) == {
        "2023-08-29",
        "2023-09-18",
        "2023-10-09",
        "2024-04-26",
    }
    cumulative = pd.read_csv(bundled_path("events/cumulative.csv"), dtype=str)
    assert cumulative["total"].tolist() == ["406", "1076"]


# --- validation ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"source": ""}, "every figure needs its source"),
        ({"total": ""}, "total, low and high are all empty"),
        ({"total": "", "low": "60", "high": "50"}, "low (60) is greater than high (50)"),
        ({"total": "sixty"}, "not a number of people"),
        ({"event_date": "26/04/2024"}, "not a date"),
        ({"qualifier": "roughly"}, "unknown qualifier"),
    ],
)
def test_bad_totals_name_row_and_field(change, message):
    row = {"event_date": "2024-04-26", "total": "60", "low": "", "high": "", "source": "HRW"}
    row.update(change)
    with pytest.raises(ValidationError, match="row 2") as info:
        bordermap.read_totals(pd.DataFrame([row]))
    assert message in str(info.value)


def test_event_listed_twice_is_an_error():
    table = pd.DataFrame(
        {"event_date": ["2024-04-26", "2024-04-26"], "name": ["a", "b"], "source": ["x", "y"]}
    )
    with pytest.raises(ValidationError, match=r"row 3.*listed twice"):
        bordermap.read_events(table)


def test_event_naming_an_unknown_crossing_is_an_error(crossings):
    table = pd.DataFrame(
        {
            "event_date": ["2024-04-26"],
            "name": ["April"],
            "crossings_named": ["dandong-sinuiju;Atlantis"],
            "source": ["x"],
        }
    )
    events = bordermap.load_events(table)
    with pytest.raises(CrossingNotFound, match="Atlantis"):
        bordermap.event_series(crossings, events=events)


# --- join_estimates with several events ---------------------------------------------------


def test_single_event_join_keeps_its_shape(crossings):
    one = bordermap.join_estimates(crossings, OCTOBER)
    assert "event_date" not in one.columns and len(one) == 5
    assert one.attrs["event"] == "2023-10-09"


@pytest.mark.parametrize(
    "event", ["all", ["2023-10-09", "2024-04-26"], ("2024-04-26", "2023-10-09")]
)
def test_multi_event_join_is_one_row_per_crossing_per_event(crossings, event):
    long = bordermap.join_estimates(crossings, two_events(), event=event)
    assert len(long) == 10
    assert long.attrs["events"] == ["2023-10-09", "2024-04-26"]
    figures = long.set_index(["event_date", "id"])["figure"]
    assert figures.loc[(pd.Timestamp("2023-10-09"), "tumen-onsong")] == 300
    assert figures.loc[(pd.Timestamp("2024-04-26"), "tumen-onsong")] == 100
    assert pd.isna(figures.loc[(pd.Timestamp("2024-04-26"), "dandong-sinuiju")])


def test_multi_event_join_applies_the_headline_rule_per_event(crossings):
    table = pd.concat(
        [
            pd.read_csv(OCTOBER, dtype=str, keep_default_na=False),
            two_events().iloc[[2]].astype(str),
        ],
        ignore_index=True,
    ).fillna("")
    long = bordermap.join_estimates(crossings, table, event="all", rule="max")
    dandong = long[(long["id"] == "dandong-sinuiju")].set_index("event_date")
    assert dandong.loc["2023-10-09", "figure"] == 200
    long = bordermap.join_estimates(crossings, table, event="all", prefer="Asia Economy")
    dandong = long[(long["id"] == "dandong-sinuiju")].set_index("event_date")
    assert dandong.loc["2023-10-09", "figure"] == 60


def test_multi_event_join_rejects_an_unknown_date_unless_asked(crossings):
    with pytest.raises(ValidationError, match="no estimates for this event"):
        bordermap.join_estimates(crossings, two_events(), event=["2023-10-09", "2020-01-01"])
    long = bordermap.join_estimates(
        crossings, two_events(), event=["2023-10-09", "2020-01-01"], missing="empty"
    )
    assert not long[long["event_date"] == "2020-01-01"]["has_figure"].any()


def test_event_series_covers_every_event_and_crossing(series):
    assert len(series) == 20
    april = series[series["event_date"] == "2024-04-26"].set_index("id")
    assert april["named"].to_dict() == {
        "dandong-sinuiju": True,
        "changbai-hyesan": False,
        "helong-musan": False,
        "tumen-onsong": False,
        "hunchun-kyongwon": False,
    }
    assert not april["has_figure"].any()
    assert (april["event_total"] == 60).all()
    october = series[series["event_date"] == "2023-10-09"]
    assert october["named"].all() and october["has_figure"].sum() == 2


def test_event_series_chooses_events(crossings):
    two = bordermap.event_series(crossings, event=["2023-10-09", "2024-04-26"])
    assert two["event_date"].nunique() == 2
    with pytest.raises(ValidationError, match="no such event"):
        bordermap.event_series(crossings, event=["2023-10-10"])


# --- reconcile ----------------------------------------------------------------------------


def test_reconcile_october_leaves_at_most_120_for_three_crossings(series):
    result = bordermap.reconcile("2023-10-09", series=series)
    table = result.table.set_index(result.table["total_source"].str[:15])
    tjwg = table.loc["Transitional Ju"]
    assert (tjwg["total_label"], tjwg["known"], tjwg["gap_high"]) == ("up to 600", 480, 120)
    assert tjwg["gap_label"] == "at most 120" and pd.isna(tjwg["gap_low"])
    assert tjwg["n_rest"] == 3
    assert sorted(tjwg["rest_ids"]) == ["changbai-hyesan", "helong-musan", "hunchun-kyongwon"]
    rfa = table.loc["Radio Free Asia"]
    assert (rfa["gap_label"], rfa["gap_low"]) == ("at least 20", 20)
    assert not table["conflict"].any()
    assert "600 − 300 − 180 = at most 120 for the other 3 crossings named" in result.summary
    assert str(result) == result.summary


def test_reconcile_follows_the_headline_rule():
    result = bordermap.reconcile("2023-10-09", rule="max")
    assert "600 − 300 − 200 = at most 100" in result.summary


def test_reconcile_flags_figures_above_a_total(crossings):
    long = bordermap.join_estimates(crossings, two_events(), event="all")
    long["event_name"] = "test"
    long["named"] = long["has_figure"]
    long["event_totals"] = [
        [
            {
                "total": 400,
                "low": None,
                "high": None,
                "qualifier": "up to",
                "source": "Somebody",
                "source_date": pd.NaT,
            }
        ]
    ] * len(long)
    row = bordermap.reconcile("2023-10-09", series=long).table.iloc[0]
    assert row["gap_label"] == "at most -80" and bool(row["conflict"])


def test_reconcile_event_without_per_crossing_figures(series):
    result = bordermap.reconcile("2024-04-26", series=series)
    assert "no per-crossing figure has been published" in result.summary
    assert result.summary.count("not split by crossing") == 3
    assert result.table["gap_label"].eq("").all()


def test_reconcile_unknown_event_lists_the_events(series):
    with pytest.raises(ValidationError, match="2023-08-29, 2023-09-18"):
        bordermap.reconcile("2022-01-01", series=series)


# --- command line -------------------------------------------------------------------------


def test_cli_renders_the_series(tmp_path):
    out = tmp_path / "series.html"
    assert main(["render", "--events", "all", "-o", str(out), "--offline"]) == 0
    page = out.read_text(encoding="utf-8")
    assert "bm-timeline" in page and "26 April 2024" in page and "cdn.jsdelivr" not in page


def test_cli_unknown_event_is_one_line_exit_2(tmp_path, capsys):
    out = tmp_path / "series.html"
    assert main(["render", "--events", "2023-10-10", "-o", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "2023-10-10" in err[0] and "2024-04-26" in err[0]
    assert not out.exists()
