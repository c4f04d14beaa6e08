"""What every `lwtop` command shares: exit codes, a Dutch parser, the common options, output.

Exit status: 0 done without `error` findings; 1 done, but the data has `error` findings;
2 could not run (unreadable input, bad arguments), with one Dutch line and no traceback.
"""

from __future__ import annotations

import argparse
import gettext
import json
import os
import shutil
import sys
import textwrap
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import pandas as pd

from lwtop_toolkit import findings as fd
from lwtop_toolkit.findings import ToolkitError
from lwtop_toolkit.las import catalogue as las
from lwtop_toolkit.readers import READERS
from lwtop_toolkit.readers.school_settings import parse_mapping
from lwtop_toolkit.readers.sector import SECTORS
from lwtop_toolkit.runtime.files import not_writable

if TYPE_CHECKING:
    from lwtop_toolkit.flows import Years

EXIT_OK, EXIT_FINDINGS, EXIT_FAILED = 0, 1, 2
SHOWN_FINDINGS = 20
HELP_WIDTH = 78  # a command's description and examples are wrapped to this width

# --- argparse in Dutch ---------------------------------------------------------------------------

# argparse's own words (its msgids, Python 3.11-3.13) as a coordinator reads them.
DUTCH = {
    "usage: ": "gebruik: ",
    "positional arguments": "argumenten",
    "options": "opties",
    "show this help message and exit": "toon deze hulp en stop",
    "show program's version number and exit": "toon het versienummer en stop",
    "argument %(argument_name)s: %(message)s": "%(argument_name)s: %(message)s",
    "the following arguments are required: %s": "dit ontbreekt nog: %s",
    "one of the arguments %s is required": "geef een van deze op: %s",
    "unrecognized arguments: %s": "onbekend: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "%(value)r bestaat niet (kies uit "
    "%(choices)s)",
    "invalid %(type)s value: %(value)r": "ongeldige waarde %(value)r (verwacht: %(type)s)",
    "expected one argument": "hier hoort één waarde bij",
    "expected at most one argument": "hier hoort hoogstens één waarde bij",
    "expected at least one argument": "hier hoort minstens één waarde bij",
    "not allowed with argument %s": "niet samen met %s",
    "ignored explicit argument %r": "hier hoort geen waarde bij (%r)",
    "ambiguous option: %(option)s could match %(matches)s": "%(option)s is onduidelijk: bedoelt "
    "u %(matches)s?",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "opdracht %(parser_name)r bestaat "
    "niet (kies uit %(choices)s)",
}


def dutch(message: str) -> str:
    """argparse's lookup of its own words: ours in Dutch, any other as gettext gives it."""
    return DUTCH.get(message) or gettext.gettext(message)


def speak_dutch() -> None:
    """Let argparse speak Dutch. argparse looks each of its own words up through its module's
    `_` (gettext's `gettext`) at the moment it uses it, so replacing that one name translates
    the headings, the usage line, the help option and the error messages of every parser of
    this process from now on, however the Python version assembles them. Words not in `DUTCH`
    are looked up as before."""
    vars(argparse)["_"] = dutch


class Parser(argparse.ArgumentParser):
    """argparse in Dutch: Dutch headings and help, and a wrong call ends with one Dutch line
    and exit 2. Descriptions and examples are shown as `help_texts` laid them out."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        speak_dutch()  # before argparse names its headings and the help option
        kwargs.setdefault("formatter_class", argparse.RawDescriptionHelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_FAILED, f"lwtop: ongeldige opdracht: {message} (zie {self.prog} --help)\n")


def positive_count(text: str) -> int:
    """An `int` option that counts something (`--scale N`): a whole number of 1 or more."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is geen geheel getal") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is te weinig: geef een aantal van 1 of meer")
    return value


def file_ending(*suffixes: str) -> Callable[[str], Path]:
    """A file option whose name must end as the file it writes (`--xlsx audit.xlsx`): a workbook
    named `.txt` or a picture named `.jpg` would open in the wrong program, or not at all."""

    def parse(text: str) -> Path:
        path = Path(text)
        if path.suffix.lower() not in suffixes:
            wanted = " of ".join(suffixes)
            raise argparse.ArgumentTypeError(
                f"'{path.name}' moet eindigen op {wanted} (bijvoorbeeld {path.stem or 'bestand'}"
                f"{suffixes[0]})"
            )
        return path

    return parse


def check_combinations(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """Options that only mean something together: a wrong call exits 2 with one Dutch line."""
    if getattr(args, "all_pupils", False) and not getattr(args, "dossier", None):
        parser.error(
            "--all-pupils werkt alleen met --dossier (zonder --dossier doen alle leerlingen al mee)"
        )


def add_command(
    commands: Any, name: str, *, summary: str, description: str, examples: Sequence[str]
) -> argparse.ArgumentParser:
    """A subcommand: `summary` in the list of `lwtop --help`, the `description` and the
    `examples` in its own help (`help_texts`)."""
    text, epilog = help_texts(description, examples)
    parser: argparse.ArgumentParser = commands.add_parser(
        name, help=summary, description=text, epilog=epilog
    )
    return parser


def help_texts(description: str, examples: Sequence[str]) -> tuple[str, str]:
    """A command's description (paragraphs apart by an empty line, each wrapped) and its
    examples (`example_lines`) under a Dutch heading."""
    paragraphs = [
        textwrap.fill(part, HELP_WIDTH, break_on_hyphens=False)
        for part in description.split("\n\n")
    ]
    lines = ["Voorbeeld:" if len(examples) == 1 else "Voorbeelden:"]
    lines += ["  " + example_lines(example) for example in examples]
    return "\n\n".join(paragraphs), "\n".join(lines)


def example_lines(command: str, width: int = HELP_WIDTH - 2) -> str:
    """A command line to show: a long one goes on over lines ending in ` \\`, as in a shell,
    breaking between options (an option stays with its first value)."""
    units: list[str] = []
    for word in command.split():
        follows = units and units[-1].startswith("-") and " " not in units[-1]
        if follows and not word.startswith("-"):
            units[-1] += f" {word}"
        else:
            units.append(word)
    lines = [units[0]]
    for unit in units[1:]:
        if len(lines[-1]) + len(unit) + 3 > width:  # the space, ` \\`
            lines.append(f"    {unit}")
        else:
            lines[-1] += f" {unit}"
    return " \\\n  ".join(lines)


# --- the options several commands share ----------------------------------------------------------


def add_old(parser: argparse.ArgumentParser, *, required: bool = True, help: str = "") -> None:
    """`--old PAD...`: last school year's export."""
    parser.add_argument(
        "--old",
        nargs="+",
        type=Path,
        required=required,
        metavar="PAD",
        help=help or "de export van vorig schooljaar (bestanden of een map)",
    )


def add_new(parser: argparse.ArgumentParser, *, help: str = "") -> None:
    """`--new PAD...`: the new school year's export."""
    parser.add_argument(
        "--new",
        nargs="+",
        type=Path,
        required=True,
        metavar="PAD",
        help=help or "de export van het nieuwe schooljaar (bestanden of een map)",
    )


def add_out(
    parser: argparse.ArgumentParser, *, metavar: str, help: str, required: bool = True
) -> None:
    """`--out`: where the command writes its file or files."""
    parser.add_argument("--out", type=Path, required=required, metavar=metavar, help=help)


def add_format(parser: argparse.ArgumentParser, *, help: str = "") -> None:
    """`--format`: the reader, when recognising the files by their content is not wanted."""
    parser.add_argument(
        "--format",
        choices=sorted(READERS),
        metavar="FORMAAT",
        help=(help or "het formaat van de bestanden (standaard: herkend aan de inhoud)")
        + ": "
        + ", ".join(sorted(READERS)),
    )


def add_las(parser: argparse.ArgumentParser, *, required: bool = False, help: str = "") -> None:
    """`--las CODE`: the school's LAS of the catalogue (`lwtop las`), which chooses the reader."""
    parser.add_argument(
        "--las",
        choices=list(las.CATALOGUE),
        required=required,
        metavar="CODE",
        help=(help or "het LAS van de school; kiest de lezer van de bestanden")
        + ": "
        + ", ".join(las.CATALOGUE),
    )


def add_map(parser: argparse.ArgumentParser) -> None:
    """`--map KOLOM=VELD` (repeatable) on a command that reads exports: the column mapping."""
    parser.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="KOLOM=VELD",
        help='koppel een kolom van de export aan een veld, bijv. --map "Lln nr=leerling_id" '
        "(herhaalbaar; ook in lwtop.toml onder [kolommen]; voor de leerlingen- en "
        "personeelslijsten van Magister, Somtoday, Eduarte en andere LAS)",
    )


def mapping_of(args: argparse.Namespace) -> dict[str, str] | None:
    """The column mapping of `--map` ({column: field}), or None without `--map`."""
    return parse_mapping(getattr(args, "map", None) or []) or None


def years_of(args: argparse.Namespace) -> Years:
    """Both years read as the shared options say (`--old`, `--new`, `--format`, `--las`,
    `--dossier`, `--map`, `--sector`): one call for every command that plans the transition."""
    from lwtop_toolkit.flows import load_both

    return load_both(
        args.old,
        args.new,
        format=args.format,
        las_code=getattr(args, "las", None),
        dossier=getattr(args, "dossier", None),
        mapping=mapping_of(args),
        sector=getattr(args, "sector", None),
    )


def add_dossier(parser: argparse.ArgumentParser, *, all_pupils: bool = True) -> None:
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


def add_json(parser: argparse.ArgumentParser) -> None:
    """`--json`: one JSON document on stdout instead of the Dutch text."""
    parser.add_argument("--json", action="store_true", help="één JSON-document op stdout")


def add_quiet(parser: argparse.ArgumentParser) -> None:
    """`--quiet` on a command that reads data: no progress bars."""
    parser.add_argument("--quiet", action="store_true", help="toon geen voortgangsbalken")


def add_sector(parser: argparse.ArgumentParser) -> None:
    """`--sector po|so|vo|mbo` on a command that reads exports: what a year 1-6 is."""
    parser.add_argument(
        "--sector",
        choices=SECTORS,
        metavar="SOORT",
        help="de onderwijssoort van de school: po, so, vo of mbo. Bij vo en mbo wordt leerjaar "
        "1 t/m 6 jaargroep 11 t/m 16. Standaard herkend aan de gegevens (groep 7/8, groeps- en "
        'klasnamen, leeftijden, opleiding); ook in lwtop.toml als sector = "vo"',
    )


# --- running a command ---------------------------------------------------------------------------


def run_safely(run: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    """`run(args)`, every failure ending in one Dutch line on stderr and exit 2."""
    try:
        return run(args)
    except ToolkitError as error:
        print(f"lwtop: {error.message}", file=sys.stderr)
        return EXIT_FAILED
    except BrokenPipeError:  # a pipe not behind `main`'s PipeSafe: the run did not finish
        return EXIT_FAILED
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


@contextmanager
def writing(target: Path | None = None) -> Iterator[None]:
    """A file that cannot be written becomes the Dutch `output-not-writable` error, about
    `target` (default: the file the OSError names)."""
    try:
        yield
    except OSError as error:
        name = target if target is not None else getattr(error, "filename", None) or ""
        raise not_writable(name, error) from error


def status_of(findings: pd.DataFrame) -> int:
    """Exit 1 when the findings hold an error, else 0."""
    return EXIT_FINDINGS if fd.has_errors(findings) else EXIT_OK


# --- output --------------------------------------------------------------------------------------


def print_json(document: dict[str, Any]) -> None:
    """`document` as one JSON document on stdout (`--json`)."""
    json.dump(document, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def findings_records(findings: pd.DataFrame) -> list[dict[str, Any]]:
    """Findings as JSON-ready records (`row` an int or null)."""
    records: list[dict[str, Any]] = (
        findings.astype(object).where(findings.notna(), None).to_dict("records")
    )
    return records


def findings_table(
    findings: pd.DataFrame,
    limit: int = SHOWN_FINDINGS,
    among: Sequence[Path] = (),
    *,
    command: str,
) -> str:
    """The first findings as a plain-text table with Dutch headers; `among`: the files read
    (a board's: each file named with its school's folder, `42AH/medewerkers.csv`); `command`:
    the command whose `--json` lists them all (`preview`, `lwtop preview --json`)."""
    ordered = fd.sort(findings)
    shown = ordered.head(limit)
    labels = shown["severity"].map(fd.SEVERITY_LABELS).fillna("")
    files = fd.source_names(ordered["file"], among).head(limit)
    rows = shown["row"].astype("string").fillna("")
    indent = " " * (max((len(label) for label in labels), default=0) + 2)
    width = max(shutil.get_terminal_size((100, 24)).columns, 60) - 1
    blocks = []
    for label, file, row, column, message in zip(
        labels, files, rows, shown["column"], shown["message"], strict=True
    ):
        where = ", ".join(
            part
            for part in (
                str(file or ""),
                f"rij {row}" if row else "",
                f"kolom {column}" if column else "",
            )
            if part
        )
        blocks.append(f"{label:<{len(indent) - 2}}  {where}".rstrip())
        # the whole message, wrapped to the terminal: its advice is its second half
        blocks += textwrap.wrap(
            str(message), width=width, initial_indent=indent, subsequent_indent=indent
        )
    text = "\n".join(blocks)
    if len(findings) > limit:
        rest = fd.count_of(len(findings) - limit, "bevinding")
        text += f"\n... en nog {rest} (alle: lwtop {command} --json)"
    return text


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
