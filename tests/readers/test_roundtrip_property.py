"""Property: valid tables written as import files (CSV and XLSX) and read back are equal."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lwtop_toolkit import read, validate
from lwtop_toolkit.model import TABLE_NAMES, Tables
from lwtop_toolkit.writers.importfiles import write_import_files

LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZëéçışüöÀ"
NAME_CHARS = LETTERS + ";\"' -,\t=+@"
names = st.text(alphabet=NAME_CHARS, min_size=1, max_size=14).map(str.strip).filter(bool)
ids = st.text(alphabet="0123456789", min_size=1, max_size=7).map(lambda s: "0" + s)
codes = st.sampled_from(["1", "2", "3", "4", "5", "6", "7", "8", "S", "V", "11", "16"])
dates = st.dates(
    min_value=pd.Timestamp("2002-01-01").date(), max_value=pd.Timestamp("2022-12-31").date()
)


@st.composite
def school(draw: st.DrawFn) -> Tables:
    group_ids = draw(st.lists(ids, min_size=1, max_size=4, unique=True))
    groups = pd.DataFrame(
        {
            "groep_id": group_ids,
            "groepsnaam": draw(st.lists(names, min_size=len(group_ids), max_size=len(group_ids))),
            "jaargroep": draw(st.lists(codes, min_size=len(group_ids), max_size=len(group_ids))),
            "soort": "stamgroep",
            "schooljaar": "2026-2027",
            "brin": "12AB",
            "vestiging": "00",
        }
    )
    pupil_ids = draw(st.lists(ids, min_size=1, max_size=8, unique=True))
    n = len(pupil_ids)
    pupils = pd.DataFrame(
        {
            "leerling_id": pupil_ids,
            "achternaam": draw(st.lists(names, min_size=n, max_size=n)),
            "tussenvoegsel": draw(
                st.lists(st.sampled_from(["", "van", "van 't", "de"]), min_size=n, max_size=n)
            ),
            "roepnaam": draw(st.lists(names, min_size=n, max_size=n)),
            "voorletters": draw(
                st.lists(st.sampled_from(["", "A.", "J.P."]), min_size=n, max_size=n)
            ),
            "geboortedatum": pd.to_datetime(draw(st.lists(dates, min_size=n, max_size=n))),
            "geslacht": draw(
                st.lists(st.sampled_from(["M", "V", "X", "O"]), min_size=n, max_size=n)
            ),
            "jaargroep": draw(st.lists(codes, min_size=n, max_size=n)),
            "groep_id": draw(st.lists(st.sampled_from(group_ids), min_size=n, max_size=n)),
            "brin": "12AB",
            "vestiging": "00",
        }
    )
    staff_ids = draw(st.lists(ids, min_size=1, max_size=3, unique=True))
    m = len(staff_ids)
    staff = pd.DataFrame(
        {
            "medewerker_id": staff_ids,
            "achternaam": draw(st.lists(names, min_size=m, max_size=m)),
            "roepnaam": draw(st.lists(names, min_size=m, max_size=m)),
            "email": "juf@example.org",
            "rol": draw(
                st.lists(
                    st.sampled_from(["TOP leerkracht", "TOP leerkracht +", ""]),
                    min_size=m,
                    max_size=m,
                )
            ),
        }
    )
    return Tables.from_frames(groepen=groups, leerlingen=pupils, medewerkers=staff)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables=school(), kind=st.sampled_from(["csv", "xlsx"]))
def test_written_import_files_read_back_equal(tables: Tables, kind: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        write_import_files(tables, Path(folder), kind=kind)  # type: ignore[arg-type]
        result = read([Path(folder)])
    reading_errors = result.findings[result.findings["severity"].eq("error")]
    assert reading_errors.empty, reading_errors
    for name in TABLE_NAMES:
        pd.testing.assert_frame_equal(result.tables.canonical(name), tables.canonical(name))
    # what was read is what validation sees: no error comes from the round trip itself
    assert not validate(result.tables)["code"].isin(["invalid-date", "missing-value"]).any()
