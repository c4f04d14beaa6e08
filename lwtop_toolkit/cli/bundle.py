"""`lwtop bundle`: the upload bundle per school, refused while errors stand."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd

from lwtop_toolkit import findings as fd
from lwtop_toolkit.board.exports import bundle_exports, export_units, shared_ids_of, shared_note
from lwtop_toolkit.check.loading import load_years
from lwtop_toolkit.findings import ToolkitError
from lwtop_toolkit.model import Tables
from lwtop_toolkit.writers.bundle import BundleRun, write_bundles
from lwtop_toolkit.writers.profiles import DEFAULT_PROFILE, PROFILES

EXIT_OK, EXIT_FINDINGS = 0, 1
BUNDLE_STATUS = {
    "written": "geschreven",
    "unchanged": "ongewijzigd (al aanwezig)",
    "refused": "GEWEIGERD",
}


def add_parser(commands: Any) -> None:
    """Register `lwtop bundle` on the subcommands of the main parser."""
    bundle = commands.add_parser(
        "bundle", help="schrijf de uploadbundel (per school) voor het nieuwe schooljaar"
    )
    bundle.add_argument("--old", nargs="+", type=Path, required=True, metavar="PAD")
    bundle.add_argument("--new", nargs="+", type=Path, required=True, metavar="PAD")
    bundle.add_argument("--out", type=Path, required=True, metavar="MAP")
    bundle.add_argument("--format", help="formaat van de bestanden (standaard: herkennen)")
    bundle.add_argument("--profile", choices=sorted(PROFILES), default=DEFAULT_PROFILE)
    links = bundle.add_mutually_exclusive_group()
    links.add_argument("--staff-links", type=Path, metavar="CSV", help="koppelingen (stap 2)")
    links.add_argument(
        "--staff-sheet",
        nargs="+",
        type=Path,
        metavar="XLSX",
        help="ingevulde werkmap (van een bestuur: één per school, zoals staff-sheet ze maakte)",
    )
    bundle.add_argument("--force", action="store_true", help="schrijf ook als er fouten zijn")
    bundle.add_argument("--timestamp", action="store_true", help="zet het tijdstip in het manifest")
    bundle.add_argument(
        "--geen-werkmap",
        action="store_true",
        help="laat overgang.xlsx uit elke bundel weg (veel sneller bij een heel bestuur)",
    )
    from lwtop_toolkit.cli.steps import add_dossier_arguments

    add_dossier_arguments(bundle)
    from lwtop_toolkit.runtime.progress import add_quiet_argument

    add_quiet_argument(bundle)
    bundle.set_defaults(run=run_bundle)


def staff_links(args: argparse.Namespace, new: Tables) -> tuple[pd.DataFrame | None, pd.DataFrame]:
    """The staff links given with --staff-links or --staff-sheet, checked against the new year."""
    if args.staff_sheet:
        from lwtop_toolkit.sheets.staff_read import read_staff_sheet

        if len(args.staff_sheet) > 1:  # several only school by school (run_bundle)
            raise ToolkitError("staff-sheets-not-apart")
        return read_staff_sheet(args.staff_sheet[0], new)
    if not args.staff_links:
        return None, fd.empty_findings()
    from lwtop_toolkit.sheets.staff_read import read_staff_links

    return read_staff_links(args.staff_links, new)


def run_bundle(args: argparse.Namespace) -> int:
    from lwtop_toolkit.cli.steps import load_dossier

    old, new = load_years(args.old, args.new, (args.format, args.format))
    dossier = load_dossier(args)
    sheets: list[Path] = args.staff_sheet or []
    shared = shared_ids_of(old, new)
    apart = (bool(shared) or len(sheets) > 1) and dossier is None and not args.staff_links
    units = export_units(old.tables, new.tables) if apart else None
    if shared:  # a board whose school exports share ids: each export bundled alone
        print(shared_note(shared, "bundle" if units is not None else "bundle-as-one"))
    if units is not None:  # and a board's workbooks (step 2), each with its own school
        run = bundle_exports(
            units,
            args.out,
            args.format,
            sheets=sheets,
            las=getattr(args, "las", "") or "",
            profile=PROFILES[args.profile],
            force=args.force,
            timestamp=dt.datetime.now(dt.UTC) if args.timestamp else None,
            audit=not args.geen_werkmap,
        )
        print(run_text(run))
        return EXIT_FINDINGS if any(not b.open_errors.empty for b in run.bundles) else EXIT_OK
    links, link_findings = staff_links(args, new.tables)
    run = write_bundles(
        old.tables,
        new.tables,
        args.out,
        findings=fd.concat(
            [
                new.findings,
                link_findings,
                dossier.findings if dossier is not None else fd.empty_findings(),
            ]
        ),
        old_findings=old.findings,
        links=links,
        inputs=[*old.files, *new.files, *(dossier.files if dossier is not None else [])],
        las=getattr(args, "las", "") or "",
        source_format=new.format,
        profile=PROFILES[args.profile],
        force=args.force,
        timestamp=dt.datetime.now(dt.UTC) if args.timestamp else None,
        dossier=dossier.pupils if dossier is not None else None,
        all_pupils=args.all_pupils,
        audit=not args.geen_werkmap,
    )
    print(run_text(run))
    has_errors = any(not bundle.open_errors.empty for bundle in run.bundles)
    return EXIT_FINDINGS if has_errors else EXIT_OK


def run_text(run: BundleRun) -> str:
    """The Dutch report of one bundle run."""
    from lwtop_toolkit.cli.main import findings_table

    lines = []
    for bundle in run.bundles:
        counts = fd.counts(bundle.findings)
        lines.append(
            f"School {bundle.school}: {bundle.path} — {BUNDLE_STATUS[bundle.status]} "
            f"({counts['error']} fouten, {counts['warning']} waarschuwingen, "
            f"{counts['info']} ter info)"
        )
        scope = bundle.manifest.get("dossier")
        if scope and not scope["all_pupils"]:  # issue 9: what the dossier list left out
            lines.append(
                f"  Alleen leerlingen met een dossier: {bundle.manifest['rows']['leerlingen']}; "
                f"weggelaten: {scope['pupils_left_out']} leerlingen zonder dossier en "
                f"{scope['groups_left_out']} groepen zonder dossierleerlingen"
            )
        errors = bundle.open_errors
        if bundle.status == "refused":
            lines.append("  Niet geschreven: los eerst deze fouten op (of gebruik --force):")
            lines.append(_indent(findings_table(errors)))
        elif not errors.empty:
            codes = ", ".join(sorted(set(errors["code"])))
            lines.append(f"  Geschreven met --force terwijl deze fouten openstaan: {codes}")
    if run.without_sheet:
        lines.append(
            "Zonder ingevulde werkmap (stap 2), dus zonder koppelingen in de bundel: "
            + ", ".join(run.without_sheet)
        )
    if run.overview is not None:
        lines.append(f"Overzicht van alle scholen: {run.overview}")
    if run.moves is not None and not run.moves.empty:
        from lwtop_toolkit.board.moves import moves_note
        from lwtop_toolkit.writers.overview import MOVES_SHEET

        book = run.overview.name if run.overview is not None else ""
        lines.append(moves_note(run.moves, f"De hele lijst staat in {book} (blad {MOVES_SHEET})."))
    return "\n".join(lines)


def _indent(text: str) -> str:
    return "\n".join("  " + line for line in text.splitlines())
