"""Scale: a board in one run equals its schools one by one; `lwtop sample --scale`
is deterministic and valid; the benchmark runs; `--quiet` shows no progress bar."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pandas as pd
import pytest
from conftest import csv_frame, tree_bytes, zip_members
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from lwtop_toolkit.cli.main import main
from lwtop_toolkit.findings import ToolkitError
from lwtop_toolkit.model import SOURCE_FILE, group_positions
from lwtop_toolkit.samples.board import generate_board
from lwtop_toolkit.samples.board_files import write_board

REPO = Path(__file__).resolve().parents[2]
LWTOP = Path(sys.executable).parent / "lwtop"
OLD, NEW = "2025-2026", "2026-2027"


@pytest.fixture(scope="module")
def board(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three schools of 300 pupils, one folder per school and year (pupils move between them)."""
    folder = tmp_path_factory.mktemp("board")
    write_board(generate_board(900, seed=11, school_size=300), folder, formats=["csv"])
    return folder


def test_the_board_in_one_run_equals_each_school_alone(board: Path, tmp_path: Path) -> None:
    together = tmp_path / "samen"
    status = main(
        [*("bundle", "--old", str(board / OLD), "--new", str(board / NEW)), "--out", str(together)]
    )
    assert status == 0
    schools = sorted(path.name for path in (board / NEW).iterdir())
    assert len(schools) == 3
    zips = sorted(path.name for path in together.glob("*.zip"))
    assert zips == [f"lwtop-{school}-{NEW}.zip" for school in schools]
    assert (together / "overzicht.xlsx").exists()
    for school in schools:
        many = _same_as_alone(board, school, together, tmp_path / school)
        inputs = json.loads(many["manifest.json"])["inputs"]
        assert len(inputs) == 7  # its own files only: 4 of last year, 3 of this year


def _same_as_alone(board: Path, school: str, together: Path, alone: Path) -> dict[str, bytes]:
    """Bundle `school` alone into `alone`; its bundle in `together` must be byte for byte the
    same, member by member (the manifest too). Returns the members."""
    old, new = board / OLD / school, board / NEW / school
    assert main(["bundle", "--old", str(old), "--new", str(new), "--out", str(alone)]) == 0
    name = f"lwtop-{school}-{NEW}.zip"
    one, many = zip_members(alone / name), zip_members(together / name)
    assert sorted(one) == sorted(many)
    for member in one:
        assert one[member] == many[member], (school, member)
    return many


def _spoil(path: Path, row: int, column: str, value: str) -> None:
    """Set `column` of data row `row` (1 = the first under the header) of a CSV to `value`."""
    lines = path.read_text(encoding="utf-8-sig").split("\n")
    header = lines[0].split(";")
    cells = lines[row].split(";")
    cells[header.index(column)] = value
    lines[row] = ";".join(cells)
    path.write_text("\n".join(lines), encoding="utf-8-sig")


def test_a_schools_own_errors_stay_in_its_own_bundle(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A teacher's bad e-mail address in one school's export, a broken line in another's and a
    bad row in last year's staff of a third: in the board's run each school gets the findings
    it gets alone. Before, findings about staff rows and broken lines went to every school of
    the board: one school's error refused them all, and its data went into their bundles."""
    board = tmp_path / "board"
    write_board(generate_board(900, seed=11, school_size=300), board, formats=["csv"])
    first, second, third = sorted(path.name for path in (board / NEW).iterdir())
    _spoil(board / NEW / first / "medewerkers.csv", 1, "email", "geen-adres")
    broken = board / NEW / second / "leerlingen.csv"
    lines = broken.read_text(encoding="utf-8-sig").split("\n")
    lines.insert(2, lines[1] + ";kapotte;regel")  # two fields too many: the row is left out
    broken.write_text("\n".join(lines), encoding="utf-8-sig")
    _spoil(board / OLD / third / "medewerkers.csv", 2, "email", "ook-geen-adres")
    assert main(["validate", str(board / NEW), "--quiet"]) == 1
    shown = capsys.readouterr().out  # which school's file: every school has a medewerkers.csv
    assert f"{first}/medewerkers.csv" in shown and f"{second}/leerlingen.csv" in shown
    assert "Per school (3 scholen, 2 met bevindingen; de meeste fouten eerst):" in shown
    assert main(["validate", str(board / NEW), "--json", "--quiet"]) == 1
    document = json.loads(capsys.readouterr().out)
    per_school = {row["school"]: row for row in document["per_school"]}
    errors = [finding for finding in document["findings"] if finding["severity"] == "error"]
    assert [per_school[school]["error"] for school in (first, second, third)] == [1, 1, 0]
    assert sum(row["error"] for row in per_school.values()) == len(errors)
    from lwtop_toolkit import load

    for school in (first, second, third):  # as many as that school's export alone holds
        alone = load([board / NEW / school]).tables
        assert per_school[school]["leerlingen"] == len(alone.leerlingen), school
        assert per_school[school]["groepen"] == len(alone.groepen), school
    together = tmp_path / "samen"
    pair = ["--old", str(board / OLD), "--new", str(board / NEW)]
    assert main(["bundle", *pair, "--out", str(together), "--geen-werkmap", "--quiet"]) == 1
    refused = {path.name for path in together.glob("*.zip")}
    assert refused == {f"lwtop-{third}-{NEW}.zip"}  # last year's staff do not refuse
    assert main(["bundle", *pair, "--out", str(together), "--geen-werkmap", "--force"]) == 1
    for school, status in ((first, 1), (second, 1), (third, 0)):  # 1: forced past its errors
        alone = tmp_path / school
        old, new = board / OLD / school, board / NEW / school
        options = ["--out", str(alone), "--geen-werkmap", "--force", "--quiet"]
        assert main(["bundle", "--old", str(old), "--new", str(new), *options]) == status
        name = f"lwtop-{school}-{NEW}.zip"
        one, many = zip_members(alone / name), zip_members(together / name)
        assert one["bevindingen.csv"] == many["bevindingen.csv"], school
        assert one == many, school
    findings = {
        school: zip_members(together / f"lwtop-{school}-{NEW}.zip")["bevindingen.csv"]
        for school in (first, second, third)
    }
    assert b"geen-adres" in findings[first] and b"geen-adres" not in findings[second]
    assert b"malformed-row" in findings[second] and b"malformed-row" not in findings[first]
    assert b"ook-geen-adres" in findings[third] and b"ook-geen-adres" not in findings[first]


def test_rows_are_compared_with_rows_of_their_own_export(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Checks that compare rows with each other (one school year per delivery, the same
    person twice, ids that differ only in leading zeros) compare the rows of one export: across
    a board's exports nothing keeps them consistent. Before, a school whose LAS was not rolled
    over yet refused the bundle of another school, and a pupil of one school was reported as
    possibly the same as one of another school, in the other school's bundle."""
    board = tmp_path / "board"
    write_board(generate_board(900, seed=11, school_size=300), board, formats=["csv"])
    first, second, third = sorted(path.name for path in (board / NEW).iterdir())
    groups = board / NEW / second / "groepen.csv"
    groups.write_text(groups.read_text(encoding="utf-8-sig").replace(NEW, OLD), "utf-8-sig")
    pupils = (board / NEW / first / "leerlingen.csv").read_text(encoding="utf-8-sig")
    header, twin = pupils.split("\n")[:2]
    columns = header.split(";")
    cells = twin.split(";")
    cells[columns.index("leerling_id")] = "0" + cells[columns.index("leerling_id")]
    cells[columns.index("eckid")] = ""
    theirs = board / NEW / third / "leerlingen.csv"
    lines = theirs.read_text(encoding="utf-8-sig").split("\n")
    cells[columns.index("groep_id")] = lines[1].split(";")[columns.index("groep_id")]
    for column in ("brin", "vestiging"):
        cells[columns.index(column)] = lines[1].split(";")[columns.index(column)]
    lines.insert(2, ";".join(cells))  # the first school's pupil, with a leading zero
    theirs.write_text("\n".join(lines), encoding="utf-8-sig")
    together = tmp_path / "samen"
    pair = ["--old", str(board / OLD), "--new", str(board / NEW)]
    main(["bundle", *pair, "--out", str(together), "--force", "--quiet"])
    for school in (first, second, third):
        alone = tmp_path / school
        years = ["--old", str(board / OLD / school), "--new", str(board / NEW / school)]
        main(["bundle", *years, "--out", str(alone), "--force", "--quiet"])
        (name,) = [path.name for path in alone.glob("*.zip")]  # not rolled over: last year's
        one, many = zip_members(alone / name), zip_members(together / name)
        assert one["bevindingen.csv"].decode() == many["bevindingen.csv"].decode(), school
        assert one == many, school
    first_findings = zip_members(together / f"lwtop-{first}-{NEW}.zip")["bevindingen.csv"]
    assert b"mixed-schooljaar" not in first_findings
    capsys.readouterr()
    main(["validate", str(board / NEW), "--quiet"])  # the board's report says it apart
    shown = capsys.readouterr().out
    assert "Let op: 1 keer staat een leerling met dezelfde naam en geboortedatum" in shown
    assert f"({first})" in shown and f"({third})" in shown and "dubbel ingeschreven" in shown
    main(["validate", str(board / NEW / third), "--quiet"])  # one school: nothing to say
    assert "dubbel ingeschreven" not in capsys.readouterr().out
    workbook = tmp_path / "preview.xlsx"  # the board's preview says it too
    main(["preview", *pair, "--xlsx", str(workbook), "--png", str(tmp_path / "p.png"), "--quiet"])
    assert f"({first})" in capsys.readouterr().out.split("dubbel ingeschreven")[0]
    main(["preview", *pair, "--json", "--quiet"])
    (twice,) = json.loads(capsys.readouterr().out)["enrolled_twice"]
    assert {twice["school"], twice["other_school"]} == {first, third}
    sheet = load_workbook(workbook, read_only=True)["Bevindingen"]  # which school's file
    files = {row[4] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert f"{third}/leerlingen.csv" in files and "leerlingen.csv" not in files


def test_a_pupil_is_placed_in_a_group_of_its_own_export(tmp_path: Path) -> None:
    """A pupil whose group id is not in its own school's export, but is a group of another
    school of the board: alone, the school reports the group as unknown (an error) and keeps
    the pupil. Before, the board's run put the child in the other school's group and bundle,
    and neither bundle was refused. The same for a samengestelde groep (last year's export).
    The schools concerned are planned alone; the third school still in the board's plan."""
    board = tmp_path / "board"
    write_board(generate_board(900, seed=11, school_size=300), board, formats=["csv"])
    first, second, third = sorted(path.name for path in (board / NEW).iterdir())
    for year, column in ((NEW, "groep_id"), (OLD, "samengestelde_groepen")):
        theirs = (board / year / first / "groepen.csv").read_text(encoding="utf-8-sig")
        header, row = theirs.split("\n")[:2]
        foreign = row.split(";")[header.split(";").index("groep_id")]
        _spoil(board / year / third / "leerlingen.csv", 1, column, foreign)
    together = tmp_path / "samen"
    pair = ["--old", str(board / OLD), "--new", str(board / NEW)]
    assert main(["bundle", *pair, "--out", str(together), "--quiet"]) == 1
    refused = {path.name for path in together.glob("*.zip")}
    assert f"lwtop-{third}-{NEW}.zip" not in refused
    assert main(["bundle", *pair, "--out", str(together), "--force", "--quiet"]) == 1
    for school in (first, second, third):
        alone = tmp_path / school
        years = ["--old", str(board / OLD / school), "--new", str(board / NEW / school)]
        main(["bundle", *years, "--out", str(alone), "--force", "--quiet"])
        name = f"lwtop-{school}-{NEW}.zip"
        one, many = zip_members(alone / name), zip_members(together / name)
        assert one["bevindingen.csv"].decode() == many["bevindingen.csv"].decode(), school
        assert one == many, school
    third_findings = zip_members(together / f"lwtop-{third}-{NEW}.zip")["bevindingen.csv"]
    assert third_findings.count(b"unknown-group") == 2  # one in each year


_REFS = st.lists(st.tuples(st.sampled_from(["1A", "1B", "2A", ""]), st.sampled_from("ABC")))


@given(groups=_REFS, refs=_REFS)
def test_group_positions_look_in_the_reference_s_own_export(
    groups: list[tuple[str, str]], refs: list[tuple[str, str]]
) -> None:
    """Against a lookup by hand: the first group of the id in the reference's own export; for a
    reference from an export without groups (C may have none) or no file, the first anywhere."""
    folder = {"A": "/b/A", "B": "/b/B", "C": ""}
    frame = pd.DataFrame(
        {
            "groep_id": pd.Series([group for group, _ in groups], dtype="str"),
            SOURCE_FILE: pd.Series([f"{folder[e]}/groepen.csv" for _, e in groups], dtype="str"),
        }
    )
    exports = {folder[e] for _, e in groups if folder[e]}
    wanted = []
    for group, export in refs:
        where = [i for i, (g, e) in enumerate(groups) if g == group]
        if folder[export] in exports:
            where = [i for i in where if folder[groups[i][1]] == folder[export]]
        wanted.append(where[0] if where else -1)
    ids = pd.Series([group for group, _ in refs], dtype="str")
    found = group_positions(frame, ids, pd.Series([folder[e] for _, e in refs], dtype="str"))
    assert found.tolist() == wanted


def test_staff_suggestions_for_a_board_are_those_of_each_school_alone(board: Path) -> None:
    """Step 2's suggestions ("zelfde groep vorig jaar", "zelfde jaargroep vorig jaar") come from
    the group's own school. They matched group names across the whole board: every school's 1A
    got the teacher of one school's 1A."""
    from lwtop_toolkit import load
    from lwtop_toolkit.steps.staffing import suggest_staff

    together = suggest_staff(load([board / OLD]).tables, load([board / NEW]).tables).groups
    together = together.set_index("groep_id")
    suggested = 0
    for folder in sorted((board / NEW).iterdir()):
        old, new = load([board / OLD / folder.name]).tables, load([folder]).tables
        alone = suggest_staff(old, new).groups.set_index("groep_id")
        assert together.loc[alone.index, "medewerkers"].tolist() == alone["medewerkers"].tolist()
        assert together.loc[alone.index, "bron"].tolist() == alone["bron"].tolist()
        suggested += int(alone["bron"].isin(["same_group", "same_jaargroep"]).sum())
    assert suggested >= 10  # the sample's staff are linked last year: there is something to test


def test_pupils_who_change_school_are_left_and_new(board: Path) -> None:
    from lwtop_toolkit import load, plan_transition

    old, new = load([board / OLD]).tables, load([board / NEW]).tables
    moved = set(old.leerlingen["leerling_id"]) & set(new.leerlingen["leerling_id"])
    school_of = dict(zip(old.leerlingen["leerling_id"], old.leerlingen["brin"], strict=True))
    changed = new.leerlingen[
        new.leerlingen["leerling_id"].isin(moved)
        & new.leerlingen["brin"].ne(new.leerlingen["leerling_id"].map(school_of))
    ]
    assert len(changed) >= 1  # the sample has pupils who moved to another school
    plan = plan_transition(old, new, by_school=True)
    status = plan.students.set_index(["leerling_id", "school"])["status"]
    for pupil, brin in zip(changed["leerling_id"], changed["brin"], strict=True):
        assert status[(pupil, brin + "00")] == "new"
        assert status[(pupil, school_of[pupil] + "00")] == "left"
    assert plan.totals_add_up()


def test_sample_scale_is_deterministic_and_valid(tmp_path: Path) -> None:
    for name in ("a", "b"):
        assert main(["sample", "--scale", "3000", "--out", str(tmp_path / name), "--quiet"]) == 0
    first, second = tree_bytes(tmp_path / "a"), tree_bytes(tmp_path / "b")
    assert first == second
    assert any(name.startswith(f"edexml/{NEW}/") and name.endswith("EDEX.XML") for name in first)
    schools = {name.split("/")[1] for name in first if name.startswith(f"{NEW}/")}
    assert len(schools) >= 5
    for year in (OLD, NEW):
        done = subprocess.run(
            [str(LWTOP), "validate", str(tmp_path / "a" / year), "--json", "--quiet"],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stdout[-2000:]
        report = json.loads(done.stdout)
        assert report["tables"]["leerlingen"] >= 2900
        assert not [f for f in report["findings"] if f["severity"] == "error"]


def test_the_benchmark_runs_at_a_tiny_size(tmp_path: Path) -> None:
    """It measures and writes results.md with the raw results.json beside it; `--from-json`
    renders those again without measuring."""
    script = str(REPO / "benchmarks" / "run.py")

    def bench(*arguments: str) -> str:
        done = subprocess.run(
            [sys.executable, script, *arguments], capture_output=True, text=True, cwd=REPO
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    shown = bench("--sizes", "600", "--no-workbooks", "--out", str(tmp_path))
    assert "**ratio to baseline**" in shown
    assert "| read + validate (both years, on two cores) |" in shown
    assert "## Targets (the scale targets)" in shown
    assert (tmp_path / "results.md").read_text(encoding="utf-8") + "\n" == shown  # print's \n
    assert bench("--from-json", str(tmp_path / "results.json"), "--no-write") == shown


def _stderr_on_a_terminal(arguments: list[str]) -> str:
    """Run lwtop with stderr on a pseudo-terminal (where progress bars show); its stderr."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # 100 columns
    env = {key: value for key, value in os.environ.items() if key != "LWTOP_QUIET"}
    with subprocess.Popen(
        [str(LWTOP), *arguments], stdout=subprocess.DEVNULL, stderr=follower, env=env
    ) as process:
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        process.wait()
    os.close(leader)
    return b"".join(chunks).decode(errors="replace")


def test_quiet_shows_no_progress_bar(board: Path) -> None:
    shown = _stderr_on_a_terminal(["validate", str(board / NEW)])
    assert "scholen inlezen" in shown
    assert _stderr_on_a_terminal(["validate", str(board / NEW), "--quiet"]) == ""


def test_every_command_that_reads_a_board_takes_quiet(board: Path, tmp_path: Path) -> None:
    """Each command that reads exports shows bars on a terminal, and none with `--quiet`."""
    old, new = str(board / OLD), str(board / NEW)
    sheet, worklist = str(tmp_path / "werkmap.xlsx"), str(tmp_path / "werklijst.xlsx")
    commands = [
        ["staff-sheet", "--old", old, "--new", new, "--out", sheet],
        ["staff-links", sheet, "--new", new, "--out", str(tmp_path / "koppelingen.csv")],
        ["worklist", "--old", old, "--new", new, "--las", "parnassys-oso", "--out", worklist],
        ["worklist-status", worklist],
        ["verify", "--expected", new, "--actual", new],
        ["demo", "--out", str(tmp_path / "demo")],
    ]
    assert "scholen inlezen" in _stderr_on_a_terminal(commands[0])
    for command in commands:
        assert _stderr_on_a_terminal([*command, "--quiet"]) == "", command[0]


def test_every_long_step_of_a_board_has_a_bar(board: Path, tmp_path: Path) -> None:
    """Reading, validating, planning and cutting a board take seconds each at scale: each
    shows a bar naming the step that runs (on a terminal), so a long run never looks stuck."""
    pair = ["--old", str(board / OLD), "--new", str(board / NEW), "--out", str(tmp_path)]
    shown = _stderr_on_a_terminal(["bundle", *pair])
    for label in (
        "scholen inlezen", "inlezen", "controleren", "dubbele personen", "overgang plannen",
        "leerlingen koppelen", "afwijkingen zoeken", "per school verdelen",
        "overgangswerkmappen en bundels", "bundels schrijven",
    ):  # fmt: skip
        assert label in shown, label
    assert "Traceback" not in shown
    assert _stderr_on_a_terminal(["bundle", *pair, "--quiet", "--force"]) == ""


def test_a_folder_of_schools_reads_as_each_school_alone(tmp_path: Path) -> None:
    """Import files of the same shape are read as one file per table; rows and findings point
    at each school's own file and row, as when every school is read alone."""
    import pandas as pd

    from lwtop_toolkit.readers import read
    from lwtop_toolkit.readers.batch import school_folders

    write_board(generate_board(1200, seed=5), tmp_path, formats=["csv"], dirty=0.01)
    folder = tmp_path / NEW
    together = read([folder])
    alone = [read([school]) for school in school_folders([folder]) or []]
    assert len(alone) >= 2
    for name in ("groepen", "leerlingen", "medewerkers", "medewerker_groepen"):
        expected = pd.concat([part.tables[name] for part in alone], ignore_index=True)
        pd.testing.assert_frame_equal(together.tables[name], expected)
    key = ["file", "row", "code", "column"]
    expected = pd.concat([part.findings for part in alone]).sort_values(key)
    assert set(expected["code"]) >= {"invalid-date"}
    pd.testing.assert_frame_equal(
        together.findings.sort_values(key).reset_index(drop=True),
        expected.reset_index(drop=True),
    )
    assert together.files == [file for part in alone for file in part.files]


def test_an_interrupted_board_leaves_no_bundle_and_no_temporary_file(
    board: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(*args: object) -> None:
        raise OSError("schijf vol")

    monkeypatch.setattr(os, "replace", fail)
    out = tmp_path / "uit"
    assert (
        main(["bundle", "--old", str(board / OLD), "--new", str(board / NEW), "--out", str(out)])
        == 2
    )
    assert not out.exists() or list(out.iterdir()) == []


# --- both years on two cores ---------------------------------------------------------------------


def test_both_years_read_in_two_processes_give_the_same_bundles(
    board: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lwtop_toolkit.check import loading

    pair = ["--old", str(board / OLD), "--new", str(board / NEW)]
    assert main(["bundle", *pair, "--out", str(tmp_path / "een")]) == 0
    monkeypatch.setattr(loading, "PARALLEL_FROM_BYTES", 0)  # this small board on two cores too
    old, new = loading.load_years([board / OLD], [board / NEW])
    assert old.tables.leerlingen.equals(loading.load([board / OLD]).tables.leerlingen)
    assert new.findings.equals(loading.load([board / NEW]).findings)
    assert main(["bundle", *pair, "--out", str(tmp_path / "twee")]) == 0
    assert tree_bytes(tmp_path / "een") == tree_bytes(tmp_path / "twee")


def test_an_unreadable_year_on_the_second_core_is_one_dutch_line(
    board: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from lwtop_toolkit.check import loading
    from lwtop_toolkit.findings import ToolkitError

    monkeypatch.setattr(loading, "PARALLEL_FROM_BYTES", 0)
    broken = tmp_path / "leerlingen.csv"
    broken.write_bytes(b"\x00\x01\x02" * 400)
    with pytest.raises(ToolkitError) as raised:  # last year's error first, as one after another
        loading.load_years([broken], [broken.with_name("ontbreekt.csv")])
    assert raised.value.finding["code"] == "unreadable-file"
    assert raised.value.finding["file"] == str(broken)
    status = main(
        ["bundle", "--old", str(broken), "--new", str(board / NEW), "--out", str(tmp_path)]
    )
    assert status == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and str(broken) in err[0] and "Traceback" not in err[0]
    assert not list(tmp_path.glob("*.zip"))


def test_without_the_workbook_the_bundles_hold_the_same_files_less_overgang(
    board: Path, tmp_path: Path
) -> None:
    pair = ["--old", str(board / OLD), "--new", str(board / NEW)]
    assert main(["bundle", *pair, "--out", str(tmp_path / "met")]) == 0
    assert main(["bundle", *pair, "--out", str(tmp_path / "zonder"), "--geen-werkmap"]) == 0
    for path in sorted((tmp_path / "met").glob("*.zip")):
        full, lean = zip_members(path), zip_members(tmp_path / "zonder" / path.name)
        assert "overgang.xlsx" in full and "overgang.xlsx" not in lean
        assert {name: data for name, data in full.items() if name.endswith(".csv")} == {
            name: data for name, data in lean.items() if name.endswith(".csv")
        }
        outputs = json.loads(lean["manifest.json"])["outputs"]
        assert "overgang.xlsx" not in {output["name"] for output in outputs}


def _shared_ids_board(board: Path, target: Path) -> tuple[Path, list[str]]:
    """The board, but its schools' exports of this year share ids: a teacher of the first
    school is in the second school's export too, the second school gave one of its pupils the
    number of one of the first school's pupils, and named one of its groups as the first one is
    named. Each export alone is valid."""
    import shutil

    shutil.copytree(board, target)
    first, second = sorted((target / NEW).iterdir())[:2]

    def lines(path: Path) -> list[str]:
        return path.read_text(encoding="utf-8-sig").splitlines()

    def write(path: Path, rows: list[str]) -> None:
        path.write_text("\n".join(rows) + "\n", encoding="utf-8-sig")

    write(
        second / "medewerkers.csv",
        [*lines(second / "medewerkers.csv"), lines(first / "medewerkers.csv")[1]],
    )
    pupils = lines(second / "leerlingen.csv")
    fields = pupils[1].split(";")
    fields[0] = lines(first / "leerlingen.csv")[1].split(";")[0]
    write(second / "leerlingen.csv", [pupils[0], ";".join(fields), *pupils[2:]])
    own_group = lines(second / "groepen.csv")[1].split(";")[0]
    other_group = lines(first / "groepen.csv")[1].split(";")[0]
    for name in ("groepen.csv", "leerlingen.csv"):
        write(second / name, [row.replace(own_group, other_group) for row in lines(second / name)])
    return target, [first.name, second.name]


def test_schools_whose_exports_share_ids_are_bundled_each_as_if_alone(
    board: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shared, (first, second) = _shared_ids_board(board, tmp_path / "bestuur")
    from lwtop_toolkit import load

    as_one = load([shared / NEW])  # read as one delivery, the shared ids are duplicates
    assert set(as_one.findings["code"]) >= {"duplicate-id"}
    assert main(["validate", str(shared / NEW)]) == 1  # and validate says why, and what to do
    said = capsys.readouterr().out
    assert (
        "dezelfde nummers" in said and "`lwtop bundle` leest en bundelt elke school apart" in said
    )
    assert main(["preview", "--old", str(shared / OLD), "--new", str(shared / NEW)]) == 1
    assert "dezelfde nummers" in capsys.readouterr().out
    sheet = ["staff-sheet", "--old", str(shared / OLD), "--new", str(shared / NEW)]
    assert main([*sheet, "--out", str(tmp_path / "werkmap.xlsx")]) == 0  # each alone: valid
    assert "daarom is er een werkmap per school" in capsys.readouterr().out
    together = tmp_path / "samen"
    arguments = ["bundle", "--old", str(shared / OLD), "--new", str(shared / NEW)]
    assert main([*arguments, "--out", str(together)]) == 0  # nothing refused
    said = capsys.readouterr().out
    assert "dezelfde nummers" in said and "medewerkers.medewerker_id: 1" in said
    assert "leerlingen.leerling_id: 1" in said and "groepen.groep_id: 1" in said
    schools = sorted(path.name for path in (shared / NEW).iterdir())
    assert sorted(path.name for path in together.glob("*.zip")) == [
        f"lwtop-{school}-{NEW}.zip" for school in schools
    ]
    assert (together / "overzicht.xlsx").exists()
    for school in (first, second):
        _same_as_alone(shared, school, together, tmp_path / school)
    # the teacher of both schools is in both bundles, once each
    teacher = (shared / NEW / first / "medewerkers.csv").read_text(encoding="utf-8-sig")
    teacher_id = teacher.splitlines()[1].split(";")[0]
    for school in (first, second):
        staff = zip_members(together / f"lwtop-{school}-{NEW}.zip")["medewerkers.csv"].decode()
        assert sum(line.split(";")[0] == teacher_id for line in staff.splitlines()) == 1


def test_export_units_pair_each_export_with_last_years_exports_of_its_schools() -> None:
    from lwtop_toolkit.board.exports import export_units, shared_ids
    from lwtop_toolkit.model import Tables

    def year(folder: str, schools: dict[str, str], staff_only: str = "") -> Tables:
        groups = pd.DataFrame(
            {
                "groep_id": ["G1"] * len(schools),  # every school numbers its groups alike
                "brin": list(schools.values()),
                "_file": [f"{folder}/{export}/groepen.csv" for export in schools],
            }
        )
        staff = pd.DataFrame({"medewerker_id": ["M1"], "_file": [f"{folder}/{staff_only}/m.csv"]})
        return Tables.from_frames(groepen=groups, medewerkers=staff if staff_only else staff[:0])

    old = year("b/2025", {"A": "11AA", "B": "22BB", "C": "33CC"})
    new = year("b/2026", {"A": "11AA", "B2": "22BB", "D": "44DD"}, staff_only="staf")
    assert shared_ids(new) == {"groepen.groep_id": 1}
    from lwtop_toolkit import findings as fd
    from lwtop_toolkit.check.validate import validate

    assert shared_ids(new, validate(new)) == {"groepen.groep_id": 1}  # a duplicate-id there
    assert shared_ids(new, fd.empty_findings()) == {}  # without one, nothing is looked up
    assert export_units(old, new) == [
        (["b/2025/A"], ["b/2026/A", "b/2026/staf"]),
        (["b/2025/B"], ["b/2026/B2", "b/2026/staf"]),  # another folder name, the same school
        ([], ["b/2026/D", "b/2026/staf"]),  # new this year; C (gone) has no bundle
    ]
    unread = Tables.from_frames(groepen=new.groepen.assign(_file=""))  # rows of no known file
    assert export_units(old, unread) is None  # they would belong to no unit: not taken apart


def test_schools_bundled_one_by_one_are_written_all_or_nothing(
    board: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shared, (first, second) = _shared_ids_board(board, tmp_path / "bestuur")
    out = tmp_path / "bundels"
    arguments = [
        "bundle",
        "--old",
        str(shared / OLD),
        "--new",
        str(shared / NEW),
        "--out",
        str(out),
    ]
    assert main(arguments) == 0
    (out / f"lwtop-{first}-{NEW}.zip").unlink()  # would be written again
    changed = out / f"lwtop-{second}-{NEW}.zip"
    changed.write_bytes(b"een andere bundel")  # would be refused without --force
    before = tree_bytes(out)
    capsys.readouterr()
    assert main(arguments) == 2
    said = capsys.readouterr()
    assert "--force" in said.err and "Traceback" not in said.err
    assert tree_bytes(out) == before  # nothing written: not even the missing bundle
    assert main([*arguments, "--force"]) == 0
    assert (out / f"lwtop-{first}-{NEW}.zip").exists() and changed.read_bytes()[:2] == b"PK"


def test_a_las_given_for_a_board_folder_picks_the_reader_of_its_school_folders(
    board: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", "--las", "parnassys-gkv", str(board / NEW)]) == 0
    assert "ParnasSys (GKV)" in capsys.readouterr().out
    arguments = ["--old", str(board / OLD), "--new", str(board / NEW)]
    assert main(["preview", "--las", "parnassys-gkv", *arguments]) == 0
    assert "Overgang:" in capsys.readouterr().out


def test_both_gives_the_other_processes_result_or_its_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`parallel.both`: the first task's result from a forked process, its error raised here,
    its work done here when the process dies or cannot be started."""
    import multiprocessing

    from lwtop_toolkit.findings import ToolkitError
    from lwtop_toolkit.runtime.pool import both

    here = os.getpid()
    assert both(os.getpid, os.getpid)[0] != here

    def unreadable() -> None:
        raise ToolkitError("unreadable-file", file="x.csv", reason="kapot")

    with pytest.raises(ToolkitError):
        both(unreadable, os.getpid)

    def dies_elsewhere() -> int:
        if os.getpid() != here:
            os._exit(3)  # out of memory, killed
        return 42

    assert both(dies_elsewhere, os.getpid) == (42, here)
    assert not multiprocessing.active_children()

    def no_process(self: object) -> None:
        raise OSError("Resource temporarily unavailable")

    monkeypatch.setattr(multiprocessing.process.BaseProcess, "start", no_process)
    assert both(os.getpid, os.getpid) == (here, here)


def test_verify_takes_the_bundles_of_a_board(
    board: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`lwtop verify --expected` with every school's bundle: each is read as its own export,
    and a pupil who did not arrive is named in the bundle of its school."""
    import shutil

    out = tmp_path / "bundels"
    pair = ["--old", str(board / OLD), "--new", str(board / NEW)]
    assert main(["bundle", *pair, "--out", str(out), "--geen-werkmap", "--quiet"]) == 0
    bundles = sorted(str(path) for path in out.glob("*.zip"))
    assert len(bundles) == 3
    capsys.readouterr()
    assert main(["verify", "--expected", *bundles, "--actual", str(board / NEW), "--quiet"]) == 0
    assert "Alles is aangekomen zoals verwacht." in capsys.readouterr().out
    arrived = tmp_path / "na-import"
    shutil.copytree(board / NEW, arrived)
    school = sorted(path.name for path in arrived.iterdir())[1]
    pupils = arrived / school / "leerlingen.csv"
    lines = pupils.read_text(encoding="utf-8-sig").split("\n")
    pupil = lines.pop(3).split(";")[0]  # the third pupil of the second school did not arrive
    pupils.write_text("\n".join(lines), encoding="utf-8-sig")
    status = main(["verify", "--expected", *bundles, "--actual", str(arrived), "--json"])
    assert status == 1
    (missing,) = json.loads(capsys.readouterr().out)["findings"]
    assert missing["code"] == "verify-pupil-missing" and pupil in missing["message"]
    assert missing["file"] == f"{out}/lwtop-{school}-{NEW}.zip/leerlingen.csv"
    assert (
        main(["verify", "--expected", bundles[0], str(board / NEW), "--actual", str(arrived)]) == 2
    )


@pytest.mark.parametrize("las_code", ["parnassys-oso", "esis-sbo-so-vso"])
def test_a_boards_worklist_says_which_school_each_row_is_of(
    board: Path, tmp_path: Path, las_code: str
) -> None:
    """Three schools each have a group 1A: on every sheet of a board's worklist a School column
    tells them apart (a coordinator selecting "1A" must know whose), and it reads back."""
    path = tmp_path / "werklijst.xlsx"
    pair = ["--old", str(board / OLD), "--new", str(board / NEW)]
    assert main(["worklist", *pair, "--las", las_code, "--out", str(path), "--quiet"]) == 0
    book = load_workbook(path, read_only=True)
    schools = {school.name for school in (board / NEW).iterdir()}
    for sheet in book.worksheets:
        if sheet.title == "lwtop":
            continue
        rows = [row for row in sheet.iter_rows(values_only=True) if any(row)]
        at = next(i for i, row in enumerate(rows) if row[0] == "School")  # the header row
        header = list(rows[at])
        shown = {str(row[0])[:4] for row in rows[at + 1 :] if row[1]}
        assert shown <= schools and (shown or sheet.title == "Niet meenemen"), sheet.title
        if "Groep" in header and sheet.title in ("Groepen", "Groepen selecteren"):
            named = [(row[0], row[header.index("Groep")]) for row in rows[at + 1 :] if row[1]]
            assert len(named) == len(set(named)) and ("1A" in {g for _, g in named})
            assert len({g for _, g in named if g == "1A"}) < len([g for _, g in named if g == "1A"])
    assert main(["worklist-status", str(path), "--quiet"]) == 0
    # a child who moves to another of the board's schools: left at the one, new at the other
    from lwtop_toolkit import load

    old = load([board / OLD]).tables.leerlingen
    was_at = dict(zip(old["leerling_id"], old["brin"], strict=True))
    movers = {
        pupil: (was_at[pupil], brin)
        for pupil, brin in load([board / NEW]).tables.leerlingen[["leerling_id", "brin"]].values
        if pupil in was_at and was_at[pupil] != brin
    }
    assert movers
    left = [row for row in book["Vertrokken"].iter_rows(values_only=True) if row[1] in movers]
    assert sorted((row[1], str(row[0])[:4]) for row in left) == sorted(
        (pupil, schools[0]) for pupil, schools in movers.items()
    )
    pupils = "Klaarzetten" if "Klaarzetten" in book.sheetnames else "Leerlingen"
    rows = list(book[pupils].iter_rows(values_only=True))
    header = next(row for row in rows if row[0] == "School")
    column = header.index("Leerlingnummer")
    new_rows = [row for row in rows if row[column] in movers]
    assert {(row[column], str(row[0])[:4]) for row in new_rows} == {
        (pupil, schools[1]) for pupil, schools in movers.items()
    }
    assert {row[header.index("Status")] for row in new_rows} == {"nieuw"}


def test_a_boards_staff_sheet_says_which_school_each_group_is_of(
    board: Path, tmp_path: Path
) -> None:
    """Step 2's workbook of a board: a School column (last) beside each group, since two
    schools may both have a group 1A; it reads back as before. One school: no such column."""
    sheet, links = tmp_path / "werkmap.xlsx", tmp_path / "koppelingen.csv"
    pair = ["--old", str(board / OLD), "--new", str(board / NEW)]
    assert main(["staff-sheet", *pair, "--out", str(sheet), "--quiet"]) == 0
    rows = list(load_workbook(sheet, read_only=True)["Toewijzing"].iter_rows(values_only=True))
    assert rows[0][-1] == "School"
    schools = {school.name for school in (board / NEW).iterdir()}
    assert {str(row[-1])[:4] for row in rows[1:]} == schools
    for row in rows[1:]:  # the sample's group ids start with their school's BRIN
        assert str(row[0]).startswith(str(row[-1])[:4])
    assert main(["staff-links", str(sheet), "--new", str(board / NEW), "--out", str(links)]) == 0
    one = sorted(schools)[0]
    alone = ["--old", str(board / OLD / one), "--new", str(board / NEW / one)]
    assert main(["staff-sheet", *alone, "--out", str(tmp_path / "een.xlsx"), "--quiet"]) == 0
    header = next(
        load_workbook(tmp_path / "een.xlsx", read_only=True)["Toewijzing"].iter_rows(
            values_only=True
        )
    )
    assert "School" not in header


def test_one_schools_files_from_two_folders_are_one_export(tmp_path: Path) -> None:
    """One school's files given from two folders (both name that school) are one export: its
    samengestelde groep in the other folder is the pupils' group, and the same child in both
    folders is reported. Exports of two schools are not joined."""
    from lwtop_toolkit import load
    from lwtop_toolkit.model import Tables, linked_exports

    here, there = tmp_path / "A", tmp_path / "B"
    here.mkdir(), there.mkdir()
    for name in ("groepen.csv", "leerlingen.csv", "medewerkers.csv"):
        (here / name).write_bytes((REPO / "sample_data" / NEW / name).read_bytes())
    lines = (here / "groepen.csv").read_text(encoding="utf-8-sig").split("\n")
    moved = [line for line in lines if "Plusklas" in line]
    assert len(moved) == 1
    (here / "groepen.csv").write_text(
        "\n".join(line for line in lines if "Plusklas" not in line), encoding="utf-8-sig"
    )
    (there / "groepen.csv").write_text("\n".join([lines[0], *moved, ""]), encoding="utf-8-sig")
    pupils = (here / "leerlingen.csv").read_text(encoding="utf-8-sig").split("\n")
    twin = pupils[1].split(";")
    twin[0] = "twin-" + twin[0]  # the same child under another number, in the other folder
    (there / "leerlingen.csv").write_text("\n".join([pupils[0], ";".join(twin), ""]), "utf-8-sig")
    loaded = load([here, there])
    codes = set(loaded.findings["code"])
    assert "unknown-group" not in codes
    assert "possible-duplicate-person" in codes  # rows of one school's folders are compared
    assert linked_exports(loaded.tables) == {str(here): str(here), str(there): str(here)}
    frame = pd.DataFrame(  # exports of two schools, and one of no school
        {"brin": ["12AB", "12AB", "34CD", ""], "vestiging": ["", "00", "", ""],
         "_file": ["/x/b/g.csv", "/x/a/g.csv", "/x/c/g.csv", "/x/d/g.csv"]}
    )  # fmt: skip
    linked = linked_exports(Tables(groepen=frame))
    assert linked == {"/x/a": "/x/a", "/x/b": "/x/a", "/x/c": "/x/c"}


@pytest.mark.produces("staff-of-other-school")
def test_a_teacher_of_another_school_is_offered_apart_reported_and_bundled_whole(
    board: Path, tmp_path: Path
) -> None:
    """Step 2 on a board: each group's drop-down lists the staff of its own school; a teacher
    of school X typed at a group of school Y is a warning when read back, and Y's bundle holds
    that teacher (its links never name anyone its medewerkers.csv lacks), on both paths."""
    from lwtop_toolkit import load
    from lwtop_toolkit.sheets.staff_read import read_staff_sheet

    sheet, edited = tmp_path / "werkmap.xlsx", tmp_path / "ingevuld.xlsx"
    pair = ["--old", str(board / OLD), "--new", str(board / NEW)]
    assert main(["staff-sheet", *pair, "--out", str(sheet), "--quiet"]) == 0
    book = load_workbook(sheet)
    assignment, staff = book["Toewijzing"], book["Medewerkers"]
    staff_rows = list(staff.iter_rows(values_only=True))
    assert staff_rows[0][-1] == "School"
    school_of_row = {at: row[-1] for at, row in enumerate(staff_rows, start=1) if row[-1]}
    header = [cell.value for cell in assignment[1]]
    group_school = {row[0].row: row[-1].value for row in assignment.iter_rows(min_row=2)}
    checked = set()
    for rule in assignment.data_validations.dataValidation:
        first, last = (int(cell.split("$")[-1]) for cell in rule.formula1.split(":"))
        listed = {school_of_row[at] for at in range(first, last + 1)}
        for cells in rule.sqref.ranges:
            for row, column in cells.cells:
                assert header[column - 1].startswith("Leerkracht")
                assert listed == {group_school[row]}, (row, listed)
                checked.add(row)
    assert checked == set(group_school)  # every group's teacher cells have their school's list
    there, here = sorted(set(group_school.values()))[:2]
    guest = next(row for row in staff_rows[1:] if row[-1] == there)
    row = next(at for at, school in group_school.items() if school == here)
    assignment.cell(row=row, column=header.index("Leerkracht 2") + 1, value=guest[0])
    book.save(edited)

    links, found = read_staff_sheet(edited, load([board / NEW]).tables)
    group_id = assignment.cell(row=row, column=1).value
    assert [guest[1], group_id] in links[["medewerker_id", "groep_id"]].values.tolist()
    other = found[found["code"].eq("staff-of-other-school")]
    assert other[["row", "column", "value", "severity"]].values.tolist() == [
        [row, "Leerkracht 2", guest[0], "warning"]
    ]
    assert f"uploadbundel van {here}" in other["message"].iloc[0]
    csv = tmp_path / "koppelingen.csv"
    assert main(["staff-links", str(edited), "--new", str(board / NEW), "--out", str(csv)]) == 0
    for extra in ([], ["--dossier", str(board / OLD), "--all-pupils"]):  # board / school path
        out = tmp_path / f"bundels{len(extra)}"
        assert main(["bundle", *pair, "--staff-links", str(csv), "--out", str(out), *extra]) == 0
        for bundle in out.glob("*.zip"):
            members = zip_members(bundle)
            people = set(csv_frame(members["medewerkers.csv"])["medewerker_id"])
            groups = set(csv_frame(members["groepen.csv"])["groep_id"])
            linked = csv_frame(members["medewerker_groepen.csv"])
            assert set(linked["medewerker_id"]) <= people, bundle.name
            assert set(linked["groep_id"]) <= groups, bundle.name
            codes = set(csv_frame(members["bevindingen.csv"])["code"])
            school = bundle.name.split("-")[1]
            assert (guest[1] in people) == (school in (here, there)), bundle.name
            assert ("staff-of-other-school" in codes) == (school == here), bundle.name


def test_pupils_who_change_school_are_listed_and_preview_counts_as_the_bundles(
    board: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A board's pupils who move to another of its schools are `left` and `new` in the bundles;
    the bundle run lists them (overzicht.xlsx, one Dutch line), and `lwtop preview` counts as
    the bundles do and lists the same pupils."""
    from lwtop_toolkit import load

    old, new = load([board / OLD]).tables, load([board / NEW]).tables
    school_of = dict(zip(old.leerlingen["leerling_id"], old.leerlingen["brin"], strict=True))
    born = dict(zip(old.leerlingen["leerling_id"], old.leerlingen["geboortedatum"], strict=True))
    by_hand = [
        [pupil, school_of[pupil], brin]
        for pupil, brin, date in new.leerlingen[["leerling_id", "brin", "geboortedatum"]].values
        if pupil in school_of and school_of[pupil] != brin and born[pupil] == date
    ]
    assert by_hand  # the sample has pupils who move to another school of the board
    out = tmp_path / "bundels"
    pair = ["--old", str(board / OLD), "--new", str(board / NEW)]
    assert main(["bundle", *pair, "--out", str(out), "--geen-werkmap", "--quiet"]) == 0
    said = capsys.readouterr().out
    assert f"Let op: {len(by_hand)} leerlingen gaan naar een andere school" in said
    book = load_workbook(out / "overzicht.xlsx", read_only=True)
    listed = list(book["Wisselen van school"].iter_rows(values_only=True))
    assert listed[0][:3] == ("Leerlingnummer", "Naam", "Van school")
    assert [[row[0], row[2], row[4]] for row in listed[1:]] == by_hand
    overview = list(book["Overzicht"].iter_rows(values_only=True))
    per_status = {
        header: sum(int(row[at] or 0) for row in overview[1:])
        for at, header in enumerate(overview[0])
        if at >= 3 and not str(header).startswith("bevindingen")
    }

    assert main(["preview", *pair, "--json", "--quiet"]) in (0, 1)
    document = json.loads(capsys.readouterr().out)
    summary = document["summary"]
    labels = {"promoted": "bevorderd", "retained": "doublure", "new": "nieuw", "left": "vertrokken"}
    for status, label in labels.items():
        assert summary[status] == per_status.get(label, 0), status
    moves = document["school_moves"]
    assert [[m["leerling_id"], m["van_school"], m["naar_school"]] for m in moves] == by_hand
    assert main(["preview", *pair, "--quiet"]) in (0, 1)
    assert f"Let op: {len(by_hand)} leerlingen gaan naar een andere school" in (
        capsys.readouterr().out
    )
    school = sorted(path.name for path in (board / NEW).iterdir())[0]
    one = ["--old", str(board / OLD / school), "--new", str(board / NEW / school)]
    assert main(["preview", *one, "--json", "--quiet"]) in (0, 1)
    assert json.loads(capsys.readouterr().out)["school_moves"] == []  # one school: none


def test_a_move_needs_the_same_birth_date_and_another_school() -> None:
    """Two schools may number pupils alike: the same number with another birth date is two
    children; vestiging 00 is the school itself."""
    from lwtop_toolkit.board.moves import school_moves

    def students(*rows: tuple[str, str, str, str, str]) -> pd.DataFrame:
        frame = pd.DataFrame(
            rows, columns=["status", "leerling_id", "eckid", "geboortedatum", "school"]
        )
        return frame.assign(
            geboortedatum=pd.to_datetime(frame["geboortedatum"]),
            naam="kind " + frame["leerling_id"],
            groep_oud="3A",
            groep_nieuw="4A",
        )

    a = students(("left", "1", "", "2016-01-01", "12AB00"), ("left", "2", "", "2016-02-02", "12AB"))
    a = pd.concat([a, students(("left", "3", "E3", "2016-03-03", "12AB00"))])
    b = students(
        ("new", "1", "", "2016-01-01", "34CD"),  # the same child: a move
        ("new", "2", "", "2017-07-07", "34CD"),  # another child with the same number
        ("new", "9", "E3", "2016-03-03", "12AB"),  # ECK-iD, but the same school: not a move
        ("promoted", "4", "", "2016-04-04", "34CD"),
    )
    moves = school_moves([a, b])
    assert moves[["leerling_id", "van_school", "naar_school"]].values.tolist() == [
        ["1", "12AB", "34CD"]
    ]
    assert school_moves([a]).empty and school_moves([]).empty


@pytest.mark.produces("staff-sheet-no-school", "staff-sheets-one-school", "staff-sheets-not-apart")
def test_a_board_whose_exports_share_ids_gets_a_staff_workbook_per_school(
    board: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Step 2 of a board whose exports share ids: a workbook per school (each the one of that
    school alone), read back against the whole board, and bundled each with its own school:
    every bundle equals that school bundled alone with its workbook."""
    shared, _ = _shared_ids_board(board, tmp_path / "bestuur")
    names = sorted(path.name for path in (shared / NEW).iterdir())
    pair = ["--old", str(shared / OLD), "--new", str(shared / NEW)]
    shown = _stderr_on_a_terminal(["staff-sheet", *pair, "--out", str(tmp_path / "w.xlsx")])
    assert "werkmappen per school" in shown and "Traceback" not in shown  # a bar per school
    assert main(["staff-sheet", *pair, "--out", str(tmp_path / "w.xlsx"), "--quiet"]) == 0
    said = capsys.readouterr().out
    assert "werkmap per school" in said and "--staff-sheet" in said
    sheets = {name: tmp_path / f"w-{name}.xlsx" for name in names}
    assert sorted(tmp_path.glob("w*.xlsx")) == sorted(sheets.values())  # no board workbook
    for name, sheet in sheets.items():
        alone = ["--old", str(shared / OLD / name), "--new", str(shared / NEW / name)]
        made = tmp_path / f"alleen-{name}.xlsx"
        assert main(["staff-sheet", *alone, "--out", str(made), "--quiet"]) == 0
        assert made.read_bytes() == sheet.read_bytes(), name

    first, second, third = names
    links = tmp_path / "koppelingen.csv"
    assert main(["staff-links", str(sheets[second]), "--new", str(shared / NEW), "--out",
                 str(links), "--quiet"]) == 0  # fmt: skip
    assert f"van één school ({second})" in capsys.readouterr().out
    together = tmp_path / "samen"
    given = ["--staff-sheet", str(sheets[first]), str(sheets[second])]
    assert main(["bundle", *pair, "--out", str(together), *given, "--quiet"]) == 0
    assert f"dus zonder koppelingen in de bundel: {third}" in capsys.readouterr().out
    for name in (first, second):
        alone = tmp_path / f"bundel-{name}"
        one = ["--old", str(shared / OLD / name), "--new", str(shared / NEW / name)]
        assert main(["bundle", *one, "--out", str(alone), "--staff-sheet", str(sheets[name])]) == 0
        zip_name = f"lwtop-{name}-{NEW}.zip"
        assert zip_members(alone / zip_name) == zip_members(together / zip_name), name
        assert "medewerker_groepen.csv" in zip_members(together / zip_name)
    assert (together / f"lwtop-{second}-{NEW}.zip").exists()
    assert zip_members(together / f"lwtop-{second}-{NEW}.zip")["medewerker_groepen.csv"] == (
        links.read_bytes()
    )
    assert "medewerker_groepen.csv" not in zip_members(together / f"lwtop-{third}-{NEW}.zip")

    capsys.readouterr()
    whole = tmp_path / "bestuur.xlsx"  # a workbook of the board as one delivery: no school's
    assert main(["staff-sheet", "--old", str(board / OLD), "--new", str(board / NEW), "--out",
                 str(whole), "--quiet"]) == 0  # fmt: skip
    refused = tmp_path / "geweigerd"
    assert main(["bundle", *pair, "--out", str(refused), "--staff-sheet", str(whole)]) == 2
    no_school = ToolkitError(
        "staff-sheet-no-school", file=str(whole), make_sheet="lwtop staff-sheet"
    ).message
    assert capsys.readouterr().err.strip() == f"lwtop: {no_school}"
    assert "hoort bij geen van de scholen" in no_school
    assert not refused.exists()
    twice = tmp_path / "nog-een.xlsx"  # a second version of one school's workbook
    twice.write_bytes(sheets[first].read_bytes())
    assert main(["bundle", *pair, "--out", str(refused), *given, str(twice)]) == 2
    one_school = ToolkitError("staff-sheets-one-school", file=str(twice), other=str(sheets[first]))
    assert capsys.readouterr().err.strip() == f"lwtop: {one_school.message}"
    assert not refused.exists()
    with_dossier = [*given, "--dossier", str(shared / OLD)]
    assert main(["bundle", *pair, "--out", str(refused), *with_dossier]) == 2
    not_apart = ToolkitError("staff-sheets-not-apart").message
    assert capsys.readouterr().err.strip() == f"lwtop: {not_apart}"
    assert "Meerdere werkmappen (één per school)" in not_apart
    assert not refused.exists()


def test_the_app_counts_a_board_as_its_bundles_and_names_the_children_who_change_school(
    board: Path,
) -> None:
    from lwtop_toolkit import load, plan_transition, ui
    from lwtop_toolkit.ui.views import summary_html

    session = ui.Session()
    session.load_paths([board / OLD], [board / NEW])
    page = summary_html(session)
    note = re.search(r"data-key='school-moves'>Let op: (\d+) leerlingen gaan naar", page)
    assert note is not None and int(note.group(1)) >= 1
    as_one = plan_transition(load([board / OLD]).tables, load([board / NEW]).tables)
    new_as_one = int(as_one.students["status"].eq("new").sum())  # movers matched across schools
    assert f"data-key='new'>{new_as_one + int(note.group(1))}</b>" in page  # as the bundles
    school = sorted(path.name for path in (board / NEW).iterdir())[0]
    session.load_paths([board / OLD / school], [board / NEW / school])
    assert "school-moves" not in summary_html(session)  # one school: nothing to say
