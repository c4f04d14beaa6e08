"""lwtop-toolkit: the school-year transition of Leerwinst/TOP dossier, checked before upload.

The public API, in the order of the flow: `load` (or `read` + `validate`) an export into
canonical `Tables` and a Findings frame; `plan_transition` from last year to the new year;
`write_bundles` for the upload; `write_staff_sheet` / `read_staff_sheet` for step 2;
`read_dossier` and `build_worklist` for the LAS that transfer pupils themselves, and
`lwtop_toolkit.steps.verify.verify` to check afterwards what arrived.
The writers are imported on first use (openpyxl and matplotlib cost start-up time).
"""

from importlib import import_module
from typing import Any

from lwtop_toolkit.check.loading import Loaded, load
from lwtop_toolkit.check.validate import validate
from lwtop_toolkit.findings import ToolkitError
from lwtop_toolkit.model import SchoolYear, Tables
from lwtop_toolkit.plan.transition import TransitionPlan, plan_transition
from lwtop_toolkit.readers import READERS, ReadResult, read
from lwtop_toolkit.runtime.version import VERSION

__version__ = VERSION

# name -> module that defines it, imported when first asked for
_LAZY = {
    "write_bundles": "lwtop_toolkit.writers.bundle",
    "write_staff_sheet": "lwtop_toolkit.sheets.staff_write",
    "read_staff_sheet": "lwtop_toolkit.sheets.staff_read",
    "write_audit_workbook": "lwtop_toolkit.writers.audit",
    "read_dossier": "lwtop_toolkit.readers.dossier",
    "build_worklist": "lwtop_toolkit.steps.worklist",
    "transition": "lwtop_toolkit.flows",
    "flow_matrix": "lwtop_toolkit.plan.flow",
    "GroupLimits": "lwtop_toolkit.plan.anomalies",
    "STATUS_LABELS": "lwtop_toolkit.plan.frames",
    "status_keys": "lwtop_toolkit.plan.frames",
    "neutralise": "lwtop_toolkit.readers.files.cellsafety",
    "shipped_sample_data": "lwtop_toolkit.samples.shipped",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'lwtop_toolkit' has no attribute {name!r}")


__all__ = [
    "READERS",
    "STATUS_LABELS",
    "GroupLimits",
    "Loaded",
    "ReadResult",
    "SchoolYear",
    "Tables",
    "ToolkitError",
    "TransitionPlan",
    "__version__",
    "build_worklist",
    "flow_matrix",
    "load",
    "neutralise",
    "plan_transition",
    "read",
    "read_dossier",
    "read_staff_sheet",
    "shipped_sample_data",
    "status_keys",
    "transition",
    "validate",
    "write_audit_workbook",
    "write_bundles",
    "write_staff_sheet",
]
