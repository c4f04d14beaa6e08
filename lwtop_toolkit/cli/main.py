"""`lwtop`: the root of the command line. It builds the parser from each command's module and
runs the command chosen; the commands share `cli.common` and never import this module.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from functools import partial
from typing import Any, TextIO, cast

from lwtop_toolkit.cli import (
    bundle,
    demo,
    las,
    preview,
    sample,
    staff,
    steps,
    validate,
    verify,
)
from lwtop_toolkit.cli.common import Parser, check_combinations, help_texts, run_safely
from lwtop_toolkit.readers.bundle import is_bundle
from lwtop_toolkit.readers.files.archives import Unpacked
from lwtop_toolkit.runtime.progress import set_quiet
from lwtop_toolkit.runtime.version import VERSION


def root_parser() -> argparse.ArgumentParser:
    """`lwtop` and its commands, in the order of the transition."""
    description, examples = help_texts(
        "Schooljaarovergang Leerwinst/TOP dossier: exports inlezen, controleren en klaarzetten "
        "voor de upload.\n\nElke opdracht heeft haar eigen hulp: lwtop OPDRACHT --help.",
        [
            "lwtop validate sample_data/2026-2027",
            "lwtop preview --old sample_data/2025-2026 --new sample_data/2026-2027",
            "lwtop demo --out demo-output",
        ],
    )
    parser = Parser(prog="lwtop", description=description, epilog=examples)
    parser.add_argument(
        "--version",
        action="version",
        version=f"lwtop-toolkit {VERSION}",
        help="toon het versienummer en stop",
    )
    commands = parser.add_subparsers(
        dest="command", metavar="OPDRACHT", parser_class=Parser, help="een van deze opdrachten:"
    )
    commands.required = True
    las.register(commands)
    validate.register(commands)
    preview.register(commands)
    staff.register(commands)
    bundle.register(commands)
    steps.register(commands)
    verify.register(commands)
    sample.register(commands)
    demo.register(commands, main)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run `lwtop`; returns the exit status (a wrong call exits 2 with one Dutch line).

    A zipped export among the export paths is read as the folder it holds, unpacked for the
    run into a private temporary folder (`run_unpacked`); the output names its files by the
    zip. Output piped into a reader that stops early (`lwtop validate X | head -1`) does not
    change the status: the command runs on and returns the status of its data (`Output`).
    """
    with Unpacked() as zips, command_output(zips.readable):
        parser = root_parser()
        args = parser.parse_args(argv)
        check_combinations(parser, args)
        set_quiet(True if getattr(args, "quiet", False) else None)
        return run_safely(partial(run_unpacked, zips=zips), args)


# The options that take export paths. Our own bundles stay as they are: `lwtop verify
# --expected` reads them itself (with their findings CSV, which is no export).
EXPORT_OPTIONS = ("paths", "old", "new", "expected", "actual")


def run_unpacked(args: argparse.Namespace, zips: Unpacked) -> int:
    """The command with each zipped export among its export paths unpacked (the same rule and
    limits as the app's uploads: readers/files/archives.py)."""
    for option in EXPORT_OPTIONS:
        given = getattr(args, option, None)
        if given:
            setattr(args, option, zips.exports(given, keep=is_bundle))
    result: int = args.run(args)
    return result


class Output:
    """stdout or stderr of a run: each text with the unpacked folders named by their zips
    (`readable`), and a reader that may leave: on the first broken pipe the file descriptor is
    pointed at devnull (the Python docs' recipe), the rest of the output is dropped and the
    command runs on to its own exit status. Everything else is the wrapped stream's."""

    def __init__(self, stream: TextIO, readable: Callable[[str], str]) -> None:
        self.stream = stream
        self.readable = readable

    def write(self, text: str) -> int:
        try:
            self.stream.write(self.readable(text))
        except BrokenPipeError:
            self.silence()
        return len(text)

    def flush(self) -> None:
        try:
            self.stream.flush()
        except BrokenPipeError:
            self.silence()

    def silence(self) -> None:
        """Point the stream's file descriptor at devnull; what it still holds goes there."""
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, self.stream.fileno())
        finally:
            os.close(devnull)
        with suppress(OSError):
            self.stream.flush()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


@contextmanager
def command_output(readable: Callable[[str], str]) -> Iterator[None]:
    """`sys.stdout` and `sys.stderr` as `Output` for the block, flushed at its end."""
    originals = sys.stdout, sys.stderr
    wrapped = [Output(stream, readable) if stream is not None else None for stream in originals]
    pairs = zip(wrapped, originals, strict=True)
    sys.stdout, sys.stderr = (cast(TextIO, new or old) for new, old in pairs)
    try:
        yield
    finally:
        for output in wrapped:
            if output is not None:
                output.flush()
        sys.stdout, sys.stderr = originals
