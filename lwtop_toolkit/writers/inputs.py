"""The files a bundle was made from, as its manifest lists them.

Each input is named by its own file name, with its size, its sha256 and what it was: last
year's or this year's export (with that year's school year), the dossier list, the staff links
or the filled staff workbook. Both years' exports hold a `groepen.csv`; the role tells them
apart. The folders above a file stay out: they are private (they may name a person).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lwtop_toolkit.writers.parts import SchoolPart

# What an input was, as the manifest says it (its `role`).
OLD_EXPORT = "vorig jaar"
NEW_EXPORT = "dit jaar"
DOSSIER_LIST = "dossierlijst"
STAFF_LINKS = "koppelingen"
STAFF_SHEET = "werkmap medewerkers"
ROLES = (OLD_EXPORT, NEW_EXPORT, DOSSIER_LIST, STAFF_LINKS, STAFF_SHEET)
EXPORT_ROLES = (OLD_EXPORT, NEW_EXPORT)


@dataclass(frozen=True)
class InputFile:
    """One file a bundle was made from: its path (never written into the bundle), its role
    (one of ROLES; empty when the caller did not say) and, for an export, its school year."""

    path: Path
    role: str = ""
    schooljaar: str = ""


def inputs_of(paths: Iterable[Path], role: str, schooljaar: object = None) -> list[InputFile]:
    """`paths` as inputs of one `role`; `schooljaar` (a SchoolYear, text or None) for an export."""
    year = str(schooljaar) if schooljaar else ""
    return [InputFile(Path(path), role, year) for path in paths]


def input_meta(item: InputFile | Path) -> dict[str, Any]:
    """What the manifest says of one input: name, role, school year, size and sha256."""
    if not isinstance(item, InputFile):
        item = InputFile(Path(item))
    digest = hashlib.sha256()
    with item.path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    meta: dict[str, Any] = {"name": item.path.name}
    if item.role:
        meta["role"] = item.role
    if item.schooljaar:
        meta["schooljaar"] = item.schooljaar
    return meta | {"size": item.path.stat().st_size, "sha256": digest.hexdigest()}


def input_lists(
    inputs: Sequence[InputFile | Path], exports: set[str]
) -> Callable[[SchoolPart], list[dict[str, Any]]]:
    """For a school: the input files of its own exports, and those of no school's export (a
    dossier list, staff links, a staff workbook); every input when the school's exports are
    unknown.

    A board's folder of school exports: each manifest names its school's files, not all
    thousands (the same list as when the school is bundled alone). The files are indexed by
    folder once: filtering every input for every school grew with the schools squared.
    """
    items = [item if isinstance(item, InputFile) else InputFile(Path(item)) for item in inputs]
    metas = [input_meta(item) for item in items]
    by_folder: dict[str, list[int]] = {}
    shared = []
    for position, item in enumerate(items):
        folder = str(item.path.parent)
        if item.role in EXPORT_ROLES or not item.role:
            by_folder.setdefault(folder, []).append(position)
        else:  # a dossier list or the staff links: of every school, wherever it lies
            shared.append(position)
    shared += [i for folder, where in by_folder.items() if folder not in exports for i in where]

    def listed(part: SchoolPart) -> list[dict[str, Any]]:
        if part.exports is None:
            return metas
        own = [i for folder in part.exports for i in by_folder.get(folder, ())]
        return [metas[i] for i in sorted(shared + own)]

    return listed
