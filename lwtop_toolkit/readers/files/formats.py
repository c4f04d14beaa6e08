"""Formats we do not read, told by their first bytes (a zip's member names, a text's first
characters), each refused with one Dutch line that names the format and says what to export
instead. sniffing.file_kind asks here before a file is read as CSV or as a workbook."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from lwtop_toolkit.findings import ToolkitError

EXPORT_INSTEAD = "Exporteer de lijst uit het LAS als CSV of als Excel-werkmap (.xlsx)."
SAVE_AS_XLSX = "Open het en sla het op als Excel-werkmap (.xlsx) of als CSV."
TEXT_SNIFF_BYTES = 4096
JSON_SUFFIXES = frozenset({".json", ".jsonl", ".ndjson", ".geojson"})
NOT_DELIMITED_SUFFIXES = frozenset({".csv", ".tsv"})  # a .csv is read as one, whatever it holds
# Binary formats by their first bytes: (magic, what it is).
MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG", "een afbeelding (PNG)"),
    (b"\xff\xd8\xff", "een afbeelding (JPEG)"),
    (b"GIF8", "een afbeelding (GIF)"),
    (b"\x1f\x8b", "een gecomprimeerd archief (gzip)"),
    (b"7z\xbc\xaf\x27\x1c", "een gecomprimeerd archief (7-Zip)"),
    (b"Rar!", "een gecomprimeerd archief (RAR)"),
)
OPENDOCUMENT = "application/vnd.oasis.opendocument."
_JSON_START = re.compile(r"^(?:\{\s*(?:\"|\})|\[\s*(?:\{|\[|\"|\]))")
_XML_ROOT = re.compile(r"<([A-Za-z_][\w.\-]*(?::[A-Za-z_][\w.\-]*)?)[\s/>]")
_COMMENT = re.compile(r"<!--.*?-->|<\?.*?\?>|<!DOCTYPE[^>]*>", re.DOTALL | re.IGNORECASE)


def refuse(
    path: Path, what: str, advice: str, unlike: str = "geen CSV- of Excel-bestand"
) -> ToolkitError:
    """The refusal of a file that is `what` ("een JSON-bestand"), `unlike` what we read, with
    `advice`."""
    return ToolkitError(
        "unreadable-file", file=str(path), reason=f"dit is {what}, {unlike}. {advice}"
    )


def check_binary(path: Path, head: bytes) -> None:
    """Refuse an image or a compressed archive by its first bytes."""
    for magic, what in MAGIC:
        if head.startswith(magic):
            advice = "Pak het uit en lees de bestanden erin." if "archief" in what else ""
            raise refuse(path, what, advice or EXPORT_INSTEAD)


def check_zip_kind(path: Path) -> None:
    """Refuse a zip that is another program's document (ODS, Numbers, Word, .xlsb) or a plain
    zip archive; a workbook, or a zip too damaged to tell, passes (check_zip judges it)."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            mimetype = _small_member(archive, "mimetype") if "mimetype" in names else ""
    except (zipfile.BadZipFile, OSError, RuntimeError, ValueError):
        return
    if "xl/workbook.xml" in names:
        return
    if "xl/workbook.bin" in names:
        raise refuse(path, "een binaire Excel-werkmap (.xlsb)", SAVE_AS_XLSX,
                     "geen gewone werkmap (.xlsx) of CSV-bestand")  # fmt: skip
    if mimetype.startswith(OPENDOCUMENT + "spreadsheet"):
        raise refuse(path, "een OpenDocument-rekenblad (.ods, LibreOffice of OpenOffice)",
                     "Open het in LibreOffice en sla het op als Excel-werkmap (.xlsx) of als "
                     "CSV (Bestand > Opslaan als).")  # fmt: skip
    if mimetype.startswith(OPENDOCUMENT):
        raise refuse(path, "een OpenDocument-document (LibreOffice of OpenOffice)", EXPORT_INSTEAD)
    if any(name.startswith("Index/") and name.endswith(".iwa") for name in names):
        raise refuse(path, "een Apple Numbers-bestand",
                     "Exporteer het in Numbers naar Excel (.xlsx) of CSV (Archief > "
                     "Exporteer naar).")  # fmt: skip
    if "word/document.xml" in names:
        raise refuse(path, "een Word-document (.docx)", EXPORT_INSTEAD)
    if "ppt/presentation.xml" in names:
        raise refuse(path, "een PowerPoint-presentatie (.pptx)", EXPORT_INSTEAD)
    if path.suffix.lower() == ".zip":
        raise refuse(path, "een zip-archief", "Pak het uit en lees de bestanden erin.")


def _small_member(archive: zipfile.ZipFile, name: str) -> str:
    with archive.open(name) as member:
        return member.read(200).decode("ascii", "replace").strip()


def check_text(path: Path) -> None:
    """Refuse a text file that is JSON, HTML, RTF or XML: no list we can read as CSV."""
    with path.open("rb") as handle:
        data = handle.read(TEXT_SNIFF_BYTES)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", "replace")
    else:
        text = data.decode("utf-8", "replace")
    text = text.lstrip("\ufeff \t\r\n")
    lower = text.lower()
    if lower.startswith("{\\rtf"):
        raise refuse(path, "een RTF-document (uit een tekstverwerker)", EXPORT_INSTEAD)
    if path.suffix.lower() in JSON_SUFFIXES or _JSON_START.match(text):
        raise refuse(path, "een JSON-bestand", EXPORT_INSTEAD)
    first = text.split("\n", 1)[0]
    if not text.startswith(("<?xml", "<!")) and (not text.startswith("<") or ";" in first):
        return  # no markup (a list whose first cell begins with `<` has its delimiter)
    if "urn:schemas-microsoft-com:office:spreadsheet" in lower or 'progid="excel.sheet"' in lower:
        raise refuse(path, "een Excel 2003 XML-werkmap (XML-spreadsheet)",
                     "Open het in Excel en sla het op als Excel-werkmap (.xlsx).")  # fmt: skip
    if lower.startswith(("<!doctype html", "<html")) or "<table" in lower:
        raise refuse(path, "een webpagina (HTML)",
                     "Open het in Excel en sla het op als Excel-werkmap (.xlsx), of exporteer "
                     "de lijst uit het LAS als CSV.")  # fmt: skip
    root = _XML_ROOT.search(_COMMENT.sub("", text))
    name = root[1].rpartition(":")[2] if root else ""
    if name in ("EDEX", "leerlinggegevens") or (name == "Envelope" and "leerlinggegevens" in lower):
        advice = "Lees het apart van andere bestanden in, zo nodig met --format edexml."
        raise refuse(path, "een EDEXML- of UWLR-export (XML)", advice)
    shown = f" (<{name}>)" if name else ""
    raise refuse(path, f"een XML-bestand{shown}",
                 "Exporteer uit het LAS een EDEXML-bestand, of de lijst als CSV of als "
                 "Excel-werkmap (.xlsx).",
                 "geen EDEXML- of UWLR-export en geen CSV- of Excel-bestand")  # fmt: skip


def check_delimited(path: Path, lines: list[str]) -> None:
    """Refuse plain text without columns: none of the first lines has a delimiter (a `.csv`
    or `.tsv` is read all the same: one column, and its reader says what is missing)."""
    if path.suffix.lower() in NOT_DELIMITED_SUFFIXES:
        return
    if any(delimiter in line for line in lines for delimiter in (";", ",", "\t")):
        return
    raise refuse(path, "platte tekst zonder kolommen (geen regel heeft een ; , of tab)",
                 EXPORT_INSTEAD)  # fmt: skip
