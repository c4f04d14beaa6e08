"""`lwtop bundle`: the upload bundle per school, refused while errors stand."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import Any

from lwtop_toolkit import findings as fd
from lwtop_toolkit import flows
from lwtop_toolkit.cli.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    add_command,
    add_dossier,
    add_format,
    add_las,
    add_map,
    add_new,
    add_old,
    add_out,
    add_quiet,
    add_sector,
    findings_table,
    years_of,
)
from lwtop_toolkit.cli.preview import counts_lines, hold_line
from lwtop_toolkit.writers.parts import BundleRun
from lwtop_toolkit.writers.profiles import DEFAULT_PROFILE, PROFILES

BUNDLE_STATUS = {
    "written": "geschreven",
    "unchanged": "ongewijzigd (al aanwezig)",
    "refused": "GEWEIGERD",
}


def register(commands: Any) -> None:
    """Add `lwtop bundle` to the subcommands."""
    bundle = add_command(
        commands,
        "bundle",
        summary="schrijf de uploadbundel (per school) voor het nieuwe schooljaar",
        description="Maakt per school één zip voor de upload naar Leerwinst/TOP dossier: de "
        "importbestanden van het nieuwe schooljaar (groepen, leerlingen, medewerkers en, met "
        "de ingevulde werkmap van stap 2, de koppelingen medewerker-groep), de bevindingen, "
        "de auditwerkmap en een manifest. Zolang er fouten zijn wordt een bundel geweigerd "
        "(tenzij --force). Dezelfde invoer geeft byte voor byte dezelfde bundel.",
        examples=[
            "lwtop bundle --old sample_data/2025-2026 --new sample_data/2026-2027 --out bundels",
            "lwtop bundle --old sample_data/2025-2026 --new sample_data/2026-2027 --out bundels "
            "--staff-links medewerker_groepen.csv --las esis",
        ],
    )
    add_old(bundle)
    add_new(bundle)
    add_out(bundle, metavar="MAP", help="de map waarin de bundels komen")
    add_format(bundle)
    add_las(bundle, help="het LAS van de school; kiest de lezer en staat in het manifest")
    add_map(bundle)
    add_sector(bundle)
    bundle.add_argument(
        "--profile",
        choices=sorted(PROFILES),
        default=DEFAULT_PROFILE,
        metavar="PROFIEL",
        help="de vorm van de importbestanden: "
        + "; ".join(f"{name} = {profile.label}" for name, profile in PROFILES.items()),
    )
    links = bundle.add_mutually_exclusive_group()
    links.add_argument(
        "--staff-links",
        type=Path,
        metavar="CSV",
        help="de koppelingen medewerker-groep van stap 2 (de CSV van lwtop staff-links)",
    )
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
    add_dossier(bundle)
    add_quiet(bundle)
    bundle.set_defaults(run=run_bundle)


def run_bundle(args: argparse.Namespace) -> int:
    years = years_of(args)
    options = flows.BundleOptions(
        las_code=getattr(args, "las", "") or "",
        profile=PROFILES[args.profile],
        force=args.force,
        timestamp=dt.datetime.now(dt.UTC) if args.timestamp else None,
        audit=not args.geen_werkmap,
        all_pupils=args.all_pupils,
    )
    run = flows.bundle(
        years, args.out, options, format=args.format, sheets=args.staff_sheet or [],
        links=args.staff_links, note=print,
    )  # fmt: skip
    print(run_text(run))
    has_errors = any(not school.open_errors.empty for school in run.bundles)
    return EXIT_FINDINGS if has_errors else EXIT_OK


def run_text(run: BundleRun) -> str:
    """The Dutch report of one bundle run."""
    lines = []
    for bundle in run.bundles:
        counts = fd.counts(bundle.findings)
        lines.append(
            f"School {bundle.school}: {bundle.path} — {BUNDLE_STATUS[bundle.status]} "
            f"({fd.severity_text(counts)})"
        )
        scope = bundle.manifest.get("dossier")
        if scope and not scope["all_pupils"]:  # what the dossier list left out
            lines.append(
                f"  Alleen leerlingen met een dossier: {bundle.manifest['rows']['leerlingen']}; "
                f"weggelaten: {fd.count_of(scope['pupils_left_out'], 'leerling')} zonder "
                f"dossier en {fd.count_of(scope['groups_left_out'], 'groep')} zonder "
                "dossierleerlingen"
            )
        if bundle.hold is not None and bundle.hold.held:
            lines.append(hold_line(bundle.hold))
        errors = bundle.open_errors
        if bundle.status == "refused":
            lines.append("  Niet geschreven: los eerst deze fouten op (of gebruik --force):")
            lines.append(_indent(findings_table(errors, command="validate")))
        elif not errors.empty:
            codes = ", ".join(sorted(set(errors["code"])))
            lines.append(f"  Geschreven met --force terwijl deze fouten openstaan: {codes}")
    lines += _counts_lines(run)
    if run.without_sheet:
        lines.append(
            "Zonder ingevulde werkmap (stap 2), dus zonder koppelingen in de bundel: "
            + ", ".join(run.without_sheet)
        )
    if run.overview is not None:
        lines.append(f"Overzicht van alle scholen: {run.overview}")
    if run.overview_withheld:
        lines.append(run.no_overview_text())
    if run.moves is not None and not run.moves.empty:
        from lwtop_toolkit.board.moves import moves_note
        from lwtop_toolkit.writers.overview import MOVES_SHEET

        book = run.overview.name if run.overview is not None else ""
        lines.append(moves_note(run.moves, f"De hele lijst staat in {book} (blad {MOVES_SHEET})."))
    return "\n".join(lines)


def _counts_lines(run: BundleRun) -> list[str]:
    """Last year's and this year's pupils per status side by side: of the one school, or of
    every school of the run together (each held school was named under its bundle)."""
    schools = [bundle.hold for bundle in run.bundles if bundle.hold is not None]
    if not schools:
        return []
    scoped = any(bundle.plan.scoped for bundle in run.bundles)
    if len(run.bundles) == 1:
        title = f"Leerlingen per status, school {run.bundles[0].school}:"
        return ["", *counts_lines(schools, scoped, title)]
    title = f"Leerlingen per status, {len(run.bundles)} scholen samen:"
    table = counts_lines(schools, scoped, title)
    held = [school for school in schools if school.held]
    without = table[: -len(held)] if held else table  # held schools: under their own bundle
    word = "school" if len(held) == 1 else "scholen"
    summary = f"  Vastgehouden: {len(held)} {word}" if held else "  Geen school vastgehouden."
    return ["", *without, summary]


def _indent(text: str) -> str:
    return "\n".join("  " + line for line in text.splitlines())
