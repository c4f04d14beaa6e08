"""The worklist on paper: every sheet one page wide, its header row on every page; VO years as
the school says them (leerjaar 1-6)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import column_index_from_string, range_boundaries
from steps_data import sample_years, so_school

from lwtop_toolkit.cli.main import main


def _worklist(tmp_path: Path, las_code: str) -> Path:
    old, new = so_school(tmp_path) if las_code == "esis-sbo-so-vso" else sample_years(las_code)
    out = tmp_path / f"werklijst-{las_code}.xlsx"
    args = ["worklist", "--old", str(old), "--new", str(new), "--las", las_code, "--out", str(out)]
    assert main(args) == 0
    return out


def _header_row(sheet: openpyxl.worksheet.worksheet.Worksheet) -> int:
    """The row of the table's header: the first row with a bold cell beyond column A."""
    for row in sheet.iter_rows(min_col=2):
        if any(cell.value and cell.font.bold for cell in row):
            return row[0].row
    raise AssertionError(f"no header on {sheet.title}")


@pytest.mark.parametrize("las_code", ["esis", "esis-sbo-so-vso"])
def test_every_sheet_prints_one_page_wide_with_its_header_on_every_page(
    tmp_path: Path, las_code: str
) -> None:
    book = openpyxl.load_workbook(_worklist(tmp_path, las_code))
    visible = [sheet for sheet in book.worksheets if sheet.sheet_state == "visible"]
    assert len(visible) >= 3
    for sheet in visible:
        setup = sheet.page_setup
        assert setup.orientation == "landscape", sheet.title
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
        assert (setup.fitToWidth, setup.fitToHeight) == (1, 0), sheet.title
        header = _header_row(sheet)
        assert sheet.print_title_rows.replace("$", "") == f"{header}:{header}", sheet.title
        # the print area: from A1 to the last row, over every visible column of the table
        (area,) = sheet.print_area if isinstance(sheet.print_area, list) else [sheet.print_area]
        first_col, first_row, last_col, last_row = range_boundaries(
            area.replace("$", "").split("!")[-1]
        )
        assert (first_col, first_row) == (1, 1), sheet.title
        assert last_row == sheet.max_row, sheet.title
        widths = [
            column_index_from_string(letter)
            for letter, dimension in sheet.column_dimensions.items()
            if not dimension.hidden
            and sheet.cell(row=header, column=column_index_from_string(letter)).value
        ]
        assert last_col == max(widths), sheet.title
        # the Dutch text above the table wraps within the printed width (not cut at its edge)
        for row in range(1, header):
            cell = sheet.cell(row=row, column=1)
            if cell.value:
                assert cell.alignment.wrap_text, (sheet.title, row)
                merged = [str(m) for m in sheet.merged_cells.ranges if m.min_row == row]
                assert merged and merged[0].startswith(f"A{row}:"), (sheet.title, row)


def test_a_vo_worklist_shows_leerjaar_1_to_6(tmp_path: Path) -> None:
    book = openpyxl.load_workbook(_worklist(tmp_path, "magister"))
    sheet = book["Klaarzetten"]
    header = _header_row(sheet)
    names = [cell.value for cell in sheet[header]]
    assert "Leerjaar" in names and "Jaargroep" not in names
    column = names.index("Leerjaar") + 1
    years = {
        str(sheet.cell(row=row, column=column).value)
        for row in range(header + 1, sheet.max_row + 1)
        if sheet.cell(row=row, column=column).value
    }
    assert years and years <= {"1", "2", "3", "4", "5", "6"}
    groups = [cell.value for cell in book["Groepen"][1]]
    years = {
        str(row[groups.index("Leerjaar")])
        for row in book["Groepen"].iter_rows(min_row=2, values_only=True)
    }
    assert years <= {"1", "2", "3", "4", "5", "6"}
    left = book["Vertrokken"]
    header = _header_row(left)
    assert "Leerjaar vorig jaar" in [cell.value for cell in left[header]]
    # the groups keep their names (2HV1, 3HB), the data its codes
    assert any(str(cell.value).startswith("Groep 2HV") for cell in sheet["A"])
