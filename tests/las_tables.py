"""Helpers for the tabular LAS reader tests: write small exports, compare Tables per column."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from lwtop_toolkit.model import ID_COLUMNS, TABLE_NAMES, Tables


def write(path: Path, lines: list[str], *, encoding: str = "utf-8", bom: bool = False) -> Path:
    """A CSV file of `lines` (`\\r\\n`), as an export writes it; folders are made."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = "\r\n".join(lines).encode(encoding) + b"\r\n"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


def codes_at(findings: pd.DataFrame) -> set[tuple[int | None, str, str]]:
    """Findings as (row, column, code)."""
    return {
        (None if pd.isna(row) else int(row), column, code)
        for row, column, code in zip(
            findings["row"], findings["column"], findings["code"], strict=True
        )
    }


def sorted_table(tables: Tables, name: str) -> pd.DataFrame:
    frame = tables.canonical(name)
    keys = [ID_COLUMNS[name]] if name in ID_COLUMNS else list(frame.columns)
    return frame.sort_values(keys, kind="stable").reset_index(drop=True)


def assert_same_tables(
    expected: Tables, actual: Tables, *, not_carried: Mapping[str, set[str]] | None = None
) -> None:
    """`actual` equals `expected` per table and column (rows sorted by id), except the columns
    in `not_carried`: what the LAS does not export."""
    skipped = not_carried or {}
    for name in TABLE_NAMES:
        want, got = sorted_table(expected, name), sorted_table(actual, name)
        assert len(got) == len(want), f"{name}: {len(got)} rows, expected {len(want)}"
        for column in want.columns:
            if column in skipped.get(name, set()):
                continue
            pd.testing.assert_series_equal(got[column], want[column], obj=f"{name}.{column}")
