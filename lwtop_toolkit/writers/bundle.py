"""The upload bundle: per school one zip with the import files of the new year, the findings,
the audit workbook and a manifest. Nothing unchecked leaves; the same input gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd

from lwtop_toolkit import findings as fd
from lwtop_toolkit.findings import ToolkitError
from lwtop_toolkit.model import Tables, conform
from lwtop_toolkit.plan.hold import SchoolHold, check_hold
from lwtop_toolkit.readers.school_settings import hold_limits
from lwtop_toolkit.runtime.files import write_atomically, zip_bytes
from lwtop_toolkit.runtime.progress import bar
from lwtop_toolkit.runtime.timing import Stopwatch
from lwtop_toolkit.runtime.version import VERSION
from lwtop_toolkit.writers.board import board_parts
from lwtop_toolkit.writers.inputs import InputFile, input_lists
from lwtop_toolkit.writers.overview import overview_bytes
from lwtop_toolkit.writers.parts import (
    AUDIT_FILE,
    LINKS_TABLE,
    MANIFEST,
    OVERVIEW_FILE,
    BundleRun,
    SchoolBundle,
    SchoolPart,
    blocking,
    mark_old,
    school_parts,
)
from lwtop_toolkit.writers.profiles import TOPDOSSIER, Profile
from lwtop_toolkit.writers.workbooks import started_workbooks

REPLACE_HINT = "gebruik --force om hem te vervangen, of kies een andere map met --out"
T = TypeVar("T")
_END: Any = object()  # the end of `_waited`'s items


def write_bundles(
    old: Tables,
    new: Tables,
    out_dir: Path,
    *,
    findings: pd.DataFrame | None = None,
    old_findings: pd.DataFrame | None = None,
    links: pd.DataFrame | None = None,
    inputs: Sequence[InputFile | Path] = (),
    las: str = "",
    source_format: str = "",
    profile: Profile = TOPDOSSIER,
    force: bool = False,
    timestamp: dt.datetime | None = None,
    dossier: pd.DataFrame | None = None,
    all_pupils: bool = False,
    audit: bool = True,
    workers: int | None = None,
    timings: dict[str, float] | None = None,
    deferred: list[tuple[Path, bytes]] | None = None,
) -> BundleRun:
    """Write one bundle per school of `new` into `out_dir`.

    With `dossier` (the pupils who have a dossier, `dossier.read_dossier`) each plan is scoped
    to it, and a bundle holds only the pupils with a dossier and their groups, unless
    `all_pupils`; the manifest says what was left out.

    `findings` are those about the new year (and the staff links), `old_findings` those about
    last year. `inputs`: the files read, each with its role (inputs.py), for the manifest;
    a bare path is listed without one. A school whose blocking findings (`blocking`) stand is
    refused unless `force`; then the manifest records that it was forced and which error codes
    stood. An existing bundle with other content is not replaced without `force` (ToolkitError).

    A delivery of several schools is planned once and cut per school (board.py); each bundle
    equals the one of that school processed alone. `audit=False` leaves the audit workbook
    out; `workers` processes write the workbooks (default: one per core); `timings`, when
    given, receives the seconds spent per stage (plan, csv, workbooks, zip). With `deferred`
    nothing is written: the (path, bytes) of each bundle to write are added to it, for the
    caller to write with those of other runs (board_exports.py), and no overview is made.
    """
    clock = Stopwatch(timings)
    findings = findings if findings is not None else fd.empty_findings()
    old_findings = mark_old(old_findings if old_findings is not None else fd.empty_findings())
    links_table = conform(LINKS_TABLE, links) if links is not None else None
    planned = None
    if dossier is None:
        planned = board_parts(old, new, findings, old_findings, links_table, profile, clock)
    if planned is None:
        planned = school_parts(
            old, new, findings, old_findings, links_table, profile, clock, dossier, all_pupils
        )
    parts = planned.parts
    with clock("plan"):
        holds = {part.school: hold_part(part) for part in parts}
    out_dir = Path(out_dir)
    run = BundleRun()
    kept = []
    for part in parts:
        path = out_dir / part.name
        errors = blocking(part.findings)
        held = holds[part.school]
        if not errors.empty and not force:
            run.bundles.append(
                SchoolBundle(part.school, path, {}, part.plan, part.findings, "refused", held)
            )
            continue
        kept.append((part, path, errors))
    meta = {"las": las, "format": source_format}
    inputs_of = input_lists(inputs, set().union(*(part.exports or set() for part in parts)))
    planned_writes = []
    # The workbooks are written on the other cores while this process makes the CSV files and
    # zips each bundle as soon as its workbook is there.
    jobs = [(part.plan, part.findings) for part, _, _ in kept]
    with started_workbooks(jobs, audit, workers) as books:
        with clock("csv"):
            planned.make_files()
        label = "overgangswerkmappen en bundels" if audit else "bundels samenstellen"
        made = bar(zip(kept, _waited(books, clock), strict=True), label, total=len(kept))
        for (part, path, errors), book in made:
            with clock("zip"):
                about = meta | {"inputs": inputs_of(part), "hold": holds[part.school]}
                manifest, data = _zipped(part, errors, book, profile, about, timestamp)
                exists = path.exists()
                same = exists and path.read_bytes() == data
                if exists and not same and not force:
                    raise ToolkitError(
                        "bundle-exists",
                        file=str(path),
                        reason=REPLACE_HINT,
                    )
                planned_writes.append((path, data))
                status = "unchanged" if same else "written"
                run.bundles.append(
                    SchoolBundle(
                        part.school,
                        path,
                        manifest,
                        part.plan,
                        part.findings,
                        status,
                        holds[part.school],
                    )
                )
    with clock("zip"):
        if deferred is not None:
            deferred.extend(planned_writes)
        else:
            write_run(run, planned_writes, out_dir)
    return run


def hold_part(part: SchoolPart) -> SchoolHold | None:
    """Is this school's new export held as partial (plan/hold.py), by the limits of the
    `lwtop.toml` beside it? A held school's `partial-export` error joins its findings, so that
    its bundle is refused unless forced (as `flows.plan_years` adds it to the preview's)."""
    held = check_hold(part.plan.students, hold_limits)
    if not held.findings.empty:
        part.findings = fd.sort(fd.concat([part.findings, held.findings]))
    return held.held[0] if held.held else held.only()


def _zipped(
    part: SchoolPart,
    errors: pd.DataFrame,
    book: bytes | None,
    profile: Profile,
    meta: dict[str, Any],
    timestamp: dt.datetime | None,
) -> tuple[dict[str, Any], bytes]:
    """One school's bundle: its manifest and its zip."""
    entries = dict(part.entries)
    if book is not None:
        entries[AUDIT_FILE] = book
    manifest = _manifest(part, entries, errors, profile, meta, timestamp)
    entries[MANIFEST] = (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode()
    return manifest, zip_bytes(entries)


def _waited(items: Iterator[T], clock: Stopwatch) -> Iterator[T]:
    """`items`, the time spent waiting for each counted as the stage `workbooks`."""
    while True:
        with clock("workbooks"):
            item = next(items, _END)
        if item is _END:
            return
        yield item


def write_run(run: BundleRun, writes: Sequence[tuple[Path, bytes]], out_dir: Path) -> None:
    """Write the bundles of `run` (`writes`: their paths and bytes) and, for several schools,
    the board overview `overzicht.xlsx` (set as `run.overview`); not when every bundle was
    refused (`BundleRun.overview_withheld`)."""
    if len(writes) == 1:
        write_atomically(*writes[0])
    elif writes:
        write_all_atomically(writes)
    if len(run.bundles) > 1 and not run.overview_withheld:  # all refused: no overview
        from lwtop_toolkit.board.moves import school_moves

        run.moves = school_moves(bundle.plan.students for bundle in run.bundles)
        book = overview_bytes(run.bundles, run.moves)
        run.overview = write_atomically(out_dir / OVERVIEW_FILE, book)


def write_all_atomically(items: Sequence[tuple[Path, bytes]]) -> None:
    """Write many files as `write_atomically` does one, with one flush to disk for all.

    Each file goes to a temporary file beside it; after one `os.sync` every temporary file is
    renamed. A flush per file took up to 90 ms each once much was written (a board of 1,900
    schools: minutes); an interrupted run still leaves each file old (or absent) or complete.
    """
    temporaries: list[tuple[Path, Path]] = []
    renamed = 0
    try:
        for path, data in bar(items, "bundels schrijven", total=len(items)):
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            temporaries.append((Path(name), path))
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
        os.sync()
        for done, (temporary, path) in enumerate(temporaries):
            os.replace(temporary, path)
            renamed = done + 1
    finally:
        for temporary, _ in temporaries[renamed:]:
            temporary.unlink(missing_ok=True)


def _manifest(
    part: SchoolPart,
    entries: dict[str, bytes],
    errors: pd.DataFrame,
    profile: Profile,
    meta: dict[str, Any],
    timestamp: dt.datetime | None,
) -> dict[str, Any]:
    manifest: dict[str, Any] = {
        "toolkit": "lwtop-toolkit",
        "toolkit_version": VERSION,
        "school": part.school,
        "brin": part.brin,
        "schooljaar": part.schooljaar,
        "las": meta["las"],
        "format": meta["format"],
        "profile": profile.name,
        "inputs": meta["inputs"],
        "rows": part.rows,
        "findings": fd.counts(part.findings),
        "status": part.plan.status_counts(),
        "forced": not errors.empty,
        "open_error_codes": sorted(set(errors["code"])),
        "outputs": [
            {"name": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
            for name, data in sorted(entries.items())
        ],
    }
    held: SchoolHold | None = meta["hold"]
    if held is not None and held.held and not errors.empty:  # forced past the hold: recorded
        manifest["hold"] = {"overridden": True, **held.record()}
    if part.scope is not None:
        manifest["dossier"] = part.scope
    if timestamp is not None:
        manifest["created"] = timestamp.isoformat(timespec="seconds")
    return manifest
