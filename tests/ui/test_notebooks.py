"""The notebooks: committed thin and without outputs, and each runs top to bottom headlessly."""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest
from conftest import REPO
from nbclient import NotebookClient

NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
GUIDED = REPO / "notebooks" / "01_schooljaarovergang.ipynb"
DEFINITION = re.compile(r"^\s*(async\s+def|def|class)\s", re.MULTILINE)
MAX_CELL_LINES = 12  # not counting blank lines
TIMEOUT = 120

# Appended to the guided notebook in the test only: the coordinator's clicks on the sample data,
# through the panels the notebook displayed (IPython keeps them in `Out`).
DRIVE = """
import json
from lwtop_toolkit.ui.setup import SAMPLE
panels = {type(value).__name__: value for value in Out.values()}
upload = panels["UploadPanel"]
upload.mode.value = SAMPLE
upload.sample.value = "Voorbeeldschool PO (importbestanden)"
upload.button.click()
step1 = panels["Step1Panel"]
box = step1.outputs.children[0]
box.button.click()
print(json.dumps({
    "status": upload.status.text.value,
    "counts": session.plan.status_counts(),
    "bundles": [bundle.path.name for bundle in session.bundle_run.bundles],
    "written": [bundle.path.is_file() for bundle in session.bundle_run.bundles],
    "panels": sorted(panels),
}))
"""


@pytest.fixture(autouse=True)
def _private_kernel_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The kernel writes its history and caches in the test's folder, not the user's."""
    for name in ("IPYTHONDIR", "MPLCONFIGDIR", "JUPYTER_RUNTIME_DIR", "XDG_CACHE_HOME"):
        folder = tmp_path / name.lower()
        folder.mkdir()
        monkeypatch.setenv(name, str(folder))


def _run(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    client = NotebookClient(
        notebook,
        timeout=TIMEOUT,
        kernel_name="python3",
        resources={"metadata": {"path": str(REPO / "notebooks")}},
    )
    client.execute()
    return notebook


def _errors(notebook: nbformat.NotebookNode) -> list[str]:
    return [
        f"{output.ename}: {output.evalue}"
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if output.output_type == "error"
    ]


def test_there_are_the_two_notebooks() -> None:
    assert [path.name for path in NOTEBOOKS] == [
        "01_schooljaarovergang.ipynb",
        "02_controle_groepsindeling.ipynb",
    ]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_committed_notebooks_are_thin_and_carry_no_outputs(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    assert notebook.metadata.kernelspec.name == "python3"
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        assert cell.outputs == [] and cell.execution_count is None, cell.source
        assert not DEFINITION.search(cell.source), cell.source
        lines = [line for line in cell.source.splitlines() if line.strip()]
        assert len(lines) <= MAX_CELL_LINES, cell.source


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_every_notebook_runs_top_to_bottom(path: Path) -> None:
    notebook = _run(nbformat.read(path, as_version=4))
    assert _errors(notebook) == []


def test_the_guided_notebook_runs_on_the_sample_data() -> None:
    notebook = nbformat.read(GUIDED, as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell(DRIVE))
    notebook = _run(notebook)
    assert _errors(notebook) == []
    printed = "".join(
        output.text for output in notebook.cells[-1].outputs if output.output_type == "stream"
    )
    result = json.loads(printed)
    assert "lwtop-done" in result["status"]
    assert result["counts"]["promoted"] == 213 and result["counts"]["left"] == 31
    assert result["bundles"] == ["lwtop-99ZZ-2026-2027.zip"] and result["written"] == [True]
    assert {"WorklistPanel", "StaffPanel", "VerifyPanel"} <= set(result["panels"])


ANALYST = REPO / "notebooks" / "02_controle_groepsindeling.ipynb"


def test_the_analysts_notebook_uses_the_codes_limits_and_offers_its_selection() -> None:
    """Notebook 02 takes the group limits from GroupLimits (no numbers of its own) and its
    Excel selection is a download link under the cell (nothing written beside the notebook)."""
    from lwtop_toolkit import GroupLimits

    notebook = nbformat.read(ANALYST, as_version=4)
    texts = "\n".join(cell.source for cell in notebook.cells)
    assert not re.search(r"\b\d{1,2}\s*[–-]\s*\d{1,2}\b", texts), "limits written out"
    notebook = _run(notebook)
    assert _errors(notebook) == []
    (cell,) = [cell for cell in notebook.cells if cell.source.startswith("grenzen = GroupLimits")]
    limits = cell.outputs[0]["data"]["text/plain"]
    for sector in ("po", "so", "vo"):
        low, high = GroupLimits().of(sector) or (0, 0)
        assert re.search(rf"\b{sector}\b.*\b{low}\b.*\b{high}\b", limits), limits
    html = notebook.cells[-1].outputs[0]["data"]["text/html"]
    assert "download='selectie.xlsx'" in html and "href='data:" in html
    assert not list((REPO / "notebooks").glob("*.xlsx"))


def test_the_app_config_lets_large_uploads_through() -> None:
    """Tornado drops websocket messages over 10 MiB: voila.json raises that limit for the app."""
    config = json.loads((REPO / "voila.json").read_text(encoding="utf-8"))
    settings = config["Voila"]["tornado_settings"]
    assert settings["websocket_max_message_size"] >= 100 * 1024 * 1024
    assert config["Voila"]["ip"] == "127.0.0.1"
    lab = json.loads((REPO / "jupyter_server_config.json").read_text(encoding="utf-8"))
    assert lab["ServerApp"]["tornado_settings"]["websocket_max_message_size"] >= 100 * 1024**2


# The number of steps as the page's first cell writes it.
NUMBER_WORDS = {5: "vijf", 6: "zes", 7: "zeven", 8: "acht", 9: "negen"}


def test_the_pages_promises_match_the_app() -> None:
    """The first cell counts the steps the page numbers, and the page's texts say what happens to
    the files: kept in the window's temporary folder, removed within a minute of closing it (the
    culling of voila.json, tested in the browser), not 'they vanish when you close the window'."""
    from lwtop_toolkit.ui.setup import UPLOAD_HELP
    from lwtop_toolkit.ui.wording import SECTIONS

    intro = "".join(json.loads(GUIDED.read_text("utf-8"))["cells"][0]["source"])
    assert f"in {NUMBER_WORDS[len(SECTIONS)]} stappen" in intro
    for text in (intro, UPLOAD_HELP):
        flowing = " ".join(text.split())
        assert "binnen een minuut verwijderd" in flowing
        assert "verdwijnen als u het venster sluit" not in flowing
