"""The bundle's file registry is complete: every file it names is in every bundle and in the
manifest, and a bundle holds no file the registry does not name."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from conftest import SAMPLE_DATA

from lwtop_toolkit.cli import main
from lwtop_toolkit.writers.parts import MANIFEST, bundle_members
from lwtop_toolkit.writers.profiles import PROFILES

OLD, NEW = SAMPLE_DATA / "2025-2026", SAMPLE_DATA / "2026-2027"
LINKS = SAMPLE_DATA / "2025-2026" / "medewerker_groepen.csv"


@pytest.mark.parametrize("profile", sorted(PROFILES))
@pytest.mark.parametrize("audit", [True, False], ids=["met-werkmap", "zonder-werkmap"])
@pytest.mark.parametrize("links", [False, True], ids=["zonder-koppelingen", "met-koppelingen"])
def test_every_registered_file_is_in_the_bundle_and_its_manifest(
    tmp_path: Path, profile: str, audit: bool, links: bool
) -> None:
    argv = ["bundle", "--old", str(OLD), "--new", str(NEW), "--out", str(tmp_path),
            "--profile", profile, "--force", "--quiet"]  # fmt: skip
    if not audit:
        argv.append("--geen-werkmap")
    if links:
        argv += ["--staff-links", str(LINKS)]
    assert main(argv) in (0, 1)
    (bundle,) = tmp_path.glob("*.zip")
    with zipfile.ZipFile(bundle) as archive:
        names = archive.namelist()
        manifest = json.loads(archive.read(MANIFEST))
    expected = bundle_members(PROFILES[profile], links=links, audit=audit)
    assert sorted(names) == expected
    listed = sorted(output["name"] for output in manifest["outputs"])
    assert listed == [name for name in expected if name != MANIFEST]


def test_the_manifest_records_the_las_given_on_the_command_line(tmp_path: Path) -> None:
    old, new = SAMPLE_DATA / "magister" / "2025-2026", SAMPLE_DATA / "magister" / "2026-2027"
    argv = ["bundle", "--old", str(old), "--new", str(new), "--out", str(tmp_path),
            "--las", "magister", "--geen-werkmap", "--force", "--quiet"]  # fmt: skip
    assert main(argv) in (0, 1)
    (bundle,) = tmp_path.glob("*.zip")
    with zipfile.ZipFile(bundle) as archive:
        manifest = json.loads(archive.read(MANIFEST))
    assert manifest["las"] == "magister"
    assert manifest["format"] == "magister"  # the LAS's own reader read it
