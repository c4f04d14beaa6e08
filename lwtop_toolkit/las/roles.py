"""From a LAS's own staff role to the product's role (`TOP leerkracht`, `TOP leerkracht +`, none).

EDEXML has no "TOP leerkracht" role (its manual: roles are not meant for automatic
authorisation), so this is a default the coordinator can override: `map_roles(..., overrides)`.
Only staff with a product role are ever linked to groups (step 2 of the transition).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from lwtop_toolkit.model import PRODUCT_ROLES, normalise

TOP_LEERKRACHT, TOP_LEERKRACHT_PLUS = PRODUCT_ROLES

# The default table, keyed by the normalised LAS role (EDEXML codes, Somtoday `functie`,
# Magister function names). Teachers of a group get `TOP leerkracht`; those who oversee pupils'
# support across groups (IB, RT, management) get `TOP leerkracht +`; everyone else no role.
DEFAULT_ROLES: dict[str, str] = {
    # EDEXML `rol` codes (reference/README.md §1.4)
    "LRK": TOP_LEERKRACHT,  # leerkracht/groepsleraar
    "VAK": TOP_LEERKRACHT,  # vakleerkracht
    "LOS": TOP_LEERKRACHT,  # lerarenondersteuner
    "IB": TOP_LEERKRACHT_PLUS,  # intern begeleider
    "RT": TOP_LEERKRACHT_PLUS,  # remedial teacher
    "DIR": TOP_LEERKRACHT_PLUS,  # directeur
    "ADJ": TOP_LEERKRACHT_PLUS,  # adjunct-directeur
    "LOC": TOP_LEERKRACHT_PLUS,  # locatieleider
    "ADM": "",
    "CON": "",
    "ICT": "",
    "KLA": "",
    "OWA": "",
    "OUD": "",
    "SMW": "",
    "STA": "",
    "TAL": "",
    # Dutch function names as Somtoday, Magister and Eduarte exports write them
    "leerkracht": TOP_LEERKRACHT,
    "groepsleerkracht": TOP_LEERKRACHT,
    "docent": TOP_LEERKRACHT,
    "mentor": TOP_LEERKRACHT,
    "vakleerkracht": TOP_LEERKRACHT,
    "leraar": TOP_LEERKRACHT,
    "intern begeleider": TOP_LEERKRACHT_PLUS,
    "ib'er": TOP_LEERKRACHT_PLUS,
    "zorgcoordinator": TOP_LEERKRACHT_PLUS,
    "remedial teacher": TOP_LEERKRACHT_PLUS,
    "directeur": TOP_LEERKRACHT_PLUS,
    "teamleider": TOP_LEERKRACHT_PLUS,
    "afdelingsleider": TOP_LEERKRACHT_PLUS,
    "conrector": TOP_LEERKRACHT_PLUS,
    "rector": TOP_LEERKRACHT_PLUS,
    "onderwijsassistent": "",
    "administratie": "",
    "conciërge": "",
    "stagiair": "",
    # VO and MBO functions (Somtoday `functie`, Magister, Eduarte)
    "leerlingbegeleider": TOP_LEERKRACHT_PLUS,
    "orthopedagoog": TOP_LEERKRACHT_PLUS,
    "studieloopbaanbegeleider": TOP_LEERKRACHT,  # MBO's mentor (SLB'er)
    "slb'er": TOP_LEERKRACHT,
    "instructeur": TOP_LEERKRACHT,
    "decaan": "",
    "roostermaker": "",
    # our own import files already carry the product role
    TOP_LEERKRACHT: TOP_LEERKRACHT,
    TOP_LEERKRACHT_PLUS: TOP_LEERKRACHT_PLUS,
}


def product_role(las_role: str, overrides: Mapping[str, str] | None = None) -> str:
    """The product role for one LAS role ("" for none); overrides win over the default."""
    return str(map_roles(pd.Series([las_role]), overrides).iloc[0])


def map_roles(las_roles: pd.Series, overrides: Mapping[str, str] | None = None) -> pd.Series:
    """The product role for each LAS role; unknown roles get none ("").

    A cell may name several roles separated by `,` or `;` (a teacher who is also IB'er): the
    highest product role wins (`TOP leerkracht +` over `TOP leerkracht`).
    """
    table = {normalise(key): value for key, value in DEFAULT_ROLES.items()}
    table.update({normalise(key): value for key, value in (overrides or {}).items()})
    rank = {"": 0, TOP_LEERKRACHT: 1, TOP_LEERKRACHT_PLUS: 2}

    def one(cell: str) -> str:
        roles = [table.get(normalise(part), "") for part in cell.replace(";", ",").split(",")]
        return max(roles, key=lambda role: rank.get(role, 0), default="")

    unique = las_roles.fillna("").astype(str).unique()
    return las_roles.fillna("").astype(str).map({cell: one(cell) for cell in unique})
