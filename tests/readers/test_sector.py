"""The sector (PO, SO, VO, MBO) is decided from the data, not from a column's name: a year 1-6 of
a VO or MBO school becomes jaargroep 11-16, a PO school's stays; signals that disagree or say
nothing are refused with the way to choose. Every export here is synthetic, made-up names."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from las_tables import codes_at, write

from lwtop_toolkit import ToolkitError, load, read, ui
from lwtop_toolkit.cli.main import main

YEAR = "2026-2027"
# A PO list as ParnasSys writes it: the year is called `leerjaar`.
PO_HEADER = "Leerlingnummer;Achternaam;Roepnaam;Geboortedatum;Geslacht;Groep;Leerjaar;BRIN"
VO_HEADER = "Leerlingnummer;Achternaam;Roepnaam;Geboortedatum;Geslacht;Klas;Leerjaar;BRIN"


def export(tmp_path: Path, lines: list[str], name: str = "leerlingen.csv") -> Path:
    """A list export of school year 2026-2027 in its own folder."""
    folder = tmp_path / YEAR
    write(folder / name, lines)
    return folder


def years(loaded: object, table: str = "leerlingen") -> list[str]:
    frame: pd.DataFrame = getattr(loaded, "tables")[table]  # noqa: B009
    return frame["jaargroep"].tolist()


def messages(findings: pd.DataFrame, code: str) -> list[str]:
    return findings.loc[findings["code"].eq(code), "message"].tolist()


# --- PO lists that say `leerjaar` -----------------------------------------------------------------


def test_a_po_list_with_a_leerjaar_column_and_groups_7_and_8_stays_po(tmp_path: Path) -> None:
    lines = [
        PO_HEADER,
        "101;Visser;Lotte;04-05-2015;V;Groep 7;7;12AB",
        "102;Smit;Daan;11-11-2014;M;Groep 8;8;12AB",
        "103;Mulder;Fenna;20-02-2020;V;Groep 3;3;12AB",
    ]
    loaded = load([export(tmp_path, lines)])
    assert years(loaded) == ["7", "8", "3"]
    groups = loaded.tables.groepen.set_index("groep_id")["jaargroep"]
    assert groups.to_dict() == {"Groep 7": "7", "Groep 8": "8", "Groep 3": "3"}
    assert not loaded.findings["severity"].eq("error").any(), loaded.findings["message"].tolist()
    assert "leerjaar-as-vo" not in set(loaded.findings["code"])
    assert not any("1 t/m 6" in message for message in loaded.findings["message"])


def test_a_po_list_of_groups_1_to_6_is_po_by_its_ages_and_group_names(tmp_path: Path) -> None:
    lines = [
        PO_HEADER,
        "201;Bos;Sara;15-03-2022;V;Groep 1/2A;1;12AB",
        "202;Kok;Ties;01-09-2021;M;Groep 1/2A;2;12AB",
        "203;Peters;Mila;12-12-2017;V;groep 5b;5;12AB",
    ]
    loaded = load([export(tmp_path, lines)])
    assert years(loaded) == ["1", "2", "5"]
    assert {"leerjaar-as-vo", "sector-unknown", "sector-conflict"}.isdisjoint(
        loaded.findings["code"]
    )


@pytest.mark.parametrize(
    ("written", "year"),
    [("Groep 3", "3"), ("groep 4", "4"), ("03", "3"), ("Gr. 8", "8"), ("leerjaar 6", "6")],
)
def test_groep_3_written_as_the_year_is_year_3(tmp_path: Path, written: str, year: str) -> None:
    lines = [
        "Leerlingnummer;Achternaam;Roepnaam;Geboortedatum;Geslacht;Groep;Jaargroep;BRIN",
        "301;Jong;Bram;01-06-2016;M;Groep 7;7;12AB",
        f"302;Bakker;Noor;01-06-2016;V;{year}A;{written};12AB",
    ]
    loaded = load([export(tmp_path, lines)])
    assert years(loaded) == ["7", year]
    assert "invalid-leerjaar" not in set(loaded.findings["code"])
    assert "invalid-code" not in set(loaded.findings["code"])


# --- VO: UWLR and lists ---------------------------------------------------------------------------

UWLR = """<?xml version="1.0" encoding="UTF-8"?>
<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/">
<s:Body>
<le:leerlinggegevens_antwoord xmlns:le="http://www.edustandaard.nl/leerresultaten/2/leerlinggegevens">
<le:leerlinggegevens>
  <le:school>
    <le:schooljaar>2025-2026</le:schooljaar><le:brincode>99ZZ</le:brincode>
    <le:dependancecode>00</le:dependancecode><le:xsdversie>2.3</le:xsdversie>
  </le:school>
  <le:groepen>
    <le:groep key="H1A"><le:naam>H1A</le:naam><le:jaargroep>1</le:jaargroep></le:groep>
    <le:groep key="H2C"><le:naam>H2C</le:naam><le:jaargroep>2</le:jaargroep></le:groep>
  </le:groepen>
  <le:leerlingen>
    <le:leerling key="5001"><le:achternaam>Dekker</le:achternaam><le:roepnaam>Jesse</le:roepnaam>
      <le:geboortedatum>2013-04-02</le:geboortedatum><le:geslacht>1</le:geslacht>
      <le:jaargroep>1</le:jaargroep><le:groep key="H1A"/></le:leerling>
    <le:leerling key="5002"><le:achternaam>Vos</le:achternaam><le:roepnaam>Isa</le:roepnaam>
      <le:geboortedatum>2012-08-30</le:geboortedatum><le:geslacht>2</le:geslacht>
      <le:jaargroep>2</le:jaargroep><le:groep key="H2C"/></le:leerling>
  </le:leerlingen>
</le:leerlinggegevens>
</le:leerlinggegevens_antwoord>
</s:Body>
</s:Envelope>
"""


@pytest.mark.produces("leerjaar-as-vo")
def test_uwlr_of_a_vo_school_gets_leerjaar_11_and_12_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "leerlinggegevens.xml"
    path.write_text(UWLR, encoding="utf-8")
    result = read([path])
    assert result.format == "edexml"
    assert years(result) == ["11", "12"]
    assert years(result, "groepen") == ["11", "12"]
    said = messages(result.findings, "leerjaar-as-vo")
    assert len(said) == 1  # once per export
    assert "voortgezet onderwijs" in said[0] and "'H1A'" in said[0] and "leeftijden" in said[0]
    assert main(["validate", str(path)]) == 0
    assert "voortgezet onderwijs" in capsys.readouterr().out


def test_a_vo_list_and_an_mbo_list_by_class_names_opleiding_and_ages(tmp_path: Path) -> None:
    vo = [
        VO_HEADER + ";Studie",
        "401;Smits;Yara;10-10-2012;V;3HV1;3;12AB;havo",
        "402;Claes;Finn;05-01-2014;M;M1b;1;12AB;vmbo-tl",
    ]
    loaded = load([export(tmp_path / "vo", vo)])
    assert years(loaded) == ["13", "11"]
    eduarte = [
        "Deelnemernummer;Achternaam;Roepnaam;Geboortedatum;Geslacht;Groep;Leerjaar;Opleiding;BRIN",
        "601;Aydin;Mert;03-03-2009;M;ICT-1A;1;25187;34XY",
        "602;Ruiter;Eva;14-07-2007;V;ZW-2B;2;25491;34XY",
    ]
    mbo = load([export(tmp_path / "mbo", eduarte)])
    assert mbo.format == "eduarte"
    assert years(mbo) == ["11", "12"]
    said = messages(mbo.findings, "leerjaar-as-vo")
    assert len(said) == 1 and "school voor mbo" in said[0] and "'25187'" in said[0]


def test_each_school_of_one_export_gets_its_own_sector(tmp_path: Path) -> None:
    lines = [
        VO_HEADER,
        "701;Jansen;Lieke;01-02-2020;V;Groep 3;3;12AB",
        "702;Boer;Stijn;01-03-2019;M;Groep 3/4;4;12AB",
        "703;Hoek;Amir;01-04-2013;M;H1A;1;34CD",
        "704;Wit;Julia;01-05-2011;V;V3c;3;34CD",
    ]
    loaded = load([export(tmp_path, lines)])
    assert years(loaded) == ["3", "4", "11", "13"]
    groups = loaded.tables.groepen.set_index("groep_id")["jaargroep"].to_dict()
    assert groups == {"Groep 3": "3", "Groep 3/4": "4", "H1A": "11", "V3c": "13"}


# --- signals that disagree or say nothing: refused, with how to choose ----------------------------


@pytest.mark.produces("sector-conflict")
def test_signals_that_disagree_are_an_error_and_the_choice_settles_it(tmp_path: Path) -> None:
    lines = [VO_HEADER, "801;Maas;Olivia;01-02-2020;V;H1A;3;12AB"]  # a VO name, a PO child
    folder = export(tmp_path, lines)
    loaded = load([folder])
    assert years(loaded) == ["3"]  # left as written: no guess
    (message,) = messages(loaded.findings, "sector-conflict")
    assert "klasnamen als 'H1A'" in message and "leeftijden" in message
    assert "--sector po|so|vo|mbo" in message and 'sector = "vo"' in message
    assert main(["validate", str(folder)]) == 1
    chosen = load([folder], sector="vo")
    assert years(chosen) == ["13"]
    assert "gekozen met --sector vo" in messages(chosen.findings, "leerjaar-as-vo")[0]
    assert main(["validate", "--sector", "po", str(folder)]) == 0
    (folder / "lwtop.toml").write_text('sector = "VO"\n', encoding="utf-8")
    assert years(load([folder])) == ["13"]


@pytest.mark.produces("sector-unknown")
def test_no_signal_is_an_error_and_a_po_group_name_is_a_signal(tmp_path: Path) -> None:
    # 9 years old in year 1: too old for groep 1, too young for leerjaar 1; `1C` says nothing
    lines = [VO_HEADER, "901;Graaf;Ruben;01-02-2017;M;1C;1;12AB"]
    loaded = load([export(tmp_path / "a", lines)])
    assert years(loaded) == ["1"]
    (message,) = messages(loaded.findings, "sector-unknown")
    assert "BRIN 12AB" in message and "--sector" in message and "lwtop.toml" in message
    named = [VO_HEADER, "901;Graaf;Ruben;01-02-2017;M;Groep 1/2C;1;12AB"]
    loaded = load([export(tmp_path / "b", named)])
    assert years(loaded) == ["1"]
    assert {"sector-unknown", "sector-conflict"}.isdisjoint(loaded.findings["code"])


@pytest.mark.produces("leerjaar-not-in-sector")
def test_groep_7_in_a_school_chosen_as_vo_is_an_error(tmp_path: Path) -> None:
    lines = [VO_HEADER, "111;Kuipers;Tess;01-02-2014;V;7B;7;12AB",
             "112;Prins;Levi;01-02-2013;M;1B;1;12AB"]  # fmt: skip
    loaded = load([export(tmp_path, lines)], sector="vo")
    assert years(loaded) == ["", "11"]
    assert (2, "jaargroep", "leerjaar-not-in-sector") in codes_at(loaded.findings)


def test_a_sector_that_does_not_exist_is_refused(tmp_path: Path) -> None:
    folder = export(tmp_path, [VO_HEADER, "121;Prins;Levi;01-02-2013;M;H1B;1;12AB"])
    with pytest.raises(ToolkitError, match="onderwijssoort 'havo' bestaat niet"):
        read([folder], sector="havo")
    (folder / "lwtop.toml").write_text('sector = "basis"\n', encoding="utf-8")
    assert main(["validate", str(folder)]) == 2


@pytest.mark.parametrize(
    "command",
    ["validate", "preview", "bundle", "worklist", "staff-sheet", "staff-links",
     "verify"],
)  # fmt: skip
def test_every_command_that_reads_exports_takes_sector(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        main([command, "--help"])
    assert "--sector SOORT" in capsys.readouterr().out


# --- group names that differ only in case -------------------------------------------------------


@pytest.mark.produces("group-case-merged")
def test_group_names_that_differ_only_in_case_are_one_group(tmp_path: Path) -> None:
    lines = [
        PO_HEADER,
        "131;Vries;Anna;01-02-2018;V;5A;5;12AB",
        "132;Berg;Tim;01-03-2018;M;5a;5;12AB",
        "133;Dijk;Sam;01-04-2018;M;5A;5;12AB",
        "134;Meer;Roos;01-02-2015;V;Groep 8;8;12AB",
    ]
    loaded = load([export(tmp_path, lines)])
    assert loaded.tables.leerlingen["groep_id"].tolist() == ["5A", "5A", "5A", "Groep 8"]
    assert loaded.tables.groepen["groep_id"].tolist() == ["5A", "Groep 8"]
    (message,) = messages(loaded.findings, "group-case-merged")
    assert "'5A' en '5a'" in message and "één groep '5A'" in message
    assert (3, "groep_id", "group-case-merged") in codes_at(loaded.findings)


def test_the_app_offers_the_choice_of_onderwijssoort(tmp_path: Path) -> None:
    old = export(tmp_path / "oud", [VO_HEADER, "141;Maas;Olivia;01-02-2019;V;H1A;2;12AB"])
    old = old.rename(tmp_path / "oud" / "2025-2026")
    new = export(tmp_path / "nieuw", [VO_HEADER, "141;Maas;Olivia;01-02-2019;V;H1A;3;12AB"])
    session = ui.Session()
    try:
        panel = ui.UploadPanel(session)
        assert [value for _, value in panel.sector.options] == ["", "po", "so", "vo", "mbo"]
        session.load_paths([old], [new])
        assert "sector-conflict" in set(session.findings()["code"])
        panel.sector.value = "vo"
        assert session.sector == "vo"
        session.load_paths([old], [new])
        assert session.new is not None and years(session.new) == ["13"]
        assert "sector-conflict" not in set(session.findings()["code"])
    finally:
        session.close()
