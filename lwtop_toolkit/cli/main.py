"""`lwtop`: the root of the command line. It builds the parser from each command's module and
runs the command chosen; the commands share `cli.common` and never import this module.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

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
    """Run `lwtop`; returns the exit status (a wrong call exits 2 with one Dutch line)."""
    parser = root_parser()
    args = parser.parse_args(argv)
    check_combinations(parser, args)
    set_quiet(True if getattr(args, "quiet", False) else None)
    return run_safely(args.run, args)
