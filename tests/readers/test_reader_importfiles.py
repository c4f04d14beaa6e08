"""The import-file reader and validation on hand-made files named by their defect.

Every expectation is what a coordinator would look up: (file, row, column, code), with the row
as a spreadsheet shows it (header = row 1).
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from conftest import IMPORTFILES, VALID, load_with_valid, where

from lwtop_toolkit import ToolkitError, load, read
from lwtop_toolkit.findings import FINDING_COLUMNS


def test_valid_folder_reads_clean_with_every_value_kept() -> None:
    loaded = load([VALID])
    assert loaded.format == "importfiles"
    assert loaded.findings.empty
    assert loaded.tables.row_counts() == {
        "groepen": 4,
        "leerlingen": 5,
        "medewerkers": 3,
        "medewerker_groepen": 3,
    }
    pupils = loaded.tables.leerlingen.set_index("leerling_id")
    assert list(pupils.index) == ["001234", "001235", "001240", "001241", "001250"]
    assert pupils.loc["001250", "roepnaam"] == 'Mo "Momo"; jr'  # quotes and ; survive
    assert pupils.loc["001235", "roepnaam"] == "Zoë"
    assert pupils.loc["001235", "tussenvoegsel"] == "van den"
    # ISO, dd-mm-jjjj, d-m-jjjj and dd/mm/jjjj dates
    assert pupils["geboortedatum"].dt.date.tolist() == [
        dt.date(2021, 3, 4),
        dt.date(2020, 5, 12),
        dt.date(2019, 9, 3),
        dt.date(2019, 1, 20),
        dt.date(2014, 6, 30),
    ]
    assert pupils["_row"].tolist() == [2, 3, 4, 5, 6]


@pytest.mark.produces(
    "unknown-group",
    "duplicate-id",
    "invalid-date",
    "missing-column",
    "invalid-code",
    "jaargroep-mismatch",
    "value-too-long",
    "implausible-birth-date",
    "untrimmed-value",
    "missing-value",
    "not-a-stamgroep",
    "pupil-without-group",
    "leading-zero-ids",
    "possible-duplicate-person",
    "malformed-row",
    "duplicate-column",
    "sensitive-column-dropped",
    "unknown-column",
    "no-rows",
)
@pytest.mark.parametrize(
    ("defect", "expected"),
    [
        ("invalid-unknown-group.csv", {(3, "groep_id", "unknown-group")}),
        (
            "invalid-duplicate-id.csv",
            {(2, "leerling_id", "duplicate-id"), (4, "leerling_id", "duplicate-id")},
        ),
        ("invalid-date.csv", {(4, "geboortedatum", "invalid-date")}),
        ("invalid-missing-column.csv", {(1, "geslacht", "missing-column")}),
        (
            "invalid-code.csv",
            {
                (2, "geslacht", "invalid-code"),
                (3, "jaargroep", "invalid-code"),
                (3, "jaargroep", "jaargroep-mismatch"),
            },
        ),
        ("invalid-tussenvoegsel-too-long.csv", {(3, "tussenvoegsel", "value-too-long")}),
        (
            "invalid-implausible-birth-date.csv",
            {(2, "geboortedatum", "implausible-birth-date")},
        ),
        (
            "invalid-untrimmed-and-missing.csv",
            {
                (2, "achternaam", "untrimmed-value"),
                (4, "achternaam", "missing-value"),
                (4, "geboortedatum", "missing-value"),
            },
        ),
        (
            "invalid-cross-table.csv",
            {
                (2, "groep_id", "not-a-stamgroep"),
                (3, "samengestelde_groepen", "unknown-group"),
                (3, "jaargroep", "jaargroep-mismatch"),
                (4, "groep_id", "pupil-without-group"),
                (5, "leerling_id", "leading-zero-ids"),
                (6, "leerling_id", "possible-duplicate-person"),
            },
        ),
        ("invalid-malformed-row.csv", {(3, "", "malformed-row")}),
        (
            "invalid-columns.csv",
            {
                (1, "achternaam", "duplicate-column"),
                (1, "", "sensitive-column-dropped"),
                (1, "", "unknown-column"),
            },
        ),
        ("invalid-no-rows.csv", {(None, "", "no-rows")}),
    ],
)
def test_pupil_defects_point_at_the_row(defect: str, expected: set) -> None:
    loaded = load_with_valid(defect)
    mine = {(row, column, code) for file, row, column, code in where(loaded.findings)}
    mine = {item for item in mine if item[2] != "empty-group"}  # the defect empties groups
    assert expected <= mine, mine
    assert {item[2] for item in mine} == {item[2] for item in expected}


def test_a_bad_date_gets_one_finding_not_two() -> None:
    loaded = load_with_valid("invalid-date.csv")
    cell = loaded.findings[loaded.findings["row"].eq(4)]
    assert cell["code"].tolist() == ["invalid-date"]
    assert cell["value"].tolist() == ["31-02-2014"]


def test_a_missing_column_is_one_finding_not_one_per_row() -> None:
    loaded = load_with_valid("invalid-missing-column.csv")
    on_column = loaded.findings[loaded.findings["column"].eq("geslacht")]
    assert on_column["code"].tolist() == ["missing-column"]


def test_a_malformed_row_is_named_and_the_other_rows_are_kept() -> None:
    loaded = load_with_valid("invalid-malformed-row.csv")
    assert loaded.tables.leerlingen["leerling_id"].tolist() == ["001234", "001250"]
    bad = loaded.findings[loaded.findings["code"].eq("malformed-row")]
    assert bad["row"].tolist() == [3] and bad["value"].tolist() == ["16"]


def test_citizen_numbers_and_addresses_never_reach_the_tables() -> None:
    loaded = load_with_valid("invalid-columns.csv")
    text = loaded.tables.leerlingen.to_csv()
    for secret in ("123456782", "111222333", "1234AB", "9999ZZ", "voetbal"):
        assert secret not in text
    dropped = loaded.findings[loaded.findings["code"].eq("sensitive-column-dropped")]
    assert dropped["value"].tolist() == ["BSN, Postcode"]
    # aliases: Leerlingnummer, Klas and Leerjaar were understood
    assert loaded.tables.leerlingen["groep_id"].tolist() == ["G1", "G8"]
    assert loaded.tables.leerlingen["jaargroep"].tolist() == ["1", "8"]


@pytest.mark.produces(
    "invalid-brin",
    "invalid-vestiging",
    "invalid-schooljaar",
    "invalid-code",
    "untrimmed-value",
    "empty-group",
    "mixed-schooljaar",
    "invalid-email",
)
@pytest.mark.parametrize(
    ("defect", "replace", "expected"),
    [
        (
            "invalid-groepen.csv",
            "groepen",
            {
                (3, "brin", "invalid-brin"),
                (3, "vestiging", "invalid-vestiging"),
                (3, "schooljaar", "invalid-schooljaar"),
                (4, "soort", "invalid-code"),
                (5, "groepsnaam", "untrimmed-value"),
                (5, "groep_id", "empty-group"),
                (2, "schooljaar", "mixed-schooljaar"),
            },
        ),
        ("invalid-email.csv", "medewerkers", {(2, "email", "invalid-email")}),
    ],
)
def test_group_and_staff_defects(defect: str, replace: str, expected: set) -> None:
    loaded = load_with_valid(defect, replace=replace)
    mine = {(row, column, code) for _, row, column, code in where(loaded.findings)}
    assert expected <= mine, mine
    assert "duplicate-table" not in {code for *_, code in mine}


@pytest.mark.produces("unknown-staff", "unknown-group", "duplicate-link")
def test_link_defects() -> None:
    tables = [VALID / f"{name}.csv" for name in ("groepen", "leerlingen", "medewerkers")]
    loaded = load([*tables, IMPORTFILES / "invalid-links.csv"])
    mine = {(row, column, code) for _, row, column, code in where(loaded.findings)}
    assert mine == {
        (3, "medewerker_id", "unknown-staff"),
        (4, "groep_id", "unknown-group"),
        (5, "groep_id", "duplicate-link"),
    }


@pytest.mark.produces("unknown-format", "missing-table", "duplicate-table")
def test_missing_duplicate_and_unrecognised_files(tmp_path: Path) -> None:
    loaded = load([VALID / "groepen.csv", IMPORTFILES / "invalid-unrecognised.csv"])
    codes = loaded.findings.set_index("code")["table"].to_dict()
    assert codes["missing-table"] in {"leerlingen", "medewerkers"}
    assert "unknown-format" in codes
    both = load([VALID, IMPORTFILES / "leerlingen-komma.csv"])
    doubled = both.findings[both.findings["code"].eq("duplicate-table")]
    assert doubled["table"].tolist() == ["leerlingen"]


@pytest.mark.parametrize(
    ("name", "encoding_note"),
    [
        ("leerlingen-komma.csv", None),
        ("leerlingen-tab-bom.csv", None),
        ("leerlingen-windows-1252.csv", "cp1252"),
    ],
)
def test_delimiters_and_encodings(name: str, encoding_note: str | None) -> None:
    loaded = load_with_valid(name)
    reference = load([VALID]).tables.canonical("leerlingen")
    got = loaded.tables.canonical("leerlingen")
    if encoding_note:  # Windows-1252 cannot hold ı and ş: the file uses i and s
        reference = reference.replace({"Yılmaz": "Yilmaz", "Ayşe": "Ayse"})
    pd.testing.assert_frame_equal(got, reference)
    notes = loaded.findings[loaded.findings["code"].eq("encoding-fallback")]
    assert notes["value"].tolist() == ([encoding_note] if encoding_note else [])
    assert (loaded.findings["severity"] != "error").all()


def _workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def test_one_workbook_with_three_sheets_keeps_ids_and_reads_excel_dates(tmp_path: Path) -> None:
    csv_tables = load([VALID]).tables
    sheets = {}
    for name in ("groepen", "leerlingen", "medewerkers"):
        frame = csv_tables.canonical(name)
        rows: list[list[object]] = [list(frame.columns)]
        for record in frame.itertuples(index=False):
            rows.append(
                [
                    value.to_pydatetime() if isinstance(value, pd.Timestamp) else value
                    for value in record
                ]
            )
        sheets[name] = rows
    # one date as an Excel serial number typed as text, as hand-edited sheets have them
    sheets["leerlingen"][1][5] = "44259"  # 2021-03-04
    path = _workbook(tmp_path / "school.xlsx", sheets)
    loaded = load([path])
    assert loaded.findings.empty, loaded.findings
    pd.testing.assert_frame_equal(
        loaded.tables.canonical("leerlingen"), csv_tables.canonical("leerlingen")
    )
    assert loaded.tables.leerlingen["_file"].iloc[0].endswith("school.xlsx [leerlingen]")


def test_a_workbook_with_a_title_row_numbers_rows_like_excel(tmp_path: Path) -> None:
    header = ["groep_id", "groepsnaam", "jaargroep", "soort", "schooljaar", "brin", "vestiging"]
    path = _workbook(
        tmp_path / "groepen.xlsx",
        {"groepen": [[], [], header, ["G1", "1", "1", "stamgroep", "2026-2027", "12AB", "7"]]},
    )
    result = read([path, VALID / "leerlingen.csv", VALID / "medewerkers.csv"])
    assert result.tables.groepen["_row"].tolist() == [4]
    loaded = load([path, VALID / "leerlingen.csv", VALID / "medewerkers.csv"])
    assert (4, "vestiging", "invalid-vestiging") in {
        (row, column, code) for _, row, column, code in where(loaded.findings)
    }


@pytest.mark.produces("unreadable-file")
@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", "leeg"),
        (b"%PDF-1.7\n%binary", "PDF"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, ".xls"),
        (b"PK\x03\x04 not really a zip", "beschadigd"),
        (b"\x00\x01\x02binary\x00data" * 20, "binaire"),
        (b'leerling_id;achternaam\n"001;Jansen\n', "aanhalingsteken"),
    ],
)
def test_unreadable_files_raise_one_dutch_error(tmp_path: Path, content: bytes, words: str) -> None:
    suffix = ".xlsx" if content.startswith(b"PK") else ".csv"
    path = tmp_path / f"leerlingen{suffix}"
    path.write_bytes(content)
    with pytest.raises(ToolkitError) as raised:
        load([path])
    assert words in raised.value.message
    assert str(path) in raised.value.message
    assert raised.value.finding["code"] == "unreadable-file"


def test_a_path_that_does_not_exist(tmp_path: Path) -> None:
    with pytest.raises(ToolkitError, match="bestaat niet"):
        load([tmp_path / "nergens.csv"])


def test_findings_frame_has_one_shape() -> None:
    for loaded in (load([VALID]), load_with_valid("invalid-cross-table.csv")):
        assert tuple(loaded.findings.columns) == FINDING_COLUMNS
        assert str(loaded.findings["row"].dtype) == "Int64"


def test_folder_reading_skips_excel_lock_files(tmp_path: Path) -> None:
    shutil.copytree(VALID, tmp_path / "school")
    (tmp_path / "school" / "~$leerlingen.xlsx").write_bytes(b"lock")
    assert load([tmp_path / "school"]).findings.empty
