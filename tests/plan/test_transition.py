"""plan_transition: the sample school's known moves, the totals, and every anomaly."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest
from conftest import SAMPLE_DATA, where
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lwtop_toolkit import findings as fd
from lwtop_toolkit import load
from lwtop_toolkit.model import Tables
from lwtop_toolkit.plan.transition import (
    STATUSES,
    GroupLimits,
    TransitionPlan,
    flow_matrix,
    plan_transition,
)
from lwtop_toolkit.samples.las_schools import generate_so_school, generate_vo_school
from lwtop_toolkit.samples.school import SampleSchool, generate_school

OLD_FILE, NEW_FILE = "oud/leerlingen.csv", "nieuw/leerlingen.csv"
OLD_GROUPS, NEW_GROUPS = "oud/groepen.csv", "nieuw/groepen.csv"


def year(
    schooljaar: str,
    groups: list[tuple[str, str, str]],
    pupils: list[dict[str, Any]],
    *,
    side: str,
    soort: dict[str, str] | None = None,
) -> Tables:
    """One school year from (groep_id, groepsnaam, jaargroep) and pupil dicts, with provenance."""
    groepen = pd.DataFrame(
        [
            {
                "groep_id": gid,
                "groepsnaam": name,
                "jaargroep": jaargroep,
                "soort": (soort or {}).get(gid, "stamgroep"),
                "schooljaar": schooljaar,
                "brin": "99ZZ",
                "vestiging": "00",
                "_file": f"{side}/groepen.csv",
                "_row": row,
            }
            for row, (gid, name, jaargroep) in enumerate(groups, start=2)
        ]
    )
    rows = []
    for row, pupil in enumerate(pupils, start=2):
        rows.append(
            {
                "achternaam": "Jansen",
                "roepnaam": f"Kind {side} {row}",
                "geboortedatum": pd.NaT,  # no date: age and id-change checks stay quiet
                "geslacht": "V",
                "brin": "99ZZ",
                "vestiging": "00",
                "_file": f"{side}/leerlingen.csv",
                "_row": row,
                **pupil,
            }
        )
    return Tables.from_frames(groepen=groepen, leerlingen=pd.DataFrame(rows))


def born(jaargroep: int, school_start: int = 2026) -> pd.Timestamp:
    """A birth date fitting `jaargroep` in the school year starting in `school_start`."""
    return pd.Timestamp(f"{school_start - jaargroep - 4}-12-15")


def codes(plan: TransitionPlan) -> list[str]:
    return sorted(plan.findings["code"])


def status_of(plan: TransitionPlan, leerling_id: str) -> str:
    row = plan.students[plan.students["leerling_id"].eq(leerling_id)]
    assert len(row) == 1
    return str(row["status"].iloc[0])


# --- the sample school -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def school() -> SampleSchool:
    return generate_school()


@pytest.fixture(scope="module")
def sample_plan() -> TransitionPlan:
    old = load([SAMPLE_DATA / "2025-2026"])
    new = load([SAMPLE_DATA / "2026-2027"])
    return plan_transition(old.tables, new.tables)


def _as_truth(plan: TransitionPlan, columns: list[str]) -> pd.DataFrame:
    got = plan.students.drop(columns=["groep_oud", "groep_nieuw"]).rename(
        columns={"groep_id_oud": "groep_oud", "groep_id_nieuw": "groep_nieuw"}
    )
    return got[columns].sort_values("leerling_id").reset_index(drop=True)


def test_sample_school_statuses_equal_the_truth_exactly(school: SampleSchool) -> None:
    plan = plan_transition(school.old, school.new)
    truth = school.truth.sort_values("leerling_id").reset_index(drop=True)
    pd.testing.assert_frame_equal(_as_truth(plan, list(truth.columns)), truth)


@pytest.mark.parametrize("generate", [generate_vo_school, generate_so_school])
def test_vo_and_so_sample_schools_equal_their_truth(generate: Any) -> None:
    school = generate()
    plan = plan_transition(school.old, school.new)
    truth = school.truth.sort_values("leerling_id").reset_index(drop=True)
    pd.testing.assert_frame_equal(_as_truth(plan, list(truth.columns)), truth)
    assert plan.findings.empty


def test_committed_sample_files_give_the_truth(
    school: SampleSchool, sample_plan: TransitionPlan
) -> None:
    truth = school.truth.sort_values("leerling_id").reset_index(drop=True)
    pd.testing.assert_frame_equal(_as_truth(sample_plan, list(truth.columns)), truth)
    counts = sample_plan.status_counts()
    assert counts == {
        "promoted": 213,
        "retained": 3,
        "accelerated": 1,
        "demoted": 0,
        "continuing": 0,
        "new": 30,
        "left": 31,
    }
    totals = sample_plan.totals()
    assert (totals["old"], totals["new"], totals["matched"]) == (248, 247, 217)
    assert (totals["left_graduated"], totals["left_other"]) == (26, 5)
    assert sample_plan.totals_add_up()


def test_sample_school_findings_are_only_the_planted_skip(sample_plan: TransitionPlan) -> None:
    # the generator lets one pupil of jaargroep 4 skip a year: the only thing to check
    [jump] = sample_plan.findings.itertuples()
    skipper = sample_plan.students[sample_plan.students["status"].eq("accelerated")]
    assert jump.code == "jaargroep-jump"
    assert (jump.file, jump.row, jump.column, jump.value) == (
        str(SAMPLE_DATA / "2026-2027" / "leerlingen.csv"),
        int(skipper["_row_nieuw"].iloc[0]),
        "jaargroep",
        "6",
    )
    assert "gaat van jaargroep 4 naar 6" in jump.message
    assert skipper["flags"].tolist() == ["jaargroep-jump"]


def test_sample_school_groups(sample_plan: TransitionPlan) -> None:
    groups = sample_plan.groups.set_index(["jaar", "groepsnaam"])
    new = groups.loc["nieuw"]
    names = ["1/2A", "1/2B", "3", "4", "5A", "5B", "6A", "6B", "7", "8A", "8B", "Plusklas"]
    assert list(new.index) == names
    assert new.loc["5A", "herkomst"] == "4A (20), nieuw (1)"
    assert new.loc["1/2A", "jaargroepen"] == "1, 2"
    assert new.loc["Plusklas", "soort"] == "samengestelde_groep"
    assert new.loc["Plusklas", "leerlingen"] == 6
    stam = new[new["soort"].eq("stamgroep")]
    assert stam["leerlingen"].sum() == 247
    assert stam["nieuw"].sum() == 30 and stam["doublures"].sum() == 3
    # the old groep 8 left entirely: no successor, every pupil graduated
    old = groups.loc["oud"]
    assert list(old.index) == ["8"]
    assert old.loc["8", ["leerlingen", "vertrokken", "uitgestroomd"]].tolist() == [26, 26, 26]
    assert old.loc["8", "medewerkers"] != ""


def test_sample_school_flow_and_summary(sample_plan: TransitionPlan) -> None:
    matrix = flow_matrix(sample_plan)
    assert int(matrix.to_numpy().sum()) == 248 + 30
    assert matrix.loc["5", "6A"] + matrix.loc["5", "6B"] == 30
    assert matrix.loc["8", "(vertrokken)"] == 26
    assert matrix.loc["(nieuw)"].sum() == 30
    assert list(matrix.columns)[-1] == "(vertrokken)"
    flow = sample_plan.flow
    assert {"groep_oud", "groep_nieuw", "leerlingen"} <= set(flow.columns)
    assert flow["leerlingen"].sum() == len(sample_plan.students)
    summary = sample_plan.summary.set_index(["niveau", "waarde"])
    total = summary.loc[("totaal", "alle")]
    assert total["leerlingen_oud"] == 248 and total["leerlingen_nieuw"] == 247
    assert summary.loc[("school", "99ZZ00"), "left"] == 31
    assert summary.loc[("jaargroep", "1"), "new"] == 24
    assert summary.loc[("jaargroep", "8"), "uitgestroomd"] == 26
    by_jaargroep = summary.loc["jaargroep"]
    assert by_jaargroep["leerlingen_oud"].sum() == 248
    assert by_jaargroep["leerlingen_nieuw"].sum() == 247
    assert list(by_jaargroep.index) == [str(j) for j in range(1, 9)]


# --- statuses and matching ----------------------------------------------------------------------


@pytest.mark.produces("jaargroep-step-back")
def test_statuses_and_left_reasons_across_sectors() -> None:
    groups_old = [("O1", "A", ""), ("O2", "B", "")]
    groups_new = [("N1", "A", ""), ("N2", "B", "")]
    old_pupils = [
        {"leerling_id": "p8", "jaargroep": "8", "groep_id": "O1"},  # to VO 11: promoted
        {"leerling_id": "s", "jaargroep": "S", "groep_id": "O1"},  # SO: continuing
        {"leerling_id": "v", "jaargroep": "V", "groep_id": "O1"},
        {"leerling_id": "back", "jaargroep": "5", "groep_id": "O1"},  # demoted
        {"leerling_id": "havo5", "jaargroep": "15", "opleiding": "havo", "groep_id": "O2"},
        {"leerling_id": "havo4", "jaargroep": "14", "opleiding": "HAVO", "groep_id": "O2"},
        {"leerling_id": "vmbo4", "jaargroep": "14", "opleiding": "vmbo-tl", "groep_id": "O2"},
        {"leerling_id": "vwo6", "jaargroep": "16", "opleiding": "gymnasium", "groep_id": "O2"},
        {"leerling_id": "vo5", "jaargroep": "15", "opleiding": "", "groep_id": "O2"},
        {"leerling_id": "vo6", "jaargroep": "16", "opleiding": "", "groep_id": "O2"},
        {"leerling_id": "po8", "jaargroep": "8", "groep_id": "O1"},
        {"leerling_id": "po7", "jaargroep": "7", "groep_id": "O1"},
        # S and V: the last year by age on 1 October 2025 (SO 12+, VSO 17+)
        {"leerling_id": "so12", "jaargroep": "S", "groep_id": "O1",
         "geboortedatum": pd.Timestamp("2013-09-30")},
        {"leerling_id": "so11", "jaargroep": "S", "groep_id": "O1",
         "geboortedatum": pd.Timestamp("2013-10-02")},
        {"leerling_id": "vso17", "jaargroep": "V", "groep_id": "O1",
         "geboortedatum": pd.Timestamp("2008-01-01")},
        {"leerling_id": "vso15", "jaargroep": "V", "groep_id": "O1",
         "geboortedatum": pd.Timestamp("2010-01-01")},
    ]  # fmt: skip
    new_pupils = [
        {"leerling_id": "p8", "jaargroep": "11", "groep_id": "N2"},
        {"leerling_id": "s", "jaargroep": "S", "groep_id": "N1"},
        {"leerling_id": "v", "jaargroep": "15", "groep_id": "N2"},
        {"leerling_id": "back", "jaargroep": "4", "groep_id": "N1"},
    ]
    plan = plan_transition(
        year("2025-2026", groups_old, old_pupils, side="oud"),
        year("2026-2027", groups_new, new_pupils, side="nieuw"),
    )
    students = plan.students.set_index("leerling_id")
    assert students.loc["p8", "status"] == "promoted"
    assert students.loc["s", "status"] == "continuing"
    assert students.loc["v", "status"] == "continuing"
    assert students.loc["back", "status"] == "demoted"
    reasons = students.loc[students["status"].eq("left"), "left_reason"].to_dict()
    assert reasons == {
        "havo5": "graduated",
        "havo4": "other",
        "vmbo4": "graduated",
        "vwo6": "graduated",
        "vo5": "other",
        "vo6": "graduated",
        "po8": "graduated",
        "po7": "other",
        "so12": "graduated",
        "so11": "other",
        "vso17": "graduated",
        "vso15": "other",
    }
    assert (students.loc[students["status"].ne("left"), "left_reason"] == "").all()
    assert ("leerlingen.csv", 5, "jaargroep", "jaargroep-step-back") in where(plan.findings)


@pytest.mark.produces("matched-on-eckid", "matched-without-leading-zeros")
def test_matching_by_trimmed_id_then_eckid_then_without_leading_zeros() -> None:
    groups = [("G", "G", "4")]
    old_pupils = [
        {"leerling_id": "  100 ", "jaargroep": "3", "groep_id": "G"},
        {"leerling_id": "200", "eckid": "eck-2", "jaargroep": "3", "groep_id": "G"},
        {"leerling_id": "000300", "jaargroep": "3", "groep_id": "G"},
    ]
    new_pupils = [
        {"leerling_id": "100", "jaargroep": "4", "groep_id": "G"},
        {"leerling_id": "201", "eckid": "eck-2", "jaargroep": "4", "groep_id": "G"},
        {"leerling_id": "300", "jaargroep": "4", "groep_id": "G"},
    ]
    plan = plan_transition(
        year("2025-2026", [("G", "G", "3")], old_pupils, side="oud"),
        year("2026-2027", groups, new_pupils, side="nieuw"),
    )
    students = plan.students.set_index("leerling_id")
    assert students["status"].eq("promoted").all() and len(students) == 3
    assert students["matched_by"].to_dict() == {
        "100": "leerling_id",
        "201": "eckid",
        "300": "leerling_id-zonder-voorloopnullen",
    }
    assert students.loc["201", "leerling_id_oud"] == "200"
    found = plan.findings.set_index("code")
    assert found.loc["matched-on-eckid", "row"] == 3
    assert "'200'" in found.loc["matched-on-eckid", "message"]
    zeros = found.loc["matched-without-leading-zeros"]
    assert (zeros["row"], zeros["column"], zeros["value"]) == (4, "leerling_id", "300")
    assert "'000300'" in zeros["message"] and zeros["severity"] == "warning"


def test_duplicated_ids_pair_once_and_nobody_is_counted_twice() -> None:
    groups = [("G", "G", "")]
    old_pupils = [{"leerling_id": "7", "jaargroep": "3", "groep_id": "G"}] * 3
    new_pupils = [{"leerling_id": "7", "jaargroep": "4", "groep_id": "G"}] * 2
    plan = plan_transition(
        year("2025-2026", groups, old_pupils, side="oud"),
        year("2026-2027", groups, new_pupils, side="nieuw"),
    )
    assert plan.status_counts()["promoted"] == 2 and plan.status_counts()["left"] == 1
    assert plan.totals_add_up()


# --- anomalies ----------------------------------------------------------------------------------


def _ten(jaargroep: str, group: str, start: int = 0, **extra: Any) -> list[dict[str, Any]]:
    return [
        {"leerling_id": f"{start + i}", "jaargroep": jaargroep, "groep_id": group, **extra}
        for i in range(10)
    ]


def test_las_not_rolled_over_when_the_new_export_names_last_year() -> None:
    groups = [("G3", "3", "3")]
    old = year("2025-2026", groups, _ten("3", "G3"), side="oud")
    new = year("2025-2026", groups, _ten("3", "G3"), side="nieuw")
    plan = plan_transition(old, new)
    assert ("groepen.csv", 2, "schooljaar", "las-not-rolled-over") in where(plan.findings)
    [error] = plan.findings[plan.findings["code"].eq("las-not-rolled-over")].itertuples()
    assert error.severity == "error"
    assert "na 1 augustus" in error.message and "nieuwe export" in error.message


@pytest.mark.produces("las-not-rolled-over")
def test_las_not_rolled_over_when_nearly_everybody_keeps_group_and_jaargroep() -> None:
    groups = [("G3", "3", "3"), ("G4", "4", "4")]
    old = year("2025-2026", groups, _ten("3", "G3"), side="oud")
    # the export is labelled with the new year, but the pupils sit where they sat
    new = year("2026-2027", groups, _ten("3", "G3"), side="nieuw")
    plan = plan_transition(old, new)
    error = plan.findings[plan.findings["code"].eq("las-not-rolled-over")]
    assert where(error) == {("leerlingen.csv", None, "groep_id", "las-not-rolled-over")}
    assert error["file"].tolist() == [NEW_FILE] and error["value"].tolist() == ["100%"]
    assert "100% van de leerlingen" in error["message"].iloc[0]


def test_a_rolled_over_school_is_not_reported_and_nine_in_ten_is() -> None:
    groups_old = [("G3", "3", "3")]
    groups_new = [("G3", "3", "3"), ("G4", "4", "4")]
    moved = _ten("4", "G4")
    plan = plan_transition(
        year("2025-2026", groups_old, _ten("3", "G3"), side="oud"),
        year("2026-2027", groups_new, moved, side="nieuw"),
    )
    assert "las-not-rolled-over" not in codes(plan)
    one_moved = _ten("3", "G3")
    one_moved[0] = {**one_moved[0], "jaargroep": "4", "groep_id": "G4"}
    plan = plan_transition(
        year("2025-2026", groups_old, _ten("3", "G3"), side="oud"),
        year("2026-2027", groups_new, one_moved, side="nieuw"),
    )
    assert "las-not-rolled-over" in codes(plan)


@pytest.mark.produces("school-years-apart", "no-pupils-matched")
def test_school_years_apart_and_no_pupils_matched() -> None:
    groups = [("G3", "3", "3")]
    plan = plan_transition(
        year("2024-2025", groups, _ten("3", "G3"), side="oud"),
        year("2026-2027", groups, _ten("4", "G3", start=100), side="nieuw"),
    )
    assert where(plan.findings) == {
        ("groepen.csv", 2, "schooljaar", "school-years-apart"),
        ("leerlingen.csv", None, "leerling_id", "no-pupils-matched"),
    }
    assert plan.findings.set_index("code").loc["no-pupils-matched", "severity"] == "error"


def test_pupil_without_group_and_empty_group() -> None:
    plan = plan_transition(
        year(
            "2025-2026",
            [("O", "3", "3")],
            [{"leerling_id": "1", "jaargroep": "3", "groep_id": "O"}],
            side="oud",
        ),
        year(
            "2026-2027",
            [("N", "4", "4"), ("E", "4b", "4")],
            [{"leerling_id": "1", "jaargroep": "4", "groep_id": ""}],
            side="nieuw",
        ),
    )
    assert where(plan.findings) == {
        ("leerlingen.csv", 2, "groep_id", "pupil-without-group"),
        ("groepen.csv", 2, "groep_id", "empty-group"),
        ("groepen.csv", 3, "groep_id", "empty-group"),
    }
    assert plan.students["flags"].tolist() == ["pupil-without-group"]
    assert plan.groups.set_index("groep_id").loc["E", "flags"] == "empty-group"


@pytest.mark.produces("jaargroep-jump")
def test_jump_of_two_jaargroepen_and_step_back() -> None:
    groups_old = [("O", "x", "")]
    groups_new = [("N", "y", "")]
    plan = plan_transition(
        year(
            "2025-2026",
            groups_old,
            [
                {"leerling_id": "1", "jaargroep": "3", "groep_id": "O"},
                {"leerling_id": "2", "jaargroep": "6", "groep_id": "O"},
            ],
            side="oud",
        ),
        year(
            "2026-2027",
            groups_new,
            [
                {"leerling_id": "1", "jaargroep": "6", "groep_id": "N", "geboortedatum": born(5)},
                {"leerling_id": "2", "jaargroep": "6", "groep_id": "N", "geboortedatum": born(6)},
            ],
            side="nieuw",
        ),
    )
    assert ("leerlingen.csv", 2, "jaargroep", "jaargroep-jump") in where(plan.findings)
    assert status_of(plan, "2") == "retained"
    assert "jaargroep-step-back" not in codes(plan)


@pytest.mark.produces("age-jaargroep-mismatch")
def test_age_that_does_not_fit_the_jaargroep() -> None:
    groups = [("G", "g", "")]
    pupils_new = [
        {"leerling_id": "ok", "jaargroep": "3", "groep_id": "G", "geboortedatum": born(3)},
        {"leerling_id": "young", "jaargroep": "5", "groep_id": "G", "geboortedatum": born(3)},
        {"leerling_id": "old", "jaargroep": "1", "groep_id": "G", "geboortedatum": born(5)},
        {"leerling_id": "vo", "jaargroep": "11", "groep_id": "G", "geboortedatum": born(9)},
        {"leerling_id": "so", "jaargroep": "S", "groep_id": "G", "geboortedatum": born(1)},
    ]
    plan = plan_transition(
        year("2025-2026", groups, [], side="oud"),
        year("2026-2027", groups, pupils_new, side="nieuw"),
    )
    assert where(plan.findings) == {
        ("leerlingen.csv", 3, "jaargroep", "age-jaargroep-mismatch"),
        ("leerlingen.csv", 4, "jaargroep", "age-jaargroep-mismatch"),
    }
    message = plan.findings.set_index("row").loc[3, "message"]
    assert "is op 1 oktober 6 jaar; in jaargroep 5 zijn leerlingen 7 tot en met 10 jaar" in message


@pytest.mark.produces("possible-id-change")
def test_possible_id_change_is_accent_and_case_insensitive() -> None:
    groups = [("G", "g", "")]
    day = born(4)
    old_pupils = [
        {"leerling_id": "1", "roepnaam": "Zoë", "tussenvoegsel": "de", "achternaam": "Vries",
         "geboortedatum": day, "jaargroep": "3", "groep_id": "G"},
        {"leerling_id": "2", "roepnaam": "Sem", "achternaam": "Bakker", "geboortedatum": day,
         "jaargroep": "3", "groep_id": "G"},
    ]  # fmt: skip
    new_pupils = [
        {"leerling_id": "9", "roepnaam": "ZOE", "tussenvoegsel": "De", "achternaam": "vries",
         "geboortedatum": day, "jaargroep": "4", "groep_id": "G"},
        {"leerling_id": "8", "roepnaam": "Noor", "achternaam": "Visser", "geboortedatum": day,
         "jaargroep": "4", "groep_id": "G"},
    ]  # fmt: skip
    plan = plan_transition(
        year("2025-2026", groups, old_pupils, side="oud"),
        year("2026-2027", groups, new_pupils, side="nieuw"),
    )
    [change] = plan.findings[plan.findings["code"].eq("possible-id-change")].itertuples()
    assert (change.file, change.row, change.column, change.value) == (
        NEW_FILE,
        2,
        "leerling_id",
        "9",
    )
    assert "leerling '1' (Zoë de Vries, rij 2 van het oude jaar)" in change.message
    flags = plan.students.set_index("leerling_id")["flags"]
    assert flags["9"] == "possible-id-change" and flags["1"] == "possible-id-change"
    assert flags["8"] == "" and flags["2"] == ""


@pytest.mark.produces("pupil-in-two-stamgroepen")
def test_pupil_in_two_stamgroepen() -> None:
    groups = [("A", "4A", "4"), ("B", "4B", "4")]
    new_pupils = [
        {"leerling_id": "1", "jaargroep": "4", "groep_id": "A"},
        {"leerling_id": "1", "jaargroep": "4", "groep_id": "B"},
        {"leerling_id": "2", "jaargroep": "4", "groep_id": "A", "samengestelde_groepen": "B"},
    ]
    plan = plan_transition(
        year("2025-2026", [], [], side="oud"),
        year("2026-2027", groups, new_pupils, side="nieuw"),
    )
    two = plan.findings[plan.findings["code"].eq("pupil-in-two-stamgroepen")]
    assert where(two) == {
        ("leerlingen.csv", 3, "groep_id", "pupil-in-two-stamgroepen"),
        ("leerlingen.csv", 4, "samengestelde_groepen", "pupil-in-two-stamgroepen"),
    }
    assert set(two["severity"]) == {"error"}
    assert "(4A en 4B)" in two["message"].iloc[0]


@pytest.mark.produces("group-too-large", "group-too-small")
def test_group_size_limits_per_sector_and_configurable() -> None:
    groups = [("P", "big", "5"), ("Q", "small", "5"), ("S", "so", "S"), ("V", "vo", "12")]
    pupils = (
        [{"leerling_id": f"p{i}", "jaargroep": "5", "groep_id": "P"} for i in range(33)]
        + [{"leerling_id": f"q{i}", "jaargroep": "5", "groep_id": "Q"} for i in range(7)]
        + [{"leerling_id": f"s{i}", "jaargroep": "S", "groep_id": "S"} for i in range(21)]
        + [{"leerling_id": f"v{i}", "jaargroep": "12", "groep_id": "V"} for i in range(30)]
    )
    new = year("2026-2027", groups, pupils, side="nieuw")
    old = year("2025-2026", [], [], side="oud")
    sizes = {"group-too-large", "group-too-small"}
    plan = plan_transition(old, new)
    found = {f for f in where(plan.findings) if f[3] in sizes}
    assert found == {
        ("groepen.csv", 2, "groepsnaam", "group-too-large"),
        ("groepen.csv", 3, "groepsnaam", "group-too-small"),
        ("groepen.csv", 4, "groepsnaam", "group-too-large"),
    }
    message = plan.findings.set_index("row").loc[4, "message"]
    assert "'so' krijgt 21 leerlingen; meer dan 20 is ongebruikelijk in het speciaal" in message
    assert plan.groups.set_index("groep_id")["sector"].to_dict() == {
        "P": "po",
        "Q": "po",
        "S": "so",
        "V": "vo",
    }
    relaxed = plan_transition(old, new, limits=GroupLimits(po=(5, 40), so=(4, 25), vo=(10, 25)))
    found = {f for f in where(relaxed.findings) if f[3] in sizes}
    assert found == {("groepen.csv", 5, "groepsnaam", "group-too-large")}


# --- the property: nobody lost, nobody counted twice --------------------------------------------

IDS = st.sampled_from(["1", "01", "001", "2", "02", "3", " 3", "4", "", "5", "05", "6"])
ECKIDS = st.sampled_from(["", "", "e1", "e2", "e3"])
JAARGROEPEN = st.sampled_from(["", "1", "2", "5", "8", "11", "14", "16", "S", "V"])
PUPIL = st.fixed_dictionaries(
    {
        "leerling_id": IDS,
        "eckid": ECKIDS,
        "jaargroep": JAARGROEPEN,
        "groep_id": st.sampled_from(["A", "B", ""]),
    }
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(PUPIL, max_size=14), st.lists(PUPIL, max_size=14))
def test_totals_always_add_up(
    old_pupils: list[dict[str, str]], new_pupils: list[dict[str, str]]
) -> None:
    groups = [("A", "A", ""), ("B", "B", "")]
    plan = plan_transition(
        year("2025-2026", groups, old_pupils, side="oud"),
        year("2026-2027", groups, new_pupils, side="nieuw"),
    )
    students = plan.students
    assert set(students["status"]) <= set(STATUSES)
    in_old = students[students["status"].ne("new")]
    in_new = students[students["status"].ne("left")]
    # every input row exactly once on its side
    assert sorted(in_old["_row_oud"].astype(int)) == list(range(2, len(old_pupils) + 2))
    assert sorted(in_new["_row_nieuw"].astype(int)) == list(range(2, len(new_pupils) + 2))
    assert plan.totals_add_up()
    assert plan.totals()["old"] == len(old_pupils) and plan.totals()["new"] == len(new_pupils)
    assert int(plan.flow["leerlingen"].sum()) == len(students)
    total = plan.summary.set_index("niveau").loc["totaal"]
    assert total[list(STATUSES)].sum() == len(students)
    per_jaargroep = plan.summary[plan.summary["niveau"].eq("jaargroep")]
    assert per_jaargroep["leerlingen_oud"].sum() == len(old_pupils)
    assert per_jaargroep["leerlingen_nieuw"].sum() == len(new_pupils)
    assert per_jaargroep[list(STATUSES)].to_numpy().sum() == len(students)
    assert (students["left_reason"].ne("") == students["status"].eq("left")).all()
    # a matched pair shares its trimmed id, its eckid or its id without leading zeros
    old_rows = {row: pupil for row, pupil in enumerate(old_pupils, start=2)}
    new_rows = {row: pupil for row, pupil in enumerate(new_pupils, start=2)}
    both = students[students["status"].isin(["promoted", "retained", "accelerated", "demoted",
                                             "continuing"])]  # fmt: skip
    for old_row, new_row in zip(both["_row_oud"], both["_row_nieuw"], strict=True):
        a, b = old_rows[int(old_row)], new_rows[int(new_row)]
        same_id = a["leerling_id"].strip() == b["leerling_id"].strip() != ""
        same_eck = a["eckid"] == b["eckid"] != ""
        zeros = a["leerling_id"].strip().lstrip("0") == b["leerling_id"].strip().lstrip("0") != ""
        assert same_id or same_eck or zeros


def test_findings_for_many_rows_equal_one_finding_per_row() -> None:
    """`for_rows` fills the message column by column; each row reads as `finding` renders it."""
    rows = pd.DataFrame(
        {
            "_file": ["a.csv", "b.csv", "b.csv"],
            "_row": pd.array([3, None, 7], dtype="Int64"),
            "leerling_id": ["1", "2", None],
            "naam": ["Zoë", "Sem", "=Bo"],
            "geboortedatum": pd.to_datetime(["2015-03-01", None, "2016-12-31"]),
        },
        index=[10, 4, 8],
    )
    params = {"leerling": rows["leerling_id"], "naam": rows["naam"], "old": "4"}
    values = pd.Series(["6", "7", None])
    many = fd.for_rows(
        "jaargroep-jump", rows, table="leerlingen", column="jaargroep", values=values, **params
    )
    one_by_one = fd.frame(
        fd.finding(
            "jaargroep-jump",
            file=file,
            table="leerlingen",
            row=row,
            column="jaargroep",
            value=value or "",
            leerling=leerling,
            naam=naam,
            old="4",
        )
        for file, row, value, leerling, naam in zip(
            ["a.csv", "b.csv", "b.csv"],
            [3, None, 7],
            ["6", "7", None],
            ["1", "2", None],
            ["Zoë", "Sem", "=Bo"],
            strict=True,
        )
    )
    pd.testing.assert_frame_equal(many, one_by_one)
    dated = fd.for_rows("jaargroep-mismatch", rows, table="leerlingen", column="geboortedatum",
                        **{key: "x" for key in _fields("jaargroep-mismatch")})  # fmt: skip
    assert dated["value"].tolist() == ["01-03-2015", "", "31-12-2016"]
    assert fd.for_rows("jaargroep-jump", rows.iloc[:0], table="leerlingen").empty
    # values of the whole table for some of its rows: each row gets its own value
    some = rows.loc[[8, 10]]
    picked = fd.for_rows("name-character-lost", some, table="leerlingen", values=rows["naam"])
    assert picked["value"].tolist() == ["=Bo", "Zoë"]
    with pytest.raises(ValueError, match="lacks parameter"):
        fd.for_rows("jaargroep-jump", rows, table="leerlingen")


def _fields(code: str) -> set[str]:
    import string

    names = {name for _, name, _, _ in string.Formatter().parse(fd.CATALOGUE[code].message)}
    return names - {None, "file", "table", "row", "column", "value"}  # type: ignore[arg-type]


# --- the text helpers the plan is built on --------------------------------------------------------

_TEXTS = st.one_of(st.none(), st.text(alphabet=" \tab0\u00a0é", max_size=6))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values=st.lists(_TEXTS, min_size=0, max_size=40), distinct=st.booleans())
def test_strip_equals_pandas_strip_for_repeating_and_distinct_values(
    values: list[str | None], distinct: bool
) -> None:
    from lwtop_toolkit.readers.files.values import STRIP_SAMPLE, strip

    # Distinct values (ids) take the value-by-value path, repeating ones the factorized path.
    repeated = [f"{i} " if distinct else "x " for i in range(STRIP_SAMPLE + 1)] + values
    text = pd.Series(repeated, index=range(7, 7 + len(repeated)), dtype="str")
    stripped = strip(text)
    assert stripped.equals(text.str.strip())
    assert stripped.index.equals(text.index)
    assert str(stripped.dtype) == "str"


def test_strip_turns_numbers_into_text_and_keeps_missing_values_missing() -> None:
    from lwtop_toolkit.readers.files.values import STRIP_SAMPLE, strip

    values = pd.Series([*range(STRIP_SAMPLE + 5), None], dtype=object)
    stripped = strip(values)
    assert stripped.iloc[3] == "3"
    assert pd.isna(stripped.iloc[-1])


@given(
    parts=st.lists(st.tuples(*[st.text(alphabet=" ab", max_size=4)] * 3), min_size=1, max_size=20)
)
def test_display_name_joins_the_stripped_parts_single_spaced(
    parts: list[tuple[str, str, str]],
) -> None:
    from lwtop_toolkit.model import display_name

    people = pd.DataFrame(parts, columns=["roepnaam", "tussenvoegsel", "achternaam"])
    expected = [" ".join(p.strip() for p in row if p.strip()) for row in parts]
    assert display_name(people).tolist() == expected


@given(
    codes=st.lists(
        st.one_of(st.none(), st.sampled_from(["0", " 8", "11 ", "16", "17", "S", " V", "", "x"])),
        max_size=30,
    )
)
def test_rank_and_sector_are_worked_out_per_code(codes: list[str | None]) -> None:
    from lwtop_toolkit.plan.frames import RANKS, rank, sector

    jaargroep = pd.Series(codes, index=range(100, 100 + len(codes)), dtype="str")
    stripped = ["" if code is None else code.strip() for code in codes]
    expected_rank = [float(RANKS[code]) if code in RANKS else None for code in stripped]
    ranks = rank(jaargroep)
    assert ranks.index.equals(jaargroep.index)
    assert [None if pd.isna(r) else r for r in ranks] == expected_rank
    expected_sector = [
        "so"
        if code in ("S", "V")
        else ""
        if code not in RANKS
        else "vo"
        if RANKS[code] >= 9
        else "po"
        for code in stripped
    ]
    assert sector(jaargroep).tolist() == expected_sector


def test_a_number_two_schools_both_use_is_two_pupils_in_a_board_plan() -> None:
    from lwtop_toolkit.board.schools import pupil_schools
    from lwtop_toolkit.samples.board import generate_board

    board = generate_board(3000)
    new = board.new
    pupils = new.leerlingen.copy()
    school = pupil_schools(new)
    first, second = sorted(school.unique())[:2]
    one, other = school[school.eq(first)].index[0], school[school.eq(second)].index[0]
    pupils.loc[other, "leerling_id"] = pupils.loc[one, "leerling_id"]  # a different child
    shared = Tables(**dict(new.items()) | {"leerlingen": pupils})

    def two_stamgroepen(plan_by_school: bool) -> int:
        plan = plan_transition(board.old, shared, by_school=plan_by_school)
        return int(plan.findings["code"].eq("pupil-in-two-stamgroepen").sum())

    assert two_stamgroepen(plan_by_school=True) == 0  # each school as if alone
    assert two_stamgroepen(plan_by_school=False) == 1  # one delivery: one number, one pupil
