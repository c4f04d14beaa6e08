"""Output piped into `head` does not change the outcome: a reader that stops after the first line
closes the pipe, and `lwtop` still ends with the status of its data (1 when it has errors),
without a traceback. It sometimes ended with 0 (the broken pipe was taken for success)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SAMPLE_DATA

RUNS = 3  # the moment the pipe closes varies from run to run


@pytest.fixture(scope="module")
def export_with_errors(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample school's new year with a birth date and a sex that are none in every pupil's
    row: two errors per pupil, so that `--json` writes far more than a pipe holds."""
    folder = tmp_path_factory.mktemp("pipe") / "2026-2027"
    shutil.copytree(SAMPLE_DATA / "2026-2027", folder)
    pupils = folder / "leerlingen.csv"
    lines = pupils.read_text(encoding="utf-8-sig").splitlines()
    header = lines[0].split(";")
    columns = [header.index("geboortedatum"), header.index("geslacht")]
    rows = []
    for line in lines[1:]:
        cells = line.split(";")
        for column in columns:
            cells[column] = "onbekend"
        rows.append(";".join(cells))
    pupils.write_text("\n".join([lines[0], *rows]) + "\n", encoding="utf-8")
    return folder


def _first_line_then_close(arguments: list[str]) -> tuple[int, str, str]:
    """Run `lwtop` with its stdout in a pipe that is closed after the first line."""
    process = subprocess.Popen(
        [sys.executable, "-m", "lwtop_toolkit.cli", *arguments],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline().decode("utf-8")
    process.stdout.close()
    error = process.stderr.read().decode("utf-8")
    return process.wait(), first, error


@pytest.mark.parametrize("json", [True, False], ids=["json", "text"])
def test_a_closed_pipe_keeps_the_exit_status_of_the_data(
    export_with_errors: Path, json: bool
) -> None:
    arguments = ["validate", str(export_with_errors), "--quiet", *(["--json"] if json else [])]
    whole = subprocess.run(
        [sys.executable, "-m", "lwtop_toolkit.cli", *arguments], capture_output=True, check=False
    )
    assert whole.returncode == 1  # errors in the data
    if json:
        assert len(whole.stdout) > 128 * 1024  # more than a pipe holds
    for _ in range(RUNS):
        status, first, error = _first_line_then_close(arguments)
        assert first.strip()
        assert status == 1, error
        assert "Traceback" not in error and "BrokenPipeError" not in error
        assert error == ""
