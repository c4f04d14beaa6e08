"""The staff workbook in a school's words: a Dutch first header, VO years as leerjaar 1-6, and
last week's workbook (the old technical header, the year codes) still read back."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from conftest import SAMPLE_DATA, where

from lwtop_toolkit import load
from lwtop_toolkit.cli.main import main
from lwtop_toolkit.sheets.staff_read import read_staff_sheet

PO_OLD, PO_NEW = SAMPLE_DATA / "2025-2026", SAMPLE_DATA / "2026-2027"
VO = SAMPLE_DATA / "magister"
VO_OLD, VO_NEW = VO / "2025-2026", VO / "2026-2027"


def staff_sheet(old: Path, new: Path, out: Path) -> Path:
    assert main(["staff-sheet", "--old", str(old), "--new", str(new), "--out", str(out),
                 "--quiet"]) == 0  # fmt: skip
    return out


def rows(path: Path) -> list[list[str]]:
    sheet = openpyxl.load_workbook(path)["Toewijzing"]
    return [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]


def as_last_week(path: Path, header: dict[int, str], codes: bool) -> None:
    """Make `path` look like a workbook of the toolkit before the Dutch headers: the technical
    first header and, for VO, the year codes 11-16 in the year column."""
    book = openpyxl.load_workbook(path)
    sheet = book["Toewijzing"]
    for column, text in header.items():
        sheet.cell(row=1, column=column).value = text
    if codes:
        for (cell,) in sheet.iter_rows(min_row=2, min_col=3, max_col=3):
            if cell.value:
                cell.value = str(int(str(cell.value)) + 10)
    book.save(path)


def test_the_first_header_is_dutch_and_last_weeks_header_still_reads(tmp_path: Path) -> None:
    sheet = staff_sheet(PO_OLD, PO_NEW, tmp_path / "toewijzing.xlsx")
    header = rows(sheet)[0]
    assert header[:4] == ["Groepscode", "Groepsnaam", "Jaargroep", "Aantal leerlingen"]
    assert "groep_id" not in " ".join(cell for row in rows(sheet) for cell in row)
    names = {row[1] for row in rows(sheet)[1:]}
    assert {"1/2A", "5B", "Plusklas"} <= names  # groups by the name the school uses
    new = load([PO_NEW]).tables
    links, findings = read_staff_sheet(sheet, new)
    assert not findings["code"].eq("staff-sheet-structure-changed").any()
    old_style = tmp_path / "vorige-week.xlsx"
    old_style.write_bytes(sheet.read_bytes())
    as_last_week(old_style, {1: "groep_id"}, codes=False)
    again, later = read_staff_sheet(old_style, new)
    assert again.drop(columns="_file").equals(links.drop(columns="_file"))
    assert set(later["code"]) == set(findings["code"])
    # A finding about a fixed column names the column as the workbook heads it.
    book = openpyxl.load_workbook(sheet)
    book["Toewijzing"]["A3"] = "G2026-3X"
    book.save(sheet)
    _, findings = read_staff_sheet(sheet, new)
    assert ("toewijzing.xlsx", 3, "Groepscode", "staff-sheet-structure-changed") in where(findings)
    message = findings.loc[findings["code"].eq("staff-sheet-structure-changed"), "message"]
    assert "groep_id" not in message.iloc[0]


def test_a_vo_school_sees_leerjaar_1_to_6_and_last_weeks_codes_still_read(tmp_path: Path) -> None:
    sheet = staff_sheet(VO_OLD, VO_NEW, tmp_path / "toewijzing.xlsx")
    table = rows(sheet)
    assert table[0][:4] == ["Groepscode", "Groepsnaam", "Leerjaar", "Aantal leerlingen"]
    years = {row[2] for row in table[1:]}
    assert years and years <= {"1", "2", "3", "4", "5", "6"}
    assert {row[1] for row in table[1:] if row[2] == "2"} >= {"2HV1"}
    help_text = " ".join(
        str(value)
        for (value,) in openpyxl.load_workbook(sheet)["Uitleg"].iter_rows(values_only=True)
        if value
    )
    assert "Leerjaar" in help_text and "Jaargroep" not in help_text
    new = load([VO_NEW]).tables
    links, findings = read_staff_sheet(sheet, new)
    assert not findings["code"].eq("staff-sheet-structure-changed").any()
    assert len(links) > 0
    old_style = tmp_path / "vorige-week.xlsx"
    old_style.write_bytes(sheet.read_bytes())
    as_last_week(old_style, {1: "groep_id", 3: "Jaargroep"}, codes=True)
    assert {row[2] for row in rows(old_style)[1:]} <= {"11", "12", "13", "14", "15", "16"}
    again, later = read_staff_sheet(old_style, new)
    assert again.drop(columns="_file").equals(links.drop(columns="_file"))
    assert set(later["code"]) == set(findings["code"])
    # A year changed by hand is still reported, in the school's words.
    book = openpyxl.load_workbook(sheet)
    book["Toewijzing"]["C2"] = "4"
    book.save(sheet)
    _, findings = read_staff_sheet(sheet, new)
    changed = findings[findings["code"].eq("staff-sheet-structure-changed")]
    assert list(zip(changed["row"], changed["column"], changed["value"], strict=True)) == [
        (2, "Leerjaar", "4")
    ]
    assert "'1'" in changed["message"].iloc[0] and "'11'" not in changed["message"].iloc[0]
    out = tmp_path / "koppelingen.csv"
    assert main(["staff-links", str(sheet), "--new", str(VO_NEW), "--out", str(out),
                 "--quiet"]) == 1  # fmt: skip
