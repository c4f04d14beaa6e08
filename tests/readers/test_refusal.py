"""A refusal that helps: a list no reader recognises is refused with the format that came
nearest, the required fields it lacks and the `--map` lines to try; a file name alone does not
make a list our import files."""

from __future__ import annotations

from pathlib import Path

import pytest
from las_tables import write

from lwtop_toolkit import load
from lwtop_toolkit.cli.main import main
from lwtop_toolkit.findings import ToolkitError
from lwtop_toolkit.readers import reader_for

# A pupil list whose number and class columns no alias knows; named like our import file.
ODD = [
    "Kindnummer;Achternaam;Voornaam;Geboortedatum;Geslacht;Unit;Jaargroep;BRIN",
    "0042;Jansen;Sem;01-02-2019;M;Unit 3;3;12AB",
    "0043;Bakker;Noor;03-04-2019;V;Unit 3;3;12AB",
    "0044;Visser;Mila;05-06-2018;V;Unit 4;4;12AB",
]


def _refusal(paths: list[Path]) -> ToolkitError:
    with pytest.raises(ToolkitError) as raised:
        reader_for(paths)
    return raised.value


@pytest.mark.produces("unrecognised-list")
def test_an_unknown_list_is_refused_with_the_nearest_format_and_the_map_to_try(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path / "2026-2027" / "leerlingen-2026.csv", ODD)
    error = _refusal([path])
    assert error.finding["code"] == "unrecognised-list"
    message = error.message
    assert "Leerlingenlijst (algemeen)" in message
    assert "leerling_id en groep_id ontbreken" in message
    assert '--map "Kindnummer=leerling_id" --map "Unit=groep_id"' in message
    assert "drie" not in message and "importbestand" not in message.lower()
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and '--map "Unit=groep_id"' in err
    # and the lines it suggests read the list
    loaded = load([path], mapping={"Kindnummer": "leerling_id", "Unit": "groep_id"})
    assert loaded.tables.leerlingen["groep_id"].tolist() == ["Unit 3", "Unit 3", "Unit 4"]


def test_a_file_name_alone_does_not_make_our_import_files(tmp_path: Path) -> None:
    for name in ("leerlingen.csv", "groepen.csv", "medewerkers.csv"):
        path = write(tmp_path / name.removesuffix(".csv") / name, ODD)
        assert _refusal([path]).finding["code"] == "unrecognised-list"


def test_a_field_without_a_plausible_column_shows_the_form_and_the_unknown_columns(
    tmp_path: Path,
) -> None:
    path = write(
        tmp_path / "lijst.csv",
        ["Code;Achternaam;Roepnaam;Hobby", "aa;Jansen;Sem;voetbal", "bb;Bakker;Noor;dammen"],
    )
    message = _refusal([path]).message
    assert '--map "<kolomnaam>=leerling_id"' in message
    assert '--map "<kolomnaam>=geslacht"' in message
    assert "een onbekende kolom: Code, Hobby" in message


def test_values_pair_a_column_whose_name_says_nothing(tmp_path: Path) -> None:
    path = write(
        tmp_path / "lijst.csv",
        [
            "Nr;Achternaam;Roepnaam;X;Y;Klas;Cohort",
            "1001;Jansen;Sem;12-03-2012;M;1A;2024",
            "1002;Bakker;Noor;13-04-2012;V;1A;2024",
        ],
    )
    message = _refusal([path]).message
    assert '--map "Nr=leerling_id"' in message
    assert '--map "X=geboortedatum"' in message
    assert '--map "Y=geslacht"' in message
    assert "Cohort=" not in message  # known, and not what is missing


def test_the_nearest_format_is_a_las_when_its_own_words_match_more(tmp_path: Path) -> None:
    path = write(
        tmp_path / "lijst.csv",
        [
            "Id;leerlingRoepnaam;leerlingAchternaam;leerlingGeboortedatum;leerlingGeslacht;Unit",
            "1001;Sem;Jansen;12-03-2012;M;1A",
            "1002;Noor;Bakker;13-04-2012;V;1A",
        ],
    )
    message = _refusal([path]).message
    assert "Somtoday" in message
    assert '--map "Id=leerling_id"' in message


def test_a_file_with_no_known_column_is_an_unknown_format(tmp_path: Path) -> None:
    path = write(tmp_path / "notities.csv", ["boodschappen;prijs", "brood;2"])
    error = _refusal([path])
    assert error.finding["code"] == "unknown-format"
    assert "geen lezer herkent deze bestanden" in error.message


def test_a_list_with_no_other_column_is_told_to_be_exported_again(tmp_path: Path) -> None:
    path = write(tmp_path / "lijst.csv", ["Leerlingnummer;Achternaam", "1001;Jansen"])
    message = _refusal([path]).message
    assert "exporteer de lijst opnieuw met kolommen voor" in message
    assert "groep_id" in message and "--map" not in message
