"""Pupil lists as LAS exports write them (Magister, Somtoday, Eduarte, any CSV/XLSX): to leerlingen.

Shared by the tabular LAS readers. A list has one row per pupil with its class; headers are
matched through an alias table (reference/README.md §12) that a format may extend and a
column mapping (`--map`, `lwtop.toml`) may override. Here the LAS's spelling becomes ours: one
`Naam` field is split, `J`/`man`/`vrouw` become `M`/`V`, `Groep 3` and `03` become year 3
(derived from the class name when the list has no year column), dates are parsed. Whether a
year 1-6 is a PO groep or a VO/MBO leerjaar (stored as 11-16) is decided afterwards, per school,
from the data (readers/sector.py), not from the column's name.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from lwtop_toolkit.findings import ToolkitError, concat, finding, for_rows, frame
from lwtop_toolkit.model import LIST_SEPARATOR, SOURCE_FILE, SOURCE_ROW, normalise
from lwtop_toolkit.readers.files.headers import UNUSED, Aliases, HeaderMatch, match_headers
from lwtop_toolkit.readers.files.screening import name_columns
from lwtop_toolkit.readers.files.sheet import Sheet
from lwtop_toolkit.readers.files.values import date_column
from lwtop_toolkit.readers.sector import year_values

# Fields of a pupil list: the canonical leerlingen columns plus what a list says otherwise.
# `naam` is one field `Achternaam, Roepnaam`; `jaargroep` and `leerjaar` both give the year (the
# data decides whether 1-6 is a PO groep or a VO/MBO leerjaar, readers/sector.py); `mentor_*`
# name staff by code or number.
PUPIL_ALIASES: dict[str, tuple[str, ...]] = {
    "leerling_id": (
        "leerlingnummer", "leerlingnr", "llnnr", "lln.nr", "stamnummer", "stamnr",
        "deelnemernummer", "deelnemernr", "deelnemersnummer", "studentnummer", "stamnr_str",
    ),
    "naam": ("volledige naam", "naam leerling", "leerlingnaam"),
    "achternaam": ("lastname", "familienaam"),
    "tussenvoegsel": ("voorvoegsel", "voorvoegsels", "voorvoegsel(s)", "tussenvoeg", "tussenv"),
    "roepnaam": ("voornaam",),
    "voorletters": ("initialen", "voorlett"),
    "geboortedatum": (
        "geb.datum", "geb datum", "gebdatum", "geboorte datum", "birthdate", "geb_datum_str",
    ),
    "geslacht": ("gender", "sekse"),
    "jaargroep": ("groepsjaar",),
    "leerjaar": ("jaarlaag", "leerfase.leerjaar", "lj"),
    "groep_id": (
        "groep", "klas", "stamgroep", "basisgroep", "klasnaam", "stamklas", "groepcode",
        "plaatsingsgroep",
    ),
    "groepsnaam": ("groepnaam",),
    "samengestelde_groepen": ("samengestelde groepen", "lesgroepen", "lesgroep(en)"),
    "opleiding": ("studie", "opleidingcode", "opleidingsnaam"),
    "brin": ("brinnummer", "brincode", "instelling", "brinvolgnummer"),
    "vestiging": ("vestigingsnummer", "vestigingscode", "vestigingsnaam", "dependance"),
    "eckid": ("eck id", "ketenid"),
    "schooljaar": ("school jaar",),
    "mentor_1": (
        "mentor", "mentoren", "mentor 1", "klassenmentor", "klassenmentor 1", "leerkracht",
        "leerkracht 1", "groepsleerkracht",
    ),
    "mentor_2": ("mentor 2", "klassenmentor 2", "leerkracht 2"),
    "mentor_3": ("mentor 3", "klassenmentor 3", "leerkracht 3"),
    # still a pupil? (readers/activity.py reads the values; `uitgeschreven` says the opposite)
    "actief": (
        "leerlingactief", "status", "leerlingstatus", "inschrijvingsstatus", "inactief",
        "uitgeschreven",
    ),
}  # fmt: skip
MENTOR_FIELDS: tuple[str, ...] = ("mentor_1", "mentor_2", "mentor_3")
# Keys and codes: surrounding spaces carry no meaning.
TRIMMED = frozenset(PUPIL_ALIASES) - {"achternaam", "tussenvoegsel", "roepnaam", "naam"}
# A pupil list must name these (`naam` may stand for achternaam + roepnaam).
REQUIRED: tuple[str, ...] = ("leerling_id", "geboortedatum", "geslacht", "groep_id")

# Geslacht as lists write it -> ours. `M` is `man` unless the list writes J/M (jongen/meisje).
GESLACHT: dict[str, str] = {
    "m": "M", "man": "M", "mannelijk": "M", "jongen": "M", "j": "M", "1": "M",
    "v": "V", "vrouw": "V", "vrouwelijk": "V", "meisje": "V", "2": "V",
    "x": "X", "anders": "X", "9": "X", "o": "O", "onbekend": "O", "0": "O",
}  # fmt: skip
# The year in a class name: `3HB`, `2HV1` (leading digit), `H4a`, `w1a`, `Klas 3B`, `Groep 5b`;
# none in a combination (`1/2A`, `Groep 7/8`).
_YEAR_IN_CLASS = re.compile(r"^\s*(?:[A-Za-z]+\.?\s*)?([0-8])(?![\d/])")
# Tussenvoegsels that may trail a roepnaam in `Achternaam, Roepnaam tussenvoegsel` (NEN 1888).
TUSSENVOEGSEL_WORDS = frozenset(
    {"van", "de", "den", "der", "het", "'t", "te", "ter", "ten", "in", "op", "aan", "el", "al",
     "la", "le", "du", "da", "di", "von", "zu", "v.", "d.", "v.d.", "vd", "'s", "d'"}
)  # fmt: skip
GROUP_SEPARATORS = re.compile(r"\s*[,;|]\s*")


@dataclass(frozen=True)
class ListFormat:
    """How one LAS writes its lists: its name, header aliases and leerjaar conventions."""

    name: str
    pupil_aliases: Mapping[str, tuple[str, ...]]
    staff_aliases: Mapping[str, tuple[str, ...]]
    derive_leerjaar: bool = True  # no leerjaar column: derive it from the class name

    @property
    def aliases(self) -> tuple[Aliases, ...]:
        """The format's header alias tables: its pupil list's and its staff list's."""
        return (self.pupil_aliases, self.staff_aliases)


def extend(base: Mapping[str, tuple[str, ...]], **extra: tuple[str, ...]) -> dict[str, tuple]:
    """An alias table with more aliases for some fields (a format's own spellings)."""
    return {target: (*names, *extra.get(target, ())) for target, names in base.items()}


def mapped(
    aliases: Mapping[str, tuple[str, ...]],
    mapping: Mapping[str, str],
    fields: Collection[str] = (),
) -> dict[str, tuple]:
    """`aliases` with a column mapping applied: a mapped header means only its field.

    Also when it is another field's own name (`Leerjaar=jaargroep`). A mapped field keeps only
    its mapped headers, so that the column the user chose wins: its own name and its other
    aliases become known but not used, as does a header mapped to "" or to a field of another
    table. `fields`: the fields a mapping may name beside those of `aliases` (a list reader's
    staff fields); ToolkitError for any other.
    """
    allowed = [*aliases, *(name for name in fields if name not in aliases)]
    allowed = [name for name in allowed if name != UNUSED]
    unknown = sorted({target for target in mapping.values() if target} - set(allowed))
    if unknown:
        raise ToolkitError(
            "unknown-format",
            reason=f"veld {', '.join(unknown)} bestaat niet; kies uit {', '.join(allowed)}.",
        )
    targets: dict[str, str] = {}
    for header, target in mapping.items():
        key = normalise(header)
        if targets.setdefault(key, target) != target:
            raise ToolkitError(
                "unknown-format",
                reason=f"kolom '{header}' is aan twee velden gekoppeld ({targets[key]} en "
                f"{target}); kies er één.",
            )
    chosen: dict[str, list[str]] = {}
    for header, target in mapping.items():
        chosen.setdefault(target if target in aliases else UNUSED, []).append(header)
    unused = list(chosen.get(UNUSED, []))
    result: dict[str, tuple] = {}
    for target, names in aliases.items():
        free = [name for name in names if normalise(name) not in targets]
        if target == UNUSED:
            unused += free
        elif target in chosen:
            result[target] = tuple(chosen[target])
            unused += [name for name in (target, *free) if normalise(name) not in targets]
        else:
            result[target] = tuple(free)
    if unused:
        result[UNUSED] = tuple(unused)
    return result


def is_pupil_header(header: list[str], aliases: Mapping[str, tuple[str, ...]]) -> bool:
    """A pupil list names a pupil number and a class, a birth date or a leerjaar."""
    found = match_headers(header, aliases).columns
    return "leerling_id" in found and bool(
        {"groep_id", "geboortedatum", "leerjaar", "jaargroep"} & set(found)
    )


def translate_pupils(
    sheet: Sheet, fmt: ListFormat, aliases: Mapping[str, tuple[str, ...]]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One pupil list as leerlingen rows (plus `schooljaar`, `groepsnaam`, mentors), findings."""
    table, file = "leerlingen", sheet.file
    match = match_headers(sheet.header, aliases)
    notes: list[dict[str, Any]] = match.findings(file, table, sheet.header_row)
    columns = set(match.columns)
    required = list(REQUIRED)
    if "naam" not in columns or {"achternaam", "roepnaam"} <= columns:
        required += ["achternaam", "roepnaam"]
    if not fmt.derive_leerjaar and not {"jaargroep", "leerjaar"} & columns:
        required.append("jaargroep")
    for column in match.missing(required):
        notes.append(
            finding("missing-column", file=file, table=table, row=sheet.header_row, column=column)
        )
    rows, parts = matched_rows(sheet, match, table, TRIMMED, notes)
    if "geslacht" in rows:
        parts.append(_geslacht(rows))
    parts.append(_jaargroep(rows, fmt))
    if "geboortedatum" in rows:
        rows["geboortedatum"], dates = date_column(rows, "geboortedatum", table)
        parts.append(dates)
    if "samengestelde_groepen" in rows:  # a list of all groups (Eduarte) names the class too
        lists = rows["samengestelde_groepen"].str.split(GROUP_SEPARATORS)
        own = rows["groep_id"] if "groep_id" in rows else pd.Series("", index=rows.index)
        rows["samengestelde_groepen"] = [
            LIST_SEPARATOR.join(group for group in ids if group and group != stam)
            for ids, stam in zip(lists, own, strict=True)
        ]
    parts.append(lost_characters(rows, table))
    if rows.empty:
        parts.append(frame([finding("no-rows", file=file, table=table)]))
    return rows, concat(parts)


def matched_rows(
    sheet: Sheet,
    match: HeaderMatch,
    table: str,
    trimmed: frozenset[str],
    notes: list[dict[str, Any]],
) -> tuple[pd.DataFrame, list[pd.DataFrame]]:
    """The matched columns of a list as rows with their source row (`trimmed` columns without
    surrounding spaces), and the findings so far: `notes`, unnamed name columns, split names."""
    rows = pd.DataFrame(index=sheet.rows.index)
    for column, position in match.columns.items():
        values = sheet.rows[position].astype("str")
        rows[column] = values.str.strip() if column in trimmed else values
    rows[SOURCE_FILE] = sheet.file
    rows[SOURCE_ROW] = sheet.rows[SOURCE_ROW]
    parts = [frame(notes), name_columns(sheet.findings, sheet.header, match.columns)]
    if "naam" in rows and not {"achternaam", "roepnaam"} <= set(match.columns):
        parts.append(split_names(rows, table))
    return rows, parts


def split_names(rows: pd.DataFrame, table: str) -> pd.DataFrame:
    """`naam` (`Achternaam, Roepnaam` or `Achternaam, Roepnaam van der`) into the name fields.

    Fills achternaam, roepnaam and, when absent, tussenvoegsel, in place; a name without a comma
    cannot be split: `name-not-split`, achternaam gets the whole name.
    """
    text = rows["naam"].fillna("").astype("str").str.strip()
    if text.empty:
        for column in ("achternaam", "tussenvoegsel", "roepnaam"):
            rows[column] = text
        return concat([])
    pieces = text.str.partition(",")
    pairs = list(zip(pieces[0].tolist(), pieces[2].tolist(), strict=True))
    split = {pair: _split_one(*pair) for pair in set(pairs)}  # names repeat: split each once
    parts = [split[pair] for pair in pairs]
    splittable = pieces[1].eq(",")
    fields = ["achternaam", "tussenvoegsel", "roepnaam"]
    names = pd.DataFrame(parts, index=rows.index, columns=fields)
    for column in fields:
        if column not in rows or rows[column].eq("").all():
            rows[column] = names[column]
    rows.loc[~splittable, "achternaam"] = text[~splittable]
    bad = rows[~splittable & text.ne("")]
    return for_rows("name-not-split", bad, table=table, column="roepnaam", values=text[bad.index])


def _split_one(last: str, first: str) -> tuple[str, str, str]:
    """`van den Berg` + `Jan` or `Berg` + `Jan van den` -> (Berg, van den, Jan)."""
    words = last.split()
    prefix: list[str] = []
    while len(words) > 1 and words[0].lower() in TUSSENVOEGSEL_WORDS:
        prefix.append(words.pop(0))
    given = first.split()
    suffix: list[str] = []
    while len(given) > 1 and given[-1].lower() in TUSSENVOEGSEL_WORDS:
        suffix.insert(0, given.pop())
    return " ".join(words), " ".join(prefix or suffix), " ".join(given)


def _geslacht(rows: pd.DataFrame) -> pd.DataFrame:
    """M/V/X/O from what the list writes; J/M lists (jongen/meisje) get M read as meisje."""
    keys = rows["geslacht"].str.strip().str.lower()
    table = dict(GESLACHT)
    notes = []
    present = set(keys.unique())
    if "j" in present and "v" not in present:
        table["m"] = "V"
        first = rows[keys.eq("j")].iloc[:1]
        notes.append(for_rows("geslacht-jm", first, table="leerlingen", column="geslacht"))
    rows["geslacht"] = keys.map(table).fillna(rows["geslacht"].str.strip()).astype("str")
    return concat(notes)


def _jaargroep(rows: pd.DataFrame, fmt: ListFormat) -> pd.DataFrame:
    """The year of each pupil from `jaargroep` or `leerjaar` (whatever the column is called: a
    PO list may say leerjaar), or from the class name. `Groep 3` is 3; a bare 1-6 stays 1-6
    until the school's sector is known (readers/sector.py)."""
    table = "leerlingen"
    source = "jaargroep" if "jaargroep" in rows else "leerjaar" if "leerjaar" in rows else ""
    if source:
        written = rows[source]
        values = year_values(written)
        bad = values.isna()
        rows["jaargroep"] = values.fillna("").astype("str")
        return for_rows("invalid-leerjaar", rows[bad], table=table, column="jaargroep",
                        values=written[bad])  # fmt: skip
    if not fmt.derive_leerjaar or "groep_id" not in rows:
        rows["jaargroep"] = ""
        return concat([])
    return derive_leerjaar(rows)


def derive_leerjaar(rows: pd.DataFrame) -> pd.DataFrame:
    """The year from the class name (`3HB` -> 3, `Groep 5b` -> 5): a warning per class, an
    error per pupil of a class whose name has no year."""
    table = "leerlingen"
    digit = rows["groep_id"].str.extract(_YEAR_IN_CLASS, expand=False)
    rows["jaargroep"] = digit.fillna("").astype("str")
    derived = rows[digit.notna()].drop_duplicates("groep_id")
    notes = [
        for_rows("leerjaar-derived", derived, table=table, column="jaargroep",
                 values=derived["groep_id"], leerjaar=digit[derived.index]),
        for_rows("leerjaar-not-derived", rows[digit.isna() & rows["groep_id"].ne("")],
                 table=table, column="jaargroep", values=rows["groep_id"]),
    ]  # fmt: skip
    return concat(notes)


def lost_characters(rows: pd.DataFrame, table: str) -> pd.DataFrame:
    """A `?` in a name: a letter the export's code page (Windows-1252) could not hold."""
    parts = []
    for column in ("achternaam", "tussenvoegsel", "roepnaam"):
        if column in rows:
            hit = rows[rows[column].astype("str").str.contains("?", regex=False)]
            parts.append(for_rows("name-character-lost", hit, table=table, column=column))
    return concat(parts)
