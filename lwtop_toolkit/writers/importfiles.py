"""The import files: the canonical tables as `;`-separated CSV files or as one workbook.

CSV: one file per table (`groepen.csv`, `leerlingen.csv`, `medewerkers.csv`, and
`medewerker_groepen.csv` when that table has rows), UTF-8 with BOM, `\\r\\n` line endings, the
canonical column names as header, ISO dates, fields quoted only when needed. XLSX: one workbook
`importbestanden.xlsx` with one sheet per table, every cell text. The same tables always give
byte-identical files.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Literal

import pandas as pd
from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter

from ..model import REQUIRED_TABLES, TABLE_COLUMNS, TABLE_NAMES, Tables

WORKBOOK_NAME = "importbestanden.xlsx"
CSV_DELIMITER = ";"
CSV_LINE_END = "\r\n"
# Fixed timestamps, so that the same tables give the same bytes.
_FIXED_CREATED = dt.datetime(2000, 1, 1)
_FIXED_ZIP_TIME = (2000, 1, 1, 0, 0, 0)
_TEXT_FORMAT = "@"


def write_import_files(
    tables: Tables, folder: Path, *, kind: Literal["csv", "xlsx"] = "csv"
) -> list[Path]:
    """Write `tables` as import files into `folder` (created if needed); return the paths.

    The optional `medewerker_groepen` table is written only when it has rows.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    contents = {name: _rows(tables, name) for name in _tables_to_write(tables)}
    if kind == "csv":
        paths = []
        for name, rows in contents.items():
            path = folder / f"{name}.csv"
            path.write_bytes(_csv_bytes(rows))
            paths.append(path)
        return paths
    if kind == "xlsx":
        path = folder / WORKBOOK_NAME
        path.write_bytes(_xlsx_bytes(contents))
        return [path]
    raise ValueError(f"unknown kind of import file: {kind!r}")


def _tables_to_write(tables: Tables) -> list[str]:
    """The tables to write: the required ones always, an optional one only when it has rows."""
    return [name for name in TABLE_NAMES if name in REQUIRED_TABLES or len(tables[name]) > 0]


def _rows(tables: Tables, name: str) -> list[list[str]]:
    """Header plus one list of text cells per row, canonical columns in canonical order."""
    columns = list(TABLE_COLUMNS[name])
    frame = tables[name].reindex(columns=columns)
    records = frame.itertuples(index=False, name=None)
    body = [[_text(value) for value in record] for record in records]
    return [columns, *body]


def _text(value: object) -> str:
    """One cell as text: "" for missing values, dates as ISO `YYYY-MM-DD`."""
    if isinstance(value, str):
        return value
    if value is None or value is pd.NaT or value is pd.NA:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value != value:  # NaN
        return ""
    return str(value)


def _csv_bytes(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(
        buffer, delimiter=CSV_DELIMITER, lineterminator=CSV_LINE_END, quoting=csv.QUOTE_MINIMAL
    )
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def _xlsx_bytes(contents: dict[str, list[list[str]]]) -> bytes:
    """One sheet per table, every non-empty cell a text cell (never a formula or a number)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in contents.items():
        sheet = workbook.create_sheet(title=name)
        for row_number, row in enumerate(rows, start=1):
            for column_number, value in enumerate(row, start=1):
                cell = sheet.cell(row=row_number, column=column_number)
                if row_number > 1:
                    cell.number_format = _TEXT_FORMAT
                if value:
                    cell.value = value
                    cell.data_type = "s"  # a value starting with "=" stays text
        sheet.freeze_panes = "A2"
    workbook.properties.created = _FIXED_CREATED
    workbook.properties.modified = _FIXED_CREATED
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        # ExcelWriter directly: `Workbook.save` would stamp the current time as `modified`.
        ExcelWriter(workbook, archive).write_data()
    return _fixed_zip(raw.getvalue())


def _fixed_zip(data: bytes) -> bytes:
    """The same zip with fixed member timestamps, so that its bytes do not depend on the clock."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=_FIXED_ZIP_TIME)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = info.external_attr
            target.writestr(member, source.read(info.filename))
    return out.getvalue()
