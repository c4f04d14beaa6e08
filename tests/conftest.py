"""Shared test helpers: the hand-made import files, a compact view of findings, and the check
that a test marked `produces` makes those finding codes itself."""

from __future__ import annotations

import functools
import inspect
import io
import sys
import zipfile
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from lwtop_toolkit import Loaded, load
from lwtop_toolkit.findings import CATALOGUE
from lwtop_toolkit.findings.frame import finding, for_rows

DATA = Path(__file__).parent / "data"
IMPORTFILES = DATA / "importfiles"
VALID = IMPORTFILES / "valid"
REPO = Path(__file__).resolve().parent.parent
SAMPLE_DATA = REPO / "sample_data"


def where(findings: pd.DataFrame) -> set[tuple[str, int | None, str, str]]:
    """Findings as (file name, row, column, code): what a coordinator looks up."""
    return {
        (
            Path(str(file).split(" [")[0]).name if file else "",
            None if pd.isna(row) else int(row),
            column,
            code,
        )
        for file, row, column, code in zip(
            findings["file"], findings["row"], findings["column"], findings["code"], strict=True
        )
    }


def load_with_valid(defect: str, *, replace: str = "leerlingen") -> Loaded:
    """The valid school with one of its tables replaced by the defect file `defect`."""
    others = [VALID / f"{name}.csv" for name in ("groepen", "leerlingen", "medewerkers")]
    others = [path for path in others if path.stem != replace]
    return load([*others, IMPORTFILES / defect])


@pytest.fixture
def valid_folder() -> Path:
    return VALID


def tree_bytes(folder: Path) -> dict[str, bytes]:
    """Every file below `folder` (relative POSIX path -> bytes): for comparing written trees."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def zip_members(path: Path) -> dict[str, bytes]:
    """Every member of a zip (a bundle) by name."""
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def csv_frame(data: bytes) -> pd.DataFrame:
    """A CSV of the default bundle profile (`;`, UTF-8 with BOM) as text columns."""
    return pd.read_csv(
        io.BytesIO(data), sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig"
    )


# --- the finding-code contract ------------------------------------------------------------------
# `@pytest.mark.produces("code", ...)` says: this test makes these findings. While a marked test
# runs, the codes our package passes to `finding` and `for_rows` (the two places a finding is
# made; ToolkitError makes its finding through `finding`) are recorded, and a marked code that
# was not made fails the test. A finding the test builds itself (an expected message) does not
# count, and neither does one made before the test (a fixture of a wider scope, a cache).
# tests/findings/test_findings_contract.py checks that every code of the catalogue is marked.

MADE_CODES = pytest.StashKey[set[str]]()
_RECORDING: list[set[str]] = []  # the codes of the marked test that runs now


def _made_by_the_package() -> bool:
    """Whether the finding being recorded was asked for by our package, not by a test (the
    findings room itself is looked past: ToolkitError asks `finding` on its caller's behalf)."""
    here = inspect.currentframe()
    caller = here.f_back.f_back if here and here.f_back else None
    while caller is not None:
        module = caller.f_globals.get("__name__", "")
        if module != "lwtop_toolkit.findings" and not module.startswith("lwtop_toolkit.findings."):
            return module == "lwtop_toolkit" or module.startswith("lwtop_toolkit.")
        caller = caller.f_back
    return False


def _recorded(make: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(make)
    def recorded(code: str, *args: Any, **kwargs: Any) -> Any:
        made = make(code, *args, **kwargs)
        if _RECORDING and _made_by_the_package():
            _RECORDING[-1].add(code)
        return made

    return recorded


_RECORDERS: list[tuple[Callable[..., Any], Callable[..., Any]]] = [
    (finding, _recorded(finding)),
    (for_rows, _recorded(for_rows)),
]


def _codes_in(value: object) -> set[str]:
    """The catalogue codes named anywhere in a test case's parameters."""
    if isinstance(value, str):
        return {value} & CATALOGUE.keys()
    if isinstance(value, Mapping):
        return _codes_in(list(value.keys())) | _codes_in(list(value.values()))
    if isinstance(value, (list, tuple, set, frozenset)):
        return set().union(*(_codes_in(item) for item in value))
    return set()


def produced_codes(item: pytest.Item) -> set[str]:
    """The codes a test must make: those of its `produces` marker. A case of a parametrized
    test answers for the marked codes its parameters name (its expected findings); a case
    whose parameters name no code answers for them all."""
    marker = item.get_closest_marker("produces")
    if marker is None:
        return set()
    codes = set(marker.args)
    unknown = sorted(codes - CATALOGUE.keys())
    if unknown:
        raise pytest.UsageError(f"{item.nodeid}: produces unknown finding codes {unknown}")
    callspec = getattr(item, "callspec", None)
    named = _codes_in(list(callspec.params.values())) if callspec else set()
    return codes & named if named else codes


@pytest.fixture(autouse=True)
def _record_finding_codes(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """For a test marked `produces`: record the codes made while it runs (set up first, so
    the test's own function-scoped fixtures count)."""
    if request.node.get_closest_marker("produces") is None:
        yield
        return
    for name, module in list(sys.modules.items()):
        if name != "lwtop_toolkit" and not name.startswith("lwtop_toolkit."):
            continue
        for attribute, value in list(vars(module).items()):
            for make, recorded in _RECORDERS:
                if value is make:
                    monkeypatch.setattr(module, attribute, recorded)
    made: set[str] = set()
    request.node.stash[MADE_CODES] = made
    _RECORDING.append(made)
    try:
        yield
    finally:
        _RECORDING.remove(made)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """A marked test that passed but did not make a marked code fails (a failing test is
    reported as it failed)."""
    outcome = yield
    missing = sorted(produced_codes(item) - item.stash.get(MADE_CODES, set()))
    if missing:
        pytest.fail(f"marked produces {missing}, but the package made no such finding here")
    return outcome
