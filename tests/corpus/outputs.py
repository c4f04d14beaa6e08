"""Looking inside what the toolkit wrote: every CSV cell, every workbook cell, all text.

Used by the privacy, determinism and spreadsheet-safety tests. A zip (the bundle) is opened
member by member; a workbook is read cell by cell and as raw XML.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
BINARY_SUFFIXES = (".png",)


@dataclass(frozen=True)
class Cell:
    where: str  # file (and member) and the cell or row
    value: object
    formula: bool  # a formula cell, in a workbook
    quote_prefix: bool  # Excel's text marker on a workbook cell


def written_files(folder: Path) -> list[Path]:
    return sorted(path for path in folder.rglob("*") if path.is_file())


def members(path: Path, data: bytes | None = None) -> dict[str, bytes]:
    """{name: bytes}: a bundle zip gives its members (recursively named), any other file itself."""
    data = path.read_bytes() if data is None else data
    if path.suffix.lower() == ".zip":
        out: dict[str, bytes] = {}
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for name in archive.namelist():
                inner = archive.read(name)
                for sub, content in members(Path(name), inner).items():
                    out[f"{path.name}/{sub}"] = content
        return out
    return {path.name: data}


def decoded(data: bytes) -> str:
    """Text as we write it (UTF-8, with or without BOM) or as a Magister export (Windows-1252)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def csv_cells(name: str, data: bytes) -> Iterator[Cell]:
    text = decoded(data)
    first = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first.count)
    for number, record in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)):
        for position, value in enumerate(record):
            yield Cell(f"{name} rij {number + 1} kolom {position + 1}", value, False, False)


def workbook_cells(name: str, data: bytes) -> Iterator[Cell]:
    book = load_workbook(io.BytesIO(data), data_only=False)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is None:
                    continue
                yield Cell(
                    f"{name} [{sheet.title}] {cell.coordinate}",
                    cell.value,
                    cell.data_type == "f",
                    bool(cell.quotePrefix),
                )


def formula_markup(data: bytes) -> list[str]:
    """The worksheet parts of a workbook that hold a `<f>` (formula) element."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [
            name
            for name in archive.namelist()
            if name.startswith("xl/worksheets/") and (b"<f>" in (part := archive.read(name))
                                                       or b"<f " in part)
        ]  # fmt: skip


def cells(path: Path) -> Iterator[Cell]:
    """Every cell of every CSV and workbook in `path` (a bundle: in each of its members)."""
    for name, data in members(path).items():
        lower = name.lower()
        if lower.endswith(".csv"):
            yield from csv_cells(name, data)
        elif lower.endswith(WORKBOOK_SUFFIXES):
            yield from workbook_cells(name, data)


def all_text(path: Path) -> str:
    """Everything a person or program could read in `path`: text files as text, workbooks as
    their cell values and raw XML, bundles member by member."""
    parts = []
    for name, data in members(path).items():
        lower = name.lower()
        if lower.endswith(WORKBOOK_SUFFIXES):
            parts += [str(cell.value) for cell in workbook_cells(name, data)]
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                parts += [archive.read(n).decode("utf-8", "replace") for n in archive.namelist()]
        elif not lower.endswith(BINARY_SUFFIXES):
            parts.append(decoded(data))
    return "\n".join(parts)
