"""`make app`: the guided notebook as a page (Voila), with the app's template and cleanup.

    python -m lwtop_toolkit.ui.serve notebooks/01_schooljaarovergang.ipynb --port=8866

Before Voila starts, the private folders a killed or crashed run left behind are removed
(runtime/private.sweep). Voila reads its settings from `voila.json` in the working folder (the
template `lwtop`, kernel culling); its template is found in this package (`jupyter/`, put first
on JUPYTER_PATH). Ctrl-C, SIGTERM and SIGHUP stop Voila, which ends its kernels (each removes its
folder); what a kernel could not remove is swept once Voila has stopped.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

from lwtop_toolkit.runtime import private

# The Jupyter data folder of the app: voila/templates/lwtop (the page without third parties).
JUPYTER_DATA = Path(__file__).with_name("jupyter")


def main(argv: list[str] | None = None) -> int:
    """Sweep, serve until stopped, sweep again; Voila's own command-line options apply."""
    private.sweep()
    paths = [str(JUPYTER_DATA), *filter(None, [os.environ.get("JUPYTER_PATH")])]
    os.environ["JUPYTER_PATH"] = os.pathsep.join(paths)
    from voila.app import Voila

    app = Voila.instance()
    app.initialize(sys.argv[1:] if argv is None else argv)
    if hasattr(signal, "SIGHUP"):
        # a closed terminal stops Voila as Ctrl-C does (its kernels are ended, not orphaned)
        signal.signal(signal.SIGHUP, signal.default_int_handler)
    try:
        app.start()
    finally:
        private.sweep()
    return 0


if __name__ == "__main__":
    sys.exit(main())
