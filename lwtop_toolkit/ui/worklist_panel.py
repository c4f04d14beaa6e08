"""Step 5 for a LAS in which the school sets its pupils ready and fetches them (per pupil or in
bulk): the worklist made in the app, and the filled worklist read back (what is still open).

The same workbook as `lwtop worklist` (steps/worklist.py, sheets/worklist_write.py), with its
text naming the app's steps instead of the commands; read back as `lwtop worklist-status` does
(sheets/worklist_read.py).
"""

from __future__ import annotations

import html

import ipywidgets as widgets
import pandas as pd

from lwtop_toolkit import findings as fd
from lwtop_toolkit.las import catalogue as las
from lwtop_toolkit.readers.school_settings import article_links
from lwtop_toolkit.sheets.worklist_read import WorklistStatus, read_worklist
from lwtop_toolkit.sheets.worklist_write import worklist_bytes
from lwtop_toolkit.steps.worklist import WORKLIST_ACTIONS, build_worklist
from lwtop_toolkit.ui.common import (
    Notice,
    StatusLine,
    data_link,
    guarded,
    heading,
    html_table,
    severity_counts,
)
from lwtop_toolkit.ui.session import Session
from lwtop_toolkit.ui.uploads import one_workbook, save_uploads
from lwtop_toolkit.ui.wording import APP, LAS_STEP, PUPILS_STEP, VERIFY_STEP

# What a worklist read back counts, per kind of row, as the page says it.
KIND_LABELS = {"pupil": "Leerlingen", "group": "Groepen", "left": "Vertrokken"}
OPEN_HEADERS = {"omschrijving": "Wat", "nog_te_doen": "Nog te doen"}
SHOWN_OPEN = 50


def worklist_intro(session: Session) -> str:
    """What this step holds for the chosen LAS: the worklist, or why there is none."""
    entry = session.las
    if entry is None:
        return (
            f"<p>Kies in stap {LAS_STEP} uw LAS: dan ziet u hier of u een werklijst nodig hebt.</p>"
        )
    if entry.action not in WORKLIST_ACTIONS:
        return (
            f"<p>Voor {html.escape(entry.name)} is er geen werklijst: "
            f"{html.escape(las.ACTION_LABELS[entry.action])}. Controleer na de overgang in stap "
            f"{VERIFY_STEP} of alles is aangekomen.</p>"
        )
    return (
        f"<p>U zet de leerlingen in {html.escape(entry.name)} klaar en haalt ze op in "
        "Leerwinst/TOP dossier. De werklijst zegt per "
        f"{'groep' if entry.action == 'bulk' else 'leerling'} wat er klaargezet moet worden, om "
        "af te vinken. Lees haar daarna hier terug: dan ziet u wat nog openstaat.</p>"
    )


def make_worklist(session: Session) -> tuple[str, bytes]:
    """The worklist of the session's plan for its LAS, worded for the app, and its file name."""
    _, new, _ = session.require()
    entry = session.las
    if entry is None:
        raise Notice(f"Kies eerst uw LAS (stap {LAS_STEP}).")
    if entry.action not in WORKLIST_ACTIONS:
        raise Notice(f"Voor {entry.name} is er geen werklijst.")
    if session.transition is None:
        raise Notice("Lees eerst de gegevens in (stap 2).")
    made = build_worklist(
        session.transition.plan, new.tables, entry, articles=article_links(new.files)
    )
    name = f"werklijst-{entry.code}-{made.schooljaar or 'nieuw-schooljaar'}.xlsx"
    return name, worklist_bytes(made, APP)


def read_filled_worklist(session: Session, upload: object) -> WorklistStatus:
    """A filled worklist (a `FileUpload.value`) read back in the session's private folder."""
    items = one_workbook(upload, "werklijst")  # type: ignore[arg-type]
    with session.folders("werklijst") as (folder,):
        (path,) = save_uploads(items, folder)
        return read_worklist(path, APP)


def status_html(status: WorklistStatus) -> str:
    """Per kind how many rows and how many are still open, the open rows, the errors."""
    counts = status.counts()
    lines = "".join(
        f"<li>{label}: {counts[kind]}, nog open: <b class='lwtop-count' "
        f"data-key='{kind}-open'>{counts[kind + '_open']}</b></li>"
        for kind, label in KIND_LABELS.items()
        if kind in counts
    )
    parts = [f"<ul>{lines}</ul>"]
    if status.open.empty:
        parts.append(
            "<p class='lwtop-all-done' style='color:#1b5e20'>Alles is afgevinkt. Controleer nu in "
            f"stap {VERIFY_STEP} of alles ook echt is aangekomen in Leerwinst/TOP dossier.</p>"
        )
    else:
        count = len(status.open)
        parts.append(f"<p>Nog open: <b class='lwtop-count' data-key='open'>{count}</b></p>")
        parts.append(
            html_table(status.open, OPEN_HEADERS, limit=SHOWN_OPEN, more="zie de werklijst")
        )
    errors = status.findings[status.findings["severity"].eq("error")]
    if not errors.empty:
        rows = errors.assign(
            rij=errors["row"].map(lambda row: "" if pd.isna(row) else str(int(row)))
        )
        parts.append(
            f"<p style='color:#b00020'>Fouten in de werklijst: {severity_counts(errors)}</p>"
            + html_table(rows, {"rij": "Rij", "message": "Melding"})
        )
    return "".join(parts)


class WorklistPanel(widgets.VBox):
    """Make the worklist for the chosen LAS, and read the filled one back."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.intro = widgets.HTML()
        self.make = widgets.Button(
            description="Werklijst maken", icon="list", layout=widgets.Layout(width="240px")
        )
        self.make.add_class("lwtop-worklist")
        self.link = widgets.HTML()
        self.upload = widgets.FileUpload(
            accept=".xlsx", multiple=False, description="Ingevulde werklijst"
        )
        self.upload.layout = widgets.Layout(width="220px")
        self.upload.add_class("lwtop-worklist-upload")
        self.read = widgets.Button(description="Werklijst inlezen", icon="check")
        self.read.add_class("lwtop-worklist-read")
        self.result = widgets.HTML()
        self.result.add_class("lwtop-worklist-result")
        self.status = StatusLine()
        self.controls = widgets.VBox(
            [widgets.HBox([self.make, self.link]), widgets.HBox([self.upload, self.read])]
        )
        self.make.on_click(guarded(self.status, self._make))
        self.read.on_click(guarded(self.status, self._read))
        self.upload.observe(lambda _: self.status.show(""), names="value")
        session.on("las", self._arrange)
        session.on("data", self._clear)
        super().__init__(
            [heading("De werklijst"), self.intro, self.controls, self.status, self.result]
        )
        self._arrange()

    def _arrange(self) -> None:
        entry = self.session.las
        self.intro.value = worklist_intro(self.session)
        shown = entry is not None and entry.action in WORKLIST_ACTIONS
        self.controls.layout.display = "" if shown else "none"
        self._clear()

    def _make(self) -> None:
        self.status.progress("De werklijst maken", 0.3)
        name, data = make_worklist(self.session)
        self.link.value = data_link(data, name)
        self.status.done(
            "De werklijst is klaar: download haar, vink af wat klaargezet en opgehaald is, en "
            f"lees haar hierna terug (stap {PUPILS_STEP})."
        )

    def _read(self) -> None:
        self.status.progress("De werklijst inlezen", 0.3)
        self.result.value = ""
        status = read_filled_worklist(self.session, self.upload.value)
        self.result.value = status_html(status)
        if fd.has_errors(status.findings):
            self.status.error("De werklijst heeft fouten: zie hieronder.")
        elif status.open.empty:
            self.status.done("Alles is afgevinkt.")
        else:
            still = fd.count_of(len(status.open), "rij")
            self.status.done(f"Werklijst ingelezen: {still} nog open.")

    def _clear(self) -> None:
        self.link.value = ""
        self.result.value = ""
        self.status.show("")
