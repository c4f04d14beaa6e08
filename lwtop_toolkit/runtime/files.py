"""How every writer puts bytes on disk: deterministic zips and workbooks, atomic replacement."""

from __future__ import annotations

import datetime as dt
import errno
import io
import os
import tempfile
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from lwtop_toolkit.findings import ToolkitError

if TYPE_CHECKING:
    from openpyxl import Workbook

# Fixed timestamps, so that the same input gives the same bytes whatever the clock says.
FIXED_CREATED = dt.datetime(2000, 1, 1)
FIXED_ZIP_TIME = (2000, 1, 1, 0, 0, 0)


# Members that are compressed already (a workbook is a zip): stored, not deflated again.
COMPRESSED_SUFFIXES = (".xlsx", ".zip", ".png")


def zip_bytes(entries: Mapping[str, bytes], *, level: int = 6) -> bytes:
    """A zip of `entries`, sorted by name, with fixed timestamps and permissions."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name in sorted(entries):
            member = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
            compressed = name.lower().endswith(COMPRESSED_SUFFIXES)
            member.compress_type = zipfile.ZIP_STORED if compressed else zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            archive.writestr(member, entries[name], compresslevel=level)
    return out.getvalue()


def fixed_zip(data: bytes) -> bytes:
    """The same zip (member order kept) with fixed member timestamps."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = info.external_attr
            target.writestr(member, source.read(info.filename))
    return out.getvalue()


def workbook_bytes(workbook: Workbook) -> bytes:
    """An openpyxl workbook as .xlsx bytes that do not depend on the clock."""
    from openpyxl.writer.excel import ExcelWriter  # here: a run without workbooks starts faster

    workbook.properties.created = FIXED_CREATED
    workbook.properties.modified = FIXED_CREATED
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        # ExcelWriter directly: `Workbook.save` would stamp the current time as `modified`.
        ExcelWriter(workbook, archive).write_data()
    return fixed_zip(raw.getvalue())


def write_atomically(path: Path, data: bytes) -> Path:
    """Write `data` to `path` through a temporary file in the same folder and a rename.

    An interrupted run leaves the old file (or none), never a half-written one, and no
    temporary file. A file that cannot be written is a ToolkitError (`output-not-writable`).
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(
            prefix=f".{path.name}.", suffix=".tmp", dir=path.parent
        )
    except OSError as error:
        raise not_writable(path, error) from error
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException as error:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise not_writable(path, error) from error
        raise
    return path


# Why a file could not be written, in Dutch, for the errors people meet.
_WRITE_ERRORS: dict[int, str] = {
    errno.ENOSPC: "de schijf is vol",
    errno.EACCES: "er is geen toestemming om hier te schrijven",
    errno.EPERM: "er is geen toestemming om hier te schrijven",
    errno.EROFS: "de schijf is alleen-lezen",
    errno.ENOTDIR: "een deel van het pad is een bestand, geen map",
    errno.EEXIST: "een deel van het pad is een bestand, geen map",
    errno.EISDIR: "er staat een map met die naam",
}


# What to do about it: only a file that may be open elsewhere is asked about Excel.
OPEN_ELSEWHERE = (
    "Is het nog geopend in Excel, of bestaat de map niet? Sluit het bestand of kies een andere "
    "plek."
)
_WRITE_ADVICE: dict[int, str] = {
    errno.ENOSPC: "Maak ruimte vrij of kies een andere schijf.",
    errno.EACCES: "Is het nog geopend in Excel? Sluit het, of kies een plek waar u mag schrijven.",
    errno.EPERM: "Is het nog geopend in Excel? Sluit het, of kies een plek waar u mag schrijven.",
    errno.EROFS: "Kies een plek op een andere schijf.",
    errno.ENOTDIR: "Kies een pad waarvan elk deel vóór de bestandsnaam een map is.",
    errno.EEXIST: "Kies een pad waarvan elk deel vóór de bestandsnaam een map is.",
    errno.EISDIR: "Geef een bestandsnaam op, geen map (bijvoorbeeld map/bestand.xlsx).",
    errno.ENOENT: "Bestaat de map? Maak haar aan of kies een andere plek.",
}


def not_writable(path: Path | str, error: OSError) -> ToolkitError:
    """The Dutch `output-not-writable` error for `path`: why (the OS's reason in Dutch, where
    people meet it) and what to do about that reason."""
    number = error.errno or 0
    reason = _WRITE_ERRORS.get(number) or error.strerror or str(error)
    advice = _WRITE_ADVICE.get(number, OPEN_ELSEWHERE)
    return ToolkitError("output-not-writable", file=str(path), reason=reason, advice=advice)
