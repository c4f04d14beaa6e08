"""`lwtop staff-sheet` and `lwtop staff-links`: step 2, the staff–group assignment workbook."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import pandas as pd

from . import findings as fd
from .loading import load
from .profiles import DEFAULT_PROFILE, PROFILES
from .progress import add_quiet_argument
from .readers import READERS
from .readers.staffsheet import read_staff_sheet
from .staffing import SOURCE_LABELS, StaffPlan, suggest_staff
from .writers.files import write_atomically
from .writers.staffsheet import write_staff_plan

EXIT_OK, EXIT_FINDINGS = 0, 1
LINKS_TABLE = "medewerker_groepen"


def register(commands: Any) -> None:
    """Add `lwtop staff-sheet` and `lwtop staff-links` to the subcommands."""
    sheet = commands.add_parser(
        "staff-sheet",
        help="schrijf de werkmap om leerkrachten aan de nieuwe groepen te koppelen (stap 2)",
    )
    sheet.add_argument("--old", nargs="+", type=Path, required=True, metavar="PAD")
    sheet.add_argument("--new", nargs="+", type=Path, required=True, metavar="PAD")
    sheet.add_argument("--out", type=Path, required=True, metavar="WERKMAP.xlsx")
    sheet.add_argument("--format", choices=sorted(READERS), help="formaat (standaard: herkennen)")
    add_quiet_argument(sheet)
    sheet.set_defaults(run=run_staff_sheet)

    links = commands.add_parser(
        "staff-links",
        help="lees de ingevulde werkmap in, controleer haar en schrijf de koppelingen als CSV",
    )
    links.add_argument("sheet", type=Path, metavar="WERKMAP.xlsx")
    links.add_argument("--new", nargs="+", type=Path, required=True, metavar="PAD")
    links.add_argument("--out", type=Path, required=True, metavar="BESTAND.csv")
    links.add_argument("--format", choices=sorted(READERS), help="formaat (standaard: herkennen)")
    links.add_argument("--json", action="store_true", help="één JSON-document op stdout")
    add_quiet_argument(links)
    links.set_defaults(run=run_staff_links)


def run_staff_sheet(args: argparse.Namespace) -> int:
    from .cli import findings_table

    old = load(args.old, args.format)
    new = load(args.new, args.format)
    plan = suggest_staff(old.tables, new.tables)
    path = write_staff_plan(plan, args.out)
    inputs = fd.concat([old.findings, new.findings])
    lines = [f"Werkmap geschreven: {path}", *plan_lines(plan)]
    from .board_exports import shared_ids_of, shared_note

    shared = shared_ids_of(old, new)
    if shared:  # a board whose school exports share ids (board_exports.py)
        lines += ["", shared_note(shared, "staff")]
    if not inputs.empty:
        counts = fd.counts(inputs)
        lines += [
            "",
            f"Bevindingen in de invoer: {counts['error']} fouten, {counts['warning']} "
            f"waarschuwingen, {counts['info']} ter info (alle: lwtop validate PAD --json)",
            findings_table(inputs),
        ]
    new_paths = " ".join(str(part) for part in args.new)
    lines += [
        "",
        "Laat de werkmap invullen en lees haar daarna in met:",
        f"  lwtop staff-links {path} --new {new_paths} --out medewerker_groepen.csv",
    ]
    print("\n".join(lines))
    return EXIT_FINDINGS if fd.has_errors(inputs) else EXIT_OK


def plan_lines(plan: StaffPlan) -> list[str]:
    """The Dutch summary of a plan: the school, the groups, the staff, the suggestions."""
    per_source = plan.groups["bron"].value_counts()
    sources = ", ".join(
        f"{int(per_source.get(code, 0))} {label}" for code, label in SOURCE_LABELS.items()
    )
    return [
        f"Schooljaar {plan.schooljaar or 'onbekend'}, BRIN {plan.brin or 'onbekend'}: "
        f"{len(plan.groups)} stamgroepen, {len(plan.eligible)} medewerkers te kiezen, "
        f"{len(plan.not_linkable)} niet te koppelen.",
        f"Voorstellen: {sources}.",
    ]


def run_staff_links(args: argparse.Namespace) -> int:
    from .cli import _print_json, findings_records, findings_table

    new = load(args.new, args.format)
    links, findings = read_staff_sheet(args.sheet, new.tables)
    findings = fd.sort(findings)
    errors = fd.has_errors(findings)
    if not errors:
        write_links_csv(links, args.out)
    if args.json:
        _print_json(
            {
                "links": len(links),
                "written": None if errors else str(args.out),
                "findings": findings_records(findings),
            }
        )
        return EXIT_FINDINGS if errors else EXIT_OK
    counts = fd.counts(findings)
    groups = links["groep_id"].nunique()
    lines = [
        f"Werkmap gelezen: {args.sheet}",
        f"Koppelingen:  {len(links)} (aan {groups} groepen)",
        f"Bevindingen: {counts['error']} fouten, {counts['warning']} waarschuwingen, "
        f"{counts['info']} ter info",
    ]
    if not findings.empty:
        lines += ["", findings_table(findings)]
    lines.append("")
    if errors:
        lines.append(
            f"Er is geen {args.out} geschreven: los eerst de fouten op in de werkmap en lees haar "
            "opnieuw in."
        )
    else:
        lines.append(
            f"Geen fouten: de koppelingen staan in {args.out}. Neem ze op in de bundel met "
            f"lwtop bundle ... --staff-links {args.out}."
        )
    new_errors = fd.counts(new.findings)["error"]
    if new_errors:
        lines.append(
            f"Let op: de gegevens van het nieuwe jaar hebben {new_errors} fouten (zie lwtop "
            "validate)."
        )
    print("\n".join(lines))
    return EXIT_FINDINGS if errors else EXIT_OK


def write_links_csv(links: pd.DataFrame, path: Path) -> Path:
    """`medewerker_groepen` as the default profile writes it: `;`, UTF-8 with BOM, safe cells."""
    data = PROFILES[DEFAULT_PROFILE].table_csv(links, LINKS_TABLE)
    return write_atomically(Path(path), data)
