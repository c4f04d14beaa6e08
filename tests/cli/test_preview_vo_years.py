"""A VO school reads its years as it says them, leerjaar 1-6, in `lwtop preview`'s text and in
the app's tables; `--json` keeps the codes 11-16 (the data's, as the bundle writes them)."""

from __future__ import annotations

import json
import re

import pytest
from conftest import SAMPLE_DATA

from lwtop_toolkit import ui
from lwtop_toolkit.cli.main import main

VO = SAMPLE_DATA / "magister"  # Magister's sample is a VO school (99VO)
ARGS = ["preview", "--old", str(VO / "2025-2026"), "--new", str(VO / "2026-2027")]


def _columns(text: str, start: str) -> list[str]:
    """The cells (two spaces or more apart; empty ones left out) of the first line that starts
    with `start`."""
    line = next(line for line in text.splitlines() if line.strip().startswith(start))
    return re.split(r"\s{2,}", line.strip())


def test_the_text_shows_leerjaar_1_to_6(capsys: pytest.CaptureFixture[str]) -> None:
    main([*ARGS, "--quiet"])
    out = capsys.readouterr().out
    header = _columns(out, "groep ")
    assert header[:3] == ["groep", "leerjaren", "leerlingen"]
    assert _columns(out, "2HV1")[:3] == ["2HV1", "2", "16"]
    assert _columns(out, "V6a")[:3] == ["V6a", "6", "12"]
    pupils = _columns(out, "leerlingnummer")
    assert pupils[3] == "lj" and pupils[5] == "lj"
    assert _columns(out, "006226")[2:5] == ["1A", "1", "nieuw"]  # a new pupil in the brugklas
    # a retained pupil: the same leerjaar in both years
    retained = next(line for line in out.splitlines() if "doublure" in line and "3HB" in line)
    assert re.split(r"\s{2,}", retained.strip())[2:6] == ["3HB", "3", "3HB", "3"]
    table = out.split("Groepen van het nieuwe jaar:\n")[1].split("\n\n")[0].splitlines()[1:]
    assert len(table) == 16
    assert {re.split(r"\s{2,}", row.strip())[1] for row in table} == set("123456")


def test_json_keeps_the_codes(capsys: pytest.CaptureFixture[str]) -> None:
    main([*ARGS, "--json", "--quiet"])
    document = json.loads(capsys.readouterr().out)
    codes = {pupil["jaargroep_nieuw"] for pupil in document["students"]} - {""}
    assert codes == {str(code) for code in range(11, 17)}
    assert {group["jaargroep"] for group in document["groups"]} == codes


def test_the_app_shows_leerjaar_1_to_6() -> None:
    session = ui.Session()
    try:
        preview = ui.PreviewPanel(session)
        session.load_paths([VO / "2025-2026"], [VO / "2026-2027"])
        groups = preview.groups.value
        assert "<th>Leerjaren</th>" in groups and "<th>Jaargroepen</th>" not in groups
        assert "<td>2HV1</td><td>2</td>" in groups and "<td>V6a</td><td>6</td>" in groups
        assert "<td>11</td>" not in groups and "VO-leerjaar" not in groups
        preview.search.value = "006226"
        found = preview.found.value
        assert "<th>Lj</th>" in found
        assert "<td>1A</td><td>1</td><td>nieuw</td>" in found
    finally:
        session.close()
