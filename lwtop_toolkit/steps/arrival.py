"""After the import: what arrived in Leerwinst/TOP dossier beside what was expected.

What was expected is the new year's export or the upload bundle (`load_expected`: a bundle is
read as its import files); what arrived is an export from the dossier. `lwtop verify` and the
app's last step both call `verify_arrival`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from lwtop_toolkit import findings as fd
from lwtop_toolkit.check.loading import Loaded, combine, load
from lwtop_toolkit.check.validate import validate
from lwtop_toolkit.findings import ToolkitError
from lwtop_toolkit.las import catalogue as las
from lwtop_toolkit.readers.bundle import is_bundle, read_bundles
from lwtop_toolkit.readers.dossier import Dossier
from lwtop_toolkit.steps.verify import Verification, verify


def read_expected_bundles(paths: Sequence[Path]) -> Loaded | None:
    """Upload bundles (.zip with manifest.json) read as their import files: one school's
    bundle, or the bundles of a board's schools (each read as its own export); None when
    `paths` holds no bundle (an export: `flows.load_expected` reads it)."""
    bundles = [path for path in paths if is_bundle(path)]
    if not bundles:
        return None
    if len(bundles) < len(paths):
        raise ToolkitError(
            "unknown-format",
            file=", ".join(map(str, paths)),
            reason="geef alleen uploadbundels op, zonder andere bestanden ernaast",
        )
    read = read_bundles(bundles)
    checked = combine(read.findings, validate(read.tables))
    return Loaded(read.tables, fd.sort(checked), read.format, read.files)


@dataclass
class Arrival:
    """What arrived in Leerwinst/TOP dossier beside what was expected (`verify`)."""

    result: Verification
    findings: pd.DataFrame  # the dossier list's and the comparison's, sorted
    actual: Loaded  # the export from the dossier, as read


def verify_arrival(
    expected: Loaded,
    actual: Sequence[Path],
    *,
    old: Loaded | None = None,
    dossier: Dossier | None = None,
    las_code: str | None = None,
    all_pupils: bool = False,
    ways: las.Ways = las.COMMANDS,
) -> Arrival:
    """Compare the export from the dossier (`actual`, read by content) with what was expected
    (the new export or the bundle, `load_expected`); with `old`, who still sits in last year's
    group; with the LAS, what to do at a difference (the toolkit's own steps named as `ways`
    does: the commands, or the app's steps)."""
    arrived = load(actual)
    result = verify(
        expected.tables,
        arrived.tables,
        old=old.tables if old is not None else None,
        dossier=dossier.pupils if dossier is not None else None,
        las=las.get(las_code) if las_code else None,
        all_pupils=all_pupils,
        ways=ways,
    )
    parts = [dossier.findings if dossier is not None else None, result.findings]
    found = fd.sort(fd.concat(part for part in parts if part is not None))
    return Arrival(result, found, arrived)


__all__ = ["Arrival", "read_expected_bundles", "verify_arrival"]
