"""Hold a partial export: does the new year lack pupils that it should hold? And the counts of
both years side by side.

Export wizards let a coordinator tick some classes only (Magister: "Kies de gewenste Klassen";
ESIS delivers only the groups made available for links). Such an export reads without a single
finding: its pupils are matched, and every pupil of the classes left out becomes "vertrokken
(overig)". The upload would then close the dossiers of most of the school. So, per school, like
the roll-over check beside it (rollover.py): when a large share of last year's pupils who do not
graduate would leave without a successor, or whole groups of last year vanish while none of
their pupils is in the new year, one `partial-export` error holds the bundle (refused without
`--force`) and says what to check. The limits are the school's (`[overgang]` in `lwtop.toml`,
`readers.school_settings.HoldLimits`, where the defaults are argued from a normal year).

Who graduates is the plan's `left_reason` (`graduated`: out of PO groep 8, the last VO leerjaar
of the pupil's opleiding, SO/VSO at the age of the last year; transition.py). Where the plan
cannot know it, the hold does not count a leaver against the export: a VO pupil without a known
opleiding who leaves from leerjaar 4 or higher may have finished vmbo or havo, and an MBO
student (a crebo number as opleiding) may have finished a programme of any length.

Pure (no I/O): the limits of each school come from `limits_of`, given the school's files.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from lwtop_toolkit import findings as fd
from lwtop_toolkit.model import SOURCE_FILE
from lwtop_toolkit.plan.frames import (
    MATCHED_STATUSES,
    NEW,
    NO_DOSSIER,
    OLD,
    RANKS,
    STATUS_LABELS,
    VO_FIRST_RANK,
)
from lwtop_toolkit.plan.rollover import NO_MATCH_MIN_PUPILS
from lwtop_toolkit.plan.transition import VO_FINAL_RANK
from lwtop_toolkit.readers.school_settings import HoldLimits

CODE = "partial-export"
# A VO pupil whose opleiding the plan does not know may have finished school from leerjaar 4
# (vmbo's last year) on; an MBO student (crebo number) from any year.
VO_MAY_FINISH_RANK = RANKS["14"]
# The opleidingen whose last year the plan knows (transition.py: VO_FINAL_RANK).
_KNOWN_OPLEIDING = re.compile(r"^\s*(" + "|".join(VO_FINAL_RANK) + ")", re.IGNORECASE)
_CREBO = re.compile(r"(?<!\d)\d{5}(?!\d)")
# How many vanished groups a message names before "en nog N".
SHOWN_GROUPS = 10

LimitsOf = Callable[[Sequence[str]], HoldLimits]


@dataclass(frozen=True)
class SchoolHold:
    """One school's figures: last year's pupils, who of them finish, who leave without a
    successor, the groups that vanish, and whether that holds the new export."""

    school: str
    pupils_old: int  # last year's pupils (in last year's export)
    pupils_new: int  # this year's pupils (in the new export)
    finishing: int  # of last year's: leave from their final year (or may have)
    left: int  # of the others: leave without a successor
    matched: int  # in both years
    vanished: tuple[tuple[str, int], ...]  # groups none of whose pupils comes back: name, pupils
    limits: HoldLimits = field(default_factory=HoldLimits)
    # last year's and this year's pupils per status (SIDE_BY_SIDE_KEYS), for `side_by_side`
    before: tuple[int, ...] = ()
    after: tuple[int, ...] = ()

    @property
    def staying(self) -> int:
        """Last year's pupils who do not graduate: the base of the share."""
        return self.pupils_old - self.finishing

    @property
    def share(self) -> float:
        return self.left / self.staying if self.staying else 0.0

    @property
    def by_share(self) -> bool:
        limits = self.limits
        return (
            self.staying >= limits.min_leerlingen
            and self.share * 100 > limits.max_vertrokken_procent
        )

    @property
    def by_groups(self) -> bool:
        return len(self.vanished) > self.limits.max_verdwenen_groepen

    @property
    def no_match(self) -> bool:
        """No pupil found back, though the new export is large enough to hold those who stay:
        the numbers differ, not the classes; `no-pupils-matched` (rollover.py) says so."""
        room = self.pupils_new * 100 >= self.staying * (100 - self.limits.max_vertrokken_procent)
        return (
            self.matched == 0
            and self.pupils_old >= NO_MATCH_MIN_PUPILS
            and self.pupils_new >= NO_MATCH_MIN_PUPILS
            and room
        )

    @property
    def held(self) -> bool:
        return (self.by_share or self.by_groups) and not self.no_match

    def share_text(self) -> str:
        """`201 van de 222 leerlingen die niet uitstromen (91%)`: the share, in Dutch."""
        verb = "uitstroomt" if self.staying == 1 else "uitstromen"
        return f"{self.left} van de {_pupils(self.staying)} die niet {verb} ({self.share:.0%})"

    def leaving_text(self) -> str:
        """`201 van de 222 leerlingen die niet uitstromen (91%) vertrekken zonder opvolger`."""
        verb = "vertrekt" if self.left == 1 else "vertrekken"
        return f"{self.share_text()} {verb} zonder opvolger"

    def groups_text(self, limit: int = SHOWN_GROUPS) -> str:
        """`4A (24), 5B (22)`: the vanished groups with their pupils, the first `limit`."""
        names = [f"{name} ({count})" for name, count in self.vanished[:limit]]
        more = len(self.vanished) - limit
        return ", ".join(names) + (f" en nog {more}" if more > 0 else "")

    def record(self) -> dict[str, Any]:
        """The figures as JSON (the manifest of a forced bundle, `preview --json`)."""
        return {
            "school": self.school,
            "held": self.held,
            "pupils_old": self.pupils_old,
            "pupils_new": self.pupils_new,
            "finishing": self.finishing,
            "not_finishing": self.staying,
            "left_without_successor": self.left,
            "share": round(self.share, 4),
            "vanished_groups": [{"groep": name, "leerlingen": n} for name, n in self.vanished],
            "limits": self.limits.settings(),
            "limits_from": "lwtop.toml" if self.limits.source else "standaard",
        }


@dataclass
class Hold:
    """The hold of a plan: each school's figures, and a `partial-export` error per held one."""

    schools: dict[str, SchoolHold]
    findings: pd.DataFrame

    @property
    def held(self) -> list[SchoolHold]:
        return [school for school in self.schools.values() if school.held]

    def of(self, school: str) -> SchoolHold | None:
        return self.schools.get(school)

    def only(self) -> SchoolHold | None:
        """The figures of a plan of one school; None for none or several."""
        return next(iter(self.schools.values())) if len(self.schools) == 1 else None


def check_hold(students: pd.DataFrame, limits_of: LimitsOf | None = None) -> Hold:
    """The hold of each school of a plan's pupil rows (`TransitionPlan.students`).

    `limits_of(files)` gives a school's limits from the files its new-year rows were read from
    (`school_settings.hold_limits`: the `lwtop.toml` beside them); None: the defaults. Each
    school is judged alone, so the plan of a board gives each school what its own plan gives.
    Vectorised over the pupils: one school of a board's bundles costs about a millisecond.
    """
    status = _Statuses(students["status"])
    las = _Statuses(students["status_las"]) if "status_las" in students else status
    left = las.of("left")
    in_old = left | las.of(*MATCHED_STATUSES)
    in_new = las.of("new", *MATCHED_STATUSES)
    finishing = left & _finishing(students, left)
    gone = left & ~finishing
    codes, names = pd.factorize(students["school"].to_numpy(dtype=object))
    size = len(names)

    def per_school(mask: np.ndarray) -> np.ndarray:
        return np.bincount(codes[mask], minlength=size)

    counts = {
        "pupils_old": per_school(in_old),
        "pupils_new": per_school(in_new),
        "finishing": per_school(finishing),
        "left": per_school(gone),
        "matched": per_school(in_old & in_new),
    }
    files = _school_files(students, codes, size, in_new)
    limits = [limits_of(files[n]) if limits_of else HoldLimits() for n in range(size)]
    vanished = _vanished(students, codes, in_old, left, gone, limits)
    keys = status.keys(students["left_reason"])
    known = keys >= 0
    width = len(SIDE_BY_SIDE_KEYS)

    def per_status(mask: np.ndarray) -> list[tuple[int, ...]]:
        cells = np.bincount(codes[mask] * width + keys[mask], minlength=size * width)
        return [tuple(int(n) for n in row) for row in cells.reshape(size, width)]

    before, after = per_status(in_old & known), per_status(in_new & known)
    schools = {
        str(name): SchoolHold(
            school=str(name),
            **{key: int(values[n]) for key, values in counts.items()},
            vanished=vanished.get(n, ()),
            limits=limits[n],
            before=before[n],
            after=after[n],
        )
        for n, name in enumerate(names)
    }
    held = [_finding(school) for school in schools.values() if school.held]
    return Hold(schools, fd.frame(held) if held else fd.empty_findings())


class _Statuses:
    """A status column factorised once: masks per status, keys of SIDE_BY_SIDE_KEYS."""

    def __init__(self, column: pd.Series) -> None:
        self.codes, uniques = pd.factorize(column.to_numpy(dtype=object))
        self.names = [str(name) for name in uniques]

    def of(self, *statuses: str) -> np.ndarray:
        """Where the status is one of `statuses`."""
        table = np.array([name in statuses for name in self.names] + [False])
        return table[self.codes]

    def keys(self, reasons: pd.Series) -> np.ndarray:
        """Each pupil's row in SIDE_BY_SIDE_KEYS (`left` split by its reason); -1 for none."""
        at = {key: n for n, key in enumerate(SIDE_BY_SIDE_KEYS)}
        index = np.array([at.get(name, -1) for name in self.names] + [-1], dtype=np.int64)
        keys = index[self.codes]
        left = self.of("left")
        if left.any():
            graduated = reasons.to_numpy(dtype=object)[left] == "graduated"
            keys[left] = np.where(graduated, at["left-graduated"], at["left-other"])
        return keys


def _finishing(students: pd.DataFrame, left: np.ndarray) -> np.ndarray:
    """Of the pupils who left, those who graduated, or who may have where the plan cannot
    know it (VO without a known opleiding from leerjaar 4, MBO from any year)."""
    out = np.zeros(len(students), dtype=bool)
    where = np.flatnonzero(left)
    if not len(where):
        return out
    reasons = students["left_reason"].to_numpy(dtype=object)[where]
    levels = students["jaargroep_oud"].to_numpy(dtype=object)[where]
    opleidingen = students["opleiding"].to_numpy(dtype=object)[where]
    may: dict[tuple[object, object], bool] = {}  # few distinct (jaargroep, opleiding)
    for n, (reason, level, opleiding) in enumerate(
        zip(reasons.tolist(), levels.tolist(), opleidingen.tolist(), strict=True)
    ):
        if reason == "graduated":
            out[where[n]] = True
            continue
        key = (level, opleiding)
        if key not in may:
            may[key] = _may_have_finished(level, opleiding)
        out[where[n]] = may[key]
    return out


def _may_have_finished(jaargroep: object, opleiding: object) -> bool:
    """A leaver the plan calls `other` who may have finished: VO or MBO (leerjaar 11-16)
    without a known VO opleiding, from leerjaar 4 on or with a crebo number (MBO)."""
    level = RANKS.get(str(jaargroep).strip() if isinstance(jaargroep, str) else "", -1)
    text = opleiding if isinstance(opleiding, str) else ""
    if level < VO_FIRST_RANK or _KNOWN_OPLEIDING.match(text):
        return False
    return level >= VO_MAY_FINISH_RANK or bool(_CREBO.search(text))


def _school_files(
    students: pd.DataFrame, codes: np.ndarray, size: int, in_new: np.ndarray
) -> list[list[str]]:
    """Per school the files of its new-year rows (a school without any: last year's)."""
    if size == 1:  # one school (each of a board's bundles): no pairs to make
        for column, mask in ((f"{SOURCE_FILE}_{NEW}", in_new), (f"{SOURCE_FILE}_{OLD}", ~in_new)):
            if column in students and mask.any():
                found = pd.unique(students[column].to_numpy(dtype=object)[mask])
                return [[str(file) for file in found if file]]
        return [[]]
    out: list[list[str]] = [[] for _ in range(size)]
    for column, mask in ((f"{SOURCE_FILE}_{NEW}", in_new), (f"{SOURCE_FILE}_{OLD}", ~in_new)):
        if column not in students or not mask.any():
            continue
        file_codes, files = pd.factorize(students[column].to_numpy(dtype=object)[mask])
        pairs = np.unique(codes[mask] * len(files) + file_codes)
        for pair in pairs.tolist():
            school, file = divmod(pair, len(files))
            if (column.endswith(NEW) or not out[school]) and files[file]:
                out[school].append(str(files[file]))
    return out


def _vanished(
    students: pd.DataFrame,
    codes: np.ndarray,
    in_old: np.ndarray,
    left: np.ndarray,
    gone: np.ndarray,
    limits: list[HoldLimits],
) -> dict[int, tuple[tuple[str, int], ...]]:
    """Per school (its code) last year's groups none of whose pupils is in the new year, with
    at least `min_groepsgrootte` pupils who leave without finishing."""
    group_ids = students["groep_id_oud"].to_numpy(dtype=object)
    candidates = np.flatnonzero(gone & (group_ids != ""))
    if not len(candidates):
        return {}
    names = students["groep_oud"].to_numpy(dtype=object)
    per_group: dict[tuple[int, str], list[Any]] = {}  # (school, group id): [name, pupils]
    for school, group_id, name in zip(
        codes[candidates].tolist(),
        group_ids[candidates].tolist(),
        names[candidates].tolist(),
        strict=True,
    ):
        entry = per_group.setdefault((school, group_id), [name, 0])
        entry[1] += 1
    large = {
        key: entry
        for key, entry in per_group.items()
        if entry[1] >= limits[key[0]].min_groepsgrootte
    }
    if not large:
        return {}
    # a pupil of the group who is in the new year (matched) means it did not vanish
    wanted = list({group_id for _, group_id in large})
    back = np.flatnonzero(in_old & ~left & pd.Series(group_ids).isin(wanted).to_numpy())
    returned = set(zip(codes[back].tolist(), group_ids[back].tolist(), strict=True))
    out: dict[int, list[tuple[str, int]]] = {}
    for (school, group_id), (name, count) in large.items():
        if (school, group_id) not in returned:
            out.setdefault(school, []).append((str(name), int(count)))
    return {
        school: tuple(sorted(groups, key=lambda group: _natural(group[0])))
        for school, groups in out.items()
    }


def _natural(label: str) -> list[tuple[int, str]]:
    return [(int(p), "") if p.isdigit() else (-1, p.lower()) for p in re.split(r"(\d+)", label)]


def _finding(school: SchoolHold) -> dict[str, Any]:
    """The `partial-export` error of a held school, with its figures and its limits."""
    limits = school.limits
    reasons = [
        school.leaving_text()
        + (f", meer dan de grens van {limits.max_vertrokken_procent:g}%" if school.by_share else "")
    ]
    if school.vanished:
        count = len(school.vanished)
        reasons.append(
            f"{_groups(count)} van vorig jaar {'komt' if count == 1 else 'komen'} helemaal niet "
            f"terug (geen van {'haar' if count == 1 else 'hun'} leerlingen staat in het nieuwe "
            f"jaar): {school.groups_text()}"
        )
    where = f" (school {school.school})" if school.school else ""
    figures = f"{school.left}/{school.staying}"
    return fd.finding(
        CODE,
        table="leerlingen",
        value=f"{school.school}: {figures}" if school.school else figures,
        where=where,
        reason="; ".join(reasons),
        settings="de lwtop.toml naast de export"
        if limits.source
        else "een lwtop.toml naast de export van het nieuwe jaar (nu gelden de standaardgrenzen)",
    )


def _pupils(count: int) -> str:
    return f"{count} leerling" if count == 1 else f"{count} leerlingen"


def _groups(count: int) -> str:
    return f"{count} groep" if count == 1 else f"{count} groepen"


# --- both years side by side ---------------------------------------------------------------------

# The rows of the table: last year's pupils by what happens to them, this year's by where they
# come from; a pupil in both years is counted in both columns under the same status.
SIDE_BY_SIDE_KEYS: tuple[str, ...] = (
    *MATCHED_STATUSES,
    "left-graduated",
    "left-other",
    "new",
    NO_DOSSIER,
)
# The statuses of one year only: the other year's cell shows a dash, not a 0.
ONE_YEAR: dict[str, str] = {"left-graduated": OLD, "left-other": OLD, "new": NEW}


def side_by_side(schools: Iterable[SchoolHold], scoped: bool = False) -> pd.DataFrame:
    """Last year's and this year's pupils per status, side by side, summed over `schools`:
    `status` (the key of `STATUS_LABELS`), `label`, `vorig_jaar`, `nieuw_jaar`; the last row
    `totaal`. Last year's pupils by what happens to them, this year's by where they come from;
    a pupil in both years counts in both columns. `geen dossier` only in a `scoped` plan."""
    width = len(SIDE_BY_SIDE_KEYS)
    before, after = np.zeros(width, dtype=np.int64), np.zeros(width, dtype=np.int64)
    for school in schools:
        if school.before:
            before += np.asarray(school.before, dtype=np.int64)
            after += np.asarray(school.after, dtype=np.int64)
    shown = [n for n, key in enumerate(SIDE_BY_SIDE_KEYS) if scoped or key != NO_DOSSIER]
    keys = [SIDE_BY_SIDE_KEYS[n] for n in shown]
    return pd.DataFrame(
        {
            "status": [*keys, "totaal"],
            "label": [*(STATUS_LABELS[key] for key in keys), "totaal"],
            "vorig_jaar": [*(int(before[n]) for n in shown), int(before.sum())],
            "nieuw_jaar": [*(int(after[n]) for n in shown), int(after.sum())],
        }
    )
