"""What the coordinator takes away: step 1's outputs for the chosen LAS, and step 2's workbook.

Every file is offered as a download link that carries the file itself (a data: URL); it is
made in the session's private temporary folder, never beside the notebook.

Step 1 depends on the LAS's action (`las.ACTIONS`). `STEP_1_OUTPUTS` names, per action, the
boxes the step shows; a later output (a worklist for `per_student` and `bulk`, the check after
1 August for `none`) is one more box class and one more entry there.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from pathlib import Path

import ipywidgets as widgets

from lwtop_toolkit import findings as fd
from lwtop_toolkit.las import catalogue as las
from lwtop_toolkit.runtime.files import zip_bytes
from lwtop_toolkit.ui.busy import BUNDLE_WINDOWS, Meter, long_step
from lwtop_toolkit.ui.common import (
    StatusLine,
    data_link,
    guarded,
    heading,
    html_table,
    severity_counts,
)
from lwtop_toolkit.ui.session import Session
from lwtop_toolkit.ui.views import FINDING_HEADERS, ONE_SOURCE_HEADERS, finding_rows
from lwtop_toolkit.ui.wording import APP, STAFF_STEP
from lwtop_toolkit.writers.parts import SchoolBundle

BUNDLE_STATES = {"written": "gemaakt", "unchanged": "gemaakt", "refused": "NIET gemaakt"}
# What a bundle holds, counted as its manifest counts them (`rows`), shown per school.
BUNDLE_COUNTED = ("leerlingen", "groepen", "medewerkers")


class BundleBox(widgets.VBox):
    """A button that writes the upload bundle, and the download link of each school's bundle."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.button = widgets.Button(
            description="Uploadbundel maken",
            button_style="primary",
            icon="file-archive-o",
            layout=widgets.Layout(width="240px"),
        )
        self.button.add_class("lwtop-bundle")
        self.force = widgets.Checkbox(
            value=False,
            description="Ook maken als er fouten zijn (dit wordt in de bundel vastgelegd)",
            indent=False,
            layout=widgets.Layout(width="auto"),
        )
        self.status = StatusLine()
        self.result = widgets.HTML()
        self.result.add_class("lwtop-bundle-result")
        self.button.on_click(
            long_step(
                self.button, self.status, "De uploadbundel maken", self._write, BUNDLE_WINDOWS
            )
        )
        session.on("bundle", self._show)
        session.on("data", self._clear)
        super().__init__(
            [
                heading("De uploadbundel"),
                widgets.HTML(
                    "<p>Een zip-bestand per school met groepen.csv, leerlingen.csv en "
                    f"medewerkers.csv (en de koppelingen uit stap {STAFF_STEP}, als u die hebt "
                    "ingelezen), de bevindingen, de auditwerkmap en een manifest.</p>"
                ),
                widgets.HBox([self.button, self.force]),
                self.status,
                self.result,
            ]
        )

    def _write(self, meter: Meter) -> None:
        meter.progress("De uploadbundel maken: de gegevens per school klaarzetten", 0.05)
        run = self.session.write_bundle(force=self.force.value)
        if run.refused:
            self.status.error("Niet elke bundel is gemaakt: los eerst de fouten hieronder op.")
        else:
            self.status.done("De uploadbundel is klaar: download hem hieronder.")

    def _show(self) -> None:
        # a new bundle (also one made in step 6) ends what the line said of the one before
        self.status.show("")
        self.result.value = bundle_html(self.session)

    def _clear(self) -> None:
        self.result.value = ""
        self.status.show("")


def bundle_html(session: Session) -> str:
    """Per school the outcome, its counts, and the download link (or the errors that stopped it)."""
    run = session.bundle_run
    if run is None:
        return ""
    parts = [all_bundles_link(run.bundles, run.overview)] if len(run.bundles) > 1 else []
    for bundle in run.bundles:
        state = BUNDLE_STATES[bundle.status]
        rows = bundle.manifest.get("rows", {})
        links = rows.get("medewerker_groepen")
        extra = f", met {fd.rows_of('medewerker_groepen', links)}" if links is not None else ""
        counted = ", ".join(
            f"<span class='lwtop-count' data-key='{name}'>{fd.rows_of(name, rows[name])}</span>"
            for name in BUNDLE_COUNTED
            if name in rows
        )
        parts.append(
            f"<p class='lwtop-bundle-school' data-school='{html.escape(bundle.school)}'>"
            f"<b>School {html.escape(bundle.school)}</b>: {state}{extra}"
            + (f" ({counted})" if counted else "")
            + f" — {severity_counts(bundle.findings)}</p>"
        )
        held = bundle.hold if bundle.hold is not None and bundle.hold.held else None
        if held is not None:  # the hold first: the export itself looks partial
            gone = f"; groepen verdwenen: {held.groups_text()}" if held.vanished else ""
            parts.append(
                f"<p class='lwtop-held' style='color:#b00020'><b>Vastgehouden</b>: "
                f"{html.escape(held.leaving_text() + gone)}. "
                "Lijkt de export van het nieuwe jaar onvolledig?</p>"
            )
        if bundle.status == "refused":
            parts.append(
                html_table(finding_rows(bundle.open_errors, session), FINDING_HEADERS)
                + "<p>Los deze fouten op en lees de gegevens opnieuw in. Alleen als u zeker "
                "weet dat het zo goed is: vink 'Ook maken als er fouten zijn' aan.</p>"
            )
        else:
            if bundle.manifest.get("forced"):
                codes = ", ".join(bundle.manifest.get("open_error_codes", []))
                overridden = " en met de aantallen van de vastgehouden export" if held else ""
                parts.append(
                    f"<p style='color:#b00020'>Gemaakt terwijl er fouten openstaan ({codes}); "
                    f"dat staat in het manifest{overridden}.</p>"
                )
            parts.append(data_link(bundle.path.read_bytes(), bundle.path.name))
    if run.overview is not None:
        parts.append(
            data_link(run.overview.read_bytes(), run.overview.name, "overzicht van alle scholen")
        )
    if run.overview_withheld:
        parts.append(f"<p>{html.escape(run.no_overview_text())}</p>")
    return "".join(parts)


def all_bundles_link(bundles: Sequence[SchoolBundle], overview: Path | None) -> str:
    """A board's bundles (those made) and its overview in one zip, as one download link; each
    school's link follows below it (the bundles are zips already: stored, not packed again)."""
    made = [bundle.path for bundle in bundles if bundle.status != "refused"]
    if not made:
        return ""
    entries = {path.name: path.read_bytes() for path in made}
    if overview is not None:
        entries[overview.name] = overview.read_bytes()
    year = str(next(iter(b.manifest.get("schooljaar", "") for b in bundles if b.manifest), ""))
    name = f"lwtop-bundels-{year or 'nieuw-schooljaar'}.zip"
    label = f"alle {fd.count_of(len(made), 'bundel')} in één zip-bestand"
    return f"<p class='lwtop-all-bundles'>{data_link(zip_bytes(entries), name, label)}</p>"


class AuditBox(widgets.VBox):
    """A button that makes the audit workbook (`overgang.xlsx`) and its download link."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.button = widgets.Button(
            description="Auditwerkmap maken",
            icon="table",
            layout=widgets.Layout(width="240px"),
        )
        self.button.add_class("lwtop-audit")
        self.status = StatusLine()
        self.result = widgets.HTML()
        self.button.on_click(
            long_step(self.button, self.status, "De auditwerkmap maken", self._write)
        )
        session.on("data", self._clear)
        super().__init__(
            [
                heading("De auditwerkmap"),
                widgets.HTML(
                    "<p>Een Excel-werkmap met elke leerling van beide jaren, de groepen, de "
                    "doorstroom en alle bevindingen: om na te lopen en te bewaren.</p>"
                ),
                self.button,
                self.status,
                self.result,
            ]
        )

    def _write(self, meter: Meter) -> None:
        name, data = self.session.audit_workbook(meter.progress)
        self.result.value = data_link(data, name)
        self.status.done("De auditwerkmap is klaar.")

    def _clear(self) -> None:
        self.result.value = ""
        self.status.show("")


# What step 1 shows per action of the LAS catalogue, and what it says about it.
STEP_1_OUTPUTS: dict[str, tuple[Callable[[Session], widgets.Widget], ...]] = {
    "file_import": (BundleBox, AuditBox),
    "none": (AuditBox, BundleBox),
    "per_student": (AuditBox, BundleBox),
    "bulk": (AuditBox, BundleBox),
}
NO_LAS_OUTPUTS = (BundleBox, AuditBox)
STEP_1_INTROS = {
    "file_import": "U importeert drie nieuwe bestanden in Leerwinst/TOP dossier: groepen, "
    "leerlingen en medewerkers. De uploadbundel bevat ze, gecontroleerd.",
    "none": "U hoeft niets te uploaden: na 1 augustus neemt de koppeling de nieuwe groepen "
    "over. Bewaar de auditwerkmap: daarmee controleert u na 1 augustus of alles is overgekomen.",
    "per_student": "U zet de leerlingen in het LAS per stuk klaar en haalt ze op in Leerwinst/TOP "
    "dossier. De werklijst hieronder zegt per leerling in welke nieuwe groep hij hoort: vink er "
    "af wat klaargezet en opgehaald is, en lees haar weer in om te zien wat nog open staat.",
    "bulk": "U zet de leerlingen in het LAS in bulk klaar en haalt ze op in Leerwinst/TOP "
    "dossier. De werklijst hieronder zegt per groep wie er hoort: vink er af wat klaargezet en "
    "opgehaald is, en lees haar weer in om te zien wat nog open staat.",
}
NO_LAS_INTRO = (
    "Kies in stap 1 uw LAS. U kunt hieronder alvast de uploadbundel en de auditwerkmap maken."
)


class Step1Panel(widgets.VBox):
    """Step 1's outputs for the chosen LAS: the intro of its action and its boxes."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.intro = widgets.HTML()
        self.boxes: dict[Callable[[Session], widgets.Widget], widgets.Widget] = {}
        self.outputs = widgets.VBox()
        session.on("las", self._arrange)
        super().__init__([self.intro, self.outputs])
        self._arrange()

    def box(self, kind: Callable[[Session], widgets.Widget]) -> widgets.Widget:
        """The box of `kind`, made once (so that its state survives a change of LAS)."""
        if kind not in self.boxes:
            self.boxes[kind] = kind(self.session)
        return self.boxes[kind]

    def _arrange(self) -> None:
        entry = self.session.las
        kinds = STEP_1_OUTPUTS[entry.action] if entry else NO_LAS_OUTPUTS
        intro = STEP_1_INTROS[entry.action] if entry else NO_LAS_INTRO
        self.intro.value = f"<p>{html.escape(intro)}</p>"
        self.outputs.children = [self.box(kind) for kind in kinds]


class StaffPanel(widgets.VBox):
    """Step 2: the pre-filled staff workbook, reading it back, and its links into the bundle."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.make = widgets.Button(
            description="Werkmap medewerkers maken",
            icon="users",
            layout=widgets.Layout(width="240px"),
        )
        self.make.add_class("lwtop-staff-sheet")
        self.sheet_link = widgets.HTML()
        self.upload = widgets.FileUpload(
            accept=".xlsx", multiple=False, description="Ingevulde werkmap"
        )
        self.upload.layout = widgets.Layout(width="220px")
        self.upload.add_class("lwtop-staff-upload")
        self.read = widgets.Button(description="Werkmap inlezen", icon="check")
        self.read.add_class("lwtop-staff-read")
        self.findings = widgets.HTML()
        self.findings.add_class("lwtop-staff-findings")
        self.add = widgets.Button(
            description="Koppelingen toevoegen aan de bundel",
            button_style="primary",
            icon="link",
            disabled=True,
            layout=widgets.Layout(width="300px"),
        )
        self.add.add_class("lwtop-staff-add")
        self.bundle = widgets.HTML()
        self.bundle.add_class("lwtop-staff-bundle")
        self.status = StatusLine()
        self.make.on_click(
            long_step(self.make, self.status, "De werkmap medewerkers maken", self._make)
        )
        self.read.on_click(guarded(self.status, self._read))
        self.add.on_click(
            long_step(self.add, self.status, "De uploadbundel maken", self._add, BUNDLE_WINDOWS)
        )
        session.on("data", self._clear)
        session.on("bundle", self._bundle_made)
        super().__init__(
            [
                widgets.HTML(
                    f"<p>{html.escape(las.step_2(APP))}</p><ol><li>Maak de werkmap: per nieuwe "
                    "stamgroep staan de leerkrachten van vorig jaar of een voorstel al "
                    "ingevuld.</li><li>Laat haar nakijken en aanvullen (alleen medewerkers met "
                    "de rol TOP leerkracht of TOP leerkracht +).</li><li>Kies de ingevulde "
                    "werkmap en lees haar in.</li><li>Voeg de koppelingen toe aan de "
                    "uploadbundel.</li></ol>"
                ),
                widgets.HBox([self.make, self.sheet_link]),
                widgets.HBox([self.upload, self.read]),
                self.findings,
                self.add,
                self.status,
                self.bundle,
            ]
        )

    def _make(self, meter: Meter) -> None:
        name, data = self.session.staff_workbook(meter.progress)
        self.sheet_link.value = data_link(data, name)
        self.status.done(
            "De werkmap is klaar: download haar, laat haar invullen en kies haar hierna."
        )

    def _read(self) -> None:
        self.status.progress("De werkmap inlezen en controleren", 0.3)
        findings = self.session.read_staff_workbook(self.upload.value)
        links = self.session.links
        count = 0 if links is None else len(links)
        groups = 0 if links is None else links["groep_id"].nunique()
        self.findings.value = (
            f"<p><b class='lwtop-count' data-key='links'>{count}</b> koppelingen aan {groups} "
            f"groepen. Bevindingen: {severity_counts(findings)}</p>"
            + html_table(finding_rows(findings, self.session), ONE_SOURCE_HEADERS)
        )
        self.add.disabled = False
        if fd.has_errors(findings):
            self.status.error(
                "De werkmap heeft fouten: verbeter ze in de werkmap en lees haar opnieuw in."
            )
        else:
            self.status.done("Werkmap ingelezen. Voeg de koppelingen toe aan de bundel.")

    def _add(self, meter: Meter) -> None:
        meter.progress("De uploadbundel opnieuw maken, met de koppelingen", 0.05)
        run = self.session.write_bundle()
        self.bundle.value = bundle_html(self.session)
        if run.refused:
            self.status.error("De bundel is niet gemaakt: los eerst de fouten op.")
        else:
            self.status.done("De koppelingen staan in de uploadbundel: download hem hieronder.")

    def _bundle_made(self) -> None:
        """A new bundle (also one of step 5): its links here, and no line about the one before."""
        self.status.show("")
        if self.bundle.value:
            self.bundle.value = bundle_html(self.session)

    def _clear(self) -> None:
        for view in (self.sheet_link, self.findings, self.bundle):
            view.value = ""
        self.add.disabled = True
        self.status.show("")
