"""Readers: one module per source format, and the one explicit registry that names them."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from lwtop_toolkit.findings import ToolkitError, concat
from lwtop_toolkit.readers import (
    batch,
    edexml,
    eduarte,
    generic,
    importfiles,
    las_lists,
    magister,
    somtoday,
)
from lwtop_toolkit.readers import sector as sectors
from lwtop_toolkit.readers.base import Reader, ReadResult
from lwtop_toolkit.readers.files.headers import known_headers
from lwtop_toolkit.readers.files.reading import read_sheets
from lwtop_toolkit.readers.files.sniffing import TABULAR_SUFFIXES, file_kind
from lwtop_toolkit.readers.files.toolkit_workbooks import set_apart
from lwtop_toolkit.readers.las_lists import any_sheet
from lwtop_toolkit.readers.leftovers import files_not_read
from lwtop_toolkit.readers.pupil_lists import ListFormat, is_pupil_header, mapped
from lwtop_toolkit.readers.refusal import refusal
from lwtop_toolkit.readers.school_settings import load_settings

# The registry: adding a format is one module and one line here (README: "Adding a reader").
# Detection tries the readers in this order; the first that recognises the files reads them.
FORMATS: tuple[Reader, ...] = (
    edexml.READER,  # first: detection by root element, cheap and exact
    # LAS list exports, before the import files: those would claim a list by its headers
    magister.READER,  # a `Stamnummer` column
    somtoday.READER,  # `leerlingnummer` + `stamgroep`, or a structuurbestand
    eduarte.READER,  # a `deelnemernummer` column
    generic.READER,  # any pupil list that is not our import files
    importfiles.READER,
)
# Every header any reader declares (normalised), and the sensitive ones: the words by which a
# header row is recognised below a title, whichever reader reads the sheet.
KNOWN_HEADERS = known_headers(aliases for reader in FORMATS for aliases in reader.aliases)
READERS: dict[str, Reader] = {
    reader.name: replace(reader, known=KNOWN_HEADERS) for reader in FORMATS
}
# Readers that take a column mapping (`--map kolom=veld`): the tabular LAS readers. Each reads
# the files with the known headers and the mapping.
MappedRead = Callable[[Sequence[Path], frozenset[str], Mapping[str, str]], ReadResult]
MAPPED_READERS: dict[str, MappedRead] = {
    magister.NAME: magister.read,
    somtoday.NAME: somtoday.read,
    eduarte.NAME: eduarte.read,
    generic.NAME: generic.read,
}
# The list formats, by reader: their alias tables name the fields a column mapping may name and
# what a refusal measures a header against. The general one first: it wins a tie.
LIST_FORMATS: dict[str, ListFormat] = {
    generic.NAME: generic.FORMAT,
    magister.NAME: magister.FORMAT,
    somtoday.NAME: somtoday.FORMAT,
    eduarte.NAME: eduarte.FORMAT,
}


def reader_for(paths: Sequence[Path], format: str | None = None) -> Reader:
    """The reader named `format`, or the first whose `detect` accepts the files."""
    if format:
        if format not in READERS:
            known = ", ".join(READERS)
            raise ToolkitError(
                "unknown-format", reason=f"formaat '{format}' bestaat niet; kies uit {known}"
            )
        return READERS[format]
    for reader in READERS.values():
        if reader.detect(paths):
            return reader
    _raise_reading_problem(paths)
    raise refuse(paths, list(LIST_FORMATS), "geen lezer herkent deze bestanden")


def _raise_reading_problem(paths: Sequence[Path]) -> None:
    """When no reader knows the files, say why a file cannot be read, if that is the reason."""
    for path in importfiles.files_of(paths):
        file_kind(path)  # empty, a PDF, an old .xls or a workbook with a password
        if path.suffix.lower() in TABULAR_SUFFIXES:
            read_sheets(path, KNOWN_HEADERS)  # raises ToolkitError with the precise Dutch reason


def read(
    paths: Sequence[Path | str],
    format: str | None = None,
    mapping: Mapping[str, str] | None = None,
    sector: str | None = None,
) -> ReadResult:
    """Read files or folders into canonical Tables with the findings of reading.

    `mapping` ({column: field}, `--map`) is for the tabular LAS readers; without `format` the
    first of them that recognises the files reads them, else the generic reader.
    `sector` (po, so, vo, mbo; `--sector`) says what a year 1-6 of a LAS export is; without it
    `lwtop.toml` may say it, else the data of each school decides (readers/sector.py).
    Raises ToolkitError (with one Dutch message) when the input cannot be read at all.
    """
    sectors.chosen_sector(sector)
    resolved = [Path(path) for path in paths]
    if not resolved:
        raise ToolkitError("unreadable-file", reason="geen bestand of map opgegeven.")
    for path in resolved:
        if not path.exists():
            raise ToolkitError(
                "unreadable-file", file=str(path), reason="het bestand bestaat niet."
            )
    resolved, ours = set_apart(resolved)  # our own workbooks are no export
    folders = batch.school_folders(resolved)  # a folder of school exports (a board's)
    if folders is not None:
        board = batch.read_folders(
            folders, format, lambda one, f: read(one, f, mapping, sector), READERS
        )
        board.findings = concat([board.findings, ours, files_not_read(resolved, [])])
        return board
    result = _read_export(resolved, format, mapping)
    result.findings = concat([result.findings, ours, files_not_read(resolved, result.files)])
    if result.format == importfiles.NAME:
        return result  # our own import files hold the EDEXML codes already
    return sectors.settle(result, resolved, sector)


def _read_export(
    resolved: Sequence[Path], format: str | None, mapping: Mapping[str, str] | None
) -> ReadResult:
    """One export read by its reader (a column mapping: by a reader that takes one)."""
    try:
        if mapping:
            name = _mapped_reader(resolved, format, mapping)
            return MAPPED_READERS[name](resolved, KNOWN_HEADERS, mapping)
        return reader_for(resolved, format).read(resolved)
    finally:
        las_lists.forget_sheets()  # parsed once for detection and reading; not kept after


def _mapped_reader(paths: Sequence[Path], format: str | None, mapping: Mapping[str, str]) -> str:
    """The reader for files read with a column mapping: `format`, else the first that
    recognises the files, else the first list reader that finds a pupil list with the mapping;
    ToolkitError (the refusal that says what to map) when none does."""
    name = format or next((n for n, r in READERS.items() if r.detect(paths)), None)
    if name is None:
        name = next((n for n in LIST_FORMATS if recognises(n, paths, mapping)), None)
    if name is None:
        _raise_reading_problem(paths)
        reason = "geen lezer herkent deze bestanden, ook niet met de kolomkoppeling"
        raise refuse(paths, list(LIST_FORMATS), reason, mapping)
    if name not in MAPPED_READERS:
        raise ToolkitError(
            "unknown-format",
            reason=f"een kolomkoppeling (--map) werkt niet voor formaat '{name}'; wel voor "
            + ", ".join(MAPPED_READERS),
        )
    return name


def _list_aliases(
    name: str, paths: Sequence[Path], mapping: Mapping[str, str] | None
) -> dict[str, tuple]:
    """The pupil aliases of list reader `name` with the column mapping of `lwtop.toml` and
    `mapping` applied (ToolkitError for a broken lwtop.toml or a field that does not exist)."""
    fmt = LIST_FORMATS[name]
    columns = load_settings(paths, mapping).columns
    return mapped(fmt.pupil_aliases, columns, [*fmt.pupil_aliases, *fmt.staff_aliases])


def recognises(name: str, paths: Sequence[Path], mapping: Mapping[str, str] | None = None) -> bool:
    """Whether list reader `name` finds a pupil list among the files, with the column mapping
    (`--map`, `lwtop.toml`): what `--las` needs to read the files with that LAS's reader."""
    if name not in LIST_FORMATS:
        return False
    aliases = _list_aliases(name, paths, mapping)
    return any_sheet(paths, KNOWN_HEADERS, lambda header: is_pupil_header(header, aliases),
                     skip=lambda path: False)  # fmt: skip


def refuse(
    paths: Sequence[Path],
    names: Sequence[str],
    reason: str,
    mapping: Mapping[str, str] | None = None,
) -> ToolkitError:
    """The refusal for files that the list readers `names` do not recognise: the nearest of
    their formats, the fields it lacks and the `--map` lines to try (readers/refusal.py)."""
    formats = [
        (READERS[name].label, _list_aliases(name, paths, mapping))
        for name in LIST_FORMATS
        if name in names
    ]
    return refusal(paths, formats, KNOWN_HEADERS, reason)


__all__ = [
    "KNOWN_HEADERS",
    "LIST_FORMATS",
    "MAPPED_READERS",
    "READERS",
    "ReadResult",
    "Reader",
    "read",
    "reader_for",
    "recognises",
    "refuse",
]
