"""What a LAS list export does not say itself: BRIN, school year, sector, column mapping, roles.

A Magister or SchoolOAS list often has no BRIN or school-year column. The tabular LAS readers
take these, first source first: a column of the export; `lwtop.toml` beside the export (or
given as a path); the file or folder name (`leerlingen-12AB.csv`, `2026-2027/`). `lwtop.toml`:

    brin = "12AB"
    vestiging = "00"
    schooljaar = "2026-2027"
    sector = "vo"       # po, so, vo or mbo: what a year 1-6 is (else the data decides)
    [kolommen]          # column of the export = field (what `--map kolom=veld` says)
    "Lln nr" = "leerling_id"
    [rollen]            # function in the LAS = role in TOP dossier ("" for none)
    "Mentor" = "TOP leerkracht"
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from lwtop_toolkit.findings import ToolkitError
from lwtop_toolkit.model import SchoolYear
from lwtop_toolkit.readers.files.screening import one_line

SETTINGS_FILE = "lwtop.toml"
SETTINGS_KEYS = ("brin", "vestiging", "schooljaar", "sector", "kolommen", "rollen")
# The sectors one may choose: what a year 1-6 of a LAS export is (readers/sector.py).
SECTORS: tuple[str, ...] = ("po", "so", "vo", "mbo")
# A school year in a name: `2026-2027`, `2026_2027`, `2026 2027` (consecutive years, checked).
_YEAR_IN_NAME = re.compile(r"(?<!\d)(\d{4})\s*[-_ ]\s*(\d{4})(?!\d)")
# A BRIN in a file name: `leerlingen-12AB.csv`; a token of its own, not part of a word.
_BRIN_IN_NAME = re.compile(r"(?<![0-9A-Za-z])(\d{2}[A-Z]{2})(?![0-9A-Za-z])")
# How many folders up a school year is looked for (`export/2026-2027/magister/leerlingen.csv`).
FOLDER_LEVELS = 3


@dataclass
class Settings:
    """The school facts and reading options from `lwtop.toml` and `--map`."""

    brin: str = ""
    vestiging: str = ""
    schooljaar: str = ""
    sector: str = ""  # po, so, vo, mbo, or "" (the data decides)
    columns: dict[str, str] = field(default_factory=dict)
    roles: dict[str, str] = field(default_factory=dict)
    source: str = ""


def settings_files(paths: Sequence[Path]) -> list[Path]:
    """`lwtop.toml` given as a path, in a given folder, or beside a given file."""
    found: list[Path] = []
    for path in paths:
        if path.is_file() and path.suffix.lower() == ".toml":
            candidates = [path]
        else:
            folder = path if path.is_dir() else path.parent
            candidates = [folder / SETTINGS_FILE]
        for candidate in candidates:
            if candidate.is_file() and candidate.resolve() not in {p.resolve() for p in found}:
                found.append(candidate)
    return found


def load_settings(paths: Sequence[Path], mapping: Mapping[str, str] | None = None) -> Settings:
    """The settings of the export at `paths`; `mapping` (from `--map`) wins over the file's."""
    settings = Settings()
    files = settings_files(paths)
    if len(files) > 1:
        names = ", ".join(str(path) for path in files)
        raise ToolkitError(
            "unreadable-file",
            file=names,
            reason=f"er is meer dan één {SETTINGS_FILE}; laat er één over.",
        )
    if files:
        settings = _read_settings(files[0])
    settings.columns.update(mapping or {})
    return settings


def _read_settings(path: Path) -> Settings:
    name = str(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ToolkitError(
            "unreadable-file",
            file=name,
            reason=f"dit is geen geldig TOML-bestand ({one_line(error)}).",
        ) from None
    unknown = sorted(set(data) - set(SETTINGS_KEYS))
    if unknown:
        raise ToolkitError(
            "unreadable-file",
            file=name,
            reason=f"onbekende instelling {', '.join(unknown)}; bekend zijn "
            f"{', '.join(SETTINGS_KEYS)}.",
        )
    texts = {}
    for key in ("brin", "vestiging", "schooljaar", "sector"):
        value = data.get(key, "")
        if not isinstance(value, str):
            raise ToolkitError(
                "unreadable-file", file=name, reason=f"'{key}' moet tekst zijn, tussen quotes."
            )
        texts[key] = value.strip()
    texts["sector"] = texts["sector"].lower()
    if texts["sector"] not in ("", *SECTORS):
        raise ToolkitError(
            "unreadable-file",
            file=name,
            reason=f'sector = "{data["sector"]}" bestaat niet; kies uit {", ".join(SECTORS)}.',
        )
    tables = {}
    for key in ("kolommen", "rollen"):
        table = data.get(key, {})
        if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
            raise ToolkitError(
                "unreadable-file",
                file=name,
                reason=f'[{key}] moet regels hebben als "naam" = "waarde".',
            )
        tables[key] = {str(k): str(v).strip() for k, v in table.items()}
    return Settings(
        brin=texts["brin"],
        vestiging=texts["vestiging"],
        schooljaar=texts["schooljaar"],
        sector=texts["sector"],
        columns=tables["kolommen"],
        roles=tables["rollen"],
        source=name,
    )


def parse_mapping(items: Sequence[str]) -> dict[str, str]:
    """`["Lln nr=leerling_id", ...]` (the `--map` options) as {column: field}."""
    mapping: dict[str, str] = {}
    for item in items:
        column, sep, target = item.rpartition("=")
        if not sep or not column.strip():
            raise ToolkitError(
                "unknown-format",
                reason=f"--map '{item}' is geen koppeling; schrijf --map \"Kolom in export=veld\".",
            )
        mapping[column.strip()] = target.strip()
    return mapping


def year_from_path(path: Path) -> tuple[str, str]:
    """(school year, the name it was found in) from the file name or a folder above it."""
    for part in [path.name, *(parent.name for parent in path.parents[:FOLDER_LEVELS])]:
        for first, second in _YEAR_IN_NAME.findall(part):
            year = SchoolYear.try_parse(f"{first}-{second}")
            if year is not None:
                return str(year), part
    return "", ""


def brin_from_path(path: Path) -> tuple[str, str]:
    """(BRIN, the name it was found in) from the file name or its folder's name."""
    for part in (path.stem, path.parent.name):
        found = _BRIN_IN_NAME.findall(part)
        if len(set(found)) == 1:
            return found[0], part
    return "", ""
