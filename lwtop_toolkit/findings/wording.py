"""Counts in Dutch that agree in number: "1 leerling", "2 leerlingen", "0 fouten".

Every face and every message that prints a count of something says it through `count_of`, so
that no line reads "1 leerlingen". The nouns the toolkit counts most have their plural here;
another noun passes its own.
"""

from __future__ import annotations

from collections.abc import Mapping

PLURALS: dict[str, str] = {
    "leerling": "leerlingen",
    "groep": "groepen",
    "stamgroep": "stamgroepen",
    "medewerker": "medewerkers",
    "koppeling": "koppelingen",
    "bestand": "bestanden",
    "school": "scholen",
    "fout": "fouten",
    "waarschuwing": "waarschuwingen",
    "bevinding": "bevindingen",
    "rij": "rijen",
    "kolom": "kolommen",
    "veld": "velden",
    "werkmap": "werkmappen",
    "bundel": "bundels",
    "export": "exports",
}
# The tables counted as a coordinator reads them (`model.TABLE_LABELS` is their plural).
TABLE_NOUNS: dict[str, tuple[str, str]] = {
    "groepen": ("groep", "groepen"),
    "leerlingen": ("leerling", "leerlingen"),
    "medewerkers": ("medewerker", "medewerkers"),
    "medewerker_groepen": ("koppeling medewerker-groep", "koppelingen medewerker-groep"),
}


def plural(count: int, one: str, many: str | None = None) -> str:
    """The noun `one` as it goes with `count`: singular for exactly 1, else plural (`many`, or
    the plural in PLURALS)."""
    if count == 1:
        return one
    if many is not None:
        return many
    try:
        return PLURALS[one]
    except KeyError:
        raise ValueError(f"no plural known for {one!r}: pass it") from None


def count_of(count: int, one: str, many: str | None = None) -> str:
    """`count` and its noun in agreement: count_of(1, "leerling") == "1 leerling",
    count_of(0, "fout") == "0 fouten", count_of(2, "keer", "keer") == "2 keer"."""
    return f"{count} {plural(count, one, many)}"


def counted(count: object, spec: str) -> str:
    """A count in a message template (`findings.frame`): `spec` is the noun, or its two forms
    `one|many` (`leerling staat|leerlingen staan`); a count that is no whole number keeps the
    plural."""
    one, _, many = spec.partition("|")
    text = str(count).strip()
    number = int(text) if text.lstrip("-").isdigit() else None
    if number is not None:
        return f"{text} {plural(number, one, many or None)}"
    return f"{text} {many or PLURALS.get(one, one)}"


def rows_of(table: str, count: int) -> str:
    """`count` rows of `table` in words: "1 leerling", "0 koppelingen medewerker-groep"."""
    one, many = TABLE_NOUNS.get(table, (table, table))
    return count_of(count, one, many)


def severity_text(counts: Mapping[str, int]) -> str:
    """The findings per severity (`findings.counts`) as every face prints them:
    "0 fouten, 1 waarschuwing, 0 ter info"."""
    return (
        f"{count_of(counts.get('error', 0), 'fout')}, "
        f"{count_of(counts.get('warning', 0), 'waarschuwing')}, "
        f"{counts.get('info', 0)} ter info"
    )
