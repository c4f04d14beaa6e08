"""The audit workbooks of many schools, written on every core (a process pool over schools).

The workers are forked from this process and find the jobs in their copy of its memory: only
an index goes to a worker and only the workbook's bytes come back. Pickling each school's plan
to a worker cost more than a tenth of its workbook.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager

import pandas as pd

from lwtop_toolkit.plan.transition import TransitionPlan
from lwtop_toolkit.runtime.progress import bar

# Below this many pupil rows in all, starting worker processes costs more than it saves.
PARALLEL_FROM_ROWS = 20_000
Job = tuple[TransitionPlan, pd.DataFrame]

# The jobs of the running `audit_workbooks`, for the forked workers (set only around the pool).
_JOBS: Sequence[Job] = ()


def _one(job: Job) -> bytes:
    from lwtop_toolkit.writers.audit import audit_workbook_bytes

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
    label = "overgangswerkmappen"
    with started_workbooks(jobs, audit, workers) as books:
        return list(bar(books, label, total=len(jobs)) if audit else books)


@contextmanager
def started_workbooks(
    jobs: Sequence[Job], audit: bool = True, workers: int | None = None
) -> Iterator[Iterator[bytes | None]]:
    """The workbooks of `jobs` as `audit_workbooks` makes them, given one by one in order while
    they are written: on entry the worker processes start, and this process is free for other
    work (the bundles' CSV files and zips) until it asks for the next workbook.

    A small delivery (or one core) is written here, each workbook when it is asked for.
    """
    global _JOBS
    if not audit:
        yield iter([None] * len(jobs))
        return
    workers = workers or os.cpu_count() or 1
    rows = sum(len(plan.students) for plan, _ in jobs)
    if workers < 2 or len(jobs) < 2 or rows < PARALLEL_FROM_ROWS:
        yield (_one(job) for job in jobs)
        return
    context = multiprocessing.get_context("fork")
    chunk = max(1, len(jobs) // (workers * 16))
    _JOBS = jobs
    # Everything alive now is left out of the collector's passes, here and in the workers: a
    # pass over the whole board's plans cost ~10 ms per workbook, and it would copy the
    # workers' shared memory pages (the collector writes to every object it passes).
    gc.freeze()
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context)
    stopped = True  # an error here (or Ctrl-C): the workbooks not begun are not written
    try:
        # `map` hands out every job now (the workers fork here); the results come in order.
        yield pool.map(_inherited, range(len(jobs)), chunksize=chunk)
        stopped = False
    finally:
        pool.shutdown(wait=True, cancel_futures=stopped)
        _JOBS = ()
        gc.unfreeze()
