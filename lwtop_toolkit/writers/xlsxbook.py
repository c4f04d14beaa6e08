"""A workbook written with XlsxWriter: text cells that are never formulas, formats made once,
data sheets with an Excel table (or, in constant-memory mode, an autofilter).

Every text goes through `write_string` (one that a spreadsheet would run gets Excel's quote
prefix, as typing a leading `'` does), every number through `write_number`; the workbook turns
no text into a formula, a number or a link. `created` is fixed and XlsxWriter gives the zip
members fixed timestamps: the same cells give the same bytes.
"""

from __future__ import annotations

import gc
import io
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import pandas as pd
from xlsxwriter import Workbook
from xlsxwriter.format import Format
from xlsxwriter.utility import xl_range
from xlsxwriter.worksheet import Worksheet

from lwtop_toolkit.readers.files.cellsafety import FORMULA_STARTS
from lwtop_toolkit.runtime.files import FIXED_CREATED

BOLD, TITLE = "bold", "title"  # the fonts of `Book.format`
TABLE_STYLE = "Table Style Light 1"
# Never a formula, a number or a link made out of a text.
WORKBOOK_OPTIONS: dict[str, Any] = {
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
}

# Paper: A4; a sheet whose columns are wider than this (characters) prints in landscape.
A4 = 9  # XlsxWriter's paper code
PORTRAIT_WIDTH = 95
DEFAULT_WIDTH = 8.43  # a column XlsxWriter leaves at Excel's default width

Value = str | int | None  # a cell of a data sheet: "" and None stay empty
Row = tuple[Sequence[Value], int, str]  # values, the column to fill (-1: none), its fill


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector paused while a workbook is written.

    XlsxWriter keeps a few objects per cell; the collector's passes over them (and over
    everything else alive) cost ~15 % of a school's workbook. The workbook is gone (unreachable)
    before the collector runs again: its first pass frees it (XlsxWriter's sheets and workbook
    refer to each other), instead of passing over it while it is still in use.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# --- the workbook --------------------------------------------------------------------------------


class Book:
    """One XlsxWriter workbook, its formats (made once each) and how rows are written."""

    def __init__(self, out: io.BytesIO, large: bool, folder: str | None) -> None:
        """`large`: constant-memory mode, rows strictly in order, temporary files in `folder`."""
        options = WORKBOOK_OPTIONS | (
            {"constant_memory": True, "tmpdir": folder} if large else {"in_memory": True}
        )
        self.workbook = Workbook(out, options)
        self.workbook.set_properties({"created": FIXED_CREATED})
        self.large = large
        self._formats: dict[tuple[str, str, bool], Format | None] = {("", "", False): None}
        self.quoted = self.format(quote=True)

    def format(self, *, font: str = "", fill: str = "", quote: bool = False) -> Format | None:
        """The format of a font (`BOLD`, `TITLE`), a solid fill and Excel's quote prefix."""
        key = (font, fill, quote)
        if key not in self._formats:
            properties: dict[str, Any] = {}
            if font:
                properties["bold"] = True
            if font == TITLE:
                properties["font_size"] = 14
            if fill:
                properties |= {"pattern": 1, "bg_color": "#" + fill}
            if quote:  # Excel's own text marker (as typing a leading '): stays text when edited
                properties["quote_prefix"] = True
            self._formats[key] = self.workbook.add_format(properties)
        return self._formats[key]

    def sheet(self, name: str, widths: Sequence[int] = ()) -> Worksheet:
        """A new sheet with these column widths (characters)."""
        sheet = self.workbook.add_worksheet(name)
        for column, width in enumerate(widths):
            sheet.set_column(column, column, width)
        return sheet

    def print_layout(
        self,
        sheet: Worksheet,
        last_row: int,
        widths: Sequence[float],
        *,
        header: bool = False,
    ) -> None:
        """Set `sheet` up for paper: A4, landscape when its `widths` (characters per column)
        are wide, one page wide and as many pages tall as it takes, the cells up to `last_row`
        (0-based) and the last column as the print area; with `header` the first row repeated
        on every page."""
        sheet.set_paper(A4)
        if sum(widths) > PORTRAIT_WIDTH:
            sheet.set_landscape()
        sheet.fit_to_pages(1, 0)
        if header:
            sheet.repeat_rows(0)
        sheet.print_area(0, 0, max(last_row, 0), max(len(widths) - 1, 0))

    def put(
        self, sheet: Worksheet, row: int, column: int, value: Any, *, font: str = "", fill: str = ""
    ) -> None:
        """One cell, any value: text stays text, numbers stay numbers, nothing is a formula."""
        if value is None or value is pd.NA or (isinstance(value, float) and value != value):
            value = ""
        elif not isinstance(value, (int, float, str)) or isinstance(value, bool):
            value = str(value)
        quote = isinstance(value, str) and value.startswith(FORMULA_STARTS)
        cell_format = self.format(font=font, fill=fill, quote=quote)
        if isinstance(value, str):
            if value:
                sheet.write_string(row, column, value, cell_format)
            elif cell_format is not None:
                sheet.write_blank(row, column, None, cell_format)
        else:
            sheet.write_number(row, column, value, cell_format)

    def rows(self, sheet: Worksheet, rows: Iterable[Row], first: int, first_column: int = 0) -> int:
        """Write `rows` from row `first` (0-based) on, from column `first_column`; returns how
        many. The hot path.

        It calls XlsxWriter's undecorated `_write_string` / `_write_number` (what
        `write_string` / `write_number` call after checking for A1 notation: ~8 % of a cell).
        """
        text, number, quoted = sheet._write_string, sheet._write_number, self.quoted
        row = first
        for values, filled, fill in rows:
            for column, value in enumerate(values, start=first_column):
                if column == filled:
                    self.put(sheet, row, column, value, fill=fill)
                elif isinstance(value, str):
                    if value:
                        risky = value.startswith(FORMULA_STARTS)
                        text(row, column, value, quoted if risky else None)
                elif value is not None:
                    number(row, column, value)
            row += 1
        return row - first

    def data_sheet(
        self, name: str, table: str, headers: Sequence[tuple[str, int]], rows: Iterable[Row]
    ) -> None:
        """A sheet with one Excel table `table` (filters, frozen header; in constant-memory
        mode an autofilter instead), `headers` as (text, width), fills where the rows ask."""
        sheet = self.sheet(name, [width for _, width in headers])
        sheet.freeze_panes(1, 0)
        for column, (header, _) in enumerate(headers):
            self.put(sheet, 0, column, header, font=BOLD)
        count = self.rows(sheet, rows, 1)
        self.print_layout(sheet, count, [width for _, width in headers], header=True)
        if count == 0:
            return  # an Excel table needs at least one data row
        if self.large:
            sheet.autofilter(0, 0, count, len(headers) - 1)
            return
        bold = self.format(font=BOLD)
        columns = [{"header": header, "header_format": bold} for header, _ in headers]
        last = len(headers) - 1
        # XlsxWriter's add_table checks every cell of its range against other tables and merged
        # ranges (~0.5 us a cell: a tenth of a school's workbook); this sheet has neither. So the
        # table is added over the header and the first row, then widened to all rows.
        sheet.add_table(0, 0, 1, last, {"name": table, "style": TABLE_STYLE, "columns": columns})
        added = sheet.tables[-1]
        added["range"] = added["a_range"] = added["autofilter"] = xl_range(0, 0, count, last)
