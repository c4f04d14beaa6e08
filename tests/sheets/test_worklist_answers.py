"""The worklist's answers: the words it takes for ja, and an answer that is neither."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from conftest import where
from steps_data import sample_years

from lwtop_toolkit.cli.main import main
from lwtop_toolkit.sheets.worklist_read import read_worklist


def _worklist(tmp_path: Path) -> Path:
    old, new = sample_years("esis")
    out = tmp_path / "werklijst.xlsx"
    args = ["worklist", "--old", str(old), "--new", str(new), "--las", "esis", "--out", str(out)]
    assert main([*args, "--quiet"]) == 0
    return out


def _fill(path: Path, answers: dict[int, dict[str, str]]) -> dict[int, tuple[int, str]]:
    """Fill answers in the n-th pupil row of Klaarzetten; returns n -> (sheet row, key)."""
    book = openpyxl.load_workbook(path)
    sheet = book["Klaarzetten"]
    rows = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    at = next(i for i, row in enumerate(rows) if "sleutel" in row)
    header = rows[at]
    keyed = [
        (i + 1, row[header.index("sleutel")])
        for i, row in enumerate(rows)
        if i > at and row[header.index("sleutel")]
    ]
    for index, cells in answers.items():
        for name, value in cells.items():
            sheet.cell(row=keyed[index][0], column=header.index(name) + 1, value=value)
    book.save(path)
    return {index: keyed[index] for index in answers}


def test_the_sheet_says_which_words_count_as_ja_and_that_others_stay_open(tmp_path: Path) -> None:
    path = _worklist(tmp_path)
    book = openpyxl.load_workbook(path)
    intro = [str(row[0]) for row in book["Klaarzetten"].iter_rows(max_col=1, values_only=True)
             if row[0]]  # fmt: skip
    words = next(line for line in intro if "x, v, ✓, klaar" in line)
    assert "gedaan" in words and "telt als open" in words
    left = [str(row[0]) for row in book["Vertrokken"].iter_rows(max_col=1, values_only=True)
            if row[0]]  # fmt: skip
    assert any("x, v, ✓, klaar" in line for line in left)


@pytest.mark.produces("worklist-invalid-answer", "worklist-open")
def test_an_answer_that_is_neither_ja_nor_nee_counts_as_open_and_is_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _worklist(tmp_path)
    answers = {
        0: {"Klaargezet": "misschien", "Opgehaald": "ja"},  # fetched, but 'misschien' set ready
        1: {"Klaargezet": "✓", "Opgehaald": "gedaan"},
        2: {"Klaargezet": "klaar", "Opgehaald": "X"},
    }
    at = _fill(path, answers)
    status = read_worklist(path)
    row, key = at[0]
    found = where(status.findings)
    assert (path.name, row, "Klaargezet", "worklist-invalid-answer") in found
    assert (path.name, row, "Klaargezet", "worklist-open") in found
    invalid = status.findings[status.findings["code"].eq("worklist-invalid-answer")]
    assert "voor ja mag ook x, v, ✓, klaar of gedaan" in invalid["message"].iloc[0]
    pupils = status.counts()["pupil"]
    assert status.counts()["pupil_open"] == pupils - 2  # rows 1 and 2 are done, row 0 is not
    assert key in set(status.open["sleutel"])
    todo = status.open.set_index("sleutel").loc[key, "nog_te_doen"]
    assert "Klaargezet" in todo and "ja of nee" in todo
    assert main(["worklist-status", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"nog open: {pupils - 2}" in out
    assert key in out
    assert main(["worklist-status", str(path), "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["counts"]["pupil_open"] == pupils - 2
    assert key in {item["sleutel"] for item in data["open"]}
