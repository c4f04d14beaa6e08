"""One delivery may hold several schools (BRIN + vestiging): split Tables per school.

A school is named by its BRIN plus its vestiging (`12AB`, `12AB01`); vestiging `00` is the
main location and means the same as none. Groups carry the school; pupils belong to the school
of their stamgroep (else their own `brin`/`vestiging`); staff links to the school of the group.
Staff without any link go with every school of their own export (the folder they came from).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from lwtop_toolkit.model import SOURCE_FILE, Tables

UNKNOWN_SCHOOL = "onbekend"
SCHOOL_NODE = "\x1f"  # `linked_exports`: a school among the export folders it links


def school_key(brin: pd.Series, vestiging: pd.Series) -> pd.Series:
    """`12AB` or `12AB01` per row; `onbekend` when there is no BRIN."""
    location = vestiging.where(~vestiging.isin(["", "00"]), "")
    key = brin + location
    return key.mask(brin.eq(""), UNKNOWN_SCHOOL)


def joined_school_key(keys: pd.Series | np.ndarray) -> pd.Series:
    """`school_key` of keys already joined (`12AB00`, as a plan's `school` column holds them):
    vestiging `00` (the main location) the same as none."""
    keys = pd.Series(keys, dtype="str")
    main = keys.str.len().eq(6) & keys.str.endswith("00")
    return keys.where(~main, keys.str[:4])


def group_schools(tables: Tables) -> pd.Series:
    """The school of every group, indexed by groep_id."""
    groups = tables.groepen.drop_duplicates("groep_id")
    return pd.Series(
        school_key(groups["brin"], groups["vestiging"]).to_numpy(), index=groups["groep_id"]
    )


def group_positions(
    groups: pd.DataFrame,
    ids: pd.Series,
    exports: pd.Series,
    linked: Callable[[], Mapping[str, str]] | None = None,
) -> np.ndarray:
    """Per reference to a group (`ids`, read from the export `exports`, aligned), the position
    in `groups` of the group it names, or -1: the first group of that id in the same export.

    An export keeps its group ids its own: a pupil of one school whose group id is a group of
    another school's export names no group (as when the school is read alone). A reference
    from an export that has no groups at all (or no known file) looks among every group.
    `linked` (`lambda: linked_exports(tables)`, asked only when a reference crosses exports)
    joins exports of the same school: one school's files from two folders are one export.
    """
    group_ids = groups["groep_id"].to_numpy(dtype=object)
    ids_np, exports_np = ids.to_numpy(dtype=object), exports.to_numpy(dtype=object)
    at = _first_positions(group_ids, ids_np)  # by id alone: ids are mostly unique
    if not len(group_ids):
        return at
    group_exports = export_folders(groups[SOURCE_FILE]).to_numpy(dtype=object)
    elsewhere = (at >= 0) & (group_exports[np.maximum(at, 0)] != exports_np)
    if elsewhere.any() and linked is not None:  # the same school's exports count as one
        joined = linked()
        group_exports = np.array([joined.get(e, e) for e in group_exports], dtype=object)
        exports_np = pd.Series(exports_np, dtype=object).map(lambda e: joined.get(e, e)).to_numpy()
        elsewhere = (at >= 0) & (group_exports[np.maximum(at, 0)] != exports_np)
    if elsewhere.any():  # in another export's groups: look in its own export (when it has any)
        own = pd.Series(exports_np[elsewhere]).isin(pd.unique(group_exports)).to_numpy()
        check = np.flatnonzero(elsewhere)[own & (exports_np[elsewhere] != "")]
        keys = pd.Series(group_exports, dtype="str") + "\x1f" + pd.Series(group_ids, dtype="str")
        wanted = (
            pd.Series(exports_np[check], dtype="str")
            + "\x1f"
            + pd.Series(ids_np[check], dtype="str")
        )
        at[check] = _first_positions(keys.to_numpy(dtype=object), wanted.to_numpy(dtype=object))
    return at


def linked_exports(tables: Tables) -> dict[str, str]:
    """Each export (folder) -> the first of the exports it goes with: exports whose groups or
    pupils name a school in common, also through other exports (one school's files given from
    two folders). Rows of no known school or file link nothing."""
    parent: dict[str, str] = {}

    def root(node: str) -> str:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    groups, pupils = tables.groepen, tables.leerlingen
    with_groups = export_folders(groups[SOURCE_FILE])
    pupil_exports = export_folders(pupils[SOURCE_FILE])
    pupils = pupils[~pupil_exports.isin(with_groups).to_numpy()]  # the schools of groups suffice
    for frame in (groups, pupils):
        pairs = pd.DataFrame(
            {
                "export": export_folders(frame[SOURCE_FILE]).to_numpy(),
                "school": school_key(frame["brin"], frame["vestiging"]).to_numpy(),
            }
        ).drop_duplicates()
        pairs = pairs[pairs["export"].ne("") & pairs["school"].ne(UNKNOWN_SCHOOL)]
        for export, school in pairs.itertuples(index=False, name=None):
            into, other = root(export), root(SCHOOL_NODE + school)
            if into == other:
                continue
            # an export stays the root over a school; of two exports, the first in sort order
            if into.startswith(SCHOOL_NODE) or (not other.startswith(SCHOOL_NODE) and other < into):
                into, other = other, into
            parent[other] = into
    return {node: root(node) for node in parent if not node.startswith(SCHOOL_NODE)}


def _first_positions(keys: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """Per wanted key the position of its first occurrence in `keys`, or -1."""
    if not len(keys):
        return np.full(len(wanted), -1, dtype=np.intp)
    first = np.flatnonzero(~pd.Series(keys, dtype=object).duplicated().to_numpy())
    found = pd.Index(keys[first], dtype=object).get_indexer(wanted)
    return np.where(found >= 0, first[np.maximum(found, 0)], -1)


def pupil_schools(tables: Tables) -> pd.Series:
    """The school of every pupil (aligned with `tables.leerlingen`): that of its stamgroep in
    its own export (`group_positions`), else its own BRIN + vestiging."""
    pupils, groups = tables.leerlingen, tables.groepen
    own = school_key(pupils["brin"], pupils["vestiging"])
    exports = export_folders(pupils[SOURCE_FILE])
    at = group_positions(groups, pupils["groep_id"], exports, lambda: linked_exports(tables))
    of_group = school_key(groups["brin"], groups["vestiging"]).to_numpy(dtype=object)
    via_group = np.where(at >= 0, of_group[np.maximum(at, 0)] if len(groups) else "", own)
    return pd.Series(via_group, index=pupils.index, dtype="str")


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


def positions(key: pd.Series) -> dict[str, np.ndarray]:
    """Per value of `key` (a school), the positions of its rows in order; missing keys: none."""
    if key.empty:
        return {}
    return {
        str(school): np.asarray(where, dtype=np.int64)
        for school, where in key.reset_index(drop=True)
        .groupby(key.to_numpy(), sort=False)
        .indices.items()
    }


def export_folders(files: pd.Series) -> pd.Series:
    """The export (folder) each row was read from; "" when the row has no source file."""
    names = files.fillna("").astype("str")
    return names.map({name: export_folder(name) if name else "" for name in names.unique()})


def export_folder(source_file: str) -> str:
    """The folder (export) of a row's source file (`_file`, perhaps with ` [sheet]`)."""
    return str(Path(str(source_file).split(" [")[0]).parent)


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
