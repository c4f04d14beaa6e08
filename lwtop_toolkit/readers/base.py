"""What every reader gives back, and how a reader is described in the registry."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from lwtop_toolkit.findings import empty_findings
from lwtop_toolkit.model import Tables
from lwtop_toolkit.readers.files.headers import Aliases


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

    `aliases` are the header alias tables the format reads its sheets by ({field: aliases}, one
    per table; none for a format without header rows). The registry joins every reader's into
    the headers a header row is recognised by and gives them to each reader it registers
    (`known`); `detect_with` and `read_with` take the files and those headers.
    Readers translate; they do not judge: rules live in check/schemas.py and check/validate.py.
    """

    name: str
    label: str
    aliases: tuple[Aliases, ...]
    detect_with: Callable[[Sequence[Path], frozenset[str]], bool]
    read_with: Callable[[Sequence[Path], frozenset[str]], ReadResult]
    known: frozenset[str] = frozenset()

    def detect(self, paths: Sequence[Path]) -> bool:
        return self.detect_with(paths, self.known)

    def read(self, paths: Sequence[Path]) -> ReadResult:
        return self.read_with(paths, self.known)
