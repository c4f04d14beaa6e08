"""Uploaded files into a private temporary folder: names made safe, zip files unpacked safely.

A browser upload arrives as a tuple of dicts (`name`, `type`, `size`, `content`, ...). Each
file is written under its own name into a folder the session removes again; a `.zip` is
unpacked there, into a folder named as the zip, with its own folders kept, by the one rule every
command uses (readers/files/archives.py: no absolute paths, no `..`, no archive in an archive, a
limit on the total size), so that a crafted zip cannot write elsewhere or fill the disk.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path, PurePosixPath
from typing import Any

from lwtop_toolkit.findings import ToolkitError
from lwtop_toolkit.readers.files.archives import ACCEPTED_SUFFIXES, Budget, export_root, unpack
from lwtop_toolkit.ui.common import Notice

ACCEPT = ",".join(ACCEPTED_SUFFIXES)
# Files the readers refuse with a line of their own (an OpenDocument spreadsheet: what it is and
# to save it as .xlsx): taken in, so that the coordinator reads that line, not a general one.
REFUSED_BY_READER = (".ods",)


def upload_items(value: Iterable[Mapping[str, Any]]) -> list[tuple[str, bytes]]:
    """(name, bytes) of each uploaded file of a `FileUpload.value`."""
    return [(str(item["name"]), bytes(item["content"])) for item in value]


def one_workbook(value: Iterable[Mapping[str, Any]], noun: str) -> list[tuple[str, bytes]]:
    """The one filled .xlsx of a `FileUpload.value` (`noun`: `werkmap`, `werklijst`), as
    upload items; a Dutch Notice when none, several or another kind of file was chosen."""
    items = upload_items(value)
    if not items:
        raise Notice(f"Kies eerst de ingevulde {noun}.")
    if len(items) > 1:
        raise Notice(f"Kies één {noun}.")
    name = items[0][0]
    if not name.lower().endswith(".xlsx"):
        raise Notice(f"'{name}' is geen Excel-werkmap (.xlsx): kies de ingevulde {noun}.")
    return items


def safe_name(name: str, *, where: str = "") -> str:
    """The bare file name of an uploaded or zipped file; ToolkitError when there is none."""
    bare = PurePosixPath(name.replace("\\", "/")).name
    if bare in ("", ".", "..") or bare != bare.strip() or "\x00" in bare:
        raise ToolkitError("unreadable-file", file=where or name, reason="ongeldige bestandsnaam.")
    return bare


def same_name(name: str) -> str:
    """What to do when `name` was chosen twice: the files of several school folders (a board),
    whose folders a browser does not pass on; a zip of the board's folder keeps them."""
    if name.lower().endswith(".zip"):
        return (
            f"U koos twee zip-bestanden met dezelfde naam ('{name}'). Geef elk zip-bestand een "
            "eigen naam (bijvoorbeeld naar de school) en kies ze dan samen opnieuw."
        )
    return (
        f"U koos meer dan één bestand '{name}': dat zijn de bestanden van meer dan één school, "
        "elk uit een eigen map. De browser geeft die mappen niet door, dus zo weet de toolkit "
        "niet welk bestand bij welke school hoort. Maak daarom een zip-bestand van de map met "
        "de mappen per school (in Windows: klik met de rechtermuisknop op de map en kies "
        "'Kopiëren naar' > 'Gecomprimeerde map'; op een Mac: 'Comprimeer') en kies alleen dat "
        "zip-bestand. Doe dat voor vorig schooljaar en voor het nieuwe schooljaar."
    )


def save_uploads(items: Iterable[tuple[str, bytes]], folder: Path) -> list[Path]:
    """Write the uploaded files into `folder`, unpacking zip files; returns what to read.

    Files alone: the files. One zip alone: the export it holds (a board's zip: the folder of
    its school folders). Several zips: `folder`, each zip a folder of its own (a school's each).
    Files and zips together: every file, read as one export.
    """
    folder.mkdir(parents=True, exist_ok=True)
    budget = Budget()
    loose: dict[str, Path] = {}
    unpacked: dict[str, Path] = {}  # each zip's folder
    files: list[Path] = []  # the files unpacked
    for name, data in items:
        bare = safe_name(name)
        suffix = Path(bare).suffix.lower()
        if suffix not in ACCEPTED_SUFFIXES and suffix not in REFUSED_BY_READER:
            raise ToolkitError(
                "unreadable-file",
                file=bare,
                reason="dit soort bestand wordt niet ingelezen; kies CSV-, Excel- (.xlsx), XML- "
                "of zip-bestanden.",
            )
        if bare.lower() in loose or bare.lower() in unpacked:
            raise Notice(same_name(bare))
        if suffix == ".zip":
            files += unpack(bare, data, folder / bare, budget)
            unpacked[bare.lower()] = folder / bare
        else:
            budget.spend(len(data), bare)
            path = folder / bare
            path.write_bytes(data)
            loose[bare.lower()] = path
    if not unpacked:
        return sorted(loose.values())
    if loose:
        return sorted([*loose.values(), *files])
    if len(unpacked) == 1:
        return [export_root(next(iter(unpacked.values())))]
    return [folder]
