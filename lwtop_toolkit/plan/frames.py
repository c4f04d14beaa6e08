"""The vocabulary of a transition plan and its group rows.

`transition.py` builds the pupil rows (`students`); the functions here name the statuses, rank
jaargroepen, and turn the pupils into the group rows (the flow and the counts are in
`transition_flow.py`). All vectorised: group-bys over the pupils, never a Python loop over them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from lwtop_toolkit.model import SOURCE_FILE, SOURCE_ROW, STAMGROEP, Tables, display_name, listed_ids
from lwtop_toolkit.readers.files.values import strip

STATUSES: tuple[str, ...] = (
    "promoted",
    "retained",
    "accelerated",
    "demoted",
    "continuing",
    "new",
    "left",
    "no_dossier",
)
MATCHED_STATUSES: tuple[str, ...] = STATUSES[:5]
# Out of scope: a pupil without a dossier, when the dossier population is given (dossier.py).
NO_DOSSIER = "no_dossier"
LEFT_REASONS: tuple[str, ...] = ("graduated", "other")
# What a coordinator reads: one Dutch label per status, `left` split by its reason.
STATUS_LABELS: dict[str, str] = {
    "promoted": "bevorderd",
    "retained": "doublure",
    "accelerated": "versneld",
    "demoted": "teruggezet",
    "continuing": "doorlopend",
    "new": "nieuw",
    "left-graduated": "vertrokken (uitgestroomd)",
    "left-other": "vertrokken (overig)",
    "no_dossier": "geen dossier",
}
STATUS_EXPLAINED: dict[str, str] = {
    "promoted": "in beide jaren, één jaargroep hoger",
    "retained": "in beide jaren, dezelfde jaargroep",
    "accelerated": "in beide jaren, twee of meer jaargroepen hoger",
    "demoted": "in beide jaren, een lagere jaargroep",
    "continuing": "in beide jaren, jaargroep niet te vergelijken (S, V of leeg)",
    "new": "alleen in het nieuwe jaar",
    "left-graduated": "alleen in het oude jaar, uit het laatste leerjaar (groep 8, examenjaar)",
    "left-other": "alleen in het oude jaar, niet uit het laatste leerjaar",
    "no_dossier": "heeft geen dossier: valt buiten de overgang (alleen met een dossierlijst)",
}


def shown_status_labels(scoped: bool) -> dict[str, str]:
    """The status labels a summary shows: `geen dossier` only for a plan scoped to a dossier."""
    if scoped:
        return STATUS_LABELS
    return {key: label for key, label in STATUS_LABELS.items() if key != NO_DOSSIER}


def status_keys(students: pd.DataFrame) -> pd.Series:
    """Per pupil its key in `STATUS_LABELS`: the status, `left` split by `left_reason`."""
    left = students["status"].eq("left")
    return students["status"].where(~left, "left-" + students["left_reason"])


def status_labels(students: pd.DataFrame) -> pd.Series:
    """Per pupil the Dutch label of the status (`bevorderd`, `vertrokken (uitgestroomd)`)."""
    return status_keys(students).map(STATUS_LABELS).fillna("").astype("str")


# One scale for all jaargroepen: PO groep 0-8, then VO leerjaar 1-6 (codes 11-16) follows groep 8.
# `S` (SO/SBO) and `V` (VSO) have no rank: their pupils are `continuing`.
RANKS: dict[str, int] = {str(n): n for n in range(9)} | {str(n): n - 2 for n in range(11, 17)}


PO_FINAL_RANK = RANKS["8"]
VO_FIRST_RANK = RANKS["11"]
NOT_RANKED = ("S", "V")
OLD, NEW = "oud", "nieuw"


def rank(jaargroep: pd.Series) -> pd.Series:
    """The rank of each jaargroep code (PO 0-8, VO 9-14), NaN where not comparable."""
    return pd.Series(_per_code(jaargroep, _code_rank), index=jaargroep.index, dtype="float64")


def _code_rank(code: str) -> float:
    return float(RANKS.get(code, np.nan))


def _code_sector(code: str) -> str:
    if code in NOT_RANKED:
        return "so"
    if code in RANKS:
        return "vo" if RANKS[code] >= VO_FIRST_RANK else "po"
    return ""


def _per_code(codes: pd.Series, worked_out: Callable[[str], Any]) -> np.ndarray:
    """`worked_out(code)` of each stripped code, once per distinct code (there are few)."""
    positions, distinct = pd.factorize(codes, use_na_sentinel=False)
    values = [worked_out("" if pd.isna(code) else str(code).strip()) for code in distinct]
    return np.asarray(values)[positions]


def age_on(born: pd.Series, day: dt.date) -> pd.Series:
    """Age in whole years on `day` (NaN where the birth date is missing)."""
    reference = pd.Timestamp(day)
    before_birthday = (born.dt.month > reference.month) | (
        (born.dt.month == reference.month) & (born.dt.day > reference.day)
    )
    return (reference.year - born.dt.year - before_birthday.astype("int64")).astype("float64")


def jaargroep_key(code: str) -> tuple[int, float, str]:
    """Order jaargroepen by rank, then S and V, then the empty code."""
    if code in RANKS:
        return (0, RANKS[code], "")
    return (1 if code else 2, 0.0, code)


def sector(jaargroep: pd.Series) -> pd.Series:
    """`so` (S, V), `vo` (leerjaar 11-16) or `po` (groep 0-8) per jaargroep code; else ""."""
    return pd.Series(_per_code(jaargroep, _code_sector), index=jaargroep.index, dtype="str")


def join_per_key(keys: pd.Series, texts: pd.Series, sep: str = ", ") -> pd.Series:
    """`texts` joined per key, in the given order; `keys` must be sorted (grouped together)."""
    if keys.empty:
        return pd.Series([], dtype="str")
    key_values = keys.to_numpy()
    starts = np.flatnonzero(np.r_[True, key_values[1:] != key_values[:-1]])
    pieces = (texts.astype("str") + sep).to_numpy(dtype=object)
    joined = np.add.reduceat(pieces, starts)
    out = pd.Series(joined, index=key_values[starts], dtype="str")
    return out.str.slice(0, -len(sep)) if sep else out


# --- groups --------------------------------------------------------------------------------------

GROUP_COLUMNS: tuple[str, ...] = (
    "jaar",
    "school",
    "groep_id",
    "groepsnaam",
    "soort",
    "sector",
    "jaargroep",
    "jaargroepen",
    "leerlingen",
    "uit_vorig_jaar",
    "doublures",
    "nieuw",
    "vertrokken",
    "uitgestroomd",
    "herkomst",
    "medewerkers",
    "flags",
    SOURCE_FILE,
    SOURCE_ROW,
)
_COUNTS = ("leerlingen", "uit_vorig_jaar", "doublures", "nieuw", "vertrokken", "uitgestroomd")
_SECTOR_ORDER = {"": 0, "po": 1, "vo": 2, "so": 3}


def group_rows(students: pd.DataFrame, old: Tables, new: Tables) -> pd.DataFrame:
    """One row per group of the new year, then one per old stamgroep without successor.

    A new group counts its members (stamgroep and samengestelde groep alike), where they come
    from (`herkomst`), how many are retained or new, and the staff the export links to it. An
    old stamgroep has no successor when none of its pupils is in a stamgroep of the new year.
    """
    present = students["status"].ne("left").to_numpy()
    stam = pd.DataFrame(
        {"pupil": np.flatnonzero(present), "groep_id": students["groep_id_nieuw"][present]}
    )
    # row i of the new pupils is row i of `students` (the new year's pupils come first)
    exploded = listed_ids(new.leerlingen["samengestelde_groepen"].reset_index(drop=True))
    combined = pd.DataFrame({"pupil": exploded.index.to_numpy(), "groep_id": exploded.to_numpy()})
    members = pd.concat([stam.reset_index(drop=True), combined], ignore_index=True)
    members = members[members["groep_id"].ne("")].drop_duplicates()
    new_part = _group_part(NEW, members, students, new, "jaargroep_nieuw")

    gone = students["status"].ne("new").to_numpy()
    old_members = pd.DataFrame(
        {"pupil": np.flatnonzero(gone), "groep_id": students["groep_id_oud"][gone]}
    )
    old_members = old_members[old_members["groep_id"].ne("")]
    old_part = _group_part(OLD, old_members, students, old, "jaargroep_oud")
    continued = students.loc[old_members["pupil"], "groep_id_nieuw"].ne("").to_numpy()
    with_successor = old_members["groep_id"][continued].unique()
    old_part = old_part[
        old_part["soort"].eq(STAMGROEP) & ~old_part["groep_id"].isin(with_successor)
    ]
    return pd.concat([new_part, old_part], ignore_index=True)


def _group_part(
    side: str, members: pd.DataFrame, students: pd.DataFrame, tables: Tables, jaargroep: str
) -> pd.DataFrame:
    info = students.iloc[members["pupil"].to_numpy()]
    status = info["status"].to_numpy()
    counted = pd.DataFrame(
        {
            "groep_id": members["groep_id"].to_numpy(),
            "leerlingen": 1,
            "uit_vorig_jaar": np.isin(status, MATCHED_STATUSES),
            "doublures": status == "retained",
            "nieuw": status == "new",
            "vertrokken": status == "left",
            "uitgestroomd": info["left_reason"].eq("graduated").to_numpy(),
            "jaargroep": info[jaargroep].to_numpy(),
            "origin": _origin(info).to_numpy(),
        }
    )
    by_group = counted.groupby("groep_id")
    stats = by_group[list(_COUNTS)].sum()
    stats["jaargroepen"] = _jaargroepen(counted)
    # a group's sector is its members' "highest": SO over VO over PO
    order = sector(counted["jaargroep"]).map(_SECTOR_ORDER).astype("int64")
    highest = order.groupby(counted["groep_id"]).max()
    stats["sector"] = highest.map({rank: name for name, rank in _SECTOR_ORDER.items()})
    if side == NEW:
        stats["herkomst"] = _origins(counted)
    groups = tables.groepen.drop_duplicates("groep_id")
    out = pd.DataFrame(
        {
            "jaar": side,
            "school": strip(groups["brin"]) + strip(groups["vestiging"]),
            "groep_id": groups["groep_id"],
            "groepsnaam": groups["groepsnaam"],
            "soort": groups["soort"],
            "jaargroep": groups["jaargroep"],
            SOURCE_FILE: groups[SOURCE_FILE],
            SOURCE_ROW: groups[SOURCE_ROW],
        }
    )
    unknown = sorted(stats.index.difference(pd.Index(out["groep_id"])))  # not in groepen
    if unknown:
        extra = pd.DataFrame({"jaar": side, "groep_id": unknown, "groepsnaam": unknown})
        out = pd.concat([out, extra], ignore_index=True)
    out = out.join(stats, on="groep_id")
    out["medewerkers"] = out["groep_id"].map(_staff(tables))
    declared = sector(out["jaargroep"].fillna("").astype("str"))
    out["sector"] = out["sector"].where(out["sector"].notna() & out["sector"].ne(""), declared)
    for column in _COUNTS:
        out[column] = out[column].fillna(0).astype("int64")
    out["flags"] = ""
    out = out.reindex(columns=list(GROUP_COLUMNS))
    text = [c for c in GROUP_COLUMNS if c not in (*_COUNTS, SOURCE_ROW)]
    out[text] = out[text].astype("str").fillna("")
    out[SOURCE_ROW] = out[SOURCE_ROW].astype("Int64")
    return out


def _origin(info: pd.DataFrame) -> pd.Series:
    """Where a member comes from: the old group's name, `nieuw`, or `zonder groep`."""
    fallback = np.where(info["status"].eq("new"), "nieuw", "zonder groep")
    return info["groep_oud"].where(info["groep_id_oud"].ne(""), fallback)


def _jaargroepen(counted: pd.DataFrame) -> pd.Series:
    """The distinct jaargroepen of each group's members, in rank order: `1, 2`."""
    pairs = counted.loc[counted["jaargroep"].ne(""), ["groep_id", "jaargroep"]].drop_duplicates()
    order = {code: jaargroep_key(code) for code in pairs["jaargroep"].unique()}
    position = {code: i for i, code in enumerate(sorted(order, key=order.__getitem__))}
    pairs = pairs.assign(_order=pairs["jaargroep"].map(position)).sort_values(
        ["groep_id", "_order"]
    )
    return join_per_key(pairs["groep_id"], pairs["jaargroep"])


def _origins(counted: pd.DataFrame) -> pd.Series:
    """Per group `4A (24), 4B (2), nieuw (1)`: members per origin, largest first."""
    sizes = counted.groupby(["groep_id", "origin"]).size().rename("n").reset_index()
    sizes = sizes.sort_values(["groep_id", "n", "origin"], ascending=[True, False, True])
    sizes["text"] = sizes["origin"] + " (" + sizes["n"].astype("str") + ")"
    return join_per_key(sizes["groep_id"], sizes["text"])


def _staff(tables: Tables) -> pd.Series:
    """Per group id the names of the staff the export links to it."""
    staff = tables.medewerkers.drop_duplicates("medewerker_id")
    names = pd.Series(display_name(staff).to_numpy(), index=staff["medewerker_id"].to_numpy())
    links = tables.medewerker_groepen.drop_duplicates(["medewerker_id", "groep_id"])
    named = links.assign(naam=links["medewerker_id"].map(names).fillna(links["medewerker_id"]))
    named = named.sort_values("groep_id", kind="stable")
    return join_per_key(named["groep_id"], named["naam"])
