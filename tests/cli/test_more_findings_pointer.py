"""When a table of findings is cut, it points to the `--json` of the command that printed it:
`lwtop preview` used to send the coordinator to `lwtop validate --json`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lwtop_toolkit.cli.main import main

SAMPLES = Path(__file__).resolve().parents[2] / "sample_data"


def _broken_birth_dates(folder: Path, count: int) -> None:
    pupils = folder / "leerlingen.csv"
    lines = pupils.read_text(encoding="utf-8").splitlines()
    header = lines[0].lstrip("\ufeff").split(";")
    born = header.index("geboortedatum")
    for number in range(1, count + 1):
        cells = lines[number].split(";")
        cells[born] = "31-02-2019"  # no such day: a finding per row
        lines[number] = ";".join(cells)
    pupils.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_preview_points_to_its_own_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    new = tmp_path / "2026-2027"
    shutil.copytree(SAMPLES / "2026-2027", new)
    _broken_birth_dates(new, 25)
    main(["preview", "--old", str(SAMPLES / "2025-2026"), "--new", str(new)])
    out = capsys.readouterr().out
    assert "(alle: lwtop preview --json)" in out
    assert "lwtop validate --json" not in out
