"""The views of what was read: the findings (filterable) and the preview of the new year."""

from __future__ import annotations

import html
import re

import ipywidgets as widgets
import pandas as pd

from lwtop_toolkit import findings as fd
from lwtop_toolkit.board.moves import moves_note
from lwtop_toolkit.las.catalogue import pupil_number_word
from lwtop_toolkit.model import TABLE_LABELS, listed_years_shown, year_word, years_shown
from lwtop_toolkit.plan.anomalies import flag_titles
from lwtop_toolkit.plan.changes import shown_changes
from lwtop_toolkit.plan.frames import STATUS_EXPLAINED, status_labels
from lwtop_toolkit.plan.hold import ONE_YEAR, SchoolHold, side_by_side
from lwtop_toolkit.plan.transition import TransitionPlan
from lwtop_toolkit.ui.common import StatusLine, html_table, run_safely, severity_counts, short_paths
from lwtop_toolkit.ui.session import SOURCES, Session
from lwtop_toolkit.writers.flow import board_flow_figure, picture_bytes

WAITING = "<p style='color:#777'><i>Nog geen gegevens ingelezen (stap 2).</i></p>"
SEVERITY_CHOICES = [
    ("alle", ""),
    ("fouten", "error"),
    ("waarschuwingen", "warning"),
    ("ter info", "info"),
]
FINDING_HEADERS = {
    "ernst": "Ernst",
    "bron": "Waar",
    "bestand": "Bestand",
    "row": "Rij",
    "column": "Kolom",
    "value": "Waarde",
    "melding": "Melding",
}
# For findings of one source (the plan's anomalies, the staff workbook): no "Waar" column.
ONE_SOURCE_HEADERS = {key: title for key, title in FINDING_HEADERS.items() if key != "bron"}
GROUP_HEADERS = {
    "groepsnaam": "Groep",
    "jaargroepen": "Jaargroepen",
    "leerlingen": "Leerlingen",
    "uit_vorig_jaar": "Uit vorig jaar",
    "doublures": "Doublures",
    "nieuw": "Nieuw",
    "herkomst": "Herkomst",
    "bijzonderheden": "Bijzonderheden",
}
PUPIL_HEADERS = {
    "leerling_id": "Leerlingnummer",
    "naam": "Naam",
    "groep_oud": "Groep vorig jaar",
    "jaargroep_oud": "Jg",
    "groep_nieuw": "Groep nieuw jaar",
    "jaargroep_nieuw": "Jg ",
    "status_label": "Status",
    "bijzonderheden": "Bijzonderheden",
}
CHANGE_HEADERS = {
    "leerling_id": "Leerlingnummer",
    "naam": "Naam",
    "naam_oud": "Naam vorig jaar",
    "veld": "Veld",
    "vorig_jaar": "Vorig jaar",
    "nieuw_jaar": "Nieuw jaar",
}
# What the tab `Wijzigingen` says above the changed fields.
CHANGES_NOTE = (
    "Wat het LAS veranderde aan leerlingen die in beide jaren staan (naam, geboortedatum, "
    "geslacht, ECK-iD, opleiding, nummer). Een verbeterde spelling is gewoon een wijziging; "
    "een nummer dat nu bij een ander kind hoort, staat bij Bijzonderheden."
)
# The years' headers in the word of the years shown (`model.year_word`): a VO school reads its
# leerjaar 1-6 (the data keeps EDEXML's codes 11-16, DESIGN.md).
YEAR_HEADERS = {"groep": ("Jaargroepen", "Jg"), "leerjaar": ("Leerjaren", "Lj"),
                "groep/leerjaar": ("Jaargroepen/leerjaren", "Jg/lj")}  # fmt: skip
# The SO codes need a word of explanation.
CODE_LEGEND = "Jaargroep S is SO/SBO, V is VSO."
SEARCH_MIN = 2
SEARCH_LIMIT = 50
# A finding's column as a coordinator names it (the pupil's number: the export's word).
COLUMN_WORDS = {"groep_id": "Groep", "medewerker_id": "Medewerker"}
# A board's school choice: the overview of all its schools first, then each school.
ALL_SCHOOLS = "Alle scholen (overzicht)"


class FindingsPanel(widgets.VBox):
    """Counts per severity and a findings table, filterable by severity, table and year."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.counts = widgets.HTML(WAITING)
        self.severity = widgets.Dropdown(options=SEVERITY_CHOICES, description="Ernst:")
        self.table = widgets.Dropdown(options=[("alle tabellen", "")], description="Tabel:")
        self.source = widgets.Dropdown(
            options=[("alles", ""), *((label, label) for label in SOURCES.values())],
            description="Waar:",
        )
        self.view = widgets.HTML()
        self.status = StatusLine()
        for control in (self.severity, self.table, self.source):
            control.observe(lambda _: self._show(), names="value")
        session.on("data", self._refresh)
        session.on("links", self._refresh)
        filters = widgets.HBox([self.severity, self.table, self.source])
        super().__init__([self.counts, filters, self.view, self.status])

    def _refresh(self) -> None:
        def refresh() -> None:
            findings = self.session.findings()
            tables = sorted(set(findings["table"]))
            self.table.options = [("alle tabellen", "")] + [
                (TABLE_LABELS.get(name, name) or "(algemeen)", name or "-") for name in tables
            ]
            self.table.value = ""
            self.counts.value = (
                hold_html(self.session)
                + f"<p>Bevindingen: {severity_counts(findings)}</p>"
                + _advice(findings)
            )
            self._show()

        run_safely(self.status, refresh)

    def _show(self) -> None:
        run_safely(self.status, self._render)

    def _render(self) -> None:
        findings = self.session.findings()
        if self.severity.value:
            findings = findings[findings["severity"].eq(self.severity.value)]
        if self.table.value:
            wanted = "" if self.table.value == "-" else self.table.value
            findings = findings[findings["table"].eq(wanted)]
        if self.source.value:
            findings = findings[findings["bron"].eq(self.source.value)]
        self.view.value = html_table(
            finding_rows(findings, self.session),
            FINDING_HEADERS,
            more="alle staan in de auditwerkmap",
        )


def finding_rows(findings: pd.DataFrame, session: Session | None = None) -> pd.DataFrame:
    """Findings with Dutch severity, bare file names and messages without private folders; with
    the `session`, in the user's words: a group by its name (5B, not G2026-5B), the pupil's
    number by the export's word (`pupil_word`)."""
    names = group_names(session) if session is not None else {}
    word = pupil_word(session) if session is not None else ""
    return findings.assign(
        ernst=findings["severity"].map(fd.SEVERITY_LABELS),
        bestand=fd.source_names(findings["file"]),
        melding=findings["message"].map(lambda text: named(short_paths(str(text)), names)),
        value=findings["value"].map(lambda value: names.get(str(value), value)),
        column=findings["column"].replace(COLUMN_WORDS | ({"leerling_id": word} if word else {})),
        bron=findings.get("bron", ""),
    )


def group_names(session: Session) -> dict[str, str]:
    """Each group's id -> its name, where they differ (both years)."""
    names: dict[str, str] = {}
    for loaded in (session.old, session.new):
        if loaded is not None:
            groups = loaded.tables.groepen
            ids, shown = groups["groep_id"].astype(str), groups["groepsnaam"].astype(str)
            names.update(zip(ids, shown, strict=True))
    return {key: name for key, name in names.items() if key and name and key != name}


def named(text: str, names: dict[str, str]) -> str:
    """`text` with each quoted group id ('G2026-5B') as the group's name ('5B')."""
    if not names:
        return text
    return re.sub(r"'([^']+)'", lambda hit: f"'{names.get(hit[1], hit[1])}'", text)


def pupil_word(session: Session) -> str:
    """What the exports read call a pupil's number (`las.pupil_number_word`): Stamnummer for
    Magister, Leerlingnummer for most."""
    reader = session.new.format if session.new is not None else ""
    return pupil_number_word(session.las_code or None, reader)


def _advice(findings: pd.DataFrame) -> str:
    if fd.has_errors(findings):
        return (
            "<p style='color:#b00020'>Er zijn fouten. Los ze op in het LAS of in de export en lees "
            "de bestanden daarna opnieuw in; zolang er fouten in het nieuwe jaar staan, wordt "
            "de uploadbundel niet gemaakt.</p>"
        )
    warnings = fd.counts(findings)["warning"]
    if warnings:
        which = "de waarschuwing" if warnings == 1 else "de waarschuwingen"
        return f"<p>Geen fouten. Lees {which} wel even na.</p>"
    return "<p>Geen fouten en geen waarschuwingen.</p>"


class PreviewPanel(widgets.VBox):
    """The new year beside last year: counts, groups, the flow picture, anomalies, a search."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.summary = widgets.HTML(WAITING)
        self.summary.add_class("lwtop-summary")
        self.groups = widgets.HTML()
        self.school = widgets.Dropdown(
            description="School:", layout=widgets.Layout(display="none", width="auto")
        )
        self.school.add_class("lwtop-school")
        self.picture = widgets.Image(format="png", layout=widgets.Layout(max_width="900px"))
        self.flow = widgets.VBox([self.picture])
        self.flow.add_class("lwtop-flow")
        self.anomalies = widgets.HTML()
        self.changes = widgets.HTML()
        self.search = widgets.Text(
            placeholder="naam of nummer",
            description="Zoek leerling:",
            style={"description_width": "initial"},  # the whole label, not 'Zoek leerl…'
        )
        self.found = widgets.HTML()
        self.status = StatusLine()
        self.tabs = widgets.Tab(
            [
                self.groups,
                self.flow,
                self.anomalies,
                self.changes,
                widgets.VBox([self.search, self.found]),
            ]
        )
        for index, title in enumerate(
            ("Groepen", "Doorstroom", "Bijzonderheden", "Wijzigingen", "Leerling zoeken")
        ):
            self.tabs.set_title(index, title)
        self.tabs.layout.display = "none"
        self.search.observe(lambda _: run_safely(self.status, self._search), names="value")
        self.school.observe(self._school_chosen, names="value")
        session.on("data", lambda: run_safely(self.status, self._refresh))
        super().__init__([self.summary, self.school, self.tabs, self.status])

    def _refresh(self) -> None:
        _, _, plan = self.session.require()
        self.tabs.layout.display = "none"
        self.summary.value = summary_html(self.session)
        schools = plan.schools()
        several = len(schools) > 1
        options = [(ALL_SCHOOLS, ""), *((name, name) for name in schools)] if several else []
        self.school.unobserve(self._school_chosen, names="value")  # one picture, after
        self.school.options = options or [(name, name) for name in schools]
        # ipywidgets 8 leaves the value None after new options: set it, the overview first
        self.school.value = "" if several else (schools[0] if schools else None)
        self.school.observe(self._school_chosen, names="value")
        self.school.layout.display = "" if several else "none"
        anomalies = plan.findings
        self.anomalies.value = f"<p>{severity_counts(anomalies)}</p>" + html_table(
            finding_rows(anomalies, self.session), ONE_SOURCE_HEADERS
        )
        self.changes.value = changes_html(self.session)
        self._chosen()
        self.search.value = ""
        self._search()
        self.tabs.layout.display = ""

    def _school_chosen(self, _: object = None) -> None:
        run_safely(self.status, self._chosen)

    def _chosen(self) -> None:
        """The groups and the flow picture of the chosen school, or of the whole board."""
        self._groups()
        self._picture()

    def _groups(self) -> None:
        _, _, plan = self.session.require()
        groups = plan.groups
        several = len(plan.schools()) > 1
        if self.school.value:
            groups = groups[groups["school"].eq(self.school.value)]
        new_groups = groups[groups["jaar"].eq("nieuw")]
        shown = new_groups.assign(
            bijzonderheden=flag_titles(new_groups["flags"]),
            jaargroepen=listed_years_shown(new_groups["jaargroepen"]),
        )
        many = YEAR_HEADERS[year_word(new_groups["jaargroep"])][0]
        headers = GROUP_HEADERS | {"jaargroepen": many}
        if several and not self.school.value:  # a board's groups: which school's is 5B?
            headers = {"school": "School"} | headers
        text = html_table(shown, headers, more="kies hierboven een school")
        codes = set(groups["jaargroep"]) | set(plan.students["jaargroep_nieuw"])
        if codes & {"S", "V"}:
            text += f"<p style='color:#555'>{html.escape(CODE_LEGEND)}</p>"
        gone = groups[groups["jaar"].eq("oud")]
        if not gone.empty:
            names = ", ".join(gone["groepsnaam"] + (" (" + gone["school"] + ")" if several else ""))
            text += (
                f"<p>Groepen van vorig jaar zonder opvolger: {html.escape(names)} "
                f"({fd.count_of(int(gone['leerlingen'].sum()), 'leerling')}, van wie "
                f"{int(gone['uitgestroomd'].sum())} uitgestroomd).</p>"
            )
        self.groups.value = text

    def _picture(self) -> None:
        """The chosen school's flow between its groups; a board's overview by year (the
        picture `lwtop preview --xlsx` draws for a board) when no school is chosen."""
        plan = self.session.plan
        if plan is None:
            return
        if self.school.value or len(plan.schools()) < 2:
            self.picture.value = self.session.flow_png(self.school.value or None)
        else:
            self.picture.value = picture_bytes(board_flow_figure(plan), "png")

    def _search(self) -> None:
        query = self.search.value.strip()
        if self.session.plan is None:
            return
        if len(query) < SEARCH_MIN:
            self.found.value = "<p style='color:#777'>Typ minstens twee letters of cijfers.</p>"
            return
        students = self.session.plan.students
        hit = students["naam"].str.contains(query, case=False, regex=False) | students[
            "leerling_id"
        ].str.contains(query, case=False, regex=False)
        chosen = students[hit]
        rows = chosen.assign(
            status_label=status_labels(chosen),
            bijzonderheden=flag_titles(chosen["flags"]),
            jaargroep_oud=years_shown(chosen["jaargroep_oud"]),
            jaargroep_nieuw=years_shown(chosen["jaargroep_nieuw"]),
        )
        one = YEAR_HEADERS[year_word([*chosen["jaargroep_oud"], *chosen["jaargroep_nieuw"]])][1]
        headers = PUPIL_HEADERS | {
            "leerling_id": pupil_word(self.session),
            "jaargroep_oud": one,
            "jaargroep_nieuw": f"{one} ",
        }
        self.found.value = f"<p>{len(chosen)} gevonden.</p>" + html_table(
            rows, headers, limit=SEARCH_LIMIT, more="maak de zoekterm preciezer"
        )


def changes_html(session: Session) -> str:
    """The tab `Wijzigingen`: every changed field of a pupil in both years (`changes`)."""
    if session.transition is None:
        return WAITING
    changes = session.transition.changes
    pupils = len(changes[["school", "leerling_id"]].drop_duplicates())
    return (
        f"<p>{html.escape(CHANGES_NOTE)}</p><p><b class='lwtop-count' data-key='changed-pupils'>"
        f"{pupils}</b> {'leerling' if pupils == 1 else 'leerlingen'} met gewijzigde gegevens, "
        f"<b class='lwtop-count' data-key='changes'>{len(changes)}</b> "
        f"{'wijziging' if len(changes) == 1 else 'wijzigingen'}.</p>"
        + html_table(
            shown_changes(changes),
            CHANGE_HEADERS | {"leerling_id": pupil_word(session)},
            more="alle: de overgangswerkmap",
        )
    )


def summary_html(session: Session) -> str:
    """The counts of the plan: a hold first (the new export looks partial), then last year's
    and this year's pupils per status side by side, the share of last year's pupils who leave
    without a successor, and whether the totals add up."""
    _, _, plan = session.require()
    moves = session.transition.moves if session.transition is not None else None
    hold = session.transition.hold if session.transition is not None else None
    schools = list(hold.schools.values()) if hold is not None else []
    totals = plan.totals()
    table = side_by_side(schools, plan.scoped)
    rows = "".join(
        _status_row(key, label, old, new)
        for key, label, old, new in table.itertuples(index=False, name=None)
    )
    check = (
        f"{totals['old']} = {totals['matched']} in beide jaren + {totals['left']} vertrokken; "
        f"{totals['new']} = {totals['matched']} + {totals['new_pupils']} nieuw"
    )
    verdict = (
        "<span style='color:#1b5e20'>klopt</span>"
        if plan.totals_add_up(totals)
        else "<span style='color:#b00020'>KLOPT NIET: meld dit aan de beheerders</span>"
    )
    stam = plan.groups["jaar"].eq("nieuw") & plan.groups["soort"].eq("stamgroep")
    return (
        hold_html(session)
        + f"<p><b>Overgang {html.escape(str(plan.schooljaar_oud or 'onbekend'))} → "
        f"{html.escape(str(plan.schooljaar_nieuw or 'onbekend'))}</b><br>"
        f"Vorig jaar: <b class='lwtop-count' data-key='pupils-old'>{totals['old']}</b> "
        f"{fd.plural(totals['old'], 'leerling')} · nieuw jaar: "
        f"<b class='lwtop-count' data-key='pupils-new'>{totals['new']}</b> "
        f"{fd.plural(totals['new'], 'leerling')} in {fd.count_of(int(stam.sum()), 'stamgroep')}"
        "<br>"
        f"Telling: {html.escape(check)} ({verdict})</p>"
        f"<table class='lwtop-table lwtop-counts'><thead><tr><th>Status</th>"
        f"<th style='text-align:right'>Vorig jaar</th><th style='text-align:right'>Nieuw jaar"
        f"</th><th></th></tr></thead><tbody>{rows}</tbody></table>"
        f"{_share_html(schools)}{_moves_html(moves)}{per_school_html(plan)}"
    )


def per_school_html(plan: TransitionPlan) -> str:
    """A board's pupils per school, last year and this year: the counts of each school's
    upload bundle (its `leerlingen.csv`); "" for one school."""
    summary = plan.summary
    rows = summary[summary["niveau"].eq("school")]
    if len(rows) < 2:
        return ""
    body = "".join(
        f"<tr data-school='{html.escape(school)}'><td>{html.escape(school)}</td>"
        f"<td style='text-align:right'><b class='lwtop-count' data-key='pupils-old-{school}'>"
        f"{old}</b></td><td style='text-align:right'><b class='lwtop-count' "
        f"data-key='pupils-new-{school}'>{new}</b></td></tr>"
        for school, old, new in rows[["waarde", "leerlingen_oud", "leerlingen_nieuw"]].itertuples(
            index=False, name=None
        )
    )
    return (
        f"<p>Per school ({fd.count_of(len(rows), 'school', 'scholen')}):</p>"
        "<table class='lwtop-table lwtop-per-school'><thead><tr><th>School</th>"
        "<th style='text-align:right'>Vorig jaar</th><th style='text-align:right'>Nieuw jaar"
        f"</th></tr></thead><tbody>{body}</tbody></table>"
    )


def _status_row(key: str, label: str, old: int, new: int) -> str:
    """One status with last year's and this year's count (a dash where its pupils cannot be);
    the count a test or a reader looks for carries `data-key` (once per status)."""
    one_year = ONE_YEAR.get(key, "")

    def cell(count: int, year: str) -> str:
        if one_year and one_year != year:
            return "<td style='text-align:right;color:#999'>–</td>"
        keyed = key != "totaal" and (one_year == year or (not one_year and year == "oud"))
        mark = f" data-key='{key}'" if keyed else ""
        return f"<td style='text-align:right'><b class='lwtop-count'{mark}>{count}</b></td>"

    style = " style='border-top:1px solid #999'" if key == "totaal" else ""
    return (
        f"<tr{style}><td>{html.escape(label)}</td>{cell(old, 'oud')}{cell(new, 'nieuw')}"
        f"<td style='color:#555'>{html.escape(STATUS_EXPLAINED.get(key, ''))}</td></tr>"
    )


def _share_html(schools: list[SchoolHold]) -> str:
    """How many of last year's pupils who do not graduate leave without a successor: for the
    one school, or for each school of a board that the hold stops."""
    shown = schools if len(schools) == 1 else [school for school in schools if school.held]
    parts = []
    for school in shown:
        where = f" (school {school.school})" if len(schools) > 1 else ""
        colour = "#b00020" if school.held else "#555"
        verdict = (
            "<b>vastgehouden</b>"
            if school.held
            else f"de grens is {school.limits.max_vertrokken_procent:g}%"
        )
        parts.append(
            f"<p class='lwtop-hold-share' style='color:{colour}'>Vertrokken zonder opvolger"
            f"{html.escape(where)}: <b class='lwtop-count' data-key='left-without-successor'>"
            f"{school.left}</b> van de {school.staying} leerlingen die niet uitstromen "
            f"({school.share:.0%}); {verdict}.</p>"
        )
    return "".join(parts)


def hold_html(session: Session) -> str:
    """The hold, shown before anything else: the new export looks partial (plan/hold.py),
    with the message that says what to check; "" when nothing is held."""
    hold = session.transition.hold if session.transition is not None else None
    if hold is None or hold.findings.empty:
        return ""
    messages = "".join(
        f"<p>{html.escape(short_paths(str(message)))}</p>" for message in hold.findings["message"]
    )
    return (
        "<div class='lwtop-hold' data-key='hold' style='border-left:4px solid #b00020;"
        "padding:4px 12px;margin:8px 0;background:#fdecea'><p style='color:#b00020'><b>"
        "Vastgehouden: de export van het nieuwe jaar lijkt onvolledig.</b> De uploadbundel "
        f"wordt niet gemaakt tot dit is opgelost.</p>{messages}</div>"
    )


def _moves_html(moves: pd.DataFrame | None) -> str:
    """A board's pupils who change school among its schools (the plan is matched per school):
    the Dutch line of `lwtop preview`, as a note under the counts; "" when there are none."""
    if moves is None or moves.empty:
        return ""
    return f"<p class='lwtop-note' data-key='school-moves'>{html.escape(moves_note(moves))}</p>"
