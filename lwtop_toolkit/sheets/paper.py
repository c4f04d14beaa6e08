"""A sheet set up for paper (or PDF): landscape, one page wide, its header row on every page.

`set_for_paper(sheet, header_row, columns)` sets the page layout of a table that starts at
`header_row` and spans `columns` columns: landscape A4 fitted to one page wide (as many pages
down as it needs), the header row repeated on every page, and the print area from A1 to the
last row over those columns. A text in column A alone on its row (the Dutch text above and
below a table) is merged over the table's width and wrapped, with a row height for its lines,
so that it is neither cut at the page's edge nor widens the page.
"""

from __future__ import annotations

import textwrap

from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

# Excel's default row height in points, and the characters of a column of width 1 (about one).
LINE_HEIGHT = 15.0
# The share of a column's characters a wrapped line fills: LibreOffice without the Carlito font
# draws Calibri in the wider DejaVu Sans, so a row is made tall enough for that (measured).
LINE_FILL = 0.8
_WRAP = Alignment(wrap_text=True, vertical="top")


def set_for_paper(sheet: Worksheet, header_row: int, columns: int) -> None:
    """Landscape, one page wide, header row `header_row` repeated, print area A1:<columns>."""
    last = get_column_letter(max(columns, 1))
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.print_area = f"A1:{last}{max(sheet.max_row, header_row)}"
    sheet.print_options.gridLines = True
    _wrap_lone_texts(sheet, header_row, columns)


def _wrap_lone_texts(sheet: Worksheet, header_row: int, columns: int) -> None:
    """Merge and wrap the texts that stand alone in column A over `columns` columns."""
    if columns < 2:
        return
    width = sum(
        sheet.column_dimensions[get_column_letter(column)].width or 8.43
        for column in range(1, columns + 1)
    )
    last = get_column_letter(columns)
    for row in range(1, sheet.max_row + 1):
        if row == header_row:
            continue
        text = sheet.cell(row=row, column=1).value
        alone = all(sheet.cell(row=row, column=c).value is None for c in range(2, columns + 1))
        if not isinstance(text, str) or not text or not alone:
            continue
        sheet.merge_cells(f"A{row}:{last}{row}")
        sheet.cell(row=row, column=1).alignment = _WRAP
        lines = wrapped_lines(text, width)
        if lines > 1:
            sheet.row_dimensions[row].height = LINE_HEIGHT * lines


def wrapped_lines(text: str, width: float) -> int:
    """The lines `text` takes wrapped in a column `width` characters wide (`LINE_FILL`): one
    rule for every row height a workbook sets for its text."""
    chars = max(1, int(width * LINE_FILL))
    return sum(max(1, len(textwrap.wrap(part, chars))) for part in text.split("\n"))


__all__ = ["LINE_FILL", "LINE_HEIGHT", "set_for_paper", "wrapped_lines"]
