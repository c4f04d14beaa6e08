"""Two files of one import table are named by their own names in the finding, as every output
names a file: the folders above them are private (they may name a person) and would travel into
the bundle's findings."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import IMPORTFILES, VALID

from lwtop_toolkit import load


@pytest.mark.produces("duplicate-table")
def test_duplicate_table_names_files_without_their_folders(tmp_path: Path) -> None:
    private = tmp_path / "Documenten van J. de Vries"
    school = private / "school"
    shutil.copytree(VALID, school)
    extra = private / "extra"
    extra.mkdir()
    shutil.copy(IMPORTFILES / "leerlingen-komma.csv", extra / "leerlingen.csv")
    loaded = load([school, extra / "leerlingen.csv"])
    doubled = loaded.findings[loaded.findings["code"].eq("duplicate-table")]
    assert doubled["table"].tolist() == ["leerlingen"]
    value, message = doubled["value"].iloc[0], doubled["message"].iloc[0]
    # two files called leerlingen.csv: each with its own folder's name, nothing above it
    assert value == "school/leerlingen.csv, extra/leerlingen.csv"
    for text in (value, message):
        assert str(tmp_path) not in text and "J. de Vries" not in text


@pytest.mark.produces("duplicate-table")
def test_duplicate_table_of_differently_named_files_names_them_alone() -> None:
    loaded = load([VALID, IMPORTFILES / "leerlingen-komma.csv"])
    doubled = loaded.findings[loaded.findings["code"].eq("duplicate-table")]
    assert doubled["value"].tolist() == ["leerlingen.csv, leerlingen-komma.csv"]
