"""`lwtop demo`: the whole transition on the shipped sample school, step by step as commands."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from lwtop_toolkit.cli.common import EXIT_FAILED, EXIT_OK, add_command, add_quiet
from lwtop_toolkit.findings import ToolkitError
from lwtop_toolkit.model import SchoolYear
from lwtop_toolkit.samples.shipped import shipped_sample_data

Lwtop = Callable[[Sequence[str]], int]  # one `lwtop` run: the arguments in, the exit status out
BUNDLE = "<de bundel>"  # in a demo step: the bundle(s) written by the steps before


def register(commands: Any, lwtop: Lwtop) -> None:
    """Add `lwtop demo`; `lwtop` runs each step (the root's `main`, passed in so that this
    command needs no import of the root)."""
    demo = add_command(
        commands,
        "demo",
        summary="de hele stroom op de meegeleverde voorbeeldgegevens",
        description="Doet de hele overgang voor op de synthetische voorbeeldschool: beide "
        "jaren controleren, de overgang bekijken, de werkmap voor de leerkrachten, de "
        "uploadbundel, de werklijst en de controle na de overgang. Elke stap staat erbij als "
        "de opdracht die u zelf zou geven.",
        examples=["lwtop demo --out demo-output"],
    )
    demo.add_argument(
        "--data",
        type=Path,
        default=None,
        metavar="MAP",
        help="een map met een submap per schooljaar (bijv. 2025-2026 en 2026-2027); "
        "standaard: de meegeleverde voorbeeldgegevens",
    )
    demo.add_argument(
        "--out",
        type=Path,
        default=Path("demo-output"),
        metavar="MAP",
        help="de map voor alles wat de stappen schrijven (standaard: demo-output)",
    )
    add_quiet(demo)
    demo.set_defaults(run=partial(run_demo, lwtop=lwtop))


def run_demo(args: argparse.Namespace, lwtop: Lwtop) -> int:
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
        result = lwtop(command)
        if result == EXIT_FAILED:
            return EXIT_FAILED
        status = max(status, result)
    print(f"\nKlaar. De uitvoer staat in {out}/ (synthetische gegevens).")
    return status
