"""Progress bars (tqdm) for the steps that can take more than a second; quiet when asked.

Shown on a terminal (stderr) and in a notebook (tqdm's widget bar when ipywidgets is there);
off with `--quiet`, `set_quiet(True)`, the environment variable `LWTOP_QUIET=1`, or when
stderr is no terminal and no notebook is running (a pipe, a log file, CI).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

T = TypeVar("T")
_quiet: bool | None = None  # None: decide from the environment


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


def bar(items: Iterable[T], label: str, *, total: int | None = None, **options: Any) -> Iterator[T]:
    """`items`, with a progress bar labelled `label` (Dutch) when bars are enabled."""
    if not enabled():
        yield from items
        return
    if _in_notebook():
        from tqdm.auto import tqdm
    else:
        from tqdm import tqdm
    yield from tqdm(
        items, desc=label, total=total, unit=options.pop("unit", "school"), leave=False, **options
    )


def add_quiet_argument(parser: Any) -> None:
    """`--quiet` on a command that reads data: no progress bars."""
    parser.add_argument("--quiet", action="store_true", help="toon geen voortgangsbalken")
