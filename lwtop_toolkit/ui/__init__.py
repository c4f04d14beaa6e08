"""The widgets of the guided notebook: small panels over one shared `Session`.

    from lwtop_toolkit import ui
    session = ui.Session()
    ui.LasPanel(session)      # 1. the LAS: what the school must do, and from 1 August
    ui.UploadPanel(session)   # 2. both years: uploads (CSV/XLSX/XML/ZIP) or the sample data
    ui.FindingsPanel(session) # 3. the findings, filterable
    ui.PreviewPanel(session)  # 4. the new group structure
    ui.Step1Panel(session)    # 5. the seed's step 1 for the LAS: bundle, audit workbook
    ui.WorklistPanel(session) #    ... and the worklist of a LAS that sets its pupils ready
    ui.StaffPanel(session)    # 6. the seed's step 2: the staff workbook and its links
    ui.VerifyPanel(session)   # 7. after the import: did everything arrive?

The page numbers its steps once (`ui.wording.SECTIONS`); every text of the app names them so.

The panels hold no rules: they call the package and render its results in Dutch.
"""

from lwtop_toolkit.ui.common import Notice, StatusLine
from lwtop_toolkit.ui.outputs import STEP_1_OUTPUTS, AuditBox, BundleBox, StaffPanel, Step1Panel
from lwtop_toolkit.ui.session import Session, sample_sets
from lwtop_toolkit.ui.setup import LasPanel, UploadPanel
from lwtop_toolkit.ui.verify_panel import VerifyPanel
from lwtop_toolkit.ui.views import FindingsPanel, PreviewPanel
from lwtop_toolkit.ui.worklist_panel import WorklistPanel

__all__ = [
    "STEP_1_OUTPUTS",
    "AuditBox",
    "BundleBox",
    "FindingsPanel",
    "LasPanel",
    "Notice",
    "PreviewPanel",
    "Session",
    "StaffPanel",
    "StatusLine",
    "Step1Panel",
    "UploadPanel",
    "VerifyPanel",
    "WorklistPanel",
    "sample_sets",
]
