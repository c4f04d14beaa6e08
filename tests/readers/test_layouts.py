"""Real export layouts (tests/layouts/make.py) read into the right tables, or the coordinator is
told what was left out: every field a known LAS uses is read, the sector comes from the data,
inactive pupils and staff out of service are left out and counted, mentors named by full name
are linked, merged group cells fill their rows. Read through the one orchestration, as every
face reads, and through `lwtop validate`."""

from __future__ import annotations

import functools
from pathlib import Path

import pandas as pd
import pytest
from layouts.make import LAYOUTS, Layout, write_layout

from lwtop_toolkit.cli.main import main
from lwtop_toolkit.findings import SEVERITIES
from lwtop_toolkit.flows import load_one

BY_NAME = {layout.name: layout for layout in LAYOUTS}
NAMES = sorted(BY_NAME)


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("layouts")
    return {layout.name: write_layout(layout, folder) for layout in LAYOUTS}


@functools.cache
def _loaded(export: Path, las: str | None):  # type: ignore[no-untyped-def]
    return load_one([export], None, las)


def _load(layout: Layout, exports: dict[str, Path]):  # type: ignore[no-untyped-def]
    return _loaded(exports[layout.name], layout.las)


def _text(value: object) -> str:
    """A cell as the layout writes its expectation: dates as ISO dates."""
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return "" if pd.isna(value) else str(value)  # type: ignore[call-overload]


def _errors(findings: pd.DataFrame) -> pd.DataFrame:
    return findings[findings["severity"].eq(SEVERITIES[0])]


def test_every_public_layout_of_the_issue_is_in_the_corpus() -> None:
    wanted = {"magister-webservice", "magister-database", "magister-excel", "somtoday-umservice",
              "eduarte-deelnemers", "eduarte-deelnemersnummer", "parnassys-po-leerjaar",
              "po-jaargroep-words", "xlsx-merged-group-cells", "uwlr-vo"}  # fmt: skip
    assert wanted <= set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_a_layout_reads_into_the_tables_it_must_give(name: str, exports: dict[str, Path]) -> None:
    layout = BY_NAME[name]
    loaded = _load(layout, exports)
    pupils = loaded.tables.leerlingen.set_index("leerling_id")
    for number, fields in layout.pupils.items():
        assert number in pupils.index, f"{name}: leerling {number} ontbreekt"
        row = pupils.loc[number]
        for column, value in fields.items():
            assert _text(row[column]) == value, f"{name}: {number}.{column}"
    for number in layout.left_out:
        assert number not in pupils.index, f"{name}: {number} is inactief maar ingelezen"
    staff = loaded.tables.medewerkers.set_index("medewerker_id")
    for number, fields in layout.staff.items():
        assert number in staff.index, f"{name}: medewerker {number} ontbreekt"
        for column, value in fields.items():
            assert _text(staff.loc[number, column]) == value, f"{name}: {number}.{column}"
    for number in layout.staff_left_out:
        assert number not in staff.index, f"{name}: {number} is uit dienst maar ingelezen"
    pairs = loaded.tables.medewerker_groepen
    links = set(zip(pairs["medewerker_id"], pairs["groep_id"], strict=True))
    assert layout.links <= links, f"{name}: mentoren niet gekoppeld"


@pytest.mark.parametrize("name", NAMES)
def test_a_layout_is_read_without_errors_and_what_is_left_out_is_counted(
    name: str, exports: dict[str, Path]
) -> None:
    layout = BY_NAME[name]
    loaded = _load(layout, exports)
    errors = _errors(loaded.findings)
    assert errors.empty, f"{name}: {errors[['code', 'message']].to_dict('records')}"
    read_rows = len(loaded.tables.leerlingen)
    assert read_rows == layout.rows - len(layout.left_out)
    if layout.left_out:  # the pupils left out are named in a finding with their count
        counted = loaded.findings["message"].str.contains(str(len(layout.left_out)))
        assert counted.any(), f"{name}: niemand telt de weggelaten leerlingen"
    assert layout.codes <= set(loaded.findings["code"])


@pytest.mark.parametrize("name", NAMES)
def test_lwtop_validate_reads_a_layout_as_the_orchestration_does(
    name: str, exports: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    layout = BY_NAME[name]
    las = ["--las", layout.las] if layout.las else []
    status = main(["validate", str(exports[name]), *las])
    out = capsys.readouterr()
    assert status == 0, out.out + out.err
    assert "Traceback" not in out.out + out.err
