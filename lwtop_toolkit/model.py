"""The canonical model: the four tables of a school year (`Tables`), the `SchoolYear` value and
the school and export (folder) a row is of."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
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


# The tables as a coordinator reads them (the summary of `lwtop validate`, the app's findings).
TABLE_LABELS = {
    "groepen": "groepen",
    "leerlingen": "leerlingen",
    "medewerkers": "medewerkers",
    "medewerker_groepen": "koppelingen medewerker-groep",
}


_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def normalise(header: str) -> str:
    """The key by which headers and role names are compared: case, spaces, punctuation and
    accents do not count. `Voorvoegsel(s)` -> `voorvoegsels`; `Geboorte datum` ->
    `geboortedatum`; `É` -> `e`."""
    decomposed = unicodedata.normalize("NFKD", header.replace("\ufeff", ""))
    ascii_only = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _NOT_ALNUM.sub("", ascii_only.lower())


# --- the school of a row -------------------------------------------------------------------------
# A school is named by its BRIN plus its vestiging (`12AB`, `12AB01`); vestiging `00` is the main
# location and means the same as none. An export is the folder a row was read from.

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


# --- names ---------------------------------------------------------------------------------------


def display_name(people: pd.DataFrame) -> pd.Series:
    """`roepnaam tussenvoegsel achternaam`, single-spaced (pupils and staff alike).

    Joined row by row in Python: ~20 % faster than five string operations on whole columns.
    """
    parts = [texts_of(people[column]) for column in ("roepnaam", "tussenvoegsel", "achternaam")]
    joined = [
        " ".join(part for part in (first.strip(), middle.strip(), last.strip()) if part)
        for first, middle, last in zip(*parts, strict=True)
    ]
    return pd.Series(joined, index=people.index, dtype="str")


def texts_of(column: pd.Series) -> list[str]:
    """The column's values as Python texts, a missing one as ""."""
    return column.fillna("").astype("str").tolist() if column.hasnans else column.tolist()


# --- years as a school says them -----------------------------------------------------------------
# The data keeps a VO/MBO leerjaar as its EDEXML code (11-16); a school says leerjaar 1-6. What a
# coordinator reads (preview, app, workbooks, worklists) shows the school's words; the data, the
# bundle and `--json` keep the codes.

_CODE_TO_LEERJAAR = {str(code): str(code - 10) for code in range(11, 17)}


def year_shown(code: object) -> str:
    """A year as the school says it: `11`-`16` as `1`-`6`; a groep, S or V as it is."""
    text = "" if code is None or (isinstance(code, float) and code != code) else str(code)
    return _CODE_TO_LEERJAAR.get(text, text)


def years_shown(codes: pd.Series) -> pd.Series:
    """`year_shown` of every value of a column (missing stays missing)."""
    return codes.map(lambda code: code if pd.isna(code) else year_shown(code))


def listed_years_shown(lists: pd.Series, sep: str = ", ") -> pd.Series:
    """`year_shown` of every year in texts that list several (`11, 12` as `1, 2`), as a
    group's `jaargroepen` lists its pupils' years."""
    return lists.map(
        lambda text: text if pd.isna(text) else sep.join(map(year_shown, str(text).split(sep)))
    )


def year_word(codes: pd.Series | list[str]) -> str:
    """`leerjaar` when the years are VO/MBO codes (11-16) only, else `groep` (PO, SO) or
    `groep/leerjaar` for a mix: the word a heading uses for the years it shows."""
    values = {str(code) for code in codes if isinstance(code, str) and code}
    vo = {code for code in values if code in _CODE_TO_LEERJAAR}
    if vo and vo == values:
        return "leerjaar"
    return "groep/leerjaar" if vo else "groep"
