"""One pandera DataFrameModel per canonical table: the rules on single values and single columns.

Every custom check is named after the finding code it produces (`name="invalid-brin"`), so that
validate.py turns pandera's failure cases into findings without a second table of rules.
Rules that need more than one table live in validate.py.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from lwtop_toolkit.model import SAMENGESTELDE_GROEP, STAMGROEP, SchoolYear

# EDEXML `jaargroep` codes we accept (reference/README.md §1.4): PO groep 0-8, VO leerjaar 1-6
# as 11-16, S for SO/SBO and V for VSO.
JAARGROEPEN: tuple[str, ...] = (
    *(str(n) for n in range(9)),
    *(str(n) for n in range(11, 17)),
    "S",
    "V",
)
GESLACHTEN: tuple[str, ...] = ("M", "V", "X", "O")
SOORTEN: tuple[str, ...] = (STAMGROEP, SAMENGESTELDE_GROEP)
TUSSENVOEGSEL_MAX = 10
BRIN = r"[0-9]{2}[A-Z]{2}"
VESTIGING = r"[0-9]{2}"
# Deliberately simple: one @, no spaces, a dot in the domain. Full RFC 5322 is not the point.
EMAIL = r"[^@\s]+@[^@\s]+\.[^@\s]+"
_UNTRIMMED = re.compile(r"^\s|\s$|\s\s")

# Extra parameters for the message of a check, per (column, code).
CHECK_PARAMS: dict[tuple[str, str], dict[str, Any]] = {
    ("jaargroep", "invalid-code"): {"allowed": "0 t/m 8, 11 t/m 16, S, V"},
    ("geslacht", "invalid-code"): {"allowed": "M, V, X, O"},
    ("soort", "invalid-code"): {"allowed": "stamgroep, samengestelde_groep"},
    ("tussenvoegsel", "value-too-long"): {"limit": TUSSENVOEGSEL_MAX},
}


def _filled(series: pd.Series) -> pd.Series:
    return series.ne("")


def _per_value(series: pd.Series, test: Any) -> pd.Series:
    """`test` run once per distinct value (names, codes and BRINs repeat a lot: a regex per
    row took seconds for a million pupils)."""
    codes, uniques = pd.factorize(series, use_na_sentinel=False)
    verdicts = np.asarray(test(pd.Series(uniques, dtype=series.dtype)), dtype=bool)
    return pd.Series(verdicts[codes], index=series.index)


def _trimmed(series: pd.Series) -> pd.Series:
    return _per_value(series, lambda values: ~values.str.contains(_UNTRIMMED))


def _matches_or_empty(series: pd.Series, pattern: str) -> pd.Series:
    return _per_value(series, lambda values: values.eq("") | values.str.fullmatch(pattern))


def _valid_school_year(series: pd.Series) -> pd.Series:
    verdicts = {text: SchoolYear.try_parse(text) is not None for text in series.unique()}
    return series.eq("") | series.map(verdicts).astype(bool)


class GroepenSchema(pa.DataFrameModel):
    """groepen: one row per stamgroep or samengestelde groep of one school year."""

    groep_id: Series[str] = pa.Field(unique=True)
    groepsnaam: Series[str]
    jaargroep: Series[str]
    soort: Series[str]
    schooljaar: Series[str]
    brin: Series[str]
    vestiging: Series[str]

    class Config:
        strict = False

    @pa.check("groep_id", "groepsnaam", "schooljaar", "brin", name="missing-value")
    def _present(cls, series: Series[str]) -> Series[bool]:
        return _filled(series)

    @pa.check("groepsnaam", name="untrimmed-value")
    def _trimmed(cls, series: Series[str]) -> Series[bool]:
        return _trimmed(series)

    @pa.check("jaargroep", name="invalid-code")
    def _jaargroep(cls, series: Series[str]) -> Series[bool]:
        # empty: a combination group or samengestelde groep holds several jaargroepen
        return series.eq("") | series.isin(JAARGROEPEN)

    @pa.check("soort", name="invalid-code")
    def _soort(cls, series: Series[str]) -> Series[bool]:
        return series.isin(SOORTEN)

    @pa.check("schooljaar", name="invalid-schooljaar")
    def _schooljaar(cls, series: Series[str]) -> Series[bool]:
        return _valid_school_year(series)

    @pa.check("brin", name="invalid-brin")
    def _brin(cls, series: Series[str]) -> Series[bool]:
        return _matches_or_empty(series, BRIN)

    @pa.check("vestiging", name="invalid-vestiging")
    def _vestiging(cls, series: Series[str]) -> Series[bool]:
        return _matches_or_empty(series, VESTIGING)


class LeerlingenSchema(pa.DataFrameModel):
    """leerlingen: one row per pupil; `groep_id` is the stamgroep."""

    leerling_id: Series[str] = pa.Field(unique=True)
    achternaam: Series[str]
    tussenvoegsel: Series[str]
    roepnaam: Series[str]
    voorletters: Series[str]
    geboortedatum: Series[pa.DateTime] = pa.Field(nullable=True)
    geslacht: Series[str]
    jaargroep: Series[str]
    groep_id: Series[str]
    samengestelde_groepen: Series[str]
    opleiding: Series[str]
    brin: Series[str]
    vestiging: Series[str]
    eckid: Series[str]

    class Config:
        strict = False

    @pa.check("leerling_id", "achternaam", "roepnaam", "jaargroep", name="missing-value")
    def _present(cls, series: Series[str]) -> Series[bool]:
        return _filled(series)

    # nullable=True lets pandera take the column; ignore_na=False still shows it the NaT cells
    @pa.check("geboortedatum", name="missing-value", ignore_na=False)
    def _born(cls, series: Series[Any]) -> Series[bool]:
        return series.notna()

    @pa.check("achternaam", "tussenvoegsel", "roepnaam", name="untrimmed-value")
    def _trimmed(cls, series: Series[str]) -> Series[bool]:
        return _trimmed(series)

    @pa.check("tussenvoegsel", name="value-too-long")
    def _short_tussenvoegsel(cls, series: Series[str]) -> Series[bool]:
        return series.str.len() <= TUSSENVOEGSEL_MAX

    @pa.check("geslacht", name="invalid-code")
    def _geslacht(cls, series: Series[str]) -> Series[bool]:
        return series.isin(GESLACHTEN)

    @pa.check("jaargroep", name="invalid-code")
    def _jaargroep(cls, series: Series[str]) -> Series[bool]:
        return series.eq("") | series.isin(JAARGROEPEN)

    @pa.check("brin", name="invalid-brin")
    def _brin(cls, series: Series[str]) -> Series[bool]:
        return _matches_or_empty(series, BRIN)

    @pa.check("vestiging", name="invalid-vestiging")
    def _vestiging(cls, series: Series[str]) -> Series[bool]:
        return _matches_or_empty(series, VESTIGING)

    @pa.check("eckid", name="duplicate-id")
    def _unique_eckid(cls, series: Series[str]) -> Series[bool]:
        return series.eq("") | ~series.duplicated(keep=False)


class MedewerkersSchema(pa.DataFrameModel):
    """medewerkers: staff; `rol` is the product role, `las_rol` the source's own."""

    medewerker_id: Series[str] = pa.Field(unique=True)
    achternaam: Series[str]
    tussenvoegsel: Series[str]
    roepnaam: Series[str]
    email: Series[str]
    rol: Series[str]
    las_rol: Series[str]

    class Config:
        strict = False

    @pa.check("medewerker_id", "achternaam", name="missing-value")
    def _present(cls, series: Series[str]) -> Series[bool]:
        return _filled(series)

    @pa.check("achternaam", "tussenvoegsel", "roepnaam", name="untrimmed-value")
    def _trimmed(cls, series: Series[str]) -> Series[bool]:
        return _trimmed(series)

    @pa.check("tussenvoegsel", name="value-too-long")
    def _short_tussenvoegsel(cls, series: Series[str]) -> Series[bool]:
        return series.str.len() <= TUSSENVOEGSEL_MAX

    @pa.check("email", name="invalid-email")
    def _email(cls, series: Series[str]) -> Series[bool]:
        return _matches_or_empty(series, EMAIL)


class MedewerkerGroepenSchema(pa.DataFrameModel):
    """medewerker_groepen: which staff member is linked to which group."""

    medewerker_id: Series[str]
    groep_id: Series[str]

    class Config:
        strict = False

    @pa.check("medewerker_id", "groep_id", name="missing-value")
    def _present(cls, series: Series[str]) -> Series[bool]:
        return _filled(series)


SCHEMAS: dict[str, type[pa.DataFrameModel]] = {
    "groepen": GroepenSchema,
    "leerlingen": LeerlingenSchema,
    "medewerkers": MedewerkersSchema,
    "medewerker_groepen": MedewerkerGroepenSchema,
}
