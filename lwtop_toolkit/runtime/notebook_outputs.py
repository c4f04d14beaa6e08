"""Notebooks are saved without what they showed: outputs hold pupils' names.

`strip_outputs` is the Jupyter server's pre-save hook of `make lab` (jupyter_server_config.json:
ContentsManager.pre_save_hook). JupyterLab saves a notebook on every autosave; what it ran
(tables of pupils, the widgets' state) stays in the browser and the kernel, never in the file.
The git filter nbstripout (installed by `make setup`) keeps any other copy out of a commit.
"""

from __future__ import annotations

from typing import Any

# Notebook metadata that records what the notebook showed: the widgets' state (their values,
# e.g. a table of pupils) is kept by JupyterLab's "save widget state".
SHOWN_METADATA = ("widgets",)


def strip_outputs(model: dict[str, Any], **_: Any) -> None:
    """Remove the outputs, execution counts and widget state of a notebook's contents model
    (in place); other files are left as they are."""
    if model.get("type") != "notebook" or not isinstance(model.get("content"), dict):
        return
    notebook = model["content"]
    for key in SHOWN_METADATA:
        notebook.get("metadata", {}).pop(key, None)
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
