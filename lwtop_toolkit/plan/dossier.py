"""The dossier population: a plan scoped to the pupils who have a dossier now.

Not every pupil has a dossier: in a regular school only the pupils with extra support do. The
dossier list is read by readers/dossier.py; only the pupils' ids (and ECK-iD and name, where
given) are used.

`scope_students` is the pure step `plan_transition(..., dossier=...)` ends with: a pupil of the
new export without a dossier gets status `no_dossier`, a pupil who left without a dossier too
(out of scope either way); a dossier pupil in neither export is added as `left`, so that the
coordinator knows to close or transfer the dossier. The status from the exports alone stays in
`status_las`, and the column `dossier` says who has one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from lwtop_toolkit import findings as fd
from lwtop_toolkit.model import SOURCE_FILE, SOURCE_ROW, Tables
from lwtop_toolkit.plan.frames import NO_DOSSIER, strip
from lwtop_toolkit.plan.matching import match_pupils
from lwtop_toolkit.readers.dossier import DOSSIER_TABLE, Dossier, dossier_pupils

# --- scoping a plan ------------------------------------------------------------------------------


def scope_students(
    students: pd.DataFrame, dossier: Dossier | Tables | pd.DataFrame | pd.Series
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The plan's pupil rows scoped to the dossier, and the findings of scoping (pure).

    Dossier pupils are found among the rows by last year's id, then the ECK-iD, then the id
    without leading zeros, and then by this year's id. A row without a dossier gets status
    `no_dossier`; a dossier pupil in neither export is added as `left` (`left_reason` `other`,
    `status_las` empty) with a `dossier-pupil-not-found` finding.
    """
    has, missing = find_dossier_pupils(students, dossier)
    scoped = students.copy()
    scoped["status_las"] = scoped["status"]
    scoped["dossier"] = has
    scoped.loc[~has, "status"] = NO_DOSSIER
    notes = not_found_findings(missing)
    if missing.empty:
        return scoped, notes
    return pd.concat([scoped, _left_rows(scoped, missing)], ignore_index=True), notes


def find_dossier_pupils(
    students: pd.DataFrame, dossier: Dossier | Tables | pd.DataFrame | pd.Series
) -> tuple[np.ndarray, pd.DataFrame]:
    """Per row of a plan (`leerling_id_oud`, `leerling_id`, `eckid`): of a dossier pupil; and
    the dossier pupils (one row per pupil) found among none, as `scope_students` finds them."""
    pupils = dossier_pupils(dossier)
    # one dossier row per pupil: a doubled line in a dossier list means the same pupil
    doubled = pupils["leerling_id"].ne("") & pupils.duplicated("leerling_id")
    pupils = pupils[~doubled].reset_index(drop=True)
    has = np.zeros(len(students), dtype=bool)
    free = np.ones(len(pupils), dtype=bool)
    earlier = students["leerling_id_oud"].where(students["leerling_id_oud"].ne(""))
    for ids in (earlier.fillna(students["leerling_id"]), students["leerling_id"]):
        candidates = pd.DataFrame(
            {"leerling_id": ids.where(~has, ""), "eckid": students["eckid"].where(~has, "")}
        )
        free_rows = np.flatnonzero(free)
        if not len(free_rows):
            break
        dossier_pos, student_pos, _ = match_pupils(pupils.iloc[free_rows], candidates)
        has[student_pos] = True
        free[free_rows[dossier_pos]] = False
    return has, pupils[free]


def not_found_findings(pupils: pd.DataFrame) -> pd.DataFrame:
    """`dossier-pupil-not-found` for dossier pupils found in neither export."""
    naam = pupils["naam"].where(pupils["naam"].ne(""), "naam onbekend")
    return fd.for_rows(
        "dossier-pupil-not-found", pupils, table=DOSSIER_TABLE, column="leerling_id", naam=naam
    )


def _left_rows(students: pd.DataFrame, missing: pd.DataFrame) -> pd.DataFrame:
    """Rows for dossier pupils in neither export: `left`, pointing at the dossier's row."""
    rows = students.iloc[:0].reindex(range(len(missing)))
    for column in rows.columns:
        if rows[column].dtype == "str" or students[column].dtype == "str":
            rows[column] = ""
    rows["leerling_id"] = missing["leerling_id"].to_numpy()
    rows["naam"] = missing["naam"].to_numpy()
    rows["status"] = "left"
    rows["status_las"] = ""
    rows["left_reason"] = "other"
    rows["dossier"] = True
    rows[SOURCE_FILE] = missing[SOURCE_FILE].to_numpy()
    rows[SOURCE_ROW] = missing[SOURCE_ROW].astype("Int64").to_numpy()
    return rows.astype(students.dtypes.to_dict())


def in_scope(students: pd.DataFrame, *, all_pupils: bool = False) -> pd.Series:
    """Per pupil row: part of the work (not `no_dossier`, unless `all_pupils`)."""
    if all_pupils:
        return pd.Series(True, index=students.index)
    return students["status"].ne(NO_DOSSIER)


def split_dossier(
    dossier: pd.DataFrame, schools: Mapping[str, Sequence[Tables]]
) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """The dossier rows of each school (found among its pupils of either year), and the rest.

    For a delivery of several schools: each school's plan is scoped with its own dossier
    pupils, so that a pupil of school A is not reported missing at school B.
    """
    pupils = dossier_pupils(dossier)
    free = np.ones(len(pupils), dtype=bool)
    mine: dict[str, pd.DataFrame] = {}
    for school, years in schools.items():
        taken = np.zeros(len(pupils), dtype=bool)
        for tables in years:
            keys = dossier_pupils(tables)
            positions, _, _ = match_pupils(pupils, keys)
            taken[positions] = True
        mine[school] = pupils[taken].reset_index(drop=True)
        free &= ~taken
    return mine, pupils[free].reset_index(drop=True)


def scoped_tables(new: Tables, students: pd.DataFrame) -> tuple[Tables, dict[str, int]]:
    """The new year's tables holding only the pupils in scope, their groups and those links.

    `students` are a scoped plan's rows, whose first rows are the new year's pupils in file
    order. Groups without any pupil in scope are left out, with their staff links; the staff
    list stays whole. Returns the tables and what was left out (for the manifest).
    """
    count = len(new.leerlingen)
    keep = students["status"].iloc[:count].ne(NO_DOSSIER).to_numpy()
    pupils = new.leerlingen[keep].reset_index(drop=True)
    listed = pupils["samengestelde_groepen"].str.split("|").explode().str.strip()
    used = set(strip(pupils["groep_id"])) | set(listed.dropna())
    groups = new.groepen[strip(new.groepen["groep_id"]).isin(used)].reset_index(drop=True)
    links = new.medewerker_groepen
    links = links[strip(links["groep_id"]).isin(used)].reset_index(drop=True)
    left_out = {
        "pupils_left_out": int((~keep).sum()),
        "groups_left_out": len(new.groepen) - len(groups),
        "links_left_out": len(new.medewerker_groepen) - len(links),
    }
    return Tables(groups, pupils, new.medewerkers, links), left_out


def out_of_scope_findings(findings: pd.DataFrame, students: pd.DataFrame) -> pd.DataFrame:
    """Findings about new-year pupil rows without a dossier, their table marked `(geen dossier)`.

    Such rows are not uploaded: their errors are reported, but do not stop the bundle.
    """
    if findings.empty:
        return findings
    out = students[students["status"].eq(NO_DOSSIER) & students["_row_nieuw"].notna()]
    rows = set(zip(out["_file_nieuw"], out["_row_nieuw"].astype("int64"), strict=True))
    key = zip(findings["file"], findings["row"].fillna(-1).astype("int64"), strict=True)
    hit = pd.Series([pair in rows for pair in key], index=findings.index)
    hit &= findings["table"].eq("leerlingen")
    marked = findings.copy()
    marked.loc[hit, "table"] = marked.loc[hit, "table"] + " " + OUT_OF_SCOPE_MARK
    return marked


OUT_OF_SCOPE_MARK = "(geen dossier)"

__all__ = [
    "OUT_OF_SCOPE_MARK",
    "find_dossier_pupils",
    "in_scope",
    "not_found_findings",
    "out_of_scope_findings",
    "scope_students",
    "scoped_tables",
    "split_dossier",
]
