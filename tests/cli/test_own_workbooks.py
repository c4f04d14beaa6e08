"""The toolkit's own workbooks are no exports: `lwtop validate overgang.xlsx` read the audit
workbook as a pupil list and reported hundreds of errors. Given alone, each of them (the audit
workbook, the staff workbook, the worklist, a board's overzicht.xlsx) is told in one Dutch line
with the command that reads it (exit 2); beside an export it is named in one finding and left
unread, and the export is read as without it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import SAMPLE_DATA

from lwtop_toolkit import read
from lwtop_toolkit.cli.main import main
from lwtop_toolkit.findings import ToolkitError

PAIR = ["--old", str(SAMPLE_DATA / "2025-2026"), "--new", str(SAMPLE_DATA / "2026-2027")]
# Each workbook and words of the line that tells what it is and which command reads it.
SAID = {
    "overgang.xlsx": ("controlewerkmap", "lwtop preview --xlsx"),
    "toewijzing.xlsx": ("leerkrachten", "lwtop staff-links"),
    "werklijst.xlsx": ("werklijst", "lwtop worklist-status"),
    "overzicht.xlsx": ("overzicht", "lwtop bundle"),
}


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The four workbooks as the commands write them, from the sample data (and a board)."""
    out = tmp_path_factory.mktemp("own")
    assert main(["preview", *PAIR, "--xlsx", str(out / "overgang.xlsx"), "--quiet"]) == 0
    assert main(["staff-sheet", *PAIR, "--out", str(out / "toewijzing.xlsx"), "--quiet"]) == 0
    assert main(["worklist", *PAIR, "--las", "parnassys-oso", "--out",
                 str(out / "werklijst.xlsx"), "--quiet"]) == 0  # fmt: skip
    board = out / "bestuur"
    assert main(["sample", "--scale", "800", "--geen-edexml", "--out", str(board), "--quiet"]) == 0
    bundles = out / "bundels"
    assert main(["bundle", "--old", str(board / "2025-2026"), "--new", str(board / "2026-2027"),
                 "--out", str(bundles), "--geen-werkmap", "--quiet"]) in (0, 1)  # fmt: skip
    shutil.copy(bundles / "overzicht.xlsx", out / "overzicht.xlsx")
    return {name: out / name for name in SAID} | {"bestuur": board}


def _json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict]:
    status = main([*argv, "--json", "--quiet"])
    return status, json.loads(capsys.readouterr().out)


@pytest.mark.produces("own-workbook-given")
@pytest.mark.parametrize("name", sorted(SAID))
def test_a_workbook_of_the_toolkit_given_alone_is_told_with_its_command(
    name: str, made: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    for argv in (["validate", str(made[name])], ["preview", "--old", str(made[name]), "--new",
                                                  str(SAMPLE_DATA / "2026-2027")]):  # fmt: skip
        assert main([*argv, "--quiet"]) == 2
        captured = capsys.readouterr()
        lines = captured.err.strip().splitlines()
        assert len(lines) == 1 and captured.out == ""
        for words in SAID[name]:
            assert words in lines[0]
        assert "geen export" in lines[0] and name in lines[0]
    with pytest.raises(ToolkitError) as refused:
        read([made[name]])
    assert refused.value.finding["code"] == "own-workbook-given"


@pytest.mark.produces("own-workbook")
@pytest.mark.parametrize("export", ["2026-2027", "magister/2026-2027"])
def test_workbooks_of_the_toolkit_beside_an_export_are_named_and_not_read(
    export: str, made: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "export"
    shutil.copytree(SAMPLE_DATA / export, folder)
    alone_status, alone = _json(capsys, "validate", str(folder))
    for name in SAID:
        shutil.copy(made[name], folder / name)
    status, beside = _json(capsys, "validate", str(folder))
    assert (status, beside["tables"], beside["format"]) == (
        alone_status,
        alone["tables"],
        alone["format"],
    )
    own = [found for found in beside["findings"] if found["code"] == "own-workbook"]
    assert sorted(Path(found["file"]).name for found in own) == sorted(SAID)
    assert all(found["severity"] == "info" for found in own)
    rest = [found for found in beside["findings"] if found["code"] != "own-workbook"]
    assert rest == alone["findings"]
    for found in own:
        name = Path(found["file"]).name
        assert all(words in found["message"] for words in SAID[name])


def test_a_board_overview_beside_the_school_folders_leaves_the_board_a_board(
    made: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    board = tmp_path / "2026-2027"
    shutil.copytree(made["bestuur"] / "2026-2027", board)
    alone_status, alone = _json(capsys, "validate", str(board))
    shutil.copy(made["overzicht.xlsx"], board / "overzicht.xlsx")
    status, beside = _json(capsys, "validate", str(board))
    assert (status, beside["tables"]) == (alone_status, alone["tables"])
    assert len(beside["per_school"]) == len(alone["per_school"]) == 2
    own = [found for found in beside["findings"] if found["code"] == "own-workbook"]
    assert [Path(found["file"]).name for found in own] == ["overzicht.xlsx"]
