"""The sector of each school in an export (PO, SO, VO, MBO), decided from the data.

A LAS writes a year as the school counts it: PO groep 1-8, VO and MBO leerjaar 1-6 (a UWLR
file of a VO school too: class `H1A` with jaargroep 1). EDEXML stores VO leerjaar 1-6 as 11-16,
and so do we for MBO (the codes have none of its own). Whether a bare 1-6 is a groep or a
leerjaar is decided per school (BRIN + vestiging) from what the data says, never from the name
of a column (ParnasSys calls the PO year `leerjaar`):

- groep 0, 7 or 8 exist in PO only; jaargroep 11-16 in VO;
- group names: `Groep 3`, `1/2A`, `groep 5b` are PO; `H1A`, `3HV1`, `2vwo`, `M3b` are VO;
- ages on 1 October of the school year: a PO pupil is about 3-5 years older than his groep, a
  VO pupil about 11-12 years older than his leerjaar, an MBO student 14 or more;
- the opleiding: havo, vwo, vmbo, ... is VO; a crebo number (5 digits) is MBO.

The choice of the user wins: `--sector` (`read(..., sector=)`), else `sector = "vo"` in
`lwtop.toml`. Signals that disagree, or none at all: an error finding that says how to choose,
and the values stay as written. Values that are codes already (11-16, S, V) are never changed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pandas as pd

from lwtop_toolkit.findings import ToolkitError, concat, finding, for_rows, frame
from lwtop_toolkit.model import SOURCE_FILE
from lwtop_toolkit.readers.base import ReadResult
from lwtop_toolkit.readers.school_settings import SECTORS, SETTINGS_FILE, load_settings

# Dutch names, as a message says "een school voor {label}".
SECTOR_LABELS: dict[str, str] = {
    "po": "basisonderwijs",
    "so": "speciaal onderwijs",
    "vo": "voortgezet onderwijs",
    "mbo": "mbo",
}
# Sectors whose leerjaar 1-6 is stored as 11-16.
LEERJAAR_SECTORS = frozenset({"vo", "mbo"})
# The year values a list may hold, as codes: PO groep 0-8, VO leerjaar 11-16, S (SO), V (VSO).
YEAR_CODES = frozenset({*(str(n) for n in range(9)), *(str(n) for n in range(11, 17)), "S", "V"})
BARE = frozenset(str(n) for n in range(1, 7))  # a groep or a leerjaar: the sector decides
PO_ONLY = frozenset({"0", "7", "8"})
VO_CODES = frozenset(str(n) for n in range(11, 17))
# `Groep 3`, `gr. 4`, `Leerjaar 2`, `03` as a year value.
_YEAR_WORDS = re.compile(r"^(?:groep|gr\.?|leerjaar|lj\.?|jaar|klas)\s*", re.IGNORECASE)
# PO group names: `Groep 3`, `groep 5b`, `Gr. 4`, a combination `1/2A`, `3/4`.
_PO_NAME = re.compile(r"\bgr(?:oep|\.)?\s*[0-8](?!\d)|^\s*[0-8]\s*/\s*[1-8](?!\d)", re.IGNORECASE)
# VO class names: a school type (`2vwo`, `havo 3`), a type letter before the leerjaar (`H1A`,
# `M3b`, `HV2`), or type letters after it (`3HV1`, `3HB`, `4VD`; not `3 Vlinders`).
_VO_NAME = re.compile(
    r"havo|vwo|vmbo|mavo|gymnasium|atheneum|lyceum"
    r"|^\s*(?:hv|mh|vw|[hvmatw])\s?[1-6](?!\d)"
    r"|^\s*[1-6](?:hv|mh|vwo|tl|kb|bb|gt|gl|ath|gym|[hvmt])(?![a-z]{2})",
    re.IGNORECASE,
)
_VO_OPLEIDING = re.compile(r"havo|vwo|vmbo|mavo|gymnasium|atheneum|lyceum|praktijkonderwijs", re.I)
_MBO_OPLEIDING = re.compile(
    r"^\s*\d{5}\s*$|crebo|\(\s*\d{5}\s*\)|\bmbo\b|\b(?:bol|bbl|entree)\b", re.IGNORECASE
)
# Age on 1 October minus the year value: PO about 3-5, VO about 11-12, MBO 14 or more.
PO_MAX_GAP, VO_GAP, MBO_MIN_GAP = 7.0, (9.0, 13.5), 14.0
_SCHOOLJAAR = re.compile(r"^\s*(\d{4})")
CHOOSE = '--sector po|so|vo|mbo, of sector = "vo" in lwtop.toml'


def year_value(text: str) -> str | None:
    """A year as a list writes it as a code: `Groep 3` -> 3, `03` -> 3, `13` -> 13, `s` -> S;
    None when it is none (`1/2`, `9`, `3A`). A bare 1-6 stays: `settle` decides what it is."""
    value = _YEAR_WORDS.sub("", text.strip()).strip().upper()
    if value.isascii() and value.isdigit():
        value = str(int(value))
    return value if value in YEAR_CODES else None


def year_values(written: pd.Series) -> pd.Series:
    """`year_value` of each cell ("" stays ""; NaN where a cell holds no year)."""
    codes = {text: ("" if not text.strip() else year_value(text)) for text in written.unique()}
    return written.map(codes)


def chosen_sector(text: str | None) -> str:
    """The sector the caller chose (`VO`, ` po `), checked ("" for none); ToolkitError for one
    that does not exist."""
    sector = (text or "").strip().lower()
    if sector and sector not in SECTORS:
        raise ToolkitError(
            "unknown-format",
            reason=f"onderwijssoort '{text}' bestaat niet; kies uit {', '.join(SECTORS)}",
        )
    return sector


@dataclass(frozen=True)
class Decision:
    """A school's sector ("" when undecided) and why: the signals, or what went wrong."""

    sector: str
    why: str
    conflict: bool = False


@dataclass
class _School:
    """One school (BRIN + vestiging) of an export: its pupils and the groups that are its."""

    label: str
    pupils: pd.DataFrame
    groups: pd.DataFrame


def settle(result: ReadResult, paths: Sequence[Path], sector: str | None = None) -> ReadResult:
    """`result` with each school's bare 1-6 read as its sector has them (VO, MBO: 11-16), and
    the findings of deciding: which sector and why (info), or that it cannot be decided (error).

    `sector` (po, so, vo, mbo) is the user's choice; without it `lwtop.toml` beside the export
    may say it, else the data decides.
    """
    tables = result.tables
    pupils, groups = tables.leerlingen.copy(), tables.groepen.copy()
    if pupils.empty:
        return result
    choice = chosen_sector(sector)
    source = f"gekozen met --sector {choice}"
    if not choice:
        choice = load_settings(paths).sector
        source = f'gekozen met sector = "{choice}" in {SETTINGS_FILE}'
    notes: list[pd.DataFrame] = []
    infos: dict[str, dict[str, Any]] = {}  # one per sector of the export
    as_leerjaar: dict[str, tuple[list[pd.Index], list[pd.Index]]] = {}  # per sector label
    for school in _schools(pupils, groups):
        values = pd.concat([school.pupils["jaargroep"], school.groups["jaargroep"]])
        needed = bool(values.isin(BARE).any())
        if choice:
            decision = Decision(choice, source)
        elif needed:
            decision = decide(school.pupils, school.groups)
        else:
            continue
        if not decision.sector:
            code = "sector-conflict" if decision.conflict else "sector-unknown"
            notes.append(frame([_about(code, school, school.label, decision.why)]))
        elif decision.sector in LEERJAAR_SECTORS:
            label = SECTOR_LABELS[decision.sector]
            rows = as_leerjaar.setdefault(label, ([], []))
            rows[0].append(school.pupils.index)
            rows[1].append(school.groups.index)
            if needed and label not in infos:
                infos[label] = _about("leerjaar-as-vo", school, label, decision.why)
    for label, (pupil_rows, group_rows) in as_leerjaar.items():
        notes.append(_as_leerjaar(pupils, _union(pupil_rows), "leerlingen", label))
        notes.append(_as_leerjaar(groups, _union(group_rows), "groepen", label))
    settled = replace(tables, leerlingen=pupils, groepen=groups)
    found = concat([result.findings, frame(infos.values()), *notes])
    return replace(result, tables=settled, findings=found)


def _about(code: str, school: _School, value: str, why: str) -> dict[str, Any]:
    """A finding about one school's years as a whole (no row): `why` fills {reason}."""
    return finding(
        code,
        file=str(school.pupils[SOURCE_FILE].iloc[0]),
        table="leerlingen",
        column="jaargroep",
        value=value,
        reason=why,
    )


def _union(parts: list[pd.Index]) -> pd.Index:
    return parts[0].append(parts[1:]) if len(parts) > 1 else parts[0]


def _schools(pupils: pd.DataFrame, groups: pd.DataFrame) -> list[_School]:
    """The schools (BRIN + vestiging) of the pupils; a group is its pupils' school, else the
    school it names, else the only school."""
    keys = pupils["brin"].str.cat(pupils["vestiging"], sep=" ")
    first = ~pupils["groep_id"].duplicated()
    by_group = pd.Series(keys[first].to_numpy(), index=pupils.loc[first, "groep_id"].to_numpy())
    group_keys = groups["groep_id"].map(by_group)
    own = groups["brin"].str.cat(groups["vestiging"], sep=" ")
    group_keys = group_keys.fillna(own.where(own.isin(keys.unique())))
    if keys.nunique() == 1:
        group_keys = group_keys.fillna(keys.iloc[0])
    several = keys.nunique() > 1
    facts = pupils[["jaargroep", "groep_id", "geboortedatum", "opleiding", SOURCE_FILE]]
    found = []
    for key, index in pupils.groupby(keys, sort=False).groups.items():
        brin, _, vestiging = str(key).partition(" ")
        label = f"BRIN {brin}" if brin else "deze export"
        if several and vestiging:
            label += f", vestiging {vestiging}"
        found.append(_School(label, facts.loc[index], groups[group_keys.eq(key)]))
    return found


def _as_leerjaar(table: pd.DataFrame, index: pd.Index, name: str, label: str) -> pd.DataFrame:
    """Leerjaar 1-6 of the rows `index` as 11-16, in place; groep 0, 7, 8 is no leerjaar: an
    error per row, the cell left empty."""
    values = table.loc[index, "jaargroep"]
    bare = values[values.isin(BARE)]
    table.loc[bare.index, "jaargroep"] = "1" + bare
    wrong = values[values.isin(PO_ONLY)]
    table.loc[wrong.index, "jaargroep"] = ""
    return for_rows("leerjaar-not-in-sector", table.loc[wrong.index], table=name,
                    column="jaargroep", values=wrong, sector=label)  # fmt: skip


# --- the signals ---------------------------------------------------------------------------------


def decide(pupils: pd.DataFrame, groups: pd.DataFrame) -> Decision:
    """The sector the signals of one school agree on; undecided when they disagree or say
    nothing (`why` says which signals point where)."""
    votes: dict[str, list[str]] = {}
    for sector, signal in _signals(pupils, groups):
        votes.setdefault(sector, []).append(signal)
    if len(votes) == 1:
        sector, signals = next(iter(votes.items()))
        return Decision(sector, "herkend aan " + _joined(signals))
    if not votes:
        return Decision(
            "",
            "geen groep 7 of 8, geen groepsnamen als 'Groep 3' of klasnamen als 'H1A', geen "
            "opleiding en geen geboortedata die het zeggen",
        )
    parts = [f"{_joined(signals)} wijzen op {SECTOR_LABELS[sector]}" for sector, signals in
             votes.items()]  # fmt: skip
    return Decision("", "; ".join(parts), conflict=True)


def _joined(signals: list[str]) -> str:
    return signals[0] if len(signals) == 1 else ", ".join(signals[:-1]) + " en " + signals[-1]


def _signals(pupils: pd.DataFrame, groups: pd.DataFrame) -> list[tuple[str, str]]:
    """(sector, the signal in Dutch) for each signal the school's data gives."""
    found: list[tuple[str, str]] = []
    values = {*pupils["jaargroep"].unique(), *groups["jaargroep"].unique()}
    if values & PO_ONLY:
        shown = " en ".join(sorted(values & PO_ONLY))
        found.append(("po", f"groep {shown} (alleen in het basisonderwijs)"))
    if values & VO_CODES:
        found.append(("vo", "jaargroep 11 t/m 16"))
    names = pd.Series(
        sorted({*groups["groep_id"].unique(), *groups["groepsnaam"].unique(),
                *pupils["groep_id"].unique()}),
        dtype="str",
    )  # fmt: skip
    names = names[names.ne("")]
    kinds = names.map(_name_sector)
    for sector, word in (("po", "groepsnamen"), ("vo", "klasnamen")):
        if kinds.eq(sector).any():
            found.append((sector, f"{word} als '{names[kinds.eq(sector)].iloc[0]}'"))
    opleidingen = pd.Series(sorted(set(pupils["opleiding"].unique()) - {""}), dtype="str")
    for sector, pattern in (("vo", _VO_OPLEIDING), ("mbo", _MBO_OPLEIDING)):
        hits = opleidingen[opleidingen.str.contains(pattern)]
        if not hits.empty:
            found.append((sector, f"opleidingen als '{hits.iloc[0]}'"))
    age = _age_signal(pupils, groups)
    if age is not None:
        found.append(age)
    return found


def _name_sector(name: str) -> str:
    if _PO_NAME.search(name):
        return "po"
    return "vo" if _VO_NAME.search(name) else ""


def _age_signal(pupils: pd.DataFrame, groups: pd.DataFrame) -> tuple[str, str] | None:
    """How much older than their year value the pupils are on 1 October (the median)."""
    numbered = pupils[pupils["jaargroep"].isin(BARE | PO_ONLY) & pupils["geboortedatum"].notna()]
    if numbered.empty:
        return None
    day = dt.date(_first_year(groups), 10, 1)
    born = numbered["geboortedatum"]
    later = (born.dt.month > day.month) | ((born.dt.month == day.month) & (born.dt.day > day.day))
    age = day.year - born.dt.year - later.astype("int64")
    gap = float((age - numbered["jaargroep"].astype("int64")).median())
    if gap <= PO_MAX_GAP:
        sector = "po"
    elif VO_GAP[0] <= gap <= VO_GAP[1]:
        sector = "vo"
    elif gap >= MBO_MIN_GAP:
        sector = "mbo"
    else:
        return None
    shown = f"{gap:g}".replace(".", ",")
    return sector, f"de leeftijden (op 1 oktober {shown} jaar ouder dan groep of leerjaar)"


def _first_year(groups: pd.DataFrame) -> int:
    """The first calendar year of the school year most groups name; else this school year's."""
    for text in groups["schooljaar"].value_counts().index:
        match = _SCHOOLJAAR.match(str(text))
        if match:
            return int(match[1])
    today = dt.date.today()
    return today.year if today.month >= 8 else today.year - 1


__all__ = [
    "SECTORS",
    "SECTOR_LABELS",
    "Decision",
    "chosen_sector",
    "decide",
    "settle",
    "year_value",
    "year_values",
]
