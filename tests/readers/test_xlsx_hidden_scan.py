"""The scan for hidden rows in a worksheet's XML does bounded work per byte: a crafted workbook
with a run of megabytes without `>` (inside an XML comment, which the cell reader skips) is read
in one pass. Measured by size growth (what the scan keeps while it reads), never by seconds."""

from __future__ import annotations

import io
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from corpus import files as f

from lwtop_toolkit.readers import read

MB = 1 << 20


def _with_comment(comment: bytes, *, hide_row: int | None = None) -> bytes:
    """The clean pupil list as a workbook, with `comment` (an XML comment) written into its
    sheet's XML before the rows; `hide_row` hides that row."""

    def hide(book: object) -> None:
        if hide_row is not None:
            book.active.row_dimensions[hide_row].hidden = True  # type: ignore[attr-defined]

    source = zipfile.ZipFile(io.BytesIO(f.workbook(f.pupil_rows(), prepare=hide)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<sheetData>", b"<sheetData>" + comment, 1)
            archive.writestr(info.filename, data)
    return out.getvalue()


def _run_without_close(size: int) -> bytes:
    """A comment of `size` bytes that starts row tags and never closes one: `<row <row ...`."""
    return b"<!-- " + b"<row " * (size // 5) + b"-->"


def _peak_while_reading(path: Path) -> tuple[int, int]:
    """(pupils read, the most Python memory held at once while reading `path`)."""
    tracemalloc.start()
    try:
        result = read([path])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return len(result.tables.leerlingen), peak


def test_a_run_without_closing_tags_is_scanned_in_bounded_memory(tmp_path: Path) -> None:
    (tmp_path / "lwtop.toml").write_text(f.SETTINGS, encoding="utf-8")
    peaks = {}
    for size in (4 * MB, 16 * MB):
        path = tmp_path / f"leerlingen-{size // MB}.xlsx"
        path.write_bytes(_with_comment(_run_without_close(size)))
        assert path.stat().st_size < size // 50  # small on disk, large unpacked: the attack
        pupils, peaks[size] = _peak_while_reading(path)
        assert pupils == 4
    # Four times the run: what the reading holds does not grow with it (carrying the unfinished
    # run from chunk to chunk held all of it, and copied it once per megabyte: quadratic work).
    growth = peaks[16 * MB] - peaks[4 * MB]
    assert growth < 3 * MB, (peaks, growth)


@pytest.mark.produces("hidden-row")
def test_a_hidden_row_after_a_long_unfinished_tag_is_still_found(tmp_path: Path) -> None:
    (tmp_path / "lwtop.toml").write_text(f.SETTINGS, encoding="utf-8")
    # a commented-out row tag of 3 MB: far too long to be a row, skipped up to its end; the
    # real row 3 after it is hidden and found
    fake = b'<!-- <row r="2" hidden="1" ' + b"x" * (3 * MB) + b" -->"
    path = tmp_path / "leerlingen.xlsx"
    path.write_bytes(_with_comment(fake, hide_row=3))
    result = read([path])
    hidden = result.findings[result.findings["code"].eq("hidden-row")]
    assert hidden["row"].tolist() == [3]
    assert len(result.tables.leerlingen) == 4
