"""Somtoday exports: pupil and staff lists (CSV/XLSX) and the headerless `;` structuurbestand.

Field names as Somtoday's interfaces name them (reference/README.md §6): `leerlingnummer`,
`roepnaam`, `voorvoegsel`, `achternaam`, `geboortedatum`, `geslacht`, `stamgroep`, `leerjaar`,
`opleiding`, `vestiging`, `mentoren`, `eckid` (also with UmService's `leerling` prefix:
`leerlingStamgroep`); staff `medewerkernummer`, `afkorting`, `functie`. The structuurbestand
("Beheer > Import & Export > Inrichting") has one record per line, its type first:
`Vestiging;BRIN;naam;afkorting;`, `Stamgroep;BRIN;naam;;`, `Medewerker;BRIN;achternaam;afkorting;
nummer`; `Opleiding`, `Vak` and `Lesgroep` records are not needed and are counted in one finding.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from lwtop_toolkit.findings import ToolkitError, concat, finding, frame
from lwtop_toolkit.model import SOURCE_FILE, SOURCE_ROW, STAMGROEP, normalise
from lwtop_toolkit.readers.base import Reader, ReadResult
from lwtop_toolkit.readers.files.cellsafety import restore_value
from lwtop_toolkit.readers.files.screening import one_line
from lwtop_toolkit.readers.files.sniffing import CSV_SUFFIXES, decode
from lwtop_toolkit.readers.las_lists import Structure, any_sheet, list_files, read_lists
from lwtop_toolkit.readers.pupil_lists import PUPIL_ALIASES, ListFormat, extend, is_pupil_header
from lwtop_toolkit.readers.staff_lists import STAFF_ALIASES

NAME = "somtoday"
FORMAT = ListFormat(
    name=NAME,
    pupil_aliases=extend(
        PUPIL_ALIASES,
        roepnaam=("leerlingroepnaam",),
        tussenvoegsel=("leerlingvoorvoegsel",),
        achternaam=("leerlingachternaam",),
        voorletters=("leerlingvoorletters",),
        geboortedatum=("leerlinggeboortedatum",),
        geslacht=("leerlinggeslacht",),
        groep_id=("leerlingstamgroep",),
        leerjaar=("leerlingleerjaar",),
        opleiding=("leerlingopleidingcode", "leerlingopleiding"),
        vestiging=("leerlingvestigingafkorting", "vestigingafkorting", "leerlingvestigingnaam"),
        brin=("leerlingbekostigingbrinvolgnummer", "bekostigingbrinvolgnummer"),
        eckid=("leerlingeckid",),
        mentor_1=("leerlingmentoren",),
        samengestelde_groepen=("leerlinglesgroepen",),
    ),
    staff_aliases=extend(
        STAFF_ALIASES,
        medewerker_id=("medewerkernummer",),
        code=("medewerkerafkorting",),
        roepnaam=("medewerkerroepnaam",),
        tussenvoegsel=("medewerkervoorvoegsel",),
        achternaam=("medewerkerachternaam",),
        las_rol=("medewerkerfunctie", "medewerkerrollen"),
        email=("medewerkeremail", "medewerkeremailadres"),
    ),
)
# A Somtoday pupil list says `leerlingnummer` and `stamgroep` (Magister: Stamnummer, Klas).
SIGNATURE = (
    {normalise(n) for n in ("leerlingnummer", "leerlingNummer")},
    {normalise(n) for n in ("stamgroep", "leerlingStamgroep")},
)
# Record types of the structuurbestand -> how many fields a record has at least.
RECORD_TYPES: dict[str, int] = {
    "vestiging": 2,
    "opleiding": 3,
    "vak": 3,
    "stamgroep": 3,
    "lesgroep": 3,
    "medewerker": 3,
}
USED_RECORDS = frozenset({"vestiging", "stamgroep", "medewerker"})
HEAD_BYTES = 4096
SNIFF_RECORDS = 20
KNOWN_SHARE = 0.8  # a record type Somtoday adds later must not hide the file


def _is_somtoday_pupils(header: list[str]) -> bool:
    names = {normalise(cell) for cell in header}
    numbered, grouped = SIGNATURE
    return bool(names & numbered and names & grouped) and is_pupil_header(
        header, FORMAT.pupil_aliases
    )


def is_structuurbestand(path: Path) -> bool:
    """A headerless `;` file whose first line, and most lines, start with a record type."""
    if path.suffix.lower() not in CSV_SUFFIXES:
        return False
    try:
        with path.open("rb") as handle:
            head = handle.read(HEAD_BYTES)
        text, _ = decode(head, str(path))
    except Exception:
        return False
    lines = [line for line in text.splitlines()[:SNIFF_RECORDS] if line.strip()]
    if len(lines) > 1 and len(head) == HEAD_BYTES:
        lines = lines[:-1]  # the last line may be cut off
    kinds = [line.split(";", 1)[0].strip().lower() if ";" in line else "" for line in lines]
    known = sum(kind in RECORD_TYPES for kind in kinds)
    return bool(kinds) and kinds[0] in RECORD_TYPES and known >= KNOWN_SHARE * len(kinds)


def detect(paths: Sequence[Path], known: frozenset[str]) -> bool:
    """A structuurbestand, or a pupil list with `leerlingnummer` and `stamgroep`."""
    if any(is_structuurbestand(path) for path in list_files(paths)):
        return True
    return any_sheet(paths, known, _is_somtoday_pupils, skip=is_structuurbestand)


def read_structure(paths: Sequence[Path]) -> Structure:
    """The structuurbestanden among `paths`: locations, stamgroepen and staff."""
    files = [path for path in list_files(paths) if is_structuurbestand(path)]
    groups: list[dict[str, Any]] = []
    staff: list[dict[str, Any]] = []
    places: dict[str, tuple[str, str]] = {}
    notes: list[dict[str, Any]] = []
    for path in files:
        name = str(path)
        text, encoding = decode(path.read_bytes(), name)
        if encoding not in ("utf-8", "utf-8-sig"):
            notes.append(finding("encoding-fallback", file=name, value=encoding))
        skipped: dict[str, tuple[int, int]] = {}
        for number, record in _records(text, name):
            cells = [restore_value(cell.strip()) for cell in record] + [""] * 5
            kind = cells[0].lower()
            if not cells[0] and not any(cells):
                continue
            if kind not in RECORD_TYPES or len(record) < RECORD_TYPES[kind] or not cells[2]:
                notes.append(finding("unknown-record", file=name, row=number, value=cells[0]))
                continue
            where = {SOURCE_FILE: name, SOURCE_ROW: number}
            brin, vestiging = cells[1][:4], cells[1][4:6]
            if kind == "vestiging":
                for key in (cells[2], cells[3], cells[1]):
                    if key:
                        places.setdefault(normalise(key), (brin, vestiging))
            elif kind == "stamgroep":
                groups.append({"groep_id": cells[2], "groepsnaam": cells[2], "jaargroep": "",
                               "soort": STAMGROEP, "schooljaar": "", "brin": brin,
                               "vestiging": vestiging, **where})  # fmt: skip
            elif kind == "medewerker":
                staff.append({"medewerker_id": cells[4] or cells[3], "achternaam": cells[2],
                              "code": cells[3], "las_rol": "", "rol": "", **where})  # fmt: skip
            if kind not in USED_RECORDS:
                count, first = skipped.get(cells[0], (0, number))
                skipped[cells[0]] = (count + 1, first)
        notes += [
            finding(
                "structure-records-skipped",
                file=name,
                row=first,
                value=kind,
                count=count,
                reason="TOP dossier heeft ze niet nodig",
            )
            for kind, (count, first) in skipped.items()
        ]
    return Structure(
        groepen=pd.DataFrame(groups),
        medewerkers=pd.DataFrame(staff),
        vestigingen=places,
        findings=concat([frame(notes)]),
        files=files,
    )


def _records(text: str, name: str) -> list[tuple[int, list[str]]]:
    """The numbered records of a structuurbestand (any line ends); ToolkitError when broken."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";")
    records: list[tuple[int, list[str]]] = []
    try:
        for record in reader:
            records.append((reader.line_num, record))
    except csv.Error as error:
        raise ToolkitError(
            "unreadable-file",
            file=name,
            reason=f"regel {reader.line_num} van het structuurbestand is niet te lezen "
            f"({one_line(error)}).",
        ) from None
    return records


def read(
    paths: Sequence[Path], known: frozenset[str], mapping: Mapping[str, str] | None = None
) -> ReadResult:
    """Read Somtoday's pupil and staff lists and its structuurbestand into Tables."""
    structure = read_structure(paths)
    return read_lists(paths, FORMAT, known, mapping=mapping, structure=structure)


READER = Reader(
    name=NAME,
    label="Somtoday (export en structuurbestand)",
    aliases=FORMAT.aliases,
    detect_with=detect,
    read_with=read,
)
