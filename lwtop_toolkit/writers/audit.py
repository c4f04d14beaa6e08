"""The audit workbook `overgang.xlsx`: the transition plan for a coordinator and an analyst.

Sheets: `Samenvatting` (the counts), `Leerlingen` (one row per pupil: an Excel table with
filters, frozen header, status colours), `Groepen` (every new group, and old groups without
successor), `Doorstroom` (old x new group matrix per school, with a colour scale),
`Bevindingen` and `Wijzigingen` (every changed field of a pupil in both years,
`plan.changes`). Headers and values are Dutch. Every cell holds a text or a number, never a
formula: texts go through `write_string` (a text that a spreadsheet would run gets Excel's quote
prefix), numbers through `write_number`. The same plan gives the same bytes (a fixed `created`;
XlsxWriter gives the zip members fixed timestamps).

Written with XlsxWriter, in memory. A workbook with a sheet of `LARGE_FROM_ROWS` rows or more
(a whole board in one preview) is written in XlsxWriter's constant-memory mode instead: rows go
to temporary files as they are written, and the pupils are prepared in chunks. There the data
sheets get an autofilter and a frozen header but no Excel table (an Excel table costs XlsxWriter
memory per cell, and is not possible in that mode).
"""

from __future__ import annotations

import io
import tempfile
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import nullcontext
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from xlsxwriter.worksheet import Worksheet

from lwtop_toolkit import findings as fd
from lwtop_toolkit.model import listed_years_shown, year_shown, year_word
from lwtop_toolkit.plan.anomalies import flag_title
from lwtop_toolkit.plan.changes import shown_changes
from lwtop_toolkit.plan.frames import (
    STATUS_EXPLAINED,
    STATUS_LABELS,
    shown_status_labels,
    status_keys,
)
from lwtop_toolkit.plan.transition import TransitionPlan, flow_matrix
from lwtop_toolkit.readers.las_lists import BRIN6
from lwtop_toolkit.runtime.files import write_atomically
from lwtop_toolkit.writers.xlsxbook import (
    BOLD,
    DEFAULT_WIDTH,
    TITLE,
    Book,
    Row,
    collector_paused,
)

AUDIT_NAME = "overgang.xlsx"
SHEETS: tuple[str, ...] = (
    "Samenvatting", "Leerlingen", "Groepen", "Doorstroom", "Bevindingen", "Wijzigingen",
)  # fmt: skip
# From this many rows in a sheet the workbook is written in constant-memory mode (see above).
LARGE_FROM_ROWS = 100_000
# Pupils prepared at a time (a chunk's cells are Python objects until written).
CHUNK_ROWS = 20_000
# Light fills, readable in print; the same colour per status everywhere.
STATUS_FILLS: dict[str, str] = {
    "promoted": "C6EFCE",
    "retained": "FFE699",
    "accelerated": "D9D2E9",
    "demoted": "F4B183",
    "continuing": "DDEBF7",
    "new": "9BC2E6",
    "left-graduated": "D9D9D9",
    "left-other": "FFC7CE",
    "no_dossier": "EDEDED",
}
SEVERITY_FILLS: dict[str, str] = {"error": "FFC7CE", "warning": "FFE699", "info": "DDEBF7"}
MATCHED_BY_LABELS: dict[str, str] = {
    "leerling_id": "leerlingnummer",
    "eckid": "ECK-iD",
    "leerling_id-zonder-voorloopnullen": "leerlingnummer zonder voorloopnullen",
}
SOORT_LABELS = {"stamgroep": "stamgroep", "samengestelde_groep": "samengestelde groep"}
SECTOR_LABELS = {"po": "PO", "so": "SO/VSO", "vo": "VO"}
YEAR_LABELS = {"nieuw": "nieuw jaar", "oud": "vorig jaar, zonder opvolger"}
# A header's `Jaargroep(en)` in the word of the years shown (`model.year_word`): a VO school
# reads `Leerjaar` 1-6 where the data keeps the codes 11-16.
YEAR_HEADERS: dict[str, tuple[str, str]] = {
    "groep": ("Jaargroep", "Jaargroepen"),
    "leerjaar": ("Leerjaar", "Leerjaren"),
    "groep/leerjaar": ("Jaargroep/leerjaar", "Jaargroepen/leerjaren"),
}
SUMMARY_WIDTHS = (34, 14, 12, 12, 12, 12, 12, 12, 12, 14, 14)

# (header, width) per column of the data sheets; the data comes from `_pupil_rows` etc.
PUPIL_HEADERS: tuple[tuple[str, int], ...] = (
    ("Leerlingnummer", 15), ("Naam", 28), ("Geboortedatum", 14), ("BRIN", 7), ("Vestiging", 10),
    ("Groep vorig jaar", 16), ("Jaargroep vorig jaar", 11), ("Groep nieuw jaar", 16),
    ("Jaargroep nieuw jaar", 11), ("Samengestelde groepen", 20), ("Status", 24),
    ("Bijzonderheden", 40), ("Leerlingnummer vorig jaar", 15), ("Gekoppeld via", 16),
    ("Rij vorig jaar", 9), ("Rij nieuw jaar", 9),
)  # fmt: skip
GROUP_HEADERS: tuple[tuple[str, int], ...] = (
    ("Jaar", 24), ("BRIN", 7), ("Vestiging", 10), ("Groep", 14), ("Groep-id", 16), ("Soort", 18),
    ("Sector", 8),
    ("Jaargroep", 10), ("Jaargroepen leerlingen", 12), ("Leerlingen", 11),
    ("Uit vorig jaar", 11), ("Doublures", 10), ("Nieuw", 8), ("Vertrokken", 11),
    ("Uitgestroomd", 12), ("Herkomst", 40), ("Medewerkers (gekoppeld in export)", 36),
    ("Bijzonderheden", 30), ("Rij", 7),
)  # fmt: skip
FINDING_HEADERS: tuple[tuple[str, int], ...] = (
    ("Ernst", 13), ("Code", 26), ("Titel", 30), ("Melding", 90), ("Bestand", 30), ("Tabel", 12),
    ("Rij", 7), ("Kolom", 16), ("Waarde", 20),
)  # fmt: skip
CHANGE_HEADERS: tuple[tuple[str, int], ...] = (
    ("Leerlingnummer", 15), ("Naam", 28), ("Naam vorig jaar", 28), ("BRIN", 7), ("Vestiging", 10),
    ("Veld", 16),
    ("Vorig jaar", 30), ("Nieuw jaar", 30), ("Gekoppeld via", 16), ("Rij nieuw jaar", 9),
)  # fmt: skip


def audit_workbook_bytes(
    plan: TransitionPlan,
    findings: pd.DataFrame | None = None,
    *,
    large_from: int = LARGE_FROM_ROWS,
    among: Sequence[object] = (),
) -> bytes:
    """The audit workbook of `plan` as .xlsx bytes (the same plan gives the same bytes).

    `findings` (default: the plan's own) fill the sheet `Bevindingen`; pass the findings of
    reading and validating both years too, to show everything in one place. A sheet of
    `large_from` rows or more switches to constant-memory mode (autofilters, no tables).
    A finding's file is named without its folders; with `among` (the files read, for a
    workbook that stays on this computer) with its folder's name where several folders hold a
    file of that name, as `findings.source_names` does: which school's file in a board.
    """
    findings = plan.findings if findings is None else findings
    large = max(len(plan.students), len(plan.groups), len(findings), len(plan.changes))
    large = large >= large_from
    out = io.BytesIO()
    scratch = tempfile.TemporaryDirectory(prefix="lwtop-werkmap-") if large else nullcontext()
    with scratch as folder, collector_paused():
        _write(Book(out, large, folder), plan, findings, among)
    return out.getvalue()


def _write(
    book: Book, plan: TransitionPlan, findings: pd.DataFrame, among: Sequence[object]
) -> None:
    keys = _text(status_keys(plan.students))  # per pupil its status key (fill, label)
    word = _year_word(plan)
    summary = book.sheet(SHEETS[0], SUMMARY_WIDTHS)
    last = _summary_sheet(book, summary, plan, findings, Counter(keys), word)
    book.print_layout(summary, last, SUMMARY_WIDTHS)
    pupils = _pupil_rows(plan.students, keys)
    book.data_sheet(SHEETS[1], "Leerlingen", _worded(PUPIL_HEADERS, word), pupils)
    book.data_sheet(SHEETS[2], "Groepen", _worded(GROUP_HEADERS, word), _group_rows(plan))
    _flow_sheet(book, book.sheet(SHEETS[3]), plan)
    book.data_sheet(SHEETS[4], "Bevindingen", FINDING_HEADERS, _finding_rows(findings, among))
    book.data_sheet(SHEETS[5], "Wijzigingen", CHANGE_HEADERS, _change_rows(plan.changes))
    book.workbook.close()


def write_audit_workbook(
    plan: TransitionPlan,
    path: Path | str,
    findings: pd.DataFrame | None = None,
    *,
    among: Sequence[object] = (),
) -> Path:
    """Write the audit workbook to `path` (atomically); returns the path. `among`: see
    `audit_workbook_bytes`."""
    return write_atomically(Path(path), audit_workbook_bytes(plan, findings, among=among))


# --- the data sheets -----------------------------------------------------------------------------


def _year_word(plan: TransitionPlan) -> str:
    """The word of the years the workbook shows: `groep`, `leerjaar` or both (`year_word`)."""
    students, groups = plan.students, plan.groups
    codes = {*students["jaargroep_oud"].unique(), *students["jaargroep_nieuw"].unique()}
    return year_word(sorted({str(code) for code in codes | {*groups["jaargroep"].unique()}}))


def _worded(headers: tuple[tuple[str, int], ...], word: str) -> tuple[tuple[str, int], ...]:
    """`headers` with `Jaargroep(en)` in the word of the years shown (`YEAR_HEADERS`)."""
    one, many = YEAR_HEADERS[word]
    return tuple(
        (many + header[11:] if header.startswith("Jaargroepen") else one + header[9:], width)
        if header.startswith("Jaargroep")
        else (header, width)
        for header, width in headers
    )


def _years(series: pd.Series) -> list[Any]:
    """Each year as the school says it (`year_shown`: leerjaar 1-6 for the codes 11-16)."""
    values = _text(series)
    shown = {value: year_shown(value) for value in set(values)}
    return [shown[value] for value in values]


def _brin_vestiging(school: str) -> tuple[str, str]:
    """A plan's school (BRIN and vestiging joined, `99ZZ00`) apart again, as the data had them:
    a vestiging `00` stays `00`, none stays empty."""
    match = BRIN6.match(school)
    return (match.group(1), match.group(2)) if match else (school, "")


def school_title(school: str) -> str:
    """`BRIN 99ZZ, vestiging 00` (or `BRIN 99VO` without a vestiging): a school in a title."""
    brin, vestiging = _brin_vestiging(school)
    return f"BRIN {brin}, vestiging {vestiging}" if vestiging else f"BRIN {brin}"


def _schools(series: pd.Series) -> list[list[Any]]:
    """The columns BRIN and Vestiging of a column of schools."""
    values = _text(series)
    parts = {value: _brin_vestiging(value) for value in set(values)}
    return [[parts[value][0] for value in values], [parts[value][1] for value in values]]


def _text(series: pd.Series) -> list[Any]:
    if not isinstance(series.dtype, pd.StringDtype):
        series = series.astype("str")
    return (series.fillna("") if series.hasnans else series).tolist()


def _numbers(series: pd.Series) -> list[Any]:
    """Whole numbers as ints, missing ones as None."""
    values = series.to_numpy(dtype=object, na_value=None)
    return [None if value is None else int(value) for value in values]


def _labels(values: list[Any], labels: dict[str, str], keep: bool = False) -> list[Any]:
    """Each value's label; a value without one stays itself (`keep`) or becomes empty."""
    return [labels.get(value, value if keep else "") for value in values]


def _titles(flags: pd.Series) -> list[Any]:
    """`a|b` codes as Dutch titles, worked out once per distinct combination (few)."""
    values = _text(flags)
    titles = {value: flag_title(value) for value in set(values)}
    return [titles[value] for value in values]


def _dates(born: pd.Series) -> list[Any]:
    """Dates as `dd-mm-jjjj`, missing ones empty (numpy's ISO text, cut and turned around)."""
    values = born.to_numpy()
    iso = np.datetime_as_string(values.astype("datetime64[D]")) if values.dtype.kind == "M" else []
    if len(iso) != len(born) or any(len(text) != 10 for text in iso if text != "NaT"):
        return _text(born.dt.strftime("%d-%m-%Y").where(born.notna(), ""))  # years < 1000 too
    return ["" if text == "NaT" else f"{text[8:10]}-{text[5:7]}-{text[:4]}" for text in iso]


def _chunks(frame: pd.DataFrame) -> Iterator[tuple[int, pd.DataFrame]]:
    if len(frame) <= CHUNK_ROWS:
        yield 0, frame
        return
    for start in range(0, len(frame), CHUNK_ROWS):
        yield start, frame.iloc[start : start + CHUNK_ROWS]


def _pupil_rows(students: pd.DataFrame, all_keys: list[str]) -> Iterator[Row]:
    status_column = 10
    for start, part in _chunks(students):
        keys = all_keys[start : start + len(part)]
        fills = _labels(keys, STATUS_FILLS)
        columns = [
            _text(part["leerling_id"]),
            _text(part["naam"]),
            _dates(part["geboortedatum"]),
            *_schools(part["school"]),
            _text(part["groep_oud"]),
            _years(part["jaargroep_oud"]),
            _text(part["groep_nieuw"]),
            _years(part["jaargroep_nieuw"]),
            _text(part["samengestelde_groepen_nieuw"]),
            _labels(keys, STATUS_LABELS),
            _titles(part["flags"]),
            _text(part["leerling_id_oud"]),
            _labels(_text(part["matched_by"]), MATCHED_BY_LABELS),
            _numbers(part["_row_oud"]),
            _numbers(part["_row_nieuw"]),
        ]
        for values, fill in zip(zip(*columns, strict=True), fills, strict=True):
            yield values, (status_column if fill else -1), fill


def _group_rows(plan: TransitionPlan) -> Iterator[Row]:
    groups = plan.groups
    counts = ["leerlingen", "uit_vorig_jaar", "doublures", "nieuw", "vertrokken", "uitgestroomd"]
    years = _text(groups["jaar"])
    columns = [
        _labels(years, YEAR_LABELS, keep=True),
        *_schools(groups["school"]),
        _text(groups["groepsnaam"]),
        _text(groups["groep_id"]),
        _labels(_text(groups["soort"]), SOORT_LABELS, keep=True),
        _labels(_text(groups["sector"]), SECTOR_LABELS),
        _years(groups["jaargroep"]),
        _text(listed_years_shown(groups["jaargroepen"])),
        *[_numbers(groups[column]) for column in counts],
        _text(groups["herkomst"]),
        _text(groups["medewerkers"]),
        _titles(groups["flags"]),
        _numbers(groups["_row"]),
    ]
    left = STATUS_FILLS["left-graduated"]
    for values, year in zip(zip(*columns, strict=True), years, strict=True):
        yield values, (0 if year == "oud" else -1), left


def _file_names(files: pd.Series, among: Sequence[object]) -> list[Any]:
    """The files as a coordinator reads them, without private folders (`source_name`); with
    the files read (`among`), a folder's name where the name alone is ambiguous."""
    if among:
        return _text(fd.source_names(files, among))
    return [fd.source_name(file) for file in _text(files)]


def _finding_rows(findings: pd.DataFrame, among: Sequence[object] = ()) -> Iterator[Row]:
    if findings.empty:
        return
    shown = fd.sort(findings)
    codes, severities = _text(shown["code"]), _text(shown["severity"])
    titles = {code: entry.title for code, entry in fd.CATALOGUE.items()}
    columns = [
        _labels(severities, fd.SEVERITY_LABELS, keep=True),
        codes,
        _labels(codes, titles),
        _text(shown["message"]),
        _file_names(shown["file"], among),
        _text(shown["table"]),
        _numbers(shown["row"]),
        _text(shown["column"]),
        _text(shown["value"]),
    ]
    fills = _labels(severities, SEVERITY_FILLS)
    for values, fill in zip(zip(*columns, strict=True), fills, strict=True):
        yield values, (0 if fill else -1), fill


def _change_rows(changes: pd.DataFrame) -> Iterator[Row]:
    """Per changed field of a pupil in both years: who (name of both years), which field, the
    value of last year and of the new year, as `shown_changes` puts them."""
    if changes.empty:
        return
    shown = shown_changes(changes)
    columns = [
        _text(shown["leerling_id"]),
        _text(shown["naam"]),
        _text(shown["naam_oud"]),
        *_schools(shown["school"]),
        _text(shown["veld"]),
        _text(shown["vorig_jaar"]),
        _text(shown["nieuw_jaar"]),
        _labels(_text(shown["matched_by"]), MATCHED_BY_LABELS),
        _numbers(shown["_row"]),
    ]
    for values in zip(*columns, strict=True):
        yield values, -1, ""


# --- summary and flow ----------------------------------------------------------------------------


def _summary_sheet(
    book: Book,
    sheet: Worksheet,
    plan: TransitionPlan,
    findings: pd.DataFrame,
    tally: Counter[str],
    word: str,
) -> int:
    """Write the summary; returns its last row (0-based)."""
    at = 0

    def line(*values: Any, font: str = "", fill: str = "") -> None:
        nonlocal at
        for column, value in enumerate(values):
            first = column == 0
            book.put(
                sheet, at, column, value, font=font if first else "", fill=fill if first else ""
            )
        at += 1

    years = f"{plan.schooljaar_oud or 'onbekend'} → {plan.schooljaar_nieuw or 'onbekend'}"
    line(f"Schooljaarovergang {years}", font=TITLE)
    line()
    totals = plan.totals()
    line("Leerlingen vorig jaar", totals["old"])
    line("Leerlingen nieuw jaar", totals["new"])
    line("In beide jaren", totals["matched"])
    verdict = "ja" if plan.totals_add_up(totals) else "NEE: meld dit aan de beheerders"
    line("Elke leerling precies één keer geteld", verdict)
    changed = len(plan.changes[["school", "leerling_id"]].drop_duplicates())
    line("Leerlingen met gewijzigde gegevens", changed)
    line()
    line("Status", "Leerlingen", "Betekenis", font=BOLD)
    for key, label in shown_status_labels(plan.scoped).items():
        line(label, tally[key], STATUS_EXPLAINED[key], fill=STATUS_FILLS[key])
    summary = plan.summary
    levels = summary["niveau"].tolist()
    labels = summary["waarde"].tolist()
    columns = ["leerlingen_oud", "leerlingen_nieuw", "promoted", "retained", "accelerated",
               "demoted", "continuing", "new", "left", "uitgestroomd"]  # fmt: skip
    numbers = list(zip(*(summary[column].tolist() for column in columns), strict=True))
    year = YEAR_HEADERS[word][0]
    for level, title in (("jaargroep", f"Per {year.lower()}"), ("school", "Per school")):
        line()
        line(title, font=BOLD)
        line(
            year if level == "jaargroep" else "School",
            "Vorig jaar",
            "Nieuw jaar",
            *(STATUS_LABELS[s] for s in ("promoted", "retained", "accelerated", "demoted")),
            STATUS_LABELS["continuing"],
            STATUS_LABELS["new"],
            "vertrokken",
            "uitgestroomd",
            font=BOLD,
        )
        for at_level, label, row in zip(levels, labels, numbers, strict=True):
            if at_level == level:
                shown = year_shown(label) if level == "jaargroep" else school_title(label)
                line(shown or "(leeg)", *row)
    line()
    counts = fd.counts(findings)
    line("Bevindingen", font=BOLD)
    for severity in fd.SEVERITIES:
        line(fd.SEVERITY_LABELS[severity], counts[severity], fill=SEVERITY_FILLS[severity])
    line()
    line("Tabbladen", font=BOLD)
    for name, text in (
        ("Leerlingen", "elke leerling van beide jaren met groep, jaargroep en status; filter "
         "op de kolommen"),
        ("Groepen", "elke groep van het nieuwe jaar: grootte, herkomst, doublures, nieuwe "
         "leerlingen; en de oude groepen zonder opvolger"),
        ("Doorstroom", "per school: hoeveel leerlingen van elke oude groep naar elke nieuwe "
         "groep gaan"),
        ("Bevindingen", "wat gecontroleerd moet worden, met bestand en rij"),
        ("Wijzigingen", "wat het LAS veranderde aan leerlingen die in beide jaren staan: naam, "
         "geboortedatum, geslacht, ECK-iD, opleiding, nummer"),
    ):  # fmt: skip
        line(name, text)
    return at - 1


def _flow_sheet(book: Book, sheet: Worksheet, plan: TransitionPlan) -> None:
    """Per school the old x new matrix with row and column totals and a colour scale."""
    sheet.set_column(0, 0, 28)
    scale = {
        "type": "2_color_scale",
        "min_type": "num", "min_value": 0, "min_color": "#FFFFFF",
        "max_type": "max", "max_color": "#5B9BD5",
    }  # fmt: skip
    at, columns = 0, 1
    for school in plan.schools():
        matrix = flow_matrix(plan, school)
        if matrix.empty:
            continue
        columns = max(columns, len(matrix.columns) + 2)
        book.put(sheet, at, 0, school_title(school), font=TITLE)
        header = ["Vorig jaar ↓  nieuw jaar →", *matrix.columns, "Totaal"]
        for column, value in enumerate(header):
            book.put(sheet, at + 1, column, value, font=BOLD)
        first = at + 2
        rows = matrix.to_numpy().tolist()
        for offset, (label, counts) in enumerate(zip(matrix.index, rows, strict=True)):
            _count_row(book, sheet, first + offset, str(label), counts)
        last = first + len(rows) - 1
        _count_row(book, sheet, last + 1, "Totaal", matrix.to_numpy().sum(axis=0).tolist())
        sheet.conditional_format(first, 1, last, len(matrix.columns), scale)
        at = last + 3
    book.print_layout(sheet, max(at - 2, 0), [28, *[DEFAULT_WIDTH] * (columns - 1)])


def _count_row(book: Book, sheet: Worksheet, row: int, label: str, counts: list[int]) -> None:
    book.put(sheet, row, 0, label, font=BOLD)
    book.rows(sheet, [((*counts, sum(counts)), -1, "")], row, first_column=1)
