"""The sample school with known mistakes planted, so that a coordinator can see each one reported.

Two deliveries of the new year, both made from `sampledata.generate_school()`:

* `afwijkingen/<new year>/`: the new year with anomalies planted (each in `Planted`): a pupil
  whose number changed but whose ECK iD did not, a number that lost its leading zeros, a number
  that changed with a name written differently (probably one child), a step back in jaargroep, an
  age that does not fit the jaargroep, a pupil without a group, a group that is too small, a
  group that is too large and a group left empty;
* `niet-overgezet/<new year>/`: the export made before the LAS rolled over: last year's data.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from lwtop_toolkit.model import Tables
from lwtop_toolkit.samples.school import SampleSchool, generate_school, group_id
from lwtop_toolkit.writers.importfiles import write_import_files

ANOMALIES_FOLDER = "afwijkingen"
NOT_ROLLED_OVER_FOLDER = "niet-overgezet"


@dataclass(frozen=True)
class Planted:
    """One planted anomaly: the finding code it must give and the pupil or group it concerns."""

    code: str
    subject: str  # the pupil's new leerling_id, or the group's groep_id
    what: str


def plant_anomalies(school: SampleSchool) -> tuple[Tables, list[Planted]]:
    """The new year of `school` with anomalies planted, and the list of what was planted."""
    new = school.new
    year = new.schooljaar()
    assert year is not None
    pupils = new.leerlingen.copy()
    groups = new.groepen.copy()
    truth = school.truth.set_index("leerling_id")
    promoted = [
        pupil
        for pupil in pupils["leerling_id"]
        if truth.loc[pupil, "status"] == "promoted" and pupil.startswith("0")
    ]
    picks = iter(promoted[::17])  # spread over the school, deterministic
    planted: list[Planted] = []

    def row_of(pupil: str) -> int:
        return int(pupils.index[pupils["leerling_id"].eq(pupil)][0])

    pupil = next(picks)
    new_id = "9" + pupil[1:]
    pupils.loc[row_of(pupil), "leerling_id"] = new_id
    planted.append(Planted("matched-on-eckid", new_id, "nieuw leerlingnummer, zelfde ECK iD"))

    pupil = next(picks)
    row = row_of(pupil)
    pupils.loc[row, ["leerling_id", "eckid"]] = [pupil.lstrip("0"), ""]
    planted.append(
        Planted("matched-without-leading-zeros", pupil.lstrip("0"), "voorloopnullen kwijt")
    )

    pupil = next(picks)
    row = row_of(pupil)
    new_id = "8" + pupil[1:]
    pupils.loc[row, ["leerling_id", "eckid"]] = [new_id, ""]
    pupils.loc[row, "achternaam"] = pupils.loc[row, "achternaam"].upper()
    planted.append(Planted("possible-id-change", new_id, "nieuw nummer en naam in hoofdletters"))

    pupil = next(picks)
    row = row_of(pupil)
    lower = str(int(pupils.loc[row, "jaargroep"]) - 2)
    target = groups[groups["jaargroep"].eq(lower)]["groep_id"].iloc[0]
    pupils.loc[row, ["jaargroep", "groep_id"]] = [lower, target]
    planted.append(Planted("jaargroep-step-back", pupil, f"terug naar jaargroep {lower}"))

    pupil = next(picks)
    row = row_of(pupil)
    pupils.loc[row, "geboortedatum"] = pupils.loc[row, "geboortedatum"] - pd.DateOffset(years=4)
    planted.append(Planted("age-jaargroep-mismatch", pupil, "vier jaar ouder dan de jaargroep"))

    pupil = next(picks)
    pupils.loc[row_of(pupil), "groep_id"] = ""
    planted.append(Planted("pupil-without-group", pupil, "geen stamgroep"))

    # two pupils of 8A in a new group 8C: too small; all of 5B into 5A: too large, 5B empty
    small = group_id(year, "8C")
    groups = _add_group(groups, small, "8C", "8")
    in_8a = pupils.index[pupils["groep_id"].eq(group_id(year, "8A"))][:2]
    pupils.loc[in_8a, "groep_id"] = small
    planted.append(Planted("group-too-small", small, "groep 8C met twee leerlingen"))
    large, emptied = group_id(year, "5A"), group_id(year, "5B")
    pupils.loc[pupils["groep_id"].eq(emptied), "groep_id"] = large
    planted.append(Planted("group-too-large", large, "5A en 5B samen"))
    planted.append(Planted("empty-group", emptied, "5B zonder leerlingen"))

    tables = Tables(groups, pupils, new.medewerkers.copy(), new.medewerker_groepen.copy())
    return tables, planted


def _add_group(groups: pd.DataFrame, key: str, name: str, jaargroep: str) -> pd.DataFrame:
    template = groups[groups["jaargroep"].eq(jaargroep)].iloc[[0]].copy()
    template[["groep_id", "groepsnaam"]] = [key, name]
    return pd.concat([groups, template], ignore_index=True)


def write_anomaly_samples(out_dir: Path, *, seed: int = 2026) -> list[Path]:
    """Write both deliveries under `out_dir`; return the files written."""
    school = generate_school(seed)
    planted, _ = plant_anomalies(school)
    year = str(school.new.schooljaar())
    written = write_import_files(planted, Path(out_dir) / ANOMALIES_FOLDER / year)
    written += write_import_files(school.old, Path(out_dir) / NOT_ROLLED_OVER_FOLDER / year)
    return written
