"""The audit workbooks of many schools, written on every core (a process pool over schools).

The workers are forked from this process and find the jobs in their copy of its memory: only
an index goes to a worker and only the workbook's bytes come back. Pickling each school's plan
to a worker cost more than a tenth of its workbook.
"""

from __future__ import annotations

import gc
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

# The jobs of the running `audit_workbooks`, for the forked workers (set only around the pool).
_JOBS: Sequence[Job] = ()


def _one(job: Job) -> bytes:
    from .audit import audit_workbook_bytes

    return audit_workbook_bytes(*job)


def _inherited(index: int) -> bytes:
    """In a worker: the workbook of job `index`, from the memory inherited at the fork."""
    return _one(_JOBS[index])


def audit_workbooks(
    jobs: Sequence[Job], audit: bool = True, workers: int | None = None
) -> list[bytes | None]:
    """`overgang.xlsx` bytes for each (plan, findings) in order; None for each when not `audit`.

    `workers` processes (default: one per core) share the schools; the bytes are the same as
    when written one by one.
    """
    global _JOBS
    if not audit:
        return [None] * len(jobs)
    workers = workers or os.cpu_count() or 1
    rows = sum(len(plan.students) for plan, _ in jobs)
    label = "overgangswerkmappen"
    if workers < 2 or len(jobs) < 2 or rows < PARALLEL_FROM_ROWS:
        return [_one(job) for job in bar(jobs, label, total=len(jobs))]
    context = multiprocessing.get_context("fork")
    chunk = max(1, len(jobs) // (workers * 16))
    _JOBS = jobs
    # Everything alive now is left out of the collector's passes, here and in the workers: a
    # pass over the whole board's plans cost ~10 ms per workbook, and it would copy the
    # workers' shared memory pages (the collector writes to every object it passes).
    gc.freeze()
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            books = pool.map(_inherited, range(len(jobs)), chunksize=chunk)
            return list(bar(books, label, total=len(jobs)))
    finally:
        _JOBS = ()
        gc.unfreeze()
