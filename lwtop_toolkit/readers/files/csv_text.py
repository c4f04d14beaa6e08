"""Reading a CSV file's text into a Sheet: its header found, every record numbered as the row a
person sees, and what does not fit (a record with more fields, a cell of megabytes) reported."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import numpy as np
import pandas as pd

from lwtop_toolkit.findings import ToolkitError, finding, frame
from lwtop_toolkit.model import SOURCE_ROW
from lwtop_toolkit.readers.files import formats, screening, sniffing, spaces
from lwtop_toolkit.readers.files.sheet import Sheet, restored, screen

# More control characters than this share of the text: binary data, not a CSV with a stray NUL.
MAX_CONTROL_SHARE = 0.01
# Our writers' text marker before a formula character (cellsafety.py).
MARKED = re.compile(r"'[=+\-@\t\r]")


def read_csv(path: Path, known: frozenset[str]) -> Sheet:
    """A CSV file as one Sheet: encoding and delimiter detected, every record numbered.

    `known`: the normalised headers a header row is recognised by (screening.find_header).
    """
    name = str(path)
    text, encoding = sniffing.decode(path.read_bytes(), name)
    controls = len(screening.CONTROL.findall(text))
    if controls > MAX_CONTROL_SHARE * len(text):
        raise ToolkitError(
            "unreadable-file",
            file=name,
            reason="het bestand bevat binaire tekens (zoals NUL): het is geen tekst- of "
            "CSV-bestand.",
        )
    if not text.strip():
        raise ToolkitError("unreadable-file", file=name, reason="het bestand is leeg.")
    formats.check_delimited(path, sniffing.first_lines(text, sniffing.SNIFF_LINES).splitlines())
    delimiter = sniffing.delimiter(text)
    notes = []
    if encoding not in ("utf-8", "utf-8-sig"):
        notes.append(finding("encoding-fallback", file=name, value=encoding))
    cells = _parse_cells(text, delimiter, name)
    filled = cells.ne("").any(axis=1)
    if not filled.any():
        raise ToolkitError("unreadable-file", file=name, reason="het bestand is leeg.")
    search = cells.iloc[: int(filled.to_numpy().nonzero()[0][0]) + screening.HEADER_SEARCH_ROWS]
    header_index = screening.find_header(search.to_numpy().tolist(), known) or 0
    above = cells.iloc[:header_index]
    notes += screening.above_header(
        name, above.to_numpy().tolist(), [i + 1 for i in above.index], header_index + 1
    )
    record = [str(cell).strip() for cell in cells.iloc[header_index]]
    fields = _field_count(text, delimiter, header_index) or len(record)
    named = len(record)
    while named and not record[named - 1]:
        named -= 1
    body = cells.iloc[header_index + 1 :]
    body = body[filled.iloc[header_index + 1 :]]  # an empty line is no row of data
    # Columns the header record has but does not name: read (and reported) when they hold data.
    extra = body.iloc[:, named:fields]
    used = [int(column) for column in extra.columns[extra.ne("").any(axis=0).to_numpy()]]
    width = max([named, *(column + 1 for column in used)])
    header = (record + [""] * width)[:width]
    numbers = pd.Series(body.index + 1, index=body.index)  # record i is row i + 1
    overflow = body.iloc[:, fields:].ne("").any(axis=1)  # more fields than the header record
    for index in body.index[overflow]:
        count = int(body.loc[index].ne("").to_numpy().nonzero()[0].max()) + 1
        notes.append(
            finding(
                "malformed-row", file=name, row=int(numbers[index]), value=count, expected=fields
            )
        )
    body = body[~overflow]
    rows = body.iloc[:, :width].reindex(columns=range(width), fill_value="")
    rows = rows.astype("str").reset_index(drop=True)
    if MARKED.search(text):  # only then can a cell carry our text marker
        rows = restored(rows)
    rows[SOURCE_ROW] = pd.array(numbers[~overflow].to_numpy(), dtype="Int64")
    suspect = controls > 0 or _may_hold_long_cell(text, delimiter)
    invisible = any(char in text for char in spaces.INVISIBLE)  # `in`: ASCII text at once
    rows, screened = screen(rows, header, name, suspect, invisible=invisible)
    return Sheet(name, path.stem, header, rows, header_index + 1, frame([*notes, *screened]))


def _may_hold_long_cell(text: str, delimiter: str) -> bool:
    """Whether a cell may be longer than Excel allows: exact without quotes (then a cell is
    the text between delimiters), else whenever the text is that long."""
    if len(text) <= screening.MAX_CELL_CHARS:
        return False
    if '"' in text:
        return True
    # A cell has at most as many characters as bytes: when no run of bytes between delimiters
    # is that long, no cell is (numpy over the bytes: the regex took ~1 s per 100 MB).
    data = np.frombuffer(text.encode("utf-8"), dtype=np.uint8)
    if _longest_run(np.flatnonzero(data == 10), len(data)) <= screening.MAX_CELL_CHARS:
        return False  # no line is that long (one pass: half the time of the exact one below)
    ends = np.flatnonzero((data == ord(delimiter)) | (data == 10) | (data == 13))
    if _longest_run(ends, len(data)) <= screening.MAX_CELL_CHARS:
        return False
    separators = re.escape(delimiter) + r"\r\n"
    field = rf"(?:^|[{separators}])[^{separators}]{{{screening.MAX_CELL_CHARS + 1}}}"
    return re.search(field, text) is not None


def _longest_run(ends: np.ndarray, length: int) -> int:
    """The most bytes between two of the positions `ends` (or the start and the end)."""
    return int(np.diff(np.concatenate([[-1], ends, [length]])).max()) - 1


def _field_count(text: str, delimiter: str, index: int) -> int:
    """The number of fields of record `index` (trailing empty fields included); 0 if unsure.

    Read from the start of the text only, more when a record runs on: the header is near the
    top, and copying a board's whole text for it took ~40 ms per 100 MB."""
    lines = index + 2
    while True:
        head = sniffing.first_lines(text, lines)
        whole = len(head) == len(text)
        records: list[list[str]] = []
        try:
            for record in csv.reader(io.StringIO(head, newline=""), delimiter=delimiter):
                records.append(record)
                if len(records) > index + 1:  # the next record began: record `index` is whole
                    return len(records[index])
        except csv.Error:
            if whole:
                return len(records[index]) if len(records) > index else 0
        if whole:
            return len(records[index]) if len(records) > index else 0
        lines *= 4


def _parse_cells(text: str, delimiter: str, name: str) -> pd.DataFrame:
    """Every record of the text as a row of strings ("" when empty), numbered from 0.

    Quoted fields may hold the delimiter, quotes and newlines. Ragged records are padded.
    """
    try:
        parsed = pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            header=None,
            dtype="str",
            keep_default_na=False,
            skip_blank_lines=False,
            engine="c",
        )
        parsed.columns = range(parsed.shape[1])
        return parsed.fillna("")
    except (pd.errors.ParserError, ValueError):
        pass  # ragged or broken records: read them one by one to say which row is wrong
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: list[list[str]] = []
    try:
        for record in reader:
            records.append(record)
    except csv.Error:
        raise ToolkitError(
            "unreadable-file",
            file=name,
            reason=f"rij {len(records) + 1} heeft een aanhalingsteken dat niet gesloten wordt; "
            "herstel de rij of sla het bestand opnieuw op als CSV.",
        ) from None
    width = max((len(record) for record in records), default=0)
    padded = [record + [""] * (width - len(record)) for record in records]
    return pd.DataFrame(padded, columns=range(width), dtype="str")
