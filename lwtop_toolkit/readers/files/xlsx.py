"""Reading .xlsx workbooks into Sheets: cells as the text a person sees, rows numbered as Excel
numbers them, and what the workbook hides or merges reported (csv_text.py does CSV)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from lwtop_toolkit.findings import ToolkitError, concat, finding, frame
from lwtop_toolkit.model import SOURCE_ROW
from lwtop_toolkit.readers.files import merges, screening, spaces
from lwtop_toolkit.readers.files.screening import one_line
from lwtop_toolkit.readers.files.sheet import Sheet, restored, screen
from lwtop_toolkit.readers.files.sniffing import check_zip


def _cell_text(value: object) -> str:
    """An Excel cell as the text a person sees: whole numbers without `.0`, dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "WAAR" if value else "ONWAAR"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def read_workbook(path: Path, known: frozenset[str]) -> list[Sheet]:
    """Every visible worksheet of an .xlsx with data, as Sheets numbered like Excel's rows.

    Hidden sheets are not read (a finding names each one that has data); hidden rows are read
    and named in a finding; merged cells are filled in as Excel shows them (merges.py). `known`: the
    normalised headers a header row is recognised by (screening.find_header).
    """
    from python_calamine import CalamineError, CalamineWorkbook

    name = str(path)
    check_zip(path)
    sheets, hidden = [], []
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        for meta in workbook.sheets_metadata:
            sheet_data = workbook.get_sheet_by_name(meta.name)
            cells = sheet_data.to_python(skip_empty_area=False)
            if str(meta.visible).endswith("Visible") is False:
                if any(_cell_text(value).strip() for row in cells for value in row):
                    hidden.append(meta.name)
                continue
            merged = sheet_data.merged_cell_ranges or []
            sheet = _sheet_from_cells(name, meta.name, cells, known, merged)
            if sheet is not None:
                sheets.append(sheet)
    except (CalamineError, ValueError, OSError, TypeError) as error:
        raise ToolkitError(
            "unreadable-file",
            file=name,
            reason=f"de Excel-werkmap is niet te lezen ({one_line(error)}).",
        ) from None
    if not sheets:
        reason = "de werkmap heeft geen gegevens."
        if hidden:
            reason = (
                f"de werkmap heeft alleen verborgen tabbladen met gegevens ({', '.join(hidden)}). "
                "Maak het tabblad zichtbaar in Excel en sla de werkmap opnieuw op."
            )
        raise ToolkitError("unreadable-file", file=name, reason=reason)
    _mark_hidden(path, sheets, hidden)
    return sheets


def _mark_hidden(path: Path, sheets: list[Sheet], hidden_sheets: list[str]) -> None:
    """Findings for hidden rows that were read and hidden sheets that were not."""
    from lwtop_toolkit.readers.files.xlsx_meta import hidden_rows

    hidden = hidden_rows(path, [sheet.name for sheet in sheets])
    for sheet in sheets:
        rows = hidden.get(sheet.name, set())
        read = sheet.rows[SOURCE_ROW].isin(list(rows)) if rows else None
        if read is not None and read.any():
            notes = [
                finding("hidden-row", file=sheet.file, row=int(number))
                for number in sheet.rows.loc[read, SOURCE_ROW]
            ]
            sheet.findings = concat([sheet.findings, frame(notes)])
    if hidden_sheets:
        notes = [finding("hidden-sheet-skipped", file=str(path), value=name)
                 for name in hidden_sheets]  # fmt: skip
        sheets[0].findings = concat([sheets[0].findings, frame(notes)])


def _sheet_from_cells(
    file: str,
    sheet_name: str,
    cells: Sequence[Sequence[object]],
    known: frozenset[str],
    merged: Sequence[merges.Range] = (),
) -> Sheet | None:
    label = f"{file} [{sheet_name}]"
    texts = [[_cell_text(value) for value in row] for row in cells]
    header_index = screening.find_header(texts, known)
    if header_index is None:
        return None
    notes = screening.above_header(
        label, texts[:header_index], range(1, header_index + 1), header_index + 1
    )
    header = [cell.strip() for cell in texts[header_index]]
    while header and not header[-1]:
        header.pop()
    width = len(header)
    kept_rows, kept_numbers = [], []
    beyond: dict[int, int] = {}
    suspect = invisible = False
    for offset, row in enumerate(texts[header_index + 1 :]):
        if not any(cell.strip() for cell in row):
            continue
        number = header_index + 2 + offset
        for position in range(width, len(row)):
            if row[position].strip():
                beyond.setdefault(position, number)
        cells_in_width = (row + [""] * width)[:width]
        suspect = suspect or any(
            len(cell) > screening.MAX_CELL_CHARS or screening.CONTROL.search(cell)
            for cell in cells_in_width
        )
        invisible = invisible or spaces.may_hold("".join(cells_in_width))
        kept_rows.append(cells_in_width)
        kept_numbers.append(number)
    merge_notes, covered = merges.header_merges(label, texts, header_index, merged)
    merge_notes += merges.fill_merges(
        label, texts, header, header_index, merged, kept_rows, kept_numbers
    )
    rows = restored(pd.DataFrame(kept_rows, columns=range(width), dtype="str"))
    rows[SOURCE_ROW] = pd.array(kept_numbers, dtype="Int64")
    rows, screened = screen(rows, header, label, suspect, beyond, covered, invisible)
    findings = frame([*notes, *merge_notes, *screened])
    return Sheet(label, sheet_name, header, rows, header_index + 1, findings)
