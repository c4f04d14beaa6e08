"""A board's `lwtop preview --xlsx`: one audit workbook and one overview picture of all its
schools (pupils by year, last year -> this year), not a picture per school; those only with
`--png-per-school MAP`, drawn under a progress bar and summed up as a folder and a count."""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest
from conftest import SAMPLE_DATA

from lwtop_toolkit.cli.main import main

OLD, NEW = "2025-2026", "2026-2027"


@pytest.fixture(scope="module")
def board(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("bestuur")
    argv = ["sample", "--scale", "1500", "--out", str(folder), "--geen-edexml", "--quiet"]
    assert main(argv) == 0
    assert len(list((folder / NEW).iterdir())) >= 3
    return folder


def _preview(board: Path, *options: str) -> list[str]:
    return ["preview", "--old", str(board / OLD), "--new", str(board / NEW), *options]


def _written(out: str) -> list[str]:
    return [line for line in out.splitlines() if line.startswith(("Geschreven", "Doorstroom"))]


def test_a_board_gets_one_workbook_and_one_overview_picture(
    board: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "uit"
    main(_preview(board, "--xlsx", str(out / "overgang.xlsx"), "--quiet"))
    files = sorted(path.name for path in out.iterdir())
    assert files == ["overgang-doorstroom.png", "overgang-doorstroom.svg", "overgang.xlsx"]
    svg = (out / "overgang-doorstroom.svg").read_text(encoding="utf-8")
    schools = len(list((board / NEW).iterdir()))
    assert f"alle {schools} scholen" in svg
    assert "groep 1 (" in svg and "groep 8 (" in svg and "nieuw op school (" in svg
    assert "uitgestroomd (" in svg
    [line] = _written(capsys.readouterr().out)
    assert line == (
        f"Geschreven: {out / 'overgang.xlsx'}, {out / 'overgang-doorstroom.png'}, "
        f"{out / 'overgang-doorstroom.svg'}"
    )


def test_pictures_per_school_only_on_request_and_summed_up_as_a_folder(
    board: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, per_school = tmp_path / "uit", tmp_path / "uit" / "per-school"
    argv = _preview(board, "--xlsx", str(out / "overgang.xlsx"), "--png-per-school")
    main([*argv, str(per_school), "--quiet"])
    schools = sorted(path.name for path in (board / NEW).iterdir())
    pictures = sorted(path.name for path in per_school.iterdir())
    assert pictures == sorted(f"{school}00.{kind}" for school in schools for kind in ("png", "svg"))
    assert (out / "overgang-doorstroom.png").exists()  # the board's overview as well
    lines = _written(capsys.readouterr().out)
    assert lines[1] == (f"Doorstroomplaatjes per school: {len(pictures)} bestanden in {per_school}")
    assert all(len(line) < 300 for line in lines)


def test_drawing_the_pictures_per_school_shows_a_progress_bar(board: Path, tmp_path: Path) -> None:
    """On a terminal (stderr a tty of 100 columns) tqdm draws a bar while the pictures are
    drawn."""
    parent, child = pty.openpty()
    fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    argv = [sys.executable, "-m", "lwtop_toolkit.cli"]
    argv += _preview(board, "--png-per-school", str(tmp_path / "per-school"))
    env = {key: value for key, value in os.environ.items() if key != "LWTOP_QUIET"}
    run = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=child, env=env)
    os.close(child)  # the command holds the terminal now; its end ends the reading
    shown = bytearray()
    while True:
        try:
            chunk = os.read(parent, 4096)
        except OSError:  # the command has ended and closed the terminal
            break
        if not chunk:
            break
        shown.extend(chunk)
    os.close(parent)
    assert run.wait() in (0, 1)
    text = shown.decode("utf-8", errors="replace")
    assert "doorstroomplaatjes" in text and "school" in text


def test_one_school_keeps_its_one_picture(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = SAMPLE_DATA / OLD, SAMPLE_DATA / NEW
    main(["preview", "--old", str(old), "--new", str(new), "--xlsx", str(tmp_path / "o.xlsx")])
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "o-doorstroom.png", "o-doorstroom.svg", "o.xlsx",
    ]  # fmt: skip
    svg = (tmp_path / "o-doorstroom.svg").read_text(encoding="utf-8")
    assert "1/2A (" in svg and "scholen" not in svg
    capsys.readouterr()


def test_a_plan_scoped_to_a_dossier_draws_its_picture(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With --dossier the pupils without one have their own status; where they went is the
    exports' matter, as in the workbook's Doorstroom (was: 'onverwachte fout (KeyError)')."""
    old, new = SAMPLE_DATA / OLD, SAMPLE_DATA / NEW
    argv = ["preview", "--old", str(old), "--new", str(new), "--dossier", str(old)]
    assert main([*argv, "--png", str(tmp_path / "d.png"), "--quiet"]) == 0
    assert (tmp_path / "d.png").read_bytes()[:4] == b"\x89PNG"
    assert "onverwachte fout" not in capsys.readouterr().err
