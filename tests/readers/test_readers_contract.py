"""The reader registry's contract: every reader reads a sample of its own format clean and is
detected as itself, and every reader declares the header aliases it reads sheets by, each alias
naming one field."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SAMPLE_DATA

from lwtop_toolkit import load
from lwtop_toolkit.model import normalise
from lwtop_toolkit.readers import KNOWN_HEADERS, READERS, reader_for
from lwtop_toolkit.readers.files.headers import SENSITIVE_HEADERS, known_headers

YEARS = ("2025-2026", "2026-2027")
# A shipped sample export of each reader's format (both years); a new reader adds its own here.
SAMPLES: dict[str, Path] = {
    "edexml": SAMPLE_DATA / "parnassys",
    "magister": SAMPLE_DATA / "magister",
    "somtoday": SAMPLE_DATA / "somtoday",
    "eduarte": SAMPLE_DATA / "eduarte",
    "generic": SAMPLE_DATA / "schooloas",
    "importfiles": SAMPLE_DATA,
}
# Formats without a header row (XML elements): the only readers that declare no alias tables.
WITHOUT_HEADER_ROWS = frozenset({"edexml"})


def test_every_reader_has_a_sample() -> None:
    assert set(SAMPLES) == set(READERS), "a reader without a sample, or a sample of no reader"


@pytest.mark.parametrize("year", YEARS)
@pytest.mark.parametrize("name", sorted(READERS))
def test_a_reader_reads_its_sample_clean_and_is_detected_as_itself(name: str, year: str) -> None:
    folder = SAMPLES[name] / year
    assert reader_for([folder]).name == name
    loaded = load([folder])  # detected, read and validated
    assert loaded.format == name
    errors = loaded.findings[loaded.findings["severity"].eq("error")]
    assert errors.empty, errors[["file", "row", "column", "code"]].to_string()
    assert len(loaded.tables.leerlingen) > 0 and len(loaded.tables.groepen) > 0


@pytest.mark.parametrize("name", sorted(READERS))
def test_a_reader_declares_its_header_aliases(name: str) -> None:
    aliases = READERS[name].aliases
    if name in WITHOUT_HEADER_ROWS:
        assert aliases == ()
        return
    assert aliases, f"{name} reads sheets: declare the header aliases it reads them by"
    assert all(table for table in aliases), f"{name}: an empty alias table"


@pytest.mark.parametrize("name", sorted(READERS))
def test_every_alias_names_one_field(name: str) -> None:
    """Within one table of a reader, a header (normalised) names one field; the same header
    may name another field in another table (`klas`: a group's name, a pupil's group)."""
    for table in READERS[name].aliases:
        fields: dict[str, set[str]] = {}
        for target, names in table.items():
            for alias in (target, *names):
                key = normalise(alias)
                assert key, f"{name}: alias {alias!r} of {target} is no header"
                fields.setdefault(key, set()).add(target)
        doubled = {key: sorted(found) for key, found in fields.items() if len(found) > 1}
        assert doubled == {}, f"{name}: an alias names two fields"
        assert not set(fields) & SENSITIVE_HEADERS, f"{name}: an alias is a sensitive column"


def test_the_registry_gives_every_reader_every_known_header() -> None:
    declared = [table for reader in READERS.values() for table in reader.aliases]
    assert known_headers(declared) == KNOWN_HEADERS
    assert all(reader.known == KNOWN_HEADERS for reader in READERS.values())
