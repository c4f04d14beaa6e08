"""Step 2: the staff–group assignment workbook, written, filled in by a coordinator, read back."""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from conftest import SAMPLE_DATA, where
from openpyxl.worksheet.worksheet import Worksheet

from lwtop_toolkit import SchoolYear, Tables, ToolkitError
from lwtop_toolkit.cli.main import main
from lwtop_toolkit.samples.school import generate_school
from lwtop_toolkit.sheets.staff_read import read_staff_links, read_staff_sheet
from lwtop_toolkit.sheets.staff_write import staff_sheet_bytes, write_staff_sheet
from lwtop_toolkit.steps.staffing import (
    REASON_NO_ROLE,
    REASON_NOT_IN_NEW_YEAR,
    SOURCE_EXPORT,
    SOURCE_SAME_GROUP,
    SOURCE_SAME_JAARGROEP,
    suggest_staff,
)
from lwtop_toolkit.writers.importfiles import write_import_files

OLD, NEW = SAMPLE_DATA / "2025-2026", SAMPLE_DATA / "2026-2027"
SCHOOL = generate_school()
ROW = {  # the row of each new stamgroep in `Toewijzing` (export order)
    group_id: index + 2 for index, group_id in enumerate(
        SCHOOL.new.groepen.loc[SCHOOL.new.groepen["soort"].eq("stamgroep"), "groep_id"]
    )
}  # fmt: skip


def label(tables: Tables, staff_id: str) -> str:
    """The drop-down text of a person, as the Medewerkers sheet shows it."""
    person = tables.medewerkers.set_index("medewerker_id").loc[staff_id]
    name = " ".join(p for p in (person.roepnaam, person.tussenvoegsel, person.achternaam) if p)
    return f"{name} ({staff_id})"


def with_staff(tables: Tables, extra: list[dict[str, str]]) -> Tables:
    staff = pd.concat([tables.medewerkers, pd.DataFrame(extra)], ignore_index=True)
    return Tables.from_frames(
        groepen=tables.groepen,
        leerlingen=tables.leerlingen,
        medewerkers=staff,
        medewerker_groepen=tables.medewerker_groepen,
    )


def fill(path: Path, edit: Callable[[Worksheet, Worksheet], None]) -> Path:
    """Open the workbook with openpyxl, change `Toewijzing` as a person would, save it."""
    book = openpyxl.load_workbook(path)
    edit(book["Toewijzing"], book["Medewerkers"])
    book.save(path)
    return path


def old_teachers(group_name: str) -> list[str]:
    old = SCHOOL.old
    group_id = old.groepen.set_index("groepsnaam").loc[group_name, "groep_id"]
    links = old.medewerker_groepen
    return links.loc[links["groep_id"].eq(group_id), "medewerker_id"].tolist()


# --- suggestions ---------------------------------------------------------------------------------


def test_suggestions_follow_last_years_group_then_jaargroep() -> None:
    plan = suggest_staff(SCHOOL.old, SCHOOL.new)
    groups = plan.groups.set_index("groepsnaam")
    eligible = set(plan.eligible["medewerker_id"])
    # The new year's export carries no links: no suggestion comes from the export.
    assert SCHOOL.new.medewerker_groepen.empty
    assert SOURCE_EXPORT not in set(groups["bron"])
    # A group whose name existed last year gets last year's teachers who are still eligible.
    for name in ("1/2A", "1/2B", "3"):
        expected = tuple(t for t in old_teachers(name) if t in eligible)
        assert groups.loc[name, "medewerkers"] == expected
        assert groups.loc[name, "bron"] == SOURCE_SAME_GROUP
    # The teacher of old 1/2A who left is not suggested; she is listed as not linkable.
    gone = [t for t in old_teachers("1/2A") if t not in eligible]
    assert gone and gone[0] not in groups.loc["1/2A", "medewerkers"]
    reasons = plan.not_linkable.set_index("medewerker_id")["reden"]
    assert reasons[gone[0]] == REASON_NOT_IN_NEW_YEAR
    assert reasons["M018"] == REASON_NO_ROLE  # the directie has no product role
    # New group 4 (old 4A and 4B): the teachers of last year's jaargroep 4, at most three.
    four = old_teachers("4A") + old_teachers("4B")
    assert groups.loc["4", "medewerkers"] == tuple(four[:3])
    assert groups.loc["4", "bron"] == SOURCE_SAME_JAARGROEP
    assert groups.loc["1/2A", "jaargroep"] == "1/2"  # a combination group: its pupils' jaargroepen
    # The pupils of 5A sat in 4A last year: its teachers taught most of them.
    assert groups.loc["5A", "vorig_jaar_ids"] == tuple(old_teachers("4A"))
    assert groups.loc["5A", "vorig_jaar"].endswith(f"van {groups.loc['5A', 'aantal_leerlingen']} "
                                                   "leerlingen")  # fmt: skip
    assert set(plan.eligible["rol"]) <= {"TOP leerkracht", "TOP leerkracht +"}
    assert plan.eligible["medewerker_id"].isin(SCHOOL.new.medewerkers["medewerker_id"]).all()


def test_links_in_the_new_export_come_first() -> None:
    new = SCHOOL.new
    links = pd.DataFrame({"medewerker_id": ["M014", "M019"], "groep_id": ["G2026-5B"] * 2})
    with_links = Tables.from_frames(
        groepen=new.groepen, leerlingen=new.leerlingen, medewerkers=new.medewerkers,
        medewerker_groepen=links,
    )  # fmt: skip
    groups = suggest_staff(SCHOOL.old, with_links).groups.set_index("groep_id")
    assert groups.loc["G2026-5B", "medewerkers"] == ("M014",)  # M019 (administratie) is no teacher
    assert groups.loc["G2026-5B", "bron"] == SOURCE_EXPORT


# --- the workbook --------------------------------------------------------------------------------


def test_workbook_has_the_drop_downs_protection_and_no_formulas(tmp_path: Path) -> None:
    path = write_staff_sheet(SCHOOL.old, SCHOOL.new, tmp_path / "toewijzing.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Toewijzing", "Medewerkers", "Uitleg", "lwtop"]
    assert book["lwtop"].sheet_state == "hidden"
    sheet, staff = book["Toewijzing"], book["Medewerkers"]
    header = [cell.value for cell in sheet[1]]
    assert header[:7] == ["Groepscode", "Groepsnaam", "Jaargroep", "Aantal leerlingen",
                          "Leerkracht 1", "Leerkracht 2", "Leerkracht 3"]  # fmt: skip
    assert header[7:] == ["Bron suggestie", "Vorig jaar", "Soort"]
    assert sheet.max_row == len(ROW) + 2  # the stamgroepen, then the Plusklas
    eligible = suggest_staff(SCHOOL.old, SCHOOL.new).eligible
    (validation,) = sheet.data_validations.dataValidation
    assert validation.type == "list"
    assert validation.formula1 == f"Medewerkers!$A$2:$A${len(eligible) + 1}"
    assert str(validation.sqref) == f"E2:G{len(ROW) + 2}"
    listed = [staff.cell(row=r, column=1).value for r in range(2, len(eligible) + 2)]
    assert listed == eligible["label"].tolist()
    assert "Joost van Dam (M002)" in listed
    assert staff.cell(row=len(eligible) + 3, column=1).value.startswith("Medewerkers die niet")
    assert sheet.protection.sheet and staff.protection.sheet
    assert sheet["A2"].protection.locked and not sheet["E2"].protection.locked
    assert sheet.freeze_panes == "C2"
    assert sheet["H2"].value == "zelfde groep vorig jaar"
    assert sheet.cell(row=ROW["G2026-4"], column=8).value == "zelfde jaargroep vorig jaar"
    uitleg = " ".join(str(row[0].value or "") for row in book["Uitleg"].iter_rows())
    assert "lwtop staff-links" in uitleg and "keuzelijst" in uitleg
    kinds = {cell.data_type for ws in book for row in ws.iter_rows() for cell in row}
    assert "f" not in kinds


def test_same_input_same_bytes(tmp_path: Path) -> None:
    first = write_staff_sheet(SCHOOL.old, SCHOOL.new, tmp_path / "a.xlsx").read_bytes()
    second = write_staff_sheet(SCHOOL.old, SCHOOL.new, tmp_path / "b.xlsx").read_bytes()
    assert hashlib.sha256(first).digest() == hashlib.sha256(second).digest()
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2000, 1, 1, 0, 0, 0)}
        assert b"2000-01-01" in archive.read("docProps/core.xml")


def test_formula_like_names_stay_text_and_read_back_exactly(tmp_path: Path) -> None:
    new = SCHOOL.new
    groups = new.groepen.copy()
    groups.loc[groups["groep_id"].eq("G2026-7"), "groepsnaam"] = '=HYPERLINK("x")'
    staff = [{"medewerker_id": "M030", "roepnaam": "@Anna", "achternaam": "Visser",
              "rol": "TOP leerkracht"}]  # fmt: skip
    tricky = with_staff(Tables.from_frames(groepen=groups, leerlingen=new.leerlingen,
                                           medewerkers=new.medewerkers), staff)  # fmt: skip
    path = write_staff_sheet(SCHOOL.old, tricky, tmp_path / "w.xlsx")
    book = openpyxl.load_workbook(path)
    cell = book["Toewijzing"].cell(row=ROW["G2026-7"], column=2)
    assert (cell.value, cell.data_type) == ('\'=HYPERLINK("x")', "s")
    assert "'@Anna Visser (M030)" in [c.value for c in book["Medewerkers"]["A"]]
    fill(path, lambda sheet, _: setattr(sheet["E2"], "value", "'@Anna Visser (M030)"))
    links, findings = read_staff_sheet(path, tricky)
    assert ("M030", "G2026-12A") in set(zip(links["medewerker_id"], links["groep_id"], strict=True))
    assert "staff-sheet-structure-changed" not in set(findings["code"])


# --- the round trip ------------------------------------------------------------------------------


@pytest.mark.produces(
    "staff-sheet-group-without-teacher",
    "staff-sheet-unknown-name",
    "staff-not-linkable",
    "staff-sheet-name-mismatch",
    "duplicate-link",
    "staff-sheet-structure-changed",
    "staff-sheet-row-added",
    "staff-sheet-teacher-without-group",
)
def test_round_trip_as_a_coordinator_fills_it_in(tmp_path: Path) -> None:
    new = SCHOOL.new
    path = write_staff_sheet(SCHOOL.old, new, tmp_path / "w.xlsx")
    row = ROW

    def coordinator(sheet: Worksheet, staff: Worksheet) -> None:
        listed = {cell.value for cell in staff["A"]}
        choice = label(new, "M014")
        assert choice in listed  # chosen from the drop-down list
        sheet.cell(row=row["G2026-5B"], column=5).value = choice
        sheet.cell(row=row["G2026-12A"], column=5).value = None  # cleared: no teacher left
        sheet.cell(row=row["G2026-6B"], column=5).value = "Pietje Puk"  # a wrong name
        sheet.cell(row=row["G2026-8B"], column=5).value = "mirjam SCHOUTEN"  # a bare unique name
        sheet.cell(row=row["G2026-8B"], column=6).value = "Renee Lambert"  # without the accent
        sheet.cell(row=row["G2026-12B"], column=7).value = "Saskia Groen"  # directie: ineligible
        sheet.cell(
            row=row["G2026-6A"], column=6
        ).value = "Hatice Demir (M002)"  # name and id differ
        sheet.cell(row=row["G2026-5A"], column=6).value = label(new, "M006")  # twice in a row
        sheet.cell(row=row["G2026-3"], column=1).value = "G2026-3X"  # an edited groep_id
        sheet.cell(row=row["G2026-4"], column=4).value = 30  # an edited pupil count
        added = len(row) + 3  # below the Plusklas
        sheet.cell(row=added, column=1).value = "G2026-9"  # an added row
        sheet.cell(row=added, column=2).value = "9"
        sheet.cell(row=added, column=5).value = label(new, "M021")

    fill(path, coordinator)
    links, findings = read_staff_sheet(path, new)
    pairs = set(zip(links["medewerker_id"], links["groep_id"], strict=True))
    assert ("M014", "G2026-5B") in pairs
    assert {("M021", "G2026-8B"), ("M015", "G2026-8B")} <= pairs
    assert ("M018", "G2026-12B") not in pairs and not links["groep_id"].eq("G2026-12A").any()
    assert ("M021", "G2026-9") not in pairs  # the added row links no one
    assert ("M008", "G2026-3") in pairs  # the row with an edited id still counts for its group
    assert links["groep_id"].isin([*row, "G2026-Plusklas"]).all()
    assert list(links.columns) == ["medewerker_id", "groep_id", "_file", "_row"]
    first = links[links["groep_id"].eq("G2026-5B")].iloc[0]
    assert first["_row"] == row["G2026-5B"] and first["_file"].endswith("w.xlsx [Toewijzing]")
    assert where(findings) == {
        ("w.xlsx", row["G2026-12A"], "Leerkracht 1", "staff-sheet-group-without-teacher"),
        ("w.xlsx", row["G2026-6B"], "Leerkracht 1", "staff-sheet-unknown-name"),
        ("w.xlsx", row["G2026-12B"], "Leerkracht 3", "staff-not-linkable"),
        ("w.xlsx", row["G2026-6A"], "Leerkracht 2", "staff-sheet-name-mismatch"),
        ("w.xlsx", row["G2026-5A"], "Leerkracht 2", "duplicate-link"),
        ("w.xlsx", row["G2026-3"], "Groepscode", "staff-sheet-structure-changed"),
        ("w.xlsx", row["G2026-4"], "Aantal leerlingen", "staff-sheet-structure-changed"),
        ("w.xlsx", len(row) + 3, "Groepscode", "staff-sheet-row-added"),
        ("w.xlsx", None, "medewerker_id", "staff-sheet-teacher-without-group"),
    }
    idle = findings.loc[findings["code"].eq("staff-sheet-teacher-without-group"), "value"]
    assert set(idle) == {label(new, "M010")}  # Linh was cleared; Karin (IB) has the Plusklas
    severity = dict(zip(findings["code"], findings["severity"], strict=False))
    assert severity["staff-sheet-group-without-teacher"] == "warning"
    assert severity["staff-sheet-teacher-without-group"] == "info"
    assert severity["staff-sheet-row-added"] == severity["staff-not-linkable"] == "error"
    message = findings.loc[findings["code"].eq("staff-not-linkable"), "message"].iloc[0]
    assert REASON_NO_ROLE in message


@pytest.mark.produces("staff-sheet-ambiguous-name")
def test_ambiguous_and_unique_names(tmp_path: Path) -> None:
    twins = [
        {"medewerker_id": "M030", "roepnaam": "Anna", "achternaam": "Visser",
         "rol": "TOP leerkracht"},
        {"medewerker_id": "M031", "roepnaam": "Anna", "achternaam": "Visser",
         "rol": "TOP leerkracht"},
    ]  # fmt: skip
    new = with_staff(SCHOOL.new, twins)
    path = write_staff_sheet(SCHOOL.old, new, tmp_path / "w.xlsx")

    def coordinator(sheet: Worksheet, _: Worksheet) -> None:
        sheet["E2"] = "Anna Visser"  # two people of that name
        sheet["F2"] = "Anna Visser (M031)"  # the drop-down keeps them apart
        sheet["G2"] = "M030"  # the bare id

    links, findings = read_staff_sheet(fill(path, coordinator), new)
    assert ("w.xlsx", 2, "Leerkracht 1", "staff-sheet-ambiguous-name") in where(findings)
    message = findings.loc[findings["code"].eq("staff-sheet-ambiguous-name"), "message"].iloc[0]
    assert "Anna Visser (M030)" in message and "Anna Visser (M031)" in message
    assert set(links.loc[links["groep_id"].eq("G2026-12A"), "medewerker_id"]) == {"M031", "M030"}


@pytest.mark.produces("staff-sheet-row-removed")
def test_a_removed_row_is_an_error(tmp_path: Path) -> None:
    path = write_staff_sheet(SCHOOL.old, SCHOOL.new, tmp_path / "w.xlsx")
    fill(path, lambda sheet, _: sheet.delete_rows(ROW["G2026-6A"]))
    links, findings = read_staff_sheet(path, SCHOOL.new)
    assert ("w.xlsx", None, "Groepscode", "staff-sheet-row-removed") in where(findings)
    removed = findings[findings["code"].eq("staff-sheet-row-removed")].iloc[0]
    assert removed["value"] == "G2026-6A" and "6A" in removed["message"]
    assert not links["groep_id"].eq("G2026-6A").any()


def test_the_unedited_workbook_gives_the_suggestions(tmp_path: Path) -> None:
    plan = suggest_staff(SCHOOL.old, SCHOOL.new)
    path = tmp_path / "w.xlsx"
    path.write_bytes(staff_sheet_bytes(plan))
    links, findings = read_staff_sheet(path, SCHOOL.new)
    expected = [(s, g) for g, staff in zip(plan.groups["groep_id"], plan.groups["medewerkers"],
                                           strict=True) for s in staff]  # fmt: skip
    assert list(zip(links["medewerker_id"], links["groep_id"], strict=True)) == expected
    assert not (findings["severity"] == "error").any()


# --- another school or year, a damaged workbook --------------------------------------------------


@pytest.mark.produces("staff-sheet-other-school-year")
def test_a_workbook_of_another_year_or_school_is_refused(tmp_path: Path) -> None:
    later = generate_school(old_year=SchoolYear(2026))  # the new year is 2027-2028
    path = write_staff_sheet(later.old, later.new, tmp_path / "w.xlsx")
    links, findings = read_staff_sheet(path, SCHOOL.new)
    assert links.empty
    assert where(findings) == {("w.xlsx", None, "", "staff-sheet-other-school-year")}
    assert "2027-2028" in findings["message"].iloc[0] and "2026-2027" in findings["message"].iloc[0]
    groups = SCHOOL.new.groepen.assign(brin="12AB")
    other = Tables.from_frames(groepen=groups, leerlingen=SCHOOL.new.leerlingen,
                               medewerkers=SCHOOL.new.medewerkers)  # fmt: skip
    mine = write_staff_sheet(SCHOOL.old, SCHOOL.new, tmp_path / "mine.xlsx")
    _, findings = read_staff_sheet(mine, other)
    assert set(findings["code"]) == {"staff-sheet-other-school-year"}
    assert (findings["severity"] == "error").all()


@pytest.mark.produces(
    "staff-sheet-groups-changed", "staff-sheet-structure-changed", "staff-sheet-not-ours"
)
def test_changed_groups_and_a_missing_hidden_sheet(tmp_path: Path) -> None:
    path = write_staff_sheet(SCHOOL.old, SCHOOL.new, tmp_path / "w.xlsx")
    groups = SCHOOL.new.groepen.copy()
    groups.loc[groups["groep_id"].eq("G2026-7"), "groepsnaam"] = "7 (Uil)"  # renamed in the LAS
    renamed = Tables.from_frames(groepen=groups, leerlingen=SCHOOL.new.leerlingen,
                                 medewerkers=SCHOOL.new.medewerkers)  # fmt: skip
    _, findings = read_staff_sheet(path, renamed)
    assert where(findings) >= {
        ("w.xlsx", None, "", "staff-sheet-groups-changed"),
        ("w.xlsx", ROW["G2026-7"], "Groepsnaam", "staff-sheet-structure-changed"),
    }
    book = openpyxl.load_workbook(path)
    book.remove(book["lwtop"])
    book.save(path)
    _, findings = read_staff_sheet(path, SCHOOL.new)
    assert ("w.xlsx", None, "", "staff-sheet-not-ours") in where(findings)


def test_unreadable_files_raise(tmp_path: Path) -> None:
    text = tmp_path / "links.xlsx"
    text.write_text("medewerker_id;groep_id\n", encoding="utf-8")
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    other = write_import_files(SCHOOL.new, tmp_path / "import", kind="xlsx")[0]
    for path in (text, broken, other, tmp_path / "missing.xlsx"):
        with pytest.raises(ToolkitError) as caught:
            read_staff_sheet(path, SCHOOL.new)
        assert caught.value.finding["code"] == "unreadable-file"
    with pytest.raises(ToolkitError, match="Toewijzing"):
        read_staff_sheet(other, SCHOOL.new)


# --- links as CSV --------------------------------------------------------------------------------


def test_links_csv_is_checked_like_the_workbook(tmp_path: Path) -> None:
    path = tmp_path / "medewerker_groepen.csv"
    path.write_text(
        "\ufeffmedewerker_id;groep_id\r\nM001;G2026-4\r\nM018;G2026-4\r\nM099;G2026-4\r\n",
        encoding="utf-8",
    )
    links, findings = read_staff_links(path, SCHOOL.new)
    assert len(links) == 3
    assert where(findings) == {
        ("medewerker_groepen.csv", 3, "medewerker_id", "staff-not-linkable"),
        ("medewerker_groepen.csv", 4, "medewerker_id", "unknown-staff"),
    }


# --- the commands --------------------------------------------------------------------------------


def test_cli_staff_sheet_and_staff_links(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet, csv = tmp_path / "toewijzing.xlsx", tmp_path / "medewerker_groepen.csv"
    assert main(["staff-sheet", "--old", str(OLD), "--new", str(NEW), "--out", str(sheet)]) == 0
    out = capsys.readouterr().out
    assert "11 stamgroepen" in out and "lwtop staff-links" in out
    assert sheet.read_bytes() == staff_sheet_bytes(suggest_staff(SCHOOL.old, SCHOOL.new))
    assert main(["staff-links", str(sheet), "--new", str(NEW), "--out", str(csv)]) == 0
    out = capsys.readouterr().out
    assert "Groep zonder leerkracht" not in out and "heeft geen leerkracht" in out
    data = csv.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfmedewerker_id;groep_id\r\n")
    written = pd.read_csv(csv, sep=";", dtype=str, encoding="utf-8-sig")
    plan = suggest_staff(SCHOOL.old, SCHOOL.new)
    assert len(written) == sum(len(staff) for staff in plan.groups["medewerkers"])
    links, findings = read_staff_links(csv, SCHOOL.new)
    assert len(links) == len(written) and findings.empty

    fill(sheet, lambda ws, _: setattr(ws["E3"], "value", "Pietje Puk"))
    csv.unlink()
    assert main(["staff-links", str(sheet), "--new", str(NEW), "--out", str(csv)]) == 1
    out = capsys.readouterr().out
    assert "Pietje Puk" in out and "geen" in out and not csv.exists()

    broken = tmp_path / "kapot.xlsx"
    broken.write_bytes(b"PK\x03\x04 kapot")
    assert main(["staff-links", str(broken), "--new", str(NEW), "--out", str(csv)]) == 2
    assert "kapot.xlsx" in capsys.readouterr().err
    assert main(["staff-sheet", "--old", str(OLD), "--new", str(tmp_path / "nope"),
                 "--out", str(sheet)]) == 2  # fmt: skip


def test_cli_staff_links_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    sheet = write_staff_sheet(SCHOOL.old, SCHOOL.new, tmp_path / "w.xlsx")
    csv = tmp_path / "l.csv"
    assert main(["staff-links", str(sheet), "--new", str(NEW), "--out", str(csv), "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["written"] == str(csv)
    assert {f["code"] for f in document["findings"]} == {
        "staff-sheet-group-without-teacher",
        "staff-sheet-teacher-without-group",
    }
