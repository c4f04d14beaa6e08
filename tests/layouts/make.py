"""Real export layouts, rebuilt with made-up people: one small export per public field list.

Each `Layout` is what a school's LAS writes (the field names, separators, code page, flags and
quirks that public field lists and examples show) and what a coordinator must get from it: the
pupils and staff in the tables with the fields that matter, who is left out (inactive pupils,
staff out of service), the mentor links, and the findings that must say what happened. The
contract test (tests/readers/test_layouts.py) reads every layout; `python tests/layouts/make.py
MAP` writes them to look at.

The layouts are read by meaning, not by these exact files: the readers know the field names of
each LAS (aliases), decide the sector from the values, and say what they left out.
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook

SCHOOL_YEAR = "2026-2027"
BRIN = "99ZZ"
SETTINGS = f'brin = "{BRIN}"\nschooljaar = "{SCHOOL_YEAR}"\n'


@dataclass(frozen=True)
class Layout:
    """One export as a LAS writes it, and what reading it must give.

    `pupils`: leerling_id -> fields that must hold these values; `left_out`: pupil numbers that
    must not be in the tables (and a finding counts them); `staff` and `staff_left_out` the same
    for medewerkers; `links`: (medewerker_id, groep_id) that must be linked; `codes`: finding
    codes that must be among the findings; `las`: what the coordinator chooses (`--las`), None
    when the files are recognised by their content; `rows`: the pupil rows of the export.
    """

    name: str
    source: str
    files: dict[str, Callable[[], bytes]]
    rows: int
    pupils: dict[str, dict[str, str]]
    left_out: tuple[str, ...] = ()
    staff: dict[str, dict[str, str]] = field(default_factory=dict)
    staff_left_out: tuple[str, ...] = ()
    links: frozenset[tuple[str, str]] = frozenset()
    codes: frozenset[str] = frozenset()
    las: str | None = None


# --- the made-up school: a VO school (Magister, Somtoday, UWLR) and a PO school (ParnasSys) ---
# (number, roepnaam, tussenvoegsel, achternaam, voorletters, birth date, sex, class, leerjaar,
#  opleiding)
VO_PUPILS = (
    ("01234", "Daan", "van der", "Meulen", "D.", "2014-03-05", "M", "H1A", "1", "havo"),
    ("01235", "Sanne", "de", "Vries", "S.", "2014-11-20", "V", "H1A", "1", "havo"),
    ("01236", "Noah", "", "Bakker", "N.", "2013-06-14", "M", "V2B", "2", "vwo"),
    ("01237", "Emma", "'t", "Hart", "E.M.", "2013-01-30", "V", "V2B", "2", "vwo"),
    ("01238", "Lucas", "", "El Amrani", "L.", "2012-09-09", "M", "3HB", "3", "havo"),
    ("01239", "Julia", "van den", "Berg", "J.", "2012-04-02", "V", "3HB", "3", "havo"),
    ("01240", "Milan", "", "Jansen", "M.", "2011-12-12", "M", "M4A", "4", "mavo"),
    ("01241", "Zoë", "", "Çelik", "Z.", "2011-05-05", "V", "M4A", "4", "mavo"),
)
# (code, roepnaam, tussenvoegsel, achternaam, function, e-mail); `*` marks out of service.
VO_STAFF = (
    ("JDV", "Jan", "de", "Vries", "Docent", "j.devries@school.example"),
    ("PBA", "Petra", "", "Bakker", "Mentor", "p.bakker@school.example"),
    ("*KLM", "Karel", "", "Lam", "Docent", "k.lam@school.example"),
    ("TLE", "Tim", "", "Leerman", "Teamleider", "t.leerman@school.example"),
)
# A class's mentor, by full name as Magister's Excel lists write it (two name orders).
MENTOR_BY_NAME = {"H1A": "Jan de Vries", "V2B": "Jan de Vries", "3HB": "Bakker, Petra"}
PO_PUPILS = (
    ("1001", "Fleur", "", "Smit", "2020-02-10", "V", "Groep 3", "3"),
    ("1002", "Sem", "de", "Boer", "2020-07-01", "M", "Groep 3", "3"),
    ("1003", "Lotte", "", "Visser", "2016-03-03", "V", "Groep 7", "7"),
    ("1004", "Finn", "van", "Dijk", "2015-05-05", "M", "Groep 8", "8"),
    ("1005", "Tess", "", "Mulder", "2022-01-15", "V", "Groep 1/2A", "1"),
    ("1006", "Bram", "", "Bos", "2021-04-04", "M", "Groep 1/2A", "2"),
)


def _dmy(iso: str) -> str:
    year, month, day = iso.split("-")
    return f"{day}-{month}-{year}"


def _csv(rows: list[list[str]], separator: str = ";", encoding: str = "utf-8") -> bytes:
    """Rows as a spreadsheet program saves them: quoted only where a cell needs it."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=separator, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


def _xlsx(sheets: dict[str, list[list[str]]], merge: tuple[str, ...] = ()) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
        for cells in merge:
            sheet.merge_cells(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _vo(number: str) -> tuple[str, ...]:
    return next(row for row in VO_PUPILS if row[0] == number)


def _jaargroep_vo(leerjaar: str) -> str:
    return str(10 + int(leerjaar))


def _vo_expected(*, naam: bool = True, opleiding: bool = True) -> dict[str, dict[str, str]]:
    expected = {}
    for number, roep, tussen, achter, _, born, sex, klas, jaar, opl in VO_PUPILS:
        fields = {"groep_id": klas, "jaargroep": _jaargroep_vo(jaar), "geboortedatum": born}
        fields["geslacht"] = sex
        if naam:
            fields |= {"roepnaam": roep, "tussenvoegsel": tussen, "achternaam": achter}
        if opleiding:
            fields["opleiding"] = opl
        expected[number] = fields
    return expected


# --- Magister -------------------------------------------------------------------------------------


def magister_webservice_pupils() -> bytes:
    """GetActiveStudents as school scripts save it: the webservice's own field names."""
    header = ["stamnr_str", "Roepnaam", "Tussenv", "Achternaam", "Volledige_naam", "Voorletters",
              "geb_datum_str", "Geslacht", "Klas", "Leerfase.Leerjaar", "Studie", "Profiel.Code",
              "Loginaccount.Naam"]  # fmt: skip
    rows = [header]
    for number, roep, tussen, achter, initials, born, sex, klas, jaar, opl in VO_PUPILS:
        full = " ".join(part for part in (roep, tussen, achter) if part)
        login = f"{roep.lower()}{number}"
        profile = "NT" if opl == "vwo" else ""
        rows.append([number, roep, tussen, achter, full, initials, _dmy(born), sex, klas, jaar,
                     opl, profile, login])  # fmt: skip
    return _csv(rows, ",")


def magister_webservice_staff() -> bytes:
    """GetActiveEmployees: `Code` (a leading `*`: out of service), `Functie.Omschr`."""
    rows = [["Code", "Roepnaam", "Tussenv", "Achternaam", "Functie.Omschr", "Email_werk"]]
    rows += [list(person) for person in VO_STAFF]
    return _csv(rows, ",")


def magister_database_pupils() -> bytes:
    """Magister's database-style names, as some exports and scripts use them."""
    rows = [["stamnr", "voorlett", "roepnaam", "tussenvoeg", "achternaam", "geslacht",
             "geb_datum", "groep", "studie", "leerjaar"]]  # fmt: skip
    for number, roep, tussen, achter, initials, born, sex, klas, jaar, opl in VO_PUPILS:
        rows.append([number, initials, roep, tussen, achter, sex, _dmy(born), klas, opl, jaar])
    return _csv(rows, "\t")


def magister_excel_pupils() -> bytes:
    """An Excel list saved as CSV: `;`, Windows-1252, no leerjaar, mentors by full name."""
    rows = [["Stamnr", "Achternaam", "Tussenv", "Roepnaam", "Geb.datum", "Geslacht", "Klas",
             "Studie", "Klassenmentor 1"]]  # fmt: skip
    for number, roep, tussen, achter, _, born, sex, klas, _, opl in VO_PUPILS:
        mentor = MENTOR_BY_NAME.get(klas, "Karel Lam")
        rows.append([number, achter, tussen, roep, _dmy(born), sex, klas, opl, mentor])
    return _csv(rows, ";", "cp1252")


def magister_excel_staff() -> bytes:
    rows = [["Code", "Achternaam", "Tussenv", "Roepnaam", "Functie.Omschr"]]
    rows += [[code, achter, tussen, roep, role] for code, roep, tussen, achter, role, _ in VO_STAFF]
    return _csv(rows, ";", "cp1252")


# --- Somtoday -------------------------------------------------------------------------------------


def somtoday_umservice() -> bytes:
    """UmService's leerling fields; `leerlingActief` false for one pupil who left."""
    header = ["leerlingNummer", "leerlingRoepnaam", "leerlingVoorvoegsel", "leerlingAchternaam",
              "leerlingGeboortedatum", "leerlingGeslacht", "leerlingStamgroep",
              "leerlingLesgroepen", "leerlingLeerjaar", "leerlingOpleidingCode",
              "leerlingBekostigingBRINVolgnummer", "leerlingMentoren", "leerlingEckID",
              "leerlingActief"]  # fmt: skip
    rows = [header]
    mentors = {"H1A": "JDV", "V2B": "JDV", "3HB": "PBA", "M4A": "TLE"}
    for number, roep, tussen, achter, _, born, sex, klas, jaar, opl in VO_PUPILS:
        lesgroepen = f"{klas}ne1,{klas}wi2"
        eck = f"https://ketenid.nl/201703/{int(number):0128x}"
        rows.append([number, roep, tussen, achter, born, sex, klas, lesgroepen, jaar, opl,
                     f"{BRIN}00", mentors[klas], eck, "true"])  # fmt: skip
    rows.append(["01299", "Otto", "", "Weg", "2012-02-02", "M", "3HB", "", "3", "havo",
                 f"{BRIN}00", "PBA", "", "false"])  # fmt: skip
    return _csv(rows, ",")


def somtoday_staff() -> bytes:
    rows = [["medewerkerNummer", "medewerkerAfkorting", "medewerkerRoepnaam",
             "medewerkerVoorvoegsel", "medewerkerAchternaam", "medewerkerFunctie"]]  # fmt: skip
    for number, (code, roep, tussen, achter, role, _) in enumerate(VO_STAFF, start=501):
        if not code.startswith("*"):
            rows.append([str(number), code, roep, tussen, achter, role])
    return _csv(rows, ",")


# --- Eduarte --------------------------------------------------------------------------------------
MBO_PUPILS = (
    ("300101", "Kim", "K.", "Kim Anne", "", "Dekker", "V", "2008-08-08", "25187", "1", "VZ1A"),
    ("300102", "Ravi", "R.", "Ravi", "", "Pinas", "M", "2007-03-03", "25187", "2", "VZ2A"),
    ("300103", "Ayla", "A.", "Ayla", "van", "Os", "V", "2007-11-11", "25655", "2", "ICT2B"),
)


def eduarte_deelnemers() -> bytes:
    """A deelnemer list: `Nummer`, `Lj`, `Plaatsingsgroep`, `Groepen`, `Cohort`."""
    rows = [["Nummer", "Roepnaam", "Voorletters", "Voornamen", "Voorvoegsel", "Achternaam",
             "Geslacht", "Geboortedatum", "Opleiding", "Lj", "Plaatsingsgroep", "Groepen",
             "Cohort"]]  # fmt: skip
    for number, roep, initials, names, tussen, achter, sex, born, opl, lj, group in MBO_PUPILS:
        groups = f"{group}, {group}-keuzedeel"
        rows.append([number, roep, initials, names, tussen, achter, sex, _dmy(born), opl, lj,
                     group, groups, "2025"])  # fmt: skip
    return _csv(rows, ";")


def eduarte_staff() -> bytes:
    """A staff import: `Afkorting;Geboortenaam;Voorvoegsels Geboortenaam;...;Emailadres`."""
    rows = [["Afkorting", "Geboortenaam", "Voorvoegsels Geboortenaam", "Roepnaam", "Voorletters",
             "Geslacht", "Functie", "Emailadres"]]  # fmt: skip
    rows.append(["HVD", "Dam", "van", "Hanna", "H.", "V", "Docent", "h.vandam@mbo.example"])
    rows.append(["SLK", "Kok", "", "Stijn", "S.", "M", "Studieloopbaanbegeleider",
                 "s.kok@mbo.example"])  # fmt: skip
    return _csv(rows, ";")


def eduarte_deelnemersnummer() -> bytes:
    """Another MBO list: `deelnemersnummer` and a `Leerjaar`, groups in `Klas`."""
    rows = [["deelnemersnummer", "Achternaam", "Roepnaam", "Geboortedatum", "Geslacht", "Klas",
             "Leerjaar", "Opleiding"]]  # fmt: skip
    for number, roep, _, _, tussen, achter, sex, born, opl, lj, group in MBO_PUPILS:
        rows.append([number, f"{tussen} {achter}".strip(), roep, born, sex, group, lj, opl])
    return _csv(rows, ",")


def _mbo_expected() -> dict[str, dict[str, str]]:
    return {
        number: {"roepnaam": roep, "tussenvoegsel": tussen, "achternaam": achter,
                 "groep_id": group, "jaargroep": str(10 + int(lj)), "opleiding": opl}
        for number, roep, _, _, tussen, achter, _, _, opl, lj, group in MBO_PUPILS
    }  # fmt: skip


# --- ParnasSys and other PO lists -----------------------------------------------------------------


def parnassys_list() -> bytes:
    """A PO list as ParnasSys writes it: the year is `Leerjaar`, groups `Groep 3`, `Groep 1/2A`."""
    rows = [["Leerlingnummer", "Achternaam", "Tussenvoegsel", "Roepnaam", "Geboortedatum",
             "Geslacht", "Groep", "Leerjaar"]]  # fmt: skip
    for number, roep, tussen, achter, born, sex, group, year in PO_PUPILS:
        rows.append([number, achter, tussen, roep, _dmy(born), sex, group, year])
    return _csv(rows, ";")


def po_jaargroep_words() -> bytes:
    """A PO list whose jaargroep column writes the group's word: `Groep 3`."""
    rows = [["Leerlingnummer", "Achternaam", "Roepnaam", "Geboortedatum", "Geslacht", "Groep",
             "Jaargroep"]]  # fmt: skip
    for number, roep, _, achter, born, sex, group, year in PO_PUPILS:
        if "/" not in group:
            rows.append([number, achter, roep, born, sex, group.split()[-1], f"Groep {year}"])
    return _csv(rows, ";")


def _po_expected(*, combined: bool = True) -> dict[str, dict[str, str]]:
    return {
        number: {"achternaam": achter, "roepnaam": roep, "jaargroep": year}
        for number, roep, _, achter, _, _, group, year in PO_PUPILS
        if combined or "/" not in group
    }


def merged_group_cells() -> bytes:
    """A people-formatted XLSX: each group written once, merged over its block of rows."""
    rows = [["Leerlingnummer", "Achternaam", "Roepnaam", "Geboortedatum", "Geslacht", "Groep",
             "Jaargroep"]]  # fmt: skip
    for number, roep, _, achter, born, sex, group, year in sorted(PO_PUPILS, key=lambda r: r[6]):
        rows.append([number, achter, roep, born, sex, group, year])
    # rows 2-3 Groep 1/2A, 4-5 Groep 3: the second row of each block is empty under the merge
    for first in (2, 4):
        rows[first][5] = ""
    return _xlsx({"Leerlingen": rows}, merge=("F2:F3", "F4:F5"))


# --- UWLR leerlinggegevens from a VO school (a SOAP response, `le:` prefix, xsdversie 2.3) --------
UWLR_NAMESPACE = "http://www.edustandaard.nl/leerresultaten/2/leerlinggegevens"


def uwlr_vo() -> bytes:
    """Magister's UWLR answer: VO classes `H1A` with jaargroep 1, not 11."""
    groups = "".join(
        f'<le:groep key="{klas}"><le:naam>{klas}</le:naam><le:jaargroep>{jaar}</le:jaargroep>'
        "</le:groep>"
        for klas, jaar in sorted({(row[7], row[8]) for row in VO_PUPILS})
    )
    pupils = "".join(
        f'<le:leerling key="{number}"><le:achternaam>{achter}</le:achternaam>'
        f"<le:voorvoegsel>{tussen}</le:voorvoegsel><le:roepnaam>{roep}</le:roepnaam>"
        f"<le:geboortedatum>{born}</le:geboortedatum>"
        f"<le:geslacht>{1 if sex == 'M' else 2}</le:geslacht><le:jaargroep>{jaar}</le:jaargroep>"
        f'<le:groep key="{klas}"/></le:leerling>'
        for number, roep, tussen, achter, _, born, sex, klas, jaar, _ in VO_PUPILS
    )
    text = (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>'
        f'<le:leerlinggegevens_antwoord xmlns:le="{UWLR_NAMESPACE}"><le:leerlinggegevens>'
        f"<le:school><le:schooljaar>{SCHOOL_YEAR}</le:schooljaar><le:brincode>{BRIN}"
        "</le:brincode><le:dependancecode>00</le:dependancecode>"
        "<le:aanmaakdatum>2026-10-01T08:00:00</le:aanmaakdatum><le:auteur>Magister</le:auteur>"
        "<le:xsdversie>2.3</le:xsdversie></le:school>"
        f"<le:groepen>{groups}</le:groepen><le:leerlingen>{pupils}</le:leerlingen>"
        "</le:leerlinggegevens></le:leerlinggegevens_antwoord></s:Body></s:Envelope>"
    )
    return text.encode("utf-8")


def _settings() -> bytes:
    return SETTINGS.encode("utf-8")


LAYOUTS: tuple[Layout, ...] = (
    Layout(
        name="magister-webservice",
        source="Magister GetActiveStudents / GetActiveEmployees",
        files={
            "leerlingen.csv": magister_webservice_pupils,
            "medewerkers.csv": magister_webservice_staff,
            "lwtop.toml": _settings,
        },
        rows=len(VO_PUPILS),
        pupils=_vo_expected(),
        staff={
            "JDV": {"rol": "TOP leerkracht", "email": "j.devries@school.example"},
            "TLE": {"achternaam": "Leerman"},
        },
        staff_left_out=("*KLM", "KLM"),
        las="magister",
    ),
    Layout(
        name="magister-database",
        source="Magister database-style names (stamnr, voorlett, tussenvoeg, geb_datum)",
        files={"leerlingen.txt": magister_database_pupils, "lwtop.toml": _settings},
        rows=len(VO_PUPILS),
        pupils=_vo_expected(),
    ),
    Layout(
        name="magister-excel",
        source="Magister Excel list saved as CSV (cp1252, ;) with Klassenmentor by full name",
        files={
            "Leerlingen.csv": magister_excel_pupils,
            "Personeel.csv": magister_excel_staff,
            "lwtop.toml": _settings,
        },
        rows=len(VO_PUPILS),
        pupils=_vo_expected(),
        staff={"JDV": {"roepnaam": "Jan"}, "PBA": {"achternaam": "Bakker"}},
        staff_left_out=("*KLM", "KLM"),
        links=frozenset({("JDV", "H1A"), ("JDV", "V2B"), ("PBA", "3HB")}),
        las="magister",
    ),
    Layout(
        name="somtoday-umservice",
        source="Somtoday UmService leerling fields, with leerlingActief",
        files={
            "leerlingen.csv": somtoday_umservice,
            "medewerkers.csv": somtoday_staff,
            "lwtop.toml": _settings,
        },
        rows=len(VO_PUPILS) + 1,
        pupils=_vo_expected(),
        left_out=("01299",),
        staff={"501": {"achternaam": "Vries"}},
        links=frozenset({("501", "H1A"), ("502", "3HB")}),
        las="somtoday",
    ),
    Layout(
        name="eduarte-deelnemers",
        source="Eduarte deelnemer list and staff import",
        files={
            "deelnemers.csv": eduarte_deelnemers,
            "medewerkers.csv": eduarte_staff,
            "lwtop.toml": _settings,
        },
        rows=len(MBO_PUPILS),
        pupils=_mbo_expected(),
        staff={
            "HVD": {"achternaam": "Dam", "tussenvoegsel": "van", "email": "h.vandam@mbo.example"}
        },
        las="eduarte",
    ),
    Layout(
        name="eduarte-deelnemersnummer",
        source="an MBO list with deelnemersnummer",
        files={"studenten.csv": eduarte_deelnemersnummer, "lwtop.toml": _settings},
        rows=len(MBO_PUPILS),
        pupils={
            number: {"jaargroep": fields["jaargroep"], "groep_id": fields["groep_id"]}
            for number, fields in _mbo_expected().items()
        },
    ),
    Layout(
        name="parnassys-po-leerjaar",
        source="ParnasSys list: the PO year is called leerjaar, groups Groep 3, Groep 1/2A",
        files={"leerlingen.csv": parnassys_list, "lwtop.toml": _settings},
        rows=len(PO_PUPILS),
        pupils=_po_expected(),
    ),
    Layout(
        name="po-jaargroep-words",
        source="a PO list whose jaargroep says Groep 3",
        files={"leerlingen.csv": po_jaargroep_words, "lwtop.toml": _settings},
        rows=len([row for row in PO_PUPILS if "/" not in row[6]]),
        pupils=_po_expected(combined=False),
    ),
    Layout(
        name="xlsx-merged-group-cells",
        source="a people-formatted XLSX with one merged group cell per block of rows",
        files={"leerlingen.xlsx": merged_group_cells, "lwtop.toml": _settings},
        rows=len(PO_PUPILS),
        pupils={
            number: {"groep_id": group, "jaargroep": year}
            for number, _, _, _, _, _, group, year in PO_PUPILS
        },
    ),
    Layout(
        name="uwlr-vo",
        source="UWLR leerlinggegevens (SOAP, le: prefix, xsdversie 2.3) from a VO school",
        files={"leerlinggegevens.xml": uwlr_vo},
        rows=len(VO_PUPILS),
        pupils=_vo_expected(opleiding=False),
    ),
)


def write_layout(layout: Layout, folder: Path) -> Path:
    """Write one layout's files into `folder/<name>/2026-2027`; the export's folder."""
    export = folder / layout.name / SCHOOL_YEAR
    export.mkdir(parents=True, exist_ok=True)
    for name, content in layout.files.items():
        (export / name).write_bytes(content())
    return export


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "layouts")
    for each in LAYOUTS:
        print(write_layout(each, target))
