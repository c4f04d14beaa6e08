"""Eduarte (MBO) pupil and staff exports, CSV or XLSX, read through the shared alias table.

Eduarte's export format is not public (reference/README.md §8). Its deelnemer lists say
`Nummer` (or `deelnemernummer`, `deelnemersnummer`, `studentnummer`), name fields as in Somtoday
(`Roepnaam`, `Voorletters`, `Voorvoegsel`, `Achternaam`), `Geboortedatum`, `Geslacht`,
`Opleiding`, `Lj` (leerjaar 1-4, stored like VO leerjaar as 11-14: the jaargroep codes have none
for MBO), the class in `Plaatsingsgroep` (or `groep`, `klas`) and the other groups in `Groepen`;
its staff imports say `Afkorting`, `Geboortenaam`, `Voorvoegsels Geboortenaam`, `Emailadres`,
`functie`. A study-career coach (`SLB'er`, `slb`) is a mentor. Without a `leerjaar` column it is
derived from the class name, with a warning.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from lwtop_toolkit.model import normalise
from lwtop_toolkit.readers.base import Reader, ReadResult
from lwtop_toolkit.readers.las_lists import any_sheet, read_lists
from lwtop_toolkit.readers.pupil_lists import PUPIL_ALIASES, ListFormat, extend, is_pupil_header
from lwtop_toolkit.readers.staff_lists import STAFF_ALIASES

NAME = "eduarte"
FORMAT = ListFormat(
    name=NAME,
    pupil_aliases=extend(
        PUPIL_ALIASES,
        leerling_id=("deelnemer", "deelnemer nummer", "nummer"),
        samengestelde_groepen=("groepen",),
        mentor_1=("slber", "slb", "studieloopbaanbegeleider", "coach"),
        opleiding=("opleidingsnaam", "crebo", "crebocode"),
    ),
    staff_aliases=extend(
        STAFF_ALIASES,
        achternaam=("geboortenaam",),
        tussenvoegsel=("voorvoegsels geboortenaam", "voorvoegsel geboortenaam"),
    ),
)
# MBO's words for a pupil and the class a student is placed in: a header naming one is Eduarte's.
SIGNATURE = frozenset(
    normalise(name)
    for name in ("deelnemernummer", "deelnemernr", "deelnemer nummer", "deelnemersnummer",
                 "plaatsingsgroep")
)  # fmt: skip


def _is_eduarte_pupils(header: list[str]) -> bool:
    names = {normalise(cell) for cell in header}
    return bool(names & SIGNATURE) and is_pupil_header(header, FORMAT.pupil_aliases)


def detect(paths: Sequence[Path], known: frozenset[str]) -> bool:
    """A pupil list whose number column is `deelnemernummer`."""
    return any_sheet(paths, known, _is_eduarte_pupils, skip=lambda path: False)


def read(
    paths: Sequence[Path], known: frozenset[str], mapping: Mapping[str, str] | None = None
) -> ReadResult:
    """Read Eduarte's deelnemer list (and staff list) into Tables."""
    return read_lists(paths, FORMAT, known, mapping=mapping)


READER = Reader(
    name=NAME,
    label="Eduarte (deelnemerslijst)",
    aliases=FORMAT.aliases,
    detect_with=detect,
    read_with=read,
)
