"""Who is no longer there: pupils marked inactive and staff out of service are left out of a list,
and counted in one finding per sheet (as EDEXML's former pupils are).

A list may say per row whether the person is active, in the field `actief` of its alias table:
Somtoday's `leerlingActief`, a column `Actief`, `Status` or `In dienst`, or one saying the
opposite (`Uit dienst`, `Inactief`, `Uitgeschreven`). Values are read by meaning: yes/no words
(`true`, `ja`, `1`, `false`, `nee`, `0`) answer the column's question, words that say it
themselves (`actief`, `uitgeschreven`, `uit dienst`) count whatever the column is called; an
empty cell is active. A value that says neither keeps the row, with a warning. Magister marks
staff out of service with a `*` before the docent code (`*JAN`): such a row is out of service.

The rows left out are taken out of the sheet before it is translated, so that they make no
other findings (a bad date of a pupil who left is no error of the new year).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from lwtop_toolkit.findings import concat, empty_findings, finding, frame
from lwtop_toolkit.model import SOURCE_ROW, normalise
from lwtop_toolkit.readers.files.headers import match_headers
from lwtop_toolkit.readers.files.sheet import Sheet

FIELD = "actief"
OUT_OF_SERVICE_MARK = "*"  # Magister: a docent code starting with it is out of service


def _keys(*words: str) -> frozenset[str]:
    return frozenset(normalise(word) for word in words)


# Headers that ask "no longer here?": a yes there means inactive.
NEGATED_HEADERS = _keys(
    "uit dienst", "inactief", "niet actief", "uitgeschreven", "vertrokken", "uitgestroomd",
)  # fmt: skip
YES = _keys("true", "waar", "ja", "j", "yes", "y", "1", "x", "wel")
NO = _keys("false", "onwaar", "nee", "n", "no", "0", "niet")
ACTIVE_WORDS = _keys(
    "actief", "active", "ingeschreven", "in dienst", "aanwezig", "definitief", "volledig",
    "voorlopig",
)  # fmt: skip
INACTIVE_WORDS = _keys(
    "inactief", "niet actief", "inactive", "uitgeschreven", "uitgestroomd", "vertrokken",
    "beëindigd", "afgemeld", "afgewezen", "gestopt", "uit dienst", "oud-leerling",
    "oud-medewerker", "niet in dienst",
)  # fmt: skip
# Per table: the finding that counts the rows left out, and the word for one person.
SKIPPED = {"leerlingen": "inactive-pupils-skipped", "medewerkers": "inactive-staff-skipped"}
WHO = {"leerlingen": "leerling", "medewerkers": "medewerker"}


@dataclass
class Split:
    """A sheet's active rows (`active`), the rows left out (`gone`) and the findings."""

    active: Sheet
    gone: Sheet
    findings: pd.DataFrame = dataclasses.field(default_factory=empty_findings)


def is_active(value: str, negated: bool = False) -> bool | None:
    """Whether a cell says active (True), inactive (False) or neither (None); "" is active.

    `negated`: the column asks "no longer here?" (`Uit dienst`), so a yes means inactive.
    """
    key = normalise(value)
    if not key or key in ACTIVE_WORDS:
        return True
    if key in INACTIVE_WORDS:
        return False
    if key in YES:
        return not negated
    if key in NO:
        return negated
    return None


def split_active(sheet: Sheet, aliases: Mapping[str, tuple[str, ...]], table: str) -> Split:
    """The sheet without its inactive rows; those counted in one finding, unclear values noted.

    The activity column is the alias table's field `actief`; a `code` field (staff lists) marks
    out-of-service staff with a leading `*`.
    """
    columns = match_headers(sheet.header, aliases).columns
    rows = sheet.rows
    gone = pd.Series(False, index=rows.index)
    reasons: list[str] = []
    notes = []
    if "code" in columns:
        marked = _cells(rows, columns["code"]).str.strip().str.startswith(OUT_OF_SERVICE_MARK)
        if marked.any():
            reasons.append(f"docentcode met {OUT_OF_SERVICE_MARK} ervoor")
        gone |= marked
    if FIELD in columns:
        header = sheet.header[columns[FIELD]]
        negated = normalise(header) in NEGATED_HEADERS
        cells = _cells(rows, columns[FIELD]).str.strip()
        said = cells.map({cell: is_active(cell, negated) for cell in cells.unique()})
        inactive = said.eq(False) & ~gone
        if inactive.any():
            examples = "', '".join(cells[inactive].drop_duplicates().head(3))
            reasons.append(f"kolom '{header}' is '{examples}'")
        gone |= inactive
        unclear = cells[said.isna() & ~gone].drop_duplicates()
        notes += [
            finding("activity-unknown", file=sheet.file, table=table, row=int(at), column=FIELD,
                    value=value, header=header, who=WHO.get(table, "persoon"))
            for at, value in zip(rows.loc[unclear.index, SOURCE_ROW], unclear, strict=True)
        ]  # fmt: skip
    if gone.any():
        first = rows.loc[gone, SOURCE_ROW].min()
        notes.append(
            finding(SKIPPED[table], file=sheet.file, table=table, row=int(first),
                    column=FIELD, value=int(gone.sum()), reason=" of ".join(reasons))
        )  # fmt: skip
    return Split(
        active=dataclasses.replace(sheet, rows=rows[~gone].reset_index(drop=True)),
        gone=dataclasses.replace(sheet, rows=rows[gone].reset_index(drop=True)),
        findings=concat([frame(notes)]),
    )


def _cells(rows: pd.DataFrame, position: int) -> pd.Series:
    return rows[position].fillna("").astype("str")
