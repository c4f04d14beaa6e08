"""Two independent pieces of work on two cores: one in a forked process, one here.

Used to read and validate last year's and this year's exports at the same time when they are
large (a board, a country). The forked child inherits everything (no input is pickled); only
its result travels back. An error in the child is raised here as if the work had run here
(a ToolkitError keeps its Dutch line); a child that dies without a word (out of memory) has
its work done again here. Progress bars are shown by this process only.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, TypeVar

from lwtop_toolkit.runtime import progress

A = TypeVar("A")
B = TypeVar("B")


def _run_child(task: Callable[[], Any], connection: Connection) -> None:
    progress.set_quiet(True)  # one process draws the bars
    try:
        outcome: tuple[str, Any] = ("done", task())
    except BaseException as error:  # every outcome goes back to the parent
        outcome = ("raised", error)
    try:
        connection.send(outcome)
    except Exception:  # an outcome that cannot be pickled: the parent redoes it
        connection.send(("lost", None))
    finally:
        connection.close()


def can_fork() -> bool:
    """Whether a second process can be forked here (Linux/macOS with two cores or more)."""
    return "fork" in multiprocessing.get_all_start_methods() and (os.cpu_count() or 1) > 1


def both(first: Callable[[], A], second: Callable[[], B]) -> tuple[A, B]:
    """`(first(), second())`, `first` in a forked process while `second` runs here.

    Errors come in the order of sequential work: one of `first` is raised before one of
    `second`. Without fork (or one core, or when no process can be started) both simply run
    here, one after the other.
    """
    if not can_fork():
        return first(), second()
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_run_child, args=(first, sender), daemon=True)
    try:
        child.start()
    except OSError:  # no process to be had (memory, a process limit): here after all
        receiver.close()
        return first(), second()
    finally:
        sender.close()
    try:
        try:
            here: tuple[str, Any] = ("done", second())
        except Exception as error:  # raised below, after first's outcome
            here = ("raised", error)
        try:
            kind, value = receiver.recv()
        except EOFError:  # the child died (out of memory, killed): do its work here
            kind, value = "lost", None
    finally:
        receiver.close()
        child.join(timeout=5)
        if child.is_alive():
            child.kill()
    if kind == "raised":
        raise value
    first_result: A = first() if kind == "lost" else value
    if here[0] == "raised":
        raise here[1]
    second_result: B = here[1]
    return first_result, second_result
