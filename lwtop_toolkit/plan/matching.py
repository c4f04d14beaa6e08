"""The same pupil in two years: each year's pupil rows, the pairs `match_pupils` finds, and the
rows of a plan (the new year's pupils, then those who left).

Vectorised: ids are matched with merges on integer codes (`pd.factorize` over both years),
never with a Python loop over pupils.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lwtop_toolkit.model import (
    SOURCE_FILE,
    SOURCE_ROW,
    Tables,
    display_name,
    joined_school_key,
    listed_ids,
)
from lwtop_toolkit.plan.frames import join_per_key, strip

# How a pupil of the new year was found in the old year (`matched_by`).
MATCH_STAGES: tuple[str, ...] = ("leerling_id", "eckid", "leerling_id-zonder-voorloopnullen")
# A key some EDEXML exports generate where the LAS has no number (`#17`): made anew per export,
# so the same `#`-key in two years is no evidence of the same child. Such pupils are matched by
# ECK-iD only (the reader reports the key as `dummy-key`).
GENERATED_KEY = "#"


def year_pupils(tables: Tables) -> pd.DataFrame:
    """The pupils of one year with trimmed keys, display name, school and group name."""
    pupils = tables.leerlingen
    groups = tables.groepen.drop_duplicates("groep_id")
    group_id = strip(pupils["groep_id"])
    name_of = pd.Series(
        groups["groepsnaam"].to_numpy(), index=groups["groep_id"].to_numpy(), dtype="str"
    )
    group = group_id.map(name_of).astype("str").where(group_id.isin(name_of.index), "")
    out = pd.DataFrame(
        {
            "leerling_id": strip(pupils["leerling_id"]),
            "eckid": strip(pupils["eckid"]),
            "naam": display_name(pupils),
            "geboortedatum": pupils["geboortedatum"],
            "school": strip(pupils["brin"]) + strip(pupils["vestiging"]),
            "opleiding": strip(pupils["opleiding"]),
            "groep": group.where(group.ne(""), group_id),
            "groep_id": group_id,
            "jaargroep": strip(pupils["jaargroep"]),
            "samengestelde_groepen": _group_names(pupils["samengestelde_groepen"], name_of),
            SOURCE_FILE: pupils[SOURCE_FILE],
            SOURCE_ROW: pupils[SOURCE_ROW],
        }
    )
    return out.reset_index(drop=True)


def _group_names(cells: pd.Series, name_of: pd.Series) -> pd.Series:
    """`G1|G2` cells of group ids as `Plusklas, Leesclub` (names where known)."""
    out = pd.Series("", index=cells.index, dtype="str")
    ids = listed_ids(cells)
    if ids.empty:
        return out
    names = ids.map(name_of).fillna(ids).astype("str")
    out.loc[names.index.unique()] = join_per_key(
        pd.Series(names.index), names.reset_index(drop=True)
    )
    return out


def match_pupils(
    old: pd.DataFrame, new: pd.DataFrame, *, by_school: bool = False
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairs (old position, new position, stage) of the same pupil, each row used at most once.

    Stages: trimmed `leerling_id`, then `eckid`, then the id without leading zeros. Within a
    stage, rows sharing a key are paired in file order, so duplicated ids never pair twice.
    A generated `#`-key (`GENERATED_KEY`) pairs by no key stage: only by ECK-iD.
    `by_school`: only rows with the same `school` pair.
    """
    scope = None
    if by_school:
        raw, names = pd.factorize(np.concatenate([old["school"], new["school"]]))
        _, one = np.unique(joined_school_key(names).to_numpy(), return_inverse=True)
        codes = one[raw] if len(raw) else raw  # vestiging 00 or none: one school, as bundled
        scope = (codes[: len(old)], codes[len(old) :])
    old_free = np.ones(len(old), dtype=bool)
    new_free = np.ones(len(new), dtype=bool)
    old_id, new_id = (_own_number(side["leerling_id"]) for side in (old, new))
    keys = {
        "leerling_id": (old_id, new_id),
        "eckid": (old["eckid"], new["eckid"]),
        "leerling_id-zonder-voorloopnullen": (old_id.str.lstrip("0"), new_id.str.lstrip("0")),
    }
    found: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    for stage in MATCH_STAGES:
        old_key, new_key = keys[stage]
        old_idx = np.flatnonzero(old_free & old_key.ne("").to_numpy())
        new_idx = np.flatnonzero(new_free & new_key.ne("").to_numpy())
        if len(old_idx) == 0 or len(new_idx) == 0:
            continue
        scopes = (scope[0][old_idx], scope[1][new_idx]) if scope is not None else None
        o, n = _pair(old_key.to_numpy()[old_idx], new_key.to_numpy()[new_idx], scopes)
        old_free[old_idx[o]] = False
        new_free[new_idx[n]] = False
        found.append((old_idx[o], new_idx[n], np.full(len(o), stage, dtype=object)))
    if not found:
        empty = np.array([], dtype=np.int64)
        return empty, empty, np.array([], dtype=object)
    return tuple(np.concatenate(part) for part in zip(*found, strict=True))  # type: ignore[return-value]


def _own_number(ids: pd.Series) -> pd.Series:
    """The pupil numbers, a generated `#`-key as none ("": never paired by number)."""
    generated = ids.str.startswith(GENERATED_KEY)
    return ids.where(~generated, "") if generated.any() else ids


def _pair(
    old_keys: np.ndarray,
    new_keys: np.ndarray,
    scopes: tuple[np.ndarray, np.ndarray] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Positions pairing equal keys (within a scope); the k-th occurrence pairs with the k-th."""
    codes, _ = pd.factorize(np.concatenate([old_keys, new_keys]))
    if scopes is not None:  # a key within a scope: one integer code for the pair
        scope = np.concatenate(scopes).astype(np.int64)
        codes = codes.astype(np.int64) * (int(scope.max(initial=0)) + 1) + scope
    old_codes, new_codes = codes[: len(old_keys)], codes[len(old_keys) :]
    left = pd.DataFrame({"code": old_codes, "old": np.arange(len(old_codes))})
    right = pd.DataFrame({"code": new_codes, "new": np.arange(len(new_codes))})
    left["k"] = left.groupby("code").cumcount()
    right["k"] = right.groupby("code").cumcount()
    pairs = left.merge(right, on=["code", "k"], how="inner")
    return pairs["old"].to_numpy(), pairs["new"].to_numpy()


def plan_positions(
    old_count: int, new_count: int, old_pos: np.ndarray, new_pos: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The rows of a plan as positions in the old and the new year (-1: not in that year): the
    new year's pupils in file order, then the old year's pupils who left, in file order."""
    old_of_new = np.full(new_count, -1, dtype=np.int64)
    old_of_new[new_pos] = old_pos
    unmatched = np.ones(old_count, dtype=bool)  # setdiff1d sorts: ~1 s per million pupils
    unmatched[old_pos] = False
    left = np.flatnonzero(unmatched)
    old_idx = np.concatenate([old_of_new, left])
    new_idx = np.concatenate([np.arange(new_count), np.full(len(left), -1)])
    return old_idx, new_idx


__all__ = ["GENERATED_KEY", "MATCH_STAGES", "match_pupils", "plan_positions", "year_pupils"]
