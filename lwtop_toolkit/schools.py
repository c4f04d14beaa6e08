"""One delivery may hold several schools (BRIN + vestiging): split Tables per school.

A school is named by its BRIN plus its vestiging (`12AB`, `12AB01`); vestiging `00` is the
main location and means the same as none. Groups carry the school; pupils belong to the school
of their stamgroep (else their own `brin`/`vestiging`); staff links to the school of the group.
Staff without any link cannot be placed and go with every school of the delivery.
"""

from __future__ import annotations

import pandas as pd

from .model import Tables

UNKNOWN_SCHOOL = "onbekend"


def school_key(brin: pd.Series, vestiging: pd.Series) -> pd.Series:
    """`12AB` or `12AB01` per row; `onbekend` when there is no BRIN."""
    location = vestiging.where(~vestiging.isin(["", "00"]), "")
    key = brin + location
    return key.mask(brin.eq(""), UNKNOWN_SCHOOL)


def group_schools(tables: Tables) -> pd.Series:
    """The school of every group, indexed by groep_id."""
    groups = tables.groepen.drop_duplicates("groep_id")
    return pd.Series(
        school_key(groups["brin"], groups["vestiging"]).to_numpy(), index=groups["groep_id"]
    )


def pupil_schools(tables: Tables) -> pd.Series:
    """The school of every pupil (aligned with `tables.leerlingen`)."""
    pupils = tables.leerlingen
    own = school_key(pupils["brin"], pupils["vestiging"])
    via_group = pupils["groep_id"].map(group_schools(tables))
    return via_group.fillna(own).astype("str")


def schools(tables: Tables) -> list[str]:
    """Every school of the delivery, sorted."""
    found = set(group_schools(tables)) | set(pupil_schools(tables))
    return sorted(found) or [UNKNOWN_SCHOOL]


def staff_schools(*years: Tables) -> pd.DataFrame:
    """(medewerker_id, school) for every staff link of the given years."""
    parts = [
        pd.DataFrame(
            {
                "medewerker_id": tables.medewerker_groepen["medewerker_id"].to_numpy(),
                "school": tables.medewerker_groepen["groep_id"]
                .map(group_schools(tables))
                .to_numpy(),
            }
        )
        for tables in years
    ]
    return pd.concat(parts, ignore_index=True).dropna().drop_duplicates()


def split_schools(tables: Tables, staff_places: pd.DataFrame | None = None) -> dict[str, Tables]:
    """One Tables per school; with one school, the tables as they are.

    Staff go with the schools whose groups they are linked to, in `tables` or in
    `staff_places` (for example last year's links); staff linked nowhere go with every school.
    """
    keys = schools(tables)
    if len(keys) == 1:
        return {keys[0]: tables}
    of_group = group_schools(tables)
    of_pupil = pupil_schools(tables)
    links = tables.medewerker_groepen
    link_school = links["groep_id"].map(of_group)
    places = staff_schools(tables) if staff_places is None else staff_places
    places = pd.concat([places, staff_schools(tables)], ignore_index=True)
    staff = tables.medewerkers
    placed = staff["medewerker_id"].isin(places["medewerker_id"])
    out = {}
    for key in keys:
        groups = tables.groepen[tables.groepen["groep_id"].map(of_group).eq(key)]
        school_links = links[link_school.eq(key)]
        mine = places.loc[places["school"].eq(key), "medewerker_id"]
        keep_staff = staff["medewerker_id"].isin(mine) | ~placed
        out[key] = Tables(
            groepen=groups.reset_index(drop=True),
            leerlingen=tables.leerlingen[of_pupil.eq(key)].reset_index(drop=True),
            medewerkers=staff[keep_staff].reset_index(drop=True),
            medewerker_groepen=school_links.reset_index(drop=True),
        )
    return out
