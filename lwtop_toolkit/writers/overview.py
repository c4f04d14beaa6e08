"""The board overview `overzicht.xlsx`: per school the pupils per status and the findings."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from openpyxl import Workbook
from openpyxl.styles import Font

from .. import findings as fd
from ..cellsafety import neutralise_value
from .files import workbook_bytes

if TYPE_CHECKING:
    from .bundle import SchoolBundle

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


def overview_bytes(bundles: Sequence[SchoolBundle]) -> bytes:
    """One row per school: bundle, pupils per status, findings per severity."""
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
    return workbook_bytes(workbook)
