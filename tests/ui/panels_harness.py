"""What the tests that drive notebook 01's panels in Python share: an upload as the browser sends
it, the numbers and the downloads a panel's HTML shows, a folder zipped as a coordinator zips it,
and the panels over one session. Not a test module itself."""

from __future__ import annotations

import base64
import datetime as dt
import io
import re
import zipfile
from pathlib import Path
from typing import Any

from lwtop_toolkit import ui
from lwtop_toolkit.ui.setup import SAMPLE

UPLOADED_AT = dt.datetime(2026, 8, 20, 9, 30)


def upload(*files: Path | tuple[str, bytes]) -> tuple[dict[str, Any], ...]:
    """A `FileUpload.value` as the browser sends it: files on disk or (name, bytes)."""
    items = []
    for item in files:
        name, data = (item.name, item.read_bytes()) if isinstance(item, Path) else item
        items.append(
            {
                "name": name,
                "type": "",
                "size": len(data),
                "content": memoryview(data),
                "last_modified": UPLOADED_AT,
            }
        )
    return tuple(items)


def counts(html: str) -> dict[str, int]:
    """The numbers marked `data-key` in a panel's HTML."""
    found = re.findall(r"data-key='([\w-]+)'[^>]*>(?:<b>)?(\d+)", html)
    return {key: int(value) for key, value in found}


def linked(html: str) -> dict[str, bytes]:
    """The files behind the download links (data: URLs) in a panel's HTML, by name."""
    links = re.findall(r"download='([^']+)' href='data:[^;]+;base64,([^']+)'", html)
    return {name: base64.b64decode(data) for name, data in links}


def zip_of(folder: Path) -> bytes:
    """`folder` zipped with itself at the top, as a coordinator zips it (Windows' 'Gecomprimeerde
    map'): a board's folder holds a folder per school."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            archive.write(path, path.relative_to(folder.parent).as_posix())
    return buffer.getvalue()


class Panels:
    """The panels of notebook 01 for steps 1-6 over one session (a test adds what it needs)."""

    def __init__(self) -> None:
        self.session = ui.Session()
        self.las = ui.LasPanel(self.session)
        self.upload = ui.UploadPanel(self.session)
        self.findings = ui.FindingsPanel(self.session)
        self.preview = ui.PreviewPanel(self.session)
        self.step1 = ui.Step1Panel(self.session)
        self.staff = ui.StaffPanel(self.session)

    def read(self, old: tuple[dict[str, Any], ...], new: tuple[dict[str, Any], ...]) -> None:
        """Both years uploaded, then 'Inlezen'."""
        self.upload.old_upload.value = old
        self.upload.new_upload.value = new
        self.upload.button.click()

    def sample(self, label: str) -> None:
        """The sample data `label` instead of uploads, then 'Inlezen'."""
        self.upload.mode.value = SAMPLE
        self.upload.sample.value = label
        self.upload.button.click()
