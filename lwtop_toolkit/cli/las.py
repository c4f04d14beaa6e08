"""`lwtop las`: the LAS catalogue on the command line, what the school does per LAS."""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from lwtop_toolkit.cli.common import EXIT_OK, add_command, add_json, print_json
from lwtop_toolkit.las import catalogue as las
from lwtop_toolkit.readers.choice import available_readers
from lwtop_toolkit.readers.school_settings import article_links


def register(commands: Any) -> None:
    """Add `lwtop las` to the subcommands."""
    catalogue = add_command(
        commands,
        "las",
        summary="de LAS-catalogus: wat de school per LAS doet bij de overgang",
        description="Toont per leerlingadministratiesysteem (LAS) wat de school in stap 1 "
        "van de overgang doet (niets, leerlingen klaarzetten en ophalen, of de importbestanden "
        "van de uploadbundel), de code voor --las en met welke lezers de export in te lezen "
        "is. Stap 2, de medewerkers aan de nieuwe groepen koppelen, is voor elk LAS gelijk.",
        examples=[
            "lwtop las",
            "lwtop las --new export/2026-2027",
            "lwtop validate --las somtoday sample_data/somtoday/2026-2027",
        ],
    )
    catalogue.add_argument(
        "--new",
        nargs="+",
        type=Path,
        default=[Path(".")],
        metavar="PAD",
        help="de export van het nieuwe schooljaar (of lwtop.toml zelf): het lwtop.toml ernaast "
        "mag per LAS het adres van het artikel met de stappen geven, onder [artikelen]. "
        "Standaard het lwtop.toml in de map waarin u werkt",
    )
    add_json(catalogue)
    catalogue.set_defaults(run=run_las)


def catalogue_text(articles: Mapping[str, str] | None = None) -> str:
    """The catalogue as the seed's table, in Dutch, each LAS's instruction a line each (with
    the article's address of `articles`, `[artikelen]` of lwtop.toml)."""
    header = ("code", "LAS", "sector", "actie")
    rows = [
        (entry.code, entry.name, entry.sector, las.ACTION_LABELS[entry.action])
        for entry in las.CATALOGUE.values()
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = [
        "Stap 1: de leerlingen en groepen van het nieuwe schooljaar in Leerwinst/TOP dossier.",
        "De koppeling neemt de nieuwe groepen over vanaf 1 augustus van het nieuwe schooljaar.",
        "",
    ]
    lines += ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
              for row in [header, *rows]]  # fmt: skip
    lines.append("")
    for entry in las.CATALOGUE.values():
        readers = ", ".join(available_readers(entry))
        first, *rest = entry.instruction_lines(None, articles)
        lines.append(f"{entry.name} ({entry.code}): {first}")
        lines += [f"    {line}" for line in rest]
        lines.append(f"    in te lezen met: {readers}")
    lines += ["", las.STEP_2]
    return "\n".join(lines)


def run_las(args: argparse.Namespace) -> int:
    articles = article_links(args.new)
    if args.json:
        entries = [
            {**entry.as_dict(None, articles), "readers_available": available_readers(entry)}
            for entry in las.CATALOGUE.values()
        ]
        print_json({"las": entries, "step_2": las.STEP_2})
    else:
        print(catalogue_text(articles))
    return EXIT_OK
