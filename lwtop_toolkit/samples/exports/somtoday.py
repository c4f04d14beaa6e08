"""Somtoday exports: pupil and staff lists (UTF-8 with BOM, `;`) and the structuurbestand (§6)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from lwtop_toolkit.model import STAMGROEP, Tables
from lwtop_toolkit.readers.files.cellsafety import neutralise_value
from lwtop_toolkit.runtime.files import write_atomically
from lwtop_toolkit.samples.exports.common import (
    csv_bytes,
    dutch_dates,
    leerjaar,
    mentors,
    staff_codes,
)

DELIMITER = ";"
SCHOOL_NAME = "Het Lindenpad College"  # invented; the pupils' `vestiging` names it
# UmService's field names (`leerlingActief`: a pupil who left stays in the list, marked false).
PUPIL_HEADER = [
    "leerlingNummer", "leerlingRoepnaam", "leerlingVoorvoegsel", "leerlingAchternaam",
    "leerlingVoorletters", "leerlingGeboortedatum", "leerlingGeslacht", "leerlingStamgroep",
    "leerlingLeerjaar", "leerlingOpleidingCode", "leerlingVestigingNaam", "schooljaar",
    "leerlingMentoren", "leerlingEckID", "leerlingActief",
]  # fmt: skip
# A pupil who left during the year (invented): in Somtoday's list, not active, not read.
INACTIVE = {"leerlingNummer": "999001", "leerlingRoepnaam": "Sven", "leerlingAchternaam": "Verhoef",
            "leerlingVoorletters": "S.", "leerlingGeboortedatum": "03-03-2012",
            "leerlingGeslacht": "M", "leerlingActief": "false"}  # fmt: skip
STAFF_HEADER = [
    "medewerkernummer", "afkorting", "roepnaam", "voorvoegsel", "achternaam", "functie",
    "emailadres",
]  # fmt: skip
# A few subjects: the structuurbestand has them, the dossier does not need them.
SUBJECTS = (("aardrijkskunde", "ak"), ("nederlands", "ne"), ("wiskunde", "wi"))


def write(tables: Tables, folder: Path) -> list[Path]:
    """`leerlingen.csv`, `medewerkers.csv` and `structuurbestand.csv`."""
    pupils, staff, groups = tables.leerlingen, tables.medewerkers, tables.groepen
    codes = staff_codes(staff)
    names = pd.Series(codes.to_numpy(), index=staff["medewerker_id"])
    mentor = mentors(tables, names, 3)
    joined = mentor.apply(lambda row: ",".join(name for name in row if name), axis=1)
    year = groups["schooljaar"].iloc[0] if len(groups) else ""
    rows = pd.concat(
        [pupils["leerling_id"], pupils["roepnaam"], pupils["tussenvoegsel"], pupils["achternaam"],
         pupils["voorletters"], dutch_dates(pupils["geboortedatum"]), pupils["geslacht"],
         pupils["groep_id"], leerjaar(pupils["jaargroep"]), pupils["opleiding"],
         pd.Series(SCHOOL_NAME, index=pupils.index), pd.Series(year, index=pupils.index),
         joined.reindex(pupils.index).fillna(""), pupils["eckid"],
         pd.Series("true", index=pupils.index)],
        axis=1,
    )  # fmt: skip
    rows.columns = PUPIL_HEADER
    if len(rows):  # the pupil who left, in the first class
        first = rows.iloc[0]
        left = {**dict.fromkeys(PUPIL_HEADER, ""), **INACTIVE}
        for column in (
            "leerlingStamgroep",
            "leerlingLeerjaar",
            "leerlingOpleidingCode",
            "leerlingVestigingNaam",
            "schooljaar",
        ):
            left[column] = first[column]
        rows = pd.concat([rows, pd.DataFrame([left])], ignore_index=True)  # fmt: skip
    staff_rows = pd.concat(
        [staff["medewerker_id"], codes, staff["roepnaam"], staff["tussenvoegsel"],
         staff["achternaam"], staff["las_rol"], staff["email"]],
        axis=1,
    )  # fmt: skip
    brin = groups["brin"].iloc[0] if len(groups) else ""
    return [
        write_atomically(folder / "leerlingen.csv", _csv(PUPIL_HEADER, rows)),
        write_atomically(folder / "medewerkers.csv", _csv(STAFF_HEADER, staff_rows)),
        write_atomically(folder / "structuurbestand.csv", _structure(tables, brin, codes)),
    ]


def _csv(header: list[str], rows: pd.DataFrame) -> bytes:
    return csv_bytes(header, rows, delimiter=DELIMITER, encoding="utf-8", bom=True)


def _structure(tables: Tables, brin: str, codes: pd.Series) -> bytes:
    """Headerless records: `Vestiging;BRIN;naam;afkorting;`, `Opleiding;BRIN;naam;afkorting;
    code`, `Vak;...`, `Stamgroep;BRIN;naam;;`, `Medewerker;BRIN;achternaam;afkorting;nummer`."""
    records = [["Vestiging", brin, SCHOOL_NAME, brin, ""]]
    pupils = tables.leerlingen
    tracks = pupils.assign(leerjaar=leerjaar(pupils["jaargroep"]))[["opleiding", "leerjaar"]]
    for opleiding, year in (
        tracks.drop_duplicates().sort_values(["opleiding", "leerjaar"]).itertuples(index=False)
    ):
        name = f"{opleiding.upper()} {year}"
        records.append(["Opleiding", brin, name, f"{opleiding[:1].upper()}{year}", ""])
    records += [["Vak", brin, name, short, ""] for name, short in SUBJECTS]
    stam = tables.groepen[tables.groepen["soort"].eq(STAMGROEP)]
    records += [["Stamgroep", brin, name, "", ""] for name in stam["groep_id"]]
    staff = tables.medewerkers
    records += [
        ["Medewerker", brin, last, code, number]
        for last, code, number in zip(
            staff["achternaam"], codes, staff["medewerker_id"], strict=True
        )
    ]
    safe = ([neutralise_value(field) for field in record] for record in records)
    text = "".join(";".join(record) + "\r\n" for record in safe)
    return text.encode("utf-8")
