"""Inactive is not active: pupils marked inactive and staff out of service are left out of the
tables and counted in one finding each; Magister's staff fields and function descriptions are
read; nothing is lost (every input row is in the tables or in a finding)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from las_tables import codes_at, write
from openpyxl import load_workbook

from lwtop_toolkit import load
from lwtop_toolkit.cli.main import main
from lwtop_toolkit.model import PRODUCT_ROLES

LEERKRACHT, PLUS = PRODUCT_ROLES
SOMTODAY = (
    "leerlingNummer;leerlingRoepnaam;leerlingVoorvoegsel;leerlingAchternaam;"
    "leerlingGeboortedatum;leerlingGeslacht;leerlingStamgroep;leerlingLeerjaar;leerlingActief"
)


def somtoday_pupils(tmp_path: Path, flags: list[str]) -> Path:
    """A Somtoday pupil list of 2026-2027 for BRIN 12AB, one pupil per flag (ids 1001, ...)."""
    lines = [SOMTODAY] + [
        f"{1001 + n};Kim{n};;Tester;01-10-2012;V;H1a;1;{flag}" for n, flag in enumerate(flags)
    ]
    return write(tmp_path / "2026-2027" / "leerlingen-12AB.csv", lines).parent


def counted(findings: pd.DataFrame, code: str) -> list[tuple[int, str]]:
    """(row, value) of each finding of `code`."""
    hits = findings[findings["code"].eq(code)]
    return [(int(row), str(value)) for row, value in zip(hits["row"], hits["value"], strict=True)]


@pytest.mark.produces("inactive-pupils-skipped")
def test_somtoday_leerling_actief_false_is_left_out_and_counted(tmp_path: Path) -> None:
    loaded = load([somtoday_pupils(tmp_path, ["true", "false", "true", "false", "false"])])
    assert loaded.tables.leerlingen["leerling_id"].tolist() == ["1001", "1003"]
    # one finding: the count and the first source row (row 3: the header is row 1)
    assert counted(loaded.findings, "inactive-pupils-skipped") == [(3, "3")]
    assert not loaded.findings["code"].eq("unknown-column").any(), loaded.findings
    # nothing lost: rows in the tables plus the rows counted are the rows of the file
    assert len(loaded.tables.leerlingen) + 3 == 5


@pytest.mark.produces("inactive-pupils-skipped")
@pytest.mark.parametrize(
    ("header", "values", "kept"),
    [
        ("Actief", ["ja", "nee", "1", "0", "JA"], ["1", "3", "5"]),
        ("Status", ["Actief", "Uitgeschreven", "inactief", "actief", "Niet actief"], ["1", "4"]),
        ("leerlingActief", ["True", "FALSE", "", "false", "true"], ["1", "3", "5"]),
        ("Uitgeschreven", ["nee", "ja", "nee", "Ja", "nee"], ["1", "3", "5"]),
    ],
)
def test_the_active_flag_is_read_by_meaning(
    tmp_path: Path, header: str, values: list[str], kept: list[str]
) -> None:
    lines = ["Stamnummer;Roepnaam;Achternaam;Geboortedatum;Geslacht;Klas;Leerjaar;" + header]
    lines += [f"{n + 1};Kim{n};Tester;01-10-2012;V;1A;1;{v}" for n, v in enumerate(values)]
    folder = write(tmp_path / "2026-2027" / "leerlingen-12AB.csv", lines).parent
    loaded = load([folder])
    assert loaded.tables.leerlingen["leerling_id"].tolist() == kept
    skipped = counted(loaded.findings, "inactive-pupils-skipped")
    assert [int(value) for _, value in skipped] == [len(values) - len(kept)]


@pytest.mark.produces("activity-unknown")
def test_an_unknown_activity_value_keeps_the_pupil_and_says_so(tmp_path: Path) -> None:
    loaded = load([somtoday_pupils(tmp_path, ["true", "misschien", "misschien"])])
    assert loaded.tables.leerlingen["leerling_id"].tolist() == ["1001", "1002", "1003"]
    assert counted(loaded.findings, "activity-unknown") == [(3, "misschien")]
    assert not loaded.findings["code"].eq("inactive-pupils-skipped").any()


def test_an_inactive_pupil_makes_no_errors_and_no_mentor_link(tmp_path: Path) -> None:
    lines = [
        "Stamnummer;Roepnaam;Achternaam;Geboortedatum;Geslacht;Klas;Leerjaar;Mentor;Actief",
        "1;Kim;Tester;01-10-2012;V;1A;1;JAN;ja",
        "2;Bo;Tester;geen datum;Q;2B;1;PIE;nee",
    ]
    folder = write(tmp_path / "2026-2027" / "leerlingen-12AB.csv", lines).parent
    write(folder / "docenten.csv", ["Code;Naam;Functie", "JAN;Jansen, Jan;Docent",
                                    "PIE;Pieters, Piet;Docent"])  # fmt: skip
    loaded = load([folder])
    assert loaded.tables.groepen["groep_id"].tolist() == ["1A"]
    assert loaded.tables.medewerker_groepen[["medewerker_id", "groep_id"]].values.tolist() == [
        ["JAN", "1A"]
    ]
    rows = {row for row, _, _ in codes_at(loaded.findings) if row is not None}
    assert 3 in rows  # the count names the row ...
    assert not loaded.findings["severity"].eq("error").any(), loaded.findings  # ... nothing else


# --- Magister staff: function descriptions, work e-mail, `*` codes -----------------------------

MAGISTER_PUPILS = [
    "Stamnummer;Roepnaam;Achternaam;Geboortedatum;Geslacht;Klas;Leerjaar;Klassenmentor 1",
    "1;Kim;Tester;01-10-2012;V;1A;1;JAN",
    "2;Bo;Tester;01-11-2012;M;1B;1;*PIE",
    "3;Ali;Tester;01-12-2012;M;1C;1;KEE",
]


def magister_school(tmp_path: Path, staff: list[str]) -> Path:
    folder = tmp_path / "2026-2027"
    write(folder / "leerlingen-12AB.csv", MAGISTER_PUPILS)
    write(folder / "personeel.csv", staff, encoding="cp1252")
    return folder


@pytest.mark.produces("inactive-staff-skipped", "mentor-out-of-service")
def test_magister_staff_function_email_and_out_of_service_codes(tmp_path: Path) -> None:
    staff = [
        "Code;Roepnaam;Tussenv;Achternaam;Functie.Omschr;Email_werk",
        "JAN;Jan;de;Vries;Docent;j.devries@school.example",
        "*PIE;Piet;;Pieters;Docent;p.pieters@school.example",
        "KEE;Kees;;Keizer;Teamleider;k.keizer@school.example",
        "*OUD;Olga;;Oud;Mentor;",
    ]
    loaded = load([magister_school(tmp_path, staff)])
    people = loaded.tables.medewerkers.set_index("medewerker_id")
    assert sorted(people.index) == ["JAN", "KEE"]
    assert people.loc["JAN", ["tussenvoegsel", "email", "las_rol", "rol"]].tolist() == [
        "de", "j.devries@school.example", "Docent", LEERKRACHT,
    ]  # fmt: skip
    assert people.loc["KEE", "rol"] == PLUS
    assert counted(loaded.findings, "inactive-staff-skipped") == [(3, "2")]
    links = loaded.tables.medewerker_groepen[["medewerker_id", "groep_id"]].values.tolist()
    assert sorted(links) == [["JAN", "1A"], ["KEE", "1C"]]
    # the mentor of 1B is out of service: said so, not "unknown mentor"
    assert (3, "mentor", "mentor-out-of-service") in codes_at(loaded.findings)
    assert not loaded.findings["code"].isin(["unknown-mentor", "staff-without-role"]).any()
    assert not loaded.findings["code"].eq("unknown-column").any(), loaded.findings


@pytest.mark.produces("inactive-staff-skipped", "mentor-out-of-service")
@pytest.mark.parametrize(
    ("header", "values"),
    [("Uit dienst", ["nee", "ja", "nee"]), ("Actief", ["ja", "nee", "ja"]),
     ("Status", ["in dienst", "uit dienst", "actief"])],
)  # fmt: skip
def test_an_out_of_service_column_is_read_by_meaning(
    tmp_path: Path, header: str, values: list[str]
) -> None:
    staff = [f"Code;Naam;Functie;{header}"] + [
        f"{code};{name};Docent;{value}"
        for code, name, value in zip(
            ("JAN", "PIE", "KEE"), ("Vries, Jan", "Pieters, Piet", "Keizer, Kees"), values,
            strict=True,
        )
    ]  # fmt: skip
    pupils = [line.replace("*PIE", "PIE") for line in MAGISTER_PUPILS]
    folder = magister_school(tmp_path, staff)
    write(folder / "leerlingen-12AB.csv", pupils)
    loaded = load([folder])
    assert sorted(loaded.tables.medewerkers["medewerker_id"]) == ["JAN", "KEE"]
    assert counted(loaded.findings, "inactive-staff-skipped") == [(3, "1")]
    assert (3, "mentor", "mentor-out-of-service") in codes_at(loaded.findings)


@pytest.mark.parametrize(
    ("function", "role"),
    [
        ("Docent", LEERKRACHT), ("Mentor", LEERKRACHT), ("Leraar", LEERKRACHT),
        ("Docent LB", LEERKRACHT), ("Docent Nederlands", LEERKRACHT), ("Vakdocent", LEERKRACHT),
        ("Docent/mentor", LEERKRACHT), ("Lerarenondersteuner", LEERKRACHT),
        ("Teamleider", PLUS), ("Afdelingsleider", PLUS), ("Teamleider onderbouw", PLUS),
        ("Zorgcoördinator", PLUS), ("Zorgcoordinator", PLUS), ("Directeur", PLUS),
        ("Adjunct-directeur", PLUS), ("Locatiedirecteur", PLUS), ("Rector", PLUS),
        ("Conrector", PLUS), ("Leerlingcoördinator", PLUS), ("Ondersteuningscoördinator", PLUS),
        ("Teamleider/docent", PLUS),
        ("Decaan", ""), ("Conciërge", ""), ("Onderwijsassistent", ""), ("TOA", ""),
        ("Administratief medewerker", ""), ("Roostermaker", ""), ("Mediathecaris", ""),
        ("Administratie loc. Noord", ""),  # a code (LOC) as a word is no role
        # the product roles as written: `TOP leerkracht` is not `TOP leerkracht +`
        ("TOP leerkracht", LEERKRACHT), ("TOP leerkracht +", PLUS),
    ],
)  # fmt: skip
def test_magister_function_descriptions_give_product_roles(
    tmp_path: Path, function: str, role: str
) -> None:
    staff = ["Code;Roepnaam;Achternaam;Functie.Omschr", f"JAN;Jan;Vries;{function}"]
    loaded = load([magister_school(tmp_path, staff)])
    assert loaded.tables.medewerkers["rol"].tolist() == [role]
    assert loaded.tables.medewerkers["las_rol"].tolist() == [function]


def test_the_staff_workbook_offers_the_magister_teacher(tmp_path: Path) -> None:
    staff = ["Code;Roepnaam;Achternaam;Functie.Omschr", "JAN;Jan;Vries;Docent"]
    folder = magister_school(tmp_path, staff)
    out = tmp_path / "toewijzing.xlsx"
    assert main(["staff-sheet", "--old", str(folder), "--new", str(folder), "--out", str(out)]) == 0
    book = load_workbook(out)
    texts = {
        str(cell.value) for sheet in book.worksheets for row in sheet.iter_rows() for cell in row
    }
    assert any("Jan Vries" in text for text in texts), texts
