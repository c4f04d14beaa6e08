"""The board overview `overzicht.xlsx`: per school the pupils per status and the findings,
and the pupils who change school within the board (`school_moves`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from lwtop_toolkit import findings as fd
from lwtop_toolkit.readers.files.cellsafety import neutralise_value
from lwtop_toolkit.runtime.files import workbook_bytes

if TYPE_CHECKING:
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
        sheet.append(
            [
                neutralise_value(bundle.school),
                neutralise_value(bundle.path.name),
                BUNDLE_STATUS[bundle.status],
                *[counts.get(status, 0) for status in statuses],
                *[severity[name] for name in fd.SEVERITIES],
            ]
        )
    for row in sheet.iter_rows(min_row=2, max_col=3):
        for cell in row:
            cell.data_type = "s"
    sheet.freeze_panes = "A2"
    for column, width in zip("ABC", (12, 34, 14), strict=True):
        sheet.column_dimensions[column].width = width
    if moves is not None:
        _moves_sheet(workbook.create_sheet(MOVES_SHEET), moves)
    return workbook_bytes(workbook)


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
    for column, (_, width) in enumerate(MOVE_HEADERS.values(), start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
