"""`lwtop worklist` and `lwtop worklist-status`: step 1 for a LAS in which the school sets its
pupils ready and fetches them, and what is still open in the filled worklist.
"""

from __future__ import annotations

import argparse
import shlex
from pathlib import Path
from typing import Any

import pandas as pd

from lwtop_toolkit import findings as fd
from lwtop_toolkit import flows
from lwtop_toolkit.cli.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    add_command,
    add_dossier,
    add_format,
    add_json,
    add_las,
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
    writing,
    years_of,
)
from lwtop_toolkit.findings import ToolkitError
from lwtop_toolkit.las import catalogue as las
from lwtop_toolkit.readers.school_settings import article_links

SHOWN_OPEN = 12  # open rows of a worklist read back: all of them up to this many, else a summary
FIRST_OPEN = 5  # the first open rows in the summary


def register(commands: Any) -> None:
    """Add `lwtop worklist` and `lwtop worklist-status` to the subcommands."""
    worklist = add_command(
        commands,
        "worklist",
        summary="stap 1: de werklijst om leerlingen klaar te zetten (per LAS)",
        description="Voor een LAS waarin de school de leerlingen zelf klaarzet en ophaalt "
        "(per stuk of in bulk): een werkmap met elke leerling en groep die klaargezet moet "
        "worden, om af te vinken. Voor een LAS met een automatische koppeling of een import "
        "zegt de opdracht wat er in plaats daarvan te doen is.",
        examples=[
            "lwtop worklist --old sample_data/2025-2026 --new sample_data/2026-2027 "
            "--las parnassys-oso --out werklijst.xlsx"
        ],
    )
    add_old(worklist)
    add_new(worklist)
    add_las(worklist, required=True, help="het LAS van de school")
    add_out(
        worklist,
        metavar="BESTAND",
        required=False,
        help="waar de werklijst (.xlsx) komt; nodig voor een LAS met een werklijst",
    )
    add_format(worklist)
    add_map(worklist)
    add_sector(worklist)
    add_json(worklist)
    add_dossier(worklist)
    add_quiet(worklist)
    worklist.set_defaults(run=run_worklist)

    status = add_command(
        commands,
        "worklist-status",
        summary="lees een ingevulde werklijst terug: wat staat nog open",
        description="Leest een werklijst van lwtop worklist terug nadat de school haar heeft "
        "ingevuld, en toont welke leerlingen en groepen nog niet klaargezet of opgehaald zijn.",
        examples=["lwtop worklist-status werklijst.xlsx"],
    )
    status.add_argument("path", type=Path, metavar="BESTAND", help="de ingevulde werklijst (.xlsx)")
    add_json(status)
    add_quiet(status)
    status.set_defaults(run=run_worklist_status)


# --- loading -------------------------------------------------------------------------------------


# --- worklist ------------------------------------------------------------------------------------


def run_worklist(args: argparse.Namespace) -> int:
    entry = las.get(args.las)
    if entry.action in ("none", "file_import"):
        return _no_worklist(args, entry)
    if args.out is None:
        raise ToolkitError(
            "output-not-writable", reason=f"geef met --out aan waar de werklijst voor {entry.name} "
            "moet komen", advice="Bijvoorbeeld: --out werklijst.xlsx.",
        )  # fmt: skip
    from lwtop_toolkit.sheets.worklist_write import scope_line, write_worklist
    from lwtop_toolkit.steps.worklist import build_worklist

    years = years_of(args)
    done = flows.plan_years(years)
    plan, new, findings = done.plan, years.new, done.findings
    articles = article_links([*args.new, *new.files])
    worklist = build_worklist(
        plan, new.tables, entry, all_pupils=args.all_pupils, articles=articles
    )
    path = _write(lambda: write_worklist(worklist, args.out), args.out)
    if args.json:
        print_json(
            {
                "file": str(path),
                "counts": worklist.counts(),
                "findings": findings_records(findings),
            }
        )
    else:
        counts = worklist.counts()
        lines = [
            f"Werklijst geschreven: {path}",
            f"LAS:         {entry.name} — {las.ACTION_LABELS[entry.action]}",
            scope_line(worklist),
            f"Vertrokken leerlingen{' met een dossier' if worklist.scoped else ''}: "
            f"{counts['left']} (tabblad Vertrokken)",
            findings_text(findings, "worklist"),
            "",
            f"Vul Klaargezet en Opgehaald in en lees de werklijst terug met: lwtop "
            f"worklist-status {shlex.quote(str(path))}",
        ]
        print("\n".join(lines))
    return EXIT_FINDINGS if fd.has_errors(findings) else EXIT_OK


def _no_worklist(args: argparse.Namespace, entry: las.Las) -> int:
    """`none` and `file_import`: say in Dutch which artefact this LAS needs instead."""
    new = flows.load_one(args.new, args.format, args.las, mapping_of(args), args.sector)
    year = new.tables.schooljaar()
    instruction = entry.instruction(year, article_links([*args.new, *new.files]))
    paths = " ".join(shlex.quote(str(path)) for path in args.new)
    old_paths = " ".join(shlex.quote(str(path)) for path in args.old)
    dossier = " ".join(shlex.quote(str(path)) for path in args.dossier or [])
    dossier = f" --dossier {dossier}" if dossier else ""
    day = las.takeover_date(entry, year) if year else None
    when = f"{day.day}-{day.month}-{day.year}" if day else "1 augustus"
    if entry.action == "none":
        command = (
            f"lwtop verify --expected {paths} --actual <export uit Leerwinst/TOP dossier>{dossier}"
        )
        lines = [
            instruction,
            f"Voor {entry.name} hoeft niets klaargezet te worden: er is geen werklijst.",
            f"Vóór {when}: bekijk de nieuwe groepsindeling met: lwtop preview --old {old_paths} "
            f"--new {paths}{dossier}",
            f"Na {when}: controleer of de koppeling alles heeft overgenomen met: {command}",
        ]
    else:
        lines = [
            instruction,
            f"Voor {entry.name} is de uitvoer de uploadbundel met de drie bestanden, geen "
            "werklijst. Maak die met:",
            f"  lwtop bundle --old {old_paths} --new {paths} --out <map>{dossier}",
            "Controleer na de import met: lwtop verify --expected <de bundel .zip> --actual "
            f"<export uit Leerwinst/TOP dossier>{dossier}",
        ]
        command = f"lwtop bundle --old {old_paths} --new {paths} --out <map>{dossier}"
    lines.append(las.STEP_2)
    if args.json:
        print_json({"las": entry.code, "action": entry.action, "file": None, "next": command})
    else:
        print("\n".join(lines))
    return EXIT_OK


def _write(write: Any, target: Path) -> Path:
    with writing(target):
        path: Path = write()
    return path


def findings_text(findings: pd.DataFrame, command: str) -> str:
    counts = fd.counts(findings)
    text = f"Bevindingen: {fd.severity_text(counts)}"
    if findings.empty:
        return text
    table = findings_table(findings, command=command)
    return text + "\n\n" + table


# --- worklist-status -----------------------------------------------------------------------------


def run_worklist_status(args: argparse.Namespace) -> int:
    from lwtop_toolkit.sheets.worklist_read import read_worklist

    status = read_worklist(args.path)
    if args.json:
        from lwtop_toolkit.cli.preview import records

        print_json(
            {
                "meta": status.meta,
                "counts": status.counts(),
                "open": records(status.open.drop(columns=["_file", "_row"])),
                "findings": findings_records(status.findings),
            }
        )
    else:
        print(worklist_status_text(status, args.path))
    return EXIT_FINDINGS if fd.has_errors(status.findings) else EXIT_OK


def worklist_status_text(status: Any, path: Path) -> str:
    """What is still open in a worklist read back, in Dutch."""
    meta, counts = status.meta, status.counts()
    entry = las.CATALOGUE.get(meta.get("las", ""))
    lines = [f"Werklijst: {entry.name if entry else meta.get('las', '?')}, schooljaar "
             f"{meta.get('schooljaar', '?')} ({path})"]  # fmt: skip
    for kind, label in (("pupil", "Leerlingen"), ("group", "Groepen"), ("left", "Vertrokken")):
        if kind in counts:
            lines.append(f"{label + ':':<13}{counts[kind]}, nog open: {counts[kind + '_open']}")
    open_items = status.open
    if open_items.empty:
        lines += ["", "Alles is afgevinkt. Controleer nu met lwtop verify of alles ook echt is "
                  "aangekomen in Leerwinst/TOP dossier."]  # fmt: skip
    else:
        lines += ["", f"Nog open ({len(open_items)}):", *open_lines(open_items, path)]
    errors = status.findings[status.findings["severity"].eq("error")]
    if not errors.empty:
        lines += ["", "Fouten in de werklijst:"]
        for row, message in zip(errors["row"], errors["message"], strict=True):
            lines.append(f"- rij {row}: {message}" if pd.notna(row) else f"- {message}")
    return "\n".join(lines)


def open_lines(open_items: pd.DataFrame, path: Path, shown: int = SHOWN_OPEN) -> list[str]:
    """What is still open: every row up to `shown`; beyond, how many per thing to do, the first
    few rows and where all of them are (the worklist itself, `--json`), so that a list of
    hundreds does not push the rest off the screen."""
    from lwtop_toolkit.cli.preview import plain_table

    def table(rows: pd.DataFrame) -> str:
        return plain_table(
            pd.DataFrame({"wat": rows["omschrijving"], "nog te doen": rows["nog_te_doen"]})
        )

    if len(open_items) <= shown:
        return [table(open_items)]
    per_task = open_items["nog_te_doen"].value_counts(sort=False)
    width = len(str(per_task.max()))
    first = open_items.head(FIRST_OPEN)
    sheets = list(
        pd.unique(open_items["_file"].astype("str").str.extract(r"\[(.+)\]$")[0].dropna())
    )
    named = " en ".join([", ".join(sheets[:-1]), sheets[-1]] if len(sheets) > 1 else sheets)
    where = f", {fd.plural(len(sheets), 'tabblad', 'tabbladen')} {named}" if sheets else ""
    return [
        *(f"  {count:>{width}}  {task}" for task, count in per_task.items()),
        "",
        f"De eerste {len(first)}:",
        table(first),
        f"  ... en nog {len(open_items) - len(first)} (alle: lwtop worklist-status "
        f"{shlex.quote(str(path))} --json)",
        f"Alles wat open staat, staat in de werklijst zelf: {path}{where}.",
    ]


__all__ = [
    "findings_text",
    "open_lines",
    "register",
    "run_worklist",
    "run_worklist_status",
    "worklist_status_text",
]
