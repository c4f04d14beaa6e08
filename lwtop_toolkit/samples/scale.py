"""Synthetic school boards at scale: N pupils over many schools, both years, vectorised.

`generate_board(N)` spreads N pupils (the old year) over realistic schools: mostly PO schools of
200-700 pupils, some VO schools of 600-1,500, groups of at most 30. The new year follows with
realistic moves: groep 8 and VO exam years leave, most pupils move up, some stay back, skip a
year, leave mid-school or move to another school of the board (same pupil number: left at one
school, new at the other); four-year-olds, brugklassers and newcomers arrive. `write_board`
writes both years as import files (one folder per school, or one export for the whole board)
and as EDEXML (one `EDEX.XML` per school). Only a seeded numpy Generator: the same seed, the
same bytes.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from lwtop_toolkit.model import (
    SAMENGESTELDE_GROEP,
    STAMGROEP,
    TABLE_COLUMNS,
    TABLE_NAMES,
    SchoolYear,
    Tables,
)
from lwtop_toolkit.samples.exports.edexml import edexml_bytes, sample_moment
from lwtop_toolkit.samples.school import BOYS, GIRLS, NEUTRAL, ROLES, SURNAMES
from lwtop_toolkit.writers.importfiles import tables_to_write
from lwtop_toolkit.writers.profiles import TOPDOSSIER

DEFAULT_OLD_YEAR = SchoolYear(2025)
VO_SCHOOL_SHARE = 0.15  # share of the schools that are VO
PO_SIZE, VO_SIZE = (200, 700), (600, 1500)  # pupils per school (old year)
GROUP_MAX = 30  # a cohort is split into groups of at most this many pupils
# Tracks: 0 is PO (groep 1-8); VO tracks run from leerjaar 1 (code 11) to their exam year.
TRACKS = ("po", "vmbo", "havo", "vwo")
TRACK_SHARES = (0.5, 0.28, 0.22)  # of the VO pupils: vmbo, havo, vwo
FIRST_CODE = np.array([1, 11, 11, 11])
LAST_CODE = np.array([8, 14, 15, 16])
TRACK_PREFIX = np.array(["", "M", "H", "V"])  # VO class names: `H3A`
OPLEIDING = np.array(["", "vmbo-tl", "havo", "vwo"])
# Fates of a pupil who is not in the last year, as cumulative shares.
LEFT_OTHER, MOVED, RETAINED, ACCELERATED = 0.025, 0.005, 0.02, 0.002
NEWCOMERS = 0.025  # pupils arriving mid-school, as a share of the school
PLUSKLAS, PLUSKLAS_SHARE, PLUSKLAS_FROM = "Plusklas", 0.05, 5  # PO only, groep 5 and up
FIRST_ID = 10_000_000
# Surnames: the sample school's, and Dutch-sounding ones made of a stem and an ending.
_STEMS = (
    "Jan", "Bak", "Vis", "Dek", "Brou", "Kui", "Mul", "Mei", "Hoek", "Berg", "Dijk", "Meer",
    "Horst", "Jong", "Leeuw", "Lin", "Heu", "Graaf", "Vliet", "Haan", "Wit", "Kra", "Veen",
    "Post", "Wil", "Kos", "Haar", "Ver", "Lam", "Groen", "Rui", "Schou", "Dam", "Zand", "Hul",
    "Wes", "Oos", "Noord", "Zuid", "Stok",
)  # fmt: skip
_ENDINGS = (
    "sen", "ker", "ser", "kers", "ma", "stra", "huis", "man", "mans", "ink", "hof", "veld",
    "kamp", "land", "steen", "ers", "sma", "enga", "ing", "heim",
)  # fmt: skip
_TUSSENVOEGSELS = ("", "", "", "", "", "de", "van", "van der", "van den", "ter", "el", "van 't")
_MORE_BOYS = (
    "Lucas", "Julian", "Sam", "Max", "Jayden", "Hugo", "Mats", "Ruben", "Tijn", "Gijs", "Jens",
    "Olivier", "Boaz", "Floris", "Hamza", "Ayoub", "Kerem", "Rayan", "Vince", "Otis",
)  # fmt: skip
_MORE_GIRLS = (
    "Olivia", "Yasmin", "Lina", "Evi", "Sofie", "Liv", "Lynn", "Fenna", "Jasmijn", "Roos",
    "Isa", "Nina", "Maryam", "Esmee", "Femke", "Elin", "Amira", "Ilse", "Vera", "Bo",
)  # fmt: skip
SURNAME_LIST = np.array(
    [name for _, name in SURNAMES] + [stem + end.lower() for stem in _STEMS for end in _ENDINGS],
    dtype=object,
)
TUSSENVOEGSEL_LIST = np.array(
    [prefix for prefix, _ in SURNAMES] + [""] * (len(_STEMS) * len(_ENDINGS)), dtype=object
)
FIRST_NAMES = {
    "M": np.array(BOYS + _MORE_BOYS, dtype=object),
    "V": np.array(GIRLS + _MORE_GIRLS, dtype=object),
    "X": np.array(NEUTRAL, dtype=object),
}
STAFF_ROLES = ("IB", "DIR", "ADM", "OWA")  # besides one teacher per group and one spare


@dataclass(frozen=True, eq=False)
class Board:
    """A synthetic school board: both years as Tables, and one row per school."""

    old: Tables
    new: Tables
    schools: pd.DataFrame  # school, sector, leerlingen_oud, leerlingen_nieuw


def generate_board(
    pupils: int,
    *,
    seed: int = 2026,
    old_year: SchoolYear = DEFAULT_OLD_YEAR,
    school_size: int | None = None,
) -> Board:
    """`pupils` pupils (the old year) over many schools, in `old_year` and the year after.

    `school_size` gives every school that many pupils (the last one the rest) instead of
    realistic sizes: `generate_board(1500, school_size=1500)` is one school of 1,500.
    """
    if pupils < 1:
        raise ValueError("a board needs at least one pupil")
    rng = np.random.default_rng(seed)
    sizes, vo = _school_sizes(rng, pupils)
    if school_size is not None:
        sizes = np.full(-(-pupils // school_size), school_size, dtype=np.int64)
        sizes[-1] = pupils - school_size * (len(sizes) - 1)
        vo = sizes > PO_SIZE[1]
    brins = _brins(rng, len(sizes))
    new_year = old_year.next()
    old = _old_pupils(rng, sizes, vo)
    old_groups = _groups(rng, old, brins, old_year)
    new = _new_pupils(rng, old, sizes, vo)
    new_groups = _groups(rng, new, brins, new_year)
    people = _people(rng, old, new, old_year)
    staff = _staff(rng, brins, old_groups, new_groups)
    old_tables = _tables(old, old_groups, people, brins, staff, old_year, links=True)
    new_tables = _tables(new, new_groups, people, brins, staff, new_year, links=False)
    schools = pd.DataFrame(
        {
            "school": brins,
            "sector": np.where(vo, "vo", "po"),
            "leerlingen_oud": np.bincount(old["school"], minlength=len(sizes)),
            "leerlingen_nieuw": np.bincount(new["school"], minlength=len(sizes)),
        }
    )
    return Board(old=old_tables, new=new_tables, schools=schools)


# --- schools and pupils --------------------------------------------------------------------------


def _school_sizes(rng: np.random.Generator, pupils: int) -> tuple[np.ndarray, np.ndarray]:
    """School sizes adding up to `pupils` exactly, and which schools are VO."""
    count = max(1, pupils // 400 + 2)
    vo = rng.random(count) < VO_SCHOOL_SHARE
    low = np.where(vo, VO_SIZE[0], PO_SIZE[0])
    high = np.where(vo, VO_SIZE[1], PO_SIZE[1])
    sizes = rng.integers(low, high + 1)
    while sizes.sum() < pupils:  # rarely: draw more schools
        more_vo = rng.random(count) < VO_SCHOOL_SHARE
        more = rng.integers(
            np.where(more_vo, VO_SIZE[0], PO_SIZE[0]), np.where(more_vo, VO_SIZE[1], PO_SIZE[1]) + 1
        )
        vo, sizes = np.concatenate([vo, more_vo]), np.concatenate([sizes, more])
    ends = np.cumsum(sizes)
    last = int(np.searchsorted(ends, pupils))  # the school that reaches `pupils`
    sizes, vo = sizes[: last + 1].copy(), vo[: last + 1].copy()
    sizes[last] = pupils - (ends[last - 1] if last else 0)
    if last and sizes[last] < PO_SIZE[0]:  # too small a rest: the previous school takes it
        sizes[last - 1] += sizes[last]
        sizes, vo = sizes[:last], vo[:last]
    return sizes.astype(np.int64), vo


def _brins(rng: np.random.Generator, count: int) -> np.ndarray:
    """Distinct invented BRIN codes (`42KX`), in a random order; never the test BRIN 99ZZ."""
    letters = np.array(list("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    codes = rng.choice(100 * 26 * 26 - 1, size=count, replace=False)
    digits, rest = np.divmod(codes, 26 * 26)
    first, second = np.divmod(rest, 26)
    return np.array(
        [f"{d:02d}{letters[a]}{letters[b]}" for d, a, b in zip(digits, first, second, strict=True)],
        dtype=object,
    )


def _codes_in_track(rng: np.random.Generator, track: np.ndarray, skip_first: bool) -> np.ndarray:
    first = FIRST_CODE[track] + (1 if skip_first else 0)
    return first + np.floor(rng.random(len(track)) * (LAST_CODE[track] - first + 1)).astype(int)


def _vo_tracks(rng: np.random.Generator, count: int) -> np.ndarray:
    return rng.choice(np.array([1, 2, 3]), size=count, p=TRACK_SHARES)


def _old_pupils(rng: np.random.Generator, sizes: np.ndarray, vo: np.ndarray) -> pd.DataFrame:
    school = np.repeat(np.arange(len(sizes)), sizes)
    track = np.where(vo[school], _vo_tracks(rng, len(school)), 0)
    return pd.DataFrame(
        {
            "person": np.arange(len(school)),
            "school": school,
            "track": track,
            "code": _codes_in_track(rng, track, skip_first=False),
            "from_group": -1,
        }
    )


def _new_pupils(
    rng: np.random.Generator, old: pd.DataFrame, sizes: np.ndarray, vo: np.ndarray
) -> pd.DataFrame:
    """The new year: who moves on and how, and who arrives."""
    track, code = old["track"].to_numpy(), old["code"].to_numpy()
    final = code == LAST_CODE[track]
    draw = rng.random(len(old))
    left = ~final & (draw < LEFT_OTHER)
    moved = ~final & ~left & (draw < LEFT_OTHER + MOVED)
    retained = ~final & (draw >= LEFT_OTHER + MOVED) & (draw < LEFT_OTHER + MOVED + RETAINED)
    accelerated = ~final & ~left & ~moved & ~retained & (code + 2 <= LAST_CODE[track])
    accelerated &= draw < LEFT_OTHER + MOVED + RETAINED + ACCELERATED
    staying = ~final & ~left
    step = np.where(retained, 0, np.where(accelerated, 2, 1))
    school = old["school"].to_numpy().copy()
    school[moved] = _other_school(rng, school[moved], vo)
    stay = pd.DataFrame(
        {
            "person": old["person"].to_numpy()[staying],
            "school": school[staying],
            "track": track[staying],
            "code": (code + step)[staying],
            "from_group": old["group"].to_numpy()[staying],
        }
    )
    # arrivals: a new first year the size of the old one, and newcomers across the school
    first = code == FIRST_CODE[track]
    intake_school, intake_track = old["school"].to_numpy()[first], track[first]
    newcomer_count = rng.binomial(sizes, NEWCOMERS)
    newcomer_school = np.repeat(np.arange(len(sizes)), newcomer_count)
    newcomer_track = np.where(vo[newcomer_school], _vo_tracks(rng, len(newcomer_school)), 0)
    arrivals_school = np.concatenate([intake_school, newcomer_school])
    arrivals_track = np.concatenate([intake_track, newcomer_track])
    arrivals_code = np.concatenate(
        [FIRST_CODE[intake_track], _codes_in_track(rng, newcomer_track, skip_first=True)]
    )
    arrivals = pd.DataFrame(
        {
            "person": len(old) + np.arange(len(arrivals_school)),
            "school": arrivals_school,
            "track": arrivals_track,
            "code": arrivals_code,
            "from_group": -1,
        }
    )
    return pd.concat([stay, arrivals], ignore_index=True)


def _other_school(rng: np.random.Generator, school: np.ndarray, vo: np.ndarray) -> np.ndarray:
    """For each pupil, another school of the same sector (the same one when there is none)."""
    out = school.copy()
    for sector in (False, True):
        members = np.flatnonzero(vo == sector)
        mine = np.flatnonzero(vo[school] == sector)
        if len(members) < 2 or len(mine) == 0:
            continue
        position = np.searchsorted(members, school[mine])
        pick = rng.integers(0, len(members) - 1, size=len(mine))
        pick = pick + (pick >= position)  # skip the pupil's own school
        out[mine] = members[pick]
    return out


def _groups(
    rng: np.random.Generator, pupils: pd.DataFrame, brins: np.ndarray, year: SchoolYear
) -> pd.DataFrame:
    """Stamgroepen per cohort (school, track, code) of at most GROUP_MAX; sets `pupils.group`.

    Pupils who shared a group last year stay together where the sizes allow it.
    """
    order = np.lexsort(
        (
            rng.random(len(pupils)),
            pupils["from_group"].to_numpy(),
            pupils["code"].to_numpy(),
            pupils["track"].to_numpy(),
            pupils["school"].to_numpy(),
        )
    )
    keyed = pupils.iloc[order]
    cohort_keys = keyed[["school", "track", "code"]].to_numpy()
    starts = np.flatnonzero(np.r_[True, (cohort_keys[1:] != cohort_keys[:-1]).any(axis=1)])
    sizes = np.diff(np.r_[starts, len(keyed)])
    cohort = np.repeat(np.arange(len(starts)), sizes)
    rank = np.arange(len(keyed)) - starts[cohort]
    per_cohort = -(-sizes // GROUP_MAX)  # ceil
    index = rank * per_cohort[cohort] // sizes[cohort]
    first_group = np.r_[0, np.cumsum(per_cohort)[:-1]]
    group = np.empty(len(pupils), dtype=np.int64)
    group[order] = first_group[cohort] + index
    pupils["group"] = group

    school, track, code = (cohort_keys[starts, i] for i in range(3))
    g_cohort = np.repeat(np.arange(len(starts)), per_cohort)
    g_index = np.arange(per_cohort.sum()) - first_group[g_cohort]
    letters = np.array(list("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    suffix = np.where(per_cohort[g_cohort] > 1, letters[g_index % 26], "")
    g_track, g_code = track[g_cohort], code[g_cohort]
    level = np.where(g_track > 0, g_code - 10, g_code)
    names = (
        pd.Series(TRACK_PREFIX[g_track]) + pd.Series(level).astype("str") + pd.Series(suffix)
    ).to_numpy(dtype=object)
    g_school = school[g_cohort]
    return pd.DataFrame(
        {
            "school": g_school,
            "groepsnaam": names,
            "groep_id": brins[g_school] + f"-{year.start}-" + names,
            "jaargroep": g_code.astype("str"),
        }
    )


def _people(
    rng: np.random.Generator, old: pd.DataFrame, new: pd.DataFrame, old_year: SchoolYear
) -> pd.DataFrame:
    """Every person of either year: number, name, sex, birth date, ECK-iD."""
    arrivals = new[new["person"] >= len(old)]
    count = len(old) + len(arrivals)
    # the birth date fits the code in the year the pupil first appears
    rank = np.concatenate([old["code"].to_numpy(), arrivals["code"].to_numpy()])
    rank = np.where(rank > 10, rank - 2, rank)
    start = np.r_[np.full(len(old), old_year.start), np.full(len(arrivals), old_year.start + 1)]
    first_day = pd.to_datetime(
        pd.DataFrame({"year": start - rank - 4, "month": 10, "day": 1})
    ).to_numpy()
    born = first_day + rng.integers(0, 365, size=count).astype("timedelta64[D]")
    sex = np.where(rng.random(count) < 0.01, "X", np.where(rng.random(count) < 0.5, "M", "V"))
    roepnaam = np.empty(count, dtype=object)
    for key, names in FIRST_NAMES.items():
        mine = sex == key
        roepnaam[mine] = names[rng.integers(0, len(names), size=int(mine.sum()))]
    surname = rng.integers(0, len(SURNAME_LIST), size=count)
    tussenvoegsel = TUSSENVOEGSEL_LIST[surname].copy()
    plain = tussenvoegsel == ""
    tussenvoegsel[plain] = np.array(_TUSSENVOEGSELS, dtype=object)[
        rng.integers(0, len(_TUSSENVOEGSELS), size=int(plain.sum()))
    ]
    numbers = FIRST_ID + np.cumsum(rng.integers(1, 8, size=count))
    eck = rng.integers(0, 2**63 - 1, size=count, dtype=np.int64)
    initials = {
        name: "".join(p[0].upper() + "." for p in name.split("-")) for name in set(roepnaam)
    }
    return pd.DataFrame(
        {
            "leerling_id": pd.Series(numbers).astype("str").to_numpy(dtype=object),
            "achternaam": SURNAME_LIST[surname],
            "tussenvoegsel": tussenvoegsel,
            "roepnaam": roepnaam,
            "voorletters": pd.Series(roepnaam).map(initials).to_numpy(dtype=object),
            "geboortedatum": born.astype("datetime64[us]"),
            "geslacht": sex.astype(object),
            "eckid": ("eck-" + pd.Series(eck).map("{:016x}".format)).to_numpy(dtype=object),
        }
    )


def _staff(
    rng: np.random.Generator, brins: np.ndarray, old_groups: pd.DataFrame, new_groups: pd.DataFrame
) -> pd.DataFrame:
    """Per school one teacher per group of the larger year plus one, and IB, DIR, ADM, OWA."""
    groups = np.maximum(
        np.bincount(old_groups["school"], minlength=len(brins)),
        np.bincount(new_groups["school"], minlength=len(brins)),
    )
    per_school = groups + 1 + len(STAFF_ROLES)
    school = np.repeat(np.arange(len(brins)), per_school)
    number = np.arange(len(school)) - np.repeat(np.r_[0, np.cumsum(per_school)[:-1]], per_school)
    teachers = np.repeat(groups + 1, per_school)
    extra = np.clip(number - teachers, 0, len(STAFF_ROLES) - 1)
    las_rol = np.where(number < teachers, "LRK", np.array(STAFF_ROLES)[extra])
    sex = np.where(rng.random(len(school)) < 0.7, "V", "M")
    roepnaam = np.where(
        sex == "V",
        FIRST_NAMES["V"][rng.integers(0, len(FIRST_NAMES["V"]), size=len(school))],
        FIRST_NAMES["M"][rng.integers(0, len(FIRST_NAMES["M"]), size=len(school))],
    )
    surname = rng.integers(0, len(SURNAME_LIST), size=len(school))
    ids = pd.Series(brins[school]) + "-M" + pd.Series(number + 1).astype("str").str.zfill(3)
    return pd.DataFrame(
        {
            "school": school,
            "number": number,
            "medewerker_id": ids.to_numpy(dtype=object),
            "achternaam": SURNAME_LIST[surname],
            "tussenvoegsel": TUSSENVOEGSEL_LIST[surname],
            "roepnaam": roepnaam,
            "email": (ids.str.lower() + "@example.org").to_numpy(dtype=object),
            "rol": pd.Series(las_rol).map(ROLES).to_numpy(dtype=object),
            "las_rol": las_rol,
        }
    )


def _tables(
    pupils: pd.DataFrame,
    groups: pd.DataFrame,
    people: pd.DataFrame,
    brins: np.ndarray,
    staff: pd.DataFrame,
    year: SchoolYear,
    *,
    links: bool,
) -> Tables:
    """The four tables of one year, rows ordered by school and group."""
    pupils = pupils.sort_values(["school", "group", "person"], kind="stable")
    rows = people.iloc[pupils["person"].to_numpy()].reset_index(drop=True)
    school = pupils["school"].to_numpy()
    group = pupils["group"].to_numpy()
    code = pupils["code"].to_numpy()
    po_schools = np.unique(groups.loc[groups["jaargroep"].astype(int) <= 8, "school"])
    plus_ids = pd.Series(brins + f"-{year.start}-{PLUSKLAS}")
    in_plus = (pupils["track"].to_numpy() == 0) & (code >= PLUSKLAS_FROM)
    in_plus &= np.random.default_rng([year.start, len(pupils)]).random(len(pupils)) < PLUSKLAS_SHARE
    rows["jaargroep"] = code.astype("str")
    rows["groep_id"] = groups["groep_id"].to_numpy()[group]
    rows["samengestelde_groepen"] = np.where(in_plus, plus_ids.to_numpy()[school], "")
    rows["opleiding"] = OPLEIDING[pupils["track"].to_numpy()]
    rows["brin"] = brins[school]
    rows["vestiging"] = "00"
    plus = pd.DataFrame(
        {
            "school": po_schools,
            "groepsnaam": PLUSKLAS,
            "groep_id": plus_ids.to_numpy()[po_schools],
            "jaargroep": "",
            "soort": SAMENGESTELDE_GROEP,
        }
    )
    groepen = pd.concat([groups.assign(soort=STAMGROEP), plus], ignore_index=True)
    groepen = groepen.sort_values("school", kind="stable")
    groepen = groepen.assign(schooljaar=str(year), brin=brins[groepen["school"]], vestiging="00")
    frames = {"groepen": groepen, "leerlingen": rows, "medewerkers": staff}
    if links:
        frames["medewerker_groepen"] = _links(groepen, staff)
    return Tables.from_frames(**frames)


def _links(groepen: pd.DataFrame, staff: pd.DataFrame) -> pd.DataFrame:
    """Last year's links: every stamgroep its teacher, the Plusklas the IB'er."""
    stam = groepen[groepen["soort"].eq(STAMGROEP)]
    number = stam.groupby("school").cumcount().to_numpy()
    key = staff.set_index(["school", "number"])["medewerker_id"]
    teacher = key.reindex(pd.MultiIndex.from_arrays([stam["school"], number])).to_numpy()
    ib = staff[staff["las_rol"].eq("IB")].set_index("school")["medewerker_id"]
    plus = groepen[groepen["soort"].eq(SAMENGESTELDE_GROEP)]
    links = pd.DataFrame(
        {
            "school": np.r_[stam["school"].to_numpy(), plus["school"].to_numpy()],
            "medewerker_id": np.r_[teacher, ib.reindex(plus["school"]).to_numpy()],
            "groep_id": np.r_[stam["groep_id"].to_numpy(), plus["groep_id"].to_numpy()],
        }
    )
    return links.sort_values("school", kind="stable").drop(columns="school")


# --- writing -------------------------------------------------------------------------------------

LAYOUTS = ("schools", "board")
FORMATS = ("csv", "edexml")
EDEXML_FOLDER = "edexml"
DIRTY_KINDS = ("invalid-date", "unknown-group", "duplicate-id")


def write_board(
    board: Board,
    out_dir: Path,
    *,
    layout: str = "schools",
    formats: Iterable[str] = FORMATS,
    dirty: float = 0.0,
    seed: int = 2026,
    progress: Callable[[Iterable[str]], Iterable[str]] | None = None,
) -> list[Path]:
    """Write both years of `board` into `out_dir`; return the files written.

    Import files: `out_dir/<schooljaar>/<school>/<tabel>.csv` (layout `schools`: a folder of
    school exports), or `out_dir/<schooljaar>/<tabel>.csv` (`board`: one export of every
    school). EDEXML: `out_dir/edexml/<schooljaar>/<school>/EDEX.XML`. `dirty` is the share of
    pupil rows given a bad value (an impossible date, an unknown group, a doubled number), in
    turn; only in the import files.
    """
    out_dir = Path(out_dir)
    formats = tuple(formats)
    if layout not in LAYOUTS or not set(formats) <= set(FORMATS):
        raise ValueError(f"layout {layout!r} or formats {formats!r} unknown")
    written: list[Path] = []
    for tables in (board.old, board.new):
        year = tables.schooljaar()
        assert year is not None  # a generated board always names its year
        folder = out_dir / str(year)
        if "csv" in formats:
            files = _csv_files(tables, dirty, seed + year.start)
            if layout == "board":
                end = TOPDOSSIER.line_end.encode()
                written += [_write(folder / name, end.join(lines)) for name, lines in files]
            else:
                written += _write_per_school(files, tables, folder, progress)
        if "edexml" in formats:
            written += _write_edexml(tables, out_dir / EDEXML_FOLDER / str(year), progress)
    return written


def _write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def school_runs(brin: pd.Series) -> dict[str, tuple[int, int]]:
    """(start, end) of each school's rows in a table whose rows are grouped by school."""
    values = brin.to_numpy(dtype=object)
    if len(values) == 0:
        return {}
    starts = np.flatnonzero(np.r_[True, values[1:] != values[:-1]])
    ends = np.r_[starts[1:], len(values)]
    return {str(values[s]): (int(s), int(e)) for s, e in zip(starts, ends, strict=True)}


def _csv_files(tables: Tables, dirty: float, seed: int) -> list[tuple[str, list[bytes]]]:
    """Per table its file name and its bytes in three parts: BOM + header, rows, nothing.

    The whole table is written once (`Profile.table_csv`) and cut into lines; the generated
    values hold no line breaks, so one line is one row.
    """
    profile = TOPDOSSIER
    out = []
    for name in tables_to_write(tables):
        data = profile.table_csv(tables[name], name)
        lines = data.split(profile.line_end.encode())
        assert len(lines) == len(tables[name]) + 2  # header, rows, "" after the last line end
        if name == "leerlingen" and dirty > 0:
            _make_dirty(lines, dirty, seed)
        out.append((profile.file_name(name), lines))
    return out


def _make_dirty(lines: list[bytes], share: float, seed: int) -> None:
    """Give `share` of the pupil rows a bad value, the kinds of DIRTY_KINDS in turn."""
    columns = TABLE_COLUMNS["leerlingen"]
    rows = len(lines) - 2
    count = min(rows - 1, round(rows * share))
    if count <= 0:
        return
    chosen = np.sort(np.random.default_rng(seed).choice(np.arange(2, rows + 1), count, False))
    where = {name: columns.index(name) for name in ("geboortedatum", "groep_id", "leerling_id")}
    for k, line_number in enumerate(chosen):
        fields = lines[line_number].split(b";")
        kind = DIRTY_KINDS[k % len(DIRTY_KINDS)]
        if kind == "invalid-date":
            fields[where["geboortedatum"]] = b"31-02-2016"
        elif kind == "unknown-group":
            fields[where["groep_id"]] = b"ONBEKEND-" + str(k).encode()
        else:
            previous = lines[line_number - 1].split(b";")
            fields[where["leerling_id"]] = previous[where["leerling_id"]]
        lines[line_number] = b";".join(fields)


def _row_schools(tables: Tables, name: str) -> pd.Series:
    """The school of each row; generated staff ids start with their school's BRIN (`42KX-M001`)."""
    frame = tables[name]
    return frame["brin"] if "brin" in frame else frame["medewerker_id"].str.slice(0, 4)


def _write_per_school(
    files: list[tuple[str, list[bytes]]],
    tables: Tables,
    folder: Path,
    progress: Callable[[Iterable[str]], Iterable[str]] | None,
) -> list[Path]:
    """One folder per school with its part of every table (rows are grouped by school)."""
    end = TOPDOSSIER.line_end.encode()
    names = tables_to_write(tables)
    runs = {name: school_runs(_row_schools(tables, name)) for name in names}
    written = []
    schools = sorted(runs["groepen"])
    for school in progress(schools) if progress else schools:
        for name, (file_name, lines) in zip(names, files, strict=True):
            start, stop = runs[name].get(school, (0, 0))
            body = end.join([lines[0], *lines[start + 1 : stop + 1], b""])
            written.append(_write(folder / school / file_name, body))
    return written


# The tables being written as EDEXML, for the worker processes (inherited when they fork).
_EDEXML_JOB: dict[str, object] = {}
PARALLEL_FROM_SCHOOLS = 40


def _write_edexml(
    tables: Tables, folder: Path, progress: Callable[[Iterable[str]], Iterable[str]] | None
) -> list[Path]:
    """One EDEXML file per school, made by the EDEXML writer; on every core for many schools."""
    year = tables.schooljaar()
    assert year is not None
    runs = {name: school_runs(_row_schools(tables, name)) for name in TABLE_NAMES}
    schools = sorted(runs["groepen"])
    _EDEXML_JOB.update(tables=tables, runs=runs, folder=folder, moment=sample_moment(year))
    try:
        workers = os.cpu_count() or 1
        if workers < 2 or len(schools) < PARALLEL_FROM_SCHOOLS:
            one_by_one = map(_edexml_school, schools)
            return list(progress(one_by_one) if progress else one_by_one)  # type: ignore[arg-type]
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            done = pool.map(_edexml_school, schools, chunksize=max(1, len(schools) // 64))
            return list(progress(done) if progress else done)  # type: ignore[arg-type]
    finally:
        _EDEXML_JOB.clear()


def _edexml_school(school: str) -> Path:
    tables: Tables = _EDEXML_JOB["tables"]  # type: ignore[assignment]
    runs: dict[str, dict[str, tuple[int, int]]] = _EDEXML_JOB["runs"]  # type: ignore[assignment]
    moment: dt.datetime = _EDEXML_JOB["moment"]  # type: ignore[assignment]
    parts = {}
    for name in TABLE_NAMES:
        start, stop = runs[name].get(school, (0, 0))
        parts[name] = tables[name].iloc[start:stop]
    data = edexml_bytes(
        Tables(**parts),
        aanmaakdatum=moment,
        peildatum=moment.date(),
        auteur="lwtop-toolkit (synthetisch bestuur)",
    )
    folder: Path = _EDEXML_JOB["folder"]  # type: ignore[assignment]
    return _write(folder / school / "EDEX.XML", data)
