"""EDEXML 1.03, 2.0 and 2.1 (ParnasSys `EDEX.XML`, ESIS) and UWLR `leerlinggegevens` as Tables.

edexml_xml.py streams the file safely into records; this module maps them to the canonical
tables (reference/README.md §1, §2). Lenient where real exports deviate from the schema: child
elements in any order, empty elements, school years past the schema's enumeration, unknown
`toevoegingen` blocks. Former pupils are counted, not kept; citizen numbers are never read.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from lwtop_toolkit.findings import ToolkitError, concat, finding, for_rows, frame
from lwtop_toolkit.las import catalogue as las
from lwtop_toolkit.las.roles import map_roles
from lwtop_toolkit.model import SOURCE_FILE, SOURCE_ROW, Tables
from lwtop_toolkit.readers.base import Reader, ReadResult
from lwtop_toolkit.readers.edexml_xml import (
    UWLR_NAMESPACE,
    Export,
    is_edexml,
    parse,
    read_head,
    xml_files,
)
from lwtop_toolkit.readers.files.values import date_column

NAME = "edexml"
__all__ = ["NAME", "READER", "UWLR_NAMESPACE", "detect", "read"]
# NEN-ISO 5218 (EDEXML `geslacht`) -> our codes; a missing geslacht is "onbekend" (0).
GESLACHT: dict[str, str] = {"0": "O", "1": "M", "2": "V", "9": "X", "": "O"}
HISTORICAL = "H"  # jaargroep of a former pupil
SCHOOLJAAR = re.compile(r"^(\d{4})-(\d{4})$")
VESTIGINGSNUMMER = re.compile(r"^\d{2}$")
BRIN6 = re.compile(r"^\d{2}[A-Z]{2}(\d{2})$")
_INITIAL = re.compile(r"[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]*|[^\s.]")


def _day(text: str) -> dt.date | None:
    """The date of an xs:date or xs:dateTime (`2026-08-20T10:00:00+02:00`), or None."""
    try:
        return dt.date.fromisoformat(text.strip()[:10])
    except ValueError:
        return None


def _voorletters(text: str) -> str:
    """EDEXML's `IH` (no dots, NEN 1888) as `I.H.`; `Th` stays one initial; dotted text stays."""
    text = text.strip()
    if not text or "." in text:
        return text
    return "".join(f"{initial}." for initial in _INITIAL.findall(text))


def _frame(rows: list[dict[str, Any]], file: str) -> pd.DataFrame:
    out = pd.DataFrame(rows)
    out[SOURCE_FILE] = file
    return out


def _column(table: pd.DataFrame, name: str) -> pd.Series:
    if name in table:
        return table[name].fillna("").astype("str")
    return pd.Series("", index=table.index, dtype="str")


def _school_findings(export: Export) -> list[dict[str, Any]]:
    notes: list[dict[str, Any]] = []
    schooljaar = export.school_text("schooljaar")
    match = SCHOOLJAAR.match(schooljaar)
    if schooljaar and (match is None or int(match[2]) != int(match[1]) + 1):
        notes.append(
            finding(
                "invalid-schooljaar",
                file=export.file,
                table="groepen",
                row=export.school_line("schooljaar"),
                column="schooljaar",
                value=schooljaar,
            )
        )
    notes += las.export_date_findings(
        schooljaar,
        _day(export.school_text("aanmaakdatum")),
        file=export.file,
        row=export.school_line("aanmaakdatum"),
    )
    if export.encoding_mismatch is not None:
        declared, actual = export.encoding_mismatch
        notes.append(
            finding("xml-encoding-mismatch", file=export.file, row=1, value=actual,
                    declared=declared)
        )  # fmt: skip
    if export.dropped:
        notes.append(
            finding(
                "sensitive-fields-dropped",
                file=export.file,
                table="leerlingen",
                row=min(export.dropped.values()),
                value=", ".join(export.dropped),
            )
        )
    return notes + export.cleaned


def _pupils(export: Export, vestiging: str) -> tuple[pd.DataFrame, list[pd.DataFrame]]:
    """The active pupils and the findings about them; former pupils are counted, not kept."""
    pupils = _frame(export.leerlingen, export.file)
    if pupils.empty:
        return pupils, []
    notes: list[pd.DataFrame] = []
    jaargroep = _column(pupils, "jaargroep")
    pupils["uitstroomdatum"] = _column(pupils, "uitstroomdatum")
    left, bad_left = date_column(pupils, "uitstroomdatum", "leerlingen")
    notes.append(bad_left)  # a pupil whose leaving date is no date is kept, and reported
    reference = _day(export.school_text("peildatum")) or _day(export.school_text("aanmaakdatum"))
    former = jaargroep.eq(HISTORICAL)
    if reference is not None:
        former |= left.notna() & (left < pd.Timestamp(reference))
    if former.any():
        when = reference.strftime("%d-%m-%Y") if reference else "de peildatum"
        first = int(pupils.loc[former, SOURCE_ROW].min())
        notes.append(
            frame(
                [
                    finding(
                        "former-pupils-skipped",
                        file=export.file,
                        table="leerlingen",
                        row=first,
                        column="uitstroomdatum",
                        value=int(former.sum()),
                        date=when,
                    )
                ]
            )
        )
    pupils = pupils[~former].reset_index(drop=True)
    if "geboortedatum" in pupils:
        pupils["geboortedatum"], bad_dates = date_column(pupils, "geboortedatum", "leerlingen")
        notes.append(bad_dates)
    geslacht = _column(pupils, "geslacht")
    pupils["geslacht"] = geslacht.map(lambda code: GESLACHT.get(code, code))
    voorletters = _column(pupils, "voorletters")
    initials = {text: _voorletters(text) for text in voorletters.unique()}
    pupils["voorletters"] = voorletters.map(initials)
    roepnaam, voornamen = _column(pupils, "roepnaam"), _column(pupils, "voornamen")
    derived = roepnaam.str.strip().eq("") & voornamen.str.strip().ne("")
    if derived.any():
        first_names = voornamen[derived].str.split().str[0]
        pupils.loc[derived, "roepnaam"] = first_names
        notes.append(
            for_rows(
                "roepnaam-from-voornamen",
                pupils[derived],
                table="leerlingen",
                column="roepnaam",
                values=first_names,
            )
        )
    pupils["brin"] = export.school_text("brincode")
    pupils["vestiging"], vestiging_notes = _vestigingen(export, pupils, vestiging)
    notes.append(vestiging_notes)
    return pupils, notes


def _vestigingen(
    export: Export, pupils: pd.DataFrame, school: str
) -> tuple[pd.Series, pd.DataFrame]:
    """Each pupil's vestigingsnummer: a 2-digit key as is, a BRIN6 key's last two digits, else
    the school's dependancecode (with one `info` per key that is no number)."""
    keys = _column(pupils, "vestiging")
    mapped: dict[str, str] = {}
    notes = []
    for key in keys.unique():
        brin6 = BRIN6.match(key)
        if not key:
            mapped[key] = school
        elif VESTIGINGSNUMMER.match(key):
            mapped[key] = key
        elif brin6:
            mapped[key] = brin6[1]
        else:
            mapped[key] = school
            line = export.vestigingen.get(key) or int(pupils.loc[keys.eq(key), SOURCE_ROW].min())
            notes.append(
                finding(
                    "vestiging-not-a-number",
                    file=export.file,
                    table="leerlingen",
                    row=line,
                    column="vestiging",
                    value=key,
                    fallback=school,
                )
            )
    return keys.map(mapped), frame(notes)


def _staff(export: Export) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    staff = _frame(export.medewerkers, export.file)
    if staff.empty:
        return staff, []
    las_rol = _column(staff, "las_rol")
    staff["rol"] = map_roles(las_rol)
    without = las_rol.eq("")
    if not without.any():
        return staff, []
    note = finding(
        "staff-without-role",
        file=export.file,
        table="medewerkers",
        row=int(staff.loc[without, SOURCE_ROW].min()),
        column="las_rol",
        value=int(without.sum()),
    )
    return staff, [note]


def _dummy_keys(frames: dict[str, pd.DataFrame]) -> list[pd.DataFrame]:
    notes = []
    for table, column in (
        ("groepen", "groep_id"),
        ("leerlingen", "leerling_id"),
        ("medewerkers", "medewerker_id"),
    ):
        rows = frames[table]
        if rows.empty:
            continue
        dummy = rows[_column(rows, column).str.startswith("#")]
        notes.append(for_rows("dummy-key", dummy, table=table, column=column))
    return notes


def _tables(export: Export) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """The canonical frames of one file and the findings of translating it."""
    vestiging = export.school_text("dependancecode")
    groepen = _frame(export.groepen, export.file)
    groepen["schooljaar"] = export.school_text("schooljaar")
    groepen["brin"] = export.school_text("brincode")
    groepen["vestiging"] = vestiging
    leerlingen, pupil_notes = _pupils(export, vestiging)
    medewerkers, staff_notes = _staff(export)
    links = _frame(export.links, export.file)
    frames = {
        "groepen": groepen,
        "leerlingen": leerlingen,
        "medewerkers": medewerkers,
        "medewerker_groepen": links,
    }
    notes = [frame(_school_findings(export)), *pupil_notes, frame(staff_notes)]
    notes += _dummy_keys(frames)
    return frames, concat(notes)


def read(paths: Sequence[Path]) -> ReadResult:
    """Read EDEXML/UWLR files into the canonical tables; several files are read together."""
    files = xml_files(paths)
    for path in files:
        if path.is_file() and path.stat().st_size == 0:
            raise ToolkitError("unreadable-file", file=str(path), reason="het bestand is leeg.")
    chosen = [path for path in files if is_edexml(read_head(path))]
    if not chosen:
        names = ", ".join(str(path) for path in files) or ", ".join(map(str, paths))
        raise ToolkitError(
            "unknown-format", file=names, reason="geen EDEXML-bestand (hoofdelement EDEX)"
        )
    parts = [_tables(parse(path)) for path in chosen]
    frames = {
        name: pd.concat([part[name] for part, _ in parts], ignore_index=True)
        for name in ("groepen", "leerlingen", "medewerkers", "medewerker_groepen")
    }
    return ReadResult(
        tables=Tables.from_frames(**frames),
        findings=concat([notes for _, notes in parts]),
        format=NAME,
        files=chosen,
    )


def detect(paths: Sequence[Path]) -> bool:
    """True when a file is EDEXML (root `EDEX`) or a UWLR `leerlinggegevens` document."""
    return any(is_edexml(read_head(path)) for path in xml_files(paths) if path.is_file())


READER = Reader(
    name=NAME,
    label="EDEXML (ParnasSys, ESIS, UWLR)",
    aliases=(),  # XML: elements, no header row to recognise
    detect_with=lambda paths, known: detect(paths),
    read_with=lambda paths, known: read(paths),
)
