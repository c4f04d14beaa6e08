"""A file beside an export that its reader does not take is named, never skipped without a word:
a staff list saved as .ods beside a pupil list, a JSON file beside an EDEXML file."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from conftest import SAMPLE_DATA

from lwtop_toolkit import load
from lwtop_toolkit.cli.main import main

PUPILS = (
    "Leerlingnummer;Achternaam;Roepnaam;Geboortedatum;Geslacht;Groep;Jaargroep\n"
    "1001;Smit;Fleur;10-02-2020;V;3A;3\n"
    "1002;Boer;Sem;01-07-2020;M;3A;3\n"
)


def _ods(path: Path) -> None:
    """An OpenDocument spreadsheet as LibreOffice saves one (its mimetype first)."""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")


@pytest.mark.produces("file-not-read")
def test_a_staff_list_saved_as_ods_beside_the_pupil_list_is_named(tmp_path: Path) -> None:
    (tmp_path / "leerlingen.csv").write_text(PUPILS, encoding="utf-8")
    _ods(tmp_path / "personeel.ods")
    (tmp_path / "lwtop.toml").write_text('brin = "99ZZ"\nschooljaar = "2026-2027"\n')
    (tmp_path / "~$leerlingen.csv").write_text("lock")  # Excel's lock file: not part of it
    loaded = load([tmp_path])
    assert len(loaded.tables.leerlingen) == 2
    named = loaded.findings[loaded.findings["code"].eq("file-not-read")]
    assert named["file"].map(lambda file: Path(file).name).tolist() == ["personeel.ods"]
    assert "ODS" in named["message"].iloc[0] or "OpenDocument" in named["message"].iloc[0]


def test_a_json_file_beside_an_edexml_export_is_named_in_lwtop_validate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = tmp_path / "2026-2027"
    shutil.copytree(SAMPLE_DATA / "parnassys" / "2026-2027", export)
    (export / "leerkrachten.json").write_text('[{"naam": "Jansen"}]', encoding="utf-8")
    status = main(["validate", str(export)])
    out = capsys.readouterr().out
    assert status == 0  # a warning: the export itself reads
    assert "leerkrachten.json" in out
    assert "1 waarschuwing" in out or "1 waarschuwingen" in out


def test_a_file_given_by_name_is_read_or_refused_not_named_as_left_out(tmp_path: Path) -> None:
    pupils = tmp_path / "leerlingen.csv"
    pupils.write_text(PUPILS, encoding="utf-8")
    _ods(tmp_path / "personeel.ods")
    (tmp_path / "lwtop.toml").write_text('brin = "99ZZ"\nschooljaar = "2026-2027"\n')
    loaded = load([pupils])
    assert not loaded.findings["code"].eq("file-not-read").any()
