"""`lwtop preview`: the Dutch summary, the JSON document, the files, and the exit codes."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SAMPLE_DATA
from openpyxl import load_workbook

from lwtop_toolkit.cli.main import main
from lwtop_toolkit.findings import FINDING_COLUMNS
from lwtop_toolkit.samples.school import generate_school

OLD, NEW = str(SAMPLE_DATA / "2025-2026"), str(SAMPLE_DATA / "2026-2027")


def test_the_command_shows_the_sample_transition_in_dutch() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "lwtop_toolkit.cli", "preview", "--old", OLD, "--new", NEW],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "Overgang:    2025-2026 → 2026-2027" in out
    assert "248 = 217 in beide jaren + 31 vertrokken; 247 = 217 + 30 nieuw (klopt)" in out
    for line in ("bevorderd                     213", "vertrokken (uitgestroomd)      26"):
        assert line in out
    assert "5A        5            21          20" in out
    assert "Groepen van vorig jaar zonder opvolger: 8 (26 leerlingen" in out
    assert "Mateusz Hendriks" in out and "Sprong van twee of meer jaargroepen" in out
    assert "Geen fouten" in out and done.stderr == ""


def test_json_holds_every_pupil_with_the_status_it_was_generated_with(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status = main(["preview", "--old", OLD, "--new", NEW, "--json"])
    document = json.loads(capsys.readouterr().out)  # exactly one JSON document
    assert status == 0
    assert {"summary", "students", "groups", "findings"} <= set(document)
    assert document["summary"] == {
        "promoted": 213,
        "retained": 3,
        "accelerated": 1,
        "demoted": 0,
        "continuing": 0,
        "new": 30,
        "left": 31,
    }
    assert document["totals"]["add_up"] is True
    truth = generate_school().truth.set_index("leerling_id")
    students = {pupil["leerling_id"]: pupil for pupil in document["students"]}
    assert set(students) == set(truth.index)
    for leerling_id, pupil in students.items():
        expected = truth.loc[leerling_id]
        assert (pupil["status"], pupil["left_reason"]) == (
            expected["status"],
            expected["left_reason"],
        )
        assert pupil["groep_id_oud"] == expected["groep_oud"]
        assert pupil["jaargroep_nieuw"] == expected["jaargroep_nieuw"]
    skipper = students["105128"]
    assert skipper["flags"] == ["jaargroep-jump"] and skipper["groep_nieuw"] == "6A"
    assert isinstance(skipper["rij_nieuw"], int) and skipper["geboortedatum"].count("-") == 2
    groups = {group["groepsnaam"]: group for group in document["groups"]}
    assert groups["5A"]["herkomst"] == "4A (20), nieuw (1)"
    [jump] = document["findings"]
    assert set(jump) == set(FINDING_COLUMNS)
    assert (jump["code"], jump["row"], jump["column"]) == ("jaargroep-jump", 148, "jaargroep")


def test_xlsx_writes_the_workbook_and_the_picture_beside_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "uit" / "overgang.xlsx"
    status = main(["preview", "--old", OLD, "--new", NEW, "--xlsx", str(target)])
    out = capsys.readouterr().out
    assert status == 0
    picture = tmp_path / "uit" / "overgang-doorstroom.png"
    assert picture.exists() and picture.with_suffix(".svg").exists()
    assert f"Geschreven: {target}" in out
    assert load_workbook(target)["Leerlingen"].max_row == 279
    png = tmp_path / "plaatje.png"
    assert main(["preview", "--old", OLD, "--new", NEW, "--png", str(png), "--json"]) == 0
    files = json.loads(capsys.readouterr().out)["files"]
    assert files == [str(png), str(png.with_suffix(".svg"))]


def test_a_new_export_that_is_still_last_year_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["preview", "--old", OLD, "--new", OLD])
    out = capsys.readouterr().out
    assert status == 1
    assert "LAS zet de leerlingen pas na 1 augustus" in out
    assert "Los de fouten op" in out
    status = main(["preview", "--old", OLD, "--new", OLD, "--json"])
    codes = [f["code"] for f in json.loads(capsys.readouterr().out)["findings"]]
    assert status == 1 and codes.count("las-not-rolled-over") == 1


def test_a_problem_found_by_validation_and_by_the_plan_is_shown_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    new = tmp_path / "nieuw"
    shutil.copytree(NEW, new)
    pupils = new / "leerlingen.csv"
    lines = pupils.read_text(encoding="utf-8-sig").splitlines()
    fields = lines[1].split(";")
    fields[8] = ""  # the first pupil loses the stamgroep
    lines[1] = ";".join(fields)
    pupils.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    main(["preview", "--old", OLD, "--new", str(new), "--json"])
    findings = json.loads(capsys.readouterr().out)["findings"]
    without = [f for f in findings if f["code"] == "pupil-without-group"]
    assert [(f["row"], f["column"]) for f in without] == [(2, "groep_id")]


def test_unreadable_input_or_output_exits_2_with_one_dutch_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["preview", "--old", str(tmp_path / "bestaat-niet"), "--new", NEW])
    err = capsys.readouterr().err
    assert status == 2 and "bestaat niet" in err and len(err.strip().splitlines()) == 1
    blocker = tmp_path / "geen-map"
    blocker.write_text("x", encoding="utf-8")
    status = main(["preview", "--old", OLD, "--new", NEW, "--xlsx", str(blocker / "o.xlsx")])
    err = capsys.readouterr().err
    assert status == 2
    assert "Het bestand kan niet geschreven worden" in err and "Traceback" not in err
    assert "output-not-writable" not in err


def test_missing_arguments_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["preview", "--old", OLD])
    assert stopped.value.code == 2
    assert "ongeldige opdracht" in capsys.readouterr().err
