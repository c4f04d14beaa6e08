"""The Somtoday reader: pupil and staff lists, the structuurbestand, the VO school read back."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SAMPLE_DATA, VALID
from las_tables import assert_same_tables, codes_at, write

from lwtop_toolkit import load, read
from lwtop_toolkit.cli.main import main
from lwtop_toolkit.readers import reader_for
from lwtop_toolkit.readers.somtoday import is_structuurbestand
from lwtop_toolkit.samples.exports import EXPORTS
from lwtop_toolkit.samples.las_schools import generate_vo_school

PUPILS = [
    "leerlingnummer;roepnaam;voorvoegsel;achternaam;geboortedatum;geslacht;stamgroep;leerjaar;"
    "opleiding;vestiging;schooljaar",
    "12345;Fleur;de;Boer;01-10-2011;V;H3a;3;havo;Bosrand College;2026-2027",
    "12346;Daan;;Smit;11-10-2011;M;H3a;3;havo;Bosrand College;2026-2027",
]
STRUCTURE = [
    "Vestiging;06XZ;Bosrand College;06XZ;",
    "Opleiding;06XZ;HAVO 3;H3;0300",
    "Vak;06XZ;aardrijkskunde;ak;",
    "Stamgroep;06XZ;H3a;;",
    "Stamgroep;06XZ;H3b;;",
    "Medewerker;06XZ;Jansen;JAN;1234",
    "Rooster;06XZ;week 1;;",
]


@pytest.mark.parametrize("year", ["2025-2026", "2026-2027"])
def test_the_sample_export_is_detected_and_validates_clean(year: str) -> None:
    folder = SAMPLE_DATA / "somtoday" / year
    assert reader_for([folder]).name == "somtoday"
    assert main(["validate", str(folder)]) == 0
    assert main(["validate", "--las", "somtoday", str(folder)]) == 0


def test_detection_by_structuurbestand_or_pupil_headers(tmp_path: Path) -> None:
    structure = write(tmp_path / "inrichting.txt", STRUCTURE)
    assert is_structuurbestand(structure)
    assert reader_for([structure]).name == "somtoday"
    pupils = write(tmp_path / "export.csv", PUPILS)
    assert not is_structuurbestand(pupils)
    assert reader_for([pupils]).name == "somtoday"
    assert reader_for([VALID]).name == "importfiles"


@pytest.mark.produces(
    "structure-records-skipped", "unknown-record", "staff-without-role", "empty-group"
)
def test_structuurbestand_gives_brin_groups_and_staff(tmp_path: Path) -> None:
    write(tmp_path / "leerlingen.csv", PUPILS, bom=True)
    write(tmp_path / "structuurbestand.csv", STRUCTURE)
    loaded = load([tmp_path])
    groups = loaded.tables.groepen
    assert groups[["groep_id", "jaargroep", "brin", "schooljaar"]].values.tolist() == [
        ["H3a", "13", "06XZ", "2026-2027"],
        ["H3b", "", "06XZ", "2026-2027"],
    ]
    assert loaded.tables.leerlingen["brin"].tolist() == ["06XZ", "06XZ"]
    staff = loaded.tables.medewerkers
    assert staff[["medewerker_id", "achternaam", "rol"]].values.tolist() == [["1234", "Jansen", ""]]
    found = codes_at(loaded.findings)
    assert {
        (3, "", "structure-records-skipped"),  # the Vak record (and the Opleiding one, row 2)
        (7, "", "unknown-record"),
        (6, "", "staff-without-role"),
        (5, "groep_id", "empty-group"),
    } <= found
    skipped = loaded.findings[loaded.findings["code"].eq("structure-records-skipped")]
    assert skipped["value"].tolist() == ["Opleiding", "Vak"]
    assert not loaded.findings["severity"].eq("error").any(), loaded.findings


def test_umservice_field_names_and_brin_volgnummer(tmp_path: Path) -> None:
    lines = [
        "leerlingNummer,leerlingRoepnaam,leerlingVoorvoegsel,leerlingAchternaam,"
        "leerlingGeboortedatum,leerlingGeslacht,leerlingStamgroep,leerlingLeerjaar,"
        "leerlingOpleidingCode,leerlingBekostigingBRINVolgnummer,leerlingEckID",
        "007;Sara;van;Dijk;2012-05-04;V;2HV1;2;havo/vwo;12AB01;eck-1",
    ]
    lines = [line.replace(";", ",") for line in lines]
    loaded = load([write(tmp_path / "2026-2027" / "leerlingen.csv", lines)])
    assert loaded.format == "somtoday"
    pupil = loaded.tables.leerlingen.iloc[0]
    columns = ["leerling_id", "tussenvoegsel", "jaargroep", "brin", "vestiging"]
    assert pupil[columns].tolist() == ["007", "van", "12", "12AB", "01"]
    assert pupil["eckid"] == "eck-1"


def test_a_location_name_that_resolves_nowhere(tmp_path: Path) -> None:
    lines = [PUPILS[0], PUPILS[1].replace("Bosrand College", "Dependance Noord")]
    loaded = load([write(tmp_path / "2026-2027" / "leerlingen-12AB.csv", lines)])
    assert (2, "vestiging", "vestiging-not-a-number") in codes_at(loaded.findings)
    assert loaded.tables.leerlingen["vestiging"].tolist() == [""]


def test_mentors_by_afkorting(tmp_path: Path) -> None:
    lines = [PUPILS[0] + ";mentoren", PUPILS[1] + ";JAN,PIE", PUPILS[2] + ";JAN"]
    write(tmp_path / "leerlingen.csv", lines)
    write(tmp_path / "medewerkers.csv", ["medewerkernummer;afkorting;achternaam;functie",
                                         "1234;JAN;Jansen;Mentor"])  # fmt: skip
    write(tmp_path / "structuurbestand.csv", STRUCTURE[:1])
    loaded = load([tmp_path])
    assert loaded.tables.medewerker_groepen[["medewerker_id", "groep_id"]].values.tolist() == [
        ["1234", "H3a"]
    ]
    assert loaded.tables.medewerkers["rol"].tolist() == ["TOP leerkracht"]
    assert (2, "mentor", "unknown-mentor") in codes_at(loaded.findings)


def test_the_vo_school_reads_back_from_its_somtoday_exports(tmp_path: Path) -> None:
    school = generate_vo_school()
    for tables in (school.old, school.new):
        folder = tmp_path / str(tables.schooljaar())
        EXPORTS["somtoday"](tables, folder)
        result = read([folder])
        assert result.format == "somtoday"
        assert_same_tables(tables, result.tables)  # Somtoday carries every field we use
