"""Mentors given by name are linked to the staff member of that name (the staff workbook's
matcher: `Jan de Vries`, `Vries, Jan de`, `de Vries, Jan`); a name two staff share is a warning
naming both, never a link; codes and numbers still link as before."""

from __future__ import annotations

from pathlib import Path

import pytest
from las_tables import write

from lwtop_toolkit import Loaded, load

STAFF = [
    "Code;Roepnaam;Tussenv;Achternaam;Functie.Omschr",
    "VRJ;Jan;de;Vries;Docent",
    "BAP;Piet;;Bakker;Mentor",
    "SMA;Anna;;Smit;Docent",
    "SMB;Anna;;Smit;Docent",
    "OZC;Çiğdem;;Öztürk;Docent",
]
HEADER = "Stamnummer;Roepnaam;Achternaam;Geboortedatum;Geslacht;Klas;Leerjaar;Klassenmentor 1"


def school(tmp_path: Path, mentors: list[str], header: str = HEADER) -> Path:
    """A Magister export of 2026-2027, BRIN 12AB: one pupil per mentor cell, class 1A, 1B, ..."""
    folder = tmp_path / "2026-2027"
    lines = [header] + [
        f"{n + 1};Kim{n};Tester;01-10-2012;V;1{chr(65 + n)};1;{mentor}"
        for n, mentor in enumerate(mentors)
    ]
    write(folder / "leerlingen-12AB.csv", lines)
    write(folder / "personeel.csv", STAFF)
    return folder


def links(loaded: Loaded) -> list[list[str]]:
    frame = loaded.tables.medewerker_groepen[["medewerker_id", "groep_id"]]
    return sorted(frame.values.tolist())


@pytest.mark.parametrize(
    "written",
    ["Jan de Vries", "Vries, Jan de", "de Vries, Jan", "Jan Vries", "  JAN DE  VRIES ", "VRJ"],
)
def test_a_mentor_by_full_name_is_linked(tmp_path: Path, written: str) -> None:
    loaded = load([school(tmp_path, [written])])
    assert links(loaded) == [["VRJ", "1A"]]
    assert not loaded.findings["code"].eq("unknown-mentor").any(), loaded.findings


def test_names_with_accents_and_several_mentors_in_one_cell(tmp_path: Path) -> None:
    mentors = ["Cigdem Ozturk", '"Jan de Vries; Piet Bakker"', "Vries, Jan de / Bakker, Piet"]
    loaded = load([school(tmp_path, mentors)])
    assert links(loaded) == [
        ["BAP", "1B"], ["BAP", "1C"], ["OZC", "1A"], ["VRJ", "1B"], ["VRJ", "1C"],
    ]  # fmt: skip
    assert not loaded.findings["code"].eq("unknown-mentor").any(), loaded.findings


def test_somtoday_mentoren_by_name(tmp_path: Path) -> None:
    header = (
        "leerlingNummer;leerlingRoepnaam;leerlingAchternaam;leerlingGeboortedatum;"
        "leerlingGeslacht;leerlingStamgroep;leerlingLeerjaar;leerlingMentoren"
    )
    folder = school(tmp_path, ["Jan de Vries, Piet Bakker"], header)
    loaded = load([folder])
    assert links(loaded) == [["BAP", "1A"], ["VRJ", "1A"]]


@pytest.mark.produces("ambiguous-mentor")
def test_a_name_two_staff_share_is_a_warning_naming_both(tmp_path: Path) -> None:
    loaded = load([school(tmp_path, ["Anna Smit", "Smit, Anna", "SMB"])])
    assert links(loaded) == [["SMB", "1C"]]
    hits = loaded.findings[loaded.findings["code"].eq("ambiguous-mentor")]
    # once per name and class: each class needs its mentor chosen
    assert hits["row"].tolist() == [2, 3]
    assert hits["value"].tolist() == ["Anna Smit", "Smit, Anna"]
    assert hits["severity"].tolist() == ["warning", "warning"]
    message = hits["message"].iloc[0]
    assert "Anna Smit (SMA), Anna Smit (SMB)" in message and "'1A'" in message
    assert not loaded.findings["code"].eq("unknown-mentor").any()


@pytest.mark.produces("unknown-mentor")
def test_a_name_not_in_the_staff_list_is_one_unknown_mentor(tmp_path: Path) -> None:
    loaded = load([school(tmp_path, ["Vries, Karel de"])])
    hits = loaded.findings[loaded.findings["code"].eq("unknown-mentor")]
    assert hits["value"].tolist() == ["Vries, Karel de"]  # one name, not two pieces
    assert links(loaded) == []
