"""Staff lists of LAS exports (docent code, name, function) and the mentor links of pupil lists.

A staff member's id is the LAS's staff number, or the docent code (`afkorting`) when the list has
no number. The product role comes from the LAS function through roles.py (overridable); staff
without a product role stay, with `rol` "". Staff out of service (a `*` code, an `uit dienst`
column) are left out before (readers/activity.py). A mentor column of a pupil list names staff by
code, number or name (`Jan de Vries`, `Vries, Jan de`: the staff workbook's matcher): each
(mentor, class) becomes a staff-group link.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pandas as pd

from lwtop_toolkit.findings import concat, finding, for_rows, frame
from lwtop_toolkit.las.roles import map_roles
from lwtop_toolkit.model import SOURCE_FILE, SOURCE_ROW, texts_of
from lwtop_toolkit.readers.activity import OUT_OF_SERVICE_MARK
from lwtop_toolkit.readers.files.headers import match_headers
from lwtop_toolkit.readers.files.sheet import Sheet
from lwtop_toolkit.readers.names import NAME_COLUMNS, fold_name, name_index, staff_label
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
    "tussenvoegsel": ("voorvoegsel", "voorvoegsels", "voorvoegsel(s)", "tussenvoeg", "tussenv"),
    "roepnaam": ("voornaam",),
    "email": (
        "e-mail", "emailadres", "e-mailadres", "mail", "email_werk", "e-mail werk",
        "e-mailadres werk", "werkmail",
    ),
    "las_rol": (
        "functie", "functies", "rol", "rollen", "functie.omschr", "functieomschrijving",
        "omschrijving functie",
    ),
    "top_rol": ("rol top", "toprol", "rol in top dossier"),
    # in or out of service (readers/activity.py reads the values; `uit dienst` says the opposite)
    "actief": ("medewerkeractief", "status", "in dienst", "uit dienst", "inactief"),
}  # fmt: skip
TRIMMED = frozenset({"medewerker_id", "code", "email", "las_rol", "top_rol"})
# A staff list names no pupil things: these headers make a sheet a pupil list instead.
PUPIL_MARKERS = ("groep_id", "geboortedatum", "leerjaar", "jaargroep")


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


def mentor_links(
    pupils: pd.DataFrame, staff: pd.DataFrame, gone: pd.DataFrame | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Staff-group links from the mentor columns of the pupil rows, with their findings.

    A mentor is named by docent code, staff number or name (`MentorBook`); one link per
    (staff, class), at the first pupil row that names it. `gone`: the staff out of service
    (readers/activity.py). A mentor not in the staff list is a warning once per name; one out
    of service, or a name several staff share, a warning once per name and class.
    """
    present = [column for column in MENTOR_FIELDS if column in pupils]
    empty = pd.DataFrame(columns=["medewerker_id", "groep_id", SOURCE_FILE, SOURCE_ROW])
    gone = gone if gone is not None else pd.DataFrame()
    if not present or pupils.empty:
        return empty, concat([])
    named = []
    for column in present:
        cells = pupils[[column, "groep_id", SOURCE_FILE, SOURCE_ROW]].rename(
            columns={column: "cell"}
        )
        named.append(cells.assign(_order=MENTOR_FIELDS.index(column)))
    long = pd.concat(named).reset_index(names="_pupil")
    long["cell"] = long["cell"].fillna("").str.strip()
    long = long[long["cell"].ne("") & long["groep_id"].ne("")]
    if long.empty:
        return empty, concat([])
    if staff.empty and gone.empty:
        first = long.sort_values(["_pupil", "_order"], kind="stable").iloc[:1]
        note = for_rows("mentors-without-staff", first, table="leerlingen", column="mentor")
        return empty, note
    book = MentorBook(staff, gone)
    resolved = {cell: book.cell(cell) for cell in long["cell"].unique()}
    long["_found"] = long["cell"].map(resolved)
    long = long.explode("_found").sort_values(["_pupil", "_order"], kind="stable")
    long = long.reset_index(drop=True)
    found = pd.DataFrame(long["_found"].tolist(), index=long.index,
                         columns=["mentor", "kind", "detail"])  # fmt: skip
    long = pd.concat([long.drop(columns=["cell", "_found"]), found], axis=1)
    linked = long[long["kind"].eq(LINK)].assign(medewerker_id=lambda rows: rows["detail"])
    links = linked.drop_duplicates(["medewerker_id", "groep_id"])
    unknown = long[long["kind"].eq(UNKNOWN)].drop_duplicates("mentor")
    notes = [for_rows("unknown-mentor", unknown, table="leerlingen", column="mentor",
                      group=unknown["groep_id"])]  # fmt: skip
    for kind, code, param in ((AMBIGUOUS, "ambiguous-mentor", "matches"),
                              (OUT_OF_SERVICE, "mentor-out-of-service", "label")):  # fmt: skip
        hits = long[long["kind"].eq(kind)].drop_duplicates(["mentor", "groep_id"])
        notes.append(for_rows(code, hits, table="leerlingen", column="mentor",
                              group=hits["groep_id"], **{param: hits["detail"]}))  # fmt: skip
    return links[["medewerker_id", "groep_id", SOURCE_FILE, SOURCE_ROW]], concat(notes)


# What a mentor as written turns out to be: (as written, one of these, id or Dutch detail).
LINK, UNKNOWN, AMBIGUOUS, OUT_OF_SERVICE = "link", "unknown", "ambiguous", "out-of-service"
# Several mentors in a cell: `;`, `|` and `/` always part them; a `,` may be inside a name
# (`Vries, Jan de`), so it parts them only when the whole is no name.
STRONG_SEPARATORS = re.compile(r"\s*[;|/]\s*")


class MentorBook:
    """The staff by code, number and name (the staff workbook's matcher, readers/names.py),
    and the staff out of service, to look up what a mentor column says."""

    def __init__(self, staff: pd.DataFrame, gone: pd.DataFrame) -> None:
        self.ids = _ids(staff)
        self.names = name_index(staff)
        self.labels = _labels(staff)
        self.gone_ids = {
            key.lstrip(OUT_OF_SERVICE_MARK): ident for key, ident in _ids(gone).items()
        }
        self.gone_names = name_index(gone)
        self.gone_labels = _labels(gone)

    def cell(self, text: str) -> list[tuple[str, str, str]]:
        """Each mentor a cell names: (as written, kind, detail)."""
        found: list[tuple[str, str, str]] = []
        for piece in filter(None, STRONG_SEPARATORS.split(text.strip())):
            whole = self.one(piece)
            parts = [part.strip() for part in piece.split(",") if part.strip()]
            if whole[1] != UNKNOWN or len(parts) < 2:
                found.append(whole)
                continue
            each = [self.one(part) for part in parts]
            found.extend(each if any(kind != UNKNOWN for _, kind, _ in each) else [whole])
        return found

    def one(self, text: str) -> tuple[str, str, str]:
        """One mentor as written: a code or number, else a name; in service first."""
        if text in self.ids:
            return text, LINK, self.ids[text]
        if text.lstrip(OUT_OF_SERVICE_MARK) in self.gone_ids:
            ident = self.gone_ids[text.lstrip(OUT_OF_SERVICE_MARK)]
            return text, OUT_OF_SERVICE, self.gone_labels.get(ident, ident)
        name = fold_name(text)
        matches = self.names.get(name, [])
        if len(matches) == 1:
            return text, LINK, matches[0]
        if matches:
            return text, AMBIGUOUS, ", ".join(self.labels.get(ident, ident) for ident in matches)
        if name in self.gone_names:
            ident = self.gone_names[name][0]
            return text, OUT_OF_SERVICE, self.gone_labels.get(ident, ident)
        return text, UNKNOWN, ""


def _ids(staff: pd.DataFrame) -> dict[str, str]:
    """Docent code or staff number -> staff id."""
    if staff.empty:
        return {}
    ids = dict(zip(staff["code"], staff["medewerker_id"], strict=True))
    ids.update({number: number for number in staff["medewerker_id"]})
    ids.pop("", None)
    return ids


def _labels(staff: pd.DataFrame) -> dict[str, str]:
    """Staff id -> `Roepnaam tussenvoegsel Achternaam (id)`."""
    if staff.empty:
        return {}
    empty = [""] * len(staff)
    columns = [texts_of(staff[c]) if c in staff else empty for c in NAME_COLUMNS]
    idents = texts_of(staff["medewerker_id"])
    return {
        ident: staff_label(first, middle, last, ident)
        for first, middle, last, ident in zip(*columns, idents, strict=True)
    }
