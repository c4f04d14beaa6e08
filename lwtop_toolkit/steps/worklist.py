"""Step 1 for a LAS that transfers per pupil or in bulk: what to set ready, per new group (pure).

`build_worklist(plan, new, las)` turns a (dossier-scoped) transition plan into the rows of the
worklist workbook (`writers/worklist.py`): for `per_student` LAS the pupils to set ready one by
one, sorted by new group and name; for `bulk` LAS the groups to select, with per group the
pupils that do not belong in the dossier; for every LAS the dossier pupils who left, whose
dossier must be closed or transferred. No I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from lwtop_toolkit.check.validate import fold
from lwtop_toolkit.las.catalogue import Las
from lwtop_toolkit.model import SOURCE_FILE, SOURCE_ROW, Tables
from lwtop_toolkit.plan.flow import natural_key
from lwtop_toolkit.plan.frames import NO_DOSSIER, STATUS_LABELS, status_keys, strip
from lwtop_toolkit.plan.transition import TransitionPlan

WORKLIST_ACTIONS = ("per_student", "bulk")
# The LAS's own name for the pupil number the school looks a pupil up by.
ID_LABELS: dict[str, str] = {"magister": "Stamnummer"}
DEFAULT_ID_LABEL = "Leerlingnummer"
NO_GROUP = "(zonder groep)"
# Why a dossier pupil is on the `Vertrokken` sheet.
LEFT_REASONS: dict[str, str] = {
    "graduated": "uitgestroomd (uit het laatste leerjaar)",
    "other": "vertrokken van school",
    "not_found": "in geen van beide exports",
}

PUPIL_COLUMNS: tuple[str, ...] = (
    "school", "groep_id", "groep", "leerling_id", "naam", "jaargroep", "groep_oud", "status",
    "dossier", "op_de_lijst", SOURCE_FILE, SOURCE_ROW,
)  # fmt: skip
GROUP_COLUMNS: tuple[str, ...] = (
    "school", "groep_id", "groep", "jaargroep", "leerlingen", "met_dossier", "zonder_dossier",
    "op_de_lijst", "niet_meenemen",
)  # fmt: skip
LEFT_COLUMNS: tuple[str, ...] = (
    "school", "leerling_id", "naam", "groep_oud", "jaargroep_oud", "reden", SOURCE_FILE,
    SOURCE_ROW,
)  # fmt: skip


@dataclass
class Worklist:
    """The rows of one school's worklist.

    * `pupils`: every pupil of the new export, sorted by new group and name, with `op_de_lijst`
      (in scope: has a dossier, or every pupil without a dossier list or with `all_pupils`).
    * `groups`: per new stamgroep its pupils, those with and without a dossier, those on the
      list and (for `bulk`) the names of those not to fetch; `selected` marks the groups to set
      ready (at least one pupil on the list).
    * `left`: the dossier pupils who left (all leavers without a dossier list).
    * `articles`: the addresses of the LAS articles with the steps (`lwtop.toml`).
    """

    las: Las
    schooljaar: str
    brin: str
    pupils: pd.DataFrame
    groups: pd.DataFrame
    left: pd.DataFrame
    scoped: bool
    all_pupils: bool
    # `[artikelen]` of the school's lwtop.toml (LAS code -> address): shown with the steps.
    articles: dict[str, str] = field(default_factory=dict)

    @property
    def action(self) -> str:
        return self.las.action

    @property
    def several(self) -> bool:
        """Whether the list holds pupils of several schools (a board): then every sheet says
        which school a row is of (groups of two schools may have the same name)."""
        return pd.concat([self.pupils["school"], self.left["school"]]).nunique() > 1

    @property
    def id_label(self) -> str:
        return ID_LABELS.get(self.las.code, DEFAULT_ID_LABEL)

    @property
    def listed(self) -> pd.DataFrame:
        """The pupils on the list (to set ready), in list order."""
        return self.pupils[self.pupils["op_de_lijst"]].reset_index(drop=True)

    @property
    def selected(self) -> pd.DataFrame:
        """The groups to set ready: those with a pupil on the list."""
        return self.groups[self.groups["op_de_lijst"].gt(0)].reset_index(drop=True)

    @property
    def excluded(self) -> pd.DataFrame:
        """Pupils in a selected group who are not on the list: not to be fetched (bulk)."""
        chosen = self.pupils["groep_id"].isin(self.selected["groep_id"])
        return self.pupils[chosen & ~self.pupils["op_de_lijst"]].reset_index(drop=True)

    def counts(self) -> dict[str, Any]:
        """The figures a coordinator sees first, JSON-ready."""
        return {
            "las": self.las.code,
            "action": self.action,
            "school_year": self.schooljaar,
            "pupils_in_export": len(self.pupils),
            "listed": int(self.pupils["op_de_lijst"].sum()),
            "not_listed": int((~self.pupils["op_de_lijst"]).sum()),
            "groups": len(self.selected),
            "groups_not_listed": len(self.groups) - len(self.selected),
            "not_to_fetch": len(self.excluded) if self.action == "bulk" else 0,
            "left": len(self.left),
            "dossier_list": self.scoped,
            "all_pupils": self.all_pupils,
        }


def build_worklist(
    plan: TransitionPlan,
    new: Tables,
    las: Las,
    *,
    all_pupils: bool = False,
    articles: Mapping[str, str] | None = None,
) -> Worklist:
    """The worklist of `plan` (made from last year and `new`) for LAS `las`.

    Without a dossier list every pupil is on it; with one only the pupils with a dossier,
    unless `all_pupils`. `articles`: `[artikelen]` of lwtop.toml, shown with the steps. Raises
    ValueError for a LAS whose action is not per pupil or bulk.
    """
    if las.action not in WORKLIST_ACTIONS:
        raise ValueError(f"LAS {las.code!r} has action {las.action!r}: no worklist")
    students = plan.students
    count = plan.pupils_nieuw
    pupils = _pupil_rows(students.iloc[:count], new.leerlingen, plan.scoped, all_pupils)
    year = plan.schooljaar_nieuw
    brins = sorted(set(strip(new.groepen["brin"])) - {""})
    return Worklist(
        las=las,
        schooljaar=str(year) if year else "",
        brin=", ".join(brins),
        pupils=pupils,
        groups=_group_rows(pupils, new),
        left=_left_rows(students.iloc[count:], plan.scoped),
        scoped=plan.scoped,
        all_pupils=all_pupils,
        articles=dict(articles or {}),
    )


def _pupil_rows(
    students: pd.DataFrame, leerlingen: pd.DataFrame, scoped: bool, all_pupils: bool
) -> pd.DataFrame:
    """One row per pupil of the new export, sorted by new group and surname."""
    people = leerlingen.reset_index(drop=True)
    students = students.reset_index(drop=True)
    no_dossier = students["status"].eq(NO_DOSSIER)
    movement = students.assign(status=students["status_las"]) if scoped else students
    group = students["groep_nieuw"].where(students["groep_id_nieuw"].ne(""), NO_GROUP)
    rows = pd.DataFrame(
        {
            "school": students["school"],
            "groep_id": students["groep_id_nieuw"],
            "groep": group,
            "leerling_id": students["leerling_id"],
            "naam": students["naam"],
            "jaargroep": students["jaargroep_nieuw"],
            "groep_oud": students["groep_oud"],
            "status": status_keys(movement).map(STATUS_LABELS).fillna("").astype("str"),
            "dossier": np.where(no_dossier, "nee", "ja") if scoped else "",
            SOURCE_FILE: students[SOURCE_FILE],
            SOURCE_ROW: students[SOURCE_ROW],
            "op_de_lijst": ~no_dossier | all_pupils,
        }
    ).loc[:, list(PUPIL_COLUMNS)]
    order = pd.DataFrame(
        {
            "school": rows["school"],  # a delivery of several schools: one school after another
            "group": _natural_rank(rows["groep"]),
            "surname": fold(strip(people["achternaam"]) + " " + strip(people["tussenvoegsel"])),
            "first": fold(strip(people["roepnaam"])),
            "id": rows["leerling_id"],
        }
    )
    ranked = order.sort_values(list(order.columns), kind="stable").index
    return rows.loc[ranked].reset_index(drop=True)


def _natural_rank(labels: pd.Series) -> pd.Series:
    """Each label's place in natural order (`2` before `10`), computed once per distinct label."""
    ordered = sorted(labels.unique(), key=lambda label: natural_key(str(label)))
    return labels.map({label: rank for rank, label in enumerate(ordered)}).astype("int64")


def _group_rows(pupils: pd.DataFrame, new: Tables) -> pd.DataFrame:
    """Per new stamgroep (in list order) its counts and the pupils not to fetch."""
    groups = new.groepen.drop_duplicates("groep_id")
    jaargroep_of = pd.Series(groups["jaargroep"].to_numpy(), index=strip(groups["groep_id"]))
    rows = []
    for (school, group_id, name), members in pupils.groupby(
        ["school", "groep_id", "groep"], sort=False
    ):
        dossier = members["dossier"].ne("nee")
        outside = members[~members["op_de_lijst"]]
        jaargroep = str(jaargroep_of.get(group_id, "")) or ", ".join(
            sorted(set(members["jaargroep"]) - {""})
        )
        rows.append(
            {
                "school": school,
                "groep_id": group_id,
                "groep": name,
                "jaargroep": jaargroep,
                "leerlingen": len(members),
                "met_dossier": int(dossier.sum()),
                "zonder_dossier": int((~dossier).sum()),
                "op_de_lijst": int(members["op_de_lijst"].sum()),
                "niet_meenemen": "; ".join(
                    f"{naam} ({pupil})"
                    for naam, pupil in zip(outside["naam"], outside["leerling_id"], strict=True)
                ),
            }
        )
    return pd.DataFrame(rows, columns=list(GROUP_COLUMNS))


def _left_rows(students: pd.DataFrame, scoped: bool) -> pd.DataFrame:
    """The pupils who left (with a dossier, when scoped), by last year's group and name."""
    left = students[students["status"].eq("left")]
    not_found = left["status_las"].eq("") if scoped else pd.Series(False, index=left.index)
    reason = left["left_reason"].where(~not_found, "not_found").map(LEFT_REASONS).fillna("")
    rows = pd.DataFrame(
        {
            "school": left["school"],
            "leerling_id": left["leerling_id"],
            "naam": left["naam"],
            "groep_oud": left["groep_oud"],
            "jaargroep_oud": left["jaargroep_oud"],
            "reden": reason.astype("str"),
            SOURCE_FILE: left[SOURCE_FILE],
            SOURCE_ROW: left[SOURCE_ROW],
        }
    )
    order = pd.DataFrame(
        {
            "school": rows["school"],  # a delivery of several schools: one school after another
            "group": _natural_rank(rows["groep_oud"].where(rows["groep_oud"].ne(""), "(~)")),
            "name": fold(rows["naam"]),
            "id": rows["leerling_id"],
        }
    )
    ranked = order.sort_values(list(order.columns), kind="stable").index
    return rows.loc[ranked].reset_index(drop=True)


__all__ = ["ID_LABELS", "LEFT_REASONS", "WORKLIST_ACTIONS", "Worklist", "build_worklist"]
