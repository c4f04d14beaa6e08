"""A long step of a panel (the bundles, the audit workbook, the staff workbook): its button
cannot be clicked again while it runs, and its status line's bar moves as the work does.

The package's own progress bars (`runtime.progress`: per school of a board, per stage) are
heard through `reporting` and placed in a window of the step's bar: `Windows` names, per bar
label, the part of the bar it fills. The step's own stages (`Progress`: a text and a fraction)
move it too; the bar never goes back.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import ipywidgets as widgets

from lwtop_toolkit.runtime.progress import reporting
from lwtop_toolkit.ui.common import StatusLine, run_safely

Progress = Callable[[str, float], None]
Windows = Mapping[str, tuple[float, float]]
# The bars of the package, by label (before a stage's `:`), and what the step's bar says.
BAR_TEXTS = {
    "per school verdelen": "de leerlingen per school verdelen",
    "overgang plannen": "de overgang per school berekenen",
    "overgangswerkmappen en bundels": "per school de overgangswerkmap en de bundel",
    "bundels samenstellen": "per school de bundel samenstellen",
    "scholen één voor één": "de scholen één voor één bundelen",
    "bundels schrijven": "de bundels opslaan",
}
# Where the bundle's bars sit on its bar: most of the time goes to a school's workbook and zip.
BUNDLE_WINDOWS: Windows = {
    "per school verdelen": (0.05, 0.15),
    "overgang plannen": (0.15, 0.3),
    "overgangswerkmappen en bundels": (0.3, 0.9),
    "bundels samenstellen": (0.3, 0.9),
    "scholen één voor één": (0.05, 0.9),
    "bundels schrijven": (0.9, 0.98),
}


class Meter:
    """One bar for a step: its own stages and the package's bars, forward only."""

    def __init__(self, status: StatusLine, title: str, windows: Windows) -> None:
        self.status, self.title, self.windows = status, title, windows
        self.fraction = 0.0

    def progress(self, text: str, fraction: float) -> None:
        """The step's own stage `text`, `fraction` (0-1) of the way."""
        self.fraction = max(self.fraction, fraction)
        self.status.progress(text, self.fraction)

    def heard(self, label: str, done: int, total: int | None) -> None:
        """A bar of the package: `done` of `total` of its steps behind it."""
        name = label.split(":", 1)[0]
        window = self.windows.get(name)
        if window is None:
            return
        start, end = window
        share = done / total if total else 0.0
        count = f" ({done} van {total})" if total and total > 1 else ""
        self.progress(
            f"{self.title}: {BAR_TEXTS.get(name, name).lower()}{count}",
            start + (end - start) * share,
        )


def long_step(
    button: widgets.Button,
    status: StatusLine,
    title: str,
    action: Callable[[Meter], Any],
    windows: Windows | None = None,
) -> Callable[..., None]:
    """A click handler: `button` disabled while `action` runs (given its Meter), enabled
    again after, also after an error; a failure is a Dutch line in `status`."""

    def callback(*_: Any) -> None:
        if button.disabled:  # a second click queued while the first ran
            return
        button.disabled = True
        meter = Meter(status, title, windows or {})
        try:
            meter.progress(title, 0.02)
            with reporting(meter.heard):
                run_safely(status, lambda: action(meter))
        finally:
            button.disabled = False

    return callback
