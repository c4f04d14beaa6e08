"""Synthetic school boards at scale: N pupils over many schools, both years, vectorised.

`generate_board(N)` spreads N pupils (the old year) over realistic schools: mostly PO schools of
200-700 pupils, some VO schools of 600-1,500, groups of at most 30. The new year follows with
realistic moves: groep 8 and VO exam years leave, most pupils move up, some stay back, skip a
year, leave mid-school or move to another school of the board (same pupil number: left at one
school, new at the other); four-year-olds, brugklassers and newcomers arrive. The people
(names, births, staff) come from `board_people`; `board_files.write_board` writes the board.
Only a seeded numpy Generator: the same seed, the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from lwtop_toolkit.model import SAMENGESTELDE_GROEP, STAMGROEP, SchoolYear, Tables
from lwtop_toolkit.samples.board_people import generate_people, generate_staff

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
    people = generate_people(rng, old, new, old_year)
    staff = generate_staff(rng, brins, old_groups, new_groups)
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
