"""Nothing lost: every pupil row of the input is in the tables or named in a finding, and every
pupil of the tables is in the upload bundle (or its school's bundle is refused, with errors).

The input rows are counted here without our readers: a CSV with the csv module, a workbook with
openpyxl, EDEXML with lxml. Checked on every sample under sample_data/ and on random schools
written by every export writer (hypothesis). Pupils no longer there are the one exception to
"named": former pupils of an EDEXML export and pupils a list marks inactive are counted in one
finding (`former-pupils-skipped`, `inactive-pupils-skipped`).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import tempfile
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from conftest import SAMPLE_DATA
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from openpyxl import load_workbook

from lwtop_toolkit import Loaded, load
from lwtop_toolkit.board.schools import split_schools
from lwtop_toolkit.model import PRODUCT_ROLES, Tables
from lwtop_toolkit.readers.files.cellsafety import restore
from lwtop_toolkit.samples.exports import EXPORTS
from lwtop_toolkit.samples.exports.edexml import write_edexml
from lwtop_toolkit.writers.bundle import write_bundles
from lwtop_toolkit.writers.importfiles import write_import_files

PUPIL_FILE_WORDS = ("leerling", "deelnemer")
TABULAR = (".csv", ".txt", ".xlsx")
# Pupils who are no longer there, counted in one finding that names the first of them.
COUNTED = ("former-pupils-skipped", "inactive-pupils-skipped")

Row = tuple[str, int]


# --- the input rows, counted without our readers ----------------------------------------------


def _is_pupil_file(path: Path) -> bool:
    return any(word in path.name.lower() for word in PUPIL_FILE_WORDS)


def _csv_rows(path: Path) -> set[Row]:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252")
    first = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first.count)
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    filled = [number for number, record in enumerate(records, 1) if any(c.strip() for c in record)]
    return {(str(path), number) for number in filled[1:]}  # the first filled record: the header


def _workbook_rows(path: Path) -> set[Row]:
    rows: set[Row] = set()
    book = load_workbook(path, read_only=True)
    for sheet in book.worksheets:
        if not _is_pupil_file(Path(sheet.title)):
            continue
        filled = [
            number
            for number, values in enumerate(sheet.iter_rows(values_only=True), 1)
            if any(value not in (None, "") for value in values)
        ]
        rows |= {(f"{path} [{sheet.title}]", number) for number in filled[1:]}
    book.close()
    return rows


def _xml_rows(path: Path) -> set[Row]:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    root = etree.parse(str(path), parser).getroot()
    return {(str(path), pupil.sourceline) for pupil in root.iterfind("{*}leerlingen/{*}leerling")}


def input_pupil_rows(folder: Path) -> set[Row]:
    rows: set[Row] = set()
    for path in sorted(folder.iterdir()):
        suffix = path.suffix.lower()
        if suffix == ".xml":
            rows |= _xml_rows(path)
        elif suffix == ".xlsx":
            rows |= _workbook_rows(path)
        elif suffix in TABULAR and _is_pupil_file(path):
            rows |= _csv_rows(path)
    return rows


# --- the checks --------------------------------------------------------------------------------


def assert_conserved(rows: set[Row], loaded: Loaded) -> None:
    """Every input row is a pupil of the tables or named in a finding; no pupil is invented."""
    pupils = loaded.tables.leerlingen
    in_tables = {(f, int(r)) for f, r in zip(pupils["_file"], pupils["_row"], strict=True)}
    assert in_tables <= rows, sorted(in_tables - rows)[:5]
    findings = loaded.findings[loaded.findings["row"].notna()]
    named = {(f, int(r)) for f, r in zip(findings["file"], findings["row"], strict=True)}
    counted = findings[findings["code"].isin(COUNTED)]
    missing = (
        rows
        - in_tables
        - named
        - {(f, int(r)) for f, r in zip(counted["file"], counted["row"], strict=True)}
    )
    # former pupils: one finding counts them and names the first
    assert len(missing) + len(counted) == sum(int(value) for value in counted["value"]), sorted(
        missing
    )[:5]


def _bundle_pupils_of(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as archive:
        data = archive.read("leerlingen.csv")
    written = pd.read_csv(
        io.BytesIO(data), sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig"
    )
    return restore(written["leerling_id"].astype("str")).tolist()


def _bundle_pupils(run_dir: Path) -> list[str]:
    return [pupil for path in sorted(run_dir.glob("*.zip")) for pupil in _bundle_pupils_of(path)]


def assert_in_bundle(new: Loaded, out: Path, *, refusals: bool = False) -> None:
    """Forced: every pupil is in its school's bundle. Not forced (`refusals`): a school's
    bundle is written with all its pupils, or refused because errors stand. (Without the
    audit workbook: it does not hold the upload, and it is the slow part.)"""
    forced = write_bundles(
        Tables(), new.tables, out / "forced", findings=new.findings, force=True, audit=False
    )
    assert sorted(_bundle_pupils(out / "forced")) == sorted(new.tables.leerlingen["leerling_id"])
    assert all(bundle.status != "refused" for bundle in forced.bundles)
    if not refusals:
        return
    run = write_bundles(Tables(), new.tables, out / "plain", findings=new.findings, audit=False)
    parts = split_schools(new.tables)
    assert sorted(bundle.school for bundle in run.bundles) == sorted(parts)
    for bundle in run.bundles:
        if bundle.status == "refused":
            assert not bundle.open_errors.empty and not bundle.path.exists()
        else:
            expected = parts[bundle.school].leerlingen["leerling_id"]
            assert sorted(_bundle_pupils_of(bundle.path)) == sorted(expected)


# --- every sample ------------------------------------------------------------------------------

SAMPLES = sorted(
    {path.parent for path in SAMPLE_DATA.rglob("*") if path.suffix.lower() in (*TABULAR, ".xml")}
)


@pytest.mark.parametrize("folder", SAMPLES, ids=lambda p: p.relative_to(SAMPLE_DATA).as_posix())
def test_every_sample_keeps_every_pupil(folder: Path, tmp_path: Path) -> None:
    rows = input_pupil_rows(folder)
    assert rows, f"no pupil rows counted in {folder}"
    loaded = load([folder])
    assert_conserved(rows, loaded)
    assert_in_bundle(loaded, tmp_path)


def test_pupils_marked_inactive_are_counted_not_lost(tmp_path: Path) -> None:
    folder = tmp_path / "2026-2027"
    folder.mkdir()
    header = "leerlingNummer;leerlingRoepnaam;leerlingAchternaam;leerlingGeboortedatum;"
    header += "leerlingGeslacht;leerlingStamgroep;leerlingLeerjaar;leerlingActief"
    flags = ["true", "false", "true", "false", "misschien", "false"]
    lines = [header] + [
        f"{100 + n};Kim;Tester;01-10-2012;V;H1a;1;{flag}" for n, flag in enumerate(flags)
    ]
    (folder / "leerlingen-12AB.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    loaded = load([folder])
    assert loaded.tables.leerlingen["leerling_id"].tolist() == ["100", "102", "104"]
    assert_conserved(input_pupil_rows(folder), loaded)


# --- random schools through every writer --------------------------------------------------------

IDS = st.sampled_from(["1001", "001002", "1003", "1004", "", " 1005 ", "A-7", "=1+1", "1001"])
TEXT = st.text(alphabet=st.sampled_from(list("aeiouxyzAÉëçßØ '-;,\"=+@\t\n0123")), max_size=10)
DATES = st.one_of(st.none(), st.dates(dt.date(2005, 1, 1), dt.date(2023, 12, 31)))
PUPIL = st.fixed_dictionaries(
    {
        "leerling_id": IDS,
        "achternaam": TEXT,
        "tussenvoegsel": st.sampled_from(["", "van", "de", "van der", "'t"]),
        "roepnaam": TEXT,
        "geboortedatum": DATES,
        "geslacht": st.sampled_from(["M", "V", "X", "O", "", "Q"]),
        "jaargroep": st.sampled_from(["1", "3", "8", "11", "14", "S", "V", "", "H", "99"]),
        "groep_id": st.sampled_from(["G1", "G2", "3A", "", "=G9"]),
        "brin": st.sampled_from(["99ZZ", "99ZZ", "12AB", ""]),
    }
)
WRITERS = ("importfiles", "magister", "somtoday", "eduarte", "schooloas", "edexml")
READER_OF = {"schooloas": "generic"}
# A few examples per writer in the normal run; LWTOP_FUZZ_EXAMPLES asks for many more.
EXAMPLES = max(5, int(os.environ.get("LWTOP_FUZZ_EXAMPLES", "0")) // 10)


def random_school(pupils: list[dict[str, object]]) -> Tables:
    leerlingen = pd.DataFrame(pupils)
    leerlingen["geboortedatum"] = pd.to_datetime(leerlingen["geboortedatum"])
    ids = sorted({str(group) for group in leerlingen["groep_id"] if group})
    groepen = pd.DataFrame(
        {"groep_id": ids, "groepsnaam": ids, "jaargroep": "3", "soort": "stamgroep",
         "schooljaar": "2026-2027", "brin": "99ZZ"}
    )  # fmt: skip
    staff = pd.DataFrame(
        {"medewerker_id": ["M1"], "achternaam": ["Visser"], "roepnaam": ["Anna"],
         "email": ["a.visser@school.example"], "rol": [PRODUCT_ROLES[0]],
         "las_rol": ["Leerkracht"]}
    )  # fmt: skip
    links = pd.DataFrame({"medewerker_id": ["M1"] * len(ids), "groep_id": ids})
    return Tables.from_frames(
        groepen=groepen, leerlingen=leerlingen, medewerkers=staff, medewerker_groepen=links
    )


def write_export(writer: str, tables: Tables, folder: Path) -> None:
    if writer == "importfiles":
        write_import_files(tables, folder)
    elif writer == "edexml":
        write_edexml(tables, folder / "EDEX.XML", aanmaakdatum=dt.datetime(2026, 10, 1, 9))
    else:
        EXPORTS[writer](tables, folder)


@pytest.mark.parametrize("writer", WRITERS)
def test_random_schools_keep_every_pupil(writer: str) -> None:
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(pupils=st.lists(PUPIL, min_size=1, max_size=6))
    def check(pupils: list[dict[str, object]]) -> None:
        with tempfile.TemporaryDirectory() as scratch:
            folder = Path(scratch) / "export"
            write_export(writer, random_school(pupils), folder)
            rows = input_pupil_rows(folder)
            loaded = load([folder], READER_OF.get(writer, writer))
            assert_conserved(rows, loaded)
            if writer == "importfiles":  # the tables -> bundle step does not depend on the reader
                assert_in_bundle(loaded, Path(scratch), refusals=True)

    check()
