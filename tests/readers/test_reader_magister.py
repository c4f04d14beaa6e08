"""The Magister reader: detection, its quirks, the VO sample school read back from its export."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from conftest import SAMPLE_DATA, VALID
from las_tables import assert_same_tables, codes_at, write

from lwtop_toolkit import load, read
from lwtop_toolkit.cli.main import main
from lwtop_toolkit.readers import reader_for
from lwtop_toolkit.samples.exports import EXPORTS
from lwtop_toolkit.samples.las_schools import generate_vo_school

HEADER = "Stamnummer;Roepnaam;Tussenvoegsel;Achternaam;Geboortedatum;Geslacht;Klas;Leerjaar"
DOCENTEN = ["Code;Naam;Functie", "JAN;Jansen, Jan;Docent", "KEE;Kees, Klaas;Conciërge"]


def school_folder(tmp_path: Path, lines: list[str], **kwargs: object) -> Path:
    """A Magister export of school year 2026-2027 for BRIN 12AB, with a docent list."""
    folder = tmp_path / "2026-2027"
    write(folder / "leerlingen-12AB.csv", lines, **kwargs)  # type: ignore[arg-type]
    write(folder / "docenten.csv", DOCENTEN, encoding="cp1252")
    return folder


@pytest.mark.parametrize("year", ["2025-2026", "2026-2027"])
def test_the_sample_export_is_detected_and_validates_clean(year: str) -> None:
    folder = SAMPLE_DATA / "magister" / year
    assert reader_for([folder]).name == "magister"
    assert main(["validate", str(folder)]) == 0
    assert main(["validate", "--las", "magister", str(folder)]) == 0


def test_other_files_are_not_claimed() -> None:
    assert reader_for([VALID]).name == "importfiles"
    assert reader_for([SAMPLE_DATA / "somtoday" / "2025-2026"]).name != "magister"


@pytest.mark.produces("encoding-fallback")
def test_windows_1252_semicolons_and_leading_zeros(tmp_path: Path) -> None:
    folder = school_folder(
        tmp_path,
        [
            HEADER,
            "001234;Çeren;van 't;Hoek;01-03-2013;V;1A;1",
            "01235;Noël;;Öztürk;2-4-2013;M;1A;1",
        ],
        encoding="cp1252",
    )
    loaded = load([folder])
    pupils = loaded.tables.leerlingen
    assert pupils["leerling_id"].tolist() == ["001234", "01235"]
    assert pupils["roepnaam"].tolist() == ["Çeren", "Noël"]
    assert pupils["tussenvoegsel"].tolist() == ["van 't", ""]
    assert pupils["jaargroep"].tolist() == ["11", "11"]
    assert pupils["geboortedatum"].tolist() == [
        pd.Timestamp("2013-03-01"),
        pd.Timestamp("2013-04-02"),
    ]
    assert (None, "", "encoding-fallback") in codes_at(loaded.findings)
    groups = loaded.tables.groepen
    assert groups[
        ["groep_id", "groepsnaam", "jaargroep", "schooljaar", "brin"]
    ].values.tolist() == [["1A", "1A", "11", "2026-2027", "12AB"]]
    assert not loaded.findings["severity"].eq("error").any(), loaded.findings


@pytest.mark.produces("leerjaar-derived", "name-not-split")
def test_the_published_comma_variant_with_bom_and_naam_field(tmp_path: Path) -> None:
    lines = [
        "Stamnummer,Naam,Klas,Geboortedatum,Geslacht,Klassenmentor 1",
        '"004512","Berg, Jan van den","3HB","01-03-2011","M","JAN"',
        '"004513","van der Meer, Anna","3HB","02-03-2011","V",""',
        '"004514","Jansen","H4a","03-03-2010","V",""',
    ]
    loaded = load([school_folder(tmp_path, lines, bom=True)])
    pupils = loaded.tables.leerlingen.set_index("leerling_id")
    assert pupils.loc["004512", ["achternaam", "tussenvoegsel", "roepnaam"]].tolist() == [
        "Berg", "van den", "Jan",
    ]  # fmt: skip
    assert pupils.loc["004513", ["achternaam", "tussenvoegsel", "roepnaam"]].tolist() == [
        "Meer", "van der", "Anna",
    ]  # fmt: skip
    assert pupils["jaargroep"].tolist() == ["13", "13", "14"]
    found = codes_at(loaded.findings)
    assert {
        (2, "jaargroep", "leerjaar-derived"),
        (4, "jaargroep", "leerjaar-derived"),
        (4, "roepnaam", "name-not-split"),
    } <= found
    # one finding for the name that cannot be split, not a second one for the empty roepnaam
    assert not {code for row, _, code in found if row == 4} & {"missing-value"}
    derived = loaded.findings[loaded.findings["code"].eq("leerjaar-derived")]
    assert derived["value"].tolist() == ["3HB", "H4a"]
    assert "leerjaar 3" in derived["message"].iloc[0]
    assert loaded.tables.medewerker_groepen[["medewerker_id", "groep_id"]].values.tolist() == [
        ["JAN", "3HB"]
    ]


@pytest.mark.parametrize(
    ("klas", "jaargroep"), [("3HB", "13"), ("H4a", "14"), ("2HV1", "12"), ("w1a", "11")]
)
def test_leerjaar_from_the_class_name(tmp_path: Path, klas: str, jaargroep: str) -> None:
    lines = ["Stamnummer;Achternaam;Roepnaam;Klas;Geboortedatum;Geslacht",
             f"1;Bos;Iris;{klas};01-01-2012;V"]  # fmt: skip
    loaded = load([school_folder(tmp_path, lines)])
    assert loaded.tables.leerlingen["jaargroep"].tolist() == [jaargroep]
    assert (2, "jaargroep", "leerjaar-derived") in codes_at(loaded.findings)


@pytest.mark.produces("leerjaar-not-derived", "invalid-leerjaar")
def test_a_class_without_leerjaar_and_a_bad_leerjaar_are_errors(tmp_path: Path) -> None:
    no_column = ["Stamnummer;Achternaam;Roepnaam;Klas;Geboortedatum;Geslacht",
                 "1;Bos;Iris;Kangoeroes;01-01-2012;V"]  # fmt: skip
    loaded = load([school_folder(tmp_path / "a", no_column)])
    assert (2, "jaargroep", "leerjaar-not-derived") in codes_at(loaded.findings)
    assert "missing-value" not in set(loaded.findings["code"])
    bad = [HEADER, "1;Iris;;Bos;01-01-2012;V;9B;9"]  # no groep or leerjaar anywhere
    loaded = load([school_folder(tmp_path / "b", bad)])
    assert (2, "jaargroep", "invalid-leerjaar") in codes_at(loaded.findings)
    assert loaded.findings.loc[
        loaded.findings["code"].eq("invalid-leerjaar"), "value"
    ].tolist() == ["9"]


@pytest.mark.produces("geslacht-jm")
def test_geslacht_spellings(tmp_path: Path) -> None:
    lines = [HEADER, "1;Iris;;Bos;01-01-2012;vrouw;1A;1", "2;Sem;;Bos;02-01-2012;man;1A;1"]
    loaded = load([school_folder(tmp_path / "a", lines)])
    assert loaded.tables.leerlingen["geslacht"].tolist() == ["V", "M"]
    jongen_meisje = [HEADER, "1;Iris;;Bos;01-01-2012;M;1A;1", "2;Sem;;Bos;02-01-2012;J;1A;1"]
    loaded = load([school_folder(tmp_path / "b", jongen_meisje)])
    assert loaded.tables.leerlingen["geslacht"].tolist() == ["V", "M"]
    assert (3, "geslacht", "geslacht-jm") in codes_at(loaded.findings)


@pytest.mark.produces("name-character-lost")
def test_a_letter_lost_to_windows_1252(tmp_path: Path) -> None:
    lines = [HEADER, "1;Ay?e;;Y?lmaz;01-01-2012;V;1A;1"]
    loaded = load([school_folder(tmp_path, lines, encoding="cp1252")])
    assert {(2, "roepnaam", "name-character-lost"), (2, "achternaam", "name-character-lost")} <= (
        codes_at(loaded.findings)
    )


@pytest.mark.produces(
    "brin-from-path", "schooljaar-from-path", "brin-unknown", "schooljaar-unknown"
)
def test_brin_and_school_year_from_names_settings_or_nowhere(tmp_path: Path) -> None:
    lines = [HEADER, "1;Iris;;Bos;01-01-2012;V;1A;1"]
    loaded = load([school_folder(tmp_path, lines)])
    notes = loaded.findings.set_index("code")
    assert notes.loc["brin-from-path", "value"] == "12AB"
    assert notes.loc["schooljaar-from-path", "value"] == "2026-2027"
    # nowhere: one error each, not one per group
    bare = write(tmp_path / "export" / "leerlingen.csv", lines)
    loaded = load([bare])
    found = codes_at(loaded.findings)
    assert {(None, "brin", "brin-unknown"), (None, "schooljaar", "schooljaar-unknown")} <= found
    assert not loaded.findings["code"].eq("missing-value").any()
    # lwtop.toml beside the export
    (tmp_path / "export" / "lwtop.toml").write_text(
        'brin = "34CD"\nschooljaar = "2025-2026"\n', encoding="utf-8"
    )
    loaded = load([bare])
    assert loaded.tables.groepen[["brin", "schooljaar"]].values.tolist() == [["34CD", "2025-2026"]]
    assert not loaded.findings["severity"].eq("error").any(), loaded.findings


@pytest.mark.produces("unknown-mentor", "mentors-without-staff")
def test_staff_roles_and_mentor_links(tmp_path: Path) -> None:
    lines = [
        "Stamnummer;Naam;Klas;Leerjaar;Geboortedatum;Geslacht;Klassenmentor 1;Klassenmentor 2",
        "1;Bos, Iris;1A;1;01-01-2013;V;JAN;PIE",
        "2;Bos, Sem;1A;1;02-01-2013;M;JAN;",
    ]
    loaded = load([school_folder(tmp_path, lines)])
    staff = loaded.tables.medewerkers.set_index("medewerker_id")
    assert staff.loc["JAN", ["achternaam", "roepnaam", "rol", "las_rol"]].tolist() == [
        "Jansen", "Jan", "TOP leerkracht", "Docent",
    ]  # fmt: skip
    assert staff.loc["KEE", ["rol", "las_rol"]].tolist() == ["", "Conciërge"]
    assert loaded.tables.medewerker_groepen[["medewerker_id", "groep_id"]].values.tolist() == [
        ["JAN", "1A"]
    ]
    assert (2, "mentor", "unknown-mentor") in codes_at(loaded.findings)
    alone = write(tmp_path / "alleen" / "2026-2027" / "leerlingen-12AB.csv", lines)
    loaded = load([alone])
    assert loaded.tables.medewerker_groepen.empty
    assert (2, "mentor", "mentors-without-staff") in codes_at(loaded.findings)


@pytest.mark.produces("sheet-not-used", "no-pupil-list")
def test_other_files_in_the_folder_and_a_folder_without_pupils(tmp_path: Path) -> None:
    folder = school_folder(tmp_path, [HEADER, "1;Iris;;Bos;01-01-2012;V;1A;1"])
    write(folder / "lesrooster.csv", ["Dag;Uur;Vak", "ma;1;ne"])
    loaded = load([folder])
    assert (None, "", "sheet-not-used") in codes_at(loaded.findings)
    assert len(loaded.tables.leerlingen) == 1
    only_staff = load([folder / "docenten.csv"], format="magister")
    assert (None, "", "no-pupil-list") in codes_at(only_staff.findings)
    assert only_staff.findings["severity"].eq("error").any()


def test_the_vo_school_reads_back_from_its_magister_export(tmp_path: Path) -> None:
    school = generate_vo_school()
    for tables in (school.old, school.new):
        folder = tmp_path / str(tables.schooljaar())
        EXPORTS["magister"](tables, folder)
        result = read([folder])
        assert result.format == "magister"
        # Magister's list carries no initials and no ECK iD
        assert_same_tables(
            tables, result.tables, not_carried={"leerlingen": {"voorletters", "eckid"}}
        )
