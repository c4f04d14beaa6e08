"""The hold in the app: a partial export is shown first (before the counts and every other
finding), its bundle is refused until forced, and both years are counted side by side."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hold_schools import synthetic_school
from test_ui import Flow, counts, csvs, linked, upload

from lwtop_toolkit import ui


@pytest.fixture
def flow() -> Any:
    made = Flow()
    yield made
    made.session.close()


def _cells(html: str) -> dict[str, list[str]]:
    """Per row of the counts table its label and its cells (numbers or dashes)."""
    table = html.split("lwtop-counts")[1].split("</table>")[0]
    rows = re.findall(r"<tr[^>]*><td>([^<]+)</td>(.*?)</tr>", table)
    return {
        label: re.findall(r"<td style='text-align:right[^']*'>(?:<b[^>]*>)?([^<]+)", cells)
        for label, cells in rows
    }


@pytest.mark.produces("partial-export")
def test_a_partial_export_is_shown_first_and_refused_until_forced(
    flow: Flow, tmp_path: Path
) -> None:
    school = synthetic_school(per_year=2, size=21, movers=3).only(["3B"])
    old, new = school.write(tmp_path)
    flow.read(upload(*csvs(old)), upload(*csvs(new)))
    status = flow.upload.status.text.value
    assert "lwtop-error" in status and "lijkt onvolledig" in status

    # the preview: the hold before the counts, with what to check
    summary = flow.preview.summary.value
    assert summary.index("lwtop-hold") < summary.index("Overgang 2025-2026")
    banner = summary.split("lwtop-hold")[1].split("</div>")[0]
    assert "Vastgehouden" in banner and "Kies de gewenste Klassen" in banner
    assert "ESIS" in banner and "--force" in banner
    staying = 7 * 2 * 21
    assert counts(summary)["left-without-successor"] == staying - 21
    assert f"van de {staying} leerlingen die niet uitstromen (93%); <b>vastgehouden" in summary

    # the findings: the hold first, above the counts and first in the table
    assert flow.findings.counts.value.index("lwtop-hold") < flow.findings.counts.value.index(
        "Bevindingen:"
    )
    findings = flow.session.findings()
    assert findings["code"].iloc[0] == "partial-export"
    assert findings["bron"].iloc[0] == "overgang"
    first_row = flow.findings.view.value.split("<tbody>")[1].split("</tr>")[0]
    assert "Het nieuwe jaar mist leerlingen" in first_row

    bundle = flow.box(ui.BundleBox)
    bundle.button.click()
    result = bundle.result.value
    assert "NIET gemaakt" in result and "Vastgehouden" in result and not linked(result)
    assert result.index("lwtop-held") < result.index("Het nieuwe jaar mist leerlingen")
    bundle.force.value = True
    bundle.button.click()
    result = bundle.result.value
    assert "Gemaakt terwijl er fouten openstaan (partial-export)" in result
    assert "met de aantallen van de vastgehouden export" in result
    (data,) = linked(result).values()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    assert manifest["hold"]["overridden"] is True
    assert manifest["hold"]["left_without_successor"] == staying - 21


def test_both_years_are_counted_side_by_side_without_a_hold(flow: Flow, tmp_path: Path) -> None:
    school = synthetic_school(per_year=2, size=21, movers=3)
    old, new = school.write(tmp_path)
    flow.read(upload(*csvs(old)), upload(*csvs(new)))
    assert "lwtop-done" in flow.upload.status.text.value
    summary = flow.preview.summary.value
    assert "lwtop-hold'" not in summary and "lwtop-hold" not in flow.findings.counts.value
    cells = _cells(summary)
    promoted = str(7 * 2 * 21 - 3)
    assert cells["bevorderd"] == [promoted, promoted]
    assert cells["vertrokken (uitgestroomd)"] == ["42", "–"]
    assert cells["vertrokken (overig)"] == ["3", "–"]
    assert cells["nieuw"] == ["–", "44"]
    assert cells["totaal"] == [str(8 * 42), str(7 * 42 - 3 + 44)]
    assert "<th style='text-align:right'>Vorig jaar</th>" in summary
    assert counts(summary)["left-without-successor"] == 3
    assert "(1%); de grens is 25%" in summary
