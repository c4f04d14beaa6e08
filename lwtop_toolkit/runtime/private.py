"""Private folders that live only as long as the process that made them.

The app keeps a session's uploads and bundles in a folder of its own (`lwtop-<pid>-<start>-…` in
the system's temporary folder). The folder is removed when its owner closes it, when the process
ends normally (atexit) and when it is stopped by SIGTERM or SIGHUP. A process killed outright
(SIGKILL, a crash) cannot clean up: `sweep` removes the folders whose owner is gone, and only
those; it runs when the app starts and when a new folder is made. The owner is known by its pid
and its start time (so that a reused pid does not keep a dead process's folder).
"""

from __future__ import annotations

import atexit
import contextlib
import os
import re
import shutil
import signal
import tempfile
import threading
import weakref
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

PREFIX = "lwtop-"
NAME = re.compile(rf"^{re.escape(PREFIX)}(\d+)-(\d+)-")
SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))

_own: set[Path] = set()
_lock = threading.Lock()
_installed = False


def start_time(pid: int) -> str:
    """The start of process `pid` in clock ticks since boot (Linux), "0" when unknown."""
    fields = _stat_fields(pid)
    return fields[19] if fields and len(fields) > 19 else "0"


def _stat_fields(pid: int) -> list[str] | None:
    """The fields of /proc/<pid>/stat after the command name (state first), None without it."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    return text.rpartition(")")[2].split()


def owner_alive(pid: int, started: str) -> bool:
    """Whether the process that made a folder (`pid`, started at `started`) still runs."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: it exists
    fields = _stat_fields(pid)
    if fields is None:
        return True  # no /proc: the pid alone decides
    if fields[0] in ("Z", "X"):
        return False  # ended, only not yet reaped
    return started == "0" or len(fields) <= 19 or fields[19] == started


class PrivateFolder:
    """A new private folder of this process: removed by `cleanup`, when it is garbage, at exit
    and on SIGTERM/SIGHUP. Making one first sweeps the folders of processes that are gone."""

    def __init__(self, root: Path | None = None) -> None:
        root = root or Path(tempfile.gettempdir())
        sweep(root)
        pid = os.getpid()
        self.path = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{pid}-{start_time(pid)}-", dir=root))
        with _lock:
            _own.add(self.path)
        _install()
        self._finalizer = weakref.finalize(self, remove, self.path)

    def cleanup(self) -> None:
        """Remove the folder and everything in it (again: nothing happens)."""
        self._finalizer()


def remove(folder: Path) -> None:
    """Remove one private folder of this process."""
    shutil.rmtree(folder, ignore_errors=True)
    with _lock:
        _own.discard(folder)


def remove_own() -> None:
    """Remove every private folder this process still has."""
    with _lock:
        folders = list(_own)
    for folder in folders:
        remove(folder)


def sweep(root: Path | None = None) -> list[Path]:
    """Remove the private folders in `root` whose owning process is gone; return them.

    Folders of a running process, of another user and anything not named by this module are
    left alone.
    """
    root = root or Path(tempfile.gettempdir())
    removed: list[Path] = []
    try:
        entries = list(root.iterdir())
    except OSError:
        return removed
    uid = os.getuid() if hasattr(os, "getuid") else None
    for entry in entries:
        match = NAME.match(entry.name)
        if match is None:
            continue
        try:
            info = entry.lstat()
        except OSError:
            continue
        if not entry.is_dir() or entry.is_symlink() or (uid is not None and info.st_uid != uid):
            continue
        if not owner_alive(int(match[1]), match[2]):
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry)
    return removed


def _install() -> None:
    """Once per process: remove the folders at exit and on SIGTERM/SIGHUP (main thread only)."""
    global _installed
    with _lock:
        if _installed:
            return
        _installed = True
    atexit.register(remove_own)
    if threading.current_thread() is not threading.main_thread():
        return
    for number in SIGNALS:
        previous = signal.getsignal(number)
        if previous == signal.SIG_IGN:
            continue  # the process is meant to live on (nohup): so is its folder
        with contextlib.suppress(ValueError, OSError):
            signal.signal(number, _handler(previous))


def _handler(previous: Any) -> Callable[[int, FrameType | None], None]:
    def on_signal(number: int, frame: FrameType | None) -> None:
        remove_own()
        if callable(previous):
            previous(number, frame)
            return
        # the default action (end the process), as if we had not been here
        signal.signal(number, signal.SIG_DFL)
        os.kill(os.getpid(), number)

    return on_signal
