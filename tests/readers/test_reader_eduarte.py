"""The Eduarte reader (assumed format): detection, an XLSX with two sheets, the VO school back."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from conftest import SAMPLE_DATA
from las_tables import assert_same_tables, codes_at, write
from openpyxl import Workbook

from lwtop_toolkit import Tables, load, read
from lwtop_toolkit.cli.main import main
from lwtop_toolkit.readers import reader_for
from lwtop_toolkit.samples.exports import EXPORTS
from lwtop_toolkit.samples.las_schools import generate_vo_school


@pytest.mark.parametrize("year", ["2025-2026", "2026-2027"])
def test_the_sample_export_is_detected_and_validates_clean(year: str) -> None:
    folder = SAMPLE_DATA / "eduarte" / year
    assert reader_for([folder]).name == "eduarte"
    assert main(["validate", str(folder)]) == 0
    assert main(["validate", "--las", "eduarte", str(folder)]) == 0


def test_a_workbook_with_dates_numbers_and_text_ids(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Deelnemers"
    sheet.append(["Deelnemernummer", "Roepnaam", "Achternaam", "Geboortedatum", "Geslacht",
                  "Klas", "Leerjaar", "Opleiding", "SLB'er"])  # fmt: skip
    sheet.append(["000815", "Lotte", "Visser", dt.datetime(2008, 5, 1), "vrouw", "VZ2A", 2,
                  "Verzorgende IG", "KOS"])  # fmt: skip
    sheet.append(["000816", "Bram", "Smit", dt.datetime(2007, 9, 30), "man", "VZ2A", 2,
                  "Verzorgende IG", "KOS"])  # fmt: skip
    staff = workbook.create_sheet("Medewerkers")
    staff.append(["Medewerkernummer", "Afkorting", "Roepnaam", "Achternaam", "Functie"])
    staff.append(["501", "KOS", "Anouk", "Koster", "Studieloopbaanbegeleider"])
    path = tmp_path / "2026-2027" / "export-12AB.xlsx"
    path.parent.mkdir()
    workbook.save(path)
    loaded = load([path])
    assert loaded.format == "eduarte"
    pupils = loaded.tables.leerlingen
    assert pupils["leerling_id"].tolist() == ["000815", "000816"]
    assert pupils["geslacht"].tolist() == ["V", "M"]
    assert pupils["jaargroep"].tolist() == ["12", "12"]
    assert pupils["geboortedatum"].tolist() == [
        pd.Timestamp("2008-05-01"),
        pd.Timestamp("2007-09-30"),
    ]
    assert loaded.tables.medewerkers["rol"].tolist() == ["TOP leerkracht"]
    assert loaded.tables.medewerker_groepen[["medewerker_id", "groep_id"]].values.tolist() == [
        ["501", "VZ2A"]
    ]
    assert pupils["_file"].iloc[0].endswith("export-12AB.xlsx [Deelnemers]")
    assert not loaded.findings["severity"].eq("error").any(), loaded.findings


def test_a_csv_with_groep_and_without_leerjaar(tmp_path: Path) -> None:
    lines = [
        "deelnemernummer,roepnaam,voorvoegsel,achternaam,geboortedatum,geslacht,groep",
        "1001,Sem,van,Dam,2008-01-02,M,ICT1B",
        "1002,Ivy,,Kaya,2008-03-04,V,Entree",
    ]
    loaded = load([write(tmp_path / "2026-2027" / "deelnemers-12AB.csv", lines)])
    assert loaded.tables.leerlingen["jaargroep"].tolist() == ["11", ""]
    assert {(2, "jaargroep", "leerjaar-derived"), (3, "jaargroep", "leerjaar-not-derived")} <= (
        codes_at(loaded.findings)
    )


def test_the_vo_school_reads_back_from_its_eduarte_export(tmp_path: Path) -> None:
    school = generate_vo_school()
    for tables in (school.old, school.new):
        folder = tmp_path / str(tables.schooljaar())
        EXPORTS["eduarte"](tables, folder)
        result = read([folder])
        assert result.format == "eduarte"
        # one SLB'er per deelnemer: the export carries each class's first mentor only
        expected = Tables.from_frames(
            **{name: frame for name, frame in tables.items() if name != "medewerker_groepen"},
            medewerker_groepen=tables.medewerker_groepen.drop_duplicates("groep_id"),
        )
        # no initials and no ECK iD either
        assert_same_tables(
            expected, result.tables, not_carried={"leerlingen": {"voorletters", "eckid"}}
        )
