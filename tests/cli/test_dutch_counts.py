"""Counts in Dutch agree in number wherever one is printed or written: "1 leerling",
"2 leerlingen", "1 fout", "1 waarschuwing", "1 groep", "1 medewerker", "1 koppeling",
"1 school". The commands and the app run on a made-up school with exactly one of each, and on
one with two of each."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from lwtop_toolkit import findings as fd
from lwtop_toolkit import ui
from lwtop_toolkit.cli.main import main
from lwtop_toolkit.ui.common import severity_counts
from lwtop_toolkit.ui.views import summary_html

GROUP_HEADER = "groep_id;groepsnaam;jaargroep;soort;schooljaar;brin;vestiging"
PUPIL_HEADER = (
    "leerling_id;achternaam;tussenvoegsel;roepnaam;voorletters;geboortedatum;geslacht;"
    "jaargroep;groep_id;samengestelde_groepen;opleiding;brin;vestiging;eckid"
)
STAFF_HEADER = "medewerker_id;achternaam;tussenvoegsel;roepnaam;email;rol;las_rol"
# Made-up pupils and teachers: (number, surname, first name, birth date, sex)
PUPILS = [
    ("700101", "Kornet", "Fenne", "2018-03-04", "V"),
    ("700102", "Lindhout", "Wes", "2018-05-06", "M"),
]
STAFF = [("T1", "Brasem", "Ilse"), ("T2", "Kwakkel", "Ruben")]


def _write(folder: Path, name: str, header: str, rows: list[str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")


def _school(root: Path, count: int, *, bad_dates: int = 0) -> tuple[Path, Path]:
    """Two years of a school with `count` groups, pupils (one per group), teachers and last
    year's links; `bad_dates` of this year's pupils have a birth date that is no date."""
    old, new = root / "oud", root / "nieuw"
    for folder, year, grade in ((old, "2025-2026", 3), (new, "2026-2027", 4)):
        groups = [f"G{year[:4]}-{n}" for n in range(count)]
        _write(folder, "groepen.csv", GROUP_HEADER, [
            f"{group};{grade}{'ABC'[n]};{grade};stamgroep;{year};12AB;00"
            for n, group in enumerate(groups)
        ])  # fmt: skip
        pupils = []
        for n, (number, surname, first, born, sex) in enumerate(PUPILS[:count]):
            born = "31-02-2018" if folder == new and n < bad_dates else born
            pupils.append(
                f"{number};{surname};;{first};{first[0]}.;{born};{sex};{grade};{groups[n]};;;12AB;00;"
            )
        _write(folder, "leerlingen.csv", PUPIL_HEADER, pupils)
        _write(folder, "medewerkers.csv", STAFF_HEADER, [
            f"{number};{surname};;{first};{first.lower()}@school.example;TOP leerkracht;LRK"
            for number, surname, first in STAFF[:count]
        ])  # fmt: skip
    _write(old, "medewerker_groepen.csv", "medewerker_id;groep_id", [
        f"{STAFF[n][0]};G2025-{n}" for n in range(count)
    ])  # fmt: skip
    return old, new


def _out(capsys: pytest.CaptureFixture[str], argv: list[str], status: int = 0) -> str:
    assert main(argv) == status
    return capsys.readouterr().out


def _filled_links(tmp_path: Path, old: Path, new: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """`staff-sheet` and, with each group's first teacher chosen, `staff-links`: their output."""
    sheet = tmp_path / "werkmap.xlsx"
    made = _out(capsys, ["staff-sheet", "--old", str(old), "--new", str(new), "--out", str(sheet)])
    book = openpyxl.load_workbook(sheet)
    choices = []  # the choice list: up to its first empty row
    for (choice,) in book["Medewerkers"].iter_rows(min_row=2, max_col=1, values_only=True):
        if not choice:
            break
        choices.append(choice)
    assign = book["Toewijzing"]
    column = [cell.value for cell in assign[1]].index("Leerkracht 1") + 1
    for row, choice in enumerate(choices, start=2):  # the n-th group gets the n-th teacher
        assign.cell(row=row, column=column).value = choice
    book.save(sheet)
    links = ["staff-links", str(sheet), "--new", str(new), "--out", str(tmp_path / "k.csv")]
    return made + _out(capsys, links)


def test_one_of_each_is_said_in_the_singular_and_two_in_the_plural(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = _school(tmp_path / "school", 1)
    shown = _out(capsys, ["validate", str(new)])
    assert "Ingelezen:   1 groep, 1 leerling, 1 medewerker, 0 koppelingen medewerker-groep" in shown
    assert "Bevindingen: 0 fouten, 0 waarschuwingen, 0 ter info" in shown
    assert "1 koppeling medewerker-groep" in _out(capsys, ["validate", str(old)])

    pair = ["--old", str(old), "--new", str(new)]
    shown = _out(capsys, ["preview", *pair])
    assert "Vorig jaar:  1 leerling (" in shown
    assert "Nieuw jaar:  1 leerling in 1 stamgroep (" in shown
    assert "Bevindingen: 0 fouten, 1 waarschuwing, 0 ter info" in shown
    assert "krijgt maar 1 leerling;" in shown  # a finding's message too

    shown = _filled_links(tmp_path, old, new, capsys)
    assert "1 stamgroep, 1 medewerker te kiezen" in shown
    assert "Koppelingen:  1 (aan 1 groep)" in shown

    shown = _out(capsys, ["bundle", *pair, "--out", str(tmp_path / "b")])
    assert "(0 fouten, 1 waarschuwing, 0 ter info)" in shown

    spoiled, _ = _school(tmp_path / "fout", 1, bad_dates=1)
    shown = _out(capsys, ["validate", str(spoiled.parent / "nieuw")], 1)
    assert "Bevindingen: 1 fout, 0 waarschuwingen, 0 ter info" in shown

    shown = _out(capsys, ["sample", "--out", str(tmp_path / "v"), "--scale", "30",
                          "--geen-edexml", "--quiet"])  # fmt: skip
    assert "1 school, 30 leerlingen in het oude jaar" in shown

    session = ui.Session()  # the app says it as the command does
    try:
        session.load_uploads(_upload(old), _upload(new))
        html = summary_html(session)
        assert "</b> leerling · nieuw jaar:" in html and "in 1 stamgroep<br>" in html
        assert "</b> waarschuwing</span>" in severity_counts(session.findings())
    finally:
        session.close()

    _two_of_each_are_said_in_the_plural(tmp_path / "twee", capsys)


def _two_of_each_are_said_in_the_plural(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old, new = _school(tmp_path / "school", 2)
    shown = _out(capsys, ["validate", str(new)])
    assert "Ingelezen:   2 groepen, 2 leerlingen, 2 medewerkers, 0 koppelingen" in shown
    assert "2 koppelingen medewerker-groep" in _out(capsys, ["validate", str(old)])
    pair = ["--old", str(old), "--new", str(new)]
    shown = _out(capsys, ["preview", *pair])
    assert "Vorig jaar:  2 leerlingen (" in shown
    assert "Nieuw jaar:  2 leerlingen in 2 stamgroepen (" in shown
    assert "Bevindingen: 0 fouten, 2 waarschuwingen, 0 ter info" in shown
    shown = _filled_links(tmp_path, old, new, capsys)
    assert "2 stamgroepen, 2 medewerkers te kiezen" in shown
    assert "Koppelingen:  2 (aan 2 groepen)" in shown
    spoiled, _ = _school(tmp_path / "fout", 2, bad_dates=2)
    shown = _out(capsys, ["validate", str(spoiled.parent / "nieuw")], 1)
    assert "Bevindingen: 2 fouten, 0 waarschuwingen, 0 ter info" in shown


def test_a_count_in_a_finding_agrees_with_its_noun() -> None:
    one = fd.finding("inactive-staff-skipped", value=1, reason="einddatum voorbij")
    two = fd.finding("inactive-staff-skipped", value=2, reason="einddatum voorbij")
    assert one["message"].startswith("Niet ingelezen: 1 medewerker die")
    assert two["message"].startswith("Niet ingelezen: 2 medewerkers die")
    assert fd.count_of(1, "school") == "1 school" and fd.count_of(0, "fout") == "0 fouten"
    assert fd.severity_text({"error": 1, "warning": 1, "info": 1}) == (
        "1 fout, 1 waarschuwing, 1 ter info"
    )


def _upload(folder: Path) -> tuple[dict, ...]:
    """A folder's CSV files as the app's upload widget gives them."""
    return tuple(
        {"name": path.name, "type": "", "size": path.stat().st_size,
         "content": memoryview(path.read_bytes())}
        for path in sorted(folder.glob("*.csv"))
    )  # fmt: skip
