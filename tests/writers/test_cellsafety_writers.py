"""Spreadsheet safety on every writer: a value beginning with `=`, `+`, `-`, `@`, a tab or a
carriage return is never a formula in anything we write, and no workbook has a formula cell.

In a CSV such a value carries the text marker `'` (cellsafety.py); in a workbook it is a text
cell with the marker, or with Excel's own quote prefix (the audit workbook, which nobody reads
back). Hostile values are planted in ids, names, e-mail and group names of a synthetic school,
written through our own import files and read back, then through every command that writes.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from corpus.outputs import cells, formula_markup, members, written_files

from lwtop_toolkit.cli.main import main
from lwtop_toolkit.model import Tables
from lwtop_toolkit.readers.files.cellsafety import FORMULA_STARTS, TEXT_MARKER
from lwtop_toolkit.samples.exports import EXPORTS
from lwtop_toolkit.samples.school import generate_school
from lwtop_toolkit.writers.bundle import write_bundles
from lwtop_toolkit.writers.importfiles import write_import_files

# One planted value per dangerous first character.
RISKY: dict[str, str] = {
    "=": '=HYPERLINK("http://x.example";"klik")',
    "+": "+31612345678",
    "-": "-2+3",
    "@": "@SUM(A1)",
    "\t": "\tTab",
    "\r": "\rCR",
}
GROUP, STAFF = "=G2026-3", "@M-ONVEILIG"


def _hostile(tables: Tables) -> Tables:
    """The same school with formula-like ids, names, e-mail and group names."""
    groups, pupils = tables.groepen.copy(), tables.leerlingen.copy()
    staff, links = tables.medewerkers.copy(), tables.medewerker_groepen.copy()
    group = groups.loc[groups["groepsnaam"].eq("3"), "groep_id"].iloc[0]
    renamed = {group: GROUP}
    groups["groep_id"] = groups["groep_id"].replace(renamed)
    groups.loc[groups["groep_id"].eq(GROUP), "groepsnaam"] = "@drie"
    pupils["groep_id"] = pupils["groep_id"].replace(renamed)
    links["groep_id"] = links["groep_id"].replace(renamed)
    for number, value in enumerate(RISKY.values()):
        pupils.loc[number, "roepnaam"] = value
        pupils.loc[number + 10, "achternaam"] = value
    teacher = staff.index[staff["rol"].eq("TOP leerkracht")][0]
    old_id = staff.loc[teacher, "medewerker_id"]
    staff.loc[teacher, ["medewerker_id", "roepnaam", "email"]] = [STAFF, "-Piet", "=p@x.nl"]
    links["medewerker_id"] = links["medewerker_id"].replace({old_id: STAFF})
    return Tables.from_frames(
        groepen=groups, leerlingen=pupils, medewerkers=staff, medewerker_groepen=links
    )


def _second_school(tables: Tables) -> Tables:
    """Half of the groups (and so their pupils) at a second BRIN: a board with two schools."""
    groups = tables.groepen.copy()
    groups.loc[groups.index[::2], "brin"] = "+1AB"
    return Tables(groups, tables.leerlingen, tables.medewerkers, tables.medewerker_groepen)


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every writer's output for the hostile school, in one folder."""
    base = tmp_path_factory.mktemp("veilig")
    school = generate_school()
    old, new = _hostile(school.old), _hostile(school.new)
    oud, nieuw, out = base / "in" / "oud", base / "in" / "nieuw", base / "uit"
    write_import_files(old, oud)
    write_import_files(new, nieuw)
    write_import_files(new, out / "importbestanden-csv")
    write_import_files(new, out / "importbestanden-xlsx", kind="xlsx")
    pair = ["--old", str(oud), "--new", str(nieuw)]
    sheet, links = out / "toewijzing.xlsx", out / "koppelingen.csv"
    assert main(["staff-sheet", *pair, "--out", str(sheet)]) in (0, 1)
    assert main(["staff-links", str(sheet), "--new", str(nieuw), "--out", str(links)]) == 0
    assert main(["preview", *pair, "--xlsx", str(out / "overgang.xlsx")]) in (0, 1)
    command = ["bundle", *pair, "--out", str(out / "bundel"), "--force", "--staff-links"]
    assert main([*command, str(links)]) == 0
    write_bundles(old, _second_school(new), out / "bestuur", force=True)
    for code, export in EXPORTS.items():
        export(new, out / "las" / code)
    return out


def test_every_writer_wrote_something(written: Path) -> None:
    names = {path.relative_to(written).as_posix() for path in written_files(written)}
    expected = {
        "importbestanden-csv/leerlingen.csv", "importbestanden-xlsx/importbestanden.xlsx",
        "toewijzing.xlsx", "koppelingen.csv", "overgang.xlsx", "bestuur/overzicht.xlsx",
        "bundel/lwtop-99ZZ-2026-2027.zip", "las/magister/docenten.csv",
        "las/somtoday/leerlingen.csv", "las/eduarte/deelnemers.xlsx",
        "las/schooloas/SchoolOAS-leerlingen.csv",
    }  # fmt: skip
    assert expected <= names


def test_no_value_anywhere_starts_like_a_formula(written: Path) -> None:
    for path in written_files(written):
        for cell in cells(path):
            assert not cell.formula, cell
            if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                assert cell.quote_prefix, cell  # a workbook text cell with Excel's marker


def test_no_workbook_holds_formula_markup(written: Path) -> None:
    for path in written_files(written):
        for name, data in members(path).items():
            if name.endswith(".xlsx"):
                assert formula_markup(data) == [], name


def _neutralised(path: Path) -> set[str]:
    """The formula-like texts in `path` that are written safely: with the text marker, or in a
    workbook cell with a quote prefix (a name starts with the planted roepnaam)."""
    found = set()
    for cell in cells(path):
        if not isinstance(cell.value, str):
            continue
        text = cell.value[1:] if cell.value.startswith(TEXT_MARKER) else cell.value
        if text.startswith(FORMULA_STARTS) and (cell.value != text or cell.quote_prefix):
            found.add(text)
    return found


@pytest.mark.parametrize(
    ("output", "planted"),
    [
        ("bundel/lwtop-99ZZ-2026-2027.zip", {*RISKY.values(), GROUP, STAFF, "@drie", "-Piet"}),
        ("overgang.xlsx", {RISKY["="], "@drie"}),
        ("toewijzing.xlsx", {GROUP, "@drie"}),
        ("koppelingen.csv", {GROUP, STAFF}),
        ("bestuur/overzicht.xlsx", {"+1AB"}),
        ("importbestanden-csv/leerlingen.csv", set(RISKY.values())),
        ("importbestanden-xlsx/importbestanden.xlsx", {*RISKY.values(), "=p@x.nl"}),
        ("las/magister/leerlingen-99ZZ.csv", set(RISKY.values())),
        ("las/somtoday/medewerkers.csv", {STAFF, "-Piet", "=p@x.nl"}),
        ("las/eduarte/deelnemers.xlsx", set(RISKY.values())),
        ("las/schooloas/SchoolOAS-leerlingen.csv", set(RISKY.values())),
    ],
)
def test_planted_values_are_written_neutralised(
    written: Path, output: str, planted: set[str]
) -> None:
    found = _neutralised(written / output)
    missing = [value for value in planted if not any(text.startswith(value) for text in found)]
    assert missing == [], sorted(found)


def test_the_findings_file_neutralises_values_and_messages(written: Path) -> None:
    bundle = members(written / "bundel" / "lwtop-99ZZ-2026-2027.zip")
    text = bundle["lwtop-99ZZ-2026-2027.zip/bevindingen.csv"].decode("utf-8-sig")
    rows = pd.read_csv(
        pd.io.common.StringIO(text), sep=";", dtype=str, keep_default_na=False
    )  # the file as a spreadsheet program would split it
    for column in rows.columns:
        assert not rows[column].str.startswith(FORMULA_STARTS).any(), column
    assert rows["waarde"].str.startswith(TEXT_MARKER).any()  # e.g. '\tTab, untrimmed
