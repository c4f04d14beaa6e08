"""The import files: CSV and XLSX keep every value as text, byte for byte the same each time."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Literal

import openpyxl
import pandas as pd
import pytest

from lwtop_toolkit.model import TABLE_COLUMNS, Tables
from lwtop_toolkit.writers.importfiles import WORKBOOK_NAME, write_import_files

TRICKY_NAME = 'Jan;"Sjaak"\nvan Zoë'


def _tables(*, links: bool = True) -> Tables:
    return Tables.from_frames(
        groepen=pd.DataFrame(
            {
                "groep_id": ["G1", "007"],
                "groepsnaam": ["=SUM(A1:A2)", "3/4"],
                "jaargroep": ["", "3"],
                "soort": ["stamgroep", "stamgroep"],
                "schooljaar": ["2026-2027", "2026-2027"],
            }
        ),
        leerlingen=pd.DataFrame(
            {
                "leerling_id": ["001234", "42"],
                "achternaam": [TRICKY_NAME, "Çelik"],
                "tussenvoegsel": ["van 't", ""],
                "roepnaam": ["François", "+31 6"],
                "geboortedatum": [dt.date(2019, 3, 4), None],
                "groep_id": ["G1", "007"],
                "samengestelde_groepen": ["A|B", ""],
            }
        ),
        medewerkers=pd.DataFrame({"medewerker_id": ["M001"], "achternaam": ["Smit"]}),
        medewerker_groepen=pd.DataFrame({"medewerker_id": ["M001"], "groep_id": ["G1"]})
        if links
        else pd.DataFrame(columns=["medewerker_id", "groep_id"]),
    )


def _read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle, delimiter=";"))


def test_csv_round_trip(tmp_path: Path) -> None:
    paths = write_import_files(_tables(), tmp_path)
    assert [p.name for p in paths] == [
        "groepen.csv",
        "leerlingen.csv",
        "medewerkers.csv",
        "medewerker_groepen.csv",
    ]
    rows = _read_csv(tmp_path / "leerlingen.csv")
    assert rows[0] == list(TABLE_COLUMNS["leerlingen"])
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["leerling_id"] == "001234"
    assert first["achternaam"] == TRICKY_NAME
    assert first["tussenvoegsel"] == "van 't"
    assert first["roepnaam"] == "François"
    assert first["geboortedatum"] == "2019-03-04"
    assert first["samengestelde_groepen"] == "A|B"
    second = dict(zip(rows[0], rows[2], strict=True))
    assert second["geboortedatum"] == ""
    assert len(rows) == 3
    assert _read_csv(tmp_path / "groepen.csv")[2][0] == "007"


def test_csv_bytes(tmp_path: Path) -> None:
    write_import_files(_tables(), tmp_path)
    data = (tmp_path / "groepen.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbfgroep_id;groepsnaam;jaargroep;soort;")
    assert data.endswith(b"\r\n")
    assert data.count(b"\r\n") == 3
    assert b'"' not in data  # quoted only when needed
    assert b"_file" not in data and b"_row" not in data
    text = (tmp_path / "leerlingen.csv").read_bytes().decode("utf-8-sig")
    assert '"Jan;""Sjaak""\nvan Zoë"' in text


def test_optional_links_file_only_with_rows(tmp_path: Path) -> None:
    paths = write_import_files(_tables(links=False), tmp_path)
    assert [p.name for p in paths] == ["groepen.csv", "leerlingen.csv", "medewerkers.csv"]
    assert not (tmp_path / "medewerker_groepen.csv").exists()


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_deterministic(tmp_path: Path, kind: Literal["csv", "xlsx"]) -> None:
    first = write_import_files(_tables(), tmp_path / "a", kind=kind)
    second = write_import_files(_tables(), tmp_path / "b", kind=kind)
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]


def test_xlsx_cells_are_text(tmp_path: Path) -> None:
    [path] = write_import_files(_tables(), tmp_path, kind="xlsx")
    assert path.name == WORKBOOK_NAME
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["groepen", "leerlingen", "medewerkers", "medewerker_groepen"]
    for sheet in workbook.worksheets:
        header = [cell.value for cell in sheet[1]]
        assert header == list(TABLE_COLUMNS[sheet.title])
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f"
                if cell.value is not None:
                    assert cell.data_type == "s" and isinstance(cell.value, str)
    groepen = workbook["groepen"]
    # neutralised: a text marker in front, readable, never run by a spreadsheet
    assert groepen["B2"].value == "'=SUM(A1:A2)"
    assert groepen["B2"].data_type == "s"
    assert groepen["A3"].value == "007"
    leerlingen = workbook["leerlingen"]
    assert leerlingen["A2"].value == "001234"
    assert leerlingen["B2"].value == TRICKY_NAME
    assert leerlingen["F2"].value == "2019-03-04"
    assert leerlingen["D3"].value == "'+31 6"
    assert workbook.properties.created == dt.datetime(2000, 1, 1)
    assert workbook.properties.modified == dt.datetime(2000, 1, 1)


def test_xlsx_has_no_formula_markup(tmp_path: Path) -> None:
    [path] = write_import_files(_tables(), tmp_path, kind="xlsx")
    with zipfile.ZipFile(path) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        assert sheets
        for name in sheets:
            assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name)


def test_xlsx_without_links_has_three_sheets(tmp_path: Path) -> None:
    [path] = write_import_files(_tables(links=False), tmp_path, kind="xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(path.read_bytes()))
    assert workbook.sheetnames == ["groepen", "leerlingen", "medewerkers"]


def test_unknown_kind(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        write_import_files(_tables(), tmp_path, kind="ods")  # type: ignore[arg-type]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_neutralised_values_read_back_as_written(tmp_path: Path, kind: str) -> None:
    """Our readers drop exactly the marker our writers add: the round trip is exact."""
    from lwtop_toolkit import read

    tables = _tables()
    write_import_files(tables, tmp_path, kind=kind)  # type: ignore[arg-type]
    back = read([tmp_path]).tables
    assert back.groepen.loc[0, "groepsnaam"] == "=SUM(A1:A2)"
    assert back.leerlingen.loc[1, "roepnaam"] == "+31 6"
