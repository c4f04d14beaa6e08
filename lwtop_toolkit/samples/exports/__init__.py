"""Synthetic LAS exports: a school's Tables written as each LAS writes its export.

One module per LAS, one registry: `EXPORTS[las_code](tables, folder) -> paths`. These writers
make sample data and test input; they mirror the readers of the same LAS.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from lwtop_toolkit.model import Tables
from lwtop_toolkit.samples.exports import edexml, eduarte, generic, magister, somtoday

ExportWriter = Callable[[Tables, Path], list[Path]]

EXPORTS: dict[str, ExportWriter] = {
    "parnassys": edexml.las_writer("parnassys"),
    "esis": edexml.las_writer("esis"),
    "magister": magister.write,
    "somtoday": somtoday.write,
    "eduarte": eduarte.write,
    "schooloas": generic.write,
}

__all__ = ["EXPORTS", "ExportWriter"]
