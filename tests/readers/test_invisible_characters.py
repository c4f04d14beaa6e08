"""Zero-width characters and no-break spaces (copied from a web page or a PDF) never reach the
tables: they are dropped, or become ordinary spaces, in every cell of CSV, XLSX and EDEXML, with
one `info` per file and column that says how many cells and the first row."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from corpus import files as f

from lwtop_toolkit import load

ZERO_WIDTH = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff")
NO_BREAK = ("\u00a0", "\u202f")


def _dirty_rows() -> list[list[object]]:
    """The clean pupil list with invisible characters in ids, names and a group."""
    rows = f.pupil_rows()
    rows[1][0] = "1001\u200b"  # leerlingnummer, row 2
    rows[2][1] = "de\u00a0Vries"  # achternaam, row 3
    rows[4][1] = "\u2060Bakker\u202f"  # achternaam, row 5
    rows[3][2] = "El\u200dif\ufeff"  # roepnaam, row 4
    rows[2][5] = "4B\u200c"  # groep, row 3
    return rows


def _assert_clean(pupils: pd.DataFrame) -> None:
    for column in ("leerling_id", "achternaam", "roepnaam", "groep_id"):
        for value in pupils[column]:
            assert not any(char in value for char in ZERO_WIDTH + NO_BREAK), (column, value)
    assert "1001" in set(pupils["leerling_id"])
    assert "de Vries" in set(pupils["achternaam"])
    assert "Bakker " in set(pupils["achternaam"])  # an ordinary space, as if typed
    assert "Elif" in set(pupils["roepnaam"])


def _cleaned(findings: pd.DataFrame) -> dict[str, tuple[int, str, str]]:
    """{column: (first row, severity, message)} of the `invisible-characters` findings."""
    hits = findings[findings["code"].eq("invisible-characters")]
    assert not hits["column"].duplicated().any()  # one per column
    return {
        column: (int(row), severity, message)
        for column, row, severity, message in zip(
            hits["column"], hits["row"], hits["severity"], hits["message"], strict=True
        )
    }


@pytest.mark.produces("invisible-characters")
@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_invisible_characters_are_cleaned_in_every_cell_with_one_info_per_column(
    tmp_path: Path, suffix: str
) -> None:
    (tmp_path / "lwtop.toml").write_text(f.SETTINGS, encoding="utf-8")
    path = tmp_path / f"leerlingen{suffix}"
    rows = _dirty_rows()
    f.write(path, f.csv_text(rows) if suffix == ".csv" else f.workbook(rows))
    loaded = load([path])
    _assert_clean(loaded.tables.leerlingen)
    assert set(loaded.tables.groepen["groep_id"]) <= {"3A", "4B"}
    assert "invisible-characters" in set(loaded.findings["code"])
    cleaned = _cleaned(loaded.findings)
    assert {column: row for column, (row, _, _) in cleaned.items()} == {
        "leerling_id": 2, "achternaam": 3, "roepnaam": 4, "groep_id": 3,
    }  # fmt: skip
    _, severity, message = cleaned["achternaam"]
    assert severity == "info"
    assert "2 cel" in message and "rij 3" in message


@pytest.mark.produces("invisible-characters")
def test_edexml_text_is_cleaned_the_same_way(tmp_path: Path) -> None:
    pupils = [
        f.edex_pupil("001", "de\u00a0Jong"),
        f.edex_pupil("002\u200b", "Bakker\u2060"),
    ]
    path = tmp_path / "EDEX.xml"
    f.write(path, f.edex(pupils))
    loaded = load([path])
    table = loaded.tables.leerlingen
    assert sorted(table["achternaam"]) == ["Bakker", "de Jong"]
    assert sorted(table["leerling_id"]) == ["001", "002"]
    assert "invisible-characters" in set(loaded.findings["code"])
    cleaned = _cleaned(loaded.findings)
    assert set(cleaned) == {"achternaam", "leerling_id"}
    assert cleaned["achternaam"][1] == "info" and "2 cel" in cleaned["achternaam"][2]


def test_a_list_without_such_characters_says_nothing(tmp_path: Path) -> None:
    (tmp_path / "lwtop.toml").write_text(f.SETTINGS, encoding="utf-8")
    path = tmp_path / "leerlingen.csv"
    f.write(path, f.csv_text(f.pupil_rows()))
    loaded = load([path])
    assert _cleaned(loaded.findings) == {}
    assert "Öztürk" in set(loaded.tables.leerlingen["achternaam"])  # other letters stay
