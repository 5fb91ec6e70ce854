"""Tables from the Humanitarian Data Exchange, read by their HXL hashtags."""

from __future__ import annotations

import pandas as pd
import pytest

import bordermap
from bordermap import ValidationError
from bordermap.inputs import read_table

from .conftest import DATA

HXL = DATA / "hxl"


def test_estimates_are_read_by_their_hashtags_and_keep_their_row_numbers():
    table = bordermap.read_estimates(HXL / "estimates.csv")
    assert table["crossing"].tolist() == ["Onsong", "신의주"]
    assert table["figure"].tolist() == [300, 180]
    assert table["source_date"].astype(str).tolist()[0].startswith("2023-12-07")
    assert table["_row"].tolist() == [3, 4]  # the header is row 1, the hashtags row 2


def test_an_hxl_estimate_table_joins_onto_the_bundled_crossings():
    joined = bordermap.join_estimates(bordermap.load_crossings(), HXL / "estimates.csv")
    figures = dict(zip(joined["id"], joined["figure"], strict=True))
    assert figures["tumen-onsong"] == 300 and figures["dandong-sinuiju"] == 180


def test_crossings_are_read_by_their_hashtags():
    crossings = bordermap.load_crossings(HXL / "crossings.csv")
    assert crossings["id"].tolist() == ["mae-sot", "mae-sai"]
    assert crossings.geometry.x.round(4).tolist() == [98.5553, 99.8786]


def test_an_error_in_an_hxl_table_names_its_spreadsheet_row(tmp_path):
    text = (HXL / "estimates.csv").read_text(encoding="utf-8").replace(",180,", ",about 180,")
    (tmp_path / "e.csv").write_text(text, encoding="utf-8")
    with pytest.raises(ValidationError, match=r"row 4, field 'figure'.*'about' in qualifier"):
        bordermap.read_estimates(tmp_path / "e.csv")


def test_two_columns_given_one_name_by_their_hashtags_are_refused():
    frame = pd.DataFrame(
        {"a": ["#affected+num", "300"], "b": ["#affected +num", "280"], "c": ["#date", "x"]}
    )
    with pytest.raises(ValidationError, match=r"two columns hold 'figure' \(columns 1 and 2"):
        read_table(frame, hxl="estimates")


def test_a_table_without_hashtags_is_read_as_before():
    frame = pd.DataFrame({"figure": ["#1", "300"]})  # '#1' is not a hashtag: it stays a cell
    assert read_table(frame, hxl="estimates")["figure"].tolist() == ["#1", "300"]
