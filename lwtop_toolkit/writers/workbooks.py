"""The audit workbooks of many schools, written on every core (a process pool over schools)."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor

import pandas as pd

from ..progress import bar
from ..transition import TransitionPlan

# Below this many pupil rows in all, starting worker processes costs more than it saves.
PARALLEL_FROM_ROWS = 20_000
Job = tuple[TransitionPlan, pd.DataFrame]


def _one(job: Job) -> bytes:
    from .audit import audit_workbook_bytes

    return audit_workbook_bytes(*job)


def audit_workbooks(
    jobs: Sequence[Job], audit: bool = True, workers: int | None = None
) -> list[bytes | None]:
    """`overgang.xlsx` bytes for each (plan, findings) in order; None for each when not `audit`.

    `workers` processes (default: one per core) share the schools; the bytes are the same as
    when written one by one.
    """
    if not audit:
        return [None] * len(jobs)
    workers = workers or os.cpu_count() or 1
    rows = sum(len(plan.students) for plan, _ in jobs)
    label = "overgangswerkmappen"
    if workers < 2 or len(jobs) < 2 or rows < PARALLEL_FROM_ROWS:
        return [_one(job) for job in bar(jobs, label, total=len(jobs))]
    context = multiprocessing.get_context("fork")
    chunk = max(1, len(jobs) // (workers * 16))
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        books = bar(pool.map(_one, jobs, chunksize=chunk), label, total=len(jobs))
        return list(books)
