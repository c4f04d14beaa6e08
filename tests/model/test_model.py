"""The canonical model: SchoolYear parsing and Tables conforming."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from lwtop_toolkit.model import TABLE_COLUMNS, SchoolYear, Tables


@pytest.mark.parametrize("text", ["2026-2027", "2026 / 2027", "26-27", " 2026/2027 "])
def test_school_year_parses_the_written_forms(text: str) -> None:
    assert SchoolYear.parse(text) == SchoolYear(2026)
    assert str(SchoolYear.parse(text)) == "2026-2027"


@pytest.mark.parametrize("text", ["2026-2028", "2026", "schooljaar", "27-26", ""])
def test_school_year_refuses_what_is_not_one(text: str) -> None:
    with pytest.raises(ValueError):
        SchoolYear.parse(text)
    assert SchoolYear.try_parse(text) is None


@pytest.mark.parametrize(
    ("day", "year"),
    [
        (dt.date(2026, 7, 31), 2025),
        (dt.date(2026, 8, 1), 2026),
        (dt.date(2027, 1, 15), 2026),
    ],
)
def test_school_year_starts_on_1_august(day: dt.date, year: int) -> None:
    assert SchoolYear.of_date(day) == SchoolYear(year)


def test_school_year_days() -> None:
    year = SchoolYear(2026)
    assert year.first_day == dt.date(2026, 8, 1)
    assert year.last_day == dt.date(2027, 7, 31)
    assert year.reference_date == dt.date(2026, 10, 1)
    assert year.next() == SchoolYear(2027) and year.previous() == SchoolYear(2025)


def test_tables_conform_columns_dtypes_and_keep_leading_zeros() -> None:
    tables = Tables.from_frames(
        leerlingen=pd.DataFrame(
            {"leerling_id": ["001234"], "achternaam": ["Jansen"], "extra": ["weg"]}
        )
    )
    pupils = tables.leerlingen
    assert list(tables.canonical("leerlingen").columns) == list(TABLE_COLUMNS["leerlingen"])
    assert "extra" not in pupils
    assert pupils.loc[0, "leerling_id"] == "001234"
    assert pupils.loc[0, "roepnaam"] == ""  # absent columns are empty text, never NA
    assert str(pupils["geboortedatum"].dtype).startswith("datetime64")
    assert tables.row_counts() == {
        "groepen": 0,
        "leerlingen": 1,
        "medewerkers": 0,
        "medewerker_groepen": 0,
    }


def test_tables_refuse_an_unknown_table() -> None:
    with pytest.raises(ValueError):
        Tables.from_frames(klassen=pd.DataFrame())
