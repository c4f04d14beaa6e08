"""A file that cannot be written is told in Dutch with advice for its reason: a folder where
the file should go, or a file where a folder should be, is not asked whether it is still open in
Excel (that question is for a file another program may hold)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SAMPLE_DATA

from lwtop_toolkit.cli.main import main

PAIR = ["--old", str(SAMPLE_DATA / "2025-2026"), "--new", str(SAMPLE_DATA / "2026-2027")]


@pytest.mark.parametrize(
    ("make", "target", "words"),
    [
        ("folder", "overgang.xlsx", "er staat een map met die naam"),
        ("file", "notities.txt/overgang.xlsx", "een deel van het pad is een bestand"),
    ],
)
def test_a_write_failure_says_why_and_what_to_do_in_dutch(
    make: str, target: str, words: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if make == "folder":
        (tmp_path / target).mkdir()
    else:
        (tmp_path / target.split("/")[0]).write_text("aantekeningen", encoding="utf-8")
    status = main(["preview", *PAIR, "--xlsx", str(tmp_path / target), "--quiet"])
    err = capsys.readouterr().err
    assert status == 2
    assert words in err
    assert "Excel" not in err  # not the question for a file that may be open
    assert "File exists" not in err and "Is a directory" not in err  # no English OS text
