"""`lwtop staff-sheet` and `lwtop staff-links`: step 2, the staff–group assignment workbook."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import pandas as pd

from lwtop_toolkit import findings as fd
from lwtop_toolkit import flows
from lwtop_toolkit.board.exports import shared_note
from lwtop_toolkit.board.schools import schools
from lwtop_toolkit.cli.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    add_command,
    add_format,
    add_json,
    add_map,
    add_new,
    add_old,
    add_out,
    add_quiet,
    add_sector,
    findings_records,
    findings_table,
    mapping_of,
    print_json,
    years_of,
)
from lwtop_toolkit.model import STAMGROEP
from lwtop_toolkit.runtime.files import write_atomically
from lwtop_toolkit.sheets.staff_write import source_label
from lwtop_toolkit.steps.staffing import SOURCE_LABELS, StaffPlan
from lwtop_toolkit.writers.profiles import DEFAULT_PROFILE, PROFILES

LINKS_TABLE = "medewerker_groepen"


def register(commands: Any) -> None:
    """Add `lwtop staff-sheet` and `lwtop staff-links` to the subcommands."""
    sheet = add_command(
        commands,
        "staff-sheet",
        summary="schrijf de werkmap om leerkrachten aan de nieuwe groepen te koppelen (stap 2)",
        description="Stap 2 van de overgang: een Excel-werkmap met elke stamgroep van het "
        "nieuwe jaar en een keuzelijst van de medewerkers met de rol TOP leerkracht, met een "
        "voorstel uit vorig jaar waar dat kan. De school vult haar in; lwtop staff-links leest "
        "haar terug. Van een bestuur waarvan de scholen medewerkers delen: één werkmap per "
        "school.",
        examples=[
            "lwtop staff-sheet --old sample_data/2025-2026 --new sample_data/2026-2027 "
            "--out toewijzing-leerkrachten.xlsx"
        ],
    )
    add_old(sheet)
    add_new(sheet)
    add_out(sheet, metavar="WERKMAP.xlsx", help="waar de werkmap (.xlsx) komt")
    add_format(sheet)
    add_map(sheet)
    add_sector(sheet)
    add_quiet(sheet)
    sheet.set_defaults(run=run_staff_sheet)

    links = add_command(
        commands,
        "staff-links",
        summary="lees de ingevulde werkmap in, controleer haar en schrijf de koppelingen als CSV",
        description="Leest de werkmap van lwtop staff-sheet terug nadat de school haar heeft "
        "ingevuld, controleert haar tegen de export van het nieuwe jaar en schrijft de "
        "koppelingen medewerker-groep als CSV voor lwtop bundle --staff-links. Bij fouten "
        "wordt er niets geschreven.",
        examples=[
            "lwtop staff-links toewijzing-leerkrachten.xlsx --new sample_data/2026-2027 "
            "--out medewerker_groepen.csv"
        ],
    )
    links.add_argument(
        "sheet", type=Path, metavar="WERKMAP.xlsx", help="de ingevulde werkmap van staff-sheet"
    )
    add_new(links)
    add_out(links, metavar="BESTAND.csv", help="waar de koppelingen (CSV) komen")
    add_format(links)
    add_map(links)
    add_sector(links)
    add_json(links)
    add_quiet(links)
    links.set_defaults(run=run_staff_links)


def run_staff_sheet(args: argparse.Namespace) -> int:
    years = years_of(args)
    made = flows.staff_sheets(years, args.out, args.format)
    inputs = made.findings
    if made.per_school:  # a board whose school exports share ids: one per school
        return _staff_sheets(args, made)
    path, plan = made.written[0]
    lines = [f"Werkmap geschreven: {path}", *plan_lines(plan)]
    if made.shared:  # ids shared, but the exports cannot be taken apart (rows of no known file)
        lines += ["", shared_note(made.shared, "staff")]
    lines += _input_lines(inputs)
    lines += [
        "",
        "Laat de werkmap invullen en lees haar daarna in met:",
        f"  lwtop staff-links {path} --new {_joined(args.new)} --out medewerker_groepen.csv",
    ]
    print("\n".join(lines))
    return EXIT_FINDINGS if fd.has_errors(inputs) else EXIT_OK


def _staff_sheets(args: argparse.Namespace, made: flows.StaffSheets) -> int:
    """A board whose exports share ids: a workbook per school, each made from that school's
    exports alone; the findings are those of each school read alone."""
    lines = [shared_note(made.shared, "staff"), ""]
    for path, plan in made.written:
        lines += [f"Werkmap geschreven: {path}", *plan_lines(plan)]
    lines += _input_lines(made.findings)
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
    return EXIT_FINDINGS if fd.has_errors(made.findings) else EXIT_OK


def _input_lines(inputs: pd.DataFrame) -> list[str]:
    """The findings of reading the exports, counted and shown (none: no lines)."""
    if inputs.empty:
        return []
    counts = fd.counts(inputs)
    return [
        "",
        f"Bevindingen in de invoer: {fd.severity_text(counts)} (alle: lwtop validate PAD --json)",
        findings_table(inputs, command="validate"),
    ]


def _joined(paths: list[Path]) -> str:
    return " ".join(str(path) for path in paths)


def plan_lines(plan: StaffPlan) -> list[str]:
    """The Dutch summary of a plan: the school, the groups, the staff, the suggestions."""
    per_source = plan.groups["bron"].value_counts()
    sources = ", ".join(
        f"{int(per_source.get(code, 0))} {source_label(code, plan.groups['jaargroep'])}"
        for code in SOURCE_LABELS
    )
    stam = int(plan.groups["soort"].eq(STAMGROEP).sum())
    composite = len(plan.groups) - stam
    noun = fd.count_of(composite, "samengestelde groep", "samengestelde groepen")
    composites = f" en {noun}" if composite else ""
    return [
        f"Schooljaar {plan.schooljaar or 'onbekend'}, BRIN {plan.brin or 'onbekend'}: "
        f"{fd.count_of(stam, 'stamgroep')}{composites}, "
        f"{fd.count_of(len(plan.eligible), 'medewerker')} te kiezen, "
        f"{len(plan.not_linkable)} niet te koppelen.",
        f"Voorstellen: {sources}.",
    ]


def run_staff_links(args: argparse.Namespace) -> int:
    mapping = mapping_of(args)
    new_year = flows.load_one(args.new, args.format, None, mapping, args.sector)
    filled = flows.read_filled_sheet(args.sheet, new_year, args.format, mapping)
    new, links, findings = filled.new, filled.links, filled.findings
    errors = fd.has_errors(findings)
    if not errors:
        write_links_csv(links, args.out)
    if args.json:
        print_json(
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
        f"Koppelingen:  {len(links)} (aan {fd.count_of(groups, 'groep')})",
        f"Bevindingen: {fd.severity_text(counts)}",
    ]
    if not findings.empty:
        lines += ["", findings_table(findings, command="staff-links")]
    lines.append("")
    if errors:
        lines.append(
            f"Er is geen {args.out} geschreven: los eerst de fouten op in de werkmap en lees haar "
            "opnieuw in."
        )
    elif filled.one_school:  # one school's workbook of a board whose exports share ids
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
            f"Let op: de gegevens van het nieuwe jaar hebben {fd.count_of(new_errors, 'fout')} "
            "(zie lwtop validate)."
        )
    print("\n".join(lines))
    return EXIT_FINDINGS if errors else EXIT_OK


def write_links_csv(links: pd.DataFrame, path: Path) -> Path:
    """`medewerker_groepen` as the default profile writes it: `;`, UTF-8 with BOM, safe cells."""
    data = PROFILES[DEFAULT_PROFILE].table_csv(links, LINKS_TABLE)
    return write_atomically(Path(path), data)
