"""Shared test helpers: the hand-made import files and a compact view of findings."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from lwtop_toolkit import Loaded, load

DATA = Path(__file__).parent / "data"
IMPORTFILES = DATA / "importfiles"
VALID = IMPORTFILES / "valid"
REPO = Path(__file__).resolve().parent.parent
SAMPLE_DATA = REPO / "sample_data"


def where(findings: pd.DataFrame) -> set[tuple[str, int | None, str, str]]:
    """Findings as (file name, row, column, code): what a coordinator looks up."""
    return {
        (
            Path(str(file).split(" [")[0]).name if file else "",
            None if pd.isna(row) else int(row),
            column,
            code,
        )
        for file, row, column, code in zip(
            findings["file"], findings["row"], findings["column"], findings["code"], strict=True
        )
    }


def load_with_valid(defect: str, *, replace: str = "leerlingen") -> Loaded:
    """The valid school with one of its tables replaced by the defect file `defect`."""
    others = [VALID / f"{name}.csv" for name in ("groepen", "leerlingen", "medewerkers")]
    others = [path for path in others if path.stem != replace]
    return load([*others, IMPORTFILES / defect])


@pytest.fixture
def valid_folder() -> Path:
    return VALID


def tree_bytes(folder: Path) -> dict[str, bytes]:
    """Every file below `folder` (relative POSIX path -> bytes): for comparing written trees."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def zip_members(path: Path) -> dict[str, bytes]:
    """Every member of a zip (a bundle) by name."""
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def csv_frame(data: bytes) -> pd.DataFrame:
    """A CSV of the default bundle profile (`;`, UTF-8 with BOM) as text columns."""
    return pd.read_csv(
        io.BytesIO(data), sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig"
    )
