"""Progress bars (tqdm) for the steps that can take more than a second; quiet when asked.

Shown on a terminal (stderr) and in a notebook (tqdm's widget bar when ipywidgets is there);
off with `--quiet`, `set_quiet(True)`, the environment variable `LWTOP_QUIET=1`, or when
stderr is no terminal and no notebook is running (a pipe, a log file, CI).

A face with a bar of its own (the app's status line) listens with `reporting(listener)`: every
bar and every stage tells it how far it is, whether the bars are shown or not.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

T = TypeVar("T")
_quiet: bool | None = None  # None: decide from the environment
# (label, done, total): a bar or the stages `label` have `done` of `total` steps behind them.
Listener = Callable[[str, int, int | None], None]
_listeners: list[Listener] = []


@contextmanager
def reporting(listener: Listener) -> Iterator[None]:
    """Within the block, `listener` hears of every step of every bar and `stages`."""
    _listeners.append(listener)
    try:
        yield
    finally:
        _listeners.remove(listener)


def _tell(label: str, done: int, total: int | None) -> None:
    for listener in list(_listeners):
        listener(label, done, total)


def _told(items: Iterable[T], label: str, total: int | None) -> Iterator[T]:
    """`items`, each one told to the listeners once it is there."""
    if total is None and hasattr(items, "__len__"):
        total = len(items)  # type: ignore[arg-type]
    _tell(label, 0, total)
    for done, item in enumerate(items, start=1):
        _tell(label, done, total)
        yield item


def set_quiet(quiet: bool | None) -> None:
    """Turn progress bars off (True), on where they can be seen (False), or back to automatic."""
    global _quiet
    _quiet = quiet


def _in_notebook() -> bool:
    shell = sys.modules.get("IPython")
    if shell is None:
        return False
    try:
        ip = shell.get_ipython()
    except AttributeError:
        return False
    return ip is not None and type(ip).__name__ == "ZMQInteractiveShell"


def enabled() -> bool:
    """Whether progress bars are shown now."""
    if _quiet is not None:
        return not _quiet
    if os.environ.get("LWTOP_QUIET"):
        return False
    return _in_notebook() or bool(getattr(sys.stderr, "isatty", lambda: False)())


def _tqdm() -> Any:
    if _in_notebook():
        from tqdm.auto import tqdm
    else:
        from tqdm import tqdm
    return tqdm


def bar(items: Iterable[T], label: str, *, total: int | None = None, **options: Any) -> Iterator[T]:
    """`items`, with a progress bar labelled `label` (Dutch) when bars are enabled."""
    if _listeners:
        items = _told(items, label, total)
    if not enabled():
        yield from items
        return
    yield from _tqdm()(
        items, desc=label, total=total, unit=options.pop("unit", "school"), leave=False, **options
    )


@contextmanager
def stages(label: str, count: int) -> Iterator[Callable[[str], None]]:
    """A bar over the `count` steps of one long piece of work; `step(name)` says which runs now.

        with stages("controleren", 3) as step:
            step("leerlingen"); ...

    A step costs nothing when bars are off. For the work that is not a loop over schools:
    reading, validating and planning a whole board take seconds each.
    """
    if not enabled():
        if not _listeners:
            yield _no_step
            return
        done = 0

        def told(name: str) -> None:
            nonlocal done
            _tell(f"{label}: {name}", done, count)
            done += 1

        yield told
        return
    with _tqdm()(total=count, desc=label, unit="stap", leave=False) as progress:
        started = False

        def step(name: str) -> None:
            nonlocal started
            if started:
                progress.update(1)
            _tell(f"{label}: {name}", int(progress.n), count)
            started = True
            progress.set_postfix_str(name)

        yield step
        if started:
            progress.update(1)


def _no_step(name: str) -> None:
    del name
