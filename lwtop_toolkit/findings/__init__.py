"""Findings: one frame for every problem in the data, a closed catalogue of codes, ToolkitError.

The room's façade: `lwtop_toolkit.findings.<name>` for every public name of its modules.
"""

from lwtop_toolkit.findings.catalogue import CATALOGUE
from lwtop_toolkit.findings.catalogue.code import Code, Severity
from lwtop_toolkit.findings.errors import ToolkitError
from lwtop_toolkit.findings.frame import (
    FINDING_COLUMNS,
    FINDING_KEY,
    SEVERITIES,
    SEVERITY_LABELS,
    concat,
    counts,
    distinct,
    empty_findings,
    finding,
    for_rows,
    frame,
    has_errors,
    sort,
    source_name,
    source_names,
)
from lwtop_toolkit.findings.wording import count_of, plural, rows_of, severity_text

__all__ = [
    "CATALOGUE",
    "FINDING_COLUMNS",
    "FINDING_KEY",
    "SEVERITIES",
    "SEVERITY_LABELS",
    "Code",
    "Severity",
    "ToolkitError",
    "concat",
    "count_of",
    "counts",
    "distinct",
    "empty_findings",
    "finding",
    "for_rows",
    "frame",
    "has_errors",
    "plural",
    "rows_of",
    "severity_text",
    "sort",
    "source_name",
    "source_names",
]
