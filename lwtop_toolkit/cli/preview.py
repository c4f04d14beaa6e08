"""`lwtop preview --old PATH... --new PATH...`: the transition plan in the terminal, as JSON,
as the audit workbook and as the flow picture.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from lwtop_toolkit import findings as fd
from lwtop_toolkit.board.moves import moves_note
from lwtop_toolkit.check.loading import Loaded
from lwtop_toolkit.check.validate import enrolled_twice
from lwtop_toolkit.cli.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    add_command,
    add_dossier,
    add_format,
    add_json,
    add_las,
    add_map,
    add_new,
    add_old,
    add_quiet,
    add_sector,
    file_ending,
    findings_table,
    print_json,
    twice_note,
    writing,
    years_of,
)
from lwtop_toolkit.flows import plan_years
from lwtop_toolkit.model import listed_years_shown, year_word, years_shown
from lwtop_toolkit.plan.anomalies import flag_titles
from lwtop_toolkit.plan.frames import STATUS_LABELS, status_keys, status_labels
from lwtop_toolkit.plan.hold import CODE as HOLD_CODE
from lwtop_toolkit.plan.hold import ONE_YEAR, Hold, SchoolHold, side_by_side
from lwtop_toolkit.plan.transition import TransitionPlan
from lwtop_toolkit.readers import READERS

SHOWN_GROUPS = 60
SHOWN_PUPILS = 60
SHOWN_ERRORS = 10
# The headers of the years in the tables (`model.year_word`): a VO school reads leerjaar 1-6.
YEAR_HEADERS = {"groep": ("jaargroepen", "jg"), "leerjaar": ("leerjaren", "lj"),
                "groep/leerjaar": ("jaargroepen/leerjaren", "jg/lj")}  # fmt: skip


def register(commands: Any) -> None:
    """Add `lwtop preview` to the subcommands."""
    preview = add_command(
        commands,
        "preview",
        summary="de overgang: elke leerling en groep van vorig jaar naast het nieuwe jaar",
        description="Zet de export van vorig jaar naast die van het nieuwe jaar: welke "
        "leerlingen doorgaan, blijven zitten, vertrekken of nieuw zijn, uit welke groepen de "
        "nieuwe groepen komen, en wat opvalt. Er wordt niets geüpload of veranderd; met --xlsx "
        "komt alles in een werkmap om na te lopen, met --png het doorstroomplaatje.",
        examples=[
            "lwtop preview --old sample_data/2025-2026 --new sample_data/2026-2027",
            "lwtop preview --old sample_data/2025-2026 --new sample_data/2026-2027 "
            "--xlsx overgang.xlsx",
        ],
    )
    add_old(preview)
    add_new(preview)
    add_format(preview)
    add_las(preview)
    add_map(preview)
    add_sector(preview)
    add_json(preview)
    preview.add_argument(
        "--xlsx",
        type=file_ending(".xlsx"),
        metavar="BESTAND",
        help="schrijf de auditwerkmap: elke leerling en groep met haar status en bevindingen",
    )
    preview.add_argument(
        "--png",
        type=file_ending(".png"),
        metavar="BESTAND",
        help="schrijf het doorstroomplaatje (PNG, en SVG ernaast); standaard naast --xlsx. Een "
        "bestuur krijgt één plaatje van al zijn scholen samen: de leerlingen per jaar, vorig "
        "jaar naar dit jaar",
    )
    preview.add_argument(
        "--png-per-school",
        type=Path,
        metavar="MAP",
        help="schrijf ook per school een doorstroomplaatje (PNG en SVG, genoemd naar de "
        "school) in deze map; bij een groot bestuur duurt dat even",
    )
    preview.add_argument(
        "--leerlingen", action="store_true", help="toon elke leerling, niet alleen de bijzondere"
    )
    add_dossier(preview, all_pupils=False)
    add_quiet(preview)
    preview.set_defaults(run=run_preview)


def run_preview(args: argparse.Namespace) -> int:
    years = years_of(args)
    done = plan_years(years)
    plan, findings, moves = done.plan, done.findings, done.moves
    written, per_school = _write(args, plan, findings, [*years.old.files, *years.new.files])
    written += per_school
    if args.json:
        twice = enrolled_twice(years.new.tables)
        document = preview_document(plan, findings, written, twice, held=done.hold)
        print_json({**document, "school_moves": [] if moves is None else records(moves)})
    else:
        old, new = years.old, years.new
        text = preview_text(
            plan, findings, old, new, everyone=args.leerlingen, moves=moves, held=done.hold
        )
        print(text)
        print(*written_lines(written, per_school, args.png_per_school), sep="\n")
    return EXIT_FINDINGS if fd.has_errors(findings) else EXIT_OK


def _shared_lines(old: Loaded | None, new: Loaded | None) -> list[str]:
    """The note that a board's school exports share ids (`board.exports`), when they do."""
    from lwtop_toolkit.board.exports import shared_ids_of, shared_note

    shared = shared_ids_of(old, new)
    return ["", shared_note(shared, "read")] if shared else []


def _twice_lines(new: Loaded | None) -> list[str]:
    """The note that a board's new year lists a pupil at two of its schools, when it does."""
    twice = enrolled_twice(new.tables) if new is not None else None
    return ["", twice_note(twice)] if twice is not None and not twice.empty else []


def _write(
    args: argparse.Namespace,
    plan: TransitionPlan,
    findings: pd.DataFrame,
    read: Sequence[Path] = (),
) -> tuple[list[Path], list[Path]]:
    """The files asked for (`--xlsx`, `--png`, `--png-per-school`); `read`: the files read, to
    name apart which school's file a finding is about in the workbook (it stays on this
    computer). One picture for the plan (a board's: all its schools by year), one per school
    only with `--png-per-school` (the second list)."""
    written: list[Path] = []
    per_school: list[Path] = []
    png: Path | None = args.png
    with writing():
        if args.xlsx:
            from lwtop_toolkit.writers.audit import write_audit_workbook

            written.append(write_audit_workbook(plan, args.xlsx, findings, among=read))
            png = png or args.xlsx.with_name(f"{args.xlsx.stem}-doorstroom.png")
        if png or args.png_per_school:
            from lwtop_toolkit.writers.flow import write_flow_pictures, write_school_pictures

            written += write_flow_pictures(plan, png) if png else []
            if args.png_per_school:
                per_school = write_school_pictures(plan, args.png_per_school)
    return written, per_school


def written_lines(
    written: Sequence[Path], per_school: Sequence[Path] = (), folder: Path | None = None
) -> list[str]:
    """What was written: the files one by one, and the pictures per school (`per_school`, in
    `folder`) as their folder and how many (a board's are hundreds)."""
    mine = [path for path in written if path not in set(per_school)]
    lines = ["Geschreven: " + ", ".join(str(path) for path in mine)] if mine else []
    if per_school:
        count = fd.count_of(len(per_school), "bestand", "bestanden")
        lines.append(f"Doorstroomplaatjes per school: {count} in {folder}")
    return lines


# --- JSON ----------------------------------------------------------------------------------------

STUDENT_KEYS = (
    "leerling_id", "leerling_id_oud", "naam", "geboortedatum", "school", "opleiding",
    "groep_oud", "groep_id_oud", "jaargroep_oud", "groep_nieuw", "groep_id_nieuw",
    "jaargroep_nieuw", "samengestelde_groepen_nieuw", "status", "left_reason", "matched_by",
)  # fmt: skip
# A changed field of a matched pupil (`plan.changes`): the new number, the field, both values.
CHANGE_KEYS = ("leerling_id", "field", "old", "new")


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as JSON-ready dicts: missing values null, numbers plain."""
    out: list[dict[str, Any]] = frame.astype(object).where(frame.notna(), None).to_dict("records")
    return out


def _flags(series: pd.Series) -> pd.Series:
    return series.map(lambda text: [code for code in str(text).split("|") if code])


def preview_document(
    plan: TransitionPlan,
    findings: pd.DataFrame,
    written: list[Path],
    twice: pd.DataFrame | None = None,
    *,
    held: Hold,
) -> dict[str, Any]:
    """The JSON document of `lwtop preview --json` (`twice`: `validate.enrolled_twice` of the
    new year, a board's pupils listed at two of its schools; `held`: the plan's hold,
    `flows.plan_hold`)."""
    schools = list(held.schools.values())
    students = plan.students
    born = students["geboortedatum"]
    pupils = students.loc[:, list(STUDENT_KEYS)].assign(
        geboortedatum=born.dt.strftime("%Y-%m-%d").where(born.notna(), None),
        flags=_flags(students["flags"]),
        rij_oud=students["_row_oud"],
        rij_nieuw=students["_row_nieuw"],
    )
    groups = plan.groups.drop(columns=["_file"]).rename(columns={"_row": "rij"})
    groups = groups.assign(flags=_flags(groups["flags"]))
    summary = plan.summary
    return {
        "schooljaar_oud": str(plan.schooljaar_oud or ""),
        "schooljaar_nieuw": str(plan.schooljaar_nieuw or ""),
        "summary": plan.status_counts(),
        "totals": {**plan.totals(), "add_up": plan.totals_add_up()},
        "before_after": records(side_by_side(schools, plan.scoped)),
        "hold": [school.record() for school in schools],
        "per_jaargroep": records(summary[summary["niveau"].eq("jaargroep")].drop(columns="niveau")),
        "per_school": records(summary[summary["niveau"].eq("school")].drop(columns="niveau")),
        "students": records(pupils),
        "groups": records(groups),
        "flow": records(plan.flow),
        "findings": records(findings),
        "changes": records(plan.changes.loc[:, list(CHANGE_KEYS)]),
        "enrolled_twice": [] if twice is None else records(twice),
        "files": [str(path) for path in written],
    }


# --- text ----------------------------------------------------------------------------------------


def preview_text(
    plan: TransitionPlan,
    findings: pd.DataFrame,
    old: Loaded | None = None,
    new: Loaded | None = None,
    *,
    everyone: bool = False,
    moves: pd.DataFrame | None = None,
    held: Hold,
) -> str:
    """The Dutch summary of a plan: counts, new groups, notable pupils, findings (`moves`:
    a board's pupils who change school among its schools, `school_moves`; `held`: the hold of
    the plan, `flows.plan_hold`)."""
    totals = plan.totals()
    groups = plan.groups
    stam = groups["soort"].eq("stamgroep")
    new_groups = groups[groups["jaar"].eq("nieuw")]
    new_stam = int((stam & groups["jaar"].eq("nieuw")).sum())
    lines = [
        f"Overgang:    {plan.schooljaar_oud or 'onbekend'} → {plan.schooljaar_nieuw or 'onbekend'}",
        f"Vorig jaar:  {fd.count_of(totals['old'], 'leerling')}{_source(old)}",
        f"Nieuw jaar:  {fd.count_of(totals['new'], 'leerling')} in "
        f"{fd.count_of(new_stam, 'stamgroep')}{_source(new)}",
        f"Telling:     {totals['old']} = {totals['matched']} in beide jaren + {totals['left']} "
        f"vertrokken; {totals['new']} = {totals['matched']} + {totals['new_pupils']} nieuw "
        + ("(klopt)" if plan.totals_add_up(totals) else "(KLOPT NIET: meld dit aan de beheerders)"),
        *_shared_lines(old, new),
        *_twice_lines(new),
        *(["", moves_note(moves)] if moves is not None and not moves.empty else []),
        "",
        *counts_lines(list(held.schools.values()), plan.scoped),
    ]
    if plan.scoped:
        lines.append(
            f"  (met de dossierlijst: {fd.count_of(totals['dossier'], 'leerling')} met een "
            "dossier, van wie "
            f"{totals['dossier_left']} vertrokken; {totals['dossier_not_found']} in geen van "
            "beide exports)"
        )
    lines += ["", "Groepen van het nieuwe jaar:", _groups_table(new_groups, plan.schools())]
    gone = groups[groups["jaar"].eq("oud")]
    if not gone.empty:
        names = ", ".join(gone["groepsnaam"].head(SHOWN_GROUPS))
        lines += [
            "",
            f"Groepen van vorig jaar zonder opvolger: {names} "
            f"({fd.count_of(int(gone['leerlingen'].sum()), 'leerling')}, van wie "
            f"{int(gone['uitgestroomd'].sum())} uitgestroomd)",
        ]
    lines += ["", *_pupils_lines(plan.students, everyone), *_changes_lines(plan.changes)]
    counts = fd.counts(findings)
    lines += [
        "",
        f"Bevindingen: {fd.severity_text(counts)}",
    ]
    read = [*(old.files if old else []), *(new.files if new else [])]  # to name files apart
    if not findings.empty:
        lines += ["", findings_table(findings, among=read, command="preview")]
    errors = findings[findings["severity"].eq("error")]
    if not errors.empty:  # the table cuts long messages; the errors must be read in full
        lines += ["", "De fouten voluit:"]
        shown = errors.head(SHOWN_ERRORS)
        places = fd.source_names(shown["file"], read)
        for error, where in zip(shown.itertuples(), places, strict=True):
            where += f", rij {error.row}" if not pd.isna(error.row) else ""
            lines.append(f"- {where + ': ' if where else ''}{error.message}")
        if len(errors) > SHOWN_ERRORS:
            rest = fd.count_of(len(errors) - SHOWN_ERRORS, "fout")
            lines.append(f"... en nog {rest} (alle: --json of --xlsx)")
    lines.append("")
    if counts["error"]:
        lines.append("Los de fouten op (in het LAS of de export) en lees de bestanden opnieuw in.")
    else:
        lines.append("Geen fouten. Controleer de waarschuwingen en de groepen hierboven.")
    return "\n".join(lines)


def counts_lines(
    schools: Sequence[SchoolHold], scoped: bool = False, title: str = "Leerlingen per status:"
) -> list[str]:
    """Last year's and this year's pupils per status side by side (summed over `schools`),
    then how many of last year's who do not graduate leave without a successor: per school
    when there is one, else for every school that this holds (`plan/hold.py`)."""
    table = side_by_side(schools, scoped)
    width = max(len(label) for label in STATUS_LABELS.values())
    pad = " " * (width + 4)
    head = title.ljust(width + 4) if len(title) < width + 4 else f"{title}\n{pad}"
    lines = [f"{head}{'vorig':>6}  {'nieuw':>6}", f"{pad}{'jaar':>6}  {'jaar':>6}"]
    for key, label, old, new in table.itertuples(index=False, name=None):
        if key == "totaal":
            lines.append(f"  {'':-<{width}}  {'':->6}  {'':->6}")
        shown_old = "-" if ONE_YEAR.get(key) == "nieuw" else str(old)
        shown_new = "-" if ONE_YEAR.get(key) == "oud" else str(new)
        lines.append(f"  {label.ljust(width)}  {shown_old:>6}  {shown_new:>6}")
    if len(schools) == 1:
        lines.append(hold_line(schools[0]))
    else:
        lines += [hold_line(school, named=True) for school in schools if school.held]
    return lines


def hold_line(school: SchoolHold, *, named: bool = False) -> str:
    """One school's share of last year's pupils who leave without a successor, and, when that
    (or the groups that vanish) holds the new export, VASTGEHOUDEN with the limit passed."""
    limits = school.limits
    where = f" (school {school.school})" if named and school.school else ""
    text = f"  Vertrokken zonder opvolger{where}: {school.share_text()}"
    if not school.held:
        gone = (
            f"; groepen verdwenen: {school.groups_text()} (toegestaan: "
            f"{limits.max_verdwenen_groepen})"
            if school.vanished
            else ""
        )
        return f"{text}; de grens is {limits.max_vertrokken_procent:g}%{gone}"
    reasons = []
    if school.by_share:
        reasons.append(f"meer dan {limits.max_vertrokken_procent:g}%")
    if school.by_groups:
        reasons.append(f"groepen verdwenen: {school.groups_text()}")
    title = fd.CATALOGUE[HOLD_CODE].title
    return f"{text}. VASTGEHOUDEN: {'; '.join(reasons)} (zie de fout '{title}')"


def plain_table(table: pd.DataFrame, indent: str = "  ") -> str:
    """A left-aligned text table (names read better left-aligned than pandas' default)."""
    cells = table.astype("str").fillna("")
    widths = [max([len(str(name)), *cells[name].str.len().tolist()]) for name in cells.columns]
    lines = [
        indent
        + "  ".join(str(n).strip().ljust(w) for n, w in zip(cells.columns, widths, strict=True))
    ]
    for row in cells.itertuples(index=False):
        lines.append(indent + "  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)))
    return "\n".join(line.rstrip() for line in lines)


def _source(loaded: Loaded | None) -> str:
    if loaded is None:
        return ""
    reader = READERS.get(loaded.format)
    return f" ({reader.label if reader else loaded.format})"


def _groups_table(groups: pd.DataFrame, schools: list[str]) -> str:
    if groups.empty:
        return "  (geen)"
    shown = groups.head(SHOWN_GROUPS)
    table = pd.DataFrame(
        {
            **({"school": shown["school"]} if len(schools) > 1 else {}),
            "groep": shown["groepsnaam"],
            YEAR_HEADERS[year_word(shown["jaargroep"])][0]: listed_years_shown(
                shown["jaargroepen"]
            ),
            "leerlingen": shown["leerlingen"],
            "uit vorig jaar": shown["uit_vorig_jaar"],
            "doublure": shown["doublures"],
            "nieuw": shown["nieuw"],
            "herkomst": shown["herkomst"],
        }
    )
    text = plain_table(table)
    if len(groups) > SHOWN_GROUPS:
        rest = fd.count_of(len(groups) - SHOWN_GROUPS, "groep")
        text += f"\n... en nog {rest} (alle: --xlsx of --json)"
    return text


def _changes_lines(changes: pd.DataFrame) -> list[str]:
    """How many pupils in both years the LAS changed a field of (the list: --json, --xlsx)."""
    if changes.empty:
        return []
    pupils = len(changes[["school", "leerling_id"]].drop_duplicates())
    who = fd.count_of(pupils, "leerling")
    return [
        "",
        f"Gewijzigde gegevens: {who} in beide jaren met een andere naam, geboortedatum, "
        "geslacht, ECK-iD, opleiding of nummer dan vorig jaar (de lijst: --json, of het "
        "tabblad Wijzigingen van --xlsx)",
    ]


def _pupils_lines(students: pd.DataFrame, everyone: bool) -> list[str]:
    keys = status_keys(students)
    if everyone:
        chosen, title = students, f"Alle leerlingen ({len(students)}):"
    else:
        usual = keys.isin(["promoted", "left-graduated"]) & students["flags"].eq("")
        chosen = students[~usual]
        title = f"Leerlingen die niet gewoon doorgaan of uitstromen ({len(chosen)}):"
    if chosen.empty:
        return [title, "  (geen)"]
    shown = chosen if everyone else chosen.head(SHOWN_PUPILS)
    years = YEAR_HEADERS[year_word([*shown["jaargroep_oud"], *shown["jaargroep_nieuw"]])][1]
    table = pd.DataFrame(
        {
            "leerlingnummer": shown["leerling_id"],
            "naam": shown["naam"],
            "groep vorig jaar": shown["groep_oud"],
            years: years_shown(shown["jaargroep_oud"]),
            "groep nieuw jaar": shown["groep_nieuw"],
            f"{years} ": years_shown(shown["jaargroep_nieuw"]),
            "status": status_labels(shown),
            "bijzonderheden": flag_titles(shown["flags"]),
        }
    )
    lines = [title, plain_table(table)]
    if len(chosen) > len(shown):
        lines.append(
            f"... en nog {len(chosen) - len(shown)} (alle leerlingen: --leerlingen, --json of "
            "--xlsx)"
        )
    return lines


__all__ = ["preview_document", "preview_text", "register", "run_preview"]
