"""Uploaded files into a private temporary folder: names made safe, zip files unpacked safely.

A browser upload arrives as a tuple of dicts (`name`, `type`, `size`, `content`, ...). Each
file is written under its own name (no folders) into a folder the session removes again; a
`.zip` is unpacked there after checking every member: no absolute paths, no `..`, no archive in
an archive, and a limit on the total size, so that a crafted zip cannot write elsewhere or
fill the disk.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path, PurePosixPath
from typing import Any

from lwtop_toolkit.findings import ToolkitError

# Readers accept these; `lwtop.toml` carries a school's settings for the generic reader.
ACCEPTED_SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx", ".xml", ".zip", ".toml")
ACCEPT = ",".join(ACCEPTED_SUFFIXES)
# An export of a large school board is tens of MB; more than this unpacked is no export.
MAX_TOTAL_BYTES = 500 * 1024 * 1024
MAX_ZIP_MEMBERS = 2000
MAX_COMPRESSION_RATIO = 200  # checked above RATIO_FROM: a small file may compress very well
RATIO_FROM = 10 * 1024 * 1024
# Folders and files that archivers add and that are no data.
SKIPPED_PARTS = ("__MACOSX",)


def upload_items(value: Iterable[Mapping[str, Any]]) -> list[tuple[str, bytes]]:
    """(name, bytes) of each uploaded file of a `FileUpload.value`."""
    return [(str(item["name"]), bytes(item["content"])) for item in value]


def safe_name(name: str, *, where: str = "") -> str:
    """The bare file name of an uploaded or zipped file; ToolkitError when there is none."""
    bare = PurePosixPath(name.replace("\\", "/")).name
    if bare in ("", ".", "..") or bare != bare.strip() or "\x00" in bare:
        raise ToolkitError("unreadable-file", file=where or name, reason="ongeldige bestandsnaam.")
    return bare


def save_uploads(items: Iterable[tuple[str, bytes]], folder: Path) -> list[Path]:
    """Write the uploaded files into `folder`, unpacking zip files; returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    budget = MAX_TOTAL_BYTES
    for name, data in items:
        bare = safe_name(name)
        suffix = Path(bare).suffix.lower()
        if suffix not in ACCEPTED_SUFFIXES:
            raise ToolkitError(
                "unreadable-file",
                file=bare,
                reason="dit soort bestand wordt niet ingelezen; kies CSV-, Excel- (.xlsx), XML- "
                "of zip-bestanden.",
            )
        if suffix == ".zip":
            budget -= _unpack(bare, data, folder, written, budget)
        else:
            budget -= len(data)
            _write(folder, bare, data, written, origin=bare)
        if budget < 0:
            raise ToolkitError("unreadable-file", file=bare, reason=_too_large())
    return sorted(written.values())


def _too_large() -> str:
    return (
        f"samen meer dan {MAX_TOTAL_BYTES // (1024 * 1024)} MB; dat is geen gewone export. "
        "Lees de scholen apart in."
    )


def _write(folder: Path, name: str, data: bytes, written: dict[str, Path], *, origin: str) -> None:
    key = name.lower()
    if key in written:
        raise ToolkitError(
            "unreadable-file",
            file=origin,
            reason=f"er zijn twee bestanden met de naam '{name}'. Geef elk bestand een eigen "
            "naam, of lees ze apart in.",
        )
    path = folder / name
    path.write_bytes(data)
    written[key] = path


def _unpack(zip_name: str, data: bytes, folder: Path, written: dict[str, Path], budget: int) -> int:
    """Unpack `data` into `folder` (flat); returns the bytes written."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ToolkitError(
            "unreadable-file", file=zip_name, reason="dit is geen geldig zip-bestand."
        ) from None
    with archive:
        members = [member for member in archive.infolist() if not member.is_dir()]
        _check_members(zip_name, members, budget)
        total = 0
        for member in members:
            parts = PurePosixPath(member.filename.replace("\\", "/")).parts
            bare = parts[-1]
            if any(part in SKIPPED_PARTS for part in parts) or bare.startswith((".", "~$")):
                continue
            if Path(bare).suffix.lower() not in ACCEPTED_SUFFIXES or bare.lower().endswith(".zip"):
                continue  # a readme or picture beside the export: not data
            try:
                content = archive.read(member)
            except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError):
                raise ToolkitError(
                    "unreadable-file",
                    file=f"{zip_name}/{member.filename}",
                    reason="dit bestand in het zip-bestand is beschadigd of versleuteld.",
                ) from None
            total += len(content)
            _write(folder, bare, content, written, origin=f"{zip_name}/{member.filename}")
    if total == 0:
        raise ToolkitError(
            "unreadable-file",
            file=zip_name,
            reason="het zip-bestand bevat geen CSV-, Excel- of XML-bestanden.",
        )
    return total


def _check_members(zip_name: str, members: list[zipfile.ZipInfo], budget: int) -> None:
    """Refuse an archive whose names escape the folder, that nests archives, or is too large."""
    if len(members) > MAX_ZIP_MEMBERS:
        raise ToolkitError(
            "unreadable-file",
            file=zip_name,
            reason=f"het zip-bestand bevat meer dan {MAX_ZIP_MEMBERS} bestanden.",
        )
    for member in members:
        name = member.filename.replace("\\", "/")
        parts = PurePosixPath(name).parts
        absolute = name.startswith("/") or (len(name) > 1 and name[1] == ":")
        if absolute or ".." in parts:
            raise ToolkitError(
                "unreadable-file",
                file=zip_name,
                reason=f"het zip-bestand bevat een bestand met een pad buiten de map "
                f"('{member.filename}'); zo'n zip-bestand wordt niet uitgepakt.",
            )
        if name.lower().endswith(".zip"):
            raise ToolkitError(
                "unreadable-file",
                file=zip_name,
                reason=f"het zip-bestand bevat zelf een zip-bestand ('{member.filename}'); pak "
                "dat eerst uit.",
            )
    unpacked = sum(member.file_size for member in members)
    packed = max(1, sum(member.compress_size for member in members))
    if unpacked > budget or (unpacked > RATIO_FROM and unpacked / packed > MAX_COMPRESSION_RATIO):
        raise ToolkitError("unreadable-file", file=zip_name, reason=_too_large())
