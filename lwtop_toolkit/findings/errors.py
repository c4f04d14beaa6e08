"""ToolkitError: the work cannot go on; it carries one finding, pickled along with it."""

from __future__ import annotations

from typing import Any

from lwtop_toolkit.findings.frame import finding


class ToolkitError(Exception):
    """The work cannot go on (an unreadable file, an unknown format). Carries one finding."""

    def __init__(self, code: str, *, file: str = "", **params: Any) -> None:
        self.finding = finding(code, file=file, **params)
        super().__init__(self.message)

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled with its finding (an error raised in a worker process reaches the caller)."""
        return (_rebuilt_error, (self.finding,))

    @property
    def message(self) -> str:
        """One Dutch line naming the file and the problem."""
        file = self.finding["file"]
        text = str(self.finding["message"])
        return f"{file}: {text}" if file else text


def _rebuilt_error(found: dict[str, Any]) -> ToolkitError:
    error = ToolkitError.__new__(ToolkitError)
    error.finding = found
    Exception.__init__(error, error.message)
    return error
