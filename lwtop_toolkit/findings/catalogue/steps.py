"""Codes of the later steps: the worklist read back, and the check of what arrived."""

from __future__ import annotations

from lwtop_toolkit.findings.catalogue.code import Code

CODES: dict[str, Code] = {
    # --- the worklist read back -------------------------------------------------------------------
    "worklist-not-ours": Code(
        "error",
        "Werklijst zonder kenmerk",
        "De werkmap mist het verborgen tabblad van lwtop: ze is niet met {make_worklist} gemaakt, "
        "of dat tabblad is verwijderd. Maak een nieuwe werklijst met {make_worklist}.",
    ),
    "worklist-invalid-answer": Code(
        "error",
        "Geen ja of nee",
        "'{value}' in de kolom {column} is geen ja of nee. Kies ja of nee uit de keuzelijst (voor "
        "ja mag ook {also_yes}); tot dan telt de rij als open.",
    ),
    "worklist-open": Code(
        "warning",
        "Nog te doen",
        "{what}: nog niet klaar. Nog te doen: {todo}. Vul daarna in de werklijst ja in.",
    ),
    "worklist-row-removed": Code(
        "error",
        "Rij verwijderd uit de werklijst",
        "De rij van {what} ontbreekt in de werklijst en telt als open. Haal geen rijen weg: zet "
        "de rij terug of maak een nieuwe werklijst met {make_worklist}.",
    ),
    # --- verify: what arrived in Leerwinst/TOP dossier --------------------------------------------
    "worklist-row-unknown": Code(
        "error",
        "Onbekende rij in de werklijst",
        "'{value}' stond niet in de werklijst toen die gemaakt werd. Verander geen "
        "leerlingnummers of groepen en voeg geen rijen toe; maak zo nodig een nieuwe werklijst "
        "met {make_worklist}.",
    ),
    "verify-pupil-missing": Code(
        "error",
        "Leerling niet aangekomen",
        "Leerling '{value}' ({naam}, groep {group}) is niet aangekomen in Leerwinst/TOP dossier. "
        "{hint}",
    ),
    "verify-pupil-wrong-group": Code(
        "error",
        "Leerling in een andere groep",
        "Leerling '{value}' ({naam}) staat in het dossier in groep '{actual_group}', maar hoort "
        "in groep '{group}'. {hint}",
    ),
    "verify-pupil-unexpected": Code(
        "warning",
        "Leerling niet verwacht",
        "Leerling '{value}' ({naam}, groep {actual_group}) staat in het dossier, maar {reason}. "
        "Controleer of de leerling in het dossier hoort.",
    ),
    "verify-pupil-not-in-group": Code(
        "error",
        "Leerling niet in zijn samengestelde groep",
        "Leerling '{value}' ({naam}) hoort bij de samengestelde groep '{group}', maar staat er "
        "in het dossier niet in: wie aan die groep gekoppeld is, ziet het dossier van deze "
        "leerling niet. Zet de leerling alsnog in de groep (in het LAS, of in het dossier).",
    ),
    "verify-memberships-not-exported": Code(
        "warning",
        "Samengestelde groepen niet gecontroleerd",
        "De export uit het dossier noemt bij geen enkele leerling een samengestelde groep; de "
        "{value} plaatsen van leerlingen in samengestelde groepen zijn daarom niet gecontroleerd. "
        "Controleer ze in het dossier, of exporteer ook de samengestelde groepen.",
    ),
    "verify-group-missing": Code(
        "error",
        "Groep niet aangekomen",
        "Groep '{value}' ({count:leerling}) ontbreekt in Leerwinst/TOP dossier. {hint}",
    ),
    "verify-group-extra": Code(
        "warning",
        "Groep niet verwacht",
        "Groep '{value}' staat in het dossier, maar niet bij de groepen van het nieuwe jaar. Is "
        "het een groep van vorig jaar of een opgeheven groep? Archiveer of verwijder hem dan.",
    ),
    "verify-staff-link-missing": Code(
        "error",
        "Medewerker niet gekoppeld",
        "Medewerker '{value}' ({naam}) is in het dossier niet gekoppeld aan groep '{group}'. "
        "Koppel de medewerker alsnog aan de groep ({staff_step}).",
    ),
}
