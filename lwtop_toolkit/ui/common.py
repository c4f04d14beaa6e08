"""What every panel shares: the status line, safe callbacks, escaped HTML tables, download links."""

from __future__ import annotations

import base64
import html
import logging
import os
import re
import traceback
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import pandas as pd

from lwtop_toolkit import findings as fd
from lwtop_toolkit.findings import ToolkitError

LOG = logging.getLogger("lwtop_toolkit.ui")
SHOWN_ROWS = 200
MIME_TYPES = {
    ".zip": "application/zip",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".csv": "text/csv",
    ".png": "image/png",
}
SEVERITY_COLOURS = {"error": "#b00020", "warning": "#a15c00", "info": "#555555"}
UNEXPECTED = (
    "Er ging iets onverwachts mis ({kind}: {detail}). Uw gegevens zijn niet gewijzigd. Probeer het "
    "opnieuw; gebeurt het weer, meld dit dan aan de beheerders van de toolkit."
)
# One style block for the tables of all panels (ipywidgets HTML takes a <style> element). A
# table scrolls sideways when wide, never in a box of its own: no group hides below its edge.
TABLE_STYLE = """<style>
.lwtop-scroll {overflow-x: auto; border: 1px solid #ddd;}
.lwtop-table {border-collapse: collapse; font-size: 13px;}
.lwtop-table th {position: sticky; top: 0; background: #eef3f8; text-align: left;}
.lwtop-table th, .lwtop-table td {padding: 3px 8px; border-bottom: 1px solid #eee;
  vertical-align: top;}
.lwtop-table td:not(:last-child) {white-space: nowrap;}
.lwtop-download {display: inline-block; margin: 4px 8px 4px 0; padding: 5px 10px;
  background: #e8f1e8; border: 1px solid #7aa67a; border-radius: 3px; text-decoration: none;}
</style>"""


class Notice(Exception):
    """A Dutch message for the user about what to do first (no data yet, no file chosen)."""


class StatusLine(widgets.VBox):
    """A line of text and a progress bar: what is happening, what went wrong, what is done."""

    def __init__(self, idle: str = "") -> None:
        self.text = widgets.HTML(value=_plain(idle))
        self.bar = widgets.IntProgress(
            value=0, min=0, max=100, layout=widgets.Layout(width="320px", display="none")
        )
        super().__init__([self.bar, self.text])
        self.add_class("lwtop-status")

    def progress(self, text: str, fraction: float) -> None:
        """Show step `text`, `fraction` (0-1) of the way."""
        self.bar.layout.display = ""
        self.bar.bar_style = "info"
        self.bar.value = max(0, min(100, round(fraction * 100)))
        self.text.value = f"<span class='lwtop-busy'>⏳ {html.escape(text)} …</span>"

    def done(self, text: str) -> None:
        self.bar.layout.display = "none"
        self.text.value = (
            f"<span class='lwtop-done' style='color:#1b5e20'>✔ {html.escape(text)}</span>"
        )

    def error(self, text: str, detail: str = "") -> None:
        self.bar.layout.display = "none"
        extra = f"<pre style='font-size:11px'>{html.escape(detail)}</pre>" if detail else ""
        self.text.value = (
            f"<div class='lwtop-error' style='color:#b00020'>✖ {html.escape(text)}</div>{extra}"
        )

    def show(self, text: str) -> None:
        self.bar.layout.display = "none"
        self.text.value = _plain(text)


def _plain(text: str) -> str:
    return f"<span>{html.escape(text)}</span>" if text else ""


def guarded(status: StatusLine, action: Callable[[], Any]) -> Callable[..., None]:
    """A widget callback that runs `action` and shows any failure as a Dutch line in `status`.

    ToolkitError and Notice carry their own Dutch message; anything else is a bug of ours and
    says so, without a traceback (unless LWTOP_DEBUG is set, for a developer).
    """

    def callback(*_: Any) -> None:
        run_safely(status, action)

    return callback


def run_safely(status: StatusLine, action: Callable[[], Any]) -> bool:
    """Run `action`; on failure show the Dutch message in `status` and return False."""
    try:
        action()
    except (ToolkitError, Notice) as error:
        status.error(short_paths(str(getattr(error, "message", error))))
        return False
    except Exception as error:  # a bug of ours: still a Dutch line, never a traceback
        LOG.debug("unexpected error in a panel", exc_info=True)
        detail = traceback.format_exc() if os.environ.get("LWTOP_DEBUG") else ""
        message = UNEXPECTED.format(kind=type(error).__name__, detail=short_paths(str(error)))
        status.error(message, detail)
        return False
    return True


# Folders whose names mean nothing to a coordinator (the session's temporary folder, the
# shipped sample data): messages show the file's own name instead of its full path.
PRIVATE_FOLDERS: set[str] = set()


def short_paths(text: str) -> str:
    """`text` with the private folders (and their subfolders) cut from every path in it."""
    for folder in sorted(PRIVATE_FOLDERS, key=len, reverse=True):
        text = re.sub(re.escape(folder.rstrip("/")) + r"/(?:[^/\s,;]+/)*", "", text)
    return text


def cell(value: Any) -> str:
    """One value as escaped HTML text: missing values empty, whole floats without `.0`."""
    if value is None or (not isinstance(value, (list, tuple)) and pd.isna(value)):
        return ""
    if isinstance(value, pd.Timestamp):
        return html.escape(value.strftime("%d-%m-%Y"))
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return html.escape(str(value))


def html_table(
    frame: pd.DataFrame,
    headers: Mapping[str, str],
    *,
    limit: int = SHOWN_ROWS,
    more: str = "",
    css_class: str = "",
) -> str:
    """`frame`'s columns `headers` (column -> Dutch header) as an escaped HTML table."""
    if frame.empty:
        return "<p><i>(geen)</i></p>"
    shown = frame.head(limit)
    head = "".join(f"<th>{html.escape(title)}</th>" for title in headers.values())
    rows = []
    for record in shown.loc[:, list(headers)].itertuples(index=False):
        rows.append("<tr>" + "".join(f"<td>{cell(value)}</td>" for value in record) + "</tr>")
    table = (
        f"<div class='lwtop-scroll'><table class='lwtop-table {html.escape(css_class)}'>"
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )
    if len(frame) > limit:
        rest = fd.count_of(len(frame) - limit, "rij")
        note = f"… en nog {rest}" + (f" ({more})" if more else "")
        table += f"<p><i>{html.escape(note)}</i></p>"
    return TABLE_STYLE + table


def severity_counts(findings: pd.DataFrame) -> str:
    """`2 fouten · 3 waarschuwingen · 1 ter info`, each in its colour, with a data attribute."""
    counts = fd.counts(findings)
    words = {"error": ("fout", "fouten"), "warning": ("waarschuwing", "waarschuwingen")}
    words["info"] = ("ter info", "ter info")
    parts = []
    for severity, count in counts.items():
        word = fd.plural(count, *words[severity])
        parts.append(
            f"<span class='lwtop-count' data-key='{severity}' "
            f"style='color:{SEVERITY_COLOURS[severity]}'><b>{count}</b> {word}</span>"
        )
    return " · ".join(parts)


def data_link(data: bytes, name: str, label: str = "") -> str:
    """A download link holding `data` itself (a data: URL): nothing is written to disk."""
    mime = MIME_TYPES.get(Path(name).suffix.lower(), "application/octet-stream")
    encoded = base64.b64encode(data).decode("ascii")
    text = label or f"{name} downloaden"
    return (
        f"<a class='lwtop-download' download='{html.escape(name, quote=True)}' "
        f"href='data:{mime};base64,{encoded}'>⬇ {html.escape(text)} "
        f"({size_text(len(data))})</a>"
    )


def size_text(size: int) -> str:
    """`12 kB`, `3,4 MB`: a file size as a Dutch reader writes it."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} kB"
    return f"{size / (1024 * 1024):.1f} MB".replace(".", ",")


def heading(text: str, level: int = 4) -> widgets.HTML:
    return widgets.HTML(value=f"<h{level} style='margin:6px 0'>{html.escape(text)}</h{level}>")
