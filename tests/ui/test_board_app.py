"""The guided app with a board of three schools, driven in Python as a coordinator clicks through
it: the exports uploaded as a zip of school folders, every step without an unexpected error, the
school choice, the board's picture, the counts of the bundles, one zip of all bundles; and each
long step shows its progress and cannot be clicked twice."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import SAMPLE_DATA
from panels_harness import Panels, counts, linked, upload, zip_of

from lwtop_toolkit import ui
from lwtop_toolkit.cli.main import main
from lwtop_toolkit.ui.common import TABLE_STYLE
from lwtop_toolkit.ui.setup import SAMPLE

UNEXPECTED = "onverwachts"
SCHOOLS = 3


def _texts(widget: Any) -> str:
    """Every text a panel shows now (its HTML values, its status lines), as one string."""
    value = getattr(widget, "value", None)
    own = value if isinstance(value, str) else ""
    return own + "".join(_texts(child) for child in getattr(widget, "children", ()))


@pytest.fixture(scope="module")
def board(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A board of three schools, a folder per school in each year."""
    folder = tmp_path_factory.mktemp("board") / "bestuur"
    args = ["sample", "--scale", "1600", "--geen-edexml", "--out", str(folder), "--quiet"]
    assert main(args) == 0
    assert len(list((folder / "2026-2027").iterdir())) == SCHOOLS
    return folder


class Flow(Panels):
    """The panels of notebook 01 over one session."""

    def __init__(self) -> None:
        super().__init__()
        self.panels = [self.las, self.upload, self.findings, self.preview, self.step1, self.staff]

    def read_board(self, board: Path) -> None:
        self.upload.old_upload.value = upload(("vorig.zip", zip_of(board / "2025-2026")))
        self.upload.new_upload.value = upload(("nieuw.zip", zip_of(board / "2026-2027")))
        self.upload.button.click()

    def unexpected(self) -> list[str]:
        """The panels that show an unexpected error."""
        return [type(p).__name__ for p in self.panels if UNEXPECTED in _texts(p)]


@pytest.fixture
def flow() -> Iterator[Flow]:
    made = Flow()
    yield made
    made.session.close()


def test_a_board_goes_through_every_step(flow: Flow, board: Path, tmp_path: Path) -> None:
    flow.las.choice.value = "somtoday"
    flow.read_board(board)
    assert "lwtop-done" in flow.upload.status.text.value, flow.upload.status.text.value
    assert flow.unexpected() == [], [_texts(p) for p in flow.panels if UNEXPECTED in _texts(p)]

    # step 4: the tabs are there, the board's overview first, then each school
    preview = flow.preview
    assert preview.tabs.layout.display == "", preview.status.text.value
    schools = flow.session.plan.schools()  # type: ignore[union-attr]
    assert len(schools) == SCHOOLS
    assert preview.school.layout.display == ""
    assert [value for _, value in preview.school.options] == ["", *schools]
    assert preview.school.value == ""  # chosen, not None
    overview = preview.picture.value
    assert overview[:8] == b"\x89PNG\r\n\x1a\n"
    assert "<th>School</th>" in preview.groups.value
    for school in schools:
        assert f"<td>{school}</td>" in preview.groups.value
    preview.school.value = schools[1]
    assert preview.picture.value[:8] == b"\x89PNG\r\n\x1a\n" and preview.picture.value != overview
    assert "<th>School</th>" not in preview.groups.value
    assert f"<td>{schools[0]}</td>" not in preview.groups.value
    assert "1A" in preview.groups.value
    preview.school.value = ""
    assert preview.picture.value == overview
    preview.search.value = "an"
    assert "gevonden" in preview.found.value
    assert "lwtop-error" not in preview.status.text.value

    # step 5: a bundle per school, their counts those of the preview, and one zip of all
    bundle = flow.step1.box(ui.BundleBox)
    bundle.button.click()
    assert "lwtop-done" in bundle.status.text.value, bundle.status.text.value
    run = flow.session.bundle_run
    assert len(run.bundles) == SCHOOLS
    shown = counts(preview.summary.value)
    for item in run.bundles:
        (school,) = item.plan.schools()  # BRIN and vestiging, as the preview names it
        pupils = item.manifest["rows"]["leerlingen"]
        assert shown[f"pupils-new-{school}"] == pupils
        assert f"data-school='{item.school}'" in bundle.result.value
    assert shown["pupils-new"] == sum(item.manifest["rows"]["leerlingen"] for item in run.bundles)
    files = linked(bundle.result.value)
    (all_name,) = [name for name in files if name.startswith("lwtop-bundels-")]
    assert all_name == "lwtop-bundels-2026-2027.zip"
    with zipfile.ZipFile(io.BytesIO(files[all_name])) as archive:
        inside = {name: archive.read(name) for name in archive.namelist()}
    assert set(inside) == {item.path.name for item in run.bundles} | {"overzicht.xlsx"}
    for item in run.bundles:
        assert inside[item.path.name] == files[item.path.name] == item.path.read_bytes()
    with zipfile.ZipFile(io.BytesIO(inside[run.bundles[0].path.name])) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    assert manifest["las"] == "somtoday"

    audit = flow.step1.box(ui.AuditBox)
    audit.button.click()
    assert "overgang.xlsx" in linked(audit.result.value), audit.status.text.value

    # step 6: the staff workbook of the board, read back as made, its links into the bundles
    staff = flow.staff
    staff.make.click()
    ((name, data),) = linked(staff.sheet_link.value).items()
    filled = tmp_path / name
    filled.write_bytes(data)
    staff.upload.value = upload((name, data))
    staff.read.click()
    assert counts(staff.findings.value)["links"] > 0, staff.status.text.value
    staff.add.click()
    assert "lwtop-done" in staff.status.text.value, staff.status.text.value
    with_links = linked(staff.bundle.value)
    assert len([name for name in with_links if name.startswith("lwtop-bundels-")]) == 1
    assert flow.unexpected() == []


def test_each_long_step_disables_its_button_and_moves_its_bar(flow: Flow, board: Path) -> None:
    bundle = flow.step1.box(ui.BundleBox)
    bundle.button.click()  # nothing read yet: a Dutch line, and the button works again
    assert "Lees eerst de gegevens in" in bundle.status.text.value
    assert bundle.button.disabled is False
    flow.read_board(board)

    audit = flow.step1.box(ui.AuditBox)
    for button, status in (
        (bundle.button, bundle.status),
        (audit.button, audit.status),
        (flow.staff.make, flow.staff.status),
    ):
        seen: list[tuple[bool, int, str]] = []

        def heard(_: object, button: Any = button, status: Any = status, seen: Any = seen) -> None:
            seen.append((button.disabled, status.bar.value, status.text.value))

        status.bar.observe(heard, names="value")
        button.click()
        status.bar.unobserve(heard, names="value")
        assert "lwtop-done" in status.text.value, status.text.value
        assert button.disabled is False
        assert seen and all(disabled for disabled, _, _ in seen), seen
        values = [value for _, value, _ in seen]
        assert values == sorted(values) and len(set(values)) >= 2, values

    # the bundle of a board moves per school
    bundle_steps: list[str] = []
    bundle.status.bar.observe(lambda _: bundle_steps.append(bundle.status.text.value), "value")
    bundle.button.click()
    per_school = [text for text in bundle_steps if f"van {SCHOOLS})" in text]
    assert len(per_school) >= SCHOOLS, bundle_steps


def test_the_files_of_several_school_folders_say_to_upload_a_zip(flow: Flow, board: Path) -> None:
    year = board / "2025-2026"
    loose = [(path.name, path.read_bytes()) for path in sorted(year.glob("*/*.csv"))]
    flow.upload.old_upload.value = upload(*loose)
    flow.upload.new_upload.value = upload(("nieuw.zip", zip_of(board / "2026-2027")))
    flow.upload.button.click()
    text = flow.upload.status.text.value
    assert "lwtop-error" in text and "twee bestanden met de naam" not in text
    assert "meer dan één school" in text and "zip-bestand van de map" in text
    assert flow.session.plan is None


def test_the_users_words_in_the_tables(flow: Flow, tmp_path: Path) -> None:
    """Groups by their name, the pupil's number as the export names it, the search label whole,
    no inner scroll box that hides a group."""
    assert "max-height" not in TABLE_STYLE
    assert flow.preview.search.style.description_width == "initial"
    flow.las.choice.value = "magister"
    flow.upload.mode.value = SAMPLE
    flow.upload.sample.value = "Voorbeeldschool VO (Magister)"
    flow.upload.button.click()
    flow.preview.search.value = "an"
    assert "<th>Stamnummer</th>" in flow.preview.found.value
    assert "Leerlingnummer" not in flow.preview.found.value

    # the staff workbook's findings name a group as the school does (6B), not by its id
    flow.las.choice.value = ""
    flow.upload.sample.value = "Voorbeeldschool PO (importbestanden)"
    flow.upload.button.click()
    flow.staff.make.click()
    ((name, data),) = linked(flow.staff.sheet_link.value).items()
    filled = tmp_path / name
    filled.write_bytes(data)
    book = openpyxl.load_workbook(filled)
    sheet = book["Toewijzing"]
    headers = [cell.value for cell in sheet[1]]
    rows = {sheet.cell(row=n, column=1).value: n for n in range(2, sheet.max_row + 1)}
    sheet.cell(row=rows["G2026-6B"], column=headers.index("Leerkracht 1") + 1).value = "Juf X"
    book.save(filled)
    flow.staff.upload.value = upload((name, filled.read_bytes()))
    flow.staff.read.click()
    shown = flow.staff.findings.value
    assert "Juf X" in shown and "<td>5B</td>" in shown  # 5B has no teacher: a warning
    assert "Groep &#x27;5B&#x27; heeft geen leerkracht" in shown
    assert "G2026-" not in shown and "medewerker_id" not in shown
    # and the pupils' numbers are Leerlingnummers there
    flow.preview.search.value = "daan bos"
    assert "<th>Leerlingnummer</th>" in flow.preview.found.value
    assert (SAMPLE_DATA / "magister").is_dir()
