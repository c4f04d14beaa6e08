"""Reading the filled staff–group assignment workbook back: the links and what is wrong with them.

Not a registry reader: `read_staff_sheet(path, new)` reads the workbook `write_staff_sheet` made
and checks it against the new year's tables; `read_staff_links(path, new)` does the same for the
`medewerker_groepen.csv` that `lwtop staff-links` writes. Both return `medewerker_groepen`
(canonical columns, `_file`/`_row` pointing at the row) and a Findings frame.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from lwtop_toolkit import findings as fd
from lwtop_toolkit.board.schools import group_schools, staff_homes
from lwtop_toolkit.check.validate import validate
from lwtop_toolkit.findings import ToolkitError, finding
from lwtop_toolkit.las.catalogue import COMMANDS, Ways
from lwtop_toolkit.model import PRODUCT_ROLES, STAMGROEP, Tables
from lwtop_toolkit.readers.files.own_workbooks import open_own_workbook, own_workbook_texts
from lwtop_toolkit.readers.names import fold_name, name_keys
from lwtop_toolkit.sheets.staff_write import (
    HEADER_ALIASES,
    META_KIND,
    SHEET_ASSIGNMENT,
    SHEET_META,
    STRUCTURE_KEYS,
    shown_years,
    structure_headers,
)
from lwtop_toolkit.steps.staffing import (
    eligible_staff,
    fingerprint,
    group_rows,
    role_reason,
    school_of,
    staff_frame,
)

_TEACHER_HEADER = re.compile(r"^leerkracht\s*(\d+)$", re.IGNORECASE)
# `Naam (id)` as the drop-down list writes it; the id is what counts.
_WITH_ID = re.compile(r"^(?P<name>.*?)\s*\(\s*(?P<id>[^()]+?)\s*\)$")
_LINKS = "medewerker_groepen"


def read_staff_sheet(
    path: Path | str, new: Tables, ways: Ways = COMMANDS
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The links a filled assignment workbook holds, and the findings about it; what makes a
    new workbook is named as `ways` does (the command, or the app's step).

    Raises ToolkitError when the file is no readable .xlsx or has no `Toewijzing` sheet. A row
    whose structure cells were changed still gives its links (the error stops the bundle); an
    added row gives none. A workbook of another school or year gives no links at all.
    """
    path = Path(path)
    sheets = _open(path, ways)
    label = f"{path} [{SHEET_ASSIGNMENT}]"
    origin, other_school = _check_origin(str(path), sheets.get(SHEET_META), new, ways)
    if other_school:
        return _links_frame([]), fd.frame(origin)
    reading = _Reading(label, new, ways.make_sheet)
    reading.rows(sheets[SHEET_ASSIGNMENT])
    links = _links_frame(reading.links)
    for at, school, homes in other_school_links(links, new).itertuples(index=False):
        header, text = reading.cells[at]
        reading.note("staff-of-other-school", table=_LINKS, row=reading.links[at][3],
                     column=header, value=text, label=text, homes=homes, school=school,
                     group=reading.links[at][1])  # fmt: skip
    return links, fd.concat([fd.frame(origin), fd.frame(reading.notes)])


def read_staff_links(path: Path | str, new: Tables) -> tuple[pd.DataFrame, pd.DataFrame]:
    """`medewerker_groepen` from a CSV (or XLSX) of links, checked against the new year.

    The checks of `validate` on links (unknown staff or group, doubled link) plus
    `link_findings` (a person whose role may not be linked).
    """
    from lwtop_toolkit.readers import KNOWN_HEADERS
    from lwtop_toolkit.readers.importfiles import read_table

    links, reading = read_table(Path(path), _LINKS, KNOWN_HEADERS)
    checked = validate(Tables(new.groepen, new.leerlingen, new.medewerkers, links))
    return links, fd.concat(
        [reading, checked[checked["table"].eq(_LINKS)], link_findings(links, new)]
    )


def link_findings(links: pd.DataFrame, new: Tables) -> pd.DataFrame:
    """`staff-not-linkable` for each link to a known person without a product role, and
    `staff-of-other-school` for each link to a group of a school the person is not of."""
    staff = staff_frame(new)
    roles = dict(zip(staff["medewerker_id"], staff["rol"], strict=True))
    rol = links["medewerker_id"].map(roles)
    wrong = links[rol.notna() & ~rol.isin(PRODUCT_ROLES)]
    reasons = wrong["medewerker_id"].map(roles).map(role_reason)
    other = other_school_links(links, new)
    rows = links.iloc[other["position"].to_numpy()]
    label = pd.Series(staff["label"].to_numpy(), index=staff["medewerker_id"])
    mine = {
        "school": other["school"].set_axis(rows.index),
        "homes": other["homes"].set_axis(rows.index),
    }
    return fd.concat(
        [
            fd.for_rows(
                "staff-not-linkable", wrong, table=_LINKS, column="medewerker_id", reason=reasons
            ),
            fd.for_rows(
                "staff-of-other-school",
                rows,
                table=_LINKS,
                column="medewerker_id",
                label=rows["medewerker_id"].map(label),
                group=rows["groep_id"],
                **mine,
            ),
        ]
    )


def other_school_links(links: pd.DataFrame, new: Tables) -> pd.DataFrame:
    """The links of a board that give a staff member a group of a school they are not of
    (`schools.staff_homes`: by their links in the export, else their own export's schools).
    The bundle of that school then holds them, with that group's dossiers: a coordinator must
    mean it. Columns `position` (in `links`), `school` (the group's), `homes` (theirs, Dutch).
    Links to unknown staff or groups are left to `validate`."""
    columns = {"position": pd.Series(dtype="int64"), "school": [], "homes": []}
    homes = staff_homes(new)
    if homes.empty or links.empty:
        return pd.DataFrame(columns)
    own = homes.groupby("medewerker_id")["school"].agg(lambda at: " en ".join(sorted(at)))
    school = links["groep_id"].map(group_schools(new))
    known = school.notna() & links["medewerker_id"].isin(own.index)
    pairs = set(zip(homes["medewerker_id"], homes["school"], strict=True))
    mine = [
        (staff_id, at) in pairs
        for staff_id, at in zip(links["medewerker_id"], school.fillna(""), strict=True)
    ]
    other = (known & ~pd.Series(mine, index=links.index)).to_numpy()
    return pd.DataFrame(
        {
            "position": pd.Series(other.nonzero()[0], dtype="int64"),
            "school": school[other].to_numpy(),
            "homes": links["medewerker_id"][other].map(own).to_numpy(),
        }
    )


def sheet_origin(path: Path | str, ways: Ways = COMMANDS) -> tuple[str, str, str]:
    """What the workbook at `path` was made for (its hidden sheet): school year, BRIN and the
    fingerprint of its group list, as `origin_of` gives them for the new year's tables. A
    board's per-school workbooks find their school with it. Raises ToolkitError when the file
    is no readable assignment workbook (its message names what makes one as `ways` does)."""
    values = _meta_values(_open(Path(path), ways).get(SHEET_META))
    return values.get("schooljaar", ""), values.get("brin", ""), values.get("vingerafdruk", "")


def origin_of(new: Tables) -> tuple[str, str, str]:
    """School year, BRIN and group-list fingerprint of `new`, as a workbook made for it says."""
    year, brin = school_of(new)
    return year, brin, fingerprint(group_rows(new))


# --- opening --------------------------------------------------------------------------------


def _open(path: Path, ways: Ways) -> dict[str, list[list[str]]]:
    """The `Toewijzing` and hidden sheets as rows of text; ToolkitError when unreadable."""
    name = str(path)
    workbook = open_own_workbook(
        path,
        f"de ingevulde toewijzingswerkmap aan zoals {ways.make_sheet} haar maakte",
        data_only=False,
    )
    if SHEET_ASSIGNMENT not in workbook.sheetnames:
        workbook.close()
        raise ToolkitError(
            "unreadable-file",
            file=name,
            reason=f"dit is geen toewijzingswerkmap: het tabblad {SHEET_ASSIGNMENT} ontbreekt. "
            f"Maak de werkmap met {ways.make_sheet}.",
        )
    wanted = [sheet for sheet in (SHEET_ASSIGNMENT, SHEET_META) if sheet in workbook.sheetnames]
    return own_workbook_texts(workbook, wanted)


def _check_origin(
    file: str, meta: list[list[str]] | None, new: Tables, ways: Ways
) -> tuple[list[dict[str, Any]], bool]:
    """Findings about the hidden sheet, and whether the workbook is of another school or year."""
    values = _meta_values(meta)
    make_sheet = ways.make_sheet
    if values.get("werkmap") != META_KIND:
        return [finding("staff-sheet-not-ours", file=file, make_sheet=make_sheet)], False
    year, brin, groups = origin_of(new)
    sheet_year, sheet_brin = values.get("schooljaar", ""), values.get("brin", "")
    if (sheet_year, sheet_brin) != (year, brin):
        other = finding(
            "staff-sheet-other-school-year",
            file=file,
            value=f"{sheet_year} {sheet_brin}",
            sheet_year=sheet_year or "onbekend",
            sheet_brin=sheet_brin or "onbekend",
            year=year or "onbekend",
            brin=brin or "onbekend",
            make_sheet=make_sheet,
        )
        return [other], True
    if values.get("vingerafdruk") != groups:
        return [finding("staff-sheet-groups-changed", file=file, make_sheet=make_sheet)], False
    return [], False


def _meta_values(meta: list[list[str]] | None) -> dict[str, str]:
    """The hidden sheet's rows as key -> value (column A -> column B)."""
    return {row[0]: row[1] for row in meta or [] if len(row) >= 2 and row[0]}


# --- the rows -------------------------------------------------------------------------------


@dataclass
class _People:
    by_id: dict[str, dict[str, Any]]
    by_name: dict[str, list[dict[str, Any]]]


@dataclass
class _Reading:
    """The state of reading the `Toewijzing` rows: links found and findings made."""

    file: str
    new: Tables
    make_sheet: str  # what makes a new workbook, as the face names it (`Ways.make_sheet`)
    links: list[tuple[str, str, str, int]] = field(default_factory=list)
    headed: dict[str, str] = field(default_factory=dict)  # a fixed column's header, by key
    cells: list[tuple[str, str]] = field(default_factory=list)  # per link: its header, text
    notes: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.people = _people(self.new)

    def note(self, code: str, **fields: Any) -> None:
        self.notes.append(finding(code, file=self.file, make_sheet=self.make_sheet, **fields))

    def rows(self, cells: list[list[str]]) -> None:
        header = [cell.strip() for cell in (cells[0] if cells else [])]
        expected = group_rows(self.new)
        positions = self._positions(header, structure_headers(expected["jaargroep"]))
        if positions is None:
            return
        structure, teachers = positions
        by_id = {row.groep_id: row for row in expected.itertuples(index=False)}
        seen: dict[str, int] = {}
        loose: list[tuple[int, list[str]]] = []
        for number, row in enumerate(cells[1:], start=2):
            row = row + [""] * (len(header) - len(row))
            if not any(cell.strip() for cell in row):
                continue
            group_id = row[structure["groep_id"]]
            if group_id in by_id and group_id not in seen:
                seen[group_id] = number
                self._compare(number, row, structure, by_id[group_id])
                self._teachers(number, row, teachers, by_id[group_id])
            else:
                loose.append((number, row))
        missing = [
            group for group in expected.itertuples(index=False) if group.groep_id not in seen
        ]
        for number, row in loose:
            name = row[structure["groepsnaam"]]
            paired = next((group for group in missing if group.groepsnaam == name and name), None)
            if paired is None or row[structure["groep_id"]] in by_id:
                value = row[structure["groep_id"]] or name
                self.note("staff-sheet-row-added", table="groepen", row=number,
                          column=self.headed["groep_id"], value=value)  # fmt: skip
                continue
            missing.remove(paired)
            self._compare(number, row, structure, paired)
            self._teachers(number, row, teachers, paired)
        for group in missing:
            self.note("staff-sheet-row-removed", table="groepen", column=self.headed["groep_id"],
                      value=group.groep_id, name=group.groepsnaam)  # fmt: skip
        self._idle_teachers()

    def _positions(
        self, header: list[str], headers: tuple[str, ...]
    ) -> tuple[dict[str, int], list[tuple[str, int]]] | None:
        """Column positions of the structure and teacher headers (a fixed column under any of
        its `HEADER_ALIASES`; `headers`: what this workbook would head them); None when rows
        cannot be read."""
        structure: dict[str, int] = {}
        folded = [text.casefold() for text in header]
        for position, (key, expected) in enumerate(zip(STRUCTURE_KEYS, headers, strict=True)):
            self.headed[key] = expected
            at = next((folded.index(name.casefold()) for name in HEADER_ALIASES[key]
                       if name.casefold() in folded), None)  # fmt: skip
            if at is not None:
                structure[key], self.headed[key] = at, header[at]
                continue
            found = header[position] if position < len(header) else ""
            self.note("staff-sheet-structure-changed", table="groepen", row=1, column=expected,
                      value=found, expected=expected)  # fmt: skip
        teachers = [(text, i) for i, text in enumerate(header) if _TEACHER_HEADER.match(text)]
        if not teachers:
            self.note("staff-sheet-structure-changed", table=_LINKS, row=1, column="Leerkracht 1",
                      value="", expected="Leerkracht 1")  # fmt: skip
        if len(structure) < len(STRUCTURE_KEYS) or not teachers:
            return None
        return structure, teachers

    def _compare(self, number: int, row: list[str], structure: dict[str, int], group: Any) -> None:
        for key in STRUCTURE_KEYS:
            found, expected = row[structure[key]], str(getattr(group, key))
            if key == "jaargroep" and found != expected:  # a workbook shows 11-16 as 1-6
                expected = shown_years(expected)
            if found != expected:
                self.note("staff-sheet-structure-changed", table="groepen", row=number,
                          column=self.headed[key], value=found, expected=expected)  # fmt: skip

    def _teachers(
        self, number: int, row: list[str], teachers: list[tuple[str, int]], group: Any
    ) -> None:
        """The links of one group's row. A stamgroep without a teacher is a warning; a
        samengestelde groep (a Plusklas) may stay empty."""
        group_id = group.groep_id
        linked: set[str] = set()
        problems = False
        for header, position in teachers:
            text = " ".join(row[position].split())
            if not text:
                continue
            staff_id, problem = _resolve(text, self.people)
            if problem is not None:
                code, params = problem
                self.note(code, table=_LINKS, row=number, column=header, value=text, **params)
                problems = True
            elif staff_id in linked:
                self.note("duplicate-link", table=_LINKS, row=number, column=header, value=text)
            else:
                linked.add(staff_id)
                self.links.append((staff_id, group_id, self.file, number))
                self.cells.append((header, text))
        if not linked and not problems and group.soort == STAMGROEP:
            self.note("staff-sheet-group-without-teacher", table=_LINKS, row=number,
                      column=teachers[0][0], value=group_id)  # fmt: skip

    def _idle_teachers(self) -> None:
        linked = {staff_id for staff_id, _, _, _ in self.links}
        for person in eligible_staff(self.new).itertuples(index=False):
            if person.medewerker_id not in linked:
                self.note("staff-sheet-teacher-without-group", table="medewerkers",
                          column="medewerker_id", value=person.label)  # fmt: skip


def _resolve(text: str, people: _People) -> tuple[str, tuple[str, dict[str, str]] | None]:
    """The medewerker_id a typed or chosen cell means, or a finding code with its parameters."""
    match = _WITH_ID.match(text)
    if match:
        person = people.by_id.get(match["id"])
        if person is None:
            return "", ("staff-sheet-unknown-name", {})
        name = fold_name(match["name"])
        if name and name not in person["names"]:
            params = {"medewerker_id": person["medewerker_id"], "label": person["label"]}
            return "", ("staff-sheet-name-mismatch", params)
        candidates = [person]
    elif text in people.by_id:
        candidates = [people.by_id[text]]
    else:
        candidates = people.by_name.get(fold_name(text), [])
    if not candidates:
        return "", ("staff-sheet-unknown-name", {})
    if len(candidates) > 1:
        matches = ", ".join(person["label"] for person in candidates)
        return "", ("staff-sheet-ambiguous-name", {"matches": matches})
    person = candidates[0]
    reason = role_reason(person["rol"])
    if reason:
        return "", ("staff-not-linkable", {"reason": reason})
    return str(person["medewerker_id"]), None


def _people(new: Tables) -> _People:
    """The new year's staff by id and by every folded way of writing their name."""
    by_id: dict[str, dict[str, Any]] = {}
    by_name: dict[str, list[dict[str, Any]]] = {}
    for person in staff_frame(new).to_dict("records"):
        person["names"] = name_keys(
            person["roepnaam"], person["tussenvoegsel"], person["achternaam"]
        )
        by_id[person["medewerker_id"]] = person
        for name in person["names"]:
            by_name.setdefault(name, []).append(person)
    return _People(by_id, by_name)


def _links_frame(links: list[tuple[str, str, str, int]]) -> pd.DataFrame:
    frame = pd.DataFrame(links, columns=["medewerker_id", "groep_id", "_file", "_row"])
    return Tables.from_frames(medewerker_groepen=frame).medewerker_groepen
