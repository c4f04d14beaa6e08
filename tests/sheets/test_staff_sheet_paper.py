"""The staff workbook on screen and on paper: every wrapped line of `Uitleg` shows (also where
LibreOffice draws Calibri in a wider font), and each sheet prints one page wide."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import openpyxl
from conftest import SAMPLE_DATA
from openpyxl.utils import get_column_letter
from PIL import ImageFont

from lwtop_toolkit.cli.main import main

OLD, NEW = SAMPLE_DATA / "2025-2026", SAMPLE_DATA / "2026-2027"
# DejaVu Sans, what LibreOffice draws Calibri in on a machine without Carlito: wider than
# Calibri, so a row tall enough for it is tall enough in Excel too.
FONT = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
POINTS, SCALE = 11, 10  # Calibri 11; measured 10 times larger for precision
LINE = 15.0  # Excel's and LibreOffice's height of a line of Calibri 11, in points


def staff_sheet(tmp_path: Path) -> Path:
    out = tmp_path / "toewijzing.xlsx"
    args = ["staff-sheet", "--old", str(OLD), "--new", str(NEW), "--out", str(out), "--quiet"]
    assert main(args) == 0
    return out


def drawn_lines(text: str, column_width: float) -> int:
    """How many lines `text` takes wrapped at word boundaries in a column of `column_width`
    characters, drawn in DejaVu Sans 11 pt (96 dpi: a character of the width is 7 pixels)."""
    font = ImageFont.truetype(str(FONT), round(POINTS * 96 / 72 * SCALE))
    room = (column_width * 7 + 5 - 6) * SCALE  # the column in pixels, less the cell's padding
    lines, line = 1, ""
    for word in text.split():
        longer = f"{line} {word}".strip()
        if line and font.getlength(longer) > room:
            lines, line = lines + 1, word
        else:
            line = longer
    return lines


def test_every_line_of_the_uitleg_sheet_shows(tmp_path: Path) -> None:
    sheet = openpyxl.load_workbook(staff_sheet(tmp_path))["Uitleg"]
    width = sheet.column_dimensions["A"].width
    texts = [(row, cell.value) for row, (cell,) in enumerate(sheet.iter_rows(max_col=1), 1)]
    tall = 0
    for row, text in texts:
        if not text:
            continue
        height = sheet.row_dimensions[row].height or LINE
        assert height >= drawn_lines(str(text), width) * LINE, (row, text)
        assert sheet.cell(row=row, column=1).alignment.wrap_text
        tall += drawn_lines(str(text), width) > 1
    assert tall >= 5  # the paragraphs of several lines are there to be measured


def test_each_sheet_prints_one_page_wide_with_its_header_on_every_page(tmp_path: Path) -> None:
    book = openpyxl.load_workbook(staff_sheet(tmp_path))
    for name, orientation, title in (
        ("Toewijzing", "landscape", "$1:$1"),
        ("Medewerkers", "landscape", "$1:$1"),
        ("Uitleg", "portrait", None),
    ):
        sheet = book[name]
        setup = sheet.page_setup
        assert (setup.orientation, int(setup.paperSize)) == (orientation, 9), name  # A4
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, name
        assert (int(setup.fitToWidth), int(setup.fitToHeight)) == (1, 0), name  # pages down: any
        assert sheet.print_title_rows == title, name
        last = f"${get_column_letter(sheet.max_column)}${sheet.max_row}"
        assert sheet.print_area == f"'{name}'!$A$1:{last}", name
    widths = {
        name: sum(d.width for d in book[name].column_dimensions.values())
        for name in ("Toewijzing", "Medewerkers", "Uitleg")
    }
    assert widths["Uitleg"] < 120 < min(widths["Toewijzing"], widths["Medewerkers"])  # wide
