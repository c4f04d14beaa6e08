"""The hold on the command line: a partial export is held in `lwtop preview`, `lwtop worklist`
and `lwtop bundle` (refused, or forced and recorded in the manifest); the school's lwtop.toml
lets a true departure through; every run shows both years' counts side by side."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from conftest import SAMPLE_DATA, csv_frame, zip_members
from hold_schools import synthetic_school
from openpyxl import load_workbook

from lwtop_toolkit.cli.main import main

OLD, NEW = "2025-2026", "2026-2027"


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    status = main([*argv, "--quiet"])
    return status, capsys.readouterr().out


@pytest.mark.produces("partial-export")
def test_an_export_of_one_class_is_held_in_preview_worklist_and_bundle(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    school = synthetic_school(per_year=2, size=23, movers=4).only(["5A"])
    old, new = school.write(tmp_path / "export")
    pair = ["--old", str(old), "--new", str(new)]
    staying, left = 7 * 2 * 23, 7 * 2 * 23 - 23

    status, text = _run(capsys, "preview", *pair)
    assert status == 1
    assert f"Vertrokken zonder opvolger: {left} van de {staying} leerlingen" in text
    assert "VASTGEHOUDEN: meer dan 25%; groepen verdwenen: 1A (23), 1B (23)" in text
    assert "Kies de gewenste Klassen" in text and "beschikbaar gesteld voor koppelingen" in text
    # the hold is the first error, in full
    assert text.split("De fouten voluit:\n- ")[1].startswith("Het nieuwe jaar mist leerlingen")

    status, out = _run(capsys, "preview", *pair, "--json")
    document = json.loads(out)
    assert status == 1
    held = [finding for finding in document["findings"] if finding["code"] == "partial-export"]
    assert [finding["value"] for finding in held] == [f"12AB00: {left}/{staying}"]
    (figures,) = document["hold"]
    assert figures["held"] is True and figures["left_without_successor"] == left
    assert figures["limits"]["max_vertrokken_procent"] == 25
    totals = {row["status"]: row for row in document["before_after"]}
    assert (totals["totaal"]["vorig_jaar"], totals["totaal"]["nieuw_jaar"]) == (8 * 46, 23)
    assert totals["left-other"]["vorig_jaar"] == left

    status, out = _run(capsys, "worklist", *pair, "--las", "magister", "--format", "importfiles",
                       "--out", str(tmp_path / "werklijst.xlsx"), "--json")  # fmt: skip
    assert status == 1 and "partial-export" in {f["code"] for f in json.loads(out)["findings"]}

    out_dir = tmp_path / "bundels"
    status, text = _run(capsys, "bundle", *pair, "--out", str(out_dir), "--geen-werkmap")
    assert status == 1 and not list(out_dir.glob("*.zip"))
    assert "GEWEIGERD" in text and "VASTGEHOUDEN" in text
    assert "(zie de fout 'Export lijkt onvolledig: te veel leerlingen vertrekken')" in text
    assert "Het nieuwe jaar mist leerlingen" in text

    # a school that truly closes a location: --force writes it, and the manifest says so
    status, text = _run(capsys, "bundle", *pair, "--out", str(out_dir), "--geen-werkmap",
                        "--force")  # fmt: skip
    assert status == 1
    assert "Geschreven met --force terwijl deze fouten openstaan: partial-export" in text
    (path,) = out_dir.glob("*.zip")
    members = zip_members(path)
    manifest = json.loads(members["manifest.json"])
    assert manifest["forced"] is True and manifest["open_error_codes"] == ["partial-export"]
    hold = manifest["hold"]
    assert hold["overridden"] is True and hold["held"] is True
    assert (hold["not_finishing"], hold["left_without_successor"]) == (staying, left)
    assert hold["pupils_old"] == 8 * 46 and hold["pupils_new"] == 23
    assert {"groep": "1A", "leerlingen": 23} in hold["vanished_groups"]
    assert hold["limits_from"] == "standaard"
    found = csv_frame(members["bevindingen.csv"])
    assert found["code"].iloc[0] == "partial-export"  # first, as everywhere
    assert len(csv_frame(members["leerlingen.csv"])) == 23


def test_the_limits_in_lwtop_toml_let_a_true_departure_through(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One class left out (a location with one class closes): held by default; a school that
    allows one vanished group in its lwtop.toml gets its bundle without --force."""
    school = synthetic_school(per_year=2, size=23, movers=4).without(["6A"])
    old, new = school.write(tmp_path / "export")
    pair = ["--old", str(old), "--new", str(new)]
    assert _run(capsys, "preview", *pair)[0] == 1
    (new / "lwtop.toml").write_text(
        "# deze school sluit een locatie\n[overgang]\nmax_verdwenen_groepen = 1\n", "utf-8"
    )
    status, text = _run(capsys, "preview", *pair)
    assert status == 0
    assert "groepen verdwenen: 5A (23) (toegestaan: 1)" in text
    status, text = _run(capsys, "bundle", *pair, "--out", str(tmp_path / "b"), "--geen-werkmap")
    assert status == 0 and "geschreven" in text
    (path,) = (tmp_path / "b").glob("*.zip")
    assert "hold" not in json.loads(zip_members(path)["manifest.json"])
    # a stricter school: the normal movers of this year are too many for it
    (new / "lwtop.toml").write_text(
        "[overgang]\nmax_vertrokken_procent = 5\nmax_verdwenen_groepen = 1\n", "utf-8"
    )
    status, text = _run(capsys, "preview", *pair)
    assert status == 1 and "VASTGEHOUDEN: meer dan 5%" in text
    (new / "lwtop.toml").write_text("[overgang]\nmax_vertrokken = 5\n", "utf-8")
    assert main(["preview", *pair, "--quiet"]) == 2  # a wrong setting: one Dutch line
    assert "onbekende instelling max_vertrokken" in capsys.readouterr().err


def test_both_years_are_counted_side_by_side(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pair = ["--old", str(SAMPLE_DATA / OLD), "--new", str(SAMPLE_DATA / NEW)]
    expected = [
        "                               jaar    jaar",
        "  bevorderd                     213     213",
        "  vertrokken (uitgestroomd)      26       -",
        "  vertrokken (overig)             5       -",
        "  nieuw                           -      30",
        "  totaal                        248     247",
        "  Vertrokken zonder opvolger: 5 van de 222 leerlingen die niet uitstromen (2%); de "
        "grens is 25%",
    ]
    status, text = _run(capsys, "preview", *pair)
    assert status == 0 and all(line in text.splitlines() for line in expected)
    assert "Leerlingen per status:        vorig   nieuw" in text.splitlines()
    status, text = _run(capsys, "bundle", *pair, "--out", str(tmp_path / "b"), "--geen-werkmap")
    assert status == 0 and "Leerlingen per status, school 99ZZ:" in text
    assert all(line in text.splitlines() for line in expected)


def test_a_board_holds_only_the_school_whose_export_is_partial(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    board = tmp_path / "bestuur"
    assert main(["sample", "--scale", "2000", "--out", str(board), "--quiet"]) == 0
    capsys.readouterr()
    school = sorted(path for path in (board / NEW).iterdir() if path.is_dir())[-1]
    lines = (school / "leerlingen.csv").read_text("utf-8-sig").splitlines()
    groups = [line.split(";")[8] for line in lines[1:]]
    kept = [lines[0], *(line for line, group in zip(lines[1:], groups, strict=True)
                        if group == groups[-1])]  # fmt: skip
    (school / "leerlingen.csv").write_text("\n".join(kept) + "\n", "utf-8")
    out = tmp_path / "bundels"
    pair = ["--old", str(board / OLD), "--new", str(board / NEW)]
    status, text = _run(capsys, "bundle", *pair, "--out", str(out), "--geen-werkmap")
    assert status == 1
    refused = [line for line in text.splitlines() if "GEWEIGERD" in line]
    assert len(refused) == 1 and f"School {school.name}" in refused[0]
    assert len(list(out.glob("*.zip"))) == len(list((board / NEW).iterdir())) - 1
    assert "scholen samen:" in text and "Vastgehouden: 1 school" in text
    sheet = load_workbook(out / "overzicht.xlsx", read_only=True)["Overzicht"]
    rows = list(sheet.iter_rows(values_only=True))
    outcome = {row[0]: row[2] for row in rows[1:]}
    assert outcome[school.name].startswith("geweigerd (vastgehouden")
    assert "vertrokken zonder opvolger" in rows[0]
    with zipfile.ZipFile(next(out.glob("*.zip"))) as archive:
        assert "hold" not in json.loads(archive.read("manifest.json"))
