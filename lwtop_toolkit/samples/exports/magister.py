"""A Magister list export: pupil list and docent list, Windows-1252, `;` (reference §7)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from lwtop_toolkit.model import Tables
from lwtop_toolkit.runtime.files import write_atomically
from lwtop_toolkit.samples.exports.common import (
    csv_bytes,
    dutch_dates,
    leerjaar,
    mentors,
    staff_codes,
)

ENCODING, DELIMITER = "cp1252", ";"
PUPIL_HEADER = [
    "Stamnummer", "Roepnaam", "Tussenvoegsel", "Achternaam", "Geboortedatum", "Geslacht", "Klas",
    "Studie", "Leerjaar", "Klassenmentor 1", "Klassenmentor 2",
]  # fmt: skip
STAFF_HEADER = ["Code", "Personeelsnummer", "Naam", "Functie", "E-mailadres"]


def write(tables: Tables, folder: Path) -> list[Path]:
    """`leerlingen-<BRIN>.csv` (no BRIN column in Magister: the name has it), `docenten.csv`."""
    pupils, staff = tables.leerlingen, tables.medewerkers
    codes = staff_codes(staff)
    names = pd.Series(codes.to_numpy(), index=staff["medewerker_id"])
    mentor = mentors(tables, names, 2)
    rows = pd.concat(
        [pupils["leerling_id"], pupils["roepnaam"], pupils["tussenvoegsel"], pupils["achternaam"],
         dutch_dates(pupils["geboortedatum"]), pupils["geslacht"], pupils["groep_id"],
         pupils["opleiding"], leerjaar(pupils["jaargroep"]), mentor[0], mentor[1]],
        axis=1,
    )  # fmt: skip
    given = (staff["roepnaam"] + " " + staff["tussenvoegsel"]).str.strip()
    staff_rows = pd.concat(
        [codes, staff["medewerker_id"], staff["achternaam"] + ", " + given, staff["las_rol"],
         staff["email"]],
        axis=1,
    )  # fmt: skip
    brin = pupils["brin"].iloc[0] if len(pupils) else ""
    return [
        write_atomically(
            folder / f"leerlingen-{brin}.csv",
            csv_bytes(PUPIL_HEADER, rows, delimiter=DELIMITER, encoding=ENCODING),
        ),
        write_atomically(
            folder / "docenten.csv",
            csv_bytes(STAFF_HEADER, staff_rows, delimiter=DELIMITER, encoding=ENCODING),
        ),
    ]
