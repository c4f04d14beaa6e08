"""The audit workbook `overgang.xlsx`: the transition plan for a coordinator and an analyst.

Sheets: `Samenvatting` (the counts), `Leerlingen` (one row per pupil: an Excel table with
filters, frozen header, status colours), `Groepen` (every new group, and old groups without
successor), `Doorstroom` (old x new group matrix per school, with a colour scale) and
`Bevindingen`. Headers and values are Dutch. Every cell holds a text or a number, never a
formula. Written in openpyxl's write-only mode (a million pupils fit) with fixed timestamps:
the same plan gives the same bytes.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.filters import AutoFilter
from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo

from .. import findings as fd
from ..anomalies import flag_titles
from ..cellsafety import FORMULA_STARTS
from ..transition import TransitionPlan, flow_matrix
from ..transition_frames import (
    STATUS_EXPLAINED,
    STATUS_LABELS,
    shown_status_labels,
    status_keys,
    status_labels,
)
from .files import workbook_bytes, write_atomically

AUDIT_NAME = "overgang.xlsx"
SHEETS: tuple[str, ...] = ("Samenvatting", "Leerlingen", "Groepen", "Doorstroom", "Bevindingen")
# Light fills, readable in print; the same colour per status everywhere.
STATUS_FILLS: dict[str, str] = {
    "promoted": "C6EFCE",
    "retained": "FFE699",
    "accelerated": "D9D2E9",
    "demoted": "F4B183",
    "continuing": "DDEBF7",
    "new": "9BC2E6",
    "left-graduated": "D9D9D9",
    "left-other": "FFC7CE",
    "no_dossier": "EDEDED",
}
SEVERITY_FILLS: dict[str, str] = {"error": "FFC7CE", "warning": "FFE699", "info": "DDEBF7"}
MATCHED_BY_LABELS: dict[str, str] = {
    "leerling_id": "leerlingnummer",
    "eckid": "ECK-iD",
    "leerling_id-zonder-voorloopnullen": "leerlingnummer zonder voorloopnullen",
}
SOORT_LABELS = {"stamgroep": "stamgroep", "samengestelde_groep": "samengestelde groep"}
SECTOR_LABELS = {"po": "PO", "so": "SO/VSO", "vo": "VO"}
YEAR_LABELS = {"nieuw": "nieuw jaar", "oud": "vorig jaar, zonder opvolger"}
_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)

# (header, width) per column of the data sheets; the data comes from `_pupil_columns` etc.
PUPIL_HEADERS: tuple[tuple[str, int], ...] = (
    ("Leerlingnummer", 15), ("Naam", 28), ("Geboortedatum", 14), ("School", 9),
    ("Groep vorig jaar", 16), ("Jaargroep vorig jaar", 11), ("Groep nieuw jaar", 16),
    ("Jaargroep nieuw jaar", 11), ("Samengestelde groepen", 20), ("Status", 24),
    ("Bijzonderheden", 40), ("Leerlingnummer vorig jaar", 15), ("Gekoppeld via", 16),
    ("Rij vorig jaar", 9), ("Rij nieuw jaar", 9),
)  # fmt: skip
GROUP_HEADERS: tuple[tuple[str, int], ...] = (
    ("Jaar", 24), ("School", 9), ("Groep", 14), ("Groep-id", 16), ("Soort", 18), ("Sector", 8),
    ("Jaargroep", 10), ("Jaargroepen leerlingen", 12), ("Leerlingen", 11),
    ("Uit vorig jaar", 11), ("Doublures", 10), ("Nieuw", 8), ("Vertrokken", 11),
    ("Uitgestroomd", 12), ("Herkomst", 40), ("Medewerkers (gekoppeld in export)", 36),
    ("Bijzonderheden", 30), ("Rij", 7),
)  # fmt: skip
FINDING_HEADERS: tuple[tuple[str, int], ...] = (
    ("Ernst", 13), ("Code", 26), ("Titel", 30), ("Melding", 90), ("Bestand", 30), ("Tabel", 12),
    ("Rij", 7), ("Kolom", 16), ("Waarde", 20),
)  # fmt: skip


def audit_workbook_bytes(plan: TransitionPlan, findings: pd.DataFrame | None = None) -> bytes:
    """The audit workbook of `plan` as .xlsx bytes (the same plan gives the same bytes).

    `findings` (default: the plan's own) fill the sheet `Bevindingen`; pass the findings of
    reading and validating both years too, to show everything in one place.
    """
    findings = plan.findings if findings is None else findings
    workbook = Workbook(write_only=True)
    _summary_sheet(workbook.create_sheet(SHEETS[0]), plan, findings)
    _table_sheet(
        workbook.create_sheet(SHEETS[1]), "Leerlingen", PUPIL_HEADERS, _pupil_rows(plan.students)
    )
    _table_sheet(workbook.create_sheet(SHEETS[2]), "Groepen", GROUP_HEADERS, _group_rows(plan))
    _flow_sheet(workbook.create_sheet(SHEETS[3]), plan)
    _table_sheet(
        workbook.create_sheet(SHEETS[4]), "Bevindingen", FINDING_HEADERS, _finding_rows(findings)
    )
    return workbook_bytes(workbook)


def write_audit_workbook(
    plan: TransitionPlan, path: Path | str, findings: pd.DataFrame | None = None
) -> Path:
    """Write the audit workbook to `path` (atomically); returns the path."""
    return write_atomically(Path(path), audit_workbook_bytes(plan, findings))


# --- cells ---------------------------------------------------------------------------------------


def _cell(
    sheet: WriteOnlyWorksheet, value: Any, *, fill: str = "", font: Font | None = None
) -> Any:
    """A value for `sheet.append`: text stays text (never a formula), numbers stay numbers."""
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        value = None
    elif not isinstance(value, (int, float, str)):
        value = str(value)
    if isinstance(value, str) and value == "":
        value = None
    risky = isinstance(value, str) and value.startswith(FORMULA_STARTS)
    needs_cell = fill or font or risky
    if not needs_cell:
        return value
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # openpyxl would store a leading "=" as a live formula
    if risky:  # Excel's own text marker (as typing a leading '): stays text when edited
        cell.quotePrefix = True
    if fill:
        cell.fill = PatternFill("solid", fgColor=fill)
    if font:
        cell.font = font
    return cell


def _header(sheet: WriteOnlyWorksheet, headers: Sequence[tuple[str, int]]) -> None:
    for number, (_, width) in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = width
    sheet.append([_cell(sheet, name, font=_BOLD) for name, _ in headers])


# --- the data sheets -----------------------------------------------------------------------------


Row = list[Any]
FillRow = tuple[Row, dict[int, str]]  # values, and fills per column position


def _table_sheet(
    sheet: WriteOnlyWorksheet,
    name: str,
    headers: Sequence[tuple[str, int]],
    rows: Iterable[FillRow],
) -> None:
    """A sheet with one Excel table: filters, frozen header, fills where the rows ask."""
    sheet.freeze_panes = "A2"
    _header(sheet, headers)
    count = 0
    for values, fills in rows:
        sheet.append([_cell(sheet, value, fill=fills.get(i, "")) for i, value in enumerate(values)])
        count += 1
    if count == 0:
        return  # an Excel table needs at least one data row
    ref = f"A1:{get_column_letter(len(headers))}{count + 1}"
    table = Table(displayName=name, ref=ref)
    table.tableColumns = [TableColumn(id=i, name=h) for i, (h, _) in enumerate(headers, start=1)]
    table.autoFilter = AutoFilter(ref=ref)
    table.tableStyleInfo = TableStyleInfo(name="TableStyleLight1", showRowStripes=True)
    with warnings.catch_warnings():  # openpyxl warns in write-only mode even with columns given
        warnings.filterwarnings("ignore", "In write-only mode", UserWarning)
        sheet.add_table(table)


def _text(series: pd.Series) -> list[Any]:
    return series.astype("str").fillna("").tolist()


def _numbers(series: pd.Series) -> list[Any]:
    return [None if pd.isna(value) else int(value) for value in series]


def _pupil_rows(students: pd.DataFrame) -> Iterable[FillRow]:
    born = students["geboortedatum"]
    fills = status_keys(students).map(STATUS_FILLS).fillna("").tolist()
    columns = [
        _text(students["leerling_id"]),
        _text(students["naam"]),
        _text(born.dt.strftime("%d-%m-%Y").where(born.notna(), "")),
        _text(students["school"]),
        _text(students["groep_oud"]),
        _text(students["jaargroep_oud"]),
        _text(students["groep_nieuw"]),
        _text(students["jaargroep_nieuw"]),
        _text(students["samengestelde_groepen_nieuw"]),
        _text(status_labels(students)),
        _text(flag_titles(students["flags"])),
        _text(students["leerling_id_oud"]),
        _text(students["matched_by"].map(MATCHED_BY_LABELS).fillna("")),
        _numbers(students["_row_oud"]),
        _numbers(students["_row_nieuw"]),
    ]
    status_column = 9
    for values, fill in zip(zip(*columns, strict=True), fills, strict=True):
        yield list(values), ({status_column: fill} if fill else {})


def _group_rows(plan: TransitionPlan) -> Iterable[FillRow]:
    groups = plan.groups
    counts = ["leerlingen", "uit_vorig_jaar", "doublures", "nieuw", "vertrokken", "uitgestroomd"]
    columns = [
        _text(groups["jaar"].map(YEAR_LABELS).fillna(groups["jaar"])),
        _text(groups["school"]),
        _text(groups["groepsnaam"]),
        _text(groups["groep_id"]),
        _text(groups["soort"].map(SOORT_LABELS).fillna(groups["soort"])),
        _text(groups["sector"].map(SECTOR_LABELS).fillna("")),
        _text(groups["jaargroep"]),
        _text(groups["jaargroepen"]),
        *[_numbers(groups[column]) for column in counts],
        _text(groups["herkomst"]),
        _text(groups["medewerkers"]),
        _text(flag_titles(groups["flags"])),
        _numbers(groups["_row"]),
    ]
    old = groups["jaar"].eq("oud").tolist()
    for values, is_old in zip(zip(*columns, strict=True), old, strict=True):
        yield list(values), ({0: STATUS_FILLS["left-graduated"]} if is_old else {})


def _finding_rows(findings: pd.DataFrame) -> Iterable[FillRow]:
    shown = fd.sort(findings)
    titles = shown["code"].map(lambda c: fd.CATALOGUE[c].title if c in fd.CATALOGUE else "")
    columns = [
        _text(shown["severity"].map(fd.SEVERITY_LABELS).fillna(shown["severity"])),
        _text(shown["code"]),
        _text(titles),
        _text(shown["message"]),
        _text(shown["file"]),
        _text(shown["table"]),
        _numbers(shown["row"]),
        _text(shown["column"]),
        _text(shown["value"]),
    ]
    fills = shown["severity"].map(SEVERITY_FILLS).fillna("").tolist()
    for values, fill in zip(zip(*columns, strict=True), fills, strict=True):
        yield list(values), ({0: fill} if fill else {})


# --- summary and flow ----------------------------------------------------------------------------


def _summary_sheet(sheet: WriteOnlyWorksheet, plan: TransitionPlan, findings: pd.DataFrame) -> None:
    widths = (34, 14, 12, 12, 12, 12, 12, 12, 12, 14, 14)
    for number, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = width

    def line(*values: Any, font: Font | None = None, fills: dict[int, str] | None = None) -> None:
        fills = fills or {}
        sheet.append(
            [
                _cell(sheet, v, font=font if i == 0 else None, fill=fills.get(i, ""))
                for i, v in enumerate(values)
            ]
        )

    years = f"{plan.schooljaar_oud or 'onbekend'} → {plan.schooljaar_nieuw or 'onbekend'}"
    line(f"Schooljaarovergang {years}", font=_TITLE)
    line()
    totals = plan.totals()
    line("Leerlingen vorig jaar", totals["old"])
    line("Leerlingen nieuw jaar", totals["new"])
    line("In beide jaren", totals["matched"])
    verdict = "ja" if plan.totals_add_up() else "NEE: meld dit aan de beheerders"
    line("Elke leerling precies één keer geteld", verdict)
    line()
    line("Status", "Leerlingen", "Betekenis", font=_BOLD)
    tally = status_keys(plan.students).value_counts()
    for key, label in shown_status_labels(plan.scoped).items():
        line(label, int(tally.get(key, 0)), STATUS_EXPLAINED[key], fills={0: STATUS_FILLS[key]})
    for level, title in (("jaargroep", "Per jaargroep"), ("school", "Per school")):
        line()
        line(title, font=_BOLD)
        line(
            "Jaargroep" if level == "jaargroep" else "School",
            "Vorig jaar",
            "Nieuw jaar",
            *(STATUS_LABELS[s] for s in ("promoted", "retained", "accelerated", "demoted")),
            STATUS_LABELS["continuing"],
            STATUS_LABELS["new"],
            "vertrokken",
            "uitgestroomd",
            font=_BOLD,
        )
        part = plan.summary[plan.summary["niveau"].eq(level)]
        for row in part.itertuples(index=False):
            line(
                row.waarde or "(leeg)",
                row.leerlingen_oud,
                row.leerlingen_nieuw,
                row.promoted,
                row.retained,
                row.accelerated,
                row.demoted,
                row.continuing,
                row.new,
                row.left,
                row.uitgestroomd,
            )
    line()
    counts = fd.counts(findings)
    line("Bevindingen", font=_BOLD)
    for severity in fd.SEVERITIES:
        line(fd.SEVERITY_LABELS[severity], counts[severity], fills={0: SEVERITY_FILLS[severity]})
    line()
    line("Tabbladen", font=_BOLD)
    for name, text in (
        ("Leerlingen", "elke leerling van beide jaren met groep, jaargroep en status; filter "
         "op de kolommen"),
        ("Groepen", "elke groep van het nieuwe jaar: grootte, herkomst, doublures, nieuwe "
         "leerlingen; en de oude groepen zonder opvolger"),
        ("Doorstroom", "per school: hoeveel leerlingen van elke oude groep naar elke nieuwe "
         "groep gaan"),
        ("Bevindingen", "wat gecontroleerd moet worden, met bestand en rij"),
    ):  # fmt: skip
        line(name, text)


def _flow_sheet(sheet: WriteOnlyWorksheet, plan: TransitionPlan) -> None:
    """Per school the old x new matrix with row and column totals and a colour scale."""
    sheet.column_dimensions["A"].width = 28
    row = 0
    for school in plan.schools():
        matrix = flow_matrix(plan, school)
        if matrix.empty:
            continue
        sheet.append([_cell(sheet, f"School {school}", font=_TITLE)])
        header = ["Vorig jaar ↓  nieuw jaar →", *matrix.columns, "Totaal"]
        sheet.append([_cell(sheet, value, font=_BOLD) for value in header])
        first = row + 3
        for label, counts in matrix.iterrows():
            values = [int(v) for v in counts]
            sheet.append([_cell(sheet, str(label), font=_BOLD), *values, sum(values)])
        totals = [int(v) for v in matrix.sum(axis=0)]
        sheet.append([_cell(sheet, "Totaal", font=_BOLD), *totals, sum(totals)])
        last = first + len(matrix) - 1
        cells = f"B{first}:{get_column_letter(len(matrix.columns) + 1)}{last}"
        scale = ColorScaleRule(
            start_type="num", start_value=0, start_color="FFFFFF",
            end_type="max", end_color="5B9BD5",
        )  # fmt: skip
        sheet.conditional_formatting.add(cells, scale)
        sheet.append([])
        row = last + 2
