"""A zipped export unpacked safely into a private temporary folder, its folders kept: the one
rule for the app's uploads (ui/uploads.py) and every command that takes export paths.

Every member is checked before anything is written: no absolute paths, no `..`, no archive in an
archive, at most MAX_ZIP_MEMBERS files and MAX_TOTAL_BYTES unpacked (a zip bomb is refused by
its declared sizes and its compression ratio), so that a crafted zip cannot write elsewhere or
fill the disk. Folders, hidden files, Excel's lock files and files that are no data (a readme,
a picture) are left out. The zip's folders are kept: a board's zip holds a folder per school,
each with its own `groepen.csv`, and reads as the same board as the folder it was made from.
"""

from __future__ import annotations

import io
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path, PurePosixPath
from types import TracebackType

from lwtop_toolkit.findings import ToolkitError

# Readers accept these; `lwtop.toml` carries a school's settings for the generic reader.
ACCEPTED_SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx", ".xml", ".zip", ".toml")
# An export of a large school board is tens of MB; more than this unpacked is no export.
MAX_TOTAL_BYTES = 500 * 1024 * 1024
MAX_ZIP_MEMBERS = 2000
MAX_COMPRESSION_RATIO = 200  # checked above RATIO_FROM: a small file may compress very well
RATIO_FROM = 10 * 1024 * 1024
# Folders and files that archivers add and that are no data.
SKIPPED_PARTS = ("__MACOSX",)
SKIPPED_PREFIXES = (".", "~$")


class Budget:
    """The bytes still allowed to be unpacked or saved by one upload or one command."""

    def __init__(self, total: int = MAX_TOTAL_BYTES) -> None:
        self.left = total

    def spend(self, size: int, name: str) -> None:
        """Take `size` bytes; ToolkitError (about `name`) when the total would be too large."""
        self.left -= size
        if self.left < 0:
            raise ToolkitError("unreadable-file", file=name, reason=too_large())


def too_large() -> str:
    return (
        f"samen meer dan {MAX_TOTAL_BYTES // (1024 * 1024)} MB; dat is geen gewone export. "
        "Lees de scholen apart in."
    )


def check_members(zip_name: str, members: Sequence[zipfile.ZipInfo], budget: Budget) -> None:
    """Refuse an archive whose names escape the folder, that nests archives, or is too large
    (by the sizes its members declare, before anything is unpacked)."""
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
    if unpacked > budget.left or (
        unpacked > RATIO_FROM and unpacked / packed > MAX_COMPRESSION_RATIO
    ):
        raise ToolkitError("unreadable-file", file=zip_name, reason=too_large())


def member_path(filename: str) -> PurePosixPath | None:
    """Where a member goes below the folder it is unpacked into; None for a member that is no
    data (a folder of the archiver's, a hidden file, a lock file, a readme or a picture)."""
    parts = PurePosixPath(filename.replace("\\", "/")).parts
    if not parts or any(part in SKIPPED_PARTS for part in parts):
        return None
    if any(part.startswith(SKIPPED_PREFIXES) for part in parts):
        return None
    if PurePosixPath(parts[-1]).suffix.lower() not in ACCEPTED_SUFFIXES:
        return None
    return PurePosixPath(*parts)


def unpack(zip_name: str, source: bytes | Path, folder: Path, budget: Budget) -> list[Path]:
    """Unpack the zip `source` (its bytes, or a file) into `folder`, its folders kept; returns
    the files written. `zip_name` names the zip in a refusal. ToolkitError for a zip that is
    none, unsafe, too large, damaged or encrypted, holds two files of one name (case aside) or
    no data at all."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source)
    except (zipfile.BadZipFile, OSError):
        raise ToolkitError(
            "unreadable-file", file=zip_name, reason="dit is geen geldig zip-bestand."
        ) from None
    written: dict[str, Path] = {}
    with archive:
        members = [member for member in archive.infolist() if not member.is_dir()]
        check_members(zip_name, members, budget)
        for member in members:
            relative = member_path(member.filename)
            if relative is None:
                continue
            inner = f"{zip_name}/{member.filename}"
            key = relative.as_posix().lower()
            if key in written:
                raise ToolkitError(
                    "unreadable-file",
                    file=inner,
                    reason=f"er zijn twee bestanden met de naam '{relative.as_posix()}'. Geef "
                    "elk bestand een eigen naam, of lees ze apart in.",
                )
            try:
                content = archive.read(member)
            except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError):
                raise ToolkitError(
                    "unreadable-file",
                    file=inner,
                    reason="dit bestand in het zip-bestand is beschadigd of versleuteld.",
                ) from None
            budget.spend(len(content), zip_name)
            path = folder.joinpath(*relative.parts)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
            written[key] = path
    if not written:
        raise ToolkitError(
            "unreadable-file",
            file=zip_name,
            reason="het zip-bestand bevat geen CSV-, Excel- of XML-bestanden.",
        )
    return sorted(written.values())


def export_root(folder: Path) -> Path:
    """The export in an unpacked folder: down through folders that hold one folder and nothing
    else (a zip of `2026-2027/` is that folder; a board's zip stops at its school folders)."""
    while True:
        children = [
            child for child in folder.iterdir() if not child.name.startswith(SKIPPED_PREFIXES)
        ]
        if len(children) != 1 or not children[0].is_dir():
            return folder
        folder = children[0]


def is_zip(path: Path) -> bool:
    """A zip file given as (part of) an export: named `.zip`."""
    return path.suffix.lower() == ".zip" and path.is_file()


class Unpacked:
    """Zipped exports unpacked for the length of a `with` block, into a private temporary
    folder that is removed at its end (also after an error).

    Each zip goes into a folder of its own named as the zip (`<tmp>/1/export.zip/...`), so that
    `readable` can name an unpacked file as the path into the zip the user gave
    (`exports/export.zip/42AH/groepen.csv`), never by the temporary folder. One budget covers
    every zip of the block.
    """

    def __init__(self, budget: Budget | None = None) -> None:
        self.budget = budget or Budget()
        self._folder: tempfile.TemporaryDirectory[str] | None = None
        self._shown: list[tuple[str, str]] = []  # (unpacked folder, the zip as given)

    def __enter__(self) -> Unpacked:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._folder is not None:
            self._folder.cleanup()
            self._folder = None

    def export(self, zip_path: Path) -> Path:
        """Unpack `zip_path`; the folder of the export it holds (`export_root`)."""
        if self._folder is None:
            self._folder = tempfile.TemporaryDirectory(prefix="lwtop_zip_")
        target = Path(self._folder.name) / str(len(self._shown) + 1) / zip_path.name
        target.mkdir(parents=True)
        try:
            unpack(str(zip_path), zip_path, target, self.budget)
        except BaseException:
            shutil.rmtree(target.parent, ignore_errors=True)
            raise
        self._shown.append((str(target), str(zip_path)))
        return export_root(target)

    def exports(
        self, paths: Sequence[Path], keep: Callable[[Path], bool] = lambda path: False
    ) -> list[Path]:
        """`paths` with each zip among them (but those `keep` keeps as they are) unpacked."""
        return [self.export(path) if is_zip(path) and not keep(path) else path for path in paths]

    def readable(self, text: str) -> str:
        """`text` with every unpacked folder named as the zip it came from."""
        for unpacked, given in self._shown:
            text = text.replace(unpacked, given)
        return text


__all__ = [
    "ACCEPTED_SUFFIXES",
    "MAX_COMPRESSION_RATIO",
    "MAX_TOTAL_BYTES",
    "MAX_ZIP_MEMBERS",
    "Budget",
    "Unpacked",
    "check_members",
    "export_root",
    "is_zip",
    "member_path",
    "too_large",
    "unpack",
]
