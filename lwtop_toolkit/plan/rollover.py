"""Has the LAS rolled over? The school years of both exports, and whether pupils moved on at all.

The most common real mistake: the "new" export is taken before the LAS has moved the pupils into
their new groups (after 1 August). Then the new export names last year's school year, or nearly
every pupil keeps group and jaargroep: one `las-not-rolled-over` error that says what to do.
"""

from __future__ import annotations

import pandas as pd

from lwtop_toolkit import findings as fd
from lwtop_toolkit.las.catalogue import rollover_sentence
from lwtop_toolkit.model import SOURCE_FILE, SchoolYear, Tables
from lwtop_toolkit.plan.frames import MATCHED_STATUSES

# The LAS has not rolled over when this share of the matched pupils (with a comparable
# jaargroep) keep their group name and jaargroep; judged only from this many pupils on.
NOT_ROLLED_OVER_SHARE, NOT_ROLLED_OVER_MIN_PUPILS = 0.9, 10
# `no-pupils-matched` only when both years have at least this many pupils.
NO_MATCH_MIN_PUPILS = 10


def check(
    students: pd.DataFrame,
    new: Tables,
    years: tuple[SchoolYear | None, SchoolYear | None],
    ranks: tuple[pd.Series, pd.Series],
    las_code: str | None = None,
) -> pd.DataFrame | None:
    """The school years of both exports, and whether the pupils moved on at all; the advice
    of an export that did not roll over follows the LAS `las_code` when one is chosen."""
    by_year = _school_years(new, years, las_code)
    if by_year is not None and by_year["code"].isin(FIRST_CODES).any():
        return by_year  # one problem, one finding: the pupils cannot have moved on either
    return fd.concat([by_year, _pupils_moved_on(students, new, ranks, las_code)])


# The findings about both years as a whole that make every finding per pupil meaningless.
FIRST_CODES = ("las-not-rolled-over", "years-swapped")


def swapped(years: tuple[SchoolYear | None, SchoolYear | None]) -> bool:
    """Last year's export names a later school year than the new year's: old and new were
    exchanged (`years-swapped`)."""
    old_year, new_year = years
    return old_year is not None and new_year is not None and new_year < old_year


def new_school_year(years: tuple[SchoolYear | None, SchoolYear | None]) -> SchoolYear | None:
    """The school year the transition is to, as far as both exports tell: the new export's
    when it follows last year's; the later of both when they were swapped; the year after
    last year's when the new export did not roll over (it still names last year)."""
    old_year, new_year = years
    if old_year is None or new_year is None:
        return new_year or (old_year.next() if old_year is not None else None)
    if new_year < old_year:
        return old_year
    return old_year.next() if new_year == old_year else new_year


def _school_years(
    new: Tables, years: tuple[SchoolYear | None, SchoolYear | None], las_code: str | None
) -> pd.DataFrame | None:
    old_year, new_year = years
    if old_year is None or new_year is None:
        return None
    groups = new.groepen
    first = groups[groups["schooljaar"].str.strip().eq(str(new_year))].head(1)
    if swapped(years):
        return fd.for_rows(
            "years-swapped",
            first,
            table="groepen",
            column="schooljaar",
            old_year=str(old_year),
            new_year=str(new_year),
        )
    if new_year == old_year:
        return fd.for_rows(
            "las-not-rolled-over",
            first,
            table="groepen",
            column="schooljaar",
            reason=f"het noemt schooljaar {new_year}, net als het oude bestand",
            rollover=rollover_sentence(las_code),
        )
    if new_year.start > old_year.start + 1:
        return fd.for_rows(
            "school-years-apart",
            first,
            table="groepen",
            column="schooljaar",
            old_year=str(old_year),
        )
    return None


def _pupils_moved_on(
    students: pd.DataFrame,
    new: Tables,
    ranks: tuple[pd.Series, pd.Series],
    las_code: str | None = None,
) -> pd.DataFrame | None:
    """No pupil found back at all, or nearly all still in last year's group and jaargroep."""
    file = _first_file(new.leerlingen)
    old_count = int(students["status"].ne("new").sum())
    new_count = int(students["status"].ne("left").sum())
    matched = students["status"].isin(MATCHED_STATUSES)
    if old_count >= NO_MATCH_MIN_PUPILS and new_count >= NO_MATCH_MIN_PUPILS and not matched.any():
        record = fd.finding(
            "no-pupils-matched",
            file=file,
            table="leerlingen",
            column="leerling_id",
            old_count=old_count,
            new_count=new_count,
        )
        return fd.frame([record])
    comparable = matched & ranks[0].notna() & ranks[1].notna() & students["groep_oud"].ne("")
    if comparable.sum() < NOT_ROLLED_OVER_MIN_PUPILS:
        return None
    kept = students["groep_oud"].eq(students["groep_nieuw"])
    kept &= students["jaargroep_oud"].eq(students["jaargroep_nieuw"])
    share = float(kept[comparable].mean())
    if share < NOT_ROLLED_OVER_SHARE:
        return None
    reason = (
        f"{share:.0%} van de leerlingen die in beide jaren voorkomen zit nog in dezelfde groep "
        "en dezelfde jaargroep"
    )
    record = fd.finding(
        "las-not-rolled-over",
        file=file,
        table="leerlingen",
        column="groep_id",
        value=f"{share:.0%}",
        reason=reason,
        rollover=rollover_sentence(las_code),
    )
    return fd.frame([record])


def _first_file(frame: pd.DataFrame) -> str:
    files = frame[SOURCE_FILE]
    return str(files.iloc[0]) if len(files) else ""
