"""Choosing the reader for a LAS: the first of its readers that recognises the files, else its
list reader when that finds a pupil list with the column mapping."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from lwtop_toolkit.findings import ToolkitError
from lwtop_toolkit.las import catalogue as las
from lwtop_toolkit.readers import LIST_FORMATS, READERS, recognises, refuse
from lwtop_toolkit.readers.batch import school_folders
from lwtop_toolkit.readers.files.toolkit_workbooks import set_apart


def available_readers(entry: las.Las) -> list[str]:
    """The readers of `entry` that are registered in this version of the toolkit."""
    return [name for name in entry.readers if name in READERS]


def pick_reader(
    entry: las.Las, paths: Sequence[Path], mapping: Mapping[str, str] | None = None
) -> str:
    """The reader of `entry` for the files (`--las X` means X's reader).

    The first of its readers that recognises the files; else its first list reader that finds
    a pupil list in them with the column mapping (`mapping`, `lwtop.toml`), also when the list
    lacks what tells that LAS apart (Magister's `Stamnummer`). ToolkitError when none does: the
    nearest of its list formats, what it lacks and the `--map` to try.
    """
    for path in paths:
        if not path.exists():
            raise ToolkitError(
                "unreadable-file", file=str(path), reason="het bestand bestaat niet."
            )
    paths, _ = set_apart(paths)  # our own workbooks are no export (read() names them)
    names = available_readers(entry)
    # a board's folder of school exports: the reader must know every school's folder
    exports = [[folder] for folder in school_folders(list(paths)) or []] or [list(paths)]
    for name in names:
        if all(READERS[name].detect(export) for export in exports):
            return name
    lists = [name for name in names if name in LIST_FORMATS]
    for name in lists:
        if all(recognises(name, export, mapping) for export in exports):
            return name
    files = ", ".join(str(path) for path in paths)
    reason = f"geen lezer voor {entry.name} herkent deze bestanden (verwacht: {', '.join(names)})"
    if not lists:
        raise ToolkitError("unknown-format", file=files, reason=reason)
    unknown = next(export for export in exports if not recognises(lists[0], export, mapping))
    raise refuse(unknown, lists, reason, mapping)
