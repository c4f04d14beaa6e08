"""Which schools' bundles a finding goes into: the schools it is about, as when each is alone.

A school bundled together with the rest of its board gets the findings it gets when bundled
alone: those about its own rows (groups, pupils, staff and staff links, of either year), those
about lines of its own files that could not be read as a row, and those about its own files as
a whole. A finding about no file goes to every school. A staff row is part of every school its
staff member goes with (`schools.school_rows`), so a finding about it goes to each of those.

Before this, findings about staff rows and unreadable lines went to every school of the board:
one teacher's e-mail address refused the bundles of all schools, and was written into each.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from lwtop_toolkit.board.schools import group_schools, school_rows, staff_schools
from lwtop_toolkit.findings import SEVERITIES
from lwtop_toolkit.model import SOURCE_FILE, SOURCE_ROW, Tables, export_folders, positions

Rows = dict[str, dict[str, np.ndarray]]  # per table, per school, its rows' positions
OWNER_COLUMNS = ("file", "row", "school")


def row_owners(years: Sequence[tuple[Tables, Rows]]) -> pd.DataFrame:
    """(file, row, school) for every source row and each school whose rows it is part of;
    `years`: each year's tables with their `school_rows`. Rows without a source are left out."""
    parts = []
    for tables, rows in years:
        for name, per_school in rows.items():
            frame = tables[name]
            if frame.empty or not per_school:
                continue
            positions = np.concatenate(list(per_school.values()))
            counts = [len(where) for where in per_school.values()]
            parts.append(
                pd.DataFrame(
                    {
                        "file": frame[SOURCE_FILE].to_numpy()[positions],
                        "row": pd.array(frame[SOURCE_ROW].to_numpy()[positions], dtype="Int64"),
                        "school": np.repeat(np.array(list(per_school), dtype=object), counts),
                    }
                )
            )
    if not parts:
        return pd.DataFrame({column: pd.Series(dtype="object") for column in OWNER_COLUMNS})
    owners = pd.concat(parts, ignore_index=True)
    return owners[owners["file"].ne("") & owners["row"].notna()].reset_index(drop=True)


def link_rows(links: pd.DataFrame, tables: Tables) -> Rows:
    """The staff links (`--staff-links`) of each school: those to its groups in `tables`."""
    return {"medewerker_groepen": positions(links["groep_id"].map(group_schools(tables)))}


def staff_places(old: Tables, new: Tables, links: pd.DataFrame | None) -> pd.DataFrame:
    """(medewerker_id, school) of every staff link of either year and of the staff links given
    for the bundle (`--staff-links`): a staff member goes with the schools of their links, so
    that a school's bundle holds everyone its links name, also a teacher of another school."""
    if links is None:
        return staff_schools(old, new)
    return staff_schools(old, new, Tables(groepen=new.groepen, medewerker_groepen=links))


def owned(findings: pd.DataFrame, owners: pd.DataFrame) -> pd.DataFrame:
    """`findings` with the column `school`: one row per school each finding is about, in the
    findings' order; `school` is missing (NaN) for a finding that goes to every school.

    A finding is about the schools of its (file, row); failing that (a line that could not be
    read, a whole file) the schools of its file's export (folder); failing that, every school.
    """
    if findings.empty:
        return findings.assign(school=pd.Series(dtype="object"))
    keys = pd.DataFrame(
        {
            "file": findings["file"].to_numpy(),
            "row": pd.array(findings["row"].to_numpy(), dtype="Int64"),
            "_finding": np.arange(len(findings)),
        }
    )
    by_row = keys[keys["row"].notna()].merge(owners, on=["file", "row"], how="inner")
    # A row may own several records of one school (a workbook row with two teachers gives two
    # links): its finding goes to that school once.
    by_row = by_row.drop_duplicates(["_finding", "school"])
    rest = keys[~keys["_finding"].isin(by_row["_finding"])]
    by_file = rest.iloc[:0].assign(school=pd.Series(dtype="object"))
    if not rest.empty:
        exports = export_folders(rest["file"])
        by_file = rest.assign(export=exports.to_numpy()).merge(
            _export_schools(owners, set(exports) - {""}), on="export", how="inner"
        )
    anywhere = rest[~rest["_finding"].isin(by_file["_finding"])].assign(school=np.nan)
    found = pd.concat(
        [frame[["_finding", "school"]] for frame in (by_row, by_file, anywhere)],
        ignore_index=True,
    ).sort_values("_finding", kind="stable")
    out = findings.iloc[found["_finding"].to_numpy()].reset_index(drop=True)
    out["school"] = found["school"].to_numpy()
    return out


def school_counts(tables: Tables, findings: pd.DataFrame) -> pd.DataFrame:
    """Per school of a delivery its groups and pupils, and the findings about it by severity
    (`owned`: its own rows and files; a finding about no file counts for none). One row per
    school, sorted with the most errors, then warnings, first (then by school)."""
    rows = school_rows(tables)
    keys = sorted(set(rows["groepen"]) | set(rows["leerlingen"]))
    keyed = owned(findings, row_owners([(tables, rows)])).dropna(subset=["school"])
    tally = keyed.groupby(["school", "severity"]).size()
    columns: dict[str, list[Any]] = {
        "school": keys,
        "groepen": [len(rows["groepen"].get(key, ())) for key in keys],
        "leerlingen": [len(rows["leerlingen"].get(key, ())) for key in keys],
    }
    for severity in SEVERITIES:
        columns[severity] = [int(tally.get((key, severity), 0)) for key in keys]
    counts = pd.DataFrame(columns)
    order = counts.sort_values(["error", "warning", "school"], ascending=[False, False, True])
    return order.reset_index(drop=True)


def of_school(keyed: pd.DataFrame, school: str) -> pd.DataFrame:
    """The findings (`owned`) that go to `school`, without the column `school`."""
    mine = keyed["school"].isna() | keyed["school"].eq(school)
    return keyed[mine.to_numpy()].drop(columns="school").reset_index(drop=True)


def _export_schools(owners: pd.DataFrame, exports: set[str]) -> pd.DataFrame:
    """(export, school) for every school with rows in a file of one of `exports`."""
    files = pd.Series(owners["file"].unique())
    of_file = export_folders(files)
    wanted = set(files[of_file.isin(exports).to_numpy()])
    if not wanted:
        return pd.DataFrame({"export": [], "school": []}, dtype="object")
    rows = owners[owners["file"].isin(wanted)]
    pairs = pd.DataFrame(
        {"export": export_folders(rows["file"]).to_numpy(), "school": rows["school"].to_numpy()}
    )
    return pairs.drop_duplicates()
