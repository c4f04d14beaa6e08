"""The worklist workbook of step 1 for a LAS that transfers per pupil or in bulk.

`per_student` (ParnasSys OSO SWV, ESIS regulier, Magister): sheet `Klaarzetten`, one row per
pupil to set ready, under a heading row per new group with its count, with the yes/no columns
`Klaargezet` and `Opgehaald`; sheet `Groepen` with the counts. `bulk` (ESIS SBO/SO/VSO): sheet
`Groepen selecteren`, one row per group to select, with the pupils of the group that are not to
be fetched; sheets `Leerlingen` and `Niet meenemen`. Both: sheet `Vertrokken` (dossier pupils who
left, `Afgehandeld`) and a hidden sheet `lwtop` that `readers/worklist.py` checks.

The seed's instruction stands at the top. Every cell from the data is text (never a formula),
with the team's text marker before formula characters (`staffsheet.set_text`); only the answer
cells are unlocked; the same worklist gives the same bytes; the file is replaced atomically.
"""

from __future__ import annotations

from collections.abc import Sequence
from numbers import Integral
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from lwtop_toolkit import findings as fd
from lwtop_toolkit.las.catalogue import COMMANDS, Ways, step_2
from lwtop_toolkit.model import year_shown, year_word
from lwtop_toolkit.runtime.files import workbook_bytes, write_atomically
from lwtop_toolkit.sheets.paper import set_for_paper
from lwtop_toolkit.sheets.staff_write import set_text
from lwtop_toolkit.steps.worklist import Worklist

SHEET_PUPILS = "Klaarzetten"
SHEET_SELECT = "Groepen selecteren"
SHEET_GROUPS = "Groepen"
SHEET_PUPIL_LIST = "Leerlingen"
SHEET_EXCLUDED = "Niet meenemen"
SHEET_LEFT = "Vertrokken"
SHEET_META = "lwtop"
READY, FETCHED, DONE, NOTE, KEY = "Klaargezet", "Opgehaald", "Afgehandeld", "Opmerking", "sleutel"
ANSWERS = ("ja", "nee")
# What people type for yes and no (Excel's TRUE/FALSE too); anything else is reported and the
# row stays open. The sheet names the shorthands a coordinator uses for ja (`YES_SHOWN`).
YES_SHOWN: tuple[str, ...] = ("x", "v", "✓", "klaar", "gedaan")
YES = frozenset({"ja", "j", "yes", "y", *YES_SHOWN, "✔", "waar", "true", "1"})
NO = frozenset({"nee", "n", "no", "onwaar", "false", "0", ""})
META_KIND = "lwtop-werklijst"
META_VERSION = "1"
META_KEYS: tuple[str, ...] = ("werkmap", "versie", "las", "actie", "schooljaar", "brin")
KEYS_TITLE = "sleutels"
# The rows a read-back expects, by kind, and on which sheet they stand.
KIND_PUPIL, KIND_GROUP, KIND_LEFT = "pupil", "group", "left"
KIND_SHEETS = {KIND_PUPIL: SHEET_PUPILS, KIND_GROUP: SHEET_SELECT, KIND_LEFT: SHEET_LEFT}

_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_GROUP_FILL = PatternFill("solid", fgColor="EDEDED")
_INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
_UNLOCKED = Protection(locked=False)


def write_worklist(worklist: Worklist, path: Path | str) -> Path:
    """Write the worklist workbook to `path` (through a temporary file); returns the path."""
    return write_atomically(Path(path), worklist_bytes(worklist))


def worklist_bytes(worklist: Worklist, ways: Ways | None = None) -> bytes:
    """The workbook as bytes; the same worklist always gives the same bytes. `ways`: how its
    text names the toolkit's own steps (the commands by default, or the app's steps)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    keys: list[tuple[str, str, str]] = []
    if worklist.action == "bulk":
        keys += _fill_select(workbook.create_sheet(SHEET_SELECT), worklist, ways or COMMANDS)
        _fill_pupil_list(workbook.create_sheet(SHEET_PUPIL_LIST), worklist)
        _fill_excluded(workbook.create_sheet(SHEET_EXCLUDED), worklist)
    else:
        keys += _fill_pupils(workbook.create_sheet(SHEET_PUPILS), worklist, ways or COMMANDS)
        _fill_groups(workbook.create_sheet(SHEET_GROUPS), worklist)
    keys += _fill_left(workbook.create_sheet(SHEET_LEFT), worklist)
    _fill_meta(workbook.create_sheet(SHEET_META), worklist, keys)
    workbook.active = 0
    workbook.properties.creator = "lwtop-toolkit"
    return workbook_bytes(workbook)


# --- the Dutch text --------------------------------------------------------------------------


def intro_lines(worklist: Worklist, ways: Ways = COMMANDS) -> list[str]:
    """The Dutch text above the list: title, the instruction and its steps (a line each, with
    the article's address when lwtop.toml gives one), how to fill it in, the scope; the
    toolkit's own steps named as `ways` does."""
    las, year = worklist.las, worklist.schooljaar
    title = f"Werklijst {las.name}: leerlingen klaarzetten voor schooljaar {year or '?'}"
    lines = [title, *las.instruction_lines(year or None, worklist.articles, ways)]
    if worklist.action == "bulk":
        lines.append(
            f"In deze lijst: zet per groep {READY} op ja als de groep klaargezet is, en "
            f"{FETCHED} op ja als de leerlingen in het dossier staan."
        )
    else:
        lines.append(
            f"In deze lijst: zet per leerling {READY} op ja als de leerling klaargezet is, en "
            f"{FETCHED} op ja als de leerling in het dossier staat."
        )
    lines.append(answers_line())
    lines.append(scope_line(worklist))
    left = len(worklist.left)
    lines.append(
        f"Op het tabblad {SHEET_LEFT}: {fd.count_of(left, 'leerling')} die vertrokken "
        f"{fd.plural(left, 'is', 'zijn')} en een dossier {fd.plural(left, 'heeft', 'hebben')}; "
        "sluit hun dossier of draag het over."
        if worklist.scoped
        else f"Op het tabblad {SHEET_LEFT}: {fd.count_of(left, 'leerling')} vertrokken; sluit "
        "hun dossier of draag het over, als ze er een hebben."
    )
    lines.append(
        f"Klaar? Lees de werklijst terug {ways.read_back} (dat toont wat nog openstaat), en "
        f"controleer daarna {ways.verify} of alles is aangekomen."
    )
    lines.append(step_2(ways))
    return lines


def answers_line() -> str:
    """Which answers the read-back takes, in Dutch."""
    return (
        f"Antwoorden: kies ja of nee; voor ja mag ook {_words(YES_SHOWN)}. Leeg is nee. Een "
        "ander antwoord (zoals 'misschien') telt als open tot er ja staat."
    )


def _words(words: Sequence[str]) -> str:
    return ", ".join(words[:-1]) + f" of {words[-1]}"


# The shorthands for ja as the sheet and the findings name them (`x, v, ✓, klaar of gedaan`).
ALSO_YES = _words(YES_SHOWN)


def scope_line(worklist: Worklist) -> str:
    """Which pupils are on the list, and how many are not, in Dutch."""
    counts = worklist.counts()
    total, listed = counts["pupils_in_export"], counts["listed"]
    groups = f"in {fd.count_of(counts['groups'], 'groep')}"
    if not worklist.scoped:
        return (
            f"Op de lijst: de hele export, {fd.count_of(total, 'leerling')} {groups} (er is "
            "geen dossierlijst opgegeven met --dossier)."
        )
    with_dossier = int(worklist.pupils["dossier"].eq("ja").sum())
    rest = counts["not_listed"]
    if worklist.all_pupils:
        return (
            f"Op de lijst: de hele export, {fd.count_of(total, 'leerling')} {groups} "
            f"(--all-pupils); de kolom Dossier zegt wie een dossier heeft ({with_dossier})."
        )
    text = (
        f"Op de lijst: {fd.count_of(listed, 'leerling')} met een dossier, {groups}; "
        f"{fd.count_of(rest, 'leerling')} van de export {fd.plural(rest, 'heeft', 'hebben')} "
        f"geen dossier en {fd.plural(rest, 'staat', 'staan')} er niet op."
    )
    if worklist.action == "bulk":
        text += f" In de gekozen groepen zitten {counts['not_to_fetch']} van hen: niet meenemen."
    return text


# --- sheets ----------------------------------------------------------------------------------


def _fill_pupils(sheet: Worksheet, worklist: Worklist, ways: Ways) -> list[tuple[str, str, str]]:
    show_dossier = worklist.scoped and worklist.all_pupils
    headers = [
        *_school_header(worklist), "Groep", worklist.id_label, "Naam", _year_header(worklist),
        "Groep vorig jaar", "Status", *(["Dossier"] if show_dossier else []), READY, FETCHED,
        NOTE, KEY,
    ]  # fmt: skip
    row = _intro(sheet, worklist, ways)
    _header(sheet, row, headers)
    answers = [headers.index(READY) + 1, headers.index(FETCHED) + 1, headers.index(NOTE) + 1]
    keys = []
    pupils = worklist.listed
    first = row + 1
    several = worklist.several
    for (school, group_id, name), members in pupils.groupby(
        ["school", "groep_id", "groep"], sort=False
    ):
        row += 1
        outside = worklist.pupils[
            worklist.pupils["groep_id"].eq(group_id)
            & worklist.pupils["school"].eq(school)
            & ~worklist.pupils["op_de_lijst"]
        ]
        heading = f"{len(members)} {'leerling' if len(members) == 1 else 'leerlingen'}" + (
            f" (en {len(outside)} zonder dossier, niet op de lijst)" if len(outside) else ""
        )
        title = f"Groep {name}" + (f" (school {school})" if several else "")
        for column, text in ((1, title), (3, heading)):
            set_text(sheet.cell(row=row, column=column), text)
        for column in range(1, len(headers)):
            sheet.cell(row=row, column=column).fill = _GROUP_FILL
            sheet.cell(row=row, column=column).font = _BOLD
        for record in members.itertuples(index=False):
            row += 1
            values = [
                *_school_cell(worklist, record), record.groep, record.leerling_id, record.naam,
                _years(record.jaargroep), record.groep_oud, record.status,
                *([record.dossier] if show_dossier else []), "", "", "", record.leerling_id,
            ]  # fmt: skip
            _values(sheet, row, values)
            _inputs(sheet, row, answers)
            keys.append((KIND_PUPIL, record.leerling_id, _pupil_text(record, name)))
    if pupils.empty:
        row += 1
        set_text(sheet.cell(row=row, column=1), "(niemand om klaar te zetten)")
    _yes_no(sheet, answers[:2], first, row)
    widths = [*_school_width(worklist), 12, 15, 30, 10, 16, 22, *([9] if show_dossier else []),
              12, 12, 30, 12]  # fmt: skip
    _finish(sheet, widths, first - 1)
    return keys


def _fill_select(sheet: Worksheet, worklist: Worklist, ways: Ways) -> list[tuple[str, str, str]]:
    scoped = worklist.scoped
    headers = [
        *_school_header(worklist), "Groep", _year_header(worklist), "Leerlingen in de groep",
        *(["Met dossier", "Zonder dossier"] if scoped else []), SHEET_EXCLUDED,
        READY, FETCHED, NOTE, KEY,
    ]  # fmt: skip
    row = _intro(sheet, worklist, ways)
    _header(sheet, row, headers)
    answers = [headers.index(READY) + 1, headers.index(FETCHED) + 1, headers.index(NOTE) + 1]
    first = row + 1
    keys = []
    for record in worklist.selected.itertuples(index=False):
        row += 1
        counts = [record.met_dossier, record.zonder_dossier] if scoped else []
        values = [*_school_cell(worklist, record), record.groep, _years(record.jaargroep),
                  record.leerlingen, *counts, record.niet_meenemen or "(niemand)", "", "", "",
                  record.groep_id]  # fmt: skip
        _values(sheet, row, values)
        _inputs(sheet, row, answers)
        school = f" (school {record.school})" if worklist.several else ""
        keys.append((KIND_GROUP, record.groep_id, f"groep {record.groep}{school}"))
    skipped = worklist.groups[worklist.groups["op_de_lijst"].eq(0)]
    if worklist.selected.empty:
        row += 1
        set_text(sheet.cell(row=row, column=1), "(geen groep om te selecteren)")
    _yes_no(sheet, answers[:2], first, row)
    if not skipped.empty:
        names = ", ".join(skipped["groep"])
        set_text(
            sheet.cell(row=row + 2, column=1),
            f"Niet selecteren (geen leerlingen met een dossier): {names}",
        )
    widths = [*_school_width(worklist), 14, 10, 12, *([12, 13] if scoped else []), 60, 12, 12,
              30, 14]  # fmt: skip
    _finish(sheet, widths, first - 1)
    return keys


def _fill_groups(sheet: Worksheet, worklist: Worklist) -> None:
    scoped = worklist.scoped
    headers = [*_school_header(worklist), "Groep", _year_header(worklist), "Leerlingen in de groep",
               *(["Met dossier", "Zonder dossier"] if scoped else []), "Op de lijst"]  # fmt: skip
    _header(sheet, 1, headers)
    for row, record in enumerate(worklist.groups.itertuples(index=False), start=2):
        counts = [record.met_dossier, record.zonder_dossier] if scoped else []
        values = [*_school_cell(worklist, record), record.groep, _years(record.jaargroep),
                  record.leerlingen, *counts, record.op_de_lijst]  # fmt: skip
        _values(sheet, row, values)
    _finish(sheet, [*_school_width(worklist), 14, 10, 12, *([12, 13] if scoped else []), 11], 1)


def _fill_pupil_list(sheet: Worksheet, worklist: Worklist) -> None:
    show_dossier = worklist.scoped and worklist.all_pupils
    headers = [*_school_header(worklist), "Groep", worklist.id_label, "Naam",
               _year_header(worklist), "Groep vorig jaar", "Status",
               *(["Dossier"] if show_dossier else [])]  # fmt: skip
    _header(sheet, 1, headers)
    for row, record in enumerate(worklist.listed.itertuples(index=False), start=2):
        _values(sheet, row, [*_school_cell(worklist, record), record.groep, record.leerling_id,
                             record.naam, _years(record.jaargroep), record.groep_oud, record.status,
                             *([record.dossier] if show_dossier else [])])  # fmt: skip
    widths = [*_school_width(worklist), 14, 15, 30, 10, 16, 22, *([9] if show_dossier else [])]
    _finish(sheet, widths, 1)


def _fill_excluded(sheet: Worksheet, worklist: Worklist) -> None:
    set_text(
        sheet.cell(row=1, column=1),
        "Deze leerlingen zitten in een groep die u selecteert, maar hebben geen dossier: haal "
        "ze uit de selectie voordat u ophaalt.",
    )
    _header(sheet, 2, [*_school_header(worklist), "Groep", worklist.id_label, "Naam",
                       _year_header(worklist)])  # fmt: skip
    excluded = worklist.excluded
    for row, record in enumerate(excluded.itertuples(index=False), start=3):
        _values(sheet, row, [*_school_cell(worklist, record), record.groep, record.leerling_id,
                             record.naam, _years(record.jaargroep)])  # fmt: skip
    if excluded.empty:
        set_text(sheet.cell(row=3, column=1), "(niemand)")
    _finish(sheet, [*_school_width(worklist), 14, 15, 30, 10], 2)


def _fill_left(sheet: Worksheet, worklist: Worklist) -> list[tuple[str, str, str]]:
    title = "Vertrokken leerlingen met een dossier" if worklist.scoped else "Vertrokken leerlingen"
    cell = sheet.cell(row=1, column=1)
    set_text(cell, title)
    cell.font = _TITLE
    set_text(
        sheet.cell(row=2, column=1),
        "Deze leerlingen staan niet (meer) in de export van het nieuwe jaar. Sluit hun dossier "
        f"of draag het over aan de nieuwe school, en zet {DONE} op ja.",
    )
    set_text(sheet.cell(row=3, column=1), answers_line())
    headers = [*_school_header(worklist), worklist.id_label, "Naam", "Groep vorig jaar",
               f"{_year_header(worklist)} vorig jaar", "Reden", DONE, NOTE, KEY]  # fmt: skip
    _header(sheet, 4, headers)
    answers = [headers.index(DONE) + 1, headers.index(NOTE) + 1]
    keys = []
    row = 4
    for record in worklist.left.itertuples(index=False):
        row += 1
        values = [*_school_cell(worklist, record), record.leerling_id, record.naam,
                  record.groep_oud, _years(record.jaargroep_oud), record.reden, "", "",
                  record.leerling_id]  # fmt: skip
        _values(sheet, row, values)
        _inputs(sheet, row, answers)
        text = f"vertrokken leerling {record.leerling_id} ({record.naam or 'naam onbekend'})"
        keys.append((KIND_LEFT, record.leerling_id, text))
    if worklist.left.empty:
        set_text(sheet.cell(row=5, column=1), "(niemand)")
    _yes_no(sheet, answers[:1], 5, row)
    _finish(sheet, [*_school_width(worklist), 15, 30, 16, 11, 34, 12, 30, 12], 4)
    return keys


def _fill_meta(sheet: Worksheet, worklist: Worklist, keys: Sequence[tuple[str, str, str]]) -> None:
    values = (META_KIND, META_VERSION, worklist.las.code, worklist.action, worklist.schooljaar,
              worklist.brin)  # fmt: skip
    row = 0
    for row, (key, value) in enumerate(zip(META_KEYS, values, strict=True), start=1):
        set_text(sheet.cell(row=row, column=1), key)
        set_text(sheet.cell(row=row, column=2), value)
    set_text(sheet.cell(row=row + 1, column=1), KEYS_TITLE)
    for offset, (kind, key, text) in enumerate(keys, start=row + 2):
        for column, value in enumerate((kind, key, text), start=1):
            set_text(sheet.cell(row=offset, column=column), value)
    sheet.sheet_state = "hidden"
    _protect(sheet)


# --- cells -----------------------------------------------------------------------------------


def _school_header(worklist: Worklist) -> list[str]:
    """A first column `School` when the list holds several schools (a board)."""
    return ["School"] if worklist.several else []


def _school_cell(worklist: Worklist, record: object) -> list[object]:
    return [getattr(record, "school", "")] if worklist.several else []


def _school_width(worklist: Worklist) -> list[float]:
    return [10] if worklist.several else []


def _year_header(worklist: Worklist) -> str:
    """`Leerjaar` for a VO/MBO school (its years shown 1-6), else `Jaargroep`."""
    codes = [*worklist.pupils["jaargroep"], *worklist.left["jaargroep_oud"]]
    word = year_word([str(code) for code in codes if str(code)])
    return {"leerjaar": "Leerjaar", "groep/leerjaar": "Jaargroep/leerjaar"}.get(word, "Jaargroep")


def _years(value: object) -> str:
    """A year (or a group's years, `11, 12`) as the school says it (`1, 2`)."""
    return ", ".join(
        year_shown(part) for part in str(value if value is not None else "").split(", ")
    )


def _pupil_text(record: object, group: str) -> str:
    naam = getattr(record, "naam", "") or "naam onbekend"
    return f"leerling {getattr(record, 'leerling_id', '')} ({naam}, groep {group})"


def _intro(sheet: Worksheet, worklist: Worklist, ways: Ways) -> int:
    """The text above the list; returns the row of the header (one blank row in between)."""
    lines = intro_lines(worklist, ways)
    url = worklist.las.article(worklist.articles)
    for row, text in enumerate(lines, start=1):
        cell = sheet.cell(row=row, column=1)
        set_text(cell, text)
        if row == 1:
            cell.font = _TITLE
        elif url and text.endswith(url):  # the article's address: a link to click
            cell.hyperlink = url
    return len(lines) + 2


def _header(sheet: Worksheet, row: int, headers: Sequence[str]) -> None:
    for column, text in enumerate(headers, start=1):
        cell = sheet.cell(row=row, column=column)
        set_text(cell, text)
        cell.font = _BOLD
        cell.fill = _HEADER_FILL


def _values(sheet: Worksheet, row: int, values: Sequence[object]) -> None:
    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row=row, column=column)
        if isinstance(value, Integral) and not isinstance(value, bool):
            cell.value = int(value)
        else:
            set_text(cell, "" if value is None else str(value))


def _inputs(sheet: Worksheet, row: int, columns: Sequence[int]) -> None:
    for column in columns:
        cell = sheet.cell(row=row, column=column)
        cell.protection = _UNLOCKED
        cell.fill = _INPUT_FILL


def _yes_no(sheet: Worksheet, columns: Sequence[int], first: int, last: int) -> None:
    """A ja/nee drop-down on the answer columns of rows `first`..`last`."""
    if last < first:
        return
    choice = DataValidation(
        type="list",
        formula1='"' + ",".join(ANSWERS) + '"',
        allow_blank=True,
        showDropDown=False,  # sic: False shows the arrow
        showErrorMessage=True,
        errorStyle="warning",
        errorTitle="Kies ja of nee",
        error=f"Kies ja of nee uit de lijst (voor ja mag ook {_words(YES_SHOWN)}).",
    )
    for column in columns:
        letter = get_column_letter(column)
        choice.add(f"{letter}{first}:{letter}{last}")
    sheet.add_data_validation(choice)


def _protect(sheet: Worksheet) -> None:
    """Protection without a password: only the answer cells can change; sizes may."""
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False


def _finish(sheet: Worksheet, widths: Sequence[float], header_row: int) -> None:
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    printed = len(widths)
    if widths:  # the last column of an answer sheet is the key: hidden, read back only
        last = get_column_letter(len(widths))
        if sheet.cell(row=header_row, column=len(widths)).value == KEY:
            sheet.column_dimensions[last].hidden = True
            printed -= 1
    sheet.freeze_panes = f"A{header_row + 1}"
    set_for_paper(sheet, header_row, printed)
    _protect(sheet)


__all__ = [
    "ALSO_YES",
    "NO",
    "YES",
    "YES_SHOWN",
    "answers_line",
    "intro_lines",
    "scope_line",
    "worklist_bytes",
    "write_worklist",
]
