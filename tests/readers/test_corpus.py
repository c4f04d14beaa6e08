"""The corpus of hostile and broken inputs (tests/corpus/make.py): every file ends in findings
or in exit 2 with one Dutch line naming the file; never a traceback, never partial output, and
nothing from outside the input (like /etc/passwd or a secret file) appears anywhere."""

from __future__ import annotations

import contextlib
import functools
import io
import json
from pathlib import Path
from typing import Any

import pytest
from conftest import VALID
from corpus.make import CASES, SECRET, Read, Refused, write_corpus

from lwtop_toolkit import Loaded, load
from lwtop_toolkit.cli.main import main
from lwtop_toolkit.findings import ToolkitError

READ = sorted(name for name, case in CASES.items() if isinstance(case.outcome, Read))
REFUSED = sorted(name for name, case in CASES.items() if isinstance(case.outcome, Refused))
# What must never come in from outside the input.
OUTSIDE = (SECRET, "root:x:0:0", "/bin/bash", "lollollol")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return write_corpus(tmp_path_factory.mktemp("corpus"))


@functools.cache
def _load(path: Path, format: str | None) -> Loaded:
    return load([path], format)


def _format(name: str) -> list[str]:
    chosen = CASES[name].format
    return ["--format", chosen] if chosen else []


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(args)
    captured = capsys.readouterr()
    for text in (captured.out, captured.err):
        assert "Traceback" not in text
        for secret in OUTSIDE:
            assert secret not in text
    return status, captured.out, captured.err


def test_the_corpus_names_every_defect_of_the_issue() -> None:
    wanted = {
        "empty.csv", "header-only.csv", "binary.csv", "pdf-named.xlsx", "old-excel.xls",
        "password-protected.xlsx", "zip-bomb.xlsx", "10000-columns.csv", "10mb-cell.csv",
        "unbalanced-quotes.csv", "nul-bytes.csv", "mixed-line-endings.csv", "utf-16.csv",
        "cp1252-with-utf8-bom.csv", "merged-header-cells.xlsx", "empty-first-row.xlsx",
        "title-row-above-header.xlsx", "hidden-rows.xlsx", "totals-row.xlsx",
        "duplicate-columns.csv", "dtd.xml", "external-entity-passwd.xml",
        "external-entity-secret.xml", "billion-laughs.xml", "wrong-encoding-declaration.xml",
        "truncated.xml",
    }  # fmt: skip
    assert wanted <= set(CASES)


@pytest.mark.parametrize("name", REFUSED)
def test_refused_input_is_one_dutch_line_naming_the_file(
    name: str, corpus: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    outcome = CASES[name].outcome
    assert isinstance(outcome, Refused)
    path = corpus[name]
    status, out, err = _run(["validate", str(path), "--json", *_format(name)], capsys)
    assert status == 2 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"lwtop: {path}: ")
    for word in outcome.words:
        assert word.lower() in lines[0].lower(), lines[0]
    with pytest.raises(ToolkitError):
        load([path], CASES[name].format)


@functools.cache
def _validate_json(path: Path, format: str | None) -> tuple[int, dict[str, Any]]:
    """`lwtop validate --json` on one file (once per file): the status and the document."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(["validate", str(path), "--json", *(["--format", format] if format else [])])
    assert err.getvalue() == "" and "Traceback" not in out.getvalue()
    assert not [secret for secret in OUTSIDE if secret in out.getvalue()]
    return status, json.loads(out.getvalue())


@pytest.mark.parametrize("name", READ)
def test_read_input_gives_its_pupils_and_the_findings_that_name_the_rows(
    name: str, corpus: dict[str, Path]
) -> None:
    outcome = CASES[name].outcome
    assert isinstance(outcome, Read)
    status, document = _validate_json(corpus[name], CASES[name].format)
    assert status in (0, 1)
    assert document["tables"]["leerlingen"] == outcome.pupils
    found = {(f["row"], f["column"], f["code"]) for f in document["findings"]}
    assert outcome.findings <= found, sorted(found)
    for record in document["findings"]:
        assert record["message"] and record["severity"] in ("error", "warning", "info")
        assert "\n" not in record["message"]
    # nothing lost: the pupil rows not read are named in a finding
    named = {f["row"] for f in document["findings"] if f["row"] is not None}
    assert set(outcome.named) <= named


# Every code the corpus added to the catalogue, and the file that triggers it (row, column).
TRIGGERS: dict[str, tuple[str, int | None, str]] = {
    "many-unknown-columns": ("10000-columns.csv", 1, ""),
    "cell-too-long": ("10mb-cell.csv", 3, "achternaam"),
    "control-characters": ("nul-bytes.csv", 4, "achternaam"),
    "rows-above-header": ("title-row-above-header.xlsx", 1, ""),
    "unnamed-column": ("unnamed-column.csv", 3, "H"),
    "merged-header": ("merged-header-cells.xlsx", 1, "B1:C1"),
    "merged-cells": ("merged-cells.xlsx", 2, "F2:F3"),
    "hidden-row": ("hidden-rows.xlsx", 3, ""),
    "hidden-sheet-skipped": ("hidden-sheet.xlsx", None, ""),
    "totals-row-skipped": ("totals-row.xlsx", 7, ""),
    "xml-encoding-mismatch": ("wrong-encoding-declaration.xml", 1, ""),
}


@pytest.mark.parametrize("code", sorted(TRIGGERS))
def test_each_new_code_names_the_row_a_person_sees(code: str, corpus: dict[str, Path]) -> None:
    name, row, column = TRIGGERS[code]
    _, document = _validate_json(corpus[name], CASES[name].format)
    hits = [f for f in document["findings"] if f["code"] == code]
    assert hits, document["findings"]
    assert (hits[0]["row"], hits[0]["column"]) == (row, column)
    assert str(corpus[name]) in hits[0]["file"]


def test_a_title_above_the_header_keeps_excel_row_numbers(corpus: dict[str, Path]) -> None:
    loaded = _load(corpus["title-row-above-header.xlsx"], None)
    assert loaded.format == "generic"
    assert list(loaded.tables.leerlingen["_row"]) == [4, 5, 6, 7]
    names = list(loaded.tables.leerlingen["achternaam"])
    assert names == ["Jansen", "de Vries", "Öztürk", "Bakker"]


def test_hidden_rows_are_read_not_dropped(corpus: dict[str, Path]) -> None:
    pupils = _load(corpus["hidden-rows.xlsx"], None).tables.leerlingen
    assert "1002" in set(pupils["leerling_id"])  # row 3, hidden in Excel


def test_a_totals_row_is_no_pupil(corpus: dict[str, Path]) -> None:
    pupils = _load(corpus["totals-row.xlsx"], None).tables.leerlingen
    assert "Totaal" not in set(pupils["leerling_id"]) and len(pupils) == 4


def test_broken_text_is_read_as_the_letters_it_holds(corpus: dict[str, Path]) -> None:
    for name in ("utf-16.csv", "utf-16-no-bom.csv", "cp1252-with-utf8-bom.csv", "nul-bytes.csv"):
        names = _load(corpus[name], None).tables.leerlingen["achternaam"]
        assert "Öztürk" in set(names), name
    for name in ("wrong-encoding-declaration.xml", "latin1-declared-but-utf8.xml"):
        names = _load(corpus[name], None).tables.leerlingen["achternaam"]
        assert set(names) == {"Öztürk", "Müller"}, name


def test_the_zip_bomb_is_refused_before_anything_is_unpacked(
    corpus: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    import zipfile

    import python_calamine

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("the workbook was opened")

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_path", never)
    monkeypatch.setattr(zipfile.ZipFile, "open", never)
    with pytest.raises(ToolkitError) as refused:
        load([corpus["zip-bomb.xlsx"]])
    assert "2048 MB" in refused.value.message


@pytest.mark.parametrize(
    "name", ["binary.csv", "zip-bomb.xlsx", "unbalanced-quotes.csv", "external-entity-secret.xml"]
)
def test_refused_input_leaves_no_output(
    name: str, corpus: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "uit"
    hostile = str(corpus[name])
    commands = [
        ["bundle", "--old", str(VALID), "--new", hostile, "--out", str(out)],
        ["preview", "--old", str(VALID), "--new", hostile, "--xlsx", str(out / "o.xlsx")],
        ["staff-sheet", "--old", str(VALID), "--new", hostile, "--out", str(out / "w.xlsx")],
    ]
    for command in commands:
        status, _, err = _run(command, capsys)
        assert status == 2 and err.startswith(f"lwtop: {hostile}: ")
    assert not out.exists() or not any(out.iterdir())


def test_an_absurd_cell_is_one_finding_and_an_empty_cell(corpus: dict[str, Path]) -> None:
    loaded = _load(corpus["10mb-cell.csv"], None)
    about_row = loaded.findings[loaded.findings["row"].eq(3)]
    assert list(about_row["code"]) == ["cell-too-long"]
    assert "10000000 tekens" in about_row["message"].iloc[0]
    assert loaded.tables.leerlingen.set_index("leerling_id").loc["1002", "achternaam"] == ""


def test_nothing_from_outside_the_input_reaches_any_output(
    corpus: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from corpus.outputs import all_text, written_files

    out = tmp_path / "uit"
    xml = str(corpus["xinclude.xml"])  # an XInclude of /etc/passwd: never followed
    command = ["bundle", "--old", xml, "--new", xml, "--out", str(out / "bundel"), "--force"]
    assert _run(command, capsys)[0] in (0, 1)
    preview = ["preview", "--old", xml, "--new", xml, "--xlsx", str(out / "o.xlsx")]
    assert _run(preview, capsys)[0] in (0, 1)
    files = written_files(out)
    assert files
    for path in files:
        text = all_text(path)
        assert not [secret for secret in OUTSIDE if secret in text], path
