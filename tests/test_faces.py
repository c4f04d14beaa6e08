"""One path for the data: the same input gives the same plan, counts and findings in every face.

Every shipped sample (and a small board of several schools) goes through `lwtop preview`,
`lwtop worklist`, `lwtop bundle` and the app's session; their counts per status and their
findings must agree, because each face calls the one orchestration (`lwtop_toolkit.flows`).
"""

from __future__ import annotations

import json
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from conftest import SAMPLE_DATA

from lwtop_toolkit import ui
from lwtop_toolkit.cli import main

OLD, NEW = "2025-2026", "2026-2027"
# (name, last year's folder, this year's folder, the LAS: None for our import files)
CASES = [
    ("importbestanden", SAMPLE_DATA / OLD, SAMPLE_DATA / NEW, None),
    ("afwijkingen", SAMPLE_DATA / OLD, SAMPLE_DATA / "afwijkingen" / NEW, None),
    ("niet-overgezet", SAMPLE_DATA / OLD, SAMPLE_DATA / "niet-overgezet" / NEW, None),
    ("magister", SAMPLE_DATA / "magister" / OLD, SAMPLE_DATA / "magister" / NEW, "magister"),
    ("somtoday", SAMPLE_DATA / "somtoday" / OLD, SAMPLE_DATA / "somtoday" / NEW, "somtoday"),
    ("eduarte", SAMPLE_DATA / "eduarte" / OLD, SAMPLE_DATA / "eduarte" / NEW, "eduarte"),
    ("esis", SAMPLE_DATA / "esis" / OLD, SAMPLE_DATA / "esis" / NEW, "esis"),
    (
        "parnassys",
        SAMPLE_DATA / "parnassys" / OLD,
        SAMPLE_DATA / "parnassys" / NEW,
        "parnassys-oso",
    ),
    ("schooloas", SAMPLE_DATA / "schooloas" / OLD, SAMPLE_DATA / "schooloas" / NEW, "schooloas"),
]
FINDING_FIELDS = ("code", "severity", "row", "column", "value")
WORKLIST_LAS = ("magister", "esis", "parnassys-oso")  # per pupil: a worklist to fill in


def _json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict]:
    status = main(list(argv))
    return status, json.loads(capsys.readouterr().out)


def _finding_keys(records: list[dict]) -> Counter:
    return Counter(tuple(str(record[field]) for field in FINDING_FIELDS) for record in records)


def _manifests(folder: Path) -> list[dict]:
    manifests = []
    for path in sorted(folder.glob("*.zip")):
        with zipfile.ZipFile(path) as archive:
            manifests.append(json.loads(archive.read("manifest.json")))
    return manifests


def _faces_agree(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, old: Path, new: Path, las: str | None
) -> dict[str, int]:
    """Run every face on one input; assert they agree; return the preview's counts."""
    las_args = ["--las", las] if las else []
    status, preview = _json(
        capsys, "preview", "--old", str(old), "--new", str(new), *las_args, "--json"
    )
    assert status in (0, 1)
    summary = preview["summary"]
    findings = _finding_keys(preview["findings"])

    # the bundles: per school one manifest; their status counts add up to the preview's
    out = tmp_path / "bundels"
    main(["bundle", "--old", str(old), "--new", str(new), "--out", str(out), *las_args,
          "--force", "--geen-werkmap", "--quiet"])  # fmt: skip
    capsys.readouterr()
    manifests = _manifests(out)
    assert manifests, "no bundle written"
    bundled = Counter()
    for manifest in manifests:
        bundled.update(manifest["status"])
    assert {key: bundled.get(key, 0) for key in summary} == summary

    # the worklist of a LAS that sets pupils ready (our import files: as if from Magister)
    if las in WORKLIST_LAS or las is None:
        how = ["--las", las] if las else ["--las", "magister", "--format", "importfiles"]
        w_status, worklist = _json(
            capsys, "worklist", "--old", str(old), "--new", str(new), *how,
            "--out", str(tmp_path / "werklijst.xlsx"), "--json",
        )  # fmt: skip
        assert w_status == status
        assert _finding_keys(worklist["findings"]) == findings

    # the app: the same counts and findings
    session = ui.Session()
    try:
        if las:
            session.set_las(las)
        plan = session.load_paths([old], [new])
        assert plan.status_counts() == summary
        # the change list the tab Wijzigingen shows is preview's
        assert session.transition is not None
        changes = session.transition.changes.loc[:, ["leerling_id", "field", "old", "new"]]
        assert changes.to_dict("records") == preview["changes"]
        seen = session.findings()
        records = seen.drop(columns="bron").to_dict("records")
        for record in records:
            record["row"] = (
                ""
                if record["row"] is None or record["row"] != record["row"]
                else int(record["row"])
            )
        assert _finding_keys(records) == _finding_keys(
            [{**r, "row": "" if r["row"] is None else r["row"]} for r in preview["findings"]]
        )
    finally:
        session.close()
    return summary


@pytest.mark.parametrize("name, old, new, las", CASES, ids=[case[0] for case in CASES])
def test_every_face_gives_the_same_counts_and_findings(
    name: str,
    old: Path,
    new: Path,
    las: str | None,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    summary = _faces_agree(capsys, tmp_path, old, new, las)
    assert sum(summary.values()) > 0


def test_a_board_gives_the_same_counts_in_every_face(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    board = tmp_path / "bestuur"
    assert main(["sample", "--scale", "1500", "--out", str(board), "--quiet"]) == 0
    capsys.readouterr()
    old, new = board / OLD, board / NEW
    summary = _faces_agree(capsys, tmp_path, old, new, None)
    assert summary["promoted"] > 0


def _without_pupil_brin(source: Path, target: Path, *, unknown_group: bool) -> Path:
    """`source`'s import files with no BRIN or vestiging for the pupils; with `unknown_group`
    the first pupil's stamgroep is a group the export does not hold."""
    target.mkdir(parents=True)
    for path in source.glob("*.csv"):
        lines = path.read_text(encoding="utf-8-sig").splitlines()
        if path.stem == "leerlingen":
            header = lines[0].split(";")
            keep = [i for i, name in enumerate(header) if name not in ("brin", "vestiging")]
            rows = [[line.split(";")[i] for i in keep] for line in lines]
            if unknown_group:
                rows[1][rows[0].index("groep_id")] = "ONBEKEND-99"
            lines = [";".join(row) for row in rows]
        (target / path.name).write_text("\r\n".join(lines) + "\r\n", encoding="utf-8-sig")
    return target


def test_a_pupil_in_an_unknown_group_without_a_brin_counts_alike_in_every_face(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The child stays with its export's school in the bundle too (it had a bundle of its own,
    `lwtop-onbekend-...zip`, and counted as new there and as left at its school)."""
    old = _without_pupil_brin(SAMPLE_DATA / OLD, tmp_path / OLD, unknown_group=False)
    new = _without_pupil_brin(SAMPLE_DATA / NEW, tmp_path / NEW, unknown_group=True)
    summary = _faces_agree(capsys, tmp_path, old, new, None)
    assert summary["left"] == 31  # the sample school's leavers: the child is not one of them
    assert [path.name for path in (tmp_path / "bundels").glob("*.zip")] == [
        "lwtop-99ZZ-2026-2027.zip"
    ]
