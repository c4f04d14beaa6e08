"""The staff–group assignment workbook (step 2): one row per new stamgroep, pre-filled.

Sheets: `Toewijzing` (the stamgroepen, then the samengestelde groepen, marked in the column
`Soort`; the `Leerkracht N` cells with a drop-down list of the eligible
staff, where each suggestion came from, who taught the pupils last year), `Medewerkers` (who can
be linked, and apart who cannot and why), `Uitleg` (Dutch instructions) and a hidden sheet with
the school year, the BRIN and a fingerprint of the group list, which `read_staff_sheet` checks.

Safety: every cell taken from the data is a text cell, never a formula (`data_type = "s"`). A
text that a spreadsheet would take for a formula once it is retyped, pasted or saved as CSV (it
starts with `=`, `+`, `-`, `@`, a tab or a carriage return) also gets the team's text marker, a
leading `'` (`cellsafety.neutralise_value`): the value stays readable, and `read_staff_sheet`
removes exactly that marker again. The same input gives the same bytes (`files.workbook_bytes`).

A workbook names the school year it is for: without the new year's (`Tables.schooljaar`) none is
written (ToolkitError `staff-sheet-no-year`), as it could not be told apart from another year's.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from lwtop_toolkit.findings import ToolkitError
from lwtop_toolkit.las.catalogue import COMMANDS, Ways
from lwtop_toolkit.model import STAMGROEP, Tables, year_shown, year_word
from lwtop_toolkit.readers.files.cellsafety import neutralise_value
from lwtop_toolkit.runtime.files import workbook_bytes, write_atomically
from lwtop_toolkit.sheets.paper import LINE_HEIGHT, set_for_paper, wrapped_lines
from lwtop_toolkit.steps.staffing import (
    MAX_SUGGESTED,
    SOURCE_LABELS,
    StaffPlan,
    fingerprint,
    suggest_staff,
)

# The layout, shared with readers/staffsheet.py.
SHEET_ASSIGNMENT = "Toewijzing"
SHEET_STAFF = "Medewerkers"
SHEET_HELP = "Uitleg"
SHEET_META = "lwtop"
# The fixed columns (the table's keys), headed in the school's words: the year column says
# Jaargroep (PO, SO), Leerjaar (VO, MBO: 1-6, the data keeps 11-16) or both for a mix.
STRUCTURE_KEYS: tuple[str, ...] = ("groep_id", "groepsnaam", "jaargroep", "aantal_leerlingen")
STRUCTURE_HEADERS: tuple[str, ...] = ("Groepscode", "Groepsnaam", "Jaargroep", "Aantal leerlingen")
YEAR_HEADERS: dict[str, str] = {
    "groep": "Jaargroep",
    "leerjaar": "Leerjaar",
    "groep/leerjaar": "Jaargroep/leerjaar",
}
# What each fixed column may be headed when read back: the headers of earlier versions too (a
# coordinator may hand in last week's workbook, headed `groep_id`).
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "groep_id": ("Groepscode", "groep_id"),
    "groepsnaam": ("Groepsnaam",),
    "jaargroep": tuple(YEAR_HEADERS.values()),
    "aantal_leerlingen": ("Aantal leerlingen",),
}
TEACHER_HEADER = "Leerkracht {n}"
SOURCE_HEADER = "Bron suggestie"
PREVIOUS_HEADER = "Vorig jaar"
SOORT_HEADER = "Soort"  # with samengestelde groepen only: read back never
STAMGROEP_LABEL, SAMENGESTELDE_LABEL = "stamgroep", "samengestelde groep"
SCHOOL_HEADER = "School"  # last, on a board only: read back by name, never needed
STAFF_HEADERS: tuple[str, ...] = (
    "Keuzelijst",
    "medewerker_id",
    "Roepnaam",
    "Tussenvoegsel",
    "Achternaam",
    "Rol",
    "E-mail",
)
NOT_LINKABLE_TITLE = "Medewerkers die niet gekoppeld kunnen worden"
NOT_LINKABLE_HEADERS: tuple[str, ...] = ("Naam", "medewerker_id", "Rol", "Reden")
META_KIND = "lwtop-toewijzing"
META_VERSION = "1"
# Keys of the hidden sheet (column A), their values in column B.
META_KEYS: tuple[str, ...] = ("werkmap", "versie", "schooljaar", "brin", "vingerafdruk")

_BOLD = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
_UNLOCKED = Protection(locked=False)
_WRAP = Alignment(wrap_text=True, vertical="top")
HELP_WIDTH = 110  # the Uitleg column, in characters


def write_staff_sheet(old: Tables, new: Tables, path: Path | str) -> Path:
    """Write the pre-filled assignment workbook for the new year's stamgroepen to `path`.

    The file is written to a temporary name and then renamed: an interrupted run leaves no
    half-written workbook. Returns the path.
    """
    return write_staff_plan(suggest_staff(old, new), path)


def write_staff_plan(plan: StaffPlan, path: Path | str) -> Path:
    """Write the workbook of an already computed `plan` (atomically, like `write_staff_sheet`)."""
    return write_atomically(Path(path), staff_sheet_bytes(plan))


def staff_sheet_bytes(plan: StaffPlan, ways: Ways | None = None) -> bytes:
    """The workbook of `plan` as bytes; the same plan always gives the same bytes. `ways`: how
    its `Uitleg` names reading it back (the commands by default, or the app's steps).

    Raises ToolkitError (`staff-sheet-no-year`) when the plan's school year is unknown."""
    if not plan.schooljaar:
        raise ToolkitError("staff-sheet-no-year", brin=plan.brin or "onbekend")
    workbook = Workbook()
    workbook.remove(workbook.active)
    teachers = teacher_count(plan)
    assignment = workbook.create_sheet(SHEET_ASSIGNMENT)
    staff = workbook.create_sheet(SHEET_STAFF)
    lists = _fill_staff(staff, plan)
    _fill_assignment(assignment, plan, teachers, lists)
    _fill_help(workbook.create_sheet(SHEET_HELP), plan, teachers, ways or COMMANDS)
    _fill_meta(workbook.create_sheet(SHEET_META), plan)
    workbook.active = 0
    workbook.properties.creator = "lwtop-toolkit"
    return workbook_bytes(workbook)


def teacher_count(plan: StaffPlan) -> int:
    """The number of `Leerkracht N` columns: 3, or more when the export links more to a group."""
    longest = max((len(staff) for staff in plan.groups["medewerkers"]), default=0)
    return max(MAX_SUGGESTED, longest)


def teacher_headers(count: int) -> list[str]:
    return [TEACHER_HEADER.format(n=n) for n in range(1, count + 1)]


def assignment_headers(count: int, jaargroepen: Iterable[str] = ()) -> list[str]:
    return [*structure_headers(jaargroepen), *teacher_headers(count), SOURCE_HEADER,
            PREVIOUS_HEADER]  # fmt: skip


def _year_parts(jaargroepen: Iterable[str]) -> list[str]:
    """Every year a column names, a combination (`1/2`, `11/12`) split into its years."""
    return [part for text in jaargroepen for part in str(text).split("/") if part]


def year_header(jaargroepen: Iterable[str]) -> str:
    """The year column's header for groups of these jaargroepen (codes as the data keeps them)."""
    return YEAR_HEADERS[year_word(_year_parts(jaargroepen))]


def structure_headers(jaargroepen: Iterable[str] = ()) -> tuple[str, ...]:
    """The fixed columns' headers for groups of these jaargroepen."""
    return (*STRUCTURE_HEADERS[:2], year_header(jaargroepen), STRUCTURE_HEADERS[3])


def shown_years(jaargroep: str) -> str:
    """A group's jaargroep as the workbook shows it: `12` as `2`, `11/12` as `1/2`."""
    return "/".join(year_shown(part) for part in str(jaargroep).split("/"))


def source_label(code: str, jaargroepen: Iterable[str] = ()) -> str:
    """`SOURCE_LABELS[code]` in the school's word for a year (`zelfde leerjaar vorig jaar`)."""
    return _in_school_words(SOURCE_LABELS[code], jaargroepen)


def _in_school_words(text: str, jaargroepen: Iterable[str]) -> str:
    return text.replace("jaargroep", year_header(jaargroepen).lower())


def set_text(cell: Cell, value: str) -> None:
    """Put `value` into `cell` as text, never as a formula (see the module docstring)."""
    if not value:
        return
    cell.value = neutralise_value(value)
    cell.data_type = "s"


def _header(sheet: Worksheet, row: int, headers: Iterable[str]) -> None:
    for column, text in enumerate(headers, start=1):
        cell = sheet.cell(row=row, column=column)
        set_text(cell, text)
        cell.font = _BOLD
        cell.fill = _HEADER_FILL


def _protect(sheet: Worksheet) -> None:
    """Sheet protection without a password; columns and rows may still be resized."""
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False


def _widths(sheet: Worksheet, widths: Iterable[float]) -> None:
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width


def _composites(plan: StaffPlan) -> bool:
    """Whether the workbook offers samengestelde groepen (then the column `Soort` marks them)."""
    return bool(plan.groups["soort"].ne(STAMGROEP).any()) if "soort" in plan.groups else False


def soort_label(soort: str) -> str:
    """The Dutch word the column `Soort` shows for a group's `soort`."""
    return STAMGROEP_LABEL if soort == STAMGROEP else SAMENGESTELDE_LABEL


def _several(plan: StaffPlan) -> bool:
    """Whether the workbook is of a board: its groups are of several schools."""
    return bool(plan.groups["school"].ne("").any()) if "school" in plan.groups else False


def _staff_rows(plan: StaffPlan) -> pd.DataFrame:
    """The rows of the `Medewerkers` list, with `school`: on a board the staff of each school
    together, school by school (a person of two schools in both), so that each group's
    drop-down lists its own school's staff; else everyone once, with `school` ""."""
    eligible = plan.eligible
    if not _several(plan) or plan.homes.empty:
        return eligible.assign(school="")
    at = pd.Series(range(len(eligible)), index=eligible["medewerker_id"])
    homes = plan.homes.assign(at=plan.homes["medewerker_id"].map(at))
    homes = homes.sort_values(["school", "at"], kind="stable")
    rows = eligible.iloc[homes["at"].to_numpy()].assign(school=homes["school"].to_numpy())
    homeless = eligible[~eligible["medewerker_id"].isin(homes["medewerker_id"])]
    return pd.concat([rows, homeless.assign(school="")], ignore_index=True)


def _fill_assignment(
    sheet: Worksheet, plan: StaffPlan, teachers: int, lists: dict[str, str]
) -> None:
    """The groups and their teacher cells; `lists`: the drop-down's range per school ("" for
    a school without a list of its own: the whole list)."""
    several, composites = _several(plan), _composites(plan)
    headers = [
        *assignment_headers(teachers, plan.groups["jaargroep"]),
        *([SOORT_HEADER] if composites else []),
        *([SCHOOL_HEADER] if several else []),
    ]
    _header(sheet, 1, headers)
    labels = dict(zip(plan.eligible["medewerker_id"], plan.eligible["label"], strict=True))
    first_teacher = len(STRUCTURE_HEADERS) + 1
    groups = plan.groups
    sources = {code: source_label(code, groups["jaargroep"]) for code in SOURCE_LABELS}
    for offset, record in enumerate(groups.itertuples(index=False)):
        row = offset + 2
        set_text(sheet.cell(row=row, column=1), record.groep_id)
        set_text(sheet.cell(row=row, column=2), record.groepsnaam)
        set_text(sheet.cell(row=row, column=3), shown_years(record.jaargroep))
        sheet.cell(row=row, column=4, value=int(record.aantal_leerlingen))
        for n in range(teachers):
            cell = sheet.cell(row=row, column=first_teacher + n)
            cell.protection = _UNLOCKED
            cell.fill = _INPUT_FILL
            if n < len(record.medewerkers):
                set_text(cell, labels[record.medewerkers[n]])
        set_text(sheet.cell(row=row, column=first_teacher + teachers), sources[record.bron])
        previous = sheet.cell(row=row, column=first_teacher + teachers + 1)
        set_text(previous, record.vorig_jaar)
        extra = first_teacher + teachers + 2
        if composites:  # a Plusklas is offered too, marked
            set_text(sheet.cell(row=row, column=extra), soort_label(record.soort))
            extra += 1
        if several:  # a board: two schools may both have a group 1A
            set_text(sheet.cell(row=row, column=extra), record.school)
    first, last = get_column_letter(first_teacher), get_column_letter(first_teacher + teachers - 1)
    schools = groups["school"] if several else pd.Series("", index=groups.index)
    for school, rows in pd.Series(range(2, len(groups) + 2)).groupby(schools.to_numpy()):
        source = lists.get(str(school)) or lists.get("")
        if source:
            choice = _choice(source)
            for start, end in _runs(rows.tolist()):
                choice.add(f"{first}{start}:{last}{end}")
            sheet.add_data_validation(choice)
    longest_label = max((len(label) for label in plan.eligible["label"]), default=20)
    longest_previous = max((len(text) for text in groups["vorig_jaar"]), default=10)
    _widths(
        sheet,
        [14, 14, 11, 18, *[max(24, longest_label + 4)] * teachers, 28,
         min(90, max(12, longest_previous + 2)), *([20] if composites else []),
         *([10] if several else [])],
    )  # fmt: skip
    sheet.freeze_panes = "C2"  # the header and the group id and name stay in view
    set_for_paper(sheet, 1, len(headers))
    _protect(sheet)


def _runs(rows: list[int]) -> list[tuple[int, int]]:
    """Consecutive row numbers as (first, last) runs."""
    runs: list[tuple[int, int]] = []
    for row in rows:
        if runs and runs[-1][1] == row - 1:
            runs[-1] = (runs[-1][0], row)
        else:
            runs.append((row, row))
    return runs


def _choice(source: str) -> DataValidation:
    """The teacher drop-down, choosing from the `Medewerkers` cells `source`."""
    return DataValidation(
        type="list",
        formula1=source,
        allow_blank=True,
        showDropDown=False,  # sic: False shows the arrow
        showInputMessage=True,
        promptTitle="Leerkracht",
        prompt="Kies een leerkracht uit de lijst, of maak de cel leeg.",
        showErrorMessage=True,
        errorStyle="warning",
        errorTitle="Niet in de lijst",
        error="Deze naam staat niet in de lijst. Kies liever uit de lijst: een getypte naam "
        "wordt alleen herkend als precies één medewerker zo heet.",
    )


def _fill_staff(sheet: Worksheet, plan: StaffPlan) -> dict[str, str]:
    """The staff who can be linked and, below, who cannot. Returns the drop-down's source
    range per school (key "": the whole list; on a board also each school's own block)."""
    several = _several(plan)
    _header(sheet, 1, [*STAFF_HEADERS, *([SCHOOL_HEADER] if several else [])])
    staff = _staff_rows(plan)
    columns = ["label", "medewerker_id", "roepnaam", "tussenvoegsel", "achternaam", "rol", "email"]
    columns += ["school"] if several else []
    for row, record in enumerate(staff.loc[:, columns].itertuples(index=False), 2):
        for column, value in enumerate(record, start=1):
            set_text(sheet.cell(row=row, column=column), str(value))
    lists = {"": f"{SHEET_STAFF}!$A$2:$A${len(staff) + 1}"} if len(staff) else {}
    for school, rows in pd.Series(range(2, len(staff) + 2)).groupby(staff["school"].to_numpy()):
        if school:
            lists[str(school)] = f"{SHEET_STAFF}!$A${rows.min()}:$A${rows.max()}"
    start = len(staff) + 3
    title = sheet.cell(row=start, column=1)
    set_text(title, NOT_LINKABLE_TITLE)
    title.font = _BOLD
    _header(sheet, start + 1, NOT_LINKABLE_HEADERS)
    rows = plan.not_linkable.loc[:, ["label", "medewerker_id", "rol", "reden"]]
    for row, record in enumerate(rows.itertuples(index=False), start + 2):
        for column, value in enumerate(record, start=1):
            set_text(sheet.cell(row=row, column=column), str(value))
    if plan.not_linkable.empty:
        set_text(sheet.cell(row=start + 2, column=1), "(niemand)")
    longest = max((len(label) for label in plan.eligible["label"]), default=20)
    _widths(sheet, [max(30, longest + 2), 15, 14, 14, 18, 20, 34, *([10] if several else [])])
    sheet.freeze_panes = "A2"
    set_for_paper(sheet, 1, len(STAFF_HEADERS) + several)
    _protect(sheet)
    return lists


def help_lines(plan: StaffPlan, teachers: int, ways: Ways = COMMANDS) -> list[str]:
    """The Dutch text of the `Uitleg` sheet, one paragraph per line; reading it back is named
    as `ways` does (the commands, or the app's steps)."""
    years = plan.groups["jaargroep"]
    sources = "; ".join(
        f"'{source_label(code, years)}': {_in_school_words(meaning, years)}"
        for code, meaning in (
            ("export", "de export van het LAS koppelt deze leerkracht al aan de groep"),
            ("same_group", "de leerkracht van de groep met dezelfde naam vorig jaar"),
            ("same_jaargroep", "een leerkracht van dezelfde jaargroep vorig jaar"),
            ("none", "er was niets om op af te gaan"),
        )
    )
    return [
        f"Leerkrachten koppelen aan de groepen van schooljaar {plan.schooljaar} (BRIN {plan.brin})",
        "",
        "Dit is stap 2 van de schooljaarovergang van Leerwinst/TOP dossier: elke stamgroep van "
        "het nieuwe schooljaar krijgt zijn leerkracht(en). Alleen medewerkers met de rol TOP "
        "leerkracht of TOP leerkracht + kunnen gekoppeld worden.",
        "",
        "Wat vult u in",
        f"Op het tabblad {SHEET_ASSIGNMENT} kiest u per groep in de gele cellen Leerkracht 1 tot "
        f"en met Leerkracht {teachers} een leerkracht uit de keuzelijst (klik op de cel en dan op "
        "het pijltje). Een groep mag één of meer leerkrachten hebben; maak een cel leeg als er "
        "geen leerkracht hoort.",
        "De gele cellen zijn al ingevuld met een voorstel: controleer elk voorstel. De kolom "
        f"{SOURCE_HEADER} zegt waar het vandaan komt — {sources}.",
        f"De kolom {PREVIOUS_HEADER} laat zien wie de meeste leerlingen van de groep vorig jaar "
        "les gaf, en aan hoeveel van hen.",
        *(
            [
                f"Onder de stamgroepen staan de samengestelde groepen (kolom {SOORT_HEADER}: "
                f"'{SAMENGESTELDE_LABEL}'), zoals een Plusklas. Koppel daar de leerkracht die de "
                "groep geeft; een samengestelde groep zonder leerkracht mag leeg blijven. Bij "
                f"zo'n groep telt {PREVIOUS_HEADER} de leerkrachten van de samengestelde groepen "
                "van vorig jaar."
            ]
            if _composites(plan)
            else []
        ),
        "U mag een naam ook typen, bijvoorbeeld 'Anna Visser'. Die wordt herkend als precies één "
        "medewerker zo heet (hoofdletters en accenten tellen niet mee); anders krijgt u een "
        "melding. Met het nummer erachter, zoals in de keuzelijst, is het altijd eenduidig.",
        *(
            [
                "Deze werkmap is van meerdere scholen (de kolom School). De keuzelijst van een "
                f"groep toont de medewerkers van de eigen school; het tabblad {SHEET_STAFF} toont "
                "ze per school. Een medewerker van een andere school mag u typen: dat wordt bij "
                "het inlezen gemeld, want die komt dan ook in de uploadbundel van deze school en "
                "ziet de dossiers van de groep."
            ]
            if _several(plan)
            else []
        ),
        "Verander niets in de kolommen {}, {}, {} en {}, en ".format(*structure_headers(years))
        + "voeg geen rijen toe en haal er geen weg: dat wordt bij het inlezen als fout gemeld. De "
        "werkmap is daarom beveiligd (zonder wachtwoord); alleen de gele cellen zijn te wijzigen.",
        f"Het tabblad {SHEET_STAFF} toont wie gekoppeld kan worden en, daaronder, wie niet en "
        "waarom.",
        "",
        "Wat gebeurt er daarna",
        "Sla de werkmap op als Excel-werkmap (.xlsx) en geef haar terug aan wie de overgang doet. "
        + ways.staff_read,
        ways.staff_bundle,
        "Een werkmap van een andere school of een ander schooljaar wordt herkend en geweigerd.",
    ]


def _fill_help(sheet: Worksheet, plan: StaffPlan, teachers: int, ways: Ways) -> None:
    """The Dutch instructions, a paragraph a row, each row as tall as its wrapped lines: Excel
    and LibreOffice do not grow a row for its text when they open a file."""
    for row, text in enumerate(help_lines(plan, teachers, ways), start=1):
        cell = sheet.cell(row=row, column=1)
        set_text(cell, text)
        cell.alignment = _WRAP
        if row == 1 or text in ("Wat vult u in", "Wat gebeurt er daarna"):
            cell.font = _BOLD
        if text:
            sheet.row_dimensions[row].height = LINE_HEIGHT * wrapped_lines(text, HELP_WIDTH)
    _widths(sheet, [HELP_WIDTH])
    # On paper: A4 upright (one column of text), one page wide, as many pages down as needed.
    sheet.page_setup.orientation, sheet.page_setup.paperSize = "portrait", sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_area = f"A1:A{sheet.max_row}"
    _protect(sheet)


def meta_values(plan: StaffPlan) -> dict[str, str]:
    """What the hidden sheet records, by key."""
    values = (META_KIND, META_VERSION, plan.schooljaar, plan.brin, fingerprint(plan.groups))
    return dict(zip(META_KEYS, values, strict=True))


def _fill_meta(sheet: Worksheet, plan: StaffPlan) -> None:
    for row, (key, value) in enumerate(meta_values(plan).items(), start=1):
        set_text(sheet.cell(row=row, column=1), key)
        set_text(sheet.cell(row=row, column=2), value)
    sheet.sheet_state = "hidden"
    _protect(sheet)


__all__ = ["staff_sheet_bytes", "write_staff_plan", "write_staff_sheet"]
