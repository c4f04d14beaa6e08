"""The findings catalogue is closed and complete: every code is Dutch, renders, and is made
and asserted by a test marked `@pytest.mark.produces(code)` (tests/conftest.py checks the
making)."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pandas as pd
import pytest
from conftest import MADE_CODES

from lwtop_toolkit import findings as fd
from lwtop_toolkit import read
from lwtop_toolkit.findings import (
    CATALOGUE,
    FINDING_COLUMNS,
    SEVERITIES,
    Code,
    ToolkitError,
    empty_findings,
    finding,
)
from lwtop_toolkit.findings.catalogue import STAGES, merged

TESTS = Path(__file__).resolve().parents[1]
KEBAB = re.compile(r"^[a-z]+(-[a-z]+)*$")
# A few words that only Dutch text of ours uses: a cheap guard against English messages.
DUTCH = re.compile(
    r"\b(de|het|een|is|niet|geen|van|in|of|en|als|staat|hoort|met|zijn)\b", re.IGNORECASE
)


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_every_code_has_a_severity_a_dutch_title_and_a_rendering_message(code: str) -> None:
    entry = CATALOGUE[code]
    assert KEBAB.match(code)
    assert entry.severity in SEVERITIES
    assert entry.title and entry.title[0].isupper()
    fields = {name for _, name, _, _ in string.Formatter().parse(entry.message) if name}
    standard = {"file", "table", "row", "column", "value"}
    params = {name: "1" for name in fields - standard}
    record = finding(code, value="X", column="kolom", **params)
    assert DUTCH.search(record["message"]), record["message"]
    assert set(record) == set(FINDING_COLUMNS)


def _is_produces(node: ast.expr) -> bool:
    return isinstance(node, ast.Call) and ast.unparse(node.func) == "pytest.mark.produces"


def _strings(nodes: list[ast.AST]) -> set[str]:
    return {
        found.value
        for node in nodes
        for found in ast.walk(node)
        if isinstance(found, ast.Constant) and isinstance(found.value, str)
    }


def _marked_tests() -> list[tuple[str, ast.Call, set[str]]]:
    """Each `produces` marker of a test: (test, the marker, the strings the test names outside
    its marker: in its body and its other decorators, such as its cases)."""
    marked = []
    for path in sorted(TESTS.rglob("test_*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.FunctionDef):
                continue
            markers = [
                d for d in node.decorator_list if isinstance(d, ast.Call) and _is_produces(d)
            ]
            others = [d for d in node.decorator_list if not _is_produces(d)]
            for marker in markers:
                marked.append(
                    (f"{path.name}::{node.name}", marker, _strings([*node.body, *others]))
                )
    return marked


MARKED = _marked_tests()


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_every_code_is_made_and_asserted_by_a_marked_test(code: str) -> None:
    """A code no test makes is a promise nobody checked: some test is marked as making it
    (conftest fails that test when it does not) and names the code itself, to assert it."""
    marking = [(test, named) for test, marker, named in MARKED if code in _strings([marker])]
    assert marking, f"no test is marked @pytest.mark.produces({code!r})"
    asserting = [test for test, named in marking if code in named]
    assert asserting, f"{[test for test, _ in marking]} make {code!r} but do not name it"


def test_markers_name_codes_of_the_catalogue_as_plain_strings() -> None:
    for test, marker, _ in MARKED:
        assert marker.args and not marker.keywords, test
        for argument in marker.args:
            assert isinstance(argument, ast.Constant), test
            assert argument.value in CATALOGUE, f"{test}: {argument.value!r}"


@pytest.mark.produces("unknown-format")
def test_only_findings_the_package_makes_count_as_made(
    request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    expected = ToolkitError("missing-table", table="groepen")  # built by the test: not made
    assert finding("duplicate-table", table="groepen", value="x")["code"] == "duplicate-table"
    notes = tmp_path / "notities.csv"  # a list of one column: read, recognised by no reader
    notes.write_text("boodschappen\n", encoding="utf-8")
    with pytest.raises(ToolkitError) as raised:
        read([notes])
    assert raised.value.finding["code"] == "unknown-format" != expected.finding["code"]
    assert request.node.stash[MADE_CODES] == {"unknown-format"}


def test_the_stages_merge_into_the_catalogue_and_a_code_may_be_defined_once() -> None:
    assert merged(STAGES) == CATALOGUE
    assert sum(len(codes) for codes in STAGES.values()) == len(CATALOGUE)
    entry = Code("info", "Titel", "Een melding.")
    with pytest.raises(ValueError, match="'no-rows' is defined twice: reading, staff"):
        merged({"reading": {"no-rows": entry}, "staff": {"no-rows": entry}})


def test_unknown_codes_are_refused() -> None:
    with pytest.raises(KeyError):
        finding("no-such-code")


def test_empty_findings_has_the_columns() -> None:
    assert tuple(empty_findings().columns) == FINDING_COLUMNS


def test_toolkit_error_is_one_dutch_line_naming_the_file() -> None:
    error = ToolkitError("unreadable-file", file="x.csv", reason="het bestand is leeg.")
    assert error.message == "x.csv: Het bestand kan niet gelezen worden: het bestand is leeg."
    assert "\n" not in error.message


def test_source_names_hide_folders_and_tell_same_named_files_apart() -> None:
    files = pd.Series(
        ["/home/jan/bestuur/42AH/leerlingen.csv", "/home/jan/bestuur/42AH/groepen.csv", "",
         None, "/home/jan/lijst.xlsx [Blad/2]", "/home/jan/bestuur/42AH/leerlingen.csv"]
    )  # fmt: skip
    assert fd.source_names(files).tolist() == [
        "leerlingen.csv",
        "groepen.csv",
        "",
        "",
        "lijst.xlsx [Blad/2]",
        "leerlingen.csv",
    ]
    among = ["/home/jan/bestuur/07BC/leerlingen.csv"]  # another school's file of that name
    assert fd.source_names(files, among).tolist()[:2] == ["42AH/leerlingen.csv", "groepen.csv"]
    assert fd.source_name("/home/jan/werkmap.xlsx [Toewijzing]") == "werkmap.xlsx [Toewijzing]"
