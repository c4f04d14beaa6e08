"""Matching a file's column headers to canonical fields through an alias table.

Headers are compared case-, space-, punctuation- and accent-insensitively: `Leerling nummer`,
`leerlingnummer` and `LEERLINGNUMMER` are one header. Columns with citizen numbers or addresses
are recognised here so that no reader ever carries them into the tables, and so are the columns
that LAS exports carry but the toolkit does not need: those are named as not used, not as unknown.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from lwtop_toolkit.findings import finding
from lwtop_toolkit.model import normalise

# {field: the headers that name it}: a reader's header aliases for one table.
Aliases = Mapping[str, Sequence[str]]

# Citizen numbers and addresses: never read (AVG/GDPR: the dossier does not need them).
SENSITIVE_HEADERS: frozenset[str] = frozenset(
    normalise(header)
    for header in (
        "bsn",
        "burgerservicenummer",
        "sofinummer",
        "sofi-nummer",
        "onderwijsnummer",
        "persoonsgebonden nummer",
        "pgn",
        "bsn4",
        "adres",
        "straat",
        "straatnaam",
        "huisnummer",
        "huisnummer toevoeging",
        "toevoeging",
        "postcode",
        "woonplaats",
        "plaats",
        "land",
        "telefoon",
        "telefoonnummer",
        "mobiel",
    )
)

# The pseudo-field of an alias table for headers that are known but not used (a column mapped to
# "", a column whose field another column was mapped to). It is never a column of the tables.
UNUSED = "<unused>"
# Columns that the LAS exports carry and the toolkit does not need, by LAS: each is named in one
# `unused-column` finding, never as unknown. A reader's alias for one of these wins (it is then
# read), and so does a column mapping (`--map "Cohort=opleiding"`).
UNUSED_BY_LAS: dict[str, tuple[str, ...]] = {
    "magister": ("Profiel.Code", "Profiel", "Loginaccount.Naam", "Loginaccount"),
    "somtoday": ("leerlingEmail", "leerlingGebruikersnaam", "leerlingNationaliteit"),
    "eduarte": ("Voornamen", "Cohort", "Leerweg", "Intake", "Verbintenis", "Verbintenisstatus"),
    # a staff list's columns that the medewerkers table has no field for (a pupil list reads them)
    "staff": ("Voorletters", "Geslacht", "Geboortedatum", "Voornamen"),
    "any": (
        "E-mail", "Emailadres", "E-mailadres", "E-mail leerling", "Gebruikersnaam", "Account",
        "Nationaliteit", "Nationaliteiten", "Geboorteplaats", "Geboorteland", "Godsdienst",
        "Inschrijfdatum", "Datum inschrijving", "Uitschrijfdatum", "Datum uitschrijving",
        "Leeftijd", "Officiele voornamen", "Aanhef", "Foto", "Opmerking", "Opmerkingen",
    ),
}  # fmt: skip
UNUSED_HEADERS: frozenset[str] = frozenset(
    normalise(header) for names in UNUSED_BY_LAS.values() for header in names
)


# More unknown columns than this are summed up in one finding (a broken header, a wrong delimiter).
MAX_NAMED_UNKNOWN = 20
NAMED_IN_SUMMARY = 5


@dataclass
class HeaderMatch:
    """Which column position holds which field, and what could not be matched."""

    columns: dict[str, int] = field(default_factory=dict)
    unknown: list[str] = field(default_factory=list)
    unused: list[str] = field(default_factory=list)  # known columns the toolkit does not need
    sensitive: list[str] = field(default_factory=list)
    duplicates: dict[str, list[str]] = field(default_factory=dict)

    def missing(self, required: Sequence[str]) -> list[str]:
        return [name for name in required if name not in self.columns]

    def findings(self, file: str, table: str, header_row: int = 1) -> list[dict[str, Any]]:
        """The findings of the match: unknown and unused columns, dropped sensitive ones,
        duplicates."""
        notes = [
            finding("unknown-column", file=file, table=table, row=header_row, value=header)
            for header in self.unknown
        ]
        if len(self.unknown) > MAX_NAMED_UNKNOWN:  # one finding, not thousands
            names = ", ".join(f"'{name}'" for name in self.unknown[:NAMED_IN_SUMMARY])
            notes = [
                finding("many-unknown-columns", file=file, table=table, row=header_row,
                        value=names, count=len(self.unknown))
            ]  # fmt: skip
        if self.unused:  # one finding per table of a file, naming them all
            notes.append(
                finding(
                    "unused-column",
                    file=file,
                    table=table,
                    row=header_row,
                    value=", ".join(self.unused),
                )
            )
        if self.sensitive:
            notes.append(
                finding(
                    "sensitive-column-dropped",
                    file=file,
                    table=table,
                    row=header_row,
                    value=", ".join(self.sensitive),
                )
            )
        for target, headers in self.duplicates.items():
            notes.append(
                finding(
                    "duplicate-column",
                    file=file,
                    table=table,
                    row=header_row,
                    column=target,
                    value=", ".join(headers),
                )
            )
        return notes


def alias_index(aliases: Aliases) -> dict[str, str]:
    """{normalised alias: field} from {field: [aliases]}.

    A field's own name is an alias too, unless another field lists it: a column mapping
    (`--map "Leerjaar=jaargroep"`) makes a header that is another field's name mean the mapped
    field only. Two fields listing one alias is a mistake in the table (ValueError).
    """
    index: dict[str, str] = {}
    for target, names in aliases.items():
        for name in names:
            key = normalise(name)
            if key in index and index[key] != target:
                raise ValueError(f"alias {name!r} names both {index[key]!r} and {target!r}")
            index[key] = target
    for target in aliases:
        if target != UNUSED:
            index.setdefault(normalise(target), target)
    return index


def match_headers(header: Sequence[str], aliases: Aliases) -> HeaderMatch:
    """Match a header row; the first column wins when two mean the same field."""
    index = alias_index(aliases)
    match = HeaderMatch()
    seen: dict[str, list[str]] = {}
    for position, text in enumerate(header):
        key = normalise(text)
        if not key:
            continue
        target = index.get(key)
        if target == UNUSED:
            match.unused.append(text)
        elif target is not None:
            seen.setdefault(target, []).append(text)
            match.columns.setdefault(target, position)
        elif key in SENSITIVE_HEADERS:
            match.sensitive.append(text)
        elif key in UNUSED_HEADERS:
            match.unused.append(text)
        else:
            match.unknown.append(text)
    match.duplicates = {target: names for target, names in seen.items() if len(names) > 1}
    return match


def score(header: Sequence[str], aliases: Aliases) -> int:
    """How many fields of `aliases` the header names (to recognise a table by its headers)."""
    return len(match_headers(header, aliases).columns)


def known_headers(tables: Iterable[Aliases]) -> frozenset[str]:
    """Every header of the alias `tables`, the sensitive and the unused ones (normalised): the
    words by which a header row is recognised above or below a title (screening.find_header)."""
    names: set[str] = set(SENSITIVE_HEADERS | UNUSED_HEADERS)
    for aliases in tables:
        names |= set(alias_index(aliases))
    return frozenset(names)
