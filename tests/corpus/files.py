"""Byte builders for the corpus: CSV text, workbooks, a zip bomb, a CFB container, EDEXML.

Everything here is synthetic and written by code; nothing is copied from a real export.
"""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path

from openpyxl import Workbook

# A small, clean pupil list as any LAS writes it (the generic reader reads it).
HEADER: tuple[str, ...] = (
    "Leerlingnummer",
    "Achternaam",
    "Roepnaam",
    "Geboortedatum",
    "Geslacht",
    "Groep",
    "Jaargroep",
)
PUPILS: tuple[tuple[str, ...], ...] = (
    ("1001", "Jansen", "Anna", "12-03-2018", "V", "3A", "3"),
    ("1002", "de Vries", "Bram", "01-07-2017", "M", "4B", "4"),
    ("1003", "Öztürk", "Elif", "23-11-2018", "V", "3A", "3"),
    ("1004", "Bakker", "Daan", "05-05-2017", "M", "4B", "4"),
)
# `lwtop.toml` beside the corpus: the BRIN and school year a pupil list does not say itself.
SETTINGS = 'brin = "99ZZ"\nschooljaar = "2026-2027"\n'

Rows = Sequence[Sequence[object]]


def csv_text(rows: Rows, *, delimiter: str = ";", line_end: str = "\r\n") -> str:
    """Rows as CSV text; a cell holding the delimiter, a quote or a newline is quoted."""
    out = []
    for row in rows:
        cells = []
        for value in row:
            text = "" if value is None else str(value)
            if any(char in text for char in (delimiter, '"', "\n", "\r")):
                text = '"' + text.replace('"', '""') + '"'
            cells.append(text)
        out.append(delimiter.join(cells) + line_end)
    return "".join(out)


def pupil_rows(*, header: Sequence[str] = HEADER, pupils: Rows = PUPILS) -> list[list[object]]:
    return [list(header), *[list(pupil) for pupil in pupils]]


def workbook(
    rows: Rows, *, prepare: Callable[[object], None] | None = None, title: str = "Leerlingen"
) -> bytes:
    """A one-sheet workbook of `rows` (from A1; None leaves a cell empty); `prepare(sheet)`
    may merge, hide or add before saving."""
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for number, row in enumerate(rows, start=1):
        for column, value in enumerate(row, start=1):
            if value is not None and value != "":
                cell = sheet.cell(row=number, column=column, value=value)
                if isinstance(value, str) and not value.startswith("="):
                    cell.data_type = "s"
    if prepare is not None:
        prepare(book)
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


# --- zip containers written by hand ----------------------------------------------------------

SPACES = b" " * (1 << 20)
BOMB_CHUNKS = 2048  # 2048 x 1 MiB of spaces: the sheet unpacks to 2 GiB
BOMB_CRC = 0x51CDE36F  # crc32 of 2 GiB of spaces (computed once; a valid member, not a lie)


def deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush()


def raw_zip(members: Sequence[tuple[str, bytes, int, int]]) -> bytes:
    """A zip of (name, deflated bytes, crc32, unpacked size) members, built by hand."""
    out, central = io.BytesIO(), io.BytesIO()
    for name, packed, crc, size in members:
        encoded = name.encode()
        offset = out.tell()
        fields = (20, 0, 8, 0, 0x21, crc, len(packed), size, len(encoded), 0)
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, *fields) + encoded + packed)
        central.write(
            struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, *fields, 0, 0, 0, 0, offset) + encoded
        )
    directory = central.getvalue()
    count = len(members)
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(directory), out.tell(), 0)
    return out.getvalue() + directory + end


def zip_of(members: dict[str, bytes]) -> bytes:
    """A zip of `members` ({name: bytes}), deflated: another program's document."""
    return raw_zip([(name, deflate(data), zlib.crc32(data), len(data))
                    for name, data in members.items()])  # fmt: skip


def zip_bomb() -> bytes:
    """A workbook whose sheet unpacks to 2 GiB (about 2 MB on disk): a real deflate stream."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = packer.compress(SPACES) + packer.flush(zlib.Z_FULL_FLUSH)
    sheet = block * BOMB_CHUNKS + b"\x03\x00"  # an empty final block closes the stream
    small = {
        "[Content_Types].xml": b'<?xml version="1.0"?><Types/>',
        "xl/workbook.xml": b'<?xml version="1.0"?><workbook/>',
    }
    members = [(name, deflate(data), zlib.crc32(data), len(data)) for name, data in small.items()]
    members.append(("xl/worksheets/sheet1.xml", sheet, BOMB_CRC, BOMB_CHUNKS * len(SPACES)))
    return raw_zip(members)


def cfb(stream_names: Sequence[str]) -> bytes:
    """The start of an OLE2/CFB compound file (what Excel writes for .xls and for a workbook
    with a password): the header sector and a directory sector naming `stream_names`."""
    header = bytearray(512)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    directory = bytearray(512)
    for index, name in enumerate(stream_names[:4]):
        encoded = (name + "\0").encode("utf-16-le")
        struct.pack_into(f"<{len(encoded)}sH", directory, index * 128, encoded, len(encoded))
    return bytes(header) + bytes(directory) + bytes(512)


# --- EDEXML -----------------------------------------------------------------------------------

EDEX_SCHOOL = (
    "<school><schooljaar>2026-2027</schooljaar><brincode>99ZZ</brincode>"
    "<dependancecode>00</dependancecode><aanmaakdatum>2026-09-01T09:00:00</aanmaakdatum>"
    "<xsdversie>2.1</xsdversie></school>"
)
EDEX_GROUPS = '<groepen><groep key="G3"><naam>3A</naam><jaargroep>3</jaargroep></groep></groepen>'


def edex_pupil(key: str, achternaam: str, extra: str = "") -> str:
    return (
        f'<leerling key="{key}"><achternaam>{achternaam}</achternaam><roepnaam>Sem</roepnaam>'
        "<geboortedatum>2018-05-04</geboortedatum><geslacht>1</geslacht>"
        f'<jaargroep>3</jaargroep><groep key="G3"/>{extra}</leerling>'
    )


def edex(
    pupils: Sequence[str] = (),
    *,
    prolog: str = '<?xml version="1.0" encoding="UTF-8"?>\n',
    before_root: str = "",
) -> str:
    """An EDEXML document, one element per line (line numbers are element lines)."""
    pupils = pupils or [edex_pupil("001", "Jansen"), edex_pupil("002", "Bakker")]
    body = "\n".join(pupils)
    return (
        f"{prolog}{before_root}<EDEX>\n{EDEX_SCHOOL}\n{EDEX_GROUPS}\n<leerlingen>\n{body}\n"
        "</leerlingen>\n</EDEX>\n"
    )


def write(path: Path, data: bytes | str, encoding: str = "utf-8") -> None:
    path.write_bytes(data if isinstance(data, bytes) else data.encode(encoding))


def crc(data: bytes) -> int:
    return zlib.crc32(data)


def lying_zip_bomb() -> bytes:
    """A real workbook whose sheet member says it is small but inflates to 2 GiB: the header
    check cannot see it; the unpacking must stop at the declared size."""
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(workbook(pupil_rows())))
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = packer.compress(SPACES) + packer.flush(zlib.Z_FULL_FLUSH)
    members = []
    for info in source.infolist():
        raw = source.read(info.filename)
        packed = deflate(raw)
        if info.filename == "xl/worksheets/sheet1.xml":
            packed = block * BOMB_CHUNKS + packed  # the declared size and crc stay the real ones
        members.append((info.filename, packed, zlib.crc32(raw), len(raw)))
    return raw_zip(members)
