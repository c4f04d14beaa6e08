"""Last year beside the new year: `plan_transition(old, new) -> TransitionPlan` (pure, no I/O).

Every pupil of the old year appears exactly once, as matched or `left`; every pupil of the new
year exactly once, as matched or `new`. The pupils are matched in matching.py; the work is
vectorised, never a Python loop over pupils.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from lwtop_toolkit import findings as fd
from lwtop_toolkit.model import SOURCE_FILE, SOURCE_ROW, SchoolYear, Tables
from lwtop_toolkit.plan import anomalies
from lwtop_toolkit.plan.anomalies import GroupLimits
from lwtop_toolkit.plan.changes import empty_changes, field_changes
from lwtop_toolkit.plan.dossier import scope_students
from lwtop_toolkit.plan.flow import flow_matrix, flow_rows, summary_rows
from lwtop_toolkit.plan.frames import (
    LEFT_REASONS,
    MATCHED_STATUSES,
    NEW,
    NO_DOSSIER,
    OLD,
    PO_FINAL_RANK,
    RANKS,
    STATUSES,
    VO_FIRST_RANK,
    age_on,
    group_rows,
    rank,
)
from lwtop_toolkit.plan.matching import match_pupils, plan_positions, year_pupils
from lwtop_toolkit.runtime.progress import stages

# The last VO leerjaar per opleiding (vmbo 4, havo 5, vwo 6), as a rank. When the opleiding is
# unknown only leerjaar 6, the last there is, counts as leaving from the final year.
VO_FINAL_RANK: dict[str, int] = {
    "vmbo": RANKS["14"],
    "mavo": RANKS["14"],
    "havo": RANKS["15"],
    "vwo": RANKS["16"],
    "atheneum": RANKS["16"],
    "gymnasium": RANKS["16"],
    "lyceum": RANKS["16"],
}
VO_LAST_RANK = RANKS["16"]
# S and V have no leerjaar; their pupils leave from the final year at an age. SO/SBO ends like
# PO: a pupil 12 or older on 1 October is in the last year (groep 8 pupils are 11 or 12). VSO
# runs to 18-20: a leaver who was 17 or older is taken as leaving from the last years.
SPECIAL_FINAL_AGE: dict[str, int] = {"S": 12, "V": 17}
_OPLEIDING = re.compile(r"^\s*(" + "|".join(VO_FINAL_RANK) + ")", re.IGNORECASE)

# The pupil columns taken from each year (suffixed `_oud` / `_nieuw` in `students`).
_SIDE_COLUMNS: tuple[str, ...] = (
    "leerling_id",
    "eckid",
    "naam",
    "geboortedatum",
    "school",
    "opleiding",
    "groep",
    "groep_id",
    "jaargroep",
    "samengestelde_groepen",
    SOURCE_FILE,
    SOURCE_ROW,
)

__all__ = [
    "LEFT_REASONS",
    "STATUSES",
    "GroupLimits",
    "TransitionPlan",
    "flow_matrix",
    "plan_transition",
]


@dataclass(eq=False)
class TransitionPlan:
    """The transition from one school year to the next, as frames an analyst can filter.

    * `students`: one row per pupil of either year (`leerling_id`, `naam`, `groep_oud`,
      `jaargroep_oud`, `groep_nieuw`, `jaargroep_nieuw`, `status`, `left_reason`, `flags`, ...);
      group columns hold the group name, `groep_id_oud` / `groep_id_nieuw` the ids. Pupils of the
      new year come first, in the order of the new file, then the pupils who left.
    * `groups`: one row per group of the new year (`jaar` "nieuw"), plus one per old stamgroep
      without successor (`jaar` "oud").
    * `flow`: long form, one row per (school, old group, new group, status, left_reason) with the
      number of `leerlingen`; `flow_matrix` pivots one school.
    * `summary`: counts per status in total, per school and per jaargroep.
    * `findings`: the anomalies, as a Findings frame pointing at the source rows.
    * `changes`: every field of a matched pupil that differs between the years (leerling_id,
      naam, field, old, new, ...; changes.py), in the new file's order.

    A plan scoped to a dossier (`scoped`) has in `students` also `dossier` (has one) and
    `status_las` (the status from the exports alone); see dossier.py.
    """

    students: pd.DataFrame
    groups: pd.DataFrame
    flow: pd.DataFrame
    summary: pd.DataFrame
    findings: pd.DataFrame
    schooljaar_oud: SchoolYear | None = None
    schooljaar_nieuw: SchoolYear | None = None
    pupils_oud: int = 0
    pupils_nieuw: int = 0
    scoped: bool = False
    changes: pd.DataFrame = field(default_factory=empty_changes)

    def status_counts(self) -> dict[str, int]:
        """The number of pupils per status, every status present (`no_dossier` when scoped)."""
        tally = Counter(self.students["status"].tolist())  # value_counts: ~1 ms per school
        statuses = STATUSES if self.scoped else [s for s in STATUSES if s != NO_DOSSIER]
        return {status: int(tally.get(status, 0)) for status in statuses}

    def totals(self) -> dict[str, int]:
        """Pupils of each year (rows of the input) and how the plan accounts for them.

        Counted from the exports' statuses; a scoped plan adds the dossier counts: pupils with a
        dossier, without one, dossier pupils who left, and those found in neither export.
        """
        students = self.students
        las = students["status_las"] if self.scoped else students["status"]
        tally = Counter(las.tolist())  # value_counts and masks: ~2 ms per school
        reasons = Counter(students["left_reason"].to_numpy(dtype=object)[las.eq("left")].tolist())
        totals = {
            "old": self.pupils_oud,
            "new": self.pupils_nieuw,
            "matched": sum(tally[status] for status in MATCHED_STATUSES),
            "new_pupils": tally["new"],
            "left": tally["left"],
            "left_graduated": reasons["graduated"],
            "left_other": reasons["other"],
        }
        if self.scoped:
            status = students["status"]
            totals |= {
                "dossier": int(students["dossier"].sum()),
                "no_dossier": int(status.eq(NO_DOSSIER).sum()),
                "dossier_left": int(status.eq("left").sum()),
                "dossier_not_found": int(las.eq("").sum()),
            }
        return totals

    def totals_add_up(self, totals: dict[str, int] | None = None) -> bool:
        """Every old pupil is matched or left, every new pupil matched or new (`totals`: those
        of `totals()`, when already at hand)."""
        t = totals if totals is not None else self.totals()
        return t["old"] == t["matched"] + t["left"] and t["new"] == t["matched"] + t["new_pupils"]

    def schools(self) -> list[str]:
        return sorted(set(self.students["school"]))


def plan_transition(
    old: Tables,
    new: Tables,
    *,
    limits: GroupLimits | None = None,
    dossier: pd.DataFrame | pd.Series | None = None,
    by_school: bool = False,
    las_code: str | None = None,
) -> TransitionPlan:
    """Match the pupils of `old` and `new`, give each a status, and find the anomalies.

    `by_school` matches pupils only within their own school (BRIN + vestiging), as when each
    school is planned alone: a pupil who moves to another school of the delivery is `left` at
    the one and `new` at the other (the board's bundles, writers/board.py).

    Pupils are matched on the trimmed `leerling_id`, then on `eckid`, then on the id without
    leading zeros (a generated `#`-key only on `eckid`). Statuses are those of DESIGN.md; a
    `left` pupil has `left_reason` `graduated` (out of PO groep 8, or the last VO leerjaar of
    the pupil's opleiding) or `other`. `plan.changes` lists every changed field of a matched
    pupil (changes.py).

    `dossier`, the pupils who have a dossier now (ids as a Series, or a frame with
    `leerling_id`; see `dossier.read_dossier`), scopes the plan: pupils without a dossier get
    status `no_dossier`, dossier pupils in neither export are added as `left`. Groups and
    anomalies stay those of the whole export. `las_code`: the school's LAS, when chosen: an
    export that did not roll over is told what that LAS does (plan/rollover.py).
    """
    with stages("overgang plannen", 4) as step:
        step("leerlingen koppelen")
        old_pupils, new_pupils = year_pupils(old), year_pupils(new)
        old_pos, new_pos, how = match_pupils(old_pupils, new_pupils, by_school=by_school)
        years = (old.schooljaar(), new.schooljaar())
        step("statussen")
        students = _students(old_pupils, new_pupils, old_pos, new_pos, how, years[0])
        changes = field_changes(old, new, (old_pupils, new_pupils), (old_pos, new_pos, how))
        ranks = (rank(students["jaargroep_oud"]), rank(students["jaargroep_nieuw"]))
        step("groepen")
        groups = group_rows(students, old, new)
        step("afwijkingen zoeken")
        found = anomalies.find(
            students,
            groups,
            new,
            years=years,
            ranks=ranks,
            limits=limits or GroupLimits(),
            by_school=by_school,
            changes=changes,
            las_code=las_code,
        )
    students["flags"] = found.student_flags
    groups["flags"] = found.group_flags
    plan_findings = found.findings
    if dossier is not None:
        students, scoping = scope_students(students, dossier)
        plan_findings = fd.concat([plan_findings, scoping])
    return TransitionPlan(
        students=students,
        groups=groups,
        flow=flow_rows(students),
        summary=summary_rows(students),
        findings=plan_findings,
        schooljaar_oud=years[0],
        schooljaar_nieuw=years[1],
        pupils_oud=len(old.leerlingen),
        pupils_nieuw=len(new.leerlingen),
        scoped=dossier is not None,
        changes=changes.reset_index(drop=True),
    )


# --- one row per pupil ---------------------------------------------------------------------------


def _take(frame: pd.DataFrame, positions: np.ndarray, suffix: str) -> pd.DataFrame:
    """Rows of `frame` at `positions` (-1: an empty row), columns suffixed `_<suffix>`."""
    blank = frame.iloc[:0].reindex([len(frame)])  # one row of missing values, same dtypes
    padded = pd.concat([frame, blank]) if len(frame) else blank
    rows = padded.iloc[np.where(positions < 0, len(frame), positions)].reset_index(drop=True)
    rows = rows.loc[:, list(_SIDE_COLUMNS)]
    for column in rows.columns:
        if column not in (SOURCE_ROW, "geboortedatum"):
            rows[column] = rows[column].fillna("").astype("str")
    return rows.add_suffix(f"_{suffix}")


def _students(
    old: pd.DataFrame,
    new: pd.DataFrame,
    old_pos: np.ndarray,
    new_pos: np.ndarray,
    how: np.ndarray,
    old_year: SchoolYear | None,
) -> pd.DataFrame:
    how_of_new = np.full(len(new), "", dtype=object)
    how_of_new[new_pos] = how
    old_idx, new_idx = plan_positions(len(old), len(new), old_pos, new_pos)
    o, n = _take(old, old_idx, OLD), _take(new, new_idx, NEW)
    has_old, has_new = old_idx >= 0, new_idx >= 0

    def pick(column: str) -> pd.Series:
        return n[f"{column}_{NEW}"].where(has_new, o[f"{column}_{OLD}"])

    status, left_reason = _status(o, n, has_old, has_new, old_year)
    students = pd.DataFrame(
        {
            "leerling_id": pick("leerling_id"),
            "leerling_id_oud": o[f"leerling_id_{OLD}"],
            "eckid": pick("eckid"),
            "naam": pick("naam"),
            "geboortedatum": pick("geboortedatum"),
            "school": pick("school"),
            "opleiding": pick("opleiding"),
            "groep_oud": o[f"groep_{OLD}"],
            "groep_id_oud": o[f"groep_id_{OLD}"],
            "jaargroep_oud": o[f"jaargroep_{OLD}"],
            "groep_nieuw": n[f"groep_{NEW}"],
            "groep_id_nieuw": n[f"groep_id_{NEW}"],
            "jaargroep_nieuw": n[f"jaargroep_{NEW}"],
            "samengestelde_groepen_nieuw": n[f"samengestelde_groepen_{NEW}"],
            "status": status,
            "left_reason": left_reason,
            "matched_by": pd.Series(how_of_new, dtype="str").reindex(range(len(o))).fillna(""),
            "flags": "",
            f"{SOURCE_FILE}_{OLD}": o[f"{SOURCE_FILE}_{OLD}"],
            f"{SOURCE_ROW}_{OLD}": o[f"{SOURCE_ROW}_{OLD}"],
            f"{SOURCE_FILE}_{NEW}": n[f"{SOURCE_FILE}_{NEW}"],
            f"{SOURCE_ROW}_{NEW}": n[f"{SOURCE_ROW}_{NEW}"],
            # where a finding about this pupil points: the new file's row, else the old one
            SOURCE_FILE: pick(SOURCE_FILE),
            SOURCE_ROW: pick(SOURCE_ROW),
        }
    )
    for column in ("leerling_id", "naam", "school", "opleiding", "matched_by", "flags"):
        students[column] = students[column].astype("str")
    return students


def _status(
    o: pd.DataFrame,
    n: pd.DataFrame,
    has_old: np.ndarray,
    has_new: np.ndarray,
    old_year: SchoolYear | None,
) -> tuple[pd.Series, pd.Series]:
    old_rank = rank(o[f"jaargroep_{OLD}"]).to_numpy()
    new_rank = rank(n[f"jaargroep_{NEW}"]).to_numpy()
    step = new_rank - old_rank
    comparable = ~np.isnan(step)
    status = np.select(
        [
            ~has_old,
            ~has_new,
            comparable & (step == 1),
            comparable & (step == 0),
            comparable & (step >= 2),
            comparable & (step < 0),
        ],
        ["new", "left", "promoted", "retained", "accelerated", "demoted"],
        default="continuing",
    )
    final = _final_rank(o[f"opleiding_{OLD}"], old_rank)
    graduated = ~has_new & ((old_rank >= final) | _special_final(o, old_year))
    reason = np.where(~has_new, np.where(graduated, "graduated", "other"), "")
    return pd.Series(status, dtype="str"), pd.Series(reason, dtype="str")


def _special_final(o: pd.DataFrame, old_year: SchoolYear | None) -> np.ndarray:
    """S and V have no leerjaar: their last year is judged by age on 1 October of the old year."""
    code = o[f"jaargroep_{OLD}"]
    if old_year is None:
        return np.zeros(len(o), dtype=bool)
    final_age = code.map(SPECIAL_FINAL_AGE).to_numpy(dtype="float64")
    age = age_on(o[f"geboortedatum_{OLD}"], old_year.reference_date).to_numpy(dtype="float64")
    return np.asarray(age >= final_age)  # NaN (no date, not S or V) compares False


def _final_rank(opleiding: pd.Series, old_rank: np.ndarray) -> np.ndarray:
    """The rank a pupil graduates from: groep 8 in PO, the opleiding's last leerjaar in VO."""
    unique = opleiding.unique()
    by_text = {}
    for text in unique:  # few distinct opleidingen
        found = _OPLEIDING.match(str(text))
        by_text[text] = VO_FINAL_RANK[found[1].lower()] if found else VO_LAST_RANK
    vo_final = opleiding.map(by_text).to_numpy(dtype="float64")
    return np.where(old_rank >= VO_FIRST_RANK, vo_final, PO_FINAL_RANK)
