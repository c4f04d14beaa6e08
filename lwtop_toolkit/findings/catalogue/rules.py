"""Codes of the rules: each value against its schema, and the tables against each other."""

from __future__ import annotations

from lwtop_toolkit.findings.catalogue.code import Code

CODES: dict[str, Code] = {
    # --- values -----------------------------------------------------------------------------------
    "missing-value": Code(
        "error",
        "Waarde ontbreekt",
        "'{column}' is leeg. Vul het in de export in.",
    ),
    "duplicate-id": Code(
        "error",
        "Nummer dubbel",
        "'{value}' komt meer dan eens voor als {column}. Elk nummer mag maar één keer voorkomen.",
    ),
    "untrimmed-value": Code(
        "warning",
        "Spaties rond waarde",
        "'{value}' begint of eindigt met een spatie, of heeft dubbele spaties. Haal die weg in "
        "de export.",
    ),
    "value-too-long": Code(
        "error",
        "Waarde te lang",
        "'{value}' is langer dan {limit} tekens, het maximum voor {column}.",
    ),
    "invalid-date": Code(
        "error",
        "Geen geldige datum",
        "'{value}' is geen datum. Schrijf de datum als dd-mm-jjjj of jjjj-mm-dd.",
    ),
    "implausible-birth-date": Code(
        "error",
        "Geboortedatum onwaarschijnlijk",
        "Met geboortedatum {value} is de leerling op 1 oktober {age} jaar; verwacht is 2 tot "
        "25 jaar. Controleer de datum.",
    ),
    "invalid-code": Code(
        "error",
        "Onbekende code",
        "'{value}' is geen geldige waarde voor {column}; toegestaan: {allowed}.",
    ),
    "invalid-brin": Code(
        "error",
        "BRIN ongeldig",
        "'{value}' is geen BRIN-nummer: twee cijfers en twee hoofdletters, bijvoorbeeld 12AB.",
    ),
    "invalid-vestiging": Code(
        "error",
        "Vestiging ongeldig",
        "'{value}' is geen vestigingsnummer: twee cijfers (00 is de hoofdvestiging) of leeg.",
    ),
    "invalid-email": Code(
        "error",
        "E-mailadres ongeldig",
        "'{value}' is geen geldig e-mailadres.",
    ),
    "invalid-schooljaar": Code(
        "error",
        "Schooljaar ongeldig",
        "'{value}' is geen schooljaar. Schrijf het als 2026-2027.",
    ),
    "unknown-role": Code(
        "error",
        "Rol bestaat niet in TOP dossier",
        "Rol '{value}' bestaat niet in TOP dossier: de upload wordt geweigerd of geeft de "
        "medewerker niet de bedoelde rechten. Geldig zijn 'TOP leerkracht' en 'TOP leerkracht +', "
        "of leeg voor geen rol. Zet de juiste rol in de export, of vertaal een functie uit het "
        "LAS in lwtop.toml naast de export onder [rollen], bijvoorbeeld "
        '"{value}" = "TOP leerkracht +" (ook daar alleen deze rollen of "").',
    ),
    "mixed-schooljaar": Code(
        "error",
        "Verschillende schooljaren",
        "De groepen horen bij verschillende schooljaren ({value}). Eén levering is één schooljaar.",
    ),
    # --- across tables ----------------------------------------------------------------------------
    "unknown-group": Code(
        "error",
        "Groep onbekend",
        "Groep '{value}' staat niet in het groepenbestand. Voeg de groep toe of verbeter de "
        "groep van deze rij.",
    ),
    "not-a-stamgroep": Code(
        "error",
        "Geen stamgroep",
        "Groep '{value}' is een samengestelde groep; als groep_id hoort hier de stamgroep.",
    ),
    "unknown-staff": Code(
        "error",
        "Medewerker onbekend",
        "Medewerker '{value}' staat niet in het medewerkersbestand.",
    ),
    "duplicate-link": Code(
        "warning",
        "Koppeling dubbel",
        "Medewerker en groep zijn meer dan eens aan elkaar gekoppeld; één keer is genoeg.",
    ),
    "empty-group": Code(
        "warning",
        "Lege groep",
        "Stamgroep '{value}' heeft geen leerlingen. Is dat de bedoeling?",
    ),
    "pupil-without-group": Code(
        "warning",
        "Leerling zonder groep",
        "Leerling '{value}' heeft geen stamgroep en komt in geen enkele groep terecht.",
    ),
    "groupless-block": Code(
        "error",
        "Blok leerlingen zonder groep",
        "{value} leerlingen op een rij (rij {row} t/m {last}) hebben geen stamgroep. Staat de "
        "groep maar één keer boven het blok, of was de groepscel samengevoegd? Vul de groep in "
        "elke rij in en lees het bestand opnieuw in.",
    ),
    "possible-duplicate-person": Code(
        "warning",
        "Mogelijk dubbele leerling",
        "Leerling '{value}' heeft dezelfde naam en geboortedatum als leerling '{other}' "
        "(rij {other_row}). Is dit één kind onder twee nummers?",
    ),
    "leading-zero-ids": Code(
        "warning",
        "Nummers verschillen in voorloopnullen",
        "'{value}' en '{other}' (rij {other_row}) verschillen alleen in voorloopnullen. "
        "Controleer of de export de nummers als tekst heeft bewaard.",
    ),
    "jaargroep-mismatch": Code(
        "warning",
        "Jaargroep wijkt af van groep",
        "De leerling staat in jaargroep {value}, de groep '{group}' in jaargroep "
        "{group_jaargroep}. Klopt de groep of de jaargroep?",
    ),
}
