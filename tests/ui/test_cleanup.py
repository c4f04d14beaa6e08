"""Nothing left behind: a session's private folder (uploads, bundles) lives as long as its process.

Real processes make a `ui.Session` (as the app's kernel does) in a temporary folder of their own
(TMPDIR), then end: normally, by SIGTERM, by SIGHUP, or killed outright. The browser test
(test_browser.py) covers Voila's side: a closed page's kernel is ended, a stopped app leaves
nothing.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# A kernel's life in short: make the session, say where its folder is, put a file in it, wait.
# SIGHUP as a kernel of the app has it (the default), also when this test run ignores it (nohup).
SESSION = """
import signal, sys, time
signal.signal(signal.SIGHUP, signal.SIG_DFL)
from lwtop_toolkit import ui
session = ui.Session()
(session.root / "leerlingen.csv").write_text("Stamnummer;Achternaam\\n1;Jansen\\n")
print(session.root, flush=True)
if sys.argv[1] == "wait":
    time.sleep(120)
"""


class Owner:
    """A process holding a session, in `tmp` (its TMPDIR)."""

    def __init__(self, tmp: Path, mode: str = "wait") -> None:
        env = dict(os.environ, TMPDIR=str(tmp))
        self.process = subprocess.Popen(
            [sys.executable, "-c", SESSION, mode], env=env, stdout=subprocess.PIPE, text=True
        )
        assert self.process.stdout is not None
        self.folder = Path(self.process.stdout.readline().strip())
        assert self.folder.parent == tmp
        if mode == "wait":
            assert (self.folder / "leerlingen.csv").exists()

    def end(self, number: int) -> None:
        self.process.send_signal(number)
        self.process.wait(timeout=30)


@pytest.fixture
def tmp(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "tmp"
    folder.mkdir()
    yield folder


def _ours(tmp: Path) -> list[str]:
    return sorted(entry.name for entry in tmp.iterdir() if entry.name.startswith("lwtop-"))


def test_a_session_that_ends_normally_removes_its_folder(tmp: Path) -> None:
    owner = Owner(tmp, mode="exit")
    assert owner.process.wait(timeout=30) == 0
    assert _ours(tmp) == []


@pytest.mark.parametrize("name", ["SIGTERM", "SIGHUP"])
def test_a_session_stopped_by_a_signal_removes_its_folder(tmp: Path, name: str) -> None:
    number = getattr(signal, name)
    owner = Owner(tmp)
    owner.end(number)
    assert owner.process.returncode == -number  # it still ends as the signal says
    assert not owner.folder.exists()
    assert _ours(tmp) == []


def test_a_killed_session_is_swept_by_the_next_one_and_a_live_one_is_kept(tmp: Path) -> None:
    killed, alive = Owner(tmp), Owner(tmp)
    try:
        killed.end(signal.SIGKILL)
        assert killed.folder.exists()  # nobody could clean up: the next start does
        later = Owner(tmp, mode="exit")
        assert later.process.wait(timeout=30) == 0
        assert not killed.folder.exists()
        assert (alive.folder / "leerlingen.csv").exists()  # its owner still runs
    finally:
        alive.end(signal.SIGTERM)
    assert _ours(tmp) == []


def test_the_sweep_leaves_what_is_not_ours(tmp: Path) -> None:
    """A folder of another program, or one that only looks like ours, is never touched."""
    from lwtop_toolkit.runtime import private

    strangers = [tmp / "lwtop-notes", tmp / "voila_abc", tmp / "lwtop-12-x"]
    for folder in strangers:
        folder.mkdir()
    (tmp / "lwtop-999999999-1-file").write_text("een bestand, geen map")
    assert private.sweep(tmp) == []
    assert all(folder.exists() for folder in strangers)
    assert (tmp / "lwtop-999999999-1-file").exists()
