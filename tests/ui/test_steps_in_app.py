"""Every step inside the app, and the right advice for likely mistakes: the panels driven in
Python as a coordinator clicks through them (notebook 01's panels over one session)."""

from __future__ import annotations

import datetime as dt
import html
import io
import re
import zipfile
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import nbformat
import openpyxl
import pytest
from conftest import REPO, SAMPLE_DATA
from panels_harness import Panels, counts, linked, upload

from lwtop_toolkit import ui
from lwtop_toolkit.ui.setup import las_text
from lwtop_toolkit.ui.wording import SECTIONS, heading

OLD, NEW = SAMPLE_DATA / "2025-2026", SAMPLE_DATA / "2026-2027"
EDEX = SAMPLE_DATA / "parnassys"
GUIDED = REPO / "notebooks" / "01_schooljaarovergang.ipynb"
ANSWER_HEADERS = ("Klaargezet", "Opgehaald", "Afgehandeld")


def page_text(widget: Any) -> str:
    """Every text a widget tree shows: HTML values, descriptions, button labels."""
    parts = []
    if isinstance(widget, widgets.HTML):
        parts.append(widget.value)
    for name in ("description", "tooltip", "placeholder"):
        parts.append(str(getattr(widget, name, "") or ""))
    for child in getattr(widget, "children", ()):
        parts.append(page_text(child))
    return "\n".join(parts)


def workbook_text(data: bytes) -> str:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return "\n".join(
        str(cell.value)
        for sheet in book.worksheets
        if sheet.sheet_state == "visible"
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    )


class Page(Panels):
    """The panels of notebook 01 over one session, the worklist's and verify's too."""

    def __init__(self) -> None:
        super().__init__()
        self.worklist = ui.WorklistPanel(self.session)
        self.verify = ui.VerifyPanel(self.session)

    def panels(self) -> list[Any]:
        return [self.las, self.upload, self.findings, self.preview, self.step1, self.worklist,
                self.staff, self.verify]  # fmt: skip


@pytest.fixture
def page() -> Any:
    made = Page()
    yield made
    made.session.close()


def fill(data: bytes, answer: str) -> bytes:
    """Every answer cell of a worklist set to `answer`."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    for sheet in book.worksheets:
        if sheet.sheet_state != "visible":
            continue
        for row in sheet.iter_rows():
            headers = [str(cell.value) for cell in row]
            if any(header in ANSWER_HEADERS for header in headers):
                columns = [i for i, header in enumerate(headers) if header in ANSWER_HEADERS]
                for below in sheet.iter_rows(min_row=row[0].row + 1):
                    if below[0].value is not None or below[1].value is not None:
                        for index in columns:
                            if below[index].protection.locked is False:
                                below[index].value = answer
                break
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- every step inside the app ----------------------------------------------------------------


WORKLISTS = [("parnassys-oso", "Klaarzetten"), ("esis-sbo-so-vso", "Groepen selecteren")]


@pytest.mark.parametrize(("code", "sheet"), WORKLISTS)
def test_the_worklist_is_made_in_the_app_and_read_back(page: Page, code: str, sheet: str) -> None:
    page.las.choice.value = code
    page.sample("Voorbeeldschool PO (ParnasSys, EDEX.XML)")
    assert page.worklist.controls.layout.display == ""
    page.worklist.make.click()
    ((name, data),) = linked(page.worklist.link.value).items()
    assert name == f"werklijst-{code}-2026-2027.xlsx"
    assert sheet in openpyxl.load_workbook(io.BytesIO(data)).sheetnames
    text = workbook_text(data)
    assert "lwtop " not in text and "in stap 5 van de pagina Schooljaarovergang" in text
    assert "Stap 6: koppel de medewerkers" in text

    page.worklist.upload.value = upload((name, data))
    page.worklist.read.click()
    still = counts(page.worklist.result.value)
    assert still["open"] > 0, page.worklist.status.text.value
    page.worklist.upload.value = upload((name, fill(data, "ja")))
    page.worklist.read.click()
    assert "Alles is afgevinkt" in page.worklist.result.value, page.worklist.result.value
    assert "stap 7" in page.worklist.result.value


def test_a_las_without_worklist_says_so_and_shows_no_controls(page: Page) -> None:
    page.las.choice.value = "somtoday"
    assert "geen werklijst" in page.worklist.intro.value
    assert page.worklist.controls.layout.display == "none"


def test_verify_after_the_import_in_the_app(page: Page, tmp_path: Path) -> None:
    page.las.choice.value = "somtoday"
    page.sample("Voorbeeldschool PO (importbestanden)")
    page.verify.button.click()
    assert "Kies eerst de export uit Leerwinst/TOP dossier" in page.verify.status.text.value
    bundle = page.step1.box(ui.BundleBox)
    bundle.button.click()
    ((name, data),) = linked(bundle.result.value).items()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        files = {member: archive.read(member) for member in archive.namelist()}
    arrived = [(member, files[member]) for member in ("groepen.csv", "medewerkers.csv")]
    pupils = files["leerlingen.csv"].decode("utf-8-sig").splitlines()
    page.verify.upload.value = upload(*arrived, ("leerlingen.csv", files["leerlingen.csv"]))
    page.verify.button.click()
    assert "lwtop-complete" in page.verify.result.value, page.verify.status.text.value
    assert f"de bundel {name}" in page.verify.result.value
    assert counts(page.verify.result.value)["pupils_missing"] == 0

    short = "\n".join(pupils[:-2]).encode("utf-8")  # the last two pupils did not arrive
    page.verify.upload.value = upload(*arrived, ("leerlingen.csv", short))
    page.verify.button.click()
    assert counts(page.verify.result.value)["pupils_missing"] == 2
    assert "lwtop-incomplete" in page.verify.result.value
    assert "lwtop-error" in page.verify.status.text.value


def test_the_staff_workbook_made_in_the_app_names_the_apps_step(page: Page) -> None:
    page.sample("Voorbeeldschool PO (importbestanden)")
    page.staff.make.click()
    ((_, data),) = linked(page.staff.sheet_link.value).items()
    text = workbook_text(data)
    assert "lwtop " not in text
    assert "stap 6 van de pagina Schooljaarovergang" in text and "Werkmap inlezen" in text


@pytest.mark.parametrize("code", ["parnassys-oso", "esis-sbo-so-vso", "somtoday", "schooloas"])
def test_no_text_of_the_page_sends_the_user_to_the_command_line(page: Page, code: str) -> None:
    page.las.choice.value = code
    page.sample("Voorbeeldschool PO (ParnasSys, EDEX.XML)")
    shown = "\n".join(page_text(panel) for panel in page.panels())
    assert "lwtop " not in shown
    assert not re.search(r"\blwtop (worklist|verify|staff|bundle)", las_text(page.session))


# --- one numbering of the steps ---------------------------------------------------------------


def test_the_notebook_and_the_app_number_the_steps_alike(page: Page) -> None:
    notebook = nbformat.read(GUIDED, as_version=4)
    headings = [
        line[3:]
        for cell in notebook.cells
        if cell.cell_type == "markdown"
        for line in cell.source.splitlines()
        if line.startswith("## ")
    ]
    assert headings == [heading(number) for number in SECTIONS]
    sources = [cell.source for cell in notebook.cells if cell.cell_type == "code"]
    assert "ui.WorklistPanel(session)" in sources and "ui.VerifyPanel(session)" in sources
    page.las.choice.value = "esis"
    assert "Stap 6: koppel de medewerkers" in page.las.info.value
    assert "Stap 2:" not in page.las.info.value
    assert "in stap 7 van de pagina" in page.las.info.value


# --- likely mistakes --------------------------------------------------------------------------


@pytest.mark.produces("years-swapped")
def test_swapped_years_are_called_swapped_and_nothing_looks_fine(page: Page) -> None:
    page.las.choice.value = "parnassys-oso"
    page.read(upload(*sorted(NEW.glob("*.csv"))), upload(*sorted(OLD.glob("*.csv"))))
    status = page.upload.status.text.value
    assert "lwtop-error" in status and "verwisseld" in status and "✔" not in status
    found = page.session.findings()
    assert list(found["code"]) == ["years-swapped"]  # not 214 warnings per pupil
    assert "2026-2027" in page.las.info.value and "1 augustus 2026" in page.las.info.value


@pytest.mark.produces("las-not-rolled-over")
def test_an_export_that_did_not_roll_over_gets_this_las_advice(page: Page) -> None:
    page.las.choice.value = "parnassys-oso"
    page.read(upload(EDEX / "2025-2026" / "EDEX.XML"), upload(EDEX / "2025-2026" / "EDEX.XML"))
    status = page.upload.status.text.value
    assert "lwtop-error" in status and "vanzelf" not in status
    assert "bij ParnasSys (OSO SWV) pas als u de leerlingen per stuk klaarzet" in status
    # the LAS panel speaks of the year the transition is to, not of the export's own year
    shown = las_text(page.session, today=dt.date(2026, 7, 1))
    assert "schooljaar 2026-2027 over vanaf <b>1 augustus 2026</b>" in shown


def test_a_las_changed_after_loading_reads_the_data_again(page: Page) -> None:
    page.las.choice.value = "parnassys-gkv"
    page.read(upload(EDEX / "2025-2026" / "EDEX.XML"), upload(EDEX / "2026-2027" / "EDEX.XML"))
    first = page.session.plan
    page.las.choice.value = "esis"
    assert page.session.plan is not first
    assert page.session.transition is not None
    assert page.session.transition.years.las_code == "esis"
    assert "opnieuw ingelezen" in page.las.status.text.value
    # a LAS whose reader cannot read these files: said, and the choice goes back
    page.las.choice.value = "magister"
    assert "lwtop-error" in page.las.status.text.value
    assert page.las.choice.value == "esis" and page.session.las_code == "esis"


@pytest.mark.produces("staff-sheet-other-school-year")
def test_a_staff_workbook_of_another_school_is_refused_with_the_apps_advice(
    page: Page, tmp_path: Path
) -> None:
    page.sample("Voorbeeldschool VO (Magister)")
    page.staff.make.click()
    ((name, other),) = linked(page.staff.sheet_link.value).items()
    page.sample("Voorbeeldschool PO (importbestanden)")
    page.staff.upload.value = upload((name, other))
    page.staff.read.click()
    said = page.staff.status.text.value
    assert "lwtop-error" in said and "stap 6" in said and "lwtop " not in said
    assert page.session.links is None and page.session.link_findings.empty
    bundle = page.step1.box(ui.BundleBox)
    bundle.button.click()  # the bundle is not stopped by the other school's workbook
    assert "lwtop-done" in bundle.status.text.value, bundle.status.text.value


def test_a_stale_red_line_goes_when_the_files_are_chosen(page: Page) -> None:
    page.upload.button.click()
    assert "Kies eerst de bestanden" in page.upload.status.text.value
    page.upload.old_upload.value = upload(*sorted(OLD.glob("*.csv")))
    assert "Kies eerst" not in page.upload.status.text.value


def test_the_upload_dialog_shows_ods_files_and_refuses_them_clearly(page: Page) -> None:
    assert ".ods" in page.upload.old_upload.accept.split(",")
    assert ".ods" in page.upload.new_upload.accept.split(",")
    page.read(upload(*sorted(OLD.glob("*.csv"))), upload(("leerlingen.ods", b"PK\x03\x04")))
    said = page.upload.status.text.value
    assert "lwtop-error" in said and "leerlingen.ods" in said and "Traceback" not in said


# --- a finding about a workbook or a verification names the step of the face that shows it ----


def _changed(data: bytes, change: Any) -> bytes:
    """A workbook made by the app, changed as a coordinator might (`change(book)`)."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    change(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    from lwtop_toolkit.cli.main import main

    capsys.readouterr()
    main([*args, "--quiet"] if args[0] != "worklist-status" else args)
    said = capsys.readouterr()
    return said.out + said.err


def _without_row(book: Any) -> None:
    book["Toewijzing"].delete_rows(2)


def _without_mark(book: Any) -> None:
    del book["lwtop"]


@pytest.mark.produces("staff-sheet-row-removed", "staff-sheet-not-ours")
@pytest.mark.parametrize(("change", "code"), [(_without_row, "staff-sheet-row-removed"),
                                              (_without_mark, "staff-sheet-not-ours")])  # fmt: skip
def test_a_changed_staff_workbook_names_the_step_that_makes_a_new_one(
    page: Page, tmp_path: Path, capsys: pytest.CaptureFixture[str], change: Any, code: str
) -> None:
    page.sample("Voorbeeldschool PO (importbestanden)")
    page.staff.make.click()
    ((name, data),) = linked(page.staff.sheet_link.value).items()
    changed = _changed(data, change)
    page.staff.upload.value = upload((name, changed))
    page.staff.read.click()
    shown = html.unescape(page.staff.status.text.value + page.staff.findings.value)
    assert "de knop 'Werkmap medewerkers maken' in stap 6" in shown, shown
    assert "lwtop " not in shown
    # the same workbook read back by the command line names the command
    path = tmp_path / name
    path.write_bytes(changed)
    said = _cli(["staff-links", str(path), "--new", str(NEW), "--out", str(tmp_path / "k.csv"),
                 "--json"], capsys)  # fmt: skip
    assert code in said and "met lwtop staff-sheet" in said
    assert "Werkmap medewerkers maken" not in said


@pytest.mark.produces("worklist-not-ours")
def test_a_worklist_without_its_hidden_sheet_names_the_step_that_makes_a_new_one(
    page: Page, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page.las.choice.value = "parnassys-oso"
    page.sample("Voorbeeldschool PO (ParnasSys, EDEX.XML)")
    page.worklist.make.click()
    ((name, data),) = linked(page.worklist.link.value).items()
    changed = _changed(data, _without_mark)
    page.worklist.upload.value = upload((name, changed))
    page.worklist.read.click()
    shown = html.unescape(page.worklist.status.text.value)
    assert "lwtop-error" in shown and "de knop 'Werklijst maken' in stap 5" in shown, shown
    assert "lwtop " not in shown
    path = tmp_path / name
    path.write_bytes(changed)
    said = _cli(["worklist-status", str(path)], capsys)
    assert "Maak een nieuwe werklijst met lwtop worklist." in said and "stap 5" not in said


@pytest.mark.produces("verify-pupil-missing")
def test_a_verification_without_a_las_points_at_the_las_step_of_its_face(
    page: Page, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page.sample("Voorbeeldschool PO (importbestanden)")  # no LAS chosen
    arrived = tmp_path / "aangekomen"
    arrived.mkdir()
    for file in NEW.glob("*.csv"):
        lines = file.read_text("utf-8-sig").splitlines()
        kept = lines[:-1] if file.name == "leerlingen.csv" else lines  # one pupil did not arrive
        (arrived / file.name).write_text("\n".join(kept) + "\n", "utf-8")
    page.verify.upload.value = upload(*sorted(arrived.glob("*.csv")))
    page.verify.button.click()
    shown = html.unescape(page.verify.result.value)
    assert "zoals uw LAS dat vraagt (zie stap 1 van de pagina Schooljaarovergang)" in shown
    assert "lwtop " not in shown
    said = _cli(["verify", "--expected", str(NEW), "--actual", str(arrived), "--json"], capsys)
    assert "verify-pupil-missing" in said and "(zie lwtop las)" in said


# --- the words of steps 5 and 6, lines that outlive what they said, a spreadsheet we do not read


def test_step_6_names_itself_and_step_5_points_to_the_worklist(page: Page) -> None:
    staff = page_text(page.staff)
    assert "Stap 6: koppel de medewerkers" in staff and "Stap 2:" not in staff
    for code in ("parnassys-oso", "esis-sbo-so-vso"):
        page.las.choice.value = code
        intro = page.step1.intro.value
        assert "werklijst" in intro and "auditwerkmap" not in intro
        assert "uit stap 6" in page_text(page.step1) and "stap 2" not in page_text(page.step1)


def test_step_7_says_its_intro_once() -> None:
    notebook = nbformat.read(GUIDED, as_version=4)
    text = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")
    shown = text + "\n" + ui.verify_panel.INTRO
    assert shown.count("Na de koppeling, het ophalen of de import") == 1


def test_one_warning_is_one_warning(page: Page) -> None:
    page.las.choice.value = "parnassys-oso"
    page.sample("Voorbeeldschool PO (ParnasSys, EDEX.XML)")
    shown = page_text(page.findings)
    assert "Geen fouten. Lees de waarschuwing wel even na." in shown  # the sample has one


def test_a_new_bundle_clears_the_line_about_the_one_before(page: Page) -> None:
    """Step 5's bundle line said the bundle was not made; step 6 then makes it with the links:
    step 5 no longer says 'not made' above the new bundle's links."""
    page.sample("Voorbeeldschool PO (importbestanden)")
    page.step1.box(ui.BundleBox)  # the box exists once step 5 shows it
    box = page.step1.boxes[ui.BundleBox]
    box.status.error("Niet elke bundel is gemaakt: los eerst de fouten hieronder op.")
    page.staff.make.click()
    page.staff.upload.value = upload(
        ("werkmap.xlsx", next(iter(linked(page.staff.sheet_link.value).values())))
    )
    page.staff.read.click()
    page.staff.add.click()
    assert "koppelingen staan in de uploadbundel" in page.staff.status.text.value
    assert "Niet elke bundel" not in box.status.text.value
    assert linked(box.result.value)  # step 5 shows the new bundle's link


def _ods() -> bytes:
    """A real (tiny) OpenDocument spreadsheet: its first member names its kind."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def test_an_ods_upload_gets_the_readers_own_line(page: Page) -> None:
    page.read(upload(*sorted(OLD.glob("*.csv"))), upload(("leerlingen.ods", _ods())))
    said = html.unescape(page.upload.status.text.value)
    assert "OpenDocument" in said and ".xlsx" in said
    assert "dit soort bestand wordt niet ingelezen" not in said
