"""After the link, the fetch or the import: did everything arrive in the dossier? (pure)

`verify(expected, actual)` compares the product's export after the transfer (`actual`) with what
should have arrived (`expected`: the new LAS export, or the bundle's import files): pupils
missing, pupils in another group, pupils missing from a samengestelde groep they belong to,
pupils not expected, groups missing or extra, staff links missing, each a finding pointing at
its row. With `dossier` only the dossier pupils are expected
(and their groups); `old`, last year, helps to find pupils whose number changed and to say when
a pupil still sits in last year's group. No finding on an exact match.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from lwtop_toolkit import findings as fd
from lwtop_toolkit.check.validate import fold
from lwtop_toolkit.las.catalogue import COMMANDS, Las, Ways
from lwtop_toolkit.model import SOURCE_FILE, SOURCE_ROW, Tables, display_name, listed_ids, split_ids
from lwtop_toolkit.plan.dossier import find_dossier_pupils
from lwtop_toolkit.plan.frames import strip
from lwtop_toolkit.plan.matching import match_pupils, plan_positions, year_pupils

OUTCOMES = ("aangekomen", "andere groep", "ontbreekt")
# What to do about a pupil or group that did not arrive, per action of the LAS catalogue.
MISSING_HINTS: dict[str, str] = {
    "none": "De koppeling had de leerling na 1 augustus moeten overnemen: controleer in het LAS "
    "of de leerling in deze groep staat, en vraag anders de helpdesk van Leerwinst/TOP dossier of "
    "de koppeling gedraaid heeft.",
    "per_student": "Zet de leerling klaar in {las} en haal hem op in Leerwinst/TOP dossier.",
    "bulk": "Zet de groep van de leerling opnieuw klaar in {las} en haal de leerling op in "
    "Leerwinst/TOP dossier.",
    "file_import": "Controleer of de leerling in leerlingen.csv van de uploadbundel staat en "
    "importeer de bestanden opnieuw.",
    "": "Zet de leerling klaar en haal hem op, of importeer hem opnieuw, zoals uw LAS dat vraagt "
    "(zie {las_steps}).",
}
GROUP_HINTS: dict[str, str] = {
    "none": "De koppeling had de groep na 1 augustus moeten overnemen: controleer de groep in "
    "het LAS en vraag anders de helpdesk van Leerwinst/TOP dossier of de koppeling gedraaid heeft.",
    "per_student": "Zet de leerlingen van de groep klaar in {las} en haal ze op: dan komt de "
    "groep mee.",
    "bulk": "Selecteer de groep in {las}, zet haar klaar en haal de leerlingen op.",
    "file_import": "Controleer groepen.csv van de uploadbundel en importeer de bestanden opnieuw.",
    "": "Haal de groep op of importeer haar opnieuw, zoals uw LAS dat vraagt (zie {las_steps}).",
}
# What to do about a pupil in another group than expected, per action.
WRONG_GROUP_HINTS: dict[str, str] = {
    "none": "Controleer de groep van de leerling in het LAS: de koppeling neemt de groep uit het "
    "LAS over.",
    "per_student": "Zet de leerling in {las} opnieuw klaar in de juiste groep en haal hem "
    "opnieuw op, of verplaats hem in het dossier.",
    "bulk": "Zet de leerling in {las} opnieuw klaar in de juiste groep en haal hem opnieuw op, "
    "of verplaats hem in het dossier.",
    "file_import": "Controleer de groep in leerlingen.csv van de uploadbundel en importeer "
    "opnieuw, of verplaats de leerling in het dossier.",
    "": "Zet de leerling in het LAS in de juiste groep en haal hem opnieuw op, of verplaats hem "
    "in het dossier.",
}
STILL_OLD_GROUP = (
    "De leerling staat nog in de groep van vorig jaar: de nieuwe groepsindeling is voor deze "
    "leerling nog niet overgenomen. "
)
NOT_IN_EXPORT = (
    "staat niet bij de leerlingen die verwacht werden (vertrokken, of een ander leerlingnummer?)"
)
WITHOUT_DOSSIER = "heeft geen dossier (is de leerling bij het ophalen in bulk meegekomen?)"


@dataclass
class Verification:
    """The outcome: findings, per expected pupil what arrived, and the counts."""

    findings: pd.DataFrame
    pupils: pd.DataFrame
    counts: dict[str, int] = field(default_factory=dict)
    schooljaar: str = ""
    scoped: bool = False

    @property
    def complete(self) -> bool:
        """Everything expected arrived (no `error` finding)."""
        return not fd.has_errors(self.findings)


def verify(
    expected: Tables,
    actual: Tables,
    *,
    old: Tables | None = None,
    dossier: pd.DataFrame | pd.Series | None = None,
    las: Las | None = None,
    all_pupils: bool = False,
    ways: Ways = COMMANDS,
) -> Verification:
    """Compare what arrived (`actual`) with what was expected; see the module docstring. The
    advice names the toolkit's own steps as `ways` does (the commands, or the app's steps).

    Pupils are found by leerling_id, then ECK-iD, then the id without leading zeros; groups by
    groep_id, then by name; staff by medewerker_id, then e-mail, then name.
    """
    exp, act = _people(expected), _people(actual)
    wanted = np.ones(len(exp), dtype=bool)
    old_groups = pd.Series("", index=exp.index, dtype="str")
    if old is not None or dossier is not None:
        wanted, old_groups = _last_year(
            exp, old if old is not None else Tables(), None if all_pupils else dossier
        )
    action = las.action if las else ""
    fill = {"las": las.name if las else "het LAS", "las_steps": ways.las_steps}
    group_map = _match_groups(expected.groepen, actual.groepen)
    needed = _needed_groups(expected, wanted)

    # pupils: the expected ones, then those who arrived without being expected
    exp_pos, act_pos, _ = match_pupils(exp[wanted], act)
    exp_pos = np.flatnonzero(wanted)[exp_pos]
    arrived_at = np.full(len(exp), -1)
    arrived_at[exp_pos] = act_pos
    # a group that did not arrive is its own finding: its pupils are judged by its id
    target = exp["groep_id"].map(group_map).fillna(exp["groep_id"])
    landed = pd.Series(
        np.where(arrived_at >= 0, act["groep_id"].to_numpy()[np.maximum(arrived_at, 0)], ""),
        index=exp.index,
    )
    arrived = wanted & (arrived_at >= 0)
    checked = arrived & exp["groep_id"].ne("").to_numpy()
    wrong = checked & target.ne(landed).to_numpy()
    missing = wanted & (arrived_at < 0)
    wrong_findings, in_old_group = _wrong_group(
        exp, act, arrived_at, wrong, old_groups, action, fill
    )
    parts = [
        fd.for_rows(
            "verify-pupil-missing",
            exp[missing],
            table="leerlingen",
            column="leerling_id",
            naam=_or_unknown(exp["naam"]),
            group=exp["groep"].where(exp["groep"].ne(""), "geen"),
            hint=MISSING_HINTS[action].format(**fill),
        ),
        wrong_findings,
        _unexpected(exp, act, wanted, act_pos),
    ]
    memberships, membership_findings = _memberships(
        exp, act, arrived_at, arrived, group_map, _names(expected.groepen)
    )
    parts.append(membership_findings)
    # groups and staff links
    missing_groups = [group for group in needed if group not in group_map]
    parts.append(_missing_groups(expected, exp, wanted, missing_groups, GROUP_HINTS[action], fill))
    extra = actual.groepen[~strip(actual.groepen["groep_id"]).isin(set(group_map.values()))]
    extra = extra.drop_duplicates("groep_id")
    parts.append(fd.for_rows("verify-group-extra", extra, table="groepen", column="groepsnaam"))
    links, link_findings = _links(expected, actual, group_map, needed, ways)
    parts.append(link_findings)
    outcome = np.select([wrong, arrived], ["andere groep", "aangekomen"], "ontbreekt")
    pupils = pd.DataFrame(
        {
            "leerling_id": exp["leerling_id"],
            "naam": exp["naam"],
            "groep": exp["groep"],
            "groep_aangekomen": landed.map(_names(actual.groepen)).fillna(landed),
            "uitkomst": outcome,
            SOURCE_FILE: exp[SOURCE_FILE],
            SOURCE_ROW: exp[SOURCE_ROW],
        }
    )[wanted].reset_index(drop=True)
    findings = fd.concat(parts)
    unexpected = findings["code"].eq("verify-pupil-unexpected")
    year = expected.schooljaar()
    return Verification(
        findings=findings,
        pupils=pupils,
        counts={
            "pupils_expected": int(wanted.sum()),
            "pupils_arrived": int(arrived.sum()),
            "pupils_missing": int(missing.sum()),
            "pupils_wrong_group": int(wrong.sum()),
            "pupils_in_old_group": in_old_group,
            "pupils_unexpected": int(unexpected.sum()),
            "groups_expected": len(needed),
            "groups_missing": len(missing_groups),
            "groups_unexpected": len(extra),
            "links_expected": links,
            "links_missing": len(link_findings),
            "memberships_expected": memberships,
            "memberships_missing": int(
                membership_findings["code"].eq("verify-pupil-not-in-group").sum()
            ),
            "pupils_in_actual": len(act),
        },
        schooljaar=str(year) if year else "",
        scoped=dossier is not None and not all_pupils,
    )


# --- pupils --------------------------------------------------------------------------------------


def _people(tables: Tables) -> pd.DataFrame:
    """The pupils with trimmed keys, display name, stamgroep id and name, provenance."""
    pupils = tables.leerlingen.reset_index(drop=True)
    group_id = strip(pupils["groep_id"])
    return pd.DataFrame(
        {
            "leerling_id": strip(pupils["leerling_id"]),
            "eckid": strip(pupils["eckid"]),
            "naam": display_name(pupils),
            "groep_id": group_id,
            "groep": group_id.map(_names(tables.groepen)).fillna(group_id).astype("str"),
            "samengestelde_groepen": pupils["samengestelde_groepen"],
            SOURCE_FILE: pupils[SOURCE_FILE],
            SOURCE_ROW: pupils[SOURCE_ROW],
        }
    )


def _last_year(
    exp: pd.DataFrame, old: Tables, dossier: pd.DataFrame | pd.Series | None
) -> tuple[np.ndarray, pd.Series]:
    """Per expected pupil: has a dossier (all do without `dossier`), and its group of last year
    (its name; "" when not found in `old`), as a transition plan from `old` scoped to `dossier`
    has them; only the plan's matching is done."""
    before = year_pupils(old)
    old_pos, new_pos, _ = match_pupils(before, exp)
    old_idx, new_idx = plan_positions(len(before), len(exp), old_pos, new_pos)

    def at(frame: pd.DataFrame, column: str, where: np.ndarray) -> np.ndarray:
        return np.append(frame[column].to_numpy(dtype=object), "")[where]  # -1: ""

    old_groups = pd.Series(at(before, "groep", old_idx[: len(exp)]), dtype="str")
    if dossier is None:
        return np.ones(len(exp), dtype=bool), old_groups
    has_new = new_idx >= 0
    # the plan's rows: the expected pupils, then last year's pupils who left
    rows = pd.DataFrame(
        {
            "leerling_id": np.where(
                has_new, at(exp, "leerling_id", new_idx), at(before, "leerling_id", old_idx)
            ),
            "leerling_id_oud": at(before, "leerling_id", old_idx),
            "eckid": np.where(has_new, at(exp, "eckid", new_idx), at(before, "eckid", old_idx)),
        },
        dtype="str",
    )
    has, _ = find_dossier_pupils(rows, dossier)
    return has[: len(exp)], old_groups


def _names(groups: pd.DataFrame) -> pd.Series:
    unique = groups.drop_duplicates("groep_id")
    return pd.Series(unique["groepsnaam"].to_numpy(), index=strip(unique["groep_id"]).to_numpy())


def _or_unknown(names: pd.Series) -> pd.Series:
    return names.where(names.ne(""), "naam onbekend")


def _wrong_group(
    exp: pd.DataFrame,
    act: pd.DataFrame,
    arrived_at: np.ndarray,
    wrong: np.ndarray,
    old_groups: pd.Series,
    action: str,
    fill: dict[str, str],
) -> tuple[pd.DataFrame, int]:
    """`verify-pupil-wrong-group` at the row of the product's export, saying where it belongs;
    and how many of these pupils still sit in last year's group."""
    if not wrong.any():
        return fd.empty_findings(), 0
    rows = act.iloc[arrived_at[wrong]].reset_index(drop=True)
    expected_rows = exp[wrong].reset_index(drop=True)
    landed = rows["groep"].where(rows["groep"].ne(""), "geen groep")
    still_old = fold(landed).eq(fold(old_groups[wrong].reset_index(drop=True)))
    retry = WRONG_GROUP_HINTS[action].format(**fill)
    hints = pd.Series(retry, index=rows.index).where(~still_old, STILL_OLD_GROUP + retry)
    found = fd.for_rows(
        "verify-pupil-wrong-group",
        rows,
        table="leerlingen",
        column="groep_id",
        values=expected_rows["leerling_id"],
        naam=_or_unknown(rows["naam"]),
        actual_group=landed,
        group=expected_rows["groep"],
        hint=hints,
    )
    return found, int(still_old.sum())


def _unexpected(
    exp: pd.DataFrame, act: pd.DataFrame, wanted: np.ndarray, act_pos: np.ndarray
) -> pd.DataFrame:
    """Pupils in the product's export that were not expected: without dossier, or unknown."""
    free = np.ones(len(act), dtype=bool)
    free[act_pos] = False
    rest = np.flatnonzero(free)
    if not len(rest):
        return fd.empty_findings()
    reasons = pd.Series(NOT_IN_EXPORT, index=act.index[rest])
    others = np.flatnonzero(~wanted)
    if len(others):
        _, found, _ = match_pupils(exp.iloc[others], act.iloc[rest])
        reasons.iloc[found] = WITHOUT_DOSSIER
    rows = act.iloc[rest]
    return fd.for_rows(
        "verify-pupil-unexpected",
        rows,
        table="leerlingen",
        column="leerling_id",
        naam=_or_unknown(rows["naam"]),
        actual_group=rows["groep"].where(rows["groep"].ne(""), "geen"),
        reason=reasons,
    )


def _memberships(
    exp: pd.DataFrame,
    act: pd.DataFrame,
    arrived_at: np.ndarray,
    arrived: np.ndarray,
    group_map: dict[str, str],
    group_names: pd.Series,
) -> tuple[int, pd.DataFrame]:
    """The samengestelde groepen of the pupils who arrived, whose group arrived too (a group
    that did not is its own finding), and `verify-pupil-not-in-group` for each membership the
    product's export lacks: the staff of that group would not see the pupil's dossier. When
    that export holds no membership at all, one warning says they could not be checked."""
    listed = listed_ids(exp["samengestelde_groepen"][arrived])
    listed = listed[listed.isin(group_map.keys()).to_numpy()]
    if listed.empty:
        return 0, fd.empty_findings()
    present = listed_ids(act["samengestelde_groepen"])
    if present.empty:
        not_checked = fd.finding("verify-memberships-not-exported", value=len(listed))
        return len(listed), fd.frame([not_checked])
    have = set(zip(present.index, present, strict=True))
    rows, groups = listed.index.to_numpy(), listed.to_numpy()
    pairs = zip(rows, groups, strict=True)
    lost = np.array(
        [(arrived_at[row], group_map[group]) not in have for row, group in pairs], dtype=bool
    )
    pupils = exp.iloc[rows[lost]].reset_index(drop=True)
    lost_groups = pd.Series(groups[lost], dtype="str")
    return len(listed), fd.for_rows(
        "verify-pupil-not-in-group",
        pupils,
        table="leerlingen",
        column="samengestelde_groepen",
        values=pupils["leerling_id"],
        naam=_or_unknown(pupils["naam"]),
        group=lost_groups.map(group_names).fillna(lost_groups).astype("str"),
    )


# --- groups and staff ----------------------------------------------------------------------------


def _match_groups(expected: pd.DataFrame, actual: pd.DataFrame) -> dict[str, str]:
    """Expected groep_id -> the actual groep_id of the same group: same id, else same name."""
    exp = expected.drop_duplicates("groep_id")
    act = actual.drop_duplicates("groep_id")
    exp_ids, act_ids = strip(exp["groep_id"]), strip(act["groep_id"])
    same = set(exp_ids) & set(act_ids)
    mapping = {group: group for group in same if group}
    taken = set(mapping.values())
    by_name: dict[str, str] = {}
    for group, name in zip(act_ids, fold(act["groepsnaam"]), strict=True):
        if group not in taken and name and name not in by_name:
            by_name[name] = group
    for group, name in zip(exp_ids, fold(exp["groepsnaam"]), strict=True):
        if group and group not in mapping and name in by_name:
            mapping[group] = by_name.pop(name)
    return mapping


def _needed_groups(expected: Tables, wanted: np.ndarray) -> list[str]:
    """The expected groups, in file order: all of them, or those of a pupil in scope."""
    groups = list(dict.fromkeys(g for g in strip(expected.groepen["groep_id"]) if g))
    if wanted.all():
        return groups
    pupils = expected.leerlingen.reset_index(drop=True)[wanted]
    used = set(strip(pupils["groep_id"]))
    for cell in pupils["samengestelde_groepen"]:
        used.update(split_ids(cell))
    return [group for group in groups if group in used]


def _missing_groups(
    expected: Tables,
    exp: pd.DataFrame,
    wanted: np.ndarray,
    missing: list[str],
    hint: str,
    fill: dict[str, str],
) -> pd.DataFrame:
    if not missing:
        return fd.empty_findings()
    groups = expected.groepen.drop_duplicates("groep_id")
    rows = groups[strip(groups["groep_id"]).isin(missing)]
    members = exp[wanted]
    listed = members["samengestelde_groepen"].map(split_ids).explode()
    sizes = pd.concat([members["groep_id"], listed.dropna()]).value_counts()
    count = strip(rows["groep_id"]).map(sizes).fillna(0).astype("int64").astype("str")
    return fd.for_rows(
        "verify-group-missing",
        rows,
        table="groepen",
        column="groepsnaam",
        count=count,
        hint=hint.format(**fill),
    )


def _links(
    expected: Tables, actual: Tables, group_map: dict[str, str], needed: list[str], ways: Ways
) -> tuple[int, pd.DataFrame]:
    """The expected staff links to the needed groups, and those that did not arrive."""
    links = expected.medewerker_groepen
    links = links[strip(links["groep_id"]).isin(set(needed))].drop_duplicates(
        ["medewerker_id", "groep_id"]
    )
    if links.empty:
        return 0, fd.empty_findings()
    staff_map = _match_staff(expected.medewerkers, actual.medewerkers)
    present = set(
        zip(
            strip(actual.medewerker_groepen["medewerker_id"]),
            strip(actual.medewerker_groepen["groep_id"]),
            strict=True,
        )
    )
    staff = strip(links["medewerker_id"])
    groups = strip(links["groep_id"])
    found = [
        (staff_map.get(person), group_map.get(group)) in present
        for person, group in zip(staff, groups, strict=True)
    ]
    lost = links[~np.array(found, dtype=bool)]
    people = expected.medewerkers.drop_duplicates("medewerker_id")
    names = pd.Series(display_name(people).to_numpy(), index=strip(people["medewerker_id"]))
    lost_staff = strip(lost["medewerker_id"])
    group_names = _names(expected.groepen)
    lost_groups = strip(lost["groep_id"])
    return len(links), fd.for_rows(
        "verify-staff-link-missing",
        lost,
        table="medewerker_groepen",
        column="medewerker_id",
        values=lost_staff,
        naam=_or_unknown(lost_staff.map(names).fillna("").astype("str")),
        group=lost_groups.map(group_names).fillna(lost_groups),
        staff_step=ways.step_2.lower(),  # "Stap 2" in a sentence: "(stap 2)"
    )


def _match_staff(expected: pd.DataFrame, actual: pd.DataFrame) -> dict[str, Any]:
    """Expected medewerker_id -> actual medewerker_id: same id, else same e-mail, else name."""
    act_ids = strip(actual["medewerker_id"])
    mapping = {person: person for person in set(strip(expected["medewerker_id"])) & set(act_ids)}
    for key in (lambda f: fold(f["email"]), lambda f: fold(display_name(f))):
        index: dict[str, str] = {}
        for person, value in zip(act_ids, key(actual), strict=True):
            if value and person not in mapping.values():
                index.setdefault(value, person)
        for person, value in zip(strip(expected["medewerker_id"]), key(expected), strict=True):
            if person not in mapping and value in index:
                mapping[person] = index.pop(value)
    return mapping


__all__ = [
    "GROUP_HINTS",
    "MISSING_HINTS",
    "OUTCOMES",
    "WRONG_GROUP_HINTS",
    "Verification",
    "verify",
]
