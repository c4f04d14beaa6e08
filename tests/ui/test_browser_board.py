"""A board in a real browser: `make app` serves notebook 01, Debian's chromium (via Playwright)
uploads each year's export as a zip of school folders, chooses a school in the preview and sees
its picture, downloads the one zip of all bundles and makes the staff workbook. No unexpected
error on the page, no request leaves 127.0.0.1. Screenshots go to `LWTOP_ARTEFACTS` (else
pytest's tmp folder)."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import openpyxl
import pytest
from browser_harness import (
    UNEXPECTED,
    artefacts,
    choose_files,
    download,
    foreign,
    launched_chromium,
    need_chromium,
    open_page,
    running_app,
)
from panels_harness import zip_of

from lwtop_toolkit.cli.main import main

WINDOW = {"width": 1366, "height": 768}


@pytest.fixture
def board_zips(tmp_path: Path) -> tuple[Path, Path, list[str]]:
    """A board of two schools: each year's folder of school folders as a zip; its schools."""
    board = tmp_path / "bestuur"
    assert main(["sample", "--scale", "800", "--geen-edexml", "--out", str(board), "--quiet"]) == 0
    old = tmp_path / "bestuur-2025-2026.zip"
    old.write_bytes(zip_of(board / "2025-2026"))
    new = tmp_path / "bestuur-2026-2027.zip"
    new.write_bytes(zip_of(board / "2026-2027"))
    schools = sorted(path.name for path in (board / "2026-2027").iterdir())
    assert len(schools) == 2
    return old, new, schools


def test_a_board_uploads_its_zip_previews_a_school_and_downloads_all_bundles(
    tmp_path: Path, board_zips: tuple[Path, Path, list[str]]
) -> None:
    need_chromium()
    from playwright.sync_api import expect

    old_zip, new_zip, schools = board_zips
    shots = artefacts(tmp_path)
    requested: list[str] = []
    with running_app(tmp_path / "scratch") as app, launched_chromium() as browser:
        page = open_page(browser, app, WINDOW, requested)

        # the LAS, and each year's export as one zip of school folders
        expect(page.locator(".lwtop-las select")).to_be_visible()
        page.locator(".lwtop-las select").select_option(label="Somtoday (VO)")
        choose_files(page, ".lwtop-upload-old", [old_zip])
        choose_files(page, ".lwtop-upload-new", [new_zip])
        expect(page.get_by_text(new_zip.name).first).to_be_visible()
        page.locator(".lwtop-load").click()
        summary = page.locator(".lwtop-summary")
        expect(summary.locator("[data-key='pupils-new']")).to_be_visible()
        expect(page.get_by_text("(klopt)")).to_be_visible()

        # the preview: the board's overview, then one school's picture
        choice = page.locator(".lwtop-school select")
        expect(choice).to_be_visible()
        page.get_by_role("tab", name="Doorstroom").click()
        picture = page.locator(".lwtop-flow img")
        expect(picture).to_be_visible()
        overview = picture.get_attribute("src")
        assert picture.evaluate("image => image.naturalWidth") > 500
        values = [text.replace("\xa0", " ") for text in choice.locator("option").all_inner_texts()]
        assert values[0] == "Alle scholen (overzicht)" and len(values) == 3, values
        choice.select_option(index=1)
        expect(picture).not_to_have_attribute("src", overview or "")
        assert picture.evaluate("image => image.naturalWidth") > 500
        picture.screenshot(path=str(shots / "bestuur-doorstroom-school.png"))
        page.get_by_role("tab", name="Groepen").click()

        # the bundles: one zip of all, beside the per-school links
        bundle_button = page.locator(".lwtop-bundle")
        bundle_button.click()
        everything = page.locator(".lwtop-all-bundles a.lwtop-download")
        expect(everything).to_have_attribute("download", "lwtop-bundels-2026-2027.zip")
        expect(bundle_button).to_be_enabled()
        per_school = page.locator(".lwtop-bundle-result a.lwtop-download")
        expect(per_school).to_have_count(1 + len(schools) + 1)  # all, each, overview
        saved = download(page, everything, tmp_path)

        # the staff workbook of the board
        page.locator(".lwtop-staff-sheet").click()
        sheet = download(page, page.locator(".lwtop-staff-sheet ~ * a.lwtop-download"), tmp_path)
        expect(page.locator(".lwtop-staff-sheet")).to_be_enabled()
        page.screenshot(path=str(shots / "bestuur.png"), full_page=True)
        assert UNEXPECTED not in page.content()

    assert requested and foreign(requested) == [], foreign(requested)
    with zipfile.ZipFile(saved) as archive:
        names = sorted(archive.namelist())
        bundles = {name: archive.read(name) for name in names if name.endswith(".zip")}
    assert names == sorted([*bundles, "overzicht.xlsx"])
    assert sorted(name.split("-")[1] for name in bundles) == sorted(
        school[:4] for school in schools
    )
    for data in bundles.values():
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            assert {"groepen.csv", "leerlingen.csv", "medewerkers.csv"} <= set(archive.namelist())
            manifest = json.loads(archive.read("manifest.json"))
        assert manifest["schooljaar"] == "2026-2027" and manifest["las"] == "somtoday"
        assert manifest["rows"]["leerlingen"] > 0 and manifest["forced"] is False
    book = openpyxl.load_workbook(sheet)
    assert "Toewijzing" in book.sheetnames and book["Toewijzing"].max_row > 2
