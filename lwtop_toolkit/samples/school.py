"""Deterministic synthetic data: a Dutch primary school (PO) in two consecutive school years.

`generate_school` builds the four tables of both years plus the truth about every pupil's
transition; `write_sample` writes both years as import files. Only a seeded `random.Random` is
used (no global random state, no clock): the same seed always gives the same school.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from lwtop_toolkit.model import SAMENGESTELDE_GROEP, STAMGROEP, SchoolYear, Tables, join_ids
from lwtop_toolkit.writers.importfiles import write_import_files

# --- The school's structure (all names and numbers are invented) ------------------------------
BRIN = "99ZZ"  # the official test BRIN
VESTIGING = "00"
DEFAULT_OLD_YEAR = SchoolYear(2025)
# Stamgroepen per year: name -> the jaargroepen it holds (two: a combination group, jaargroep "").
OLD_GROUPS: dict[str, tuple[int, ...]] = {
    "1/2A": (1, 2), "1/2B": (1, 2), "3": (3,), "4A": (4,), "4B": (4,), "5": (5,), "6": (6,),
    "7A": (7,), "7B": (7,), "8": (8,),
}  # fmt: skip
NEW_GROUPS: dict[str, tuple[int, ...]] = {
    "1/2A": (1, 2), "1/2B": (1, 2), "3": (3,), "4": (4,), "5A": (5,), "5B": (5,), "6A": (6,),
    "6B": (6,), "7": (7,), "8A": (8,), "8B": (8,),
}  # fmt: skip
# Promoted pupils of these old groups stay together; everyone else is spread over the new groups
# of their jaargroep, so old `5` is split into `6A`/`6B` and the 1/2 groups are reshuffled.
CONTINUES: dict[str, str] = {"4A": "5A", "4B": "5B", "7A": "8A", "7B": "8B"}
OLD_PUPILS_PER_JAARGROEP: dict[int, int] = {1: 21, 2: 27, 3: 27, 4: 44, 5: 30, 6: 27, 7: 46, 8: 26}
FINAL_JAARGROEP = 8
INTAKE = 24  # new four-year-olds in jaargroep 1 of the new year
NEWCOMER_JAARGROEPEN: tuple[int, ...] = (3, 4, 5, 6, 6, 7)  # pupils arriving mid-school
LEAVER_JAARGROEPEN: tuple[int, ...] = (1, 3, 4, 6, 7)  # old-year pupils leaving mid-school
RETAINED_JAARGROEPEN: tuple[int, ...] = (2, 3, 4)  # one pupil of each stays in its jaargroep
ACCELERATED_JAARGROEP = 4  # one pupil of this jaargroep skips one
PLUSKLAS = "Plusklas"  # the samengestelde groep, for pupils of jaargroep 5 to 8
PLUSKLAS_SIZE = 6
PUPIL_ID_RANGE = range(1_000, 160_000)  # written zero-padded to 6 digits: `004512`

# --- Names: Dutch and diverse; (tussenvoegsel, significant achternaam) as NEN 1888 wants --------
SURNAMES: tuple[tuple[str, str], ...] = (
    ("", "Jansen"), ("", "Bakker"), ("", "Visser"), ("", "Yılmaz"), ("el", "Amrani"),
    ("", "Kaya"), ("", "Nguyen"), ("", "Çelik"), ("de", "Boer"), ("van den", "Berg"),
    ("van 't", "Hoek"), ("van", "Dijk"), ("de", "Vries"), ("van der", "Meer"), ("'t", "Hart"),
    ("ter", "Horst"), ("de", "Jong"), ("van", "Leeuwen"), ("", "Mulder"), ("", "Smit"),
    ("", "Meijer"), ("", "Bos"), ("", "Vos"), ("", "Peters"), ("", "Hendriks"), ("", "Dekker"),
    ("", "Brouwer"), ("", "Kuipers"), ("", "Öztürk"), ("", "Şahin"), ("", "Boukhari"),
    ("el", "Idrissi"), ("", "Tran"), ("", "Kowalski"), ("", "Pinas"), ("", "Martina"),
    ("", "D'Souza"), ("", "Jansen-Kaya"), ("van der", "Linden"), ("van den", "Heuvel"),
    ("de", "Graaf"), ("", "Mahabier"), ("van", "Vliet"), ("de", "Haan"), ("", "Wijaya"),
)  # fmt: skip
BOYS: tuple[str, ...] = (
    "Sem", "Noah", "Liam", "Daan", "Luuk", "Mohammed", "Noël", "François", "Daniël", "Finn",
    "Levi", "Bram", "Milan", "Jesse", "Thijs", "Adam", "Yusuf", "Emir", "Ömer", "Jan-Pieter",
    "Teun", "Siem", "Mees", "Ravi", "Bilal", "Duc", "Mateusz", "Joël", "Stijn", "Ilias",
)  # fmt: skip
GIRLS: tuple[str, ...] = (
    "Zoë", "Ayşe", "Fleur", "Eliza", "Chloë", "Emma", "Julia", "Mila", "Tess", "Sophie", "Nora",
    "Lieke", "Saar", "Yara", "Sara", "Noor", "Fatima", "Aylin", "Elif", "Iris", "Anna-Sophie",
    "Maud", "Hiba", "Linh", "Amélie", "Renée", "Zeynep", "Lotte", "Naomi", "Ivy",
)  # fmt: skip
NEUTRAL: tuple[str, ...] = ("Robin", "Sasha", "Kim", "Noa", "Charlie")
X_SHARE = 0.01  # share of pupils with geslacht `X`

# --- Staff: (roepnaam, tussenvoegsel, achternaam, LAS role). The last one joins in the new year --
STAFF: tuple[tuple[str, str, str, str], ...] = (
    ("Marieke", "", "Smit", "LRK"), ("Joost", "van", "Dam", "LRK"),
    ("Annemiek", "de", "Wit", "LRK"), ("Hatice", "", "Demir", "LRK"), ("Bas", "", "Kramer", "LRK"),
    ("Sanne", "van der", "Veen", "LRK"), ("Youssef", "el", "Khatib", "LRK"),
    ("Ingrid", "", "Post", "LRK"), ("Thijs", "", "Willems", "LRK"), ("Linh", "", "Pham", "LRK"),
    ("Esther", "", "Koster", "LRK"), ("Ruud", "ter", "Haar", "LRK"), ("Nadia", "", "Bouzid", "LRK"),
    ("Jeroen", "", "Verbeek", "LRK"), ("Renée", "", "Lambert", "LRK"),
    ("Karin", "van 't", "Zand", "IB"), ("Erik", "", "Hoekstra", "IB"),
    ("Saskia", "", "Groen", "DIR"), ("Willem", "de", "Ruiter", "ADM"),
    ("Fatma", "", "Aydın", "OWA"), ("Mirjam", "", "Schouten", "LRK"),
)  # fmt: skip
# LAS role -> product role: `TOP leerkracht`, `TOP leerkracht +` or none (""); only those with a
# product role are linked to groups. This school gives its directie no role in TOP dossier.
ROLES: dict[str, str] = {
    "LRK": "TOP leerkracht", "IB": "TOP leerkracht +", "DIR": "", "ADM": "", "OWA": "",
}  # fmt: skip
_ASCII = str.maketrans({"ı": "i", "ø": "o", "ß": "ss", "æ": "ae", "ł": "l"})

STATUSES: tuple[str, ...] = ("promoted", "retained", "accelerated", "new", "left")
TRUTH_COLUMNS: tuple[str, ...] = (
    "leerling_id", "groep_oud", "jaargroep_oud", "groep_nieuw", "jaargroep_nieuw", "status",
    "left_reason",
)  # fmt: skip


@dataclass(frozen=True, eq=False)
class SampleSchool:
    """A synthetic school: the tables of two consecutive years and what happened to each pupil."""

    old: Tables
    new: Tables
    truth: pd.DataFrame


@dataclass
class _Pupil:
    leerling_id: str
    achternaam: str
    tussenvoegsel: str
    roepnaam: str
    geslacht: str
    geboortedatum: dt.date
    eckid: str

    def sort_key(self) -> tuple[str, str, str, str]:
        return (self.achternaam, self.tussenvoegsel, self.roepnaam, self.leerling_id)


# A pupil's place in one year: (jaargroep, group name).
_Placement = dict[str, tuple[int, str]]


def group_id(year: SchoolYear, name: str) -> str:
    """A LAS-like group key, unique across years: `1/2A` in 2025-2026 is `G2025-12A`."""
    return f"G{year.start}-{name.replace('/', '')}"


def birth_window(year: SchoolYear, jaargroep: int) -> tuple[dt.date, dt.date]:
    """Birth dates of a pupil in `jaargroep` in `year`: aged jaargroep + 3 at 1 October."""
    return dt.date(year.start - jaargroep - 4, 10, 1), dt.date(year.start - jaargroep - 3, 9, 30)


def generate_school(seed: int = 2026, old_year: SchoolYear = DEFAULT_OLD_YEAR) -> SampleSchool:
    """A synthetic primary school (BRIN 99ZZ) in `old_year` and the year after it."""
    rng = random.Random(seed)
    new_year = old_year.next()
    count = sum(OLD_PUPILS_PER_JAARGROEP.values()) + INTAKE + len(NEWCOMER_JAARGROEPEN)
    ids = sorted(rng.sample(PUPIL_ID_RANGE, count))
    id_iter = iter(f"{number:06d}" for number in ids)  # older pupils have lower numbers
    pupils: dict[str, _Pupil] = {}
    seen: set[tuple[str, str, str, dt.date]] = set()

    def add_pupil(year: SchoolYear, jaargroep: int) -> str:
        pupil = _make_pupil(rng, next(id_iter), year, jaargroep, seed, seen)
        pupils[pupil.leerling_id] = pupil
        return pupil.leerling_id

    # The old year: pupils per jaargroep, dealt round-robin over the groups holding it.
    old_place: _Placement = {}
    for jaargroep in sorted(OLD_PUPILS_PER_JAARGROEP, reverse=True):
        names = [name for name, held in OLD_GROUPS.items() if jaargroep in held]
        for index in range(OLD_PUPILS_PER_JAARGROEP[jaargroep]):
            old_place[add_pupil(old_year, jaargroep)] = (jaargroep, names[index % len(names)])

    jaargroepen = range(1, FINAL_JAARGROEP + 1)
    # The transition: who leaves, stays behind or skips a year; everyone else moves up.
    by_jaargroep = {
        j: sorted(p for p, (jg, _) in old_place.items() if jg == j) for j in jaargroepen
    }
    picked: set[str] = set()

    def pick(jaargroep: int) -> str:
        chosen = rng.choice([p for p in by_jaargroep[jaargroep] if p not in picked])
        picked.add(chosen)
        return chosen

    status: dict[str, tuple[str, str]] = {
        p: ("left", "graduated") for p in by_jaargroep[FINAL_JAARGROEP]
    }
    status.update({pick(j): ("left", "other") for j in LEAVER_JAARGROEPEN})
    status.update({pick(j): ("retained", "") for j in RETAINED_JAARGROEPEN})
    status[pick(ACCELERATED_JAARGROEP)] = ("accelerated", "")
    step = {"promoted": 1, "retained": 0, "accelerated": 2}
    moving: dict[str, int] = {}
    for pupil_id, (jaargroep, _) in old_place.items():
        kind = status.setdefault(pupil_id, ("promoted", ""))[0]
        if kind != "left":
            moving[pupil_id] = jaargroep + step[kind]
    for jaargroep in [1] * INTAKE + list(NEWCOMER_JAARGROEPEN):
        pupil_id = add_pupil(new_year, jaargroep)
        moving[pupil_id] = jaargroep
        status[pupil_id] = ("new", "")
    new_place = _place_new_year(rng, moving, old_place, status)

    old_plus = sorted(rng.sample([p for p, (j, _) in old_place.items() if j >= 5], PLUSKLAS_SIZE))
    staying = [p for p in old_plus if p in new_place]
    candidates = sorted(p for p, (j, _) in new_place.items() if j >= 6 and p not in staying)
    new_plus = sorted(staying + rng.sample(candidates, PLUSKLAS_SIZE - len(staying)))

    leaving_teacher = rng.choice([i for i, s in enumerate(STAFF[:-1]) if s[3] == "LRK"])
    old_staff = list(range(len(STAFF) - 1))
    new_staff = [i for i in range(len(STAFF)) if i != leaving_teacher]
    links = _staff_links(rng, old_year, old_staff)
    old = _tables(old_year, OLD_GROUPS, pupils, old_place, old_plus, old_staff, links)
    # The new year has no staff-group links yet: making them is step 2 of the transition.
    new = _tables(new_year, NEW_GROUPS, pupils, new_place, new_plus, new_staff, [])
    truth = _truth(old_year, new_year, pupils, old_place, new_place, status)
    return SampleSchool(old=old, new=new, truth=truth)


def write_sample(out_dir: Path, *, seed: int = 2026) -> list[Path]:
    """Generate the school and write both years as CSV import files to `out_dir/<schooljaar>/`."""
    school = generate_school(seed)
    paths: list[Path] = []
    for tables in (school.old, school.new):
        year = tables.schooljaar()
        paths += write_import_files(tables, Path(out_dir) / str(year))
    return paths


def _make_pupil(
    rng: random.Random,
    leerling_id: str,
    year: SchoolYear,
    jaargroep: int,
    seed: int,
    seen: set[tuple[str, str, str, dt.date]],
) -> _Pupil:
    """A new pupil of `jaargroep` in `year`, whose name and birth date no other pupil shares."""
    first, last = birth_window(year, jaargroep)
    while True:
        geslacht = "X" if rng.random() < X_SHARE else rng.choice("MV")
        roepnaam = rng.choice({"M": BOYS, "V": GIRLS, "X": NEUTRAL}[geslacht])
        tussenvoegsel, achternaam = rng.choice(SURNAMES)
        born = first + dt.timedelta(days=rng.randrange((last - first).days + 1))
        key = (achternaam, tussenvoegsel, roepnaam, born)
        if key not in seen:
            seen.add(key)
            break
    eckid = "eck-" + hashlib.sha256(f"{seed}:{leerling_id}".encode()).hexdigest()
    return _Pupil(leerling_id, achternaam, tussenvoegsel, roepnaam, geslacht, born, eckid)


def _place_new_year(
    rng: random.Random,
    moving: dict[str, int],
    old_place: _Placement,
    status: dict[str, tuple[str, str]],
) -> _Placement:
    """Put every pupil of the new year into a stamgroep of their jaargroep.

    Promoted pupils of a continuing group go to its successor; the others, in random order, to
    the group with the fewest pupils of their jaargroep (then the fewest pupils).
    """
    place: _Placement = {}
    sizes = dict.fromkeys(NEW_GROUPS, 0)
    per_jaargroep: dict[tuple[str, int], int] = {}

    def put(pupil_id: str, name: str) -> None:
        jaargroep = moving[pupil_id]
        place[pupil_id] = (jaargroep, name)
        sizes[name] += 1
        per_jaargroep[name, jaargroep] = per_jaargroep.get((name, jaargroep), 0) + 1

    rest = []
    for pupil_id in sorted(moving):
        old_group = old_place[pupil_id][1] if pupil_id in old_place else ""
        if status[pupil_id][0] == "promoted" and old_group in CONTINUES:
            put(pupil_id, CONTINUES[old_group])
        else:
            rest.append(pupil_id)
    rng.shuffle(rest)
    for pupil_id in rest:
        jaargroep = moving[pupil_id]
        names = [name for name, held in NEW_GROUPS.items() if jaargroep in held]
        put(pupil_id, min(names, key=lambda n: (per_jaargroep.get((n, jaargroep), 0), sizes[n])))
    return place


def _tables(
    year: SchoolYear,
    groups: dict[str, tuple[int, ...]],
    pupils: dict[str, _Pupil],
    place: _Placement,
    plusklas: list[str],
    staff: list[int],
    links: list[tuple[str, str]],
) -> Tables:
    """The tables of one year."""
    plus_id = group_id(year, PLUSKLAS)
    common = {"schooljaar": str(year), "brin": BRIN, "vestiging": VESTIGING}
    groepen = [
        {"groep_id": group_id(year, name), "groepsnaam": name, "soort": STAMGROEP, **common,
         "jaargroep": str(held[0]) if len(held) == 1 else ""}
        for name, held in groups.items()
    ]  # fmt: skip
    groepen.append(
        {"groep_id": plus_id, "groepsnaam": PLUSKLAS, "soort": SAMENGESTELDE_GROEP, **common}
    )
    order = {name: index for index, name in enumerate(groups)}
    rows = []
    for pupil_id in sorted(place, key=lambda i: (order[place[i][1]], pupils[i].sort_key())):
        p, (jaargroep, name) = pupils[pupil_id], place[pupil_id]
        rows.append({
            "leerling_id": p.leerling_id, "achternaam": p.achternaam,
            "tussenvoegsel": p.tussenvoegsel, "roepnaam": p.roepnaam,
            "voorletters": "".join(part[0].upper() + "." for part in p.roepnaam.split("-")),
            "geboortedatum": pd.Timestamp(p.geboortedatum), "geslacht": p.geslacht,
            "jaargroep": str(jaargroep), "groep_id": group_id(year, name),
            "samengestelde_groepen": join_ids([plus_id]) if pupil_id in plusklas else "",
            "opleiding": "", "brin": BRIN, "vestiging": VESTIGING, "eckid": p.eckid,
        })  # fmt: skip
    medewerkers = [
        {"medewerker_id": _staff_id(i), "roepnaam": STAFF[i][0], "tussenvoegsel": STAFF[i][1],
         "achternaam": STAFF[i][2], "email": _email(STAFF[i]), "rol": ROLES[STAFF[i][3]],
         "las_rol": STAFF[i][3]}
        for i in staff
    ]  # fmt: skip
    return Tables.from_frames(
        groepen=pd.DataFrame(groepen),
        leerlingen=pd.DataFrame(rows),
        medewerkers=pd.DataFrame(medewerkers),
        medewerker_groepen=pd.DataFrame(links, columns=["medewerker_id", "groep_id"]),
    )


def _staff_links(rng: random.Random, year: SchoolYear, staff: list[int]) -> list[tuple[str, str]]:
    """Old-year links: every stamgroep 1 or 2 teachers; one IB'er also runs the Plusklas."""
    teachers = [i for i in staff if STAFF[i][3] == "LRK"]
    ib = [i for i in staff if STAFF[i][3] == "IB"]
    rng.shuffle(teachers)
    names = list(OLD_GROUPS)
    links = [(teachers[k], names[k]) for k in range(len(names))]  # one teacher per group
    duo = rng.sample(names, len(teachers) - len(names) + len(ib) - 1)
    seconds = teachers[len(names) :] + ib[1:]
    links += list(zip(seconds, duo, strict=True))
    links.append((ib[0], PLUSKLAS))
    order = {name: index for index, name in enumerate([*names, PLUSKLAS])}
    links.sort(key=lambda link: (order[link[1]], link[0]))
    return [(_staff_id(i), group_id(year, name)) for i, name in links]


def _truth(
    old_year: SchoolYear,
    new_year: SchoolYear,
    pupils: dict[str, _Pupil],
    old_place: _Placement,
    new_place: _Placement,
    status: dict[str, tuple[str, str]],
) -> pd.DataFrame:
    """One row per pupil of either year: where they were, where they went, and why."""
    rows = []
    for pupil_id in sorted(pupils):
        old_j, old_g = old_place.get(pupil_id, (0, ""))
        new_j, new_g = new_place.get(pupil_id, (0, ""))
        rows.append((
            pupil_id, group_id(old_year, old_g) if old_g else "", str(old_j or ""),
            group_id(new_year, new_g) if new_g else "", str(new_j or ""), *status[pupil_id],
        ))  # fmt: skip
    return pd.DataFrame(rows, columns=list(TRUTH_COLUMNS), dtype="str")


def _staff_id(index: int) -> str:
    return f"M{index + 1:03d}"


def _email(person: tuple[str, str, str, str]) -> str:
    """`voornaam.achternaam@example.org` in plain ASCII (tussenvoegsel glued to the surname)."""

    def ascii_part(text: str) -> str:
        plain = unicodedata.normalize("NFKD", text.lower().translate(_ASCII))
        return re.sub(r"[^a-z0-9-]", "", plain.encode("ascii", "ignore").decode())

    roepnaam, tussenvoegsel, achternaam, _ = person
    return f"{ascii_part(roepnaam)}.{ascii_part(tussenvoegsel + achternaam)}@example.org"
