"""The LAS catalogue: the seed's table as data, `lwtop las`, and `lwtop validate --las`."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from conftest import SAMPLE_DATA

from lwtop_toolkit.cli.main import main
from lwtop_toolkit.findings import ToolkitError
from lwtop_toolkit.las import catalogue as las
from lwtop_toolkit.model import SchoolYear
from lwtop_toolkit.readers import READERS

# DESIGN.md's table: code -> (action, sector).
EXPECTED = {
    "schooloas": ("none", "PO"),
    "parnassys-gkv": ("none", "PO"),
    "parnassys-oso": ("per_student", "PO / samenwerkingsverband"),
    "esis": ("per_student", "PO"),
    "esis-sbo-so-vso": ("bulk", "SBO / SO / VSO"),
    "magister": ("per_student", "VO"),
    "somtoday": ("file_import", "VO"),
    "eduarte": ("file_import", "MBO"),
}


def test_the_catalogue_is_the_seed_table() -> None:
    assert {code: (e.action, e.sector) for code, e in las.CATALOGUE.items()} == EXPECTED
    assert las.CATALOGUE["parnassys-oso"].name == "ParnasSys (OSO SWV)"
    assert (
        las.CATALOGUE["esis"]
        .instruction()
        .startswith("Actie vereist: Leerlingen per stuk klaarzetten en ophalen.")
    )
    assert "in bulk" in las.CATALOGUE["esis-sbo-so-vso"].instruction()
    assert "drie nieuwe bestanden" in las.CATALOGUE["somtoday"].instruction()


def test_readers_per_las() -> None:
    for code in ("parnassys-gkv", "parnassys-oso", "esis", "esis-sbo-so-vso"):
        assert las.CATALOGUE[code].readers[0] == "edexml"
    expected_first = {"magister": "magister", "somtoday": "somtoday", "eduarte": "eduarte"}
    for code, reader in {**expected_first, "schooloas": "generic"}.items():
        assert las.CATALOGUE[code].readers[0] == reader
    for entry in las.CATALOGUE.values():
        assert "importfiles" in entry.readers
    assert "edexml" in READERS and "importfiles" in READERS  # the readers that exist now


@pytest.mark.parametrize("year", ["2026-2027", SchoolYear(2026), 2026])
def test_takeover_is_1_august_of_the_new_school_year(year: SchoolYear | int | str) -> None:
    assert las.takeover_date("parnassys-gkv", year) == dt.date(2026, 8, 1)
    assert las.takeover_date(las.CATALOGUE["magister"], year) == dt.date(2026, 8, 1)


def test_the_instruction_names_the_takeover_date() -> None:
    text = las.CATALOGUE["schooloas"].instruction("2026-2027")
    assert text == (
        "Actie vereist: geen. Na 1-8-2026 zal de koppeling automatisch de nieuwe groepen en "
        "groepsindeling overnemen."
    )


def test_unknown_las_is_a_dutch_error() -> None:
    with pytest.raises(ToolkitError) as error:
        las.get("parnas")
    assert "bestaat niet" in error.value.message


def test_export_date_findings() -> None:
    early = las.export_date_findings("2026-2027", dt.date(2026, 7, 31), file="x.xml", row=8)
    assert [(f["code"], f["severity"], f["row"], f["value"]) for f in early] == [
        ("export-before-takeover", "warning", 8, "2026-2027")
    ]
    assert las.export_date_findings("2026-2027", dt.date(2026, 8, 1)) == []
    assert las.export_date_findings("2026-2027", None) == []
    assert las.export_date_findings("", dt.date(2026, 7, 31)) == []


# --- lwtop las ---------------------------------------------------------------------------------


def test_lwtop_las_shows_all_eight_with_their_actions(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["las"]) == 0
    out = capsys.readouterr().out
    for entry in las.CATALOGUE.values():
        row = next(line for line in out.splitlines() if line.startswith(entry.code + " "))
        assert entry.name in row and las.ACTION_LABELS[entry.action] in row
    assert "1 augustus" in out and "TOP leerkracht +" in out


def test_lwtop_las_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["las", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert {e["code"]: e["action"] for e in document["las"]} == {
        code: action for code, (action, _) in EXPECTED.items()
    }
    parnassys = next(e for e in document["las"] if e["code"] == "parnassys-gkv")
    assert parnassys["readers_available"][0] == "edexml"


# --- lwtop validate --las ----------------------------------------------------------------------


def test_validate_with_las_picks_the_reader_and_prints_the_action(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert (
        main(["validate", "--las", "parnassys-gkv", str(SAMPLE_DATA / "parnassys/2026-2027")]) == 0
    )
    out = capsys.readouterr().out
    assert "EDEXML" in out
    assert "Actie vereist: geen. Na 1-8-2026" in out


def test_validate_with_las_accepts_import_files(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--las", "esis", "--json", str(SAMPLE_DATA / "2026-2027")]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["format"] == "importfiles"
    assert document["las"]["code"] == "esis" and document["las"]["action"] == "per_student"


def test_validate_with_a_las_whose_readers_do_not_know_the_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "notes.xml"
    other.write_text("<notities><a/></notities>\n", encoding="utf-8")
    assert main(["validate", "--las", "parnassys-gkv", str(other)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("lwtop: ") and "ParnasSys (GKV)" in err


def test_validate_warns_about_an_export_from_before_1_august(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (SAMPLE_DATA / "parnassys/2026-2027/EDEX.XML").read_text(encoding="utf-8")
    early = text.replace("2026-10-01T09:00:00", "2026-06-30T16:00:00")
    early = early.replace("<peildatum>2026-10-01</peildatum>", "")
    path = tmp_path / "EDEX.XML"
    path.write_text(early, encoding="utf-8")
    assert main(["validate", "--las", "esis", "--json", str(path)]) == 0  # a warning, no error
    findings = json.loads(capsys.readouterr().out)["findings"]
    line = next(n for n, text in enumerate(early.splitlines(), 1) if "<aanmaakdatum>" in text)
    assert [(f["code"], f["row"]) for f in findings] == [("export-before-takeover", line)]
