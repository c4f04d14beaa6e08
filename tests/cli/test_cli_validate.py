"""`lwtop validate` and `lwtop demo`: exit codes, the Dutch summary and the JSON document."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import IMPORTFILES, SAMPLE_DATA, VALID

from lwtop_toolkit.cli.main import main
from lwtop_toolkit.findings import FINDING_COLUMNS


def lwtop(*args: str) -> subprocess.CompletedProcess[str]:
    """The installed command, as a coordinator runs it."""
    return subprocess.run(
        [sys.executable, "-m", "lwtop_toolkit.cli", *args],
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize("year", ["2025-2026", "2026-2027"])
def test_sample_years_validate_clean(year: str) -> None:
    done = lwtop("validate", str(SAMPLE_DATA / year))
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"Schooljaar:  {year}" in done.stdout
    assert "0 fouten" in done.stdout


def test_errors_give_exit_1_and_a_dutch_table(capsys: pytest.CaptureFixture[str]) -> None:
    files = [str(VALID / "groepen.csv"), str(VALID / "medewerkers.csv")]
    status = main(["validate", *files, str(IMPORTFILES / "invalid-unknown-group.csv")])
    out = capsys.readouterr().out
    assert status == 1
    assert "Groep 'G9' staat niet in het groepenbestand" in out
    assert "Los de fouten op" in out


def test_json_is_one_document_with_format_tables_findings(
    capsys: pytest.CaptureFixture[str],
) -> None:
    files = [str(VALID / "groepen.csv"), str(VALID / "medewerkers.csv")]
    status = main(["validate", *files, str(IMPORTFILES / "invalid-date.csv"), "--json"])
    document = json.loads(capsys.readouterr().out)
    assert status == 1
    assert set(document) == {"format", "tables", "findings", "enrolled_twice", "per_school", "las"}
    assert document["las"] is None  # no --las: the key is there all the same
    assert document["enrolled_twice"] == []  # one export: nobody at two schools
    assert document["per_school"] == []  # one school: no table per school
    assert document["format"] == "importfiles"
    assert document["tables"]["leerlingen"] == 3
    [bad] = document["findings"]
    assert set(bad) == set(FINDING_COLUMNS)
    assert (bad["code"], bad["row"], bad["column"]) == ("invalid-date", 4, "geboortedatum")


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"", "leeg.csv"),
        (b"%PDF-1.4 fake", "leerlingen.csv"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "leerlingen.xls"),
        (b"PK\x03\x04garbage", "leerlingen.xlsx"),
    ],
)
def test_unreadable_input_exit_2_one_line_no_traceback(
    tmp_path: Path, content: bytes, name: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    done = lwtop("validate", str(path))
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and str(path) in lines[0]
    assert "Traceback" not in done.stderr


def test_missing_path_and_bad_arguments_exit_2(tmp_path: Path) -> None:
    done = lwtop("validate", str(tmp_path / "weg.csv"))
    assert done.returncode == 2 and "bestaat niet" in done.stderr
    done = lwtop("validate")
    assert done.returncode == 2 and "ongeldige opdracht" in done.stderr
    done = lwtop("validate", str(VALID), "--format", "onbekend")
    assert done.returncode == 2 and "Traceback" not in done.stderr


def test_demo_runs_the_whole_flow_on_the_sample_school(tmp_path: Path) -> None:
    done = lwtop("demo", "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    for step in (
        "1. Controle van vorig jaar",
        "3. De overgang",
        "6. Stap 1: de uploadbundel",
        "7. Stap 1 bij een LAS die leerlingen laat klaarzetten",
        "9. Na de overgang",
    ):
        assert step in done.stdout
    written = {path.name for path in tmp_path.iterdir()}
    assert {
        "lwtop-99ZZ-2026-2027.zip",
        "overgang.xlsx",
        "toewijzing-leerkrachten.xlsx",
        "werklijst.xlsx",
    } <= written
    bundle = str(tmp_path / "lwtop-99ZZ-2026-2027.zip")  # the bundle is what verify expects
    assert f"lwtop verify --expected {bundle} --actual" in done.stdout
    assert "Alles is aangekomen zoals verwacht." in done.stdout
    assert "Traceback" not in done.stderr


def test_sample_command_writes_what_validates(tmp_path: Path) -> None:
    assert main(["sample", "--out", str(tmp_path)]) == 0
    for year in ("2025-2026", "2026-2027"):
        assert main(["validate", str(tmp_path / year)]) == 0


def test_a_clean_board_of_many_schools_is_summed_up_not_an_empty_table(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """More schools than the summary lists, none with findings: one line, not pandas' text
    for an empty table."""
    assert main(["sample", "--scale", "12000", "--geen-edexml", "--out", str(tmp_path)]) == 0
    capsys.readouterr()
    assert main(["validate", str(tmp_path / "2026-2027")]) == 0
    out = capsys.readouterr().out
    assert "Empty DataFrame" not in out and "Columns:" not in out
    line = next(line for line in out.splitlines() if line.startswith("Per school"))
    schools = int(line.split("(")[1].split()[0])
    assert schools > 20  # more than the summary lists one by one
    assert "geen school met bevindingen" in line
