"""Notebooks are tests too: each is executed top to bottom and must raise no error.

They run in a python3 kernel with ipykernel's default (inline) matplotlib backend, as a reader's
Jupyter would: every cell that draws (a ``plot_*`` function of the library, or the reader's own
``plt.*``) must show its figure as a PNG, which it does not if anything switches the backend.
"""

from __future__ import annotations

import json
import re

import pytest

from .conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
DRAWS = re.compile(r"\bplot_\w+\(|\bplt\.\w+\(")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_committed_without_outputs(path) -> None:
    nb = json.loads(path.read_text())
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert cell.get("outputs") == [], f"{path.name} has outputs committed"
            assert cell.get("execution_count") is None


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs(path) -> None:
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    client.execute()
    errors = [
        output
        for cell in nb.cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
        if output.get("output_type") == "error"
    ]
    assert not errors
    for cell in nb.cells:
        if cell.cell_type == "code" and DRAWS.search(cell.source):
            shown = [
                output
                for output in cell.get("outputs", [])
                if output.get("output_type") == "display_data"
                and "image/png" in output.get("data", {})
            ]
            assert shown, f"{path.name}: no figure shown by the cell {cell.source[:70]!r}"
