"""`lwtop sample --out MAP`: made-up exports to try the toolkit on (a school, each LAS, a board)."""

from __future__ import annotations

import argparse
from typing import Any

from lwtop_toolkit import findings as fd
from lwtop_toolkit.cli.common import EXIT_OK, add_command, add_out, add_quiet, positive_count
from lwtop_toolkit.runtime.progress import bar


def register(commands: Any) -> None:
    """Add `lwtop sample` to the subcommands."""
    sample = add_command(
        commands,
        "sample",
        summary="schrijf synthetische voorbeeldgegevens",
        description="Schrijft verzonnen gegevens om de toolkit mee te proberen: de "
        "importbestanden van een voorbeeldschool voor twee schooljaren, met --las de export "
        "van een LAS, met --scale een heel bestuur met een map per school. Dezelfde --seed "
        "geeft dezelfde bestanden.",
        examples=[
            "lwtop sample --out voorbeeld",
            "lwtop sample --las alle --out voorbeeld-las",
            "lwtop sample --scale 20000 --out bestuur",
        ],
    )
    add_out(sample, metavar="MAP", help="de map waarin de bestanden komen")
    sample.add_argument(
        "--seed",
        type=int,
        default=2026,
        metavar="GETAL",
        help="het startgetal van het toeval: hetzelfde getal geeft dezelfde gegevens "
        "(standaard: 2026)",
    )
    sample.add_argument(
        "--las", metavar="CODE", help="schrijf de export van dit LAS (of 'alle': elk LAS een map)"
    )
    sample.add_argument(
        "--scale",
        type=positive_count,
        metavar="N",
        help="een heel bestuur: N leerlingen over vele scholen, per school een map",
    )
    sample.add_argument(
        "--geen-edexml", action="store_true", help="bij --scale: alleen de importbestanden"
    )
    add_quiet(sample)
    sample.set_defaults(run=run_sample)


def run_sample(args: argparse.Namespace) -> int:
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
        schools = fd.count_of(len(board.schools), "school")
        print(f"{schools}, {fd.count_of(args.scale, 'leerling')} in het oude jaar")
    elif args.las:
        written = write_las_samples(args.out, args.las, seed=args.seed)
    else:
        written = write_sample(args.out, seed=args.seed)
    print(f"{fd.count_of(len(written), 'bestand')} geschreven in {args.out}")
    return EXIT_OK
