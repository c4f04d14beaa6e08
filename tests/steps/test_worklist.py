"""Step 1 per LAS: the worklist per pupil or in bulk, the other actions, the read-back."""

from __future__ import annotations

import json
import unicodedata
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from conftest import where
from steps_data import (
    every_third,
    implied,
    sample_years,
    second_school,
    so_school,
    write_dossier,
)

from lwtop_toolkit import Tables, ToolkitError, load, plan_transition
from lwtop_toolkit.cli.main import main
from lwtop_toolkit.las import catalogue as las
from lwtop_toolkit.sheets.worklist_read import read_worklist
from lwtop_toolkit.sheets.worklist_write import worklist_bytes
from lwtop_toolkit.steps.worklist import build_worklist
from lwtop_toolkit.writers.importfiles import write_import_files

PER_STUDENT = ("parnassys-oso", "esis", "magister")


def worklist(tmp_path: Path, las_code: str, *extra: str, old: Path, new: Path) -> int:
    out = tmp_path / f"werklijst-{las_code}.xlsx"
    args = ["worklist", "--old", str(old), "--new", str(new), "--las", las_code]
    return main([*args, "--out", str(out), *extra])


def sheet_rows(path: Path, sheet: str) -> list[list[str]]:
    book = openpyxl.load_workbook(path)
    return [
        ["" if value is None else str(value) for value in row]
        for row in book[sheet].iter_rows(values_only=True)
    ]


def table(rows: list[list[str]], key: str = "sleutel") -> tuple[int, list[str], list[list[str]]]:
    """The header row (1-based), the header and the rows below it that carry a key."""
    at = next(i for i, row in enumerate(rows) if key in row)
    header = rows[at]
    body = [row for row in rows[at + 1 :] if row[header.index(key)]]
    return at + 1, header, body


def plain(name: str) -> str:
    """A surname as a phone book sorts it: without accents, case-insensitive (Çelik ~ celik)."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def all_cells(path: Path) -> set[str]:
    book = openpyxl.load_workbook(path)
    return {
        str(value) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
        for value in row if value is not None
    }  # fmt: skip


@pytest.mark.parametrize("las_code", PER_STUDENT)
def test_per_student_worklist_lists_the_dossier_pupils_by_group_and_name(
    tmp_path: Path, las_code: str
) -> None:
    old_path, new_path = sample_years(las_code)
    old, new = load([old_path]).tables, load([new_path]).tables
    ids = every_third(old)
    dossier = write_dossier(tmp_path / "dossier.csv", ids)
    status = worklist(tmp_path, las_code, "--dossier", str(dossier), old=old_path, new=new_path)
    assert status == 0
    path = tmp_path / f"werklijst-{las_code}.xlsx"
    rows = sheet_rows(path, "Klaarzetten")
    expect = implied(old, new, ids)
    # the seed's instruction stands at the top, then its steps, a line each
    instruction = las.get(las_code).instruction_lines("2026-2027")
    assert [row[0] for row in rows[1 : 1 + len(instruction)]] == instruction
    _, header, body = table(rows)
    id_label = "Stamnummer" if las_code == "magister" else "Leerlingnummer"
    year = "Leerjaar" if las_code == "magister" else "Jaargroep"  # VO: leerjaar 1-6
    assert header[:6] == ["Groep", id_label, "Naam", year, "Groep vorig jaar", "Status"]
    assert header[6:9] == ["Klaargezet", "Opgehaald", "Opmerking"]
    listed = [row[1] for row in body]
    assert len(listed) == expect["listed"] and set(listed) <= set(ids)
    # sorted by new group (in the order of the group headings), then by surname
    pupils = new.leerlingen.set_index("leerling_id")
    groups = [row[0] for row in body]
    headings = [row[0].removeprefix("Groep ") for row in rows if row[0].startswith("Groep ")]
    assert list(dict.fromkeys(groups)) == headings
    for group in headings:
        members = [row[1] for row in body if row[0] == group]
        surnames = [plain(str(pupils.loc[pupil, "achternaam"])) for pupil in members]
        assert surnames == sorted(surnames)
        heading = next(row for row in rows if row[0] == f"Groep {group}")
        assert heading[2].startswith(f"{len(members)} leerling")
    # pupils without a dossier appear nowhere in the workbook
    outsiders = set(new.leerlingen["leerling_id"]) - set(ids)
    assert not outsiders & all_cells(path)
    # the leavers with a dossier
    _, _, left = table(sheet_rows(path, "Vertrokken"))
    assert len(left) == expect["left"] and {row[0] for row in left} <= set(ids)
    groups_sheet = sheet_rows(path, "Groepen")
    assert sum(int(row[5]) for row in groups_sheet[1:]) == expect["listed"]
    assert sum(int(row[2]) for row in groups_sheet[1:]) == len(new.leerlingen)


def test_the_workbook_has_drop_downs_protection_and_text_cells(tmp_path: Path) -> None:
    old_path, new_path = sample_years("esis")
    assert worklist(tmp_path, "esis", old=old_path, new=new_path) == 0
    book = openpyxl.load_workbook(tmp_path / "werklijst-esis.xlsx")
    sheet = book["Klaarzetten"]
    assert sheet.protection.sheet and book["lwtop"].sheet_state == "hidden"
    header_row, header, _ = table(sheet_rows(tmp_path / "werklijst-esis.xlsx", "Klaarzetten"))
    ready = header.index("Klaargezet") + 1
    lists = [v for v in sheet.data_validations.dataValidation if v.formula1 == '"ja,nee"']
    assert lists and any(
        sheet.cell(row=header_row + 2, column=ready).coordinate in v.sqref for v in lists
    )
    first_pupil = sheet.cell(row=header_row + 2, column=ready)
    assert first_pupil.protection.locked is False
    assert sheet.cell(row=header_row + 2, column=1).protection.locked is not False
    # without a dossier list every pupil of the export is on it
    assert len(table(sheet_rows(tmp_path / "werklijst-esis.xlsx", "Klaarzetten"))[2]) == 247


def test_same_input_same_bytes_and_formula_like_names_stay_text(tmp_path: Path) -> None:
    old_path, new_path = sample_years("esis")
    old, new = load([old_path]).tables, load([new_path]).tables
    pupils = new.leerlingen.copy()
    pupils.loc[0, ["roepnaam", "tussenvoegsel", "achternaam"]] = ["", "", '=HYPERLINK("http://x")']
    hostile = Tables(new.groepen, pupils, new.medewerkers, new.medewerker_groepen)
    plan = plan_transition(old, hostile)
    made = build_worklist(plan, hostile, las.get("esis"))
    data = worklist_bytes(made)
    assert data == worklist_bytes(
        build_worklist(plan_transition(old, hostile), hostile, las.get("esis"))
    )
    path = tmp_path / "w.xlsx"
    path.write_bytes(data)
    sheet = openpyxl.load_workbook(path)["Klaarzetten"]
    names = [cell for row in sheet.iter_rows() for cell in row if "HYPERLINK" in str(cell.value)]
    assert names and all(cell.data_type == "s" for cell in names)
    assert all(str(cell.value).startswith("'=") for cell in names)


def test_with_all_pupils_everyone_is_listed_and_the_dossier_column_says_who(
    tmp_path: Path,
) -> None:
    old_path, new_path = sample_years("magister")
    dossier = write_dossier(tmp_path / "dossier.csv", every_third(old_path))
    extra = ("--dossier", str(dossier), "--all-pupils")
    assert worklist(tmp_path, "magister", *extra, old=old_path, new=new_path) == 0
    _, header, body = table(sheet_rows(tmp_path / "werklijst-magister.xlsx", "Klaarzetten"))
    assert len(body) == 257 and "Dossier" in header
    flags = pd.Series([row[header.index("Dossier")] for row in body]).value_counts()
    assert flags.to_dict() == {"nee": 191, "ja": 66}


def test_bulk_worklist_names_the_groups_and_who_not_to_fetch(tmp_path: Path) -> None:
    old_path, new_path = so_school(tmp_path)
    old, new = load([old_path]).tables, load([new_path]).tables
    groups = new.leerlingen["groep_id"]
    # dossiers for every pupil of Egels, and every third of the rest; none in Otters
    chosen = new.leerlingen[groups.eq("G2026-Egels")]["leerling_id"].tolist()
    chosen += [p for p in every_third(old) if p not in chosen]
    otters = set(new.leerlingen.loc[groups.eq("G2026-Otters"), "leerling_id"])
    chosen = [p for p in chosen if p not in otters]
    dossier = write_dossier(tmp_path / "dossier.csv", chosen)
    extra = ("--dossier", str(dossier))
    status = worklist(tmp_path, "esis-sbo-so-vso", *extra, old=old_path, new=new_path)
    assert status == 0
    path = tmp_path / "werklijst-esis-sbo-so-vso.xlsx"
    assert openpyxl.load_workbook(path).sheetnames == [
        "Groepen selecteren", "Leerlingen", "Niet meenemen", "Vertrokken", "lwtop",
    ]  # fmt: skip
    rows = sheet_rows(path, "Groepen selecteren")
    _, header, body = table(rows)
    by_group = {row[0]: row for row in body}
    assert "Otters" not in by_group and any("Niet selecteren" in r[0] and "Otters" in r[0]
                                            for r in rows)  # fmt: skip
    for name, row in by_group.items():
        members = new.leerlingen[groups.eq(f"G2026-{name}")]
        with_dossier = members["leerling_id"].isin(chosen)
        assert int(row[header.index("Leerlingen in de groep")]) == len(members)
        assert int(row[header.index("Met dossier")]) == int(with_dossier.sum())
        not_fetched = row[header.index("Niet meenemen")]
        for pupil in members.loc[~with_dossier, "leerling_id"]:
            assert f"({pupil})" in not_fetched
        for pupil in members.loc[with_dossier, "leerling_id"]:
            assert f"({pupil})" not in not_fetched
    assert by_group["Egels"][header.index("Niet meenemen")] == "(niemand)"
    excluded = table(sheet_rows(path, "Niet meenemen"), "Groep")
    in_selected = new.leerlingen[~groups.eq("G2026-Otters")]
    assert len(excluded[2]) == int((~in_selected["leerling_id"].isin(chosen)).sum())
    listed = [row[1] for row in table(sheet_rows(path, "Leerlingen"), "Groep")[2]]
    assert sorted(listed) == sorted(set(chosen) & set(new.leerlingen["leerling_id"]))


@pytest.mark.parametrize("las_code", ["somtoday", "eduarte"])
def test_file_import_las_get_the_bundle_not_a_worklist(
    tmp_path: Path, las_code: str, capsys: pytest.CaptureFixture[str]
) -> None:
    old_path, new_path = sample_years(las_code)
    dossier = write_dossier(tmp_path / "dossier.csv", every_third(old_path))
    status = worklist(tmp_path, las_code, "--dossier", str(dossier), old=old_path, new=new_path)
    out = capsys.readouterr().out
    assert status == 0 and not (tmp_path / f"werklijst-{las_code}.xlsx").exists()
    assert "uploadbundel" in out and f"lwtop bundle --old {old_path}" in out
    assert f"--dossier {dossier}" in out
    # and the bundle it points to holds the dossier pupils only
    bundle_dir = tmp_path / "bundel"
    args = ["bundle", "--old", str(old_path), "--new", str(new_path), "--out", str(bundle_dir)]
    assert main([*args, "--dossier", str(dossier)]) == 0
    (zip_path,) = bundle_dir.glob("*.zip")
    manifest = json.loads(zipfile.ZipFile(zip_path).read("manifest.json"))
    assert manifest["rows"]["leerlingen"] == 66


@pytest.mark.parametrize("las_code", ["schooloas", "parnassys-gkv"])
def test_las_without_action_need_no_worklist_and_point_to_verify(
    tmp_path: Path, las_code: str, capsys: pytest.CaptureFixture[str]
) -> None:
    old_path, new_path = sample_years(las_code)
    assert worklist(tmp_path, las_code, old=old_path, new=new_path) == 0
    out = capsys.readouterr().out
    assert not list(tmp_path.glob("*.xlsx"))
    assert "hoeft niets klaargezet te worden" in out and "lwtop verify --expected" in out
    assert "Na 1-8-2026" in out and "lwtop preview" in out
    args = ["worklist", "--old", str(old_path), "--new", str(new_path), "--las", las_code]
    assert main([*args, "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["action"] == "none" and document["file"] is None


def test_per_student_without_out_is_a_wrong_call(capsys: pytest.CaptureFixture[str]) -> None:
    old_path, new_path = sample_years("esis")
    args = ["worklist", "--old", str(old_path), "--new", str(new_path), "--las", "esis"]
    assert main(args) == 2
    assert "--out" in capsys.readouterr().err


# --- reading a filled worklist back --------------------------------------------------------------


def _made(tmp_path: Path, las_code: str = "esis") -> Path:
    old_path, new_path = (
        so_school(tmp_path) if las_code == "esis-sbo-so-vso" else sample_years(las_code)
    )
    dossier = write_dossier(tmp_path / "dossier.csv", every_third(old_path))
    status = worklist(tmp_path, las_code, "--dossier", str(dossier), old=old_path, new=new_path)
    assert status == 0
    return tmp_path / f"werklijst-{las_code}.xlsx"


def _fill(path: Path, sheet_name: str, answers: dict[int, dict[str, str]]) -> dict[int, int]:
    """Fill answers per data row (0 = first keyed row); returns data row -> sheet row."""
    book = openpyxl.load_workbook(path)
    sheet = book[sheet_name]
    rows = sheet_rows(path, sheet_name)
    header_row, header, _ = table(rows)
    keyed = [
        i + 1 for i, row in enumerate(rows) if i >= header_row and row[header.index("sleutel")]
    ]
    for index, cells in answers.items():
        for name, value in cells.items():
            sheet.cell(row=keyed[index], column=header.index(name) + 1, value=value)
    book.save(path)
    return {index: keyed[index] for index in range(len(keyed))}


@pytest.mark.produces("worklist-open", "worklist-invalid-answer")
def test_a_filled_worklist_lists_what_is_still_open(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _made(tmp_path)
    done = {"Klaargezet": "ja", "Opgehaald": "ja"}
    answers = {
        0: done,
        1: done,
        2: {"Klaargezet": "Ja", "Opgehaald": "x"},
        3: {"Klaargezet": "ja"},
        4: {"Klaargezet": "misschien"},
    }
    at = _fill(path, "Klaarzetten", answers)
    left_at = _fill(path, "Vertrokken", {0: {"Afgehandeld": "ja"}})
    status = read_worklist(path)
    assert status.counts() == {"pupil": 74, "pupil_open": 71, "left": 9, "left_open": 8, "open": 79}
    found = where(status.findings)
    name = path.name
    assert (name, at[3], "Opgehaald", "worklist-open") in found  # set ready, not yet fetched
    assert (name, at[4], "Klaargezet", "worklist-invalid-answer") in found
    assert (name, at[4], "Klaargezet", "worklist-open") in found
    assert (name, at[0], "Klaargezet", "worklist-open") not in found
    assert (name, left_at[1], "Afgehandeld", "worklist-open") in found
    open_pupil = status.open[status.open["soort"].eq("pupil")].iloc[0]
    assert open_pupil["nog_te_doen"] == "ophalen in Leerwinst/TOP dossier"
    assert main(["worklist-status", str(path)]) == 1  # the answer `misschien` is an error
    out = capsys.readouterr().out
    assert "Nog open (79)" in out and "misschien" in out
    assert main(["worklist-status", str(path), "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["counts"]["open"] == 79


def test_a_worklist_with_everything_done_has_nothing_open(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _made(tmp_path, "esis-sbo-so-vso")
    done = {"Klaargezet": "ja", "Opgehaald": "ja"}
    groups = len(table(sheet_rows(path, "Groepen selecteren"))[2])
    left = len(table(sheet_rows(path, "Vertrokken"))[2])
    assert (groups, left) == (5, 3)  # the SO school: every group holds a dossier pupil
    _fill(path, "Groepen selecteren", {key: done for key in range(groups)})
    _fill(path, "Vertrokken", {key: {"Afgehandeld": "ja"} for key in range(left)})
    status = read_worklist(path)
    assert status.counts()["open"] == 0 and status.findings.empty
    assert main(["worklist-status", str(path)]) == 0
    assert "Alles is afgevinkt" in capsys.readouterr().out


@pytest.mark.produces("worklist-row-removed", "worklist-row-unknown")
def test_removed_or_changed_rows_are_reported(tmp_path: Path) -> None:
    path = _made(tmp_path)
    book = openpyxl.load_workbook(path)
    sheet = book["Klaarzetten"]
    rows = sheet_rows(path, "Klaarzetten")
    _, header, body = table(rows)
    removed, changed = body[0][1], body[1][1]
    first = next(i + 1 for i, row in enumerate(rows) if row[1] == removed)
    sheet.cell(row=first + 1, column=header.index("sleutel") + 1, value="000000")
    sheet.delete_rows(first)
    book.save(path)
    status = read_worklist(path)
    codes = {
        (code, value)
        for code, value in zip(status.findings["code"], status.findings["value"], strict=True)
    }
    assert ("worklist-row-removed", removed) in codes
    assert ("worklist-row-removed", changed) in codes
    assert ("worklist-row-unknown", "000000") in codes
    assert status.counts()["pupil"] == 74  # every pupil the list was made with is accounted for


@pytest.mark.produces("worklist-not-ours")
def test_a_workbook_that_is_no_worklist_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "ander.xlsx"
    openpyxl.Workbook().save(other)
    assert main(["worklist-status", str(other)]) == 2
    assert "lwtop worklist" in capsys.readouterr().err
    with pytest.raises(ToolkitError) as raised:
        read_worklist(other)
    assert raised.value.finding["code"] == "worklist-not-ours"


def test_a_delivery_of_two_schools_lists_one_school_after_the_other(tmp_path: Path) -> None:
    old_path, new_path = sample_years("esis")
    folders = {}
    for year, path in (("oud", old_path), ("nieuw", new_path)):
        tables = load([path]).tables
        other = second_school(tables, "98YY")
        both = {n: pd.concat([tables[n], other[n]], ignore_index=True) for n in tables.row_counts()}
        folders[year] = tmp_path / year
        write_import_files(Tables(**both), folders[year])
    args = ["--format", "importfiles"]
    assert worklist(tmp_path, "esis", *args, old=folders["oud"], new=folders["nieuw"]) == 0
    rows = sheet_rows(tmp_path / "werklijst-esis.xlsx", "Klaarzetten")
    headings = [row[0] for row in rows if row[0].startswith("Groep ")]
    assert len(headings) == 22 and headings[0] == "Groep 1/2A (school 98YY00)"
    assert headings[11] == "Groep 1/2A (school 99ZZ00)"
    _, _, body = table(rows)
    assert len(body) == 2 * 247
