"""What the LAS export writers share: CSV bytes, Dutch dates, docent codes, mentor columns."""

from __future__ import annotations

import csv
import io
import unicodedata

import pandas as pd

from lwtop_toolkit.model import Tables
from lwtop_toolkit.readers.files.cellsafety import neutralise

LINE_END = "\r\n"


def csv_bytes(
    header: list[str], rows: pd.DataFrame, *, delimiter: str, encoding: str, bom: bool = False
) -> bytes:
    """A CSV file as a Windows program writes it: `\\r\\n`, quotes only where needed.

    Characters the code page cannot hold become `?`, as they do in real Windows-1252 exports.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=LINE_END)
    writer.writerow(header)
    cells = rows.fillna("").astype("str")
    cells = cells.apply(neutralise) if len(cells.columns) else cells  # spreadsheet-safe
    writer.writerows(cells.itertuples(index=False, name=None))
    data = buffer.getvalue().encode(encoding, errors="replace")
    return (b"\xef\xbb\xbf" + data) if bom else data


def dutch_dates(dates: pd.Series) -> pd.Series:
    """Dates as `dd-mm-jjjj`, the way Dutch exports write them ("" for none)."""
    return dates.dt.strftime("%d-%m-%Y").fillna("")


def leerjaar(jaargroep: pd.Series) -> pd.Series:
    """EDEXML jaargroep 11-16 as the VO leerjaar a LAS writes (1-6); other codes as they are."""
    vo = jaargroep.str.fullmatch(r"1[1-6]")
    return jaargroep.mask(vo, jaargroep.str.slice(1))


def staff_codes(staff: pd.DataFrame) -> pd.Series:
    """A docent code per staff member: three letters of the surname, a digit when taken."""
    plain = staff["achternaam"].map(
        lambda name: unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    )
    base = plain.str.replace(r"[^A-Za-z]", "", regex=True).str.slice(0, 3).str.upper()
    taken: set[str] = set()
    codes = []
    for stem in base:
        code, number = stem or "MED", 1
        while code in taken:
            number += 1
            code = f"{stem}{number}"
        taken.add(code)
        codes.append(code)
    return pd.Series(codes, index=staff.index, dtype="str")


def mentors(tables: Tables, names: pd.Series, count: int) -> pd.DataFrame:
    """Per pupil, `count` columns naming the staff linked to the pupil's stamgroep (`names`:
    what the export calls a staff member, indexed by medewerker_id)."""
    links = tables.medewerker_groepen.merge(
        tables.medewerkers[["medewerker_id"]], on="medewerker_id"
    )
    links = links.assign(naam=links["medewerker_id"].map(names))
    per_group = links.groupby("groep_id", sort=False)["naam"].agg(list)
    lists = tables.leerlingen["groep_id"].map(per_group)
    columns = {
        position: lists.map(
            lambda names, i=position: names[i] if isinstance(names, list) and len(names) > i else ""
        )
        for position in range(count)
    }
    return pd.DataFrame(columns, index=tables.leerlingen.index)
