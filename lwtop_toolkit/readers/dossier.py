"""The dossier list read: the pupils who have a dossier now, from any file the readers know.

Not every pupil has a dossier: in a regular school only the pupils with extra support do. The
dossier list is read by the existing readers: the product's own pupil export (a CSV or XLSX
with `leerling_id`, or any header alias of it), last year's three import files, or a LAS export.
Only the pupils' ids (and ECK-iD and name, where given) are used; plan/dossier.py scopes a plan
to them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from lwtop_toolkit import findings as fd
from lwtop_toolkit.findings import ToolkitError
from lwtop_toolkit.model import SOURCE_FILE, SOURCE_ROW, Tables, display_name
from lwtop_toolkit.readers import importfiles, read
from lwtop_toolkit.readers.files.values import strip

DOSSIER_TABLE = "dossier"
UNRECOGNISED_LIST = "unrecognised-list"  # no LAS list: its pupils lack what a LAS list has
DOSSIER_COLUMNS: tuple[str, ...] = ("leerling_id", "eckid", "naam", SOURCE_FILE, SOURCE_ROW)
# Reading findings that do not concern a list of dossier pupils: a pupil list need not have
# groups, staff, a BRIN or a school year, nor any column but the id.
_NOT_ABOUT_DOSSIER = frozenset(
    {
        "missing-table",
        "brin-unknown",
        "schooljaar-unknown",
        "brin-from-path",
        "schooljaar-from-path",
        "leerjaar-not-derived",
        "leerjaar-derived",
        "leerjaar-as-vo",
        "sector-unknown",
        "sector-conflict",
        "leerjaar-not-in-sector",
        "mentors-without-staff",
        "staff-without-role",
        "sheet-not-used",
    }
)


@dataclass
class Dossier:
    """The pupils who have a dossier (`DOSSIER_COLUMNS`), what reading found, the files read."""

    pupils: pd.DataFrame
    findings: pd.DataFrame = field(default_factory=fd.empty_findings)
    files: list[Path] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.pupils)


def read_dossier(paths: Sequence[Path | str], format: str | None = None) -> Dossier:
    """Read the list of pupils that have a dossier now.

    Any file the readers know will do: the product's pupil export, last year's import files or
    a LAS export; only its pupils count. A row without leerling_id and ECK-iD cannot be matched
    and becomes a `dossier-row-without-id` finding. Raises ToolkitError when the files cannot
    be read, or hold no pupil id at all.
    """
    try:
        result = read(paths, format)
    except ToolkitError as error:
        if format or error.finding["code"] != UNRECOGNISED_LIST:
            raise
        # a list of the pupils with a dossier needs no group, birth date or sex: only a number
        # (the product's own export of dossier pupils), read as the import files read a table
        result = read(paths, importfiles.NAME)
    pupils = result.tables.leerlingen
    files = ", ".join(str(path) for path in result.files) or ", ".join(map(str, paths))
    reading = result.findings
    keep = reading["table"].isin(["leerlingen", ""]) & ~reading["code"].isin(_NOT_ABOUT_DOSSIER)
    keep &= reading["code"].ne("missing-column") | reading["column"].eq("leerling_id")
    reading = reading[keep].assign(table=DOSSIER_TABLE)
    if pupils.empty:
        raise ToolkitError("no-rows", file=files, table=DOSSIER_TABLE)
    frame = dossier_pupils(pupils)
    if frame[["leerling_id", "eckid"]].eq("").all(axis=None):
        raise ToolkitError("missing-column", file=files, table=DOSSIER_TABLE, column="leerling_id")
    without_id = frame["leerling_id"].eq("") & frame["eckid"].eq("")
    notes = fd.for_rows(
        "dossier-row-without-id", frame[without_id], table=DOSSIER_TABLE, column="leerling_id"
    )
    return Dossier(
        pupils=frame[~without_id].reset_index(drop=True),
        findings=fd.concat([reading, notes]),
        files=list(result.files),
    )


def dossier_pupils(
    source: Dossier | Tables | pd.DataFrame | pd.Series | Iterable[str],
) -> pd.DataFrame:
    """Any form of the dossier population as a frame of `DOSSIER_COLUMNS` (ids trimmed).

    A Series or list holds leerling ids; a frame needs `leerling_id` (`eckid`, names and the
    provenance columns are used when present); Tables give their pupils.
    """
    if isinstance(source, Dossier):
        return source.pupils
    if isinstance(source, Tables):
        source = source.leerlingen
    if not isinstance(source, pd.DataFrame):
        ids = pd.Series(list(source) if not isinstance(source, pd.Series) else source)
        source = pd.DataFrame({"leerling_id": ids.fillna("").astype("str").to_numpy()})
    frame = source.reset_index(drop=True)

    def text(column: str) -> pd.Series:
        values = frame[column] if column in frame else pd.Series("", index=frame.index)
        return strip(values.fillna("").astype("str"))

    if "naam" in frame:
        naam = text("naam")
    elif {"achternaam", "roepnaam"} <= set(frame.columns):
        naam = display_name(
            pd.DataFrame({part: text(part) for part in ("roepnaam", "tussenvoegsel", "achternaam")})
        )
    else:
        naam = pd.Series("", index=frame.index, dtype="str")
    rows = frame[SOURCE_ROW] if SOURCE_ROW in frame else pd.Series(pd.NA, index=frame.index)
    out = pd.DataFrame(
        {
            "leerling_id": text("leerling_id"),
            "eckid": text("eckid"),
            "naam": naam.astype("str"),
            SOURCE_FILE: text(SOURCE_FILE),
            SOURCE_ROW: rows.astype("Int64"),
        }
    )
    return out.loc[:, list(DOSSIER_COLUMNS)]
