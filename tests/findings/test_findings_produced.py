"""Finding codes that no other in-process test makes: each made here from a tiny input through
the public functions, and asserted at the row a coordinator looks up."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import VALID, where
from corpus import files as f
from corpus.make import CASES

from lwtop_toolkit import ToolkitError, load, plan_transition, write_audit_workbook


def _corpus_file(folder: Path, name: str) -> Path:
    """One file of the corpus of hostile input, with the settings that give it a school."""
    (folder / "lwtop.toml").write_text(f.SETTINGS, encoding="utf-8")
    path = folder / name
    f.write(path, CASES[name].data(folder), CASES[name].encoding)
    return path


@pytest.mark.produces(
    "many-unknown-columns", "control-characters", "rows-above-header", "unnamed-column",
    "merged-header", "merged-cells", "hidden-row", "hidden-sheet-skipped", "totals-row-skipped",
    "xml-encoding-mismatch",
)  # fmt: skip
@pytest.mark.parametrize(
    ("name", "row", "column", "code"),
    [
        ("10000-columns.csv", 1, "", "many-unknown-columns"),
        ("nul-bytes.csv", 4, "achternaam", "control-characters"),
        ("title-row-above-header.xlsx", 1, "", "rows-above-header"),
        ("unnamed-column.csv", 3, "H", "unnamed-column"),
        ("merged-header-cells.xlsx", 1, "B1:C1", "merged-header"),
        ("merged-cells.xlsx", 2, "F2:F3", "merged-cells"),
        ("hidden-rows.xlsx", 3, "", "hidden-row"),
        ("hidden-sheet.xlsx", None, "", "hidden-sheet-skipped"),
        ("totals-row.xlsx", 7, "", "totals-row-skipped"),
        ("wrong-encoding-declaration.xml", 1, "", "xml-encoding-mismatch"),
    ],
)
def test_hostile_input_is_read_and_named_at_its_row(
    tmp_path: Path, name: str, row: int | None, column: str, code: str
) -> None:
    loaded = load([_corpus_file(tmp_path, name)], CASES[name].format)
    assert (name, row, column, code) in where(loaded.findings)
    assert not loaded.tables.leerlingen.empty


@pytest.mark.produces("cell-too-long")
def test_a_cell_longer_than_excel_allows_is_left_empty(tmp_path: Path) -> None:
    rows = f.pupil_rows()
    rows[2][1] = "x" * 40_000  # the second pupil's achternaam, row 3 of the file
    path = tmp_path / "leerlingen.csv"
    f.write(path, f.csv_text(rows))
    (tmp_path / "lwtop.toml").write_text(f.SETTINGS, encoding="utf-8")
    loaded = load([path])
    assert ("leerlingen.csv", 3, "achternaam", "cell-too-long") in where(loaded.findings)
    assert "x" * 100 not in "".join(loaded.tables.leerlingen["achternaam"])


@pytest.mark.produces("output-not-writable")
def test_a_file_that_cannot_be_written_is_one_dutch_error(tmp_path: Path) -> None:
    tables = load([VALID]).tables
    plan = plan_transition(tables, tables)
    blocker = tmp_path / "geen-map"
    blocker.write_text("een bestand, geen map", encoding="utf-8")
    with pytest.raises(ToolkitError) as raised:
        write_audit_workbook(plan, blocker / "controle.xlsx")
    assert raised.value.finding["code"] == "output-not-writable"
    assert raised.value.finding["file"] == str(blocker / "controle.xlsx")
    assert "kan niet geschreven worden" in raised.value.message
