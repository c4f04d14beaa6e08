"""`lwtop validate PAD...`: read an export, check it and say in Dutch what is wrong with it."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import pandas as pd

from lwtop_toolkit import findings as fd
from lwtop_toolkit.board.exports import shared_ids_of, shared_note
from lwtop_toolkit.board.owners import school_counts
from lwtop_toolkit.board.schools import several_schools
from lwtop_toolkit.check.loading import Loaded, load
from lwtop_toolkit.check.validate import enrolled_twice
from lwtop_toolkit.cli.common import (
    SHOWN_FINDINGS,
    add_command,
    add_format,
    add_json,
    add_las,
    add_map,
    add_quiet,
    add_sector,
    findings_records,
    findings_table,
    mapping_of,
    print_json,
    status_of,
    twice_note,
)
from lwtop_toolkit.flows import reader_for
from lwtop_toolkit.las import catalogue as las
from lwtop_toolkit.readers import READERS
from lwtop_toolkit.readers.school_settings import article_links

SHOWN_SCHOOLS = 20  # a board's schools in the summary: all up to this many


def register(commands: Any) -> None:
    """Add `lwtop validate` to the subcommands."""
    check = add_command(
        commands,
        "validate",
        summary="lees bestanden in en controleer ze",
        description="Leest de export van één schooljaar in (importbestanden, EDEXML of de "
        "leerlingenlijst van een LAS) en controleert haar: elke fout, waarschuwing en opmerking "
        "met het bestand, de rij en de kolom. Een map met een submap per school leest het hele "
        "bestuur, met een overzicht per school."
        "\n\n"
        "Met --las ook wat de school bij de overgang moet doen. Afsluitcode 0: geen fouten; "
        "1: er zijn fouten in de gegevens; 2: de bestanden of de opdracht zijn niet te lezen.",
        examples=[
            "lwtop validate sample_data/2026-2027",
            "lwtop validate --las magister sample_data/magister/2026-2027",
        ],
    )
    check.add_argument(
        "paths", nargs="+", type=Path, metavar="PAD", help="de bestanden of mappen van de export"
    )
    add_format(check)
    add_las(check, help="het LAS van de school; kiest de lezer en toont de actie bij de overgang")
    add_json(check)
    add_map(check)
    add_sector(check)
    add_quiet(check)
    check.set_defaults(run=run_validate)


def run_validate(args: argparse.Namespace) -> int:
    """Read and check the export; with `--las` that LAS's reader, and its action at the
    transition."""
    entry = las.get(args.las) if args.las else None
    mapping = mapping_of(args)
    format = reader_for(args.paths, args.format, args.las, mapping)
    loaded = load(args.paths, format, mapping, args.sector)
    if args.json:
        print_json(validate_document(loaded, entry))
    else:
        print(summary_text(loaded))
        if entry is not None:
            print()
            print(action_text(entry, loaded))
    return status_of(loaded.findings)


def validate_document(loaded: Loaded, entry: las.Las | None) -> dict[str, Any]:
    """The JSON document of `lwtop validate --json`: the same keys with or without `--las`."""
    per_school = board_counts(loaded)
    year = loaded.tables.schooljaar()
    action = None if entry is None else entry.as_dict(year, article_links(loaded.files))
    return {
        "format": loaded.format,
        "tables": loaded.tables.row_counts(),
        "findings": findings_records(loaded.findings),
        "enrolled_twice": enrolled_twice(loaded.tables).to_dict("records"),
        "per_school": [] if per_school is None else per_school.to_dict("records"),
        "las": action,
    }


def summary_text(loaded: Loaded, limit: int = SHOWN_FINDINGS) -> str:
    """The Dutch summary of one load: format, school year, rows per table, findings."""
    reader = READERS.get(loaded.format)
    year = loaded.tables.schooljaar()
    counts = fd.counts(loaded.findings)
    lines = [
        f"Formaat:     {reader.label if reader else loaded.format}",
        f"Schooljaar:  {year if year else 'onbekend'}",
        "Ingelezen:   "
        + ", ".join(fd.rows_of(name, count) for name, count in loaded.tables.row_counts().items()),
        f"Bevindingen: {fd.severity_text(counts)}",
    ]
    shared = shared_ids_of(loaded)
    if shared:  # a board whose school exports share ids
        lines += ["", shared_note(shared, "read")]
    twice = enrolled_twice(loaded.tables)
    if not twice.empty:  # a board: the same child at two schools?
        lines += ["", twice_note(twice)]
    per_school = board_counts(loaded)
    if per_school is not None:  # a board: which schools need attention
        lines += ["", *school_lines(per_school)]
    if not loaded.findings.empty:
        lines += ["", findings_table(loaded.findings, limit, loaded.files, command="validate")]
    lines.append("")
    if counts["error"]:
        lines.append("Los de fouten op in de export en lees de bestanden opnieuw in.")
    else:
        lines.append("Geen fouten: de gegevens kunnen verder.")
    return "\n".join(lines)


def board_counts(loaded: Loaded) -> pd.DataFrame | None:
    """Per school its groups, pupils and findings (`owners.school_counts`); None for one school."""
    if not several_schools(loaded.tables):
        return None
    return school_counts(loaded.tables, loaded.findings)


def school_lines(counts: pd.DataFrame, shown: int = SHOWN_SCHOOLS) -> list[str]:
    """A board's schools as a Dutch table, the most errors first: all of them up to `shown`,
    else those with findings (up to `shown`) and how many are left."""
    found = counts[counts[["error", "warning", "info"]].sum(axis=1).gt(0)]
    listed = counts if len(counts) <= shown else found.head(shown)
    if listed.empty:  # many schools, none with findings: no empty table
        return [
            f"Per school ({fd.count_of(len(counts), 'school')}): geen school met bevindingen "
            "(elke school met haar aantallen: --json, per_school)."
        ]
    table = listed.rename(
        columns={"error": "fouten", "warning": "waarschuwingen", "info": "ter info"}
    ).to_string(index=False)
    lines = [
        f"Per school ({fd.count_of(len(counts), 'school')}, {len(found)} met bevindingen; "
        "de meeste fouten eerst):",
        *("  " + line for line in table.splitlines()),
    ]
    if len(listed) < len(counts):
        rest = len(found) - len(listed)
        lines.append(
            f"  (en nog {fd.count_of(rest, 'school')} met bevindingen en "
            f"{len(counts) - len(found)} zonder; alle scholen: --json, per_school)"
        )
    return lines


def action_text(entry: las.Las, loaded: Loaded) -> str:
    """What the school must do at the transition into the school year of this export."""
    year = loaded.tables.schooljaar()
    target = f"schooljaar {year}" if year else "het nieuwe schooljaar"
    return "\n".join(
        [
            f"LAS:         {entry.name} ({entry.code})",
            f"Overgang naar {target}: {entry.instruction(year, article_links(loaded.files))}",
            las.STEP_2,
        ]
    )
