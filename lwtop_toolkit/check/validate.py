"""validate(tables) -> Findings: the schemas, run lazily, and the rules that span tables.

Pure: no I/O, no printing, and no exception for bad rows; every problem is a finding that points
at the row of the source file.

The rules that compare rows with each other (one school year, the same person twice, ids that
differ in leading zeros) compare the rows of one export (folder): a LAS keeps its own export
consistent, but the exports of a board's schools are each their own. Read as one delivery, a
school not yet rolled over would refuse every school's bundle, and one school's pupil would be
reported in another school's bundle.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from lwtop_toolkit import findings as fd
from lwtop_toolkit.check.schemas import CHECK_PARAMS, SCHEMAS
from lwtop_toolkit.model import (
    ID_COLUMNS,
    PRODUCT_ROLES,
    SAMENGESTELDE_GROEP,
    SOURCE_FILE,
    SOURCE_ROW,
    STAMGROEP,
    Tables,
    export_folders,
    group_positions,
    linked_exports,
    listed_ids,
)
from lwtop_toolkit.runtime.progress import stages

AGE_MIN, AGE_MAX = 2, 25  # plausible ages of a pupil at 1 October of the school year
# pandera's own checks, translated to our codes.
PANDERA_CHECKS = {"field_uniqueness": "duplicate-id"}


def validate(tables: Tables) -> pd.DataFrame:
    """Every finding about `tables`: per-table schemas first, then cross-table rules."""
    units = _Units(tables)
    stamgroups = _StamGroups(tables, units)
    rules: list[tuple[str, Callable[[Tables], pd.DataFrame]]] = [
        ("schooljaren", partial(_school_years, units=units)),
        ("rollen", _roles),
        ("geboortedatums", _birth_dates),
        ("groepen van leerlingen", stamgroups.references),
        ("koppelingen", _link_references),
        ("lege groepen", stamgroups.empty_groups),
        ("leerlingen zonder groep", _pupils_without_group),
        ("dubbele personen", partial(_same_person, units=units)),
        ("voorloopnullen", partial(_leading_zeros, units=units)),
        ("jaargroepen", stamgroups.jaargroep_mismatch),
    ]
    parts = []
    with stages("controleren", len(SCHEMAS) + len(rules)) as step:
        for name in SCHEMAS:
            step(name)
            parts.append(schema_findings(name, tables[name]))
        for label, rule in rules:
            step(label)
            parts.append(rule(tables))
    return fd.concat(parts)


def schema_findings(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """The pandera schema of table `name`, run lazily, as findings."""
    try:
        SCHEMAS[name].validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        return _failure_findings(name, frame, errors.failure_cases)
    return fd.empty_findings()


def _failure_findings(name: str, frame: pd.DataFrame, failures: pd.DataFrame) -> pd.DataFrame:
    parts = []
    rows_failed = failures[failures["index"].notna()]
    for (column, check), cases in rows_failed.groupby(["column", "check"], sort=False):
        code = PANDERA_CHECKS.get(str(check), str(check))
        if code not in fd.CATALOGUE:
            raise ValueError(f"schema check {check!r} on {column!r} has no finding code")
        rows = frame.loc[cases["index"].astype(int).unique()]
        if code == "duplicate-id":
            rows = rows[rows[column].ne("")]  # an empty id is `missing-value` already
        params = CHECK_PARAMS.get((str(column), code), {})
        parts.append(fd.for_rows(code, rows, table=name, column=str(column), **params))
    return fd.concat(parts)


def _school_years(tables: Tables, units: _Units) -> pd.DataFrame:
    groups = tables.groepen
    years = groups["schooljaar"]
    if years[years.ne("")].nunique() <= 1:
        return fd.empty_findings()
    filled = groups[years.ne("")]
    export = units.of(filled)
    per_export = filled["schooljaar"].groupby(export.to_numpy(), sort=False).unique()
    mixed = per_export[per_export.map(len) > 1]
    at_first = ~export.duplicated() & export.isin(mixed.index)  # per mixed export its first row
    first = filled[at_first.to_numpy()]
    values = [", ".join(sorted(mixed[key])) for key in export[at_first]]
    return fd.for_rows(
        "mixed-schooljaar",
        first,
        table="groepen",
        column="schooljaar",
        values=pd.Series(values, index=first.index),
    )


def _roles(tables: Tables) -> pd.DataFrame:
    """`unknown-role` for each person whose `rol` is neither a product role nor empty: the
    import would be refused or give the wrong rights (a role comes from an import file as
    written, from a staff list's TOP role column, or from `[rollen]` in lwtop.toml)."""
    staff = tables.medewerkers
    rol = staff["rol"]
    wrong = staff[rol.ne("") & ~rol.isin(PRODUCT_ROLES)]
    return fd.for_rows("unknown-role", wrong, table="medewerkers", column="rol")


def _exports(frame: pd.DataFrame) -> pd.Series:
    """The export (folder) each row was read from."""
    return export_folders(frame[SOURCE_FILE])


class _Units:
    """The export of each row, to compare rows within their own export; exports that name a
    school in common count as one (`model.linked_exports`: one school's files given from two
    folders). The links are worked out once, when first needed (rows clash)."""

    def __init__(self, tables: Tables) -> None:
        self.tables = tables
        self._linked: dict[str, str] | None = None

    def linked(self) -> dict[str, str]:
        """`linked_exports` of the tables, worked out on the first call."""
        if self._linked is None:
            self._linked = linked_exports(self.tables)
        return self._linked

    def of(self, frame: pd.DataFrame) -> pd.Series:
        exports = _exports(frame)
        return exports.map(self.linked()).fillna(exports).astype("str")


def _birth_dates(tables: Tables) -> pd.DataFrame:
    year = tables.schooljaar()
    pupils = tables.leerlingen
    if year is None or pupils.empty:
        return fd.empty_findings()
    born = pupils["geboortedatum"]
    reference = pd.Timestamp(year.reference_date)
    not_yet_birthday = (born.dt.month > reference.month) | (
        (born.dt.month == reference.month) & (born.dt.day > reference.day)
    )
    age = reference.year - born.dt.year - not_yet_birthday.astype(int)
    bad = born.notna() & ((age < AGE_MIN) | (age > AGE_MAX))
    rows = pupils[bad]
    return fd.for_rows(
        "implausible-birth-date",
        rows,
        table="leerlingen",
        column="geboortedatum",
        age=age[bad].astype(int).astype(str),
    )


class _StamGroups:
    """The rules about the groups that pupils name, each pupil's group looked up in its own
    export (`model.group_positions`): a board's schools are each their own export."""

    def __init__(self, tables: Tables, units: _Units) -> None:
        self.groups, pupils = tables.groepen, tables.leerlingen
        self.exports = _exports(pupils)
        self.linked = units.linked
        self.at = group_positions(self.groups, pupils["groep_id"], self.exports, self.linked)

    def _of_group(self, column: str) -> pd.Series:
        """Per pupil, `column` of its stamgroep (missing when it has none)."""
        values = np.append(self.groups[column].to_numpy(dtype=object), [None])
        return pd.Series(values[self.at], index=self.exports.index, dtype="str")  # -1: None

    def references(self, tables: Tables) -> pd.DataFrame:
        pupils = tables.leerlingen
        stamgroep = pupils["groep_id"]
        known = self.at >= 0
        unknown = pupils[stamgroep.ne("").to_numpy() & ~known]
        wrong_kind = pupils[self._of_group("soort").eq(SAMENGESTELDE_GROEP).to_numpy()]
        parts = [
            fd.for_rows("unknown-group", unknown, table="leerlingen", column="groep_id"),
            fd.for_rows("not-a-stamgroep", wrong_kind, table="leerlingen", column="groep_id"),
        ]
        listed = listed_ids(pupils["samengestelde_groepen"])
        if not listed.empty:
            at = group_positions(self.groups, listed, self.exports.loc[listed.index], self.linked)
            missing = listed[at < 0]
            rows = pupils.loc[missing.index]
            parts.append(
                fd.for_rows(
                    "unknown-group",
                    rows,
                    table="leerlingen",
                    column="samengestelde_groepen",
                    values=pd.Series(missing.to_numpy(), index=rows.index),
                )
            )
        return fd.concat(parts)

    def empty_groups(self, tables: Tables) -> pd.DataFrame:
        """Stamgroepen that no pupil of their export names (every group of that id in it)."""
        groups = self.groups
        exports, ids = _exports(groups).to_numpy(), groups["groep_id"].to_numpy()
        named = self.at[self.at >= 0]
        keys = pd.MultiIndex.from_arrays([exports[named], ids[named]])
        mine = pd.MultiIndex.from_arrays([exports, ids])
        empty = groups[groups["soort"].eq(STAMGROEP).to_numpy() & ~mine.isin(keys)]
        return fd.for_rows("empty-group", empty, table="groepen", column="groep_id")

    def jaargroep_mismatch(self, tables: Tables) -> pd.DataFrame:
        pupils = tables.leerlingen
        group_jaargroep = self._of_group("jaargroep")
        # a group without jaargroep is a combination group: its pupils may differ
        bad = group_jaargroep.notna() & group_jaargroep.ne("") & pupils["jaargroep"].ne("")
        bad &= pupils["jaargroep"].ne(group_jaargroep)
        rows = pupils[bad]
        return fd.for_rows(
            "jaargroep-mismatch",
            rows,
            table="leerlingen",
            column="jaargroep",
            group=self._of_group("groepsnaam")[bad],
            group_jaargroep=group_jaargroep[bad],
        )


def _link_references(tables: Tables) -> pd.DataFrame:
    links = tables.medewerker_groepen
    if links.empty:
        return fd.empty_findings()
    staff_id, group_id = links["medewerker_id"], links["groep_id"]
    unknown_staff = links[staff_id.ne("") & ~staff_id.isin(tables.medewerkers["medewerker_id"])]
    unknown_group = links[group_id.ne("") & ~group_id.isin(tables.groepen["groep_id"])]
    doubled = links[links.duplicated(["medewerker_id", "groep_id"], keep="first")]
    return fd.concat(
        [
            fd.for_rows(
                "unknown-staff", unknown_staff, table="medewerker_groepen", column="medewerker_id"
            ),
            fd.for_rows(
                "unknown-group", unknown_group, table="medewerker_groepen", column="groep_id"
            ),
            fd.for_rows("duplicate-link", doubled, table="medewerker_groepen", column="groep_id"),
        ]
    )


def _pupils_without_group(tables: Tables) -> pd.DataFrame:
    pupils = tables.leerlingen
    rows = pupils[pupils["groep_id"].eq("")]
    single = fd.for_rows(
        "pupil-without-group",
        rows,
        table="leerlingen",
        column="groep_id",
        values=rows["leerling_id"],
    )
    return fd.concat([single, _groupless_blocks(rows)])


# This many pupils without a group on consecutive rows of one file: the group was written once
# for a block of rows (or its merged cell was lost), not a pupil still waiting for a group.
GROUPLESS_BLOCK = 3


def _groupless_blocks(rows: pd.DataFrame) -> pd.DataFrame:
    """`groupless-block` (an error) for each run of GROUPLESS_BLOCK or more pupils without a
    group on consecutive rows of one file, named at its first row."""
    if len(rows) < GROUPLESS_BLOCK or SOURCE_ROW not in rows or SOURCE_FILE not in rows:
        return fd.empty_findings()
    numbered = rows[rows[SOURCE_ROW].notna()]
    ordered = numbered.sort_values([SOURCE_FILE, SOURCE_ROW], kind="stable")
    files = ordered[SOURCE_FILE].to_numpy(dtype=object)
    numbers = ordered[SOURCE_ROW].to_numpy(dtype="int64")
    starts = np.ones(len(ordered), dtype=bool)
    starts[1:] = (files[1:] != files[:-1]) | (numbers[1:] != numbers[:-1] + 1)
    run = np.cumsum(starts)
    sizes = np.bincount(run)[run]
    first = starts & (sizes >= GROUPLESS_BLOCK)
    if not first.any():
        return fd.empty_findings()
    at = np.flatnonzero(first)
    blocks = ordered.iloc[at]
    count = pd.Series(sizes[at], index=blocks.index)
    return fd.for_rows("groupless-block", blocks, table="leerlingen", column="groep_id",
                       values=count, last=pd.Series(numbers[at] + sizes[at] - 1,
                                                    index=blocks.index))  # fmt: skip


def fold(text: pd.Series) -> pd.Series:
    """Text for comparing names: lower case, no accents, no surrounding or double spaces."""
    unique = text.unique()
    return text.map(dict(zip(unique, map(_fold_one, unique), strict=True)))


def _fold_one(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(plain.lower().split())


def _folded_codes(text: pd.Series) -> np.ndarray:
    """Per value a number, the same for texts that `fold` makes equal (each distinct text is
    folded once; no folded column is built)."""
    codes, uniques = pd.factorize(text)
    _, folded = np.unique(
        np.array([_fold_one(str(u)) for u in uniques], dtype=object), return_inverse=True
    )
    return folded[codes] if len(codes) else codes


def _combined(*codes: np.ndarray) -> np.ndarray:
    """One dense number per combination of the given per-row numbers (none negative)."""
    key = codes[0]
    for more in codes[1:]:
        key, _ = pd.factorize(key.astype(np.int64) * (int(more.max(initial=0)) + 1) + more)
    return key


def _person_keys(pupils: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """The pupils with a surname and birth date, and for each a number: the same for the same
    folded name and birth date. Numbers, not joined texts: ~1 s less per million pupils."""
    known = pupils[pupils["geboortedatum"].notna() & pupils["achternaam"].ne("")]
    surname = _folded_codes(known["tussenvoegsel"] + " " + known["achternaam"])
    born, _ = pd.factorize(known["geboortedatum"].to_numpy().view("int64"))
    key = _combined(surname, _folded_codes(known["roepnaam"]), born)
    return known, pd.Series(key, index=known.index)


def enrolled_twice(tables: Tables) -> pd.DataFrame:
    """Pupils of a board listed under the same name and birth date in the exports of two
    schools: perhaps one child enrolled at both. Per such name a row: `leerling_id` and `school`
    (its export's folder name) in two exports. Not a finding: each school's bundle holds what it
    holds alone (see the module docstring), so a board's report says this apart."""
    columns = ["leerling_id", "school", "other_leerling_id", "other_school"]
    units = _Units(tables)  # one export (or one school's): `_same_person` says it all
    if _exports(tables.leerlingen).nunique() < 2 or units.of(tables.leerlingen).nunique() < 2:
        return pd.DataFrame(columns=columns, dtype="str")
    known, key = _person_keys(tables.leerlingen)
    doubled = key.duplicated(keep=False)
    if not doubled.any():
        return pd.DataFrame(columns=columns, dtype="str")
    rows = pd.DataFrame(
        {
            "key": key[doubled],
            "export": units.of(known[doubled]),
            "leerling_id": known.loc[doubled, "leerling_id"],
        }
    ).drop_duplicates(["key", "export"])
    twice = rows[rows["key"].duplicated(keep=False)]
    first = twice.drop_duplicates("key")
    other = twice[twice["key"].duplicated()].drop_duplicates("key").set_index("key")
    return pd.DataFrame(
        {
            "leerling_id": first["leerling_id"].to_numpy(),
            "school": [Path(export).name for export in first["export"]],
            "other_leerling_id": first["key"].map(other["leerling_id"]).to_numpy(),
            "other_school": [Path(export).name for export in first["key"].map(other["export"])],
        },
        dtype="str",
    )


def _same_person(tables: Tables, units: _Units) -> pd.DataFrame:
    pupils = tables.leerlingen
    known, key = _person_keys(pupils)
    doubled = key.duplicated(keep=False)
    if doubled.any():  # the same person in one export only (a cheap first pass over all)
        unit, _ = pd.factorize(units.of(known))
        key = pd.Series(_combined(key.to_numpy(), unit), index=known.index)
        doubled = key.duplicated(keep=False)
    if not doubled.any():
        return fd.empty_findings()
    first = known[doubled].groupby(key[doubled], sort=False).head(1)
    first_of = dict(zip(key[first.index], first.index, strict=True))
    later = known[doubled & key.duplicated(keep="first")]
    partner = key[later.index].map(first_of)
    return fd.for_rows(
        "possible-duplicate-person",
        later,
        table="leerlingen",
        column="leerling_id",
        other=partner.map(pupils["leerling_id"]),
        other_row=partner.map(pupils[SOURCE_ROW]).astype(str),
    )


def _leading_zeros(tables: Tables, units: _Units) -> pd.DataFrame:
    parts = []
    for name, column in ID_COLUMNS.items():
        frame = tables[name]
        ids = frame[column]
        stripped = ids.str.lstrip("0")
        candidates = frame[ids.ne("") & ~ids.duplicated(keep="first")]
        key = stripped[candidates.index]
        clash = key.duplicated(keep=False)
        if clash.any():  # clashes within one export only (a cheap first pass over all)
            export = units.of(frame) + "|"
            candidates = frame[ids.ne("") & ~(export + ids).duplicated(keep="first")]
            key = (export + stripped)[candidates.index]
            clash = key.duplicated(keep=False)
        if not clash.any():
            continue
        first = candidates[clash].groupby(key[clash], sort=False).head(1)
        first_of = dict(zip(key[first.index], first.index, strict=True))
        later = candidates[clash & key.duplicated(keep="first")]
        partner = key[later.index].map(first_of)
        parts.append(
            fd.for_rows(
                "leading-zero-ids",
                later,
                table=name,
                column=column,
                other=partner.map(ids),
                other_row=partner.map(frame[SOURCE_ROW]).astype(str),
            )
        )
    return fd.concat(parts)
