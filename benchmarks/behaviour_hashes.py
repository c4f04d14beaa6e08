"""Hash every output of the lwtop commands run on a source tree, or compare two such records."""

from __future__ import annotations

import argparse
import concurrent.futures
import difflib
import hashlib
import io
import json
import os
import shlex
import shutil
import subprocess
import sys
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DEFAULT_WORK = Path("/tmp/lwtop-behaviour")
OLD_YEAR, NEW_YEAR = "2025-2026", "2026-2027"
BOARD_SIZE = 100_000
WORKLIST_ACTIONS = ("per_student", "bulk")  # the LAS actions for which a worklist applies
ZIP_SUFFIXES = (".zip", ".xlsx")  # zip containers: each member is hashed as well
TEXT_SUFFIXES = (".csv", ".json", ".txt", ".xml", ".svg", ".md", ".toml", ".rels")
TREE_SKIP = {".git", ".venv", "__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache"}
LWTOP = "import sys; from lwtop_toolkit.cli import main; sys.exit(main())"
WHICH = "import lwtop_toolkit; print(lwtop_toolkit.__file__)"
DIFF_LINES = 200  # at most this many lines of each unified diff are printed


@dataclass
class Run:
    """One lwtop invocation: its name, its arguments and where under the work folder it writes."""

    name: str
    args: list[str]
    out: str | None = None  # folder (relative to the work folder) whose files this run wrote


@dataclass
class Context:
    """The tree under test, the work folder and the environment every run gets."""

    tree: Path
    work: Path
    env: dict[str, str]
    timeout: float
    results: dict[str, dict[str, Any]] = field(default_factory=dict)


# --- running -------------------------------------------------------------------------------------


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def normalise(text: bytes, ctx: Context) -> bytes:
    """Replace the absolute work folder and tree by placeholders (they differ between runs)."""
    pairs = {str(ctx.work): "<work>", str(ctx.tree): "<tree>"}
    pairs |= {str(ctx.work.resolve()): "<work>", str(ctx.tree.resolve()): "<tree>"}
    for path, placeholder in sorted(pairs.items(), key=lambda item: -len(item[0])):
        text = text.replace(path.encode(), placeholder.encode())
    return text


def zip_members(prefix: str, data: bytes, into: dict[str, str]) -> None:
    """Hash each member of a zip container (recursively for nested containers)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        into[f"{prefix}!<not a zip>"] = sha256(b"")
        return
    with archive:
        for info in archive.infolist():
            if info.is_dir():
                continue
            member = archive.read(info)
            key = f"{prefix}!{info.filename}"
            into[key] = sha256(member)
            if info.filename.lower().endswith(ZIP_SUFFIXES):
                zip_members(key, member, into)


def hash_folder(folder: Path, work: Path) -> dict[str, str]:
    """sha256 of every file under `folder` (keys relative to the work folder), members of zips."""
    hashes: dict[str, str] = {}
    if not folder.exists():
        return hashes
    files = [folder] if folder.is_file() else sorted(p for p in folder.rglob("*") if p.is_file())
    for path in files:
        key = path.relative_to(work).as_posix()
        data = path.read_bytes()
        hashes[key] = sha256(data)
        if path.suffix.lower() in ZIP_SUFFIXES:
            zip_members(key, data, hashes)
    return hashes


def display(args: list[str], ctx: Context) -> str:
    """The command line with the work folder as `<work>` (tree paths are already relative)."""
    return normalise(shlex.join(["lwtop", *args]).encode(), ctx).decode()


def execute(run: Run, ctx: Context) -> None:
    """Run one lwtop command, keep its (normalised) stdout and stderr, hash what it wrote."""
    if run.out is not None:
        (ctx.work / run.out).mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    try:
        done = subprocess.run(
            [sys.executable, "-c", LWTOP, *run.args],
            cwd=ctx.tree,
            env=ctx.env,
            capture_output=True,
            timeout=ctx.timeout,
            check=False,
        )
        status, stdout, stderr = done.returncode, done.stdout, done.stderr
    except subprocess.TimeoutExpired as expired:
        status, stdout = -999, expired.stdout or b""
        stderr = (expired.stderr or b"") + f"\n<timeout after {ctx.timeout} s>\n".encode()
    seconds = time.perf_counter() - start
    stdout, stderr = normalise(stdout, ctx), normalise(stderr, ctx)
    logs = ctx.work / "logs" / run.name
    logs.parent.mkdir(parents=True, exist_ok=True)
    logs.with_name(logs.name + ".stdout").write_bytes(stdout)
    logs.with_name(logs.name + ".stderr").write_bytes(stderr)
    files = hash_folder(ctx.work / run.out, ctx.work) if run.out is not None else {}
    ctx.results[run.name] = {
        "command": display(run.args, ctx),
        "exit": status,
        "stdout": sha256(stdout),
        "stderr": sha256(stderr),
        "files": files,
        "seconds": round(seconds, 2),  # informative only: never compared
    }
    print(f"  {seconds:6.1f} s  exit {status:>3}  {len(files):>5} hashes  {run.name}", flush=True)


def execute_all(runs: list[Run], ctx: Context) -> None:
    for run in runs:
        execute(run, ctx)


# --- the runs ------------------------------------------------------------------------------------


def las_catalogue(ctx: Context) -> list[dict[str, Any]]:
    """The LAS catalogue as `lwtop las --json` prints it (recorded as a run of its own)."""
    run = Run("las/json", ["las", "--json"])
    execute(run, ctx)
    stdout = (ctx.work / "logs" / "las" / "json.stdout").read_text(encoding="utf-8")
    try:
        return list(json.loads(stdout)["las"])
    except (ValueError, KeyError, TypeError):
        print("warning: `lwtop las --json` gave no catalogue; no --las runs", file=sys.stderr)
        return []


def datasets(tree: Path) -> list[tuple[str, str, str, bool]]:
    """(name, old year, new year, is a LAS folder) for every pair of school years in sample_data."""
    root = "sample_data"
    pairs = [("importfiles", f"{root}/{OLD_YEAR}", f"{root}/{NEW_YEAR}", False)]
    for folder in sorted(p for p in (tree / root).iterdir() if p.is_dir()):
        if folder.name in (OLD_YEAR, NEW_YEAR) or not (folder / NEW_YEAR).is_dir():
            continue
        own_old = (folder / OLD_YEAR).is_dir()
        old = f"{root}/{folder.name}/{OLD_YEAR}" if own_old else f"{root}/{OLD_YEAR}"
        pairs.append((folder.name, old, f"{root}/{folder.name}/{NEW_YEAR}", own_old))
    return pairs


def dataset_runs(ctx: Context, catalogue: list[dict[str, Any]]) -> list[Run]:
    """validate, preview, bundle, staff-sheet, worklist and verify on each pair of sample years."""
    runs: list[Run] = []
    work = ctx.work
    for name, old, new, is_las in datasets(ctx.tree):
        years = ["--old", old, "--new", new]
        codes = [
            entry
            for entry in catalogue
            if is_las and (entry["code"] == name or entry["code"].startswith(name + "-"))
        ]

        def out(what: str, name: str = name) -> str:
            return f"out/{name}/{what}"

        def workbook(folder: str) -> str:
            return str(work / folder / "werklijst.xlsx")

        runs += [
            Run(f"{name}/validate-old", ["validate", old]),
            Run(f"{name}/validate", ["validate", new]),
            Run(f"{name}/validate-json", ["validate", "--json", new]),
            Run(f"{name}/preview", ["preview", *years]),
            Run(f"{name}/preview-json", ["preview", *years, "--json"]),
            Run(
                f"{name}/preview-xlsx",
                ["preview", *years, "--xlsx", str(work / out("preview-xlsx") / "overgang.xlsx")],
                out("preview-xlsx"),
            ),
            Run(
                f"{name}/bundle",
                ["bundle", *years, "--out", str(work / out("bundle")), "--force"],
                out("bundle"),
            ),
            Run(
                f"{name}/staff-sheet",
                ["staff-sheet", *years, "--out", str(work / out("staff-sheet") / "werkmap.xlsx")],
                out("staff-sheet"),
            ),
            Run(f"{name}/verify", ["verify", "--expected", new, "--actual", new]),
            Run(f"{name}/verify-json", ["verify", "--expected", new, "--actual", new, "--json"]),
        ]
        for entry in codes:
            code = entry["code"]
            las = ["--las", code]
            runs += [
                Run(f"{name}/validate-las-{code}", ["validate", *las, new]),
                Run(f"{name}/validate-las-{code}-json", ["validate", *las, "--json", new]),
                Run(f"{name}/preview-las-{code}", ["preview", *years, *las]),
                Run(
                    f"{name}/verify-las-{code}",
                    ["verify", "--expected", new, "--actual", new, "--old", old, *las],
                ),
            ]
            if entry.get("action") in WORKLIST_ACTIONS:
                where, where_json = out(f"worklist-{code}"), out(f"worklist-{code}-json")
                runs += [
                    Run(
                        f"{name}/worklist-{code}",
                        ["worklist", *years, *las, "--out", workbook(where)],
                        where,
                    ),
                    Run(
                        f"{name}/worklist-{code}-json",
                        ["worklist", *years, *las, "--json", "--out", workbook(where_json)],
                        where_json,
                    ),
                    # without --out: an error for a LAS whose worklist is a file (exit 2)
                    Run(f"{name}/worklist-{code}-no-out", ["worklist", *years, *las, "--json"]),
                ]
    return runs


def board_runs(ctx: Context, with_workbooks: bool) -> list[Run]:
    """A 100,000-pupil board (the default seed) and its bundles: to be run in this order."""
    board = ctx.work / "board"
    years = ["--old", str(board / OLD_YEAR), "--new", str(board / NEW_YEAR)]
    edexml = ["--old", str(board / "edexml" / OLD_YEAR), "--new", str(board / "edexml" / NEW_YEAR)]
    fast = ["--geen-werkmap", "--force"]
    runs = [
        Run("board/sample", ["sample", "--scale", str(BOARD_SIZE), "--out", str(board)], "board"),
        Run("board/validate", ["validate", str(board / NEW_YEAR)]),
        Run("board/validate-json", ["validate", "--json", str(board / NEW_YEAR)]),
        Run(
            "board/bundle",
            ["bundle", *years, "--out", str(ctx.work / "board-out"), *fast],
            "board-out",
        ),
        Run(
            "board/bundle-edexml",
            ["bundle", *edexml, "--out", str(ctx.work / "board-out-edexml"), *fast],
            "board-out-edexml",
        ),
    ]
    if with_workbooks:
        out = ctx.work / "board-out-werkmap"
        runs.append(
            Run("board/bundle-werkmap", ["bundle", *years, "--out", str(out), "--force"], out.name)
        )
    return runs


def tree_snapshot(tree: Path) -> dict[str, tuple[int, int]]:
    """(size, mtime) of every file of the tree outside .git, .venv and caches."""
    snapshot: dict[str, tuple[int, int]] = {}
    for folder, subfolders, names in os.walk(tree):
        subfolders[:] = [s for s in subfolders if s not in TREE_SKIP]
        for name in names:
            path = Path(folder) / name
            stat = path.stat()
            snapshot[path.relative_to(tree).as_posix()] = (stat.st_size, stat.st_mtime_ns)
    return snapshot


def pseudo_run(files: dict[str, str]) -> dict[str, Any]:
    """A record entry that is not a command: only its files are compared."""
    return {
        "command": "",
        "exit": 0,
        "stdout": "",
        "stderr": "",
        "files": dict(sorted(files.items())),
    }


def record(args: argparse.Namespace) -> int:
    tree, work = args.tree.resolve(), args.work.resolve()
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "PYTHONPATH")}
    env |= {"PYTHONPATH": str(tree), "LWTOP_QUIET": "1"}
    ctx = Context(tree, work, env, args.timeout)
    imported = subprocess.run(
        [sys.executable, "-c", WHICH], cwd=tree, env=env, capture_output=True, text=True, check=True
    ).stdout.strip()
    print(f"lwtop_toolkit imported from {imported}")
    if not Path(imported).resolve().is_relative_to(tree):
        print(f"error: that is not under --tree {tree}", file=sys.stderr)
        return 2
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    before = tree_snapshot(tree)
    start = time.perf_counter()

    catalogue = las_catalogue(ctx)
    small = [
        Run("demo", ["demo", "--out", str(work / "demo")], "demo"),
        *dataset_runs(ctx, catalogue),
    ]
    chains = [[run] for run in small]
    if not args.skip_board:
        chains.insert(0, board_runs(ctx, not args.no_workbooks))  # the longest chain first
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        for future in [pool.submit(execute_all, chain, ctx) for chain in chains]:
            future.result()

    attributed = {key.split("!")[0] for result in ctx.results.values() for key in result["files"]}
    stray: dict[str, str] = {}
    for path in sorted(p for p in work.rglob("*") if p.is_file()):
        key = path.relative_to(work).as_posix()
        if key not in attributed and not key.startswith("logs/"):
            stray |= hash_folder(path, work)
    after = tree_snapshot(tree)
    written = {path: "written" for path, stat in after.items() if before.get(path) != stat}
    ctx.results["_unattributed"] = pseudo_run(stray)  # written outside any run's folder
    ctx.results["_tree_writes"] = pseudo_run(written)  # created or changed in the tree
    seconds = time.perf_counter() - start
    files = [key for r in ctx.results.values() for key in r["files"]]
    members = sum("!" in key for key in files)
    document = {
        "tree": str(tree),
        "work": str(work),
        "imported": normalise(imported.encode(), ctx).decode(),
        "python": sys.version,
        "seconds": round(seconds, 1),
        "runs": dict(sorted(ctx.results.items())),
    }
    args.out.write_text(json.dumps(document, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(
        f"{len(ctx.results) - 2} runs, {len(files) - members} files and {members} zip members "
        f"hashed in {seconds:.0f} s -> {args.out}"
    )
    if stray or written:
        print(
            f"note: {len(stray)} unattributed hashes in the work folder, "
            f"{len(written)} files written in the tree (see _unattributed, _tree_writes)"
        )
    return 0


# --- comparing -----------------------------------------------------------------------------------


def content(work: Path | None, key: str) -> bytes | None:
    """The bytes behind a hashed key (a file, or a member inside zips) in a kept work folder."""
    if work is None:
        return None
    path, *members = key.split("!")
    try:
        data = (work / path).read_bytes()
        for member in members:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                data = archive.read(member)
    except (OSError, KeyError, zipfile.BadZipFile):
        return None
    return data


def unified(old: bytes | None, new: bytes | None, old_name: str, new_name: str) -> None:
    """Print a unified diff of two texts (at most DIFF_LINES lines)."""
    if old is None or new is None:
        return
    try:
        old_lines = old.decode("utf-8").splitlines(keepends=True)
        new_lines = new.decode("utf-8").splitlines(keepends=True)
    except UnicodeDecodeError:
        return
    lines = list(difflib.unified_diff(old_lines, new_lines, old_name, new_name))
    for line in lines[:DIFF_LINES]:
        print("    " + line.rstrip("\n"))
    if len(lines) > DIFF_LINES:
        print(f"    ... ({len(lines) - DIFF_LINES} more diff lines)")


def compare(args: argparse.Namespace) -> int:
    old_path, new_path = args.compare
    old_runs = json.loads(Path(old_path).read_text(encoding="utf-8"))["runs"]
    new_runs = json.loads(Path(new_path).read_text(encoding="utf-8"))["runs"]
    old_work, new_work = args.old_work, args.new_work
    differences = 0
    for name in sorted(old_runs.keys() | new_runs.keys()):
        if name not in old_runs or name not in new_runs:
            side = "old" if name in old_runs else "new"
            print(f"run {name}: only in the {side} record")
            differences += 1
            continue
        old, new = old_runs[name], new_runs[name]
        for what in ("command", "exit"):
            if old[what] != new[what]:
                print(f"run {name}: {what} {old[what]!r} -> {new[what]!r}")
                differences += 1
        for stream in ("stdout", "stderr"):
            if old[stream] != new[stream]:
                print(f"run {name}: {stream} old {old[stream][:16]} new {new[stream][:16]}")
                differences += 1
                log = Path("logs") / f"{name}.{stream}"
                unified(
                    content(old_work, log.as_posix()),
                    content(new_work, log.as_posix()),
                    f"old/{log}",
                    f"new/{log}",
                )
        old_files, new_files = old["files"], new["files"]
        for key in sorted(old_files.keys() | new_files.keys()):
            before, after = old_files.get(key, "<missing>"), new_files.get(key, "<missing>")
            if before == after:
                continue
            differences += 1
            kind = "member" if "!" in key else "file"
            print(f"run {name}: {kind} {key}: old {before[:16]} new {after[:16]}")
            if key.lower().endswith(TEXT_SUFFIXES):
                unified(content(old_work, key), content(new_work, key), f"old/{key}", f"new/{key}")
    print(f"{differences} differences" if differences else "no differences")
    return 1 if differences else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tree", type=Path, default=REPO, help="source tree to run (PYTHONPATH)")
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK, help="work folder (recreated)")
    parser.add_argument("--out", type=Path, help="the JSON record to write")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="parallel runs")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds per run")
    parser.add_argument("--skip-board", action="store_true", help="leave out the 100k board")
    parser.add_argument("--no-workbooks", action="store_true", help="no board run with workbooks")
    parser.add_argument("--compare", nargs=2, metavar=("OLD.json", "NEW.json"))
    parser.add_argument("--old-work", type=Path, help="with --compare: the old run's work folder")
    parser.add_argument("--new-work", type=Path, help="with --compare: the new run's work folder")
    args = parser.parse_args()
    if args.compare:
        return compare(args)
    if args.out is None:
        parser.error("--out is required (or --compare)")
    return record(args)


if __name__ == "__main__":
    sys.exit(main())
