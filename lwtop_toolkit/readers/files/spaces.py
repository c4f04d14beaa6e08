"""Characters a person cannot see in a name or a code: zero-width characters are dropped and
no-break spaces become ordinary spaces, in every cell that is read (CSV, XLSX and EDEXML alike),
with one `invisible-characters` finding per file and column that names how many cells and the
first row.

Copied from a web page, a PDF or a word processor, `van\u00a0der Berg` or `1001\u200b` looks
right and compares wrong: an id that does not match, a name that sorts apart. Nothing here knows
pupils or groups.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from lwtop_toolkit.findings import finding
from lwtop_toolkit.model import SOURCE_ROW
from lwtop_toolkit.readers.files.screening import column_letter

# Zero-width space, non-joiner, joiner, word joiner, zero-width no-break space (a BOM inside text).
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
# No-break space, figure space, narrow no-break space.
NO_BREAK = "\u00a0\u2007\u202f"
INVISIBLE = ZERO_WIDTH + NO_BREAK
_PATTERN = re.compile(f"[{INVISIBLE}]")
_TABLE = str.maketrans({**dict.fromkeys(ZERO_WIDTH), **dict.fromkeys(NO_BREAK, " ")})
CODE = "invisible-characters"
# Wider than this, a sheet's cells are looked at all at once instead of column by column.
WIDE_COLUMNS = 50


def may_hold(text: str) -> bool:
    """Whether `text` holds one of the characters (fast: ASCII text holds none)."""
    return not text.isascii() and _PATTERN.search(text) is not None


def clean_text(value: str) -> str:
    """`value` without zero-width characters, its no-break spaces as ordinary spaces."""
    return value if value.isascii() else value.translate(_TABLE)


def clean_cells(
    rows: pd.DataFrame, header: Sequence[str], file: str, suspect: bool = True
) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    """The cells of columns 0..len(header)-1 cleaned; one finding per column that had any.

    `suspect=False` says the caller knows no cell holds one (a fast path: `may_hold` of the
    whole text). `rows` has the column `_row` (the row a person sees).
    """
    width = len(header)
    if not suspect or rows.empty or width == 0:
        return rows, []
    numbers = rows[SOURCE_ROW].to_numpy()
    found: dict[int, tuple[int, int]] = {}  # position: (cells, first row)
    if width <= WIDE_COLUMNS:
        for position in range(width):
            column = rows[position]
            hit = column.str.contains(_PATTERN, na=False).to_numpy(dtype=bool)
            if hit.any():
                rows[position] = column.mask(hit, column.str.translate(_TABLE))
                found[position] = (int(hit.sum()), int(numbers[hit].min()))
    else:  # one pass over all cells: pandas pays per column
        flat = pd.Series(rows.iloc[:, :width].to_numpy(dtype=object).ravel(), dtype="str")
        hit = flat.str.contains(_PATTERN, na=False).to_numpy(dtype=bool)
        if hit.any():
            at = np.flatnonzero(hit)
            values = flat.to_numpy(dtype=object, copy=True)
            values[at] = flat.iloc[at].str.translate(_TABLE).to_numpy(dtype=object)
            for position in np.unique(at % width):
                where = at[at % width == position] // width
                found[int(position)] = (len(where), int(numbers[where].min()))
            cells = values.reshape(len(rows), width)
            cleaned = pd.DataFrame(cells, index=rows.index, columns=range(width), dtype="str")
            rows = pd.concat([cleaned, rows.iloc[:, width:]], axis=1)
    notes = [
        finding(CODE, file=file, row=first, column=header[position] or column_letter(position),
                count=count)
        for position, (count, first) in sorted(found.items())
    ]  # fmt: skip
    return rows, notes


def clean_records(records: Iterable[dict[str, Any]], file: str, table: str) -> list[dict[str, Any]]:
    """Clean the text values of records (dicts with `_row`) in place; one finding per field."""
    found: dict[str, tuple[int, int]] = {}  # field: (values, first row)
    for record in records:
        if not may_hold("".join([v for v in record.values() if type(v) is str])):
            continue  # one look per record: nearly every record is clean
        for name, value in record.items():
            if isinstance(value, str) and may_hold(value):
                record[name] = value.translate(_TABLE)
                count, first = found.get(name, (0, record.get(SOURCE_ROW) or 0))
                found[name] = (count + 1, first)
    return [
        finding(CODE, file=file, table=table, row=first or None, column=name, count=count)
        for name, (count, first) in found.items()
    ]
