"""The VO and SO sample schools and the LAS exports written from them: deterministic and valid."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SAMPLE_DATA, tree_bytes

from lwtop_toolkit import validate
from lwtop_toolkit.cli.main import main
from lwtop_toolkit.model import PRODUCT_ROLES, STAMGROEP, SchoolYear
from lwtop_toolkit.readers.pupil_lists import derive_leerjaar
from lwtop_toolkit.samples.exports import EXPORTS
from lwtop_toolkit.samples.las_schools import (
    FINAL_LEERJAAR,
    SO_BRIN,
    VO_BRIN,
    generate_so_school,
    generate_vo_school,
    write_las_samples,
)
from lwtop_toolkit.samples.school import SampleSchool

MINE = ("parnassys", "esis", "magister", "somtoday", "eduarte", "schooloas")


@pytest.fixture(scope="module")
def vo() -> SampleSchool:
    return generate_vo_school()


@pytest.fixture(scope="module")
def so() -> SampleSchool:
    return generate_so_school()


def test_two_runs_write_identical_bytes(tmp_path: Path) -> None:
    write_las_samples(tmp_path / "a")
    write_las_samples(tmp_path / "b")
    assert tree_bytes(tmp_path / "a") == tree_bytes(tmp_path / "b")
    assert {path.split("/")[0] for path in tree_bytes(tmp_path / "a")} == set(EXPORTS)


@pytest.mark.parametrize("las", MINE)
def test_committed_samples_match_a_fresh_generation(tmp_path: Path, las: str) -> None:
    write_las_samples(tmp_path, las)
    assert tree_bytes(SAMPLE_DATA / las) == tree_bytes(tmp_path), (
        f"regenerate with: lwtop sample --las {las} --out sample_data/{las}"
    )


def test_sample_las_alle_writes_every_las_of_sample_data_as_committed(tmp_path: Path) -> None:
    """The README's instruction regenerates every LAS folder of sample_data/, ParnasSys and
    ESIS (EDEXML) among them."""
    assert main(["sample", "--las", "alle", "--out", str(tmp_path), "--quiet"]) == 0
    written = {path.name for path in tmp_path.iterdir()}
    assert written == set(MINE)
    for las in MINE:
        assert tree_bytes(tmp_path / las) == tree_bytes(SAMPLE_DATA / las), las


def test_the_sample_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sample", "--las", "magister", "--out", str(tmp_path)]) == 0
    assert sorted(tree_bytes(tmp_path)) == [
        "2025-2026/docenten.csv", "2025-2026/leerlingen-99VO.csv",
        "2026-2027/docenten.csv", "2026-2027/leerlingen-99VO.csv",
    ]  # fmt: skip
    assert main(["sample", "--las", "wis", "--out", str(tmp_path)]) == 2
    assert "heeft geen voorbeeld" in capsys.readouterr().err


@pytest.mark.parametrize("which", ["old", "new"])
def test_the_vo_school_is_valid_and_looks_like_one(vo: SampleSchool, which: str) -> None:
    tables = getattr(vo, which)
    year = SchoolYear(2025 if which == "old" else 2026)
    assert tables.schooljaar() == year
    assert not validate(tables)["severity"].eq("error").any()
    groups, pupils, staff = tables.groepen, tables.leerlingen, tables.medewerkers
    assert set(groups["soort"]) == {STAMGROEP}
    assert (groups["groep_id"] == groups["groepsnaam"]).all()
    assert {"1A", "2HV1", "H4a"} <= set(groups["groep_id"])
    assert set(pupils["jaargroep"]) == {str(n) for n in range(11, 17)}
    assert set(pupils["opleiding"]) == set(FINAL_LEERJAAR)
    assert (pupils["brin"] == VO_BRIN).all()
    assert pupils["leerling_id"].str.startswith("0").any()
    assert 200 <= len(pupils) <= 300
    # every class name says its leerjaar (VO: code 10 + leerjaar), so an export without a
    # Leerjaar column still reads
    rows = groups[["groep_id"]].assign(_file="", _row=1)
    derive_leerjaar(rows)
    assert ("1" + rows["jaargroep"]).tolist() == groups["jaargroep"].tolist()
    # names fit Windows-1252 (the Magister export), e-mail addresses are unique
    for column in ("achternaam", "tussenvoegsel", "roepnaam"):
        assert pupils[column].map(lambda text: text.encode("cp1252") is not None).all()
    assert staff["email"].is_unique
    assert set(staff["rol"]) == {*PRODUCT_ROLES, ""}


def test_the_vo_transition(vo: SampleSchool) -> None:
    truth = vo.truth
    assert set(truth["status"]) == {"promoted", "retained", "new", "left"}
    graduated = truth[truth["left_reason"].eq("graduated")]
    old = vo.old.leerlingen.set_index("leerling_id")
    finals = {f"1{year}" for year in FINAL_LEERJAAR.values()}
    assert set(old.loc[graduated["leerling_id"], "jaargroep"]) == finals
    assert (old[old["jaargroep"].eq("16")].index.isin(graduated["leerling_id"])).all()
    assert not set(graduated["leerling_id"]) & set(vo.new.leerlingen["leerling_id"])
    promoted = truth[truth["status"].eq("promoted")]
    assert (
        promoted["jaargroep_nieuw"].astype(int) == promoted["jaargroep_oud"].astype(int) + 1
    ).all()
    assert vo.new.medewerker_groepen.empty and not vo.old.medewerker_groepen.empty


@pytest.mark.parametrize("which", ["old", "new"])
def test_the_so_school_is_valid_and_looks_like_one(so: SampleSchool, which: str) -> None:
    tables = getattr(so, which)
    assert not validate(tables)["severity"].eq("error").any()
    assert set(tables.leerlingen["jaargroep"]) == {"S"}
    assert set(tables.groepen["jaargroep"]) == {"S"}
    assert {"Dolfijnen", "Uilen"} <= set(tables.groepen["groepsnaam"])
    assert (tables.groepen["brin"] == SO_BRIN).all()


def test_the_so_transition(so: SampleSchool) -> None:
    assert set(so.truth["status"]) == {"continuing", "new", "left"}
    assert set(so.truth["left_reason"]) == {"", "graduated", "other"}
    assert set(so.truth["jaargroep_nieuw"]) == {"S", ""}
