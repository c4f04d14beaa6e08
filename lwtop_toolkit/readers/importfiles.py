"""The product's three import files (groepen, leerlingen, medewerkers; optionally the staff links).

As CSV or XLSX: three (or four) files, or one workbook with those sheets, found in a folder by
file or sheet name, else by their headers. Headers are matched through the alias table below.

`rol` holds the product role: written in another case or spacing it is read as that role, and a
value that `[rollen]` in a `lwtop.toml` beside the files names is translated (a LAS function
written there by hand). Any other value stays as written; validation reports it (`unknown-role`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from lwtop_toolkit.findings import concat, empty_findings, finding, frame, source_names
from lwtop_toolkit.model import (
    PRODUCT_ROLES,
    REQUIRED_TABLES,
    SOURCE_FILE,
    SOURCE_ROW,
    STAMGROEP,
    TABLE_NAMES,
    Tables,
    normalise,
)
from lwtop_toolkit.readers.base import Reader, ReadResult
from lwtop_toolkit.readers.files.headers import HeaderMatch, match_headers
from lwtop_toolkit.readers.files.reading import read_sheets
from lwtop_toolkit.readers.files.screening import name_columns
from lwtop_toolkit.readers.files.sheet import Sheet
from lwtop_toolkit.readers.files.sniffing import TABULAR_SUFFIXES
from lwtop_toolkit.readers.files.toolkit_workbooks import is_toolkit_workbook
from lwtop_toolkit.readers.files.values import date_column, strip
from lwtop_toolkit.readers.las_lists import sheets_of
from lwtop_toolkit.readers.school_settings import load_settings
from lwtop_toolkit.runtime.progress import stages

NAME = "importfiles"

# Header aliases per table (reference/README.md §12): what Dutch exports and hand-made sheets
# call our columns. Matching ignores case, spaces, punctuation and accents.
ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "groepen": {
        "groep_id": ("groepid", "groepnummer", "groepcode", "groep code", "key"),
        "groepsnaam": ("naam", "groepnaam", "groep", "klas", "klasnaam", "stamgroep"),
        "jaargroep": ("leerjaar", "jaarlaag"),
        "soort": ("type", "groepssoort", "soort groep"),
        "schooljaar": ("school jaar",),
        "brin": ("brinnummer", "brincode", "brin nummer", "instelling"),
        "vestiging": ("vestigingsnummer", "vestigingscode", "dependance", "dependancecode"),
    },
    "leerlingen": {
        "leerling_id": (
            "leerlingnummer",
            "stamnummer",
            "stamnr",
            "lln.nr",
            "llnnr",
            "leerlingnr",
            "key",
            "deelnemernummer",
        ),
        "achternaam": ("lastname", "familienaam"),
        "tussenvoegsel": ("voorvoegsel", "voorvoegsels", "voorvoegsel(s)", "tussenvoeg"),
        "roepnaam": ("voornaam",),
        "voorletters": ("initialen",),
        "geboortedatum": ("geb.datum", "geb datum", "geboorte datum", "birthdate"),
        "geslacht": ("gender", "sekse"),
        "jaargroep": ("leerjaar", "jaarlaag"),
        "groep_id": ("groep", "klas", "stamgroep", "basisgroep", "klasnaam", "stamgroep id"),
        "samengestelde_groepen": ("samengestelde groepen", "lesgroepen", "lesgroep(en)"),
        "opleiding": ("studie", "opleidingcode", "opleiding code"),
        "brin": ("brinnummer", "brincode", "instelling"),
        "vestiging": ("vestigingsnummer", "vestigingscode", "dependance", "dependancecode"),
        "eckid": ("eck id", "ketenid"),
    },
    "medewerkers": {
        "medewerker_id": ("medewerkernummer", "personeelsnummer", "medewerkernr", "key"),
        "achternaam": ("lastname", "familienaam"),
        "tussenvoegsel": ("voorvoegsel", "voorvoegsels", "voorvoegsel(s)", "tussenvoeg"),
        "roepnaam": ("voornaam",),
        "email": ("e-mail", "emailadres", "e-mailadres", "mail"),
        "rol": ("rol top", "toprol", "top rol", "rol in top dossier"),
        "las_rol": ("functie", "las rol", "rol las"),
    },
    "medewerker_groepen": {
        "medewerker_id": ("medewerkernummer", "personeelsnummer", "medewerker"),
        "groep_id": ("groep", "klas", "stamgroep"),
    },
}
# The columns a file must have; the others may be absent (then empty).
REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {
    "groepen": ("groep_id", "groepsnaam", "schooljaar", "brin"),
    "leerlingen": (
        "leerling_id",
        "achternaam",
        "roepnaam",
        "geboortedatum",
        "geslacht",
        "jaargroep",
        "groep_id",
    ),
    "medewerkers": ("medewerker_id", "achternaam", "roepnaam", "rol"),
    "medewerker_groepen": ("medewerker_id", "groep_id"),
}
# File and sheet names that say which table a file holds.
TABLE_FILE_NAMES: dict[str, tuple[str, ...]] = {
    "medewerker_groepen": (
        "medewerker_groepen",
        "medewerkergroepen",
        "koppelingen",
        "groepskoppelingen",
    ),
    "groepen": ("groepen", "groep", "klassen"),
    "leerlingen": ("leerlingen", "leerling", "pupils"),
    "medewerkers": ("medewerkers", "medewerker", "personeel"),
}
# Columns whose values are keys or codes: surrounding spaces carry no meaning (as in EDEXML).
TRIMMED = frozenset(
    {"groep_id", "leerling_id", "medewerker_id", "jaargroep", "geslacht", "soort", "brin"}
    | {"vestiging", "schooljaar", "eckid", "samengestelde_groepen"}
)


def files_of(paths: Sequence[Path]) -> list[Path]:
    """The tabular files among `paths`; a folder gives its files (not hidden, not Excel locks,
    not our own workbooks)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                child
                for child in sorted(path.iterdir())
                if child.is_file()
                and not child.name.startswith((".", "~$"))
                and child.suffix.lower() in TABULAR_SUFFIXES
                and not is_toolkit_workbook(child)
            )
        else:
            found.append(path)
    return found


def _table_by_name(name: str) -> str | None:
    key = normalise(name)
    for table, names in TABLE_FILE_NAMES.items():
        if any(key == normalise(candidate) for candidate in names):
            return table
    for table, names in TABLE_FILE_NAMES.items():  # `leerlingen-2026` or `export_groepen`
        if any(normalise(candidate) in key for candidate in names):
            return table
    return None


# The columns a file must name before its headers say which table it is.
KEY_COLUMNS: dict[str, tuple[str, ...]] = {
    "groepen": ("groep_id", "groepsnaam"),
    "leerlingen": ("leerling_id",),
    "medewerkers": ("medewerker_id",),
    "medewerker_groepen": ("medewerker_id", "groep_id"),
}


def _table_by_headers(header: Sequence[str]) -> str | None:
    """The table whose fields the header names most (its key columns among them), or None."""
    best, best_score = None, (1, 0.0)
    for table in TABLE_NAMES:
        match = match_headers(header, ALIASES[table])
        if match.missing(KEY_COLUMNS[table]):
            continue
        found = REQUIRED_COLUMNS[table]
        share = 1 - len(match.missing(found)) / len(found)
        table_score = (len(match.columns), share)
        if table_score > best_score:
            best, best_score = table, table_score
    return best


def _which_table(sheet: Sheet) -> str | None:
    return _table_by_name(sheet.name) or _table_by_headers(sheet.header)


# Our own key columns (normalised): a sheet naming one is an import file, whatever its name.
OWN_KEYS = frozenset({"leerlingid", "groepid", "medewerkerid"})


def is_import_sheet(header: Sequence[str]) -> bool:
    """A sheet of our import files: it names `leerling_id`, `groep_id` or `medewerker_id`, or
    it is a groepen table by its headers (a LAS's pupil or staff list is neither)."""
    names = {normalise(cell) for cell in header}
    return bool(names & OWN_KEYS) or _table_by_headers(header) == "groepen"


def detect(paths: Sequence[Path], known: frozenset[str]) -> bool:
    """True when a sheet of the files is one of ours by its headers (`is_import_sheet`). A file
    name alone is not enough: a LAS's list called `leerlingen.csv` is for the list readers."""
    files = files_of(paths)
    try:
        sheets = [sheet for path in files for sheet in sheets_of(path, known)]
    except Exception:  # detection must never fail: an unreadable file is simply not ours
        return False
    return any(is_import_sheet(sheet.header) for sheet in sheets)


def _translate(sheet: Sheet, table: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One sheet as rows of table `table`, with the findings of its header."""
    match: HeaderMatch = match_headers(sheet.header, ALIASES[table])
    notes = match.findings(sheet.file, table, sheet.header_row)
    for column in match.missing(REQUIRED_COLUMNS[table]):
        notes.append(
            finding(
                "missing-column", file=sheet.file, table=table, row=sheet.header_row, column=column
            )
        )
    rows = pd.DataFrame(index=sheet.rows.index)
    for column, position in match.columns.items():
        values = sheet.rows[position]
        rows[column] = strip(values) if column in TRIMMED else values  # once per distinct value
    rows[SOURCE_FILE] = sheet.file
    rows[SOURCE_ROW] = sheet.rows[SOURCE_ROW]
    parsed = [frame(notes), name_columns(sheet.findings, sheet.header, match.columns)]
    if table == "leerlingen" and "geboortedatum" in rows:
        rows["geboortedatum"], date_findings = date_column(rows, "geboortedatum", table)
        parsed.append(date_findings)
    if table == "groepen":
        soort = rows["soort"] if "soort" in rows else pd.Series("", index=rows.index)
        rows["soort"] = soort.mask(soort.eq(""), STAMGROEP)  # empty means stamgroep (README)
    if rows.empty and table != "medewerker_groepen":  # no links yet is normal
        parsed.append(frame([finding("no-rows", file=sheet.file, table=table)]))
    return rows, concat(parsed)


def read_table(path: Path, table: str, known: frozenset[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One file read as table `table` (its first sheet): the conformed rows and the findings.

    `known`: the headers a header row is recognised by (the registry's `KNOWN_HEADERS`).
    """
    sheet = read_sheets(path, known)[0]
    rows, notes = _translate(sheet, table)
    return Tables.from_frames(**{table: rows})[table], notes


def read(paths: Sequence[Path], known: frozenset[str]) -> ReadResult:
    """Read the import files; findings for missing, doubled or unrecognised files."""
    files = files_of(paths)
    found: dict[str, list[tuple[Sheet, pd.DataFrame, pd.DataFrame]]] = {}
    notes: list[pd.DataFrame] = []
    with stages("inlezen", len(files)) as step:
        for path in files:
            step(path.name)
            for sheet in sheets_of(path, known):
                table = _which_table(sheet)
                if table is None:
                    reason = "geen tabel groepen, leerlingen of medewerkers herkend"
                    notes.append(frame([finding("unknown-format", file=sheet.file, reason=reason)]))
                    continue
                rows, sheet_findings = _translate(sheet, table)
                found.setdefault(table, []).append((sheet, rows, sheet_findings))
    frames: dict[str, pd.DataFrame] = {}
    roles = load_settings(paths).roles
    for table in TABLE_NAMES:
        parts = found.get(table, [])
        if not parts and table in REQUIRED_TABLES:
            notes.append(frame([finding("missing-table", table=table)]))
        if len(parts) > 1:
            # by their own names, as every output names a file (its folders may name a person)
            names = ", ".join(source_names(pd.Series([sheet.file for sheet, _, _ in parts])))
            notes.append(frame([finding("duplicate-table", table=table, value=names)]))
        if parts:  # several files of one table are read together: their rows are all kept
            frames[table] = pd.concat([rows for _, rows, _ in parts], ignore_index=True)
            if table == "medewerkers" and "rol" in frames[table]:
                frames[table]["rol"] = product_roles(frames[table]["rol"], roles)
            notes.extend(sheet_findings for _, _, sheet_findings in parts)
    return ReadResult(
        tables=Tables.from_frames(**frames),
        findings=concat(notes) if notes else empty_findings(),
        format=NAME,
        files=files,
    )


_PRODUCT = {" ".join(role.split()).casefold(): role for role in PRODUCT_ROLES}


def product_roles(rol: pd.Series, roles: dict[str, str]) -> pd.Series:
    """The `rol` cells as the product writes its roles (see the module docstring); `roles`:
    the `[rollen]` of lwtop.toml (LAS function -> product role)."""
    translated = {normalise(function): role for function, role in roles.items()}

    def one(cell: str) -> str:
        product = _PRODUCT.get(" ".join(cell.split()).casefold())
        if product is not None:
            return product
        return translated.get(normalise(cell), cell) if cell else cell

    cells = rol.fillna("").astype("str")
    return cells.map({cell: one(cell) for cell in cells.unique()})


READER = Reader(
    name=NAME,
    label="Importbestanden (groepen, leerlingen, medewerkers)",
    aliases=tuple(ALIASES.values()),
    detect_with=detect,
    read_with=read,
)
