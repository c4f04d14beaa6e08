"""`lwtop bundle`: the zip per school, refused while errors stand, byte-identical, atomic, safe."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from conftest import SAMPLE_DATA, csv_frame, zip_members

from lwtop_toolkit import load, read
from lwtop_toolkit.cli.main import main
from lwtop_toolkit.model import Tables
from lwtop_toolkit.writers.importfiles import write_import_files

OLD, NEW = SAMPLE_DATA / "2025-2026", SAMPLE_DATA / "2026-2027"
NAME = "lwtop-99ZZ-2026-2027.zip"


def bundle(out: Path, *extra: str, old: Path = OLD, new: Path = NEW) -> int:
    return main(["bundle", "--old", str(old), "--new", str(new), "--out", str(out), *extra])


def test_sample_school_bundle_holds_the_new_year(tmp_path: Path) -> None:
    assert bundle(tmp_path) == 0
    files = zip_members(tmp_path / NAME)
    assert sorted(files) == sorted(
        [
            "groepen.csv",
            "leerlingen.csv",
            "medewerkers.csv",
            "bevindingen.csv",
            "overgang.xlsx",
            "manifest.json",
        ]
    )
    new = load([NEW]).tables
    pupils = csv_frame(files["leerlingen.csv"])
    assert pupils["leerling_id"].tolist() == new.leerlingen["leerling_id"].tolist()
    assert list(pupils.columns)[:3] == ["leerling_id", "achternaam", "tussenvoegsel"]
    assert files["leerlingen.csv"].startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM
    manifest = json.loads(files["manifest.json"])
    assert manifest["schooljaar"] == "2026-2027" and manifest["brin"] == ["99ZZ"]
    assert manifest["rows"] == {"groepen": 12, "leerlingen": 247, "medewerkers": 20}
    assert manifest["forced"] is False and manifest["open_error_codes"] == []
    assert "created" not in manifest  # no clock unless asked
    for output in manifest["outputs"]:
        assert hashlib.sha256(files[output["name"]]).hexdigest() == output["sha256"]
    inputs = {item["name"]: item["sha256"] for item in manifest["inputs"]}
    assert inputs["leerlingen.csv"] in {
        hashlib.sha256((folder / "leerlingen.csv").read_bytes()).hexdigest()
        for folder in (OLD, NEW)
    }


def test_bundle_csvs_read_back_as_the_new_tables(tmp_path: Path) -> None:
    assert bundle(tmp_path) == 0
    unpacked = tmp_path / "uit"
    with zipfile.ZipFile(tmp_path / NAME) as archive:
        for name in ("groepen.csv", "leerlingen.csv", "medewerkers.csv"):
            archive.extract(name, unpacked)
    back = read([unpacked]).tables
    new = load([NEW]).tables
    for name in ("groepen", "leerlingen", "medewerkers"):
        pd.testing.assert_frame_equal(back.canonical(name), new.canonical(name))


def test_byte_identical_and_not_overwritten_with_other_content(tmp_path: Path) -> None:
    assert bundle(tmp_path / "a") == 0
    assert bundle(tmp_path / "b") == 0
    first, second = tmp_path / "a" / NAME, tmp_path / "b" / NAME
    assert first.read_bytes() == second.read_bytes()
    assert bundle(tmp_path / "a") == 0  # same content again: fine, unchanged
    first.write_bytes(b"other content")
    assert bundle(tmp_path / "a") == 2
    assert first.read_bytes() == b"other content"
    assert bundle(tmp_path / "a", "--force") == 0
    assert first.read_bytes() == second.read_bytes()


def _new_year_with(tmp_path: Path, change: dict[str, str]) -> Path:
    folder = tmp_path / "nieuw"
    shutil.copytree(NEW, folder)
    tables = read([folder]).tables
    pupils = tables.leerlingen.copy()
    for column, value in change.items():
        pupils.loc[0, column] = value
    changed = Tables(tables.groepen, pupils, tables.medewerkers, tables.medewerker_groepen)
    write_import_files(changed, folder)
    return folder


def test_refused_while_errors_stand_and_forced_is_recorded(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _new_year_with(tmp_path, {"groep_id": "G-BESTAAT-NIET"})
    assert bundle(tmp_path / "out", new=folder) == 1
    out = capsys.readouterr().out
    assert "GEWEIGERD" in out and "G-BESTAAT-NIET" in out
    assert not (tmp_path / "out" / NAME).exists()
    assert bundle(tmp_path / "out", "--force", new=folder) == 1
    manifest = json.loads(zip_members(tmp_path / "out" / NAME)["manifest.json"])
    assert manifest["forced"] is True
    assert "unknown-group" in manifest["open_error_codes"]
    findings = csv_frame(zip_members(tmp_path / "out" / NAME)["bevindingen.csv"])
    assert "unknown-group" in set(findings["code"])
    assert set(findings.columns) >= {"ernst", "melding", "bestand", "rij", "kolom"}


def test_formulas_are_neutralised_in_csv_and_xlsx(tmp_path: Path) -> None:
    folder = _new_year_with(tmp_path, {"roepnaam": '=HYPERLINK("http://x";"klik")'})
    assert bundle(tmp_path / "out", new=folder) == 0
    files = zip_members(tmp_path / "out" / NAME)
    pupils = csv_frame(files["leerlingen.csv"])
    assert pupils.loc[0, "roepnaam"] == "'" + '=HYPERLINK("http://x";"klik")'
    workbook = openpyxl.load_workbook(io.BytesIO(files["overgang.xlsx"]))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)


def test_an_interrupted_write_leaves_no_bundle(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(*args: object) -> None:
        raise OSError("schijf vol")

    monkeypatch.setattr(os, "replace", fail)
    assert bundle(tmp_path) == 2
    assert list(tmp_path.iterdir()) == []  # no bundle and no temporary file


def test_staff_links_go_into_the_bundle(tmp_path: Path) -> None:
    links = tmp_path / "koppelingen.csv"
    new = load([NEW]).tables
    group = new.groepen["groep_id"].iloc[0]
    teacher = new.medewerkers.loc[
        new.medewerkers["rol"].eq("TOP leerkracht"), "medewerker_id"
    ].iloc[0]
    links.write_text(f"medewerker_id;groep_id\n{teacher};{group}\n", encoding="utf-8")
    assert bundle(tmp_path / "out", "--staff-links", str(links)) == 0
    written = csv_frame(zip_members(tmp_path / "out" / NAME)["medewerker_groepen.csv"])
    assert written.to_dict("records") == [{"medewerker_id": teacher, "groep_id": group}]
    links.write_text("medewerker_id;groep_id\nM999;G-NIET\n", encoding="utf-8")
    assert bundle(tmp_path / "fout", "--staff-links", str(links)) == 1


def _second_school(tables: Tables, brin: str) -> Tables:
    def moved(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
        out = frame.copy()
        for column in columns:
            out[column] = out[column].where(out[column].eq(""), brin + "-" + out[column])
        if "brin" in out:
            out["brin"] = out["brin"].where(out["brin"].eq(""), brin)
        return out

    return Tables(
        moved(tables.groepen, ["groep_id"]),
        moved(
            tables.leerlingen.assign(achternaam=tables.leerlingen["achternaam"] + "-Oost"),
            ["leerling_id", "groep_id", "samengestelde_groepen", "eckid"],
        ),
        moved(tables.medewerkers, ["medewerker_id"]),
        moved(tables.medewerker_groepen, ["medewerker_id", "groep_id"]),
    )


def test_several_schools_give_several_bundles_and_an_overview(tmp_path: Path) -> None:
    folders = {}
    for year, source in (("oud", OLD), ("nieuw", NEW)):
        tables = read([source]).tables
        other = _second_school(tables, "98YY")
        both = Tables(
            *(
                pd.concat([tables[n], other[n]], ignore_index=True)
                for n in ("groepen", "leerlingen", "medewerkers", "medewerker_groepen")
            )
        )
        folders[year] = tmp_path / year
        write_import_files(both, folders[year])
    out = tmp_path / "out"
    assert bundle(out, old=folders["oud"], new=folders["nieuw"]) == 0
    names = sorted(path.name for path in out.iterdir())
    assert names == ["lwtop-98YY-2026-2027.zip", NAME, "overzicht.xlsx"]
    for zip_name in names[:2]:
        pupils = csv_frame(zip_members(out / zip_name)["leerlingen.csv"])
        assert len(pupils) == 247
        assert pupils["brin"].nunique() == 1
        manifest = json.loads(zip_members(out / zip_name)["manifest.json"])
        assert manifest["findings"]["error"] == 0 and manifest["findings"]["warning"] < 5
    # each school's bundle equals the bundle of that school processed alone
    alone = tmp_path / "alleen"
    assert bundle(alone) == 0
    school_csvs = {n: d for n, d in zip_members(out / NAME).items() if n.endswith(".csv")}
    alone_csvs = {n: d for n, d in zip_members(alone / NAME).items() if n.endswith(".csv")}
    assert school_csvs["leerlingen.csv"] == alone_csvs["leerlingen.csv"]
    assert school_csvs["groepen.csv"] == alone_csvs["groepen.csv"]
    # staff are placed by last year's links: of the other school only those linked nowhere
    staff = set(csv_frame(school_csvs["medewerkers.csv"])["medewerker_id"])
    links = load([OLD]).tables.medewerker_groepen["medewerker_id"]
    new_staff = set(load([NEW]).tables.medewerkers["medewerker_id"])
    assert set(links) & new_staff <= staff
    assert not {"98YY-" + person for person in links} & staff
    strangers = {person for person in staff if person.startswith("98YY-")}
    assert strangers == {
        "98YY-" + p for p in load([NEW]).tables.medewerkers["medewerker_id"] if p not in set(links)
    }
    sheet = openpyxl.load_workbook(out / "overzicht.xlsx")["Overzicht"]
    rows = list(sheet.iter_rows(values_only=True))
    assert [row[0] for row in rows[1:]] == ["98YY", "99ZZ"]
    assert "bevorderd" in rows[0]


@pytest.mark.produces("bundle-exists")
def test_write_bundles_refuses_to_replace_other_content(tmp_path: Path) -> None:
    from lwtop_toolkit import ToolkitError
    from lwtop_toolkit.writers.bundle import write_bundles

    old, new = load([OLD]).tables, load([NEW]).tables
    (tmp_path / NAME).write_bytes(b"iets anders")
    with pytest.raises(ToolkitError) as raised:
        write_bundles(old, new, tmp_path)
    assert raised.value.finding["code"] == "bundle-exists"
    assert "--force" in raised.value.message
    assert (tmp_path / NAME).read_bytes() == b"iets anders"
