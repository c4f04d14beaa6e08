"""Helpers for the tests of step 1 and verify: each LAS's sample school, dossier lists."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from conftest import SAMPLE_DATA

from lwtop_toolkit import Tables, load
from lwtop_toolkit.model import SchoolYear
from lwtop_toolkit.samples.exports.edexml import sample_moment, write_edexml
from lwtop_toolkit.samples.las_schools import generate_so_school

OLD_YEAR, NEW_YEAR = "2025-2026", "2026-2027"
# The committed sample exports that stand for each LAS of the catalogue.
SAMPLE_FOLDERS: dict[str, str] = {
    "schooloas": "schooloas",
    "parnassys-gkv": "parnassys",
    "parnassys-oso": "parnassys",
    "esis": "esis",
    "magister": "magister",
    "somtoday": "somtoday",
    "eduarte": "eduarte",
}


def sample_years(las: str) -> tuple[Path, Path]:
    """Last year's and the new year's export folder of LAS `las` (committed samples)."""
    folder = SAMPLE_DATA / SAMPLE_FOLDERS[las]
    return folder / OLD_YEAR, folder / NEW_YEAR


def so_school(tmp_path: Path) -> tuple[Path, Path]:
    """The SO sample school (ESIS SBO/SO/VSO) as EDEXML exports of both years, in `tmp_path`."""
    school = generate_so_school()
    paths = []
    for tables in (school.old, school.new):
        year = tables.schooljaar()
        assert isinstance(year, SchoolYear)
        moment = sample_moment(year)
        target = tmp_path / "esis-so" / str(year) / "EDEX.XML"
        paths.append(write_edexml(tables, target, aanmaakdatum=moment, peildatum=moment.date()))
    return paths[0], paths[1]


def every_third(old: Path | Tables) -> list[str]:
    """The dossier population of the tests: every third pupil of last year's export."""
    tables = load([old]).tables if isinstance(old, Path) else old
    return tables.leerlingen["leerling_id"].iloc[::3].tolist()


def write_dossier(path: Path, ids: list[str], *, header: str = "leerling_id") -> Path:
    """The product's pupil export as a dossier list: `leerling_id;achternaam;roepnaam`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [f"{header};achternaam;roepnaam"]
    lines += [f"{pupil};Achternaam{i};Roepnaam{i}" for i, pupil in enumerate(ids)]
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path


def implied(old: Tables, new: Tables, dossier: list[str]) -> dict[str, int]:
    """What a dossier list implies for two exports whose pupils keep their number.

    `listed`: new pupils with a dossier; `no_dossier_new`: new pupils without one; `left`:
    dossier pupils not in the new export; `no_dossier_left`: leavers without a dossier.
    """
    old_ids = set(old.leerlingen["leerling_id"])
    new_ids = pd.Series(new.leerlingen["leerling_id"])
    chosen = set(dossier)
    listed = int(new_ids.isin(chosen).sum())
    return {
        "listed": listed,
        "no_dossier_new": len(new_ids) - listed,
        "left": len(chosen & old_ids - set(new_ids)),
        "no_dossier_left": len(old_ids - set(new_ids) - chosen),
    }


def second_school(tables: Tables, brin: str) -> Tables:
    """The same school under another BRIN, every id prefixed, so that nothing collides."""
    out = {}
    for name, frame in tables.items():
        copy = frame.copy()
        for column in ("groep_id", "leerling_id", "medewerker_id", "eckid"):
            if column in copy:
                copy[column] = (brin + "-" + copy[column]).where(copy[column].ne(""), "")
        if "brin" in copy:
            copy["brin"] = brin
        if "email" in copy:
            copy["email"] = brin.lower() + "." + copy["email"]
        out[name] = copy
    return Tables(**out)
