"""The LAS catalogue: per student administration system what the school does at the transition.

The table of DESIGN.md and the seed text (`seed/schooljaarovergang.txt`) as data: the action a
school must take in step 1, its Dutch instruction, the date the link takes the new groups over
(1 August of the new school year) and the readers that accept the LAS's exports.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from lwtop_toolkit.findings import ToolkitError, finding
from lwtop_toolkit.model import SchoolYear

Action = Literal["none", "per_student", "bulk", "file_import"]
ACTIONS: tuple[Action, ...] = ("none", "per_student", "bulk", "file_import")

# The short Dutch label of each action, as the seed words it after "Actie vereist:".
ACTION_LABELS: dict[Action, str] = {
    "none": "geen",
    "per_student": "leerlingen per stuk klaarzetten en ophalen",
    "bulk": "leerlingen in bulk klaarzetten en ophalen",
    "file_import": "import met de nieuwe groepen en groepsindeling",
}

# The seed's instruction per action; `{datum}` is the takeover date (`1-8-2026`).
INSTRUCTIONS: dict[Action, str] = {
    "none": "Actie vereist: geen. Na {datum} zal de koppeling automatisch de nieuwe groepen en "
    "groepsindeling overnemen.",
    "per_student": "Actie vereist: Leerlingen per stuk klaarzetten en ophalen.",
    "bulk": "Actie vereist: Leerlingen in bulk klaarzetten en ophalen.",
    "file_import": "Actie vereist: import met de nieuwe groepen en groepsindeling. Groepen, "
    "leerlingen en medewerkers: u importeert drie nieuwe bestanden voor het nieuwe schooljaar.",
}
# The steps that follow the instruction, a line each, as the worklist has the coordinator do
# them; `{las}` is the LAS's name, `{worklist}`, `{read_back}` and `{verify}` name the toolkit's
# own steps in the words of the face that shows them (`Ways`: the commands, or the app's steps).
# The product's own article with these steps is not public: a school or board names its
# address in `lwtop.toml` (`[artikelen]`).
STEPS: dict[Action, tuple[str, ...]] = {
    "none": (),
    "per_student": (
        "Zet in {las} elke leerling van de werklijst klaar in de nieuwe groep ({worklist} "
        "maakt die lijst, per nieuwe groep).",
        "Haal de klaargezette leerlingen op in Leerwinst/TOP dossier: ze worden "
        "geïmporteerd met hun nieuwe groep.",
        "Vink in de werklijst per leerling af wat klaargezet en opgehaald is, en lees haar "
        "terug {read_back}: dat toont wat nog openstaat.",
        "Sluit het dossier van elke vertrokken leerling, of draag het over aan de nieuwe "
        "school (tabblad Vertrokken van de werklijst).",
        "Controleer daarna {verify} of alle leerlingen in hun nieuwe groep in het dossier staan.",
    ),
    "bulk": (
        "Selecteer in {las} de nieuwe groepen van de werklijst ({worklist} maakt die "
        "lijst) en zet ze in één keer klaar.",
        "Haal uit de selectie de leerlingen die geen dossier horen te krijgen (tabblad "
        "Niet meenemen van de werklijst).",
        "Haal de klaargezette leerlingen op in Leerwinst/TOP dossier: ze worden "
        "geïmporteerd met hun nieuwe groep.",
        "Vink in de werklijst per groep af wat klaargezet en opgehaald is, en lees haar "
        "terug {read_back}: dat toont wat nog openstaat.",
        "Sluit het dossier van elke vertrokken leerling, of draag het over aan de nieuwe "
        "school (tabblad Vertrokken van de werklijst).",
        "Controleer daarna {verify} of alle leerlingen in hun nieuwe groep in het dossier staan.",
    ),
    "file_import": (),
}


@dataclass(frozen=True)
class Ways:
    """How a face names the toolkit's own steps in a text the coordinator reads (the LAS's
    steps, the worklist's and the staff workbook's instructions, the findings about a workbook
    read back or a verification): the commands of `lwtop`, or the app's steps. One text,
    worded for where it is read."""

    worklist: str  # what makes the worklist: "... maakt die lijst"
    read_back: str  # how a filled worklist is read back: "lees haar terug ..."
    verify: str  # how the arrival is checked: "controleer daarna ..."
    step_2: str  # the heading of step 2 (linking the staff): "Stap 2"
    staff_read: str  # how the filled staff workbook is read back, a sentence
    staff_bundle: str  # how its links go into the upload bundle, a sentence
    make_sheet: str  # what makes the staff workbook: "maak een nieuwe werkmap met ..."
    las_steps: str  # where the chosen LAS's steps are told: "(zie ...)"


# The command line's words (`lwtop worklist`, `lwtop staff-sheet`, ...).
COMMANDS = Ways(
    worklist="lwtop worklist",
    read_back="met lwtop worklist-status <deze werklijst>.xlsx",
    verify="met lwtop verify",
    step_2="Stap 2",
    staff_read="Die leest haar in met: lwtop staff-links toewijzing.xlsx --new <bestanden van "
    "het nieuwe jaar> --out medewerker_groepen.csv. Dat controleert elke keuze, meldt wat niet "
    "klopt en schrijft de koppelingen.",
    staff_bundle="Daarna komen de koppelingen in de upload-bundel met: lwtop bundle --old ... "
    "--new ... --staff-links medewerker_groepen.csv (of --staff-sheet toewijzing.xlsx).",
    make_sheet="lwtop staff-sheet",
    las_steps="lwtop las",
)
# The line that names the article a school or board put in `lwtop.toml`.
ARTICLE_LINE = "Het artikel over de overgang in {las}: {url}"
# Step 2 is the same for every LAS (seed); `{step}` is how the face names it (`Ways.step_2`).
STEP_2_TEXT = (
    "{step}: koppel de medewerkers met de rol TOP leerkracht of TOP leerkracht + aan de nieuwe "
    "groepen."
)
STEP_2 = STEP_2_TEXT.format(step=COMMANDS.step_2)
# When a LAS puts its pupils in the new groups, per action: the sentence of an export that
# has not rolled over yet (`las-not-rolled-over`).
ROLLOVER: dict[Action, str] = {
    "none": "bij {las} gebeurt dat vanzelf, na 1 augustus",
    "per_student": "bij {las} pas als u de leerlingen per stuk klaarzet in de nieuwe groepen",
    "bulk": "bij {las} pas als u de leerlingen in bulk klaarzet in de nieuwe groepen",
    "file_import": "bij {las} pas na de overgang naar het nieuwe schooljaar in {las}",
}
# The link takes the new groups over from this day and month of the new school year (seed:
# "Na 1-8-2021"), the first day of the Dutch school year.
TAKEOVER_MONTH, TAKEOVER_DAY = 8, 1
# Every LAS's exports can also be given as our own import files.
IMPORTFILES = "importfiles"


@dataclass(frozen=True)
class Las:
    """One student administration system (LAS) of the catalogue."""

    code: str
    name: str
    sector: str
    action: Action
    readers: tuple[str, ...]
    pupil_number: str = "Leerlingnummer"  # the word of its exports for a pupil's number

    def instruction_lines(
        self,
        year: SchoolYear | int | str | None = None,
        articles: Mapping[str, str] | None = None,
        ways: Ways | None = None,
    ) -> list[str]:
        """The Dutch instruction, a line each: the seed's sentence (with the new school year,
        its takeover date filled in), the steps (the toolkit's own named as `ways` does), and
        the article's address when `articles` (`[artikelen]` of `lwtop.toml`: LAS code -> https
        address) names one for this LAS."""
        when = "1 augustus" if year is None else _dutch_date(takeover_date(self, year))
        lines = [INSTRUCTIONS[self.action].format(datum=when)]
        steps = self.steps(ways)
        lines += [f"{number}. {step}" for number, step in enumerate(steps, start=1)]
        url = self.article(articles)
        if url:
            lines.append(ARTICLE_LINE.format(las=self.name, url=url))
        return lines

    def instruction(
        self,
        year: SchoolYear | int | str | None = None,
        articles: Mapping[str, str] | None = None,
    ) -> str:
        """`instruction_lines` as one text, a line each."""
        return "\n".join(self.instruction_lines(year, articles))

    def steps(self, ways: Ways | None = None) -> list[str]:
        """The steps in the LAS and the dossier, in order, without their numbers; the toolkit's
        own steps named as `ways` does (the commands by default)."""
        named = ways or COMMANDS
        return [
            step.format(
                las=self.name,
                worklist=named.worklist,
                read_back=named.read_back,
                verify=named.verify,
            )
            for step in STEPS[self.action]
        ]

    def rollover(self) -> str:
        """When this LAS puts the pupils in their new groups, as the message of an export that
        has not rolled over says it (`rollover_sentence`)."""
        return ROLLOVER[self.action].format(las=self.name)

    def article(self, articles: Mapping[str, str] | None = None) -> str:
        """The address of the article with this LAS's steps, from `articles`; "" without."""
        return (articles or {}).get(self.code, "")

    def as_dict(
        self,
        year: SchoolYear | int | str | None = None,
        articles: Mapping[str, str] | None = None,
    ) -> dict[str, Any]:
        """JSON-ready: code, name, sector, action and its label, instruction (a line each), the
        steps (without numbers), the article's address ("" when none is set), readers."""
        lines = self.instruction_lines(year, articles)
        return {
            "code": self.code,
            "name": self.name,
            "sector": self.sector,
            "action": self.action,
            "action_label": ACTION_LABELS[self.action],
            "instruction": "\n".join(lines),
            "steps": self.steps(),
            "article": self.article(articles),
            "takeover": "1 augustus van het nieuwe schooljaar",
            "readers": list(self.readers),
        }


# The catalogue, in the seed's order (PO systems, then VO/MBO systems).
CATALOGUE: dict[str, Las] = {
    las.code: las
    for las in (
        Las("schooloas", "SchoolOAS", "PO", "none", ("generic", IMPORTFILES)),
        Las("parnassys-gkv", "ParnasSys (GKV)", "PO", "none", ("edexml", IMPORTFILES)),
        Las(
            "parnassys-oso",
            "ParnasSys (OSO SWV)",
            "PO / samenwerkingsverband",
            "per_student",
            ("edexml", IMPORTFILES),
        ),
        Las("esis", "ESIS regulier", "PO", "per_student", ("edexml", IMPORTFILES)),
        Las(
            "esis-sbo-so-vso", "ESIS SBO/SO/VSO", "SBO / SO / VSO", "bulk", ("edexml", IMPORTFILES)
        ),
        Las("magister", "Magister", "VO", "per_student", ("magister", IMPORTFILES), "Stamnummer"),
        Las("somtoday", "Somtoday", "VO", "file_import", ("somtoday", IMPORTFILES)),
        Las(
            "eduarte", "Eduarte", "MBO", "file_import", ("eduarte", IMPORTFILES), "Deelnemernummer"
        ),
    )
}


def get(code: str) -> Las:
    """The catalogue entry `code`; ToolkitError (Dutch) for an unknown code."""
    if code not in CATALOGUE:
        known = ", ".join(CATALOGUE)
        raise ToolkitError("unknown-format", reason=f"LAS '{code}' bestaat niet; kies uit {known}")
    return CATALOGUE[code]


def pupil_number_word(code: str | None = None, reader: str = "") -> str:
    """What the exports call a pupil's number: the word of the LAS `code`, else of the LAS whose
    own reader read them (`reader`: Magister's lists say Stamnummer), else Leerlingnummer."""
    if code:
        return get(code).pupil_number
    own = [entry for entry in CATALOGUE.values() if reader and entry.readers[0] == reader]
    return own[0].pupil_number if own else Las.pupil_number


def step_2(ways: Ways | None = None) -> str:
    """Step 2's sentence, with the step named as `ways` (the commands by default) does."""
    return STEP_2_TEXT.format(step=(ways or COMMANDS).step_2)


def rollover_sentence(code: str | None = None) -> str:
    """When the LAS `code` puts its pupils in their new groups; without a LAS, which LAS do it
    themselves (action `none`) and that the others need the school's own step."""
    if code:
        return get(code).rollover()
    own = [entry.name for entry in CATALOGUE.values() if entry.action == "none"]
    return (
        f"bij {' en '.join(own)} gebeurt dat vanzelf na 1 augustus; bij andere LAS pas na de "
        "overgang in het LAS of als de school de leerlingen klaarzet"
    )


def _school_year(year: SchoolYear | int | str) -> SchoolYear:
    if isinstance(year, SchoolYear):
        return year
    if isinstance(year, int):
        return SchoolYear(year)
    return SchoolYear.parse(year)


def takeover_date(las: Las | str, year: SchoolYear | int | str) -> dt.date:
    """The day from which the link takes over the groups of the new school year `year`.

    `year` is the new school year (`2026-2027`, a SchoolYear, or its first calendar year).
    The rule is the same for every LAS in the seed: 1 August of that school year.
    """
    if isinstance(las, str):
        get(las)
    start = _school_year(year).start
    return dt.date(start, TAKEOVER_MONTH, TAKEOVER_DAY)


def _dutch_date(day: dt.date) -> str:
    """`1-8-2026`, as the seed writes dates."""
    return f"{day.day}-{day.month}-{day.year}"


def export_date_findings(
    schooljaar: str,
    created: dt.date | None,
    *,
    file: str = "",
    table: str = "",
    row: int | None = None,
) -> list[dict[str, Any]]:
    """`export-before-takeover` when an export of school year `schooljaar` was made before it began.

    Such an export names the new school year, but the LAS may not have the new groups yet.
    Nothing when the creation date or the school year is unknown.
    """
    year = SchoolYear.try_parse(schooljaar) if schooljaar else None
    if created is None or year is None:
        return []
    takeover = dt.date(year.start, TAKEOVER_MONTH, TAKEOVER_DAY)
    if created >= takeover:
        return []
    return [
        finding(
            "export-before-takeover",
            file=file,
            table=table,
            row=row,
            column="aanmaakdatum",
            value=str(year),
            created=created.strftime("%d-%m-%Y"),
            takeover=f"1 augustus {year.start}",
        )
    ]


__all__ = [
    "ACTIONS",
    "ACTION_LABELS",
    "ARTICLE_LINE",
    "CATALOGUE",
    "COMMANDS",
    "ROLLOVER",
    "STEPS",
    "STEP_2",
    "STEP_2_TEXT",
    "Las",
    "Ways",
    "export_date_findings",
    "get",
    "rollover_sentence",
    "step_2",
    "takeover_date",
]
