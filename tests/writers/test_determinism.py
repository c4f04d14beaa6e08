"""The same input gives byte-identical output on every command that writes, whatever the hash
seed; and a failure in the middle of writing leaves no output file and no temporary file.

Determinism runs every writing command twice, in two processes with different PYTHONHASHSEEDs
(so that the order of a set cannot slip into a file). Atomicity makes the disk fail halfway
(after half the bytes; after all bytes, before the rename) and makes one of our serialising
steps fail, then looks at the output folder.
"""

from __future__ import annotations

import errno
import gc
import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import SAMPLE_DATA, tree_bytes

from lwtop_toolkit.cli.main import main

OLD, NEW = str(SAMPLE_DATA / "2025-2026"), str(SAMPLE_DATA / "2026-2027")
LAS_OLD = str(SAMPLE_DATA / "magister" / "2025-2026")
LAS_NEW = str(SAMPLE_DATA / "magister" / "2026-2027")
BUNDLE = "lwtop-99ZZ-2026-2027.zip"


def commands(out: Path) -> list[list[str]]:
    """Every command that writes, with its output under `out`."""
    pair = ["--old", OLD, "--new", NEW]
    sheet = str(out / "toewijzing.xlsx")
    return [
        ["sample", "--out", str(out / "voorbeeld")],
        ["sample", "--las", "alle", "--out", str(out / "voorbeeld-las")],
        ["bundle", *pair, "--out", str(out / "bundel")],
        ["preview", *pair, "--xlsx", str(out / "overgang.xlsx"), "--png", str(out / "stroom.png")],
        ["staff-sheet", *pair, "--out", sheet],
        ["staff-links", sheet, "--new", NEW, "--out", str(out / "koppelingen.csv")],
        ["worklist", "--old", LAS_OLD, "--new", LAS_NEW, "--las", "magister", "--out",
         str(out / "werklijst.xlsx")],
    ]  # fmt: skip


RUN_ALL = (
    "import json, sys\n"
    "from lwtop_toolkit.cli.main import main\n"
    "statuses = [main(command) for command in json.loads(sys.argv[1])]\n"
    "print(json.dumps(statuses))\n"
)


def _start(out: Path, seed: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    return subprocess.Popen(
        [sys.executable, "-c", RUN_ALL, json.dumps(commands(out))],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_every_writing_command_is_byte_identical_across_runs(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    runs = [_start(first, "1"), _start(second, "2")]  # two processes, side by side
    for run in runs:
        out, err = run.communicate(timeout=600)
        assert run.returncode == 0, err
        assert all(status in (0, 1) for status in json.loads(out.splitlines()[-1])), err
    one, two = tree_bytes(first), tree_bytes(second)
    assert sorted(one) == sorted(two)
    expected = {
        "voorbeeld/2026-2027/leerlingen.csv", "voorbeeld-las/magister/2026-2027/docenten.csv",
        f"bundel/{BUNDLE}", "overgang.xlsx", "stroom.png", "stroom.svg", "toewijzing.xlsx",
        "koppelingen.csv", "werklijst.xlsx",
    }  # fmt: skip
    assert expected <= set(one)
    different = [name for name in one if one[name] != two[name]]
    assert different == []


# --- atomicity ---------------------------------------------------------------------------------


def _leftovers(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.rglob("*") if path.is_file())


class _HalfWritten:
    """A file that takes half of what is written to it, then reports a full disk."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream

    def __enter__(self) -> _HalfWritten:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stream.close()

    def write(self, data: bytes) -> int:
        self.stream.write(data[: len(data) // 2])
        self.stream.flush()
        raise OSError(errno.ENOSPC, "No space left on device")

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


def _half_write(monkeypatch: pytest.MonkeyPatch) -> None:
    real = os.fdopen

    def fdopen(fd: int, *args: Any, **kwargs: Any) -> Any:
        return _HalfWritten(real(fd, *args, **kwargs))

    monkeypatch.setattr(os, "fdopen", fdopen)


def _fail_before_rename(monkeypatch: pytest.MonkeyPatch) -> None:
    def fsync(fd: int) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "fsync", fsync)


FAILURES: dict[str, Callable[[pytest.MonkeyPatch], None]] = {
    "half-written": _half_write,
    "written-not-renamed": _fail_before_rename,
}


@pytest.fixture(scope="module")
def filled_sheet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("werkmap") / "toewijzing.xlsx"
    assert main(["staff-sheet", "--old", OLD, "--new", NEW, "--out", str(path)]) == 0
    return path


def writing(out: Path, sheet: Path) -> Iterator[tuple[str, list[str], str]]:
    """(name, command, the file it writes) for each writing command."""
    pair = ["--old", OLD, "--new", NEW]
    yield "bundle", ["bundle", *pair, "--out", str(out), "--force"], BUNDLE  # replace the old
    yield "preview", ["preview", *pair, "--xlsx", str(out / "overgang.xlsx")], "overgang.xlsx"
    yield "staff-sheet", ["staff-sheet", *pair, "--out", str(out / "w.xlsx")], "w.xlsx"
    links = ["staff-links", str(sheet), "--new", NEW, "--out", str(out / "k.csv")]
    yield "staff-links", links, "k.csv"
    yield "sample", ["sample", "--out", str(out)], "2025-2026/groepen.csv"


@pytest.mark.parametrize("failure", sorted(FAILURES))
@pytest.mark.parametrize("name", ["bundle", "preview", "staff-sheet", "staff-links", "sample"])
def test_a_disk_failure_halfway_leaves_no_file_and_keeps_the_old_one(
    name: str,
    failure: str,
    filled_sheet: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "uit"
    command, target = next((c, t) for n, c, t in writing(out, filled_sheet) if n == name)
    old = out / target
    old.parent.mkdir(parents=True)
    old.write_bytes(b"de vorige versie")
    FAILURES[failure](monkeypatch)
    status = main(command)
    monkeypatch.undo()
    err = capsys.readouterr().err
    assert status == 2
    assert err.count("\n") == 1 and "Het bestand kan niet geschreven worden" in err
    assert old.read_bytes() == b"de vorige versie"  # the old file stays whole
    assert _leftovers(out) == [old.name]  # no new file, no temporary file


# openpyxl's half-consumed row generators complain when they are collected: expected here.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_failing_serialising_step_leaves_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from lwtop_toolkit.writers import audit

    real = audit._finding_rows

    def broken(findings: Any) -> Iterator[Any]:
        rows = real(findings)
        yield next(rows)
        raise RuntimeError("stuk halverwege de werkmap")

    monkeypatch.setattr(audit, "_finding_rows", broken)
    out = tmp_path / "uit"
    pair = ["--old", OLD, "--new", NEW]
    for command in (
        ["preview", *pair, "--xlsx", str(out / "overgang.xlsx")],
        ["bundle", *pair, "--out", str(out / "bundel")],
    ):
        assert main(command) == 2
        err = capsys.readouterr().err
        assert "Traceback" not in err and err.startswith("lwtop: ")
    assert not out.exists() or _leftovers(out) == []
    gc.collect()  # the abandoned generators complain now, under this test's filter
