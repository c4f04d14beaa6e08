"""Reading CSV and XLSX files into sheets of text cells, with the row numbers a person sees.

Shared by every tabular reader. Nothing here knows about pupils or groups: it turns bytes into
`Sheet`s (a header and rows of strings) and refuses, with a Dutch `ToolkitError`, what it cannot
read. Every cell is text: ids keep their leading zeros.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from charset_normalizer import from_bytes

from ..cellsafety import restore
from ..findings import ToolkitError, empty_findings, finding, frame
from ..model import SOURCE_ROW

CSV_SUFFIXES = frozenset({".csv", ".txt", ".tsv"})
XLSX_SUFFIXES = frozenset({".xlsx", ".xlsm"})
TABULAR_SUFFIXES = CSV_SUFFIXES | XLSX_SUFFIXES
DELIMITERS = (";", ",", "\t")
SNIFF_LINES = 50

ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls, and password-protected .xlsx
PDF_MAGIC = b"%PDF"
# A workbook that unpacks to more than this is refused before it is unpacked (a zip bomb).
MAX_UNPACKED_BYTES = 512 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200


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
        raise ToolkitError(
            "unreadable-file",
            file=name,
            reason="dit is een oud Excel-bestand (.xls) of een werkmap met een wachtwoord. "
            "Sla het in Excel op als .xlsx zonder wachtwoord, of als CSV.",
        )
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


def read_sheets(path: Path) -> list[Sheet]:
    """Every sheet of a workbook, or the one sheet of a CSV file."""
    if file_kind(path) == "xlsx":
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
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    best = from_bytes(data).best()
    if best is not None:
        return str(best), best.encoding
    return data.decode("latin-1"), "latin-1"


def _delimiter(text: str) -> str:
    """The delimiter that splits the first lines most consistently (not only the header)."""
    lines = [line for line in text.splitlines()[:SNIFF_LINES] if line.strip()]
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


def _count_outside_quotes(line: str, delimiter: str) -> int:
    count, quoted = 0, False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif char == delimiter and not quoted:
            count += 1
    return count


def read_csv(path: Path) -> Sheet:
    """A CSV file as one Sheet: encoding and delimiter detected, every record numbered."""
    name = str(path)
    text, encoding = decode(path.read_bytes(), name)
    if "\x00" in text:
        raise ToolkitError(
            "unreadable-file",
            file=name,
            reason="het bestand bevat binaire tekens (NUL): het is geen tekst- of CSV-bestand.",
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
    header_index = int(filled.to_numpy().argmax())
    header = [str(cell).strip() for cell in cells.iloc[header_index]]
    while header and not header[-1]:
        header.pop()
    width = len(header)
    body = cells.iloc[header_index + 1 :]
    body = body[filled.iloc[header_index + 1 :]]  # an empty line is no row of data
    numbers = pd.Series(body.index + 1, index=body.index)  # record i is row i + 1
    overflow = body.iloc[:, width:].ne("").any(axis=1)
    for index in body.index[overflow]:
        fields = int(body.loc[index].ne("").to_numpy().nonzero()[0].max()) + 1
        notes.append(
            finding(
                "malformed-row", file=name, row=int(numbers[index]), value=fields, expected=width
            )
        )
    body = body[~overflow]
    rows = body.iloc[:, :width].reindex(columns=range(width), fill_value="")
    rows = _restored(rows.astype("str").reset_index(drop=True))
    rows[SOURCE_ROW] = pd.array(numbers[~overflow].to_numpy(), dtype="Int64")
    return Sheet(name, path.stem, header, rows, header_index + 1, frame(notes))


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


def _restored(rows: pd.DataFrame) -> pd.DataFrame:
    """Cells without the text marker our writers put before a formula character."""
    for column in rows.columns:
        rows[column] = restore(rows[column])
    return rows


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


def _cell_text(value: object) -> str:
    """An Excel cell as the text a person sees: whole numbers without `.0`, dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "WAAR" if value else "ONWAAR"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def read_workbook(path: Path) -> list[Sheet]:
    """Every visible worksheet of an .xlsx with data, as Sheets numbered like Excel's rows."""
    from python_calamine import CalamineError, CalamineWorkbook

    name = str(path)
    check_zip(path)
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheets = []
        for meta in workbook.sheets_metadata:
            if str(meta.visible).endswith("Visible") is False:
                continue
            cells = workbook.get_sheet_by_name(meta.name).to_python(skip_empty_area=False)
            sheet = _sheet_from_cells(name, meta.name, cells)
            if sheet is not None:
                sheets.append(sheet)
    except (CalamineError, ValueError, OSError) as error:
        raise ToolkitError(
            "unreadable-file", file=name, reason=f"de Excel-werkmap is niet te lezen ({error})."
        ) from None
    if not sheets:
        raise ToolkitError("unreadable-file", file=name, reason="de werkmap heeft geen gegevens.")
    return sheets


def _sheet_from_cells(
    file: str, sheet_name: str, cells: Sequence[Sequence[object]]
) -> Sheet | None:
    texts = [[_cell_text(value) for value in row] for row in cells]
    header_index = next((i for i, row in enumerate(texts) if any(c.strip() for c in row)), None)
    if header_index is None:
        return None
    header = [cell.strip() for cell in texts[header_index]]
    while header and not header[-1]:
        header.pop()
    width = len(header)
    kept_rows, kept_numbers = [], []
    for offset, row in enumerate(texts[header_index + 1 :]):
        cells_in_width = (row + [""] * width)[:width]
        if not any(cell.strip() for cell in row):
            continue
        kept_rows.append(cells_in_width)
        kept_numbers.append(header_index + 2 + offset)
    rows = _restored(pd.DataFrame(kept_rows, columns=range(width), dtype="str"))
    rows[SOURCE_ROW] = pd.array(kept_numbers, dtype="Int64")
    label = f"{file} [{sheet_name}]"
    return Sheet(label, sheet_name, header, rows, header_index + 1)
