"""What a catalogue entry is: a severity, a Dutch title and a Dutch message template."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True)
class Code:
    """One entry of the catalogue. `message` is a template over the finding's fields."""

    severity: Severity
    title: str
    message: str
