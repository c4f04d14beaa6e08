"""Choosing the reader for a LAS: the first of its readers that recognises the files."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from lwtop_toolkit.findings import ToolkitError
from lwtop_toolkit.las import catalogue as las
from lwtop_toolkit.readers import READERS
from lwtop_toolkit.readers.batch import school_folders


def available_readers(entry: las.Las) -> list[str]:
    """The readers of `entry` that are registered in this version of the toolkit."""
    return [name for name in entry.readers if name in READERS]


def pick_reader(entry: las.Las, paths: Sequence[Path]) -> str:
    """The first registered reader of `entry` that recognises the files; ToolkitError if none."""
    for path in paths:
        if not path.exists():
            raise ToolkitError(
                "unreadable-file", file=str(path), reason="het bestand bestaat niet."
            )
    names = available_readers(entry)
    # a board's folder of school exports: the reader must know every school's folder
    exports = [[folder] for folder in school_folders(list(paths)) or []] or [list(paths)]
    for name in names:
        if all(READERS[name].detect(export) for export in exports):
            return name
    files = ", ".join(str(path) for path in paths)
    expected = ", ".join(names)
    raise ToolkitError(
        "unknown-format",
        file=files,
        reason=f"geen lezer voor {entry.name} herkent deze bestanden (verwacht: {expected})",
    )
