"""Hostile workbooks: a sheet's XML with a run of megabytes without `>` (inside an XML comment,
which the cell reader skips), read whole, at doubling sizes. Linear work means the time doubles
with the run; peak memory should barely move (the hidden-row scan keeps one chunk).

    python benchmarks/hostile_xlsx.py                    # runs of 25, 50, 100 and 200 MB
    python benchmarks/hostile_xlsx.py --sizes 10 20

Each size is read in its own process (peak memory is that process's high-water RSS; most of it
is python-calamine holding the sheet's XML while it reads the cells).
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

MB = 1 << 20
DEFAULT_SIZES = (25, 50, 100, 200)


def crafted(size: int) -> bytes:
    """A one-sheet workbook of four pupils whose sheet XML holds `<!-- <row <row ... -->`
    of `size` bytes before its rows."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Leerlingnummer", "Achternaam", "Roepnaam", "Geboortedatum", "Groep"])
    for number in range(4):
        sheet.append([f"10{number:02d}", "Jansen", "Anna", "2018-03-12", "3A"])
    plain = io.BytesIO()
    book.save(plain)
    run = b"<!-- " + b"<row " * (size // 5) + b"-->"
    source = zipfile.ZipFile(io.BytesIO(plain.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<sheetData>", b"<sheetData>" + run, 1)
            archive.writestr(info.filename, data)
    return out.getvalue()


def _peak_mb() -> float:
    """This process's peak memory: VmHWM (Linux; it starts anew at exec, where ru_maxrss keeps
    the peak of the parent that forked it), else ru_maxrss."""
    try:
        status = Path("/proc/self/status").read_text()
        return next(int(line.split()[1]) for line in status.splitlines()
                    if line.startswith("VmHWM:")) / 1024  # fmt: skip
    except (OSError, StopIteration, ValueError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(path: Path) -> dict[str, float]:
    """Read one crafted workbook (the workbook reader and the hidden-row scan)."""
    from lwtop_toolkit.readers import KNOWN_HEADERS
    from lwtop_toolkit.readers.files.reading import read_sheets
    from lwtop_toolkit.readers.files.xlsx_meta import hidden_rows

    start = time.perf_counter()
    hidden_rows(path, ["Sheet"])
    scanned = time.perf_counter() - start
    sheets = read_sheets(path, KNOWN_HEADERS)
    total = time.perf_counter() - start
    peak = _peak_mb()
    return {"scan_s": scanned, "read_s": total - scanned, "rows": len(sheets[0].rows),
            "peak_mb": peak}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES), help="MB")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child)))
        return 0
    print("| run | on disk | hidden-row scan | whole read | peak memory |")
    print("|---:|---:|---:|---:|---:|")
    previous = None
    with tempfile.TemporaryDirectory() as folder:
        for size in args.sizes:
            path = Path(folder) / f"run-{size}.xlsx"
            path.write_bytes(crafted(size * MB))
            done = subprocess.run(
                [sys.executable, __file__, "--child", str(path)],
                check=True,
                capture_output=True,
                text=True,
            )
            result = json.loads(done.stdout)
            ratio = f" ({result['scan_s'] / previous:.1f}x)" if previous else ""
            print(
                f"| {size} MB | {path.stat().st_size // 1024} KB | {result['scan_s']:.2f} s{ratio} "
                f"| {result['read_s']:.2f} s | {result['peak_mb']:.0f} MB |"
            )
            previous = result["scan_s"]
            path.unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main())
