"""A board's `lwtop preview --xlsx` against its plain preview, as a ratio measured in one run.

    python benchmarks/preview_xlsx.py                  # a board of 20,000 pupils, 3 rounds
    python benchmarks/preview_xlsx.py --size 5000 --rounds 1 --per-school

A synthetic board (`lwtop sample --scale N`, import files, a folder per school) is previewed as
a coordinator runs it, each run its own `lwtop` process (start-up, reading, validating and
planning included): plain, then with `--xlsx` (the audit workbook and the board's one overview
picture), and with `--per-school` also with `--png-per-school` (a picture per school). The runs
alternate per round; the median wall time of each is reported, with the files written and
their size. The ratio `--xlsx` / plain is the figure to watch: a few times the plain preview.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

LWTOP = [sys.executable, "-m", "lwtop_toolkit.cli"]
YEARS = ("2025-2026", "2026-2027")


def _run(argv: list[str]) -> float:
    """Wall seconds of one `lwtop` process (its output dropped; exit 0 or 1: a preview)."""
    env = os.environ | {"LWTOP_QUIET": "1"}
    start = time.perf_counter()
    done = subprocess.run([*LWTOP, *argv], stdout=subprocess.DEVNULL, env=env, check=False)
    took = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"lwtop {' '.join(argv)} ended with {done.returncode}")
    return took


def _files(folder: Path) -> tuple[int, float]:
    """How many files under `folder`, and their size in MB."""
    files = [path for path in folder.rglob("*") if path.is_file()]
    return len(files), sum(path.stat().st_size for path in files) / 1e6


def measure(size: int, rounds: int, per_school: bool) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="lwtop-preview-bench-") as scratch:
        board = Path(scratch) / "bestuur"
        _run(["sample", "--scale", str(size), "--out", str(board), "--geen-edexml", "--quiet"])
        schools = len(list((board / YEARS[1]).iterdir()))
        pair = ["preview", "--old", str(board / YEARS[0]), "--new", str(board / YEARS[1])]
        variants: dict[str, list[str]] = {"plain": [], "xlsx": ["--xlsx", "OUT/overgang.xlsx"]}
        if per_school:
            variants["per_school"] = [*variants["xlsx"], "--png-per-school", "OUT/per-school"]
        times: dict[str, list[float]] = {name: [] for name in variants}
        written: dict[str, tuple[int, float]] = {}
        for _ in range(rounds):
            for name, options in variants.items():
                out = Path(scratch) / name
                shutil.rmtree(out, ignore_errors=True)
                out.mkdir()
                times[name].append(_run([*pair, *(o.replace("OUT", str(out)) for o in options)]))
                written[name] = _files(out)
    median = {name: statistics.median(values) for name, values in times.items()}
    return {
        "size": size,
        "schools": schools,
        "rounds": rounds,
        "seconds": median,
        "ratio": {name: median[name] / median["plain"] for name in median if name != "plain"},
        "files": {name: {"count": n, "mb": round(mb, 1)} for name, (n, mb) in written.items()},
    }


def report(result: dict[str, object]) -> str:
    seconds = result["seconds"]
    ratio = result["ratio"]
    files = result["files"]
    assert isinstance(seconds, dict) and isinstance(ratio, dict) and isinstance(files, dict)
    lines = [
        f"Board of {result['size']:,} pupils in {result['schools']} schools, "
        f"median of {result['rounds']} round(s):",
        "",
        "| run | wall s | x plain | files | MB |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, took in seconds.items():
        shown = f"{ratio[name]:.2f}" if name in ratio else "1.00"
        count, mb = files[name]["count"], files[name]["mb"]
        lines.append(f"| preview {name} | {took:.1f} | {shown} | {count} | {mb} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=20_000, help="pupils of the board")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each variant")
    parser.add_argument(
        "--per-school", action="store_true", help="also --png-per-school (a picture per school)"
    )
    parser.add_argument("--json", action="store_true", help="print the measurements as JSON")
    args = parser.parse_args(argv)
    result = measure(args.size, args.rounds, args.per_school)
    print(json.dumps(result, indent=2) if args.json else report(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
