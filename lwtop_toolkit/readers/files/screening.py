"""What people do to a sheet before it reaches us, found before its rows are read.

A title above the header, a totals row below the data, a column of data without a header,
invisible control characters, a cell of megabytes: each is handled here the same way for CSV
and XLSX, and each becomes a finding that names the row, so that nothing is lost or changed
unseen (csv_text.py and xlsx.py call these; nothing here knows pupils or groups, and the
headers a header row is recognised by are given by the caller: the registry's).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd

from lwtop_toolkit.findings import finding
from lwtop_toolkit.model import SOURCE_ROW, normalise

# Characters a spreadsheet cannot hold and a person cannot see (openpyxl refuses them too);
# tab, newline and carriage return are text.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Excel's own limit for one cell: a longer value did not come out of a spreadsheet.
MAX_CELL_CHARS = 32_767
# The header is looked for among the first non-empty rows (a title, a blank line, a group row
# above it); a candidate must name at least three known columns to beat the first row.
HEADER_SEARCH_ROWS = 10
HEADER_SCORED_CELLS = 200
MIN_KNOWN_HEADERS = 3
# A totals row at the bottom: its first filled cell says so, and it fills few cells.
TOTALS = re.compile(r"^\s*(sub)?(totaal|totalen|total|totals|som|aantal)\b", re.IGNORECASE)
PREVIEW_CHARS = 60
FIRST_CELLS = 50  # a totals row says so in one of its first cells
# Wider than this, cells are changed all at once instead of column by column.
WIDE_COLUMNS = 50


def _score(row: Sequence[str], known: frozenset[str]) -> int:
    cells = [cell for cell in row if cell.strip() and len(cell) < 100][:HEADER_SCORED_CELLS]
    return sum(normalise(cell) in known for cell in cells)


def find_header(rows: Sequence[Sequence[str]], known: frozenset[str]) -> int | None:
    """The index of the header row: the first non-empty row, unless a later one (among the
    first few) names more `known` headers (normalised), and at least three."""
    filled = [i for i, row in enumerate(rows) if any(cell.strip() for cell in row)]
    if not filled:
        return None
    candidates = filled[:HEADER_SEARCH_ROWS]
    best, best_score = candidates[0], _score(rows[candidates[0]], known)
    for index in candidates[1:]:
        score = _score(rows[index], known)
        if score > best_score and score >= MIN_KNOWN_HEADERS:
            best, best_score = index, score
    return best


def one_line(error: object) -> str:
    """A library's error text on one line (lxml and calamine messages may hold newlines)."""
    return " ".join(str(error).split())


def preview(text: str) -> str:
    """A value shortened for a message."""
    text = " ".join(text.split())
    return text if len(text) <= PREVIEW_CHARS else text[: PREVIEW_CHARS - 1] + "…"


def above_header(
    file: str, rows: Sequence[Sequence[str]], numbers: Sequence[int], header_row: int
) -> list[dict[str, Any]]:
    """`rows-above-header` when filled rows stand above the header (their text shortened)."""
    filled = [
        (number, " ".join(cell.strip() for cell in row if cell.strip()))
        for row, number in zip(rows, numbers, strict=True)
        if any(cell.strip() for cell in row)
    ]
    if not filled:
        return []
    text = preview(" | ".join(text for _, text in filled))
    return [
        finding("rows-above-header", file=file, row=filled[0][0], value=text, header_row=header_row)
    ]


def column_letter(position: int) -> str:
    """Excel's name of a column: 0 -> A, 26 -> AA."""
    letters = ""
    number = position + 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def by_cells(
    rows: pd.DataFrame, width: int, change: Callable[[pd.Series], pd.Series]
) -> pd.DataFrame:
    """Apply a vectorised `change` to every text cell of columns 0..width-1: per column, or,
    for a very wide sheet, once over all cells (pandas pays per column, not per cell)."""
    if width <= WIDE_COLUMNS or rows.empty:
        for position in range(width):
            rows[position] = change(rows[position])
        return rows
    flat = pd.Series(rows.iloc[:, :width].to_numpy().ravel(), dtype="str")
    values = change(flat).to_numpy().reshape(len(rows), width)
    cells = pd.DataFrame(values, index=rows.index, columns=range(width), dtype="str")
    return pd.concat([cells, rows.iloc[:, width:]], axis=1)


def clean_cells(
    rows: pd.DataFrame, header: Sequence[str], file: str, suspect: bool = True
) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    """Remove control characters and empty absurdly long cells, one finding per cell.

    `suspect=False` says the caller knows no cell has either (a fast path).
    """
    width = len(header)
    if not suspect or rows.empty or width == 0:
        return rows, []
    numbers = rows[SOURCE_ROW].to_numpy()
    bad: list[tuple[int, int, str, str]] = []  # (row, position, code, text)

    def change(values: pd.Series) -> pd.Series:
        long = values.str.len().gt(MAX_CELL_CHARS)
        dirty = values.str.contains(CONTROL, na=False) & ~long
        for index in values.index[long | dirty]:
            row, position = _where(index, values, width)
            text = values[index]
            if long[index]:
                bad.append((row, position, "cell-too-long", text))
            else:
                bad.append((row, position, "control-characters", CONTROL.sub("", text)))
        values = values.mask(long, "")
        if dirty.any():
            values = values.mask(dirty, values.str.replace(CONTROL, "", regex=True))
        return values

    def _where(index: Any, values: pd.Series, width: int) -> tuple[int, int]:
        if values.name is not None and width <= WIDE_COLUMNS:  # one column of `rows`
            return int(numbers[rows.index.get_loc(index)]), int(values.name)
        return int(numbers[index // width]), int(index % width)

    rows = by_cells(rows, width, change)
    notes = []
    for row, position, code, text in sorted(bad):
        label = header[position] or column_letter(position)
        if code == "cell-too-long":
            notes.append(finding(code, file=file, row=row, column=label, value=preview(text),
                                 length=len(text), limit=MAX_CELL_CHARS))  # fmt: skip
        else:
            notes.append(finding(code, file=file, row=row, column=label, value=preview(text)))
    return rows, notes


def drop_totals(
    rows: pd.DataFrame, width: int, file: str
) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    """Drop totals rows at the bottom (`Totaal`, `Aantal leerlingen: 28`), one finding each."""
    notes: list[dict[str, Any]] = []
    drop = []
    for place in range(len(rows) - 1, -1, -1):
        index = rows.index[place]
        first = next((str(c).strip() for c in rows.iloc[place, :FIRST_CELLS] if str(c).strip()), "")
        if not TOTALS.match(first):
            break
        cells = [str(cell).strip() for cell in rows.iloc[place, :width].tolist()]
        filled = [cell for cell in cells if cell]
        if not filled or filled[0] != first or len(filled) > max(2, width // 2):
            break
        drop.append(index)
        number = int(rows.at[index, SOURCE_ROW])
        notes.append(
            finding("totals-row-skipped", file=file, row=number, value=preview(" ".join(filled)))
        )
    notes.reverse()
    return rows.drop(index=drop), notes


def unnamed_columns(
    rows: pd.DataFrame, header: Sequence[str], file: str, beyond: dict[int, int] | None = None
) -> list[dict[str, Any]]:
    """`unnamed-column` for data under an empty header cell; `beyond` ({position: first row})
    are columns right of the header that hold data."""
    found = dict(beyond or {})
    for position, name in enumerate(header):
        if name or rows.empty:
            continue
        filled = rows[position].str.strip().ne("")
        if filled.any():
            found.setdefault(position, int(rows.loc[filled, SOURCE_ROW].iloc[0]))
    return [
        finding("unnamed-column", file=file, row=row, column=column_letter(position))
        for position, row in sorted(found.items())
    ]


# Findings about one cell, named by its header while reading; a reader renames them.
CELL_CODES = ("cell-too-long", "control-characters", "invisible-characters")


def name_columns(
    findings: pd.DataFrame, header: Sequence[str], columns: dict[str, int]
) -> pd.DataFrame:
    """The cell findings of a sheet with the canonical column name instead of the header
    (`columns`: {canonical name: position}), so that they read like every other finding and
    validation does not report the emptied cell a second time."""
    if findings.empty:
        return findings
    names = {header[position]: name for name, position in columns.items() if header[position]}
    cells = findings["code"].isin(CELL_CODES) & findings["column"].isin(list(names))
    if not cells.any():
        return findings
    renamed = findings.copy()
    renamed.loc[cells, "column"] = renamed.loc[cells, "column"].map(names)
    return renamed
