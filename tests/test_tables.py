"""A DataFrame's cells read as the text a spreadsheet shows, whatever their dtype."""

from __future__ import annotations

import numpy as np
import pandas as pd

from bordermap.inputs.tables import read_table


def test_each_dtype_reads_as_the_text_a_spreadsheet_shows():
    frame = pd.DataFrame(
        {
            "text": pd.Series(["Onsong", None, "온성", ""], dtype=object),
            "arrow": pd.Series(["a", None, "b", "c"], dtype="str"),
            "floats": [300.0, np.nan, 12.5, -0.0],
            "ints": np.array([1, 2, 3, 1], dtype=np.int64),
            "nullable": pd.array([180, None, 5, 180], dtype="Int64"),
            "dates": pd.to_datetime(
                ["2023-10-09", None, "2024-04-26T10:30", "2023-10-09"], format="ISO8601"
            ),
            "flags": [True, False, True, True],
            # 1, 1.0 and True are equal to Python: each must keep its own text
            "mixed": pd.Series([1, 1.0, True, None], dtype=object),
            "category": pd.Series(["x", "y", None, "x"], dtype="category"),
        }
    )
    table = read_table(frame)
    assert table.drop(columns="_row").to_dict("list") == {
        "text": ["Onsong", "", "온성", ""],
        "arrow": ["a", "", "b", "c"],
        "floats": ["300", "", "12.5", "0"],
        "ints": ["1", "2", "3", "1"],
        "nullable": ["180", "", "5", "180"],
        "dates": ["2023-10-09", "", "2024-04-26T10:30:00", "2023-10-09"],
        "flags": ["True", "False", "True", "True"],
        "mixed": ["1", "1", "True", ""],
        "category": ["x", "y", "", "x"],
    }
    assert table["_row"].tolist() == [2, 3, 4, 5]
    assert frame["floats"].iloc[0] == 300.0  # the caller's frame is not changed


def test_a_row_of_blank_cells_is_counted_not_read():
    frame = pd.DataFrame({"crossing": ["Onsong", None, "Hyesan"], "figure": [300, None, 1]})
    table = read_table(frame)
    assert table["_row"].tolist() == [2, 4]
    assert table.attrs["blank_rows"] == 1
