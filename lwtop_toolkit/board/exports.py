"""A board whose school exports share ids: bundled export by export, each as if alone.

Within one export the LAS keeps every id unique; across the exports of a board nothing does.
A teacher who works at two schools is in both exports under one medewerker-id, and two
schools may number pupils or groups alike. Read as one delivery, such ids are `duplicate-id`
errors and a group id would name two groups. So when the exports of a run share ids,
`lwtop bundle` loads and bundles each export (with last year's export of the same schools) on
its own: every bundle is the one of that school bundled alone.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from lwtop_toolkit.check.loading import Loaded
from lwtop_toolkit.model import SOURCE_FILE, UNKNOWN_SCHOOL, Tables, export_folders, school_key

# The ids that an export keeps unique, per table.
ID_COLUMNS: dict[str, tuple[str, ...]] = {
    "groepen": ("groep_id",),
    "leerlingen": ("leerling_id", "eckid"),
    "medewerkers": ("medewerker_id",),
}

Unit = tuple[list[str], list[str]]  # last year's export folders, this year's


def row_exports(frame: pd.DataFrame) -> pd.Series:
    """The export (folder) of each row; "" when the row has no source file."""
    return export_folders(frame[SOURCE_FILE])


def shared_ids(tables: Tables, findings: pd.DataFrame | None = None) -> dict[str, int]:
    """Per id column (`medewerkers.medewerker_id`), how many ids rows of two exports hold.

    `findings`, those of validating `tables` as one delivery: an id that two exports hold is a
    `duplicate-id` there, so without one nothing is looked up (~1 s per million pupils).
    """
    out: dict[str, int] = {}
    if findings is not None and not findings["code"].eq("duplicate-id").any():
        return out
    for name, columns in ID_COLUMNS.items():
        frame = tables[name]
        exports = row_exports(frame)
        if exports.nunique() < 2:
            continue
        export_codes, export_names = pd.factorize(exports)
        width = len(export_names)  # a pair (id, export) as one integer: id * width + export
        known = exports.ne("").to_numpy()
        for column in columns:
            # in integers: hashing (export, id) pairs of texts cost ~1.5 s per million pupils
            id_codes, distinct = pd.factorize(frame[column])
            kept = known & frame[column].ne("").to_numpy()
            pairs = pd.unique(id_codes[kept].astype(np.int64) * width + export_codes[kept])
            exports_per_id = np.bincount(pairs // width, minlength=len(distinct))
            shared = int((exports_per_id > 1).sum())
            if shared:
                out[f"{name}.{column}"] = shared
    return out


def shared_ids_of(*loads: Loaded | None) -> dict[str, int]:
    """`shared_ids` of each load (a year), together; a year not loaded counts nothing."""
    shared: dict[str, int] = {}
    for loaded in loads:
        if loaded is not None:
            shared |= shared_ids(loaded.tables, loaded.findings)
    return shared


# What happens to ids that two exports share, per situation (the end of `shared_note`).
SHARED_NOTE_ENDS = {
    "bundle": "Elke school wordt daarom apart ingelezen en gebundeld, zoals alleen.",
    "bundle-as-one": "Met een dossierlijst of een koppelingenbestand (--staff-links; of rijen "
    "zonder bekend bestand) kan dat niet apart: bundel deze scholen één voor één, of geef de "
    "ingevulde werkmappen per school met --staff-sheet (de dubbele nummers staan als fout bij "
    "de bevindingen).",
    "read": "Als één levering gelezen staan ze hieronder als dubbel (fout). `lwtop bundle` "
    "leest en bundelt elke school apart; controleer een school apart met haar eigen map.",
    "staff": "Eén werkmap voor alle scholen samen zou die nummers door elkaar halen (een "
    "groep-id van twee scholen is één regel): daarom is er een werkmap per school.",
}


def shared_note(shared: dict[str, int], situation: str) -> str:
    """The Dutch line that the exports of several schools share ids, and what happens
    (`situation`: a key of `SHARED_NOTE_ENDS`)."""
    counts = ", ".join(f"{column}: {count}" for column, count in sorted(shared.items()))
    return (
        f"Let op: de exports van verschillende scholen gebruiken dezelfde nummers ({counts}). "
        + SHARED_NOTE_ENDS[situation]
    )


def export_units(old: Tables, new: Tables) -> list[Unit] | None:
    """This year's exports, each with last year's exports of the same schools (BRIN +
    vestiging of their groups and pupils). Exports that hold a school in common go together;
    an export of no school (only staff) goes with every unit, as its staff go with every
    school when the board is read as one. None when a row was read from no known file (it
    would belong to no unit)."""
    exports = {"old": _exports(old), "new": _exports(new)}
    if "" in exports["old"] | exports["new"]:
        return None
    parent: dict[tuple[str, str], tuple[str, str]] = {}

    def root(node: tuple[str, str]) -> tuple[str, str]:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for year, tables in (("old", old), ("new", new)):
        for export, school in _export_schools(tables):
            parent[root((year, export))] = root(("school", school))
    units: dict[tuple[str, str], Unit] = {}
    for node in sorted(parent):
        year, export = node
        if year == "school":
            continue
        unit = units.setdefault(root(node), ([], []))
        unit[0 if year == "old" else 1].append(export)
    schoolless = [
        sorted(exports[year] - {export for year_, export in parent if year_ == year})
        for year in ("old", "new")
    ]
    return sorted(
        (
            (sorted(unit[0] + schoolless[0]), sorted(unit[1] + schoolless[1]))
            for unit in units.values()
            if unit[1]
        ),
        key=lambda unit: unit[1],
    )


def _exports(tables: Tables) -> set[str]:
    """Every export (folder) that rows of `tables` were read from ("": a row of no known file)."""
    found: set[str] = set()
    for _, frame in tables.items():
        found |= set(row_exports(frame).unique())
    return found


def _export_schools(tables: Tables) -> Iterable[tuple[str, str]]:
    """(export, school) for every school an export names in its groups or pupils."""
    for name in ("groepen", "leerlingen"):
        frame = tables[name]
        pairs = pd.DataFrame(
            {
                "export": row_exports(frame).to_numpy(),
                "school": school_key(frame["brin"], frame["vestiging"]).to_numpy(),
            }
        ).drop_duplicates()
        pairs = pairs[pairs["export"].ne("") & pairs["school"].ne(UNKNOWN_SCHOOL)]
        yield from pairs.itertuples(index=False, name=None)
