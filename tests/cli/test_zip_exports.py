"""A zipped export is read as the app reads it: `lwtop validate export.zip` (and every command
that takes export paths) unpacks it into a private temporary folder, removed afterwards, with
its folders kept (a board's zip of school folders is the same board as the folder), names its
files by the zip, never by the temporary folder, and refuses an unsafe zip (a zip bomb, a member
outside the folder) in one Dutch line. `lwtop validate export.zip` refused every zip."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import SAMPLE_DATA

from lwtop_toolkit.cli.main import main


def zipped(folder: Path, target: Path) -> Path:
    """`folder` zipped as a coordinator zips it: the folder itself at the top."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            archive.write(path, path.relative_to(folder.parent).as_posix())
    return target


def _json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict]:
    status = main([*argv, "--json", "--quiet"])
    return status, json.loads(capsys.readouterr().out)


def _findings(document: dict) -> list[tuple[str, str, str, str]]:
    return sorted(
        (Path(found["file"]).name, str(found["row"]), found["column"], found["code"])
        for found in document["findings"]
    )


@pytest.fixture(scope="module")
def board(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A board of two schools (a folder per school in each year's folder)."""
    folder = tmp_path_factory.mktemp("board")
    assert main(["sample", "--scale", "800", "--geen-edexml", "--out", str(folder), "--quiet"]) == 0
    return folder


def test_a_zipped_las_export_reads_as_its_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = SAMPLE_DATA / "somtoday" / "2026-2027"
    archive = zipped(folder, tmp_path / "export.zip")
    status, from_zip = _json(capsys, "validate", str(archive))
    folder_status, from_folder = _json(capsys, "validate", str(folder))
    assert (status, from_zip["format"], from_zip["tables"]) == (
        folder_status,
        from_folder["format"],
        from_folder["tables"],
    )
    assert from_zip["tables"]["leerlingen"] > 0
    assert _findings(from_zip) == _findings(from_folder)
    files = {found["file"] for found in from_zip["findings"] if found["file"]}
    assert files and all(file.startswith(f"{archive}/2026-2027/") for file in files), files
    assert main(["validate", str(archive), "--quiet"]) == folder_status
    assert "lwtop_zip_" not in capsys.readouterr().out  # never the temporary folder


def test_a_board_zip_of_school_folders_is_the_same_board(
    board: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = zipped(board / "2025-2026", tmp_path / "vorig.zip")
    new = zipped(board / "2026-2027", tmp_path / "nieuw.zip")
    status, from_zip = _json(capsys, "validate", str(new))
    folder_status, from_folder = _json(capsys, "validate", str(board / "2026-2027"))
    assert (status, from_zip["tables"]) == (folder_status, from_folder["tables"])
    assert from_zip["per_school"] == from_folder["per_school"]
    assert len(from_zip["per_school"]) == 2
    # the bundles made from the zips are byte for byte those made from the folders
    for name, pair in (("zip", [old, new]), ("map", [board / "2025-2026", board / "2026-2027"])):
        argv = ["bundle", "--old", str(pair[0]), "--new", str(pair[1])]
        assert main([*argv, "--out", str(tmp_path / name), "--quiet"]) == 0
    capsys.readouterr()
    made = {path.name: path.read_bytes() for path in (tmp_path / "zip").iterdir()}
    assert made == {path.name: path.read_bytes() for path in (tmp_path / "map").iterdir()}
    assert len([name for name in made if name.endswith(".zip")]) == 2


def _bomb(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("2026-2027/leerlingen.csv", b"0" * (64 * 1024 * 1024))
    return path


def _escape(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("../buiten.csv", "leerling_id;achternaam\n1;Jansen\n")
    return path


@pytest.mark.parametrize(
    ("make", "said"),
    [(_bomb, "dat is geen gewone export"), (_escape, "pad buiten de map")],
    ids=["bomb", "escape"],
)
def test_an_unsafe_zip_is_refused_in_one_dutch_line_and_nothing_stays_behind(
    make: object, said: str, tmp_path: Path
) -> None:
    assert callable(make)
    archive = make(tmp_path / "export.zip")
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    done = subprocess.run(
        [sys.executable, "-m", "lwtop_toolkit.cli", "validate", str(archive)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "TMPDIR": str(scratch)},
    )
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and said in lines[0] and str(archive) in lines[0]
    assert "Traceback" not in done.stderr and done.stdout == ""
    assert not (tmp_path / "buiten.csv").exists()
    assert list(scratch.iterdir()) == []  # the private folder is gone


def test_the_private_folder_goes_after_a_run(tmp_path: Path) -> None:
    archive = zipped(SAMPLE_DATA / "2026-2027", tmp_path / "export.zip")
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    done = subprocess.run(
        [sys.executable, "-m", "lwtop_toolkit.cli", "validate", str(archive), "--json"],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "TMPDIR": str(scratch)},
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["tables"]["leerlingen"] == 247
    assert str(scratch) not in done.stdout
    assert list(scratch.iterdir()) == []
