"""The findings catalogue is closed and complete: every code is Dutch, renders, and is tested."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pandas as pd
import pytest

from lwtop_toolkit import findings as fd
from lwtop_toolkit.findings import (
    CATALOGUE,
    FINDING_COLUMNS,
    SEVERITIES,
    ToolkitError,
    empty_findings,
    finding,
)

TESTS = Path(__file__).parent
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


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_every_code_is_asserted_by_some_test(code: str) -> None:
    """A code no test triggers is a promise nobody checked."""
    sources = [
        path.read_text(encoding="utf-8")
        for path in TESTS.glob("test_*.py")
        if path.name != Path(__file__).name
    ]
    assert any(f'"{code}"' in source for source in sources), f"no test names {code!r}"


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
