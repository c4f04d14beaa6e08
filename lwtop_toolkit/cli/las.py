"""`lwtop las` and `lwtop validate --las CODE`: the LAS catalogue on the command line."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from lwtop_toolkit import findings as fd
from lwtop_toolkit.check.loading import Loaded, load
from lwtop_toolkit.findings import ToolkitError
from lwtop_toolkit.las import catalogue as las
from lwtop_toolkit.readers import READERS


def register(commands: Any) -> None:
    """Add `lwtop las` and the `--las` option of `lwtop validate` to the subcommands."""
    catalogue = commands.add_parser(
        "las", help="de LAS-catalogus: wat de school per LAS doet bij de overgang"
    )
    catalogue.add_argument("--json", action="store_true", help="één JSON-document op stdout")
    catalogue.set_defaults(run=run_las)
    validate = commands.choices["validate"]
    validate.add_argument(
        "--las",
        choices=list(las.CATALOGUE),
        metavar="CODE",
        help="het LAS van de school (kiest de lezer en toont de actie bij de overgang): "
        + ", ".join(las.CATALOGUE),
    )
    validate.set_defaults(run=run_validate)


def available_readers(entry: las.Las) -> list[str]:
    """The readers of `entry` that are registered in this version of the toolkit."""
    return [name for name in entry.readers if name in READERS]


def catalogue_text() -> str:
    """The catalogue as the seed's table, in Dutch."""
    header = ("code", "LAS", "sector", "actie")
    rows = [
        (entry.code, entry.name, entry.sector, las.ACTION_LABELS[entry.action])
        for entry in las.CATALOGUE.values()
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = [
        "Stap 1: de leerlingen en groepen van het nieuwe schooljaar in Leerwinst/TOP dossier.",
        "De koppeling neemt de nieuwe groepen over vanaf 1 augustus van het nieuwe schooljaar.",
        "",
    ]
    lines += ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
              for row in [header, *rows]]  # fmt: skip
    lines.append("")
    for entry in las.CATALOGUE.values():
        readers = ", ".join(available_readers(entry))
        lines.append(f"{entry.name} ({entry.code}): {entry.instruction()}")
        lines.append(f"    in te lezen met: {readers}")
    lines += ["", las.STEP_2]
    return "\n".join(lines)


def run_las(args: argparse.Namespace) -> int:
    from lwtop_toolkit.cli.main import EXIT_OK, _print_json

    if args.json:
        entries = [
            {**entry.as_dict(), "readers_available": available_readers(entry)}
            for entry in las.CATALOGUE.values()
        ]
        _print_json({"las": entries, "step_2": las.STEP_2})
    else:
        print(catalogue_text())
    return EXIT_OK


def pick_reader(entry: las.Las, paths: Sequence[Path]) -> str:
    """The first registered reader of `entry` that recognises the files; ToolkitError if none."""
    for path in paths:
        if not path.exists():
            raise ToolkitError(
                "unreadable-file", file=str(path), reason="het bestand bestaat niet."
            )
    names = available_readers(entry)
    from lwtop_toolkit.readers.batch import school_folders

    # a folder of school exports (issue 7): the reader must know every school's folder
    exports = [[folder] for folder in school_folders(list(paths)) or []] or [list(paths)]
    for name in names:
        if all(READERS[name].detect(export) for export in exports):
            return name
    files = ", ".join(str(path) for path in paths)
    expected = ", ".join(names)
    raise ToolkitError(
        "unknown-format",
        file=files,
        reason=f"geen lezer voor {entry.name} herkent deze bestanden (verwacht: {expected})",
    )


def action_text(entry: las.Las, loaded: Loaded) -> str:
    """What the school must do at the transition into the school year of this export."""
    year = loaded.tables.schooljaar()
    target = f"schooljaar {year}" if year else "het nieuwe schooljaar"
    return "\n".join(
        [
            f"LAS:         {entry.name} ({entry.code})",
            f"Overgang naar {target}: {entry.instruction(year)}",
            las.STEP_2,
        ]
    )


def run_validate(args: argparse.Namespace) -> int:
    """`lwtop validate`, with `--las`: the LAS's reader, and the action at the transition."""
    from lwtop_toolkit.cli.main import (
        EXIT_FINDINGS,
        EXIT_OK,
        _print_json,
        _validate,
        findings_records,
        summary_text,
    )

    if not args.las:
        status: int = _validate(args)
        return status
    entry = las.get(args.las)
    format = args.format or pick_reader(entry, args.paths)
    from lwtop_toolkit.readers.school_settings import parse_mapping

    loaded = load(args.paths, format, parse_mapping(args.map) or None)
    if args.json:
        year = loaded.tables.schooljaar()
        _print_json(
            {
                "format": loaded.format,
                "tables": loaded.tables.row_counts(),
                "findings": findings_records(loaded.findings),
                "las": {**entry.as_dict(), "instruction": entry.instruction(year)},
            }
        )
    else:
        print(summary_text(loaded))
        print()
        print(action_text(entry, loaded))
    return EXIT_FINDINGS if fd.has_errors(loaded.findings) else EXIT_OK
