"""The scale benchmark: a whole board from import files to bundles, per stage, against a baseline.

    python benchmarks/run.py                     # 10,000, 100,000 and 1,000,000 pupils
    python benchmarks/run.py --sizes 2000 --no-write

For each size a synthetic board (lwtop_toolkit.samples.board) is written as a folder of school
exports per year (one subfolder per school with its import files), read in one run;
each measurement runs in its own process (peak memory is that process's maximum RSS): our run
(read, validate, plan, CSV files, workbooks, manifests + zips), the same with 0.1 % bad values,
and the baseline: the same files read with `pandas.read_csv` and the new year written with
`to_csv` (one file per table), without any check. Also one school of 1,500 pupils (read +
validate + plan after start-up) and the parse of one EDEXML file of up to 100,000 pupils.
Prints a Markdown report and writes it to benchmarks/results.md (not with --no-write).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS, RAW = "results.md", "results.json"  # RAW: the measurements (`--from-json` renders them)
DEFAULT_SIZES = (10_000, 100_000, 1_000_000)
SCHOOL_SIZE = 1_500
EDEXML_MAX = 100_000
DIRTY = 0.001
YEARS = ("2025-2026", "2026-2027")


# --- measurements (each in a child process) ------------------------------------------------------


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu_s() -> float:
    """CPU seconds (user + system) of this process and of its children that have ended."""
    own, ended = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + ended.ru_utime + ended.ru_stime


class TreeMemory:
    """The peak memory of this process and every process it forked, summed as PSS (each
    shared page counted once, split among its sharers), sampled every `interval` seconds
    from /proc (Linux; elsewhere it stays 0). A forked helper's own RSS counts the pages it
    shares with its parent again; PSS does not."""

    def __init__(self, interval: float = 0.25) -> None:
        import threading

        self.interval, self.peak_mb = interval, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def start(self) -> TreeMemory:
        self._thread.start()
        return self

    def stop(self) -> float:
        """Stop sampling; the peak in MB."""
        self._stop.set()
        self._thread.join()
        self.peak_mb = max(self.peak_mb, self.now_mb())
        return self.peak_mb

    def __enter__(self) -> TreeMemory:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _sample(self) -> None:
        while not self._stop.wait(self.interval):
            self.peak_mb = max(self.peak_mb, self.now_mb())

    @staticmethod
    def now_mb() -> float:
        total, todo = 0, [os.getpid()]
        while todo:
            pid = todo.pop()
            try:
                rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
                total += next(int(line.split()[1]) for line in rollup.splitlines()
                              if line.startswith("Pss:"))  # fmt: skip
                for task in Path(f"/proc/{pid}/task").iterdir():
                    todo += [int(child) for child in (task / "children").read_text().split()]
            except (OSError, StopIteration, ValueError):
                continue  # gone meanwhile, or no /proc
        return total / 1024


def child_generate(size: int, folder: Path) -> dict[str, float]:
    from lwtop_toolkit.samples.board import generate_board
    from lwtop_toolkit.samples.board_files import write_board
    from lwtop_toolkit.samples.exports.edexml import edexml_bytes, sample_moment

    start = time.perf_counter()
    board = generate_board(size)
    generated = time.perf_counter() - start
    write_board(board, folder / "clean", formats=["csv"])  # a folder per school
    written = time.perf_counter() - start
    write_board(board, folder / "dirty", formats=["csv"], dirty=DIRTY)
    year = board.new.schooljaar()
    assert year is not None
    if size <= EDEXML_MAX:
        data = edexml_bytes(board.new, aanmaakdatum=sample_moment(year))
        (folder / "EDEX.XML").write_bytes(data)
    return {"generate": generated, "generate_write": written, "schools": len(board.schools)}


def child_run(folder: Path, workbooks: bool) -> dict[str, float]:
    from lwtop_toolkit.check.loading import load_years
    from lwtop_toolkit.writers.bundle import write_bundles

    memory = TreeMemory().start()
    cpu = _cpu_s()
    start = time.perf_counter()
    old, new = load_years([folder / YEARS[0]], [folder / YEARS[1]])  # as `lwtop bundle` does
    common = {
        "findings": new.findings,
        "old_findings": old.findings,
        "inputs": [*old.files, *new.files],
        "force": True,
    }
    out: dict[str, float] = {
        "load": time.perf_counter() - start,
        "findings": float(len(new.findings)),
        "cpu_load": _cpu_s() - cpu,
    }
    cpu = _cpu_s()
    timings: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as target:
        run = write_bundles(
            old.tables, new.tables, Path(target), audit=False, timings=timings, **common
        )
    out |= {stage: timings.get(stage, 0.0) for stage in ("plan", "csv", "zip")}
    out["bundles"] = float(len(run.bundles))
    out["total"] = out["load"] + sum(timings.values())
    out["cpu"] = out["cpu_load"] + _cpu_s() - cpu  # its forked processes have ended: counted
    out["peak_mb"] = _peak_mb()
    out["peak_all_mb"] = memory.stop()
    if workbooks:
        timings = {}
        cpu = _cpu_s()
        with tempfile.TemporaryDirectory() as target, TreeMemory() as memory:
            run = write_bundles(old.tables, new.tables, Path(target), timings=timings, **common)
        out["cpu_workbooks"] = out["cpu_load"] + _cpu_s() - cpu
        out["workbooks"] = timings.get("workbooks", 0.0)
        out["total_workbooks"] = out["load"] + sum(timings.values())
        children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        out["peak_workbooks_mb"] = max(_peak_mb(), children)
        out["peak_all_workbooks_mb"] = memory.peak_mb
        out |= workbook_baseline([(bundle.plan, bundle.findings) for bundle in run.bundles])
    return out


# The columns of the audit workbook's data sheets, as the plan's frames name them.
BARE_SHEETS = {
    "students": ["leerling_id", "naam", "geboortedatum", "school", "groep_oud", "jaargroep_oud",
                 "groep_nieuw", "jaargroep_nieuw", "samengestelde_groepen_nieuw", "status", "flags",
                 "leerling_id_oud", "matched_by", "_row_oud", "_row_nieuw"],
    "groups": ["jaar", "school", "groepsnaam", "groep_id", "soort", "sector", "jaargroep",
               "jaargroepen", "leerlingen", "uit_vorig_jaar", "doublures", "nieuw", "vertrokken",
               "uitgestroomd", "herkomst", "medewerkers", "flags", "_row"],
    "findings": ["severity", "code", "title", "message", "file", "table", "row", "column",
                 "value"],
}  # fmt: skip
_BARE: list[tuple[object, object]] = []  # the jobs, for the forked workers


def _bare_workbook(index: int) -> int:
    """The cells of one school's data sheets, as text, with plain XlsxWriter `write_row`:
    no formats, tables, summary or checks. Returns the cells written."""
    import io

    from xlsxwriter import Workbook

    plan, findings = _BARE[index]
    frames = {"students": plan.students, "groups": plan.groups, "findings": findings}  # type: ignore[attr-defined]
    workbook = Workbook(io.BytesIO(), {"in_memory": True})
    cells = 0
    for name, columns in BARE_SHEETS.items():
        frame = frames[name]
        sheet = workbook.add_worksheet(name)
        sheet.write_row(0, 0, columns)
        present = [column for column in columns if column in frame]
        values = frame[present].astype("str").fillna("").to_numpy().tolist()
        for row, line in enumerate(values, start=1):
            sheet.write_row(row, 0, line)
        cells += len(values) * len(present)
    workbook.close()
    return cells


def workbook_baseline(jobs: list[tuple[object, object]]) -> dict[str, float]:
    """The workbooks' baseline: each school's data-sheet cells written with bare XlsxWriter, one
    workbook per school, on the same number of forked processes as our workbooks."""
    import multiprocessing

    global _BARE
    _BARE = jobs
    start = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(os.cpu_count() or 1) as pool:
        cells = sum(pool.map(_bare_workbook, range(len(jobs)), chunksize=8))
    _BARE = []
    return {"workbook_baseline": time.perf_counter() - start, "workbook_cells": float(cells)}


def child_baseline(folder: Path) -> dict[str, float]:
    import pandas as pd

    start = time.perf_counter()
    frames: dict[tuple[str, str], list[pd.DataFrame]] = {}
    for year in YEARS:
        for path in sorted((folder / year).rglob("*.csv")):
            frames.setdefault((year, path.name), []).append(
                pd.read_csv(path, sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")
            )
    read_s = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as target:
        for (year, name), parts in frames.items():
            if year == YEARS[1]:
                whole = pd.concat(parts, ignore_index=True)
                whole.to_csv(Path(target) / name, sep=";", index=False)
    return {"read": read_s, "total": time.perf_counter() - start, "peak_mb": _peak_mb()}


def child_school(folder: Path) -> dict[str, float]:
    from lwtop_toolkit.check.loading import load
    from lwtop_toolkit.plan.transition import plan_transition

    def once() -> float:
        start = time.perf_counter()
        old, new = load([folder / YEARS[0]]), load([folder / YEARS[1]])
        plan_transition(old.tables, new.tables)
        return time.perf_counter() - start

    first = once()  # start-up: imports and first calls
    return {"first": first, "median": statistics.median(once() for _ in range(5))}


def child_edexml(path: Path) -> dict[str, float]:
    from lwtop_toolkit.readers import read

    before = _peak_mb()
    start = time.perf_counter()
    result = read([path])
    return {
        "seconds": time.perf_counter() - start,
        "pupils": float(len(result.tables.leerlingen)),
        "file_mb": path.stat().st_size / 1e6,
        "peak_mb": _peak_mb(),
        "before_mb": before,
    }


CHILDREN = {
    "generate": lambda a: child_generate(a.size, a.dir),
    "run": lambda a: child_run(a.dir, not a.no_workbooks),
    "baseline": lambda a: child_baseline(a.dir),
    "school": lambda a: child_school(a.dir),
    "edexml": lambda a: child_edexml(a.dir),
}


def _child(kind: str, path: Path, size: int = 0, workbooks: bool = True) -> dict[str, float]:
    command = [sys.executable, __file__, "--child", kind, "--dir", str(path), "--size", str(size)]
    if not workbooks:
        command.append("--no-workbooks")
    env = dict(os.environ, LWTOP_QUIET="1")
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        raise SystemExit(f"benchmark step {kind} failed:\n{done.stderr[-3000:]}")
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


# --- the report ----------------------------------------------------------------------------------


def measure(sizes: list[int], workbooks: bool, log: bool = True) -> dict[str, object]:
    results: dict[str, object] = {"sizes": {}}
    with tempfile.TemporaryDirectory(prefix="lwtop-bench-") as scratch:
        root = Path(scratch)
        for size in sizes:
            folder = root / str(size)
            if log:
                print(f"... {size:,} leerlingen", file=sys.stderr, flush=True)
            generated = _child("generate", folder, size)
            entry = {
                "generate": generated,
                "clean": _child("run", folder / "clean", workbooks=workbooks),
                "dirty": _child("run", folder / "dirty", workbooks=False),
                "baseline": _child("baseline", folder / "clean"),
            }
            results["sizes"][size] = entry  # type: ignore[index]
            if (folder / "EDEX.XML").exists():
                results["edexml"] = _child("edexml", folder / "EDEX.XML") | {"size": size}
        school = root / "school"
        from lwtop_toolkit.samples.board import generate_board
        from lwtop_toolkit.samples.board_files import write_board

        write_board(
            generate_board(SCHOOL_SIZE, school_size=SCHOOL_SIZE), school, layout="board",
            formats=["csv"],
        )  # fmt: skip
        results["school"] = _child("school", school)
    return results


def machine() -> str:
    import numpy
    import pandas

    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    return (
        f"{os.cpu_count()} cores ({cpu}), {memory:.1f} GB memory, {platform.system()} "
        f"{platform.release()}; Python {platform.python_version()}, pandas {pandas.__version__}, "
        f"numpy {numpy.__version__}; {dt.date.today().isoformat()}; load average at the end "
        f"{load} (the machine is shared: other work running at the same time slows every figure)"
    )


def _s(value: float) -> str:
    return f"{value:.2f} s" if value < 10 else f"{value:.1f} s"


def report(results: dict[str, object], workbooks: bool) -> str:
    sizes: dict[int, dict[str, dict[str, float]]] = results["sizes"]  # type: ignore[assignment]
    columns = list(sizes)
    cores = int(results.get("cores", os.cpu_count() or 1))  # type: ignore[call-overload]
    header = "| stage | " + " | ".join(f"{n:,} pupils" for n in columns) + " |"
    lines = ["# Scale benchmark", "", f"Machine: {results['machine']}", "", header]
    lines.append("|---|" + "---:|" * len(columns))

    def row(label: str, values: list[str]) -> None:
        lines.append(f"| {label} | " + " | ".join(values) + " |")

    schools = [f"{int(sizes[n]['generate']['schools']):,}" for n in columns]
    row("schools (bundles)", schools)
    row(
        "generate (samples.board, both years)",
        [_s(sizes[n]["generate"]["generate"]) for n in columns],
    )
    stages = [
        ("read + validate (both years, on two cores)", "load"),
        ("plan + cut per school", "plan"),
        ("write CSVs (import files, findings)", "csv"),
        ("manifests + zips + write", "zip"),
    ]
    for label, key in stages:
        row(label, [_s(sizes[n]["clean"][key]) for n in columns])
    row("**total without workbooks**", [_s(sizes[n]["clean"]["total"]) for n in columns])
    if all("cpu" in sizes[n]["clean"] for n in columns):
        row(
            f"CPU time of all its processes / {cores} cores: the least it can take here",
            [_cpu(sizes[n]["clean"]["cpu"], cores) for n in columns],
        )
    row("baseline (read_csv + to_csv)", [_s(sizes[n]["baseline"]["total"]) for n in columns])
    ratio = [sizes[n]["clean"]["total"] / sizes[n]["baseline"]["total"] for n in columns]
    row("**ratio to baseline**", [f"{r:.1f}x" for r in ratio])
    row(
        "peak memory (without workbooks): this process",
        [f"{sizes[n]['clean']['peak_mb'] / 1024:.2f} GB" for n in columns],
    )
    if all("peak_all_mb" in sizes[n]["clean"] for n in columns):
        row(
            "peak memory (without workbooks): with its forked helpers (PSS, sampled every 0.25 s)",
            [f"{sizes[n]['clean']['peak_all_mb'] / 1024:.2f} GB" for n in columns],
        )
    if workbooks:
        added = [_added(sizes[n]["clean"]) for n in columns]
        row(
            "workbooks: the time they add (2 processes from 20,000 pupils; the CSVs and zips "
            "are made meanwhile)",
            [_s(value) for value in added],
        )
        row(
            "workbook baseline (the data sheets' cells, bare XlsxWriter, 2 processes)",
            [_s(sizes[n]["clean"]["workbook_baseline"]) for n in columns],
        )
        ratio = [value / sizes[n]["clean"]["workbook_baseline"]
                 for value, n in zip(added, columns, strict=True)]  # fmt: skip
        row("**workbooks: ratio to their baseline**", [f"{r:.1f}x" for r in ratio])
        row("**total with workbooks**", [_s(sizes[n]["clean"]["total_workbooks"]) for n in columns])
        if all("cpu_workbooks" in sizes[n]["clean"] for n in columns):
            row(
                f"CPU time with workbooks / {cores} cores",
                [_cpu(sizes[n]["clean"]["cpu_workbooks"], cores) for n in columns],
            )
    row(
        "dirty data (0.1 % bad values), without workbooks",
        [_s(sizes[n]["dirty"]["total"]) for n in columns],
    )
    row(
        "dirty / clean",
        [f"{sizes[n]['dirty']['total'] / sizes[n]['clean']['total']:.2f}x" for n in columns],
    )
    counts = [(sizes[n]["clean"]["findings"], sizes[n]["dirty"]["findings"]) for n in columns]
    row("findings in the new year (clean / dirty)", [f"{c:,.0f} / {d:,.0f}" for c, d in counts])
    school = results["school"]  # type: ignore[index]
    lines += ["", f"One school of {SCHOOL_SIZE:,} pupils, read + validate + plan: first run "
              f"{_s(school['first'])} (with start-up), then {_s(school['median'])} (median of 5)."]  # type: ignore[index]  # fmt: skip
    if "edexml" in results:
        e = results["edexml"]  # type: ignore[index]
        lines.append(
            f"EDEXML: one file of {int(e['pupils']):,} pupils ({e['file_mb']:.0f} MB) parsed in "  # type: ignore[index]
            f"{_s(e['seconds'])}; peak memory {e['peak_mb'] / 1024:.2f} GB "  # type: ignore[index]
            f"(after imports {e['before_mb'] / 1024:.2f} GB)."  # type: ignore[index]
        )
    lines += ["", *targets(results, workbooks)]
    return "\n".join(lines) + "\n"


def _cpu(seconds: float, cores: int) -> str:
    """CPU seconds, and the wall time they take at least on the machine's cores."""
    return f"{_s(seconds)} / {cores} = {_s(seconds / cores)}"


def _added(clean: dict[str, float]) -> float:
    """What writing the workbooks adds to a run: with them minus without (the same load)."""
    return clean["total_workbooks"] - clean["total"]


def targets(results: dict[str, object], workbooks: bool) -> list[str]:
    sizes: dict[int, dict[str, dict[str, float]]] = results["sizes"]  # type: ignore[assignment]
    out = ["## Targets (the scale targets)", "", "| target | measured | met |", "|---|---|---|"]

    def check(label: str, measured: str, ok: bool) -> None:
        out.append(f"| {label} | {measured} | {'yes' if ok else '**no**'} |")

    cores = int(results.get("cores", os.cpu_count() or 1))  # type: ignore[call-overload]

    def timed(entry: dict[str, float], total: str, cpu: str) -> str:
        """The wall time, and the least its CPU time allows on these cores (when measured)."""
        if cpu not in entry:
            return _s(entry[total])
        return f"{_s(entry[total])} (CPU {_s(entry[cpu])}: at least {_s(entry[cpu] / cores)})"

    big = sizes.get(1_000_000)
    if big:
        c, b = big["clean"], big["baseline"]
        check("1M without workbooks <= 15 s", timed(c, "total", "cpu"), c["total"] <= 15)
        check(
            "1M without workbooks <= 4x baseline",
            f"{c['total'] / b['total']:.1f}x",
            c["total"] <= 4 * b["total"],
        )
        peak = max(c["peak_mb"], c.get("peak_all_mb", 0.0))  # this process, or all of them
        check("1M peak memory < 3 GB", f"{peak / 1024:.2f} GB", peak < 3 * 1024)
        if workbooks:
            check(
                "1M with workbooks <= 60 s",
                timed(c, "total_workbooks", "cpu_workbooks"),
                c["total_workbooks"] <= 60,
            )
    mid = sizes.get(100_000)
    if mid and workbooks:
        t = mid["clean"]["total_workbooks"]
        check(
            "100k everything < 8 s", timed(mid["clean"], "total_workbooks", "cpu_workbooks"), t < 8
        )
    if big and mid:
        growth = big["clean"]["total"] / mid["clean"]["total"]
        check("1M <= 12x 100k", f"{growth:.1f}x", growth <= 12)
    for n, entry in sizes.items():
        ratio = entry["dirty"]["total"] / entry["clean"]["total"]
        check(f"dirty <= 1.5x clean ({n:,})", f"{ratio:.2f}x", ratio <= 1.5)
    school = results["school"]  # type: ignore[index]
    check(
        "one school of 1,500: read + validate + plan < 0.5 s",
        _s(school["median"]),
        school["median"] < 0.5,
    )  # type: ignore[index]
    if "edexml" in results:
        e = results["edexml"]  # type: ignore[index]
        label = f"EDEXML parse of {int(e['pupils']):,} pupils < 10 s"  # type: ignore[index]
        if e["pupils"] >= EDEXML_MAX * 0.9:  # type: ignore[index]
            check(label, _s(e["seconds"]), e["seconds"] < 10)  # type: ignore[index]
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", nargs="+", type=int, default=list(DEFAULT_SIZES))
    parser.add_argument("--no-write", action="store_true", help="print only, no results.md")
    parser.add_argument("--out", type=Path, default=HERE, help="the folder of results.md")
    parser.add_argument("--no-workbooks", action="store_true", help="skip the audit workbooks")
    parser.add_argument(
        "--from-json", type=Path, help="render saved measurements (results.json); measure nothing"
    )
    parser.add_argument("--child", choices=sorted(CHILDREN), help=argparse.SUPPRESS)
    parser.add_argument("--dir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(CHILDREN[args.child](args)))
        return 0
    if args.from_json:
        results = _from_json(args.from_json)
        workbooks = all("total_workbooks" in entry["clean"] for entry in results["sizes"].values())  # type: ignore[attr-defined]
    else:
        workbooks = not args.no_workbooks
        results = measure(args.sizes, workbooks) | {
            "machine": machine(),
            "cores": os.cpu_count() or 1,
        }
    text = report(results, workbooks)
    print(text)
    if not args.no_write:
        (args.out / RESULTS).write_text(text, encoding="utf-8")
        if not args.from_json:
            (args.out / RAW).write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return 0


def _from_json(path: Path) -> dict[str, object]:
    """Saved measurements (`results.json`), sizes as numbers again."""
    results: dict[str, object] = json.loads(path.read_text(encoding="utf-8"))
    results["sizes"] = {int(size): entry for size, entry in results["sizes"].items()}  # type: ignore[attr-defined]
    return results


if __name__ == "__main__":
    raise SystemExit(main())
