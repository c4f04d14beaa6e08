"""Findings for many rows at once: the message template filled column by column.

`findings.for_rows` renders one row at a time; a plan over a million pupils can have hundreds of
thousands of anomalies (a whole export with wrong jaargroepen). `rows_findings` gives the same
frame by concatenating text columns. A candidate for findings.py.
"""

from __future__ import annotations

import string
from typing import Any

import pandas as pd

from . import findings as fd
from .model import SOURCE_FILE, SOURCE_ROW


def rows_findings(
    code: str,
    rows: pd.DataFrame,
    *,
    table: str,
    column: str = "",
    values: pd.Series | None = None,
    **params: Any,
) -> pd.DataFrame | None:
    """Findings of `code` for `rows`, like `findings.for_rows` but rendered column-wise.

    A plan over a million pupils can have many anomalies (a whole export with the wrong
    jaargroep): the message template is filled by concatenating columns, not row by row.
    Returns None when no row is concerned.
    """
    if rows.empty:
        return None
    index = rows.index
    if values is None:
        values = rows[column] if column in rows else pd.Series("", index=index)
    fields: dict[str, Any] = {
        "file": rows[SOURCE_FILE],
        "table": table,
        "row": rows[SOURCE_ROW],
        "column": column,
        "value": values,
        **params,
    }
    message = pd.Series("", index=index, dtype="str")
    for literal, name, spec, conversion in string.Formatter().parse(fd.CATALOGUE[code].message):
        message = message + literal
        if name is None:
            continue
        if spec or conversion or name not in fields:
            raise ValueError(f"finding {code!r}: cannot render field {name!r}")
        message = message + _text(fields[name], index)
    frame = pd.DataFrame(
        {
            "code": code,
            "severity": fd.CATALOGUE[code].severity,
            "message": message,
            "file": rows[SOURCE_FILE],
            "table": table,
            "row": rows[SOURCE_ROW],
            "column": column,
            "value": _text(values, index),
        },
        index=index,
    )
    return fd.concat([frame.reset_index(drop=True)])


def _text(value: Any, index: pd.Index) -> pd.Series:
    """A field as a text column aligned with `index` (missing: "")."""
    if isinstance(value, pd.Series):
        return value.astype("str").fillna("").reindex(index, fill_value="")
    return pd.Series("" if value is None else str(value), index=index, dtype="str")


def concat_parts(parts: list[pd.DataFrame | None]) -> pd.DataFrame | None:
    found = [part for part in parts if part is not None]
    return fd.concat(found) if found else None
