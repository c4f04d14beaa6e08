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
NOTEBOOK = REPO / "notebooks" / "01_schooljaarovergang.ipynb"
VOILA = Path(sys.executable).parent / "voila"
CHROMIUM_ARGS = [
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
SOMTODAY = SAMPLE_DATA / "somtoday"
READY_SECONDS = 60
WAIT_MS = 30_000


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


@pytest.fixture
def voila(tmp_path: Path) -> Iterator[str]:
    """Voila on notebook 01 on a free 127.0.0.1 port; always stopped afterwards."""
    port = _free_port()
    log = tmp_path / "voila.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [str(VOILA), str(NOTEBOOK), "--no-browser", f"--port={port}", "--Voila.ip=127.0.0.1"],
            cwd=REPO,  # voila.json (the websocket limit) is read from here
            env=_scratch_env(tmp_path / "scratch"),
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its kernels in the same group: stopped together
        )
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_ready(f"{base}/voila/static/voila.js", process, log)
        yield base
    finally:
        _stop(process)
        _stop_kernels_of(tmp_path / "scratch")


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


def test_a_coordinator_uploads_previews_and_downloads_the_bundle(
    voila: str, tmp_path: Path
) -> None:
    if not CHROMIUM.exists():
        pytest.fail(
            "chromium ontbreekt (/usr/bin/chromium): `make test` installeert het als root; "
            "installeer anders zelf: sudo apt-get install chromium"
        )
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900}, accept_downloads=True)
            page.set_default_timeout(WAIT_MS)
            page.goto(voila + "/", timeout=WAIT_MS)

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
        finally:
            browser.close()

    with zipfile.ZipFile(saved) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        assert {"groepen.csv", "leerlingen.csv", "medewerkers.csv"} <= set(archive.namelist())
    assert manifest["schooljaar"] == "2026-2027" and manifest["las"] == "somtoday"
    assert manifest["rows"]["leerlingen"] == 257 and manifest["forced"] is False
    assert "medewerker_groepen" not in manifest["rows"]
    with zipfile.ZipFile(with_links) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    assert manifest["rows"]["medewerker_groepen"] > 0 and manifest["forced"] is False
