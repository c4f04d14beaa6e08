"""From a LAS's own staff role to the product's role (`TOP leerkracht`, `TOP leerkracht +`, none).

EDEXML has no "TOP leerkracht" role (its manual: roles are not meant for automatic
authorisation), so this is a default the coordinator can override: `map_roles(..., overrides)`.
Only staff with a product role are ever linked to groups (step 2 of the transition).

Function descriptions are the school's own words (Magister's `Functie.Omschr`: `Docent LB`,
`Teamleider onderbouw`, `Docent/mentor`): a description the table does not name whole is read
word by word, and the highest role a word gives wins.
"""

from __future__ import annotations

import re
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
    "groepsleraar": TOP_LEERKRACHT,
    "docent": TOP_LEERKRACHT,
    "mentor": TOP_LEERKRACHT,
    "klassenmentor": TOP_LEERKRACHT,
    "vakleerkracht": TOP_LEERKRACHT,
    "vakdocent": TOP_LEERKRACHT,
    "leraar": TOP_LEERKRACHT,
    "lerares": TOP_LEERKRACHT,
    "lerarenondersteuner": TOP_LEERKRACHT,  # EDEXML's LOS: teaches a group under a teacher
    "leraarondersteuner": TOP_LEERKRACHT,
    "intern begeleider": TOP_LEERKRACHT_PLUS,
    "ib'er": TOP_LEERKRACHT_PLUS,
    "zorgcoordinator": TOP_LEERKRACHT_PLUS,
    "remedial teacher": TOP_LEERKRACHT_PLUS,
    "directeur": TOP_LEERKRACHT_PLUS,
    "adjunct-directeur": TOP_LEERKRACHT_PLUS,  # EDEXML's ADJ
    "locatiedirecteur": TOP_LEERKRACHT_PLUS,  # EDEXML's LOC
    "locatieleider": TOP_LEERKRACHT_PLUS,
    "schoolleider": TOP_LEERKRACHT_PLUS,
    "directie": TOP_LEERKRACHT_PLUS,
    "bouwcoordinator": TOP_LEERKRACHT_PLUS,  # PO: oversees the groups of one bouw
    "teamleider": TOP_LEERKRACHT_PLUS,
    "afdelingsleider": TOP_LEERKRACHT_PLUS,
    "conrector": TOP_LEERKRACHT_PLUS,
    "rector": TOP_LEERKRACHT_PLUS,
    "onderwijsassistent": "",  # helps in class, keeps no dossier
    "administratie": "",
    "administratief medewerker": "",
    "conciërge": "",
    "stagiair": "",
    "stagiaire": "",
    # VO and MBO functions (Somtoday `functie`, Magister `Functie.Omschr`, Eduarte)
    "leerlingbegeleider": TOP_LEERKRACHT_PLUS,
    "leerlingcoordinator": TOP_LEERKRACHT_PLUS,  # pupils' support across classes, as zorg
    "ondersteuningscoordinator": TOP_LEERKRACHT_PLUS,  # passend onderwijs: the zorgcoördinator
    "orthopedagoog": TOP_LEERKRACHT_PLUS,
    "studieloopbaanbegeleider": TOP_LEERKRACHT,  # MBO's mentor (SLB'er)
    "slb'er": TOP_LEERKRACHT,
    "slb": TOP_LEERKRACHT,
    "instructeur": TOP_LEERKRACHT,
    "decaan": "",  # advises on choices of study; keeps no pupil's dossier
    "roostermaker": "",
    "toa": "",  # technisch onderwijsassistent
    "mediathecaris": "",
    "examensecretaris": "",
}
# Our own import files (and a list naming them) carry the product role itself: matched as
# written, not normalised (`TOP leerkracht` and `TOP leerkracht +` normalise alike).
_PRODUCT = {" ".join(role.split()).casefold(): role for role in PRODUCT_ROLES}
# Several functions in one cell (a teacher who is also IB'er): `Docent, IB`, `Teamleider/docent`.
FUNCTION_SEPARATORS = re.compile(r"[,;/]")
WORDS = re.compile(r"[^\w']+")
# Read word by word, only words this long count: the codes (IB, LOC, VAK) mean a role only as
# the whole function; as a word they are too often something else (`Administratie loc. Noord`).
WORD_MIN = 4


def product_role(las_role: str, overrides: Mapping[str, str] | None = None) -> str:
    """The product role for one LAS role ("" for none); overrides win over the default."""
    return str(map_roles(pd.Series([las_role]), overrides).iloc[0])


def map_roles(las_roles: pd.Series, overrides: Mapping[str, str] | None = None) -> pd.Series:
    """The product role for each LAS role; unknown roles get none ("").

    A cell may name several roles separated by `,`, `;` or `/` (a teacher who is also IB'er):
    the highest product role wins (`TOP leerkracht +` over `TOP leerkracht`). A function the
    table does not know whole is read word by word (`Docent LB`, `Teamleider onderbouw`).
    """
    table = {normalise(key): value for key, value in DEFAULT_ROLES.items()}
    table.update({normalise(key): value for key, value in (overrides or {}).items()})
    rank = {"": 0, TOP_LEERKRACHT: 1, TOP_LEERKRACHT_PLUS: 2}

    def highest(roles: list[str]) -> str:
        return max(roles, key=lambda role: rank.get(role, 0), default="")

    def function(part: str) -> str:
        key = normalise(part)
        if key in table:
            return table[key]
        words = [normalise(word) for word in WORDS.split(part)]
        return highest([table.get(word, "") for word in words if len(word) >= WORD_MIN])

    def one(cell: str) -> str:
        product = _PRODUCT.get(" ".join(cell.split()).casefold())
        if product is not None:
            return product
        return highest([function(part) for part in FUNCTION_SEPARATORS.split(cell)])

    unique = las_roles.fillna("").astype(str).unique()
    return las_roles.fillna("").astype(str).map({cell: one(cell) for cell in unique})
