"""The guided flow's widgets, driven in Python as a coordinator would click through them."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
from conftest import SAMPLE_DATA, where
from panels_harness import Panels, counts, linked, upload

from lwtop_toolkit import load, ui
from lwtop_toolkit.ui.setup import SAMPLE, las_text

OLD, NEW = SAMPLE_DATA / "2025-2026", SAMPLE_DATA / "2026-2027"
PO_COUNTS = {
    "pupils-old": 248,
    "pupils-new": 247,
    "promoted": 213,
    "retained": 3,
    "accelerated": 1,
    "new": 30,
    "left-graduated": 26,
    "left-other": 5,
}


def csvs(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.csv"))


class Flow(Panels):
    """The six panels of notebook 01 over one session."""

    def box(self, kind: type) -> Any:
        return self.step1.box(kind)


@pytest.fixture
def flow() -> Any:
    made = Flow()
    yield made
    made.session.close()


def test_uploaded_import_files_give_the_preview_bundle_and_audit_workbook(flow: Flow) -> None:
    flow.las.choice.value = "somtoday"
    assert "data-action='file_import'" in flow.las.info.value
    flow.read(upload(*csvs(OLD)), upload(*csvs(NEW)))
    assert "lwtop-done" in flow.upload.status.text.value, flow.upload.status.text.value
    assert "247 leerlingen, 12 groepen, 20 medewerkers" in flow.upload.result.value
    assert "2026-2027 over vanaf <b>1 augustus 2026</b>" in flow.las.info.value

    summary = counts(flow.preview.summary.value)
    assert {key: summary[key] for key in PO_COUNTS} == PO_COUNTS
    assert "(<span style='color:#1b5e20'>klopt</span>)" in flow.preview.summary.value
    assert "<td>1/2A</td>" in flow.preview.groups.value
    assert "Groepen van vorig jaar zonder opvolger: 8" in flow.preview.groups.value
    assert flow.preview.picture.value[:8] == b"\x89PNG\r\n\x1a\n"
    assert counts(flow.preview.anomalies.value)["warning"] == 1
    assert "Sprong" in flow.preview.anomalies.value or "jaargroep" in flow.preview.anomalies.value
    flow.preview.search.value = "daan bos"
    assert "1 gevonden" in flow.preview.found.value and "132731" in flow.preview.found.value

    # the findings view: the plan's one warning, filterable
    assert counts(flow.findings.counts.value) == {"error": 0, "warning": 1, "info": 0}
    flow.findings.severity.value = "info"
    assert "(geen)" in flow.findings.view.value
    flow.findings.severity.value = "warning"
    assert (
        "leerlingen.csv" in flow.findings.view.value and "<td>148</td>" in flow.findings.view.value
    )

    bundle = flow.box(ui.BundleBox)
    bundle.button.click()
    assert "lwtop-done" in bundle.status.text.value, bundle.status.text.value
    (path,) = [item.path for item in flow.session.bundle_run.bundles]
    assert path.is_file() and path.is_relative_to(flow.session.root)
    files = linked(bundle.result.value)
    assert files == {"lwtop-99ZZ-2026-2027.zip": path.read_bytes()}
    _assert_valid_bundle(files["lwtop-99ZZ-2026-2027.zip"], path.parent, pupils=247)

    audit = flow.box(ui.AuditBox)
    audit.button.click()
    workbook = openpyxl.load_workbook(io.BytesIO(linked(audit.result.value)["overgang.xlsx"]))
    assert "Bevindingen" in workbook.sheetnames


def _assert_valid_bundle(data: bytes, folder: Path, *, pupils: int) -> None:
    """The zip holds the three import files, which read back without errors, and a manifest."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        unpacked = folder / "uitgepakt"
        unpacked.mkdir()
        for name in ("groepen.csv", "leerlingen.csv", "medewerkers.csv"):
            (unpacked / name).write_bytes(archive.read(name))
    assert manifest["schooljaar"] == "2026-2027" and manifest["forced"] is False
    assert manifest["rows"]["leerlingen"] == pupils
    assert {item["name"] for item in manifest["inputs"]} >= {"leerlingen.csv", "groepen.csv"}
    again = load([unpacked])
    assert not again.findings["severity"].eq("error").any()
    assert len(again.tables.leerlingen) == pupils


def test_staff_workbook_is_made_read_back_and_its_links_go_into_the_bundle(
    flow: Flow, tmp_path: Path
) -> None:
    flow.read(upload(*csvs(OLD)), upload(*csvs(NEW)))
    flow.staff.make.click()
    ((name, data),) = linked(flow.staff.sheet_link.value).items()
    assert name == "toewijzing-medewerkers-2026-2027.xlsx"
    filled = tmp_path / name
    filled.write_bytes(data)
    book = openpyxl.load_workbook(filled)
    sheet = book["Toewijzing"]
    rows = {sheet.cell(row=n, column=1).value: n for n in range(2, sheet.max_row + 1)}
    headers = [cell.value for cell in sheet[1]]
    column = headers.index("Leerkracht 1") + 1
    sheet.cell(row=rows["G2026-6B"], column=column).value = "Juf Onbekend"
    book.save(filled)

    flow.staff.upload.value = upload(filled)
    flow.staff.read.click()
    findings = flow.session.link_findings
    assert (name, rows["G2026-6B"], "Leerkracht 1", "staff-sheet-unknown-name") in where(findings)
    assert "Juf Onbekend" in flow.staff.findings.value
    links = counts(flow.staff.findings.value)["links"]
    assert links == len(flow.session.links) > 0
    # the unknown name is an error in the workbook: the bundle waits until it is fixed
    flow.staff.add.click()
    assert "NIET gemaakt" in flow.staff.bundle.value
    assert "lwtop-error" in flow.staff.status.text.value

    sheet.cell(row=rows["G2026-6B"], column=column).value = None
    book.save(filled)
    flow.staff.upload.value = upload(filled)
    flow.staff.read.click()
    flow.staff.add.click()
    files = linked(flow.staff.bundle.value)
    with zipfile.ZipFile(io.BytesIO(files["lwtop-99ZZ-2026-2027.zip"])) as archive:
        written = archive.read("medewerker_groepen.csv").decode("utf-8-sig").splitlines()
    assert len(written) == 1 + len(flow.session.links)
    # the bundle box of step 1 shows the same, newest bundle
    assert linked(flow.box(ui.BundleBox).result.value) == files


def test_a_zip_of_edexml_exports_is_unpacked(flow: Flow) -> None:
    flow.las.choice.value = "parnassys-gkv"
    zips = []
    for year in ("2025-2026", "2026-2027"):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.write(SAMPLE_DATA / "parnassys" / year / "EDEX.XML", f"export/{year}/EDEX.XML")
            archive.writestr("__MACOSX/export/._EDEX.XML", b"\x00")
            archive.writestr("lees-mij.pdf", b"%PDF")
        zips.append(upload((f"parnassys-{year}.zip", buffer.getvalue())))
    flow.read(*zips)
    assert "lwtop-done" in flow.upload.status.text.value, flow.upload.status.text.value
    summary = counts(flow.preview.summary.value)
    assert {key: summary[key] for key in PO_COUNTS} == PO_COUNTS
    assert "data-action='none'" in flow.las.info.value


@pytest.mark.parametrize(
    ("member", "said"),
    [
        ("../buiten.csv", "pad buiten de map"),
        ("/etc/buiten.csv", "pad buiten de map"),
        ("binnen/nog-een.zip", "zelf een zip-bestand"),
    ],
)
def test_a_zip_that_escapes_its_folder_is_refused(flow: Flow, member: str, said: str) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(member, "leerling_id;achternaam\n1;Jansen\n")
    flow.read(upload(*csvs(OLD)), upload(("export.zip", buffer.getvalue())))
    message = flow.upload.status.text.value
    assert "lwtop-error" in message and said in message and "export.zip" in message
    assert flow.session.plan is None
    assert not list(flow.session.root.parent.glob("buiten.csv"))


def test_errors_are_dutch_lines_in_the_page_never_a_traceback(flow: Flow) -> None:
    bundle = flow.box(ui.BundleBox)
    bundle.button.click()
    assert "Lees eerst de gegevens in" in bundle.status.text.value

    flow.upload.button.click()
    assert "Kies eerst de bestanden van vorig schooljaar" in flow.upload.status.text.value

    flow.read(upload(*csvs(OLD)), upload(("export.pdf", b"%PDF-1.4")))
    text = flow.upload.status.text.value
    assert "export.pdf" in text and "wordt niet ingelezen" in text
    assert "Traceback" not in text and str(flow.session.root) not in text

    flow.las.choice.value = "magister"
    edexml = SAMPLE_DATA / "parnassys"
    flow.read(upload(edexml / "2025-2026" / "EDEX.XML"), upload(edexml / "2026-2027" / "EDEX.XML"))
    text = flow.upload.status.text.value
    assert "geen lezer voor Magister herkent deze bestanden" in text
    assert str(flow.session.root) not in text

    # a broken upload (a bug of the browser side, say) is still a Dutch line
    broken = [{**item, "content": None} for item in upload(*csvs(OLD))]
    flow.read(tuple(broken), upload(*csvs(NEW)))
    assert "Er ging iets onverwachts mis (TypeError" in flow.upload.status.text.value
    assert flow.upload.button.disabled is False


def test_errors_in_the_new_year_refuse_the_bundle_until_forced(flow: Flow, tmp_path: Path) -> None:
    pupils = pd.read_csv(NEW / "leerlingen.csv", sep=";", dtype=str, keep_default_na=False)
    pupils.loc[4, "groep_id"] = "G-BESTAAT-NIET"
    broken = tmp_path / "leerlingen.csv"
    pupils.to_csv(broken, sep=";", index=False)
    new = [path for path in csvs(NEW) if path.name != "leerlingen.csv"] + [broken]
    flow.read(upload(*csvs(OLD)), upload(*new))
    assert ("leerlingen.csv", 6, "groep_id", "unknown-group") in where(flow.session.findings())
    flow.findings.severity.value = "error"
    assert "G-BESTAAT-NIET" in flow.findings.view.value and "<td>6</td>" in flow.findings.view.value
    assert "Er zijn fouten" in flow.findings.counts.value

    bundle = flow.box(ui.BundleBox)
    bundle.button.click()
    assert "NIET gemaakt" in bundle.result.value and "G-BESTAAT-NIET" in bundle.result.value
    assert not linked(bundle.result.value)
    bundle.force.value = True
    bundle.button.click()
    assert "Gemaakt terwijl er fouten openstaan (unknown-group)" in bundle.result.value
    (data,) = linked(bundle.result.value).values()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert json.loads(archive.read("manifest.json"))["forced"] is True


def test_sample_data_can_be_chosen_instead_of_uploads(flow: Flow) -> None:
    flow.upload.mode.value = SAMPLE
    assert flow.upload.uploads.layout.display == "none"
    flow.upload.sample.value = "Voorbeeldschool VO (Magister)"
    flow.upload.button.click()
    assert "lwtop-done" in flow.upload.status.text.value, flow.upload.status.text.value
    summary = counts(flow.preview.summary.value)
    assert (summary["pupils-old"], summary["pupils-new"], summary["new"]) == (244, 257, 63)
    assert "<th>Leerjaren</th>" in flow.preview.groups.value  # leerjaar 1-6, not 11-16
    assert "no_dossier" not in summary and "geen dossier" not in flow.preview.summary.value
    assert "Magister" in flow.upload.result.value
    assert set(flow.session.samples) >= {
        "Voorbeeldschool PO (importbestanden)",
        "Voorbeeldschool PO (ParnasSys, EDEX.XML)",
        "Voorbeeldschool MBO (Eduarte)",
    }


def test_the_las_panel_says_what_to_do_and_from_when(flow: Flow) -> None:
    assert "Kies het leerlingadministratiesysteem" in flow.las.info.value
    flow.las.choice.value = "esis-sbo-so-vso"
    assert "in bulk klaarzetten" in flow.las.info.value
    assert "vanaf <b>1 augustus</b> van het nieuwe schooljaar" in flow.las.info.value
    assert "TOP leerkracht +" in flow.las.info.value
    assert "in bulk" in flow.step1.intro.value
    flow.las.choice.value = "eduarte"
    flow.upload.mode.value = SAMPLE
    flow.upload.sample.value = "Voorbeeldschool MBO (Eduarte)"
    flow.upload.button.click()
    before = las_text(flow.session, today=dt.date(2026, 7, 15))
    after = las_text(flow.session, today=dt.date(2026, 8, 1))
    assert "vanaf <b>1 augustus 2026</b>" in before and "nog niet gebeurd" in before
    assert "Die datum is voorbij" in after
    assert [type(box) for box in flow.step1.outputs.children] == [ui.BundleBox, ui.AuditBox]


def test_uploads_stay_in_the_session_folder_and_go_with_it(flow: Flow) -> None:
    flow.read(upload(*csvs(OLD)), upload(*csvs(NEW)))
    root = flow.session.root
    read = [*flow.session.old.files, *flow.session.new.files]  # type: ignore[union-attr]
    assert read and all(path.is_relative_to(root) for path in read)
    flow.read(upload(*csvs(OLD)), upload(*csvs(NEW)))  # read again: the first copies are gone
    assert all(not path.exists() for path in read)
    assert len(list(root.iterdir())) == 2
    # a failed reading keeps the last good data and its files: the bundle can still be made
    flow.read(upload(*csvs(OLD)), upload(("export.zip", b"geen zip")))
    assert "dit is geen geldig zip-bestand" in flow.upload.status.text.value
    assert len(list(root.iterdir())) == 2
    bundle = flow.box(ui.BundleBox)
    bundle.button.click()
    assert "lwtop-99ZZ-2026-2027.zip" in linked(bundle.result.value)
    flow.upload.mode.value = SAMPLE
    flow.upload.button.click()  # the sample data replaces the uploads
    assert [path.name for path in root.iterdir()] == []
    flow.session.close()
    assert not root.exists()
