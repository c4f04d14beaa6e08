"""Staff lists of LAS exports (docent code, name, function) and the mentor links of pupil lists.

A staff member's id is the LAS's staff number, or the docent code (`afkorting`) when the list has
no number. The product role comes from the LAS function through roles.py (overridable); staff
without a product role stay, with `rol` "". A mentor column of a pupil list names staff by code
or number: each (mentor, class) becomes a staff-group link.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pandas as pd

from lwtop_toolkit.findings import concat, finding, for_rows, frame
from lwtop_toolkit.las.roles import map_roles
from lwtop_toolkit.model import SOURCE_FILE, SOURCE_ROW
from lwtop_toolkit.readers.files.headers import match_headers
from lwtop_toolkit.readers.files.sheet import Sheet
from lwtop_toolkit.readers.pupil_lists import MENTOR_FIELDS, lost_characters, matched_rows

# Fields of a staff list: the canonical medewerkers columns plus `code` (the docent code that
# mentor columns use) and `naam` (`Achternaam, Roepnaam`). `las_rol` is the LAS's own function;
# `top_rol`, when a list has it, is the product role itself.
STAFF_ALIASES: dict[str, tuple[str, ...]] = {
    "medewerker_id": (
        "medewerkernummer", "medewerkernr", "personeelsnummer", "personeelsnr",
        "werknemernummer",
    ),
    "code": ("afkorting", "docentcode", "docent code", "code", "medewerkercode", "docent"),
    "naam": ("volledige naam", "naam medewerker", "medewerker", "docentnaam"),
    "achternaam": ("lastname", "familienaam"),
    "tussenvoegsel": ("voorvoegsel", "voorvoegsels", "voorvoegsel(s)", "tussenvoeg"),
    "roepnaam": ("voornaam",),
    "email": ("e-mail", "emailadres", "e-mailadres", "mail"),
    "las_rol": ("functie", "functies", "rol", "rollen"),
    "top_rol": ("rol top", "toprol", "rol in top dossier"),
}  # fmt: skip
TRIMMED = frozenset({"medewerker_id", "code", "email", "las_rol", "top_rol"})
# A staff list names no pupil things: these headers make a sheet a pupil list instead.
PUPIL_MARKERS = ("groep_id", "geboortedatum", "leerjaar", "jaargroep")
MENTOR_SEPARATORS = re.compile(r"\s*[,;|/]\s*")


def is_staff_header(
    header: list[str],
    aliases: Mapping[str, tuple[str, ...]],
    pupil_aliases: Mapping[str, tuple[str, ...]],
) -> bool:
    """A staff list names a number or code, and a name or function, and no class or leerjaar."""
    found = set(match_headers(header, aliases).columns)
    pupil = set(match_headers(header, pupil_aliases).columns)
    return (
        bool({"medewerker_id", "code"} & found)
        and bool({"naam", "achternaam", "las_rol"} & found)
        and not set(PUPIL_MARKERS) & pupil
    )


def translate_staff(
    sheet: Sheet,
    aliases: Mapping[str, tuple[str, ...]],
    roles: Mapping[str, str] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One staff list as medewerkers rows (plus `code`), with the findings of reading it."""
    table, file = "medewerkers", sheet.file
    match = match_headers(sheet.header, aliases)
    notes: list[dict[str, Any]] = match.findings(file, table, sheet.header_row)
    columns = set(match.columns)
    if "naam" not in columns and "achternaam" not in columns:
        notes.append(
            finding(
                "missing-column", file=file, table=table, row=sheet.header_row, column="achternaam"
            )
        )
    rows, parts = matched_rows(sheet, match, table, TRIMMED, notes)
    code = rows["code"] if "code" in rows else pd.Series("", index=rows.index, dtype="str")
    rows["code"] = code
    number = rows.get("medewerker_id", code)
    rows["medewerker_id"] = number.mask(number.eq(""), code)
    las_rol = rows["las_rol"] if "las_rol" in rows else pd.Series("", index=rows.index)
    rows["las_rol"] = las_rol.astype("str")
    product = map_roles(rows["las_rol"], roles)
    if "top_rol" in rows:  # the list names the product role itself: it wins where filled
        product = rows["top_rol"].mask(rows["top_rol"].eq(""), product)
    rows["rol"] = product.astype("str")
    parts.append(lost_characters(rows, table))
    if rows.empty:
        parts.append(frame([finding("no-rows", file=file, table=table)]))
    return rows, concat(parts)


def mentor_links(pupils: pd.DataFrame, staff: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Staff-group links from the mentor columns of the pupil rows, with their findings.

    A mentor is named by docent code or staff number; one link per (staff, class), at the first
    pupil row that names it. Mentors not in the staff list are a warning, once per name.
    """
    present = [column for column in MENTOR_FIELDS if column in pupils]
    empty = pd.DataFrame(columns=["medewerker_id", "groep_id", SOURCE_FILE, SOURCE_ROW])
    if not present or pupils.empty:
        return empty, concat([])
    named = []
    for column in present:
        cells = pupils[[column, "groep_id", SOURCE_FILE, SOURCE_ROW]].rename(
            columns={column: "mentor"}
        )
        named.append(cells.assign(_order=MENTOR_FIELDS.index(column)))
    long = pd.concat(named).reset_index(names="_pupil")
    long["mentor"] = long["mentor"].str.split(MENTOR_SEPARATORS)
    long = long.explode("mentor")
    long["mentor"] = long["mentor"].fillna("").str.strip()
    long = long[long["mentor"].ne("") & long["groep_id"].ne("")]
    long = long.sort_values(["_pupil", "_order"], kind="stable")
    if long.empty:
        return empty, concat([])
    if staff.empty:
        first = long.iloc[:1]
        note = for_rows("mentors-without-staff", first, table="leerlingen", column="mentor")
        return empty, note
    ids = dict(zip(staff["code"], staff["medewerker_id"], strict=True))
    ids.update({number: number for number in staff["medewerker_id"]})
    ids.pop("", None)
    long["medewerker_id"] = long["mentor"].map(ids)
    unknown = long[long["medewerker_id"].isna()].drop_duplicates("mentor")
    links = long[long["medewerker_id"].notna()].drop_duplicates(["medewerker_id", "groep_id"])
    note = for_rows(
        "unknown-mentor", unknown, table="leerlingen", column="mentor", group=unknown["groep_id"]
    )
    return links[["medewerker_id", "groep_id", SOURCE_FILE, SOURCE_ROW]], note
