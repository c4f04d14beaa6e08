"""Writing a synthetic board: import files per school or for the whole board, EDEXML per school.

`write_board` writes both years of a `board.Board` as import files (one folder per school, or
one export for the whole board) and as EDEXML (one `EDEX.XML` per school, on every core for many
schools); optionally with a share of spoiled pupil rows. The same board, the same bytes.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd

from lwtop_toolkit.model import TABLE_COLUMNS, TABLE_NAMES, Tables
from lwtop_toolkit.samples.board import Board
from lwtop_toolkit.samples.exports.edexml import edexml_bytes, sample_moment
from lwtop_toolkit.writers.importfiles import tables_to_write
from lwtop_toolkit.writers.profiles import TOPDOSSIER

LAYOUTS = ("schools", "board")
FORMATS = ("csv", "edexml")
EDEXML_FOLDER = "edexml"
DIRTY_KINDS = ("invalid-date", "unknown-group", "duplicate-id")


def write_board(
    board: Board,
    out_dir: Path,
    *,
    layout: str = "schools",
    formats: Iterable[str] = FORMATS,
    dirty: float = 0.0,
    seed: int = 2026,
    progress: Callable[[Iterable[str]], Iterable[str]] | None = None,
) -> list[Path]:
    """Write both years of `board` into `out_dir`; return the files written.

    Import files: `out_dir/<schooljaar>/<school>/<tabel>.csv` (layout `schools`: a folder of
    school exports), or `out_dir/<schooljaar>/<tabel>.csv` (`board`: one export of every
    school). EDEXML: `out_dir/edexml/<schooljaar>/<school>/EDEX.XML`. `dirty` is the share of
    pupil rows given a bad value (an impossible date, an unknown group, a doubled number), in
    turn; only in the import files.
    """
    out_dir = Path(out_dir)
    formats = tuple(formats)
    if layout not in LAYOUTS or not set(formats) <= set(FORMATS):
        raise ValueError(f"layout {layout!r} or formats {formats!r} unknown")
    written: list[Path] = []
    for tables in (board.old, board.new):
        year = tables.schooljaar()
        assert year is not None  # a generated board always names its year
        folder = out_dir / str(year)
        if "csv" in formats:
            files = _csv_files(tables, dirty, seed + year.start)
            if layout == "board":
                end = TOPDOSSIER.line_end.encode()
                written += [_write(folder / name, end.join(lines)) for name, lines in files]
            else:
                written += _write_per_school(files, tables, folder, progress)
        if "edexml" in formats:
            written += _write_edexml(tables, out_dir / EDEXML_FOLDER / str(year), progress)
    return written


def _write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def school_runs(brin: pd.Series) -> dict[str, tuple[int, int]]:
    """(start, end) of each school's rows in a table whose rows are grouped by school."""
    values = brin.to_numpy(dtype=object)
    if len(values) == 0:
        return {}
    starts = np.flatnonzero(np.r_[True, values[1:] != values[:-1]])
    ends = np.r_[starts[1:], len(values)]
    return {str(values[s]): (int(s), int(e)) for s, e in zip(starts, ends, strict=True)}


def _csv_files(tables: Tables, dirty: float, seed: int) -> list[tuple[str, list[bytes]]]:
    """Per table its file name and its bytes in three parts: BOM + header, rows, nothing.

    The whole table is written once (`Profile.table_csv`) and cut into lines; the generated
    values hold no line breaks, so one line is one row.
    """
    profile = TOPDOSSIER
    out = []
    for name in tables_to_write(tables):
        data = profile.table_csv(tables[name], name)
        lines = data.split(profile.line_end.encode())
        assert len(lines) == len(tables[name]) + 2  # header, rows, "" after the last line end
        if name == "leerlingen" and dirty > 0:
            _make_dirty(lines, dirty, seed)
        out.append((profile.file_name(name), lines))
    return out


def _make_dirty(lines: list[bytes], share: float, seed: int) -> None:
    """Give `share` of the pupil rows a bad value, the kinds of DIRTY_KINDS in turn."""
    columns = TABLE_COLUMNS["leerlingen"]
    rows = len(lines) - 2
    count = min(rows - 1, round(rows * share))
    if count <= 0:
        return
    chosen = np.sort(np.random.default_rng(seed).choice(np.arange(2, rows + 1), count, False))
    where = {name: columns.index(name) for name in ("geboortedatum", "groep_id", "leerling_id")}
    for k, line_number in enumerate(chosen):
        fields = lines[line_number].split(b";")
        kind = DIRTY_KINDS[k % len(DIRTY_KINDS)]
        if kind == "invalid-date":
            fields[where["geboortedatum"]] = b"31-02-2016"
        elif kind == "unknown-group":
            fields[where["groep_id"]] = b"ONBEKEND-" + str(k).encode()
        else:
            previous = lines[line_number - 1].split(b";")
            fields[where["leerling_id"]] = previous[where["leerling_id"]]
        lines[line_number] = b";".join(fields)


def _row_schools(tables: Tables, name: str) -> pd.Series:
    """The school of each row; generated staff ids start with their school's BRIN (`42KX-M001`)."""
    frame = tables[name]
    return frame["brin"] if "brin" in frame else frame["medewerker_id"].str.slice(0, 4)


def _write_per_school(
    files: list[tuple[str, list[bytes]]],
    tables: Tables,
    folder: Path,
    progress: Callable[[Iterable[str]], Iterable[str]] | None,
) -> list[Path]:
    """One folder per school with its part of every table (rows are grouped by school)."""
    end = TOPDOSSIER.line_end.encode()
    names = tables_to_write(tables)
    runs = {name: school_runs(_row_schools(tables, name)) for name in names}
    written = []
    schools = sorted(runs["groepen"])
    for school in progress(schools) if progress else schools:
        for name, (file_name, lines) in zip(names, files, strict=True):
            start, stop = runs[name].get(school, (0, 0))
            body = end.join([lines[0], *lines[start + 1 : stop + 1], b""])
            written.append(_write(folder / school / file_name, body))
    return written


# The tables being written as EDEXML, for the worker processes (inherited when they fork).
_EDEXML_JOB: dict[str, object] = {}
PARALLEL_FROM_SCHOOLS = 40


def _write_edexml(
    tables: Tables, folder: Path, progress: Callable[[Iterable[str]], Iterable[str]] | None
) -> list[Path]:
    """One EDEXML file per school, made by the EDEXML writer; on every core for many schools."""
    year = tables.schooljaar()
    assert year is not None
    runs = {name: school_runs(_row_schools(tables, name)) for name in TABLE_NAMES}
    schools = sorted(runs["groepen"])
    _EDEXML_JOB.update(tables=tables, runs=runs, folder=folder, moment=sample_moment(year))
    try:
        workers = os.cpu_count() or 1
        if workers < 2 or len(schools) < PARALLEL_FROM_SCHOOLS:
            one_by_one = map(_edexml_school, schools)
            return list(progress(one_by_one) if progress else one_by_one)  # type: ignore[arg-type]
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            done = pool.map(_edexml_school, schools, chunksize=max(1, len(schools) // 64))
            return list(progress(done) if progress else done)  # type: ignore[arg-type]
    finally:
        _EDEXML_JOB.clear()


def _edexml_school(school: str) -> Path:
    tables: Tables = _EDEXML_JOB["tables"]  # type: ignore[assignment]
    runs: dict[str, dict[str, tuple[int, int]]] = _EDEXML_JOB["runs"]  # type: ignore[assignment]
    moment: dt.datetime = _EDEXML_JOB["moment"]  # type: ignore[assignment]
    parts = {}
    for name in TABLE_NAMES:
        start, stop = runs[name].get(school, (0, 0))
        parts[name] = tables[name].iloc[start:stop]
    data = edexml_bytes(
        Tables(**parts),
        aanmaakdatum=moment,
        peildatum=moment.date(),
        auteur="lwtop-toolkit (synthetisch bestuur)",
    )
    folder: Path = _EDEXML_JOB["folder"]  # type: ignore[assignment]
    return _write(folder / school / "EDEX.XML", data)
