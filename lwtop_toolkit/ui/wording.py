"""The app's own words for its steps: one numbering on the page, used by every text that names a
step (the LAS's steps, the worklist's and the staff workbook's instructions, the notebook's
headings), so that "stap 6" on the page is "Stap 6" in a workbook made there.
"""

from __future__ import annotations

from lwtop_toolkit.las.catalogue import Ways

# The sections of the guided page (notebook 01), in order: number -> title. The seed's
# "stap 1" (the pupils and groups to the dossier) and "stap 2" (the staff) are sections 5 and
# 6 here, and every text of the app calls them so.
SECTIONS: dict[int, str] = {
    1: "Uw leerlingadministratiesysteem (LAS)",
    2: "De gegevens van vorig jaar en van het nieuwe jaar",
    3: "Controle",
    4: "De nieuwe groepsindeling",
    5: "De leerlingen en groepen naar het dossier",
    6: "Medewerkers aan de nieuwe groepen koppelen",
    7: "Controle na de overgang: is alles aangekomen?",
}
LAS_STEP, DATA_STEP, PUPILS_STEP, STAFF_STEP, VERIFY_STEP = 1, 2, 5, 6, 7
APP_NAME = "de pagina Schooljaarovergang"


def heading(number: int) -> str:
    """A section's heading as the notebook writes it: `5. De leerlingen ...`."""
    return f"{number}. {SECTIONS[number]}"


# The toolkit's own steps in the app's words (las.Ways): a button or an upload of a section.
APP = Ways(
    worklist=f"de knop 'Werklijst maken' in stap {PUPILS_STEP}",
    read_back=f"in stap {PUPILS_STEP} van {APP_NAME} (Ingevulde werklijst, 'Werklijst inlezen')",
    verify=f"in stap {VERIFY_STEP} van {APP_NAME}",
    step_2=f"Stap {STAFF_STEP}",
    staff_read=f"Die kiest haar in stap {STAFF_STEP} van {APP_NAME} bij 'Ingevulde werkmap' en "
    "klikt op 'Werkmap inlezen'. Dat controleert elke keuze en meldt wat niet klopt.",
    staff_bundle="Daarna komen de koppelingen in de uploadbundel met de knop 'Koppelingen "
    "toevoegen aan de bundel'.",
    make_sheet=f"de knop 'Werkmap medewerkers maken' in stap {STAFF_STEP}",
    las_steps=f"stap {LAS_STEP} van {APP_NAME}",
)

__all__ = [
    "APP",
    "DATA_STEP",
    "LAS_STEP",
    "PUPILS_STEP",
    "SECTIONS",
    "STAFF_STEP",
    "VERIFY_STEP",
    "heading",
]
