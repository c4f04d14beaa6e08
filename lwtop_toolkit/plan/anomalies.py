"""The anomalies of a transition plan, as findings and as flags on the pupil and group rows.

Pure: the checks read the plan's frames and the new year's tables. Every check is vectorised
over the pupils; only the few candidate rows of a check are looked at one by one.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

import numpy as np
import pandas as pd

from lwtop_toolkit import findings as fd
from lwtop_toolkit.check.validate import fold
from lwtop_toolkit.model import SOURCE_ROW, STAMGROEP, SchoolYear, Tables, listed_ids
from lwtop_toolkit.plan import rollover
from lwtop_toolkit.plan.changes import shown_changes
from lwtop_toolkit.plan.frames import age_on

# Usual ages at 1 October: jaargroep rank + 3 (groep 1: 4 years, groep 8: 11, VO leerjaar 1: 12).
# Allowed: one year younger (a skipped year, a groep 1 pupil who turns 4 in autumn) up to two years
# older (retained twice). S and V are not checked.
AGE_OFFSET, AGE_YOUNGER, AGE_OLDER = 3, 1, 2
# Two names count as similar from this ratio on (difflib, over the folded name without spaces):
# `Mohamed Amrani` ~ `Mohammed el Amrani`. One rule for `possible-id-change` (a left and a new
# pupil born the same day) and `same-number-other-child` (a matched pupil now named otherwise).
NAME_SIMILARITY = 0.8
# A change of sex counts for `same-number-other-child` only between these (O and X say nothing).
SEXES = ("M", "V")
# How a matched pupil was found, as the message of `same-number-other-child` says it.
MATCHED_VIA: dict[str, str] = {
    "leerling_id": "het leerlingnummer",
    "eckid": "het ECK-iD",
    "leerling_id-zonder-voorloopnullen": "het leerlingnummer zonder voorloopnullen",
}
SECTOR_LABELS = {"po": "basisonderwijs", "so": "speciaal onderwijs", "vo": "voortgezet onderwijs"}


@dataclass(frozen=True)
class GroupLimits:
    """Usual sizes (min, max) of a stamgroep per sector; outside them a group gets a warning.

    * PO 8-32: the average Dutch primary group has about 23 pupils; over 32 the room and the
      teacher are overloaded and it usually means two groups were merged by mistake; under 8
      even a small village school combines jaargroepen, so pupils are probably missing.
    * SO/SBO/VSO 4-20: jaargroep `S` covers SO (groups of about 8 to 14) and SBO (about 15
      to 18); a group over 20 is almost surely a mistake, one under 4 a group left over.
    * VO 10-34: VO classes hold 24 to 32 pupils (vmbo basis/kader smaller, from about 12).
    """

    po: tuple[int, int] = (8, 32)
    so: tuple[int, int] = (4, 20)
    vo: tuple[int, int] = (10, 34)

    def of(self, sector: str) -> tuple[int, int] | None:
        limits: tuple[int, int] | None = getattr(self, sector, None) if sector else None
        return limits


@dataclass
class Found:
    """The findings, and per pupil and per group the codes that concern it (`a|b`)."""

    findings: pd.DataFrame
    student_flags: pd.Series
    group_flags: pd.Series


def flag_titles(flags: pd.Series) -> pd.Series:
    """`a|b` finding codes as their Dutch titles: `Sprong ...; Leeftijd ...`."""
    titles = {text: flag_title(text) for text in flags.unique()}  # few distinct combinations
    return flags.map(titles).fillna("").astype("str")


def flag_title(text: object) -> str:
    """One `a|b` text of finding codes as their Dutch titles."""
    codes = [code for code in str(text).split("|") if code]
    return "; ".join(fd.CATALOGUE[c].title if c in fd.CATALOGUE else c for c in codes)


class _Flags:
    """Codes per row, collected check by check."""

    def __init__(self, index: pd.Index) -> None:
        self.codes = pd.Series("", index=index, dtype="str")

    def add(self, code: str, index: pd.Index) -> None:
        if len(index):
            current = self.codes.loc[index]
            self.codes.loc[index] = current.where(current.eq(""), current + "|") + code


def find(
    students: pd.DataFrame,
    groups: pd.DataFrame,
    new: Tables,
    *,
    years: tuple[SchoolYear | None, SchoolYear | None],
    ranks: tuple[pd.Series, pd.Series],
    limits: GroupLimits,
    by_school: bool = False,
    changes: pd.DataFrame | None = None,
    las_code: str | None = None,
) -> Found:
    """Every anomaly of the plan: pupils, groups, and the transition as a whole.

    `by_school`: the plan is of many schools, each as if alone (`plan_transition(by_school=True)`):
    a leerlingnummer is one pupil only within its school. `changes`: the matched pupils' changed
    fields (`changes.field_changes`, indexed by the pupil's row), for `same-number-other-child`.
    """
    pupil_flags, group_flags = _Flags(students.index), _Flags(groups.index)
    if rollover.swapped(years):  # old and new exchanged: one finding, no pupil's is true
        swapped = rollover.check(students, new, years, ranks)
        return Found(swapped, pupil_flags.codes, group_flags.codes)
    parts = [
        rollover.check(students, new, years, ranks, las_code),
        _matched_how(students, pupil_flags),
        _without_group(students, pupil_flags),
        _two_stamgroepen(students, new, pupil_flags, by_school),
        _steps(students, pupil_flags),
        _ages(students, ranks[1], years, pupil_flags),
        _id_changes(students, pupil_flags),
        _other_child(students, changes, pupil_flags),
        _group_sizes(groups, limits, group_flags),
    ]
    findings = fd.concat(part for part in parts if part is not None)
    return Found(findings, pupil_flags.codes, group_flags.codes)


# --- pupils --------------------------------------------------------------------------------------


def _matched_how(students: pd.DataFrame, flags: _Flags) -> pd.DataFrame | None:
    parts = []
    for stage, code in (
        ("eckid", "matched-on-eckid"),
        ("leerling_id-zonder-voorloopnullen", "matched-without-leading-zeros"),
    ):
        rows = students[students["matched_by"].eq(stage)]
        flags.add(code, rows.index)
        parts.append(
            fd.for_rows(
                code,
                rows,
                table="leerlingen",
                column="leerling_id",
                naam=rows["naam"],
                other=rows["leerling_id_oud"],
            )
        )
    return fd.concat(parts)


def _without_group(students: pd.DataFrame, flags: _Flags) -> pd.DataFrame | None:
    """The same finding validate gives on the new year; the preview shows it once."""
    rows = students[students["status"].ne("left") & students["groep_id_nieuw"].eq("")]
    flags.add("pupil-without-group", rows.index)
    return fd.for_rows(
        "pupil-without-group",
        rows,
        table="leerlingen",
        column="groep_id",
        values=rows["leerling_id"],
    )


def _two_stamgroepen(
    students: pd.DataFrame, new: Tables, flags: _Flags, by_school: bool = False
) -> pd.DataFrame | None:
    """A pupil listed twice with different stamgroepen, or a stamgroep among the combined groups.

    `by_school`: the same number at two schools is two pupils (each school numbers its own).
    """
    present = students[students["status"].ne("left") & students["groep_id_nieuw"].ne("")]
    present = present[present["leerling_id"].ne("")]
    keys = ["school", "leerling_id"] if by_school else ["leerling_id"]
    # only a number listed twice can be in two stamgroepen: the group-by runs on those rows
    # (on all rows it cost ~2 s per million pupils)
    present = present[present.duplicated(keys, keep=False)]
    pupil = present.groupby(keys)
    first = pupil["groep_id_nieuw"].transform("first")
    first_name = pupil["groep_nieuw"].transform("first")
    twice = present[present["groep_id_nieuw"].ne(first)]
    parts = [
        fd.for_rows(
            "pupil-in-two-stamgroepen",
            twice,
            table="leerlingen",
            column="groep_id",
            values=twice["groep_id_nieuw"],
            leerling=twice["leerling_id"],
            groups=first_name[twice.index] + " en " + twice["groep_nieuw"],
        )
    ]
    flags.add("pupil-in-two-stamgroepen", twice.index)

    groepen = new.groepen.drop_duplicates("groep_id").set_index("groep_id")
    exploded = listed_ids(new.leerlingen["samengestelde_groepen"].reset_index(drop=True))
    kind = exploded.map(groepen["soort"])
    own = students["groep_id_nieuw"].reindex(exploded.index)
    wrong = exploded[kind.eq(STAMGROEP) & exploded.ne(own) & own.ne("")]
    rows = students.loc[wrong.index]
    names = wrong.map(groepen["groepsnaam"])
    parts.append(
        fd.for_rows(
            "pupil-in-two-stamgroepen",
            rows,
            table="leerlingen",
            column="samengestelde_groepen",
            values=pd.Series(wrong.to_numpy(), index=rows.index),
            leerling=rows["leerling_id"],
            groups=rows["groep_nieuw"] + " en " + pd.Series(names.to_numpy(), index=rows.index),
        )
    )
    flags.add("pupil-in-two-stamgroepen", rows.index.unique())
    return fd.concat(parts)


def _steps(students: pd.DataFrame, flags: _Flags) -> pd.DataFrame | None:
    parts = []
    for status, code in (("accelerated", "jaargroep-jump"), ("demoted", "jaargroep-step-back")):
        rows = students[students["status"].eq(status)]
        flags.add(code, rows.index)
        parts.append(
            fd.for_rows(
                code,
                rows,
                table="leerlingen",
                column="jaargroep",
                values=rows["jaargroep_nieuw"],
                leerling=rows["leerling_id"],
                naam=rows["naam"],
                old=rows["jaargroep_oud"],
            )
        )
    return fd.concat(parts)


def _ages(
    students: pd.DataFrame,
    new_rank: pd.Series,
    years: tuple[SchoolYear | None, SchoolYear | None],
    flags: _Flags,
) -> pd.DataFrame | None:
    old_year, new_year = years
    year = new_year or (old_year.next() if old_year else None)
    if year is None:
        return None
    born = students["geboortedatum"]
    age = age_on(born, year.reference_date)
    expected = new_rank + AGE_OFFSET
    low, high = expected - AGE_YOUNGER, expected + AGE_OLDER
    bad = students["status"].ne("left") & born.notna() & new_rank.notna()
    bad &= (age < low) | (age > high)
    rows = students[bad]
    flags.add("age-jaargroep-mismatch", rows.index)
    return fd.for_rows(
        "age-jaargroep-mismatch",
        rows,
        table="leerlingen",
        column="jaargroep",
        values=rows["jaargroep_nieuw"],
        leerling=rows["leerling_id"],
        naam=rows["naam"],
        age=age[bad].astype("int64").astype("str"),
        age_min=low[bad].astype("int64").astype("str"),
        age_max=high[bad].astype("int64").astype("str"),
    )


def _id_changes(students: pd.DataFrame, flags: _Flags) -> pd.DataFrame | None:
    """A pupil who left and a new pupil of the same school, born the same day, named alike."""
    keys = ["school", "geboortedatum"]
    born = students["geboortedatum"].notna()
    left = students[students["status"].eq("left") & born]
    new = students[students["status"].eq("new") & born]
    if left.empty or new.empty:
        return None
    pairs = new[keys].reset_index(names="new").merge(left[keys].reset_index(names="left"), on=keys)
    if pairs.empty:
        return None
    names = students["naam"]
    similar = names_alike(names.loc[pairs["new"]], names.loc[pairs["left"]])
    pairs = pairs[similar].drop_duplicates("new")
    rows = students.loc[pairs["new"].to_numpy()]
    partner = students.loc[pairs["left"].to_numpy()]
    flags.add("possible-id-change", rows.index)
    flags.add("possible-id-change", partner.index.unique())
    return fd.for_rows(
        "possible-id-change",
        rows,
        table="leerlingen",
        column="leerling_id",
        values=rows["leerling_id"],
        naam=rows["naam"],
        other=pd.Series(partner["leerling_id"].to_numpy(), index=rows.index),
        other_naam=pd.Series(partner["naam"].to_numpy(), index=rows.index),
        other_row=pd.Series(partner[SOURCE_ROW].astype("str").to_numpy(), index=rows.index),
    )


def names_alike(first: pd.Series, second: pd.Series) -> np.ndarray:
    """Per position whether two names are similar: equal once folded (no accents, case,
    spaces, hyphens or apostrophes), or a difflib ratio of `NAME_SIMILARITY` or more."""
    folded = fold(pd.Series(np.concatenate([first.to_numpy(), second.to_numpy()]), dtype="str"))
    compact = folded.str.replace(r"[\s\-']", "", regex=True).to_numpy()
    one, other = compact[: len(first)], compact[len(first) :]
    similar = one == other
    for k in np.flatnonzero(~similar):  # only the pairs that are not equal outright
        ratio = difflib.SequenceMatcher(None, one[k], other[k]).ratio()
        similar[k] = ratio >= NAME_SIMILARITY
    return np.asarray(similar, dtype=bool)


def _other_child(
    students: pd.DataFrame, changes: pd.DataFrame | None, flags: _Flags
) -> pd.DataFrame | None:
    """A number that last year named another child: a matched pupil (by any stage) whose birth
    date changed and whose name is not similar, or whose sex (M/V) changed together with
    either. A spelling fix (similar name) or a corrected birth date alone is a change only."""
    if changes is None or changes.empty:
        return None
    field, before, after = changes["field"], changes["old"], changes["new"]
    born = changes.index[field.eq("geboortedatum") & before.ne("") & after.ne("")]
    sex = changes.index[field.eq("geslacht") & before.isin(SEXES) & after.isin(SEXES)]
    candidates = born.union(sex)  # the pupils (plan rows) to look at: few
    if candidates.empty:
        return None
    first = changes[~changes.index.duplicated()]
    names = first.loc[candidates]
    other_name = ~names_alike(names["naam"], names["naam_oud"])
    born_changed, sex_changed = candidates.isin(born), candidates.isin(sex)
    other = (born_changed & other_name) | (sex_changed & (born_changed | other_name))
    hit = candidates[other]
    if hit.empty:
        return None
    of_hit = shown_changes(changes.loc[changes.index.isin(hit)])
    differs = {
        (row, name): (old_value, new_value)
        for row, name, old_value, new_value in zip(
            of_hit.index, of_hit["field"], of_hit["vorig_jaar"], of_hit["nieuw_jaar"], strict=True
        )
    }
    texts = [
        _differences(row, bool(name_differs), differs)
        for row, name_differs in zip(hit, other_name[other], strict=True)
    ]
    rows = students.loc[hit]
    flags.add("same-number-other-child", hit)
    return fd.for_rows(
        "same-number-other-child",
        rows,
        table="leerlingen",
        column="leerling_id",
        values=rows["leerling_id"],
        naam=rows["naam"],
        other=rows["leerling_id_oud"],
        other_naam=pd.Series(names.loc[hit, "naam_oud"].to_numpy(), index=hit),
        via=rows["matched_by"].map(MATCHED_VIA).fillna("het leerlingnummer"),
        differences=pd.Series(texts, index=hit, dtype="str"),
    )


def _differences(row: int, name: bool, differs: dict[tuple[int, str], tuple[str, str]]) -> str:
    """`de naam en de geboortedatum (12-03-2016 → 04-09-2014) verschillen`, in Dutch."""
    parts = ["de naam"] if name else []
    for field, label in (("geboortedatum", "de geboortedatum"), ("geslacht", "het geslacht")):
        if (row, field) in differs:
            before, after = differs[(row, field)]
            parts.append(f"{label} ({before} → {after})")
    if len(parts) == 1:
        return f"{parts[0]} verschilt"
    return ", ".join(parts[:-1]) + " en " + parts[-1] + " verschillen"


# --- groups --------------------------------------------------------------------------------------


def _group_sizes(groups: pd.DataFrame, limits: GroupLimits, flags: _Flags) -> pd.DataFrame | None:
    stam = groups[groups["jaar"].eq("nieuw") & groups["soort"].eq(STAMGROEP)]
    empty = stam[stam["leerlingen"].eq(0)]
    flags.add("empty-group", empty.index)
    parts = [fd.for_rows("empty-group", empty, table="groepen", column="groep_id")]
    filled = stam[stam["leerlingen"].gt(0)]
    bounds = filled["sector"].map(lambda s: limits.of(s) or (0, 10**9))
    low = bounds.map(lambda b: b[0]).astype("int64")
    high = bounds.map(lambda b: b[1]).astype("int64")
    label = filled["sector"].map(SECTOR_LABELS).fillna("")
    for code, mask, limit in (
        ("group-too-large", filled["leerlingen"].gt(high), high),
        ("group-too-small", filled["leerlingen"].lt(low), low),
    ):
        rows = filled[mask]
        flags.add(code, rows.index)
        parts.append(
            fd.for_rows(
                code,
                rows,
                table="groepen",
                column="groepsnaam",
                size=rows["leerlingen"].astype("str"),
                limit=limit[mask].astype("str"),
                sector=label[mask],
            )
        )
    return fd.concat(parts)
