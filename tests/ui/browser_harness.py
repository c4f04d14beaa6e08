"""What a browser test of the app needs: `make app` (python -m lwtop_toolkit.ui.serve) on a free
127.0.0.1 port with every per-user folder in a scratch folder, Debian's chromium through
Playwright with a page open on the app, downloads kept, the requests that leave this computer.
Not a test module itself."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from conftest import REPO

CHROMIUM = Path("/usr/bin/chromium")
SERVE = [sys.executable, "-m", "lwtop_toolkit.ui.serve"]  # what `make app` runs
NOTEBOOK = REPO / "notebooks" / "01_schooljaarovergang.ipynb"
CHROMIUM_ARGS = [
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
READY_SECONDS = 60
WAIT_MS = 60_000
UNEXPECTED = "Er ging iets onverwachts mis"
SCRATCH_FOLDERS = {
    "HOME": "home",
    "TMPDIR": "tmp",
    "XDG_CONFIG_HOME": "config",
    "XDG_CACHE_HOME": "cache",
    "XDG_DATA_HOME": "data",
    "JUPYTER_CONFIG_DIR": "jupyter-config",
    "JUPYTER_DATA_DIR": "jupyter-data",
    "JUPYTER_RUNTIME_DIR": "jupyter-runtime",
    "IPYTHONDIR": "ipython",
    "MPLCONFIGDIR": "matplotlib",
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def scratch_env(scratch: Path) -> dict[str, str]:
    """The environment of the app and its kernels: every per-user folder inside `scratch`."""
    env = dict(os.environ)
    for name, sub in SCRATCH_FOLDERS.items():
        folder = scratch / sub
        folder.mkdir(parents=True, exist_ok=True)
        env[name] = str(folder)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env.pop("LWTOP_DEBUG", None)
    return env


class App:
    """The app on notebook 01, in `scratch`; `stop()` ends it and any kernel it left."""

    def __init__(self, scratch: Path) -> None:
        self.scratch = scratch
        self.tmp = scratch / "tmp"  # the app's and its kernels' TMPDIR
        port = free_port()
        self.log = scratch.parent / f"voila-{port}.log"
        with self.log.open("wb") as output:
            self.process = subprocess.Popen(
                [*SERVE, str(NOTEBOOK), "--no-browser", f"--port={port}", "--Voila.ip=127.0.0.1"],
                cwd=REPO,  # voila.json (template, culling, websocket limit) is read from here
                env=scratch_env(scratch),
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # a group of its own: stopped together
            )
        self.base = f"http://127.0.0.1:{port}"
        self._wait_ready()

    def _wait_ready(self) -> None:
        """Until Voila serves its static files (a GET of `/` would start a kernel)."""
        deadline = time.monotonic() + READY_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"Voila stopte meteen:\n{self.log_tail()}")
            try:
                url = f"{self.base}/voila/static/voila.js"
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                time.sleep(0.2)
        pytest.fail(f"Voila kwam niet op in {READY_SECONDS} s:\n{self.log_tail()}")

    def log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-3000:]

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
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        for pid in kernels_of(self.scratch):  # a kernel runs in a session of its own
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)


@contextlib.contextmanager
def running_app(scratch: Path) -> Iterator[App]:
    app = App(scratch)
    try:
        yield app
    finally:
        app.stop()


def kernels_of(scratch: Path) -> list[int]:
    """The pids of the kernels started for the app in `scratch` (found by their folder)."""
    found = []
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            command = (entry / "cmdline").read_bytes().decode(errors="replace")
        except OSError:
            continue
        if str(scratch) in command and "ipykernel" in command:
            found.append(int(entry.name))
    return found


def need_chromium() -> None:
    """Chromium is there; Playwright's checks wait as long as its actions (a busy machine)."""
    if not CHROMIUM.exists():
        pytest.fail(
            "chromium ontbreekt (/usr/bin/chromium): `make test` installeert het als root; "
            "installeer anders zelf: sudo apt-get install chromium"
        )
    from playwright.sync_api import expect

    expect.set_options(timeout=WAIT_MS)


@contextlib.contextmanager
def launched_chromium() -> Iterator[Any]:
    """Debian's chromium, headless, through Playwright; closed afterwards."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


def open_page(
    browser: Any,
    app: App,
    window: dict[str, int],
    requested: list[str] | None = None,
    init_script: str | None = None,
) -> Any:
    """A new tab on the app (downloads kept); every URL it requests appended to `requested`;
    `init_script` run before the page's own."""
    page = browser.new_page(viewport=window, accept_downloads=True)
    if requested is not None:
        page.on("request", lambda request: requested.append(request.url))
    if init_script is not None:
        page.add_init_script(init_script)
    page.set_default_timeout(WAIT_MS)
    page.goto(app.base + "/", timeout=WAIT_MS)
    return page


def wait_until(condition: Any, seconds: float, what: str) -> None:
    """Until `condition()` holds; a failure naming `what` after `seconds`."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"{what}: not within {seconds} s")
        time.sleep(1)


def artefacts(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("LWTOP_ARTEFACTS") or tmp_path / "artefacts")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def download(page: Any, link: Any, folder: Path) -> Path:
    """Click a download link and keep the file the browser receives (in a folder of its own)."""
    with page.expect_download() as started:
        link.click()
    target = folder / f"download-{len(list(folder.glob('download-*')))}"
    target.mkdir()
    saved = target / started.value.suggested_filename
    started.value.save_as(saved)
    return saved


def choose_files(page: Any, css: str, files: list[Path]) -> None:
    """Pick `files` through the page's own file input (the upload button `css`)."""
    with page.expect_file_chooser() as chooser:
        page.locator(css).click()
    chooser.value.set_files([str(path) for path in files])


def foreign(urls: list[str]) -> list[str]:
    """The requested URLs that leave this computer (not 127.0.0.1, data: or blob:)."""
    return [
        url
        for url in urls
        if urlsplit(url).scheme not in ("data", "blob") and urlsplit(url).hostname != "127.0.0.1"
    ]
