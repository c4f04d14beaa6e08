"""The canonical model: the four tables of a school year (`Tables`) and the `SchoolYear` value."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import pandas as pd

# Column names are the domain's own Dutch words (DESIGN.md). Order is the canonical order.
TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "groepen": ("groep_id", "groepsnaam", "jaargroep", "soort", "schooljaar", "brin", "vestiging"),
    "leerlingen": (
        "leerling_id",
        "achternaam",
        "tussenvoegsel",
        "roepnaam",
        "voorletters",
        "geboortedatum",
        "geslacht",
        "jaargroep",
        "groep_id",
        "samengestelde_groepen",
        "opleiding",
        "brin",
        "vestiging",
        "eckid",
    ),
    "medewerkers": (
        "medewerker_id",
        "achternaam",
        "tussenvoegsel",
        "roepnaam",
        "email",
        "rol",
        "las_rol",
    ),
    "medewerker_groepen": ("medewerker_id", "groep_id"),
}
TABLE_NAMES: tuple[str, ...] = tuple(TABLE_COLUMNS)
# The tables every school year must have; `medewerker_groepen` is optional.
REQUIRED_TABLES: tuple[str, ...] = ("groepen", "leerlingen", "medewerkers")
ID_COLUMNS: dict[str, str] = {
    "groepen": "groep_id",
    "leerlingen": "leerling_id",
    "medewerkers": "medewerker_id",
}
DATE_COLUMNS: frozenset[str] = frozenset({"geboortedatum"})

# Provenance columns: where a row came from, so that every finding can point at the row a person
# sees when opening the source file (header = row 1). They travel with the rows through filters
# and merges; writers drop them.
SOURCE_FILE = "_file"
SOURCE_ROW = "_row"
PROVENANCE: tuple[str, str] = (SOURCE_FILE, SOURCE_ROW)

# `samengestelde_groepen` holds a list of group ids; in a cell they are joined with this separator.
LIST_SEPARATOR = "|"

STAMGROEP = "stamgroep"
SAMENGESTELDE_GROEP = "samengestelde_groep"
PRODUCT_ROLES: tuple[str, str] = ("TOP leerkracht", "TOP leerkracht +")


def empty_table(name: str) -> pd.DataFrame:
    """An empty canonical table with the right columns and dtypes."""
    columns: dict[str, pd.Series] = {}
    for column in TABLE_COLUMNS[name]:
        dtype = "datetime64[us]" if column in DATE_COLUMNS else "str"
        columns[column] = pd.Series([], dtype=dtype)
    columns[SOURCE_FILE] = pd.Series([], dtype="str")
    columns[SOURCE_ROW] = pd.Series([], dtype="Int64")
    return pd.DataFrame(columns)


def conform(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Return `frame` with exactly the canonical columns of table `name` (plus provenance).

    Text columns become the `str` dtype with "" for empty (never NA), dates `datetime64`,
    the source row `Int64`. Missing columns are added empty; extra columns are dropped.
    """
    out = pd.DataFrame(index=frame.index)
    for column in TABLE_COLUMNS[name]:
        if column in DATE_COLUMNS:
            values = frame[column] if column in frame else pd.Series(pd.NaT, index=frame.index)
            out[column] = pd.to_datetime(values, errors="coerce").astype("datetime64[us]")
        elif column in frame:
            out[column] = frame[column].fillna("").astype("str")
        else:
            out[column] = pd.Series("", index=frame.index, dtype="str")
    source_file = frame.get(SOURCE_FILE, "")
    out[SOURCE_FILE] = pd.Series(source_file, index=frame.index).fillna("").astype("str")
    source_row = frame.get(SOURCE_ROW, pd.NA)
    out[SOURCE_ROW] = pd.Series(source_row, index=frame.index).astype("Int64")
    return out.reset_index(drop=True)


def split_ids(cell: str) -> list[str]:
    """The ids in a `samengestelde_groepen` cell."""
    return [part.strip() for part in cell.split(LIST_SEPARATOR) if part.strip()]


def listed_ids(cells: pd.Series) -> pd.Series:
    """`split_ids` of a column of `samengestelde_groepen` cells: one row per id, indexed by its
    cell's row (a cell without ids gives none)."""
    filled = cells[cells.ne("")]
    ids = filled.str.split(LIST_SEPARATOR).explode().str.strip()
    return ids[ids.ne("")]


def join_ids(ids: list[str] | tuple[str, ...]) -> str:
    """One `samengestelde_groepen` cell from a list of ids."""
    return LIST_SEPARATOR.join(ids)


@dataclass
class Tables:
    """One school year (or one export) as the four canonical tables.

    Every frame has the columns of `TABLE_COLUMNS` (plus the provenance columns `_file`, `_row`).
    Build one with `Tables.from_frames`, which conforms the frames.
    """

    groepen: pd.DataFrame = field(default_factory=lambda: empty_table("groepen"))
    leerlingen: pd.DataFrame = field(default_factory=lambda: empty_table("leerlingen"))
    medewerkers: pd.DataFrame = field(default_factory=lambda: empty_table("medewerkers"))
    medewerker_groepen: pd.DataFrame = field(
        default_factory=lambda: empty_table("medewerker_groepen")
    )

    @classmethod
    def from_frames(cls, **frames: pd.DataFrame) -> Tables:
        """Build Tables from frames named like the tables; absent tables are empty."""
        unknown = set(frames) - set(TABLE_NAMES)
        if unknown:
            raise ValueError(f"unknown tables: {sorted(unknown)}")
        return cls(**{name: conform(name, frame) for name, frame in frames.items()})

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in TABLE_COLUMNS:
            raise KeyError(name)
        frame: pd.DataFrame = getattr(self, name)
        return frame

    def items(self) -> Iterator[tuple[str, pd.DataFrame]]:
        for name in TABLE_NAMES:
            yield name, self[name]

    def row_counts(self) -> dict[str, int]:
        return {name: len(frame) for name, frame in self.items()}

    def canonical(self, name: str) -> pd.DataFrame:
        """Table `name` without the provenance columns."""
        return self[name].loc[:, list(TABLE_COLUMNS[name])]

    def schooljaar(self) -> SchoolYear | None:
        """The school year most groups name, or None when no group names a valid one."""
        years = self.groepen["schooljaar"]
        for text in years.value_counts().index:
            parsed = SchoolYear.try_parse(str(text))
            if parsed is not None:
                return parsed
        return None


_FULL = re.compile(r"^\s*(\d{4})\s*[-/]\s*(\d{4})\s*$")
_SHORT = re.compile(r"^\s*(\d{2})\s*[-/]\s*(\d{2})\s*$")
# The Dutch school year starts on 1 August (reference/README.md §11).
SCHOOL_YEAR_START_MONTH = 8


@dataclass(frozen=True, order=True)
class SchoolYear:
    """A Dutch school year, 1 August to 31 July, written `2026-2027`."""

    start: int

    @classmethod
    def parse(cls, text: str) -> SchoolYear:
        """Parse `2026-2027`, `2026 / 2027` or `26-27`; raise ValueError otherwise."""
        match = _FULL.match(text)
        if match:
            first, second = int(match[1]), int(match[2])
        else:
            match = _SHORT.match(text)
            if not match:
                raise ValueError(f"geen schooljaar: {text!r}")
            first, second = 2000 + int(match[1]), 2000 + int(match[2])
        if second != first + 1:
            raise ValueError(f"schooljaar {text!r}: de jaren volgen niet op elkaar")
        return cls(first)

    @classmethod
    def try_parse(cls, text: str) -> SchoolYear | None:
        try:
            return cls.parse(text)
        except ValueError:
            return None

    @classmethod
    def of_date(cls, day: dt.date) -> SchoolYear:
        """The school year a date falls in: from 1 August on, the new one."""
        start = day.year if day.month >= SCHOOL_YEAR_START_MONTH else day.year - 1
        return cls(start)

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.start, SCHOOL_YEAR_START_MONTH, 1)

    @property
    def last_day(self) -> dt.date:
        return dt.date(self.start + 1, SCHOOL_YEAR_START_MONTH, 1) - dt.timedelta(days=1)

    @property
    def reference_date(self) -> dt.date:
        """1 October: the date at which ages in a school year are judged (teldatum)."""
        return dt.date(self.start, 10, 1)

    def next(self) -> SchoolYear:
        return SchoolYear(self.start + 1)

    def previous(self) -> SchoolYear:
        return SchoolYear(self.start - 1)

    def __str__(self) -> str:
        return f"{self.start}-{self.start + 1}"
