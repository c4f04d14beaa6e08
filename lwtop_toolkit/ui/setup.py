"""The first two panels: the school's LAS (what it must do, and from when), and the data."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Mapping

import ipywidgets as widgets

from lwtop_toolkit import findings as fd
from lwtop_toolkit.check.loading import Loaded
from lwtop_toolkit.las import catalogue as las
from lwtop_toolkit.model import SchoolYear
from lwtop_toolkit.plan.rollover import FIRST_CODES, new_school_year
from lwtop_toolkit.readers import READERS
from lwtop_toolkit.readers.school_settings import article_links
from lwtop_toolkit.ui.common import StatusLine, guarded, run_safely, short_paths
from lwtop_toolkit.ui.session import Session
from lwtop_toolkit.ui.uploads import ACCEPT, REFUSED_BY_READER
from lwtop_toolkit.ui.wording import APP

CHOOSE = "— kies uw LAS —"
UPLOAD, SAMPLE = "Eigen bestanden", "Voorbeeldgegevens (om te oefenen)"
# What a year 1-6 of the exports is: recognised from the data, or chosen (`--sector`).
SECTOR_CHOICES = [
    ("automatisch (herkend aan de gegevens)", ""),
    ("PO (basisonderwijs)", "po"),
    ("SO (speciaal onderwijs)", "so"),
    ("VO (voortgezet onderwijs)", "vo"),
    ("MBO", "mbo"),
]
SECTOR_HELP = (
    "Meestal herkent de toolkit zelf of leerjaar 1 t/m 6 basisonderwijs is of voortgezet "
    "onderwijs of mbo. Lukt dat niet, dan zegt de controle het: kies dan hier de onderwijssoort."
)
UPLOAD_HELP = (
    "Kies per schooljaar alle bestanden van de export in één keer (CSV, Excel, EDEX.XML of een "
    "zip-bestand). De bestanden staan alleen op deze computer, in een tijdelijke map van dit "
    "venster. Sluit, herlaad of verlaat u het venster, dan worden ze binnen een minuut "
    "verwijderd."
)
WIDE = widgets.Layout(width="auto", max_width="640px")  # a choice as wide as its text
# The upload dialog also shows the files a reader refuses with a clear line of its own (an
# OpenDocument spreadsheet: save it as .xlsx), so that a coordinator can pick and read why.
DIALOG_ACCEPT = ",".join([ACCEPT, *REFUSED_BY_READER])


class LasPanel(widgets.VBox):
    """A drop-down of the LAS catalogue, with what the school must do and the 1 August rule."""

    def __init__(self, session: Session) -> None:
        options = [(CHOOSE, "")] + [
            (f"{entry.name} ({entry.sector})", code) for code, entry in las.CATALOGUE.items()
        ]
        self.session = session
        self.choice = widgets.Dropdown(
            options=options, value=session.las_code, description="LAS:", layout=WIDE
        )
        self.choice.add_class("lwtop-las")
        self.info = widgets.HTML()
        self.status = StatusLine()
        self.choice.observe(self._chosen, names="value")
        session.on("las", self._show)
        session.on("data", self._show)
        super().__init__([self.choice, self.info, self.status])
        self._show()

    def _chosen(self, change: dict[str, str]) -> None:
        self.status.show("")

        def choose() -> None:
            if self.session.set_las(change["new"], self.status.progress):
                name = self.session.las.name if self.session.las else "geen LAS"
                self.status.done(
                    f"De gegevens zijn opnieuw ingelezen en gecontroleerd voor {name}."
                )

        if not run_safely(self.status, choose):
            self.choice.unobserve(self._chosen, names="value")
            self.choice.value = self.session.las_code  # the LAS the data shown were read for
            self.choice.observe(self._chosen, names="value")

    def _show(self) -> None:
        run_safely(self.status, lambda: setattr(self.info, "value", las_text(self.session)))


def instruction_html(
    entry: las.Las, year: SchoolYear | None, articles: Mapping[str, str]
) -> list[str]:
    """The LAS's instruction as HTML: its sentence, its steps as a numbered list (the
    toolkit's own steps named as the app does them, `wording.APP`), and a link to the article
    `lwtop.toml` names for it (`[artikelen]`, beside the new export)."""
    first = entry.instruction_lines(year)[0]
    parts = [f"<p>{html.escape(first)}</p>"]
    if entry.steps(APP):
        items = "".join(f"<li>{html.escape(step)}</li>" for step in entry.steps(APP))
        parts.append(f"<ol class='lwtop-steps'>{items}</ol>")
    url = entry.article(articles)
    if url:
        link = f"<a href='{html.escape(url)}' target='_blank' rel='noopener'>{html.escape(url)}</a>"
        parts.append(f"<p>{las.ARTICLE_LINE.format(las=html.escape(entry.name), url=link)}</p>")
    return parts


def las_text(session: Session, today: dt.date | None = None) -> str:
    """The action of the chosen LAS, the takeover date and step 2, as HTML."""
    entry = session.las
    if entry is None:
        return (
            "<p>Kies het leerlingadministratiesysteem (LAS) van uw school. Dan ziet u wat u bij "
            "de overgang moet doen.</p>"
        )
    plan = session.plan
    # The year the transition is to, from both exports: not the new export's own year when it
    # did not roll over (it still names last year) or when old and new were swapped.
    year = new_school_year((plan.schooljaar_oud, plan.schooljaar_nieuw)) if plan else None
    lines = [
        f"<p><b>{html.escape(entry.name)}</b> — actie bij de overgang: "
        f"<b class='lwtop-action' data-action='{entry.action}'>"
        f"{html.escape(las.ACTION_LABELS[entry.action])}</b></p>",
        *instruction_html(entry, year, article_links(session.new.files if session.new else [])),
    ]
    if year is None:
        lines.append(
            "<p>De koppeling neemt de nieuwe groepen over vanaf <b>1 augustus</b> van het nieuwe "
            "schooljaar. Een export van vóór die datum kan de nieuwe groepen nog missen.</p>"
        )
    else:
        takeover = las.takeover_date(entry, year)
        today = today or dt.date.today()
        when = f"{takeover.day} augustus {takeover.year}"
        if today < takeover:
            state = (
                f"Dat is nog niet gebeurd (vandaag is het {today:%d-%m-%Y}): controleer dat de "
                "export van het nieuwe jaar de nieuwe groepen al bevat."
            )
        else:
            state = f"Die datum is voorbij (vandaag is het {today:%d-%m-%Y})."
        lines.append(
            f"<p>De koppeling neemt de groepen van schooljaar {html.escape(str(year))} over "
            f"vanaf <b>{when}</b>. {html.escape(state)}</p>"
        )
    lines.append(f"<p>{html.escape(las.step_2(APP))}</p>")
    return "".join(lines)


class UploadPanel(widgets.VBox):
    """Upload both years (or choose the sample data), then read, check and plan them."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.mode = widgets.ToggleButtons(
            options=[UPLOAD, SAMPLE], value=UPLOAD, description="Gegevens:"
        )
        self.mode.style.button_width = "260px"
        self.old_upload = widgets.FileUpload(
            accept=DIALOG_ACCEPT, multiple=True, description="Vorig schooljaar"
        )
        self.new_upload = widgets.FileUpload(
            accept=DIALOG_ACCEPT, multiple=True, description="Nieuw schooljaar"
        )
        self.old_names, self.new_names = widgets.HTML(), widgets.HTML()
        for upload, names, css in (
            (self.old_upload, self.old_names, "lwtop-upload-old"),
            (self.new_upload, self.new_names, "lwtop-upload-new"),
        ):
            upload.layout = widgets.Layout(width="220px")
            upload.add_class(css)
            upload.observe(lambda _, u=upload, n=names: self._chosen(u, n), names="value")
            _show_names(upload, names)
        self.uploads = widgets.VBox(
            [
                widgets.HTML(f"<p>{html.escape(UPLOAD_HELP)}</p>"),
                widgets.HBox([self.old_upload, self.old_names]),
                widgets.HBox([self.new_upload, self.new_names]),
            ]
        )
        self.sample = widgets.Dropdown(
            options=list(session.samples), description="Voorbeeld:", layout=WIDE
        )
        self.samples = widgets.VBox([self.sample], layout=widgets.Layout(display="none"))
        self.sector = widgets.Dropdown(
            options=SECTOR_CHOICES,
            value=session.sector,
            description="Onderwijssoort:",
            style={"description_width": "initial"},
            layout=WIDE,
            tooltip=SECTOR_HELP,
        )
        self.sector.add_class("lwtop-sector")
        self.sector.observe(lambda change: session.set_sector(change["new"]), names="value")
        self.button = widgets.Button(
            description="Inlezen en controleren",
            button_style="primary",
            icon="check",
            layout=widgets.Layout(width="240px"),
        )
        self.button.add_class("lwtop-load")
        self.status = StatusLine()
        self.result = widgets.HTML()
        self.mode.observe(self._switch, names="value")
        self.button.on_click(guarded(self.status, self._read))
        parts = [self.mode, self.uploads, self.samples, self.sector, self.button, self.status]
        super().__init__([*parts, self.result])

    def _chosen(self, upload: widgets.FileUpload, names: widgets.HTML) -> None:
        """Files chosen: show their names; a line about the files chosen before is stale."""
        _show_names(upload, names)
        self.status.show("")

    def _switch(self, _: object = None) -> None:
        own = self.mode.value == UPLOAD
        self.uploads.layout.display = "" if own else "none"
        self.samples.layout.display = "none" if own else ""

    def _read(self) -> None:
        self.button.disabled = True
        self.result.value = ""
        self.status.show("")
        try:
            if self.mode.value == UPLOAD:
                self.session.load_uploads(
                    self.old_upload.value, self.new_upload.value, self.status.progress
                )
            else:
                self.session.load_sample(self.sample.value, self.status.progress)
        finally:
            self.button.disabled = False
        self.result.value = loaded_text(self.session)
        found = self.session.findings()
        errors = fd.counts(found)["error"]
        first = found[found["code"].isin(FIRST_CODES)]
        if not first.empty:  # old and new swapped, or the LAS did not roll over: nothing holds
            self.status.error(
                "Ingelezen, maar zo klopt het niet: " + short_paths(str(first["message"].iloc[0]))
            )
        elif self.session.held():  # the one error that comes before every other
            self.status.error(
                "Ingelezen, maar de export van het nieuwe jaar lijkt onvolledig: veel leerlingen "
                "van vorig jaar ontbreken. Zie de melding bovenaan de controle hieronder."
            )
        elif errors:
            self.status.done(
                f"Ingelezen, maar met {errors} {'fout' if errors == 1 else 'fouten'}: zie de "
                "controle hieronder."
            )
        else:
            self.status.done("Ingelezen. Bekijk hieronder de controle en de nieuwe groepsindeling.")


def _show_names(upload: widgets.FileUpload, target: widgets.HTML) -> None:
    chosen = [str(item["name"]) for item in upload.value]
    target.value = (
        f"<span style='margin-left:8px'>{html.escape(', '.join(chosen))}</span>"
        if chosen
        else "<span style='margin-left:8px;color:#777'>nog niets gekozen</span>"
    )


def loaded_text(session: Session) -> str:
    """What was read: per year the format, school year and row counts."""
    lines = []
    for title, loaded in (("Vorig schooljaar", session.old), ("Nieuw schooljaar", session.new)):
        if loaded is not None:
            lines.append(f"<li><b>{title}</b>: {html.escape(_describe(loaded))}</li>")
    source = f"<p style='color:#555'>{html.escape(session.source)}</p>" if session.source else ""
    return f"<ul>{''.join(lines)}</ul>{source}"


def _describe(loaded: Loaded) -> str:
    reader = READERS.get(loaded.format)
    year = loaded.tables.schooljaar()
    counts = loaded.tables.row_counts()
    tables = ("leerlingen", "groepen", "medewerkers")
    return (
        f"{reader.label if reader else loaded.format}, schooljaar {year or 'onbekend'}: "
        + ", ".join(fd.rows_of(name, counts[name]) for name in tables)
    )
