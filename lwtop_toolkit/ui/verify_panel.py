"""The last step: after the link, the fetch or the import, did everything arrive in Leerwinst/TOP
dossier? As `lwtop verify` (steps/arrival.py): what was expected is the upload bundle made in
the app (with the staff links of step 6), else the new year's export; what arrived is an export
from the dossier, uploaded here.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets

from lwtop_toolkit import findings as fd
from lwtop_toolkit import flows
from lwtop_toolkit.check.loading import Loaded
from lwtop_toolkit.steps.arrival import Arrival, verify_arrival
from lwtop_toolkit.ui.common import Notice, StatusLine, guarded, html_table, severity_counts
from lwtop_toolkit.ui.session import Session
from lwtop_toolkit.ui.uploads import save_uploads, upload_items
from lwtop_toolkit.ui.views import ONE_SOURCE_HEADERS, finding_rows
from lwtop_toolkit.ui.wording import APP, DATA_STEP, PUPILS_STEP

INTRO = (
    "Na de koppeling, het ophalen of de import: maak in Leerwinst/TOP dossier een export van de "
    "leerlingen, groepen en medewerkers, kies die hier en klik op Controleren. U ziet welke "
    "leerlingen, groepen en koppelingen ontbreken, en wie in een andere groep staat dan "
    f"verwacht. Verwacht wordt de uploadbundel uit stap {PUPILS_STEP} als u die hebt gemaakt, "
    "anders de export van het nieuwe jaar."
)
# The counts of a verification (steps/verify.py), as the page says them.
COUNT_LABELS = {
    "pupils_expected": "Verwachte leerlingen",
    "pupils_arrived": "Aangekomen",
    "pupils_wrong_group": "In een andere groep",
    "pupils_missing": "Ontbreken",
    "pupils_unexpected": "Niet verwacht",
    "groups_missing": "Groepen die ontbreken",
    "links_missing": "Koppelingen die ontbreken",
    "pupils_in_old_group": "Nog in de groep van vorig jaar",
}


def expected_of(session: Session) -> tuple[Loaded, str]:
    """What should have arrived: the bundle(s) made in the app when every one was made, else the
    new year's export; and how the page names it."""
    _, new, _ = session.require()
    run = session.bundle_run
    if run is not None and run.bundles and not run.refused:
        paths = [bundle.path for bundle in run.bundles]
        names = ", ".join(path.name for path in paths)
        return flows.load_expected(paths, None, session.las_code or None), f"de bundel {names}"
    return new, "de export van het nieuwe jaar"


def check_arrival(session: Session, upload: Any) -> tuple[Arrival, str]:
    """The uploaded export from the dossier beside what was expected."""
    items = upload_items(upload)
    if not items:
        raise Notice("Kies eerst de export uit Leerwinst/TOP dossier.")
    expected, what = expected_of(session)
    with session.folders("aangekomen") as (folder,):
        actual = save_uploads(items, folder)
        arrival = verify_arrival(
            expected, actual, old=session.old, las_code=session.las_code or None, ways=APP
        )
    return arrival, what


def arrival_html(arrival: Arrival, what: str) -> str:
    """The counts, the verdict and the findings of a verification."""
    counts = arrival.result.counts
    rows = "".join(
        f"<tr><td>{label}</td><td style='text-align:right'><b class='lwtop-count' "
        f"data-key='{key}'>{counts.get(key, 0)}</b></td></tr>"
        for key, label in COUNT_LABELS.items()
    )
    complete = not fd.has_errors(arrival.findings)
    verdict = (
        "<p class='lwtop-complete' style='color:#1b5e20'><b>Alles is aangekomen zoals "
        "verwacht.</b></p>"
        if complete
        else "<p class='lwtop-incomplete' style='color:#b00020'><b>Nog niet alles is "
        "aangekomen</b>: los de fouten hieronder op in het LAS of het dossier, maak een nieuwe "
        "export uit het dossier en controleer opnieuw.</p>"
    )
    reading = fd.counts(arrival.actual.findings)["error"]
    note = (
        f"<p>Let op: de export uit het dossier heeft {fd.count_of(reading, 'fout')} bij het "
        "inlezen; die tellen hier niet mee.</p>"
        if reading
        else ""
    )
    return (
        f"<p>Vergeleken met {html.escape(what)} (schooljaar "
        f"{html.escape(arrival.result.schooljaar or 'onbekend')}).</p>"
        f"<table class='lwtop-table lwtop-arrival'>{rows}</table>{verdict}{note}"
        f"<p>Bevindingen: {severity_counts(arrival.findings)}</p>"
        + html_table(finding_rows(arrival.findings), ONE_SOURCE_HEADERS)
    )


class VerifyPanel(widgets.VBox):
    """Upload the export from the dossier and see what did not arrive."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.upload = widgets.FileUpload(
            accept=".csv,.xlsx,.xml,.zip", multiple=True, description="Export uit het dossier"
        )
        self.upload.layout = widgets.Layout(width="240px")
        self.upload.add_class("lwtop-verify-upload")
        self.button = widgets.Button(
            description="Controleren", button_style="primary", icon="check"
        )
        self.button.add_class("lwtop-verify")
        self.status = StatusLine()
        self.result = widgets.HTML()
        self.result.add_class("lwtop-verify-result")
        self.button.on_click(guarded(self.status, self._check))
        self.upload.observe(lambda _: self.status.show(""), names="value")
        session.on("data", self._clear)
        super().__init__(
            [
                widgets.HTML(f"<p>{html.escape(INTRO)}</p>"),
                widgets.HBox([self.upload, self.button]),
                self.status,
                self.result,
            ]
        )

    def _check(self) -> None:
        self.result.value = ""
        if self.session.plan is None:
            raise Notice(f"Lees eerst de gegevens in (stap {DATA_STEP}).")
        self.status.progress("De export uit het dossier inlezen en vergelijken", 0.3)
        arrival, what = check_arrival(self.session, self.upload.value)
        self.result.value = arrival_html(arrival, what)
        if fd.has_errors(arrival.findings):
            self.status.error("Nog niet alles is aangekomen: zie hieronder.")
        else:
            self.status.done("Alles is aangekomen zoals verwacht.")

    def _clear(self) -> None:
        self.result.value = ""
        self.status.show("")
