"""A folder of school exports: each subfolder one school's export, read in one run.

A board or samenwerkingsverband hands in one folder with a subfolder per school (`42KX/` with
the import files, or `42KX/EDEX.XML`). Each subfolder is read as its own export and the
tables and findings are put together: one delivery, every row still pointing at its own file.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from lwtop_toolkit.findings import concat
from lwtop_toolkit.model import SOURCE_FILE, SOURCE_ROW, TABLE_NAMES, Tables
from lwtop_toolkit.readers import importfiles
from lwtop_toolkit.readers.base import Reader, ReadResult
from lwtop_toolkit.readers.files.toolkit_workbooks import is_toolkit_workbook
from lwtop_toolkit.runtime.progress import bar


def _visible(path: Path) -> bool:
    return not path.name.startswith((".", "~$", "__"))


def school_folders(paths: Sequence[Path]) -> list[Path] | None:
    """The export folders when `paths` is one folder holding only subfolders (and perhaps our
    own workbooks, such as the board's overzicht.xlsx); else None."""
    if len(paths) != 1 or not paths[0].is_dir():
        return None
    children = [child for child in sorted(paths[0].iterdir()) if _visible(child)]
    if any(child.is_file() and not is_toolkit_workbook(child) for child in children):
        return None
    folders = [child for child in children if child.is_dir()]
    return folders or None


def read_folders(
    folders: Sequence[Path],
    format: str | None,
    read_one: Callable[[Sequence[Path], str | None], ReadResult],
    readers: Mapping[str, Reader],
) -> ReadResult:
    """Read every export folder and put the results together.

    Import files of the same shape in every folder (same file names and header lines, UTF-8,
    no quotes) are read as one file per table, each row still numbered in its own file; any
    doubt (another shape, a finding about a header or a whole file) reads folder by folder.
    `readers` is the registry (in its order of detection).
    """
    if format in (None, importfiles.NAME) and len(folders) > 1:
        joined = _read_joined(folders, read_one, readers)
        if joined is not None:
            return joined
    results = [
        read_one([folder], format) for folder in bar(folders, "scholen inlezen", total=len(folders))
    ]
    frames = {
        name: pd.concat([result.tables[name] for result in results], ignore_index=True)
        for name in TABLE_NAMES
    }
    formats = sorted({result.format for result in results})
    return ReadResult(
        tables=Tables(**frames),
        findings=concat([result.findings for result in results]),
        format=formats[0] if len(formats) == 1 else "+".join(formats),
        files=[file for result in results for file in result.files],
    )


# --- import files of many schools, read as one ---------------------------------------------------

BOM = b"\xef\xbb\xbf"


def _read_joined(
    folders: Sequence[Path],
    read_one: Callable[[Sequence[Path], str | None], ReadResult],
    readers: Mapping[str, Reader],
) -> ReadResult | None:
    """The folders' import files joined per file name and read once; None when in doubt."""
    names = [sorted(path.name for path in folder.iterdir() if _visible(path)) for folder in folders]
    if any(listed != names[0] for listed in names) or not names[0]:
        return None
    if not all(name.lower().endswith(".csv") for name in names[0]):
        return None
    first = [folders[0]]
    if not readers[importfiles.NAME].detect(first) or _detected_before(folders[0], readers):
        return None
    contents: dict[str, list[tuple[Path, bytes]]] = {name: [] for name in names[0]}
    for folder in bar(folders, "scholen inlezen", total=len(folders)):
        for name in names[0]:
            contents[name].append((folder / name, (folder / name).read_bytes()))
    with tempfile.TemporaryDirectory(prefix="lwtop-batch-") as scratch:
        segments: dict[str, list[tuple[str, int]]] = {}
        for name in names[0]:
            joined = _join(contents.pop(name))
            if joined is None:
                return None
            data, segments[name] = joined
            (Path(scratch) / name).write_bytes(data)
        result = read_one([Path(scratch)], importfiles.NAME)
        return _renumbered(result, Path(scratch), segments)


def _detected_before(folder: Path, readers: Mapping[str, Reader]) -> bool:
    """Whether a reader before the import files in the registry claims this folder."""
    for name, reader in readers.items():
        if name == importfiles.NAME:
            return False
        if reader.detect([folder]):
            return True
    return False


def _join(files: Sequence[tuple[Path, bytes]]) -> tuple[bytes, list[tuple[str, int]]] | None:
    """One file of the header and every file's rows; per file its name and its line count."""
    header = None
    bodies, segments = [], []
    for path, data in files:
        if data.startswith(BOM):
            data = data[len(BOM) :]
        if b'"' in data or b"\x00" in data or b"\r" in data.replace(b"\r\n", b""):
            return None
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return None
        first, _, body = data.partition(b"\n")
        if header is None:
            header = first
        elif first != header:
            return None
        if body and not body.endswith(b"\n"):
            body += b"\r\n" if first.endswith(b"\r") else b"\n"
        bodies.append(body)
        segments.append((str(path), body.count(b"\n")))
    return BOM + (header or b"") + b"\n" + b"".join(bodies), segments


def _renumbered(
    result: ReadResult, scratch: Path, segments: dict[str, list[tuple[str, int]]]
) -> ReadResult | None:
    """Rows and findings of the joined files pointed back at each school's own file and row."""
    lookups = {str(scratch / name): _lookup(parts) for name, parts in segments.items()}
    findings = result.findings
    if not findings.empty:
        row = findings["row"]
        if row.isna().any() or (row <= 1).any() or not findings["file"].isin(lookups).all():
            return None  # about a header or a whole file: each school's own finding, one by one
        if findings["message"].str.contains(str(scratch), regex=False).any():
            return None
        files, rows = _map_back(findings["file"], row, lookups)
        findings = findings.assign(file=files, row=rows)
    frames = {}
    for name in TABLE_NAMES:
        frame = result.tables[name]
        if len(frame):
            files, rows = _map_back(frame[SOURCE_FILE], frame[SOURCE_ROW], lookups)
            frame = frame.assign(**{SOURCE_FILE: files, SOURCE_ROW: rows})
        frames[name] = frame
    by_folder = zip(*([file for file, _ in parts] for parts in segments.values()), strict=True)
    originals = [Path(file) for files_of_folder in by_folder for file in files_of_folder]
    return ReadResult(
        tables=Tables(**frames), findings=findings, format=result.format, files=originals
    )


def _lookup(parts: list[tuple[str, int]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(first joined line of each file, line offset, file name) for `np.searchsorted`."""
    counts = np.array([count for _, count in parts], dtype=np.int64)
    starts = 2 + np.concatenate([[0], np.cumsum(counts)[:-1]])  # line 1 is the header
    names = np.array([file for file, _ in parts], dtype=object)
    return starts, starts - 2, names


def _map_back(
    files: pd.Series, rows: pd.Series, lookups: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]
) -> tuple[pd.Series, pd.Series]:
    """Joined (file, row) -> the school's own file and row."""
    out_files = pd.Series("", index=files.index, dtype="str")
    out_rows = pd.Series(pd.NA, index=files.index, dtype="Int64")
    for joined, (starts, offsets, names) in lookups.items():
        mine = files.eq(joined).to_numpy() & rows.notna().to_numpy()
        if not mine.any():
            continue
        line = rows[mine].to_numpy(dtype=np.int64)
        which = np.searchsorted(starts, line, side="right") - 1
        out_files[mine] = names[which]
        out_rows[mine] = line - offsets[which]
    return out_files, out_rows
