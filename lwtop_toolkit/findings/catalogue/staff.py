"""Codes of step 2: the staff workbook (which teacher gets which group) read back."""

from __future__ import annotations

from lwtop_toolkit.findings.catalogue.code import Code

CODES: dict[str, Code] = {
    "staff-sheet-no-year": Code(
        "error",
        "Schooljaar van het nieuwe jaar onbekend",
        "er is geen werkmap geschreven: het schooljaar van de gegevens van het nieuwe jaar "
        "(BRIN {brin}) is onbekend, en een werkmap moet zeggen voor welk schooljaar ze is. Zet "
        "het in de export (de kolom Schooljaar; in importbestanden die van groepen), of bij een "
        "lijst uit het LAS in de naam van de map (2026-2027) of in lwtop.toml naast de export: "
        'schooljaar = "2026-2027". Maak de werkmap daarna opnieuw.',
    ),
    "staff-sheet-not-ours": Code(
        "error",
        "Werkmap zonder kenmerk",
        "De werkmap mist het verborgen tabblad met schooljaar, BRIN en groepenlijst: ze is niet "
        "met {make_sheet} gemaakt, of dat tabblad is verwijderd. Maak een nieuwe werkmap "
        "met {make_sheet} en vul die in.",
    ),
    "staff-sheet-other-school-year": Code(
        "error",
        "Werkmap van een andere school of een ander jaar",
        "Deze werkmap is gemaakt voor schooljaar {sheet_year}, BRIN {sheet_brin}; de gegevens "
        "van het nieuwe jaar zijn van schooljaar {year}, BRIN {brin}. Lees de werkmap van deze "
        "school en dit schooljaar in, of maak een nieuwe met {make_sheet}.",
    ),
    "staff-sheet-no-school": Code(
        "error",
        "Werkmap van geen van de scholen",
        "deze werkmap hoort bij geen van de scholen van deze levering (schooljaar, BRIN of "
        "groepen anders). Geef per school de werkmap die {make_sheet} voor die school "
        "maakte, of maak ze opnieuw.",
    ),
    "staff-sheets-one-school": Code(
        "error",
        "Twee werkmappen van één school",
        "deze werkmap is van dezelfde school als {other}. Geef per school één ingevulde werkmap.",
    ),
    "staff-sheets-not-apart": Code(
        "error",
        "Meerdere werkmappen",
        "Meerdere werkmappen (één per school) gaan elk met hun eigen school mee, en dat kan niet "
        "samen met een dossierlijst (--dossier) of met rijen uit een onbekend bestand. Bundel de "
        "scholen dan één voor één, elk met de eigen werkmap.",
    ),
    "staff-sheet-groups-changed": Code(
        "warning",
        "Groepenlijst veranderd",
        "De groepenlijst is niet meer die waarmee de werkmap gemaakt is: de export van het "
        "nieuwe jaar is sindsdien veranderd, of er zijn rijen veranderd. Zie de meldingen per "
        "rij; maak zo nodig een nieuwe werkmap met {make_sheet}.",
    ),
    "staff-sheet-row-added": Code(
        "error",
        "Rij toegevoegd",
        "Groep '{value}' is geen stamgroep van het nieuwe jaar, of staat een tweede keer in de "
        "werkmap. Er mogen geen rijen bijkomen: haal deze rij weg. De leerkrachten van deze rij "
        "worden niet gekoppeld.",
    ),
    "staff-sheet-row-removed": Code(
        "error",
        "Rij verwijderd",
        "De rij van groep '{value}' ({name}) ontbreekt in de werkmap, dus de groep krijgt geen "
        "leerkracht. Zet de rij terug of maak een nieuwe werkmap met {make_sheet}.",
    ),
    "staff-sheet-structure-changed": Code(
        "error",
        "Vaste kolom veranderd",
        "'{column}' is '{value}' in de werkmap, maar '{expected}' in de gegevens van het nieuwe "
        "jaar. De kolommen Groepscode tot en met Aantal leerlingen mogen niet veranderen: zet "
        "'{expected}' terug, of maak een nieuwe werkmap met {make_sheet}.",
    ),
    "staff-sheet-unknown-name": Code(
        "error",
        "Naam onbekend",
        "'{value}' is niemand uit de medewerkerslijst van het nieuwe jaar. Kies de leerkracht "
        "uit de keuzelijst van de cel.",
    ),
    "staff-sheet-ambiguous-name": Code(
        "error",
        "Naam niet eenduidig",
        "'{value}' past bij meer dan één medewerker ({matches}). Kies de juiste uit de "
        "keuzelijst: daar staat het nummer achter de naam.",
    ),
    "staff-sheet-name-mismatch": Code(
        "error",
        "Naam en nummer horen niet bij elkaar",
        "In '{value}' hoort het nummer {medewerker_id} bij {label}, niet bij deze naam. Kies de "
        "leerkracht opnieuw uit de keuzelijst.",
    ),
    "staff-not-linkable": Code(
        "error",
        "Medewerker niet te koppelen",
        "'{value}' kan niet aan een groep gekoppeld worden: {reason}. Kies een leerkracht uit de "
        "keuzelijst, of geef de medewerker eerst de rol TOP leerkracht in het LAS.",
    ),
    "staff-sheet-group-without-teacher": Code(
        "warning",
        "Groep zonder leerkracht",
        "Groep '{value}' heeft geen leerkracht. Kies in de werkmap minstens één leerkracht voor "
        "deze groep, of laat de groep bewust leeg.",
    ),
    "staff-of-other-school": Code(
        "warning",
        "Leerkracht van een andere school",
        "{label} is medewerker van {homes}, niet van school {school} van groep '{group}'. Met "
        "deze koppeling komt {label} in de uploadbundel van {school} en ziet de dossiers van "
        "die groep. Klopt dat (bijvoorbeeld iemand die op beide scholen werkt)? Zo niet: kies "
        "een leerkracht van {school}.",
    ),
    "staff-sheet-teacher-without-group": Code(
        "info",
        "Leerkracht zonder groep",
        "{value} heeft geen groep gekregen. Klopt dat (bijvoorbeeld een vakleerkracht of intern "
        "begeleider)? Zo niet: kies deze leerkracht bij een groep in de werkmap.",
    ),
}
