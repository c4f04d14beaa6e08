"""The closed catalogue of finding codes: each stage's codes, merged into `CATALOGUE`.

Templates may use {file} {table} {row} {column} {value} and the extra parameters a rule passes.
Keep every message Dutch, concrete, and saying what to do. A code belongs to the stage that
finds it (reading, rules, plan, bundle, staff, steps); defining it twice fails at import.
"""

from __future__ import annotations

from collections.abc import Mapping

from lwtop_toolkit.findings.catalogue import bundle, plan, reading, rules, staff, steps
from lwtop_toolkit.findings.catalogue.code import Code

STAGES: dict[str, Mapping[str, Code]] = {
    "reading": reading.CODES,
    "rules": rules.CODES,
    "plan": plan.CODES,
    "bundle": bundle.CODES,
    "staff": staff.CODES,
    "steps": steps.CODES,
}


def merged(stages: Mapping[str, Mapping[str, Code]]) -> dict[str, Code]:
    """The codes of every stage as one catalogue; a code defined by two stages is refused."""
    catalogue: dict[str, Code] = {}
    owner: dict[str, str] = {}
    for stage, codes in stages.items():
        for code, entry in codes.items():
            if code in catalogue:
                raise ValueError(f"finding code {code!r} is defined twice: {owner[code]}, {stage}")
            catalogue[code] = entry
            owner[code] = stage
    return catalogue


CATALOGUE: dict[str, Code] = merged(STAGES)
