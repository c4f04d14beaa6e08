"""The import files: the canonical tables as CSV files (in a profile's format) or one workbook.

CSV: one file per table (`groepen.csv`, `leerlingen.csv`, `medewerkers.csv`, and
`medewerker_groepen.csv` when that table has rows) in the format of a profile (`profiles.py`,
default `topdossier`: `;`, UTF-8 with BOM, `\\r\\n`, ISO dates). XLSX: one workbook
`importbestanden.xlsx` with one sheet per table, every cell text. Every cell is spreadsheet-safe
(`cellsafety.py`). The same tables always give byte-identical files.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import pandas as pd
from openpyxl import Workbook

from lwtop_toolkit.model import DATE_COLUMNS, REQUIRED_TABLES, TABLE_COLUMNS, TABLE_NAMES, Tables
from lwtop_toolkit.readers.files.cellsafety import neutralise
from lwtop_toolkit.runtime.files import fixed_zip, workbook_bytes, write_atomically
from lwtop_toolkit.writers.profiles import PROFILES, TOPDOSSIER, Profile

WORKBOOK_NAME = "importbestanden.xlsx"
_TEXT_FORMAT = "@"
_fixed_zip = fixed_zip  # kept for callers of the earlier private name


def write_import_files(
    tables: Tables,
    folder: Path,
    *,
    kind: Literal["csv", "xlsx"] = "csv",
    profile: Profile | str = TOPDOSSIER,
) -> list[Path]:
    """Write `tables` as import files into `folder` (created if needed); return the paths.

    The optional `medewerker_groepen` table is written only when it has rows.
    """
    folder = Path(folder)
    chosen = PROFILES[profile] if isinstance(profile, str) else profile
    if kind == "csv":
        return [
            write_atomically(folder / chosen.file_name(name), chosen.table_csv(tables[name], name))
            for name in tables_to_write(tables)
        ]
    if kind == "xlsx":
        return [write_atomically(folder / WORKBOOK_NAME, _xlsx_bytes(tables))]
    raise ValueError(f"unknown kind of import file: {kind!r}")


def tables_to_write(tables: Tables) -> list[str]:
    """The tables to write: the required ones always, an optional one only when it has rows."""
    return [name for name in TABLE_NAMES if name in REQUIRED_TABLES or len(tables[name]) > 0]


def _text_columns(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    out = pd.DataFrame(index=frame.index)
    for column in TABLE_COLUMNS[name]:
        values = frame[column]
        if column in DATE_COLUMNS:
            out[column] = values.dt.strftime("%Y-%m-%d").fillna("")
        else:
            out[column] = neutralise(values.fillna("").astype("str"))
    return out


def _xlsx_bytes(tables: Tables) -> bytes:
    """One sheet per table, every non-empty cell a text cell (never a formula or a number)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name in tables_to_write(tables):
        sheet = workbook.create_sheet(title=name)
        sheet.append(list(TABLE_COLUMNS[name]))
        for row_number, record in enumerate(
            _text_columns(tables[name], name).itertuples(index=False, name=None), start=2
        ):
            for column_number, value in enumerate(record, start=1):
                cell = sheet.cell(row=row_number, column=column_number)
                cell.number_format = _TEXT_FORMAT
                if value:
                    cell.value = value
                    cell.data_type = "s"  # a value starting with "=" stays text
        sheet.freeze_panes = "A2"
    return workbook_bytes(workbook)
