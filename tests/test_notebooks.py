"""The walk-through notebooks run from top to bottom on the bundled data."""

from __future__ import annotations

from pathlib import Path

import nbclient
import nbformat
import pytest

NOTEBOOKS = sorted((Path(__file__).parents[1] / "notebooks").glob("*.ipynb"))
# What each walk-through's map shows (the bundled October 2023 map by default).
SHOWN = {"your-own-border.ipynb": "San Ysidro"}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_and_is_stored_without_outputs(path, tmp_path):
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, "store without outputs"
    client = nbclient.NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": tmp_path}}
    )
    client.execute()
    shown = [o for cell in notebook.cells for o in cell.get("outputs", [])]
    assert not [o for o in shown if o.get("output_type") == "error"]
    html = "".join(o.get("data", {}).get("text/html", "") for o in shown)
    assert SHOWN.get(path.name, "Tumen") in html and "leaflet" in html.lower()
