"""The staff workbook and the worklist through LibreOffice, the real program: a school that fills
them in LibreOffice Calc (or saves them there) hands back what it chose, exactly.

LibreOffice is Debian's `libreoffice-calc` (`soffice`), which `make test` installs as it installs
chromium; without it these tests fail rather than skip. Each conversion runs headless with a
profile of its own (two runs at once would share one otherwise) and a time limit.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from conftest import SAMPLE_DATA
from steps_data import sample_years, so_school

from lwtop_toolkit import load
from lwtop_toolkit.cli.main import main
from lwtop_toolkit.sheets.staff_read import read_staff_sheet
from lwtop_toolkit.sheets.worklist_read import read_worklist

OLD, NEW = SAMPLE_DATA / "2025-2026", SAMPLE_DATA / "2026-2027"
ANSWER_HEADERS = ("Klaargezet", "Opgehaald", "Afgehandeld")
CONVERT_SECONDS = 300


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        pytest.fail(
            "LibreOffice ontbreekt (soffice): `make test` installeert libreoffice-calc als root; "
            "installeer het anders zelf: sudo apt-get install --no-install-recommends "
            "libreoffice-calc"
        )
    return found


def through_libreoffice(tmp_path: Path, *paths: Path) -> list[Path]:
    """Open each workbook in LibreOffice Calc and save it as .xlsx again (headless)."""
    out = tmp_path / "libreoffice"
    profile = tmp_path / "libreoffice-profiel"
    command = [soffice(), f"-env:UserInstallation={profile.as_uri()}", "--headless",
               "--norestore", "--convert-to", "xlsx", "--outdir", str(out),
               *map(str, paths)]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=CONVERT_SECONDS)
    saved = [out / path.name for path in paths]
    missing = [path.name for path in saved if not path.exists()]
    assert done.returncode == 0 and not missing, (done.returncode, missing, done.stderr)
    return saved


def copy(path: Path, name: str) -> Path:
    target = path.parent / name
    target.write_bytes(path.read_bytes())
    return target


def run(capsys: pytest.CaptureFixture[str], args: list[str]) -> tuple[int, str]:
    status = main(args)
    return status, capsys.readouterr().out


# --- the staff workbook --------------------------------------------------------------------------


def choose_teachers(path: Path) -> dict[str, list[str]]:
    """Fill `Toewijzing` as a coordinator would: each group gets one or two teachers from the
    drop-down list (the list's own texts), the other cells emptied. Returns the choice per group
    (by Groepscode), in the order of the cells."""
    book = openpyxl.load_workbook(path)
    sheet, staff = book["Toewijzing"], book["Medewerkers"]
    choices = []
    for (choice,) in staff.iter_rows(min_row=2, max_col=1, values_only=True):
        if not choice:
            break
        choices.append(str(choice))
    header = [cell.value for cell in sheet[1]]
    teachers = [n for n, text in enumerate(header, 1) if str(text).startswith("Leerkracht ")]
    chosen: dict[str, list[str]] = {}
    for number, row in enumerate(range(2, sheet.max_row + 1)):
        picks = [choices[(3 * number) % len(choices)]]
        if number % 3 == 0:
            picks.append(choices[(3 * number + 1) % len(choices)])
        for at, column in enumerate(teachers):
            sheet.cell(row=row, column=column).value = picks[at] if at < len(picks) else None
        chosen[str(sheet.cell(row=row, column=1).value)] = picks
    book.save(path)
    return chosen


def staff_ids(picks: dict[str, list[str]]) -> list[tuple[str, str]]:
    """The (medewerker_id, groep_id) links the picks mean: the id between the brackets."""
    return [(pick.rsplit("(", 1)[1].rstrip(")"), group)
            for group, chosen in picks.items() for pick in chosen]  # fmt: skip


def links_csv(path: Path) -> list[tuple[str, str]]:
    frame = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    return list(zip(frame["medewerker_id"], frame["groep_id"], strict=True))


def test_the_staff_workbook_filled_or_saved_in_libreoffice_reads_back_exactly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    made = tmp_path / "toewijzing.xlsx"
    status, _ = run(capsys, ["staff-sheet", "--old", str(OLD), "--new", str(NEW),
                             "--out", str(made), "--quiet"])  # fmt: skip
    assert status == 0
    filled = copy(made, "ingevuld.xlsx")
    picks = choose_teachers(filled)
    assert len(picks) == 12 and any(len(chosen) == 2 for chosen in picks.values())
    resaved, filled_lo = through_libreoffice(tmp_path, made, filled)
    new = load([NEW]).tables

    # Filled, then saved by LibreOffice: `lwtop staff-links` writes exactly the chosen links.
    out = tmp_path / "koppelingen.csv"
    status, shown = run(capsys, ["staff-links", str(filled_lo), "--new", str(NEW),
                                 "--out", str(out)])  # fmt: skip
    assert status == 0, shown
    assert links_csv(out) == staff_ids(picks)
    before, before_findings = read_staff_sheet(filled, new)
    after, after_findings = read_staff_sheet(filled_lo, new)
    columns = ["medewerker_id", "groep_id", "_row"]
    assert after[columns].equals(before[columns])
    assert not after_findings["code"].str.startswith("staff-sheet-structure").any()
    assert sorted(after_findings["code"]) == sorted(before_findings["code"])

    # Saved by LibreOffice without a change: the same links and findings as the workbook made.
    made_links, made_findings = read_staff_sheet(made, new)
    again, again_findings = read_staff_sheet(resaved, new)
    assert again[columns].equals(made_links[columns]) and len(again) > 0
    where = ["code", "row", "column", "value", "message"]
    assert again_findings[where].equals(made_findings[where])
    for workbook, name in ((made, "toewijzing.csv"), (resaved, "opnieuw.csv")):
        args = ["staff-links", str(workbook), "--new", str(NEW), "--out", str(tmp_path / name)]
        assert run(capsys, args)[0] == 0
    assert (tmp_path / "opnieuw.csv").read_bytes() == (tmp_path / "toewijzing.csv").read_bytes()

    # What LibreOffice keeps of the workbook: the drop-down, protection, hidden sheet, paper.
    book = openpyxl.load_workbook(resaved)
    assert book["lwtop"].sheet_state == "hidden"
    assert all(book[name].protection.sheet for name in ("Toewijzing", "Medewerkers", "Uitleg"))
    (choice,) = book["Toewijzing"].data_validations.dataValidation
    assert choice.type == "list" and choice.formula1.startswith("Medewerkers!$A$2")
    original = openpyxl.load_workbook(made)
    for name in ("Toewijzing", "Medewerkers", "Uitleg"):
        setup = book[name].page_setup
        assert (setup.orientation, int(setup.fitToWidth), int(setup.fitToHeight)) == (
            original[name].page_setup.orientation, 1, 0)  # fmt: skip
    heights = [book["Uitleg"].row_dimensions[row].height for row in range(1, 18)]
    made_heights = [original["Uitleg"].row_dimensions[row].height or 15.0 for row in range(1, 18)]
    assert heights == made_heights


# --- the worklist ------------------------------------------------------------------------------


def answer(path: Path) -> dict[tuple[str, str, str], str]:
    """Fill the answer cells as a coordinator would: by the row's key, ja, nee or left empty, in
    a pattern over every answer column of every sheet. Returns (sheet, key, column) -> answer."""
    book = openpyxl.load_workbook(path)
    given: dict[tuple[str, str, str], str] = {}
    for sheet in book.worksheets:
        if sheet.sheet_state != "visible":
            continue
        rows = list(sheet.iter_rows())
        at = next((i for i, row in enumerate(rows) if "sleutel" in [c.value for c in row]), None)
        if at is None:
            continue
        header = [cell.value for cell in rows[at]]
        key = header.index("sleutel")
        columns = [(text, n) for n, text in enumerate(header) if text in ANSWER_HEADERS]
        count = 0
        for row in rows[at + 1 :]:
            if not row[key].value:
                continue
            for text, column in columns:
                choice = ("ja", "nee", "", "ja")[(count + column) % 4]
                row[column].value = choice or None
                given[(sheet.title, str(row[key].value), str(text))] = choice
            count += 1
    book.save(path)
    assert given and set(given.values()) == {"ja", "nee", ""}
    return given


def status_json(capsys: pytest.CaptureFixture[str], path: Path) -> dict[str, object]:
    status, shown = run(capsys, ["worklist-status", str(path), "--json"])
    assert status in (0, 1), shown
    document = json.loads(shown)
    assert isinstance(document, dict)
    return document


def without_file(items: pd.DataFrame) -> pd.DataFrame:
    return items.drop(columns=[c for c in items.columns if c.startswith("_file")])


@pytest.mark.parametrize("las_code", ["parnassys-oso", "esis-sbo-so-vso"])
def test_the_worklist_filled_or_saved_in_libreoffice_reads_back_exactly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], las_code: str
) -> None:
    old, new = so_school(tmp_path) if las_code == "esis-sbo-so-vso" else sample_years(las_code)
    made = tmp_path / "werklijst.xlsx"
    status, shown = run(capsys, ["worklist", "--old", str(old), "--new", str(new),
                                 "--las", las_code, "--out", str(made), "--quiet"])  # fmt: skip
    assert status == 0, shown
    filled = copy(made, "ingevuld.xlsx")
    given = answer(filled)
    resaved, filled_lo = through_libreoffice(tmp_path, made, filled)

    # Filled, then saved by LibreOffice: every answer is read back as it was given.
    before, after = read_worklist(filled), read_worklist(filled_lo)
    assert without_file(after.items).equals(without_file(before.items))
    assert after.findings.empty == before.findings.empty
    assert list(after.findings.get("code", [])) == list(before.findings.get("code", []))
    field = {"Klaargezet": "klaargezet", "Opgehaald": "opgehaald", "Afgehandeld": "afgehandeld"}
    sheets = after.items["_file"].str.extract(r"\[(.*)\]$")[0]
    keys = zip(sheets, after.items["sleutel"], strict=True)
    found = dict(zip(keys, after.items.to_dict("records"), strict=True))
    for (sheet, key, column), text in given.items():
        assert found[(sheet, key)][field[column]] == text, (sheet, key, column)
    assert after.counts()["open"] < len(after.items)  # some are done, some still open
    assert status_json(capsys, filled_lo)["counts"] == status_json(capsys, filled)["counts"]

    # Saved by LibreOffice without a change: read back as the worklist that was made.
    made_status, again = read_worklist(made), read_worklist(resaved)
    assert without_file(again.items).equals(without_file(made_status.items))
    assert again.counts() == made_status.counts() and again.counts()["open"] == len(again.items)
    assert status_json(capsys, resaved) == json.loads(
        json.dumps(status_json(capsys, made)).replace(str(made), str(resaved))
    )


def test_make_test_installs_libreoffice_calc_first() -> None:
    """`make test` depends on `make libreoffice`, which installs the program the tests above
    drive (as root, without the recommended extras) and says in Dutch what to do otherwise."""
    makefile = (Path(__file__).resolve().parents[2] / "Makefile").read_text(encoding="utf-8")
    prerequisites = re.search(r"^test:(.*)$", makefile, re.MULTILINE)
    assert prerequisites and "libreoffice" in prerequisites[1].split()
    recipe = re.search(r"^libreoffice:\n((?:\t.*\n)+)", makefile, re.MULTILINE)
    assert recipe, "geen target libreoffice"
    steps = recipe[1].replace("\\\n", " ")
    assert "command -v soffice" in steps and 'id -u)" = 0' in steps
    assert re.search(r"apt-get install .*--no-install-recommends libreoffice-calc", steps)
    assert "sudo apt-get install --no-install-recommends libreoffice-calc" in steps
