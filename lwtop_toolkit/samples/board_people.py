"""The people of a synthetic board: pupils' and staff's numbers, names, sexes, births, ECK-iDs."""

from __future__ import annotations

import numpy as np
import pandas as pd

from lwtop_toolkit.model import SchoolYear
from lwtop_toolkit.samples.school import BOYS, GIRLS, NEUTRAL, ROLES, SURNAMES

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


def generate_people(
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


def generate_staff(
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
