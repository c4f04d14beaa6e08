"""`--las X` means X's reader, with `--map`; `--map` is accepted wherever exports are read."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest
from las_tables import write

from lwtop_toolkit.cli.main import main, root_parser

# A Magister list as a school wrote it: `Leerlingnummer`, not Magister's own `Stamnummer`.
MAGISTER = [
    "Leerlingnummer;Roepnaam;Achternaam;Geboortedatum;Geslacht;Klas;Leerjaar;BRIN",
    "8001;Sem;Jansen;12-03-2012;M;1A;1;12AB",
    "8002;Noor;Bakker;13-04-2011;V;2B;2;12AB",
]
# The same with a number column that no alias knows.
UNNAMED = [line.replace("Leerlingnummer", "Nr", 1) for line in MAGISTER]


def _validate(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict]:
    status = main(["validate", "--json", *args])
    out = capsys.readouterr().out
    return status, json.loads(out) if out else {}


def test_las_magister_reads_with_the_magister_reader(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path / "2026-2027" / "leerlingen.csv", MAGISTER)
    status, document = _validate(capsys, "--las", "magister", str(path))
    assert status in (0, 1)
    assert document["format"] == "magister"
    assert document["tables"]["leerlingen"] == 2


def test_las_with_map_reads_a_list_its_reader_would_not_know(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path / "2026-2027" / "leerlingen.csv", UNNAMED)
    status, document = _validate(capsys, "--las", "magister", "--map", "Nr=leerling_id", str(path))
    assert status in (0, 1)
    assert document["format"] == "magister"
    assert document["tables"]["leerlingen"] == 2
    (path.parent / "lwtop.toml").write_text('[kolommen]\nNr = "leerling_id"\n', "utf-8")
    status, document = _validate(capsys, "--las", "magister", str(path.parent))
    assert document["format"] == "magister"


def test_las_without_a_matching_list_says_what_to_map(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path / "2026-2027" / "leerlingen.csv", UNNAMED)
    assert main(["validate", "--las", "magister", str(path)]) == 2
    err = capsys.readouterr().err
    assert "geen lezer voor magister herkent deze bestanden" in err.lower()
    assert "Magister (leerlingenlijst)" in err
    assert '--map "Nr=leerling_id"' in err


def test_preview_takes_map_and_las_for_both_years(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = write(tmp_path / "2025-2026" / "leerlingen.csv", UNNAMED)
    new = write(tmp_path / "2026-2027" / "leerlingen.csv", UNNAMED)
    args = ["--old", str(old), "--new", str(new), "--las", "magister", "--map", "Nr=leerling_id"]
    status = main(["preview", *args, "--json"])
    captured = capsys.readouterr()
    assert status in (0, 1), captured.err
    students = json.loads(captured.out)["students"]
    assert sorted(student["leerling_id"] for student in students) == ["8001", "8002"]


def _commands() -> dict[str, argparse.ArgumentParser]:
    [action] = [a for a in root_parser()._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(action.choices)


def test_map_is_accepted_wherever_an_export_is_read() -> None:
    readers = {
        name: parser
        for name, parser in _commands().items()
        if any("--format" in action.option_strings for action in parser._actions)
    }
    assert {"validate", "preview", "bundle", "worklist", "staff-sheet", "verify"} <= set(readers)
    for name, parser in readers.items():
        assert any("--map" in action.option_strings for action in parser._actions), name
