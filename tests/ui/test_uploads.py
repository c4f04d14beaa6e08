"""The app unpacks an uploaded zip by the rule every command uses (readers/files/archives.py),
with the zip's folders kept: a board's zip holds a folder per school, each with its own
`groepen.csv`, and was refused ("twee bestanden met de naam 'groepen.csv'") when its files were
all written into one folder."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any

from lwtop_toolkit import load, ui
from lwtop_toolkit.cli.main import main


def _zip_of(folder: Path) -> bytes:
    """`folder` zipped with itself at the top, as a coordinator zips it."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            archive.write(path, path.relative_to(folder.parent).as_posix())
    return buffer.getvalue()


def _upload(name: str, data: bytes) -> tuple[dict[str, Any], ...]:
    """A `FileUpload.value` as the browser sends it."""
    stamp = dt.datetime(2026, 8, 20, 9, 30)
    return ({"name": name, "type": "", "size": len(data), "content": memoryview(data),
             "last_modified": stamp},)  # fmt: skip


def test_a_board_zip_of_school_folders_reads_as_the_board(tmp_path: Path) -> None:
    board = tmp_path / "bestuur"
    assert main(["sample", "--scale", "800", "--geen-edexml", "--out", str(board), "--quiet"]) == 0
    session = ui.Session()
    try:
        session.load_uploads(
            _upload("vorig.zip", _zip_of(board / "2025-2026")),
            _upload("nieuw.zip", _zip_of(board / "2026-2027")),
        )
        assert session.new is not None and session.old is not None
        for loaded, year in ((session.old, "2025-2026"), (session.new, "2026-2027")):
            folder = load([board / year])
            assert loaded.tables.row_counts() == folder.tables.row_counts()
            assert sorted(loaded.tables.groepen["brin"].unique()) == sorted(
                folder.tables.groepen["brin"].unique()
            )
            assert len(loaded.tables.groepen["brin"].unique()) == 2  # two schools
            # each school's files in the school's own folder, inside the session's folder
            assert {path.parent.name for path in loaded.files} == {
                path.parent.name for path in folder.files
            }
            assert all(path.is_relative_to(session.root) for path in loaded.files)
    finally:
        session.close()
