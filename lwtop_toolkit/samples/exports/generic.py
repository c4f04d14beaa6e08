"""A SchoolOAS-like pupil list and staff list (UTF-8, `,`, dd-mm-jjjj) plus its `lwtop.toml`.

SchoolOAS's own export is not public; this is a plain list as any LAS can make one, with one
column (`Plusgroep`) that the alias table does not know, mapped in `lwtop.toml`.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from lwtop_toolkit.model import SAMENGESTELDE_GROEP, Tables, split_ids
from lwtop_toolkit.runtime.files import write_atomically
from lwtop_toolkit.samples.exports.common import csv_bytes, dutch_dates, mentors

DELIMITER = ","
PUPIL_HEADER = [
    "Leerlingnummer", "Achternaam", "Tussenvoegsel", "Roepnaam", "Voorletters", "Geboortedatum",
    "Geslacht", "Groep", "Jaargroep", "Plusgroep", "BRIN", "Vestiging", "Leerkracht 1",
    "Leerkracht 2",
]  # fmt: skip
STAFF_HEADER = ["Medewerkernummer", "Roepnaam", "Tussenvoegsel", "Achternaam", "E-mail", "Functie"]
SETTINGS = '# Hoe lwtop deze export leest\n[kolommen]\n"Plusgroep" = "samengestelde_groepen"\n'


def write(tables: Tables, folder: Path) -> list[Path]:
    """`SchoolOAS-leerlingen.csv`, `SchoolOAS-personeel.csv` and `lwtop.toml`."""
    pupils, staff, groups = tables.leerlingen, tables.medewerkers, tables.groepen
    name = pd.Series(groups["groepsnaam"].to_numpy(), index=groups["groep_id"])
    teachers = mentors(tables, pd.Series(staff["medewerker_id"].to_numpy(),
                                         index=staff["medewerker_id"]), 2)  # fmt: skip
    combined = groups.loc[groups["soort"].eq(SAMENGESTELDE_GROEP), "groep_id"]
    plus = pupils["samengestelde_groepen"].map(
        lambda cell: ";".join(name[i] for i in split_ids(cell) if i in set(combined))
    )
    rows = pd.concat(
        [pupils["leerling_id"], pupils["achternaam"], pupils["tussenvoegsel"], pupils["roepnaam"],
         pupils["voorletters"], dutch_dates(pupils["geboortedatum"]), pupils["geslacht"],
         pupils["groep_id"].map(name), pupils["jaargroep"], plus, pupils["brin"],
         pupils["vestiging"], teachers[0], teachers[1]],
        axis=1,
    )  # fmt: skip
    staff_rows = staff[["medewerker_id", "roepnaam", "tussenvoegsel", "achternaam", "email",
                        "las_rol"]]  # fmt: skip
    return [
        write_atomically(folder / "SchoolOAS-leerlingen.csv", _csv(PUPIL_HEADER, rows)),
        write_atomically(folder / "SchoolOAS-personeel.csv", _csv(STAFF_HEADER, staff_rows)),
        write_atomically(folder / "lwtop.toml", SETTINGS.encode("utf-8")),
    ]


def _csv(header: list[str], rows: pd.DataFrame) -> bytes:
    return csv_bytes(header, rows, delimiter=DELIMITER, encoding="utf-8")
