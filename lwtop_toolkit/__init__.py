"""lwtop-toolkit: the school-year transition of Leerwinst/TOP dossier, checked before upload.

The public API: read exports into canonical `Tables`, `validate` them into a Findings frame,
or do both with `load`.
"""

from .findings import ToolkitError
from .loading import Loaded, load
from .model import SchoolYear, Tables
from .readers import READERS, ReadResult, read
from .transition import TransitionPlan, plan_transition
from .validate import validate

__version__ = "0.1.0"

__all__ = [
    "READERS",
    "Loaded",
    "ReadResult",
    "SchoolYear",
    "Tables",
    "ToolkitError",
    "TransitionPlan",
    "__version__",
    "load",
    "plan_transition",
    "read",
    "validate",
]
