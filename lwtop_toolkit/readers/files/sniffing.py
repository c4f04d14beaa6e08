"""What a file is before it is read: its kind from its first bytes, a workbook's safety, a text's
encoding and a CSV's delimiter. Refusals are a Dutch `ToolkitError`."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from charset_normalizer import from_bytes

from lwtop_toolkit.findings import ToolkitError
from lwtop_toolkit.readers.files import formats

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
# UTF-16 without a BOM: (nearly) every other byte of the start is NUL.
UTF16_SNIFF_BYTES = 400
UTF16_NUL_SHARE = 0.9


def file_kind(path: Path) -> str:
    """`csv` or `xlsx`, from the file's first bytes (its name can lie); ToolkitError otherwise:
    empty, a PDF, an old .xls, a workbook with a password, or a format we do not read (JSON,
    XML that is no EDEXML, HTML, ODS, Numbers, Word, an image, an archive: formats.py)."""
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
    formats.check_binary(path, head)
    if head.startswith(ZIP_MAGIC):
        formats.check_zip_kind(path)
        return "xlsx"
    if path.suffix.lower() in XLSX_SUFFIXES:
        raise ToolkitError(
            "unreadable-file",
            file=name,
            reason="dit is geen geldig Excel-bestand (.xlsx). Sla het opnieuw op in Excel.",
        )
    formats.check_text(path)
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
    if "WordDocument".encode("utf-16-le") in head:
        return (
            "dit is een Word-document (.doc), geen CSV- of Excel-bestand. " + formats.EXPORT_INSTEAD
        )
    if "EncryptedPackage".encode("utf-16-le") in head:
        return (
            "de werkmap is beveiligd met een wachtwoord. Open haar in Excel, haal het wachtwoord "
            "weg (Bestand > Info > Werkmap beveiligen) en sla haar op als .xlsx, of als CSV."
        )
    return (
        "dit is een oud Excel-bestand (.xls) of een werkmap met een wachtwoord. Sla het in "
        "Excel op als .xlsx zonder wachtwoord, of als CSV."
    )


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


def delimiter(text: str) -> str:
    """The delimiter that splits the first lines most consistently (not only the header)."""
    head = first_lines(text, SNIFF_LINES)
    lines = [line for line in head.splitlines()[:SNIFF_LINES] if line.strip()]
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


def first_lines(text: str, lines: int) -> str:
    """The start of `text` holding at least its first `lines` lines whole (or all of it)."""
    end = -1
    for _ in range(lines + 1):
        end = text.find("\n", end + 1)
        if end < 0:
            return text
    return text[: end + 1]
