"""An Eduarte (MBO) export: one workbook, two sheets (§8), in Eduarte's own words.

The deelnemer list says `Nummer`, `Voornamen`, `Lj`, `Plaatsingsgroep`, `Groepen`, `Cohort`; the
staff sheet is laid out as Eduarte's staff import (`Afkorting`, `Geboortenaam`, `Voorvoegsels
Geboortenaam`, `Emailadres`), with the staff number first.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from openpyxl import Workbook

from lwtop_toolkit.model import SchoolYear, Tables, split_ids
from lwtop_toolkit.readers.files.cellsafety import neutralise_value
from lwtop_toolkit.runtime.files import workbook_bytes, write_atomically
from lwtop_toolkit.samples.exports.common import leerjaar, mentors, staff_codes

WORKBOOK = "deelnemers.xlsx"
PUPIL_HEADER = [
    "Nummer", "Roepnaam", "Voorletters", "Voornamen", "Voorvoegsel", "Achternaam",
    "Geboortedatum", "Geslacht", "Opleiding", "Lj", "Plaatsingsgroep", "Groepen", "Cohort",
    "BRIN", "SLB'er",
]  # fmt: skip
STAFF_HEADER = [
    "Medewerkernummer", "Afkorting", "Geboortenaam", "Voorvoegsels Geboortenaam", "Roepnaam",
    "Functie", "Emailadres",
]  # fmt: skip
GESLACHT = {"M": "man", "V": "vrouw", "X": "X", "O": "onbekend"}


def write(tables: Tables, folder: Path) -> list[Path]:
    """`deelnemers.xlsx` with sheets `Deelnemers` and `Medewerkers`: dates as Excel dates,
    numbers as text (their leading zeros stay), leerjaar as a number."""
    pupils, staff = tables.leerlingen, tables.medewerkers
    codes = staff_codes(staff)
    coach = mentors(tables, pd.Series(codes.to_numpy(), index=staff["medewerker_id"]), 1)[0]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Deelnemers"
    sheet.append(PUPIL_HEADER)
    year = leerjaar(pupils["jaargroep"])
    for index in pupils.index:
        p = pupils.loc[index]
        born = p["geboortedatum"].to_pydatetime() if pd.notna(p["geboortedatum"]) else None
        number = int(year[index]) if str(year[index]).isdigit() else year[index]
        groups = ", ".join(filter(None, [p["groep_id"], *split_ids(p["samengestelde_groepen"])]))
        cohort = _cohort(tables.schooljaar(), number)
        sheet.append([p["leerling_id"], p["roepnaam"], p["voorletters"], p["roepnaam"],
                      p["tussenvoegsel"], p["achternaam"], born,
                      GESLACHT.get(p["geslacht"], p["geslacht"]), p["opleiding"], number,
                      p["groep_id"], groups, cohort, p["brin"], coach[index]])  # fmt: skip
        sheet.cell(row=sheet.max_row, column=7).number_format = "DD-MM-YYYY"
    people = workbook.create_sheet("Medewerkers")
    people.append(STAFF_HEADER)
    for index, code in zip(staff.index, codes, strict=True):
        s = staff.loc[index]
        people.append([s["medewerker_id"], code, s["achternaam"], s["tussenvoegsel"],
                       s["roepnaam"], s["las_rol"], s["email"]])  # fmt: skip
    for worksheet in (sheet, people):
        for row in worksheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, str):
                    cell.value = neutralise_value(cell.value)
                    cell.data_type = "s"  # text, never a formula
    return [write_atomically(folder / WORKBOOK, workbook_bytes(workbook))]


def _cohort(schooljaar: SchoolYear | None, leerjaar: object) -> str:
    """The year a student started: this school year's first year minus the years done."""
    if schooljaar is None or not isinstance(leerjaar, int):
        return ""
    return str(schooljaar.start - leerjaar + 1)
