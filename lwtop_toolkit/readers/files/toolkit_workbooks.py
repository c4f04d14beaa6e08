"""The toolkit's own workbooks told apart from exports: the audit workbook (`lwtop preview
--xlsx`, in every bundle), the staff workbook (`lwtop staff-sheet`), the worklist (`lwtop
worklist`) and a board's `overzicht.xlsx` (`lwtop bundle`).

Read as an export, such a workbook gave hundreds of errors (its pupil sheet looks like a pupil
list). A workbook is known by its sheet names and the cells of a first row, as our writers lay
them out (the sheet names from the workbook's index, the cells only when the names fit), so a
copy saved again in Excel or LibreOffice is still known. Given alone it is refused in one Dutch
line with the command that reads it (`own-workbook-given`); beside an export it is left unread
and named in one finding (`own-workbook`), and every reader's listing of a folder skips it.
"""

from __future__ import annotations

import functools
import html
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from lwtop_toolkit.findings import ToolkitError, finding, frame
from lwtop_toolkit.readers.files.sniffing import TABULAR_SUFFIXES, XLSX_SUFFIXES, ZIP_MAGIC

MADE_TO_READ = (
    "Open haar om de overgang na te lezen; als invoer geeft u de export uit het LAS op (een map "
    "of de bestanden)."
)
DATA_SUFFIXES = TABULAR_SUFFIXES | {".xml"}  # what a folder's readers would read


@dataclass(frozen=True)
class Kind:
    """One of our workbooks: what it is and what to do with it (Dutch), and how it is known:
    all of `sheets` present, and one of `firsts` ((sheet, texts its first row holds))."""

    name: str
    what: str
    how: str
    sheets: tuple[str, ...]
    firsts: tuple[tuple[str, tuple[str, ...]], ...]


KINDS: tuple[Kind, ...] = (
    Kind(
        "staff",
        "de werkmap om leerkrachten te koppelen (stap 2) die lwtop staff-sheet maakt",
        "Lees haar na het invullen terug met lwtop staff-links, of geef haar aan lwtop bundle "
        "met --staff-sheet.",
        ("Toewijzing", "Medewerkers"),
        (("lwtop", ("werkmap", "lwtop-toewijzing")), ("Toewijzing", ("Leerkracht 1",))),
    ),
    Kind(
        "worklist",
        "de werklijst die lwtop worklist maakt",
        "Lees haar na het invullen terug met lwtop worklist-status.",
        ("Vertrokken", "lwtop"),
        (("lwtop", ("werkmap", "lwtop-werklijst")),),
    ),
    Kind(
        "audit",
        "de controlewerkmap die lwtop preview --xlsx maakt (en die in elke uploadbundel zit)",
        MADE_TO_READ,
        ("Samenvatting", "Leerlingen", "Doorstroom", "Bevindingen"),
        (("Bevindingen", ("Ernst", "Code", "Melding")),),
    ),
    Kind(
        "overview",
        "het overzicht van alle scholen (overzicht.xlsx) dat lwtop bundle maakt",
        MADE_TO_READ,
        ("Overzicht",),
        (("Overzicht", ("school", "bundel", "uitkomst")),),
    ),
)
_SHEET = re.compile(r"<(?:\w+:)?sheet\b[^>]*?\bname=\"([^\"]*)\"")


def toolkit_workbook(path: Path) -> Kind | None:
    """Which of our workbooks `path` is; None for any other file (or one that cannot be
    opened: reading it says what is wrong)."""
    try:
        if path.suffix.lower() not in XLSX_SUFFIXES or not path.is_file():
            return None
        stat = path.stat()
    except OSError:
        return None
    name = _known(str(path), stat.st_mtime_ns, stat.st_size)
    return next((kind for kind in KINDS if kind.name == name), None)


@functools.lru_cache(maxsize=256)
def _known(name: str, mtime: int, size: int) -> str:
    """The name of the kind of the workbook `name` ("" for none); cached per version."""
    path = Path(name)
    try:
        with path.open("rb") as handle:
            if handle.read(4) != ZIP_MAGIC:
                return ""
        with zipfile.ZipFile(path) as archive:
            index = archive.read("xl/workbook.xml")[: 1 << 20].decode("utf-8", "replace")
    except (OSError, KeyError, zipfile.BadZipFile, RuntimeError, ValueError):
        return ""
    sheets = {html.unescape(found) for found in _SHEET.findall(index)}
    for kind in KINDS:
        if set(kind.sheets) <= sheets and _first_rows_fit(path, kind, sheets):
            return kind.name
    return ""


def _first_rows_fit(path: Path, kind: Kind, sheets: set[str]) -> bool:
    """Whether one of the kind's sheets has its texts in its first row (case aside)."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on a damaged file
        return False
    try:
        for sheet, texts in kind.firsts:
            if sheet not in sheets:
                continue
            first = next(workbook[sheet].iter_rows(max_row=1, values_only=True), ())
            cells = {str(value).strip().lower() for value in first if value is not None}
            if {text.lower() for text in texts} <= cells:
                return True
        return False
    except Exception:  # a sheet openpyxl cannot read: not ours as written
        return False
    finally:
        workbook.close()


def is_toolkit_workbook(path: Path) -> bool:
    """Whether `path` is one of our workbooks (a folder's listing skips it)."""
    return toolkit_workbook(path) is not None


def given_alone(path: Path, kind: Kind) -> ToolkitError:
    """The refusal of one of our workbooks given as the export: what it is, what reads it."""
    return ToolkitError("own-workbook-given", file=str(path), what=kind.what, how=kind.how)


def beside(path: Path, kind: Kind) -> dict[str, object]:
    """The finding for one of our workbooks found beside the export (left unread)."""
    return finding("own-workbook", file=str(path), what=kind.what, how=kind.how)


def set_apart(paths: Sequence[Path]) -> tuple[list[Path], pd.DataFrame]:
    """`paths` without our workbooks given among them, and a finding for each left out.

    ToolkitError (`own-workbook-given`) when nothing else is left: the paths are our workbooks,
    or folders that hold nothing but our workbooks.
    """
    kept, notes = [], []
    for path in paths:
        kind = toolkit_workbook(path)
        if kind is None:
            kept.append(path)
        else:
            notes.append((path, kind))
    if notes and not kept:
        raise given_alone(*notes[0])
    only_ours = [_only_ours(path) for path in kept]
    if kept and all(only_ours):
        first = only_ours[0]
        assert first is not None
        raise given_alone(*first)
    return kept, frame([beside(path, kind) for path, kind in notes])


def _only_ours(path: Path) -> tuple[Path, Kind] | None:
    """The first of our workbooks in folder `path` when it holds nothing else to read (only
    what our commands write beside them, such as the flow pictures)."""
    if not path.is_dir():
        return None
    children = [
        child
        for child in sorted(path.iterdir())
        if not child.name.startswith((".", "~$"))
        and (child.is_dir() or child.suffix.lower() in DATA_SUFFIXES)
    ]
    kinds = [(child, toolkit_workbook(child)) for child in children]
    ours = [(child, kind) for child, kind in kinds if kind is not None]
    if not ours or len(ours) < len(children):
        return None
    return ours[0]
