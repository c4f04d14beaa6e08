"""Work on two cores: one piece in a forked process, the rest here.

Used to read and validate last year's and this year's exports at the same time when they are
large (a board, a country). The forked
child inherits everything (no input is pickled); only its result travels back. An error in the
child is raised here as if the work had run here (a ToolkitError keeps its Dutch line); a child
that dies without a word (out of memory) has its work done again here. Progress bars are shown
by this process only.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any, Generic, TypeVar

from . import progress

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


class Started(Generic[A]):
    """A piece of work begun by `start`; `result()` waits for it and gives what it gave."""

    def __init__(self, task: Callable[[], A]) -> None:
        self._task = task
        self._child: BaseProcess | None = None
        self._receiver: Connection | None = None
        self._outcome: tuple[str, Any] | None = None
        if not can_fork():  # done here, when its result is asked for
            self._outcome = ("here", None)
            return
        context = multiprocessing.get_context("fork")
        receiver, sender = context.Pipe(duplex=False)
        child = context.Process(target=_run_child, args=(task, sender), daemon=True)
        try:
            child.start()
        except OSError:  # no process to be had (memory, a limit): done here after all
            receiver.close()
            self._outcome = ("here", None)
            return
        finally:
            sender.close()
        self._child, self._receiver = child, receiver

    def result(self) -> A:
        """The task's result; its error raised here (a child that died: the task done here)."""
        if self._outcome is None:
            assert self._receiver is not None and self._child is not None
            try:
                self._outcome = self._receiver.recv()
            except EOFError:  # the child died (out of memory, killed): do its work here
                self._outcome = ("lost", None)
            finally:
                self.close()
        outcome: tuple[str, Any] = self._outcome
        if outcome[0] in ("here", "lost"):  # not begun elsewhere, or its process died
            self._outcome = outcome = _outcome(self._task)
        if outcome[0] == "raised":
            raise outcome[1]
        done: A = outcome[1]
        return done

    def close(self) -> None:
        """Stop waiting: the child is ended (if still running) and the pipe closed."""
        if self._receiver is not None:
            self._receiver.close()
            self._receiver = None
        if self._child is not None:
            self._child.join(timeout=5 if self._outcome is not None else 0)
            if self._child.is_alive():
                self._child.kill()
                self._child.join()
            self._child = None


def _outcome(task: Callable[[], A]) -> tuple[str, Any]:
    try:
        return "done", task()
    except Exception as error:
        return "raised", error


def start(task: Callable[[], A]) -> Started[A]:
    """`task` begun in a forked process while this one goes on; `.result()` when needed.

    Without fork or with one core, the task is done here when its result is asked for."""
    return Started(task)


def both(first: Callable[[], A], second: Callable[[], B]) -> tuple[A, B]:
    """`(first(), second())`, `first` in a forked process while `second` runs here.

    Errors come in the order of sequential work: one of `first` is raised before one of
    `second`. Without fork (or one core) both simply run here, one after the other.
    """
    if not can_fork():
        return first(), second()
    begun = start(first)
    try:
        here = _outcome(second)
        first_result = begun.result()
    finally:
        begun.close()
    if here[0] == "raised":
        raise here[1]
    second_result: B = here[1]
    return first_result, second_result
