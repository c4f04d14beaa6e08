"""The staff workbook and staff roles on exports as schools deliver them: ids without their
leading zeros, a role that is no product role, a Plusklas teacher, an unknown school year, and
the bundle's report of a changed workbook."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from conftest import SAMPLE_DATA, csv_frame, where, zip_members

from lwtop_toolkit import Tables, ToolkitError, load
from lwtop_toolkit import findings as fd
from lwtop_toolkit.board.owners import of_school, owned, row_owners
from lwtop_toolkit.cli.main import main
from lwtop_toolkit.findings import finding
from lwtop_toolkit.sheets.staff_read import read_staff_sheet
from lwtop_toolkit.sheets.staff_write import staff_sheet_bytes
from lwtop_toolkit.steps.staffing import SOURCE_SAME_GROUP, suggest_staff

OLD, NEW = SAMPLE_DATA / "2025-2026", SAMPLE_DATA / "2026-2027"
PLUSKLAS = "G2026-Plusklas"  # the sample's samengestelde groep; M016 taught it last year


def copied(source: Path, target: Path) -> Path:
    shutil.copytree(source, target)
    return target


def edit_csv(path: Path, edit: Callable[[pd.DataFrame], pd.DataFrame]) -> None:
    """Change an import file (`;`, UTF-8 with BOM) as a LAS or a spreadsheet would."""
    frame = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    edit(frame).to_csv(path, sep=";", index=False, encoding="utf-8-sig")


def assignment(path: Path) -> pd.DataFrame:
    """The `Toewijzing` sheet as text columns by header."""
    rows = list(openpyxl.load_workbook(path)["Toewijzing"].iter_rows(values_only=True))
    texts = [["" if value is None else str(value) for value in row] for row in rows[1:]]
    return pd.DataFrame(texts, columns=[str(value) for value in rows[0]])


def staff_sheet(old: Path, new: Path, out: Path) -> int:
    return main(["staff-sheet", "--old", str(old), "--new", str(new), "--out", str(out)])


# --- "Vorig jaar": the pupils the plan matches ---------------------------------------------------


def test_previous_year_counts_pupils_matched_without_leading_zeros(tmp_path: Path) -> None:
    # The new export lost the leading zeros (saved through Excel) and carries no ECK-iD: the
    # plan still matches 071280 to 71280, and so must the workbook's "Vorig jaar".
    new = copied(NEW, tmp_path / "nieuw")
    edit_csv(
        new / "leerlingen.csv",
        lambda pupils: pupils.assign(leerling_id=pupils["leerling_id"].str.lstrip("0"), eckid=""),
    )
    assert staff_sheet(OLD, NEW, tmp_path / "zo.xlsx") == 0
    assert staff_sheet(OLD, new, tmp_path / "zonder-nullen.xlsx") in (0, 1)
    expected = assignment(tmp_path / "zo.xlsx").set_index("Groepscode")["Vorig jaar"]
    found = assignment(tmp_path / "zonder-nullen.xlsx").set_index("Groepscode")["Vorig jaar"]
    zeros = load([OLD]).tables.leerlingen
    groups = set(zeros.loc[zeros["leerling_id"].str.startswith("0"), "groep_id"])
    assert len(groups) > 3  # many of last year's groups hold such pupils
    assert expected.ne("").sum() >= 8
    pd.testing.assert_series_equal(found, expected)


# --- a role that is no product role ------------------------------------------------------------


@pytest.mark.produces("unknown-role")
def test_a_role_that_is_no_product_role_is_an_error_at_its_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    new = copied(NEW, tmp_path / "2026-2027")
    staff = new / "medewerkers.csv"
    edit_csv(staff, lambda frame: frame.assign(rol=frame["rol"].mask(
        frame["medewerker_id"].eq("M016"), "TOP intern begeleider")))  # fmt: skip
    row = 1 + 1 + int(pd.read_csv(staff, sep=";", dtype=str).index[
        pd.read_csv(staff, sep=";", dtype=str)["medewerker_id"].eq("M016")][0])  # fmt: skip
    assert main(["validate", str(new), "--json"]) == 1
    document = json.loads(capsys.readouterr().out)
    found = [f for f in document["findings"] if f["code"] == "unknown-role"]
    assert [(Path(f["file"]).name, f["row"], f["column"], f["severity"]) for f in found] == [
        ("medewerkers.csv", row, "rol", "error")
    ]
    message = found[0]["message"]
    for text in ("TOP intern begeleider", "'TOP leerkracht'", "'TOP leerkracht +'", "[rollen]",
                 "lwtop.toml"):  # fmt: skip
        assert text in message
    # The bundle does not ship it: the upload would be refused or give the wrong rights.
    out = tmp_path / "bundels"
    assert main(["bundle", "--old", str(OLD), "--new", str(new), "--out", str(out)]) == 1
    assert "TOP intern begeleider" in capsys.readouterr().out
    assert not list(out.glob("*.zip"))
    # Mapped in lwtop.toml beside the import files, as the message says: no finding, and the
    # bundle's medewerkers.csv holds the product role.
    (new / "lwtop.toml").write_text(
        '[rollen]\n"TOP intern begeleider" = "TOP leerkracht +"\n', encoding="utf-8"
    )
    loaded = load([new])
    assert "unknown-role" not in set(loaded.findings["code"])
    assert main(["bundle", "--old", str(OLD), "--new", str(new), "--out", str(out)]) == 0
    capsys.readouterr()
    (bundle,) = out.glob("*.zip")
    written = csv_frame(zip_members(bundle)["medewerkers.csv"]).set_index("medewerker_id")
    assert written.loc["M016", "rol"] == "TOP leerkracht +"
    assert set(written["rol"]) <= {"TOP leerkracht", "TOP leerkracht +", ""}


@pytest.mark.produces("unknown-role")
def test_a_mapping_to_no_product_role_is_reported_too(tmp_path: Path) -> None:
    # A LAS list whose function lwtop.toml maps to a made-up role: the same rule, at its row.
    new = copied(SAMPLE_DATA / "magister" / "2026-2027", tmp_path / "2026-2027")
    staff = pd.read_csv(new / "docenten.csv", sep=None, engine="python", dtype=str,
                        keep_default_na=False, encoding="cp1252")  # fmt: skip
    staff = staff[~staff["Code"].str.startswith("*")]  # out of service: not read
    column = next(c for c in staff.columns if "functie" in c.lower())
    function = staff[column].iloc[0]
    (new / "lwtop.toml").write_text(f'[rollen]\n"{function}" = "Mentor"\n', encoding="utf-8")
    loaded = load([new])
    wrong = loaded.findings[loaded.findings["code"].eq("unknown-role")]
    assert len(wrong) == staff[column].eq(function).sum() > 0
    assert set(wrong["value"]) == {"Mentor"} and set(wrong["severity"]) == {"error"}
    assert set(wrong["row"]) == {i + 2 for i in staff.index[staff[column].eq(function)]}


def test_product_roles_written_in_another_case_are_the_product_roles(tmp_path: Path) -> None:
    new = copied(NEW, tmp_path / "2026-2027")
    edit_csv(new / "medewerkers.csv", lambda frame: frame.assign(rol=frame["rol"].str.upper()))
    loaded = load([new])
    assert "unknown-role" not in set(loaded.findings["code"])
    assert set(loaded.tables.medewerkers["rol"]) == set(load([NEW]).tables.medewerkers["rol"])


# --- samengestelde groepen ---------------------------------------------------------------------


def test_samengestelde_groepen_are_offered_and_read_back_into_the_bundle(tmp_path: Path) -> None:
    sheet = tmp_path / "toewijzing.xlsx"
    assert staff_sheet(OLD, NEW, sheet) == 0
    rows = assignment(sheet).set_index("Groepscode")
    assert PLUSKLAS in rows.index
    assert rows.loc[PLUSKLAS, "Soort"] == "samengestelde groep"
    assert set(rows.drop(index=PLUSKLAS)["Soort"]) == {"stamgroep"}
    assert rows.loc[PLUSKLAS, "Leerkracht 1"] == "Karin van 't Zand (M016)"  # last year's
    assert rows.loc[PLUSKLAS, "Bron suggestie"] == "zelfde groep vorig jaar"
    assert rows.loc[PLUSKLAS, "Vorig jaar"].startswith("Karin van 't Zand (M016): ")
    plan = suggest_staff(load([OLD]).tables, load([NEW]).tables)
    plusklas = plan.groups.set_index("groep_id").loc[PLUSKLAS]
    assert (plusklas["medewerkers"], plusklas["bron"]) == (("M016",), SOURCE_SAME_GROUP)
    # Read back, unedited: the link is there, and leaving a samengestelde groep empty is fine.
    links, findings = read_staff_sheet(sheet, load([NEW]).tables)
    assert ("M016", PLUSKLAS) in set(zip(links["medewerker_id"], links["groep_id"], strict=True))
    assert findings[findings["severity"].eq("error")].empty
    out = tmp_path / "bundels"
    assert main(["bundle", "--old", str(OLD), "--new", str(NEW), "--out", str(out),
                 "--staff-sheet", str(sheet)]) == 0  # fmt: skip
    (bundle,) = out.glob("*.zip")
    written = csv_frame(zip_members(bundle)["medewerker_groepen.csv"])
    assert ("M016", PLUSKLAS) in set(zip(written["medewerker_id"], written["groep_id"],
                                         strict=True))  # fmt: skip


def test_a_samengestelde_groep_link_in_the_new_export_is_suggested(tmp_path: Path) -> None:
    new = copied(NEW, tmp_path / "2026-2027")
    (new / "medewerker_groepen.csv").write_text(
        f"\ufeffmedewerker_id;groep_id\nM014;{PLUSKLAS}\n", encoding="utf-8"
    )
    sheet = tmp_path / "w.xlsx"
    assert staff_sheet(OLD, new, sheet) == 0
    rows = assignment(sheet).set_index("Groepscode")
    assert rows.loc[PLUSKLAS, "Leerkracht 1"].endswith("(M014)")
    assert rows.loc[PLUSKLAS, "Bron suggestie"] == "koppeling in export"
    links, _ = read_staff_sheet(sheet, load([new]).tables)
    assert ("M014", PLUSKLAS) in set(zip(links["medewerker_id"], links["groep_id"], strict=True))


# --- an unknown school year ------------------------------------------------------------------


@pytest.mark.produces("staff-sheet-no-year")
def test_staff_sheet_refuses_without_the_new_school_year(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    new = copied(SAMPLE_DATA / "magister" / "2026-2027", tmp_path / "nieuw")  # no year in a name
    sheet = tmp_path / "toewijzing.xlsx"
    old = SAMPLE_DATA / "magister" / "2025-2026"
    assert staff_sheet(old, new, sheet) == 2
    captured = capsys.readouterr()
    assert not sheet.exists()
    (line,) = captured.err.strip().splitlines()
    assert "schooljaar" in line and "lwtop.toml" in line and "2026-2027" in line
    plan = suggest_staff(load([old]).tables, load([new]).tables)
    assert plan.schooljaar == ""
    with pytest.raises(ToolkitError) as refused:  # the app's workbook: the same refusal
        staff_sheet_bytes(plan)
    assert refused.value.finding["code"] == "staff-sheet-no-year"
    assert refused.value.message in line
    # Given in lwtop.toml, as the line says: the workbook is made for that year.
    (new / "lwtop.toml").write_text('schooljaar = "2026-2027"\n', encoding="utf-8")
    assert staff_sheet(old, new, sheet) == 0
    meta = {row[0]: row[1] for row in openpyxl.load_workbook(sheet)["lwtop"].iter_rows(
        values_only=True)}  # fmt: skip
    assert meta["schooljaar"] == "2026-2027"


# --- the bundle's report of a changed workbook -------------------------------------------------


@pytest.mark.produces("staff-sheet-structure-changed")
def test_bundle_reports_a_changed_structure_cell_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = tmp_path / "toewijzing.xlsx"
    assert staff_sheet(OLD, NEW, sheet) == 0
    book = openpyxl.load_workbook(sheet)
    rows = book["Toewijzing"]
    teachers = [rows.cell(row=3, column=n).value for n in (5, 6, 7)]
    assert sum(bool(name) for name in teachers) >= 2  # a row with several links
    rows["B3"] = "1/2 Beren"  # a fixed cell retyped
    book.save(sheet)
    capsys.readouterr()
    out = tmp_path / "bundels"
    command = ["bundle", "--old", str(OLD), "--new", str(NEW), "--out", str(out),
               "--staff-sheet", str(sheet)]  # fmt: skip
    assert main(command) == 1
    report = capsys.readouterr().out
    assert report.count("1/2 Beren") == 1
    assert main([*command, "--force"]) == 1
    capsys.readouterr()
    (bundle,) = out.glob("*.zip")
    members = zip_members(bundle)
    found = csv_frame(members["bevindingen.csv"])
    changed = found[found.apply(lambda row: "1/2 Beren" in " ".join(row), axis=1)]
    assert len(changed) == 1
    manifest = json.loads(members["manifest.json"])
    assert manifest["findings"]["error"] == 1
    assert where(read_staff_sheet(sheet, load([NEW]).tables)[1]) >= {
        ("toewijzing.xlsx", 3, "Groepsnaam", "staff-sheet-structure-changed")
    }


def test_a_finding_at_a_row_of_two_links_goes_to_its_school_once() -> None:
    # A workbook row with two teachers gives two links read from one (file, row): a finding
    # about that row is about its school once, not once per link.
    sheet = "toewijzing.xlsx [Toewijzing]"
    found = fd.frame([finding("staff-sheet-structure-changed", file=sheet, table="groepen",
                              row=3, column="Groepsnaam", value="1/2 Beren",
                              expected="1/2B", make_sheet="lwtop staff-sheet")])  # fmt: skip
    links = pd.DataFrame({"medewerker_id": ["M004", "M013"], "groep_id": ["G2026-12B"] * 2,
                          "_file": [sheet] * 2, "_row": [3, 3]})  # fmt: skip
    tables = Tables.from_frames(medewerker_groepen=links)
    owners = row_owners([(tables, {"medewerker_groepen": {"99ZZ": np.array([0, 1])}})])
    assert len(owners) == 2
    keyed = owned(found, owners)
    assert keyed["school"].tolist() == ["99ZZ"]
    assert len(of_school(keyed, "99ZZ")) == 1
