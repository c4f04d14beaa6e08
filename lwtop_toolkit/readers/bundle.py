"""Upload bundles read back: the import files inside our .zip, as the export they stand for.

`lwtop verify --expected lwtop-42AH-2026-2027.zip` compares what arrived with what the bundle
held; a board's bundles are read together, each as its own school's export.
"""

from __future__ import annotations

import tempfile
import zipfile
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from lwtop_toolkit.findings import ToolkitError
from lwtop_toolkit.model import SOURCE_FILE
from lwtop_toolkit.readers import read
from lwtop_toolkit.readers.base import ReadResult

BUNDLE_TABLES = ("groepen", "leerlingen", "medewerkers", "medewerker_groepen")
MAX_BUNDLE_BYTES = 512 * 1024 * 1024  # as readers/files/tabular.py: more is no bundle of ours


def is_bundle(path: Path) -> bool:
    """An upload bundle of ours: a zip holding manifest.json, of a sane unpacked size."""
    if not path.is_file() or path.suffix.lower() != ".zip":
        return False
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            size = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError) as error:
        raise ToolkitError(
            "unreadable-file", file=str(path), reason=f"de zip is niet te lezen ({error})."
        ) from None
    if size > MAX_BUNDLE_BYTES:
        raise ToolkitError(
            "unreadable-file", file=str(path), reason="de zip pakt uit tot meer dan 512 MB."
        )
    return "manifest.json" in names


def read_bundles(bundles: Sequence[Path]) -> ReadResult:
    """The import files of one school's bundle, or of a board's bundles (each read as its own
    export), as the importfiles reader reads them; files are named inside their bundle
    (`lwtop-42AH-2026-2027.zip/leerlingen.csv`), not in the temporary folder they were read from.
    """
    with tempfile.TemporaryDirectory(prefix="lwtop-bundel-") as scratch:
        folders = [Path(scratch)] if len(bundles) == 1 else [
            Path(scratch) / f"{number:04d}-{bundle.stem}" for number, bundle in enumerate(bundles)
        ]  # fmt: skip
        for bundle, folder in zip(bundles, folders, strict=True):
            folder.mkdir(exist_ok=True)
            with zipfile.ZipFile(bundle) as archive:
                for name in BUNDLE_TABLES:
                    member = f"{name}.csv"
                    if member in archive.namelist():
                        (folder / member).write_bytes(archive.read(member))
        result = read([Path(scratch)], "importfiles")
    bundle_of = {str(folder): str(bundle) for folder, bundle in zip(folders, bundles, strict=True)}
    return _renamed(result, bundle_of)


def _renamed(result: ReadResult, bundle_of: dict[str, str]) -> ReadResult:
    """Point file names at `bundle.zip/leerlingen.csv` instead of the temporary folders."""

    def rename(column: pd.Series) -> pd.Series:
        for folder, bundle in bundle_of.items():
            column = column.str.replace(folder, bundle, regex=False)
        return column

    for _, frame in result.tables.items():
        frame[SOURCE_FILE] = rename(frame[SOURCE_FILE])
    findings = result.findings.assign(file=rename(result.findings["file"]))
    return ReadResult(result.tables, findings, result.format, [Path(b) for b in bundle_of.values()])
