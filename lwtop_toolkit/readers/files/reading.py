"""Any tabular file into Sheets, told apart by its first bytes: a CSV file is one sheet, a
workbook one per visible worksheet with data."""

from __future__ import annotations

from pathlib import Path

from lwtop_toolkit.readers.files.csv_text import read_csv
from lwtop_toolkit.readers.files.sheet import Sheet
from lwtop_toolkit.readers.files.sniffing import file_kind
from lwtop_toolkit.readers.files.xlsx import read_workbook


def read_sheets(path: Path, known: frozenset[str]) -> list[Sheet]:
    """Every sheet of a workbook, or the one sheet of a CSV file.

    `known`: the normalised headers a header row is recognised by (the registry's).
    """
    if file_kind(path) == "xlsx":
        return read_workbook(path, known)
    return [read_csv(path, known)]
