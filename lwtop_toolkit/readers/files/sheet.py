"""A sheet of text cells (`Sheet`) and the last steps of reading one, CSV or XLSX alike: its rows
without our writers' text marker, then screened (screening.py).

Nothing here knows about pupils or groups. Every cell is text: ids keep their leading zeros.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from lwtop_toolkit.findings import empty_findings
from lwtop_toolkit.readers.files import screening, spaces
from lwtop_toolkit.readers.files.cellsafety import restore


@dataclass
class Sheet:
    """One table of text cells: `header` and `rows` (column i of rows = header[i]).

    `rows` has a column `_row`: the row number a person sees in the file (header = row 1 when
    the header is on the first line). `findings` holds what reading noticed (encoding, bad rows).
    """

    file: str
    name: str
    header: list[str]
    rows: pd.DataFrame
    header_row: int = 1
    findings: pd.DataFrame = field(default_factory=empty_findings)


def restored(rows: pd.DataFrame) -> pd.DataFrame:
    """Cells without the text marker our writers put before a formula character."""
    return screening.by_cells(rows, rows.shape[1], restore)


def screen(
    rows: pd.DataFrame,
    header: list[str],
    file: str,
    suspect: bool,
    beyond: dict[int, int] | None = None,
    covered: frozenset[int] = frozenset(),
    invisible: bool = True,
) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    """Control characters, absurd cells, zero-width characters and no-break spaces, data
    without a header, totals rows at the bottom: every reader of a sheet passes here.

    `covered`: columns whose missing header a merged header cell explains already;
    `suspect`/`invisible` False: the caller knows no cell has control characters or absurd
    length / zero-width characters or no-break spaces (fast paths).
    """
    rows, notes = screening.clean_cells(rows, header, file, suspect)
    rows, cleaned = spaces.clean_cells(rows, header, file, invisible)
    notes += cleaned
    unnamed = screening.unnamed_columns(rows, header, file, beyond)
    notes += [note for note in unnamed if _position(note["column"]) not in covered]
    rows, totals = screening.drop_totals(rows, len(header), file)
    return rows.reset_index(drop=True), notes + totals


def _position(letters: str) -> int:
    number = 0
    for char in letters:
        number = number * 26 + ord(char) - ord("A") + 1
    return number - 1
