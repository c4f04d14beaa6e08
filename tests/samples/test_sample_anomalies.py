"""The anomalies planted in the sample data are each reported, at the row of the pupil or group."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import SAMPLE_DATA

from lwtop_toolkit import load
from lwtop_toolkit.cli.main import main
from lwtop_toolkit.samples.anomalies import (
    ANOMALIES_FOLDER,
    NOT_ROLLED_OVER_FOLDER,
    plant_anomalies,
    write_anomaly_samples,
)
from lwtop_toolkit.samples.school import generate_school

OLD = SAMPLE_DATA / "2025-2026"
PLANTED = SAMPLE_DATA / ANOMALIES_FOLDER / "2026-2027"
NOT_ROLLED_OVER = SAMPLE_DATA / NOT_ROLLED_OVER_FOLDER / "2026-2027"


def preview_json(new: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict]:
    status = main(["preview", "--old", str(OLD), "--new", str(new), "--json"])
    return status, json.loads(capsys.readouterr().out)


def test_committed_anomaly_samples_match_a_fresh_generation(tmp_path: Path) -> None:
    for path in write_anomaly_samples(tmp_path):
        committed = SAMPLE_DATA / path.relative_to(tmp_path)
        assert committed.read_bytes() == path.read_bytes(), committed


def test_every_planted_anomaly_is_reported_at_its_row(capsys: pytest.CaptureFixture[str]) -> None:
    _, planted = plant_anomalies(generate_school())
    assert len({item.code for item in planted}) == len(planted) == 9
    tables = load([PLANTED]).tables
    status, document = preview_json(PLANTED, capsys)
    reported = {(item["code"], item["row"]) for item in document["findings"]}
    for item in planted:
        pupils = tables.leerlingen[tables.leerlingen["leerling_id"].eq(item.subject)]
        groups = tables.groepen[tables.groepen["groep_id"].eq(item.subject)]
        rows = pupils if not pupils.empty else groups
        assert len(rows) == 1, item
        assert (item.code, int(rows["_row"].iloc[0])) in reported, item
    assert status == 0  # anomalies are warnings: the coordinator decides


def test_an_export_made_before_the_rollover_is_an_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, document = preview_json(NOT_ROLLED_OVER, capsys)
    assert status == 1
    codes = {item["code"] for item in document["findings"] if item["severity"] == "error"}
    assert "las-not-rolled-over" in codes
