"""The manifest's inputs: every file the bundle was made from, each with what it was (last
year's or this year's export with its school year, the dossier list, the staff links, the
filled staff workbook), named by its own file name only."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

from conftest import SAMPLE_DATA, zip_members

from lwtop_toolkit import load, ui
from lwtop_toolkit.cli.main import main

OLD_YEAR, NEW_YEAR = "2025-2026", "2026-2027"
NAME = f"lwtop-99ZZ-{NEW_YEAR}.zip"
PRIVATE = "Map van Anouk Veldhuis"  # a personal folder name: it must not travel


def _copies(tmp_path: Path) -> tuple[Path, Path, Path]:
    """Both sample years and a links CSV of the new year, in a personal folder."""
    home = tmp_path / PRIVATE
    old, new = home / "oud", home / "nieuw"
    shutil.copytree(SAMPLE_DATA / OLD_YEAR, old)
    shutil.copytree(SAMPLE_DATA / NEW_YEAR, new)
    tables = load([new]).tables
    group = tables.groepen["groep_id"].iloc[0]
    teachers = tables.medewerkers
    teacher = teachers.loc[teachers["rol"].eq("TOP leerkracht"), "medewerker_id"].iloc[0]
    links = home / "koppelingen.csv"
    links.write_text(f"medewerker_id;groep_id\n{teacher};{group}\n", encoding="utf-8")
    return old, new, links


def _manifest(bundle: Path) -> tuple[dict, str]:
    text = zip_members(bundle)["manifest.json"].decode()
    return json.loads(text), text


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_each_input_says_its_year_or_role_and_the_links_are_listed(tmp_path: Path) -> None:
    old, new, links = _copies(tmp_path)
    dossier = tmp_path / PRIVATE / "dossierlijst.csv"
    pupils = load([old]).tables.leerlingen["leerling_id"].tolist()
    dossier.write_text("leerling_id\n" + "\n".join(pupils) + "\n", encoding="utf-8")
    out = tmp_path / "bundels"
    argv = ["bundle", "--old", str(old), "--new", str(new), "--out", str(out)]
    assert main([*argv, "--staff-links", str(links), "--dossier", str(dossier)]) == 0
    manifest, text = _manifest(out / NAME)
    inputs = manifest["inputs"]
    listed = [(item["name"], item["role"], item.get("schooljaar", "")) for item in inputs]
    assert listed == [
        ("groepen.csv", "vorig jaar", OLD_YEAR),
        ("leerlingen.csv", "vorig jaar", OLD_YEAR),
        ("medewerker_groepen.csv", "vorig jaar", OLD_YEAR),
        ("medewerkers.csv", "vorig jaar", OLD_YEAR),
        ("groepen.csv", "dit jaar", NEW_YEAR),
        ("leerlingen.csv", "dit jaar", NEW_YEAR),
        ("medewerkers.csv", "dit jaar", NEW_YEAR),
        ("dossierlijst.csv", "dossierlijst", ""),
        ("koppelingen.csv", "koppelingen", ""),
    ]
    by_role = {(item["name"], item["role"]): item for item in inputs}
    assert by_role["groepen.csv", "vorig jaar"]["sha256"] == _sha(old / "groepen.csv")
    assert by_role["groepen.csv", "dit jaar"]["sha256"] == _sha(new / "groepen.csv")
    assert by_role["koppelingen.csv", "koppelingen"]["sha256"] == _sha(links)
    assert by_role["koppelingen.csv", "koppelingen"]["size"] == links.stat().st_size
    # no folder above a file travels into the bundle (it may name a person)
    assert PRIVATE not in text and str(tmp_path) not in text and "Anouk" not in text


def test_the_filled_staff_workbook_is_an_input(tmp_path: Path) -> None:
    old, new, _ = _copies(tmp_path)
    sheet = tmp_path / PRIVATE / "werkmap-medewerkers.xlsx"
    assert main(["staff-sheet", "--old", str(old), "--new", str(new), "--out", str(sheet)]) == 0
    out = tmp_path / "bundels"
    argv = ["bundle", "--old", str(old), "--new", str(new), "--out", str(out), "--force"]
    assert main([*argv, "--staff-sheet", str(sheet)]) in (0, 1)
    manifest, text = _manifest(out / NAME)
    last = manifest["inputs"][-1]
    assert (last["name"], last["role"]) == ("werkmap-medewerkers.xlsx", "werkmap medewerkers")
    assert last["sha256"] == _sha(sheet)
    roles = [item["role"] for item in manifest["inputs"]]
    assert roles.count("vorig jaar") == 4 and roles.count("dit jaar") == 3
    assert PRIVATE not in text


def _upload(*paths: Path) -> tuple[dict, ...]:
    """A `FileUpload.value` as the browser sends it."""
    return tuple(
        {"name": path.name, "type": "", "size": path.stat().st_size,
         "content": memoryview(path.read_bytes())}
        for path in paths
    )  # fmt: skip


def test_the_app_lists_the_uploaded_staff_workbook_as_an_input(tmp_path: Path) -> None:
    old, new, _ = _copies(tmp_path)
    session = ui.Session()
    try:
        session.load_uploads(
            _upload(*sorted(old.glob("*.csv"))), _upload(*sorted(new.glob("*.csv")))
        )
        name, data = session.staff_workbook()
        sheet = tmp_path / PRIVATE / name
        sheet.write_bytes(data)
        session.read_staff_workbook(_upload(sheet))
        run = session.write_bundle(force=True)
        (bundle,) = run.bundles
        manifest, _ = _manifest(bundle.path)
    finally:
        session.close()
    listed = [(item["name"], item["role"]) for item in manifest["inputs"]]
    assert listed[-1] == (name, "werkmap medewerkers")
    assert [role for _, role in listed].count("dit jaar") == 3
    assert manifest["inputs"][-1]["sha256"] == _sha(sheet)
