"""Synthetic schools of any size for the hold (`plan/hold.py`): a normal year with a handful of
movers, and the same year exported with some classes only. Sizes are chosen by the test, never
those of the shipped sample, so that the hold is seen to follow the data."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from lwtop_toolkit.model import Tables
from lwtop_toolkit.writers.importfiles import write_import_files

OLD_YEAR, NEW_YEAR = "2025-2026", "2026-2027"
NAMES = ("Jansen", "de Vries", "Bakker", "Visser", "Smit", "Meijer", "Bos", "Mulder", "Yilmaz")
FIRST = ("Emma", "Noah", "Sara", "Daan", "Liam", "Julia", "Mila", "Sem", "Zoë", "Adam")


@dataclass
class School:
    """Both years of one synthetic PO school."""

    old: Tables
    new: Tables
    movers: int  # pupils of groep 1-7 who leave without a successor

    def write(self, folder: Path) -> tuple[Path, Path]:
        """Both years as import files in `folder/2025-2026` and `folder/2026-2027`."""
        old, new = folder / OLD_YEAR, folder / NEW_YEAR
        write_import_files(self.old, old)
        write_import_files(self.new, new)
        return old, new

    def only(self, names: Iterable[str]) -> School:
        """The same school with a new export of the classes `names` only (a partial export:
        some classes ticked in the export wizard)."""
        return School(self.old, only_groups(self.new, set(names)), self.movers)

    def without(self, names: Iterable[str]) -> School:
        """The same school with the classes `names` left out of the new export."""
        left_out = set(names)
        kept = set(self.new.groepen["groepsnaam"]) - left_out
        return self.only(kept)


def synthetic_school(
    per_year: int = 2, size: int = 24, movers: int = 5, seed: int = 7, brin: str = "12AB"
) -> School:
    """A PO school with `per_year` groups of `size` pupils in each of groep 1-8: next year
    every pupil moves up a groep (same letter), groep 8 leaves, `movers` pupils of groep 1-7
    leave, a new groep 1 comes in and two newcomers join."""
    random = np.random.default_rng(seed)
    letters = [chr(ord("A") + n) for n in range(per_year)]
    number = iter(range(200000, 999999))
    pupils = []
    for jaargroep in range(1, 9):
        for letter in letters:
            for _ in range(size):
                pupils.append(_pupil(str(next(number)), jaargroep, letter, random))
    old_pupils = pd.DataFrame(pupils)
    candidates = old_pupils.index[old_pupils["jaargroep"].astype(int) < 8]
    gone = set(random.choice(candidates, size=movers, replace=False).tolist())
    staying = old_pupils[(old_pupils["jaargroep"].astype(int) < 8) & ~old_pupils.index.isin(gone)]
    moved = staying.assign(jaargroep=(staying["jaargroep"].astype(int) + 1).astype(str))
    intake = [
        _pupil(str(next(number)), 1, letter, random) for letter in letters for _ in range(size)
    ]
    newcomers = [_pupil(str(next(number)), 4, letters[0], random) for _ in range(2)]
    new_pupils = pd.concat([moved, pd.DataFrame(intake + newcomers)], ignore_index=True)
    old = _year(old_pupils, letters, OLD_YEAR, brin, "O")
    new = _year(new_pupils, letters, NEW_YEAR, brin, "N")
    return School(old, new, movers)


def _pupil(leerling_id: str, jaargroep: int, letter: str, random: np.random.Generator) -> dict:
    day = pd.Timedelta(days=int(random.integers(0, 365)))
    born = pd.Timestamp(2025 - 4 - jaargroep, 1, 1) + day
    return {
        "leerling_id": leerling_id,
        "achternaam": str(random.choice(NAMES)),
        "roepnaam": str(random.choice(FIRST)),
        "geboortedatum": born,
        "geslacht": str(random.choice(["M", "V"])),
        "jaargroep": str(jaargroep),
        "letter": letter,
    }


def _year(pupils: pd.DataFrame, letters: list[str], year: str, brin: str, prefix: str) -> Tables:
    groups = pd.DataFrame(
        [
            {
                "groep_id": f"{prefix}{jaargroep}{letter}",
                "groepsnaam": f"{jaargroep}{letter}",
                "jaargroep": str(jaargroep),
                "soort": "stamgroep",
                "schooljaar": year,
                "brin": brin,
                "vestiging": "00",
            }
            for jaargroep in range(1, 9)
            for letter in letters
        ]
    )
    pupils = pupils.assign(
        groep_id=prefix + pupils["jaargroep"] + pupils["letter"], brin=brin, vestiging="00"
    ).drop(columns="letter")
    staff = pd.DataFrame(
        {
            "medewerker_id": [f"M{n}" for n in range(len(groups))],
            "achternaam": [NAMES[n % len(NAMES)] for n in range(len(groups))],
            "roepnaam": [FIRST[n % len(FIRST)] for n in range(len(groups))],
            "email": [f"m{n}@school.example" for n in range(len(groups))],
            "rol": "TOP leerkracht",
        }
    )
    links = pd.DataFrame({"medewerker_id": staff["medewerker_id"], "groep_id": groups["groep_id"]})
    return Tables.from_frames(
        groepen=groups, leerlingen=pupils, medewerkers=staff, medewerker_groepen=links
    )


def only_groups(tables: Tables, names: set[str]) -> Tables:
    """`tables` with only the groups named `names`, their pupils and their staff links."""
    groups = tables.groepen[tables.groepen["groepsnaam"].isin(names)]
    ids = set(groups["groep_id"])
    pupils = tables.leerlingen[tables.leerlingen["groep_id"].isin(ids)]
    links = tables.medewerker_groepen[tables.medewerker_groepen["groep_id"].isin(ids)]
    return Tables.from_frames(
        groepen=groups, leerlingen=pupils, medewerkers=tables.medewerkers, medewerker_groepen=links
    )
