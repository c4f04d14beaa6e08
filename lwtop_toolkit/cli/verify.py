"""`lwtop verify --expected PATH... --actual PATH...`: after the link, the fetch or the import,
what did not arrive. `--expected` may be an upload bundle (.zip): its import files are read.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import pandas as pd

from lwtop_toolkit import findings as fd
from lwtop_toolkit import flows
from lwtop_toolkit.check.loading import Loaded
from lwtop_toolkit.cli.common import (
    add_command,
    add_dossier,
    add_format,
    add_json,
    add_las,
    add_map,
    add_old,
    add_quiet,
    add_sector,
    findings_records,
    mapping_of,
    print_json,
    status_of,
)
from lwtop_toolkit.cli.preview import records
from lwtop_toolkit.cli.steps import findings_text
from lwtop_toolkit.flows import load_expected
from lwtop_toolkit.readers.dossier import read_dossier
from lwtop_toolkit.steps.arrival import verify_arrival


def register(commands: Any) -> None:
    """Add `lwtop verify` to the subcommands."""
    check = add_command(
        commands,
        "verify",
        summary="na de koppeling, het ophalen of de import: is alles aangekomen?",
        description="Vergelijkt na de overgang wat er in Leerwinst/TOP dossier moest aankomen "
        "(de export van het nieuwe jaar, of de uploadbundel) met wat er aankwam (een export "
        "uit het dossier): welke leerlingen, groepen en koppelingen ontbreken, en wie in een "
        "andere groep staat dan verwacht. Met --old ook wie nog in de groep van vorig jaar "
        "staat; met --las wat er bij een verschil te doen is.",
        examples=[
            "lwtop verify --expected bundels/lwtop-99ZZ-2026-2027.zip --actual dossier-export",
            "lwtop verify --expected sample_data/2026-2027 --actual dossier-export --las esis",
        ],
    )
    check.add_argument(
        "--expected", nargs="+", type=Path, required=True, metavar="PAD",
        help="wat er moest aankomen: de export van het nieuwe jaar, of de uploadbundel (.zip)",
    )  # fmt: skip
    check.add_argument(
        "--actual", nargs="+", type=Path, required=True, metavar="PAD",
        help="wat er aankwam: de export uit Leerwinst/TOP dossier na de overgang",
    )  # fmt: skip
    add_old(check, required=False)
    add_las(
        check, help="het LAS van de school; kiest de lezer en wat er te doen is bij een verschil"
    )
    add_format(check, help="het formaat van --expected en --old (standaard: herkend)")
    add_map(check)
    add_sector(check)
    add_json(check)
    add_dossier(check)
    add_quiet(check)
    check.set_defaults(run=run_verify)


# --- verify --------------------------------------------------------------------------------------


def run_verify(args: argparse.Namespace) -> int:
    mapping = mapping_of(args)
    expected = load_expected(args.expected, args.format, args.las, mapping, args.sector)
    old = (
        flows.load_one(args.old, args.format, args.las, mapping, args.sector) if args.old else None
    )
    arrival = verify_arrival(
        expected,
        args.actual,
        old=old,
        dossier=read_dossier(args.dossier) if args.dossier else None,
        las_code=args.las,
        all_pupils=args.all_pupils,
    )
    result, findings, actual = arrival.result, arrival.findings, arrival.actual
    if args.json:
        print_json(
            {
                "schooljaar": result.schooljaar,
                "complete": not fd.has_errors(findings),
                "counts": result.counts,
                "pupils": records(result.pupils.drop(columns=["_file", "_row"])),
                "findings": findings_records(findings),
            }
        )
    else:
        print(verify_text(result, findings, actual))
    return status_of(findings)


def verify_text(result: Any, findings: pd.DataFrame, actual: Loaded) -> str:
    """The Dutch report of a verification."""
    c = result.counts
    one, many = ("leerling met een dossier", "leerlingen met een dossier")
    if not result.scoped:
        one, many = "leerling", "leerlingen"
    lines = [
        f"Controle na de overgang — schooljaar {result.schooljaar or 'onbekend'}",
        f"Verwacht:       {fd.count_of(c['pupils_expected'], one, many)} in "
        f"{fd.count_of(c['groups_expected'], 'groep')}, "
        f"{fd.rows_of('medewerker_groepen', c['links_expected'])}",
        f"Aangekomen:     {fd.count_of(c['pupils_arrived'], 'leerling')}, van wie "
        f"{c['pupils_arrived'] - c['pupils_wrong_group']} in de verwachte groep en "
        f"{c['pupils_wrong_group']} in een andere groep",
        f"Ontbreken:      {fd.count_of(c['pupils_missing'], 'leerling')}",
        f"Niet verwacht:  {fd.count_of(c['pupils_unexpected'], 'leerling')}",
        f"Groepen:        {c['groups_missing']} "
        f"{fd.plural(c['groups_missing'], 'ontbreekt', 'ontbreken')}, "
        f"{c['groups_unexpected']} niet verwacht",
        f"Koppelingen:    {c['links_missing']} "
        f"{fd.plural(c['links_missing'], 'ontbreekt', 'ontbreken')}",
        f"Samengesteld:   {c['memberships_missing']} van "
        f"{fd.count_of(c['memberships_expected'], 'plaatsing', 'plaatsingen')} "
        "in samengestelde groepen "
        f"{fd.plural(c['memberships_missing'], 'ontbreekt', 'ontbreken')}",
    ]
    if c["links_expected"] == 0:
        lines.append(
            "               (de verwachte gegevens hebben geen koppelingen medewerker-groep: die "
            "zijn niet gecontroleerd)"
        )
    reading = fd.counts(actual.findings)
    if reading["error"]:
        lines.append(
            f"Let op: de export uit het dossier heeft {fd.count_of(reading['error'], 'fout')} "
            "bij het inlezen (zie lwtop validate); die tellen hier niet mee."
        )
    if c["pupils_in_old_group"]:
        stays = fd.plural(c["pupils_in_old_group"], "staat", "staan")
        lines.append(
            f"Let op: {fd.count_of(c['pupils_in_old_group'], 'leerling')} {stays} nog in de "
            "groep van vorig jaar: de nieuwe groepsindeling is (nog) niet overgenomen."
        )
    lines += ["", findings_text(findings, "verify"), ""]
    if fd.has_errors(findings):
        lines.append(
            "Nog niet alles is aangekomen: los de fouten hierboven op en controleer daarna opnieuw."
        )
    else:
        lines.append("Alles is aangekomen zoals verwacht.")
    return "\n".join(lines)


__all__ = ["load_expected", "run_verify", "verify_text"]
