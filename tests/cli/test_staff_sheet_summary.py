"""lwtop staff-sheet's summary uses the school's word for a year, as its workbook does: a VO
school's suggestion is 'zelfde leerjaar vorig jaar', a PO school's 'zelfde jaargroep vorig jaar'."""

from __future__ import annotations

from pathlib import Path

import pytest

from lwtop_toolkit.cli.main import main

SAMPLES = Path(__file__).resolve().parents[2] / "sample_data"


@pytest.mark.parametrize(("las", "word"), [("magister", "leerjaar"), ("schooloas", "jaargroep")])
def test_the_summary_names_the_year_as_the_school_does(
    las: str, word: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = SAMPLES / las
    args = ["--old", str(base / "2025-2026"), "--new", str(base / "2026-2027")]
    main(["staff-sheet", *args, "--out", str(tmp_path / "werkmap.xlsx")])
    summary = next(line for line in capsys.readouterr().out.splitlines() if "Voorstellen" in line)
    assert f"zelfde {word} vorig jaar" in summary
