"""`lwtop verify --expected PATH... --actual PATH...`: after the link, the fetch or the import,
what did not arrive. `--expected` may be an upload bundle (.zip): its import files are read.
"""

from __future__ import annotations

import argparse
import tempfile
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from lwtop_toolkit import findings as fd
from lwtop_toolkit.check.loading import Loaded, load
from lwtop_toolkit.cli.steps import EXIT_FINDINGS, EXIT_OK, findings_text, load_dossier, load_las
from lwtop_toolkit.findings import ToolkitError
from lwtop_toolkit.las import catalogue as las
from lwtop_toolkit.model import SOURCE_FILE

BUNDLE_TABLES = ("groepen", "leerlingen", "medewerkers", "medewerker_groepen")
MAX_BUNDLE_BYTES = 512 * 1024 * 1024  # as readers/tabular.py: more than this is no bundle of ours


def load_expected(paths: Sequence[Path], format: str | None, las_code: str | None) -> Loaded:
    """Like `load_las`, but upload bundles (.zip with manifest.json) are read as their CSVs:
    one school's bundle, or the bundles of a board's schools (each read as its own export)."""
    bundles = [path for path in paths if _is_bundle(path)]
    if not bundles:
        return load_las(paths, format, las_code)
    if len(bundles) < len(paths):
        raise ToolkitError(
            "unknown-format",
            file=", ".join(map(str, paths)),
            reason="geef alleen uploadbundels op, zonder andere bestanden ernaast",
        )
    with tempfile.TemporaryDirectory(prefix="lwtop-bundel-") as scratch:
        folders = [Path(scratch)] if len(bundles) == 1 else [
            Path(scratch) / f"{number:04d}-{bundle.stem}" for number, bundle in enumerate(bundles)
        ]  # fmt: skip
        for bundle, folder in zip(bundles, folders, strict=True):
            folder.mkdir(exist_ok=True)
            with zipfile.ZipFile(bundle) as archive:
                for name in BUNDLE_TABLES:
                    member = f"{name}.csv"
                    if member in archive.namelist():
                        (folder / member).write_bytes(archive.read(member))
        loaded = load([Path(scratch)], "importfiles")
    renamed = {str(folder): str(bundle) for folder, bundle in zip(folders, bundles, strict=True)}
    return _renamed(loaded, renamed)


def _is_bundle(path: Path) -> bool:
    """An upload bundle of ours: a zip holding manifest.json, of a sane unpacked size."""
    if not path.is_file() or path.suffix.lower() != ".zip":
        return False
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            size = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError) as error:
        raise ToolkitError(
            "unreadable-file", file=str(path), reason=f"de zip is niet te lezen ({error})."
        ) from None
    if size > MAX_BUNDLE_BYTES:
        raise ToolkitError(
            "unreadable-file", file=str(path), reason="de zip pakt uit tot meer dan 512 MB."
        )
    return "manifest.json" in names


def _renamed(loaded: Loaded, bundle_of: dict[str, str]) -> Loaded:
    """Point file names at `bundle.zip/leerlingen.csv` instead of the temporary folders."""

    def rename(column: pd.Series) -> pd.Series:
        for folder, bundle in bundle_of.items():
            column = column.str.replace(folder, bundle, regex=False)
        return column

    for _, frame in loaded.tables.items():
        frame[SOURCE_FILE] = rename(frame[SOURCE_FILE])
    findings = loaded.findings.assign(file=rename(loaded.findings["file"]))
    return Loaded(loaded.tables, findings, loaded.format, [Path(b) for b in bundle_of.values()])


# --- verify --------------------------------------------------------------------------------------


def run_verify(args: argparse.Namespace) -> int:
    from lwtop_toolkit.steps.verify import verify

    expected = load_expected(args.expected, args.format, args.las)
    actual = load(args.actual)
    old = load_las(args.old, args.format, args.las) if args.old else None
    dossier = load_dossier(args)
    result = verify(
        expected.tables,
        actual.tables,
        old=old.tables if old is not None else None,
        dossier=dossier.pupils if dossier is not None else None,
        las=las.get(args.las) if args.las else None,
        all_pupils=args.all_pupils,
    )
    parts = [dossier.findings if dossier is not None else None, result.findings]
    findings = fd.sort(fd.concat(part for part in parts if part is not None))
    if args.json:
        from lwtop_toolkit.cli.main import _print_json, findings_records
        from lwtop_toolkit.cli.preview import records

        _print_json(
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
    return EXIT_FINDINGS if fd.has_errors(findings) else EXIT_OK


def verify_text(result: Any, findings: pd.DataFrame, actual: Loaded) -> str:
    """The Dutch report of a verification."""
    c = result.counts
    who = "leerlingen met een dossier" if result.scoped else "leerlingen"
    lines = [
        f"Controle na de overgang — schooljaar {result.schooljaar or 'onbekend'}",
        f"Verwacht:       {c['pupils_expected']} {who} in {c['groups_expected']} groepen, "
        f"{c['links_expected']} koppelingen medewerker-groep",
        f"Aangekomen:     {c['pupils_arrived']} leerlingen, van wie "
        f"{c['pupils_arrived'] - c['pupils_wrong_group']} in de verwachte groep en "
        f"{c['pupils_wrong_group']} in een andere groep",
        f"Ontbreken:      {c['pupils_missing']} leerlingen",
        f"Niet verwacht:  {c['pupils_unexpected']} leerlingen",
        f"Groepen:        {c['groups_missing']} ontbreken, {c['groups_unexpected']} niet verwacht",
        f"Koppelingen:    {c['links_missing']} ontbreken",
        f"Samengesteld:   {c['memberships_missing']} van {c['memberships_expected']} plaatsingen "
        "in samengestelde groepen ontbreken",
    ]
    if c["links_expected"] == 0:
        lines.append(
            "               (de verwachte gegevens hebben geen koppelingen medewerker-groep: die "
            "zijn niet gecontroleerd)"
        )
    reading = fd.counts(actual.findings)
    if reading["error"]:
        lines.append(
            f"Let op: de export uit het dossier heeft {reading['error']} fouten bij het inlezen "
            "(zie lwtop validate); die tellen hier niet mee."
        )
    if c["pupils_in_old_group"]:
        lines.append(
            f"Let op: {c['pupils_in_old_group']} leerlingen staan nog in de groep van vorig jaar: "
            "de nieuwe groepsindeling is (nog) niet overgenomen."
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
