"""What each school's bundle holds before it is zipped: the bundle's files, each school's part
(its tables, plan and findings) and the outcome of a run. The bundle writer zips the parts; the
board's cut (board.py) makes them for many schools at once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from lwtop_toolkit import findings as fd
from lwtop_toolkit.board.owners import link_rows, of_school, owned, row_owners, staff_places
from lwtop_toolkit.board.schools import school_rows, split_schools
from lwtop_toolkit.model import SOURCE_FILE, TABLE_NAMES, Tables, export_folder
from lwtop_toolkit.plan.dossier import (
    OUT_OF_SCOPE_MARK,
    not_found_findings,
    out_of_scope_findings,
    scoped_tables,
    split_dossier,
)
from lwtop_toolkit.plan.hold import SchoolHold
from lwtop_toolkit.plan.transition import TransitionPlan, plan_transition
from lwtop_toolkit.runtime.timing import Stopwatch
from lwtop_toolkit.writers.profiles import Profile

# The files of a bundle: the profile's CSV file of each table, then these. The staff links are
# in it when they were given, the audit workbook unless it was left out; the manifest lists the
# others with their sha256.
LINKS_TABLE = "medewerker_groepen"
FINDINGS_FILE = "bevindingen.csv"
AUDIT_FILE = "overgang.xlsx"
MANIFEST = "manifest.json"
OVERVIEW_FILE = "overzicht.xlsx"  # a board's run: one beside the bundles
NO_OVERVIEW = (
    f"Geen {OVERVIEW_FILE} geschreven: elke bundel is geweigerd, er is niets om te uploaden."
)
BUNDLE_TABLES = ("groepen", "leerlingen", "medewerkers")


def bundle_members(profile: Profile, *, links: bool, audit: bool) -> list[str]:
    """The names of every file in a bundle, sorted as in its zip."""
    tables = [*BUNDLE_TABLES, *([LINKS_TABLE] if links else [])]
    names = [profile.file_name(table) for table in tables]
    names += [FINDINGS_FILE, *([AUDIT_FILE] if audit else []), MANIFEST]
    return sorted(names)


@dataclass
class SchoolBundle:
    """The outcome for one school: the zip written (or refused), with its manifest."""

    school: str
    path: Path
    manifest: dict[str, Any]
    plan: TransitionPlan
    findings: pd.DataFrame
    status: str  # "written", "unchanged" or "refused"
    hold: SchoolHold | None = None  # last year's pupils leaving, and whether that held it

    @property
    def open_errors(self) -> pd.DataFrame:
        return blocking(self.findings)


@dataclass
class BundleRun:
    """Every school's bundle of one run, and the board overview when there are several."""

    bundles: list[SchoolBundle] = field(default_factory=list)
    overview: Path | None = None
    moves: pd.DataFrame | None = None  # several schools: pupils who change school among them
    without_sheet: list[str] = field(default_factory=list)  # per-school workbooks: none given

    @property
    def refused(self) -> list[SchoolBundle]:
        return [bundle for bundle in self.bundles if bundle.status == "refused"]

    @property
    def overview_withheld(self) -> bool:
        """Several schools and every bundle refused: nothing to upload, so no overview is
        written that would look like a result (the faces say so, `no_overview_text`)."""
        return len(self.bundles) > 1 and len(self.refused) == len(self.bundles)

    def no_overview_text(self) -> str:
        """The Dutch line that no overview was written, and whether the folder holds one of an
        earlier run; empty when the overview is not withheld."""
        if not self.overview_withheld:
            return ""
        text = NO_OVERVIEW
        if (self.bundles[0].path.parent / OVERVIEW_FILE).exists():
            text += f" Het {OVERVIEW_FILE} in die map is van een eerdere run."
        return text


def blocking(findings: pd.DataFrame) -> pd.DataFrame:
    """The findings that stop a bundle: errors about the new year, the plan or the staff links.

    Errors in last year's data are reported in the bundle but do not stop it: last year's
    export is not uploaded, and a coordinator can no longer correct it. Neither are the rows of
    pupils without a dossier (table marked `(geen dossier)`, see dossier.py).
    """
    is_error = findings["severity"].to_numpy() == "error"
    if not is_error.any():  # most schools of a board: no frame filtering (~1 ms each)
        return findings.iloc[:0]
    errors = findings[is_error]
    return errors[~errors["table"].str.endswith(("(vorig jaar)", OUT_OF_SCOPE_MARK))]


def bundle_name(school: str, tables: Tables) -> str:
    year = tables.schooljaar()
    return f"lwtop-{school}-{year if year else 'onbekend-schooljaar'}.zip"


@dataclass
class SchoolPart:
    """What one school's bundle holds before it is zipped: its files, plan and findings."""

    school: str
    name: str  # the zip's file name
    entries: dict[str, bytes]  # the CSV files and bevindingen.csv
    rows: dict[str, int]
    brin: list[str]
    schooljaar: str
    plan: TransitionPlan
    findings: pd.DataFrame
    scope: dict[str, Any] | None = None
    exports: set[str] | None = None  # the folders its rows were read from (None: unknown)


@dataclass
class Parts:
    """The schools' parts before their CSV files are made: `make_files()` fills each part's
    `entries` and `rows`. Apart so that the workbooks can be started first (on the other
    cores) and this process makes the CSV files meanwhile."""

    parts: list[SchoolPart]
    make_files: Callable[[], None]


def exports_of(*frames: pd.DataFrame) -> set[str]:
    """The folders the rows of `frames` were read from (their `_file`)."""
    files = set().union(*(set(frame[SOURCE_FILE].unique()) for frame in frames)) - {""}
    return {export_folder(file) for file in files}


def school_parts(
    old: Tables,
    new: Tables,
    findings: pd.DataFrame,
    old_findings: pd.DataFrame,
    links_table: pd.DataFrame | None,
    profile: Profile,
    clock: Stopwatch,
    dossier: pd.DataFrame | None,
    all_pupils: bool,
    only: Sequence[str] | None = None,
) -> Parts:
    """Each school planned alone (one school; a dossier list; a delivery that cannot be
    planned as one). `only`: just these schools."""
    parts = []
    files: list[tuple[SchoolPart, Tables, pd.DataFrame | None]] = []  # what each CSV needs
    with clock("plan"):
        places = staff_places(old, new, links_table)  # last year's links too
        sources = [(old, school_rows(old, places)), (new, school_rows(new, places))]
        old_parts = split_schools(old, places, sources[0][1])
        new_parts = split_schools(new, places, sources[1][1])
        if links_table is not None:
            sources.append((Tables(medewerker_groepen=links_table), link_rows(links_table, new)))
        owners = row_owners(sources)
        new_owned, old_owned = owned(findings, owners), owned(old_findings, owners)
        scopes, no_school = dossier_scopes(dossier, old_parts, new_parts)
        for school, new_school in new_parts.items():
            if only is not None and school not in only:
                continue
            old_school = old_parts.get(school, Tables())
            plan = plan_transition(old_school, new_school, dossier=scopes.get(school))
            mine = fd.sort(
                fd.distinct(  # checking and planning the new year both find an empty group
                    fd.concat(
                        [
                            of_school(new_owned, school),
                            plan.findings,
                            of_school(old_owned, school),
                            no_school,
                        ]
                    )
                )
            )
            scope_meta: dict[str, Any] | None = None
            if dossier is not None:
                mine = out_of_scope_findings(mine, plan.students)
                scope_meta = {"all_pupils": all_pupils, **plan.totals()}
                if not all_pupils:
                    new_school, left_out = scoped_tables(new_school, plan.students)
                    scope_meta |= left_out
            school_links = links_of(links_table, new_school) if links_table is not None else None
            year = new_school.schooljaar()
            parts.append(
                SchoolPart(
                    exports=exports_of(
                        *(t[n] for t in (old_school, new_school) for n in TABLE_NAMES)
                    ),
                    school=school,
                    name=bundle_name(school, new_school),
                    entries={},
                    rows={},
                    brin=sorted(set(new_school.groepen["brin"]) - {""}),
                    schooljaar=str(year) if year else "",
                    plan=plan,
                    findings=mine,
                    scope=scope_meta,
                )
            )
            files.append((parts[-1], new_school, school_links))

    def make_files() -> None:
        for part, tables, links in files:
            part.entries, part.rows = csv_entries(tables, links, part.findings, profile)

    return Parts(parts, make_files)


def csv_entries(
    tables: Tables, links: pd.DataFrame | None, findings: pd.DataFrame, profile: Profile
) -> tuple[dict[str, bytes], dict[str, int]]:
    entries: dict[str, bytes] = {}
    rows: dict[str, int] = {}
    for name in BUNDLE_TABLES:
        entries[profile.file_name(name)] = profile.table_csv(tables[name], name)
        rows[name] = len(tables[name])
    if links is not None:
        entries[profile.file_name(LINKS_TABLE)] = profile.table_csv(links, LINKS_TABLE)
        rows[LINKS_TABLE] = len(links)
    entries[FINDINGS_FILE] = profile.findings_csv(findings)
    return entries, rows


def dossier_scopes(
    dossier: pd.DataFrame | None, old_parts: dict[str, Tables], new_parts: dict[str, Tables]
) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """Per school its dossier pupils, and the findings about dossier pupils of no school.

    With one school the whole dossier is that school's (its unknown pupils become `left`).
    """
    if dossier is None:
        return {}, fd.empty_findings()
    if len(new_parts) == 1:
        return {next(iter(new_parts)): dossier}, fd.empty_findings()
    years = {
        school: [old_parts.get(school, Tables()), tables] for school, tables in new_parts.items()
    }
    per_school, rest = split_dossier(dossier, years)
    return per_school, not_found_findings(rest)


def mark_old(findings: pd.DataFrame) -> pd.DataFrame:
    """Last year's findings, with their table named so that a reader sees which year."""
    if findings.empty:
        return findings
    marked = findings.copy()
    marked["table"] = marked["table"].where(marked["table"].eq(""), marked["table"] + " ")
    marked["table"] = marked["table"] + "(vorig jaar)"
    return marked


def links_of(links: pd.DataFrame, tables: Tables) -> pd.DataFrame:
    return links[links["groep_id"].isin(tables.groepen["groep_id"])].reset_index(drop=True)
