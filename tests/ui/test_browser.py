"""A real browser: Voila serves the guided notebook, Debian's chromium (via Playwright) uses it.

The coordinator's path: choose the LAS, upload both years' exports through the page's file
input, read the preview's numbers, make the upload bundle and download it. A screenshot of the
page is saved as an artefact (`LWTOP_ARTEFACTS`, else pytest's tmp folder).
"""

from __future__ import annotations

import json
import os
import signal
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_harness import (
    App,
    artefacts,
    choose_files,
    download,
    foreign,
    kernels_of,
    launched_chromium,
    need_chromium,
    open_page,
    running_app,
    wait_until,
)
from conftest import SAMPLE_DATA

SOMTODAY = SAMPLE_DATA / "somtoday"
WINDOW = {"width": 1280, "height": 900}
# A closed page's kernel and folder must be gone within a minute (voila.json's culling); the
# test allows for a slow machine.
GONE_SECONDS = 100
TITLE = "Schooljaarovergang Leerwinst/TOP dossier"
ENGLISH_LOADING = ("Executing", "Reading", "Running", "Loading")
# Every text the loading spinner shows, recorded from the start of the page.
RECORD_LOADING = """
window.lwtopLoading = [];
new MutationObserver(() => {
  const el = document.getElementById("loading_text");
  if (el && window.lwtopLoading.at(-1) !== el.textContent) {
    window.lwtopLoading.push(el.textContent);
  }
}).observe(document, {childList: true, subtree: true, characterData: true});
"""


@pytest.fixture
def voila(tmp_path: Path) -> Iterator[App]:
    """The app on notebook 01; always stopped afterwards."""
    with running_app(tmp_path / "scratch") as app:
        yield app


def _screenshot(page: Any, path: Path) -> None:
    """The whole page: Voila scrolls inside a container, so the window is made as tall as it."""
    height = page.evaluate(
        "Math.max(...Array.from(document.querySelectorAll('*'), e => e.scrollHeight))"
    )
    page.set_viewport_size({"width": 1280, "height": min(int(height) + 40, 16_000)})
    page.screenshot(path=str(path), full_page=True)


def _upload_years(page: Any) -> None:
    """Both years of the Somtoday sample through the page's own file inputs."""
    for css, year in ((".lwtop-upload-old", "2025-2026"), (".lwtop-upload-new", "2026-2027")):
        choose_files(page, css, sorted((SOMTODAY / year).glob("*.csv")))


def _upload_both_years(page: Any) -> None:
    """Choose the LAS, upload both years of the Somtoday sample, read them."""
    from playwright.sync_api import expect

    page.locator(".lwtop-las select").select_option(label="Somtoday (VO)")
    _upload_years(page)
    expect(page.get_by_text("structuurbestand.csv").first).to_be_visible()
    page.locator(".lwtop-load").click()
    expect(page.locator(".lwtop-summary [data-key='promoted']")).to_have_text("191")


def test_a_coordinator_uploads_previews_and_downloads_the_bundle(
    voila: App, tmp_path: Path
) -> None:
    """The whole path, every request on 127.0.0.1, the page in Dutch; stopping the app (SIGTERM)
    leaves no folder with the uploads behind."""
    need_chromium()
    from playwright.sync_api import expect

    requested: list[str] = []

    with launched_chromium() as browser:
        page = open_page(browser, voila, WINDOW, requested, init_script=RECORD_LOADING)

        # the page: Dutch, named for people, loading texts in Dutch, icons from here
        assert page.locator("html").get_attribute("lang") == "nl"
        assert page.title() == TITLE
        expect(page.locator(".lwtop-las select")).to_be_visible()
        loading = page.evaluate("window.lwtopLoading")
        assert loading and all(text.strip() for text in loading), loading
        assert not [t for t in loading if any(w in t for w in ENGLISH_LOADING)], loading
        icons = page.evaluate(
            "Array.from(document.querySelectorAll('i.fa'), i => [i.className, "
            "getComputedStyle(i, '::before').content])"
        )
        assert icons and all(content not in ("none", "") for _, content in icons), icons

        # 1. the LAS, and what it must do
        page.locator(".lwtop-las select").select_option(label="Somtoday (VO)")
        expect(page.locator(".lwtop-action")).to_have_attribute("data-action", "file_import")

        # 2. both years through the page's own file inputs
        _upload_years(page)
        expect(page.get_by_text("structuurbestand.csv").first).to_be_visible()
        page.locator(".lwtop-load").click()

        # 4. the preview's numbers
        summary = page.locator(".lwtop-summary")
        expect(summary.locator("[data-key='promoted']")).to_have_text("191")
        expected = {
            "pupils-old": "244",
            "pupils-new": "257",
            "retained": "3",
            "new": "63",
            "left-graduated": "47",
            "left-other": "3",
        }
        shown = {key: summary.locator(f"[data-key='{key}']").inner_text() for key in expected}
        assert shown == expected
        expect(page.get_by_text("(klopt)")).to_be_visible()
        page.get_by_role("tab", name="Doorstroom").click()
        picture = page.locator(".lwtop-flow img")
        expect(picture).to_be_visible()
        assert picture.evaluate("image => image.naturalWidth") > 500
        picture.screenshot(path=str(artefacts(tmp_path) / "doorstroom.png"))
        page.get_by_role("tab", name="Groepen").click()

        # 5. the bundle, downloaded through the link
        page.locator(".lwtop-bundle").click()
        link = page.locator(".lwtop-bundle-result a.lwtop-download")
        expect(link).to_have_attribute("download", "lwtop-99VO-2026-2027.zip")
        saved = download(page, link, tmp_path)

        # 6. step 2: the staff workbook down, back up (as filled), its links into the bundle
        page.locator(".lwtop-staff-sheet").click()
        sheet = download(page, page.locator(".lwtop-staff-sheet ~ * a.lwtop-download"), tmp_path)
        choose_files(page, ".lwtop-staff-upload", [sheet])
        expect(page.get_by_text(sheet.name).first).to_be_visible()
        page.locator(".lwtop-staff-read").click()
        expect(page.locator(".lwtop-staff-findings [data-key='links']")).not_to_have_text("0")
        page.locator(".lwtop-staff-add").click()
        with_links = download(page, page.locator(".lwtop-staff-bundle a.lwtop-download"), tmp_path)
        _screenshot(page, artefacts(tmp_path) / "schooljaarovergang.png")
        assert "Traceback" not in page.content()
        assert voila.folders(), "the session keeps its files in a private folder"

    assert requested and foreign(requested) == [], foreign(requested)
    # stopping the app (as `kill` or a service manager does) ends its kernels and their folders
    voila.process.send_signal(signal.SIGTERM)
    assert voila.process.wait(timeout=60) == 0
    assert voila.folders() == [] and kernels_of(voila.scratch) == []

    with zipfile.ZipFile(saved) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        assert {"groepen.csv", "leerlingen.csv", "medewerkers.csv"} <= set(archive.namelist())
    assert manifest["schooljaar"] == "2026-2027" and manifest["las"] == "somtoday"
    assert manifest["rows"]["leerlingen"] == 257 and manifest["forced"] is False
    assert "medewerker_groepen" not in manifest["rows"]
    with zipfile.ZipFile(with_links) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    assert manifest["rows"]["medewerker_groepen"] > 0 and manifest["forced"] is False


def test_a_closed_page_ends_its_kernel_and_its_folder(voila: App, tmp_path: Path) -> None:
    """A tab closed without a goodbye (a crash, a killed browser: no beforeunload, so Voila's
    own shutdown call is not sent): the server ends the kernel within a minute, and the kernel
    removes the folder with the uploaded exports. A page that stays open, idle all that time
    (a coordinator reading), keeps its kernel and its folder."""
    need_chromium()

    with launched_chromium() as browser:
        reading = open_page(browser, voila, WINDOW)
        _upload_both_years(reading)
        (kept_folder,) = voila.folders()
        kept = json.loads(reading.locator("#jupyter-config-data").text_content() or "{}")
        page = open_page(browser, voila, WINDOW)
        _upload_both_years(page)
        config = json.loads(page.locator("#jupyter-config-data").text_content() or "{}")
        kernel = config["kernelId"]
        (folder,) = set(voila.folders()) - {kept_folder}
        names = {path.name.rsplit("-", 1)[0] for path in folder.iterdir()}
        assert {"vorig-jaar", "nieuw-jaar"} <= names  # the uploaded exports
        assert voila.kernel_alive(kernel)
        page.close(run_before_unload=False)
        wait_until(lambda: not voila.kernel_alive(kernel), GONE_SECONDS, "the kernel ended")
        wait_until(lambda: not folder.exists(), GONE_SECONDS, "its folder removed")
        # the open page, idle longer than the culling's limit, is untouched
        assert voila.kernel_alive(kept["kernelId"])
        assert voila.folders() == [kept_folder]
    assert voila.process.poll() is None  # the app itself runs on


def test_a_killed_app_leaves_folders_that_the_next_start_removes(tmp_path: Path) -> None:
    """kill -9 of the app: nobody can clean up then (its kernels exit at once, without their
    exit handlers), so the next start removes the folders whose owner is gone."""
    scratch = tmp_path / "scratch"
    first = App(scratch)
    try:
        with urllib.request.urlopen(first.base + "/", timeout=120) as response:
            response.read()  # the page, with the notebook run: a session and its folder
        (left,) = first.folders()
        os.killpg(first.process.pid, signal.SIGKILL)
        first.process.wait(timeout=10)
        wait_until(lambda: kernels_of(scratch) == [], 30, "the orphaned kernel exited")
        assert left.exists()
    finally:
        first.stop()
    second = App(scratch)
    try:
        assert second.folders() == []
    finally:
        second.stop()
