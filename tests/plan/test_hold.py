"""The hold (`plan/hold.py`): a new export with some classes only is held as partial; a normal
year with a handful of movers is not, at any size; the school's `[overgang]` limits decide."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from conftest import SAMPLE_DATA
from hold_schools import synthetic_school

from lwtop_toolkit import Tables, ToolkitError, flows, plan_transition
from lwtop_toolkit.cli.main import main
from lwtop_toolkit.plan.hold import SIDE_BY_SIDE_KEYS, check_hold, side_by_side
from lwtop_toolkit.readers.school_settings import HoldLimits, hold_limits, load_settings

OLD, NEW = "2025-2026", "2026-2027"
# Every shipped sample with both years: (last year, this year, the LAS to read them with).
SAMPLES = [
    (SAMPLE_DATA / OLD, SAMPLE_DATA / NEW, None),
    (SAMPLE_DATA / OLD, SAMPLE_DATA / "afwijkingen" / NEW, None),
    (SAMPLE_DATA / OLD, SAMPLE_DATA / "niet-overgezet" / NEW, None),
    *[
        (SAMPLE_DATA / las / OLD, SAMPLE_DATA / las / NEW, code)
        for las, code in (
            ("magister", "magister"),
            ("somtoday", "somtoday"),
            ("eduarte", "eduarte"),
            ("esis", "esis"),
            ("parnassys", "parnassys-oso"),
            ("schooloas", "schooloas"),
        )
    ],
]


def _held(old: Tables, new: Tables, limits: HoldLimits | None = None) -> list:
    plan = plan_transition(old, new)
    return check_hold(plan.students, (lambda files: limits) if limits else None).held


@pytest.mark.parametrize(("old", "new", "las"), SAMPLES, ids=[str(s[1]) for s in SAMPLES])
def test_no_shipped_sample_is_held(old: Path, new: Path, las: str | None) -> None:
    done = flows.plan_years(flows.load_both([old], [new], las_code=las))
    assert done.hold is not None and done.hold.schools
    assert done.hold.held == []
    assert "partial-export" not in set(done.findings["code"])
    for school in done.hold.schools.values():
        assert school.share < 0.05  # a normal year: a few per cent leave without a successor


@pytest.mark.parametrize(
    ("per_year", "size", "movers"),
    [(1, 14, 3), (2, 27, 9), (4, 29, 30), (6, 31, 70)],
    ids=["small", "middle", "large", "very-large"],
)
def test_a_normal_year_with_movers_is_not_held_at_any_size(
    per_year: int, size: int, movers: int
) -> None:
    school = synthetic_school(per_year=per_year, size=size, movers=movers)
    plan = plan_transition(school.old, school.new)
    hold = check_hold(plan.students)
    (figures,) = hold.schools.values()
    assert (figures.left, figures.finishing) == (movers, per_year * size)  # groep 8 finishes
    assert figures.staying == 7 * per_year * size and not figures.vanished
    assert hold.held == [] and hold.findings.empty


@pytest.mark.produces("partial-export")
@pytest.mark.parametrize(("per_year", "size"), [(1, 17), (3, 26)], ids=["small", "large"])
def test_an_export_of_one_class_is_held_with_its_figures(per_year: int, size: int) -> None:
    school = synthetic_school(per_year=per_year, size=size, movers=4).only(["5A"])
    plan = plan_transition(school.old, school.new)
    hold = check_hold(plan.students)
    (figures,) = hold.held
    staying = 7 * per_year * size
    assert figures.staying == staying and figures.left == staying - size  # only 4A's stay
    assert figures.by_share and figures.by_groups
    assert len(figures.vanished) == 7 * per_year - 1  # every class of groep 1-7 but 4A
    (finding,) = hold.findings.to_dict("records")
    assert (finding["code"], finding["severity"], finding["table"]) == (
        "partial-export",
        "error",
        "leerlingen",
    )
    assert finding["value"] == f"12AB00: {staying - size}/{staying}"
    message = finding["message"]
    assert f"{staying - size} van de {staying} leerlingen die niet uitstromen" in message
    assert "Kies de gewenste Klassen" in message and "ESIS" in message
    assert "goede export" in message and "--force" in message and "[overgang]" in message
    assert "1/" not in finding["file"] and finding["file"] == ""  # about the export as a whole


@pytest.mark.produces("partial-export")
def test_one_class_left_out_is_held_by_the_vanished_group_not_the_share() -> None:
    school = synthetic_school(per_year=3, size=22, movers=6).without(["6C"])
    (figures,) = _held(school.old, school.new)
    assert not figures.by_share and figures.by_groups
    assert figures.vanished == (("5C", 22),)
    (finding,) = check_hold(plan_transition(school.old, school.new).students).findings.itertuples()
    assert finding.code == "partial-export" and "5C (22)" in finding.message


def test_the_limits_of_the_school_change_the_outcome() -> None:
    school = synthetic_school(per_year=3, size=22, movers=6)
    one_out = school.without(["6C"])
    assert _held(one_out.old, one_out.new)  # the defaults: no group may vanish
    tolerant = HoldLimits(max_verdwenen_groepen=1)
    assert _held(one_out.old, one_out.new, tolerant) == []  # an ISK class that moves on
    larger_groups = HoldLimits(min_groepsgrootte=23)  # 5C had 22 pupils
    assert _held(one_out.old, one_out.new, larger_groups) == []
    # the movers of a normal year held by a strict school: 6 of 462 is more than 1 %
    strict = HoldLimits(max_vertrokken_procent=1)
    (figures,) = _held(school.old, school.new, strict)
    assert figures.by_share and not figures.by_groups
    # judged only from min_leerlingen pupils who do not graduate: 462 here
    assert _held(school.old, school.new, HoldLimits(max_vertrokken_procent=1, min_leerlingen=462))
    assert not _held(
        school.old, school.new, HoldLimits(max_vertrokken_procent=1, min_leerlingen=463)
    )


def test_a_small_school_is_judged_by_its_groups_not_by_its_share() -> None:
    # 14 pupils per year: 98 who do not graduate; three families moving away is 9 %
    school = synthetic_school(per_year=1, size=14, movers=9)
    assert _held(school.old, school.new) == []
    few = synthetic_school(per_year=1, size=4, movers=6)  # 28 who stay: under min_leerlingen
    (figures,) = check_hold(plan_transition(few.old, few.new).students).schools.values()
    assert figures.share > 0.2 and not figures.by_share and not figures.held


def test_no_hold_when_no_pupil_is_found_back_in_an_export_of_the_right_size() -> None:
    """Then the numbers differ, not the classes: `no-pupils-matched` (the roll-over check) says
    what is wrong, once. An export of the new intake only is held all the same."""
    school = synthetic_school(per_year=2, size=20)
    pupils = school.new.leerlingen.assign(leerling_id="X" + school.new.leerlingen["leerling_id"])
    renumbered = Tables.from_frames(
        groepen=school.new.groepen, leerlingen=pupils, medewerkers=school.new.medewerkers
    )
    plan = plan_transition(school.old, renumbered)
    assert "no-pupils-matched" in set(plan.findings["code"])
    (figures,) = check_hold(plan.students).schools.values()
    assert figures.by_share and figures.no_match and not figures.held
    intake = school.only(["1A", "1B"])
    (figures,) = _held(intake.old, intake.new)
    assert figures.matched == 0 and figures.left == figures.staying == 7 * 2 * 20


def test_vo_leavers_without_a_known_opleiding_may_have_finished() -> None:
    """A VO export without opleiding: the plan counts only leerjaar 6 as the exam year, but a
    havo 5 or vmbo 4 class leaving is a normal year, not a partial export."""
    school = synthetic_school(per_year=2, size=25, movers=3)
    vo = {str(n): str(n + 8) for n in range(3, 9)}  # groep 3-8 as VO leerjaar 11-16

    def as_vo(tables: Tables) -> Tables:
        groups = tables.groepen[tables.groepen["jaargroep"].isin(list(vo))]
        groups = groups.assign(jaargroep=groups["jaargroep"].map(vo))
        pupils = tables.leerlingen[tables.leerlingen["jaargroep"].isin(list(vo))]
        pupils = pupils.assign(jaargroep=pupils["jaargroep"].map(vo))
        return Tables.from_frames(groepen=groups, leerlingen=pupils)

    old, new = as_vo(school.old), as_vo(school.new)
    # leerjaar 4 leaves as a whole (none in leerjaar 5 now): vmbo's exam year, when the
    # opleiding is unknown
    new = Tables.from_frames(
        groepen=new.groepen[new.groepen["jaargroep"].ne("15")],
        leerlingen=new.leerlingen[new.leerlingen["jaargroep"].ne("15")],
    )
    plan = plan_transition(old, new)
    assert plan.status_counts()["left"] >= 2 * 25 * 2
    (figures,) = check_hold(plan.students).schools.values()
    assert figures.finishing == plan.status_counts()["left"] - figures.left
    assert figures.finishing >= 2 * 25 * 2 - 3  # leerjaar 6 (graduated), leerjaar 4 (may have)
    assert not figures.vanished and not figures.held
    # with the opleiding known, leerjaar 4 of havo is no exam year: the classes vanished
    known = Tables.from_frames(
        groepen=old.groepen, leerlingen=old.leerlingen.assign(opleiding="havo")
    )
    (figures,) = check_hold(plan_transition(known, new).students).held
    assert [name for name, _ in figures.vanished] == ["6A", "6B"]


def test_the_counts_side_by_side_add_up() -> None:
    school = synthetic_school(per_year=2, size=21, movers=5)
    plan = plan_transition(school.old, school.new)
    hold = check_hold(plan.students)
    table = side_by_side(hold.schools.values()).set_index("status")
    assert list(table.index) == [*(k for k in SIDE_BY_SIDE_KEYS if k != "no_dossier"), "totaal"]
    assert table.loc["totaal", "vorig_jaar"] == len(school.old.leerlingen) == 8 * 2 * 21
    assert table.loc["totaal", "nieuw_jaar"] == len(school.new.leerlingen)
    assert table.loc["promoted"].tolist()[1:] == [7 * 2 * 21 - 5] * 2
    assert table.loc["left-graduated", "vorig_jaar"] == 2 * 21
    assert table.loc["left-other", "vorig_jaar"] == 5
    assert (table.loc["left-other", "nieuw_jaar"], table.loc["new", "vorig_jaar"]) == (0, 0)
    assert table.loc["new", "nieuw_jaar"] == 2 * 21 + 2
    counts = plan.status_counts()
    assert table.loc["new", "nieuw_jaar"] == counts["new"]
    assert table.loc[["left-graduated", "left-other"], "vorig_jaar"].sum() == counts["left"]


def test_a_board_is_judged_school_by_school(tmp_path: Path) -> None:
    board = tmp_path / "bestuur"
    assert main(["sample", "--scale", "3000", "--out", str(board), "--quiet"]) == 0
    done = flows.plan_years(flows.load_both([board / OLD], [board / NEW]))
    assert done.hold is not None and len(done.hold.schools) > 3
    assert done.hold.held == []
    # one school's new export of one class: that school held, no other
    school = sorted(path for path in (board / NEW).iterdir() if path.is_dir())[0]
    pupils = pd.read_csv(school / "leerlingen.csv", sep=";", dtype=str, keep_default_na=False)
    first = pupils["groep_id"].iloc[0]
    pupils[pupils["groep_id"].eq(first)].to_csv(
        school / "leerlingen.csv", sep=";", index=False, encoding="utf-8-sig"
    )
    done = flows.plan_years(flows.load_both([board / OLD], [board / NEW]))
    assert done.hold is not None
    assert [held.school.startswith(school.name) for held in done.hold.held] == [True]
    (finding,) = done.findings[done.findings["code"].eq("partial-export")].itertuples()
    assert f"(school {done.hold.held[0].school})" in finding.message


# --- the limits in lwtop.toml ---------------------------------------------------------------------


def test_the_limits_are_read_from_the_lwtop_toml_beside_the_export(tmp_path: Path) -> None:
    assert hold_limits([tmp_path / "leerlingen.csv"]) == HoldLimits()
    (tmp_path / "lwtop.toml").write_text(
        'brin = "12AB"\n[overgang]\nmax_vertrokken_procent = 40\nmax_verdwenen_groepen = 2\n',
        encoding="utf-8",
    )
    limits = hold_limits([tmp_path / "leerlingen.csv", tmp_path / "groepen.csv"])
    assert (limits.max_vertrokken_procent, limits.max_verdwenen_groepen) == (40.0, 2)
    assert (limits.min_leerlingen, limits.min_groepsgrootte) == (30, 5)  # the defaults
    assert limits.source.endswith("lwtop.toml")
    assert load_settings([tmp_path]).hold == limits


@pytest.mark.parametrize(
    ("table", "said"),
    [
        ("max_vertrek = 10", "onbekende instelling max_vertrek onder [overgang]"),
        ('max_vertrokken_procent = "25"', "max_vertrokken_procent onder [overgang] moet een"),
        ("max_vertrokken_procent = 120", "een percentage van 0 tot en met 100"),
        ("min_leerlingen = 2.5", "min_leerlingen onder [overgang] moet een heel getal"),
        ("max_verdwenen_groepen = -1", "0 of meer"),
    ],
)
def test_a_wrong_limit_is_one_dutch_line(tmp_path: Path, table: str, said: str) -> None:
    (tmp_path / "lwtop.toml").write_text(f"[overgang]\n{table}\n", encoding="utf-8")
    with pytest.raises(ToolkitError) as raised:
        hold_limits([tmp_path / "leerlingen.csv"])
    assert said in str(raised.value)
