"""Properties of name folding and the join, for generated names and estimates tables."""

from __future__ import annotations

import re
import unicodedata

import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bordermap.errors import CrossingNotFound
from bordermap.inputs import bundled_path
from bordermap.model.estimates import join_estimates
from bordermap.model.gazetteer import normalize_name
from bordermap.model.layers import load_crossings

CROSSINGS = load_crossings()
GAZETTEER = pd.read_csv(bundled_path("gazetteer.csv"), dtype=str)
GAZETTEER = GAZETTEER[GAZETTEER["crossing"].isin(set(CROSSINGS["id"]))]
SPELLINGS = list(zip(GAZETTEER["name"], GAZETTEER["crossing"], strict=True))
FAST = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
# For properties that read files or build layers: fewer examples, the same hostile classes.
FEW = settings(FAST, max_examples=20)


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


# --- hostile tables ---------------------------------------------------------------------------
# Cells as people and programs really fill them: control and invisible characters, quotes and
# separators, numbers in other conventions, partial and zoned dates, huge and tiny numbers.
HOSTILE_CELLS = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        [
            "",
            " ",
            "\u200b",
            "\u200b\u2060",
            "\x0b",
            "\x1b[31m",
            "\x00",
            "N/A",
            "#VALUE!",
            "3,00",
            "1,2,0,0",
            "1.200",
            "1 200",
            "300.0",
            "-5",
            "1e400",
            "inf",
            "nan",
            "0x10",
            "2023",
            "2023-10",
            "2023-10-09T10:00+09:00",
            "2023-02-30",
            '"',
            "a,b",
            "a;b",
            "{{ 7*7 }}",
            "=1+1",
            "up to",
            "over",
            "range",
            "about",
            "Onsong",
            "온성",
            "丹东",
        ]
    ),
)
ESTIMATE_HEADER = ["event_date", "crossing", "figure", "low", "high", "qualifier", "source"]
ESTIMATE_HEADER += ["source_date", "url", "notes"]


@st.composite
def hostile_estimates(draw):
    """A table that is mostly good, with hostile cells anywhere."""
    good = ["2023-10-09", "Onsong", "300", "", "", "", "TJWG", "2023-12-07", "", ""]
    rows = []
    for _ in range(draw(st.integers(1, 4))):
        row = list(good)
        for i in draw(st.lists(st.integers(0, len(good) - 1), max_size=4)):
            row[i] = draw(HOSTILE_CELLS)
        rows.append(row)
    return rows


@FEW
@given(rows=hostile_estimates(), separator=st.sampled_from([",", ";", "\t"]))
def test_a_hostile_estimates_file_is_read_or_refused_in_one_line(rows, separator):
    """Whatever the cells, reading and joining ends in a result or one BordermapError line."""
    import csv
    import io
    import tempfile
    from pathlib import Path

    from bordermap.errors import BordermapError
    from bordermap.model.estimates import read_estimates

    buffer = io.StringIO()
    csv.writer(buffer, delimiter=separator, lineterminator="\r\n").writerows(
        [ESTIMATE_HEADER, *rows]
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "est.csv"
        path.write_text(buffer.getvalue(), encoding="utf-8")
        try:
            joined = join_estimates(CROSSINGS, read_estimates(path))
        except BordermapError as exc:
            message = str(exc)
            assert "\n" not in message and len(message) <= 4100
            assert not any(ch in message for ch in "\x00\x0b\x1b")
            return
    # Read: every figure is a whole number of people, every source visible text.
    for estimates in joined["estimates"]:
        for est in estimates:
            assert est["source"].strip("\u200b\u2060 ") != ""
            for key in ("figure", "low", "high"):
                assert pd.isna(est[key]) or (0 <= int(est[key]) <= 10**9)


SENSITIVITY_NAMES = st.sampled_from(
    ["sensitivity", "Sensitivity", "SENSITIVITY", " sensitivity ", "sensitivit", "SENSITIVIT"]
)
RESTRICTED_VALUES = st.sampled_from(
    ["restricted", "Restricted", " RESTRICTED ", "restricted\u200b"]
)


@FEW
@given(
    column=SENSITIVITY_NAMES,
    value=RESTRICTED_VALUES,
    which=st.sets(st.integers(0, 2), min_size=1),
    # Exact points of six decimals, none a round number: their text is theirs alone.
    lat=st.integers(38_000_000, 44_999_999).filter(lambda v: v % 10).map(lambda v: v / 1e6),
    lon=st.integers(120_000_000, 131_999_999).filter(lambda v: v % 10).map(lambda v: v / 1e6),
)
def test_a_restricted_site_never_leaves_whatever_its_column_is_called(
    column, value, which, lat, lon
):
    import geopandas as gpd
    import shapely

    from bordermap.export.outputs import geojson_text
    from bordermap.model.publish import prepare_for_publication

    ids = ["safe-house-alpha", "safe-house-bravo", "public-place"]
    layer = gpd.GeoDataFrame(
        {
            "id": ids,
            "name_en": ["Shelter Alpha", "Shelter Bravo", "Public"],
            "source": ["Informant K", "Informant L", "HRW"],
            "url": [f"https://maps.example/{i}/?q={lat},{lon + i * 0.001}" for i in range(3)],
            column: [value if i in which else "" for i in range(3)],
        },
        geometry=[shapely.Point(lon + i * 0.001, lat) for i in range(3)],
        crs="EPSG:4326",
    )
    clean, audit = prepare_for_publication(layer, kind="facilities")
    text = geojson_text(clean)
    assert audit.generalised == len(which)
    for i in which:
        for secret in (ids[i], layer["name_en"][i], layer["source"][i], layer["url"][i]):
            assert secret not in text
        assert repr(round(lon + i * 0.001, 6)) not in text


@FEW
@given(
    lon=st.lists(st.floats(allow_nan=True, allow_infinity=True, width=64), min_size=1, max_size=6),
    spread=st.floats(0, 50),
    precision=st.one_of(st.none(), st.floats(1e-6, 1e6)),
)
def test_case_records_are_drawn_within_their_precision_or_refused(lon, spread, precision):
    """No quantisation overflow: a record is drawn within half a step of where it is."""
    import numpy as np

    from bordermap.describe.case_records import describe_cases
    from bordermap.errors import ValidationError
    from bordermap.render.leaflet.case_payload import case_payload, decode_points

    n = len(lon)
    table = pd.DataFrame(
        {"lon": [124.0 + (x % 7 if np.isfinite(x) else x) for x in lon], "lat": 40.0}
    )
    table["lat"] = 40.0 + np.linspace(0, min(spread, 49.0), n)
    try:
        payload = case_payload(describe_cases(table, precision=precision))
    except ValidationError:
        return
    got_lon, got_lat, _ = decode_points(payload)
    assert len(got_lon) == n
    step = payload["precision_m"]
    widest = np.cos(np.radians(min(np.abs(table["lat"]).max(), 89.0)))
    # The payload stores records in its own (Z-)order: match each record to a drawn point.
    dy = np.abs(got_lat[:, None] - table["lat"].to_numpy()[None, :]) * 111_320
    dx = np.abs(got_lon[:, None] - table["lon"].to_numpy()[None, :]) * 111_320 * widest
    near = (dy <= step / 2 + 1e-3) & (dx <= step / 2 + 1e-3)
    assert near.any(axis=0).all() and near.any(axis=1).all()
