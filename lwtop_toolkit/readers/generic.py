"""Any pupil list (CSV or XLSX) of any LAS, SchoolOAS among them, with an optional column mapping.

Headers are matched through the shared alias table, so common exports need no mapping; a column
with another name is mapped with `--map "Kolom=veld"` or in `lwtop.toml` (`[kolommen]`). A
`Jaargroep` or `Leerjaar` column gives the year (`Groep 3` is 3); whether a year 1-6 is a PO
groep or a VO/MBO leerjaar (stored as 11-16) the data decides (readers/sector.py), not the
column's name. Groups are the distinct classes.
Our own import files (headers `leerling_id`, `groep_id`, a groepen table) are left to the
import-file reader, whatever the files are called.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from lwtop_toolkit.findings import ToolkitError
from lwtop_toolkit.readers import importfiles
from lwtop_toolkit.readers.base import Reader, ReadResult
from lwtop_toolkit.readers.las_lists import any_sheet, list_files, read_lists
from lwtop_toolkit.readers.pupil_lists import PUPIL_ALIASES, ListFormat, is_pupil_header, mapped
from lwtop_toolkit.readers.school_settings import load_settings
from lwtop_toolkit.readers.staff_lists import STAFF_ALIASES

NAME = "generic"
FORMAT = ListFormat(
    name=NAME,
    pupil_aliases=PUPIL_ALIASES,
    staff_aliases=STAFF_ALIASES,
    derive_leerjaar=False,
)
# The fields a column mapping may name: those of the pupil list and of the staff list.
FIELDS = (*FORMAT.pupil_aliases, *FORMAT.staff_aliases)


def detect(paths: Sequence[Path], known: frozenset[str]) -> bool:
    """A pupil list, when the files are not our own import files (recognised by their headers)."""
    files = list_files(paths)
    if importfiles.detect(paths, known):
        return False
    try:  # the column mapping of `lwtop.toml` may be what makes the list recognisable
        aliases = mapped(PUPIL_ALIASES, load_settings(paths).columns, FIELDS)
    except ToolkitError:
        return bool(files)  # a broken lwtop.toml: reading says what is wrong with it
    return any_sheet(
        paths, known, lambda header: is_pupil_header(header, aliases), skip=lambda _: False
    )


def read(
    paths: Sequence[Path], known: frozenset[str], mapping: Mapping[str, str] | None = None
) -> ReadResult:
    """Read a pupil list (and staff list) with the alias table and `mapping`."""
    return read_lists(paths, FORMAT, known, mapping=mapping)


READER = Reader(
    name=NAME,
    label="Leerlingenlijst (algemeen)",
    aliases=FORMAT.aliases,
    detect_with=detect,
    read_with=read,
)
