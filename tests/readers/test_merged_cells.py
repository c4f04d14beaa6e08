"""A group written once for a block of pupils, in a merged cell (as people format lists): the
value the sheet shows is carried into every row of the block, and said so; where rows still
have no group, as a block, that is an error, never a bundle with pupils silently groupless."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from corpus import files as f

from lwtop_toolkit import load
from lwtop_toolkit.cli.main import main
from lwtop_toolkit.findings import has_errors

# (group, jaargroep, pupils): 20 pupils in three blocks, as in a class list
BLOCKS = (("3A", "3", 7), ("4B", "4", 7), ("5C", "5", 6))
GROUP, JAARGROEP = 5, 6  # the columns of f.HEADER (F and G)


def _pupils(*, once: tuple[int, ...] = ()) -> list[list[object]]:
    """The header and 20 pupils (Excel rows 2-21); the columns `once` only in each block's
    first row."""
    rows: list[list[object]] = [list(f.HEADER)]
    number = 1000
    for group, year, count in BLOCKS:
        for place in range(count):
            number += 1
            row: list[object] = [str(number), f"Achternaam{number}", "Sam", "12-03-2017", "V",
                                 group, year]  # fmt: skip
            for column in once:
                row[column] = row[column] if place == 0 else None
            rows.append(row)
    return rows


def _merge_blocks(book: Any) -> None:
    sheet, top = book.active, 2
    for _, _, count in BLOCKS:
        sheet.merge_cells(f"F{top}:F{top + count - 1}")
        sheet.merge_cells(f"G{top}:G{top + count - 1}")
        top += count


def _write(folder: Path, data: bytes) -> Path:
    (folder / "lwtop.toml").write_text(f.SETTINGS, encoding="utf-8")
    path = folder / "leerlingen.xlsx"
    path.write_bytes(data)
    return path


@pytest.mark.produces("merged-cells")
def test_a_merged_group_cell_gives_every_pupil_of_its_block_that_group(tmp_path: Path) -> None:
    path = _write(tmp_path, f.workbook(_pupils(once=(GROUP, JAARGROEP)), prepare=_merge_blocks))
    loaded = load([path])
    pupils = loaded.tables.leerlingen.set_index("leerling_id")
    assert len(pupils) == 20
    assert pupils["groep_id"].value_counts().to_dict() == {"3A": 7, "4B": 7, "5C": 6}
    assert pupils.loc["1008", "groep_id"] == "4B" and pupils.loc["1008", "jaargroep"] == "4"
    merged = loaded.findings[loaded.findings["code"].eq("merged-cells")]
    # one finding per column, naming the column and the rows of each block
    assert merged["column"].tolist() == ["F2:F21", "G2:G21"]
    assert merged["severity"].unique().tolist() == ["info"]
    message = merged["message"].iloc[0]
    assert "'Groep'" in message and "F2:F8, F9:F15, F16:F21" in message and "17 cellen" in message
    assert "pupil-without-group" not in set(loaded.findings["code"])
    assert not has_errors(loaded.findings)


@pytest.mark.produces("groupless-block", "pupil-without-group")
def test_a_group_written_once_without_merging_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path, f.workbook(_pupils(once=(GROUP,))))
    loaded = load([path])
    blocks = loaded.findings[loaded.findings["code"].eq("groupless-block")]
    errors = loaded.findings[loaded.findings["severity"].eq("error")]
    assert errors["code"].unique().tolist() == ["groupless-block"]  # only this blocks
    assert blocks["row"].tolist() == [3, 10, 17]  # each block's rows after its first
    assert "6 leerlingen op een rij (rij 3 t/m 8)" in blocks["message"].iloc[0]
    assert main(["validate", str(path)]) == 1  # errors: no bundle until the groups are filled
    assert "leerlingen op een rij (rij 10 t/m 15)" in capsys.readouterr().out


@pytest.mark.produces("pupil-without-group")
def test_one_pupil_without_a_group_stays_a_warning(tmp_path: Path) -> None:
    rows = _pupils()
    rows[5][GROUP] = rows[5][JAARGROEP] = None  # one pupil, not a block
    rows[12][GROUP] = rows[13][GROUP] = None  # two on a row: not yet a block
    loaded = load([_write(tmp_path, f.workbook(rows))])
    codes = loaded.findings["code"]
    assert codes.eq("pupil-without-group").sum() == 3
    assert "groupless-block" not in set(codes)


@pytest.mark.produces("merged-cells-across")
def test_cells_merged_across_columns_leave_the_other_columns_empty(tmp_path: Path) -> None:
    def merge_name(book: Any) -> None:
        book.active.merge_cells("B3:C3")  # achternaam over roepnaam for the second pupil

    loaded = load([_write(tmp_path, f.workbook(f.pupil_rows(), prepare=merge_name))])
    across = loaded.findings[loaded.findings["code"].eq("merged-cells-across")]
    assert (across["row"].tolist(), across["column"].tolist()) == ([3], ["B3:C3"])
    assert across["severity"].tolist() == ["warning"]
    pupil = loaded.tables.leerlingen.set_index("leerling_id").loc["1002"]
    assert (pupil["achternaam"], pupil["roepnaam"]) == ("de Vries", "")
