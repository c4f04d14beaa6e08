"""The app unpacks an uploaded zip by the rule every command uses (readers/files/archives.py),
with the zip's folders kept: a board's zip holds a folder per school, each with its own
`groepen.csv`, and was refused ("twee bestanden met de naam 'groepen.csv'") when its files were
all written into one folder."""

from __future__ import annotations

from pathlib import Path

from panels_harness import upload, zip_of

from lwtop_toolkit import load, ui
from lwtop_toolkit.cli.main import main


def test_a_board_zip_of_school_folders_reads_as_the_board(tmp_path: Path) -> None:
    board = tmp_path / "bestuur"
    assert main(["sample", "--scale", "800", "--geen-edexml", "--out", str(board), "--quiet"]) == 0
    session = ui.Session()
    try:
        session.load_uploads(
            upload(("vorig.zip", zip_of(board / "2025-2026"))),
            upload(("nieuw.zip", zip_of(board / "2026-2027"))),
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
