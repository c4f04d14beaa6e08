"""`lwtop demo` fits a terminal: reading back the worklist (step 8) printed all 278 open rows and
pushed the rest of the demo off the screen. It sums up what is open and points to the file that
holds every row."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

SUMMARY_LINES = 20  # the open rows summed up: counts and a few first rows


def test_the_demo_sums_up_the_open_worklist_and_points_to_the_file(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "lwtop_toolkit.cli", "demo", "--out", str(tmp_path), "--quiet"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    steps = re.split(r"^=== \d+\. ", done.stdout, flags=re.MULTILINE)
    step8 = next(step for step in steps if step.startswith("De werklijst teruglezen"))
    lines = [line for line in step8.splitlines()[1:] if line.strip()]
    assert len(lines) <= SUMMARY_LINES, step8
    assert "Nog open (278)" in step8  # every open row counted
    assert re.search(r"247 +klaarzetten", step8) and re.search(r"31 +", step8)
    worklist = tmp_path / "werklijst.xlsx"
    assert f"{worklist}" in step8.split("Nog open", 1)[1]  # where every row is
    assert "--json" in step8
    assert len(done.stdout.splitlines()) < 250  # was 479
