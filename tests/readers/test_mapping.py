"""A column mapping (`--map`, `lwtop.toml` [kolommen]) for every field, and the columns that a LAS
exports but the toolkit does not need: named as not used, never as unknown."""

from __future__ import annotations

from pathlib import Path

import pytest
from las_tables import codes_at, write

from lwtop_toolkit import load
from lwtop_toolkit.cli.main import main
from lwtop_toolkit.findings import ToolkitError
from lwtop_toolkit.model import normalise
from lwtop_toolkit.readers import READERS
from lwtop_toolkit.readers.files.headers import UNUSED, alias_index, match_headers

# A PO list that calls the groep `Leerjaar` (as ParnasSys does), with made-up pupils.
PO_LIST = [
    "Leerlingnummer;Achternaam;Roepnaam;Geboortedatum;Geslacht;Groep;Leerjaar;BRIN",
    "5001;Visser;Daan;04-05-2014;M;Groep 7a;7;12AB",
    "5002;Smit;Lotte;06-07-2013;V;Groep 8;8;12AB",
]


def _po_list(tmp_path: Path) -> Path:
    return write(tmp_path / "2026-2027" / "po-lijst.csv", PO_LIST)


def test_a_header_named_like_another_field_maps_to_the_field_chosen(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _po_list(tmp_path)
    status = main(["validate", str(path), "--map", "Leerjaar=jaargroep"])
    captured = capsys.readouterr()
    assert "onverwachte fout" not in captured.err
    assert status in (0, 1), captured.err
    loaded = load([path], mapping={"Leerjaar": "jaargroep"})
    assert loaded.tables.leerlingen["jaargroep"].tolist() == ["7", "8"]
    assert "leerjaar-as-vo" not in set(loaded.findings["code"])


def test_the_same_line_in_lwtop_toml(tmp_path: Path) -> None:
    path = _po_list(tmp_path)
    (path.parent / "lwtop.toml").write_text('[kolommen]\nLeerjaar = "jaargroep"\n', "utf-8")
    loaded = load([path.parent])
    assert loaded.format == "generic"  # a pupil list, not our import files
    assert loaded.tables.leerlingen["jaargroep"].tolist() == ["7", "8"]


def test_every_field_can_be_mapped_also_a_field_s_own_name(tmp_path: Path) -> None:
    path = write(
        tmp_path / "2026-2027" / "lijst.csv",
        [
            "Nummer;Naam;Voornaam;Geboortedatum;Geslacht;Klas;Jaargroep;BRIN",
            "6001;Mulder;Sara;01-02-2016;V;5B;5;12AB",
        ],
    )
    mapping = {"Nummer": "leerling_id", "Naam": "achternaam"}
    pupils = load([path], mapping=mapping).tables.leerlingen
    assert pupils[["leerling_id", "achternaam", "roepnaam"]].values.tolist() == [
        ["6001", "Mulder", "Sara"]
    ]
    with pytest.raises(ToolkitError, match="aan twee velden"):
        load([path], mapping={"Naam": "achternaam", "naam": "roepnaam"})


def test_the_column_chosen_wins_over_a_column_with_the_field_s_name(tmp_path: Path) -> None:
    path = write(
        tmp_path / "2026-2027" / "lijst.csv",
        [
            "Leerlingnummer;Achternaam;Roepnaam;Geboortedatum;Geslacht;Groep;Jaargroep;Leerjaar;BRIN",
            "5001;Visser;Daan;04-05-2014;M;7a;1;7;12AB",
        ],
    )
    loaded = load([path], mapping={"Leerjaar": "jaargroep"})
    assert loaded.tables.leerlingen["jaargroep"].tolist() == ["7"]
    unused = loaded.findings[loaded.findings["code"].eq("unused-column")]
    assert unused["value"].tolist() == ["Jaargroep"]
    ignored = load([path], mapping={"Leerjaar": ""})  # a field's own name, ignored
    unused = ignored.findings[ignored.findings["code"].eq("unused-column")]
    assert unused["value"].tolist() == ["Leerjaar"]


def test_a_staff_field_can_be_mapped(tmp_path: Path) -> None:
    folder = tmp_path / "2026-2027"
    write(folder / "leerlingen.csv", PO_LIST)
    write(folder / "personeel.csv", ["Afkorting;Achternaam;Taak", "JAN;Jansen;Leerkracht"])
    loaded = load([folder], mapping={"Taak": "las_rol"})
    assert loaded.tables.medewerkers["las_rol"].tolist() == ["Leerkracht"]
    with pytest.raises(ToolkitError, match="veld taak bestaat niet"):
        load([folder], mapping={"Taak": "taak"})


def test_no_reader_s_table_hides_a_field_s_own_name_behind_another_field() -> None:
    """A mapping may make a header mean another field; a reader's own alias table may not."""
    for reader in READERS.values():
        for table in reader.aliases:
            index = alias_index(table)
            for field in table:
                if field != UNUSED:
                    assert index[normalise(field)] == field, (reader.name, field)


@pytest.mark.produces("unused-column")
def test_known_columns_the_toolkit_does_not_need_are_named_not_unknown(tmp_path: Path) -> None:
    path = write(
        tmp_path / "2026-2027" / "leerlingen-12AB.csv",
        [
            "Stamnummer;Roepnaam;Achternaam;Geboortedatum;Geslacht;Klas;Leerjaar;Profiel.Code;"
            "Loginaccount.Naam;Cohort;Hobby",
            "7001;Noor;Bakker;03-04-2012;V;2A;2;NT;nbakker;2025;dammen",
        ],
    )
    loaded = load([path])
    codes = codes_at(loaded.findings)
    unused = loaded.findings[loaded.findings["code"].eq("unused-column")]
    assert unused["value"].tolist() == ["Profiel.Code, Loginaccount.Naam, Cohort"]
    assert "Profiel.Code" in unused["message"].iloc[0]
    unknown = loaded.findings[loaded.findings["code"].eq("unknown-column")]
    assert unknown["value"].tolist() == ["Hobby"]
    assert (1, "", "unused-column") in codes
    # a known but unused column can still be mapped to a field
    mapped = load([path], mapping={"Cohort": "opleiding"})
    assert mapped.tables.leerlingen["opleiding"].tolist() == ["2025"]
    unused = mapped.findings[mapped.findings["code"].eq("unused-column")]
    assert unused["value"].tolist() == ["Profiel.Code, Loginaccount.Naam"]


def test_known_unused_columns_help_find_the_header_below_a_title(tmp_path: Path) -> None:
    path = write(
        tmp_path / "2026-2027" / "leerlingen-12AB.csv",
        [
            "Overzicht leerlingen;;;;;;",
            "Stamnummer;Klas;Profiel.Code;Loginaccount.Naam;Cohort;Nationaliteit;Inschrijfdatum",
            "7001;2A;NT;nbakker;2025;NL;01-08-2024",
        ],
    )
    loaded = load([path], format="magister")
    assert loaded.tables.leerlingen["leerling_id"].tolist() == ["7001"]


# Column names of real exports (public field lists): each is read or named as not used.
PUBLIC_PUPIL_HEADERS = {
    "magister": (
        "stamnr_str", "Roepnaam", "Tussenv", "Achternaam", "Volledige_naam", "Voorletters",
        "geb_datum_str", "Geslacht", "Klas", "Leerfase.Leerjaar", "Studie", "Profiel.Code",
        "Loginaccount.Naam", "Klassenmentor 1", "voorlett", "tussenvoeg", "geb_datum", "groep",
        "leerjaar", "Stamnr", "Geb.datum",
    ),
    "eduarte": (
        "Nummer", "Roepnaam", "Voorletters", "Voornamen", "Voorvoegsel", "Achternaam", "Geslacht",
        "Geboortedatum", "Opleiding", "Lj", "Plaatsingsgroep", "Groepen", "Cohort",
    ),
    "somtoday": (
        "leerlingNummer", "leerlingRoepnaam", "leerlingVoorvoegsel", "leerlingAchternaam",
        "leerlingGeboortedatum", "leerlingGeslacht", "leerlingStamgroep", "leerlingLesgroepen",
        "leerlingLeerjaar", "leerlingOpleidingCode", "leerlingBekostigingBRINVolgnummer",
        "leerlingMentoren", "leerlingEckID", "leerlingActief",
    ),
}  # fmt: skip
PUBLIC_STAFF_HEADERS = {
    "somtoday": ("medewerkerNummer", "medewerkerAfkorting", "medewerkerAchternaam"),
    "magister": ("Code", "Roepnaam", "Tussenv", "Achternaam", "Functie.Omschr", "Email_werk"),
    "eduarte": (
        "Afkorting", "Geboortenaam", "Voorvoegsels Geboortenaam", "Roepnaam", "Voorletters",
        "Geslacht", "Emailadres",
    ),
}  # fmt: skip


@pytest.mark.parametrize("las", sorted(PUBLIC_PUPIL_HEADERS))
def test_no_column_of_a_real_export_is_unknown(las: str) -> None:
    formats = {name: reader.aliases for name, reader in READERS.items()}
    pupils = match_headers(list(PUBLIC_PUPIL_HEADERS[las]), formats[las][0])
    staff = match_headers(list(PUBLIC_STAFF_HEADERS[las]), formats[las][1])
    assert (pupils.unknown, staff.unknown) == ([], [])
