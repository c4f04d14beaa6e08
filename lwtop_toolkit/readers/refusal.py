"""A refusal that helps: when no reader recognises a list, which format came nearest, which
required fields it lacks, and the `--map` lines to try.

Each sheet's header is scored against each list format's pupil aliases (the number of fields it
names); the best sheet and format say what is missing. Each missing field is paired with the
unknown column that most plausibly holds it: by the shape of its values (unique numbers, dates,
M/V, short repeated class names) and by how much its name looks like the field's aliases.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from lwtop_toolkit.findings import ToolkitError
from lwtop_toolkit.model import normalise
from lwtop_toolkit.readers.files.headers import Aliases, match_headers, score
from lwtop_toolkit.readers.files.sheet import Sheet
from lwtop_toolkit.readers.las_lists import list_files, sheets_of
from lwtop_toolkit.readers.pupil_lists import GESLACHT, REQUIRED

# How many values of a column are looked at, and the share of them that must have the shape.
SAMPLE = 200
SHAPE_SHARE = 0.9
# A column is paired with a field by its name alone from this similarity (0..1) on; by the
# shape of its values from any similarity, except for names (any text looks like a name).
NAME_ONLY = 0.7
NAME_FIELDS_NEED = 0.5
NAME_FIELDS = frozenset({"achternaam", "roepnaam"})
SHOWN_UNKNOWN = 8  # unknown columns listed when a field finds no partner
MAX_GROUP_LENGTH = 12

_ID = re.compile(r"^[A-Za-z]{0,3}\d{2,}$")
_DATE = re.compile(r"^(?:\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}|\d{4}-\d{1,2}-\d{1,2})(?:[ T].*)?$")
_NAME = re.compile(r"^[^\W\d_][^\d]*$")
_JAARGROEP = re.compile(r"^(?:0?[1-8]|1[1-6])$")


def _unique_ids(values: pd.Series) -> bool:
    return bool(values.str.match(_ID).all()) and values.is_unique


def _groups(values: pd.Series) -> bool:
    short = values.str.len().le(MAX_GROUP_LENGTH).all() and not values.str.match(_DATE).any()
    mixed = values.str.contains(r"\d") & values.str.contains(r"[^\W\d_]")
    return bool(short and (not values.is_unique or mixed.all()))


# The shape of a required field's values: does (nearly) every non-empty value have it?
SHAPES: dict[str, Callable[[pd.Series], bool]] = {
    "leerling_id": _unique_ids,
    "geboortedatum": lambda values: bool(values.str.match(_DATE).all()),
    "geslacht": lambda values: bool(values.str.lower().isin(GESLACHT).all()),
    "groep_id": _groups,
    "achternaam": lambda values: bool(values.str.match(_NAME).all()),
    "roepnaam": lambda values: bool(values.str.match(_NAME).all()),
    "jaargroep": lambda values: bool(values.str.match(_JAARGROEP).all()),
}


@dataclass(frozen=True)
class Nearest:
    """The sheet and list format that came nearest, with what the sheet lacks for it."""

    sheet: Sheet
    label: str
    aliases: Aliases
    found: int
    missing: list[str]


def nearest(
    paths: Sequence[Path], formats: Sequence[tuple[str, Aliases]], known: frozenset[str]
) -> Nearest | None:
    """The (sheet, format) whose header names most fields of the format's pupil aliases; the
    first format wins a tie (list the general one first). None when no header names any."""
    best: tuple[int, Sheet, str, Aliases] | None = None
    for path in list_files(paths):
        try:
            sheets = sheets_of(path, known)
        except (ToolkitError, OSError):
            continue  # reading the file says what is wrong with it
        for sheet in sheets:
            for label, aliases in formats:
                found = score(sheet.header, aliases)
                if found and (best is None or found > best[0]):
                    best = (found, sheet, label, aliases)
    if best is None:
        return None
    found, sheet, label, aliases = best
    columns = set(match_headers(sheet.header, aliases).columns)
    required = list(REQUIRED)
    if "naam" not in columns or {"achternaam", "roepnaam"} <= columns:
        required += ["achternaam", "roepnaam"]
    missing = [name for name in required if name not in columns]
    return Nearest(sheet, label, aliases, found, missing)


def suggestions(near: Nearest) -> dict[str, str]:
    """{missing field: the unknown column most plausibly holding it}, each column used once."""
    match = match_headers(near.sheet.header, near.aliases)
    positions = {text: position for position, text in enumerate(near.sheet.header)}
    scored: list[tuple[float, str, str]] = []
    for header in match.unknown:
        values = _sample(near.sheet, positions[header])
        for name in near.missing:
            similar = _similarity(header, name, near.aliases.get(name, ()))
            shaped = bool(len(values)) and name in SHAPES and SHAPES[name](values)
            enough = NAME_FIELDS_NEED if name in NAME_FIELDS else 0.0
            if (shaped and similar >= enough) or similar >= NAME_ONLY:
                scored.append((similar + shaped, name, header))
    paired: dict[str, str] = {}
    for _, name, header in sorted(scored, key=lambda item: -item[0]):
        if name not in paired and header not in paired.values():
            paired[name] = header
    return {name: paired[name] for name in near.missing if name in paired}


def _sample(sheet: Sheet, position: int) -> pd.Series:
    """The non-empty values of a column (the first SAMPLE), stripped."""
    values = sheet.rows[position].head(SAMPLE).astype("str").str.strip()
    return values[values.ne("")]


def _similarity(header: str, name: str, aliases: Sequence[str]) -> float:
    key = normalise(header)
    return max(
        difflib.SequenceMatcher(None, key, normalise(alias)).ratio() for alias in (name, *aliases)
    )


def refusal(
    paths: Sequence[Path],
    formats: Sequence[tuple[str, Aliases]],
    known: frozenset[str],
    reason: str,
) -> ToolkitError:
    """The Dutch refusal for files no reader recognises: `unrecognised-list` naming the nearest
    format, what it lacks and the `--map` lines to try; `unknown-format` (with `reason`) when no
    header names a field of any format, or nothing required is missing."""
    near = nearest(paths, formats, known)
    names = ", ".join(str(path) for path in paths)
    if near is None or not near.missing:
        return ToolkitError("unknown-format", file=names, reason=reason)
    paired = suggestions(near)
    unknown = match_headers(near.sheet.header, near.aliases).unknown
    lines = [f'--map "{header}={name}"' for name, header in paired.items()]
    rest = [name for name in near.missing if name not in paired]
    if rest and unknown:
        shown = ", ".join(unknown[:SHOWN_UNKNOWN]) + (
            " ..." if len(unknown) > SHOWN_UNKNOWN else ""
        )
        lines += [f'--map "<kolomnaam>={name}"' for name in rest]
        lines.append(f"(voor <kolomnaam> een onbekende kolom: {shown})")
    advice = " ".join(lines)
    if lines:
        advice += " (of dezelfde koppeling in lwtop.toml onder [kolommen])"
    if rest and not unknown:
        again = f"exporteer de lijst opnieuw met kolommen voor {_joined(rest)}"
        advice += f"; {again}" if lines else f"{again} (de export heeft geen andere kolommen)"
    return ToolkitError(
        "unrecognised-list",
        file=near.sheet.file,
        reason=reason[:1].upper() + reason[1:],
        format=near.label,
        found=near.found,
        total=len([cell for cell in near.sheet.header if cell.strip()]),
        missing=_missing_text(near.missing),
        advice=advice,
    )


def _missing_text(missing: Sequence[str]) -> str:
    """`het veld groep_id ontbreekt` / `de velden leerling_id en groep_id ontbreken`."""
    if len(missing) == 1:
        return f"het veld {missing[0]} ontbreekt"
    return f"de velden {_joined(missing)} ontbreken"


def _joined(names: Sequence[str]) -> str:
    """`a`, `a en b`, `a, b en c`."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} en {names[-1]}"


__all__ = ["Nearest", "nearest", "refusal", "suggestions"]
