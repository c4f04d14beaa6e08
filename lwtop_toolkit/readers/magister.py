"""Magister list exports (CSV or XLSX): a pupil list and, when given, a staff list.

Magister lists are defined by the school, so columns vary (reference/README.md §7): `Stamnummer`,
`Roepnaam`, `Tussenvoegsel`, `Achternaam` or one `Naam` field (`Achternaam, Roepnaam`), `Klas`
(the stamgroep), `Studie`, `Leerjaar`, `Geboortedatum`, `Geslacht`, `Klassenmentor 1`, ...;
often Windows-1252 with `;`. Stamnummers are kept as text (leading zeros stay). A staff list
has a docent code, a name and a function (`Code`, `Naam`, `Functie`). Leerjaar 3 is jaargroep
13; without a `Leerjaar` column it is derived from the class name (`3HB`, `H4a`) with a warning.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from lwtop_toolkit.model import normalise
from lwtop_toolkit.readers.base import Reader, ReadResult
from lwtop_toolkit.readers.las_lists import any_sheet, read_lists
from lwtop_toolkit.readers.pupil_lists import PUPIL_ALIASES, ListFormat, extend, is_pupil_header
from lwtop_toolkit.readers.staff_lists import STAFF_ALIASES

NAME = "magister"
# Magister's own words: `Stamnummer` is its pupil number (and, in a staff list, the employee's).
FORMAT = ListFormat(
    name=NAME,
    pupil_aliases=extend(PUPIL_ALIASES, leerling_id=("stamnr leerling",)),
    staff_aliases=extend(STAFF_ALIASES, medewerker_id=("stamnummer", "stamnr")),
)
# A header naming one of these is Magister's: other LAS say leerlingnummer.
SIGNATURE = frozenset(
    normalise(name) for name in ("Stamnummer", "stamnr", "stamnr leerling", "stamnr_str")
)


def _is_magister_pupils(header: list[str]) -> bool:
    names = {normalise(cell) for cell in header}
    return bool(names & SIGNATURE) and is_pupil_header(header, FORMAT.pupil_aliases)


def detect(paths: Sequence[Path], known: frozenset[str]) -> bool:
    """A pupil list whose number column is `Stamnummer`."""
    return any_sheet(paths, known, _is_magister_pupils, skip=lambda path: False)


def read(
    paths: Sequence[Path], known: frozenset[str], mapping: Mapping[str, str] | None = None
) -> ReadResult:
    """Read Magister's pupil list (and staff list) into Tables."""
    return read_lists(paths, FORMAT, known, mapping=mapping)


READER = Reader(
    name=NAME,
    label="Magister (leerlingenlijst)",
    aliases=FORMAT.aliases,
    detect_with=detect,
    read_with=read,
)
