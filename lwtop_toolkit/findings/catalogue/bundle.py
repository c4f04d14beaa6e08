"""Codes of writing: the upload bundle and any other output file."""

from __future__ import annotations

from lwtop_toolkit.findings.catalogue.code import Code

CODES: dict[str, Code] = {
    "bundle-exists": Code(
        "error",
        "Bundel bestaat al",
        "Er staat al een bundel met andere inhoud; die wordt niet overschreven: {reason}.",
    ),
    "output-not-writable": Code(
        "error",
        "Bestand niet te schrijven",
        "Het bestand kan niet geschreven worden: {reason}. {advice}",
    ),
}
