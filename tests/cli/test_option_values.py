"""Option values that cannot mean what the coordinator wants are refused before anything runs:
one Dutch line, exit 2, nothing written. `--scale -5` ended in an English ValueError and
`--scale 0` was ignored; `--xlsx x.txt` wrote a workbook named .txt and `--png flow.jpg` wrote
flow.png; `--all-pupils` without `--dossier` was accepted without a word."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SAMPLE_DATA

from lwtop_toolkit.cli.main import main

PAIR = ["--old", str(SAMPLE_DATA / "2025-2026"), "--new", str(SAMPLE_DATA / "2026-2027")]


@pytest.mark.parametrize(
    ("arguments", "words"),
    [
        (["sample", "--scale", "-5"], "1 of meer"),
        (["sample", "--scale", "0"], "1 of meer"),
        (["sample", "--scale", "veel"], "geen geheel getal"),
        (["preview", *PAIR, "--xlsx", "OUT/overgang.txt"], "moet eindigen op .xlsx"),
        (["preview", *PAIR, "--png", "OUT/doorstroom.jpg"], "moet eindigen op .png"),
        (["bundle", *PAIR, "--out", "OUT", "--all-pupils"], "alleen met --dossier"),
    ],
)
def test_a_meaningless_option_value_is_refused_in_one_dutch_line(
    arguments: list[str], words: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "uit"
    argv = [argument.replace("OUT", str(out)) for argument in arguments]
    if argv[0] == "sample":
        argv += ["--out", str(out)]
    with pytest.raises(SystemExit) as stopped:
        main(argv)
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert words in err and "ongeldige opdracht" in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert not out.exists()  # nothing written
