"""Every face that tells a school what to do in its LAS shows the steps, a line each, and the
article's address the school or board put in `lwtop.toml` (`[artikelen]`)."""

from __future__ import annotations

import html
import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from conftest import SAMPLE_DATA

from lwtop_toolkit import ui
from lwtop_toolkit.cli.main import main
from lwtop_toolkit.las import catalogue as las
from lwtop_toolkit.ui.setup import las_text
from lwtop_toolkit.ui.wording import APP

URL = "https://hulp.example.nl/artikel/overgang?las=esis&stap=1"
OLD = SAMPLE_DATA / "esis" / "2025-2026"


def _new_year(tmp_path: Path, table: str = f'esis = "{URL}"') -> Path:
    """The ESIS sample's new export, with a `lwtop.toml` holding `[artikelen]` beside it."""
    folder = tmp_path / "esis" / "2026-2027"
    folder.mkdir(parents=True)
    shutil.copy(SAMPLE_DATA / "esis" / "2026-2027" / "EDEX.XML", folder / "EDEX.XML")
    (folder / "lwtop.toml").write_text(f"[artikelen]\n{table}\n", encoding="utf-8")
    return folder


def _steps(code: str = "esis") -> list[str]:
    return las.get(code).instruction_lines("2026-2027")[1:]


def _block(out: str, first: str) -> str:
    """The lines of `out` from the one that starts with `first` up to the next blank line or
    the next LAS."""
    lines = out.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith(first))
    block = [lines[at]]
    for line in lines[at + 1 :]:
        if not line.strip() or not line.startswith(" "):
            break
        block.append(line.strip())
    return "\n".join(block)


def test_lwtop_las_shows_the_steps_a_line_each_and_the_article_of_new(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # no lwtop.toml here
    assert main(["las"]) == 0
    block = _block(capsys.readouterr().out, "ESIS regulier (esis)")
    steps = las.get("esis").instruction_lines()[1:]
    assert all(step in block.splitlines() for step in steps)
    assert "artikel" not in block.lower()
    new = _new_year(tmp_path)
    assert main(["las", "--new", str(new)]) == 0
    out = capsys.readouterr().out
    assert f"Het artikel over de overgang in ESIS regulier: {URL}" in _block(out, "ESIS regulier")
    assert URL not in _block(out, "Magister (magister)")
    assert main(["las", "--new", str(new), "--json"]) == 0
    entries = {e["code"]: e for e in json.loads(capsys.readouterr().out)["las"]}
    assert entries["esis"]["article"] == URL and entries["magister"]["article"] == ""
    assert entries["esis"]["steps"] == las.get("esis").steps()
    # without --new: the lwtop.toml of the folder one works in
    monkeypatch.chdir(new)
    assert main(["las"]) == 0
    assert URL in capsys.readouterr().out


def test_a_wrong_article_address_is_one_dutch_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    new = _new_year(tmp_path, 'esis = "http://hulp.example.nl/a"')
    assert main(["las", "--new", str(new)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "https://" in err and "[artikelen]" in err
    assert main(["validate", "--las", "esis", str(new)]) == 2
    assert "https://" in capsys.readouterr().err


def test_the_worklist_sheet_shows_the_steps_and_the_article(tmp_path: Path) -> None:
    new = _new_year(tmp_path)
    out = tmp_path / "werklijst.xlsx"
    args = ["worklist", "--old", str(OLD), "--new", str(new), "--las", "esis", "--out", str(out)]
    assert main([*args, "--quiet"]) == 0
    book = openpyxl.load_workbook(out)
    column = [str(row[0]) for row in book["Klaarzetten"].iter_rows(max_col=1, values_only=True)
              if row[0]]  # fmt: skip
    at = column.index("Actie vereist: Leerlingen per stuk klaarzetten en ophalen.")
    assert column[at + 1 : at + 1 + len(_steps())] == _steps()
    assert f"Het artikel over de overgang in ESIS regulier: {URL}" in column


def test_validate_shows_the_steps_and_the_article(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    new = _new_year(tmp_path)
    assert main(["validate", "--las", "esis", str(new)]) in (0, 1)
    out = capsys.readouterr().out
    assert all(step in out.splitlines() for step in _steps())
    assert f"Het artikel over de overgang in ESIS regulier: {URL}" in out
    assert main(["validate", "--las", "esis", str(new), "--json"]) in (0, 1)
    action = json.loads(capsys.readouterr().out)["las"]
    assert action["article"] == URL and URL in action["instruction"]


def test_worklist_of_a_las_without_one_shows_its_article(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "somtoday" / "2026-2027"
    shutil.copytree(SAMPLE_DATA / "somtoday" / "2026-2027", folder)
    (folder / "lwtop.toml").write_text(f'[artikelen]\nsomtoday = "{URL}"\n', encoding="utf-8")
    old = SAMPLE_DATA / "somtoday" / "2025-2026"
    args = ["worklist", "--old", str(old), "--new", str(folder), "--las", "somtoday"]
    assert main(args) == 0
    assert f"Het artikel over de overgang in Somtoday: {URL}" in capsys.readouterr().out


def test_the_apps_las_panel_shows_the_steps_and_the_article(tmp_path: Path) -> None:
    new = _new_year(tmp_path)
    session = ui.Session()
    try:
        session.set_las("esis")
        before = las_text(session)
        steps = las.get("esis").steps(APP)  # the app names its own steps, not the commands
        assert all(html.escape(step) in before for step in steps)
        assert "artikel" not in before.lower()
        session.load_paths([OLD], [new])
        shown = las_text(session)
        assert all(f"<li>{html.escape(step)}</li>" in shown for step in steps)
        assert f"<a href='{html.escape(URL)}'" in shown
    finally:
        session.close()
