"""A VO/MBO leerjaar is shown as the school says it (1-6); the code 11-16 stays in the data."""

from __future__ import annotations

import pandas as pd

from lwtop_toolkit.model import year_shown, year_word, years_shown


def test_vo_codes_are_shown_as_leerjaar() -> None:
    assert [year_shown(str(code)) for code in range(11, 17)] == ["1", "2", "3", "4", "5", "6"]


def test_other_years_stay_as_they_are() -> None:
    assert [year_shown(code) for code in ("0", "3", "8", "S", "V", "", None, 17)] == [
        "0", "3", "8", "S", "V", "", "", "17",
    ]  # fmt: skip


def test_a_column_keeps_missing_values() -> None:
    shown = years_shown(pd.Series(["12", None, "4"], dtype="str"))
    assert shown.tolist()[0] == "2" and pd.isna(shown.iloc[1]) and shown.iloc[2] == "4"


def test_the_heading_word_follows_the_years() -> None:
    assert year_word(["11", "12"]) == "leerjaar"
    assert year_word(["1", "8"]) == "groep"
    assert year_word(["3", "13"]) == "groep/leerjaar"
