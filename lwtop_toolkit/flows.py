"""The one orchestration of every face: both years -> dossier scope -> plan per school -> outputs.

The CLI, the app and the notebooks parse their input, call these functions and show the result;
none of them loads, scopes, plans or merges findings its own way, so the same input gives the
same plan, counts and findings in every face.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from lwtop_toolkit import findings as fd
from lwtop_toolkit.board.exports import Unit, export_units, shared_ids_of, shared_note
from lwtop_toolkit.board.moves import school_moves
from lwtop_toolkit.board.schools import schools, several_schools
from lwtop_toolkit.check.loading import Loaded, load, load_years
from lwtop_toolkit.findings import ToolkitError
from lwtop_toolkit.las import catalogue as las
from lwtop_toolkit.model import SOURCE_FILE, Tables, export_folders
from lwtop_toolkit.plan.hold import Hold, check_hold
from lwtop_toolkit.plan.transition import TransitionPlan, plan_transition
from lwtop_toolkit.readers.choice import pick_reader
from lwtop_toolkit.readers.dossier import Dossier, read_dossier
from lwtop_toolkit.readers.school_settings import hold_limits
from lwtop_toolkit.runtime.progress import bar
from lwtop_toolkit.writers import inputs as bundle_inputs
from lwtop_toolkit.writers.inputs import InputFile
from lwtop_toolkit.writers.profiles import TOPDOSSIER, Profile

if TYPE_CHECKING:
    from lwtop_toolkit.steps.staffing import StaffPlan
    from lwtop_toolkit.writers.parts import BundleRun

# The workbooks' modules (openpyxl, XlsxWriter) are imported where they are used: a command
# that writes no workbook starts without them.

# A problem found twice (by reading and by the plan, say) is shown once (`findings.distinct`).
FINDING_KEY = list(fd.FINDING_KEY)


# --- both years ----------------------------------------------------------------------------------


@dataclass
class Years:
    """Last year's and this year's delivery, loaded, and the dossier list when one was given."""

    old: Loaded
    new: Loaded
    dossier: Dossier | None = None
    mapping: Mapping[str, str] | None = None  # the column mapping both were read with (`--map`)
    las_code: str | None = None  # the school's LAS, when chosen: the plan's advice follows it

    @property
    def inputs(self) -> list[InputFile]:
        """Every input file read, last year's first, each with its role (the manifest's inputs)."""
        extra = self.dossier.files if self.dossier is not None else []
        return [
            *export_inputs(self.old, bundle_inputs.OLD_EXPORT),
            *export_inputs(self.new, bundle_inputs.NEW_EXPORT),
            *bundle_inputs.inputs_of(extra, bundle_inputs.DOSSIER_LIST),
        ]


def export_inputs(loaded: Loaded, role: str) -> list[InputFile]:
    """The files of one year's delivery as inputs of `role`, each with the school year of its
    own export (a board's folder of exports: a school whose LAS did not roll over says its own
    year, as when it is bundled alone)."""
    overall = loaded.tables.schooljaar()
    groups = loaded.tables.groepen
    by_export = groups.groupby(export_folders(groups[SOURCE_FILE]), sort=False)
    years = {folder: Tables.from_frames(groepen=group).schooljaar() for folder, group in by_export}
    return [
        InputFile(Path(path), role, str(years.get(str(Path(path).parent)) or overall or ""))
        for path in loaded.files
    ]


def reader_for(
    paths: Sequence[Path],
    format: str | None,
    las_code: str | None,
    mapping: Mapping[str, str] | None = None,
) -> str | None:
    """The reader to use: `format` when given, else the LAS's reader (the one that knows the
    files, else its list reader with the column `mapping`), else None (recognised by content)."""
    if format or not las_code:
        return format
    return pick_reader(las.get(las_code), paths, mapping)


def load_both(
    old: Sequence[Path],
    new: Sequence[Path],
    *,
    format: str | None = None,
    las_code: str | None = None,
    dossier: Sequence[Path] | None = None,
    mapping: Mapping[str, str] | None = None,
    sector: str | None = None,
) -> Years:
    """Read and validate both years (on two cores when large) and the dossier list; `mapping`:
    the column mapping (`--map`) of both years' exports; `sector` (po, so, vo, mbo): what their
    year 1-6 is, when the user chose it (`--sector`; else the data decides)."""
    formats = (
        reader_for(old, format, las_code, mapping),
        reader_for(new, format, las_code, mapping),
    )
    old_loaded, new_loaded = load_years(old, new, formats, mapping, sector)
    dossier_read = read_dossier(dossier) if dossier else None
    return Years(old_loaded, new_loaded, dossier_read, mapping or None, las_code or None)


def load_expected(
    paths: Sequence[Path],
    format: str | None,
    las_code: str | None,
    mapping: Mapping[str, str] | None = None,
    sector: str | None = None,
) -> Loaded:
    """What should arrive in the dossier (`lwtop verify --expected`, the app's last step): the
    upload bundles read as their import files (steps/arrival.py), else the export (`load_one`)."""
    from lwtop_toolkit.steps.arrival import read_expected_bundles

    bundles = read_expected_bundles(paths)
    return bundles if bundles is not None else load_one(paths, format, las_code, mapping, sector)


def load_one(
    paths: Sequence[Path],
    format: str | None,
    las_code: str | None,
    mapping: Mapping[str, str] | None = None,
    sector: str | None = None,
) -> Loaded:
    """Read and validate one delivery, with the LAS's reader when a LAS and no format is given;
    `mapping`: the column mapping (`--map`); `sector`: the sector chosen (`--sector`)."""
    return load(paths, reader_for(paths, format, las_code, mapping), mapping or None, sector)


# --- the plan ------------------------------------------------------------------------------------


@dataclass
class Transition:
    """The plan of both years as every face shows it, with every finding about it."""

    years: Years
    plan: TransitionPlan
    findings: pd.DataFrame  # reading and checking both years, the plan, the dossier list
    moves: pd.DataFrame | None  # several schools: the pupils who change school among them
    hold: Hold  # per school: is the new export held as partial (flows.plan_hold)?

    @property
    def changes(self) -> pd.DataFrame:
        """Every changed field of a matched pupil (`plan.changes`, plan/changes.py): the one
        list preview, the audit workbook, the bundle and the app show."""
        return self.plan.changes


def plan_years(years: Years) -> Transition:
    """Plan the transition of `years`: a board's pupils are matched within their own school,
    as each school's bundle is, and a dossier list scopes the plan."""
    old, new, dossier = years.old, years.new, years.dossier
    several = several_schools(new.tables)
    plan = plan_transition(
        old.tables,
        new.tables,
        dossier=dossier.pupils if dossier is not None else None,
        by_school=several,
        las_code=years.las_code,
    )
    moves = school_moves([plan.students]) if several else None
    held = plan_hold(plan)
    return Transition(years, plan, all_findings(years, plan), moves, held)


def plan_hold(plan: TransitionPlan) -> Hold:
    """Is the new export of each school of `plan` held as partial (plan/hold.py), by the
    limits of the `lwtop.toml` beside that school's export? Its `partial-export` errors join
    the plan's findings, so that preview, worklist and the app show them as the bundle does
    (writers/bundle.py judges each school's bundle the same way)."""
    held = check_hold(plan.students, hold_limits)
    if not held.findings.empty:
        plan.findings = fd.concat([plan.findings, held.findings])
    return held


def all_findings(years: Years, plan: TransitionPlan) -> pd.DataFrame:
    """Reading and validating both years, the plan and the dossier list; a problem found twice
    shown once."""
    combined = fd.concat([years.old.findings, years.new.findings, plan.findings])
    found = fd.sort(fd.distinct(combined))
    if years.dossier is None:
        return found
    return fd.sort(fd.concat([years.dossier.findings, found]))


# --- step 1: the bundles -------------------------------------------------------------------------


@dataclass(frozen=True)
class BundleOptions:
    """How the bundles are written (the CLI's options, the app's choices)."""

    las_code: str = ""
    profile: Profile = TOPDOSSIER
    force: bool = False
    timestamp: dt.datetime | None = None
    audit: bool = True
    all_pupils: bool = False


def staff_links(
    new: Tables, sheets: Sequence[Path] = (), links: Path | None = None
) -> tuple[pd.DataFrame | None, pd.DataFrame]:
    """The staff links of step 2 (a filled workbook or a links CSV), checked against `new`."""
    from lwtop_toolkit.sheets.staff_read import read_staff_links, read_staff_sheet

    if sheets:
        if len(sheets) > 1:  # several only export by export (`bundle`)
            raise ToolkitError("staff-sheets-not-apart")
        return read_staff_sheet(sheets[0], new)
    if links is None:
        return None, fd.empty_findings()
    return read_staff_links(links, new)


def bundle(
    years: Years,
    out_dir: Path,
    options: BundleOptions,
    *,
    format: str | None = None,
    sheets: Sequence[Path] = (),
    links: Path | None = None,
    read_links: tuple[pd.DataFrame, pd.DataFrame] | None = None,
    links_source: Path | None = None,
    note: Callable[[str], object] = lambda line: None,
) -> BundleRun:
    """Write the upload bundle of every school of `years` into `out_dir`.

    A board whose school exports share ids (a teacher at two schools is enough) is bundled
    export by export, each export with last year's of the same schools and its own staff
    workbook; else the delivery is bundled in one run (each bundle still equals that school's
    alone). With a dossier list or staff links (a links CSV, or `read_links`: links and their
    findings read already, as the app reads an uploaded workbook, from the workbook
    `links_source`) the board stays one delivery. The manifest lists every file read, the links
    CSV and the workbooks among them, each with its role. `note` receives the Dutch line about
    shared ids before the bundles are made.
    """
    from lwtop_toolkit.writers.bundle import write_bundles

    old, new, dossier = years.old, years.new, years.dossier
    shared = shared_ids_of(old, new)
    one_links = links is not None or read_links is not None
    apart = (bool(shared) or len(sheets) > 1) and dossier is None and not one_links
    units = export_units(old.tables, new.tables) if apart else None
    if shared:
        note(shared_note(shared, "bundle" if units is not None else "bundle-as-one"))
    if units is not None:
        return bundle_exports(
            units, out_dir, options, format, sheets, years.mapping, sector=years.new.sector
        )
    link_table, link_findings = read_links or staff_links(new.tables, sheets, links)
    run = write_bundles(
        old.tables,
        new.tables,
        out_dir,
        findings=fd.concat(
            [new.findings, link_findings, dossier.findings if dossier else fd.empty_findings()]
        ),
        old_findings=old.findings,
        links=link_table,
        inputs=[*years.inputs, *step2_inputs(sheets, links, links_source)],
        las=options.las_code,
        source_format=new.format,
        profile=options.profile,
        force=options.force,
        timestamp=options.timestamp,
        dossier=dossier.pupils if dossier is not None else None,
        all_pupils=options.all_pupils,
        audit=options.audit,
    )
    return run


def step2_inputs(
    sheets: Sequence[Path], links: Path | None, links_source: Path | None
) -> list[InputFile]:
    """The files of step 2 a bundle was made from: the filled staff workbooks, the links CSV,
    or the workbook the links given already were read from (the app's upload)."""
    workbooks = [*sheets, *([links_source] if links_source is not None else [])]
    return [
        *bundle_inputs.inputs_of(workbooks, bundle_inputs.STAFF_SHEET),
        *bundle_inputs.inputs_of([links] if links is not None else [], bundle_inputs.STAFF_LINKS),
    ]


def bundle_exports(
    units: Sequence[Unit],
    out_dir: Path,
    options: BundleOptions,
    format: str | None = None,
    sheets: Sequence[Path] = (),
    mapping: Mapping[str, str] | None = None,
    *,
    sector: str | None = None,
) -> BundleRun:
    """Each unit loaded (with the column `mapping` and the chosen `sector`) and bundled on its
    own; one BundleRun of all the bundles, and the board overview over all of them.

    `sheets`: the filled staff workbooks (step 2), one per school as `lwtop staff-sheet` made
    them for a board whose exports share ids; each goes with the unit it was made for (its
    hidden sheet), and its links into that unit's bundle. A workbook of none of the units, or
    two of one, raises ToolkitError (`staff-sheet-no-school`, `staff-sheets-one-school`);
    `BundleRun.without_sheet` names the schools that got none.

    Nothing is written until every unit is bundled, then all at once: a bundle refused for
    being there already with other content (ToolkitError) leaves every file as it was.
    """
    from lwtop_toolkit.sheets.staff_read import origin_of, read_staff_sheet, sheet_origin
    from lwtop_toolkit.writers.bundle import write_bundles, write_run
    from lwtop_toolkit.writers.parts import BundleRun

    run = BundleRun()
    writes: list[tuple[Path, bytes]] = []
    origins = {Path(sheet): sheet_origin(sheet) for sheet in sheets}
    used: set[Path] = set()
    for old_exports, new_exports in bar(units, "scholen één voor één", total=len(units)):
        old = load_exports(old_exports, format, mapping, sector)
        new = load_exports(new_exports, format, mapping, sector)
        links, link_findings = None, fd.empty_findings()
        origin = origin_of(new.tables) if origins else None
        mine = [sheet for sheet, made_for in origins.items() if made_for == origin]
        if len(mine) > 1:  # two versions of one school's workbook: which one counts?
            raise ToolkitError("staff-sheets-one-school", file=str(mine[1]), other=str(mine[0]))
        if mine:
            read = [read_staff_sheet(sheet, new.tables) for sheet in mine]
            links = pd.concat([frame for frame, _ in read], ignore_index=True)
            link_findings = fd.concat([found for _, found in read])
            used.update(mine)
        part = write_bundles(
            old.tables,
            new.tables,
            out_dir,
            findings=fd.concat([new.findings, link_findings]),
            old_findings=old.findings,
            links=links,
            inputs=[
                *export_inputs(old, bundle_inputs.OLD_EXPORT),
                *export_inputs(new, bundle_inputs.NEW_EXPORT),
                *step2_inputs(mine, None, None),
            ],
            source_format=new.format,
            deferred=writes,
            las=options.las_code,
            profile=options.profile,
            force=options.force,
            timestamp=options.timestamp,
            audit=options.audit,
        )
        run.bundles.extend(part.bundles)
        if origins and not mine:
            run.without_sheet.extend(bundle.school for bundle in part.bundles)
    for sheet in origins:
        if sheet not in used:
            made_by = las.COMMANDS.make_sheet  # the app passes links read (`read_links`)
            raise ToolkitError("staff-sheet-no-school", file=str(sheet), make_sheet=made_by)
    run.bundles.sort(key=lambda bundle: bundle.school)
    write_run(run, writes, Path(out_dir))
    return run


def load_exports(
    folders: Sequence[str],
    format: str | None,
    mapping: Mapping[str, str] | None = None,
    sector: str | None = None,
) -> Loaded:
    """The exports `folders` (one unit's year) read as one; nothing when there are none."""
    if not folders:  # a school new this year: no export of last year
        return Loaded(tables=Tables(), findings=fd.empty_findings(), format="", files=[])
    return load([Path(folder) for folder in folders], format, mapping, sector)


# --- step 2: the staff workbooks -----------------------------------------------------------------


@dataclass
class StaffSheets:
    """The staff workbooks written: one for the delivery, or one per school of a board whose
    exports share ids (each made from that school's exports alone)."""

    written: list[tuple[Path, StaffPlan]]
    findings: pd.DataFrame  # reading and checking the inputs
    shared: dict[str, int]  # ids the exports share
    per_school: bool


def staff_sheets(years: Years, out: Path, format: str | None = None) -> StaffSheets:
    """Write step 2's workbook to `out`, pre-filled; a board whose exports share ids gets one
    per school, named `<out>-<school>.xlsx`."""
    from lwtop_toolkit.sheets.staff_write import write_staff_plan
    from lwtop_toolkit.steps.staffing import suggest_staff

    old, new = years.old, years.new
    shared = shared_ids_of(old, new)
    units = export_units(old.tables, new.tables) if shared else None
    if not units:
        plan = suggest_staff(old.tables, new.tables)
        found = fd.concat([old.findings, new.findings])
        return StaffSheets([(write_staff_plan(plan, out), plan)], found, shared, False)
    written = []
    found = []
    for old_exports, new_exports in bar(units, "werkmappen per school", total=len(units)):
        old_unit = load_exports(old_exports, format, years.mapping, years.new.sector)
        new_unit = load_exports(new_exports, format, years.mapping, years.new.sector)
        found += [old_unit.findings, new_unit.findings]
        plan = suggest_staff(old_unit.tables, new_unit.tables)
        name = "+".join(schools(new_unit.tables))
        path = out.with_name(f"{out.stem}-{name}{out.suffix}")
        written.append((write_staff_plan(plan, path), plan))
    return StaffSheets(written, fd.sort(fd.concat(found)), shared, True)


@dataclass
class FilledSheet:
    """A filled staff workbook read back: its links and findings, checked against `new`."""

    new: Loaded  # the delivery, or the one school of a board the workbook was made for
    links: pd.DataFrame
    findings: pd.DataFrame
    one_school: bool  # a per-school workbook of a board whose exports share ids


def read_filled_sheet(
    sheet: Path,
    new: Loaded,
    format: str | None = None,
    mapping: Mapping[str, str] | None = None,
    ways: las.Ways = las.COMMANDS,
) -> FilledSheet:
    """Read a filled staff workbook back against the new year (a board's per-school workbook
    against the exports of the school it was made for, read with the column `mapping`); its
    messages name the toolkit's own steps as `ways` does (the commands, or the app's steps)."""
    from lwtop_toolkit.sheets.staff_read import read_staff_sheet

    school = school_of_sheet(sheet, new, format, mapping, ways)
    against = school if school is not None else new
    links, findings = read_staff_sheet(sheet, against.tables, ways)
    return FilledSheet(against, links, fd.sort(findings), school is not None)


def school_of_sheet(
    sheet: Path,
    new: Loaded,
    format: str | None,
    mapping: Mapping[str, str] | None = None,
    ways: las.Ways = las.COMMANDS,
) -> Loaded | None:
    """A board's per-school workbook (`staff_sheets` of exports that share ids) read against
    the whole board: the exports of the school it was made for; None otherwise."""
    from lwtop_toolkit.sheets.staff_read import origin_of, sheet_origin

    origin = sheet_origin(sheet, ways)
    if origin == origin_of(new.tables):
        return None
    units = export_units(Tables(), new.tables) or []
    several = units if len(units) > 1 else []  # one unit: the whole delivery, compared above
    for _, new_exports in bar(several, "de school van de werkmap zoeken", total=len(several)):
        school = load_exports(new_exports, format, mapping, new.sector)
        if origin_of(school.tables) == origin:
            return school
    return None


def transition(
    old: Sequence[Path],
    new: Sequence[Path],
    *,
    format: str | None = None,
    las_code: str | None = None,
    dossier: Sequence[Path] | None = None,
    mapping: Mapping[str, str] | None = None,
    sector: str | None = None,
) -> Transition:
    """Both years read, checked and planned, as `lwtop preview` shows them (for notebooks)."""
    years = load_both(
        old, new, format=format, las_code=las_code, dossier=dossier, mapping=mapping, sector=sector
    )
    return plan_years(years)
