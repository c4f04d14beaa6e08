"""Deterministic synthetic VO and SO schools in two years, and every LAS's export of a school.

`generate_vo_school` is a secondary school (classes `1A`, `2HV1`, `H4a`, leerjaar 1-6 as jaargroep
11-16, opleiding vmbo-tl/havo/vwo); `generate_so_school` a special school (jaargroep `S`, groups
`Dolfijnen`, `Uilen`). Both have the shape of `sampledata.generate_school()` (a SampleSchool of
old, new and truth). `write_las_samples` writes a school as a LAS exports it, both years, under
`<out>/<schooljaar>/` (or `<out>/<las>/<schooljaar>/` for all of them).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from lwtop_toolkit.findings import ToolkitError
from lwtop_toolkit.las.roles import map_roles
from lwtop_toolkit.model import STAMGROEP, SchoolYear, Tables
from lwtop_toolkit.samples.exports import EXPORTS
from lwtop_toolkit.samples.school import (
    BOYS,
    DEFAULT_OLD_YEAR,
    GIRLS,
    NEUTRAL,
    SURNAMES,
    TRUTH_COLUMNS,
    X_SHARE,
    SampleSchool,
    birth_window,
    generate_school,
    group_id,
)

# --- the VO school (all names and numbers invented) -------------------------------------------
VO_BRIN = "99VO"
FINAL_LEERJAAR: dict[str, int] = {"vmbo-tl": 4, "havo": 5, "vwo": 6}
# class -> (leerjaar, the opleidingen it takes); brugklassen mix havo and vwo
OLD_CLASSES: dict[str, tuple[int, tuple[str, ...]]] = {
    "1A": (1, ("vmbo-tl",)), "1B": (1, ("havo", "vwo")), "1C": (1, ("havo", "vwo")),
    "2T1": (2, ("vmbo-tl",)), "2HV1": (2, ("havo", "vwo")), "2HV2": (2, ("havo", "vwo")),
    "3T": (3, ("vmbo-tl",)), "3HB": (3, ("havo",)), "V3a": (3, ("vwo",)),
    "4T": (4, ("vmbo-tl",)), "H4a": (4, ("havo",)), "H4b": (4, ("havo",)), "V4a": (4, ("vwo",)),
    "H5a": (5, ("havo",)), "V5a": (5, ("vwo",)), "V6a": (6, ("vwo",)),
}  # fmt: skip
# The new year: H4b is merged into H4a, a fourth brugklas opens.
NEW_CLASSES = {
    **{name: held for name, held in OLD_CLASSES.items() if name != "H4b"},
    "1D": (1, ("havo", "vwo")),
}
OLD_VO_PUPILS: dict[tuple[int, str], int] = {
    (1, "vmbo-tl"): 16, (1, "havo"): 18, (1, "vwo"): 14, (2, "vmbo-tl"): 15, (2, "havo"): 16,
    (2, "vwo"): 15, (3, "vmbo-tl"): 14, (3, "havo"): 17, (3, "vwo"): 15, (4, "vmbo-tl"): 15,
    (4, "havo"): 30, (4, "vwo"): 14, (5, "havo"): 20, (5, "vwo"): 13, (6, "vwo"): 12,
}  # fmt: skip
VO_INTAKE: dict[str, int] = {"vmbo-tl": 17, "havo": 24, "vwo": 19}
VO_NEWCOMERS: tuple[tuple[int, str], ...] = ((2, "havo"), (3, "vmbo-tl"), (4, "havo"))
VO_LEAVERS: tuple[tuple[int, str], ...] = ((1, "havo"), (2, "vmbo-tl"), (3, "vwo"))
VO_RETAINED: tuple[tuple[int, str], ...] = ((3, "havo"), (4, "havo"), (5, "vwo"))
VO_DOWN: tuple[int, str, str] = (3, "vwo", "havo")  # one pupil moves on to havo 4
# (function in the LAS, how many); the first docent leaves after the old year, one joins
VO_STAFF: tuple[tuple[str, int], ...] = (
    ("Docent", 14), ("Teamleider", 1), ("Zorgcoördinator", 1), ("Decaan", 1),
    ("Conciërge", 1), ("Administratie", 1),
)  # fmt: skip
SECOND_MENTOR_CLASSES = ("1A", "2T1", "H4a")

# --- the SO school ------------------------------------------------------------------------------
SO_BRIN = "99SO"
SO_JAARGROEP = "S"
# group -> the ages (at 1 October) it takes
OLD_SO_GROUPS: dict[str, tuple[int, ...]] = {
    "Egels": (4, 5), "Dolfijnen": (6, 7), "Uilen": (8, 9), "Vossen": (10, 11), "Zeehonden": (12,),
}  # fmt: skip
NEW_SO_GROUPS: dict[str, tuple[int, ...]] = {
    "Egels": (4, 5), "Dolfijnen": (6, 7), "Uilen": (8, 9), "Vossen": (10, 11), "Otters": (12,),
}  # fmt: skip
SO_PUPILS_PER_AGE = 8
SO_LEAVING_AGE = 13  # pupils who would be 13 leave for VSO or VO: `graduated`
SO_LEAVERS = 3
SO_INTAKE = 7
SO_STAFF: tuple[tuple[str, str], ...] = (
    ("LRK", "Egels"), ("LRK", "Dolfijnen"), ("LRK", "Uilen"), ("LRK", "Vossen"),
    ("LRK", "Zeehonden"), ("LRK", "Otters"), ("IB", ""), ("DIR", ""), ("OWA", ""),
)  # fmt: skip

# Which school each LAS's sample is written from (default: the PO school of sampledata.py).
SAMPLE_SCHOOLS: dict[str, str] = {
    "magister": "vo",
    "somtoday": "vo",
    "eduarte": "vo",
    "esis-sbo-so-vso": "so",
}
ALL = "alle"


def _cp1252(names: tuple, pick: Callable = lambda name: name) -> tuple:
    """The names a Windows-1252 export (Magister) can hold: the VO school is written as one."""

    def fits(name: object) -> bool:
        try:
            str(pick(name)).encode("cp1252")
        except UnicodeEncodeError:
            return False
        return True

    return tuple(name for name in names if fits(name))


VO_SURNAMES = _cp1252(SURNAMES, lambda pair: " ".join(pair))
FIRST_NAMES = {"M": _cp1252(BOYS), "V": _cp1252(GIRLS), "X": NEUTRAL}


class _People:
    """Unique pupils and staff drawn from the shared name lists with one seeded generator."""

    def __init__(self, rng: random.Random, first_id: int, seed: int = 0) -> None:
        self.rng, self.next_id, self.seed = rng, first_id, seed
        self.seen: set[tuple] = set()

    def person(self, born: tuple[dt.date, dt.date]) -> dict:
        while True:
            geslacht = "X" if self.rng.random() < X_SHARE else self.rng.choice("MV")
            roepnaam = self.rng.choice(FIRST_NAMES[geslacht])
            tussenvoegsel, achternaam = self.rng.choice(VO_SURNAMES)
            first, last = born
            day = first + dt.timedelta(days=self.rng.randrange((last - first).days + 1))
            if (achternaam, tussenvoegsel, roepnaam, day) not in self.seen:
                self.seen.add((achternaam, tussenvoegsel, roepnaam, day))
                break
        self.next_id += self.rng.randrange(1, 40)
        number = f"{self.next_id:06d}"
        return {
            "leerling_id": number, "achternaam": achternaam,
            "tussenvoegsel": tussenvoegsel, "roepnaam": roepnaam,
            "voorletters": "".join(part[0] + "." for part in roepnaam.split("-")),
            "geboortedatum": pd.Timestamp(day), "geslacht": geslacht,
            "eckid": "eck-" + hashlib.sha256(f"{self.seed}:{number}".encode()).hexdigest(),
        }  # fmt: skip


def _place(rng: random.Random, pupils: dict[str, tuple], classes: dict) -> dict[str, str]:
    """Each pupil (id -> (leerjaar, opleiding)) into the emptiest class that takes them."""
    sizes = dict.fromkeys(classes, 0)
    place = {}
    order = sorted(pupils)
    rng.shuffle(order)
    for pupil_id in order:
        leerjaar, opleiding = pupils[pupil_id]
        names = [n for n, (j, held) in classes.items() if j == leerjaar and opleiding in held]
        name = min(names, key=lambda n: (sizes[n], n))
        sizes[name] += 1
        place[pupil_id] = name
    return place


def _staff(rng: random.Random, people: _People, functions: list[str], prefix: str) -> list[dict]:
    rows = []
    for index, function in enumerate(functions):
        person = people.person((dt.date(1960, 1, 1), dt.date(1998, 12, 31)))
        name = f"{person['roepnaam']}.{person['tussenvoegsel']}{person['achternaam']}"
        rows.append({
            "medewerker_id": f"{prefix}{index + 1:03d}", "achternaam": person["achternaam"],
            "tussenvoegsel": person["tussenvoegsel"], "roepnaam": person["roepnaam"],
            "email": _ascii(name).lower() + "@example.org", "las_rol": function,
        })  # fmt: skip
    return rows


def _ascii(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    plain = plain.replace(" ", "").replace("'", "")
    return plain or "medewerker"


def _tables(
    year: SchoolYear,
    brin: str,
    groups: list[dict],
    pupils: list[dict],
    staff: list[dict],
    links: list[tuple[str, str]],
) -> Tables:
    common = {"schooljaar": str(year), "brin": brin, "vestiging": ""}
    groepen = pd.DataFrame([{**group, "soort": STAMGROEP, **common} for group in groups])
    order = {group["groep_id"]: index for index, group in enumerate(groups)}
    leerlingen = pd.DataFrame(pupils).assign(brin=brin)
    leerlingen = leerlingen.sort_values(
        ["groep_id", "achternaam", "roepnaam", "leerling_id"],
        key=lambda column: column.map(order) if column.name == "groep_id" else column,
    )
    medewerkers = pd.DataFrame(staff)
    medewerkers["rol"] = map_roles(medewerkers["las_rol"])
    return Tables.from_frames(
        groepen=groepen,
        leerlingen=leerlingen,
        medewerkers=medewerkers,
        medewerker_groepen=pd.DataFrame(links, columns=["medewerker_id", "groep_id"]),
    )


def generate_vo_school(seed: int = 2026, old_year: SchoolYear = DEFAULT_OLD_YEAR) -> SampleSchool:
    """A synthetic secondary school (BRIN 99VO) in `old_year` and the year after it.

    Groups are named and keyed by their class name (`2HV1`), as VO LAS exports carry them.
    """
    rng, new_year = random.Random(seed), old_year.next()
    people = _People(rng, 1_200, seed)
    facts: dict[str, dict] = {}
    old: dict[str, tuple[int, str]] = {}
    for (leerjaar, opleiding), count in sorted(OLD_VO_PUPILS.items(), reverse=True):
        for _ in range(count):
            pupil = people.person(birth_window(old_year, leerjaar + 8))
            facts[pupil["leerling_id"]], old[pupil["leerling_id"]] = pupil, (leerjaar, opleiding)
    status = {p: ("left", "graduated") for p, (j, o) in old.items() if j == FINAL_LEERJAAR[o]}

    def pick(leerjaar: int, opleiding: str) -> str:
        pool = sorted(p for p, k in old.items() if k == (leerjaar, opleiding) and p not in status)
        return rng.choice(pool)

    status.update({pick(*key): ("left", "other") for key in VO_LEAVERS})
    status.update({pick(*key): ("retained", "") for key in VO_RETAINED})
    down = pick(*VO_DOWN[:2])
    status[down] = ("promoted", "")
    new: dict[str, tuple[int, str]] = {}
    for pupil_id, (leerjaar, opleiding) in old.items():
        kind = status.setdefault(pupil_id, ("promoted", ""))[0]
        if kind != "left":
            step = 1 if kind == "promoted" else 0
            new[pupil_id] = (leerjaar + step, VO_DOWN[2] if pupil_id == down else opleiding)
    arrivals = [(1, o) for o, n in VO_INTAKE.items() for _ in range(n)] + list(VO_NEWCOMERS)
    for leerjaar, opleiding in arrivals:
        pupil = people.person(birth_window(new_year, leerjaar + 8))
        facts[pupil["leerling_id"]], new[pupil["leerling_id"]] = pupil, (leerjaar, opleiding)
        status[pupil["leerling_id"]] = ("new", "")
    functions = [f for f, n in VO_STAFF for _ in range(n)] + ["Docent"]
    staff = _staff(rng, _People(rng, 0), functions, "1")
    old_staff, new_staff = staff[:-1], staff[1:]
    docents = [s["medewerker_id"] for s in old_staff if s["las_rol"] == "Docent"]
    old_place, new_place = _place(rng, old, OLD_CLASSES), _place(rng, new, NEW_CLASSES)
    links = [(docents[i % len(docents)], name) for i, name in enumerate(OLD_CLASSES)]
    links += [(docents[-1 - i], name) for i, name in enumerate(SECOND_MENTOR_CLASSES)]
    tables = []
    for year, where, placed, classes, members, year_links in (
        (old_year, old, old_place, OLD_CLASSES, old_staff, links),
        (new_year, new, new_place, NEW_CLASSES, new_staff, []),
    ):
        groups = [{"groep_id": n, "groepsnaam": n, "jaargroep": str(10 + j)}
                  for n, (j, _) in classes.items()]  # fmt: skip
        pupils = [{**facts[p], "jaargroep": str(10 + where[p][0]), "groep_id": placed[p],
                   "opleiding": where[p][1]} for p in where]  # fmt: skip
        tables.append(_tables(year, VO_BRIN, groups, pupils, members, year_links))
    truth = _truth(facts, {p: (old_place[p], 10 + j) for p, (j, _) in old.items()},
                   {p: (new_place[p], 10 + j) for p, (j, _) in new.items()}, status)  # fmt: skip
    return SampleSchool(old=tables[0], new=tables[1], truth=truth)


def generate_so_school(seed: int = 2026, old_year: SchoolYear = DEFAULT_OLD_YEAR) -> SampleSchool:
    """A synthetic school for special education (SO, BRIN 99SO): jaargroep `S`, named groups."""
    rng, new_year = random.Random(seed), old_year.next()
    people = _People(rng, 40_000, seed)
    facts: dict[str, dict] = {}
    age: dict[str, int] = {}
    for years in range(4, 13):
        for _ in range(SO_PUPILS_PER_AGE):
            pupil = people.person(birth_window(old_year, years - 3))
            facts[pupil["leerling_id"]], age[pupil["leerling_id"]] = pupil, years
    status = {p: ("left", "graduated") for p, a in age.items() if a + 1 >= SO_LEAVING_AGE}
    staying = sorted(p for p in age if p not in status)
    status.update({p: ("left", "other") for p in rng.sample(staying, SO_LEAVERS)})
    new_age = {p: a + 1 for p, a in age.items() if p not in status}
    status.update(dict.fromkeys(new_age, ("continuing", "")))
    for years in [4] * SO_INTAKE + [7, 9, 11]:
        pupil = people.person(birth_window(new_year, years - 3))
        facts[pupil["leerling_id"]], new_age[pupil["leerling_id"]] = pupil, years
        status[pupil["leerling_id"]] = ("new", "")
    staff = _staff(rng, _People(rng, 0), [role for role, _ in SO_STAFF], "M")
    tables, places = [], []
    plan = ((old_year, age, OLD_SO_GROUPS, True), (new_year, new_age, NEW_SO_GROUPS, False))
    for year, ages, groups, linked in plan:
        by_age = {a: name for name, held in groups.items() for a in held}
        place = {p: group_id(year, by_age[a]) for p, a in ages.items()}
        members = [s for s, (_, g) in zip(staff, SO_STAFF, strict=True) if not g or g in groups]
        links = [(s["medewerker_id"], group_id(year, g))
                 for s, (_, g) in zip(staff, SO_STAFF, strict=True) if g in groups]  # fmt: skip
        rows = [{"groep_id": group_id(year, n), "groepsnaam": n, "jaargroep": SO_JAARGROEP}
                for n in groups]  # fmt: skip
        pupils = [{**facts[p], "jaargroep": SO_JAARGROEP, "groep_id": place[p]} for p in ages]
        tables.append(_tables(year, SO_BRIN, rows, pupils, members, links if linked else []))
        places.append({p: (g, SO_JAARGROEP) for p, g in place.items()})
    return SampleSchool(
        old=tables[0], new=tables[1], truth=_truth(facts, places[0], places[1], status)
    )


def _truth(facts: dict, old: dict, new: dict, status: dict) -> pd.DataFrame:
    """One row per pupil of either year: where they were, where they went, and why."""
    rows = []
    for pupil_id in sorted(facts):
        old_group, old_jaargroep = old.get(pupil_id, ("", ""))
        new_group, new_jaargroep = new.get(pupil_id, ("", ""))
        rows.append((pupil_id, old_group, str(old_jaargroep), new_group, str(new_jaargroep),
                     *status[pupil_id]))  # fmt: skip
    return pd.DataFrame(rows, columns=list(TRUTH_COLUMNS), dtype="str")


SCHOOLS: dict[str, Callable[..., SampleSchool]] = {
    "po": generate_school,
    "vo": generate_vo_school,
    "so": generate_so_school,
}


def sample_school(las: str, seed: int = 2026) -> SampleSchool:
    """The synthetic school whose exports stand for LAS `las`."""
    return SCHOOLS[SAMPLE_SCHOOLS.get(las, "po")](seed)


def write_las_samples(out_dir: Path, las: str = ALL, *, seed: int = 2026) -> list[Path]:
    """Write both years of a synthetic school as LAS `las` exports them, under `out_dir/<year>/`.

    `las="alle"` writes every LAS of the export registry, each under `out_dir/<las>/<year>/`.
    """
    if las != ALL and las not in EXPORTS:
        known = ", ".join([*EXPORTS, ALL])
        raise ToolkitError(
            "unknown-format", reason=f"LAS '{las}' heeft geen voorbeeld; kies {known}"
        )
    codes = list(EXPORTS) if las == ALL else [las]
    paths: list[Path] = []
    for code in codes:
        school = sample_school(code, seed)
        base = Path(out_dir) / code if las == ALL else Path(out_dir)
        for tables in (school.old, school.new):
            paths += EXPORTS[code](tables, base / str(tables.schooljaar()))
    return paths
