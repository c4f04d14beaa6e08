"""A problem found twice (by checking the new year and by the plan) is in a bundle once: in
`bevindingen.csv`, in the audit workbook's sheet `Bevindingen` and in the manifest's counts."""

from __future__ import annotations

import io
import json
from pathlib import Path

import openpyxl
import pytest
from conftest import SAMPLE_DATA, csv_frame, zip_members

from lwtop_toolkit.cli.main import main
from lwtop_toolkit.samples.board import generate_board
from lwtop_toolkit.samples.board_files import write_board

OLD, NEW = "2025-2026", "2026-2027"
SEVERITY = {"fout": "error", "waarschuwing": "warning", "info": "info"}


def _findings_of(bundle: Path) -> tuple[list[tuple[str, ...]], list[tuple[str, ...]], dict]:
    """The findings of a bundle as (code, file, row, value): in bevindingen.csv, in the
    workbook's sheet Bevindingen; and the manifest's counts."""
    files = zip_members(bundle)
    frame = csv_frame(files["bevindingen.csv"])
    listed = list(zip(frame["code"], frame["bestand"], frame["rij"], frame["waarde"], strict=True))
    book = openpyxl.load_workbook(io.BytesIO(files["overgang.xlsx"]), read_only=True)
    rows = list(book["Bevindingen"].iter_rows(values_only=True))
    header = list(rows[0])
    at = [header.index(name) for name in ("Code", "Bestand", "Rij", "Waarde")]
    shown = [tuple("" if row[i] is None else str(row[i]) for i in at) for row in rows[1:]]
    manifest = json.loads(files["manifest.json"])
    tally = {severity: 0 for severity in SEVERITY.values()}
    for label in frame["ernst"]:
        tally[SEVERITY[label]] += 1
    assert manifest["findings"] == tally  # the manifest counts what the bundle holds
    return listed, shown, manifest


def test_an_empty_group_is_in_the_bundle_once(tmp_path: Path) -> None:
    """The sample's spoiled new year empties group 5B: checking and planning both see it."""
    old, new = SAMPLE_DATA / OLD, SAMPLE_DATA / "afwijkingen" / NEW
    assert main(["bundle", "--old", str(old), "--new", str(new), "--out", str(tmp_path)]) == 0
    listed, shown, manifest = _findings_of(tmp_path / f"lwtop-99ZZ-{NEW}.zip")
    assert [item for item in listed if item[0] == "empty-group"] == [
        ("empty-group", "groepen.csv", "7", "G2026-5B")
    ]
    assert len(listed) == len(set(listed))  # no finding twice
    assert sorted(shown) == sorted(listed)
    # the same count as preview shows for the same input
    assert sum(manifest["findings"].values()) == len(listed) == 10


@pytest.fixture(scope="module")
def board(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two schools of 60 pupils; school 58FP gets a stamgroep nobody is in this year."""
    folder = tmp_path_factory.mktemp("board")
    write_board(generate_board(120, seed=3, school_size=60), folder, formats=["csv"])
    groups = folder / NEW / "58FP" / "groepen.csv"
    with groups.open("a", encoding="utf-8") as stream:
        stream.write("58FP-2026-9;9X;8;stamgroep;2026-2027;58FP;00\n")
    return folder


def test_an_empty_group_of_a_board_is_in_its_schools_bundle_once(
    board: Path, tmp_path: Path
) -> None:
    together, alone = tmp_path / "samen", tmp_path / "alleen"
    run = ["bundle", "--old", str(board / OLD), "--new", str(board / NEW), "--out", str(together)]
    assert main(run) == 0
    listed, shown, _ = _findings_of(together / f"lwtop-58FP-{NEW}.zip")
    assert [item[0] for item in listed].count("empty-group") == 1
    assert len(listed) == len(set(listed)) and sorted(shown) == sorted(listed)
    other, _, _ = _findings_of(together / f"lwtop-86XY-{NEW}.zip")
    assert "empty-group" not in {item[0] for item in other}
    # the board cut per school equals the school bundled alone
    one = ["--old", str(board / OLD / "58FP"), "--new", str(board / NEW / "58FP")]
    assert main(["bundle", *one, "--out", str(alone)]) == 0
    name = f"lwtop-58FP-{NEW}.zip"
    assert (
        zip_members(alone / name)["bevindingen.csv"]
        == zip_members(together / name)["bevindingen.csv"]
    )
