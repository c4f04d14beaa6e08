"""The board overview `overzicht.xlsx`: per school the pupils per status, both years' pupils and
the share of last year's that leaves without a successor (held or not), the findings, and the
pupils who change school within the board (`school_moves`)."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from lwtop_toolkit import findings as fd
from lwtop_toolkit.readers.files.cellsafety import neutralise_value
from lwtop_toolkit.runtime.files import workbook_bytes

if TYPE_CHECKING:
    from lwtop_toolkit.plan.hold import SchoolHold
    from lwtop_toolkit.writers.parts import SchoolBundle

STATUS_LABELS = {
    "promoted": "bevorderd",
    "retained": "doublure",
    "accelerated": "versneld",
    "demoted": "teruggezet",
    "continuing": "doorlopend",
    "new": "nieuw",
    "left": "vertrokken",
    "no_dossier": "geen dossier",
}
BUNDLE_STATUS = {"written": "geschreven", "unchanged": "ongewijzigd", "refused": "geweigerd"}
HELD = " (vastgehouden: export onvolledig?)"  # the outcome of a school the hold stopped
# Per school, after the pupils per status: both years, and who of last year leaves (plan/hold.py).
SHARE_HEADER = "aandeel vertrokken zonder opvolger"
HOLD_HEADERS = (
    "leerlingen vorig jaar",
    "leerlingen nieuw jaar",
    "vorig jaar, niet uitgestroomd",
    "vertrokken zonder opvolger",
    SHARE_HEADER,
)
MOVES_SHEET = "Wisselen van school"
MOVE_HEADERS: dict[str, tuple[str, int]] = {  # column of `school_moves`: header, width
    "leerling_id": ("Leerlingnummer", 15),
    "naam": ("Naam", 28),
    "van_school": ("Van school", 11),
    "groep_oud": ("Groep vorig jaar", 16),
    "naar_school": ("Naar school", 11),
    "groep_nieuw": ("Groep nieuw jaar", 16),
    "leerling_id_oud": ("Leerlingnummer vorig jaar", 15),
}
NO_MOVES = "(geen: geen leerling gaat naar een andere school van deze levering)"
# Column widths (characters): from the values and the longest word of the header (which wraps).
MIN_WIDTH, MAX_WIDTH = 8, 50
PORTRAIT_WIDTH = 95  # wider than this prints in landscape
LINE_HEIGHT = 15  # points per line of the header


def overview_bytes(bundles: Sequence[SchoolBundle], moves: pd.DataFrame | None = None) -> bytes:
    """One row per school: bundle, pupils per status, findings per severity; and, on the sheet
    `Wisselen van school`, the `moves` (when given): `left` at one school, `new` at another."""
    tallies = [bundle.plan.status_counts() for bundle in bundles]
    statuses = [
        status for status in STATUS_LABELS if any(tally.get(status, 0) for tally in tallies)
    ]
    header = [
        "school",
        "bundel",
        "uitkomst",
        *[STATUS_LABELS[status] for status in statuses],
        *HOLD_HEADERS,
        *[f"bevindingen: {fd.SEVERITY_LABELS[severity]}" for severity in fd.SEVERITIES],
    ]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Overzicht"
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for bundle, counts in zip(bundles, tallies, strict=True):
        severity = fd.counts(bundle.findings)
        held = bundle.hold
        sheet.append(
            [
                neutralise_value(bundle.school),
                neutralise_value(bundle.path.name),
                BUNDLE_STATUS[bundle.status] + (HELD if held is not None and held.held else ""),
                *[counts.get(status, 0) for status in statuses],
                *_hold_cells(held),
                *[severity[name] for name in fd.SEVERITIES],
            ]
        )
    share_column = 4 + len(statuses) + HOLD_HEADERS.index(SHARE_HEADER)
    for row in sheet.iter_rows(min_row=2, max_col=3):
        for cell in row:
            cell.data_type = "s"
    for (cell,) in sheet.iter_rows(min_row=2, min_col=share_column, max_col=share_column):
        cell.number_format = "0%"
    sheet.freeze_panes = "A2"
    _layout(sheet)
    if moves is not None:
        _moves_sheet(workbook.create_sheet(MOVES_SHEET), moves)
    return workbook_bytes(workbook)


def _hold_cells(held: SchoolHold | None) -> list[int | float | None]:
    """Last year's and this year's pupils, and the share that leaves without a successor."""
    if held is None:
        return [None] * len(HOLD_HEADERS)
    return [held.pupils_old, held.pupils_new, held.staying, held.left, round(held.share, 4)]


def _moves_sheet(sheet: Worksheet, moves: pd.DataFrame) -> None:
    sheet.append([header for header, _ in MOVE_HEADERS.values()])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    rows = moves.loc[:, list(MOVE_HEADERS)].itertuples(index=False, name=None)
    for row in rows if not moves.empty else [(NO_MOVES,)]:
        sheet.append([neutralise_value(str(value)) for value in row])
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.data_type = "s"
    sheet.freeze_panes = "A2"
    _layout(sheet, [width for _, width in MOVE_HEADERS.values()])


def _layout(sheet: Worksheet, least: Sequence[int] = ()) -> None:
    """Each column as wide as its values and the longest word of its header (at least `least`,
    at most `MAX_WIDTH`), the header wrapped in a row tall enough for its lines; on paper: A4,
    landscape when wide, one page wide, the header repeated on each page, the cells filled as
    the print area."""
    widths, lines = [], 1
    for number, (header, *cells) in enumerate(sheet.iter_cols(), start=1):
        title = str(header.value or "")
        longest = max(
            [len(word) for word in title.split()]
            + [len(str(cell.value)) for cell in cells if cell.value is not None]
            + [least[number - 1] if number <= len(least) else MIN_WIDTH, MIN_WIDTH]
        )
        width = min(longest + 2, MAX_WIDTH)
        widths.append(width)
        sheet.column_dimensions[get_column_letter(number)].width = width
        header.alignment = Alignment(wrap_text=True, vertical="top")
        lines = max(lines, len(textwrap.wrap(title, width - 2)))
    sheet.row_dimensions[1].height = LINE_HEIGHT * lines
    setup = sheet.page_setup
    setup.paperSize = sheet.PAPERSIZE_A4
    if sum(widths) > PORTRAIT_WIDTH:
        setup.orientation = "landscape"
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    setup.fitToWidth, setup.fitToHeight = 1, 0
    sheet.print_title_rows = "1:1"
    sheet.print_area = f"A1:{get_column_letter(sheet.max_column)}{sheet.max_row}"
