"""One delivery may hold several schools (BRIN + vestiging): split Tables per school.

A school is named by its BRIN plus its vestiging (`12AB`, `12AB01`); vestiging `00` is the
main location and means the same as none. Groups carry the school; pupils belong to the school
of their stamgroep (else their own `brin`/`vestiging`); staff links to the school of the group.
Staff without any link go with every school of their own export (the folder they came from).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lwtop_toolkit.model import (
    SOURCE_FILE,
    UNKNOWN_SCHOOL,
    Tables,
    export_folders,
    group_positions,
    linked_exports,
    positions,
    school_key,
)


def group_schools(tables: Tables) -> pd.Series:
    """The school of every group, indexed by groep_id."""
    groups = tables.groepen.drop_duplicates("groep_id")
    return pd.Series(
        school_key(groups["brin"], groups["vestiging"]).to_numpy(), index=groups["groep_id"]
    )


def pupil_schools(tables: Tables) -> pd.Series:
    """The school of every pupil (aligned with `tables.leerlingen`): that of its stamgroep in
    its own export (`group_positions`), else its own BRIN + vestiging, else (a pupil in an
    unknown group, in an export without a BRIN column for pupils) the one school of its
    export's groups: the child stays in its school's plan and bundle, with its error."""
    pupils, groups = tables.leerlingen, tables.groepen
    own = school_key(pupils["brin"], pupils["vestiging"])
    exports = export_folders(pupils[SOURCE_FILE])
    at = group_positions(groups, pupils["groep_id"], exports, lambda: linked_exports(tables))
    of_group = school_key(groups["brin"], groups["vestiging"]).to_numpy(dtype=object)
    via_group = np.where(at >= 0, of_group[np.maximum(at, 0)] if len(groups) else "", own)
    lost = (at < 0) & (via_group == UNKNOWN_SCHOOL)
    if lost.any() and len(groups):
        found = exports[lost].map(_export_school(groups)).fillna(UNKNOWN_SCHOOL)
        via_group[lost] = found.to_numpy(dtype=object)
    return pd.Series(via_group, index=pupils.index, dtype="str")


def _export_school(groups: pd.DataFrame) -> dict[str, str]:
    """Per export (folder) whose groups are all of one known school: that school."""
    keys = pd.DataFrame(
        {
            "export": export_folders(groups[SOURCE_FILE]).to_numpy(),
            "school": school_key(groups["brin"], groups["vestiging"]).to_numpy(),
        }
    ).drop_duplicates()
    keys = keys[keys["school"].ne(UNKNOWN_SCHOOL)]
    single = keys.drop_duplicates("export", keep=False)
    return dict(zip(single["export"], single["school"], strict=True))


def schools(tables: Tables, of_pupils: pd.Series | None = None) -> list[str]:
    """Every school of the delivery, sorted (`of_pupils`: `pupil_schools(tables)` when at hand)."""
    of_pupils = pupil_schools(tables) if of_pupils is None else of_pupils
    found = set(group_schools(tables).unique()) | set(of_pupils.unique())
    return sorted(found) or [UNKNOWN_SCHOOL]


def several_schools(tables: Tables) -> bool:
    """Whether the delivery holds more than one school (a board): then each school is planned
    and bundled as if alone."""
    return len(schools(tables)) > 1


def staff_schools(*years: Tables) -> pd.DataFrame:
    """(medewerker_id, school) for every staff link of the given years."""
    parts = [
        pd.DataFrame(
            {
                "medewerker_id": tables.medewerker_groepen["medewerker_id"].to_numpy(),
                "school": tables.medewerker_groepen["groep_id"]
                .map(group_schools(tables))
                .to_numpy(),
            }
        )
        for tables in years
    ]
    return pd.concat(parts, ignore_index=True).dropna().drop_duplicates()


def school_rows(
    tables: Tables,
    staff_places: pd.DataFrame | None = None,
    of_pupils: pd.Series | None = None,
) -> dict[str, dict[str, np.ndarray]]:
    """Per table, per school, the positions of its rows (in file order); see `split_schools`.

    One pass over each table (a group-by), so that a delivery of thousands of schools costs
    no more than one of a few. `of_pupils`: `pupil_schools(tables)` when at hand.
    """
    of_pupils = pupil_schools(tables) if of_pupils is None else of_pupils
    keys = schools(tables, of_pupils)
    of_group = group_schools(tables)
    rows = {
        "groepen": tables.groepen["groep_id"].map(of_group),
        "leerlingen": of_pupils,
        "medewerker_groepen": tables.medewerker_groepen["groep_id"].map(of_group),
    }
    out = {name: positions(key) for name, key in rows.items()}
    out["medewerkers"] = _staff_positions(tables, rows, keys, staff_places)
    return out


def staff_homes(tables: Tables) -> pd.DataFrame:
    """(medewerker_id, school) for each school a staff member of `tables` is of, as the bundles
    place them (`school_rows`): the schools of their links in `tables`, else those of their own
    export. Empty for a delivery of one school: there every staff member is of that school."""
    if not several_schools(tables):
        return pd.DataFrame({"medewerker_id": [], "school": []}, dtype="str")
    ids = tables.medewerkers["medewerker_id"].to_numpy()
    per_school = school_rows(tables)["medewerkers"]
    pairs = pd.DataFrame(
        {
            "medewerker_id": np.concatenate([ids[at] for at in per_school.values()] or [[]]),
            "school": np.repeat(list(per_school), [len(at) for at in per_school.values()]),
        },
        dtype="str",
    )
    return pairs[pairs["medewerker_id"].ne("")].drop_duplicates().reset_index(drop=True)


def _staff_positions(
    tables: Tables,
    rows: dict[str, pd.Series],
    keys: list[str],
    staff_places: pd.DataFrame | None,
) -> dict[str, np.ndarray]:
    """Staff go with the schools of their links (this year's or `staff_places`); staff linked
    nowhere go with every school of their own export (folder), or every school when unknown."""
    places = staff_schools(tables) if staff_places is None else staff_places
    places = pd.concat([places, staff_schools(tables)], ignore_index=True)
    staff = tables.medewerkers
    ids = staff["medewerker_id"]
    placed = pd.DataFrame({"position": np.arange(len(staff)), "medewerker_id": ids.to_numpy()})
    placed = placed.merge(places.drop_duplicates(), on="medewerker_id")
    unplaced = np.flatnonzero(~ids.isin(places["medewerker_id"]).to_numpy())
    export_schools = pd.DataFrame(
        {
            "export": pd.concat(
                [
                    export_folders(tables.groepen[SOURCE_FILE]),
                    export_folders(tables.leerlingen[SOURCE_FILE]),
                ]
            ).to_numpy(),
            "school": pd.concat([rows["groepen"], rows["leerlingen"]]).to_numpy(),
        }
    ).dropna()
    export_schools = export_schools[export_schools["export"].ne("")].drop_duplicates()
    staff_export = export_folders(staff[SOURCE_FILE]).to_numpy()[unplaced]
    known = set(export_schools["export"])
    by_export = pd.DataFrame({"position": unplaced, "export": staff_export})
    anywhere = by_export[~by_export["export"].isin(known)]  # no source, or a folder of staff only
    parts = [
        placed[["position", "school"]],
        by_export.merge(export_schools, on="export")[["position", "school"]],
        pd.DataFrame(
            {
                "position": np.repeat(anywhere["position"].to_numpy(), len(keys)),
                "school": np.tile(np.array(keys, dtype=object), len(anywhere)),
            }
        ),
    ]
    pairs = pd.concat(parts, ignore_index=True).drop_duplicates()
    pairs = pairs.sort_values("position", kind="stable")
    return {
        str(school): np.asarray(positions, dtype=np.int64)
        for school, positions in pairs.groupby("school", sort=False)["position"]
    }


def split_schools(
    tables: Tables,
    staff_places: pd.DataFrame | None = None,
    rows: dict[str, dict[str, np.ndarray]] | None = None,
) -> dict[str, Tables]:
    """One Tables per school; with one school, the tables as they are (`rows`: `school_rows`
    of `tables` and `staff_places`, when at hand).

    Staff go with the schools whose groups they are linked to, in `tables` or in
    `staff_places` (for example last year's links); staff linked nowhere go with every school
    of their own export (the folder they were read from; every school when that is unknown).
    """
    keys = schools(tables)
    if len(keys) == 1:
        return {keys[0]: tables}
    rows = school_rows(tables, staff_places) if rows is None else rows
    empty = np.array([], dtype=np.int64)
    return {
        key: Tables(
            **{
                name: tables[name].iloc[rows[name].get(key, empty)].reset_index(drop=True)
                for name in ("groepen", "leerlingen", "medewerkers", "medewerker_groepen")
            }
        )
        for key in keys
    }
