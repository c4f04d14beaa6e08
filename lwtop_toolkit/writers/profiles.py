"""Output profiles: the one place that knows the format of the files we hand to the dossier.

A profile fixes, per table, the columns and their order, the Dutch headers, the file name, the
delimiter, the encoding, the date format and the line endings. The product's real import format
is not public (reference/README.md §10); `topdossier` is our documented default, and a school that
needs another layout gets a new profile here, not a change elsewhere.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import pandas as pd

from lwtop_toolkit.findings import FINDING_COLUMNS, SEVERITY_LABELS, source_name
from lwtop_toolkit.model import DATE_COLUMNS, TABLE_COLUMNS, TABLE_NAMES
from lwtop_toolkit.readers.files.cellsafety import neutralise


def _canonical_headers() -> dict[str, tuple[tuple[str, str], ...]]:
    return {name: tuple((column, column) for column in TABLE_COLUMNS[name]) for name in TABLE_NAMES}


# Findings as a coordinator reads them in `bevindingen.csv`.
FINDING_HEADERS: dict[str, str] = {
    "severity": "ernst",
    "code": "code",
    "message": "melding",
    "file": "bestand",
    "table": "tabel",
    "row": "rij",
    "column": "kolom",
    "value": "waarde",
}


@dataclass(frozen=True)
class Profile:
    """How the tables are written as files."""

    name: str
    label: str
    columns: Mapping[str, tuple[tuple[str, str], ...]] = field(default_factory=_canonical_headers)
    delimiter: str = ";"
    encoding: str = "utf-8-sig"
    date_format: str = "%Y-%m-%d"
    line_end: str = "\r\n"

    def file_name(self, table: str) -> str:
        return f"{table}.csv"

    def table_csv(self, frame: pd.DataFrame, table: str) -> bytes:
        """One canonical table as this profile's CSV bytes, every text cell spreadsheet-safe."""
        out = pd.DataFrame(index=frame.index)
        for column, header in self.columns[table]:
            values = frame[column]
            if column in DATE_COLUMNS:
                text = values.dt.strftime(self.date_format).fillna("")
            else:
                text = values.fillna("").astype("str")
            out[header] = neutralise(text)
        return self._csv(out)

    def findings_csv(self, findings: pd.DataFrame) -> bytes:
        """The findings, Dutch headers and severities, file names without their folders."""
        out = pd.DataFrame(index=findings.index)
        for column in ("severity", *[c for c in FINDING_COLUMNS if c != "severity"]):
            values = findings[column]
            if column == "severity":
                values = values.map(SEVERITY_LABELS)
            elif column == "file":
                values = values.map(source_name)
            out[FINDING_HEADERS[column]] = neutralise(
                values.astype("string").fillna("").astype("str")
            )
        return self._csv(out)

    def _csv(self, frame: pd.DataFrame) -> bytes:
        text = frame.to_csv(
            sep=self.delimiter,
            index=False,
            lineterminator=self.line_end,
            quoting=csv.QUOTE_MINIMAL,
        )
        return text.encode(self.encoding)


TOPDOSSIER = Profile(
    name="topdossier",
    label="TOP dossier-importbestanden (standaard): ';', UTF-8 met BOM, datums jjjj-mm-dd",
)
PROFILES: dict[str, Profile] = {
    TOPDOSSIER.name: TOPDOSSIER,
    "csv-komma": replace(
        TOPDOSSIER,
        name="csv-komma",
        label="CSV met komma's (RFC 4180): ',', UTF-8 zonder BOM, regeleinde LF",
        delimiter=",",
        encoding="utf-8",
        line_end="\n",
    ),
}
DEFAULT_PROFILE = TOPDOSSIER.name
