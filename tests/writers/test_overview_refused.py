"""A board's overview `overzicht.xlsx` sums up bundles to upload: when every bundle was refused
there is nothing to upload, and no overview is written that looks like a result."""

from __future__ import annotations

from pathlib import Path

import pytest

from lwtop_toolkit.cli.main import main
from lwtop_toolkit.samples.board import generate_board
from lwtop_toolkit.samples.board_files import write_board

OLD, NEW = "2025-2026", "2026-2027"


def _spoil_birth_date(path: Path) -> None:
    """The first pupil of a pupil list gets a birth date that is no date (an error)."""
    lines = path.read_text(encoding="utf-8-sig").split("\n")
    header = lines[0].split(";")
    cells = lines[1].split(";")
    cells[header.index("geboortedatum")] = "31-02-2019"
    lines[1] = ";".join(cells)
    path.write_text("\n".join(lines), encoding="utf-8-sig")


@pytest.fixture
def board(tmp_path: Path) -> Path:
    """Two schools of 60 pupils."""
    folder = tmp_path / "bestuur"
    write_board(generate_board(120, seed=3, school_size=60), folder, formats=["csv"])
    return folder


def _run(board: Path, out: Path) -> int:
    return main(["bundle", "--old", str(board / OLD), "--new", str(board / NEW), "--out", str(out)])


def test_no_overview_when_every_bundle_is_refused(
    board: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    schools = sorted(path.name for path in (board / NEW).iterdir())
    for school in schools:
        _spoil_birth_date(board / NEW / school / "leerlingen.csv")
    out = tmp_path / "bundels"
    assert _run(board, out) == 1
    text = capsys.readouterr().out
    assert text.count("GEWEIGERD") == len(schools) == 2
    assert not (out / "overzicht.xlsx").exists()
    assert not out.exists() or list(out.iterdir()) == []  # no bundle and no overview
    assert "Geen overzicht.xlsx geschreven" in text and "niets om te uploaden" in text
    assert "Overzicht van alle scholen" not in text


def test_an_overview_of_an_earlier_run_is_named_as_such(
    board: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One school refused: the overview is written (a bundle to upload). Then both refused: the
    overview of that run stays as it was, and the report says it is of an earlier run."""
    _spoil_birth_date(board / NEW / "58FP" / "leerlingen.csv")
    out = tmp_path / "bundels"
    assert _run(board, out) == 1
    text = capsys.readouterr().out
    assert "Overzicht van alle scholen" in text and "Geen overzicht" not in text
    earlier = (out / "overzicht.xlsx").read_bytes()
    _spoil_birth_date(board / NEW / "86XY" / "leerlingen.csv")
    assert _run(board, out) == 1
    text = capsys.readouterr().out
    assert (out / "overzicht.xlsx").read_bytes() == earlier  # left as it was, not rewritten
    assert "Geen overzicht.xlsx geschreven" in text and "van een eerdere run" in text
