"""Spreadsheet safety: a cell that a spreadsheet would run as a formula is written as text.

A value that begins with `=`, `+`, `-`, `@`, a tab or a carriage return is a formula to Excel
and LibreOffice when it comes from a CSV (CSV injection). Every CSV and XLSX we write prefixes
such a value with an apostrophe, which spreadsheets show as a text marker, not as data; the value
stays readable. Our readers remove exactly that prefix again, so our own files read back equal.
A value that already begins with apostrophes before such a character gets one more, so that the
round trip is exact for every value.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
TEXT_MARKER = "'"
_NEEDS_MARKER = r"^'*[=+\-@\t\r]"
_HAS_MARKER = r"^'+[=+\-@\t\r]"


def neutralise_value(value: str) -> str:
    """One value, safe for a spreadsheet."""
    return TEXT_MARKER + value if value.lstrip(TEXT_MARKER).startswith(FORMULA_STARTS) else value


_FIRST_CHARACTERS = np.array([TEXT_MARKER, *FORMULA_STARTS])


def neutralise(column: pd.Series) -> pd.Series:
    """A text column, safe for a spreadsheet (vectorised).

    Only values whose first character is a formula character or our marker can need it: those
    are found from the first characters as a numpy array (a regex per value took seconds per
    million, a Python loop ~0.1 s).
    """
    first = np.isin(column.to_numpy(dtype=object).astype("U1"), _FIRST_CHARACTERS)
    if not first.any():
        return column
    risky = pd.Series(False, index=column.index)
    candidates = column[first]
    risky[first] = candidates.str.contains(_NEEDS_MARKER, regex=True, na=False).to_numpy()
    return column.mask(risky, TEXT_MARKER + column) if risky.any() else column


def restore(column: pd.Series) -> pd.Series:
    """The inverse of `neutralise`: drop our text marker in front of a formula character."""
    maybe = column.str.startswith(TEXT_MARKER, na=False)
    if not maybe.any():
        return column
    marked = maybe & column.str.contains(_HAS_MARKER, regex=True, na=False)
    return column.mask(marked, column.str.slice(1))


def restore_value(value: str) -> str:
    """One value without our text marker (the inverse of `neutralise_value`)."""
    return (
        value[1:]
        if value.startswith(TEXT_MARKER) and neutralise_value(value[1:]) == value
        else value
    )
