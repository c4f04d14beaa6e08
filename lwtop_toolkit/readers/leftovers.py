"""The files of a given folder that its reader did not read: each is named in a finding.

A folder is read by one reader (the LAS lists, EDEXML, our import files); a file beside the
export that the reader does not take (a staff list saved as .ods, a second XML that is no
EDEXML, a PDF with instructions) would otherwise be skipped without a word, while it may hold
the staff or the pupils the coordinator thinks were read.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from lwtop_toolkit.findings import ToolkitError, finding, frame
from lwtop_toolkit.readers.files.sniffing import file_kind
from lwtop_toolkit.readers.files.toolkit_workbooks import beside, toolkit_workbook
from lwtop_toolkit.readers.school_settings import SETTINGS_FILE

# Not part of any export: the settings beside it, hidden files, Excel's lock files.
SKIPPED_PREFIXES = (".", "~$")
NOT_OF_THIS_FORMAT = "het hoort niet bij het formaat waarin de rest van de map is gelezen"


def files_not_read(paths: Sequence[Path], read_files: Sequence[Path]) -> pd.DataFrame:
    """`file-not-read` for each file of a folder in `paths` that is not among `read_files`;
    `own-workbook` for one of our own workbooks (no export, left unread on purpose)."""
    taken = {path.resolve() for path in read_files}
    notes = []
    for folder in (path for path in paths if path.is_dir()):
        for child in sorted(folder.iterdir()):
            if (
                not child.is_file()
                or child.name.startswith(SKIPPED_PREFIXES)
                or child.name.lower() == SETTINGS_FILE
                or child.resolve() in taken
            ):
                continue
            kind = toolkit_workbook(child)
            if kind is not None:
                notes.append(beside(child, kind))
            else:
                notes.append(finding("file-not-read", file=str(child), reason=_why(child)))
    return frame(notes)


def _why(path: Path) -> str:
    """What the file is, when it is a format we do not read; else that it is not this format's."""
    try:
        file_kind(path)
    except ToolkitError as error:  # "Het bestand kan niet gelezen worden: dit is ..."
        return str(error.finding["message"]).partition(": ")[2] or str(error.finding["message"])
    return NOT_OF_THIS_FORMAT + "."
