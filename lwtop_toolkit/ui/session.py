"""One guided transition in a notebook: the LAS, both years, the plan and what was made of them.

The panels share one `Session`. It holds no rules: it calls the package (`load`,
`plan_transition`, the writers) and tells the panels when something changed. Uploaded files
and written outputs live in a private temporary folder that is removed when the session ends.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from lwtop_toolkit import findings as fd
from lwtop_toolkit import flows
from lwtop_toolkit.check.loading import Loaded
from lwtop_toolkit.las import catalogue as las
from lwtop_toolkit.plan.hold import SchoolHold
from lwtop_toolkit.plan.transition import TransitionPlan
from lwtop_toolkit.readers import sector as sectors
from lwtop_toolkit.runtime.private import PrivateFolder
from lwtop_toolkit.samples.shipped import shipped_sample_data
from lwtop_toolkit.ui.common import PRIVATE_FOLDERS, Notice, short_paths
from lwtop_toolkit.ui.uploads import one_workbook, save_uploads, upload_items
from lwtop_toolkit.ui.wording import APP, STAFF_STEP

Progress = Callable[[str, float], None]
# What a panel can listen to: the LAS was chosen, data was loaded, a bundle was written, the
# staff links were read.
EVENTS = ("las", "data", "bundle", "links")
# Where a finding comes from, as the findings view labels it.
SOURCES = {
    "old": "vorig jaar",
    "new": "nieuw jaar",
    "plan": "overgang",
    "links": "werkmap medewerkers",
}
# The shipped sample sets: a folder of `sample_data/` (with `2025-2026/` and `2026-2027/`) and
# how the choice reads. The import files of the PO sample school sit at the top.
SAMPLE_LABELS = {
    "": "Voorbeeldschool PO (importbestanden)",
    "parnassys": "Voorbeeldschool PO (ParnasSys, EDEX.XML)",
    "esis": "Voorbeeldschool PO (ESIS, EDEX.XML)",
    "schooloas": "Voorbeeldschool PO (SchoolOAS)",
    "magister": "Voorbeeldschool VO (Magister)",
    "somtoday": "Voorbeeldschool VO (Somtoday)",
    "eduarte": "Voorbeeldschool MBO (Eduarte)",
}
SAMPLE_YEARS = ("2025-2026", "2026-2027")
# A staff workbook that is not of these data: refused whole, with the app's advice.
OTHER_WORKBOOK = ("staff-sheet-other-school-year", "staff-sheet-not-ours", "staff-sheet-no-school")


@dataclass(frozen=True)
class SampleSet:
    """Two years of a shipped sample school."""

    label: str
    old: Path
    new: Path


def sample_sets(root: Path | None = None) -> dict[str, SampleSet]:
    """The shipped sample schools that have both years, by label."""
    root = root or shipped_sample_data()
    found: dict[str, SampleSet] = {}
    for folder, label in SAMPLE_LABELS.items():
        base = root / folder if folder else root
        old, new = (base / year for year in SAMPLE_YEARS)
        if old.is_dir() and new.is_dir():
            found[label] = SampleSet(label, old, new)
    return found


class Session:
    """The state of one guided transition, shared by the panels of the notebook."""

    def __init__(self, sample_root: Path | None = None) -> None:
        self.las_code = ""
        self.sector = ""  # po, so, vo, mbo; "" lets the data decide (readers/sector.py)
        self.old: Loaded | None = None
        self.new: Loaded | None = None
        self.plan: TransitionPlan | None = None
        self.transition: flows.Transition | None = None
        self.source = ""
        self.inputs: tuple[list[Path], list[Path]] | None = None  # what was read, to re-read
        self.links: pd.DataFrame | None = None
        self.link_findings = fd.empty_findings()
        self.links_file: Path | None = None  # the workbook they were read from (the manifest)
        self.bundle_run: Any = None  # writers.bundle.BundleRun, imported when first written
        self.samples = sample_sets(sample_root)
        self._tmp = PrivateFolder()  # gone with the session, its kernel, or a signal
        self.root = self._tmp.path
        self._folders: dict[str, Path] = {}
        self._listeners: dict[str, list[Callable[[], object]]] = {event: [] for event in EVENTS}
        PRIVATE_FOLDERS.update({str(self.root), str(sample_root or shipped_sample_data())})

    # --- events ---------------------------------------------------------------------------------

    def on(self, event: str, callback: Callable[[], object]) -> None:
        """Call `callback` after `event` (one of EVENTS)."""
        self._listeners[event].append(callback)

    def _notify(self, event: str) -> None:
        for callback in self._listeners[event]:
            callback()

    # --- the LAS ----------------------------------------------------------------------------------

    @property
    def las(self) -> las.Las | None:
        return las.get(self.las_code) if self.las_code else None

    def set_las(self, code: str, progress: Progress | None = None) -> bool:
        """Choose the school's LAS by catalogue code ("" for none). With data read already the
        years are read again with the new LAS's reader and advice (True), so that no panel
        keeps the other LAS's data."""
        if code:
            las.get(code)  # a Dutch ToolkitError for an unknown code
        previous, self.las_code = self.las_code, code
        self._notify("las")
        if self.inputs is None or code == previous:
            return False
        try:
            self.load_paths(*self.inputs, progress, source=self.source)
        except BaseException:
            self.las_code = previous  # the data read stays the previous LAS's: say so, keep it
            self._notify("las")
            raise
        return True

    def set_sector(self, sector: str) -> None:
        """Choose what a year 1-6 of the exports is (po, so, vo, mbo; "" for: the data says)."""
        self.sector = sectors.chosen_sector(sector)

    # --- loading ----------------------------------------------------------------------------------

    @contextmanager
    def folders(self, *kinds: str) -> Iterator[list[Path]]:
        """Fresh private folders for `kinds`; they replace the previous ones of those kinds
        only when the block succeeds (a failed step leaves the last good files in place)."""
        made = [Path(tempfile.mkdtemp(prefix=f"{kind}-", dir=self.root)) for kind in kinds]
        try:
            yield made
        except BaseException:
            for folder in made:
                shutil.rmtree(folder, ignore_errors=True)
            raise
        self._drop(*kinds)
        self._folders.update(zip(kinds, made, strict=True))

    def _drop(self, *kinds: str) -> None:
        for kind in kinds:
            previous = self._folders.pop(kind, None)
            if previous is not None:
                shutil.rmtree(previous, ignore_errors=True)

    def load_uploads(
        self,
        old: Iterable[Mapping[str, Any]],
        new: Iterable[Mapping[str, Any]],
        progress: Progress | None = None,
    ) -> TransitionPlan:
        """Load last year's and the new year's uploaded files (`FileUpload.value`s)."""
        old_items, new_items = upload_items(old), upload_items(new)
        if not old_items or not new_items:
            missing = "vorig schooljaar" if not old_items else "het nieuwe schooljaar"
            raise Notice(f"Kies eerst de bestanden van {missing}.")
        _tell(progress, "Bestanden uitpakken", 0.05)
        names = ", ".join(name for name, _ in [*old_items, *new_items])
        with self.folders("vorig-jaar", "nieuw-jaar") as (old_folder, new_folder):
            old_files = save_uploads(old_items, old_folder)
            new_files = save_uploads(new_items, new_folder)
            return self.load_paths(old_files, new_files, progress, source=f"geüpload: {names}")

    def load_sample(self, label: str, progress: Progress | None = None) -> TransitionPlan:
        """Load a shipped sample school (a label of `samples`)."""
        if label not in self.samples:
            raise Notice(f"De voorbeeldgegevens '{label}' bestaan niet.")
        chosen = self.samples[label]
        plan = self.load_paths([chosen.old], [chosen.new], progress, source=label)
        self._drop("vorig-jaar", "nieuw-jaar")  # the uploads read before
        return plan

    def load_paths(
        self,
        old: Sequence[Path],
        new: Sequence[Path],
        progress: Progress | None = None,
        *,
        source: str = "",
    ) -> TransitionPlan:
        """Read and validate both years (with the LAS's reader when a LAS is chosen), then plan."""
        _tell(progress, "Vorig schooljaar inlezen en controleren", 0.15)
        sector = self.sector or None
        old_loaded = flows.load_one(old, None, self.las_code or None, sector=sector)
        _tell(progress, "Nieuw schooljaar inlezen en controleren", 0.45)
        new_loaded = flows.load_one(new, None, self.las_code or None, sector=sector)
        _tell(progress, "De overgang berekenen", 0.75)
        years = flows.Years(old_loaded, new_loaded, las_code=self.las_code or None)
        self.transition = flows.plan_years(years)
        plan = self.transition.plan
        self.old, self.new, self.plan, self.source = old_loaded, new_loaded, plan, source
        self.inputs = (list(old), list(new))
        self.links, self.link_findings, self.bundle_run = None, fd.empty_findings(), None
        self.links_file = None
        self._drop("bundel", "werkmap")
        _tell(progress, "Het overzicht tonen", 0.9)
        self._notify("data")
        return plan

    def require(self) -> tuple[Loaded, Loaded, TransitionPlan]:
        """Both years and the plan; a Dutch Notice when nothing was read yet."""
        if self.old is None or self.new is None or self.plan is None:
            raise Notice("Lees eerst de gegevens in (stap 2).")
        return self.old, self.new, self.plan

    def held(self) -> list[SchoolHold]:
        """The schools whose new export the plan holds as partial (plan/hold.py): shown first."""
        hold = self.transition.hold if self.transition is not None else None
        return hold.held if hold is not None else []

    def findings(self) -> pd.DataFrame:
        """Every finding so far, each once, with `bron` saying where it comes from."""
        parts = []
        for key, frame in (
            ("old", self.old.findings if self.old else None),
            ("new", self.new.findings if self.new else None),
            ("plan", self.plan.findings if self.plan else None),
            ("links", self.link_findings),
        ):
            if frame is not None and not frame.empty:
                parts.append(frame.assign(bron=SOURCES[key]))
        if not parts:
            return fd.empty_findings().assign(bron=pd.Series(dtype="str"))
        combined = pd.concat(parts, ignore_index=True).drop_duplicates(flows.FINDING_KEY)
        return fd.sort(combined)

    # --- outputs ------------------------------------------------------------------------------

    def write_bundle(self, *, force: bool = False) -> Any:
        """The upload bundle(s) in a private folder, with the staff links when they were read."""
        old, new, _ = self.require()
        given = self.links is not None or not self.link_findings.empty
        links = (self.links, self.link_findings) if given else None
        options = flows.BundleOptions(las_code=self.las_code, force=force)
        with self.folders("bundel") as (folder,):
            years = flows.Years(old, new)
            self.bundle_run = flows.bundle(
                years, folder, options, read_links=links, links_source=self.links_file
            )
        self._notify("bundle")
        return self.bundle_run

    def audit_workbook(self, progress: Progress | None = None) -> tuple[str, bytes]:
        """The audit workbook (`overgang.xlsx`) of the plan, with every finding."""
        from lwtop_toolkit.writers.audit import AUDIT_NAME, audit_workbook_bytes

        _, _, plan = self.require()
        _tell(progress, "De bevindingen verzamelen", 0.1)
        everything = self.findings().drop(columns="bron")
        _tell(progress, "De werkmap schrijven: elke leerling, groep en bevinding", 0.3)
        return AUDIT_NAME, audit_workbook_bytes(plan, everything)

    def flow_png(self, school: str | None = None) -> bytes:
        """The flow picture of one school as PNG bytes."""
        from lwtop_toolkit.writers.flow import flow_figure, picture_bytes

        _, _, plan = self.require()
        return picture_bytes(flow_figure(plan, school), "png")

    def staff_workbook(self, progress: Progress | None = None) -> tuple[str, bytes]:
        """The pre-filled staff–group workbook of step 2, and a file name for it."""
        from lwtop_toolkit.sheets.staff_write import staff_sheet_bytes
        from lwtop_toolkit.steps.staffing import suggest_staff

        old, new, _ = self.require()
        year = new.tables.schooljaar()
        name = f"toewijzing-medewerkers-{year or 'nieuw-schooljaar'}.xlsx"
        _tell(progress, "Per nieuwe groep de leerkrachten voorstellen", 0.1)
        suggested = suggest_staff(old.tables, new.tables)
        _tell(progress, "De werkmap schrijven", 0.5)
        return name, staff_sheet_bytes(suggested, APP)

    def read_staff_workbook(self, upload: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
        """Read the filled workbook (a `FileUpload.value`) as `lwtop staff-links` does
        (`flows.read_filled_sheet`); keep its links, return its findings."""
        _, new, _ = self.require()
        items = one_workbook(upload, "werkmap")
        name = items[0][0]
        with self.folders("werkmap") as (folder,):
            (path,) = save_uploads(items, folder)
            filled = flows.read_filled_sheet(path, new, ways=APP)
        wrong = filled.findings[filled.findings["code"].isin(OTHER_WORKBOOK)]
        if not wrong.empty:  # not this school's workbook of this year: nothing of it is kept
            title = fd.CATALOGUE[str(wrong["code"].iloc[0])].title
            raise Notice(
                f"{title}: '{name}' is niet de werkmap van deze gegevens. "
                + short_paths(str(wrong["message"].iloc[0])).split(". ")[0]
                + f". Kies de werkmap die u in stap {STAFF_STEP} voor deze school en dit "
                "schooljaar maakte, of maak een nieuwe met 'Werkmap medewerkers maken'."
            )
        self.links, self.link_findings, self.links_file = filled.links, filled.findings, path
        self._notify("links")
        return self.link_findings

    def close(self) -> None:
        """Remove the private folder with every uploaded and written file."""
        self._tmp.cleanup()


def _tell(progress: Progress | None, text: str, fraction: float) -> None:
    if progress is not None:
        progress(text, fraction)
