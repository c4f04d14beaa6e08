"""The upload bundle: per school one zip with the import files of the new year, the findings,
the audit workbook and a manifest. Nothing unchecked leaves; the same input gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd

from lwtop_toolkit import __version__
from lwtop_toolkit import findings as fd
from lwtop_toolkit.board.owners import link_rows, of_school, owned, row_owners, staff_places
from lwtop_toolkit.board.schools import export_folder, school_rows, split_schools
from lwtop_toolkit.findings import ToolkitError
from lwtop_toolkit.model import SOURCE_FILE, TABLE_NAMES, Tables, conform
from lwtop_toolkit.plan.dossier import (
    OUT_OF_SCOPE_MARK,
    not_found_findings,
    out_of_scope_findings,
    scoped_tables,
    split_dossier,
)
from lwtop_toolkit.plan.transition import TransitionPlan, plan_transition
from lwtop_toolkit.runtime.files import write_atomically, zip_bytes
from lwtop_toolkit.runtime.progress import bar
from lwtop_toolkit.writers.profiles import TOPDOSSIER, Profile

MANIFEST = "manifest.json"
FINDINGS_FILE = "bevindingen.csv"
AUDIT_FILE = "overgang.xlsx"
LINKS_TABLE = "medewerker_groepen"
REPLACE_HINT = "gebruik --force om hem te vervangen, of kies een andere map met --out"
T = TypeVar("T")
_END: Any = object()  # the end of `_waited`'s items


@dataclass
class SchoolBundle:
    """The outcome for one school: the zip written (or refused), with its manifest."""

    school: str
    path: Path
    manifest: dict[str, Any]
    plan: TransitionPlan
    findings: pd.DataFrame
    status: str  # "written", "unchanged" or "refused"

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


def write_bundles(
    old: Tables,
    new: Tables,
    out_dir: Path,
    *,
    findings: pd.DataFrame | None = None,
    old_findings: pd.DataFrame | None = None,
    links: pd.DataFrame | None = None,
    inputs: Sequence[Path] = (),
    las: str = "",
    source_format: str = "",
    profile: Profile = TOPDOSSIER,
    force: bool = False,
    timestamp: dt.datetime | None = None,
    dossier: pd.DataFrame | None = None,
    all_pupils: bool = False,
    audit: bool = True,
    workers: int | None = None,
    timings: dict[str, float] | None = None,
    deferred: list[tuple[Path, bytes]] | None = None,
) -> BundleRun:
    """Write one bundle per school of `new` into `out_dir`.

    With `dossier` (the pupils who have a dossier, `dossier.read_dossier`) each plan is scoped
    to it, and a bundle holds only the pupils with a dossier and their groups, unless
    `all_pupils`; the manifest says what was left out.

    `findings` are those about the new year (and the staff links), `old_findings` those about
    last year. A school whose blocking findings (`blocking`) stand is refused unless `force`;
    then the manifest records that it was forced and which error codes stood. An existing
    bundle with other content is not replaced without `force` (ToolkitError).

    A delivery of several schools is planned once and cut per school (board.py); each bundle
    equals the one of that school processed alone. `audit=False` leaves the audit workbook
    out; `workers` processes write the workbooks (default: one per core); `timings`, when
    given, receives the seconds spent per stage (plan, csv, workbooks, zip). With `deferred`
    nothing is written: the (path, bytes) of each bundle to write are added to it, for the
    caller to write with those of other runs (board_exports.py), and no overview is made.
    """
    clock = Stopwatch(timings)
    findings = findings if findings is not None else fd.empty_findings()
    old_findings = _mark_old(old_findings if old_findings is not None else fd.empty_findings())
    links_table = conform(LINKS_TABLE, links) if links is not None else None
    inputs_meta = [(str(Path(path).parent), _file_meta(Path(path))) for path in inputs]
    planned = None
    if dossier is None:
        from lwtop_toolkit.writers.board import board_parts

        planned = board_parts(old, new, findings, old_findings, links_table, profile, clock)
    if planned is None:
        planned = _school_parts(
            old, new, findings, old_findings, links_table, profile, clock, dossier, all_pupils
        )
    parts = planned.parts
    out_dir = Path(out_dir)
    run = BundleRun()
    kept = []
    for part in parts:
        path = out_dir / part.name
        errors = blocking(part.findings)
        if not errors.empty and not force:
            run.bundles.append(
                SchoolBundle(part.school, path, {}, part.plan, part.findings, "refused")
            )
            continue
        kept.append((part, path, errors))
    meta = {"las": las, "format": source_format}
    inputs_of = _input_lists(inputs_meta, set().union(*(part.exports or set() for part in parts)))
    planned_writes = []
    from lwtop_toolkit.writers.workbooks import started_workbooks

    # The workbooks are written on the other cores while this process makes the CSV files and
    # zips each bundle as soon as its workbook is there.
    jobs = [(part.plan, part.findings) for part, _, _ in kept]
    with started_workbooks(jobs, audit, workers) as books:
        with clock("csv"):
            planned.make_files()
        label = "overgangswerkmappen en bundels" if audit else "bundels samenstellen"
        made = bar(zip(kept, _waited(books, clock), strict=True), label, total=len(kept))
        for (part, path, errors), book in made:
            with clock("zip"):
                about = meta | {"inputs": inputs_of(part)}
                manifest, data = _zipped(part, errors, book, profile, about, timestamp)
                exists = path.exists()
                same = exists and path.read_bytes() == data
                if exists and not same and not force:
                    raise ToolkitError(
                        "bundle-exists",
                        file=str(path),
                        reason=REPLACE_HINT,
                    )
                planned_writes.append((path, data))
                status = "unchanged" if same else "written"
                run.bundles.append(
                    SchoolBundle(part.school, path, manifest, part.plan, part.findings, status)
                )
    with clock("zip"):
        if deferred is not None:
            deferred.extend(planned_writes)
        else:
            write_run(run, planned_writes, out_dir)
    return run


def _zipped(
    part: SchoolPart,
    errors: pd.DataFrame,
    book: bytes | None,
    profile: Profile,
    meta: dict[str, Any],
    timestamp: dt.datetime | None,
) -> tuple[dict[str, Any], bytes]:
    """One school's bundle: its manifest and its zip."""
    entries = dict(part.entries)
    if book is not None:
        entries[AUDIT_FILE] = book
    manifest = _manifest(part, entries, errors, profile, meta, timestamp)
    entries[MANIFEST] = (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode()
    return manifest, zip_bytes(entries)


def _waited(items: Iterator[T], clock: Stopwatch) -> Iterator[T]:
    """`items`, the time spent waiting for each counted as the stage `workbooks`."""
    while True:
        with clock("workbooks"):
            item = next(items, _END)
        if item is _END:
            return
        yield item


def write_run(run: BundleRun, writes: Sequence[tuple[Path, bytes]], out_dir: Path) -> None:
    """Write the bundles of `run` (`writes`: their paths and bytes) and, for several schools,
    the board overview `overzicht.xlsx` (set as `run.overview`)."""
    if len(writes) == 1:
        write_atomically(*writes[0])
    elif writes:
        write_all_atomically(writes)
    if len(run.bundles) > 1:
        from lwtop_toolkit.board.moves import school_moves
        from lwtop_toolkit.writers.overview import overview_bytes

        run.moves = school_moves(bundle.plan.students for bundle in run.bundles)
        book = overview_bytes(run.bundles, run.moves)
        run.overview = write_atomically(out_dir / "overzicht.xlsx", book)


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


def _input_lists(
    inputs: list[tuple[str, dict[str, Any]]], exports: set[str]
) -> Callable[[SchoolPart], list[dict[str, Any]]]:
    """For a school: the input files of its own exports, and those of no school's export (a
    dossier list, staff links); every input when the school's exports are unknown.

    A board's folder of school exports: each manifest names its school's files, not all
    thousands (the same list as when the school is bundled alone). The files are indexed by
    folder once: filtering every input for every school grew with the schools squared.
    """
    by_folder: dict[str, list[int]] = {}
    for position, (folder, _) in enumerate(inputs):
        by_folder.setdefault(folder, []).append(position)
    shared = [i for folder, where in by_folder.items() if folder not in exports for i in where]
    everything = [meta for _, meta in inputs]

    def listed(part: SchoolPart) -> list[dict[str, Any]]:
        if part.exports is None:
            return everything
        own = [i for folder in part.exports for i in by_folder.get(folder, ())]
        return [inputs[i][1] for i in sorted(shared + own)]

    return listed


def exports_of(*frames: pd.DataFrame) -> set[str]:
    """The folders the rows of `frames` were read from (their `_file`)."""
    files = set().union(*(set(frame[SOURCE_FILE].unique()) for frame in frames)) - {""}
    return {export_folder(file) for file in files}


class Stopwatch:
    """Adds the seconds spent in each `with clock(stage):` block to `timings` (when given)."""

    def __init__(self, timings: dict[str, float] | None) -> None:
        self.timings = timings

    @contextmanager
    def __call__(self, stage: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            if self.timings is not None:
                self.timings[stage] = self.timings.get(stage, 0.0) + time.perf_counter() - start


def _school_parts(
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
        scopes, no_school = _dossier_scopes(dossier, old_parts, new_parts)
        for school, new_school in new_parts.items():
            if only is not None and school not in only:
                continue
            old_school = old_parts.get(school, Tables())
            plan = plan_transition(old_school, new_school, dossier=scopes.get(school))
            mine = fd.sort(
                fd.concat(
                    [
                        of_school(new_owned, school),
                        plan.findings,
                        of_school(old_owned, school),
                        no_school,
                    ]
                )
            )
            scope_meta: dict[str, Any] | None = None
            if dossier is not None:
                mine = out_of_scope_findings(mine, plan.students)
                scope_meta = {"all_pupils": all_pupils, **plan.totals()}
                if not all_pupils:
                    new_school, left_out = scoped_tables(new_school, plan.students)
                    scope_meta |= left_out
            school_links = _links_of(links_table, new_school) if links_table is not None else None
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
            part.entries, part.rows = _csv_entries(tables, links, part.findings, profile)

    return Parts(parts, make_files)


def _csv_entries(
    tables: Tables, links: pd.DataFrame | None, findings: pd.DataFrame, profile: Profile
) -> tuple[dict[str, bytes], dict[str, int]]:
    entries: dict[str, bytes] = {}
    rows: dict[str, int] = {}
    for name in TABLE_NAMES:
        if name == LINKS_TABLE:
            continue
        entries[profile.file_name(name)] = profile.table_csv(tables[name], name)
        rows[name] = len(tables[name])
    if links is not None:
        entries[profile.file_name(LINKS_TABLE)] = profile.table_csv(links, LINKS_TABLE)
        rows[LINKS_TABLE] = len(links)
    entries[FINDINGS_FILE] = profile.findings_csv(findings)
    return entries, rows


def write_all_atomically(items: Sequence[tuple[Path, bytes]]) -> None:
    """Write many files as `write_atomically` does one, with one flush to disk for all.

    Each file goes to a temporary file beside it; after one `os.sync` every temporary file is
    renamed. A flush per file took up to 90 ms each once much was written (a board of 1,900
    schools: minutes); an interrupted run still leaves each file old (or absent) or complete.
    """
    temporaries: list[tuple[Path, Path]] = []
    renamed = 0
    try:
        for path, data in bar(items, "bundels schrijven", total=len(items)):
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            temporaries.append((Path(name), path))
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
        os.sync()
        for done, (temporary, path) in enumerate(temporaries):
            os.replace(temporary, path)
            renamed = done + 1
    finally:
        for temporary, _ in temporaries[renamed:]:
            temporary.unlink(missing_ok=True)


def _dossier_scopes(
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


def _mark_old(findings: pd.DataFrame) -> pd.DataFrame:
    """Last year's findings, with their table named so that a reader sees which year."""
    if findings.empty:
        return findings
    marked = findings.copy()
    marked["table"] = marked["table"].where(marked["table"].eq(""), marked["table"] + " ")
    marked["table"] = marked["table"] + "(vorig jaar)"
    return marked


def _links_of(links: pd.DataFrame, tables: Tables) -> pd.DataFrame:
    return links[links["groep_id"].isin(tables.groepen["groep_id"])].reset_index(drop=True)


def _manifest(
    part: SchoolPart,
    entries: dict[str, bytes],
    errors: pd.DataFrame,
    profile: Profile,
    meta: dict[str, Any],
    timestamp: dt.datetime | None,
) -> dict[str, Any]:
    manifest: dict[str, Any] = {
        "toolkit": "lwtop-toolkit",
        "toolkit_version": __version__,
        "school": part.school,
        "brin": part.brin,
        "schooljaar": part.schooljaar,
        "las": meta["las"],
        "format": meta["format"],
        "profile": profile.name,
        "inputs": meta["inputs"],
        "rows": part.rows,
        "findings": fd.counts(part.findings),
        "status": part.plan.status_counts(),
        "forced": not errors.empty,
        "open_error_codes": sorted(set(errors["code"])),
        "outputs": [
            {"name": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
            for name, data in sorted(entries.items())
        ],
    }
    if part.scope is not None:
        manifest["dossier"] = part.scope
    if timestamp is not None:
        manifest["created"] = timestamp.isoformat(timespec="seconds")
    return manifest


def _file_meta(path: Path) -> dict[str, Any]:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return {"name": path.name, "size": path.stat().st_size, "sha256": digest.hexdigest()}
