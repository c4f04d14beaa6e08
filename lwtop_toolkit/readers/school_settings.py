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
    [overgang]          # when the plan holds the new export as partial (HoldLimits)
    max_vertrokken_procent = 25
    min_leerlingen = 30
    max_verdwenen_groepen = 0
    min_groepsgrootte = 5
    [artikelen]         # per LAS code: the address of the article with its steps (https)
    parnassys-oso = "https://..."
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from urllib.parse import urlsplit

from lwtop_toolkit.findings import ToolkitError
from lwtop_toolkit.las import catalogue as las_catalogue
from lwtop_toolkit.model import SchoolYear
from lwtop_toolkit.readers.files.screening import one_line

SETTINGS_FILE = "lwtop.toml"
SETTINGS_KEYS = (
    "brin", "vestiging", "schooljaar", "sector", "kolommen", "rollen", "overgang", "artikelen",
)  # fmt: skip
# The sectors one may choose: what a year 1-6 of a LAS export is (readers/sector.py).
SECTORS: tuple[str, ...] = ("po", "so", "vo", "mbo")
# A school year in a name: `2026-2027`, `2026_2027`, `2026 2027` (consecutive years, checked).
_YEAR_IN_NAME = re.compile(r"(?<!\d)(\d{4})\s*[-_ ]\s*(\d{4})(?!\d)")
# A BRIN in a file name: `leerlingen-12AB.csv`; a token of its own, not part of a word.
_BRIN_IN_NAME = re.compile(r"(?<![0-9A-Za-z])(\d{2}[A-Z]{2})(?![0-9A-Za-z])")
# How many folders up a school year is looked for (`export/2026-2027/magister/leerlingen.csv`).
FOLDER_LEVELS = 3


@dataclass(frozen=True)
class HoldLimits:
    """When a new export is held as partial (`plan/hold.py`); `[overgang]` in `lwtop.toml`.

    What a real school sees in a normal year: of the pupils who do not leave from their final
    year (groep 8, the exam year), 2 to 8 % leave without a successor (a family moves, a pupil
    goes to another school, to SBO or SO); an SO school, or a VO school with a newcomers' (ISK)
    class, up to about 15 %. Those movers are spread over the groups: a group of which not one
    pupil comes back does not happen by chance (at 8 % movers, five pupils of one group all
    leaving is a chance of about 3 in a million). A partial export looks different: one class
    ticked of twelve loses over 90 %, one class left out loses a whole group.

    * `max_vertrokken_procent` 25: held when more than this share of last year's pupils who do
      not graduate leave without a successor. Three times the high end of a normal year and
      well above an SO school's churn; an export that lacks a quarter of the school's classes
      reaches it (fewer missing classes: the groups rule below).
    * `min_leerlingen` 30: the share is judged only from this many pupils who do not graduate.
      Below it one family of three moving away is 10 % and more; a small school is still held
      when its groups vanish.
    * `max_verdwenen_groepen` 0: held when more groups of last year than this vanish, none of
      their pupils in the new year. A school with an ISK class whose pupils move on together
      sets 1.
    * `min_groepsgrootte` 5: a group counts as vanished from this many pupils who do not
      graduate: a LAS's leftover groups (pupils awaiting placement, a group of one) may vanish.
    """

    max_vertrokken_procent: float = 25.0
    min_leerlingen: int = 30
    max_verdwenen_groepen: int = 0
    min_groepsgrootte: int = 5
    source: str = ""  # the lwtop.toml they were read from; "" for the defaults

    def settings(self) -> dict[str, float | int]:
        """The limits by their `lwtop.toml` key (for the manifest and --json)."""
        return {key: getattr(self, key) for key in HOLD_KEYS}


# The keys of `[overgang]`: each a number, a percentage (0-100) or a count (0 or more).
HOLD_KEYS: tuple[str, ...] = tuple(f.name for f in fields(HoldLimits) if f.name != "source")


@dataclass
class Settings:
    """The school facts and reading options from `lwtop.toml` and `--map`."""

    brin: str = ""
    vestiging: str = ""
    schooljaar: str = ""
    sector: str = ""  # po, so, vo, mbo, or "" (the data decides)
    columns: dict[str, str] = field(default_factory=dict)
    roles: dict[str, str] = field(default_factory=dict)
    hold: HoldLimits = field(default_factory=HoldLimits)
    articles: dict[str, str] = field(default_factory=dict)  # LAS code -> https address
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
        hold=_hold_limits(data.get("overgang", {}), name),
        articles=_articles(data.get("artikelen", {}), name),
        source=name,
    )


def _hold_limits(table: object, name: str) -> HoldLimits:
    """`[overgang]` of `lwtop.toml` at `name`: HoldLimits, or ToolkitError saying what is wrong."""
    if not isinstance(table, dict):
        raise ToolkitError(
            "unreadable-file", file=name, reason="[overgang] moet regels hebben als naam = getal."
        )
    unknown = sorted(set(table) - set(HOLD_KEYS))
    if unknown:
        raise ToolkitError(
            "unreadable-file",
            file=name,
            reason=f"onbekende instelling {', '.join(unknown)} onder [overgang]; bekend zijn "
            f"{', '.join(HOLD_KEYS)}.",
        )
    values: dict[str, float | int] = {}
    for key, value in table.items():
        percent = key.endswith("_procent")
        number = isinstance(value, int | float) and not isinstance(value, bool)
        whole = number and (percent or float(value).is_integer())
        if not whole or not 0 <= value <= (100 if percent else 10**9):
            wanted = "een percentage van 0 tot en met 100" if percent else "een heel getal"
            raise ToolkitError(
                "unreadable-file",
                file=name,
                reason=f"{key} onder [overgang] moet {wanted} zijn, 0 of meer en zonder quotes "
                f"(niet {value!r}).",
            )
        values[key] = float(value) if percent else int(value)
    return HoldLimits(**values, source=name)  # type: ignore[arg-type]


def _articles(table: object, name: str) -> dict[str, str]:
    """`[artikelen]` of `lwtop.toml` at `name`: LAS code -> https address, or ToolkitError."""
    codes = ", ".join(las_catalogue.CATALOGUE)
    if not isinstance(table, dict):
        raise ToolkitError(
            "unreadable-file",
            file=name,
            reason=f'[artikelen] moet regels hebben als parnassys-oso = "https://...", met als '
            f"naam de code van het LAS ({codes}).",
        )
    articles: dict[str, str] = {}
    for code, value in table.items():
        if code not in las_catalogue.CATALOGUE:
            raise ToolkitError(
                "unreadable-file",
                file=name,
                reason=f"onbekend LAS '{code}' onder [artikelen]; kies uit {codes}.",
            )
        url = value.strip() if isinstance(value, str) else ""
        if not _is_https(url):
            raise ToolkitError(
                "unreadable-file",
                file=name,
                reason=f"{code} onder [artikelen] moet een webadres zijn dat begint met "
                f"https://, tussen quotes (niet {value!r}).",
            )
        articles[code] = url
    return articles


def _is_https(url: str) -> bool:
    """Whether `url` is a web address that starts with https:// and names a host."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:  # an unbalanced [ ] or a bad port
        return False
    return parts.scheme == "https" and bool(host) and not any(c.isspace() for c in url)


def article_links(paths: Iterable[str | Path]) -> dict[str, str]:
    """`[artikelen]` of the `lwtop.toml` given, in a given folder or beside a given file
    (LAS code -> https address); of several files the first that names a LAS wins. {} without
    one; ToolkitError (Dutch) for a broken file."""
    given = [Path(path) for path in paths if str(path)]
    places = dict.fromkeys(path if path.suffix.lower() == ".toml" or path.is_dir()
                           else path.parent for path in given)  # fmt: skip
    articles: dict[str, str] = {}
    for found in settings_files(list(places)):
        for code, url in _read_settings(found).articles.items():
            articles.setdefault(code, url)
    return articles


def hold_limits(files: Iterable[str | Path]) -> HoldLimits:
    """The hold's limits of the export read from `files`: `[overgang]` of the `lwtop.toml`
    beside them, else the defaults (ToolkitError for a broken file, or two)."""
    folders = sorted({Path(file).parent for file in files if str(file)})
    found = settings_files(folders)
    if not found:
        return HoldLimits()
    return load_settings(found).hold


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
