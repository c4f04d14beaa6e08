"""Finding a person by the name someone wrote: one rule for the mentor columns of a LAS list and
for the teacher cells of the staff workbook (sheets/staff_read.py).

A name is compared folded (`fold_name`: no accents, lower case, single spaces), in the four
ways people write a Dutch name: `Jan de Vries`, `Jan Vries`, `de Vries, Jan`, `Vries, Jan de`.
Two people may share a name: the index keeps them all, and the caller says it is ambiguous.
"""

from __future__ import annotations

import unicodedata

import pandas as pd

from lwtop_toolkit.model import texts_of

# Letters NFKD does not take apart, so that `Aydın` is found when typed `Aydin`.
_PLAIN = str.maketrans({"ı": "i", "ø": "o", "ß": "ss", "æ": "ae", "ł": "l", "đ": "d"})
NAME_COLUMNS = ("roepnaam", "tussenvoegsel", "achternaam")


def full_name(roepnaam: str, tussenvoegsel: str, achternaam: str) -> str:
    """`roepnaam tussenvoegsel achternaam`, single-spaced."""
    return " ".join(part.strip() for part in (roepnaam, tussenvoegsel, achternaam) if part.strip())


def staff_label(roepnaam: str, tussenvoegsel: str, achternaam: str, medewerker_id: str) -> str:
    """`Roepnaam tussenvoegsel Achternaam (id)`: the id keeps two people of one name apart."""
    return f"{full_name(roepnaam, tussenvoegsel, achternaam)} ({medewerker_id})".strip()


def fold_name(text: str) -> str:
    """A name for comparing: no accents, lower case, single spaces (`Ayşe  ÇELIK`: `ayse celik`)."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_PLAIN))
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(plain.casefold().translate(_PLAIN).split())


def name_keys(roepnaam: str, tussenvoegsel: str, achternaam: str) -> set[str]:
    """The folded ways of writing one person's name (none for a person without a name)."""
    first, middle, last = roepnaam, tussenvoegsel, achternaam
    return {
        fold_name(full_name(first, middle, last)),
        fold_name(full_name(first, "", last)),
        fold_name(f"{full_name('', middle, last)}, {first}"),
        fold_name(f"{last}, {full_name(first, middle, '')}"),
    } - {"", ","}


def name_index(people: pd.DataFrame, key: str = "medewerker_id") -> dict[str, list[str]]:
    """Each folded way of writing a name -> the `key`s of the people it names, in row order,
    each once. Columns the frame lacks count as empty."""
    empty = [""] * len(people)
    columns = [texts_of(people[c]) if c in people else empty for c in (*NAME_COLUMNS, key)]
    index: dict[str, list[str]] = {}
    for first, middle, last, ident in zip(*columns, strict=True):
        if not ident:
            continue
        for name in name_keys(first, middle, last):
            known = index.setdefault(name, [])
            if ident not in known:
                known.append(ident)
    return index
