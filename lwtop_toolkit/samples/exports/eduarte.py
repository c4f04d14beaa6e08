"""An Eduarte (MBO) export as assumed by readers/eduarte.py: one workbook, two sheets (§8)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from openpyxl import Workbook

from lwtop_toolkit.model import Tables
from lwtop_toolkit.readers.files.cellsafety import neutralise_value
from lwtop_toolkit.runtime.files import workbook_bytes, write_atomically
from lwtop_toolkit.samples.exports.common import leerjaar, mentors, staff_codes

WORKBOOK = "deelnemers.xlsx"
PUPIL_HEADER = [
    "Deelnemernummer", "Roepnaam", "Voorvoegsel", "Achternaam", "Geboortedatum", "Geslacht",
    "Groep", "Leerjaar", "Opleiding", "BRIN", "SLB'er",
]  # fmt: skip
STAFF_HEADER = [
    "Medewerkernummer", "Afkorting", "Roepnaam", "Voorvoegsel", "Achternaam", "Functie",
    "E-mailadres",
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
        sheet.append([p["leerling_id"], p["roepnaam"], p["tussenvoegsel"], p["achternaam"], born,
                      GESLACHT.get(p["geslacht"], p["geslacht"]), p["groep_id"], number,
                      p["opleiding"], p["brin"], coach[index]])  # fmt: skip
        sheet.cell(row=sheet.max_row, column=5).number_format = "DD-MM-YYYY"
    people = workbook.create_sheet("Medewerkers")
    people.append(STAFF_HEADER)
    for index, code in zip(staff.index, codes, strict=True):
        s = staff.loc[index]
        people.append([s["medewerker_id"], code, s["roepnaam"], s["tussenvoegsel"],
                       s["achternaam"], s["las_rol"], s["email"]])  # fmt: skip
    for worksheet in (sheet, people):
        for row in worksheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, str):
                    cell.value = neutralise_value(cell.value)
                    cell.data_type = "s"  # text, never a formula
    return [write_atomically(folder / WORKBOOK, workbook_bytes(workbook))]
