"""The change list: every field of a pupil in both years that the LAS changed, once, in the
plan (`plan.changes`, `Transition.changes`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SAMPLE_DATA
from pupil_years import CLASSMATES, planned

from lwtop_toolkit import flows
from lwtop_toolkit.plan.changes import CHANGE_FIELDS, shown_changes

OLD, NEW = "2025-2026", "2026-2027"
KEYS = ["leerling_id", "field", "old", "new"]
ECK_ADAM = "eck-c4542882050ecceaf9118d2c9be75b365a1574df64e70b92d071468de619d721"


def rows(done: flows.Transition) -> list[dict[str, str]]:
    return done.changes.loc[:, KEYS].to_dict("records")


def test_every_changed_field_in_the_new_files_order_not_the_group_or_jaargroep(
    tmp_path: Path,
) -> None:
    old = [
        ("1001", "Vries", "Zoe", "2018-03-01", "V", "eck-a", "de", "havo"),
        ("1002", "Bakker", "Sem", "2018-04-01", "M", "eck-b", "", "vwo"),
        *CLASSMATES,
    ]
    new = [
        ("1002", "Bakker", "Sem", "2018-04-01", "M", "eck-c", "", "havo"),  # first in the file
        ("1001", "Vries", "Zoë", "2018-01-03", "X", "eck-a", "De", "havo"),
        *CLASSMATES,
    ]
    done = planned(tmp_path, old, new)
    assert rows(done) == [
        {"leerling_id": "1002", "field": "eckid", "old": "eck-b", "new": "eck-c"},
        {"leerling_id": "1002", "field": "opleiding", "old": "vwo", "new": "havo"},
        {"leerling_id": "1001", "field": "tussenvoegsel", "old": "de", "new": "De"},
        {"leerling_id": "1001", "field": "roepnaam", "old": "Zoe", "new": "Zoë"},
        {"leerling_id": "1001", "field": "geboortedatum", "old": "2018-03-01", "new": "2018-01-03"},
        {"leerling_id": "1001", "field": "geslacht", "old": "V", "new": "X"},
    ]
    # every pupil moved up a group and jaargroep: that is the plan, not a change
    assert {"groep_id", "jaargroep"}.isdisjoint(done.changes["field"])
    first = done.changes.iloc[0]
    assert (first["naam"], first["_file"].endswith("leerlingen.csv"), first["_row"]) == (
        "Sem Bakker",
        True,
        2,
    )
    assert done.findings[done.findings["severity"].eq("error")].empty  # changes, no alarm


def test_a_field_one_years_export_does_not_hold_is_not_compared(tmp_path: Path) -> None:
    """Last year's list had no ECK-iD at all: every pupil gaining one is no change."""
    old = [(number, last, first, born, sex, "") for number, last, first, born, sex, _ in CLASSMATES]
    new = [
        (number, last, first, born, sex, f"eck-{number}")
        for number, last, first, born, sex, _ in CLASSMATES
    ]
    new[0] = (*new[0][:2], "Anne", *new[0][3:])
    done = planned(tmp_path, old, new)
    assert rows(done) == [
        {"leerling_id": "2000", "field": "roepnaam", "old": "Anna", "new": "Anne"}
    ]


def test_a_value_cleared_in_one_year_is_a_change_shown_as_empty(tmp_path: Path) -> None:
    mates = [(*mate[:5], f"eck-{mate[0]}") for mate in CLASSMATES]  # both years hold ECK-iDs
    old = [("1001", "Bakker", "Sem", "2018-04-01", "M", "eck-b"), *mates]
    new = [("1001", "Bakker", "Sem", "", "M", ""), *mates]
    done = planned(tmp_path, old, new)
    assert rows(done) == [
        {"leerling_id": "1001", "field": "eckid", "old": "eck-b", "new": ""},
        {"leerling_id": "1001", "field": "geboortedatum", "old": "2018-04-01", "new": ""},
    ]
    shown = shown_changes(done.changes)
    assert shown.loc[:, ["veld", "vorig_jaar", "nieuw_jaar"]].values.tolist() == [
        [CHANGE_FIELDS["eckid"], "eck-b", "(leeg)"],
        ["Geboortedatum", "01-04-2018", "(leeg)"],
    ]


# The shipped samples: what changed behind the numbers, as generated (plausible: a corrected
# birth date, a number found by ECK-iD or without its leading zeros, an opleiding from vwo to
# havo), and never a number that now names another child.
SAMPLES = {
    "importbestanden": (SAMPLE_DATA / OLD, SAMPLE_DATA / NEW, None, []),
    "afwijkingen": (
        SAMPLE_DATA / OLD,
        SAMPLE_DATA / "afwijkingen" / NEW,
        None,
        [
            ("992136", "leerling_id", "092136", "992136"),
            ("96300", "leerling_id", "096300", "96300"),
            ("96300", "eckid", ECK_ADAM, ""),
            ("052562", "geboortedatum", "2016-02-18", "2012-02-18"),
        ],
    ),
    "niet-overgezet": (SAMPLE_DATA / OLD, SAMPLE_DATA / "niet-overgezet" / NEW, None, []),
    **{
        las: (
            SAMPLE_DATA / las / OLD,
            SAMPLE_DATA / las / NEW,
            las,
            [("003471", "opleiding", "vwo", "havo")],
        )
        for las in ("magister", "somtoday", "eduarte")
    },
    "esis": (SAMPLE_DATA / "esis" / OLD, SAMPLE_DATA / "esis" / NEW, "esis", []),
    "parnassys": (
        SAMPLE_DATA / "parnassys" / OLD,
        SAMPLE_DATA / "parnassys" / NEW,
        "parnassys-oso",
        [],
    ),
    "schooloas": (
        SAMPLE_DATA / "schooloas" / OLD, SAMPLE_DATA / "schooloas" / NEW, "schooloas", [],
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", list(SAMPLES), ids=list(SAMPLES))
def test_the_shipped_samples_show_plausible_changes_and_no_other_child(name: str) -> None:
    old, new, las, expected = SAMPLES[name]
    done = flows.transition([old], [new], las_code=las)
    assert [tuple(row.values()) for row in rows(done)] == expected
    assert not done.findings["code"].eq("same-number-other-child").any()
    assert done.changes is done.plan.changes  # one list, through the one orchestration
