"""Same number, another child: a matched pupil whose name and birth date (or sex with either)
changed is reported at its row; a spelling fix or a corrected birth date is a change only; a
generated `#`-key is never matched by the key alone."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import where
from pupil_years import CLASSMATES, planned

from lwtop_toolkit import flows


def transition(folder: Path, old: tuple[str, ...], new: tuple[str, ...]) -> flows.Transition:
    """Both years as every face plans them: `old` and `new` at row 2 of their file, the same
    classmates after them."""
    return planned(folder, [old, *CLASSMATES], [new, *CLASSMATES])


def of_code(
    done: flows.Transition, code: str = "same-number-other-child"
) -> list[tuple[str, int | None, str, str]]:
    return sorted(where(done.findings[done.findings["code"].eq(code)]), key=str)


@pytest.mark.produces("same-number-other-child")
def test_a_reused_number_with_another_child_is_an_error_at_its_row(tmp_path: Path) -> None:
    done = transition(
        tmp_path,
        ("1001", "Bakker", "Sem", "2018-03-01", "M", ""),
        ("1001", "Visser", "Noor", "2017-11-11", "V", ""),
    )
    assert of_code(done) == [("leerlingen.csv", 2, "leerling_id", "same-number-other-child")]
    [found] = done.findings[done.findings["code"].eq("same-number-other-child")].itertuples()
    assert found.severity == "error" and found.value == "1001"
    assert found.message.startswith(
        "Leerling '1001' (Noor Visser) is gekoppeld aan leerling '1001' van vorig jaar "
        "(Sem Bakker) via het leerlingnummer, maar de naam, de geboortedatum (01-03-2018 → "
        "11-11-2017) en het geslacht (M → V) verschillen."
    )
    flags = done.plan.students.set_index("leerling_id")["flags"]
    assert flags["1001"] == "same-number-other-child" and flags["2000"] == ""
    # the plan still pairs them (the number is the school's), and lists what changed
    assert done.plan.students.set_index("leerling_id").loc["1001", "status"] == "promoted"
    changed = done.changes[done.changes["leerling_id"].eq("1001")]
    assert changed["field"].tolist() == [
        "achternaam", "roepnaam", "voorletters", "geboortedatum", "geslacht",
    ]  # fmt: skip


# (last year's pupil, this year's pupil under the same number) as (roepnaam, born, sex)
ANOTHER_CHILD = {
    "name and birth date": (("Sem", "2018-03-01", "M"), ("Noor", "2017-11-11", "M")),
    "sex and birth date": (("Sem", "2018-03-01", "M"), ("Sem", "2017-11-11", "V")),
    "sex and name": (("Sem", "2018-03-01", "M"), ("Noor", "2018-03-01", "V")),
}
THE_SAME_CHILD = {
    "name alone": (("Sem", "2018-03-01", "M"), ("Noor", "2018-03-01", "M")),
    "birth date alone": (("Sem", "2018-03-01", "M"), ("Sem", "2018-01-03", "M")),
    "sex alone": (("Sem", "2018-03-01", "M"), ("Sem", "2018-03-01", "V")),
    "sex from unknown and a new name": (("Sem", "2018-03-01", "O"), ("Noor", "2018-03-01", "V")),
    "spelling fix and birth date": (
        ("Mohamed", "2018-03-01", "M"),
        ("Mohammed", "2018-01-03", "M"),
    ),
}


def _same_number(tmp_path: Path, case: tuple[tuple[str, str, str], ...]) -> flows.Transition:
    (first, born, sex), (new_first, new_born, new_sex) = case
    return transition(
        tmp_path,
        ("1001", "Amrani", first, born, sex, ""),
        ("1001", "Amrani", new_first, new_born, new_sex, ""),
    )


@pytest.mark.produces("same-number-other-child")
@pytest.mark.parametrize("case", list(ANOTHER_CHILD), ids=list(ANOTHER_CHILD))
def test_another_child_is_name_and_birth_date_or_sex_with_either(case: str, tmp_path: Path) -> None:
    done = _same_number(tmp_path, ANOTHER_CHILD[case])
    assert of_code(done) == [("leerlingen.csv", 2, "leerling_id", "same-number-other-child")]


@pytest.mark.parametrize("case", list(THE_SAME_CHILD), ids=list(THE_SAME_CHILD))
def test_one_change_alone_or_a_similar_name_is_a_change_and_not_an_alarm(
    case: str, tmp_path: Path
) -> None:
    done = _same_number(tmp_path, THE_SAME_CHILD[case])
    assert of_code(done) == []
    assert done.findings[done.findings["severity"].eq("error")].empty
    assert not done.changes[done.changes["leerling_id"].eq("1001")].empty


def test_a_spelling_fix_is_a_change_and_not_an_alarm(tmp_path: Path) -> None:
    done = transition(
        tmp_path,
        ("1001", "Amrani", "Mohamed", "2018-03-01", "M", ""),
        ("1001", "Amranni", "Mohammed", "2018-03-01", "M", ""),
    )
    assert of_code(done) == [] and done.findings[done.findings["severity"].eq("error")].empty
    rows = done.changes.loc[:, ["leerling_id", "field", "old", "new"]].to_dict("records")
    assert rows == [
        {"leerling_id": "1001", "field": "achternaam", "old": "Amrani", "new": "Amranni"},
        {"leerling_id": "1001", "field": "roepnaam", "old": "Mohamed", "new": "Mohammed"},
    ]


def test_a_corrected_birth_date_with_the_same_name_is_a_change_and_not_an_alarm(
    tmp_path: Path,
) -> None:
    done = transition(
        tmp_path,
        ("1001", "Bakker", "Sem", "2018-03-01", "M", ""),
        ("1001", "Bakker", "Sem", "2017-03-01", "M", ""),
    )
    assert of_code(done) == []
    rows = done.changes.loc[:, ["leerling_id", "field", "old", "new"]].to_dict("records")
    assert rows == [
        {"leerling_id": "1001", "field": "geboortedatum", "old": "2018-03-01", "new": "2017-03-01"}
    ]


@pytest.mark.produces(
    "same-number-other-child", "matched-without-leading-zeros", "matched-on-eckid"
)
@pytest.mark.parametrize(
    "old_id, new_id, eckid, via, also",
    [
        ("092136", "92136", "", "het leerlingnummer zonder voorloopnullen",
         "matched-without-leading-zeros"),
        ("1001", "3003", "eck-1", "het ECK-iD", "matched-on-eckid"),
    ],
    ids=["leading zeros", "eckid"],
)  # fmt: skip
def test_a_number_matched_without_leading_zeros_or_by_eckid_follows_the_same_rule(
    old_id: str, new_id: str, eckid: str, via: str, also: str, tmp_path: Path
) -> None:
    done = transition(
        tmp_path,
        (old_id, "Bakker", "Sem", "2018-03-01", "M", eckid),
        (new_id, "Visser", "Noor", "2017-11-11", "M", eckid),
    )
    assert of_code(done) == [("leerlingen.csv", 2, "leerling_id", "same-number-other-child")]
    [message] = done.findings.loc[done.findings["code"].eq("same-number-other-child"), "message"]
    assert f"leerling '{old_id}' van vorig jaar (Sem Bakker) via {via}, maar" in message
    assert of_code(done, also) == [("leerlingen.csv", 2, "leerling_id", also)]
    assert done.changes["field"].tolist()[0] == "leerling_id"


def test_a_generated_hash_key_is_never_matched_by_the_key_alone(tmp_path: Path) -> None:
    done = transition(
        tmp_path,
        ("#17", "Bakker", "Sem", "2018-03-01", "M", ""),
        ("#17", "Visser", "Noor", "2017-11-11", "V", ""),
    )
    students = done.plan.students
    hashed = students[students["leerling_id"].eq("#17")]
    assert sorted(hashed["status"]) == ["left", "new"]  # two children, not one matched
    assert of_code(done) == [] and done.changes.empty
    assert done.plan.totals()["matched"] == len(CLASSMATES)


@pytest.mark.produces("same-number-other-child")
def test_a_hash_key_pupil_is_matched_by_its_eckid_and_then_judged_alike(tmp_path: Path) -> None:
    same = transition(
        tmp_path / "zelfde",
        ("#17", "Bakker", "Sem", "2018-03-01", "M", "eck-17"),
        ("#17", "Bakker", "Sem", "2018-03-01", "M", "eck-17"),
    )
    assert same.plan.students.set_index("leerling_id").loc["#17", "matched_by"] == "eckid"
    assert of_code(same) == []
    other = transition(
        tmp_path / "ander",
        ("#17", "Bakker", "Sem", "2018-03-01", "M", "eck-17"),
        ("#21", "Visser", "Noor", "2017-11-11", "M", "eck-17"),
    )
    assert of_code(other) == [("leerlingen.csv", 2, "leerling_id", "same-number-other-child")]
