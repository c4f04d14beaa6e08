"""Fuzzing every reader: random bytes and mutated valid files give tables with findings, or a
ToolkitError with one Dutch line; any other exception is a bug.

A few hundred examples in the normal run (derandomized: the same examples every time); set
LWTOP_FUZZ_EXAMPLES=5000 (say) for a long, random hunt.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from corpus import files as corpus_files
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lwtop_toolkit import READERS, Tables, ToolkitError, read, validate
from lwtop_toolkit.findings import FINDING_COLUMNS
from lwtop_toolkit.model import PRODUCT_ROLES
from lwtop_toolkit.samples.exports import EXPORTS
from lwtop_toolkit.samples.exports.edexml import edexml_bytes
from lwtop_toolkit.sheets.staff_read import read_staff_sheet
from lwtop_toolkit.writers.importfiles import write_import_files

WANTED = int(os.environ.get("LWTOP_FUZZ_EXAMPLES", "0"))
LONG_RUN = WANTED > 0


def fuzz_settings(examples: int) -> settings:
    """`examples` in the normal run (always the same ones); LWTOP_FUZZ_EXAMPLES spread over
    the fuzz tests in a long run (random ones)."""
    return settings(
        max_examples=max(examples, WANTED // 8) if LONG_RUN else examples,
        deadline=None,
        derandomize=not LONG_RUN,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        database=None,
    )


def assert_reads_or_refuses(paths: list[Path], format: str | None, *, check: bool) -> None:
    """The contract: a ReadResult with well-formed findings, or one Dutch line."""
    try:
        result = read(paths, format)
    except ToolkitError as error:
        assert error.message and "\n" not in error.message
        assert "Traceback" not in error.message
        return
    assert isinstance(result.tables, Tables)
    assert tuple(result.findings.columns) == FINDING_COLUMNS
    assert result.findings["code"].ne("").all()
    if check:
        checked = validate(result.tables)  # rules hold up on whatever reading made
        assert tuple(checked.columns) == FINDING_COLUMNS


FORMATS = [None, *READERS]
SUFFIXES = [".csv", ".xlsx", ".xml", ".txt"]
# Bytes that matter to the formats: delimiters, quotes, line ends, NUL, markup, BOMs, zip magic.
SPECIAL = [
    b";",
    b",",
    b"\t",
    b'"',
    b"\r\n",
    b"\n",
    b"\r",
    b"\x00",
    b"<",
    b">",
    b"&",
    b"'",
    b"=",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"PK\x03\x04",
    b"<!DOCTYPE x>",
    b"\xe9",
    b"\x1a",
]


@fuzz_settings(60)
@given(
    data=st.one_of(
        st.binary(max_size=400),
        st.lists(st.sampled_from(SPECIAL) | st.binary(max_size=8), max_size=60).map(b"".join),
    ),
    suffix=st.sampled_from(SUFFIXES),
    format=st.sampled_from(FORMATS),
)
def test_random_bytes(data: bytes, suffix: str, format: str | None) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / f"leerlingen{suffix}"
        path.write_bytes(data)
        assert_reads_or_refuses([path], format, check=False)


# --- mutated valid files -----------------------------------------------------------------------


def _tiny_school() -> Tables:
    pupils = pd.DataFrame(
        {
            "leerling_id": ["1001", "1002", "1003"],
            "achternaam": ["Jansen", "de Vries", "Öztürk"],
            "roepnaam": ["Anna", "Bram", "Elif"],
            "geboortedatum": pd.to_datetime(["2018-03-12", "2017-07-01", "2018-11-23"]),
            "geslacht": ["V", "M", "V"],
            "jaargroep": ["3", "4", "3"],
            "groep_id": ["G3", "G4", "G3"],
            "brin": "99ZZ",
        }
    )
    groups = pd.DataFrame(
        {"groep_id": ["G3", "G4"], "groepsnaam": ["3A", "4B"], "jaargroep": ["3", "4"],
         "soort": "stamgroep", "schooljaar": "2026-2027", "brin": "99ZZ"}
    )  # fmt: skip
    staff = pd.DataFrame(
        {"medewerker_id": ["M1"], "achternaam": ["Visser"], "roepnaam": ["Tom"],
         "email": ["t.visser@school.example"], "rol": [PRODUCT_ROLES[0]], "las_rol": ["Leerkracht"]}
    )  # fmt: skip
    links = pd.DataFrame({"medewerker_id": ["M1"], "groep_id": ["G3"]})
    return Tables.from_frames(
        groepen=groups, leerlingen=pupils, medewerkers=staff, medewerker_groepen=links
    )


def _seeds() -> dict[str, tuple[str, dict[str, bytes]]]:
    """{name: (reader, {file name: bytes})}: a small valid export per reader."""
    school = _tiny_school()
    seeds: dict[str, tuple[str, dict[str, bytes]]] = {}
    with tempfile.TemporaryDirectory() as scratch:
        for writer, reader in (("magister", "magister"), ("somtoday", "somtoday"),
                               ("eduarte", "eduarte"), ("schooloas", "generic")):  # fmt: skip
            folder = Path(scratch) / writer
            EXPORTS[writer](school, folder)
            seeds[writer] = (reader, {p.name: p.read_bytes() for p in sorted(folder.iterdir())})
        folder = Path(scratch) / "importfiles"
        write_import_files(school, folder)
        seeds["importfiles"] = (
            "importfiles",
            {p.name: p.read_bytes() for p in sorted(folder.iterdir())},
        )
    moment = dt.datetime(2026, 10, 1, 9)
    seeds["edexml"] = ("edexml", {"EDEX.XML": edexml_bytes(school, aanmaakdatum=moment)})
    seeds["workbook"] = (
        "generic",
        {"lijst.xlsx": corpus_files.workbook(corpus_files.pupil_rows())},
    )
    return seeds


SEEDS = _seeds()


@st.composite
def mutations(draw: st.DrawFn, size: int) -> list[tuple[str, int, int, bytes]]:
    """A few edits: (kind, position, length, bytes) with positions inside `size` bytes."""
    kinds = st.sampled_from(["flip", "delete", "insert", "duplicate", "truncate"])
    edits = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(kinds)
        position = draw(st.integers(0, max(0, size - 1)))
        length = draw(st.integers(1, 40))
        payload = draw(st.sampled_from(SPECIAL) | st.binary(min_size=1, max_size=6))
        edits.append((kind, position, length, payload))
    return edits


def mutate(data: bytes, edits: list[tuple[str, int, int, bytes]]) -> bytes:
    for kind, position, length, payload in edits:
        position = min(position, len(data))
        if kind == "flip" and data:
            position = min(position, len(data) - 1)
            data = data[:position] + bytes([data[position] ^ 0x5A]) + data[position + 1 :]
        elif kind == "delete":
            data = data[:position] + data[position + length :]
        elif kind == "insert":
            data = data[:position] + payload + data[position:]
        elif kind == "duplicate":
            data = data[:position] + data[position : position + length] + data[position:]
        elif kind == "truncate":
            data = data[:position]
    return data


def _mutate_file(name: str, data: bytes, edits: list[tuple[str, int, int, bytes]]) -> bytes:
    """A workbook is mutated inside (its sheet XML, then zipped again); other files as bytes."""
    if not name.endswith(".xlsx"):
        return mutate(data, edits)
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename.startswith("xl/worksheets/") or info.filename.endswith(
                "sharedStrings.xml"
            ):
                content = mutate(content, edits)
            target.writestr(info.filename, content)
    return out.getvalue()


@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_mutated_valid_files(seed: str) -> None:
    reader, contents = SEEDS[seed]
    names = sorted(contents)

    @fuzz_settings(25)
    @given(
        target=st.sampled_from(names),
        edits=mutations(max(len(data) for data in contents.values())),
        detect=st.booleans(),
    )
    def check(target: str, edits: list[tuple[str, int, int, bytes]], detect: bool) -> None:
        with tempfile.TemporaryDirectory() as scratch:
            folder = Path(scratch) / "export"
            folder.mkdir()
            for name, data in contents.items():
                mutated = _mutate_file(name, data, edits) if name == target else data
                (folder / name).write_bytes(mutated)
            # validation on top of every mutation only in a long run: it costs most of the time
            assert_reads_or_refuses([folder], None if detect else reader, check=LONG_RUN)

    check()


# Inputs the fuzzer found that once raised something else than a ToolkitError.
REGRESSIONS = [
    ("somtoday", "structuurbestand.csv", [("flip", 237, 1, b";")]),  # a lone CR in a record
    ("edexml", "EDEX.XML", [("flip", 1316, 1, b";")]),  # a control character in the XML
    ("edexml", "EDEX.XML", [("insert", 1, 1, b"\x00")]),  # lxml's message had a line break
]


@pytest.mark.parametrize(("seed", "target", "edits"), REGRESSIONS)
def test_what_fuzzing_found_stays_fixed(
    seed: str, target: str, edits: list[tuple[str, int, int, bytes]], tmp_path: Path
) -> None:
    reader, contents = SEEDS[seed]
    for name, data in contents.items():
        (tmp_path / name).write_bytes(mutate(data, edits) if name == target else data)
    assert_reads_or_refuses([tmp_path], reader, check=True)


def test_the_seeds_themselves_read_cleanly() -> None:
    for seed, (reader, contents) in SEEDS.items():
        with tempfile.TemporaryDirectory() as scratch:
            folder = Path(scratch)
            for name, data in contents.items():
                (folder / name).write_bytes(data)
            result = read([folder], reader)
            assert len(result.tables.leerlingen) in (3, 4), seed  # the workbook seed has four


# --- the staff workbook reader ------------------------------------------------------------------


def _staff_sheet_reader(path: Path) -> Callable[[], object]:
    return lambda: read_staff_sheet(path, _tiny_school())


@fuzz_settings(30)
@given(data=st.binary(max_size=300), zipped=st.booleans())
def test_the_staff_workbook_reader_on_random_bytes(data: bytes, zipped: bool) -> None:
    if zipped:  # past the zip layer: a workbook part with random content
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            archive.writestr("xl/workbook.xml", data)
            archive.writestr("[Content_Types].xml", data[:50])
        data = out.getvalue()
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "toewijzing.xlsx"
        path.write_bytes(data)
        try:
            links, findings = read_staff_sheet(path, _tiny_school())
        except ToolkitError as error:
            assert "\n" not in error.message
            return
        assert tuple(findings.columns) == FINDING_COLUMNS
        assert set(links.columns) >= {"medewerker_id", "groep_id"}
