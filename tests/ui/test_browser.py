"""A real browser: Voila serves the guided notebook, Debian's chromium (via Playwright) uses it.

The coordinator's path: choose the LAS, upload both years' exports through the page's file
input, read the preview's numbers, make the upload bundle and download it. A screenshot of the
page is saved as an artefact (`LWTOP_ARTEFACTS`, else pytest's tmp folder).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, SAMPLE_DATA

CHROMIUM = Path("/usr/bin/chromium")
SERVE = [sys.executable, "-m", "lwtop_toolkit.ui.serve"]  # what `make app` runs
NOTEBOOK = REPO / "notebooks" / "01_schooljaarovergang.ipynb"
CHROMIUM_ARGS = [
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
SOMTODAY = SAMPLE_DATA / "somtoday"
READY_SECONDS = 60
WAIT_MS = 30_000
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


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _scratch_env(scratch: Path) -> dict[str, str]:
    """The environment of Voila and its kernel: every per-user folder inside `scratch`."""
    env = dict(os.environ)
    for name, sub in (
        ("HOME", "home"),
        ("TMPDIR", "tmp"),
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_CACHE_HOME", "cache"),
        ("XDG_DATA_HOME", "data"),
        ("JUPYTER_CONFIG_DIR", "jupyter-config"),
        ("JUPYTER_DATA_DIR", "jupyter-data"),
        ("JUPYTER_RUNTIME_DIR", "jupyter-runtime"),
        ("IPYTHONDIR", "ipython"),
        ("MPLCONFIGDIR", "matplotlib"),
    ):
        folder = scratch / sub
        folder.mkdir(parents=True, exist_ok=True)
        env[name] = str(folder)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env.pop("LWTOP_DEBUG", None)
    return env


def _wait_ready(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    """Wait until Voila serves its static files (a GET of `/` would start a kernel)."""
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"Voila stopte meteen:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
    pytest.fail(
        f"Voila kwam niet op in {READY_SECONDS} s:\n{log.read_text(errors='replace')[-3000:]}"
    )


class App:
    """`make app` (python -m lwtop_toolkit.ui.serve) on a free 127.0.0.1 port, in `scratch`."""

    def __init__(self, scratch: Path) -> None:
        self.scratch = scratch
        self.tmp = scratch / "tmp"  # the app's and its kernels' TMPDIR
        port = _free_port()
        self.log = scratch.parent / f"voila-{port}.log"
        with self.log.open("wb") as output:
            self.process = subprocess.Popen(
                [*SERVE, str(NOTEBOOK), "--no-browser", f"--port={port}", "--Voila.ip=127.0.0.1"],
                cwd=REPO,  # voila.json (template, culling, websocket limit) is read from here
                env=_scratch_env(scratch),
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # a group of its own: stopped together
            )
        self.base = f"http://127.0.0.1:{port}"
        _wait_ready(f"{self.base}/voila/static/voila.js", self.process, self.log)

    def folders(self) -> list[Path]:
        """The private folders (a session's uploads and bundles) on disk now."""
        return sorted(self.tmp.glob("lwtop-*"))

    def kernel_alive(self, kernel_id: str) -> bool:
        """Whether Voila still has the kernel (its REST API answers 404 once it is gone)."""
        try:
            with urllib.request.urlopen(f"{self.base}/api/kernels/{kernel_id}", timeout=5):
                return True
        except urllib.error.HTTPError as error:
            if error.code == 404:
                return False
            raise

    def stop(self) -> None:
        _stop(self.process)
        _stop_kernels_of(self.scratch)


@pytest.fixture
def voila(tmp_path: Path) -> Iterator[App]:
    """The app on notebook 01; always stopped afterwards."""
    app = App(tmp_path / "scratch")
    try:
        yield app
    finally:
        app.stop()


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def _stop_kernels_of(scratch: Path) -> None:
    """Kernels run in a session of their own: stop any that outlived Voila (found by folder)."""
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            command = (entry / "cmdline").read_bytes().decode(errors="replace")
        except OSError:
            continue
        if str(scratch) in command and "ipykernel" in command:
            with contextlib.suppress(ProcessLookupError):
                os.kill(int(entry.name), signal.SIGTERM)


def _artefacts(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("LWTOP_ARTEFACTS") or tmp_path / "artefacts")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _download(page: Any, link: Any, folder: Path) -> Path:
    """Click a download link and keep the file the browser receives (in a folder of its own)."""
    with page.expect_download() as download:
        link.click()
    target = folder / f"download-{len(list(folder.glob('download-*')))}"
    target.mkdir()
    saved = target / download.value.suggested_filename
    download.value.save_as(saved)
    return saved


def _screenshot(page: Any, path: Path) -> None:
    """The whole page: Voila scrolls inside a container, so the window is made as tall as it."""
    height = page.evaluate(
        "Math.max(...Array.from(document.querySelectorAll('*'), e => e.scrollHeight))"
    )
    page.set_viewport_size({"width": 1280, "height": min(int(height) + 40, 16_000)})
    page.screenshot(path=str(path), full_page=True)


def _need_chromium() -> None:
    """Chromium is there; Playwright's checks wait as long as its actions (a busy machine)."""
    if not CHROMIUM.exists():
        pytest.fail(
            "chromium ontbreekt (/usr/bin/chromium): `make test` installeert het als root; "
            "installeer anders zelf: sudo apt-get install chromium"
        )
    from playwright.sync_api import expect

    expect.set_options(timeout=WAIT_MS)


def _kernels_of(scratch: Path) -> list[int]:
    """The pids of the kernels started for the app in `scratch`."""
    found = []
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            command = (entry / "cmdline").read_bytes().decode(errors="replace")
        except OSError:
            continue
        if str(scratch) in command and "ipykernel" in command:
            found.append(int(entry.name))
    return found


def _wait_until(condition: Any, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"{what}: not within {seconds} s")
        time.sleep(1)


def _foreign(urls: list[str]) -> list[str]:
    """The requested URLs that leave this computer (not 127.0.0.1, data: or blob:)."""
    from urllib.parse import urlsplit

    return [
        url
        for url in urls
        if urlsplit(url).scheme not in ("data", "blob") and urlsplit(url).hostname != "127.0.0.1"
    ]


def _upload_both_years(page: Any) -> None:
    """Choose the LAS, upload both years of the Somtoday sample, read them."""
    from playwright.sync_api import expect

    page.locator(".lwtop-las select").select_option(label="Somtoday (VO)")
    for css, year in ((".lwtop-upload-old", "2025-2026"), (".lwtop-upload-new", "2026-2027")):
        files = sorted(str(path) for path in (SOMTODAY / year).glob("*.csv"))
        with page.expect_file_chooser() as chooser:
            page.locator(css).click()
        chooser.value.set_files(files)
    expect(page.get_by_text("structuurbestand.csv").first).to_be_visible()
    page.locator(".lwtop-load").click()
    expect(page.locator(".lwtop-summary [data-key='promoted']")).to_have_text("191")


def test_a_coordinator_uploads_previews_and_downloads_the_bundle(
    voila: App, tmp_path: Path
) -> None:
    """The whole path, every request on 127.0.0.1, the page in Dutch; stopping the app (SIGTERM)
    leaves no folder with the uploads behind."""
    _need_chromium()
    from playwright.sync_api import expect, sync_playwright

    requested: list[str] = []

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900}, accept_downloads=True)
            page.on("request", lambda request: requested.append(request.url))
            page.add_init_script(RECORD_LOADING)
            page.set_default_timeout(WAIT_MS)
            page.goto(voila.base + "/", timeout=WAIT_MS)

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
            for css, year in (
                (".lwtop-upload-old", "2025-2026"),
                (".lwtop-upload-new", "2026-2027"),
            ):
                files = sorted(str(path) for path in (SOMTODAY / year).glob("*.csv"))
                with page.expect_file_chooser() as chooser:
                    page.locator(css).click()
                chooser.value.set_files(files)
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
            picture.screenshot(path=str(_artefacts(tmp_path) / "doorstroom.png"))
            page.get_by_role("tab", name="Groepen").click()

            # 5. the bundle, downloaded through the link
            page.locator(".lwtop-bundle").click()
            link = page.locator(".lwtop-bundle-result a.lwtop-download")
            expect(link).to_have_attribute("download", "lwtop-99VO-2026-2027.zip")
            saved = _download(page, link, tmp_path)

            # 6. step 2: the staff workbook down, back up (as filled), its links into the bundle
            page.locator(".lwtop-staff-sheet").click()
            sheet = _download(
                page, page.locator(".lwtop-staff-sheet ~ * a.lwtop-download"), tmp_path
            )
            with page.expect_file_chooser() as chooser:
                page.locator(".lwtop-staff-upload").click()
            chooser.value.set_files(str(sheet))
            expect(page.get_by_text(sheet.name).first).to_be_visible()
            page.locator(".lwtop-staff-read").click()
            expect(page.locator(".lwtop-staff-findings [data-key='links']")).not_to_have_text("0")
            page.locator(".lwtop-staff-add").click()
            with_links = _download(
                page, page.locator(".lwtop-staff-bundle a.lwtop-download"), tmp_path
            )
            _screenshot(page, _artefacts(tmp_path) / "schooljaarovergang.png")
            assert "Traceback" not in page.content()
            assert voila.folders(), "the session keeps its files in a private folder"
        finally:
            browser.close()

    assert requested and _foreign(requested) == [], _foreign(requested)
    # stopping the app (as `kill` or a service manager does) ends its kernels and their folders
    voila.process.send_signal(signal.SIGTERM)
    assert voila.process.wait(timeout=60) == 0
    assert voila.folders() == [] and _kernels_of(voila.scratch) == []

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
    _need_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            reading = browser.new_page(viewport={"width": 1280, "height": 900})
            reading.set_default_timeout(WAIT_MS)
            reading.goto(voila.base + "/", timeout=WAIT_MS)
            _upload_both_years(reading)
            (kept_folder,) = voila.folders()
            kept = json.loads(reading.locator("#jupyter-config-data").text_content() or "{}")
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.set_default_timeout(WAIT_MS)
            page.goto(voila.base + "/", timeout=WAIT_MS)
            _upload_both_years(page)
            config = json.loads(page.locator("#jupyter-config-data").text_content() or "{}")
            kernel = config["kernelId"]
            (folder,) = set(voila.folders()) - {kept_folder}
            names = {path.name.rsplit("-", 1)[0] for path in folder.iterdir()}
            assert {"vorig-jaar", "nieuw-jaar"} <= names  # the uploaded exports
            assert voila.kernel_alive(kernel)
            page.close(run_before_unload=False)
            _wait_until(lambda: not voila.kernel_alive(kernel), GONE_SECONDS, "the kernel ended")
            _wait_until(lambda: not folder.exists(), GONE_SECONDS, "its folder removed")
            # the open page, idle longer than the culling's limit, is untouched
            assert voila.kernel_alive(kept["kernelId"])
            assert voila.folders() == [kept_folder]
        finally:
            browser.close()
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
        _wait_until(lambda: _kernels_of(scratch) == [], 30, "the orphaned kernel exited")
        assert left.exists()
    finally:
        first.stop()
    second = App(scratch)
    try:
        assert second.folders() == []
    finally:
        second.stop()
