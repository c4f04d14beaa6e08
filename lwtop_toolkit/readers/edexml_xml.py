"""Safe streaming of an EDEXML or UWLR `leerlinggegevens` file into plain records (no pandas).

lxml's `iterparse` never expands an entity, loads a DTD or touches the network here, and a file
with a DOCTYPE is refused before it is parsed. Records are cleared as they are read, so memory
grows with the tables, not with the file. Children are looked up by name, so their order does
not matter; unknown elements and `toevoegingen` blocks are skipped.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from lwtop_toolkit.findings import ToolkitError
from lwtop_toolkit.model import SAMENGESTELDE_GROEP, SOURCE_ROW, STAMGROEP, join_ids
from lwtop_toolkit.readers.files.screening import one_line
from lwtop_toolkit.readers.files.spaces import clean_records

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
COMBINATION_GROUP = "C"  # jaargroep of a combination group: recorded per pupil instead
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
_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.DOTALL)
_FIRST_TAG = re.compile(r"<([A-Za-z_][\w.\-]*(?::[A-Za-z_][\w.\-]*)?)[\s/>]")
_UWLR_TAG = re.compile(r"<(?:[\w.\-]+:)?leerlinggegevens[\s/>]")


@dataclass
class Export:
    """What one file holds, collected while parsing; turned into frames afterwards."""

    file: str
    school: dict[str, tuple[str, int]] = field(default_factory=dict)
    vestigingen: dict[str, int] = field(default_factory=dict)
    groepen: list[dict[str, Any]] = field(default_factory=list)
    leerlingen: list[dict[str, Any]] = field(default_factory=list)
    medewerkers: list[dict[str, Any]] = field(default_factory=list)
    links: list[dict[str, Any]] = field(default_factory=list)
    dropped: dict[str, int] = field(default_factory=dict)
    # (declared encoding, the encoding read) when the file's declaration was wrong
    encoding_mismatch: tuple[str, str] | None = None
    # `invisible-characters` findings: zero-width characters and no-break spaces cleaned
    cleaned: list[dict[str, Any]] = field(default_factory=list)

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


def read_head(path: Path) -> str:
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


def is_edexml(text: str) -> bool:
    """Whether the start of a file (`read_head`) has EDEXML's root or UWLR's data element."""
    first = _FIRST_TAG.search(text)
    if first is None:
        return False
    if first[1].rpartition(":")[2] in DATA_ROOTS:
        return True
    return UWLR_NAMESPACE in text and _UWLR_TAG.search(text) is not None


# --- parsing -----------------------------------------------------------------------------------


def _local(tag: Any) -> str:
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _refuse_unsafe(text: str, path: Path) -> None:
    for marker, reason in (("<!DOCTYPE", "een DOCTYPE (DTD)"), ("<!ENTITY", "entiteiten")):
        if marker in text:
            raise ToolkitError("unsafe-xml", file=str(path), reason=reason)


def parse(path: Path) -> Export:
    """Stream one file into an `Export`; ToolkitError when it is unsafe or not XML.

    A wrong encoding declaration is survived: a file that says UTF-8 but is Windows-1252, or
    says Latin-1 but is UTF-8, is read in its real encoding and `encoding_mismatch` says so.
    """
    _refuse_unsafe(read_head(path), path)
    declared = declared_encoding(path)
    encoding = None
    if declared.lower().replace("_", "-") in SINGLE_BYTE and _is_utf8(path):
        encoding = "UTF-8"
    try:
        try:
            return _parse(path, encoding, declared)
        except etree.XMLSyntaxError as error:
            if encoding is None and _encoding_error(error) and _decodes(path, "cp1252"):
                return _parse(path, "Windows-1252", declared or "UTF-8")
            raise
    except etree.XMLSyntaxError as error:
        raise ToolkitError(
            "unreadable-file", file=str(path), reason=_syntax_reason(path, error)
        ) from error
    except OSError as error:
        raise ToolkitError("unreadable-file", file=str(path), reason=one_line(error)) from error


# Single-byte encodings a declaration may name while the bytes are really UTF-8.
SINGLE_BYTE = frozenset(
    {"iso-8859-1", "latin-1", "latin1", "iso-8859-15", "windows-1252", "cp1252", "us-ascii"}
)
_DECLARATION = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._\-]+)[\"']")
CHUNK = 1 << 20


def declared_encoding(path: Path) -> str:
    """The encoding the XML declaration names ("" when none, or when a BOM decides)."""
    with path.open("rb") as stream:
        head = stream.read(256)
    if head.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")):
        return ""
    match = _DECLARATION.match(head)
    return match[1].decode("ascii") if match else ""


def _decodes(path: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        with path.open("rb") as stream:
            for block in iter(lambda: stream.read(CHUNK), b""):
                decoder.decode(block)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _is_utf8(path: Path) -> bool:
    """Whether the file is valid UTF-8 with at least one non-ASCII character."""
    with path.open("rb") as stream:
        has_non_ascii = any(not block.isascii() for block in iter(lambda: stream.read(CHUNK), b""))
    return has_non_ascii and _decodes(path, "utf-8")


def _encoding_error(error: etree.XMLSyntaxError) -> bool:
    """Bytes that are no UTF-8 (libxml2 says so in one of two ways, by version)."""
    message = (error.msg or "").lower()
    return error.code == 81 or "utf-8" in message or "encoding" in message


def _syntax_reason(path: Path, error: etree.XMLSyntaxError) -> str:
    """Dutch: why the XML is not XML, saying so when the file simply stops (cut off)."""
    line = error.lineno or 0
    with path.open("rb") as stream:
        stream.seek(max(0, path.stat().st_size - 64))
        tail = stream.read()
    if "Premature end" in (error.msg or "") or not tail.rstrip().endswith(b">"):
        return (
            f"geen geldige XML: het bestand is afgebroken bij regel {line} (het einde ontbreekt). "
            "Maak de export opnieuw aan in het LAS."
        )
    where = f" (regel {line})" if line else ""
    return f"geen geldige XML{where}: {one_line(error.msg)}"


def _parse(path: Path, encoding: str | None, declared: str) -> Export:
    export = Export(file=str(path))
    if encoding is not None:
        export.encoding_mismatch = (declared or "UTF-8", encoding)
    checked = False
    context = etree.iterparse(
        str(path), events=("end",), tag=RECORD_TAGS, encoding=encoding, **PARSER_OPTIONS
    )
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
    for table, records in (("groepen", export.groepen), ("leerlingen", export.leerlingen),
                           ("medewerkers", export.medewerkers)):  # fmt: skip
        export.cleaned += clean_records(records, export.file, table)
    return export


def _school(export: Export, element: Any) -> None:
    for child in element:
        name = _local(child.tag)
        if name and name != "toevoegingen":
            export.school[name] = (child.text or "", child.sourceline)


def _vestiging(export: Export, element: Any) -> None:
    export.vestigingen.setdefault((element.get("key") or "").strip(), element.sourceline)


def _groep(export: Export, element: Any) -> None:
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


def _person(export: Export, element: Any, row: dict[str, Any]) -> list[Any]:
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


def _leerling(export: Export, element: Any) -> None:
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


def _leerkracht(export: Export, element: Any) -> None:
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
