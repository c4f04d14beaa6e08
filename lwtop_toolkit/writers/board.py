"""A delivery of many schools planned once and cut per school, for the bundles.

Planning each school alone costs about 0.1 s of fixed work per school, an hour for a country.
Here the whole delivery is planned once, pupils matched only within their own school
(`plan_transition(by_school=True)`), and the plan's frames, the findings and the CSV files are
cut per school with group-bys. Each school's part equals the one of that school planned alone:
the roll-over check is judged per school, and a school that does not fit the one plan (no
groups of the delivery's school year in a year) is planned alone. `board_parts` returns None
when the delivery as a whole cannot be cut safely (rows without a source file, a school named
two ways); the caller then plans school by school.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from lwtop_toolkit import findings as fd
from lwtop_toolkit.board.owners import link_rows, owned, row_owners, staff_places
from lwtop_toolkit.board.schools import group_schools, pupil_schools, school_rows, schools
from lwtop_toolkit.model import (
    SOURCE_FILE,
    SOURCE_ROW,
    Tables,
    export_folder,
    export_folders,
    group_positions,
    linked_exports,
    listed_ids,
    positions,
    school_key,
)
from lwtop_toolkit.plan import rollover
from lwtop_toolkit.plan.flow import summary_rows
from lwtop_toolkit.plan.frames import MATCHED_STATUSES, rank, strip
from lwtop_toolkit.plan.transition import TransitionPlan, plan_transition
from lwtop_toolkit.runtime.progress import stages
from lwtop_toolkit.runtime.timing import Stopwatch
from lwtop_toolkit.writers.parts import (
    BUNDLE_TABLES,
    FINDINGS_FILE,
    LINKS_TABLE,
    Parts,
    SchoolPart,
    school_parts,
)
from lwtop_toolkit.writers.profiles import Profile

ROLLOVER_CODES = (
    "las-not-rolled-over",
    "years-swapped",
    "no-pupils-matched",
    "school-years-apart",
)
_EMPTY = np.array([], dtype=np.int64)


def board_parts(
    old: Tables,
    new: Tables,
    findings: pd.DataFrame,
    old_findings: pd.DataFrame,
    links: pd.DataFrame | None,
    profile: Profile,
    clock: Stopwatch,
) -> Parts | None:
    """Every school's part of the bundles, from one plan; None when it must go school by school.

    The CSV files are made when the caller asks (`Parts.make_files`): every table is written
    once and cut per school."""
    of_pupils = (pupil_schools(old), pupil_schools(new))  # ~0.2 s per million: made once
    keys = schools(new, of_pupils[1])
    if len(keys) < 2:
        return None
    with clock("plan"):
        raw_to_school = _school_names(old, new, of_pupils)
        if raw_to_school is None or not _sources_unique(old, new) or not _years_agree(old, new):
            return None
        alone = _schools_alone(old, new, keys)
        borrowing = _borrowing(old, of_pupils[0]) | _borrowing(new, of_pupils[1])
        alone += [key for key in keys if key in borrowing and key not in alone]
        board = [key for key in keys if key not in alone]
        if not board:
            return None  # every school alone: school by school
        places = staff_places(old, new, links)
        new_rows = school_rows(new, places, of_pupils[1])
        old_rows = school_rows(old, places, of_pupils[0])
        sources = [(old, old_rows), (new, new_rows)]
        if links is not None:
            sources.append((Tables(medewerker_groepen=links), link_rows(links, new)))
        owners = row_owners(sources)
        plan = plan_transition(old, new, by_school=True)
        with stages("per school verdelen", 2) as step:
            step("plan")
            pieces = _cut_plan(plan, raw_to_school, board)
            step("bevindingen")
            mine, plan_findings = _findings(
                plan, pieces, old, new, new_rows, board, owners, [findings, old_findings]
            )
        years = (plan.schooljaar_oud, plan.schooljaar_nieuw)
        del plan  # the pieces are copies: the whole plan can go (memory)
        plans = {
            school: SchoolPlan(
                students=pieces.students[school],
                groups=pieces.groups[school],
                flow=pieces.flow[school],
                summary=None,  # made when first asked for (by the audit workbook)
                findings=plan_findings[school],
                schooljaar_oud=years[0],
                schooljaar_nieuw=years[1],
                pupils_oud=len(old_rows["leerlingen"].get(school, _EMPTY)),
                pupils_nieuw=len(new_rows["leerlingen"].get(school, _EMPTY)),
                changes=pieces.changes[school],
            )
            for school in board
        }
    exports = _exports(old, new, old_rows, new_rows)
    year = new.schooljaar()
    brins = new.groepen["brin"].groupby(_school_of(new_rows["groepen"], len(new.groepen))).unique()
    parts = {
        school: SchoolPart(
            school=school,
            name=f"lwtop-{school}-{year if year else 'onbekend-schooljaar'}.zip",
            entries={},
            rows={},
            brin=sorted(set(brins.get(school, [])) - {""}),
            schooljaar=str(year) if year else "",
            plan=plans[school],
            findings=mine[school],
            exports=exports.get(school, set()),
        )
        for school in board
    }
    apart = None
    if alone:
        apart = school_parts(
            old, new, findings, old_findings, links, profile, clock, None, False, only=alone
        )
        parts |= {part.school: part for part in apart.parts}

    def make_files() -> None:
        # each school's findings as its part holds them now (the bundle adds the hold's)
        now = {school: parts[school].findings for school in board}
        files, rows = _csv_files(new, new_rows, links, now, board, profile)
        for school in board:
            parts[school].entries, parts[school].rows = files[school], rows[school]
        if apart is not None:
            apart.make_files()

    return Parts([parts[key] for key in keys], make_files)


class SchoolPlan(TransitionPlan):
    """One school's part of the board's plan; its `summary` is made when first asked for.

    The summary per school costs ~10 ms; only the audit workbook reads it (in a worker).
    """

    _summary: pd.DataFrame | None = None

    @property
    def summary(self) -> pd.DataFrame:
        if self._summary is None:
            self._summary = summary_rows(self.students)
        return self._summary

    @summary.setter
    def summary(self, value: pd.DataFrame | None) -> None:
        self._summary = value


# --- when one plan fits --------------------------------------------------------------------------


def _school_names(
    old: Tables, new: Tables, of_pupils: tuple[pd.Series, pd.Series]
) -> pd.Series | None:
    """The plan's school text (BRIN + vestiging as written) -> the bundle's school key.

    None when one text would belong to two schools (then the cut would not be exact).
    """
    pairs = []
    for tables, of_pupil in zip((old, new), of_pupils, strict=True):
        pupils, groups = tables.leerlingen, tables.groepen
        pairs.append(
            pd.DataFrame(
                {
                    "raw": strip(pupils["brin"]) + strip(pupils["vestiging"]),
                    "school": of_pupil.to_numpy(),
                }
            )
        )
        pairs.append(
            pd.DataFrame(
                {
                    "raw": strip(groups["brin"]) + strip(groups["vestiging"]),
                    "school": school_key(groups["brin"], groups["vestiging"]).to_numpy(),
                }
            )
        )
    unique = pd.concat(pairs, ignore_index=True).drop_duplicates()
    if unique["raw"].duplicated().any():
        return None
    return pd.Series(unique["school"].to_numpy(), index=unique["raw"].to_numpy())


def _sources_unique(old: Tables, new: Tables) -> bool:
    """Whether every group and pupil row has a source (file, row) of its own: then each
    finding about one goes to exactly one school."""
    sources = []
    for tables in (old, new):
        for frame in (tables.groepen, tables.leerlingen):
            if frame[SOURCE_FILE].eq("").any() or frame[SOURCE_ROW].isna().any():
                return False
            sources.append(frame[[SOURCE_FILE, SOURCE_ROW]])
    return not pd.concat(sources, ignore_index=True).duplicated().any()


def _years_agree(old: Tables, new: Tables) -> bool:
    """Each year's groups name at most one school year (then every school has the board's)."""
    return all(
        tables.groepen["schooljaar"].loc[lambda s: s.ne("")].nunique() <= 1 for tables in (old, new)
    )


def _schools_alone(old: Tables, new: Tables, keys: Sequence[str]) -> list[str]:
    """Schools without groups in one of the years: their plan alone has another school year."""
    with_groups = [set(school_key(t.groepen["brin"], t.groepen["vestiging"])) for t in (old, new)]
    return [key for key in keys if key not in with_groups[0] or key not in with_groups[1]]


def _borrowing(tables: Tables, of_pupils: pd.Series) -> set[str]:
    """Schools with a pupil who names (as stamgroep or samengestelde groep) a group that only
    another school's export holds, and the schools of those groups.

    Alone, such a school reports the group as unknown; the one plan looks groups up by id
    across the delivery and would count the pupil in the other school's group. These schools
    are planned alone."""
    pupils, groups = tables.leerlingen, tables.groepen
    exports = export_folders(pupils[SOURCE_FILE])
    ids = pd.concat([pupils["groep_id"], listed_ids(pupils["samengestelde_groepen"])])
    at = group_positions(groups, ids, exports.loc[ids.index], lambda: linked_exports(tables))
    crossed = (at < 0) & ids.ne("").to_numpy()
    crossed &= ids.isin(groups["groep_id"]).to_numpy()
    if not crossed.any():
        return set()
    of_group = group_schools(tables)
    return set(of_pupils.loc[ids.index[crossed]]) | set(of_group.loc[ids[crossed]])


# --- cutting the plan ----------------------------------------------------------------------------


class _Pieces:
    def __init__(self) -> None:
        self.students: dict[str, pd.DataFrame] = {}
        self.groups: dict[str, pd.DataFrame] = {}
        self.flow: dict[str, pd.DataFrame] = {}
        self.changes: dict[str, pd.DataFrame] = {}
        self.school_of_student = pd.Series(dtype="str")


def _split(frame: pd.DataFrame, school: pd.Series, keys: Sequence[str]) -> dict[str, pd.DataFrame]:
    """Each school's rows, in their order: one take in school order, then a slice per school
    (a take per school cost ~1 ms per column block, seconds for a country)."""
    where = positions(school)
    parts = [where.get(key, _EMPTY) for key in keys]
    ordered = frame.iloc[np.concatenate([_EMPTY, *parts])].reset_index(drop=True)
    ends = np.cumsum([len(part) for part in parts]).tolist()
    return {
        key: ordered.iloc[end - len(part) : end].reset_index(drop=True)
        for key, part, end in zip(keys, parts, ends, strict=True)
    }


def _cut_plan(plan: TransitionPlan, raw_to_school: pd.Series, keys: Sequence[str]) -> _Pieces:
    pieces = _Pieces()
    students = plan.students
    school = students["school"].map(raw_to_school)
    pieces.school_of_student = school
    pieces.students = _split(students, school, keys)
    groups = plan.groups
    group_school = groups["school"].map(raw_to_school)
    unknown = group_school.isna()
    if unknown.any():  # groups no groepen row names: the school of their first member
        for side, column in (("nieuw", "groep_id_nieuw"), ("oud", "groep_id_oud")):
            first = school.groupby(students[column]).first()
            mask = unknown & groups["jaar"].eq(side)
            group_school[mask] = groups.loc[mask, "groep_id"].map(first)
    pieces.groups = _split(groups, group_school, keys)
    pieces.flow = _split(plan.flow, plan.flow["school"].map(raw_to_school), keys)
    pieces.changes = _split(plan.changes, plan.changes["school"].map(raw_to_school), keys)
    return pieces


# --- findings ------------------------------------------------------------------------------------


def _findings(
    plan: TransitionPlan,
    pieces: _Pieces,
    old: Tables,
    new: Tables,
    new_rows: dict[str, dict[str, np.ndarray]],
    keys: Sequence[str],
    owners: pd.DataFrame,
    given: list[pd.DataFrame],
) -> tuple[dict[str, pd.DataFrame], dict[str, pd.DataFrame]]:
    """Each school's findings, sorted as `findings.sort` sorts them, and its plan's findings.

    In the order a school alone gets them: the new year's, the plan's (roll-over first), last
    year's; findings about no row of a school go to every school.
    """
    new_findings, old_findings = given
    rest = plan.findings[~plan.findings["code"].isin(ROLLOVER_CODES)]
    rolled = _rollover(plan, pieces, new, new_rows, keys)
    parts = [
        _owned(new_findings, owners, 0),
        rolled.assign(_part=1),
        _owned(rest, owners, 2),
        _owned(old_findings, owners, 3),
    ]
    everything = pd.concat(parts, ignore_index=True)
    everything["_seq"] = np.arange(len(everything))
    anywhere = everything["school"].isna()
    if anywhere.any():  # no row of a school: every school gets it, in its place
        spread = everything[anywhere].drop(columns="school")
        spread = spread.merge(pd.DataFrame({"school": list(keys)}), how="cross")
        everything = pd.concat([everything[~anywhere], spread], ignore_index=True)
    everything = everything[everything["school"].isin(keys)]
    # each problem once per school, as `findings.distinct` keeps it for a school alone
    once = everything[~everything.duplicated([*fd.FINDING_KEY, "school"])]
    order = once["severity"].map({s: i for i, s in enumerate(fd.SEVERITIES)})
    keyed = once.assign(_order=order).sort_values(
        ["school", "_order", "file", "row", "code", "_seq"], kind="stable", na_position="first"
    )
    of_plan = everything[everything["_part"].isin([1, 2])].sort_values("_seq", kind="stable")
    return _cut_findings(keyed, keys), _cut_findings(of_plan, keys)


def _cut_findings(keyed: pd.DataFrame, keys: Sequence[str]) -> dict[str, pd.DataFrame]:
    """The rows of each school as a Findings frame (typed once, then cut)."""
    if not len(keyed):
        return {key: fd.empty_findings() for key in keys}
    typed = fd.concat([keyed[list(fd.FINDING_COLUMNS)]])
    return _split(typed, keyed["school"], keys)


def _owned(findings: pd.DataFrame, owners: pd.DataFrame, part: int) -> pd.DataFrame:
    return owned(findings, owners).assign(_part=part)


def _rollover(
    plan: TransitionPlan,
    pieces: _Pieces,
    new: Tables,
    new_rows: dict[str, dict[str, np.ndarray]],
    keys: Sequence[str],
) -> pd.DataFrame:
    """The roll-over check of each school alone, run only where a school may not have moved on."""
    students, school = plan.students, pieces.school_of_student
    years = (plan.schooljaar_oud, plan.schooljaar_nieuw)
    old_year, new_year = years
    by_years = False
    if old_year is not None and new_year is not None:
        by_years = new_year <= old_year or new_year.start > old_year.start + 1
    status = students["status"]
    matched = status.isin(MATCHED_STATUSES)
    comparable = matched & rank(students["jaargroep_oud"]).notna()
    comparable &= rank(students["jaargroep_nieuw"]).notna() & students["groep_oud"].ne("")
    kept = students["groep_oud"].eq(students["groep_nieuw"])
    kept &= students["jaargroep_oud"].eq(students["jaargroep_nieuw"])
    stats = (
        pd.DataFrame(
            {
                "old": status.ne("new"),
                "new": status.ne("left"),
                "matched": matched,
                "comparable": comparable,
                "kept": kept & comparable,
            }
        )
        .groupby(school.to_numpy())
        .sum()
    )
    suspect = (stats["old"] >= rollover.NO_MATCH_MIN_PUPILS) & (
        stats["new"] >= rollover.NO_MATCH_MIN_PUPILS
    )
    suspect &= stats["matched"].eq(0)
    many = stats["comparable"] >= rollover.NOT_ROLLED_OVER_MIN_PUPILS
    suspect |= many & (stats["kept"] >= rollover.NOT_ROLLED_OVER_SHARE * stats["comparable"] - 1)
    candidates = list(keys) if by_years else [k for k in keys if k in set(stats.index[suspect])]
    found = []
    for key in candidates:
        mine = pieces.students[key]
        tables = Tables(
            **{name: new[name].iloc[new_rows[name].get(key, _EMPTY)] for name in new_rows}
        )
        ranks = (rank(mine["jaargroep_oud"]), rank(mine["jaargroep_nieuw"]))
        checked = rollover.check(mine, tables, years, ranks)
        if checked is not None and not checked.empty:
            found.append(checked.assign(school=key))
    if not found:
        return fd.empty_findings().assign(school=pd.Series(dtype="str"))
    return pd.concat(found, ignore_index=True)


# --- the CSV files -------------------------------------------------------------------------------


def _school_of(per_school: dict[str, np.ndarray], count: int) -> np.ndarray:
    out = np.full(count, None, dtype=object)
    for school, where in per_school.items():
        out[where] = school
    return out


def _csv_files(
    new: Tables,
    new_rows: dict[str, dict[str, np.ndarray]],
    links: pd.DataFrame | None,
    mine: dict[str, pd.DataFrame],
    keys: Sequence[str],
    profile: Profile,
) -> tuple[dict[str, dict[str, bytes]], dict[str, dict[str, int]]]:
    """Each school's CSV files: every table written once and cut into its schools' lines."""
    files: dict[str, dict[str, bytes]] = {key: {} for key in keys}
    rows: dict[str, dict[str, int]] = {key: {} for key in keys}
    tables = [(name, new[name], new_rows[name]) for name in BUNDLE_TABLES]
    if links is not None:
        tables.append((LINKS_TABLE, links, link_rows(links, new)[LINKS_TABLE]))
    for name, frame, per_school in tables:
        parts = [per_school.get(key, _EMPTY) for key in keys]
        cut = _cut(profile.table_csv(frame.iloc[np.concatenate(parts)], name), profile, parts)
        for key, part, data in zip(keys, parts, cut, strict=True):
            files[key][profile.file_name(name)] = data or profile.table_csv(frame.iloc[part], name)
            rows[key][name] = len(part)
    ordered = [mine[key] for key in keys]
    cut = _cut(profile.findings_csv(pd.concat(ordered, ignore_index=True)), profile, ordered)
    for key, findings, data in zip(keys, ordered, cut, strict=True):
        files[key][FINDINGS_FILE] = data or profile.findings_csv(findings)
    return files, rows


def _cut(data: bytes, profile: Profile, parts: Sequence[object]) -> list[bytes | None]:
    """The CSV `data` of all parts, cut into one CSV per part (header repeated).

    None for every part when a value holds a line end (then a line is not a row).
    """
    end = profile.line_end.encode()
    lines = data.split(end)
    counts = [len(part) for part in parts]  # type: ignore[arg-type]
    if len(lines) != sum(counts) + 2:
        return [None] * len(parts)
    out: list[bytes | None] = []
    start = 1
    for count in counts:
        out.append(end.join([lines[0], *lines[start : start + count], b""]))
        start += count
    return out


def _exports(
    old: Tables,
    new: Tables,
    old_rows: dict[str, dict[str, np.ndarray]],
    new_rows: dict[str, dict[str, np.ndarray]],
) -> dict[str, set[str]]:
    """Per school the folders its rows of either year were read from."""
    pairs = [
        pd.DataFrame(
            {
                "school": _school_of(per_school, len(tables[name])),
                "file": tables[name][SOURCE_FILE].to_numpy(dtype=object),
            }
        ).drop_duplicates()
        for tables, rows in ((old, old_rows), (new, new_rows))
        for name, per_school in rows.items()
    ]
    if not pairs:
        return {}
    found = pd.concat(pairs, ignore_index=True).drop_duplicates()
    found = found[found["school"].notna() & found["file"].ne("")]
    folders = {file: export_folder(file) for file in found["file"].unique()}
    folder = found["file"].map(folders)
    return {str(k): set(v) for k, v in folder.groupby(found["school"]).unique().items()}
