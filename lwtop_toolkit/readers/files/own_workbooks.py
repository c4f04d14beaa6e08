"""Workbooks that one of our commands wrote and a coordinator filled in, opened safely and read
as the texts a person sees (the staff sheet, the worklist)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from lwtop_toolkit.findings import ToolkitError
from lwtop_toolkit.readers.files.cellsafety import restore_value
from lwtop_toolkit.readers.files.screening import one_line
from lwtop_toolkit.readers.files.sniffing import check_zip, file_kind


def open_own_workbook(path: Path, made_by: str, *, data_only: bool) -> Any:
    """A workbook that one of our commands wrote and a coordinator filled in, opened safely.

    `made_by` names the workbook and its command for the Dutch message (`de ingevulde werklijst
    aan zoals lwtop worklist haar maakte`). ToolkitError when it is no readable .xlsx.
    """
    from openpyxl import load_workbook

    name = str(path)
    if not path.exists():
        raise ToolkitError("unreadable-file", file=name, reason="het bestand bestaat niet.")
    if file_kind(path) != "xlsx":
        raise ToolkitError(
            "unreadable-file",
            file=name,
            reason=f"dit is geen Excel-werkmap (.xlsx). Lever {made_by}, opgeslagen als .xlsx.",
        )
    check_zip(path)  # not a zip, no workbook inside, or a zip bomb
    try:
        return load_workbook(path, read_only=True, data_only=data_only)
    except Exception as error:  # openpyxl raises many kinds on a damaged file
        raise ToolkitError(
            "unreadable-file",
            file=name,
            reason=f"de Excel-werkmap is niet te lezen ({one_line(error)}).",
        ) from None


def own_workbook_texts(workbook: Any, sheets: Sequence[str]) -> dict[str, list[list[str]]]:
    """The `sheets` of a workbook from `open_own_workbook` as rows of cell texts; closes it."""
    try:
        return {
            sheet: [
                [own_cell_text(value) for value in row]
                for row in workbook[sheet].iter_rows(values_only=True)
            ]
            for sheet in sheets
        }
    finally:
        workbook.close()


def own_cell_text(value: object) -> str:
    """A cell as the text a person sees (10.0 as `10`, a date in ISO, a tick box as ja/nee),
    without the text marker our writers put before a formula character (cellsafety.py)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return restore_value(str(value))
