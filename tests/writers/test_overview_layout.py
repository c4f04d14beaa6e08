"""A board's `overzicht.xlsx` reads whole and prints: every column as wide as its values and
the words of its header (no 'bevorderc', 'vertrokke'), the header wrapped in a row tall enough,
and each sheet set up for paper (one page wide, the header on each page)."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from lwtop_toolkit.cli.main import main
from lwtop_toolkit.samples.board import generate_board
from lwtop_toolkit.samples.board_files import write_board
from lwtop_toolkit.writers.overview import MAX_WIDTH

OLD, NEW = "2025-2026", "2026-2027"


@pytest.fixture(scope="module")
def overview(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("bestuur")
    write_board(generate_board(120, seed=3, school_size=60), folder, formats=["csv"])
    out = folder / "bundels"
    argv = ["--old", str(folder / OLD), "--new", str(folder / NEW), "--out", str(out)]
    assert main(["bundle", *argv, "--geen-werkmap", "--quiet"]) in (0, 1)
    return out / "overzicht.xlsx"


def test_every_column_is_as_wide_as_its_values_and_header_words(overview: Path) -> None:
    book = load_workbook(overview)
    assert book.sheetnames == ["Overzicht", "Wisselen van school"]
    for sheet in book:
        header = [cell.value for cell in sheet[1]]
        assert "bevorderd" in header or sheet.title != "Overzicht"
        for column, title in enumerate(header, start=1):
            letter = get_column_letter(column)
            dimension = sheet.column_dimensions[letter]
            assert dimension.customWidth, (sheet.title, title)
            longest = max(
                [len(word) for word in str(title).split()]
                + [len(str(cell.value)) for (cell,) in sheet.iter_rows(
                    min_row=2, min_col=column, max_col=column) if cell.value is not None]
            )  # fmt: skip
            assert dimension.width >= min(longest, MAX_WIDTH), (sheet.title, title)
            assert sheet.cell(1, column).alignment.wrap_text, (sheet.title, title)
        lines = max(len(str(title).split()) for title in header)
        assert lines == 1 or (sheet.row_dimensions[1].height or 0) >= 2 * 12, sheet.title


def test_each_sheet_prints_one_page_wide_with_its_header_on_each_page(overview: Path) -> None:
    book = load_workbook(overview)
    for sheet in book:
        setup = sheet.page_setup
        assert setup.orientation == "landscape", sheet.title
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
        assert (setup.fitToWidth, setup.fitToHeight) == (1, 0), sheet.title
        assert sheet.print_title_rows == "$1:$1", sheet.title
        last = f"${get_column_letter(sheet.max_column)}${sheet.max_row}"
        assert sheet.print_area == f"'{sheet.title}'!$A$1:{last}", sheet.title
