"""`lwtop`: the command line. A thin shell: it parses arguments, calls the package, renders.

Exit status: 0 done without `error` findings; 1 done, but the data has `error` findings;
2 could not run (unreadable input, bad arguments), with one Dutch line and no traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

import pandas as pd

from lwtop_toolkit import __version__
from lwtop_toolkit import findings as fd
from lwtop_toolkit.board.exports import shared_ids_of, shared_note
from lwtop_toolkit.check.loading import Loaded, load
from lwtop_toolkit.check.validate import enrolled_twice
from lwtop_toolkit.findings import ToolkitError
from lwtop_toolkit.model import SchoolYear
from lwtop_toolkit.readers import READERS
from lwtop_toolkit.runtime.progress import add_quiet_argument, bar, set_quiet
from lwtop_toolkit.samples.shipped import shipped_sample_data

EXIT_OK, EXIT_FINDINGS, EXIT_FAILED = 0, 1, 2
SHOWN_FINDINGS = 20
SHOWN_SCHOOLS = 20  # a board's schools in the summary of `lwtop validate`: all up to this many
TABLE_LABELS = {
    "groepen": "groepen",
    "leerlingen": "leerlingen",
    "medewerkers": "medewerkers",
    "medewerker_groepen": "koppelingen medewerker-groep",
}


class _Parser(argparse.ArgumentParser):
    """argparse, but a wrong call ends with one Dutch line and exit 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_FAILED, f"lwtop: ongeldige opdracht: {message} (zie lwtop --help)\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="lwtop",
        description="Schooljaarovergang Leerwinst/TOP dossier: exports inlezen, controleren en "
        "klaarzetten voor de upload.",
    )
    parser.add_argument("--version", action="version", version=f"lwtop-toolkit {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="OPDRACHT", parser_class=_Parser)
    commands.required = True

    check = commands.add_parser("validate", help="lees bestanden in en controleer ze")
    check.add_argument("paths", nargs="+", type=Path, metavar="PAD", help="bestanden of mappen")
    check.add_argument("--format", choices=sorted(READERS), help="formaat (standaard: herkennen)")
    check.add_argument("--json", action="store_true", help="één JSON-document op stdout")
    check.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="KOLOM=VELD",
        help='koppel een kolom van de export aan een veld, bijv. --map "Lln nr=leerling_id" '
        "(herhaalbaar; voor leerlingenlijsten van Magister, Somtoday, Eduarte en andere LAS)",
    )
    add_quiet_argument(check)
    check.set_defaults(run=_validate)

    sample = commands.add_parser("sample", help="schrijf synthetische voorbeeldgegevens")
    sample.add_argument("--out", type=Path, required=True, metavar="MAP")
    sample.add_argument("--seed", type=int, default=2026)
    sample.add_argument(
        "--las", metavar="CODE", help="schrijf de export van dit LAS (of 'alle': elk LAS een map)"
    )
    sample.add_argument(
        "--scale",
        type=int,
        metavar="N",
        help="een heel bestuur: N leerlingen over vele scholen, per school een map (issue 7)",
    )
    sample.add_argument(
        "--geen-edexml", action="store_true", help="bij --scale: alleen de importbestanden"
    )
    add_quiet_argument(sample)
    sample.set_defaults(run=_sample)

    # --- further commands register here, each in one block ---------------------------------

    # `lwtop preview` (issue 4, cli_preview.py)
    from lwtop_toolkit.cli.preview import register as register_preview

    register_preview(commands)

    # `lwtop bundle` (issue 5, cli_bundle.py)
    from lwtop_toolkit.cli.bundle import add_parser as register_bundle

    register_bundle(commands)

    # `lwtop staff-sheet` and `lwtop staff-links` (issue 5, cli_staff.py)
    from lwtop_toolkit.cli.staff import register as register_staff

    register_staff(commands)

    # `lwtop las` and `lwtop validate --las CODE` (issue 3, cli_las.py)
    from lwtop_toolkit.cli.las import register as register_las

    register_las(commands)

    # `lwtop worklist`, `lwtop worklist-status`, `lwtop verify` (issue 9, cli_steps.py)
    from lwtop_toolkit.cli.steps import register as register_steps

    register_steps(commands)

    demo = commands.add_parser("demo", help="de hele stroom op de meegeleverde voorbeeldgegevens")
    demo.add_argument("--data", type=Path, default=None, metavar="MAP")
    demo.add_argument("--out", type=Path, default=Path("demo-output"), metavar="MAP")
    add_quiet_argument(demo)
    demo.set_defaults(run=_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run `lwtop`; returns the exit status."""
    args = _parser().parse_args(argv)
    set_quiet(True if getattr(args, "quiet", False) else None)
    try:
        status: int = args.run(args)
        return status
    except ToolkitError as error:
        print(f"lwtop: {error.message}", file=sys.stderr)
        return EXIT_FAILED
    except BrokenPipeError:  # output piped into `head`: nothing to report
        sys.stderr.close()
        return EXIT_OK
    except KeyboardInterrupt:
        print("lwtop: afgebroken.", file=sys.stderr)
        return EXIT_FAILED
    except Exception as error:  # a bug of ours: still no traceback for a coordinator
        if os.environ.get("LWTOP_DEBUG"):
            raise
        print(
            f"lwtop: onverwachte fout ({type(error).__name__}: {error}). Zet LWTOP_DEBUG=1 voor "
            "details en meld dit aan de beheerders.",
            file=sys.stderr,
        )
        return EXIT_FAILED


# --- validate ------------------------------------------------------------------------------------


def _validate(args: argparse.Namespace) -> int:
    from lwtop_toolkit.readers.school_settings import parse_mapping

    loaded = load(args.paths, args.format, parse_mapping(args.map) or None)
    if args.json:
        twice = enrolled_twice(loaded.tables)
        per_school = _school_counts(loaded)
        _print_json(
            {
                "format": loaded.format,
                "tables": loaded.tables.row_counts(),
                "findings": findings_records(loaded.findings),
                "enrolled_twice": twice.to_dict("records"),
                "per_school": [] if per_school is None else per_school.to_dict("records"),
            }
        )
    else:
        print(summary_text(loaded))
    return EXIT_FINDINGS if fd.has_errors(loaded.findings) else EXIT_OK


def twice_note(twice: pd.DataFrame, shown: int = 5) -> str:
    """The Dutch line about pupils listed at two schools of a board (`enrolled_twice`)."""
    pairs = [
        f"{row.leerling_id} ({row.school}) en {row.other_leerling_id} ({row.other_school})"
        for row in twice.head(shown).itertuples()
    ]
    more = f" en nog {len(twice) - shown}" if len(twice) > shown else ""
    return (
        f"Let op: {len(twice)} keer staat een leerling met dezelfde naam en geboortedatum bij twee "
        f"scholen: {'; '.join(pairs)}{more}. Staat een kind dubbel ingeschreven? Dit staat niet "
        "bij de bevindingen, want elke school wordt apart gecontroleerd."
    )


def findings_records(findings: pd.DataFrame) -> list[dict[str, Any]]:
    """Findings as JSON-ready records (`row` an int or null)."""
    records = findings.astype(object).where(findings.notna(), None).to_dict("records")
    return [{key: value for key, value in record.items()} for record in records]


def _print_json(document: dict[str, Any]) -> None:
    json.dump(document, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def summary_text(loaded: Loaded, limit: int = SHOWN_FINDINGS) -> str:
    """The Dutch summary of one load: format, school year, rows per table, findings."""
    reader = READERS.get(loaded.format)
    year = loaded.tables.schooljaar()
    counts = fd.counts(loaded.findings)
    lines = [
        f"Formaat:     {reader.label if reader else loaded.format}",
        f"Schooljaar:  {year if year else 'onbekend'}",
        "Ingelezen:   "
        + ", ".join(
            f"{count} {TABLE_LABELS[name]}" for name, count in loaded.tables.row_counts().items()
        ),
        f"Bevindingen: {counts['error']} fouten, {counts['warning']} waarschuwingen, "
        f"{counts['info']} ter info",
    ]
    shared = shared_ids_of(loaded)
    if shared:  # a board whose school exports share ids (board_exports.py)
        lines += ["", shared_note(shared, "read")]
    twice = enrolled_twice(loaded.tables)
    if not twice.empty:  # a board: the same child at two schools?
        lines += ["", twice_note(twice)]
    per_school = _school_counts(loaded)
    if per_school is not None:  # a board: which schools need attention
        lines += ["", *school_lines(per_school)]
    if not loaded.findings.empty:
        lines += ["", findings_table(loaded.findings, limit, loaded.files)]
    lines.append("")
    if counts["error"]:
        lines.append("Los de fouten op in de export en lees de bestanden opnieuw in.")
    else:
        lines.append("Geen fouten: de gegevens kunnen verder.")
    return "\n".join(lines)


def _school_counts(loaded: Loaded) -> pd.DataFrame | None:
    """Per school its groups, pupils and findings (`owners.school_counts`); None for one school."""
    from lwtop_toolkit.board.owners import school_counts
    from lwtop_toolkit.board.schools import several_schools

    if not several_schools(loaded.tables):
        return None
    return school_counts(loaded.tables, loaded.findings)


def school_lines(counts: pd.DataFrame, shown: int = SHOWN_SCHOOLS) -> list[str]:
    """A board's schools as a Dutch table, the most errors first: all of them up to `shown`,
    else those with findings (up to `shown`) and how many are left."""
    found = counts[counts[["error", "warning", "info"]].sum(axis=1).gt(0)]
    listed = counts if len(counts) <= shown else found.head(shown)
    table = listed.rename(
        columns={"error": "fouten", "warning": "waarschuwingen", "info": "ter info"}
    ).to_string(index=False)
    lines = [
        f"Per school ({len(counts)} scholen, {len(found)} met bevindingen; de meeste fouten "
        "eerst):",
        *("  " + line for line in table.splitlines()),
    ]
    if len(listed) < len(counts):
        rest = len(found) - len(listed)
        lines.append(
            f"  (en nog {rest} scholen met bevindingen en {len(counts) - len(found)} zonder; "
            "alle scholen: --json, per_school)"
        )
    return lines


def findings_table(
    findings: pd.DataFrame, limit: int = SHOWN_FINDINGS, among: Sequence[Path] = ()
) -> str:
    """The first findings as a plain-text table with Dutch headers; `among`: the files read
    (a board's: each file named with its school's folder, `42AH/medewerkers.csv`)."""
    ordered = fd.sort(findings)
    shown = ordered.head(limit)
    table = pd.DataFrame(
        {
            "ernst": shown["severity"].map(fd.SEVERITY_LABELS),
            "bestand": fd.source_names(ordered["file"], among).head(limit),
            "rij": shown["row"].astype("string").fillna(""),
            "kolom": shown["column"],
            "melding": shown["message"],
        }
    )
    text = table.to_string(index=False, max_colwidth=90)
    if len(findings) > limit:
        text += f"\n... en nog {len(findings) - limit} bevindingen (alle: lwtop validate --json)"
    return text


# --- sample and demo -----------------------------------------------------------------------------


def _sample(args: argparse.Namespace) -> int:
    from lwtop_toolkit.samples.las_schools import write_las_samples
    from lwtop_toolkit.samples.school import write_sample

    if args.scale:
        from lwtop_toolkit.samples.board import generate_board
        from lwtop_toolkit.samples.board_files import FORMATS, write_board

        board = generate_board(args.scale, seed=args.seed)
        formats = ["csv"] if args.geen_edexml else list(FORMATS)
        label = "scholen schrijven"
        written = write_board(
            board, args.out, formats=formats, seed=args.seed, progress=lambda s: bar(s, label)
        )
        print(f"{len(board.schools)} scholen, {args.scale} leerlingen in het oude jaar")
    elif args.las:
        written = write_las_samples(args.out, args.las, seed=args.seed)
    else:
        written = write_sample(args.out, seed=args.seed)
    print(f"{len(written)} bestanden geschreven in {args.out}")
    return EXIT_OK


BUNDLE = "<de bundel>"  # in a demo step: the bundle(s) written by the steps before


def _demo(args: argparse.Namespace) -> int:
    """Both steps of the transition on the sample school, each as the command a user would run."""
    data: Path = args.data or shipped_sample_data()
    folders = sorted(data.iterdir()) if data.is_dir() else []
    years = [child for child in folders if SchoolYear.try_parse(child.name) is not None]
    if len(years) < 2:
        raise ToolkitError("unreadable-file", file=str(data), reason="geen voorbeeldgegevens.")
    old, new = (str(folder) for folder in years[-2:])
    out: Path = args.out
    sheet, links = out / "toewijzing-leerkrachten.xlsx", out / "medewerker_groepen.csv"
    audit, worklist = str(out / "overgang.xlsx"), str(out / "werklijst.xlsx")
    steps = [
        ("Controle van vorig jaar", ["validate", old]),
        ("Controle van het nieuwe jaar", ["validate", new]),
        ("De overgang", ["preview", "--old", old, "--new", new, "--xlsx", audit]),
        ("Stap 2: werkmap om leerkrachten te koppelen", ["staff-sheet", "--old", old, "--new", new,
                                                          "--out", str(sheet)]),
        ("Stap 2: de (hier ongewijzigde) werkmap teruglezen", ["staff-links", str(sheet), "--new",
                                                               new, "--out", str(links)]),
        ("Stap 1: de uploadbundel", ["bundle", "--old", old, "--new", new, "--out", str(out),
                                     "--staff-links", str(links)]),
        ("Stap 1 bij een LAS die leerlingen laat klaarzetten (ParnasSys OSO): de werklijst",
         ["worklist", "--old", old, "--new", new, "--las", "parnassys-oso", "--out", worklist]),
        ("De werklijst teruglezen (hier nog niet ingevuld: alles staat open)",
         ["worklist-status", worklist]),
        ("Na de overgang: controleren of alles is aangekomen (hier staan de nieuwe export en "
         "de koppelingen van stap 2 voor het dossier na de import, dus klopt alles)",
         ["verify", "--expected", BUNDLE, "--actual", new, str(links)]),
    ]  # fmt: skip
    status = EXIT_OK
    for number, (title, command) in enumerate(steps, start=1):
        bundles = sorted(str(path) for path in out.glob("lwtop-*.zip"))
        command = [part for word in command for part in (bundles if word == BUNDLE else [word])]
        command += ["--quiet"] if args.quiet else []  # each step is its own `lwtop` run
        print(f"\n=== {number}. {title}: lwtop {' '.join(command)} ===\n", flush=True)
        result = main(command)
        if result == EXIT_FAILED:
            return EXIT_FAILED
        status = max(status, result)
    print(f"\nKlaar. De uitvoer staat in {out}/ (synthetische gegevens).")
    return status
