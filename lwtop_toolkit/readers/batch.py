"""A folder of school exports: each subfolder one school's export, read in one run.

A board or samenwerkingsverband hands in one folder with a subfolder per school (`42KX/` with
the import files, or `42KX/EDEX.XML`). Each subfolder is read as its own export and the
tables and findings are put together: one delivery, every row still pointing at its own file.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd

from ..findings import concat
from ..model import TABLE_NAMES, Tables
from ..progress import bar
from .base import ReadResult


def _visible(path: Path) -> bool:
    return not path.name.startswith((".", "~$", "__"))


def school_folders(paths: Sequence[Path]) -> list[Path] | None:
    """The export folders when `paths` is one folder holding only subfolders; else None."""
    if len(paths) != 1 or not paths[0].is_dir():
        return None
    children = [child for child in sorted(paths[0].iterdir()) if _visible(child)]
    if any(child.is_file() for child in children):
        return None
    folders = [child for child in children if child.is_dir()]
    return folders or None


def read_folders(
    folders: Sequence[Path],
    format: str | None,
    read_one: Callable[[Sequence[Path], str | None], ReadResult],
) -> ReadResult:
    """Read every export folder and put the results together."""
    results = [
        read_one([folder], format) for folder in bar(folders, "scholen inlezen", total=len(folders))
    ]
    frames = {
        name: pd.concat([result.tables[name] for result in results], ignore_index=True)
        for name in TABLE_NAMES
    }
    formats = sorted({result.format for result in results})
    return ReadResult(
        tables=Tables(**frames),
        findings=concat([result.findings for result in results]),
        format=formats[0] if len(formats) == 1 else "+".join(formats),
        files=[file for result in results for file in result.files],
    )
