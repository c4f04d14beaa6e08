"""What every reader gives back, and how a reader is described in the registry."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from lwtop_toolkit.findings import empty_findings
from lwtop_toolkit.model import Tables


@dataclass
class ReadResult:
    """The tables a reader made, the findings it made while translating, and its inputs."""

    tables: Tables
    findings: pd.DataFrame = field(default_factory=empty_findings)
    format: str = ""
    files: list[Path] = field(default_factory=list)


@dataclass(frozen=True)
class Reader:
    """One source format: `detect` says whether the files look like it, `read` translates them.

    Readers translate; they do not judge: rules live in schemas.py and validate.py.
    """

    name: str
    label: str
    detect: Callable[[Sequence[Path]], bool]
    read: Callable[[Sequence[Path]], ReadResult]
