"""The flow between the years runs by year: a VO school's groups sorted by leerjaar on both
sides (then by name), so that most bands run straight instead of crossing."""

from __future__ import annotations

import re

from conftest import SAMPLE_DATA

from lwtop_toolkit import load, plan_transition
from lwtop_toolkit.plan.flow import flow_matrix, group_order
from lwtop_toolkit.plan.transition import TransitionPlan
from lwtop_toolkit.writers.flow import flow_figure, picture_bytes

VO = SAMPLE_DATA / "magister"
OLD_VO = ["1A", "1B", "1C", "2HV1", "2HV2", "2T1", "V3a", "3HB", "3T", "H4a", "H4b", "V4a", "4T",
          "H5a", "V5a", "V6a"]  # fmt: skip
NEW_VO = ["1A", "1B", "1C", "1D", "2HV1", "2HV2", "2T1", "V3a", "3HB", "3T", "H4a", "V4a", "4T",
          "H5a", "V5a", "V6a"]  # fmt: skip


def _plan(folder: object) -> TransitionPlan:
    old, new = load([folder / "2025-2026"]), load([folder / "2026-2027"])  # type: ignore[operator]
    return plan_transition(old.tables, new.tables)


def test_a_vo_school_s_groups_are_sorted_by_leerjaar_on_both_sides() -> None:
    plan = _plan(VO)
    old, new = group_order(plan)
    assert (old, new) == (OLD_VO, NEW_VO)
    matrix = flow_matrix(plan)
    assert list(matrix.index) == [*OLD_VO, "(nieuw)"]
    assert list(matrix.columns) == [*NEW_VO, "(vertrokken)"]
    # the picture's nodes, top to bottom in the order drawn: the same order
    svg = picture_bytes(flow_figure(plan), "svg").decode("utf-8")
    drawn = re.findall(r">([^<>]+) \(\d+\)<", svg)
    left = [label for label in drawn[: len(OLD_VO) + 1]]
    assert left == [*OLD_VO, "nieuw op school"]
    assert drawn[len(OLD_VO) + 1 : len(OLD_VO) + 1 + len(NEW_VO)] == NEW_VO


def test_a_po_school_keeps_its_order() -> None:
    old, new = group_order(_plan(SAMPLE_DATA))
    assert old == ["1/2A", "1/2B", "3", "4A", "4B", "5", "6", "7A", "7B", "8"]
    assert new == ["1/2A", "1/2B", "3", "4", "5A", "5B", "6A", "6B", "7", "8A", "8B"]
