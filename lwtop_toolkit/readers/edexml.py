"""EDEXML 1.03, 2.0 and 2.1 (ParnasSys `EDEX.XML`, ESIS) and UWLR `leerlinggegevens`.

Parsed with lxml's `iterparse`, which never expands an entity, loads a DTD or touches the network;
a file with a DOCTYPE is refused before parsing. Records are cleared as they are read, so memory
grows with the tables, not with the file. Lenient where real exports deviate from the schema:
child elements in any order, empty elements, school years past the schema's enumeration, unknown
`toevoegingen` blocks (reference/README.md §1, §2).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from lxml import etree

from .. import las
from ..findings import ToolkitError, concat, finding, for_rows, frame
from ..model import SAMENGESTELDE_GROEP, SOURCE_FILE, SOURCE_ROW, STAMGROEP, Tables, join_ids
from ..roles import map_roles
from .base import Reader, ReadResult
from .values import date_column, parse_dates

NAME = "edexml"
UWLR_NAMESPACE = "http://www.edustandaard.nl/leerresultaten/2/leerlinggegevens"
# The element that holds school, groepen, leerlingen and leerkrachten: EDEXML's root, or UWLR's
# `leerlinggegevens` (the root, or inside a SOAP response).
DATA_ROOTS = frozenset({"EDEX", "leerlinggegevens"})
# Never expand entities, never load a DTD, never fetch; no huge text nodes (reference §1, STACK).
PARSER_OPTIONS: dict[str, bool] = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "huge_tree": False,
}
HEAD_BYTES = 64 * 1024  # detection and the DOCTYPE check look at the start of the file only
RECORD_TAGS = tuple(
    f"{{*}}{tag}"
    for tag in ("school", "vestiging", "groep", "samengestelde_groep", "leerling", "leerkracht")
)
# (record, its container): a `groep` inside `leerling` or `leerkracht` is a reference, not a record.
RECORDS: dict[tuple[str, str], str] = {
    ("groep", "groepen"): "groep",
    ("samengestelde_groep", "groepen"): "groep",
    ("leerling", "leerlingen"): "leerling",
    ("leerkracht", "leerkrachten"): "leerkracht",
    ("vestiging", "vestigingen"): "vestiging",
}
# NEN-ISO 5218 (EDEXML `geslacht`) -> our codes; a missing geslacht is "onbekend" (0).
GESLACHT: dict[str, str] = {"0": "O", "1": "M", "2": "V", "9": "X", "": "O"}
COMBINATION_GROUP = "C"  # jaargroep of a combination group: recorded per pupil instead
HISTORICAL = "H"  # jaargroep of a former pupil
# Person fields as EDEXML names them -> our columns (leerling and leerkracht alike).
PERSON_FIELDS: dict[str, str] = {
    "achternaam": "achternaam",
    "voorvoegsel": "tussenvoegsel",
    "voornamen": "voornamen",
    "voorletters-1": "voorletters",
    "roepnaam": "roepnaam",
    "geboortedatum": "geboortedatum",
    "geslacht": "geslacht",
    "jaargroep": "jaargroep",
    "uitstroomdatum": "uitstroomdatum",
    "emailadres": "email",
}
CODE_FIELDS = ("geboortedatum", "geslacht", "jaargroep", "uitstroomdatum")  # trimmed
# Citizen numbers, addresses, origin, weight, ethnicity: never read (AVG).
DROPPED = frozenset(
    {"bsn", "sofinummer", "onderwijsnummer", "bsn_ondwnr-4", "rijksregisternummer"}
    | {"postcodenl", "postnummerbe", "postcodeoverig", "land", "land_vader", "land_moeder"}
    | {"gewicht", "gewicht_nieuw", "etniciteit"}
)
SCHOOLJAAR = re.compile(r"^(\d{4})-(\d{4})$")
VESTIGINGSNUMMER = re.compile(r"^\d{2}$")
BRIN6 = re.compile(r"^\d{2}[A-Z]{2}(\d{2})$")
_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.DOTALL)
_FIRST_TAG = re.compile(r"<([A-Za-z_][\w.\-]*(?::[A-Za-z_][\w.\-]*)?)[\s/>]")
_UWLR_TAG = re.compile(r"<(?:[\w.\-]+:)?leerlinggegevens[\s/>]")
_INITIAL = re.compile(r"[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]*|[^\s.]")


@dataclass
class _Export:
    """What one file holds, collected while parsing; turned into frames afterwards."""

    file: str
    school: dict[str, tuple[str, int]] = field(default_factory=dict)
    vestigingen: dict[str, int] = field(default_factory=dict)
    groepen: list[dict[str, Any]] = field(default_factory=list)
    leerlingen: list[dict[str, Any]] = field(default_factory=list)
    medewerkers: list[dict[str, Any]] = field(default_factory=list)
    links: list[dict[str, Any]] = field(default_factory=list)
    dropped: dict[str, int] = field(default_factory=dict)

    def school_text(self, name: str) -> str:
        return self.school.get(name, ("", 0))[0].strip()

    def school_line(self, name: str) -> int | None:
        return self.school.get(name, ("", None))[1]


# --- detection ---------------------------------------------------------------------------------


def xml_files(paths: Sequence[Path]) -> list[Path]:
    """The files among `paths`; a folder gives its `.xml` files (any case), not hidden ones."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                child
                for child in sorted(path.iterdir())
                if child.is_file()
                and not child.name.startswith(".")
                and child.suffix.lower() == ".xml"
            )
        else:
            found.append(path)
    return found


def _head(path: Path) -> str:
    """The first bytes of a file as text, comments removed ("" when it cannot be read)."""
    try:
        with path.open("rb") as stream:
            raw = stream.read(HEAD_BYTES)
    except OSError:
        return ""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = raw.decode("utf-16", errors="replace")
    else:
        text = raw.decode("utf-8", errors="replace")
    return _COMMENT.sub("", text)


def _is_edexml(head: str) -> bool:
    first = _FIRST_TAG.search(head)
    if first is None:
        return False
    if first[1].rpartition(":")[2] in DATA_ROOTS:
        return True
    return UWLR_NAMESPACE in head and _UWLR_TAG.search(head) is not None


def detect(paths: Sequence[Path]) -> bool:
    """True when a file is EDEXML (root `EDEX`) or a UWLR `leerlinggegevens` document."""
    return any(_is_edexml(_head(path)) for path in xml_files(paths) if path.is_file())


# --- parsing -----------------------------------------------------------------------------------


def _local(tag: Any) -> str:
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _refuse_unsafe(head: str, path: Path) -> None:
    for marker, reason in (("<!DOCTYPE", "een DOCTYPE (DTD)"), ("<!ENTITY", "entiteiten")):
        if marker in head:
            raise ToolkitError("unsafe-xml", file=str(path), reason=reason)


def _parse(path: Path) -> _Export:
    """Stream one file into an `_Export`; ToolkitError when it is unsafe or not XML."""
    _refuse_unsafe(_head(path), path)
    export = _Export(file=str(path))
    checked = False
    try:
        context = etree.iterparse(str(path), events=("end",), tag=RECORD_TAGS, **PARSER_OPTIONS)
        for _, element in context:
            if not checked:  # a DOCTYPE beyond the first bytes: refuse all the same
                if element.getroottree().docinfo.doctype:
                    raise ToolkitError("unsafe-xml", file=str(path), reason="een DOCTYPE (DTD)")
                checked = True
            parent = element.getparent()
            if parent is None:
                continue
            name, container = _local(element.tag), _local(parent.tag)
            if name == "school" and container in DATA_ROOTS:
                _school(export, element)
            else:
                kind = RECORDS.get((name, container))
                grandparent = parent.getparent()
                if kind is None or grandparent is None or _local(grandparent.tag) not in DATA_ROOTS:
                    continue  # a reference inside a record: read with its record
                HANDLERS[kind](export, element)
            element.clear(keep_tail=False)
            while element.getprevious() is not None:  # free what is read
                del parent[0]
    except etree.XMLSyntaxError as error:
        line = f" (regel {error.lineno})" if error.lineno else ""
        raise ToolkitError(
            "unreadable-file", file=str(path), reason=f"geen geldige XML{line}: {error.msg}"
        ) from error
    except OSError as error:
        raise ToolkitError("unreadable-file", file=str(path), reason=str(error)) from error
    return export


def _school(export: _Export, element: Any) -> None:
    for child in element:
        name = _local(child.tag)
        if name and name != "toevoegingen":
            export.school[name] = (child.text or "", child.sourceline)


def _vestiging(export: _Export, element: Any) -> None:
    export.vestigingen.setdefault((element.get("key") or "").strip(), element.sourceline)


def _groep(export: _Export, element: Any) -> None:
    row: dict[str, Any] = {
        "groep_id": (element.get("key") or "").strip(),
        "soort": STAMGROEP if _local(element.tag) == "groep" else SAMENGESTELDE_GROEP,
        SOURCE_ROW: element.sourceline,
    }
    for child in element:
        name = _local(child.tag)
        if name == "naam":
            row["groepsnaam"] = child.text or ""
        elif name == "jaargroep":
            code = (child.text or "").strip()
            row["jaargroep"] = "" if code == COMBINATION_GROUP else code
    export.groepen.append(row)


def _person(export: _Export, element: Any, row: dict[str, Any]) -> list[Any]:
    """Fill the name fields of a leerling or leerkracht; return the children left to handle."""
    rest = []
    for child in element:
        name = _local(child.tag)
        column = PERSON_FIELDS.get(name)
        if column is not None:
            text = child.text or ""
            row[column] = text.strip() if column in CODE_FIELDS else text
        elif name in DROPPED:
            export.dropped.setdefault(name, child.sourceline)
        elif name:
            rest.append(child)
    return rest


def _leerling(export: _Export, element: Any) -> None:
    row: dict[str, Any] = {
        "leerling_id": (element.get("key") or "").strip(),
        "eckid": (element.get("eckid") or "").strip(),
        SOURCE_ROW: element.sourceline,
    }
    for child in _person(export, element, row):
        name = _local(child.tag)
        if name == "groep":
            row["groep_id"] = (child.get("key") or "").strip()
        elif name == "samengestelde_groepen":
            keys = [(ref.get("key") or "").strip() for ref in child if _local(ref.tag)]
            row["samengestelde_groepen"] = join_ids([key for key in keys if key])
        elif name == "vestiging":
            row["vestiging"] = (child.get("key") or "").strip()
    export.leerlingen.append(row)


def _roles(element: Any) -> list[str]:
    """The `rol` codes and `rolomschrijving` texts directly under `element`."""
    found = []
    for child in element:
        name = _local(child.tag)
        if name in ("rol", "rolomschrijving"):
            text = " ".join((child.text or "").replace(",", " ").replace(";", " ").split())
            if text:
                found.append(text)
    return found


def _leerkracht(export: _Export, element: Any) -> None:
    staff_id = (element.get("key") or "").strip()
    row: dict[str, Any] = {"medewerker_id": staff_id, SOURCE_ROW: element.sourceline}
    roles = _roles(element)  # for the whole school
    for child in _person(export, element, row):
        if _local(child.tag) != "groepen":
            continue
        for ref in child:
            if _local(ref.tag) in ("groep", "samengestelde_groep"):
                roles += _roles(ref)  # for this group
                group = (ref.get("key") or "").strip()
                export.links.append(
                    {"medewerker_id": staff_id, "groep_id": group, SOURCE_ROW: ref.sourceline}
                )
    row["las_rol"] = ",".join(dict.fromkeys(roles))
    export.medewerkers.append(row)


HANDLERS = {
    "groep": _groep,
    "leerling": _leerling,
    "leerkracht": _leerkracht,
    "vestiging": _vestiging,
}


# --- from the parsed export to the tables --------------------------------------------------------


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


def _school_findings(export: _Export) -> list[dict[str, Any]]:
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
    return notes


def _pupils(export: _Export, vestiging: str) -> tuple[pd.DataFrame, list[pd.DataFrame]]:
    """The active pupils and the findings about them; former pupils are counted, not kept."""
    pupils = _frame(export.leerlingen, export.file)
    if pupils.empty:
        return pupils, []
    notes: list[pd.DataFrame] = []
    jaargroep = _column(pupils, "jaargroep")
    left = parse_dates(_column(pupils, "uitstroomdatum"))
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
    export: _Export, pupils: pd.DataFrame, school: str
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


def _staff(export: _Export) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
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


def _tables(export: _Export) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
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
    chosen = [path for path in files if _is_edexml(_head(path))]
    if not chosen:
        names = ", ".join(str(path) for path in files) or ", ".join(map(str, paths))
        raise ToolkitError(
            "unknown-format", file=names, reason="geen EDEXML-bestand (hoofdelement EDEX)"
        )
    parts = [_tables(_parse(path)) for path in chosen]
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


READER = Reader(
    name=NAME,
    label="EDEXML (ParnasSys, ESIS, UWLR)",
    detect=detect,
    read=read,
)
