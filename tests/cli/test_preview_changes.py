"""A number that now names another child, a spelling fix and a corrected birth date, through
`lwtop preview` (JSON, audit workbook) and `lwtop bundle`: the one change list and finding."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from conftest import SAMPLE_DATA, zip_members

from lwtop_toolkit.cli.main import main

OLD = SAMPLE_DATA / "2025-2026"
BUNDLE = "lwtop-99ZZ-2026-2027.zip"
# Rows 3, 4 and 5 of the sample's new pupils: Daan Bos's number now on another child, a spelling
# fix of Maud Brouwer's surname, Fleur de Graaf's birth date corrected.
EDITS = {
    "132731;Bos;;Daan;D.;2020-05-09;M;": "132731;Vos;;Lina;L.;2019-01-14;V;",
    "144248;Brouwer;;Maud;M.;": "144248;Brouwers;;Maud;M.;",
    "142132;Graaf;de;Fleur;F.;2021-08-01;": "142132;Graaf;de;Fleur;F.;2021-07-01;",
}
CHANGES = [
    {"leerling_id": "132731", "field": "achternaam", "old": "Bos", "new": "Vos"},
    {"leerling_id": "132731", "field": "roepnaam", "old": "Daan", "new": "Lina"},
    {"leerling_id": "132731", "field": "voorletters", "old": "D.", "new": "L."},
    {"leerling_id": "132731", "field": "geboortedatum", "old": "2020-05-09", "new": "2019-01-14"},
    {"leerling_id": "132731", "field": "geslacht", "old": "M", "new": "V"},
    {"leerling_id": "144248", "field": "achternaam", "old": "Brouwer", "new": "Brouwers"},
    {"leerling_id": "142132", "field": "geboortedatum", "old": "2021-08-01", "new": "2021-07-01"},
]
SHEET = [
    ("Leerlingnummer", "Naam", "Naam vorig jaar", "BRIN", "Vestiging", "Veld", "Vorig jaar",
     "Nieuw jaar", "Gekoppeld via", "Rij nieuw jaar"),
    ("132731", "Lina Vos", "Daan Bos", "99ZZ", "00", "Achternaam", "Bos", "Vos", "leerlingnummer",
     3),
    ("132731", "Lina Vos", "Daan Bos", "99ZZ", "00", "Roepnaam", "Daan", "Lina", "leerlingnummer",
     3),
    ("132731", "Lina Vos", "Daan Bos", "99ZZ", "00", "Voorletters", "D.", "L.", "leerlingnummer",
     3),
    ("132731", "Lina Vos", "Daan Bos", "99ZZ", "00", "Geboortedatum", "09-05-2020", "14-01-2019",
     "leerlingnummer", 3),
    ("132731", "Lina Vos", "Daan Bos", "99ZZ", "00", "Geslacht", "M", "V", "leerlingnummer", 3),
    ("144248", "Maud Brouwers", "Maud Brouwer", "99ZZ", "00", "Achternaam", "Brouwer", "Brouwers",
     "leerlingnummer", 4),
    ("142132", "Fleur de Graaf", "Fleur de Graaf", "99ZZ", "00", "Geboortedatum", "01-08-2021",
     "01-07-2021", "leerlingnummer", 5),
]  # fmt: skip


@pytest.fixture
def new_year(tmp_path: Path) -> Path:
    """The sample's new year with the three edits."""
    folder = tmp_path / "2026-2027"
    shutil.copytree(SAMPLE_DATA / "2026-2027", folder)
    pupils = folder / "leerlingen.csv"
    text = pupils.read_text(encoding="utf-8-sig")
    for before, after in EDITS.items():
        assert text.count(before) == 1
        text = text.replace(before, after)
    pupils.write_text(text, encoding="utf-8-sig")
    return folder


def _sheet(data: bytes | Path) -> list[tuple[object, ...]]:
    source = io.BytesIO(data) if isinstance(data, bytes) else data
    workbook = openpyxl.load_workbook(source, read_only=True)
    return list(workbook["Wijzigingen"].iter_rows(values_only=True))


@pytest.mark.produces("same-number-other-child")
def test_preview_json_has_the_changes_and_the_other_child_at_its_row(
    new_year: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = tmp_path / "overgang.xlsx"
    argv = ["preview", "--old", str(OLD), "--new", str(new_year), "--json", "--xlsx", str(book)]
    status = main([*argv, "--png", str(tmp_path / "doorstroom.png")])
    document = json.loads(capsys.readouterr().out)
    assert status == 1  # an error: the preview says so
    assert document["changes"] == CHANGES
    found = [f for f in document["findings"] if f["code"] == "same-number-other-child"]
    assert [(Path(f["file"]).name, f["row"], f["severity"], f["value"]) for f in found] == [
        ("leerlingen.csv", 3, "error", "132731")
    ]
    assert (
        "(Daan Bos) via het leerlingnummer, maar de naam, de geboortedatum" in found[0]["message"]
    )
    pupils = {pupil["leerling_id"]: pupil for pupil in document["students"]}
    assert (
        pupils["132731"]["flags"] == ["same-number-other-child"] and pupils["144248"]["flags"] == []
    )
    # the audit workbook: the sheet Wijzigingen with the same rows, for the analyst
    assert _sheet(book) == SHEET


def test_the_text_preview_counts_the_changed_pupils(
    new_year: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["preview", "--old", str(OLD), "--new", str(new_year)]) == 1
    out = capsys.readouterr().out
    assert "Gewijzigde gegevens: 3 leerlingen in beide jaren" in out
    assert "Zelfde nummer, ander kind" in out


@pytest.mark.produces("same-number-other-child")
def test_the_bundle_waits_for_the_other_child_and_carries_the_changes_when_forced(
    new_year: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "bundels"
    argv = ["bundle", "--old", str(OLD), "--new", str(new_year), "--out", str(out), "--quiet"]
    assert main(argv) == 1
    assert "132731" in capsys.readouterr().out
    assert not (out / BUNDLE).exists()
    assert main([*argv, "--force"]) == 1
    members = zip_members(out / BUNDLE)
    manifest = json.loads(members["manifest.json"])
    assert manifest["forced"] is True and "same-number-other-child" in manifest["open_error_codes"]
    assert _sheet(members["overgang.xlsx"]) == SHEET


def test_each_school_of_a_board_has_its_own_changes_in_its_bundle(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    board = tmp_path / "bestuur"
    assert main(["sample", "--scale", "600", "--out", str(board), "--quiet"]) == 0
    new = board / "2026-2027"
    school = sorted(path.name for path in new.iterdir())[0]
    pupils = new / school / "leerlingen.csv"
    lines = pupils.read_text(encoding="utf-8-sig").splitlines()
    header = lines[0].split(";")
    first = lines[1].split(";")
    number, before = first[header.index("leerling_id")], first[header.index("roepnaam")]
    first[header.index("roepnaam")] = before + "je"  # a spelling fix at one school
    lines[1] = ";".join(first)
    pupils.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    capsys.readouterr()

    assert main(["preview", "--old", str(board / "2025-2026"), "--new", str(new), "--json"]) == 0
    change = {"leerling_id": number, "field": "roepnaam", "old": before, "new": before + "je"}
    assert json.loads(capsys.readouterr().out)["changes"] == [change]
    out = tmp_path / "bundels"
    argv = ["bundle", "--old", str(board / "2025-2026"), "--new", str(new), "--out", str(out)]
    assert main([*argv, "--quiet"]) == 0
    sheets = {path.name: _sheet(zip_members(path)["overgang.xlsx"]) for path in out.glob("*.zip")}
    assert len(sheets) == 2
    for name, rows in sheets.items():
        changed = [(row[0], row[5], row[6], row[7]) for row in rows[1:]]
        mine = name.startswith(f"lwtop-{school}-")
        assert changed == ([(number, "Roepnaam", before, before + "je")] if mine else [])
