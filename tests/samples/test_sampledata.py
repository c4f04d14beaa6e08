"""The synthetic school: deterministic, valid, and its truth consistent with its tables."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from conftest import tree_bytes

from lwtop_toolkit.model import (
    PRODUCT_ROLES,
    SAMENGESTELDE_GROEP,
    STAMGROEP,
    SchoolYear,
    Tables,
    split_ids,
)
from lwtop_toolkit.samples.school import (
    BRIN,
    VESTIGING,
    SampleSchool,
    birth_window,
    generate_school,
    write_sample,
)

COMMITTED = Path(__file__).resolve().parents[2] / "sample_data"
NAME_COLUMNS = ("achternaam", "tussenvoegsel", "roepnaam")


@pytest.fixture(scope="module")
def school() -> SampleSchool:
    return generate_school()


def test_two_runs_write_identical_bytes(tmp_path: Path) -> None:
    first = write_sample(tmp_path / "a")
    second = write_sample(tmp_path / "b")
    assert [p.relative_to(tmp_path / "a") for p in first] == [
        p.relative_to(tmp_path / "b") for p in second
    ]
    assert tree_bytes(tmp_path / "a") == tree_bytes(tmp_path / "b")
    assert {p.parent.name for p in first} == {"2025-2026", "2026-2027"}


def test_committed_sample_data_matches_a_fresh_generation(tmp_path: Path) -> None:
    fresh = tree_bytes(tmp_path) if write_sample(tmp_path) else {}
    committed = {name: data for name, data in tree_bytes(COMMITTED).items() if name in fresh}
    assert committed == fresh, "regenerate sample_data/ with write_sample"


def test_other_seed_gives_other_school() -> None:
    a, b = generate_school(1), generate_school(2)
    assert not a.old.leerlingen["leerling_id"].equals(b.old.leerlingen["leerling_id"])


def _years(school: SampleSchool) -> list[tuple[SchoolYear, Tables]]:
    return [(SchoolYear(2025), school.old), (SchoolYear(2026), school.new)]


@pytest.mark.parametrize("which", ["old", "new"])
def test_year_is_valid(school: SampleSchool, which: str) -> None:
    tables: Tables = getattr(school, which)
    year = SchoolYear(2025) if which == "old" else SchoolYear(2026)
    groepen, leerlingen, medewerkers = tables.groepen, tables.leerlingen, tables.medewerkers
    assert tables.schooljaar() == year
    assert (groepen["schooljaar"] == str(year)).all()
    for frame in (groepen, leerlingen):
        assert (frame["brin"] == BRIN).all() and (frame["vestiging"] == VESTIGING).all()

    # Unique ids, also when leading zeros are ignored.
    for frame, column in ((groepen, "groep_id"), (leerlingen, "leerling_id")):
        assert frame[column].is_unique
    assert medewerkers["medewerker_id"].is_unique
    assert leerlingen["leerling_id"].str.lstrip("0").is_unique
    assert leerlingen["leerling_id"].str.fullmatch(r"\d{6}").all()
    assert leerlingen["leerling_id"].str.startswith("0").any()
    assert leerlingen["eckid"].str.fullmatch(r"eck-[0-9a-f]{64}").all()
    assert leerlingen["eckid"].is_unique
    assert all(gid.startswith(f"G{year.start}-") for gid in groepen["groep_id"])

    # Names: trimmed, no double spaces, tussenvoegsel at most 10 characters, about a third.
    for frame in (leerlingen, medewerkers):
        for column in NAME_COLUMNS:
            values = frame[column]
            assert (values == values.str.strip()).all()
            assert not values.str.contains("  ").any()
        assert (frame["achternaam"] != "").all() and (frame["roepnaam"] != "").all()
        assert (frame["tussenvoegsel"].str.len() <= 10).all()
    share = (leerlingen["tussenvoegsel"] != "").mean()
    assert 0.2 < share < 0.5
    assert not leerlingen.duplicated([*NAME_COLUMNS, "geboortedatum"]).any()
    assert set(leerlingen["geslacht"]) <= {"M", "V", "X"}
    initials = leerlingen["roepnaam"].str[0].str.upper() + "."
    assert (leerlingen["voorletters"].str[:2] == initials).all()
    assert (leerlingen["opleiding"] == "").all()

    # Groups: stamgroepen with pupils (realistic sizes), one samengestelde groep.
    assert set(groepen["soort"]) == {STAMGROEP, SAMENGESTELDE_GROEP}
    stam = groepen[groepen["soort"] == STAMGROEP].set_index("groep_id")
    samengesteld = groepen[groepen["soort"] == SAMENGESTELDE_GROEP]
    assert len(samengesteld) == 1 and (samengesteld["jaargroep"] == "").all()
    assert set(leerlingen["groep_id"]) == set(stam.index)
    sizes = leerlingen["groep_id"].value_counts()
    assert sizes.between(15, 30).all()
    assert sizes.between(20, 30).mean() >= 0.8
    assert 230 <= len(leerlingen) <= 270
    combination = stam[stam["jaargroep"] == ""]
    assert sorted(combination["groepsnaam"]) == ["1/2A", "1/2B"]
    group_jaargroep = leerlingen["groep_id"].map(stam["jaargroep"])
    single = group_jaargroep != ""
    assert (leerlingen.loc[single, "jaargroep"] == group_jaargroep[single]).all()
    in_combination = leerlingen[~single]
    assert set(in_combination["jaargroep"]) == {"1", "2"}
    assert (in_combination.groupby("groep_id")["jaargroep"].nunique() == 2).all()
    assert set(leerlingen["jaargroep"]) == {str(j) for j in range(1, 9)}

    members = [gid for cell in leerlingen["samengestelde_groepen"] for gid in split_ids(cell)]
    assert 3 <= len(members) <= 10
    assert set(members) == set(samengesteld["groep_id"])

    # Staff.
    assert 18 <= len(medewerkers) <= 22
    assert medewerkers["medewerker_id"].str.fullmatch(r"M\d{3}").all()
    email = re.compile(r"[a-z0-9-]+(\.[a-z0-9-]+)*@example\.org")
    assert medewerkers["email"].map(lambda e: bool(email.fullmatch(e))).all()
    assert medewerkers["email"].is_unique
    assert set(medewerkers["las_rol"]) == {"LRK", "IB", "DIR", "ADM", "OWA"}
    linkable = medewerkers["rol"].isin(PRODUCT_ROLES)
    assert linkable.mean() > 0.7 and not linkable.all()


def test_ages_fit_the_jaargroep(school: SampleSchool) -> None:
    """Aged jaargroep + 3 on 1 October, except pupils who were retained or accelerated."""
    special = set(
        school.truth.loc[school.truth["status"].isin(["retained", "accelerated"]), "leerling_id"]
    )
    for year, tables in _years(school):
        for _, pupil in tables.leerlingen.iterrows():
            if year.start == 2026 and pupil["leerling_id"] in special:
                continue
            first, last = birth_window(year, int(pupil["jaargroep"]))
            assert first <= pupil["geboortedatum"].date() <= last, pupil["leerling_id"]


def test_pupils_keep_their_identity_across_years(school: SampleSchool) -> None:
    columns = ["leerling_id", *NAME_COLUMNS, "geboortedatum", "geslacht", "eckid"]
    both = school.old.leerlingen[columns].merge(
        school.new.leerlingen[columns], on="leerling_id", suffixes=("_oud", "_nieuw")
    )
    assert len(both) > 200
    for column in columns[1:]:
        assert (both[f"{column}_oud"] == both[f"{column}_nieuw"]).all(), column
    old_ids = set(school.old.groepen["groep_id"])
    assert old_ids.isdisjoint(set(school.new.groepen["groep_id"]))


def test_staff_and_links(school: SampleSchool) -> None:
    old, new = school.old, school.new
    old_staff, new_staff = (
        set(old.medewerkers["medewerker_id"]),
        set(new.medewerkers["medewerker_id"]),
    )
    assert len(old_staff - new_staff) == 1 and len(new_staff - old_staff) == 1
    assert len(new.medewerker_groepen) == 0
    links = old.medewerker_groepen
    assert not links.duplicated(["medewerker_id", "groep_id"]).any()
    assert set(links["medewerker_id"]) <= old_staff
    assert set(links["groep_id"]) <= set(old.groepen["groep_id"])
    roles = old.medewerkers.set_index("medewerker_id")["rol"]
    assert links["medewerker_id"].map(roles).isin(PRODUCT_ROLES).all()
    stam = old.groepen.loc[old.groepen["soort"] == STAMGROEP, "groep_id"]
    per_group = links["groep_id"].value_counts().reindex(stam, fill_value=0)
    assert per_group.between(1, 2).all()


def test_truth_covers_every_pupil_once(school: SampleSchool) -> None:
    truth = school.truth
    assert truth["leerling_id"].is_unique
    pupils = set(school.old.leerlingen["leerling_id"]) | set(school.new.leerlingen["leerling_id"])
    assert set(truth["leerling_id"]) == pupils
    for year_tables, group, jaargroep in (
        (school.old, "groep_oud", "jaargroep_oud"),
        (school.new, "groep_nieuw", "jaargroep_nieuw"),
    ):
        placed = year_tables.leerlingen.set_index("leerling_id")
        expected_group = truth["leerling_id"].map(placed["groep_id"]).fillna("")
        expected_jaargroep = truth["leerling_id"].map(placed["jaargroep"]).fillna("")
        assert (truth[group] == expected_group).all()
        assert (truth[jaargroep] == expected_jaargroep).all()


def test_truth_statuses(school: SampleSchool) -> None:
    truth = school.truth
    counts = truth["status"].value_counts()
    assert set(counts.index) == {"promoted", "retained", "accelerated", "new", "left"}
    assert 2 <= counts["retained"] <= 4 and counts["accelerated"] == 1
    assert counts["promoted"] > 150
    old, new = truth["jaargroep_oud"], truth["jaargroep_nieuw"]
    moved = truth["status"].isin(["promoted", "retained", "accelerated"])
    step = pd.to_numeric(new[moved]) - pd.to_numeric(old[moved])
    expected = truth.loc[moved, "status"].map({"promoted": 1, "retained": 0, "accelerated": 2})
    assert (step == expected).all()

    left = truth[truth["status"] == "left"]
    assert (left["groep_nieuw"] == "").all()
    assert set(left["left_reason"]) == {"graduated", "other"}
    assert (truth.loc[truth["status"] != "left", "left_reason"] == "").all()
    final = school.old.leerlingen.loc[school.old.leerlingen["jaargroep"] == "8", "leerling_id"]
    graduated = truth.loc[truth["left_reason"] == "graduated", "leerling_id"]
    assert set(graduated) == set(final)
    assert set(left.loc[left["left_reason"] == "other", "jaargroep_oud"]) <= set("1234567")

    new_pupils = truth[truth["status"] == "new"]
    assert (new_pupils["groep_oud"] == "").all()
    assert (new_pupils["jaargroep_nieuw"] == "1").sum() >= 15
    assert new_pupils["jaargroep_nieuw"].isin(list("34567")).sum() >= 2


def test_a_group_is_split_and_the_combination_groups_reshuffled(school: SampleSchool) -> None:
    promoted = school.truth[school.truth["status"] == "promoted"]
    targets = promoted.groupby("groep_oud")["groep_nieuw"].nunique()
    assert (targets >= 2).sum() >= 2  # old `5` and the 1/2 groups
    assert targets["G2025-5"] == 2
