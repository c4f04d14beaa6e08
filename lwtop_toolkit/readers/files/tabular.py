"""Reading CSV and XLSX files into sheets of text cells, with the row numbers a person sees.

Shared by every tabular reader. Nothing here knows about pupils or groups: it turns bytes into
`Sheet`s (a header and rows of strings) and refuses, with a Dutch `ToolkitError`, what it cannot
read. Every cell is text: ids keep their leading zeros.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from charset_normalizer import from_bytes

from lwtop_toolkit.findings import ToolkitError, empty_findings, finding, frame
from lwtop_toolkit.model import SOURCE_ROW
from lwtop_toolkit.readers.files import screening
from lwtop_toolkit.readers.files.cellsafety import restore, restore_value

CSV_SUFFIXES = frozenset({".csv", ".txt", ".tsv"})
XLSX_SUFFIXES = frozenset({".xlsx", ".xlsm"})
TABULAR_SUFFIXES = CSV_SUFFIXES | XLSX_SUFFIXES
DELIMITERS = (";", ",", "\t")
SNIFF_LINES = 50

ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls, and password-protected .xlsx
OLE2_SNIFF_BYTES = 64 * 1024  # the start, and the directory sectors the header points at
PDF_MAGIC = b"%PDF"
# A workbook that unpacks to more than this is refused before it is unpacked (a zip bomb).
MAX_UNPACKED_BYTES = 512 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
# More control characters than this share of the text: binary data, not a CSV with a stray NUL.
MAX_CONTROL_SHARE = 0.01
# Our writers' text marker before a formula character (cellsafety.py).
MARKED = re.compile(r"'[=+\-@\t\r]")
# UTF-16 without a BOM: (nearly) every other byte of the start is NUL.
UTF16_SNIFF_BYTES = 400
UTF16_NUL_SHARE = 0.9


@dataclass
class Sheet:
    """One table of text cells: `header` and `rows` (column i of rows = header[i]).

    `rows` has a column `_row`: the row number a person sees in the file (header = row 1 when
    the header is on the first line). `findings` holds what reading noticed (encoding, bad rows).
    """

    file: str
    name: str
    header: list[str]
    rows: pd.DataFrame
    header_row: int = 1
    findings: pd.DataFrame = field(default_factory=empty_findings)


def file_kind(path: Path) -> str:
    """`csv` or `xlsx`, from the file's first bytes (its name can lie); ToolkitError otherwise."""
    name = str(path)
    if not path.exists():
        raise ToolkitError("unreadable-file", file=name, reason="het bestand bestaat niet.")
    if not path.is_file():
        raise ToolkitError("unreadable-file", file=name, reason="dit is geen bestand.")
    with path.open("rb") as handle:
        head = handle.read(8)
    if not head:
        raise ToolkitError("unreadable-file", file=name, reason="het bestand is leeg.")
    if head.startswith(OLE2_MAGIC):
        raise ToolkitError("unreadable-file", file=name, reason=_ole2_reason(path))
    if head.startswith(PDF_MAGIC):
        raise ToolkitError(
            "unreadable-file", file=name, reason="dit is een PDF, geen CSV- of Excel-bestand."
        )
    if head.startswith(ZIP_MAGIC):
        return "xlsx"
    if path.suffix.lower() in XLSX_SUFFIXES:
        raise ToolkitError(
            "unreadable-file",
            file=name,
            reason="dit is geen geldig Excel-bestand (.xlsx). Sla het opnieuw op in Excel.",
        )
    return "csv"


def _ole2_reason(path: Path) -> str:
    """An OLE2 container: Excel's encrypted workbook (it names its streams EncryptionInfo and
    EncryptedPackage), or an old .xls."""
    with path.open("rb") as handle:
        head = handle.read(OLE2_SNIFF_BYTES)
        if len(head) >= 52:  # the header says where the directory (the stream names) starts
            shift = min(int.from_bytes(head[30:32], "little"), 16)
            handle.seek((int.from_bytes(head[48:52], "little") + 1) << shift)
            head += handle.read(4 << shift)
    if "EncryptedPackage".encode("utf-16-le") in head:
        return (
            "de werkmap is beveiligd met een wachtwoord. Open haar in Excel, haal het wachtwoord "
            "weg (Bestand > Info > Werkmap beveiligen) en sla haar op als .xlsx, of als CSV."
        )
    return (
        "dit is een oud Excel-bestand (.xls) of een werkmap met een wachtwoord. Sla het in "
        "Excel op als .xlsx zonder wachtwoord, of als CSV."
    )


def read_sheets(path: Path) -> list[Sheet]:
    """Every sheet of a workbook, or the one sheet of a CSV file."""
    if file_kind(path) == "xlsx":
        from lwtop_toolkit.readers.files.xlsx import read_workbook

        return read_workbook(path)
    return [read_csv(path)]


# --- CSV ---------------------------------------------------------------------------------------


def decode(data: bytes, name: str) -> tuple[str, str]:
    """Text and the encoding used: BOM, strict UTF-8, strict Windows-1252, detection, latin-1.

    This order held on every case tried (STACK.md): charset-normalizer alone misreads short
    Windows-1252 files.
    """
    if data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff"):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise ToolkitError(
                "unreadable-file", file=name, reason="de UTF-16-tekst is beschadigd."
            ) from None
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError:
            data = data[3:]  # a BOM in front of something else (Excel does this): go on
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return utf16
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    best = from_bytes(data).best()
    if best is not None:
        return str(best), best.encoding
    return data.decode("latin-1"), "latin-1"


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 text without a BOM (Excel's "Unicode text" after an editor dropped the BOM)."""
    head = data[:UTF16_SNIFF_BYTES]
    pairs = len(head) // 2
    if pairs < 2 or len(data) % 2:
        return None
    for encoding, offset in (("utf-16-le", 1), ("utf-16-be", 0)):
        nuls = head[offset::2].count(0)
        if nuls >= UTF16_NUL_SHARE * pairs and head[1 - offset :: 2].count(0) == 0:
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError:
                return None
    return None


def _delimiter(text: str) -> str:
    """The delimiter that splits the first lines most consistently (not only the header)."""
    lines = [line for line in _head(text, SNIFF_LINES).splitlines()[:SNIFF_LINES] if line.strip()]
    if not lines:
        return ";"
    best, best_score = ";", (-1.0, 0)
    for candidate in DELIMITERS:
        counts = [_count_outside_quotes(line, candidate) for line in lines]
        if counts[0] == 0:
            continue
        agreement = sum(count == counts[0] for count in counts) / len(counts)
        score = (agreement, counts[0])
        if score > best_score:
            best, best_score = candidate, score
    return best


_QUOTED = re.compile(r'"[^"]*(?:"|$)')


def _count_outside_quotes(line: str, delimiter: str) -> int:
    """Delimiters outside quoted parts (a quote left open runs to the end of the line)."""
    if '"' in line:
        line = _QUOTED.sub("", line)
    return line.count(delimiter)


def read_csv(path: Path) -> Sheet:
    """A CSV file as one Sheet: encoding and delimiter detected, every record numbered."""
    name = str(path)
    text, encoding = decode(path.read_bytes(), name)
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
    delimiter = _delimiter(text)
    notes = []
    if encoding not in ("utf-8", "utf-8-sig"):
        notes.append(finding("encoding-fallback", file=name, value=encoding))
    cells = _parse_cells(text, delimiter, name)
    filled = cells.ne("").any(axis=1)
    if not filled.any():
        raise ToolkitError("unreadable-file", file=name, reason="het bestand is leeg.")
    search = cells.iloc[: int(filled.to_numpy().nonzero()[0][0]) + screening.HEADER_SEARCH_ROWS]
    header_index = screening.find_header(search.to_numpy().tolist()) or 0
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
    rows, screened = screen(rows, header, name, suspect)
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


def screen(
    rows: pd.DataFrame,
    header: list[str],
    file: str,
    suspect: bool,
    beyond: dict[int, int] | None = None,
    covered: frozenset[int] = frozenset(),
) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    """Control characters, absurd cells, data without a header, totals rows at the bottom.

    `covered`: columns whose missing header a merged header cell explains already.
    """
    rows, notes = screening.clean_cells(rows, header, file, suspect)
    unnamed = screening.unnamed_columns(rows, header, file, beyond)
    notes += [note for note in unnamed if _position(note["column"]) not in covered]
    rows, totals = screening.drop_totals(rows, len(header), file)
    return rows.reset_index(drop=True), notes + totals


def _position(letters: str) -> int:
    number = 0
    for char in letters:
        number = number * 26 + ord(char) - ord("A") + 1
    return number - 1


def _field_count(text: str, delimiter: str, index: int) -> int:
    """The number of fields of record `index` (trailing empty fields included); 0 if unsure.

    Read from the start of the text only, more when a record runs on: the header is near the
    top, and copying a board's whole text for it took ~40 ms per 100 MB."""
    lines = index + 2
    while True:
        head = _head(text, lines)
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


def _head(text: str, lines: int) -> str:
    """The start of `text` holding at least its first `lines` lines whole (or all of it)."""
    end = -1
    for _ in range(lines + 1):
        end = text.find("\n", end + 1)
        if end < 0:
            return text
    return text[: end + 1]


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


def restored(rows: pd.DataFrame) -> pd.DataFrame:
    """Cells without the text marker our writers put before a formula character."""
    return screening.by_cells(rows, rows.shape[1], restore)


# --- XLSX --------------------------------------------------------------------------------------


def check_zip(path: Path) -> None:
    """Refuse a workbook that is not a valid zip or that would unpack to an absurd size."""
    name = str(path)
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError):
        raise ToolkitError(
            "unreadable-file",
            file=name,
            reason="dit is geen geldig Excel-bestand (.xlsx): het is beschadigd.",
        ) from None
    unpacked = sum(member.file_size for member in members)
    packed = max(1, sum(member.compress_size for member in members))
    if unpacked > MAX_UNPACKED_BYTES or unpacked / packed > MAX_COMPRESSION_RATIO * 10:
        raise ToolkitError(
            "unreadable-file",
            file=name,
            reason=f"de werkmap zou uitpakken tot {unpacked // (1024 * 1024)} MB; dat is geen "
            "gewone export en wordt niet geopend.",
        )
    if "xl/workbook.xml" not in {member.filename for member in members}:
        raise ToolkitError(
            "unreadable-file", file=name, reason="dit zip-bestand is geen Excel-werkmap (.xlsx)."
        )


def open_own_workbook(path: Path, made_by: str, *, data_only: bool) -> Any:
    """A workbook that one of our commands wrote and a coordinator filled in, opened safely.

    `made_by` names the workbook and its command for the Dutch message (`de ingevulde werklijst
    aan zoals lwtop worklist haar maakte`). ToolkitError when it is no readable .xlsx.
    """
    from openpyxl import load_workbook

    from lwtop_toolkit.readers.files.screening import one_line

    name = str(path)
    if not path.exists():
        raise ToolkitError("unreadable-file", file=name, reason="het bestand bestaat niet.")
    if file_kind(path) != "xlsx":
        raise ToolkitError(
            "unreadable-file",
            file=name,
            reason=f"dit is geen Excel-werkmap (.xlsx). Lever {made_by}, opgeslagen als .xlsx.",
        )
    check_zip(path)  # not a zip, no workbook inside, or a zip bomb
    try:
        return load_workbook(path, read_only=True, data_only=data_only)
    except Exception as error:  # openpyxl raises many kinds on a damaged file
        raise ToolkitError(
            "unreadable-file",
            file=name,
            reason=f"de Excel-werkmap is niet te lezen ({one_line(error)}).",
        ) from None


def own_workbook_texts(workbook: Any, sheets: Sequence[str]) -> dict[str, list[list[str]]]:
    """The `sheets` of a workbook from `open_own_workbook` as rows of cell texts; closes it."""
    try:
        return {
            sheet: [
                [own_cell_text(value) for value in row]
                for row in workbook[sheet].iter_rows(values_only=True)
            ]
            for sheet in sheets
        }
    finally:
        workbook.close()


def own_cell_text(value: object) -> str:
    """A cell as the text a person sees (10.0 as `10`, a date in ISO, a tick box as ja/nee),
    without the text marker our writers put before a formula character (cellsafety.py)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return restore_value(str(value))
