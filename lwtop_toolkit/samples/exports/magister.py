"""A Magister list export: pupil list and docent list, Windows-1252, `;` (reference §7).

As Magister writes them: the Excel list's short names (`Stamnr`, `Tussenv`, `Geb.datum`), the
class mentors by full name (`Jan de Vries`), the employee list's `Functie.Omschr` and
`Email_werk`, and a former colleague whose `Code` starts with `*` (out of service: not read).
"""

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
    "Stamnr", "Roepnaam", "Tussenv", "Achternaam", "Geb.datum", "Geslacht", "Klas", "Studie",
    "Leerjaar", "Klassenmentor 1", "Klassenmentor 2",
]  # fmt: skip
STAFF_HEADER = ["Code", "Personeelsnummer", "Naam", "Functie.Omschr", "Email_werk"]
# Staff out of service stay in Magister's list with a `*` before their code (invented person).
OUT_OF_SERVICE = ["*OUD", "990001", "Oudendijk, Ria", "Docent", ""]


def write(tables: Tables, folder: Path) -> list[Path]:
    """`leerlingen-<BRIN>.csv` (no BRIN column in Magister: the name has it), `docenten.csv`."""
    pupils, staff = tables.leerlingen, tables.medewerkers
    codes = staff_codes(staff)
    given = (staff["roepnaam"] + " " + staff["tussenvoegsel"]).str.strip()
    full = (given + " " + staff["achternaam"]).str.strip()  # `Jan de Vries`
    mentor = mentors(tables, pd.Series(full.to_numpy(), index=staff["medewerker_id"]), 2)
    rows = pd.concat(
        [pupils["leerling_id"], pupils["roepnaam"], pupils["tussenvoegsel"], pupils["achternaam"],
         dutch_dates(pupils["geboortedatum"]), pupils["geslacht"], pupils["groep_id"],
         pupils["opleiding"], leerjaar(pupils["jaargroep"]), mentor[0], mentor[1]],
        axis=1,
    )  # fmt: skip
    staff_rows = pd.concat(
        [codes, staff["medewerker_id"], staff["achternaam"] + ", " + given, staff["las_rol"],
         staff["email"]],
        axis=1,
    )  # fmt: skip
    staff_rows = pd.concat(
        [staff_rows, pd.DataFrame([OUT_OF_SERVICE], columns=staff_rows.columns)],
        ignore_index=True,
    )
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
