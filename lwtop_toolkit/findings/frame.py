"""The Findings frame: one row per problem in the data, made from the catalogue's codes.

A finding is one row of a DataFrame with the columns of `FINDING_COLUMNS`. `row` is the row a
person sees when opening the source file (header = row 1), or an XML element's line. Every code
has one severity, a Dutch title and a Dutch message template that says how to fix it.
"""

from __future__ import annotations

import string
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import PurePath
from typing import Any

import numpy as np
import pandas as pd

from lwtop_toolkit.findings.catalogue import CATALOGUE
from lwtop_toolkit.findings.catalogue.code import Severity
from lwtop_toolkit.findings.wording import counted
from lwtop_toolkit.model import SOURCE_FILE, SOURCE_ROW

SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")
SEVERITY_LABELS: dict[str, str] = {"error": "fout", "warning": "waarschuwing", "info": "info"}
FINDING_COLUMNS: tuple[str, ...] = (
    "code",
    "severity",
    "message",
    "file",
    "table",
    "row",
    "column",
    "value",
)
# What makes two findings one problem: the same code about the same cell. A problem found twice
# (by checking the new year and by the plan, say) is shown and counted once (`distinct`).
FINDING_KEY: tuple[str, ...] = ("code", "file", "table", "row", "column", "value")


class _Counting(string.Formatter):
    """Fills a message template; a field with a spec is a count whose noun agrees with it:
    `{size:leerling}` -> "1 leerling" / "3 leerlingen", `{n:rij staat|rijen staan}`."""

    def format_field(self, value: Any, format_spec: str) -> str:
        if format_spec:
            return counted(value, format_spec)
        return str(format(value, format_spec))


def _render(code: str, fields: Mapping[str, Any]) -> str:
    template = CATALOGUE[code].message
    values = {key: ("" if _missing(value) else value) for key, value in fields.items()}
    try:
        return _Counting().format(template, **values)
    except (KeyError, IndexError) as missing:  # a rule forgot a parameter: a developer's bug
        raise ValueError(f"finding {code!r} lacks parameter {missing}") from None


def finding(
    code: str,
    *,
    file: str = "",
    table: str = "",
    row: int | None = None,
    column: str = "",
    value: Any = "",
    **params: Any,
) -> dict[str, Any]:
    """One finding as a record; `params` fill the message template."""
    if code not in CATALOGUE:
        raise KeyError(f"unknown finding code {code!r}")
    fields = {"file": file, "table": table, "row": row, "column": column, "value": value}
    message = _render(code, {**fields, **params})
    return {
        "code": code,
        "severity": CATALOGUE[code].severity,
        "message": message,
        "file": str(file),
        "table": table,
        "row": row,
        "column": column,
        "value": "" if value is None else str(value),
    }


def empty_findings() -> pd.DataFrame:
    """A Findings frame without rows (a copy of one made once: typing it costs ~2 ms, and a
    check of one school makes dozens)."""
    global _EMPTY_FINDINGS
    if _EMPTY_FINDINGS is None:
        _EMPTY_FINDINGS = frame([])
    return _EMPTY_FINDINGS.copy()


_EMPTY_FINDINGS: pd.DataFrame | None = None


def frame(records: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """The Findings frame from records made by `finding`; always the same columns and dtypes."""
    return _typed(pd.DataFrame(list(records), columns=list(FINDING_COLUMNS)))


def _typed(out: pd.DataFrame) -> pd.DataFrame:
    out = out.loc[:, list(FINDING_COLUMNS)].copy()
    for column in FINDING_COLUMNS:
        if column == "row":
            out[column] = out[column].astype("Int64")
        else:
            out[column] = out[column].fillna("").astype("str")
    return out


def for_rows(
    code: str,
    rows: pd.DataFrame,
    *,
    table: str,
    column: str = "",
    values: pd.Series | None = None,
    **params: Any,
) -> pd.DataFrame:
    """Findings of `code` for each row of `rows` (a slice of a canonical table).

    The file and row come from the provenance columns; the value from `values` (by label when
    its index holds every row of `rows`, e.g. a column of the whole table; else one per row, in
    order) or from `rows[column]`. A param given as a Series (indexed like `rows`) is
    taken per row. The message template is filled column by column, not row by row: a plan or
    an export of a million pupils can have hundreds of thousands of findings.
    """
    if code not in CATALOGUE:
        raise KeyError(f"unknown finding code {code!r}")
    if rows.empty:
        return empty_findings()
    index = rows.index
    if values is None:
        values = rows[column] if column in rows else pd.Series("", index=index)
    files = rows[SOURCE_FILE] if SOURCE_FILE in rows else pd.Series("", index=index)
    source_rows = rows[SOURCE_ROW] if SOURCE_ROW in rows else pd.Series(pd.NA, index=index)
    numbers = pd.array(source_rows.to_numpy(dtype=object), dtype="Int64")
    value_text = _aligned(values, index).map(_text)
    fields: dict[str, Any] = {
        "file": files.to_numpy(dtype=object),
        "table": table,
        "row": pd.Series(numbers, index=index).map(lambda n: "" if n is pd.NA else str(n)),
        "column": column,
        "value": value_text,
    }
    for key, param in params.items():
        fields[key] = param.loc[index] if isinstance(param, pd.Series) else param
    message = np.full(len(index), "", dtype=object)
    for literal, name, spec, _ in string.Formatter().parse(CATALOGUE[code].message):
        message = message + literal
        if name is None:
            continue
        if name not in fields:  # a rule forgot a parameter: a developer's bug
            raise ValueError(f"finding {code!r} lacks parameter {name!r}")
        text = _as_text(fields[name], len(index))
        if spec:  # a count: its noun agrees with it, row by row
            text = np.array([counted(count, spec) for count in text], dtype=object)
        message = message + text
    out = pd.DataFrame(
        {
            "code": code,
            "severity": CATALOGUE[code].severity,
            "message": message,
            "file": _as_text(fields["file"], len(index)),
            "table": table,
            "row": numbers,
            "column": column,
            "value": value_text.to_numpy(dtype=object),
        }
    )
    return _typed(out)


def _aligned(values: pd.Series, index: pd.Index) -> pd.Series:
    """`values` for the rows of `index`: by label when it has them all, else one per row."""
    if not values.index.equals(index) and values.index.is_unique and index.isin(values.index).all():
        values = values.loc[index]
    if len(values) != len(index):
        raise ValueError(f"{len(values)} values for {len(index)} rows")
    return pd.Series(values.to_numpy(dtype=object), index=index)


def _as_text(field: Any, count: int) -> np.ndarray:
    """A template field as texts, one per row, as `str.format` writes it (missing: "")."""
    if isinstance(field, (pd.Series, np.ndarray)):
        items = field.tolist() if isinstance(field, pd.Series) else list(field)
        return np.array(["" if _missing(item) else f"{item}" for item in items], dtype=object)
    return np.full(count, "" if _missing(field) else f"{field}", dtype=object)


def _missing(value: Any) -> bool:
    """None, NaN, NA or NaT: shown as nothing, never as "nan" in a Dutch message."""
    return (
        value is None
        or value is pd.NA
        or value is pd.NaT
        or (isinstance(value, float) and value != value)
    )


def _text(value: Any) -> str:
    if value is None or (not isinstance(value, (list, tuple)) and pd.isna(value)):
        return ""
    if isinstance(value, pd.Timestamp):
        return value.strftime("%d-%m-%Y")
    return str(value)


def concat(parts: Iterable[pd.DataFrame | None]) -> pd.DataFrame:
    """Several Findings frames as one, in a stable order (as given); None parts are skipped."""
    found = [part for part in parts if part is not None and not part.empty]
    if not found:
        return empty_findings()
    return _typed(pd.concat(found, ignore_index=True))


def distinct(findings: pd.DataFrame) -> pd.DataFrame:
    """Each problem once (`FINDING_KEY`): the first of those found twice, in the order given."""
    return findings.drop_duplicates(list(FINDING_KEY)).reset_index(drop=True)


def counts(findings: pd.DataFrame) -> dict[str, int]:
    """The number of findings per severity, every severity present."""
    tally = Counter(findings["severity"].tolist())  # value_counts: ~1 ms per school of a board
    return {severity: int(tally.get(severity, 0)) for severity in SEVERITIES}


def has_errors(findings: pd.DataFrame) -> bool:
    return bool((findings["severity"] == "error").any())


def sort(findings: pd.DataFrame) -> pd.DataFrame:
    """Errors first, then warnings, then info; within a severity by file and row."""
    order = findings["severity"].map({s: i for i, s in enumerate(SEVERITIES)})
    keyed = findings.assign(_order=order)
    keyed = keyed.sort_values(["_order", "file", "row", "code"], kind="stable", na_position="first")
    return keyed.drop(columns="_order").reset_index(drop=True)


def source_name(file: str) -> str:
    """A source file as a coordinator reads it: its own name (with the sheet, `werkmap.xlsx
    [Toewijzing]`), without the folders above it, which are private (they may name a person)."""
    if not file:
        return ""
    path, bracket, sheet = str(file).partition(" [")
    return PurePath(path).name + bracket + sheet


def source_names(files: pd.Series, among: Iterable[object] = ()) -> pd.Series:
    """`source_name` of each file, with its folder's name in front where files of that name
    come from several folders (of `files` and `among`, the files read): which school's
    `medewerkers.csv` in a board (`42AH/medewerkers.csv`)."""
    texts = files.fillna("").astype("str")
    distinct = [file for file in pd.unique(texts) if file]
    folders: dict[str, set[PurePath]] = {}
    for file in [*distinct, *(str(path) for path in among)]:
        folders.setdefault(source_name(file), set()).add(_folder(file))
    shown = {"": ""}
    for file in distinct:
        name = source_name(file)
        shown[file] = f"{_folder(file).name}/{name}" if len(folders[name]) > 1 else name
    return texts.map(shown)


def _folder(file: str) -> PurePath:
    """The folder of a source file (as `source_name` reads it: a sheet after ` [`)."""
    return PurePath(file.partition(" [")[0]).parent
