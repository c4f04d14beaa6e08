"""Tables as a synthetic EDEXML 2.1 file (`EDEX.XML`), as ParnasSys and ESIS export it.

For the sample data, the tests and the scale benchmark. Deterministic: the same tables and the
same `aanmaakdatum` give the same bytes (the clock is never read). Elements are written in the
XSD's order; the reader accepts any order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import pandas as pd

from lwtop_toolkit.model import SAMENGESTELDE_GROEP, SchoolYear, Tables, split_ids
from lwtop_toolkit.runtime.files import write_atomically
from lwtop_toolkit.samples.school import generate_school

FILE_NAME = "EDEX.XML"
XSD_VERSION = "2.1"
# Our geslacht -> NEN-ISO 5218 as EDEXML writes it.
GESLACHT: dict[str, str] = {"O": "0", "M": "1", "V": "2", "X": "9"}
COMBINATION_GROUP = "C"
# EDEXML 2.1 `rol` codes (reference/README.md §1.4); any other LAS role is a `rolomschrijving`.
ROLE_CODES = frozenset(
    {"ADJ", "ADM", "CON", "DIR", "ICT", "IB", "KLA", "LRK", "LOS", "LOC", "OWA", "OUD", "RT"}
    | {"SMW", "STA", "TAL", "VAK"}
)
# The LAS whose sample exports are EDEXML, and the author each writes in `auteur`.
SAMPLE_LAS: dict[str, str] = {"parnassys": "ParnasSys", "esis": "ESIS"}


def _text(name: str, value: str, indent: str) -> str:
    return f"{indent}<{name}>{escape(value)}</{name}>"


def _cell(value: object) -> str:
    if value is None or value is pd.NaT or (isinstance(value, float) and value != value):
        return ""
    return str(value)


def _school(
    tables: Tables, aanmaakdatum: dt.datetime, peildatum: dt.date | None, auteur: str
) -> Iterator[str]:
    groepen = tables.groepen
    year = tables.schooljaar()
    first = groepen.iloc[0] if not groepen.empty else None
    brin = _cell(first["brin"]) if first is not None else ""
    if not brin and not tables.leerlingen.empty:
        brin = _cell(tables.leerlingen["brin"].iloc[0])
    vestiging = _cell(first["vestiging"]) if first is not None else ""
    yield "\t<school>"
    yield _text("schooljaar", str(year) if year else "", "\t\t")
    if peildatum is not None:
        yield _text("peildatum", peildatum.isoformat(), "\t\t")
    if brin:
        yield _text("brincode", brin, "\t\t")
        if vestiging:
            yield _text("dependancecode", vestiging, "\t\t")
    yield _text("aanmaakdatum", aanmaakdatum.strftime("%Y-%m-%dT%H:%M:%S"), "\t\t")
    yield _text("auteur", auteur, "\t\t")
    yield _text("xsdversie", XSD_VERSION, "\t\t")
    yield "\t</school>"


def _name(record: dict[str, str], indent: str) -> Iterator[str]:
    """The name choice: achternaam (+ voorvoegsel, voorletters, roepnaam) or roepnaam alone."""
    if not record["achternaam"]:
        yield _text("roepnaam", record["roepnaam"], indent)
        return
    yield _text("achternaam", record["achternaam"], indent)
    if record["tussenvoegsel"]:
        yield _text("voorvoegsel", record["tussenvoegsel"], indent)
    initials = record.get("voorletters", "").replace(".", "").replace(" ", "")
    if initials:
        yield _text("voorletters-1", initials, indent)
    if record["roepnaam"]:
        yield _text("roepnaam", record["roepnaam"], indent)


def _records(frame: pd.DataFrame, columns: tuple[str, ...]) -> Iterator[dict[str, str]]:
    for values in frame.loc[:, list(columns)].itertuples(index=False, name=None):
        yield {column: _cell(value) for column, value in zip(columns, values, strict=True)}


def _groepen(tables: Tables) -> Iterator[str]:
    yield "\t<groepen>"
    columns = ("groep_id", "groepsnaam", "jaargroep", "soort")
    for group in _records(tables.groepen, columns):
        key = quoteattr(group["groep_id"])
        if group["soort"] == SAMENGESTELDE_GROEP:
            yield f"\t\t<samengestelde_groep key={key}>"
            yield _text("naam", group["groepsnaam"], "\t\t\t")
            yield "\t\t</samengestelde_groep>"
        else:
            yield f"\t\t<groep key={key}>"
            yield _text("naam", group["groepsnaam"], "\t\t\t")
            yield _text("jaargroep", group["jaargroep"] or COMBINATION_GROUP, "\t\t\t")
            yield "\t\t</groep>"
    yield "\t</groepen>"


def _leerlingen(tables: Tables) -> Iterator[str]:
    pupils = tables.leerlingen
    born = pupils["geboortedatum"].dt.strftime("%Y-%m-%d").fillna("")
    columns = (
        "leerling_id", "eckid", "achternaam", "tussenvoegsel", "voorletters", "roepnaam",
        "geslacht", "jaargroep", "groep_id", "samengestelde_groepen", "vestiging",
    )  # fmt: skip
    yield "\t<leerlingen>"
    for pupil, birth in zip(_records(pupils, columns), born, strict=True):
        eckid = f" eckid={quoteattr(pupil['eckid'])}" if pupil["eckid"] else ""
        yield f"\t\t<leerling key={quoteattr(pupil['leerling_id'])}{eckid}>"
        yield from _name(pupil, "\t\t\t")
        if birth:
            yield _text("geboortedatum", birth, "\t\t\t")
        if pupil["geslacht"] in GESLACHT:
            yield _text("geslacht", GESLACHT[pupil["geslacht"]], "\t\t\t")
        if pupil["jaargroep"]:
            yield _text("jaargroep", pupil["jaargroep"], "\t\t\t")
        if pupil["groep_id"]:
            yield f"\t\t\t<groep key={quoteattr(pupil['groep_id'])}/>"
        extra = split_ids(pupil["samengestelde_groepen"])
        if extra:
            yield "\t\t\t<samengestelde_groepen>"
            for key in extra:
                yield f"\t\t\t\t<samengestelde_groep key={quoteattr(key)}/>"
            yield "\t\t\t</samengestelde_groepen>"
        if pupil["vestiging"]:
            yield f"\t\t\t<vestiging key={quoteattr(pupil['vestiging'])}/>"
        yield "\t\t</leerling>"
    yield "\t</leerlingen>"


def _leerkrachten(tables: Tables) -> Iterator[str]:
    kind = dict(zip(tables.groepen["groep_id"], tables.groepen["soort"], strict=False))
    links: dict[str, list[str]] = {}
    for staff_id, group in zip(
        tables.medewerker_groepen["medewerker_id"],
        tables.medewerker_groepen["groep_id"],
        strict=True,
    ):
        links.setdefault(staff_id, []).append(group)
    columns = ("medewerker_id", "achternaam", "tussenvoegsel", "roepnaam", "email", "las_rol")
    yield "\t<leerkrachten>"
    for person in _records(tables.medewerkers, columns):
        yield f"\t\t<leerkracht key={quoteattr(person['medewerker_id'])}>"
        yield from _name(person, "\t\t\t")
        if person["email"]:
            yield _text("emailadres", person["email"], "\t\t\t")
        for role in (part.strip() for part in person["las_rol"].split(",")):
            if role:
                yield _text("rol" if role in ROLE_CODES else "rolomschrijving", role, "\t\t\t")
        groups = links.get(person["medewerker_id"], [])
        if groups:
            yield "\t\t\t<groepen>"
            for group in groups:
                tag = "samengestelde_groep" if kind.get(group) == SAMENGESTELDE_GROEP else "groep"
                yield f"\t\t\t\t<{tag} key={quoteattr(group)}/>"
            yield "\t\t\t</groepen>"
        yield "\t\t</leerkracht>"
    yield "\t</leerkrachten>"


def _as_datetime(moment: dt.datetime | dt.date) -> dt.datetime:
    if isinstance(moment, dt.datetime):
        return moment
    return dt.datetime(moment.year, moment.month, moment.day)


def edexml_bytes(
    tables: Tables,
    *,
    aanmaakdatum: dt.datetime | dt.date,
    peildatum: dt.date | None = None,
    auteur: str = "lwtop-toolkit",
) -> bytes:
    """`tables` as an EDEXML 2.1 document (UTF-8, tab-indented, `\\n` line ends)."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<EDEX xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:noNamespaceSchemaLocation="EDEXML.structuur.xsd">',
        *_school(tables, _as_datetime(aanmaakdatum), peildatum, auteur),
    ]
    pupil_vestigingen = tables.leerlingen["vestiging"]
    vestigingen = sorted(set(pupil_vestigingen[pupil_vestigingen.ne("")]))
    if vestigingen:
        lines.append("\t<vestigingen>")
        for key in vestigingen:
            lines.append(f"\t\t<vestiging key={quoteattr(key)}>")
            lines.append(_text("naam", f"Vestiging {key}", "\t\t\t"))
            lines.append("\t\t</vestiging>")
        lines.append("\t</vestigingen>")
    if not tables.groepen.empty:
        lines += _groepen(tables)
    lines += _leerlingen(tables)
    if not tables.medewerkers.empty:
        lines += _leerkrachten(tables)
    lines.append("</EDEX>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def write_edexml(
    tables: Tables,
    path: Path,
    *,
    aanmaakdatum: dt.datetime | dt.date,
    peildatum: dt.date | None = None,
    auteur: str = "lwtop-toolkit",
) -> Path:
    """Write `tables` as EDEXML 2.1 to `path` (its folder is created); return the path."""
    data = edexml_bytes(tables, aanmaakdatum=aanmaakdatum, peildatum=peildatum, auteur=auteur)
    return write_atomically(Path(path), data)  # no half-written file, whatever happens


def sample_moment(year: SchoolYear) -> dt.datetime:
    """When a sample export of `year` was made: 1 October (the teldatum), 09:00."""
    return dt.datetime.combine(year.reference_date, dt.time(9, 0))


def las_writer(las: str) -> Callable[[Tables, Path], list[Path]]:
    """The export writer of an EDEXML LAS (parnassys, esis): `folder/EDEX.XML` as that LAS
    writes it, made at the sample moment of the tables' school year."""

    def write(tables: Tables, folder: Path) -> list[Path]:
        year = tables.schooljaar()
        assert year is not None  # the sample schools always name their year
        moment = sample_moment(year)
        return [
            write_edexml(
                tables,
                folder / FILE_NAME,
                aanmaakdatum=moment,
                peildatum=moment.date(),
                auteur=f"{SAMPLE_LAS[las]} (synthetisch voorbeeld)",
            )
        ]

    return write


def write_edexml_samples(out_dir: Path, *, seed: int = 2026) -> list[Path]:
    """The sample school in both years: `out_dir/<las>/<schooljaar>/EDEX.XML` (parnassys, esis)."""
    school = generate_school(seed)
    paths = []
    for las in SAMPLE_LAS:
        for tables in (school.old, school.new):
            paths += las_writer(las)(tables, Path(out_dir) / las / str(tables.schooljaar()))
    return paths
