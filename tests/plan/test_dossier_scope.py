"""The dossier population: `--dossier` scopes the plan, the preview and the bundle."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from conftest import SAMPLE_DATA, csv_frame, where, zip_members
from openpyxl import Workbook
from steps_data import (
    SAMPLE_FOLDERS,
    every_third,
    implied,
    sample_years,
    second_school,
    write_dossier,
)

from lwtop_toolkit import Tables, ToolkitError, load, plan_transition
from lwtop_toolkit.cli.main import main
from lwtop_toolkit.plan.dossier import scoped_tables
from lwtop_toolkit.readers.dossier import read_dossier
from lwtop_toolkit.samples.school import generate_school
from lwtop_toolkit.writers.importfiles import write_import_files

OLD, NEW = SAMPLE_DATA / "2025-2026", SAMPLE_DATA / "2026-2027"
SCHOOL = generate_school()  # the PO sample school: the tables of OLD and NEW, and the truth


@pytest.mark.parametrize("las", sorted(SAMPLE_FOLDERS))
def test_every_third_pupil_of_last_year_scopes_the_plan_of_each_sample(las: str) -> None:
    old_path, new_path = sample_years(las)
    old, new = load([old_path]).tables, load([new_path]).tables
    dossier = every_third(old)
    plan = plan_transition(old, new, dossier=pd.Series(dossier))
    expect = implied(old, new, dossier)
    counts = plan.status_counts()
    in_new_year = sum(counts[s] for s in ("promoted", "retained", "accelerated", "demoted"))
    assert in_new_year + counts["continuing"] + counts["new"] == expect["listed"]
    assert counts["left"] == expect["left"]
    assert counts["no_dossier"] == expect["no_dossier_new"] + expect["no_dossier_left"]
    assert plan.totals_add_up()  # the exports are still counted whole
    totals = plan.totals()
    assert totals["dossier"] == len(dossier) and totals["dossier_not_found"] == 0
    assert totals["old"] == len(old.leerlingen) and totals["new"] == len(new.leerlingen)
    students = plan.students
    assert set(students.loc[students["dossier"], "leerling_id"]) == set(dossier)
    assert set(students.loc[~students["dossier"], "status"]) == {"no_dossier"}
    summary = plan.summary[plan.summary["niveau"].eq("totaal")].iloc[0]
    assert summary["no_dossier"] == counts["no_dossier"]


def test_the_sample_truth_gives_the_same_counts() -> None:
    dossier = set(SCHOOL.old.leerlingen["leerling_id"].iloc[::3])
    plan = plan_transition(SCHOOL.old, SCHOOL.new, dossier=pd.Series(sorted(dossier)))
    truth = SCHOOL.truth.assign(dossier=SCHOOL.truth["leerling_id"].isin(dossier))
    counted = plan.status_counts()
    for status in ("promoted", "retained", "accelerated", "left"):
        assert counted[status] == int((truth["status"].eq(status) & truth["dossier"]).sum())
    assert counted["no_dossier"] == int((~truth["dossier"]).sum()) == 195


def test_without_a_dossier_nothing_changes() -> None:
    plan = plan_transition(SCHOOL.old, SCHOOL.new)
    assert not plan.scoped and "no_dossier" not in plan.status_counts()
    assert "dossier" not in plan.students and "status_las" not in plan.students
    assert set(plan.totals()) == {
        "old", "new", "matched", "new_pupils", "left", "left_graduated", "left_other",
    }  # fmt: skip


def test_a_dossier_list_is_read_by_the_readers_in_any_usual_form(tmp_path: Path) -> None:
    ids = every_third(SCHOOL.old)
    product = read_dossier([write_dossier(tmp_path / "dossier.csv", ids)])
    assert product.pupils["leerling_id"].tolist() == ids and product.findings.empty
    assert product.pupils["naam"].iloc[0] == "Roepnaam0 Achternaam0"
    # a pupil list with another header for the number (an alias), as an Excel workbook
    book = Workbook()
    sheet = book.active
    sheet.append(["Leerlingnummer", "Achternaam", "Roepnaam"])
    for pupil in ids:
        sheet.append([pupil, "Jansen", "Sem"])
    book.save(tmp_path / "dossier.xlsx")
    assert read_dossier([tmp_path / "dossier.xlsx"]).pupils["leerling_id"].tolist() == ids
    # last year's three import files: every pupil of last year has a dossier
    everyone = read_dossier([OLD])
    assert len(everyone) == len(SCHOOL.old.leerlingen) and everyone.findings.empty
    plan = plan_transition(SCHOOL.old, SCHOOL.new, dossier=everyone.pupils)
    assert plan.status_counts()["no_dossier"] == 30  # exactly the new pupils
    assert plan.status_counts()["left"] == 31


@pytest.mark.produces("dossier-row-without-id", "dossier-pupil-not-found")
def test_a_dossier_pupil_in_neither_export_is_left_and_reported(tmp_path: Path) -> None:
    ids = [*every_third(SCHOOL.old)[:5], "999999", ""]
    path = write_dossier(tmp_path / "dossier.csv", ids)
    dossier = read_dossier([path])
    assert ("dossier.csv", 8, "leerling_id", "dossier-row-without-id") in where(dossier.findings)
    plan = plan_transition(SCHOOL.old, SCHOOL.new, dossier=dossier.pupils)
    assert ("dossier.csv", 7, "leerling_id", "dossier-pupil-not-found") in where(plan.findings)
    row = plan.students[plan.students["leerling_id"].eq("999999")].iloc[0]
    assert (row["status"], row["left_reason"], row["status_las"]) == ("left", "other", "")
    assert row["dossier"] and row["_row"] == 7
    assert plan.totals()["dossier_not_found"] == 1 and plan.totals_add_up()


def test_dossier_pupils_are_found_by_eckid_and_without_leading_zeros() -> None:
    new = SCHOOL.new
    pupils = new.leerlingen.copy()
    changed = pupils.index[pupils["leerling_id"].isin(SCHOOL.old.leerlingen["leerling_id"])][:2]
    first, second = (str(pupils.loc[i, "leerling_id"]) for i in changed)
    pupils.loc[changed[0], "leerling_id"] = "N" + first  # a new number, the same ECK-iD
    renumbered = Tables(new.groepen, pupils, new.medewerkers, new.medewerker_groepen)
    plan = plan_transition(SCHOOL.old, renumbered, dossier=pd.Series([first, second.lstrip("0")]))
    with_dossier = plan.students[plan.students["dossier"]]
    assert sorted(with_dossier["leerling_id"]) == sorted(["N" + first, second])
    assert plan.totals()["dossier_not_found"] == 0


def test_a_dossier_file_without_pupil_numbers_cannot_be_used(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "dossier.csv"
    path.write_text("leerling_id;naam\r\n;Sem\r\n;Noor\r\n", encoding="utf-8")
    with pytest.raises(ToolkitError) as raised:
        read_dossier([path])
    assert raised.value.finding["code"] == "missing-column"
    status = main(["preview", "--old", str(OLD), "--new", str(NEW), "--dossier", str(path)])
    assert status == 2 and "leerling_id" in capsys.readouterr().err


def test_preview_json_counts_the_pupils_without_a_dossier(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_dossier(tmp_path / "dossier.csv", every_third(SCHOOL.old))
    args = ["preview", "--old", str(OLD), "--new", str(NEW), "--dossier", str(path)]
    assert main([*args, "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["summary"]["no_dossier"] == 195 and document["summary"]["left"] == 9
    assert document["totals"]["dossier"] == 83 and document["totals"]["add_up"]
    assert main(args) == 0
    text = capsys.readouterr().out
    assert "geen dossier" in text and "83 leerlingen met een dossier" in text
    assert main(["preview", "--old", str(OLD), "--new", str(NEW)]) == 0
    assert "geen dossier" not in capsys.readouterr().out


def test_the_bundle_holds_only_the_dossier_pupils_unless_all_pupils(tmp_path: Path) -> None:
    ids = every_third(SCHOOL.old)
    path = write_dossier(tmp_path / "dossier.csv", ids)
    base = ["bundle", "--old", str(OLD), "--new", str(NEW), "--dossier", str(path)]
    assert main([*base, "--out", str(tmp_path / "scoped")]) == 0
    files = zip_members(tmp_path / "scoped" / "lwtop-99ZZ-2026-2027.zip")
    pupils = csv_frame(files["leerlingen.csv"])
    new_ids = set(SCHOOL.new.leerlingen["leerling_id"])
    assert set(pupils["leerling_id"]) == set(ids) & new_ids and len(pupils) == 74
    manifest = json.loads(files["manifest.json"])
    assert manifest["rows"]["leerlingen"] == 74 and manifest["status"]["no_dossier"] == 195
    assert manifest["dossier"]["pupils_left_out"] == 173 and not manifest["dossier"]["all_pupils"]
    assert "dossier.csv" in {item["name"] for item in manifest["inputs"]}
    assert main([*base, "--all-pupils", "--out", str(tmp_path / "all")]) == 0
    everyone = csv_frame(
        zip_members(tmp_path / "all" / "lwtop-99ZZ-2026-2027.zip")["leerlingen.csv"]
    )
    assert len(everyone) == 247


def test_groups_without_dossier_pupils_stay_out_of_the_bundle() -> None:
    group = "G2026-5A"
    in_group = SCHOOL.new.leerlingen["groep_id"].eq(group)
    ids = SCHOOL.new.leerlingen.loc[~in_group, "leerling_id"].tolist()
    plan = plan_transition(SCHOOL.old, SCHOOL.new, dossier=pd.Series(ids))
    tables, left_out = scoped_tables(SCHOOL.new, plan.students)
    assert group not in set(tables.groepen["groep_id"]) and len(tables.groepen) == 11
    assert left_out["groups_left_out"] == 1 and left_out["pupils_left_out"] == int(in_group.sum())
    assert len(tables.medewerkers) == len(SCHOOL.new.medewerkers)  # the staff list stays whole


def test_errors_of_pupils_without_a_dossier_do_not_stop_the_bundle(tmp_path: Path) -> None:
    pupils = SCHOOL.new.leerlingen.copy()
    outsider = pupils.index[~pupils["leerling_id"].isin(every_third(SCHOOL.old))][0]
    pupils.loc[outsider, "geslacht"] = "Q"  # an error in the row of a pupil without a dossier
    new = Tables(SCHOOL.new.groepen, pupils, SCHOOL.new.medewerkers)
    write_import_files(new, tmp_path / "nieuw")
    path = write_dossier(tmp_path / "dossier.csv", every_third(SCHOOL.old))
    args = ["bundle", "--old", str(OLD), "--new", str(tmp_path / "nieuw")]
    assert main([*args, "--out", str(tmp_path / "a")]) == 1  # without a dossier list: refused
    assert main([*args, "--dossier", str(path), "--out", str(tmp_path / "b")]) == 0
    findings = csv_frame(
        zip_members(tmp_path / "b" / "lwtop-99ZZ-2026-2027.zip")["bevindingen.csv"]
    )
    marked = findings[findings["code"].eq("invalid-code")]
    assert marked["tabel"].tolist() == ["leerlingen (geen dossier)"]
    # the same error in a dossier pupil's row still stops the bundle
    insider = pupils.index[pupils["leerling_id"].isin(every_third(SCHOOL.old))][0]
    pupils.loc[insider, "geslacht"] = "Q"
    write_import_files(Tables(SCHOOL.new.groepen, pupils, SCHOOL.new.medewerkers), tmp_path / "n2")
    args = ["bundle", "--old", str(OLD), "--new", str(tmp_path / "n2"), "--dossier", str(path)]
    assert main([*args, "--out", str(tmp_path / "c")]) == 1


def test_several_schools_each_get_their_own_dossier_pupils(tmp_path: Path) -> None:
    folders = {}
    for year, tables in (("oud", SCHOOL.old), ("nieuw", SCHOOL.new)):
        other = second_school(tables, "98YY")
        both = Tables(
            *(pd.concat([tables[n], other[n]], ignore_index=True) for n in tables.row_counts())
        )
        folders[year] = tmp_path / year
        write_import_files(both, folders[year])
    ids = every_third(SCHOOL.old)
    path = write_dossier(tmp_path / "dossier.csv", [*ids, *("98YY-" + i for i in ids), "777"])
    out = tmp_path / "out"
    args = ["bundle", "--old", str(folders["oud"]), "--new", str(folders["nieuw"])]
    assert main([*args, "--dossier", str(path), "--out", str(out)]) == 0
    for name in ("lwtop-99ZZ-2026-2027.zip", "lwtop-98YY-2026-2027.zip"):
        files = zip_members(out / name)
        assert len(csv_frame(files["leerlingen.csv"])) == 74
        manifest = json.loads(files["manifest.json"])
        assert manifest["dossier"]["dossier_not_found"] == 0  # no pupil of the other school
        reported = csv_frame(files["bevindingen.csv"])
        unknown = reported[reported["code"].eq("dossier-pupil-not-found")]
        assert unknown["waarde"].tolist() == ["777"]  # in no school: reported with each
