"""`lwtop verify`: after the link, the fetch or the import, what did not arrive."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from conftest import SAMPLE_DATA, where
from steps_data import SAMPLE_FOLDERS, every_third, sample_years, so_school, write_dossier

from lwtop_toolkit import Tables, load
from lwtop_toolkit.cli.main import main
from lwtop_toolkit.las import catalogue as las
from lwtop_toolkit.samples.school import generate_school
from lwtop_toolkit.steps.verify import verify
from lwtop_toolkit.ui.wording import APP
from lwtop_toolkit.writers.importfiles import write_import_files

OLD, NEW = SAMPLE_DATA / "2025-2026", SAMPLE_DATA / "2026-2027"
SCHOOL = generate_school()


def with_links(tables: Tables) -> Tables:
    """The new year with step 2 done: the first staff member of each stamgroep linked to it."""
    stam = tables.groepen[tables.groepen["soort"].eq("stamgroep")]["groep_id"].tolist()
    staff = tables.medewerkers["medewerker_id"].tolist()
    links = pd.DataFrame({"medewerker_id": staff[: len(stam)], "groep_id": stam})
    return Tables.from_frames(
        groepen=tables.groepen,
        leerlingen=tables.leerlingen,
        medewerkers=tables.medewerkers,
        medewerker_groepen=links,
    )


def product_export(tables: Tables, folder: Path) -> Path:
    """What the product's export after the transfer looks like: the import files of `tables`."""
    write_import_files(tables, folder)
    return folder


def check(expected: Path, actual: Path, *extra: str) -> int:
    return main(["verify", "--expected", str(expected), "--actual", str(actual), *extra])


@pytest.mark.parametrize("las_code", sorted(SAMPLE_FOLDERS))
def test_an_exact_match_gives_no_finding_for_each_las(
    tmp_path: Path, las_code: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _, new_path = sample_years(las_code)
    arrived = product_export(load([new_path]).tables, tmp_path / "dossier-export")
    assert check(new_path, arrived, "--las", las_code, "--json") == 0
    document = json.loads(capsys.readouterr().out)
    assert document["complete"] and document["findings"] == []
    counts = document["counts"]
    assert counts["pupils_expected"] == counts["pupils_arrived"] == counts["pupils_in_actual"]
    assert counts["pupils_missing"] == counts["pupils_wrong_group"] == 0


def test_an_exact_match_of_the_so_school(tmp_path: Path) -> None:
    _, new_path = so_school(tmp_path)
    result = verify(load([new_path]).tables, load([new_path]).tables)
    assert result.findings.empty and result.counts["pupils_expected"] == 71


@pytest.mark.produces(
    "verify-pupil-missing",
    "verify-pupil-wrong-group",
    "verify-group-missing",
    "verify-group-extra",
    "verify-staff-link-missing",
)
def test_planted_differences_are_each_found_at_their_row(tmp_path: Path) -> None:
    expected = with_links(SCHOOL.new)
    expected_folder = product_export(expected, tmp_path / "verwacht")
    pupils = expected.leerlingen.copy()
    moved = str(pupils.loc[0, "leerling_id"])
    pupils.loc[0, "groep_id"] = "G2026-8B"  # in another group than expected
    missing = str(pupils.loc[3, "leerling_id"])
    pupils = pupils.drop(index=3)  # did not arrive
    pupils["samengestelde_groepen"] = ""  # the Plusklas did not arrive
    groups = expected.groepen[expected.groepen["groepsnaam"].ne("Plusklas")]
    extra = pd.DataFrame(
        [
            {
                "groep_id": "G2025-4A",
                "groepsnaam": "4A",
                "jaargroep": "4",
                "schooljaar": "2026-2027",
                "brin": "99ZZ",
                "soort": "stamgroep",
            }
        ]
    )
    links = expected.medewerker_groepen.iloc[1:]  # the first link did not arrive
    actual = Tables.from_frames(
        groepen=pd.concat([groups, extra], ignore_index=True),
        leerlingen=pupils,
        medewerkers=expected.medewerkers,
        medewerker_groepen=links,
    )
    actual_folder = product_export(actual, tmp_path / "aangekomen")
    result = verify(load([expected_folder]).tables, load([actual_folder]).tables)
    found = where(result.findings)
    assert found == {
        ("leerlingen.csv", 5, "leerling_id", "verify-pupil-missing"),
        ("leerlingen.csv", 2, "groep_id", "verify-pupil-wrong-group"),
        ("groepen.csv", 13, "groepsnaam", "verify-group-missing"),
        ("groepen.csv", 13, "groepsnaam", "verify-group-extra"),
        ("medewerker_groepen.csv", 2, "medewerker_id", "verify-staff-link-missing"),
    }
    by_code = result.findings.set_index("code")
    assert by_code.loc["verify-pupil-missing", "file"].startswith(str(expected_folder))
    assert by_code.loc["verify-pupil-missing", "value"] == missing
    assert by_code.loc["verify-pupil-wrong-group", "file"].startswith(str(actual_folder))
    assert by_code.loc["verify-pupil-wrong-group", "value"] == moved
    assert "hoort in groep '1/2A'" in by_code.loc["verify-pupil-wrong-group", "message"]
    assert "'8B'" in by_code.loc["verify-pupil-wrong-group", "message"]
    # the step that links the staff, as the face names it: step 2 of the seed, step 6 of the app
    assert "aan de groep (stap 2)." in by_code.loc["verify-staff-link-missing", "message"]
    in_app = verify(load([expected_folder]).tables, load([actual_folder]).tables, ways=APP)
    said = in_app.findings.set_index("code").loc["verify-staff-link-missing", "message"]
    assert "aan de groep (stap 6)." in said
    assert by_code.loc["verify-group-extra", "file"].startswith(str(actual_folder))
    assert by_code.loc["verify-group-extra", "value"] == "4A"
    assert "Plusklas" in by_code.loc["verify-group-missing", "message"]
    assert "(6 leerlingen)" in by_code.loc["verify-group-missing", "message"]
    assert result.counts["links_expected"] == 11 and result.counts["links_missing"] == 1
    assert not result.complete
    assert check(expected_folder, actual_folder) == 1


def test_staff_and_groups_are_found_by_email_and_name_when_their_ids_differ() -> None:
    expected = with_links(SCHOOL.new)
    staff = expected.medewerkers.assign(medewerker_id="P" + expected.medewerkers["medewerker_id"])
    groups = expected.groepen.assign(groep_id="K" + expected.groepen["groep_id"])
    pupils = expected.leerlingen.assign(
        groep_id="K" + expected.leerlingen["groep_id"],
        samengestelde_groepen=expected.leerlingen["samengestelde_groepen"].str.replace(
            "G2026", "KG2026"
        ),
    )
    links = expected.medewerker_groepen.assign(
        medewerker_id="P" + expected.medewerker_groepen["medewerker_id"],
        groep_id="K" + expected.medewerker_groepen["groep_id"],
    )
    actual = Tables.from_frames(
        groepen=groups, leerlingen=pupils, medewerkers=staff, medewerker_groepen=links
    )
    result = verify(expected, actual)
    assert result.findings.empty, result.findings["message"].tolist()


@pytest.mark.produces("verify-pupil-missing", "verify-pupil-unexpected")
def test_only_the_dossier_pupils_are_expected(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = every_third(SCHOOL.old)
    dossier = write_dossier(tmp_path / "dossier.csv", ids)
    pupils = SCHOOL.new.leerlingen
    has = pupils["leerling_id"].isin(ids)
    outsider_gone = pupils.index[~has][0]  # a pupil without a dossier did not arrive: fine
    outsider_came = str(pupils.loc[pupils.index[~has][1], "leerling_id"])  # one came along
    insider_gone = str(pupils.loc[pupils.index[has][0], "leerling_id"])
    keep = has | pupils.index.isin([pupils.index[~has][1]])
    keep &= ~pupils["leerling_id"].eq(insider_gone)
    keep &= ~pupils.index.isin([outsider_gone])
    actual = Tables(SCHOOL.new.groepen, pupils[keep], SCHOOL.new.medewerkers)
    arrived = product_export(actual, tmp_path / "aangekomen")
    assert check(NEW, arrived, "--dossier", str(dossier), "--json") == 1
    document = json.loads(capsys.readouterr().out)
    counts = document["counts"]
    assert counts["pupils_expected"] == 74 and counts["pupils_missing"] == 1
    assert counts["pupils_unexpected"] == 1
    coded = {(f["code"], f["value"], f["severity"]) for f in document["findings"]}
    assert coded == {
        ("verify-pupil-missing", insider_gone, "error"),
        ("verify-pupil-unexpected", outsider_came, "warning"),
    }
    unexpected = next(f for f in document["findings"] if f["code"] == "verify-pupil-unexpected")
    assert "geen dossier" in unexpected["message"]
    statuses = {p["leerling_id"]: p["uitkomst"] for p in document["pupils"]}
    assert statuses[insider_gone] == "ontbreekt" and len(statuses) == 74
    # with --all-pupils every pupil is expected again
    assert check(NEW, arrived, "--dossier", str(dossier), "--all-pupils", "--json") == 1
    assert json.loads(capsys.readouterr().out)["counts"]["pupils_missing"] == 1 + int(
        (~has).sum() - 1
    )


def test_a_link_that_has_not_run_yet_is_named(capsys: pytest.CaptureFixture[str]) -> None:
    not_rolled = SAMPLE_DATA / "niet-overgezet" / "2026-2027"
    args = ("--old", str(OLD), "--las", "parnassys-gkv")
    assert check(NEW, not_rolled, *args) == 1
    out = capsys.readouterr().out
    assert "staan nog in de groep van vorig jaar" in out
    result = verify(
        load([NEW]).tables,
        load([not_rolled]).tables,
        old=load([OLD]).tables,
        las=las.get("parnassys-gkv"),
    )
    wrong = result.findings[result.findings["code"].eq("verify-pupil-wrong-group")]
    assert len(wrong) == result.counts["pupils_wrong_group"] > 0
    assert result.counts["pupils_in_old_group"] > 0
    assert wrong["message"].str.contains("nog in de groep van vorig jaar").any()
    assert wrong["message"].str.contains("de koppeling neemt de groep uit het LAS over").all()


def test_the_upload_bundle_is_what_was_expected_after_an_import(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old_path, new_path = sample_years("somtoday")
    dossier = write_dossier(tmp_path / "dossier.csv", every_third(old_path))
    out = tmp_path / "bundel"
    bundle = ["bundle", "--old", str(old_path), "--new", str(new_path), "--out", str(out)]
    assert main([*bundle, "--dossier", str(dossier)]) == 0
    (zip_path,) = out.glob("*.zip")
    expected = _bundle_tables(zip_path, tmp_path / "uitgepakt")
    imported = product_export(expected, tmp_path / "na-import")
    assert check(zip_path, imported, "--las", "somtoday") == 0
    assert "Alles is aangekomen" in capsys.readouterr().out
    # one pupil of the bundle did not arrive: the finding points into the zip
    short = Tables(expected.groepen, expected.leerlingen.iloc[1:], expected.medewerkers)
    assert check(zip_path, product_export(short, tmp_path / "half"), "--json") == 1
    (missing,) = json.loads(capsys.readouterr().out)["findings"]
    assert missing["code"] == "verify-pupil-missing" and missing["row"] == 2
    assert missing["file"] == f"{zip_path}/leerlingen.csv"


def _bundle_tables(zip_path: Path, folder: Path) -> Tables:
    with zipfile.ZipFile(zip_path) as archive:
        for name in ("groepen.csv", "leerlingen.csv", "medewerkers.csv"):
            archive.extract(name, folder)
    return load([folder]).tables


def test_unreadable_input_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert check(NEW, tmp_path / "bestaat-niet") == 2
    assert "bestaat niet" in capsys.readouterr().err
    broken = tmp_path / "kapot.zip"
    broken.write_bytes(b"PK\x03\x04 niet echt")
    assert check(broken, NEW) == 2


@pytest.mark.produces("verify-pupil-not-in-group", "verify-memberships-not-exported")
def test_a_pupil_missing_from_a_samengestelde_groep_is_found(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The Plusklas arrived, but one of its pupils is not in it: the Plusklas's staff would not
    see that dossier. An export without any memberships: one warning, nothing unchecked."""
    expected = with_links(SCHOOL.new)
    expected_folder = product_export(expected, tmp_path / "verwacht")
    pupils = expected.leerlingen.copy()
    members = pupils.index[pupils["samengestelde_groepen"].ne("")]
    assert len(members) >= 2
    left_out = members[0]
    pupils.loc[left_out, "samengestelde_groepen"] = ""
    arrived = product_export(_with_pupils(expected, pupils), tmp_path / "aangekomen")
    result = verify(load([expected_folder]).tables, load([arrived]).tables)
    assert where(result.findings) == {
        ("leerlingen.csv", left_out + 2, "samengestelde_groepen", "verify-pupil-not-in-group")
    }
    message = result.findings["message"].iloc[0]
    assert "'Plusklas'" in message and str(pupils.loc[left_out, "leerling_id"]) in message
    assert result.counts["memberships_missing"] == 1 and not result.complete
    assert result.counts["memberships_expected"] == len(members)
    assert check(expected_folder, arrived) == 1
    assert f"Samengesteld:   1 van {len(members)} plaatsingen" in capsys.readouterr().out

    pupils["samengestelde_groepen"] = ""  # an export that names no samengestelde groep at all
    bare = product_export(_with_pupils(expected, pupils), tmp_path / "kaal")
    result = verify(load([expected_folder]).tables, load([bare]).tables)
    assert result.findings[["code", "severity", "value"]].values.tolist() == [
        ["verify-memberships-not-exported", "warning", str(len(members))]
    ]
    assert result.complete


def _with_pupils(tables: Tables, pupils: pd.DataFrame) -> Tables:
    """`tables` with other pupils (the rest as they are)."""
    return Tables.from_frames(
        groepen=tables.groepen,
        leerlingen=pupils,
        medewerkers=tables.medewerkers,
        medewerker_groepen=tables.medewerker_groepen,
    )
