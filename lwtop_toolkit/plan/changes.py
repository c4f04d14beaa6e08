"""What the LAS changed behind the numbers: every field of a matched pupil that differs between
last year and the new year (`field_changes`).

A pupil matched across the years (matching.py) keeps its dossier; the analyst who audits the
transition wants to see at one glance what else changed about that pupil: a spelling fix of a
name, a corrected birth date, the sex, the ECK-iD, the opleiding, and the number itself when
the pupil was found by ECK-iD or without leading zeros. The fields that change by design each
year (group, jaargroep, combined groups) are the plan itself and are not listed.

A field that one year's export does not hold at all (no pupil has a value: the export has no
such column) is not compared: a CSV without ECK-iD beside an EDEXML file with them is no change
of every pupil. Values are compared trimmed; a change of case (`de` -> `De`) is a change.

Vectorised over the matched pairs: the raw values are compared as arrays, and only the pairs
that differ are looked at further.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lwtop_toolkit.model import SOURCE_FILE, SOURCE_ROW, Tables

# The fields compared, in the order a pupil's changes are listed, with their Dutch label.
CHANGE_FIELDS: dict[str, str] = {
    "leerling_id": "Leerlingnummer",
    "eckid": "ECK-iD",
    "achternaam": "Achternaam",
    "tussenvoegsel": "Tussenvoegsel",
    "roepnaam": "Roepnaam",
    "voorletters": "Voorletters",
    "geboortedatum": "Geboortedatum",
    "geslacht": "Geslacht",
    "opleiding": "Opleiding",
}
# The columns of the change list: the pupil (new number, names of both years, school), the
# field with its old and new value (text; dates as `jjjj-mm-dd`), how the pupil was matched
# and the new year's source row.
CHANGE_COLUMNS: tuple[str, ...] = (
    "leerling_id", "naam", "naam_oud", "school", "field", "old", "new", "matched_by",
    SOURCE_FILE, SOURCE_ROW,
)  # fmt: skip

EMPTY_VALUE = "(leeg)"  # how a person sees a field filled in one year only


def empty_changes() -> pd.DataFrame:
    """A change list without rows."""
    frame = pd.DataFrame({column: pd.Series([], dtype="str") for column in CHANGE_COLUMNS})
    frame[SOURCE_ROW] = frame[SOURCE_ROW].astype("Int64")
    return frame


def field_changes(
    old: Tables,
    new: Tables,
    pupils: tuple[pd.DataFrame, pd.DataFrame],
    pairs: tuple[np.ndarray, np.ndarray, np.ndarray],
) -> pd.DataFrame:
    """Every field of a matched pupil that differs between the years, one row per field.

    `pupils`: `matching.year_pupils` of `old` and `new`; `pairs`: `match_pupils`' old and new
    positions and stages. Rows in the new file's order, a pupil's fields in `CHANGE_FIELDS`'
    order; the index is the pupil's row in the plan's `students` (its new-year position).
    """
    old_pupils, new_pupils = pupils
    old_pos, new_pos, how = pairs
    if len(new_pos) == 0:
        return empty_changes()
    found_at: list[np.ndarray] = []
    found_field: list[np.ndarray] = []
    found_old: list[np.ndarray] = []
    found_new: list[np.ndarray] = []
    every = np.arange(len(new_pos))
    for field in CHANGE_FIELDS:
        # a pair matched on this very key has it equal (trimmed): only the others can differ
        some = np.flatnonzero(how != field) if field in ("leerling_id", "eckid") else every
        compared = _compared(
            old.leerlingen[field], new.leerlingen[field], old_pos[some], new_pos[some]
        )
        if compared is None:
            continue
        at, before, after = compared
        at = some[at]
        found_at.append(at)
        found_field.append(np.full(len(at), field, dtype=object))
        found_old.append(before)
        found_new.append(after)
    if not found_at or not sum(len(at) for at in found_at):
        return empty_changes()
    at = np.concatenate(found_at)
    order = np.argsort(new_pos[at], kind="stable")  # the new file's order, then field by field
    at = at[order]
    new_at, old_at = new_pos[at], old_pos[at]
    changes = pd.DataFrame(
        {
            "leerling_id": new_pupils["leerling_id"].to_numpy()[new_at],
            "naam": new_pupils["naam"].to_numpy()[new_at],
            "naam_oud": old_pupils["naam"].to_numpy()[old_at],
            "school": new_pupils["school"].to_numpy()[new_at],
            "field": np.concatenate(found_field)[order],
            "old": np.concatenate(found_old)[order],
            "new": np.concatenate(found_new)[order],
            "matched_by": how[at],
            SOURCE_FILE: new_pupils[SOURCE_FILE].to_numpy()[new_at],
            SOURCE_ROW: pd.array(new_pupils[SOURCE_ROW].to_numpy()[new_at], dtype="Int64"),
        },
        index=pd.Index(new_at, name=None),
    )
    for column in CHANGE_COLUMNS:
        if column != SOURCE_ROW:
            changes[column] = changes[column].astype("str")
    return changes


def shown_changes(changes: pd.DataFrame) -> pd.DataFrame:
    """The change list as a person reads it (the audit workbook, the app): `veld` the field's
    Dutch label, `vorig_jaar` and `nieuw_jaar` the values with dates as `dd-mm-jjjj` and an
    empty value as `(leeg)`."""
    dated = changes["field"].eq("geboortedatum")

    def shown(values: pd.Series) -> pd.Series:
        day = values.str.slice(8, 10) + "-" + values.str.slice(5, 7) + "-" + values.str.slice(0, 4)
        return values.where(~dated, day).where(values.ne(""), EMPTY_VALUE).astype("str")

    return changes.assign(
        veld=changes["field"].map(CHANGE_FIELDS).fillna(changes["field"]).astype("str"),
        vorig_jaar=shown(changes["old"]),
        nieuw_jaar=shown(changes["new"]),
    )


def _compared(
    before: pd.Series, after: pd.Series, old_pos: np.ndarray, new_pos: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """The pairs (positions into `old_pos`/`new_pos`) whose values differ, with both values
    as text; None when one year holds no value at all for the field."""
    if pd.api.types.is_datetime64_any_dtype(before):
        return _compared_dates(before, after, old_pos, new_pos)
    old_values, new_values = before.to_numpy(dtype=object), after.to_numpy(dtype=object)
    if not _holds(old_values) or not _holds(new_values):
        return None
    o, n = old_values[old_pos], new_values[new_pos]
    differ = np.flatnonzero(o != n)  # the raw values: few differ, those are trimmed
    o = np.array([_trimmed(value) for value in o[differ]], dtype=object)
    n = np.array([_trimmed(value) for value in n[differ]], dtype=object)
    really = o != n
    return differ[really], o[really], n[really]


def _compared_dates(
    before: pd.Series, after: pd.Series, old_pos: np.ndarray, new_pos: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    old_days = before.to_numpy().astype("datetime64[D]")
    new_days = after.to_numpy().astype("datetime64[D]")
    if np.isnat(old_days).all() or np.isnat(new_days).all():
        return None
    o, n = old_days[old_pos], new_days[new_pos]
    both_missing = np.isnat(o) & np.isnat(n)
    differ = np.flatnonzero(~both_missing & (o != n))  # NaT never equals: counted apart
    return differ, _iso(o[differ]), _iso(n[differ])


def _iso(days: np.ndarray) -> np.ndarray:
    """Dates as `jjjj-mm-dd`, a missing one as ""."""
    text = np.datetime_as_string(days, unit="D").astype(object)
    text[np.isnat(days)] = ""
    return text


def _holds(values: np.ndarray) -> bool:
    """Whether any value is filled in (not only spaces); stops at the first."""
    return any(value and _trimmed(value) for value in values)


def _trimmed(value: object) -> str:
    """A cell as trimmed text; a missing one (canonical tables have none) as ""."""
    return "" if value is None or value is pd.NA or value != value else str(value).strip()


__all__ = [
    "CHANGE_COLUMNS",
    "CHANGE_FIELDS",
    "EMPTY_VALUE",
    "empty_changes",
    "field_changes",
    "shown_changes",
]
