"""A single school through every step of the app in a real browser, as a coordinator does it.

`make app` (python -m lwtop_toolkit.ui.serve) serves notebook 01; Debian's chromium (via
Playwright), at 1366x768, goes through its seven steps for ParnasSys (OSO SWV), a LAS whose
pupils are set ready one by one: the LAS, both years uploaded, the findings, the preview's tabs,
the audit workbook and the upload bundle downloaded, the worklist downloaded, ticked off and read
back, the staff workbook downloaded, a teacher chosen per group from its drop-down list, read
back and added to the bundle, and the check after the import with the new year's export as the
export from the dossier. At no step does the page show an unexpected error, and no request
leaves 127.0.0.1. A screenshot per step (what the window shows) is saved as an artefact
(`LWTOP_ARTEFACTS`, else pytest's tmp folder).
"""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from browser_harness import (
    UNEXPECTED,
    App,
    artefacts,
    choose_files,
    download,
    foreign,
    launched_chromium,
    need_chromium,
    open_page,
    running_app,
)
from conftest import SAMPLE_DATA

PARNASSYS = SAMPLE_DATA / "parnassys"
LAS_LABEL = "ParnasSys (OSO SWV) (PO / samenwerkingsverband)"
WINDOW = {"width": 1366, "height": 768}
# The answer columns of the worklist (sheets/worklist_write.py) and the staff workbook's sheets.
ANSWER_HEADERS = ("Klaargezet", "Opgehaald", "Afgehandeld")
ASSIGNMENT, STAFF = "Toewijzing", "Medewerkers"


@pytest.fixture
def app(tmp_path: Path) -> Iterator[App]:
    with running_app(tmp_path / "scratch") as served:
        yield served


class Coordinator:
    """The page in chromium, with what a step needs: uploads, downloads, a screenshot."""

    def __init__(self, page: Any, folder: Path, artefacts: Path) -> None:
        self.page = page
        self.folder = folder
        self.artefacts = artefacts
        self.shots: list[Path] = []

    def upload(self, css: str, files: list[Path]) -> None:
        choose_files(self.page, css, files)

    def download(self, link: Any) -> Path:
        """Click a download link; the file the browser receives, in a folder of its own."""
        return download(self.page, link, self.folder)

    def step(self, name: str, shown: Any) -> None:
        """After a step: no unexpected error anywhere on the page; what the window shows, with
        `shown` in view, saved as `NN-name.png`."""
        text = self.page.locator("body").inner_text()
        assert UNEXPECTED not in text, f"{name}: {_around(text, UNEXPECTED)}"
        assert "Traceback" not in text, f"{name}: {_around(text, 'Traceback')}"
        shown.scroll_into_view_if_needed()
        path = self.artefacts / f"{len(self.shots) + 1:02d}-{name}.png"
        self.page.screenshot(path=str(path))
        self.shots.append(path)


def _around(text: str, word: str) -> str:
    at = text.find(word)
    return text[max(0, at - 200) : at + 400]


def ticked_off(path: Path) -> Path:
    """The worklist with every answer cell a coordinator may fill set to 'ja'."""
    book = openpyxl.load_workbook(path)
    for sheet in book.worksheets:
        if sheet.sheet_state != "visible":
            continue
        for row in sheet.iter_rows():
            headers = [str(cell.value) for cell in row]
            columns = [i for i, header in enumerate(headers) if header in ANSWER_HEADERS]
            if not columns:
                continue
            for below in sheet.iter_rows(min_row=row[0].row + 1):
                if below[0].value is None and below[1].value is None:
                    continue
                for index in columns:
                    if below[index].protection.locked is False:
                        below[index].value = "ja"
            break
    filled = path.with_name(f"ingevuld-{path.name}")
    book.save(filled)
    return filled


def teachers_chosen(path: Path) -> tuple[Path, int]:
    """The staff workbook with, per group, one teacher from its drop-down list (the names its
    data validation offers, taken in turn) and the other teacher cells emptied; and how many
    groups got one."""
    book = openpyxl.load_workbook(path)
    sheet = book[ASSIGNMENT]
    chosen = 0
    for validation in sheet.data_validations.dataValidation:
        source, cells = str(validation.formula1), str(validation.sqref)
        listed, span = source.split("!")
        first, last = span.replace("$", "").split(":")
        names = [
            row[0].value
            for row in book[listed.strip("'")][f"{first}:{last}"]
            if row[0].value is not None
        ]
        assert names, f"the drop-down list {source} is empty"
        for block in cells.split():
            rows = list(sheet[block])
            for offset, row in enumerate(rows):
                row[0].value = names[(chosen + offset) % len(names)]
                for other in row[1:]:
                    other.value = None
            chosen += len(rows)
    filled = path.with_name(f"ingevuld-{path.name}")
    book.save(filled)
    return filled, chosen


def counted(scope: Any, key: str) -> str:
    return str(scope.locator(f"[data-key='{key}']").first.inner_text()).strip()


def test_a_single_school_goes_through_every_step_in_the_browser(app: App, tmp_path: Path) -> None:
    need_chromium()
    from playwright.sync_api import expect

    requested: list[str] = []
    verify_text = page_text = ""

    with launched_chromium() as browser:
        page = open_page(browser, app, WINDOW, requested)
        me = Coordinator(page, tmp_path, artefacts(tmp_path))

        # 1. the LAS: ParnasSys (OSO SWV) sets its pupils ready one by one
        las = page.locator(".lwtop-las select")
        expect(las).to_be_visible()
        las.select_option(label=LAS_LABEL)
        action = page.locator(".lwtop-action")
        expect(action).to_have_attribute("data-action", "per_student")
        me.step("las", action)

        # 2. both years through the page's own file inputs
        me.upload(".lwtop-upload-old", [PARNASSYS / "2025-2026" / "EDEX.XML"])
        me.upload(".lwtop-upload-new", [PARNASSYS / "2026-2027" / "EDEX.XML"])
        expect(page.get_by_text("EDEX.XML").nth(1)).to_be_visible()
        page.locator(".lwtop-load").click()
        read = page.get_by_text("Ingelezen. Bekijk hieronder de controle")
        expect(read).to_be_visible()
        me.step("gegevens", read)

        # 3. the findings: no errors
        advice = page.get_by_text("Geen fouten").first
        expect(advice).to_be_visible()
        me.step("controle", advice)

        # 4. the preview: its numbers and each tab
        summary = page.locator(".lwtop-summary")
        expect(summary.locator("[data-key='promoted']")).to_have_text("213")
        shown = {key: counted(summary, key) for key in ("pupils-old", "pupils-new", "new")}
        assert shown == {"pupils-old": "248", "pupils-new": "247", "new": "30"}
        me.step("groepsindeling", summary)
        groups = page.get_by_role("tab", name="Groepen")
        expect(groups).to_be_visible()
        expect(page.get_by_role("cell", name="1/2A", exact=True).first).to_be_visible()
        me.step("tab-groepen", groups)
        page.get_by_role("tab", name="Doorstroom").click()
        picture = page.locator(".lwtop-flow img")
        expect(picture).to_be_visible()
        assert picture.evaluate("image => image.naturalWidth") > 500
        me.step("tab-doorstroom", picture)
        for tab in ("Bijzonderheden", "Wijzigingen"):
            page.get_by_role("tab", name=tab).click()
            me.step(f"tab-{tab.lower()}", page.get_by_role("tab", name=tab))
        page.get_by_role("tab", name="Leerling zoeken").click()
        search = page.get_by_placeholder("naam of nummer")
        search.fill("de")
        found = page.get_by_text("gevonden.")
        expect(found).to_be_visible()
        me.step("tab-leerling-zoeken", search)
        page.get_by_role("tab", name="Groepen").click()

        # 5. the audit workbook and the upload bundle, downloaded
        page.locator(".lwtop-audit").click()
        audit = me.download(page.locator(".lwtop-audit ~ * a.lwtop-download"))
        assert audit.suffix == ".xlsx" and openpyxl.load_workbook(audit).sheetnames
        me.step("auditwerkmap", page.locator(".lwtop-audit"))
        page.locator(".lwtop-bundle").click()
        link = page.locator(".lwtop-bundle-result a.lwtop-download")
        expect(link).to_have_attribute("download", "lwtop-99ZZ-2026-2027.zip")
        bundle = me.download(link)
        me.step("uploadbundel", link)

        # 5. the worklist: made, downloaded, ticked off, read back: nothing open
        page.locator(".lwtop-worklist").click()
        worklist = me.download(page.locator(".lwtop-worklist ~ * a.lwtop-download"))
        assert worklist.name == "werklijst-parnassys-oso-2026-2027.xlsx"
        me.step("werklijst", page.locator(".lwtop-worklist"))
        me.upload(".lwtop-worklist-upload", [ticked_off(worklist)])
        page.locator(".lwtop-worklist-read").click()
        result = page.locator(".lwtop-worklist-result")
        expect(result.locator(".lwtop-all-done")).to_be_visible()
        assert counted(result, "pupil-open") == "0" and counted(result, "left-open") == "0"
        me.step("werklijst-ingelezen", result)

        # 6. the staff workbook: made, downloaded, a teacher per group, read back, added
        page.locator(".lwtop-staff-sheet").click()
        sheet = me.download(page.locator(".lwtop-staff-sheet ~ * a.lwtop-download"))
        me.step("werkmap-medewerkers", page.locator(".lwtop-staff-sheet"))
        filled, chosen = teachers_chosen(sheet)
        me.upload(".lwtop-staff-upload", [filled])
        expect(page.locator(".lwtop-staff-upload")).to_contain_text("(1)")
        page.locator(".lwtop-staff-read").click()
        staff = page.locator(".lwtop-staff-findings")
        expect(staff.locator("[data-key='links']")).to_have_text(str(chosen))
        assert staff.locator("[data-key='error'] b").inner_text() == "0"
        me.step("werkmap-ingelezen", staff)
        page.locator(".lwtop-staff-add").click()
        with_links = me.download(page.locator(".lwtop-staff-bundle a.lwtop-download"))
        me.step("koppelingen-in-bundel", page.locator(".lwtop-staff-bundle"))

        # 7. verify: the new year's export as the export from the dossier
        me.upload(".lwtop-verify-upload", [PARNASSYS / "2026-2027" / "EDEX.XML"])
        page.locator(".lwtop-verify").click()
        verdict = page.locator(".lwtop-verify-result")
        expect(verdict.locator(".lwtop-incomplete")).to_be_visible()
        arrived = {
            key: counted(verdict, key)
            for key in ("pupils_expected", "pupils_arrived", "pupils_missing", "links_missing")
        }
        # the export has every pupil in the new groups, but not the links just made
        assert arrived == {
            "pupils_expected": "247",
            "pupils_arrived": "247",
            "pupils_missing": "0",
            "links_missing": str(chosen),
        }
        expect(
            verdict.get_by_text("Vergeleken met de bundel lwtop-99ZZ-2026-2027.zip")
        ).to_be_visible()
        me.step("controle-na-de-overgang", verdict)
        verify_text = verdict.inner_text()
        page_text = page.locator("body").inner_text()

    assert requested and foreign(requested) == [], foreign(requested)

    with zipfile.ZipFile(bundle) as archive:
        assert set(archive.namelist()) == {
            "bevindingen.csv",
            "groepen.csv",
            "leerlingen.csv",
            "manifest.json",
            "medewerkers.csv",
            "overgang.xlsx",
        }
        manifest = json.loads(archive.read("manifest.json"))
    assert manifest["schooljaar"] == "2026-2027" and manifest["las"] == "parnassys-oso"
    assert manifest["rows"]["leerlingen"] == 247 and manifest["forced"] is False
    with zipfile.ZipFile(with_links) as archive:
        assert "medewerker_groepen.csv" in archive.namelist()
        manifest = json.loads(archive.read("manifest.json"))
        links = archive.read("medewerker_groepen.csv").decode("utf-8-sig").splitlines()
    assert manifest["rows"]["medewerker_groepen"] == chosen == len(links) - 1
    assert "Klaarzetten" in openpyxl.load_workbook(worklist).sheetnames

    # The page numbers its steps once (1-7): the staff are linked in step 6, and no text of the
    # page calls that "stap 2" (the command line's numbering; here the upload of the data).
    staff_as_step_2 = re.findall(r"[^.\n]*(?:Stap 2:|uit stap 2)[^.\n]*", page_text)
    assert staff_as_step_2 == [], (
        "the page still calls the linking of the staff (its section 6) 'stap 2', while the LAS "
        f"panel and the workbooks call it 'stap 6': {staff_as_step_2}"
    )
    assert "(stap 2)" not in verify_text, _around(verify_text, "(stap 2)")
