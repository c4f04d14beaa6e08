"""Merged cells of a worksheet, read as a person sees them.

People merge a group cell over the block of pupils in that group, and Excel shows the value in
every row of the block; the file holds it in the block's first cell only. Among the data, the
value a merged range shows is carried into every row it covers (its first column), with one
`merged-cells` finding per column that names the ranges, so no pupil silently loses its group. A
merged range wider than one column leaves its other columns empty (`merged-cells-across`: they
have a header of their own and Excel shows them empty too). A merged header cell over columns
with data is `merged-header` (those columns have no name and are not read). Nothing here knows
pupils or groups.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from lwtop_toolkit.findings import finding
from lwtop_toolkit.readers.files.screening import column_letter, preview

# ((top, left), (bottom, right)), 0-based and inclusive, as python-calamine gives them.
Range = tuple[tuple[int, int], tuple[int, int]]
SHOWN_RANGES = 5  # ranges named in one finding; the rest are counted


def _cells(top: int, left: int, bottom: int, right: int) -> str:
    return f"{column_letter(left)}{top + 1}:{column_letter(right)}{bottom + 1}"


def header_merges(
    file: str, texts: Sequence[Sequence[str]], header_index: int, merged: Sequence[Range]
) -> tuple[list[dict[str, Any]], frozenset[int]]:
    """`merged-header` for a merged header cell over columns that hold data; the columns whose
    missing header that explains."""
    notes: list[dict[str, Any]] = []
    covered: set[int] = set()
    for (top, left), (bottom, right) in sorted(merged):
        if bottom < header_index or top > header_index:
            continue  # a title or group row above the header, or a merge among the data
        hidden = [
            position
            for position in range(left + 1, right + 1)
            if any(
                position < len(row) and row[position].strip() for row in texts[header_index + 1 :]
            )
        ]
        if hidden:
            covered.update(hidden)
            letters = ", ".join(column_letter(position) for position in hidden)
            notes.append(
                finding("merged-header", file=file, row=header_index + 1,
                        column=_cells(top, left, bottom, right), value=letters)
            )  # fmt: skip
    return notes, frozenset(covered)


def fill_merges(
    file: str,
    texts: Sequence[Sequence[str]],
    header: Sequence[str],
    header_index: int,
    merged: Sequence[Range],
    rows: list[list[str]],
    numbers: Sequence[int],
) -> list[dict[str, Any]]:
    """Carry the value each merged range among the data shows into every row of `rows` it
    covers (in place; `numbers`: each row's number as Excel shows it). Linear in the cells
    filled: a range that overlaps one already filled (no valid workbook has them) is skipped.
    """
    width = len(header)
    at = {number: index for index, number in enumerate(numbers)}
    last_row = numbers[-1] if numbers else 0  # nothing to fill below the last row read
    filled: dict[int, list[tuple[int, int, int]]] = {}  # column: [(top, bottom, cells filled)]
    across: list[dict[str, Any]] = []
    reach: dict[int, int] = {}  # column: the last row a range filled so far
    for (top, left), (bottom, right) in sorted(merged, key=lambda m: (m[0][1], m[0][0])):
        if top <= header_index or left >= width or top > bottom or left > right:
            continue  # the header's (header_merges), or outside the named columns
        if top <= reach.get(left, -1):
            continue  # overlaps a range filled already
        reach[left] = bottom
        shown = texts[top][left] if top < len(texts) and left < len(texts[top]) else ""
        count = 0
        if bottom > top and shown.strip():
            for number in range(top + 2, min(bottom + 1, last_row) + 1):  # the rows below
                index = at.get(number)
                if index is not None and not rows[index][left].strip():
                    rows[index][left] = shown
                    count += 1
            filled.setdefault(left, []).append((top, bottom, count))
        if right > left and any(header[p] for p in range(left + 1, min(right + 1, width))):
            across.append(
                finding("merged-cells-across", file=file, row=top + 1,
                        column=_cells(top, left, bottom, right), value=preview(shown))
            )  # fmt: skip
    notes = []
    for left, ranges in sorted(filled.items()):
        named = [_cells(top, left, bottom, left) for top, bottom, _ in ranges]
        more = f" en nog {len(named) - SHOWN_RANGES}" if len(named) > SHOWN_RANGES else ""
        notes.append(
            finding(
                "merged-cells",
                file=file,
                row=ranges[0][0] + 1,
                column=_cells(ranges[0][0], left, ranges[-1][1], left),
                value=", ".join(named[:SHOWN_RANGES]) + more,
                header=header[left] or column_letter(left),
                count=sum(count for *_, count in ranges),
            )
        )
    return notes + across
