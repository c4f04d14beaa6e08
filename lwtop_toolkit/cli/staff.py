"""`lwtop staff-sheet` and `lwtop staff-links`: step 2, the staff–group assignment workbook."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import pandas as pd

from lwtop_toolkit import findings as fd
from lwtop_toolkit.board.exports import Unit, export_units, load_exports
from lwtop_toolkit.board.schools import schools
from lwtop_toolkit.check.loading import Loaded, load
from lwtop_toolkit.model import Tables
from lwtop_toolkit.readers import READERS
from lwtop_toolkit.runtime.files import write_atomically
from lwtop_toolkit.runtime.progress import add_quiet_argument, bar
from lwtop_toolkit.sheets.staff_read import read_staff_sheet
from lwtop_toolkit.sheets.staff_write import write_staff_plan
from lwtop_toolkit.steps.staffing import SOURCE_LABELS, StaffPlan, suggest_staff
from lwtop_toolkit.writers.profiles import DEFAULT_PROFILE, PROFILES

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
    from lwtop_toolkit.board.exports import export_units, shared_ids_of, shared_note

    old = load(args.old, args.format)
    new = load(args.new, args.format)
    inputs = fd.concat([old.findings, new.findings])
    shared = shared_ids_of(old, new)
    units = export_units(old.tables, new.tables) if shared else None
    if units:  # a board whose school exports share ids (board_exports.py): one per school
        return _staff_sheets(args, units, shared_note(shared, "staff"))
    plan = suggest_staff(old.tables, new.tables)
    path = write_staff_plan(plan, args.out)
    lines = [f"Werkmap geschreven: {path}", *plan_lines(plan)]
    if shared:  # ids shared, but the exports cannot be taken apart (rows of no known file)
        lines += ["", shared_note(shared, "staff")]
    lines += _input_lines(inputs)
    lines += [
        "",
        "Laat de werkmap invullen en lees haar daarna in met:",
        f"  lwtop staff-links {path} --new {_joined(args.new)} --out medewerker_groepen.csv",
    ]
    print("\n".join(lines))
    return EXIT_FINDINGS if fd.has_errors(inputs) else EXIT_OK


def _staff_sheets(args: argparse.Namespace, units: list[Unit], note: str) -> int:
    """A board whose exports share ids: a workbook per school (per unit of exports), each made
    from that school's exports alone, named `<out>-<school>.xlsx`; the findings are those of
    each school read alone (read as one, the shared ids would be errors)."""

    lines = [note, ""]
    written: list[Path] = []
    found: list[pd.DataFrame] = []
    for old_exports, new_exports in bar(units, "werkmappen per school", total=len(units)):
        old = load_exports([Path(folder) for folder in old_exports], args.format)
        new = load_exports([Path(folder) for folder in new_exports], args.format)
        found += [old.findings, new.findings]
        plan = suggest_staff(old.tables, new.tables)
        name = "+".join(schools(new.tables))
        out: Path = args.out
        written.append(write_staff_plan(plan, out.with_name(f"{out.stem}-{name}{out.suffix}")))
        lines += [f"Werkmap geschreven: {written[-1]}", *plan_lines(plan)]
    inputs = fd.sort(fd.concat(found))
    lines += _input_lines(inputs)
    pattern = args.out.with_name(f"{args.out.stem}-*{args.out.suffix}")
    lines += [
        "",
        "Laat elke school haar werkmap invullen. Neem ze daarna samen op in de bundels; elke "
        "werkmap gaat met haar eigen school mee:",
        f"  lwtop bundle --old {_joined(args.old)} --new {_joined(args.new)} --out bundels "
        f"--staff-sheet {pattern}",
        "Eén werkmap vooraf controleren kan met: lwtop staff-links WERKMAP --new "
        f"{_joined(args.new)} --out medewerker_groepen.csv",
    ]
    print("\n".join(lines))
    return EXIT_FINDINGS if fd.has_errors(inputs) else EXIT_OK


def _input_lines(inputs: pd.DataFrame) -> list[str]:
    """The findings of reading the exports, counted and shown (none: no lines)."""
    if inputs.empty:
        return []
    from lwtop_toolkit.cli.main import findings_table

    counts = fd.counts(inputs)
    return [
        "",
        f"Bevindingen in de invoer: {counts['error']} fouten, {counts['warning']} "
        f"waarschuwingen, {counts['info']} ter info (alle: lwtop validate PAD --json)",
        findings_table(inputs),
    ]


def _joined(paths: list[Path]) -> str:
    return " ".join(str(path) for path in paths)


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
    from lwtop_toolkit.cli.main import _print_json, findings_records, findings_table

    new = load(args.new, args.format)
    school = _school_of_sheet(args.sheet, new, args.format)
    if school is not None:  # a board's per-school workbook: checked against that school
        new = school
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
    elif school is not None:  # one school's workbook of a board whose exports share ids
        lines.append(
            f"Geen fouten: de koppelingen staan in {args.out}. Deze werkmap is van één school "
            f"({', '.join(schools(new.tables))}): neem haar op in de bundels met lwtop bundle ... "
            f"--staff-sheet {args.sheet} (en de werkmappen van de andere scholen)."
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


def _school_of_sheet(sheet: Path, new: Loaded, format: str | None) -> Loaded | None:
    """A board's per-school workbook (`lwtop staff-sheet` of exports that share ids) read
    against the whole board: the exports of the school it was made for; None otherwise."""
    from lwtop_toolkit.sheets.staff_read import origin_of, sheet_origin

    origin = sheet_origin(sheet)
    if origin == origin_of(new.tables):
        return None
    units = export_units(Tables(), new.tables) or []
    several = units if len(units) > 1 else []  # one unit: the whole delivery, compared above
    for _, new_exports in bar(several, "de school van de werkmap zoeken", total=len(several)):
        school = load_exports([Path(folder) for folder in new_exports], format)
        if origin_of(school.tables) == origin:
            return school
    return None


def write_links_csv(links: pd.DataFrame, path: Path) -> Path:
    """`medewerker_groepen` as the default profile writes it: `;`, UTF-8 with BOM, safe cells."""
    data = PROFILES[DEFAULT_PROFILE].table_csv(links, LINKS_TABLE)
    return write_atomically(Path(path), data)
