"""The generic reader (SchoolOAS and any other LAS): aliases, `--map`, `lwtop.toml`, equivalence."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from conftest import SAMPLE_DATA, VALID
from las_tables import assert_same_tables, codes_at, write

from lwtop_toolkit import Tables, load, read
from lwtop_toolkit.cli.main import main
from lwtop_toolkit.las.roles import map_roles
from lwtop_toolkit.readers import reader_for
from lwtop_toolkit.samples.exports import EXPORTS
from lwtop_toolkit.samples.school import generate_school

LIST = [
    "Leerlingnummer,Achternaam,Voornaam,Geboortedatum,Geslacht,Groep,Jaargroep,BRIN",
    "0042,Jansen,Sem,01-02-2019,M,3A,3,12AB",
    "0043,Bakker,Noor,03-04-2019,V,3A,3,12AB",
]
ODD = ["Kindnummer;Achternaam;Voornaam;Geboortedatum;Geslacht;Unit;Jaargroep;BRIN",
       "0042;Jansen;Sem;01-02-2019;M;Unit 3;3;12AB"]  # fmt: skip


@pytest.mark.parametrize("year", ["2025-2026", "2026-2027"])
def test_the_sample_export_is_detected_and_validates_clean(year: str) -> None:
    folder = SAMPLE_DATA / "schooloas" / year
    assert reader_for([folder]).name == "generic"
    assert main(["validate", str(folder)]) == 0
    assert main(["validate", "--las", "schooloas", str(folder)]) == 0


def test_our_import_files_are_left_to_their_reader(tmp_path: Path) -> None:
    assert reader_for([VALID]).name == "importfiles"
    assert reader_for([VALID / "leerlingen.csv"]).name == "importfiles"


def test_common_headers_need_no_mapping(tmp_path: Path) -> None:
    loaded = load([write(tmp_path / "2026-2027" / "export.csv", LIST)])
    assert loaded.format == "generic"
    pupils = loaded.tables.leerlingen
    assert pupils[["leerling_id", "roepnaam", "jaargroep", "groep_id"]].values.tolist() == [
        ["0042", "Sem", "3", "3A"],
        ["0043", "Noor", "3", "3A"],
    ]
    assert loaded.tables.groepen[
        ["groep_id", "jaargroep", "brin", "schooljaar"]
    ].values.tolist() == [["3A", "3", "12AB", "2026-2027"]]
    assert not loaded.findings["severity"].eq("error").any(), loaded.findings


@pytest.mark.produces("mapped-column-missing")
def test_map_options_on_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path / "2026-2027" / "export.csv", ODD)
    assert main(["validate", str(path)]) == 2  # no reader knows `Kindnummer`
    assert "herkent" in capsys.readouterr().err
    mapped = ["--map", "Kindnummer=leerling_id", "--map", "Unit=groep_id"]
    assert main(["validate", str(path), *mapped]) == 0
    loaded = load([path], mapping={"Kindnummer": "leerling_id", "Unit": "groep_id"})
    assert loaded.tables.leerlingen[["leerling_id", "groep_id"]].values.tolist() == [
        ["0042", "Unit 3"]
    ]
    loaded = load([path], mapping={"Kindnummer": "leerling_id", "Unit": "groep_id", "Klas X": ""})
    assert (None, "", "mapped-column-missing") in codes_at(loaded.findings)
    assert main(["validate", str(path), "--map", "Kindnummer=kindnummer"]) == 2
    assert "veld kindnummer bestaat niet" in capsys.readouterr().err
    assert main(["validate", str(path), "--map", "zonder-isteken"]) == 2


def test_mapping_and_school_facts_in_lwtop_toml(tmp_path: Path) -> None:
    folder = tmp_path / "export"
    write(folder / "export.csv", [line.replace(";12AB", "") for line in ODD])
    (folder / "lwtop.toml").write_text(
        'brin = "12AB"\nschooljaar = "2026-2027"\n[kolommen]\nKindnummer = "leerling_id"\n'
        'Unit = "groep_id"\nBRIN = ""\n',
        encoding="utf-8",
    )
    loaded = load([folder])
    assert loaded.format == "generic"
    assert loaded.tables.groepen[["groep_id", "brin", "schooljaar"]].values.tolist() == [
        ["Unit 3", "12AB", "2026-2027"]
    ]
    (folder / "lwtop.toml").write_text("schoojaar = 2026\n", encoding="utf-8")
    assert main(["validate", str(folder)]) == 2


@pytest.mark.produces("leerjaar-as-vo")
def test_a_leerjaar_column_is_read_by_the_data_not_by_its_name(tmp_path: Path) -> None:
    header = LIST[0].replace("Jaargroep", "Leerjaar")
    po = load([write(tmp_path / "po" / "2026-2027" / "export.csv", [header, LIST[1]])])
    assert po.tables.leerlingen["jaargroep"].tolist() == ["3"]  # groep 3 of a 7-year-old
    assert "leerjaar-as-vo" not in set(po.findings["code"])
    vo = [header, "0042,Jansen,Sem,01-02-2012,M,3H,3,12AB"]  # a 14-year-old in class 3H
    loaded = load([write(tmp_path / "vo" / "2026-2027" / "export.csv", vo)])
    assert loaded.tables.leerlingen["jaargroep"].tolist() == ["13"]
    assert (None, "jaargroep", "leerjaar-as-vo") in codes_at(loaded.findings)


def test_the_po_school_reads_back_from_its_generic_export(tmp_path: Path) -> None:
    school = generate_school()
    for tables in (school.old, school.new):
        folder = tmp_path / str(tables.schooljaar())
        EXPORTS["schooloas"](tables, folder)
        result = read([folder])
        assert result.format == "generic"
        # the list names groups, not their keys; the product role follows from the function
        # by the default table; teachers come per stamgroep (the Plusklas link is not carried)
        name = dict(zip(tables.groepen["groep_id"], tables.groepen["groepsnaam"], strict=True))
        pupils = tables.leerlingen.assign(
            groep_id=tables.leerlingen["groep_id"].map(name),
            samengestelde_groepen=tables.leerlingen["samengestelde_groepen"].map(
                lambda cell, name=name: "|".join(name[i] for i in cell.split("|") if i)
            ),
        )
        stam = tables.groepen["soort"].eq("stamgroep")
        links = tables.medewerker_groepen
        links = links[links["groep_id"].isin(tables.groepen.loc[stam, "groep_id"])]
        expected = Tables.from_frames(
            groepen=tables.groepen.assign(groep_id=tables.groepen["groep_id"].map(name)),
            leerlingen=pupils,
            medewerkers=tables.medewerkers.assign(rol=map_roles(tables.medewerkers["las_rol"])),
            medewerker_groepen=links.assign(groep_id=links["groep_id"].map(name)),
        )
        assert_same_tables(expected, result.tables, not_carried={"leerlingen": {"eckid"}})
        assert result.tables.leerlingen["eckid"].eq("").all()
        assert isinstance(result.tables.leerlingen["geboortedatum"].iloc[0], pd.Timestamp)
