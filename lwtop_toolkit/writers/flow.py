"""The flow picture: last year's groups on the left, the new groups on the right, one band per
pair of groups sized by its pupils; new pupils come in from `nieuw`, leavers go out to
`vertrokken`, and retained pupils are coloured apart.

A board (a plan of several schools) gets one overview instead (`board_flow_figure`): the pupils
of all its schools by year, last year's on the left and this year's on the right (groep 1-8,
leerjaar 1-6), readable at any size; a picture per school only when asked
(`write_school_pictures`, with a progress bar).

matplotlib (Agg, no pyplot, no global state): what an analyst already has, writes PNG and SVG
without a browser, and the figure shows itself in a notebook. PNG and SVG are byte-stable.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import PathPatch, Rectangle
from matplotlib.path import Path as CurvePath

from lwtop_toolkit import findings as fd
from lwtop_toolkit.model import year_shown, year_word
from lwtop_toolkit.plan.flow import (
    LEFT_LABEL,
    NEW_LABEL,
    NO_GROUP_LABEL,
    chosen_school,
    group_order,
    natural_key,
)
from lwtop_toolkit.plan.frames import jaargroep_key
from lwtop_toolkit.plan.transition import TransitionPlan
from lwtop_toolkit.runtime.files import write_atomically
from lwtop_toolkit.runtime.progress import bar

# Band colours per kind of move (colour-blind safe: Okabe-Ito), with their Dutch legend.
KINDS: dict[str, tuple[str, str]] = {
    "door": ("#56B4E9", "bevorderd of doorlopend"),
    "retained": ("#E69F00", "doublure"),
    "jump": ("#CC79A7", "versneld of teruggezet"),
    "new": ("#009E73", "nieuw"),
    "graduated": ("#999999", "vertrokken (uitgestroomd)"),
    "other": ("#D55E00", "vertrokken (overig)"),
}
_KIND_OF_STATUS = {
    "promoted": "door",
    "continuing": "door",
    "retained": "retained",
    "accelerated": "jump",
    "demoted": "jump",
    "new": "new",
}
GRADUATED_LABEL, OTHER_LABEL = "uitgestroomd", "vertrokken (overig)"
NO_YEAR_LABEL = "(zonder jaargroep)"  # a board's pupils without a year, by year
SO_LABELS = {"S": "SO (S)", "V": "VSO (V)"}
NEW_NODE_LABEL = "nieuw op school"
NODE_WIDTH = 0.06  # in axis units: the plot runs from x=0 (old) to x=1 (new)
GAP = 0.35  # the gap between two groups, as a share of the average group
DPI = 150
_FIXED: dict[Any, Any] = {"svg.hashsalt": "lwtop", "svg.fonttype": "none", "font.size": 9}


class FlowFigure(Figure):
    """A matplotlib Figure that shows itself as PNG in a notebook, with or without pyplot."""

    def _repr_png_(self) -> bytes:
        return picture_bytes(self, "png")


@dataclass(frozen=True)
class _Node:
    label: str
    size: int
    bottom: float


def flow_figure(plan: TransitionPlan, school: str | None = None) -> FlowFigure:
    """The flow picture of one school (`school` may be left out when the plan has one)."""
    bands = _bands(plan, school)
    old_order, new_order = group_order(plan, school)
    left = _stack(
        bands.groupby("old")["n"].sum(), old_order, pseudo_last=(NEW_LABEL, NO_GROUP_LABEL)
    )
    right = _stack(
        bands.groupby("new")["n"].sum(),
        new_order,
        pseudo_last=(NO_GROUP_LABEL, GRADUATED_LABEL, OTHER_LABEL),
    )
    years = f"{plan.schooljaar_oud or '?'} → {plan.schooljaar_nieuw or '?'}"
    shown = school or (plan.schools()[0] if plan.schools() else "")
    title = f"Doorstroom {shown}: {years}" if shown else f"Doorstroom: {years}"
    return _figure(bands, left, right, title)


def board_flow_figure(plan: TransitionPlan) -> FlowFigure:
    """The overview of a board: the pupils of all its schools by year, last year's (left) to
    this year's (right), with the new pupils coming in and the leavers going out."""
    bands, years = _year_bands(plan)
    order = [_year_label(code) for code in sorted(years, key=jaargroep_key)]
    left = _stack(bands.groupby("old")["n"].sum(), order, pseudo_last=(NEW_LABEL, NO_YEAR_LABEL))
    right = _stack(
        bands.groupby("new")["n"].sum(),
        order,
        pseudo_last=(NO_YEAR_LABEL, GRADUATED_LABEL, OTHER_LABEL),
    )
    schools = fd.count_of(len(plan.schools()), "school", "scholen")
    years_text = f"{plan.schooljaar_oud or '?'} → {plan.schooljaar_nieuw or '?'}"
    title = f"Doorstroom per jaar, alle {schools}: {years_text}"
    return _figure(bands, left, right, title)


def _figure(
    bands: pd.DataFrame, left: dict[str, _Node], right: dict[str, _Node], title: str
) -> FlowFigure:
    rows = max(len(left), len(right), 1)
    with matplotlib.rc_context(_FIXED):
        figure = FlowFigure(figsize=(10, max(4.0, 0.34 * rows + 1.8)), dpi=DPI)
        FigureCanvasAgg(figure)
        axes = figure.add_axes((0.16, 0.08, 0.62, 0.84))
        _draw(axes, bands, left, right)
        axes.set_title(title, fontsize=12, loc="left")
        handles = [Rectangle((0, 0), 1, 1, color=color) for color, _ in KINDS.values()]
        figure.legend(
            handles,
            [label for _, label in KINDS.values()],
            loc="lower center",
            ncol=len(KINDS),
            frameon=False,
            fontsize=8,
        )
    return figure


def picture_bytes(figure: Figure, kind: str) -> bytes:
    """The figure as `png` or `svg` bytes, without a date or version stamp."""
    buffer = io.BytesIO()
    metadata = {"Software": None} if kind == "png" else {"Date": None, "Creator": None}
    with matplotlib.rc_context(_FIXED):
        figure.savefig(buffer, format=kind, dpi=DPI, metadata=metadata)
    return buffer.getvalue()


def write_flow_picture(
    plan: TransitionPlan, path: Path | str, school: str | None = None
) -> list[Path]:
    """Write the picture as PNG at `path` and as SVG beside it; returns both paths."""
    return _write_both(flow_figure(plan, school), path)


def write_flow_pictures(plan: TransitionPlan, path: Path | str) -> list[Path]:
    """The picture of a plan at `path` (PNG, SVG beside it): a school's own flow between its
    groups, or for a board of several schools the overview by year (`board_flow_figure`)."""
    if len(plan.schools()) > 1:
        return _write_both(board_flow_figure(plan), path)
    return write_flow_picture(plan, path, (plan.schools() or [""])[0] or None)


def write_school_pictures(plan: TransitionPlan, folder: Path | str) -> list[Path]:
    """Each school's flow picture in `folder`, named by the school (`99ZZ00.png`, SVG beside
    it), under a progress bar: a board of hundreds of schools takes a while."""
    written: list[Path] = []
    for school in bar(plan.schools(), "doorstroomplaatjes"):
        written += write_flow_picture(plan, Path(folder) / f"{school or 'school'}.png", school)
    return written


def _write_both(figure: Figure, path: Path | str) -> list[Path]:
    png = Path(path).with_suffix(".png")
    return [
        write_atomically(png, picture_bytes(figure, "png")),
        write_atomically(png.with_suffix(".svg"), picture_bytes(figure, "svg")),
    ]


# --- layout --------------------------------------------------------------------------------------


def _bands(plan: TransitionPlan, school: str | None) -> pd.DataFrame:
    """One row per (old label, new label, kind) with its number of pupils `n`."""
    flow = plan.flow
    flow = flow[flow["school"].eq(chosen_school(flow["school"], school))]
    status = _las_status(flow)
    old = flow["groep_oud"].where(
        flow["groep_id_oud"].ne(""), np.where(status.eq("new"), NEW_LABEL, NO_GROUP_LABEL)
    )
    graduated = flow["left_reason"].eq("graduated")
    left_label = np.where(graduated, GRADUATED_LABEL, OTHER_LABEL)
    new = flow["groep_nieuw"].where(
        flow["groep_id_nieuw"].ne(""), np.where(status.eq("left"), left_label, NO_GROUP_LABEL)
    )
    bands = pd.DataFrame(
        {"old": old, "new": new, "kind": _kinds(status, graduated), "n": flow["leerlingen"]}
    )
    return bands.groupby(["old", "new", "kind"], as_index=False)["n"].sum()


def _las_status(frame: pd.DataFrame) -> pd.Series:
    """Each row's status; in a plan scoped to a dossier where the pupil went is the exports'
    matter (`status_las`, as `flow_matrix` takes it), not whether a dossier goes along."""
    status = frame["status"]
    if "status_las" not in frame:
        return status
    return frame["status_las"].where(frame["status_las"].ne(""), status)


def _kinds(status: pd.Series, graduated: pd.Series) -> pd.Series:
    kind = status.map(_KIND_OF_STATUS).fillna("")
    return kind.where(status.ne("left"), np.where(graduated, "graduated", "other"))


def _year_bands(plan: TransitionPlan) -> tuple[pd.DataFrame, set[str]]:
    """A board's bands by year: one row per (last year's year, this year's year, kind) with its
    pupils `n`; and the year codes seen."""
    students = plan.students
    status = _las_status(students)
    graduated = students["left_reason"].eq("graduated")
    codes = {str(code) for code in (*students["jaargroep_oud"], *students["jaargroep_nieuw"])}
    labels = {code: _year_label(code) for code in codes}
    old = students["jaargroep_oud"].astype("str").map(labels)
    new = students["jaargroep_nieuw"].astype("str").map(labels)
    old = old.where(status.ne("new"), NEW_LABEL)
    new = new.where(status.ne("left"), np.where(graduated, GRADUATED_LABEL, OTHER_LABEL))
    bands = pd.DataFrame({"old": old, "new": new, "kind": _kinds(status, graduated), "n": 1})
    bands = bands.groupby(["old", "new", "kind"], as_index=False)["n"].sum()
    return bands, codes - {""}


def _year_label(code: str) -> str:
    """`groep 3`, `leerjaar 2` (code 12), `SO (S)`; no year: `(zonder jaargroep)`."""
    if not code:
        return NO_YEAR_LABEL
    if code in SO_LABELS:
        return SO_LABELS[code]
    return f"{year_word([code])} {year_shown(code)}"


def _stack(sizes: pd.Series, order: list[str], pseudo_last: tuple[str, ...]) -> dict[str, _Node]:
    """Nodes from top to bottom: groups in `order` (by year, then name: `group_order`), then
    the pseudo-groups."""
    at = {label: number for number, label in enumerate(order)}
    labels = sorted(
        sizes.index,
        key=lambda s: (s in pseudo_last, pseudo_last.index(s) if s in pseudo_last else 0,
                       at.get(s, len(at)), natural_key(str(s))),
    )  # fmt: skip
    total = float(sizes.sum()) or 1.0
    gap = GAP * total / max(len(labels), 1)
    nodes: dict[str, _Node] = {}
    top = total + gap * (len(labels) - 1)
    for label in labels:
        size = int(sizes[label])
        top -= size
        nodes[str(label)] = _Node(str(label), size, top)
        top -= gap
    return nodes


def _draw(axes: Axes, bands: pd.DataFrame, left: dict[str, _Node], right: dict[str, _Node]) -> None:
    order_left = {label: i for i, label in enumerate(left)}
    order_right = {label: i for i, label in enumerate(right)}
    # bands leave a left node in the order of their right node, and arrive the other way round
    out_offset = {label: node.bottom + node.size for label, node in left.items()}
    in_offset = {label: node.bottom + node.size for label, node in right.items()}
    by_out = bands.assign(
        _l=bands["old"].map(order_left), _r=bands["new"].map(order_right)
    ).sort_values(["_l", "_r", "kind"])
    starts = {}
    for band in by_out.itertuples():
        out_offset[band.old] -= band.n
        starts[band.Index] = out_offset[band.old]
    for band in by_out.sort_values(["_r", "_l", "kind"]).itertuples():
        in_offset[band.new] -= band.n
        _band(axes, starts[band.Index], in_offset[band.new], band.n, KINDS[band.kind][0])
    for nodes, x, align in ((left, 0.0, "right"), (right, 1.0 - NODE_WIDTH, "left")):
        for node in nodes.values():
            color = _node_color(node.label)
            axes.add_patch(Rectangle((x, node.bottom), NODE_WIDTH, node.size, color=color))
            text_x = x - 0.01 if align == "right" else x + NODE_WIDTH + 0.01
            shown = NEW_NODE_LABEL if node.label == NEW_LABEL else node.label
            axes.text(
                text_x,
                node.bottom + node.size / 2,
                f"{shown} ({node.size})",
                ha=align,
                va="center",
            )
    height = max([node.bottom + node.size for node in (*left.values(), *right.values())] or [1.0])
    axes.set_xlim(0, 1)
    axes.set_ylim(0, height)
    axes.axis("off")


def _node_color(label: str) -> str:
    if label == NEW_LABEL:
        return KINDS["new"][0]
    if label in (GRADUATED_LABEL, OTHER_LABEL, LEFT_LABEL):
        return KINDS["graduated" if label == GRADUATED_LABEL else "other"][0]
    return "#4D4D4D"


def _band(axes: Axes, y_left: float, y_right: float, size: int, color: str) -> None:
    """A band from the left node (x at the node's right edge) to the right node, as a curve."""
    x0, x1 = NODE_WIDTH, 1.0 - NODE_WIDTH
    middle = (x0 + x1) / 2
    vertices = [
        (x0, y_left + size),
        (middle, y_left + size),
        (middle, y_right + size),
        (x1, y_right + size),
        (x1, y_right),
        (middle, y_right),
        (middle, y_left),
        (x0, y_left),
        (x0, y_left + size),
    ]
    codes = [
        CurvePath.MOVETO,
        CurvePath.CURVE4,
        CurvePath.CURVE4,
        CurvePath.CURVE4,
        CurvePath.LINETO,
        CurvePath.CURVE4,
        CurvePath.CURVE4,
        CurvePath.CURVE4,
        CurvePath.CLOSEPOLY,
    ]
    patch = PathPatch(CurvePath(vertices, codes), facecolor=color, alpha=0.6, linewidth=0)
    axes.add_patch(patch)
