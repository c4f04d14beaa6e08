"""What a workbook hides: the hidden rows of each worksheet, read from the sheet's XML.

python-calamine gives the cells but not whether a row is hidden (by hand, by a filter or by a
collapsed outline). A hidden row is read like any other, so that nothing is lost, but a person
who looked at the sheet did not see it: xlsx.py reports it. The sheet XML is scanned for
`<row>` start tags only, in chunks, without expanding anything.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from pathlib import Path
from typing import IO

from lxml import etree

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_ROW = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?row(?=[\s/>])([^>]*)>")
_NUMBER = re.compile(rb'\br\s*=\s*["\'](\d+)["\']')
_HIDDEN = re.compile(rb'\bhidden\s*=\s*["\'](?:1|true)["\']')
CHUNK = 1 << 20
# A row's start tag is a few hundred bytes; a longer unfinished tag is skipped, not carried.
MAX_TAG = 64 * 1024


def sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """{sheet name: the member holding its XML}, from the workbook and its relationships."""
    try:
        book = etree.fromstring(archive.read("xl/workbook.xml"), _PARSER)
        rels = etree.fromstring(archive.read("xl/_rels/workbook.xml.rels"), _PARSER)
    except (KeyError, etree.XMLSyntaxError, ValueError):
        return {}
    targets = {rel.get("Id"): rel.get("Target") or "" for rel in rels}
    parts = {}
    for sheet in book.iter("{*}sheet"):
        target = targets.get(sheet.get(_REL), "")
        if not target:
            continue
        member = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
        parts[sheet.get("name") or ""] = posixpath.normpath(member)
    return parts


def _hidden_in(stream: IO[bytes]) -> set[int]:
    """The hidden rows of one sheet's XML, read in chunks in one pass.

    Only the start tags of rows are looked at; what a chunk leaves unfinished is carried into
    the next from its last `<` only (a tag holds no `<`), and a tag longer than `MAX_TAG` is no
    row of a worksheet: it is skipped up to its `>`. So every byte is looked at a bounded number
    of times, and memory stays at a chunk, whatever the file holds (a run of megabytes without
    `>` made this quadratic when the whole unfinished rest was carried along).
    """
    hidden: set[int] = set()
    number, tail, skipping = 0, b"", False
    while True:
        chunk = stream.read(CHUNK)
        data = tail + chunk  # the tail is at most MAX_TAG bytes
        start = 0
        if skipping:  # inside a tag too long to be a row: it ends at the next `>`
            close = data.find(b">")
            if close < 0:
                if not chunk:
                    return hidden
                tail = b""
                continue
            start, skipping = close + 1, False
        end = data.rfind(b">", start) + 1 if chunk else len(data)
        end = max(end, start)
        for match in _ROW.finditer(data, start, end):
            attributes = match[1]
            given = _NUMBER.search(attributes)
            number = int(given[1]) if given else number + 1
            if _HIDDEN.search(attributes):
                hidden.add(number)
        if not chunk:
            return hidden
        opened = data.rfind(b"<", end)
        tail = data[opened:] if opened >= 0 else b""
        if len(tail) > MAX_TAG:
            tail, skipping = b"", True


def hidden_rows(path: Path, sheets: list[str]) -> dict[str, set[int]]:
    """{sheet name: its hidden row numbers (as Excel numbers them)} for the named sheets.

    Never raises: a workbook whose parts cannot be found simply reports no hidden rows (the
    cells were read by calamine already; this only adds findings).
    """
    found: dict[str, set[int]] = {}
    try:
        with zipfile.ZipFile(path) as archive:
            parts = sheet_parts(archive)
            for name in sheets:
                member = parts.get(name)
                if member is None:
                    continue
                with archive.open(member) as stream:
                    rows = _hidden_in(stream)
                if rows:
                    found[name] = rows
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, EOFError):
        return found
    return found
