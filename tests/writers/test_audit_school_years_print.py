"""The audit workbook in a school's words and on paper: BRIN and vestiging apart, a VO school's
leerjaar 1-6 (not the codes 11-16), and every sheet set up to print one page wide."""

from __future__ import annotations

import io

import pytest
from conftest import SAMPLE_DATA
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter as _letter
from openpyxl.workbook.workbook import Workbook

from lwtop_toolkit import load, plan_transition
from lwtop_toolkit.plan.transition import TransitionPlan
from lwtop_toolkit.writers.audit import SHEETS, audit_workbook_bytes

VO = SAMPLE_DATA / "magister"


def _plan(old: object, new: object) -> TransitionPlan:
    return plan_transition(load([old]).tables, load([new]).tables)  # type: ignore[list-item]


@pytest.fixture(scope="module")
def po_book() -> Workbook:
    plan = _plan(SAMPLE_DATA / "2025-2026", SAMPLE_DATA / "afwijkingen" / "2026-2027")
    return load_workbook(io.BytesIO(audit_workbook_bytes(plan)))


@pytest.fixture(scope="module")
def vo_plan() -> TransitionPlan:
    return _plan(VO / "2025-2026", VO / "2026-2027")


def _rows(sheet: object) -> list[tuple[object, ...]]:
    return list(sheet.iter_rows(values_only=True))  # type: ignore[attr-defined]


def test_brin_and_vestiging_are_two_columns_as_in_the_data(po_book: Workbook) -> None:
    for name in ("Leerlingen", "Groepen", "Wijzigingen"):
        rows = _rows(po_book[name])
        header = list(rows[0])
        assert "School" not in header, name
        brin, vestiging = header.index("BRIN"), header.index("Vestiging")
        assert vestiging == brin + 1, name
        assert {(row[brin], row[vestiging]) for row in rows[1:]} == {("99ZZ", "00")}, name
    assert _rows(po_book["Doorstroom"])[0][0] == "BRIN 99ZZ, vestiging 00"
    summary = [row[0] for row in _rows(po_book["Samenvatting"])]
    assert "BRIN 99ZZ, vestiging 00" in summary and "99ZZ00" not in summary


def test_a_vo_school_without_vestiging_reads_leerjaar_1_to_6(vo_plan: TransitionPlan) -> None:
    book = load_workbook(io.BytesIO(audit_workbook_bytes(vo_plan)))
    pupils = _rows(book["Leerlingen"])
    header = list(pupils[0])
    assert header[3:5] == ["BRIN", "Vestiging"]
    old, new = header.index("Leerjaar vorig jaar"), header.index("Leerjaar nieuw jaar")
    shown = {row[old] for row in pupils[1:]} | {row[new] for row in pupils[1:]}
    assert shown - {None} == {"1", "2", "3", "4", "5", "6"}
    assert {(row[3], row[4]) for row in pupils[1:]} == {("99VO", None)}  # no vestiging: empty
    groups = _rows(book["Groepen"])
    at = list(groups[0]).index("Leerjaar")
    assert list(groups[0])[at + 1] == "Leerjaren leerlingen"
    assert {row[at] for row in groups[1:]} == {"1", "2", "3", "4", "5", "6"}
    assert {row[at + 1] for row in groups[1:]} == {"1", "2", "3", "4", "5", "6"}
    summary = [row[0] for row in _rows(book["Samenvatting"])]
    assert "Per leerjaar" in summary and "BRIN 99VO" in summary
    start = summary.index("Per leerjaar") + 2
    assert summary[start : start + 6] == ["1", "2", "3", "4", "5", "6"]
    # the data keeps the codes
    assert set(vo_plan.students["jaargroep_nieuw"]) - {""} == {str(n) for n in range(11, 17)}


@pytest.mark.parametrize("large_from", [1_000_000, 1])  # in memory / constant memory
def test_every_sheet_prints_one_page_wide_with_its_header_on_each_page(
    vo_plan: TransitionPlan, large_from: int
) -> None:
    book = load_workbook(io.BytesIO(audit_workbook_bytes(vo_plan, large_from=large_from)))
    last_row = len(vo_plan.students) + 1
    for name in SHEETS:
        sheet = book[name]
        setup = sheet.page_setup
        assert setup.orientation == "landscape", name
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, name
        # one page wide (1 is the default, which XlsxWriter leaves out), pages tall free (0)
        assert (setup.fitToWidth or 1, setup.fitToHeight) == (1, 0), name
        assert setup.paperSize == 9, name  # A4
        assert sheet.print_area, name
    assert book["Leerlingen"].print_area == f"'Leerlingen'!$A$1:$P${last_row}"
    for name in ("Leerlingen", "Groepen", "Bevindingen", "Wijzigingen"):
        assert book[name].print_title_rows == "$1:$1", name
    flow = book["Doorstroom"]
    assert flow.print_area == f"'Doorstroom'!$A$1:${_letter(flow.max_column)}${flow.max_row}"
