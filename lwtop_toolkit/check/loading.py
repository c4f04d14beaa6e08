"""load(paths): read and validate in one step, with one finding per problem."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from lwtop_toolkit import findings as fd
from lwtop_toolkit.check.validate import validate
from lwtop_toolkit.model import Tables
from lwtop_toolkit.readers import read


@dataclass
class Loaded:
    """Tables read from files, every finding about them, the format and the files read; the
    sector they were read with when the user chose one (`--sector`), to read parts again so."""

    tables: Tables
    findings: pd.DataFrame
    format: str
    files: list[Path]
    sector: str | None = None


def load(
    paths: Sequence[Path | str],
    format: str | None = None,
    mapping: Mapping[str, str] | None = None,
    sector: str | None = None,
) -> Loaded:
    """Read `paths` and validate the tables; raises ToolkitError only for unreadable input.

    `mapping` ({column: field}, `--map`) is passed to the tabular LAS readers; `sector` (po, so,
    vo, mbo; `--sector`) says what a year 1-6 of a LAS export is (else the data decides).
    """
    result = read(paths, format, mapping, sector)
    checked = validate(result.tables)
    return Loaded(
        tables=result.tables,
        findings=fd.sort(combine(result.findings, checked)),
        format=result.format,
        files=result.files,
        sector=sector or None,
    )


# From this many bytes of input, last year is read in a second process beside this year.
PARALLEL_FROM_BYTES = 4 * 1024 * 1024


def load_years(
    old: Sequence[Path | str],
    new: Sequence[Path | str],
    formats: tuple[str | None, str | None] = (None, None),
    mapping: Mapping[str, str] | None = None,
    sector: str | None = None,
) -> tuple[Loaded, Loaded]:
    """`load` of last year's paths and of this year's, on two cores when the input is large.

    The result (and the error raised first, last year's before this year's) is that of two
    `load` calls one after the other.
    """

    def load_old() -> Loaded:
        return load(old, formats[0], mapping, sector)

    def load_new() -> Loaded:
        return load(new, formats[1], mapping, sector)

    if _size([*old, *new]) < PARALLEL_FROM_BYTES:
        return load_old(), load_new()
    from lwtop_toolkit.runtime.pool import both

    return both(load_old, load_new)


def _size(paths: Sequence[Path | str]) -> int:
    total = 0
    for path in map(Path, paths):
        try:
            files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
            total += sum(file.stat().st_size for file in files)
        except OSError:
            continue  # reading will say what is wrong with it
        if total >= PARALLEL_FROM_BYTES:
            break
    return total


# Reading findings about a whole column of a file (a column missing, a BRIN or school year that
# the export does not give): validation's findings on that column's empty cells are their echo.
COLUMN_FINDINGS = ("missing-column", "brin-unknown", "schooljaar-unknown")


def combine(reading: pd.DataFrame, checking: pd.DataFrame) -> pd.DataFrame:
    """Reading's findings and validation's, without validation's echo of a reading problem.

    A cell that reading already explained (a date that is no date, a column that is missing)
    is left empty in the tables; validation would report that emptiness again. One problem, one
    finding: validation's findings on a cell, or a column, that reading reported are dropped.
    """
    if reading.empty or checking.empty:
        return fd.concat([reading, checking])
    cells = set(zip(reading["file"], reading["row"].astype(str), reading["column"], strict=True))
    missing = reading[reading["code"].isin(COLUMN_FINDINGS)]
    columns = set(zip(missing["file"], missing["column"], strict=True))
    keys = zip(checking["file"], checking["row"].astype(str), checking["column"], strict=True)
    echo = [(file, row, column) in cells or (file, column) in columns for file, row, column in keys]
    return fd.concat([reading, checking[~pd.Series(echo, index=checking.index, dtype=bool)]])
