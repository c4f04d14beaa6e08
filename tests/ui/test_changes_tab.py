"""The app's tab `Wijzigingen`: the plan's change list, as preview and the workbook show it."""

from __future__ import annotations

import re

from conftest import SAMPLE_DATA

from lwtop_toolkit import ui

OLD, NEW = SAMPLE_DATA / "2025-2026", SAMPLE_DATA / "afwijkingen" / "2026-2027"


def test_the_tab_lists_every_changed_field_beside_the_anomalies() -> None:
    session = ui.Session()
    try:
        preview = ui.PreviewPanel(session)
        titles = [preview.tabs.get_title(index) for index in range(len(preview.tabs.children))]
        assert titles[2:4] == ["Bijzonderheden", "Wijzigingen"]
        session.load_paths([OLD], [NEW])
        shown = preview.changes.value
        found = dict(re.findall(r"data-key='([\w-]+)'>(\d+)<", shown))
        assert found == {"changed-pupils": "3", "changes": "4"}
        assert len(session.transition.changes) == 4
        # a corrected birth date in Dutch order, an ECK-iD that is gone shown as empty
        assert (
            "<td>052562</td><td>Julia Peters</td><td>Julia Peters</td><td>Geboortedatum</td>"
            in shown
        )
        assert "<td>18-02-2016</td><td>18-02-2012</td>" in shown
        assert "<td>ECK-iD</td>" in shown and "<td>(leeg)</td>" in shown
    finally:
        session.close()
