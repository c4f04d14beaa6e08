"""`lwtop worklist`, `lwtop worklist-status` and `lwtop verify`: step 1 for every LAS, and the
check afterwards (cli_verify.py); `--dossier` (the pupils with a dossier) for these and for
preview and bundle.
"""

from __future__ import annotations

import argparse
import shlex
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from lwtop_toolkit import findings as fd
from lwtop_toolkit.check.loading import Loaded, load
from lwtop_toolkit.findings import ToolkitError
from lwtop_toolkit.las import catalogue as las
from lwtop_toolkit.plan.dossier import Dossier, read_dossier
from lwtop_toolkit.readers import READERS
from lwtop_toolkit.runtime.progress import add_quiet_argument

EXIT_OK, EXIT_FINDINGS, EXIT_FAILED = 0, 1, 2


def add_dossier_arguments(parser: argparse.ArgumentParser, *, all_pupils: bool = True) -> None:
    """`--dossier PAD...` (and `--all-pupils`) on a command that plans the transition."""
    parser.add_argument(
        "--dossier",
        nargs="+",
        type=Path,
        metavar="PAD",
        help="de leerlingen die nu een dossier hebben (export van het dossier of de "
        "importbestanden van vorig jaar); zonder: alle leerlingen",
    )
    if all_pupils:
        parser.add_argument(
            "--all-pupils",
            action="store_true",
            help="neem ook de leerlingen zonder dossier op (alleen met --dossier)",
        )


def load_dossier(args: argparse.Namespace) -> Dossier | None:
    """The dossier list of `--dossier`, or None when not given."""
    paths = getattr(args, "dossier", None)
    return read_dossier(paths) if paths else None


def register(commands: Any) -> None:
    """Add `lwtop worklist`, `lwtop worklist-status` and `lwtop verify`."""
    worklist = commands.add_parser(
        "worklist", help="stap 1: de werklijst om leerlingen klaar te zetten (per LAS)"
    )
    worklist.add_argument(
        "--old", nargs="+", type=Path, required=True, metavar="PAD", help="export van vorig jaar"
    )
    worklist.add_argument(
        "--new", nargs="+", type=Path, required=True, metavar="PAD",
        help="export van het nieuwe jaar",
    )  # fmt: skip
    worklist.add_argument(
        "--las", choices=list(las.CATALOGUE), required=True, metavar="CODE",
        help="het LAS van de school: " + ", ".join(las.CATALOGUE),
    )  # fmt: skip
    worklist.add_argument("--out", type=Path, metavar="BESTAND", help="de werklijst (.xlsx)")
    worklist.add_argument(
        "--format", choices=sorted(READERS), help="formaat (standaard: herkennen)"
    )
    worklist.add_argument("--json", action="store_true", help="één JSON-document op stdout")
    add_dossier_arguments(worklist)
    add_quiet_argument(worklist)
    worklist.set_defaults(run=run_worklist)

    status = commands.add_parser(
        "worklist-status", help="lees een ingevulde werklijst terug: wat staat nog open"
    )
    status.add_argument("path", type=Path, metavar="BESTAND")
    status.add_argument("--json", action="store_true", help="één JSON-document op stdout")
    add_quiet_argument(status)
    status.set_defaults(run=run_worklist_status)

    check = commands.add_parser(
        "verify", help="na de koppeling, het ophalen of de import: is alles aangekomen?"
    )
    check.add_argument(
        "--expected", nargs="+", type=Path, required=True, metavar="PAD",
        help="wat er moest aankomen: de export van het nieuwe jaar, of de uploadbundel (.zip)",
    )  # fmt: skip
    check.add_argument(
        "--actual", nargs="+", type=Path, required=True, metavar="PAD",
        help="wat er aankwam: de export uit Leerwinst/TOP dossier na de overgang",
    )  # fmt: skip
    check.add_argument(
        "--old", nargs="+", type=Path, metavar="PAD", help="de export van vorig jaar"
    )
    check.add_argument(
        "--las", choices=list(las.CATALOGUE), metavar="CODE",
        help="het LAS van de school (kiest de lezer en wat er te doen is bij een verschil)",
    )  # fmt: skip
    check.add_argument("--format", choices=sorted(READERS), help="formaat van --expected en --old")
    check.add_argument("--json", action="store_true", help="één JSON-document op stdout")
    add_dossier_arguments(check)
    add_quiet_argument(check)
    from lwtop_toolkit.cli.verify import run_verify

    check.set_defaults(run=run_verify)


# --- loading -------------------------------------------------------------------------------------


def load_las(paths: Sequence[Path], format: str | None, las_code: str | None) -> Loaded:
    """Load exports; with a LAS and no format, with that LAS's reader (as preview does)."""
    if not format and las_code:
        from lwtop_toolkit.cli.las import pick_reader

        format = pick_reader(las.get(las_code), paths)
    return load(paths, format)


# --- worklist ------------------------------------------------------------------------------------


def run_worklist(args: argparse.Namespace) -> int:
    entry = las.get(args.las)
    if entry.action in ("none", "file_import"):
        return _no_worklist(args, entry)
    if args.out is None:
        raise ToolkitError(
            "output-not-writable", reason=f"geef met --out aan waar de werklijst voor {entry.name} "
            "moet komen (bijvoorbeeld --out werklijst.xlsx)",
        )  # fmt: skip
    from lwtop_toolkit.board.schools import several_schools
    from lwtop_toolkit.plan.transition import plan_transition
    from lwtop_toolkit.sheets.worklist_write import scope_line, write_worklist
    from lwtop_toolkit.steps.worklist import build_worklist

    old = load_las(args.old, args.format, args.las)
    new = load_las(args.new, args.format, args.las)
    dossier = load_dossier(args)
    plan = plan_transition(
        old.tables,
        new.tables,
        dossier=dossier.pupils if dossier is not None else None,
        by_school=several_schools(new.tables),  # a board: each school as bundled, alone
    )
    worklist = build_worklist(plan, new.tables, entry, all_pupils=args.all_pupils)
    path = _write(lambda: write_worklist(worklist, args.out), args.out)
    findings = _findings(new, plan.findings, dossier)
    if args.json:
        from lwtop_toolkit.cli.main import _print_json, findings_records

        _print_json(
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
    new = load_las(args.new, args.format, args.las)
    year = new.tables.schooljaar()
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
            entry.instruction(year),
            f"Voor {entry.name} hoeft niets klaargezet te worden: er is geen werklijst.",
            f"Vóór {when}: bekijk de nieuwe groepsindeling met: lwtop preview --old {old_paths} "
            f"--new {paths}{dossier}",
            f"Na {when}: controleer of de koppeling alles heeft overgenomen met: {command}",
        ]
    else:
        lines = [
            entry.instruction(year),
            f"Voor {entry.name} is de uitvoer de uploadbundel met de drie bestanden, geen "
            "werklijst. Maak die met:",
            f"  lwtop bundle --old {old_paths} --new {paths} --out <map>{dossier}",
            "Controleer na de import met: lwtop verify --expected <de bundel .zip> --actual "
            f"<export uit Leerwinst/TOP dossier>{dossier}",
        ]
        command = f"lwtop bundle --old {old_paths} --new {paths} --out <map>{dossier}"
    lines.append(las.STEP_2)
    if args.json:
        from lwtop_toolkit.cli.main import _print_json

        _print_json({"las": entry.code, "action": entry.action, "file": None, "next": command})
    else:
        print("\n".join(lines))
    return EXIT_OK


def _write(write: Any, target: Path) -> Path:
    try:
        path: Path = write()
    except OSError as error:
        raise ToolkitError(
            "output-not-writable", file=str(target), reason=error.strerror or str(error)
        ) from error
    return path


def _findings(loaded: Loaded, plan_findings: pd.DataFrame, dossier: Dossier | None) -> pd.DataFrame:
    parts = [loaded.findings, plan_findings, dossier.findings if dossier is not None else None]
    return fd.sort(fd.concat(part for part in parts if part is not None))


def findings_text(findings: pd.DataFrame, command: str) -> str:
    from lwtop_toolkit.cli.main import findings_table

    counts = fd.counts(findings)
    text = (
        f"Bevindingen: {counts['error']} fouten, {counts['warning']} waarschuwingen, "
        f"{counts['info']} ter info"
    )
    if findings.empty:
        return text
    table = findings_table(findings).replace("lwtop validate --json", f"lwtop {command} --json")
    return text + "\n\n" + table


# --- worklist-status -----------------------------------------------------------------------------


def run_worklist_status(args: argparse.Namespace) -> int:
    from lwtop_toolkit.sheets.worklist_read import read_worklist

    status = read_worklist(args.path)
    if args.json:
        from lwtop_toolkit.cli.main import _print_json, findings_records
        from lwtop_toolkit.cli.preview import records

        _print_json(
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
    from lwtop_toolkit.cli.preview import plain_table

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
        table = pd.DataFrame(
            {"wat": open_items["omschrijving"], "nog te doen": open_items["nog_te_doen"]}
        )
        lines += ["", f"Nog open ({len(open_items)}):", plain_table(table)]
    errors = status.findings[status.findings["severity"].eq("error")]
    if not errors.empty:
        lines += ["", "Fouten in de werklijst:"]
        for row, message in zip(errors["row"], errors["message"], strict=True):
            lines.append(f"- rij {row}: {message}" if pd.notna(row) else f"- {message}")
    return "\n".join(lines)


__all__ = [
    "add_dossier_arguments",
    "findings_text",
    "load_dossier",
    "load_las",
    "register",
    "run_worklist",
    "run_worklist_status",
    "worklist_status_text",
]
