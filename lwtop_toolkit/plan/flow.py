"""The flow and the counts of a transition plan: long-form flow, one school's old x new matrix,
and the summary per status (in total, per school, per jaargroep).

Views over the pupil rows (`plan.students`, see transition.py), vectorised.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Protocol

import numpy as np
import pandas as pd

from lwtop_toolkit.plan.frames import MATCHED_STATUSES, STATUSES, jaargroep_key


class HasStudents(Protocol):
    """A transition plan (transition.py) as far as `group_order` reads it: its pupil rows."""

    @property
    def students(self) -> pd.DataFrame: ...


class HasFlow(HasStudents, Protocol):
    """A transition plan as far as `flow_matrix` reads it: its long-form flow and pupils."""

    @property
    def flow(self) -> pd.DataFrame: ...


_FLOW_KEYS = [
    "school",
    "groep_id_oud",
    "groep_oud",
    "groep_id_nieuw",
    "groep_nieuw",
    "status",
    "left_reason",
]


def flow_rows(students: pd.DataFrame) -> pd.DataFrame:
    """Pupils per (school, old stamgroep, new stamgroep, status, left_reason); long form.

    A plan scoped to a dossier also keys on `status_las`, the status from the exports alone.
    """
    keys = [*_FLOW_KEYS, *(["status_las"] if "status_las" in students else [])]
    counted = students.groupby(keys, sort=True, dropna=False).size()
    return counted.rename("leerlingen").reset_index()


NEW_LABEL, LEFT_LABEL, NO_GROUP_LABEL = "(nieuw)", "(vertrokken)", "(zonder groep)"


def chosen_school(schools: Iterable[str], school: str | None) -> str:
    """`school`, or the plan's one school when not given; ValueError (Dutch, it reaches an
    analyst's notebook) when the plan holds several and none was chosen."""
    if school is not None:
        return school
    names = sorted(set(schools))
    if len(names) > 1:
        raise ValueError(
            f"Het plan bevat {len(names)} scholen; kies er één met school=...: {', '.join(names)}"
        )
    return names[0] if names else ""


def group_order(plan: HasStudents, school: str | None = None) -> tuple[list[str], list[str]]:
    """Last year's and the new year's group names of one school in the order a flow shows them
    (the flow picture's nodes, `flow_matrix`'s rows and columns): by year, then by name in
    natural order (`natural_key`: 2 before 10), so that the bands of a year run side by side.

    A group's year is the lowest of its pupils' years (`jaargroep_key`: groep 0-8, then
    leerjaar 1-6, then S, V and none), for every sector: a VO school's `2HV1`, `2T1` come
    before `V3a`, `3HB`, whatever their names. `school` as in `flow_matrix`.
    """
    students = plan.students
    schools = students["school"].to_numpy(dtype=object)
    mine = schools == chosen_school(schools, school)
    return _ordered(students, "oud", mine), _ordered(students, "nieuw", mine)


def _ordered(students: pd.DataFrame, year: str, mine: np.ndarray) -> list[str]:
    ids = students[f"groep_id_{year}"].to_numpy(dtype=object)[mine]
    grouped = ids != ""
    names = students[f"groep_{year}"].to_numpy(dtype=object)[mine][grouped]
    codes = students[f"jaargroep_{year}"].to_numpy(dtype=object)[mine][grouped]
    ranked = sorted({str(code) for code in codes}, key=jaargroep_key)
    rank = {code: number for number, code in enumerate(ranked)}
    lowest: dict[str, int] = {}
    for name, code in zip(names.tolist(), codes.tolist(), strict=True):
        at = rank[str(code)]
        if lowest.get(name, at) >= at:
            lowest[name] = at
    by_name = sorted(sorted(lowest), key=natural_key)  # ties (4A, 4a): as text
    return sorted(by_name, key=lowest.__getitem__)  # stable: by name within a year


def flow_matrix(plan: HasFlow, school: str | None = None) -> pd.DataFrame:
    """Old group (rows) x new group (columns) counts of one school, group names as labels.

    Pupils new to the school come from the row `(nieuw)`; pupils who left go to the column
    `(vertrokken)`. `school` (BRIN + vestiging) may be left out when the plan has one school.
    Groups in `group_order` (by year, then name), the pseudo-groups last.
    """
    flow = plan.flow
    schools = flow["school"].to_numpy(dtype=object)
    mine = schools == chosen_school(schools, school)
    status = flow["status"].to_numpy(dtype=object)[mine]
    if "status_las" in flow:  # scoped to a dossier: where a pupil went is the exports' matter
        las = flow["status_las"].to_numpy(dtype=object)[mine]
        status = np.where(las != "", las, status)
    old_label = _flow_labels(
        flow, "oud", mine, np.where(status == "new", NEW_LABEL, NO_GROUP_LABEL)
    )
    new_label = _flow_labels(
        flow, "nieuw", mine, np.where(status == "left", LEFT_LABEL, NO_GROUP_LABEL)
    )
    counts = flow["leerlingen"].to_numpy()[mine]
    # a pivot by hand (pd.crosstab costs ~10 ms): positions of the sorted labels, then a sum
    old_order, new_order = group_order(plan, school)
    rows = _in_order(set(old_label), old_order)
    columns = _in_order(set(new_label), new_order)
    row_at = _positions(old_label, rows)
    column_at = _positions(new_label, columns)
    cells = np.bincount(
        row_at * len(columns) + column_at, weights=counts, minlength=len(rows) * len(columns)
    )
    return pd.DataFrame(
        cells.astype("int64").reshape(len(rows), len(columns)),
        index=pd.Index(rows, dtype="str", name="groep_oud"),
        columns=pd.Index(columns, dtype="str", name="groep_nieuw"),
    )


def _in_order(labels: set[str], order: list[str]) -> list[str]:
    """`labels` as `order` has them; the others (the pseudo-groups) after, in natural order."""
    at = {label: number for number, label in enumerate(order)}
    rest = sorted(sorted(labels.difference(at)), key=natural_key)
    return [label for label in order if label in labels] + rest


def _flow_labels(flow: pd.DataFrame, year: str, mine: np.ndarray, other: np.ndarray) -> list[str]:
    """The group name of one year where there is a group id, else the pseudo-group `other`."""
    names = flow[f"groep_{year}"].to_numpy(dtype=object)[mine]
    ids = flow[f"groep_id_{year}"].to_numpy(dtype=object)[mine]
    return np.where(ids != "", names, other).tolist()


def _positions(values: list[str], labels: list[str]) -> np.ndarray:
    at = {label: number for number, label in enumerate(labels)}
    return np.fromiter((at[value] for value in values), dtype=np.int64, count=len(values))


def natural_key(label: str) -> tuple[int, list[tuple[int, str]]]:
    """Sort `2` before `10` and pseudo-groups like `(nieuw)` last."""
    parts = [(int(p), "") if p.isdigit() else (-1, p.lower()) for p in re.split(r"(\d+)", label)]
    return (1 if label.startswith("(") else 0, [p for p in parts if p != (-1, "")])


_SUMMARY_EXTRA = ["uitgestroomd", "leerlingen_oud", "leerlingen_nieuw"]


def summary_rows(students: pd.DataFrame) -> pd.DataFrame:
    """Counts per status: in total, per school and per jaargroep (new one, else the old one).

    `leerlingen_oud` / `leerlingen_nieuw` count the pupils of each year in that school or
    jaargroep; in the total row they equal the matched statuses plus `left` / plus `new`.
    """
    # in which year a pupil is: from the exports' status (`status_las` in a scoped plan)
    las = _status_numbers(
        students["status_las"] if "status_las" in students else students["status"]
    )
    has_old = np.isin(las, [*range(len(MATCHED_STATUSES)), STATUSES.index("left")])
    has_new = np.isin(las, [*range(len(MATCHED_STATUSES)), STATUSES.index("new")])
    status = _status_numbers(students["status"])
    counted = status >= 0
    graduated = students["left_reason"].eq("graduated").to_numpy(dtype=bool)
    school = students["school"].to_numpy(dtype=object)
    jaargroep_oud = students["jaargroep_oud"].to_numpy(dtype=object)
    jaargroep_nieuw = students["jaargroep_nieuw"].to_numpy(dtype=object)
    jaargroep = np.where(has_new, jaargroep_nieuw, jaargroep_oud)
    parts = []
    for level, key, old_by, new_by in (
        ("totaal", np.full(len(students), "alle", dtype=object), None, None),
        ("school", school, None, None),
        ("jaargroep", jaargroep, jaargroep_oud, jaargroep_nieuw),
    ):
        old_by = key if old_by is None else old_by[has_old]
        new_by = key if new_by is None else new_by[has_new]
        if level == "totaal":
            labels = ["alle"]
        else:
            labels = sorted(set(key).union(old_by, new_by))
            if level == "jaargroep":
                labels = sorted(labels, key=jaargroep_key)
        at = {label: number for number, label in enumerate(labels)}
        row = _label_positions(key, at)
        size = len(labels)
        cells = np.bincount(
            row[counted] * len(STATUSES) + status[counted], minlength=size * len(STATUSES)
        ).reshape(size, len(STATUSES))
        old_rows = row[has_old] if old_by is key else _label_positions(old_by, at)
        new_rows = row[has_new] if new_by is key else _label_positions(new_by, at)
        parts.append(
            [
                np.full(size, level, dtype=object),
                np.array(labels, dtype=object),
                *cells.T,
                np.bincount(row[graduated], minlength=size),
                np.bincount(old_rows, minlength=size),
                np.bincount(new_rows, minlength=size),
            ]
        )
    names = ["niveau", "waarde", *STATUSES, *_SUMMARY_EXTRA]
    columns = [np.concatenate([part[n] for part in parts]) for n in range(len(names))]
    summary = pd.DataFrame(
        {
            name: pd.array(column, dtype="str") if n < 2 else column.astype(np.int64, copy=False)
            for n, (name, column) in enumerate(zip(names, columns, strict=True))
        }
    )
    summary.columns = pd.Index(names, dtype="str", name="status")
    return summary


def _status_numbers(status: pd.Series) -> np.ndarray:
    """Each status as its position in STATUSES; -1 for anything else."""
    codes, uniques = pd.factorize(status)
    numbers = np.array([*(STATUSES.index(u) if u in STATUSES else -1 for u in uniques), -1])
    return numbers[codes]


def _label_positions(values: np.ndarray, at: dict[str, int]) -> np.ndarray:
    codes, uniques = pd.factorize(values)
    return np.array([at[u] for u in uniques] + [-1], dtype=np.int64)[codes]
