"""A small school of two years as import files, written in a test's folder: pupils given as
tuples, so that a test says in one line who changed what between the years."""

from __future__ import annotations

from pathlib import Path

from lwtop_toolkit import flows

HEADER = (
    "leerling_id;achternaam;tussenvoegsel;roepnaam;voorletters;geboortedatum;geslacht;jaargroep;"
    "groep_id;samengestelde_groepen;opleiding;brin;vestiging;eckid"
)
# (leerling_id, achternaam, roepnaam, geboortedatum, geslacht, eckid) of pupils who stay alike
CLASSMATES = [
    (f"20{n:02d}", "Jansen", name, f"2018-0{n % 9 + 1}-1{n % 9}", "MV"[n % 2], "")
    for n, name in enumerate(["Anna", "Bram", "Cas", "Dewi", "Eva", "Finn", "Gijs", "Hanna"])
]


def school_year(folder: Path, side: str, pupils: list[tuple[str, ...]]) -> Path:
    """An import-file folder of one small school: one stamgroep (3A last year, 4A now), one
    teacher, and `pupils` as (leerling_id, achternaam, roepnaam, geboortedatum, geslacht,
    eckid[, tussenvoegsel[, opleiding]]), the first at row 2 of `leerlingen.csv`."""
    year, jaargroep = ("2025-2026", "3") if side == "oud" else ("2026-2027", "4")
    folder.mkdir(parents=True)
    (folder / "groepen.csv").write_text(
        "groep_id;groepsnaam;jaargroep;soort;schooljaar;brin;vestiging\n"
        f"G{jaargroep};{jaargroep}A;{jaargroep};stamgroep;{year};99ZZ;00\n",
        encoding="utf-8",
    )
    (folder / "medewerkers.csv").write_text(
        "medewerker_id;achternaam;tussenvoegsel;roepnaam;email;rol;las_rol\n"
        "M1;Smit;;Marieke;marieke.smit@example.org;TOP leerkracht;LRK\n",
        encoding="utf-8",
    )
    lines = [HEADER]
    for pupil in pupils:
        number, last, first, born, sex, eckid, *more = pupil
        middle, opleiding = [*more, "", ""][:2]
        lines.append(
            f"{number};{last};{middle};{first};{first[0]}.;{born};{sex};{jaargroep};G{jaargroep};"
            f";{opleiding};99ZZ;00;{eckid}"
        )
    (folder / "leerlingen.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def two_years(
    folder: Path, old: list[tuple[str, ...]], new: list[tuple[str, ...]]
) -> tuple[Path, Path]:
    """Last year's and this year's folders (`oud`, `nieuw` in `folder`) with those pupils."""
    return school_year(folder / "oud", "oud", old), school_year(folder / "nieuw", "nieuw", new)


def planned(
    folder: Path, old: list[tuple[str, ...]], new: list[tuple[str, ...]]
) -> flows.Transition:
    """Both years read and planned as every face plans them (`flows.transition`)."""
    old_folder, new_folder = two_years(folder, old, new)
    return flows.transition([old_folder], [new_folder])
