"""Step 2, pure: who may be linked to a group, and who to suggest for each new group.

`suggest_staff(old, new)` gives a `StaffPlan`: per new stamgroep, and then per samengestelde
groep (a Plusklas: its teacher is linked to it as well), its jaargroep, pupil count, the
suggested staff with the source of the suggestion, and who taught most of its pupils last year;
plus the staff who may be linked (`rol` in `PRODUCT_ROLES` and in the new year's staff list) and,
apart, those who may not and why. No I/O: the workbook writer and reader build on this.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from lwtop_toolkit.board.schools import group_schools, staff_homes
from lwtop_toolkit.model import PRODUCT_ROLES, SAMENGESTELDE_GROEP, STAMGROEP, Tables, listed_ids
from lwtop_toolkit.plan.matching import match_pupils, year_pupils
from lwtop_toolkit.readers.names import staff_label

MAX_SUGGESTED = 3  # suggestions (b) are capped; links the export carries (a) are all kept
# Where a suggestion came from: a stable code, and the Dutch words the workbook shows.
SOURCE_EXPORT, SOURCE_SAME_GROUP, SOURCE_SAME_JAARGROEP, SOURCE_NONE = (
    "export",
    "same_group",
    "same_jaargroep",
    "none",
)
SOURCE_LABELS: dict[str, str] = {
    SOURCE_EXPORT: "koppeling in export",
    SOURCE_SAME_GROUP: "zelfde groep vorig jaar",
    SOURCE_SAME_JAARGROEP: "zelfde jaargroep vorig jaar",
    SOURCE_NONE: "geen suggestie",
}
GROUP_COLUMNS: tuple[str, ...] = (
    "groep_id",
    "groepsnaam",
    "jaargroep",
    "aantal_leerlingen",
    "soort",  # STAMGROEP or SAMENGESTELDE_GROEP
)
STAFF_COLUMNS: tuple[str, ...] = (
    "medewerker_id",
    "roepnaam",
    "tussenvoegsel",
    "achternaam",
    "email",
    "rol",
    "label",
)
REASON_NO_ROLE = "heeft geen rol in TOP dossier"
REASON_WRONG_ROLE = (
    "heeft de rol '{rol}'; alleen TOP leerkracht en TOP leerkracht + worden gekoppeld"
)
REASON_NOT_IN_NEW_YEAR = "staat niet in de medewerkerslijst van het nieuwe schooljaar"


@dataclass(frozen=True)
class StaffPlan:
    """The pre-filled content of the staff–group assignment workbook.

    `groups`: one row per new stamgroep, then one per samengestelde groep (`soort`), the
    columns of `GROUP_COLUMNS` plus `school` (BRIN +
    vestiging when the new year holds several schools, else ""), `medewerkers`
    (tuple of suggested ids), `bron` (a `SOURCE_*` code), `vorig_jaar` (Dutch text) and
    `vorig_jaar_ids` (tuple). `eligible`: the staff who may be linked (`STAFF_COLUMNS`).
    `not_linkable`: `medewerker_id`, `label`, `rol`, `reden` (Dutch). `homes`: on a board,
    (`medewerker_id`, `school`) for each school an eligible person is of (`schools.staff_homes`);
    empty for one school.
    """

    schooljaar: str
    brin: str
    groups: pd.DataFrame
    eligible: pd.DataFrame
    not_linkable: pd.DataFrame
    homes: pd.DataFrame


def staff_frame(tables: Tables) -> pd.DataFrame:
    """The staff of `tables` (first row per id) with a `label` column, in `STAFF_COLUMNS`."""
    staff = tables.medewerkers
    staff = staff[staff["medewerker_id"].ne("")].drop_duplicates("medewerker_id")
    labels = [
        staff_label(*row)
        for row in staff[["roepnaam", "tussenvoegsel", "achternaam", "medewerker_id"]].itertuples(
            index=False, name=None
        )
    ]
    return (
        staff.assign(label=pd.Series(labels, index=staff.index, dtype="str"))
        .loc[:, list(STAFF_COLUMNS)]
        .reset_index(drop=True)
    )


def eligible_staff(new: Tables) -> pd.DataFrame:
    """The new year's staff whose product role may be linked to a group."""
    staff = staff_frame(new)
    return staff[staff["rol"].isin(PRODUCT_ROLES)].reset_index(drop=True)


def role_reason(rol: str) -> str:
    """Why a person with product role `rol` cannot be linked ("" when they can)."""
    if rol in PRODUCT_ROLES:
        return ""
    return REASON_WRONG_ROLE.format(rol=rol) if rol else REASON_NO_ROLE


def not_linkable_staff(old: Tables | None, new: Tables) -> pd.DataFrame:
    """Staff who cannot be linked, with the Dutch reason: no product role, or gone this year.

    "Gone" are last year's staff and the staff the new export links, when the new year's staff
    list lacks them.
    """
    staff = staff_frame(new)
    records = [
        (row.medewerker_id, row.label, row.rol, role_reason(row.rol))
        for row in staff.itertuples()
        if row.rol not in PRODUCT_ROLES
    ]
    present = set(staff["medewerker_id"])
    former = staff_frame(old) if old is not None else staff_frame(Tables())
    for row in former.itertuples():
        if row.medewerker_id not in present:
            records.append((row.medewerker_id, row.label, row.rol, REASON_NOT_IN_NEW_YEAR))
            present.add(row.medewerker_id)
    for medewerker_id in new.medewerker_groepen["medewerker_id"]:
        if medewerker_id and medewerker_id not in present:
            records.append((medewerker_id, medewerker_id, "", REASON_NOT_IN_NEW_YEAR))
            present.add(medewerker_id)
    return pd.DataFrame(records, columns=["medewerker_id", "label", "rol", "reden"], dtype="str")


def group_rows(tables: Tables) -> pd.DataFrame:
    """The groups of `tables` a teacher is linked to: the stamgroepen in export order, then the
    samengestelde groepen in export order. `groep_id`, name, jaargroep, pupil count, `soort`.

    A group without a jaargroep of its own (a combination group, a Plusklas) shows its pupils'
    jaargroepen (`1/2`); a samengestelde groep's pupils are those who list it.
    """
    groups = tables.groepen[tables.groepen["groep_id"].ne("")].drop_duplicates("groep_id")
    soort = groups["soort"]
    groups = pd.concat([groups[soort.eq(STAMGROEP)], groups[soort.eq(SAMENGESTELDE_GROEP)]])
    pupils = tables.leerlingen
    listed = listed_ids(pupils["samengestelde_groepen"])
    members = pd.DataFrame(
        {
            "groep_id": pd.concat([pupils["groep_id"], listed], ignore_index=True),
            "jaargroep": pd.concat(
                [pupils["jaargroep"], pupils["jaargroep"].loc[listed.index]], ignore_index=True
            ),
        }
    )
    counts = members["groep_id"].value_counts()
    of_pupils = members.groupby("groep_id")["jaargroep"].agg(lambda values: _jaargroepen(values))
    jaargroep = [
        own if own else str(of_pupils.get(group_id, ""))
        for own, group_id in zip(groups["jaargroep"], groups["groep_id"], strict=True)
    ]
    return pd.DataFrame(
        {
            "groep_id": groups["groep_id"].to_numpy(),
            "groepsnaam": groups["groepsnaam"].to_numpy(),
            "jaargroep": pd.array(jaargroep, dtype="str"),
            "aantal_leerlingen": [int(counts.get(g, 0)) for g in groups["groep_id"]],
            "soort": pd.array(groups["soort"].to_numpy(), dtype="str"),
        }
    )


def _jaargroepen(values: Iterable[str]) -> str:
    codes = {value for value in values if value}
    return "/".join(
        sorted(
            codes, key=lambda code: (not code.isdigit(), int(code) if code.isdigit() else 0, code)
        )
    )


def fingerprint(groups: pd.DataFrame) -> str:
    """sha256 of the ordered group list (ids and names): recognises another school or year."""
    text = "\n".join(
        f"{gid}\t{name}" for gid, name in zip(groups["groep_id"], groups["groepsnaam"], strict=True)
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def school_of(tables: Tables) -> tuple[str, str]:
    """The school year and the BRIN(s) (comma-separated) of `tables`."""
    year = tables.schooljaar()
    brins = sorted({brin for brin in tables.groepen["brin"] if brin})
    return (str(year) if year else ""), ",".join(brins)


def suggest_staff(old: Tables, new: Tables) -> StaffPlan:
    """The pre-filled suggestion per new stamgroep (see the module docstring)."""
    groups = group_rows(new)
    eligible = eligible_staff(new)
    allowed = set(eligible["medewerker_id"])
    old_links = _links_by_group(old, allowed)
    new_links = _links_by_group(new, allowed)
    suggested: list[tuple[str, ...]] = [()] * len(groups)
    sources = [SOURCE_NONE] * len(groups)
    for index, group_id in enumerate(groups["groep_id"]):
        if new_links.get(group_id):
            suggested[index], sources[index] = tuple(new_links[group_id]), SOURCE_EXPORT
    old_groups = group_rows(old)
    schools = _schools(new, groups, old, old_groups)
    old_names = zip(schools[1], old_groups["soort"], old_groups["groepsnaam"], strict=True)
    old_by_name = dict(zip(old_names, old_groups["groep_id"], strict=True))
    names = zip(schools[0], groups["soort"], groups["groepsnaam"], strict=True)
    for index, key in enumerate(names):
        if sources[index] == SOURCE_NONE and old_links.get(old_by_name.get(key, "")):
            staff = old_links[old_by_name[key]][:MAX_SUGGESTED]
            suggested[index], sources[index] = tuple(staff), SOURCE_SAME_GROUP
    _by_jaargroep(groups, old_groups, schools, old_links, suggested, sources)
    previous = _previous_teachers(old, new, groups)
    groups = groups.assign(
        school=pd.Series(schools[0], index=groups.index, dtype="str"),  # "": one school
        medewerkers=pd.Series(suggested, index=groups.index, dtype=object),
        bron=pd.Series(sources, index=groups.index, dtype="str"),
        vorig_jaar=pd.Series([text for text, _ in previous], index=groups.index, dtype="str"),
        vorig_jaar_ids=pd.Series([ids for _, ids in previous], index=groups.index, dtype=object),
    )
    schooljaar, brin = school_of(new)
    homes = staff_homes(new)
    homes = homes[homes["medewerker_id"].isin(allowed)].reset_index(drop=True)
    return StaffPlan(schooljaar, brin, groups, eligible, not_linkable_staff(old, new), homes)


def _links_by_group(tables: Tables, allowed: set[str]) -> dict[str, list[str]]:
    """Group id -> the allowed staff linked to it, in link order, each once."""
    out: dict[str, list[str]] = {}
    links = tables.medewerker_groepen
    for staff_id, group_id in zip(links["medewerker_id"], links["groep_id"], strict=True):
        if staff_id in allowed and staff_id not in out.setdefault(group_id, []):
            out[group_id].append(staff_id)
    return out


def _schools(
    new: Tables, groups: pd.DataFrame, old: Tables, old_groups: pd.DataFrame
) -> tuple[list[str], list[str]]:
    """The school (BRIN + vestiging) of each new and each old group, to suggest within a school.
    All "" when the new year is one school, so that a school whose BRIN or vestiging changed
    still finds its groups of last year."""
    keys = [
        frame["groep_id"].map(group_schools(tables)).fillna("").astype("str").tolist()
        for tables, frame in ((new, groups), (old, old_groups))
    ]
    if len(set(keys[0])) > 1:
        return keys[0], keys[1]
    return [""] * len(groups), [""] * len(old_groups)


def _by_jaargroep(
    groups: pd.DataFrame,
    old_groups: pd.DataFrame,
    schools: tuple[list[str], list[str]],
    old_links: dict[str, list[str]],
    suggested: list[tuple[str, ...]],
    sources: list[str],
) -> None:
    """Fill the stamgroepen still without a suggestion from last year's teachers of their
    jaargroep at their own school (`schools`: of each new and each old group). A samengestelde
    groep (a Plusklas spans jaargroepen) gets no teacher of a stamgroep this way.

    Teachers already suggested elsewhere are left out; the others are dealt out in turn over
    the new groups of that jaargroep, so that one teacher is not suggested for two groups.
    """
    taken = {staff for staff_ids in suggested for staff in staff_ids}
    open_groups: dict[tuple[str, str], list[int]] = {}
    stam = groups["soort"].eq(STAMGROEP).tolist()
    for index, key in enumerate(zip(schools[0], groups["jaargroep"], strict=True)):
        if sources[index] == SOURCE_NONE and key[1] and stam[index]:
            open_groups.setdefault(key, []).append(index)
    old_keys = [
        (school, jaargroep) if soort == STAMGROEP else None
        for school, jaargroep, soort in zip(
            schools[1], old_groups["jaargroep"], old_groups["soort"], strict=True
        )
    ]
    for key, indexes in open_groups.items():
        candidates: list[str] = []
        same = [gid for gid, at in zip(old_groups["groep_id"], old_keys, strict=True) if at == key]
        for group_id in same:
            for staff in old_links.get(group_id, []):
                if staff not in taken and staff not in candidates:
                    candidates.append(staff)
        for turn, index in enumerate(indexes):
            share = tuple(candidates[turn :: len(indexes)][:MAX_SUGGESTED])
            if share:
                suggested[index], sources[index] = share, SOURCE_SAME_JAARGROEP


def _previous_teachers(
    old: Tables, new: Tables, groups: pd.DataFrame
) -> list[tuple[str, tuple[str, ...]]]:
    """Per new group (`group_rows`), who taught most of its pupils last year: Dutch text and
    their ids.

    A pupil is found in last year's tables as the transition plan finds them (`match_pupils`:
    by `leerling_id`, ECK-iD, or the number without leading zeros). For a stamgroep, the staff
    linked to the pupil's old stamgroep count that pupil once each; for a samengestelde groep,
    the staff linked to the samengestelde groepen the pupil was in. Ties are all named.
    """
    old_pos, new_pos, _ = match_pupils(year_pupils(old), year_pupils(new))
    teachers: dict[str, list[str]] = {}
    links = old.medewerker_groepen
    for staff_id, old_group in zip(links["medewerker_id"], links["groep_id"], strict=True):
        if staff_id and staff_id not in teachers.setdefault(old_group, []):
            teachers[old_group].append(staff_id)
    old_stam = old.leerlingen["groep_id"].str.strip().to_numpy()
    old_listed = listed_ids(old.leerlingen["samengestelde_groepen"].reset_index(drop=True))
    old_composite = old_listed.groupby(level=0).agg(list).to_dict()
    taught: dict[int, tuple[list[str], list[str]]] = {}  # new position -> (stam, composite)
    for o, n in zip(old_pos.tolist(), new_pos.tolist(), strict=True):
        composite = dict.fromkeys(
            staff for group in old_composite.get(o, []) for staff in teachers.get(group, [])
        )
        taught[n] = (teachers.get(old_stam[o], []), list(composite))
    members = _members(new)
    names = {**_labels(new), **_labels(old)}
    out: list[tuple[str, tuple[str, ...]]] = []
    for group_id, soort in zip(groups["groep_id"], groups["soort"], strict=True):
        pupils = members.get(group_id, [])
        side = 0 if soort == STAMGROEP else 1
        tally: dict[str, int] = {}
        for position in pupils:
            for staff_id in taught.get(position, ([], []))[side]:
                tally[staff_id] = tally.get(staff_id, 0) + 1
        if not tally:
            out.append(("", ()))
            continue
        most = max(tally.values())
        ids = tuple(staff_id for staff_id, count in tally.items() if count == most)
        who = " en ".join(names.get(staff_id, staff_id) for staff_id in ids)
        out.append((f"{who}: {most} van {len(pupils)} leerlingen", ids))
    return out


def _members(tables: Tables) -> dict[str, list[int]]:
    """Group id -> the positions of its pupils: those of a stamgroep, and those who list a
    samengestelde groep."""
    pupils = tables.leerlingen.reset_index(drop=True)
    members: dict[str, list[int]] = {}
    for position, group_id in enumerate(pupils["groep_id"].str.strip()):
        members.setdefault(group_id, []).append(position)
    listed = listed_ids(pupils["samengestelde_groepen"])
    for position, group_id in zip(listed.index, listed, strict=True):
        members.setdefault(group_id, []).append(int(position))
    return members


def _labels(tables: Tables) -> dict[str, str]:
    staff = staff_frame(tables)
    return dict(zip(staff["medewerker_id"], staff["label"], strict=True))
