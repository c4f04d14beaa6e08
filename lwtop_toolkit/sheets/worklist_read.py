"""Reading a filled worklist back: which pupils, groups and leavers' dossiers are still open.

Not a registry reader: `read_worklist(path)` reads the workbook `writers/worklist.py` made, after
a coordinator filled in `Klaargezet`/`Opgehaald` (or `Afgehandeld`), and gives one item per row
the workbook was made with, each open or done, and the findings: `worklist-open` per open item,
`worklist-invalid-answer` for a cell that is not ja or nee, `worklist-row-removed` and
`worklist-row-unknown` when rows were taken away or changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from lwtop_toolkit import findings as fd
from lwtop_toolkit.findings import ToolkitError, finding
from lwtop_toolkit.las import catalogue as las_catalogue
from lwtop_toolkit.model import SOURCE_FILE, SOURCE_ROW
from lwtop_toolkit.readers.files.own_workbooks import open_own_workbook, own_workbook_texts
from lwtop_toolkit.sheets.worklist_write import (
    ALSO_YES,
    DONE,
    FETCHED,
    KEY,
    KEYS_TITLE,
    KIND_GROUP,
    KIND_LEFT,
    KIND_PUPIL,
    KIND_SHEETS,
    META_KIND,
    NO,
    READY,
    SHEET_META,
    YES,
)

ITEM_COLUMNS: tuple[str, ...] = (
    "soort", "sleutel", "omschrijving", "klaargezet", "opgehaald", "afgehandeld", "open",
    "nog_te_doen", SOURCE_FILE, SOURCE_ROW,
)  # fmt: skip
ANSWER_COLUMNS = {READY: "klaargezet", FETCHED: "opgehaald", DONE: "afgehandeld"}


@dataclass
class WorklistStatus:
    """One worklist read back: what it was made for (`meta`), its items, the findings."""

    meta: dict[str, str]
    items: pd.DataFrame
    findings: pd.DataFrame

    @property
    def open(self) -> pd.DataFrame:
        return self.items[self.items["open"]].reset_index(drop=True)

    def counts(self) -> dict[str, int]:
        """Items and open items per kind (`leerling`, `groep`, `vertrokken`)."""
        out: dict[str, int] = {}
        for kind in (KIND_PUPIL, KIND_GROUP, KIND_LEFT):
            mine = self.items["soort"].eq(kind)
            if mine.any():
                out[kind] = int(mine.sum())
                out[f"{kind}_open"] = int((mine & self.items["open"]).sum())
        out["open"] = int(self.items["open"].sum())
        return out


def read_worklist(
    path: Path | str, ways: las_catalogue.Ways = las_catalogue.COMMANDS
) -> WorklistStatus:
    """Read a filled worklist; ToolkitError when it is no readable worklist of ours. What makes
    a new worklist is named as `ways` does (the command, or the app's step)."""
    path = Path(path)
    make_worklist = ways.worklist
    sheets = _open(path, make_worklist)
    meta, expected = _meta(sheets.get(SHEET_META))
    if meta.get("werkmap") != META_KIND:
        raise ToolkitError("worklist-not-ours", file=str(path), make_worklist=make_worklist)
    las_name = _las_name(meta.get("las", ""))
    items: list[dict[str, Any]] = []
    notes: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for kind, sheet_name in KIND_SHEETS.items():
        if sheet_name not in sheets:
            continue
        label = f"{path} [{sheet_name}]"
        for row_number, cells in _answer_rows(sheets[sheet_name]):
            key = cells.get(KEY, "")
            if (kind, key) not in expected:
                notes.append(
                    finding(
                        "worklist-row-unknown",
                        file=label,
                        row=row_number,
                        column=KEY,
                        value=key,
                        make_worklist=make_worklist,
                    )
                )
                continue
            seen.add((kind, key))
            item, item_notes = _item(kind, key, expected[(kind, key)], cells, las_name)
            items.append({**item, SOURCE_FILE: label, SOURCE_ROW: row_number})
            notes += [{**note, "file": label, "row": row_number} for note in item_notes]
    for (kind, key), text in expected.items():
        if (kind, key) in seen:
            continue
        label = f"{path} [{KIND_SHEETS[kind]}]"
        todo = _todo(kind, False, las_name)
        items.append(
            {"soort": kind, "sleutel": key, "omschrijving": text, "klaargezet": "",
             "opgehaald": "", "afgehandeld": "", "open": True, "nog_te_doen": todo,
             SOURCE_FILE: label, SOURCE_ROW: None}
        )  # fmt: skip
        notes.append(finding("worklist-row-removed", file=label, column=KEY, value=key, what=text,
                             make_worklist=make_worklist))  # fmt: skip
    frame = pd.DataFrame(items, columns=list(ITEM_COLUMNS))
    frame[SOURCE_ROW] = frame[SOURCE_ROW].astype("Int64")
    frame["open"] = frame["open"].astype(bool)
    return WorklistStatus(meta=meta, items=frame, findings=fd.frame(notes))


def _las_name(code: str) -> str:
    entry = las_catalogue.CATALOGUE.get(code)
    return entry.name if entry else "het LAS"


def _todo(kind: str, ready: bool, las_name: str) -> str:
    if kind == KIND_LEFT:
        return "het dossier sluiten of overdragen"
    fetch = "ophalen in Leerwinst/TOP dossier"
    return fetch if ready else f"klaarzetten in {las_name} en {fetch}"


def _item(
    kind: str, key: str, text: str, cells: dict[str, str], las_name: str
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """One row's answers, whether it is open, and the findings about it.

    A row is open until its last answer is ja, and while any of its answers is neither ja nor
    nee (the finding says it counts as open, so it is counted and listed as open).
    """
    answers: dict[str, str] = {}
    notes: list[dict[str, Any]] = []
    invalid: list[str] = []
    for header, field in ANSWER_COLUMNS.items():
        raw = cells.get(header, "")
        answer = _answer(raw)
        if answer is None:
            notes.append(
                finding("worklist-invalid-answer", column=header, value=raw, also_yes=ALSO_YES)
            )
            invalid.append(header)
            answer = ""
        answers[field] = answer
    if kind == KIND_LEFT:
        is_open = answers["afgehandeld"] != "ja"
        column = DONE
    else:
        is_open = answers["opgehaald"] != "ja"
        column = READY if answers["klaargezet"] != "ja" else FETCHED
    todo = _todo(kind, answers["klaargezet"] == "ja", las_name) if is_open else ""
    if invalid and not is_open:  # done by its last answer, but an earlier one is unclear
        is_open, column = True, invalid[0]
        todo = f"in de kolom {column} ja of nee invullen"
    if is_open:
        what = text[:1].upper() + text[1:]
        notes.append(finding("worklist-open", column=column, value=key, what=what, todo=todo))
    item = {"soort": kind, "sleutel": key, "omschrijving": text, **answers, "open": is_open,
            "nog_te_doen": todo}  # fmt: skip
    return item, notes


def _answer(raw: str) -> str | None:
    """`ja`, `nee`, "" (empty) or None when the text is neither."""
    text = raw.strip().lower().rstrip(".!")
    if text in YES:
        return "ja"
    if text in NO:
        return "nee" if text else ""
    return None


def _answer_rows(rows: list[list[str]]) -> list[tuple[int, dict[str, str]]]:
    """The rows below the header (the row with `sleutel`) that have a key, by header name."""
    at = next(
        (i for i, cells in enumerate(rows) if KEY in cells and set(ANSWER_COLUMNS) & set(cells)),
        None,
    )
    if at is None:
        return []
    header = rows[at]
    found = []
    for offset, cells in enumerate(rows[at + 1 :], start=at + 2):
        named = {name: cells[i] if i < len(cells) else "" for i, name in enumerate(header) if name}
        if named.get(KEY, ""):
            found.append((offset, named))
    return found


def _meta(rows: list[list[str]] | None) -> tuple[dict[str, str], dict[tuple[str, str], str]]:
    """The key/value rows of the hidden sheet, and the expected rows (kind, key) -> text."""
    meta: dict[str, str] = {}
    expected: dict[tuple[str, str], str] = {}
    in_keys = False
    for cells in rows or []:
        padded = [*cells, "", "", ""]
        if padded[0] == KEYS_TITLE:
            in_keys = True
        elif in_keys and padded[0] and padded[1]:
            expected[(padded[0], padded[1])] = padded[2]
        elif padded[0]:
            meta[padded[0]] = padded[1]
    return meta, expected


def _open(path: Path, make_worklist: str) -> dict[str, list[list[str]]]:
    """Every sheet as rows of text; ToolkitError when the file is no readable workbook."""
    workbook = open_own_workbook(
        path, f"de ingevulde werklijst aan zoals {make_worklist} haar maakte", data_only=True
    )
    return own_workbook_texts(workbook, workbook.sheetnames)


__all__ = ["ITEM_COLUMNS", "NO", "YES", "WorklistStatus", "read_worklist"]
