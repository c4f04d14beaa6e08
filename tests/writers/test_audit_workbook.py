"""The audit workbook `overgang.xlsx` and the flow picture, written for real and read back."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest
from conftest import SAMPLE_DATA
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from lwtop_toolkit import load, plan_transition
from lwtop_toolkit.model import Tables
from lwtop_toolkit.plan.transition import TransitionPlan, flow_matrix
from lwtop_toolkit.readers.files.cellsafety import FORMULA_STARTS
from lwtop_toolkit.writers.audit import (
    LARGE_FROM_ROWS,
    SHEETS,
    STATUS_FILLS,
    audit_workbook_bytes,
    write_audit_workbook,
)
from lwtop_toolkit.writers.flow import flow_figure, picture_bytes, write_flow_picture
from lwtop_toolkit.writers.workbooks import PARALLEL_FROM_ROWS, audit_workbooks


@pytest.fixture(scope="module")
def plan() -> TransitionPlan:
    old = load([SAMPLE_DATA / "2025-2026"])
    new = load([SAMPLE_DATA / "2026-2027"])
    return plan_transition(old.tables, new.tables)


@pytest.fixture(scope="module")
def workbook(plan: TransitionPlan, tmp_path_factory: pytest.TempPathFactory) -> Workbook:
    path = write_audit_workbook(plan, tmp_path_factory.mktemp("audit") / "overgang.xlsx")
    return load_workbook(path)


def _rows(sheet: object) -> list[tuple[object, ...]]:
    return list(sheet.iter_rows(values_only=True))  # type: ignore[attr-defined]


def test_the_sheets_in_order(workbook: Workbook) -> None:
    assert workbook.sheetnames == list(SHEETS)
    assert SHEETS == (
        "Samenvatting", "Leerlingen", "Groepen", "Doorstroom", "Bevindingen", "Wijzigingen",
    )  # fmt: skip


def test_leerlingen_is_a_filtered_table_with_frozen_header_and_status_colours(
    workbook: Workbook, plan: TransitionPlan
) -> None:
    sheet = workbook["Leerlingen"]
    rows = _rows(sheet)
    header, body = rows[0], rows[1:]
    assert len(body) == len(plan.students) == 278
    assert header[:11] == (
        "Leerlingnummer",
        "Naam",
        "Geboortedatum",
        "BRIN",
        "Vestiging",
        "Groep vorig jaar",
        "Jaargroep vorig jaar",
        "Groep nieuw jaar",
        "Jaargroep nieuw jaar",
        "Samengestelde groepen",
        "Status",
    )
    assert sheet.freeze_panes == "A2"
    [table] = sheet.tables.values()
    assert table.ref == f"A1:P{len(body) + 1}" and table.autoFilter.ref == table.ref
    statuses = pd.Series([row[10] for row in body]).value_counts().to_dict()
    assert statuses == {
        "bevorderd": 213,
        "nieuw": 30,
        "vertrokken (uitgestroomd)": 26,
        "vertrokken (overig)": 5,
        "doublure": 3,
        "versneld": 1,
    }
    by_id = {row[0]: (number, row) for number, row in enumerate(body, start=2)}
    number, skipper = by_id["105128"]
    assert skipper[5:11] == ("4A", "4", "6A", "6", None, "versneld")
    assert skipper[11] == "Sprong van twee of meer jaargroepen"
    # the RGB part: XlsxWriter writes alpha FF, openpyxl wrote 00
    assert sheet.cell(number, 11).fill.fgColor.rgb[2:] == STATUS_FILLS["accelerated"]
    number, _ = by_id["132731"]  # a retained pupil
    assert sheet.cell(number, 11).fill.fgColor.rgb[2:] == STATUS_FILLS["retained"]
    plus = [row for row in body if row[9]]
    assert len(plus) == 6 and {row[9] for row in plus} == {"Plusklas"}
    # ids keep their leading zeros: text, not numbers
    assert by_id["050421"][1][0] == "050421"


def test_groepen_doorstroom_and_summary_carry_the_counts(workbook: Workbook) -> None:
    groups = _rows(workbook["Groepen"])
    assert groups[0][:5] == ("Jaar", "BRIN", "Vestiging", "Groep", "Groep-id")
    body = {row[3]: row for row in groups[1:]}
    assert len(groups) - 1 == 13
    assert body["5A"][9:13] == (21, 20, 0, 1)  # leerlingen, uit vorig jaar, doublures, nieuw
    assert body["5A"][15] == "4A (20), nieuw (1)"
    assert body["8"][0] == "vorig jaar, zonder opvolger" and body["8"][14] == 26
    assert workbook["Groepen"].freeze_panes == "A2"

    flow = workbook["Doorstroom"]
    rows = _rows(flow)
    assert rows[0][0] == "BRIN 99ZZ, vestiging 00"
    columns = list(rows[1])
    assert columns[0].startswith("Vorig jaar") and columns[-1] == "Totaal"
    by_label = {row[0]: row for row in rows[2:] if row[0]}
    assert by_label["5"][columns.index("6A")] + by_label["5"][columns.index("6B")] == 30
    assert by_label["8"][columns.index("(vertrokken)")] == 26
    assert by_label["(nieuw)"][-1] == 30
    assert by_label["Totaal"][-1] == 248 + 30
    [scale] = list(flow.conditional_formatting)
    assert str(scale.sqref) == f"B3:{chr(ord('A') + len(columns) - 2)}13"
    assert scale.rules[0].type == "colorScale"

    summary = {row[0]: row[1] for row in _rows(workbook["Samenvatting"]) if row[0]}
    assert summary["Leerlingen vorig jaar"] == 248 and summary["Leerlingen nieuw jaar"] == 247
    assert summary["Elke leerling precies één keer geteld"] == "ja"
    assert summary["bevorderd"] == 213 and summary["vertrokken (uitgestroomd)"] == 26
    assert summary["waarschuwing"] == 1

    findings = _rows(workbook["Bevindingen"])
    assert findings[0][:4] == ("Ernst", "Code", "Titel", "Melding")
    assert [row[1] for row in findings[1:]] == ["jaargroep-jump"]
    assert findings[1][6] == 148 and findings[1][0] == "waarschuwing"


def _hostile_plan() -> TransitionPlan:
    groups = pd.DataFrame(
        {"groep_id": ["=G1"], "groepsnaam": ["=SUM(A1:A9)"], "soort": ["stamgroep"],
         "schooljaar": ["2026-2027"], "brin": ["99ZZ"]}
    )  # fmt: skip
    pupils = pd.DataFrame(
        {"leerling_id": ["=1+1"], "roepnaam": ["=HYPERLINK(\"x\")"], "achternaam": ["@x"],
         "jaargroep": ["4"], "groep_id": ["=G1"]}
    )  # fmt: skip
    new = Tables.from_frames(groepen=groups, leerlingen=pupils)
    return plan_transition(Tables(), new)


@pytest.mark.parametrize("large_from", [LARGE_FROM_ROWS, 1])  # in memory / constant memory
def test_no_cell_is_a_formula_even_for_hostile_names(large_from: int) -> None:
    workbook = load_workbook(
        io.BytesIO(audit_workbook_bytes(_hostile_plan(), large_from=large_from))
    )
    values = []
    for sheet in workbook:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                    assert cell.quotePrefix, (sheet.title, cell.coordinate, cell.value)
                values.append(cell.value)
    assert "=1+1" in values and '=HYPERLINK("x") @x' in values and "=SUM(A1:A9)" in values
    flow = _rows(workbook["Doorstroom"])
    assert flow[1][1] == "=SUM(A1:A9)" and workbook["Doorstroom"]["B2"].font.b  # bold and quoted


def test_a_large_workbook_streams_its_rows_with_autofilters_and_the_same_cells(
    plan: TransitionPlan, workbook: Workbook
) -> None:
    """From `large_from` rows on: constant-memory mode, autofilters instead of Excel tables."""
    data = audit_workbook_bytes(plan, large_from=200)
    assert data == audit_workbook_bytes(plan, large_from=200)  # the same bytes here too
    large = load_workbook(io.BytesIO(data))
    assert large.sheetnames == workbook.sheetnames
    for name in SHEETS:
        assert _rows(large[name]) == _rows(workbook[name]), name
        assert large[name].freeze_panes == workbook[name].freeze_panes
    pupils = large["Leerlingen"]
    assert not pupils.tables and pupils.auto_filter.ref == f"A1:P{len(plan.students) + 1}"
    assert large["Bevindingen"].auto_filter.ref == "A1:I2" and not large["Bevindingen"].tables
    for row in range(2, len(plan.students) + 2):
        assert (
            pupils.cell(row, 11).fill.fgColor.rgb
            == workbook["Leerlingen"].cell(row, 11).fill.fgColor.rgb
        )
    [scale] = list(large["Doorstroom"].conditional_formatting)
    assert str(scale.sqref) == str(next(iter(workbook["Doorstroom"].conditional_formatting)).sqref)


def test_many_schools_on_two_processes_give_the_same_bytes_as_one_by_one(
    plan: TransitionPlan,
) -> None:
    new_only = plan_transition(Tables(), load([SAMPLE_DATA / "2026-2027"]).tables)
    plans = [plan, new_only, _hostile_plan()]
    jobs = [(plans[i % 3], plans[i % 3].findings.iloc[: i % 2]) for i in range(120)]
    assert sum(len(p.students) for p, _ in jobs) >= PARALLEL_FROM_ROWS  # so: the process pool
    books = audit_workbooks(jobs, workers=2)
    assert books == [audit_workbook_bytes(p, f) for p, f in jobs]


def test_workbooks_started_while_this_process_works_stop_cleanly_on_an_error(
    plan: TransitionPlan,
) -> None:
    """The bundles start the workbooks on the other cores and zip each as it arrives; an error
    here meanwhile (an existing bundle, Ctrl-C) cancels the rest: no worker is left running,
    and the collector is no longer paused."""
    import gc
    import multiprocessing

    from lwtop_toolkit.writers import workbooks

    jobs = [(plan, plan.findings)] * 120
    assert len(plan.students) * len(jobs) >= PARALLEL_FROM_ROWS  # so: the process pool
    given = []
    with pytest.raises(KeyError), workbooks.started_workbooks(jobs, workers=2) as books:
        assert multiprocessing.active_children()  # the workers run already
        for book in books:
            given.append(book)
            if len(given) == 3:
                raise KeyError("stop")
    assert given == [audit_workbook_bytes(plan, plan.findings)] * 3
    assert not multiprocessing.active_children()
    assert gc.get_freeze_count() == 0 and workbooks._JOBS == ()


def test_the_same_plan_gives_the_same_bytes(plan: TransitionPlan) -> None:
    first = audit_workbook_bytes(plan)
    assert first == audit_workbook_bytes(plan)
    assert load_workbook(io.BytesIO(first)).sheetnames == list(SHEETS)


def test_an_empty_plan_still_gives_a_workbook() -> None:
    plan = plan_transition(Tables(), Tables())
    workbook = load_workbook(io.BytesIO(audit_workbook_bytes(plan)))
    assert workbook.sheetnames == list(SHEETS)
    assert _rows(workbook["Leerlingen"])[0][0] == "Leerlingnummer"


# --- the flow picture ---------------------------------------------------------------------------


def test_flow_picture_png_and_svg_for_the_sample_school(
    plan: TransitionPlan, tmp_path: Path
) -> None:
    png, svg = write_flow_picture(plan, tmp_path / "doorstroom.png")
    assert (png.name, svg.name) == ("doorstroom.png", "doorstroom.svg")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    text = svg.read_text(encoding="utf-8")
    for label in ("1/2A (25)", "1/2A (23)", "nieuw op school (30)", "uitgestroomd (26)"):
        assert label in text
    assert "vertrokken (overig) (5)" in text and "doublure" in text
    again = write_flow_picture(plan, tmp_path / "again.png")
    assert again[0].read_bytes() == png.read_bytes()
    assert again[1].read_bytes() == svg.read_bytes()


def test_flow_picture_grows_with_the_groups_and_shows_in_a_notebook(plan: TransitionPlan) -> None:
    groups = pd.DataFrame(
        {"groep_id": [f"G{i}" for i in range(30)], "groepsnaam": [f"{i}A" for i in range(30)],
         "soort": "stamgroep", "schooljaar": "2026-2027", "brin": "99ZZ"}
    )  # fmt: skip
    pupils = pd.DataFrame(
        {"leerling_id": [str(i) for i in range(600)], "roepnaam": "Kim", "achternaam": "Bos",
         "jaargroep": "5", "groep_id": [f"G{i % 30}" for i in range(600)], "brin": "99ZZ"}
    )  # fmt: skip
    big = plan_transition(Tables(), Tables.from_frames(groepen=groups, leerlingen=pupils))
    small_height = flow_figure(plan).get_size_inches()[1]
    figure = flow_figure(big)
    assert figure.get_size_inches()[1] > small_height >= 4
    assert figure._repr_png_()[:4] == b"\x89PNG"
    assert picture_bytes(figure, "svg").count(b"(20)") == 30


def test_flow_picture_of_several_schools_needs_a_school() -> None:
    groups = pd.DataFrame(
        {"groep_id": ["A", "B"], "groepsnaam": ["1", "1"], "soort": "stamgroep",
         "schooljaar": "2026-2027", "brin": ["11AA", "22BB"]}
    )  # fmt: skip
    pupils = pd.DataFrame(
        {"leerling_id": ["1", "2"], "jaargroep": "1", "groep_id": ["A", "B"],
         "brin": ["11AA", "22BB"]}
    )  # fmt: skip
    plan = plan_transition(Tables(), Tables.from_frames(groepen=groups, leerlingen=pupils))
    with pytest.raises(ValueError, match=r"2 scholen; kies er één met school=\.\.\.: 11AA, 22BB"):
        flow_figure(plan)
    with pytest.raises(ValueError, match="kies er één"):
        flow_matrix(plan)
    assert flow_figure(plan, "22BB").axes
