"""A LAS's list exports (pupils, staff) into Tables: the steps the tabular LAS readers share.

Every sheet of the given files is a pupil list, a staff list, or not used (a finding). Groups
are the distinct classes of the pupils (groep_id = the class name), plus what a format reads
beside its lists (Somtoday's structuurbestand). BRIN and school year come from the export, else
from `lwtop.toml` or the file and folder names (school_settings.py); links from mentor columns.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from lwtop_toolkit.findings import concat, empty_findings, finding, for_rows, frame
from lwtop_toolkit.model import (
    SAMENGESTELDE_GROEP,
    SOURCE_FILE,
    SOURCE_ROW,
    STAMGROEP,
    Tables,
    join_ids,
    normalise,
    split_ids,
)
from lwtop_toolkit.readers.activity import split_active
from lwtop_toolkit.readers.base import ReadResult
from lwtop_toolkit.readers.files.reading import read_sheets
from lwtop_toolkit.readers.files.sheet import Sheet
from lwtop_toolkit.readers.files.sniffing import TABULAR_SUFFIXES
from lwtop_toolkit.readers.files.toolkit_workbooks import is_toolkit_workbook
from lwtop_toolkit.readers.pupil_lists import ListFormat, is_pupil_header, mapped, translate_pupils
from lwtop_toolkit.readers.school_settings import (
    Settings,
    brin_from_path,
    load_settings,
    year_from_path,
)
from lwtop_toolkit.readers.staff_lists import is_staff_header, mentor_links, translate_staff

BRIN4 = re.compile(r"^\d{2}[A-Z]{2}$")
BRIN6 = re.compile(r"^(\d{2}[A-Z]{2})(\d{2})$")
VESTIGINGSNUMMER = re.compile(r"^\d{2}$")
GROUP_COLUMNS = ("groep_id", "groepsnaam", "jaargroep", "soort", "schooljaar", "brin", "vestiging")


@dataclass
class Structure:
    """What a format reads beside its lists: groups, staff and locations (Somtoday)."""

    groepen: pd.DataFrame = field(default_factory=pd.DataFrame)
    medewerkers: pd.DataFrame = field(default_factory=pd.DataFrame)
    # normalised location name or abbreviation -> (BRIN, vestigingsnummer)
    vestigingen: dict[str, tuple[str, str]] = field(default_factory=dict)
    findings: pd.DataFrame = field(default_factory=empty_findings)
    files: list[Path] = field(default_factory=list)


def list_files(paths: Sequence[Path]) -> list[Path]:
    """The CSV and XLSX files among `paths`; a folder gives its files (not hidden, no locks, not
    our own workbooks)."""
    found: list[Path] = []
    for path in paths:
        children = sorted(path.iterdir()) if path.is_dir() else [path]
        found.extend(
            child
            for child in children
            if child.is_file()
            and not child.name.startswith((".", "~$"))
            and child.suffix.lower() in TABULAR_SUFFIXES
            and not (path.is_dir() and is_toolkit_workbook(child))
        )
    return found


@functools.lru_cache(maxsize=16)
def _sheets(name: str, mtime: int, size: int, known: frozenset[str]) -> tuple[Sheet, ...]:
    return tuple(read_sheets(Path(name), known))


def forget_sheets() -> None:
    """Drop the parsed sheets kept for detection (after a read: they can be large)."""
    _sheets.cache_clear()


def sheets_of(path: Path, known: frozenset[str]) -> list[Sheet]:
    """The sheets of one file, parsed once for detection and reading (keyed on size and time).

    `known`: the normalised headers a header row is recognised by (the registry's).
    """
    stat = path.stat()
    return list(_sheets(str(path), stat.st_mtime_ns, stat.st_size, known))


def any_sheet(
    paths: Sequence[Path],
    known: frozenset[str],
    test: Callable[[list[str]], bool],
    skip: Callable[[Path], bool],
) -> bool:
    """Detection: does some sheet's header pass `test`? Never raises (unreadable: not ours)."""
    for path in list_files(paths):
        if skip(path):
            continue
        try:
            if any(test(sheet.header) for sheet in sheets_of(path, known)):
                return True
        except Exception:
            continue
    return False


def read_lists(
    paths: Sequence[Path],
    fmt: ListFormat,
    known: frozenset[str],
    *,
    mapping: Mapping[str, str] | None = None,
    structure: Structure | None = None,
) -> ReadResult:
    """Read the pupil and staff lists among `paths` (files of `structure` excluded); `known`:
    the headers a header row is recognised by (the registry's)."""
    structure = structure or Structure()
    settings = load_settings(paths, mapping)
    fields = [*fmt.pupil_aliases, *fmt.staff_aliases]  # `--map` may name a field of either
    pupil_aliases = mapped(fmt.pupil_aliases, settings.columns, fields)
    staff_aliases = mapped(fmt.staff_aliases, settings.columns, fields)
    done = {path.resolve() for path in structure.files}
    files = [path for path in list_files(paths) if path.resolve() not in done]
    pupil_parts, staff_parts, gone_parts, notes = [], [], [], [structure.findings]
    headers: set[str] = set()
    for path in files:
        for sheet in sheets_of(path, known):
            headers |= {normalise(cell) for cell in sheet.header}
            if is_pupil_header(sheet.header, pupil_aliases):
                split = split_active(sheet, pupil_aliases, "leerlingen")
                rows, found = translate_pupils(split.active, fmt, pupil_aliases)
                found = concat([found, split.findings])
                pupil_parts.append(rows)
            elif is_staff_header(sheet.header, staff_aliases, pupil_aliases):
                split = split_active(sheet, staff_aliases, "medewerkers")
                rows, found = translate_staff(split.active, staff_aliases, settings.roles)
                found = concat([found, split.findings])
                staff_parts.append(rows)
                gone_parts.append(translate_staff(split.gone, staff_aliases, settings.roles)[0])
            else:
                found = frame([finding("sheet-not-used", file=sheet.file)])
            notes.append(found)
    if not pupil_parts:
        notes.append(frame([finding("no-pupil-list", file=", ".join(map(str, files)))]))
    pupils = pd.concat(pupil_parts, ignore_index=True) if pupil_parts else pd.DataFrame()
    pupils = _with_columns(pupils, ("groep_id", "jaargroep", "samengestelde_groepen"))
    notes.append(_school_facts(pupils, settings, structure))
    groepen, group_notes = derive_groups(pupils, structure.groepen)
    notes.append(group_notes)
    staff = pd.concat(staff_parts, ignore_index=True) if staff_parts else pd.DataFrame()
    if staff_parts and not structure.medewerkers.empty:
        count = len(structure.medewerkers)
        first = structure.medewerkers.iloc[:1]
        notes.append(
            for_rows("structure-records-skipped", first, table="medewerkers",
                     values=pd.Series("Medewerker", index=first.index), count=count,
                     reason="de personeelslijst noemt de medewerkers, met meer gegevens")
        )  # fmt: skip
    elif not staff_parts:
        staff = structure.medewerkers
    staff = _with_columns(staff, ("medewerker_id", "code", "las_rol", "rol"))
    roleless = staff[staff["las_rol"].eq("") & staff["rol"].eq("")]
    if not roleless.empty:
        count = pd.Series(str(len(roleless)), index=roleless.index[:1])
        notes.append(for_rows("staff-without-role", roleless.iloc[:1], table="medewerkers",
                              values=count))  # fmt: skip
    notes.append(_unused_mapping(settings, headers))
    gone = pd.concat(gone_parts, ignore_index=True) if gone_parts else pd.DataFrame()
    links, link_notes = mentor_links(pupils, staff, gone)
    notes.append(link_notes)
    tables = Tables.from_frames(
        groepen=groepen, leerlingen=pupils, medewerkers=staff, medewerker_groepen=links
    )
    return ReadResult(
        tables=tables, findings=concat(notes), format=fmt.name, files=[*structure.files, *files]
    )


def _unused_mapping(settings: Settings, headers: set[str]) -> pd.DataFrame:
    """`mapped-column-missing` for each mapped column that no list has."""
    source = settings.source or "--map"
    return frame(
        finding("mapped-column-missing", file=source, value=column)
        for column in settings.columns
        if normalise(column) not in headers
    )


def _with_columns(rows: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    for column in (*columns, SOURCE_FILE):
        if column not in rows:
            rows[column] = pd.Series("", index=rows.index, dtype="str")
    if SOURCE_ROW not in rows:
        rows[SOURCE_ROW] = pd.Series(pd.NA, index=rows.index, dtype="Int64")
    return rows


def _school_facts(pupils: pd.DataFrame, settings: Settings, structure: Structure) -> pd.DataFrame:
    """Fill brin, vestiging and schooljaar of the pupil rows (in place); findings on the way."""
    empty = pd.Series("", index=pupils.index, dtype="str")
    brin, vestiging = pupils.get("brin", empty), pupils.get("vestiging", empty)
    pairs = pd.Series(list(zip(brin, vestiging, strict=True)), index=pupils.index, dtype=object)
    places = {pair: _place(pair[0], pair[1], structure) for pair in set(pairs)}
    placed = pairs.map(places)
    pupils["brin"] = placed.map(lambda place: place[0]).astype("str")
    number = placed.map(lambda place: place[1]).astype("str")
    pupils["vestiging"] = number.mask(number.eq(""), settings.vestiging)
    unresolved = placed.map(lambda place: place[2]).astype(bool)
    first = pupils[unresolved & ~vestiging.duplicated()]
    fallback = settings.vestiging or "leeg"
    notes = [for_rows("vestiging-not-a-number", first, table="leerlingen", column="vestiging",
                      values=vestiging[first.index], fallback=fallback)]  # fmt: skip
    notes.append(_fill_from_context(pupils, "brin", settings.brin, structure))
    notes.append(_fill_from_context(pupils, "schooljaar", settings.schooljaar, structure))
    return concat(notes)


def _place(brin: str, vestiging: str, structure: Structure) -> tuple[str, str, bool]:
    """(BRIN, vestigingsnummer, a location name not resolved) from a row's brin and vestiging.

    A BRIN column may hold BRIN + vestigingsnummer (`12AB00`, Somtoday's BRINVolgnummer); a
    vestiging column a number, a BRIN(6), or the location's name (resolved through `structure`).
    """
    number = ""
    six = BRIN6.match(brin)
    if six:
        brin, number = six[1], six[2]
    if not vestiging or VESTIGINGSNUMMER.match(vestiging):
        return brin, vestiging or number, False
    six = BRIN6.match(vestiging)
    if six:
        return brin or six[1], six[2], False
    if BRIN4.match(vestiging):
        return brin or vestiging, number, False
    known = structure.vestigingen.get(normalise(vestiging))
    if known:
        return brin or known[0], number or known[1], False
    return brin, number, not number


def _fill_from_context(
    pupils: pd.DataFrame, column: str, setting: str, structure: Structure
) -> pd.DataFrame:
    """Empty `column` cells from the settings, the structure or a file/folder name."""
    values = pupils[column] if column in pupils else pd.Series("", index=pupils.index, dtype="str")
    empty = values.fillna("").eq("")
    pupils[column] = values.fillna("").astype("str")
    if pupils.empty or not empty.any():
        return empty_findings()
    file = str(pupils.loc[empty, SOURCE_FILE].iloc[0])
    found, source, notes = setting, "", []
    if not found and column == "brin":
        brins = {pair[0] for pair in structure.vestigingen.values() if pair[0]}
        found = brins.pop() if len(brins) == 1 else ""
    if not found:
        path = Path(file.split(" [")[0])
        found, source = (brin_from_path if column == "brin" else year_from_path)(path)
        if found:
            record = finding(f"{column}-from-path", file=file, table="groepen", column=column,
                             value=found, source=source)  # fmt: skip
            notes.append(record)
    if not found:
        notes.append(finding(f"{column}-unknown", file=file, table="groepen", column=column))
    pupils.loc[empty, column] = found
    return frame(notes)


def derive_groups(pupils: pd.DataFrame, extra: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The groups: distinct classes (stamgroepen), their samengestelde groepen, `extra` groups;
    and the findings about their names.

    A class's jaargroep is its pupils' when they share one, else "" (a combination class); its
    row points at the first pupil of the class. Names that differ only in case (`5a`, `5A`) are
    one group: the pupils get one spelling (in place), with an info.
    """
    notes = one_spelling(pupils, extra)
    stam = pupils[pupils["groep_id"].ne("")]
    by_class = stam.groupby("groep_id", sort=False)
    first = stam.drop_duplicates("groep_id").set_index("groep_id")
    jaargroep = by_class["jaargroep"].first().where(by_class["jaargroep"].nunique().le(1), "")
    names = first["groepsnaam"] if "groepsnaam" in first else pd.Series("", index=first.index)
    groups = pd.DataFrame(
        {
            "groep_id": first.index,
            "groepsnaam": names.mask(names.eq(""), first.index.to_series()).to_numpy(),
            "jaargroep": jaargroep.reindex(first.index).to_numpy(),
            "soort": STAMGROEP,
            **{c: first[c].to_numpy() for c in ("schooljaar", "brin", "vestiging")},
            SOURCE_FILE: first[SOURCE_FILE].to_numpy(),
            SOURCE_ROW: first[SOURCE_ROW].to_numpy(),
        }
    )
    listed = pupils[pupils["samengestelde_groepen"].ne("")]
    members = listed["samengestelde_groepen"].map(split_ids).explode().dropna()
    combined = listed.loc[members.index].assign(groep_id=members.to_numpy())
    combined = combined[~combined["groep_id"].isin(groups["groep_id"])]
    combined = combined.drop_duplicates("groep_id")
    parts = [groups]
    if not combined.empty:
        named = combined.assign(groepsnaam=combined["groep_id"], jaargroep="")
        parts.append(named.assign(soort=SAMENGESTELDE_GROEP))
    if not extra.empty:
        context = _context(groups)
        missing = extra[~extra["groep_id"].isin(groups["groep_id"])]
        filled = {
            key: missing[key].mask(missing[key].eq(""), value)
            for key, value in context.items()
            if key in missing
        }
        parts.append(missing.assign(**filled))
    columns = [*GROUP_COLUMNS, SOURCE_FILE, SOURCE_ROW]
    return pd.concat([part.reindex(columns=columns) for part in parts], ignore_index=True), notes


def one_spelling(pupils: pd.DataFrame, extra: pd.DataFrame) -> pd.DataFrame:
    """Group names of the pupils that differ only in case, made one spelling (in place): the
    one `extra` (a structure file) uses, else the one most pupils have. An info per group."""
    stam = pupils["groep_id"]
    cells = pupils["samengestelde_groepen"]
    listed = cells[cells.ne("")].map(split_ids).explode().dropna().astype("str")
    known = extra["groep_id"].astype("str") if "groep_id" in extra else pd.Series(dtype="str")
    names = pd.concat([stam[stam.ne("")], listed])
    every = pd.concat([names, known])
    spellings = every.groupby(every.str.casefold(), sort=False).unique()
    spellings = spellings[spellings.map(len).gt(1)]
    if spellings.empty:
        return empty_findings()
    counts = names.value_counts(sort=False)
    structure = set(known)
    chosen: dict[str, str] = {}
    rows = []
    for variants in spellings:
        ordered = sorted(variants, key=lambda name: -counts.get(name, 0))  # ties: first seen
        one = next((name for name in ordered if name in structure), ordered[0])
        chosen.update({name: one for name in variants if name != one})
        other = pupils[stam.isin(set(variants) - {one})]
        if other.empty:
            other = pupils.loc[listed[listed.isin(set(variants) - {one})].index[:1]]
        shown = " en ".join(f"'{name}'" for name in variants)
        rows.append(for_rows("group-case-merged", other.iloc[:1], table="leerlingen",
                             column="groep_id", values=pd.Series(shown, index=other.index[:1]),
                             group=one))  # fmt: skip
    pupils["groep_id"] = stam.replace(chosen)
    pupils["samengestelde_groepen"] = cells.map(
        lambda cell: join_ids([chosen.get(name, name) for name in split_ids(cell)]) if cell else ""
    )
    return concat(rows)


def _context(groups: pd.DataFrame) -> dict[str, Any]:
    """The school year and BRIN most classes have, for groups that do not say them."""
    return {
        column: (groups[column].mode().iloc[0] if not groups[column].mode().empty else "")
        for column in ("schooljaar", "brin")
    }
