"""Properties of name folding and the join, for generated names and estimates tables."""

from __future__ import annotations

import re
import unicodedata

import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bordermap.errors import CrossingNotFound
from bordermap.estimates import join_estimates
from bordermap.gazetteer import normalize_name
from bordermap.io import bundled_path
from bordermap.layers import load_crossings

CROSSINGS = load_crossings()
GAZETTEER = pd.read_csv(bundled_path("gazetteer.csv"), dtype=str)
GAZETTEER = GAZETTEER[GAZETTEER["crossing"].isin(set(CROSSINGS["id"]))]
SPELLINGS = list(zip(GAZETTEER["name"], GAZETTEER["crossing"], strict=True))
FAST = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)


def _accented(text: str) -> str:
    """Latin vowels with a breve or an acute, as McCune–Reischauer and French keyboards give."""
    marks = {"o": "\u0306", "u": "\u0306", "e": "\u0301", "a": "\u0301"}
    return unicodedata.normalize("NFC", "".join(c + marks.get(c.lower(), "") for c in text))


@st.composite
def variant(draw, name: str) -> str:
    """A spelling as someone might type it: other case, accents, a hyphen or space between
    letters of one word, padding."""
    text = draw(st.sampled_from([name, name.upper(), name.lower(), name.title(), _accented(name)]))
    if len(text) > 2 and draw(st.booleans()):
        cut = draw(st.integers(1, len(text) - 1))
        text = text[:cut] + draw(st.sampled_from(["-", " ", "‐", "  "])) + text[cut:]
    return draw(st.sampled_from(["", " ", "\t"])) + text + draw(st.sampled_from(["", " "]))


@pytest.mark.parametrize(("name", "crossing"), SPELLINGS, ids=[s[0] for s in SPELLINGS])
@settings(max_examples=15, deadline=None, derandomize=True)
@given(data=st.data())
def test_every_bundled_spelling_folds_the_same_however_typed(name, crossing, data):
    typed = data.draw(variant(name))
    assert normalize_name(typed) == normalize_name(name), typed


# Administrative words and suffixes are where folding strips, so they are generated often.
_TAILS = st.sampled_from(
    ["", " county", " si", "-gun", "군", "시", "市", "縣", "로동자구", " to x"]
)
NAMES = st.builds(
    lambda head, tails: head + "".join(tails),
    st.text(max_size=20) | st.sampled_from([s[0] for s in SPELLINGS]),
    st.lists(_TAILS, max_size=3),
)


@FAST
@example("평양군시")  # a suffix before a suffix: once stripped only one of them
@example("가가시시")
@given(NAMES)
def test_normalize_name_is_idempotent(text):
    once = normalize_name(text)
    assert normalize_name(once) == once


UNKNOWN = st.from_regex(r"Zq[xz]{1,4}[0-9]{0,2}", fullmatch=True)


@st.composite
def estimates_table(draw, unknown: bool):
    """Rows over the bundled crossings in random spellings; unique sources and dates, so the
    headline is one row whatever the order; some unknown names when asked."""
    n = draw(st.integers(1, 12))
    rows, expected = [], []
    for k in range(n):
        if unknown and draw(st.integers(0, 3)) == 0:
            name, crossing = draw(UNKNOWN), None
        else:
            spelling, crossing = draw(st.sampled_from(SPELLINGS))
            name = draw(variant(spelling))
        rows.append(
            {
                "event_date": "2023-10-09",
                "crossing": name,
                "figure": str(draw(st.integers(0, 5000))),
                "source": f"Source {k}",
                "source_date": (pd.Timestamp("2023-10-10") + pd.Timedelta(days=k))
                .date()
                .isoformat(),
            }
        )
        expected.append(crossing)
    order = draw(st.permutations(range(n)))
    return pd.DataFrame(rows), expected, list(order)


def _summary(joined: pd.DataFrame) -> dict:
    """What a reader of the joined table sees, independent of row numbers."""
    out = {}
    for _, row in joined.iterrows():
        estimates = sorted((int(e["figure"]), e["source"]) for e in row["estimates"])
        head = None if not row["has_figure"] else (int(row["figure"]), row["source"])
        out[row["id"]] = (head, estimates)
    return out


@FAST
@given(
    case=estimates_table(unknown=False), rule=st.sampled_from(["latest", "max", "min", "median"])
)
def test_every_row_is_joined_totals_are_kept_and_order_does_not_matter(case, rule):
    table, expected, order = case
    joined = join_estimates(CROSSINGS, table, rule=rule)
    by_id = joined.set_index("id")
    # Every row is joined, to the crossing its spelling names, exactly once.
    joined_rows = sorted(e["_row"] for ests in joined["estimates"] for e in ests)
    assert joined_rows == list(range(2, len(table) + 2))
    for crossing in set(CROSSINGS["id"]):
        mine = [int(f) for f, c in zip(table["figure"], expected, strict=True) if c == crossing]
        got = [int(e["figure"]) for e in by_id.loc[crossing, "estimates"]]
        assert sum(got) == sum(mine) and len(got) == len(mine)
        assert bool(by_id.loc[crossing, "has_figure"]) == bool(mine)
    shuffled = table.iloc[order].reset_index(drop=True)
    summary, again = _summary(joined), _summary(join_estimates(CROSSINGS, shuffled, rule=rule))
    if rule == "latest":
        assert again == summary
    else:  # equal figures may tie: the headline figure, not its source, is what must agree
        assert {k: (h and h[0], e) for k, (h, e) in again.items()} == {
            k: (h and h[0], e) for k, (h, e) in summary.items()
        }


@FAST
@given(case=estimates_table(unknown=True))
def test_every_unknown_name_is_reported_with_its_row(case):
    table, expected, _ = case
    unknown = [
        (i + 2, name)
        for i, (name, c) in enumerate(zip(table["crossing"], expected, strict=True))
        if c is None
    ]
    if not unknown:
        join_estimates(CROSSINGS, table)
        return
    with pytest.raises(CrossingNotFound) as info:
        join_estimates(CROSSINGS, table)
    message = str(info.value)
    if len(unknown) == 1:
        row, name = unknown[0]
        assert f"row {row}," in message and repr(name) in message
    else:
        assert f"{len(unknown)} names match no crossing" in message
        for row, name in unknown:
            assert f"row {row} {name!r}" in message
    reported = {int(r) for r in re.findall(r"row (\d+)", message)}
    assert reported == {row for row, _ in unknown}, "only unknown rows are reported"
